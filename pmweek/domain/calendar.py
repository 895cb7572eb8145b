"""Dates and work weeks: the one place that knows how pmweek counts days.

ISO weeks throughout (Monday first); a week is named ``YYYY-Www``. Pure
stdlib + dateutil so the export path and tests stay light.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from dateutil.relativedelta import relativedelta

WORKDAYS = (1, 2, 3, 4, 5)  # ISO weekdays of the routine, Monday..Friday
DAY_KEYS = {1: "mon", 2: "tue", 3: "wed", 4: "thu", 5: "fri", 6: "sat", 7: "sun"}
DAY_NUMBERS = {v: k for k, v in DAY_KEYS.items()}

_WEEK_RE = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.IGNORECASE)


@dataclass(frozen=True, order=True)
class Week:
    """An ISO week, e.g. ``Week(2026, 48)`` == 2026-W48."""

    year: int
    number: int

    def __post_init__(self) -> None:
        # Week 53 exists only in long ISO years; date.fromisocalendar checks it.
        date.fromisocalendar(self.year, self.number, 1)

    @classmethod
    def of(cls, day: date) -> Week:
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @classmethod
    def parse(cls, text: str) -> Week:
        """Parse ``2026-W48`` (or ``2026W48``); raise ValueError otherwise."""
        match = _WEEK_RE.match(text)
        if not match:
            raise ValueError(text)
        try:
            return cls(int(match.group(1)), int(match.group(2)))
        except ValueError:
            raise ValueError(text) from None

    def day(self, weekday: int) -> date:
        """The date of ISO ``weekday`` (1 = Monday) in this week."""
        return date.fromisocalendar(self.year, self.number, weekday)

    @property
    def monday(self) -> date:
        return self.day(1)

    def workdays(self) -> list[date]:
        return [self.day(d) for d in WORKDAYS]

    def shift(self, weeks: int) -> Week:
        return Week.of(self.monday + timedelta(weeks=weeks))

    @property
    def previous(self) -> Week:
        return self.shift(-1)

    @property
    def next(self) -> Week:
        return self.shift(1)

    def __str__(self) -> str:
        return f"{self.year}-W{self.number:02d}"


# The years pmweek reads: a report looks a year and more around its date, which must
# stay inside what a date can hold.
FIRST_YEAR, LAST_YEAR = 1900, 9998


# The forms Excel and WPS write a date in on Chinese Windows, read exactly: year first,
# always (11/3/2026 could be either month first or day first, so it is refused).
_EXCEL_DATE = re.compile(r"^(\d{4})(?:/(\d{1,2})/(\d{1,2})|年(\d{1,2})月(\d{1,2})日)$")
_EXCEL_MONTH = re.compile(r"^(\d{4})(?:/(\d{1,2})|年(\d{1,2})月)$")


def parse_date(text: str) -> date:
    """Parse a date strictly, of a year FIRST_YEAR–LAST_YEAR: ISO (``2026-11-23``), or
    as a spreadsheet on Chinese Windows writes it (``2026/11/3``, ``2026年11月3日``);
    raise ValueError otherwise."""
    typed = text.strip()
    try:
        if match := _EXCEL_DATE.match(typed):
            year, month, day_ = (int(g) for g in match.groups() if g is not None)
            day = date(year, month, day_)
        else:
            day = date.fromisoformat(typed)
    except ValueError:
        raise ValueError(text) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(text)
    return day




def utcnow() -> datetime:
    """Now, timezone-aware in UTC: the form every timestamp is stored in."""
    return datetime.now(timezone.utc)


def clock_on(day: date) -> Callable[[], datetime]:
    """A clock that says ``day`` (local) at the real time of day: what a back-filled
    week records under `--date`, so its ticks and rows read right in history."""

    def now() -> datetime:
        local = datetime.now().astimezone()
        return local.replace(year=day.year, month=day.month, day=day.day).astimezone(timezone.utc)

    return now


def to_local(stamp: datetime) -> datetime:
    """A stored timestamp in the machine's local time zone (naive means UTC)."""
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=timezone.utc)
    return stamp.astimezone()


