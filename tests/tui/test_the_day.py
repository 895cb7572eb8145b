"""What pmweek takes from the clock when no --date is given: the week it opens, the plan
in force, a report's default period, the month-end notice. Tried on the days that hurt:
a month's and a year's last day, ISO week 53 of 2026 and week 1 of 2027, 2028-02-29, a
Sunday, and the Spring Festival of 2026 with its make-up Saturday."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from textual.widgets import Tabs

from pmweek.cli import main
from pmweek.domain.calendar import Week
from tests.conftest import settle

# day, calendar | week opened, its tab | plan in force | month, quarter, year drafted | month-end notice
DAYS = [
    ("2026-12-31", "none", "2026-W53", "d4", "2026-W53", "2026-12", "2026-Q4", "2027", True),
    ("2027-01-01", "none", "2026-W53", "d5", "2027-W01", "2026-12", "2026-Q4", "2027", False),
    ("2027-01-04", "none", "2027-W01", "d1", "2027-W01", "2026-12", "2026-Q4", "2027", False),
    ("2028-02-29", "none", "2028-W09", "d2", "2028-W09", "2028-02", "2028-Q1", "2028", True),
    ("2026-12-06", "none", "2026-W49", "d5", "2026-W50", "2026-11", "2026-Q4", "2027", False),
    ("2026-11-30", "none", "2026-W49", "d1", "2026-W49", "2026-11", "2026-Q4", "2026", True),
    # Spring Festival 2026: Saturday 02-14 is worked, the last workday before the holiday.
    ("2026-02-14", "cn", "2026-W07", "d6", "2026-W08", "2026-01", "2026-Q1", "2026", False),
    ("2026-02-13", "cn", "2026-W07", "d5", "2026-W08", "2026-01", "2026-Q1", "2026", False),
]
IDS = [f"{d[0]}-{d[1]}" for d in DAYS]


def _at(wall_clock, day: str) -> None:
    wall_clock.move_to(datetime.fromisoformat(f"{day} 09:00"))


@pytest.mark.parametrize(("day", "calendar", "week", "tab", "plan", "month", "quarter", "year", "month_end"),
                         DAYS, ids=IDS)
def test_exports_without_a_date_take_today_from_the_clock(
    day, calendar, week, tab, plan, month, quarter, year, month_end, wall_clock, tmp_path, capsys,
):
    _at(wall_clock, day)
    db = str(tmp_path / "pm.db")
    assert main(["--db", db, "add", "campaigns", "--campaign", "Launch"]) == 0  # filed under today's month
    capsys.readouterr()

    def first_line(*args: str) -> str:
        assert main(["--db", db, "--calendar", calendar, *args]) == 0
        return capsys.readouterr().out.splitlines()[0]

    assert first_line("export", "week").startswith(f"# Week {week} ")
    planned = Week.parse(plan)  # named by its work days and number
    if planned.previous == Week.of(date.fromisoformat(day)):  # the plan in force is made this week
        assert first_line("export", "plan") == (f"# Plan for {planned.monday} – {planned.day(5)} "
                                               f"(week {planned.number})")
    else:  # the one made last week for this one, which nobody made: said, not drafted
        assert main(["--db", db, "--calendar", calendar, "export", "plan"]) == 2
        assert f"no Friday plan was compiled in {planned.previous}" in capsys.readouterr().err
    assert first_line("export", "report", "month").startswith(f"# Monthly summary, {month} ")
    assert first_line("export", "report", "quarter").startswith(f"# Quarterly report, {quarter} ")
    assert first_line("export", "report", "year").startswith(f"# Annual plan, {year} ")
    assert main(["--db", db, "export", "table", "campaigns"]) == 0  # this month's rows by default
    assert f"| {day[:7]} | Launch |" in capsys.readouterr().out


@pytest.mark.parametrize(("day", "calendar", "week", "tab", "plan", "month", "quarter", "year", "month_end"),
                         DAYS, ids=IDS)
async def test_the_first_run_opens_on_today(
    day, calendar, week, tab, plan, month, quarter, year, month_end, wall_clock, tmp_path, monkeypatch,
):
    """`pmweek` on a new database: today's week from the shipped routine, today's tab
    (or the week's last workday on a day off), and on a month's last workday the
    reminder to write its summary."""
    import pmweek.tui.app as app_module

    _at(wall_clock, day)
    made = []

    class Kept(app_module.PmWeekApp):
        def run(self, **_):  # the test runs it below, under its pilot
            made.append(self)

    monkeypatch.setattr(app_module, "PmWeekApp", Kept)
    assert main(["--db", str(tmp_path / "pm.db"), "--calendar", calendar]) == 0
    app = made[0]
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        assert app.screen.week == Week.parse(week)
        assert app.screen.query_one(Tabs).active == tab
        assert app.screen.view.stored and any(d.tasks for d in app.screen.view.days)  # the routine
        notice = str(app.screen.query_one("#notice").render())
        assert ("m drafts the monthly summary" in notice) is month_end, notice
