"""Shared fixtures: a temp database, a fixed clock, an app factory."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import time_machine

# Timestamps are shown in local time: pin it so outputs do not depend on the machine.
os.environ["TZ"] = "UTC"
time.tzset()

# The tests' files (every test's database, the PostgreSQL cluster) live in memory where
# Linux offers it: thousands of small databases are written, synced and thrown away, and on
# a disk each sync waits for it. A TMPDIR the caller set is kept.
_RAM = Path("/dev/shm")
if ("TMPDIR" not in os.environ and _RAM.is_dir() and os.access(_RAM, os.W_OK | os.X_OK)
        and shutil.disk_usage(_RAM).free > 2 * 1024**3):  # a container's small one is left alone
    import tempfile

    os.environ["TMPDIR"] = str(_RAM)  # for the processes the tests start, too
    tempfile.tempdir = None  # gettempdir() reads it again

from textual import constants  # noqa: E402

# A tab's underline slides to the day the calendar opens on: a screenshot taken on a busy
# machine (tests in parallel) could catch it mid-slide. Screens are compared at rest.
constants.TEXTUAL_ANIMATIONS = "none"

from pmweek.i18n import set_lang  # noqa: E402


# The moment every test runs at unless it says otherwise: a Monday morning.
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def wall_clock(request) -> Iterator[time_machine.Traveller]:
    """No test reads the real clock: in the test's process date.today() and
    datetime.now() say NOW, or the moment its `now` mark names, and tick on from there
    (`wall_clock.move_to(...)` goes elsewhere). A started `python -m pmweek` is given
    its day with --date (tests/cli.py)."""
    mark = request.node.get_closest_marker("now")
    with time_machine.travel(mark.args[0] if mark else NOW, tick=True) as traveller:
        yield traveller


class FakeClock:
    """Each call is one minute after the previous one, from NOW."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or NOW

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


@pytest.fixture(autouse=True)
def _english_by_default() -> Iterator[None]:
    set_lang("en")
    yield
    set_lang("en")


BACKENDS = ("sqlite", "postgresql")


def pytest_generate_tests(metafunc):
    # The services' tests run against both databases; the rest (TUI, CLI, files) on SQLite.
    if "db_url" in metafunc.fixturenames and "services" in metafunc.definition.path.parts:
        metafunc.parametrize("backend", BACKENDS, indirect=True)


@pytest.fixture
def backend(request) -> str:
    return getattr(request, "param", "sqlite")


@pytest.fixture(scope="session")
def pg_server():
    from tests.pg import Server

    server = Server().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def _new_sqlite_database(tmp_path_factory) -> Path:
    """A new, empty database made by the app once per test process: a copy of it is
    what a first start leaves, without its schema's cost in every test."""
    from pmweek.services import open_services

    path = tmp_path_factory.mktemp("new") / "pmweek.db"
    open_services(f"sqlite:///{path}").close()
    return path


@pytest.fixture
def db_url(tmp_path, backend, request, _new_sqlite_database) -> str:
    if backend == "postgresql":
        return request.getfixturevalue("pg_server").prepared_database()
    path = tmp_path / "pmweek.db"
    shutil.copy2(_new_sqlite_database, path)  # with its owner-only mode
    return f"sqlite:///{path}"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def open_db(db_url, clock) -> Iterator[Callable]:
    """Open services on the test database (several may be open at once)."""
    from pmweek.services import open_services

    opened = []

    def _open(lang: str = "en", url: str | None = None):
        services = open_services(url or db_url, lang, clock)
        opened.append(services)
        return services

    yield _open
    for services in opened:
        services.close()


@pytest.fixture
def services(open_db):
    return open_db()


@pytest.fixture
def make_app(open_db):
    """An app on the test database at a fixed date."""
    from pmweek.tui.app import PmWeekApp

    def _make(today: date, lang: str = "en"):
        services = open_db(lang)
        return noticed(PmWeekApp(lambda: services, today=today, lang=lang))

    return _make


def noticed(app):  # noqa: ANN001, ANN201 - an App, returned
    """``app`` with ``app.said``: every notification it shows (message, markup,
    severity), as Textual's public ``Notify`` message carries it to the screen, so
    tests read what the user was told, as it was shown, without Textual's internals."""
    from textual.notifications import Notify

    app.said = []
    post = app.post_message

    def post_message(message):  # noqa: ANN001, ANN202
        if isinstance(message, Notify):
            app.said.append(message.notification)
        return post(message)

    app.post_message = post_message
    return app


async def until(pilot, condition: Callable[[], object], limit: float = 10.0) -> None:
    """Wait for ``condition`` (a timer fired, a message handled), not for a fixed time:
    polls between screen updates and fails after ``limit`` seconds."""
    waited = 0.0
    while not condition():
        if waited >= limit:
            raise AssertionError(f"still waiting after {limit} s")
        await pilot.pause(0.02)
        waited += 0.02


async def settle(pilot, rounds: int = 50) -> None:
    """Wait until background loads have finished and the screen has caught up.

    One round is not always enough on a loaded machine: a key that closes a picker opens
    the next screen a few messages later, and that screen's load starts only once it is
    mounted, so the round ends with nothing yet to wait for. Rounds go on until one
    starts and ends on the same screen with no worker left running."""
    app = pilot.app
    for _ in range(rounds):
        screen = app.screen
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        if app.screen is screen and all(w.is_finished for w in app.workers):
            return
    raise AssertionError(f"the app did not settle in {rounds} rounds")


async def pressed(pilot, *keys: str) -> None:
    """``keys`` pressed, then the app settled."""
    await pilot.press(*keys)
    await settle(pilot)


@pytest.fixture
def pm(tmp_path, capsys):
    """The command line on a temporary database, on 2026-11-05: (exit code, stdout, stderr)."""
    from pmweek.cli import main

    db = str(tmp_path / "pm.db")

    def run(*args):
        rc = main(["--db", db, "--date", "2026-11-05", *args])
        out, err = capsys.readouterr()
        return rc, out, err

    return run
