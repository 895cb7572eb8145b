"""The real work week: which days of an ISO week are worked, and which routine day
(Monday's … Friday's items) each workday carries.

Public holidays and make-up workdays move the routine: Monday's routine lands on the
week's first workday and Friday's (with the plan compile) on its last; in a short week
the missing days' items are merged into the remaining days in order, never dropped; a
make-up weekend day gets a checklist. The calendar itself (official schedules, the
user's own days) is looked up through a function, so this stays pure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from pmweek.domain.calendar import WORKDAYS, Week

# (is it worked?, the holiday's name when it is a holiday or a make-up day for one)
DayLookup = Callable[[date], tuple[bool, str | None]]

ROUTINE_DAYS = WORKDAYS  # Monday's … Friday's part of the routine


@dataclass(frozen=True)
class DayInfo:
    date: date
    workday: bool
    holiday: str | None = None  # the holiday it belongs to (off, or a make-up day)

    @property
    def weekday(self) -> int:
        return self.date.isoweekday()

    @property
    def weekend(self) -> bool:
        return self.weekday > 5

    @property
    def makeup(self) -> bool:
        """A weekend day worked in exchange for a holiday."""
        return self.workday and self.weekend

    @property
    def day_off(self) -> bool:
        """A weekday that is not worked: a public holiday (or the user's day off)."""
        return not self.workday and not self.weekend


@dataclass(frozen=True)
class WorkWeek:
    week: Week
    days: tuple[DayInfo, ...]  # Monday … Sunday
    official: bool = True  # False: no official schedule for this year, plain Monday–Friday

    @property
    def workdays(self) -> list[int]:
        return [d.weekday for d in self.days if d.workday]

    @property
    def shown(self) -> list[DayInfo]:
        """The days a week view shows: Monday to Friday, and any weekend day worked."""
        return [d for d in self.days if not d.weekend or d.workday]

    def info(self, weekday: int) -> DayInfo:
        return self.days[weekday - 1]

    def assignment(self) -> dict[int, tuple[int, ...]]:
        """Workday (ISO weekday) -> the routine days it carries, in order."""
        return assign_routine(self.workdays)

    def plan_week(self, today: date) -> Week:
        return plan_in_force(self.week, self.workdays, today)

    def day_for(self, today: date) -> int:
        """The weekday to open for ``today``: itself when worked, else the last workday
        before it in this week, else the first one after it; Friday if none is worked."""
        weekday = today.isoweekday()
        worked = self.workdays
        if weekday in worked:
            return weekday
        before = [d for d in worked if d < weekday]
        after = [d for d in worked if d > weekday]
        return before[-1] if before else after[0] if after else ROUTINE_DAYS[-1]


def plan_in_force(week: Week, workdays: list[int], today: date) -> Week:
    """The week whose compiled plan is in force on ``today`` (a day of ``week``, whose
    ``workdays`` are worked): last week's (the plan made for this one) until the workday
    carrying Friday's routine, when next week's is made."""
    compiling = [d for d, routine in assign_routine(workdays).items() if ROUTINE_DAYS[-1] in routine]
    return week if compiling and today.isoweekday() >= compiling[0] else week.previous


def assign_routine(workdays: list[int]) -> dict[int, tuple[int, ...]]:
    """Spread the five routine days over the week's workdays, each once, in order.

    Monday's routine goes to the first workday and Friday's to the last. With fewer
    than five workdays, neighbouring routine days share a workday. With more (a make-up
    weekend day in a full week), each routine day stays on its own weekday and the extra
    days carry none of it (what is carried over and one-off work fill them). A week with
    no workday at all (a long holiday) carries no routine: nothing lands on a day off.
    """
    n = len(workdays)
    if n <= len(ROUTINE_DAYS):
        out: dict[int, list[int]] = {d: [] for d in workdays}
        for i, routine in enumerate(ROUTINE_DAYS):
            if n:
                out[workdays[i * n // len(ROUTINE_DAYS)]].append(routine)
        return {d: tuple(r) for d, r in out.items()}
    regular = [d for d in workdays if d in ROUTINE_DAYS]
    carrying = regular if len(regular) == len(ROUTINE_DAYS) else workdays[: len(ROUTINE_DAYS)]
    placed = dict(zip(carrying, ((r,) for r in ROUTINE_DAYS), strict=True))
    return {d: placed.get(d, ()) for d in workdays}


def work_week(week: Week, lookup: DayLookup, official: bool = True) -> WorkWeek:
    days = []
    for weekday in range(1, 8):
        day = week.day(weekday)
        worked, name = lookup(day)
        days.append(DayInfo(day, worked, name))
    return WorkWeek(week, tuple(days), official)


def plain_lookup(day: date) -> tuple[bool, str | None]:
    """Monday to Friday, every week."""
    return day.isoweekday() in WORKDAYS, None


def count_workdays_after(origin: date, until: date, is_workday: Callable[[date], bool]) -> int:
    """Workdays after ``origin`` up to and including ``until``."""
    count = 0
    for ordinal in range(origin.toordinal() + 1, until.toordinal() + 1):
        if is_workday(date.fromordinal(ordinal)):
            count += 1
    return count
