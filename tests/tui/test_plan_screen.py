"""The Friday screen by keyboard, and the plan on next Monday."""

from datetime import date

from textual.widgets import Input

from pmweek.domain.calendar import Week
from pmweek.tui.screens.plan import PlanLineForm, PlanScreen
from pmweek.tui.widgets.checklist import Checklist
from tests.conftest import settle

FRI, NEXT_MON = date(2026, 11, 27), date(2026, 11, 30)
W48 = Week(2026, 48)


def _lines(app):
    return [o.prompt.plain for o in app.screen.query_one("#plan-lines").options]


async def test_friday_plan_opens_and_edits_are_saved(make_app, services):
    services.sheets.add("tickets", {"month": "2026-11", "category": "backup", "owner": "Li", "due": "2026-12-01"})
    app = make_app(FRI)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("p")  # the Friday screen (the cross-team item itself leads to the week's report)
        await settle(pilot)  # the compile runs in a worker
        assert isinstance(app.screen, PlanScreen)
        assert any(line.startswith("☐ backup") for line in _lines(app))
        # Add a cross-team need: text, team, due date; Enter moves on and saves at the end.
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, PlanLineForm)
        await pilot.press(*"GUI screenshots", "enter", *"GUI team", "enter", *"2026-12-03", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen)
        plan = services.plan.plan(W48)
        (line,) = plan.section("cross_team")
        assert (line.text, line.owner, line.due) == ("GUI screenshots", "GUI team", date(2026, 12, 3))
        # Priority and drop on the highlighted line.
        await pilot.press("1")
        await settle(pilot)
        assert services.plan.plan(W48).section("cross_team")[0].priority == 1
        await pilot.press("d")
        await settle(pilot)
        assert services.plan.plan(W48).section("cross_team")[0].dropped
        # Compiling again keeps all of it.
        await pilot.press("c")
        await settle(pilot)  # the compile runs in a worker
        kept = services.plan.plan(W48).section("cross_team")[0]
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
        assert isinstance(app.screen, PlanLineForm)
        assert "not a date" in str(app.screen.query_one("#form-error").render())
        assert app.screen.query_one("#f-plan_text", Input).value == "book room"
        assert services.plan.plan(W48).section("added") == []


async def test_next_monday_shows_the_plan_lines_to_tick(make_app, services):
    services.checklist.open_week(W48, FRI)
    services.plan.compile(FRI)
    services.plan.add_line(FRI, "added", "book the offsite room")
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
        (line,) = services.plan.plan(W48).section("added")
        assert line.done
        assert "▸ ☑ book the offsite room" in checklist.options[index].prompt.plain


async def test_on_monday_the_plan_screen_shows_the_plan_in_force(make_app, services):
    """Until the week's last workday the plan screen shows the plan made last Friday for
    this week, its heading saying which week and when it was compiled; c starts next week's."""
    services.checklist.open_week(W48, FRI)
    services.plan.compile(FRI)
    services.plan.add_line(FRI, "added", "book the offsite room")
    app = make_app(NEXT_MON)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(app.screen, PlanScreen) and app.screen.week == W48
        assert app.screen.title == "Plan for 2026-11-30 – 2026-12-04 (week 49)"
        assert "compiled 2026-11-" in str(app.screen.query_one("#plan-meta").render())
        assert any("book the offsite room" in line for line in _lines(app))
        assert services.plan.plan(Week(2026, 49)) is None  # opening it compiled nothing
        await pilot.press("a", *"call the GUI team", "ctrl+s")  # a line into the plan in force
        await settle(pilot)
        assert [ln.text for ln in services.plan.plan(W48).section("added")][-1] == "call the GUI team"
        await pilot.press("c")  # next week's, compiled
        await settle(pilot)
        assert app.screen.week == Week(2026, 49) and services.plan.plan(Week(2026, 49)) is not None
        assert app.screen.title == "Plan for 2026-12-07 – 2026-12-11 (week 50)"


async def test_with_no_plan_made_last_week_monday_says_so(make_app, services):
    app = make_app(NEXT_MON)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        meta = str(app.screen.query_one("#plan-meta").render())
        assert "No plan was compiled in week 48." in meta and "c compiles the plan for week 50" in meta
        assert services.plan.plan(W48) is None and services.plan.plan(Week(2026, 49)) is None