def format_stamp(stamp: datetime) -> str:
    return to_local(stamp).strftime("%Y-%m-%d %H:%M")


def format_date(day: date) -> str:
    return day.isoformat()


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def add_months(day: date, months: int) -> date:
    return day + relativedelta(months=months)


_MONTH_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def parse_month(text: str) -> str:
    """``2026-10`` (or ``2026-1``) as the canonical ``YYYY-MM``; ValueError otherwise."""
    if excel := _EXCEL_MONTH.match(text.strip()):  # 2026/11, 2026年11月, as a spreadsheet writes them
        text = "-".join(g for g in excel.groups() if g is not None)
    match = _MONTH_RE.match(text)
    if not match or not 1 <= int(match.group(2)) <= 12 or not FIRST_YEAR <= int(match.group(1)) <= LAST_YEAR:
        raise ValueError(text)
    return f"{int(match.group(1)):04d}-{int(match.group(2)):02d}"


def shift_month(month: str, months: int) -> str:
    # Plain arithmetic: reports shift months by the hundred per compile.
    year, mon = divmod(int(month[:4]) * 12 + int(month[5:7]) - 1 + months, 12)
    return f"{year:04d}-{mon + 1:02d}"



def month_bounds(month: str) -> tuple[date, date]:
    """The first and last day of a month."""
    first = date.fromisoformat(f"{month}-01")
    return first, add_months(first, 1) - timedelta(days=1)


def month_weeks(month: str) -> list[Week]:
    """The ISO weeks whose Friday falls in the month: a week belongs to the month in
    which its working days end, so every week is in exactly one month."""
    first, last = month_bounds(month)
    week = Week.of(first)
    if week.day(5) < first:
        week = week.next
    out = []
    while week.day(5) <= last:
        out.append(week)
        week = week.next
    return out


def last_workday(first: date, last: date, is_workday: Callable[[date], bool]) -> date:
    """The last workday of [first, last] (``last`` itself when none is worked): the day
    a period is judged as it ends."""
    day = last
    while day > first and not is_workday(day):
        day -= timedelta(days=1)
    return day if is_workday(day) else last


def weeks_touching(first: date, last: date) -> list[Week]:
    """Every ISO week with a day in [first, last]: where what is dated by its day (a
    note, a tick) is looked for; each day then goes to its own month."""
    out, week = [], Week.of(first)
    while week.monday <= last:
        out.append(week)
        week = week.next
    return out


def months_between(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last``, both included."""
    out, month = [], first
    while month <= last:
        out.append(month)
        month = shift_month(month, 1)
    return out


QUARTER = re.compile(r"(\d{4})-?[Qq]([1-4])")


def parse_quarter(text: str) -> str:
    """A quarter as stored (``2026-Q4``; ``2026q4`` is read too), of a year
    FIRST_YEAR–LAST_YEAR; ValueError otherwise."""
    if (m := QUARTER.fullmatch(text.strip())) and FIRST_YEAR <= int(m.group(1)) <= LAST_YEAR:
        return f"{m.group(1)}-Q{m.group(2)}"
    raise ValueError(text)


def quarter_of(month: str) -> str:
    """The quarter a month (``YYYY-MM``) or a day's month falls in."""
    year, number = month[:7].split("-")
    return f"{year}-Q{(int(number) - 1) // 3 + 1}"


def shift_quarter(quarter: str, by: int) -> str:
    year, number = int(quarter[:4]), int(quarter[-1]) - 1 + by
    return f"{year + number // 4}-Q{number % 4 + 1}"


def plan_year(today: date) -> str:
    """The year whose plan is being written: next year's from December on, else this one's."""
    return str(today.year + 1 if today.month == 12 else today.year)


def summary_month(today: date) -> str:
    """The month whose summary is being written: this one from its last seven days
    on, else the month before."""
    if month_of(today + timedelta(days=7)) != month_of(today):
        return month_of(today)
    return shift_month(month_of(today), -1)
