"""The Friday screen by keyboard, and the plan on next Monday."""

from datetime import date

from textual.widgets import Input

from pmweek.domain.calendar import Week
from pmweek.tui.screens.document import DocumentScreen, LineForm
from pmweek.tui.widgets.checklist import Checklist
from tests.conftest import settle
from tests.plans import add_plan_line, compile_plan, highlight_line

FRI, NEXT_MON = date(2026, 11, 27), date(2026, 11, 30)
W48 = Week(2026, 48)


def _lines(app):
    return [o.prompt.plain for o in app.screen.query_one("#document-lines").options]


async def test_friday_plan_opens_and_edits_are_saved(make_app, services):
    services.sheets.add("tickets", {"month": "2026-11", "category": "backup", "owner": "Li", "due": "2026-12-01"})
    app = make_app(FRI)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("p")  # the Friday screen (the cross-team item itself leads to the week's report)
        await settle(pilot)  # the compile runs in a worker
        assert isinstance(app.screen, DocumentScreen)
        assert any(line.startswith("☐ backup") for line in _lines(app))
        # Add a cross-team need: text, team, due date; Enter moves on and saves at the end.
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, LineForm)
        await pilot.press(*"GUI screenshots", "enter", *"GUI team", "enter", *"2026-12-03", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DocumentScreen)
        plan = services.documents.plan_made_in(W48)
        (line,) = plan.section("cross_team")
        assert (line.text, line.owner, line.due) == ("GUI screenshots", "GUI team", date(2026, 12, 3))
        # Priority and drop on the highlighted line.
        await pilot.press("1")
        await settle(pilot)
        assert services.documents.plan_made_in(W48).section("cross_team")[0].priority == 1
        await pilot.press("d")
        await settle(pilot)
        assert services.documents.plan_made_in(W48).section("cross_team")[0].dropped
        # Compiling again keeps all of it.
        await pilot.press("r")
        await settle(pilot)  # the compile runs in a worker
        kept = services.documents.plan_made_in(W48).section("cross_team")[0]
        assert (kept.priority, kept.dropped, kept.text) == (1, True, "GUI screenshots")


async def test_editing_a_line_keeps_typed_text_when_refused(make_app, services):
    app = make_app(FRI)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)  # the compile runs in a worker
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"book room", "enter", "enter", *"2026-13-01", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, LineForm)
        assert "not a date" in str(app.screen.query_one("#form-error").render())
        assert app.screen.query_one("#f-text", Input).value == "book room"
        assert services.documents.plan_made_in(W48).section("added") == []


async def test_next_monday_shows_the_plan_lines_to_tick(make_app, services):
    services.checklist.open_week(W48, FRI)
    compile_plan(services, FRI)
    add_plan_line(services, FRI, "added", "book the offsite room")
    app = make_app(NEXT_MON)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        checklist = app.screen.query_one(Checklist)
        prompts = [o.prompt.plain for o in checklist.options]
        index = next(i for i, p in enumerate(prompts) if "▸ ☐ book the offsite room" in p)
        assert prompts[0].startswith("☐ Review last week's plan")
        checklist.highlighted = index
        await pilot.press("space")
        await settle(pilot)
        (line,) = services.documents.plan_made_in(W48).section("added")
        assert line.done
        assert "▸ ☑ book the offsite room" in checklist.options[index].prompt.plain


async def test_on_monday_the_plan_screen_shows_the_plan_in_force(make_app, services):
    """Until the week's last workday the plan screen shows the plan made last Friday for
    this week, its heading saying which week and when it was compiled; r starts next week's."""
    services.checklist.open_week(W48, FRI)
    compile_plan(services, FRI)
    add_plan_line(services, FRI, "added", "book the offsite room")
    app = make_app(NEXT_MON)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, DocumentScreen) and app.screen.period == str(W48)
        assert app.screen.title == "Plan for 2026-11-30 – 2026-12-04 (week 49)"
        assert "compiled 2026-11-" in str(app.screen.query_one("#document-meta").render())
        assert any("book the offsite room" in line for line in _lines(app))
        assert services.documents.plan_made_in(Week(2026, 49)) is None  # opening it compiled nothing
        await pilot.press("a", *"call the GUI team", "ctrl+s")  # a line into the plan in force
        await settle(pilot)
        assert [ln.text for ln in services.documents.plan_made_in(W48).section("added")][-1] == "call the GUI team"
        await pilot.press("r")  # next week's, compiled
        await settle(pilot)
        assert app.screen.period == str(Week(2026, 49)) and services.documents.plan_made_in(Week(2026, 49)) is not None
        assert app.screen.title == "Plan for 2026-12-07 – 2026-12-11 (week 50)"


