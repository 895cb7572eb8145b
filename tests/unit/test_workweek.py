"""Spreading the routine over a week's real workdays (pure rules)."""

import pytest

from pmweek.domain.workweek import assign_routine


@pytest.mark.parametrize(
    ("workdays", "expected"),
    [
        ([1, 2, 3, 4, 5], {1: (1,), 2: (2,), 3: (3,), 4: (4,), 5: (5,)}),
        ([2, 3, 4, 5], {2: (1, 2), 3: (3,), 4: (4,), 5: (5,)}),  # Monday off
        ([1, 2, 3, 4], {1: (1, 2), 2: (3,), 3: (4,), 4: (5,)}),  # Friday off
        ([4, 5, 6], {4: (1, 2), 5: (3, 4), 6: (5,)}),  # holidays, then a make-up Saturday
        ([1, 2], {1: (1, 2, 3), 2: (4, 5)}),
        ([3], {3: (1, 2, 3, 4, 5)}),
        # A make-up day in a full week carries no routine of its own: Friday's stays on Friday.
        ([1, 2, 3, 4, 5, 7], {1: (1,), 2: (2,), 3: (3,), 4: (4,), 5: (5,), 7: ()}),
        ([1, 2, 3, 4, 5, 6], {1: (1,), 2: (2,), 3: (3,), 4: (4,), 5: (5,), 6: ()}),
        ([2, 3, 4, 5, 6, 7], {2: (1,), 3: (2,), 4: (3,), 5: (4,), 6: (5,), 7: ()}),  # Monday off, two make-ups
    ],
)
def test_every_routine_day_lands_once_in_order(workdays, expected):
    assignment = assign_routine(workdays)
    assert assignment == expected
    carried = [r for day in sorted(assignment) for r in assignment[day]]
    assert sorted(set(carried)) == [1, 2, 3, 4, 5]  # none dropped
    assert carried[0] == 1 and carried[-1] == 5  # Monday's first, Friday's last


def test_a_week_all_off_carries_no_routine():
    assert assign_routine([]) == {}  # nothing lands on a holiday


def test_every_week_of_the_official_chinese_calendar_holds_each_routine_day_once_on_a_workday():
    """2019–2026 with the calendar package's own schedules (Spring Festival, National Day
    and their make-up weekends): in every week with a workday, each routine day lands
    once, on a workday, Monday's first and Friday's last; a week all off carries none;
    the plan in force turns on the day carrying Friday's routine."""
    from datetime import date

    from pmweek.calendars import WorkCalendar
    from pmweek.domain.calendar import Week

    calendar = WorkCalendar("cn")
    week, weeks = Week.of(date(2019, 1, 7)), 0
    while week.monday.year <= 2026:
        work = calendar.week(week)
        assignment = work.assignment()
        carried = [(day, r) for day in sorted(assignment) for r in assignment[day]]
        assert all(work.info(day).workday for day, _ in carried), week
        if work.workdays:
            assert [r for _, r in carried] == [1, 2, 3, 4, 5], (week, assignment)
            friday = next(day for day, r in carried if r == 5)
            assert work.plan_week(week.day(friday)) == week
            if friday > 1:
                assert work.plan_week(week.day(friday - 1)) == week.previous
        else:
            assert carried == [], week
        week, weeks = week.next, weeks + 1
    assert weeks > 410


def test_the_2026_spring_festival_weeks():
    """W07: Friday's routine on Friday 02-13, the make-up Saturday with none of it;
    W08, all holiday, with nothing on its days."""
    from pmweek.calendars import WorkCalendar
    from pmweek.domain.calendar import Week

    calendar = WorkCalendar("cn")
    assert calendar.week(Week(2026, 7)).assignment() == {1: (1,), 2: (2,), 3: (3,), 4: (4,), 5: (5,), 6: ()}
    assert calendar.week(Week(2026, 8)).assignment() == {}
