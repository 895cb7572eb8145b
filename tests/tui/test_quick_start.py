"""Today's list shows before the data layer has loaded, and what the PM does in that
time is saved, in order, once it has."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from datetime import date

import pytest

from pmweek.domain.calendar import Week
from pmweek.i18n import t
from pmweek.services import open_services
from pmweek.services.reading import quick_morning
from pmweek.tui.app import PmWeekApp
from pmweek.tui.widgets.checklist import Checklist
from tests.conftest import FakeClock, noticed, settle, until

MON = date(2026, 11, 23)
W48 = Week(2026, 48)
USER = "pm"


def _gated(tmp_path, today: date, stored: bool = True):
    """An app on a database whose week is stored (opened on ``today``; ``stored`` False:
    never opened), and a gate: its data layer does not open until the test says so.
    (app, services, gate, path)."""
    path = tmp_path / "pm.db"
    services = open_services(f"sqlite:///{path}", "en", FakeClock(), user=USER)
    if stored:
        services.checklist.open_week(W48, today)
    gate = threading.Event()

    def connect():
        gate.wait(10)
        return services

    app = noticed(PmWeekApp(connect, today=today, lang="en",
                            peek=lambda week, day: quick_morning(path, USER, "en", None, week, day)))
    return app, services, gate, path


@pytest.fixture
def held(tmp_path):
    app, services, gate, path = _gated(tmp_path, MON)
    yield app, services, gate, path
    gate.set()
    services.close()


def _done_in_file(path) -> list[int]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT id FROM task WHERE done_at IS NOT NULL ORDER BY id")]
    finally:
        conn.close()


async def _list_shown(pilot, app) -> None:
    """Until today's list is on screen (read before the data layer opens, or after)."""
    await until(pilot, lambda: getattr(app.screen, "view", None) is not None)


def _highlighted(app) -> int:
    return int(app.screen.query_one(Checklist).highlighted_option.id[1:])


async def test_ticks_made_before_the_data_layer_opens_are_saved_in_the_order_made(held):
    app, services, gate, path = held
    async with app.run_test(size=(110, 40)) as pilot:
        await _list_shown(pilot, app)
        assert not app.data_open  # the list came from the quick read
        first = _highlighted(app)
        await pilot.press("space")  # tick the first item: on to the next
        second = _highlighted(app)
        await pilot.press("space", "up", "space")  # tick the second, back up, untick it
        await pilot.pause()
        lines = [str(o.prompt) if isinstance(o.prompt, str) else o.prompt.plain
                 for o in app.screen.query_one(Checklist).options]
        assert lines[0].startswith("☑") and lines[1].startswith("☐")  # shown at once
        assert _done_in_file(path) == []  # nothing written yet: the data layer is not open
        gate.set()
        await until(pilot, lambda: [a for _, a, _ in services.checklist.history(second)] == ["done", "undone"])
        await settle(pilot)
        assert [a for _, a, _ in services.checklist.history(first)] == ["done"]
        # made in the order pressed: each change a minute later on the test's clock
        stamps = [services.checklist.history(first)[0][0], *(at for at, _, _ in services.checklist.history(second))]
        assert stamps == sorted(stamps) and len(set(stamps)) == 3
        assert _done_in_file(path) == [first]
        # the screen shows the stored time of the tick, not the one it guessed
        assert app.screen.view.find_task(first).done_at == services.checklist.task(first).done_at
        await pilot.press("space")  # from now on a tick is made at once
        assert services.checklist.task(second).done


async def test_a_queued_tick_the_database_refuses_is_said_and_the_list_reloaded(held):
    app, services, gate, path = held
    async with app.run_test(size=(110, 40)) as pilot:
        await _list_shown(pilot, app)
        first = _highlighted(app)
        await pilot.press("space")
        conn = sqlite3.connect(path)  # another window removes the item meanwhile
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("DELETE FROM task WHERE id = ?", (first,))
        conn.commit()
        conn.close()
        gate.set()
        await until(pilot, lambda: any(n.message == t("error.task_gone") for n in app.said))
        await settle(pilot)
        assert app.screen.view.find_task(first) is None  # the list shows what is stored