async def test_with_no_plan_made_last_week_monday_says_so(make_app, services):
    app = make_app(NEXT_MON)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        meta = str(app.screen.query_one("#document-meta").render())
        assert "No plan was compiled in week 48 for the week after." in meta and "r compiles the plan for next week" in meta
        assert services.documents.plan_made_in(W48) is None and services.documents.plan_made_in(Week(2026, 49)) is None


async def test_a_plan_kept_from_schema_8_shows_on_its_screen_and_ticks_off(tmp_path):
    """The plan the plan's own screen wrote before the fold (fixture of schema 8) opens
    on the one document screen with every mark; space ticks a line, as Monday does."""
    import shutil
    from pathlib import Path

    from pmweek.services import open_services
    from pmweek.tui.app import PmWeekApp

    path = tmp_path / "pm.db"
    shutil.copy(Path(__file__).parents[1] / "fixtures" / "pmweek-schema-v8.db", path)
    services = open_services(f"sqlite:///{path}", user="pm")
    app = PmWeekApp(lambda: services, today=NEXT_MON, lang="en")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("p")
            await settle(pilot)
            assert app.screen.title == "Plan for 2026-11-30 – 2026-12-04 (week 49)"
            lines = _lines(app)
            assert "☐ P1 launch v2 docs  due 2026-12-02" in lines
            assert "☐ P2 sync pricing with sales and support  owner: Chen  ✎" in lines  # the PM's own words
            assert "☐ perf  owner: Wang; due 2026-11-20; overdue" in lines
            assert any(line.startswith("☐ ACME (spend 120): top bank") and line.endswith("dropped") for line in lines)
            highlight_line(app, "launch v2")
            await pilot.press("space")
            await settle(pilot)
            assert "☑ P1 launch v2 docs  due 2026-12-02" in _lines(app)
        (done,) = [ln for ln in services.documents.plan_for(Week(2026, 49)).lines if ln.done]
        assert done.text == "launch v2 docs"
    finally:
        services.close()


async def test_a_correction_of_one_field_leaves_the_others_as_compiled(make_app, services):
    """Giving a compiled line a date changes its date only: its words still follow the
    data (a ticket renamed in its table reads anew), and the date stays through a compile."""
    services.sheets.add("tickets", {"month": "2026-11", "category": "backup", "owner": "Li", "due": "2026-12-01"})
    app = make_app(FRI)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        highlight_line(app, "backup")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LineForm)
        due = app.screen.query_one("#f-due", Input)
        due.value = "2026-12-03"
        await pilot.press("ctrl+s")
        await settle(pilot)
        services.sheets.edit("tickets", 1, {"category": "backup and restore"})
        await pilot.press("r")
        await settle(pilot)
        (line,) = services.documents.plan_made_in(W48).section("tickets")
        assert (line.text, line.owner, line.due, line.text_edited) == ("backup and restore", "Li", date(2026, 12, 3),
                                                                        False)


async def test_a_change_is_made_off_the_event_loop_in_order_and_kept_when_leaving(make_app, services):
    """A tick and a priority on a database that answers slowly: the screen keeps taking
    keys meanwhile (Escape leaves at once), the changes are stored in the order made, and
    quitting while one still waits stores it before the database closes."""
    import threading

    services.sheets.add("tickets", {"month": "2026-11", "category": "backup", "owner": "Li", "due": "2026-12-01"})
    compile_plan(services, FRI)
    gate, made = threading.Event(), []
    app = make_app(FRI)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        used = app.services.documents
        for name in ("toggle_done", "set_priority"):
            def slow(*args, _name=name, _real=getattr(used, name)):  # noqa: ANN002, ANN202
                gate.wait(10)
                made.append(_name)
                return _real(*args)
            setattr(used, name, slow)
        await pilot.press("p")
        await settle(pilot)
        highlight_line(app, "backup")
        await pilot.press("space", "2", "escape")  # the database still busy with the first
        await pilot.pause()
        assert not isinstance(app.screen, DocumentScreen) and made == []
        gate.set()
        await settle(pilot)
        assert made == ["toggle_done", "set_priority"]
        (line,) = services.documents.plan_made_in(W48).section("tickets")
        assert line.done and line.priority == 2
        gate.clear()
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("space")  # untick, then quit at once
        threading.Timer(0.3, gate.set).start()
    (line,) = services.documents.plan_made_in(W48).section("tickets")
    assert not line.done and made[-1] == "toggle_done"
