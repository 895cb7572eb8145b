"""The trends screen: opened from the week (g) and the tables, charts picked by key,
the range moved and resized, the plotting library loaded only when it opens; the
monthly summary opened from the week (m), its missed goals flagged."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

from pmweek.tui.screens.document import DocumentScreen
from pmweek.tui.screens.trends import TrendsScreen
from tests.conftest import settle

TODAY = date(2026, 11, 25)


def _revenue(services) -> None:
    for i, month in enumerate(("2025-06", "2025-12", "2026-06", "2026-10", "2026-11")):
        services.sheets.add("revenue", {"month": month, "cash": str(100 + i * 10), "forecast": "120",
                                        "users": str(300 + i), "instances": str(500 + i)})


async def test_pick_a_chart_and_change_its_range(make_app, services):
    _revenue(services)
    app = make_app(TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, TrendsScreen)
        # Twelve months up to this one: the months with figures in them, and only those.
        assert (screen.first, screen.last, screen.span) == ("2025-12", "2026-11", 12)
        assert screen.chart.name == "revenue" and screen.chart.months == ("2025-12", "2026-06", "2026-10", "2026-11")
        assert screen.chart.series[0].values == (110, 120, 130, 140)
        await pilot.press("plus")  # two years
        await settle(pilot)
        assert screen.span == 24 and screen.chart.months[0] == "2025-06"
        await pilot.press("minus", "minus")  # six months
        await settle(pilot)
        assert (screen.first, screen.chart.months) == ("2026-06", ("2026-06", "2026-10", "2026-11"))
        await pilot.press("left_square_bracket")  # a month earlier: November leaves the range
        await settle(pilot)
        assert (screen.last, screen.chart.months) == ("2026-10", ("2026-06", "2026-10"))
        await pilot.press("right_square_bracket", "right_square_bracket")  # never past this month
        await settle(pilot)
        assert screen.last == "2026-11"
        await pilot.press("tab")
        await settle(pilot)
        assert screen.chart.name == "users" and screen.chart.series[1].values == (502, 503, 504)
        await pilot.press("4")
        await settle(pilot)
        assert screen.chart.name == "conversion" and screen.chart.empty  # no campaigns typed
        assert "No figures recorded" in str(screen.query_one("#trends-range").render())
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, TrendsScreen)


async def test_the_tables_screen_opens_the_trends_too(make_app, services):
    app = make_app(TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("b", "5")  # the revenue table
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, TrendsScreen) and app.screen.chart.empty


async def test_the_monthly_summary_from_the_week(make_app, services):
    services.sheets.add("revenue", {"month": "2026-10", "cash": "90"})
    services.sheets.add("goals", {"period": "2026-10", "metric": "cash", "goal_target": "100"})
    app = make_app(date(2026, 11, 5))  # early November: October is the month being summed up
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DocumentScreen) and screen.period == "2026-10"
        (goal,) = screen.document.section("goals")
        assert goal.facts["flagged"]
        prompt = screen._prompt(goal, "en")
        assert "⚑ no reason given" in prompt.plain and any("red" in str(s.style) for s in prompt.spans)


def test_the_app_starts_without_the_plotting_library():
    code = ("import pmweek.tui.app, pmweek.tui.screens.week, pmweek.tui.screens.table, pmweek.cli\n"
            "import sys\nprint(' '.join(sys.modules))")
    loaded = set(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.split())
    assert "pmweek.tui.app" in loaded
    assert not {"plotext", "textual_plotext", "pmweek.export.plot"} & loaded
