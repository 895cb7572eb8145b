"""The OKR screen: objectives with their key results and tasks, a key result added and
scored by keyboard, a refused score kept on screen, a typed task ticked, and the
quarterly report opened from it with the PM's settings text at its head."""

from datetime import date

from textual.widgets import Input, OptionList, Static, TextArea

from pmweek.tui.screens.document import DocumentScreen
from pmweek.tui.screens.okrs import OKRScreen, ScoreForm
from pmweek.tui.screens.row_form import RowForm
from tests.conftest import settle
from tests.services.test_quarterly_report import GROW, _quarter

DAY = date(2027, 1, 6)


def _prompts(screen) -> list[str]:
    listing = screen.query_one(OptionList)
    return [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]


async def _okrs(pilot, quarter="2026-Q4"):
    await settle(pilot)
    await pilot.press("k")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, OKRScreen)
    while screen.quarter != quarter:
        await pilot.press("left_square_bracket")
        await settle(pilot)
    return screen


async def test_add_a_key_result_and_score_it(make_app, services):
    _quarter(services)
    app = make_app(DAY)
    async with app.run_test(size=(100, 36)) as pilot:
        screen = await _okrs(pilot)
        prompts = _prompts(screen)
        assert prompts[0].startswith(f"O  {GROW} (user value)")
        assert "KR Users  300 → 400  now 360" in prompts[1] and "60%" in prompts[1]
        # On the objective, `a` opens the goal form for this quarter and objective.
        screen.query_one(OptionList).highlighted = 0
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, RowForm) and form.sheet.name == "goals"
        assert form.query_one("#f-period", Input).value == "2026-Q4"
        assert form.query_one("#f-objective", Input).value == GROW
        form.query_one("#f-metric", Input).value = "conversions"
        form.query_one("#f-goal_start", Input).value = "10"
        form.query_one("#f-goal_target", Input).value = "20"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, OKRScreen)
        (objective,) = [o for o in services.okrs.objectives("2026-Q4", DAY) if o.text == GROW]
        new = objective.krs[-1].goal
        assert (new.metric, new.start, new.target) == ("conversions", 10, 20)
        listing = screen.query_one(OptionList)
        assert listing.highlighted_option.id == f"k{new.id}"  # the new key result is highlighted
        # Score it: a refused score stays in the form with the reason; a good one is kept.
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ScoreForm)
        app.screen.query_one("#f-score", Input).value = "1.5"
        app.screen.query_one("#f-review", TextArea).text = "no campaign this quarter"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ScoreForm)
        assert "not a score from 0 to 1" in str(app.screen.query_one("#form-error", Static).render())
        app.screen.query_one("#f-score", Input).value = "30%"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, OKRScreen)
        scored = services.sheets.row("goals", new.id).values
        assert (scored["score"], scored["review"]) == (0.3, "no campaign this quarter")
        assert "score 0.3" in str(listing.highlighted_option.prompt)


async def test_tick_a_typed_task_and_open_the_report(make_app, services):
    _, tasks = _quarter(services)
    app = make_app(DAY)
    async with app.run_test(size=(100, 36)) as pilot:
        screen = await _okrs(pilot)
        listing = screen.query_one(OptionList)
        listing.highlighted = listing.get_option_index(f"t{tasks['typed']}")
        assert "☐ Interview ten users" in str(listing.highlighted_option.prompt)
        await pilot.press("space")
        await settle(pilot)
        assert "✓ Interview ten users" in str(listing.highlighted_option.prompt)
        assert services.sheets.row("tasks", tasks["typed"]).values["status"] == "done"
        # A task that follows a release cannot be ticked by hand: the reason is shown.
        listing.highlighted = listing.get_option_index(f"t{tasks['release']}")
        await pilot.press("space")
        await settle(pilot)
        assert services.sheets.row("tasks", tasks["release"]).values["status"] == "open"
        await pilot.press("R")
        await settle(pilot)
        report = app.screen
        assert isinstance(report, DocumentScreen) and report.period == "2026-Q4"
        assert [ln.text or ln.facts.get("text") for ln in report.document.section("responsibilities")] == [
            "Own the backup product line", "Grow self-serve revenue"]


async def test_responsibilities_are_typed_in_settings(make_app, services):
    app = make_app(DAY)
    async with app.run_test(size=(100, 36)) as pilot:
        await settle(pilot)
        await pilot.press("comma")
        await settle(pilot)
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one(TextArea).text = "Own the console\nGrow the partner channel"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert services.documents.responsibilities() == ["Own the console", "Grow the partner channel"]
