"""The annual plan's screens: a risk reviewed from the ledger shows how it moved; risks
past their review date are said on today's view; the roadmap shows each quarter's
releases and the requests aimed at it, and moves by year."""

from datetime import date

from textual.widgets import DataTable, Input, Static

from pmweek.tui.screens.plans import RISK_COLUMNS, RiskScreen, RoadmapScreen
from tests.conftest import settle, until

TODAY = date(2027, 1, 6)


def _risks(services):
    add = services.sheets.add
    late = add("risks", {"risk": "Key engineer leaves", "likelihood": "2", "severity": "4",
                         "next_review": "2027-01-04"})[0]
    add("risks", {"risk": "Price war", "likelihood": "1", "severity": "2", "next_review": "2027-02-01"})
    add("risks", {"risk": "Old and closed", "likelihood": "5", "severity": "5", "status": "closed",
                  "next_review": "2026-01-01"})
    return late


async def test_reviewing_a_risk_shows_how_it_moved(make_app, services):
    late = _risks(services)
    app = make_app(TODAY)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        await until(pilot, lambda: "past its review date" in str(app.screen.query_one("#notice", Static).render()))
        notice = str(app.screen.query_one("#notice", Static).render())
        assert "1 risk past its review date" in notice and "Key engineer leaves" in notice
        await pilot.press("L")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RiskScreen)
        assert [r.values["risk"] for r in screen.rows] == ["Key engineer leaves", "Price war"]  # by score, open only
        for likelihood, day in (("2", "2027-01-13"), ("4", "2027-01-20")):
            await pilot.press("v")
            await settle(pilot)
            form = app.screen
            assert form.query_one("#f-severity", Input).value == "4"  # filled with the scores it has
            form.query_one("#f-likelihood", Input).value = likelihood
            form.query_one("#f-next_review", Input).value = day
            await pilot.press("ctrl+s")
            await settle(pilot)
        assert isinstance(app.screen, RiskScreen)
        table = screen.query_one(DataTable)
        row = [str(c) for c in table.get_row(str(late))]
        assert row[RISK_COLUMNS.index("change")] == "▲8" and row[RISK_COLUMNS.index("risk_score")] == "16"
        assert row[RISK_COLUMNS.index("next_review")] == "2027-01-20"  # no longer past due
        await pilot.press("c")
        await settle(pilot)
        assert [r.values["risk"] for r in screen.rows][-1] == "Old and closed"


async def test_the_roadmap_board(make_app, services):
    services.sheets.add("releases", {"name": "PITR", "planned": "2027-02-10"})
    services.sheets.add("releases", {"name": "Logical backup", "planned": "2026-11-10", "released": "2026-11-12"})
    services.sheets.add("requests", {"title": "Vector search", "reach": "2000", "impact": "2", "confidence": "80",
                                     "effort": "4", "quarter": "2027-Q1"})
    app = make_app(TODAY)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("M")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RoadmapScreen) and screen.year == "2027"
        q1 = str(screen.query_one("#q1", Static).render())
        assert "○ 02-10 PITR" in q1 and "• Vector search (800)" in q1
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert "✓ 11-10 Logical backup" in str(screen.query_one("#q4", Static).render())


async def test_a_refused_review_is_said_in_view_at_80x24(make_app, services):
    _risks(services)
    app = make_app(TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("L")
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        form = app.screen
        form.query_one("#f-likelihood", Input).value = "9"
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = form.query_one("#form-error", Static)
        assert "from 1 to 5" in str(error.render())
        assert 0 <= error.region.y < 24 and error.region.height > 0  # on screen, where the eye is


async def test_the_annual_plan_moves_by_year(make_app, services):
    from pmweek.tui.screens.document import DocumentScreen

    app = make_app(date(2026, 12, 28))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("Y")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DocumentScreen) and screen.period == "2027"  # next year's, from December
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert screen.period == "2026" and screen.document.period == "2026"