def test_today_s_list_is_shown_before_the_orm_is_imported(tmp_path):
    """The modules loaded when today's list is first shown, through the real entry
    point: no SQLAlchemy, no SQLModel, no record declarations."""
    from pmweek.cli import main

    db = str(tmp_path / "pm.db")
    assert main(["--db", db, "--date", "2026-11-23", "add", "campaigns", "--campaign", "c"]) == 0
    services = open_services(f"sqlite:///{db}", "en", FakeClock(), user=USER)
    services.checklist.open_week(W48, MON)
    services.close()
    code = (
        "import sys\n"
        "from pmweek import startup\n"
        "startup.begin()\n"
        "import pmweek.tui.app as app_module\n"
        "from pmweek.tui.screens.week import WeekScreen\n"
        "from pmweek.cli import main\n"
        "shown = []\n"
        "real = WeekScreen._show\n"
        "def show(self, *args):\n"
        "    if not shown:\n"
        "        shown.append(sorted(sys.modules))\n"
        "    real(self, *args)\n"
        "    self.app.exit()\n"
        "WeekScreen._show = show\n"
        "class Headless(app_module.PmWeekApp):\n"
        "    def run(self, **_):\n"
        "        return super().run(headless=True, size=(80, 24))\n"
        "app_module.PmWeekApp = Headless\n"
        f"main(['--db', {db!r}, '--date', '2026-11-23', '--user', {USER!r}])\n"
        "print(' '.join(shown[0]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    loaded = set(out.strip().splitlines()[-1].split())
    assert "pmweek.db.quick" in loaded  # it was the quick read that showed the list
    assert not {m for m in loaded if m.split(".")[0] in ("sqlalchemy", "sqlmodel")}
    assert not {"pmweek.domain.sheets", "pmweek.db.engine", "pmweek.db.tables"} & loaded


async def test_a_reload_while_ticks_wait_shows_them_ticked(held):
    """Coming back to the window (or r) before the data layer opens does not read the
    file, which does not hold the waiting ticks yet."""
    app, services, gate, path = held
    async with app.run_test(size=(110, 40)) as pilot:
        await _list_shown(pilot, app)
        first = _highlighted(app)
        await pilot.press("space", "r")
        await pilot.pause()
        assert app.screen.view.find_task(first).done
        gate.set()
        await until(pilot, lambda: services.checklist.task(first).done)
        await settle(pilot)
        assert app.screen.view.find_task(first).done


async def test_ticks_made_just_before_quitting_are_all_saved(held):
    """The PM ticks three lines and quits before the data layer has opened: once the app
    has closed, every tick is saved before the process ends."""
    app, services, gate, path = held
    async with app.run_test(size=(110, 40)) as pilot:
        await _list_shown(pilot, app)
        await pilot.press("space", "space", "space")
        ticked = [t.id for t in app.screen.view.day(1).tasks if t.done]
        assert len(ticked) == 3
        await pilot.press("q")
    gate.set()
    app.finish_saving()
    assert _done_in_file(path) == sorted(ticked)
    assert app.failure is None


async def test_a_waiting_tick_stays_a_tick_when_another_window_ticked_the_line(held):
    """The queue keeps what the PM meant: not a flip of whatever is stored by then."""
    app, services, gate, path = held
    async with app.run_test(size=(110, 40)) as pilot:
        await _list_shown(pilot, app)
        first = _highlighted(app)
        await pilot.press("space")
        services.checklist.toggle(first)  # another window ticks it meanwhile
        gate.set()
        await until(pilot, lambda: app.data_open)
        await settle(pilot)
        assert services.checklist.task(first).done
        assert [a for _, a, _ in services.checklist.history(first)] == ["done"]
        assert app.screen.view.find_task(first).done


async def test_what_the_screen_shows_after_queued_changes_is_what_is_stored(held):
    """A dismissal, then ticks, all before the data layer opens: once saved, the list on
    screen and the database agree line for line."""
    app, services, gate, path = held
    async with app.run_test(size=(110, 40)) as pilot:
        await _list_shown(pilot, app)
        first = _highlighted(app)
        await pilot.press("d")
        assert app.screen.view.find_task(first).dismissed_at is not None  # shown at once
        await pilot.press("down", "space", "space", "up", "space")
        gate.set()
        await until(pilot, lambda: app.data_open)
        await settle(pilot)
        stored = services.checklist.peek_week(W48, MON).day(1).tasks
        shown = app.screen.view.day(1).tasks
        assert [(t.id, t.done, t.dismissed_at is not None) for t in shown] == \
            [(t.id, t.done, t.dismissed_at is not None) for t in stored]
        assert services.checklist.task(first).dismissed_at is not None


async def test_changes_that_cannot_be_saved_are_said_when_the_app_leaves(held):
    from pmweek.errors import DatabaseError

    _, services, gate, path = held

    def refuse():
        gate.wait(10)
        raise DatabaseError("error.db_open", path=path, reason="database is locked")

    app = PmWeekApp(refuse, today=MON, lang="en",
                    peek=lambda week, today: quick_morning(path, USER, "en", None, week, today))
    async with app.run_test(size=(110, 40)) as pilot:
        await _list_shown(pilot, app)
        await pilot.press("space", "space")
        gate.set()
        await until(pilot, lambda: app.failure is not None)
    assert app.failure.startswith(t("app.changes_not_saved", count=2, reason="")[:20])
    assert "database is locked" in app.failure
    assert _done_in_file(path) == []


async def test_a_carried_item_dismissed_while_the_data_layer_loads_leaves_the_list_at_once(tmp_path):
    """As it does once loaded: the next keys act on the lines that stay, never on it."""
    # Opened on Tuesday with Monday's items left open: they are carried.
    app, services, gate, path = _gated(tmp_path, date(2026, 11, 24))
    try:
        async with app.run_test(size=(110, 60)) as pilot:
            await _list_shown(pilot, app)
            carried = app.screen.view.day(2).carried[0]
            checklist = app.screen.query_one(Checklist)
            for _ in range(60):
                if checklist.highlighted_option.id == f"t{carried.id}":
                    break
                await pilot.press("down")
            await pilot.press("d")
            assert f"t{carried.id}" not in [o.id for o in checklist.options]
            target = _highlighted(app)  # where the cursor went: a line that stays
            await pilot.press("space")
            gate.set()
            await until(pilot, lambda: app.data_open)
            await settle(pilot)
            assert services.checklist.task(carried.id).dismissed_at is not None
            assert not services.checklist.task(carried.id).done
            assert target != carried.id and services.checklist.task(target).done
    finally:
        gate.set()
        services.close()


async def test_a_key_pressed_while_a_new_week_opens_says_it_is_opening(tmp_path):
    """A week never opened waits for the data layer (it is created from the routine):
    a tick pressed meanwhile is not silently lost, it says the week is still opening."""
    app, services, gate, path = _gated(tmp_path, MON, stored=False)
    try:
        async with app.run_test(size=(110, 40)) as pilot:
            await pilot.pause()
            await pilot.press("space")
            assert any(n.message == t("app.loading") for n in app.said)
            gate.set()
            await _list_shown(pilot, app)
            await settle(pilot)
            assert _done_in_file(path) == []
    finally:
        gate.set()
        services.close()
