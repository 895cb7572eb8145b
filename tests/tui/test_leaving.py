"""What is on screen is on disk when pmweek is ended from outside: the terminal closed
(SIGHUP) or the process told to stop (SIGTERM), in its first second (ticks still queued
for the data layer) or with a note typed a moment ago. pmweek runs in a real
pseudo-terminal here, as in a PM's terminal."""

from __future__ import annotations

import os
import pty
import select
import signal
import sqlite3
import time
from datetime import date

import pytest

from pmweek.domain.calendar import Week
from pmweek.services import open_services
from tests.cli import command

MON = date(2026, 11, 23)


class Terminal:
    """pmweek in a pseudo-terminal of 100x30: keys in, the screen's bytes out."""

    def __init__(self, db: str) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child: pmweek itself
            os.environ.update(TERM="xterm-256color", COLUMNS="100", LINES="30")
            args = command("--db", db, "--lang", "en")
            os.execv(args[0], args)
        self.seen = b""

    def wait_for(self, text: bytes, limit: float = 20.0) -> None:
        deadline = time.monotonic() + limit
        while text not in self.seen:
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never shown")
            self.read(0.05)

    def read(self, wait: float) -> None:
        ready, _, _ = select.select([self.fd], [], [], wait)
        if ready:
            try:
                self.seen += os.read(self.fd, 65536)
            except OSError:
                pass

    def keys(self, data: bytes) -> None:
        os.write(self.fd, data)

    def end(self, number: int) -> int:
        """Send the signal (SIGHUP: the terminal is gone too); the exit status."""
        os.kill(self.pid, number)
        if number == signal.SIGHUP:
            os.close(self.fd)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if number != signal.SIGHUP:
                self.read(0.05)
            done, status = os.waitpid(self.pid, os.WNOHANG)
            if done:
                return status
            time.sleep(0.02)
        os.kill(self.pid, signal.SIGKILL)
        raise AssertionError("pmweek did not end")


@pytest.fixture
def week_db(tmp_path) -> str:
    """A database whose week is opened: the app shows it from the quick read at once,
    with its data layer still loading."""
    path = tmp_path / "pm.db"
    services = open_services(f"sqlite:///{path}")
    services.checklist.open_week(Week(2026, 48), MON)
    services.close()
    return str(path)


def _ticked(db: str) -> int:
    with sqlite3.connect(db) as conn:
        found = conn.execute("SELECT count(*) FROM task WHERE done_at IS NOT NULL").fetchone()[0]
    conn.close()
    return found


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_tick_in_the_first_moment_survives_the_end_of_the_terminal(week_db, number):
    terminal = Terminal(week_db)
    terminal.wait_for(b"Review")
    terminal.seen = b""
    terminal.keys(b" ")  # ticked on screen while the data layer may still be loading
    terminal.wait_for("☑".encode())
    status = terminal.end(number)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 128 + number  # left, not killed
    assert _ticked(week_db) == 1


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_note_typed_a_moment_ago_survives_the_end_of_the_terminal(tmp_path, number):
    week_db = str(tmp_path / "pm.db")
    open_services(f"sqlite:///{week_db}").close()  # no week opened yet: the list shows once the data layer is open
    terminal = Terminal(week_db)
    terminal.wait_for(b"Review")
    terminal.keys(b"\r")  # open the item: typing goes to its note
    terminal.wait_for(b"Note")
    terminal.keys("客户要求 ETA".encode())
    time.sleep(0.1)  # well inside the note's pause before it saves by itself
    terminal.end(number)
    with sqlite3.connect(week_db) as conn:
        notes = [r[0] for r in conn.execute("SELECT note FROM task WHERE note != ''")]
    conn.close()
    assert notes == ["客户要求 ETA"]
