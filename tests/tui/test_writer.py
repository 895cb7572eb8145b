"""The app's one writer, tried as a careless or hostile user would: a palette opened
over a form while it saves, quitting while the database refuses, a window showing a
plan line stale."""

import threading
from datetime import date

from pmweek.errors import DatabaseError
from pmweek.tui.screens.row_form import RowForm
from pmweek.tui.screens.table import TableScreen
from tests.conftest import settle
from tests.plans import compile_plan, open_plan_at

FRI = date(2026, 11, 27)


def _slow(used, name: str, gate: threading.Event) -> None:
    real = getattr(used, name)

    def slow(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - a database far away
        gate.wait(10)
        return real(*args, **kwargs)

    setattr(used, name, slow)


async def test_a_palette_opened_over_a_form_while_it_saves_is_not_the_one_closed(make_app, services):
    """The row is stored once; the form closes when it is on top again; no crash."""
    gate = threading.Event()
    app = make_app(FRI)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("b", "2")
        await settle(pilot)
        _slow(app.services.sheets, "add", gate)
        await pilot.press("a", *"Webinar", "ctrl+s")
        await pilot.press("ctrl+p")  # the palette, over the form still saving
        await pilot.pause()
        gate.set()
        await settle(pilot)
        assert app.screen.id == "--command-palette"  # still open: the form did not close it
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TableScreen) and not isinstance(app.screen, RowForm)
        await pilot.press("ctrl+s")  # nothing to save twice
        await settle(pilot)
        assert app.is_running
    rows = services.sheets.rows("campaigns", None, None, FRI)
    assert [r.values["campaign"] for r in rows] == ["Webinar"]


async def test_changes_refused_while_the_app_leaves_are_said_with_a_failing_exit(make_app, services):
    app = make_app(FRI)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)

        def refuse(*_args):  # noqa: ANN002, ANN202 - the file locked by another program for good
            raise DatabaseError("error.db_open", path="pm.db", reason="database is locked")

        app.services.checklist.set_done = refuse
        gate = threading.Event()
        _slow(app.services.checklist, "set_done", gate)
        await pilot.press("space", "space", "space")
        threading.Timer(0.2, gate.set).start()
        app.exit()
    assert app.failure is not None and "3 changes" in app.failure and "database is locked" in app.failure


async def test_a_plan_line_dropped_in_a_window_showing_it_stale_stays_dropped(make_app, services):
    """Another window ticked and dropped the line; this one, still showing it open and
    kept, presses d: what the PM here meant (dropped) is stored, not a flip of what the
    other window did; its tick is left as it is."""
    services.sheets.add("tickets", {"month": "2026-11", "category": "backup", "owner": "Li", "due": "2026-12-01"})
    compile_plan(services, FRI)
    app = make_app(FRI)
    async with app.run_test(size=(120, 40)) as pilot:
        line_id = await open_plan_at(pilot, "backup")
        services.documents.toggle_done(line_id, True)  # the other window
        services.documents.toggle_dropped(line_id, True)
        await pilot.press("d")
        await settle(pilot)
    (line,) = services.documents.plan_made_in(compile_plan(services, FRI).week).section("tickets")
    assert line.done and line.dropped


async def test_the_week_read_again_while_another_program_holds_the_file_is_said_not_fatal(make_app, services):
    app = make_app(FRI)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)

        def locked(*_args, **_kwargs):  # noqa: ANN002, ANN003, ANN202
            raise DatabaseError("error.db_open", path="pm.db", reason="database is locked")

        app.services.checklist.open_week = locked
        await pilot.press("r")
        await settle(pilot)
        assert app.is_running and app.failure is None
        assert any("database is locked" in str(said.message) for said in app.said)
