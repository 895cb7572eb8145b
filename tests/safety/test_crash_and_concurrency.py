"""Crashes and two windows: nothing reported saved is ever lost, the file stays sound.
Every loop here is bounded in rounds and seconds and stops by itself."""

import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import date

from pmweek.domain.calendar import Week
from pmweek.services import open_services
from pmweek.tui.widgets.checklist import Checklist
from tests.cli import start
from tests.conftest import settle

MON = date(2026, 11, 23)

WRITER = textwrap.dedent(
    """
    import sys
    from datetime import date
    from pmweek.domain.calendar import Week
    from pmweek.services import open_services

    services = open_services(sys.argv[1])
    round_ = sys.argv[2]
    item = services.checklist.open_week(Week(2026, 48), date(2026, 11, 23)).day(1).tasks[0]
    for i in range(100000):
        services.sheets.add("campaigns", {"month": "2026-11", "campaign": f"r{round_}-{i}"})
        print("row", f"r{round_}-{i}", flush=True)
        services.checklist.set_note(item.id, f"note {round_} {i:06d}")
        print("note", f"note {round_} {i:06d}", flush=True)
        services.checklist.toggle(item.id)
        print("tick", flush=True)
    """
)


def test_sigkill_at_random_moments_loses_nothing_reported(tmp_path):
    db = tmp_path / "pm.db"
    url = f"sqlite:///{db}"
    open_services(url).close()
    rng = random.Random(2026)
    rows, last_note = set(), ""
    deadline = time.monotonic() + 60
    for round_ in range(10):
        if time.monotonic() > deadline:
            break
        proc = subprocess.Popen([sys.executable, "-c", WRITER, url, str(round_)],
                                stdout=subprocess.PIPE, text=True)
        first = proc.stdout.readline()  # it has started writing
        time.sleep(rng.uniform(0.05, 0.6))
        proc.send_signal(signal.SIGKILL)
        out = first + proc.stdout.read()
        proc.wait(timeout=10)
        for line in out.splitlines():
            kind, _, value = line.partition(" ")
            if not value:
                continue  # a line the kill cut short names nothing to check
            if kind == "row":
                rows.add(value)
            elif kind == "note":
                last_note = value
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            stored = {r[0] for r in conn.execute("SELECT campaign FROM campaign WHERE deleted_at IS NULL")}
            note = conn.execute("SELECT note FROM task WHERE key = 'mon-review-plan'").fetchone()[0]
        conn.close()
        assert rows <= stored  # every row reported committed is there
        # The note is the last one reported, or one written after it that was not reported yet.
        assert note.split()[1] == last_note.split()[1] and note >= last_note
    assert len(rows) > 10  # the test really wrote


async def test_two_windows_write_at_once_and_see_each_other(tmp_path):
    """The app ticks and writes a note while `pmweek add` runs in other processes."""
    from pmweek.tui.app import PmWeekApp

    url = f"sqlite:///{tmp_path / 'pm.db'}"
    services = open_services(url)
    app = PmWeekApp(lambda: services, today=MON)
    adders = [
        start("--db", str(tmp_path / "pm.db"), "add", "deals", "--month", "2026-11", "--customer", f"C{i}",
              stderr=subprocess.PIPE)
        for i in range(6)
    ]
    other = open_services(url)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        first = int(app.screen.query_one(Checklist).highlighted_option.id[1:])
        second = services.checklist.peek_week(Week(2026, 48)).day(1).tasks[1].id
        # the app ticks (the cursor moves on), goes back, unticks, and ticks
        await pilot.press("space", "up", "space", "space")
        other.checklist.set_note(first, "written in the other window")
        other.checklist.toggle(second)
        await pilot.press("r")  # refresh: the other window's tick shows
        await settle(pilot)
        prompts = [o.prompt.plain for o in app.screen.query_one(Checklist).options]
        assert any(p.startswith("☑") and "✎" not in p for p in prompts[1:])
        assert prompts[0].startswith("☑") and "✎" in prompts[0]
    for proc in adders:
        assert proc.wait(timeout=60) == 0, proc.stderr.read()
    task = other.checklist.task(first)
    assert task.done and task.note == "written in the other window"
    assert other.checklist.task(second).done
    customers = {r.values["customer"] for r in other.sheets.rows("deals", None, None, MON)}
    assert customers == {f"C{i}" for i in range(6)}
    other.close()
    services.close()


async def test_coming_back_to_the_window_shows_the_other_windows_changes(tmp_path):
    from textual.events import AppFocus

    from pmweek.tui.app import PmWeekApp

    url = f"sqlite:///{tmp_path / 'pm.db'}"
    services, other = open_services(url), open_services(url)
    app = PmWeekApp(lambda: services, today=MON)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        first = int(app.screen.query_one(Checklist).highlighted_option.id[1:])
        other.checklist.toggle(first)
        app.post_message(AppFocus())
        await settle(pilot)
        assert app.screen.query_one(Checklist).options[0].prompt.plain.startswith("☑")
    other.close()
    services.close()


def test_two_hundred_kills_inside_the_write_lose_no_reported_row(tmp_path):
    """A writer is killed at a random moment while it writes (not while it starts:
    each child is forked from this process, with pmweek already imported), 200 times.
    Every row it reported saved is there, and the file is sound."""
    import os

    db = tmp_path / "pm.db"
    url = f"sqlite:///{db}"
    open_services(url).close()
    rng = random.Random(13)
    reported: set[str] = set()
    kills = 0
    for round_ in range(200):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the writer
            os.close(read_end)
            try:
                services = open_services(url)
                for i in range(100000):
                    name = f"r{round_}-{i}"
                    services.sheets.add("campaigns", {"month": "2026-11", "campaign": name})
                    os.write(write_end, (name + "\n").encode())
            finally:
                os._exit(0)
        os.close(write_end)
        with os.fdopen(read_end) as reader:
            reported.add(reader.readline().strip())  # it is writing now
            time.sleep(rng.uniform(0, 0.03))  # …somewhere inside one of its writes
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            kills += 1
            reported.update(line.strip() for line in reader.read().splitlines())
            reported.discard("")
    assert kills == 200 and len(reported) >= 200
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        stored = {r[0] for r in conn.execute("SELECT campaign FROM campaign")}
    conn.close()
    assert reported <= stored
