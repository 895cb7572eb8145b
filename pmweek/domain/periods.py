"""The periods a document is written over, declared once: how each is typed and
written, which days it spans, how it steps back and on, which one a document opens on
today and up to which month its figures run. The document registry, `export report`,
the document screen and every title read them here.

A kind over a period of its own (a release, a sprint) declares it in its own module
with ``register``; nothing else changes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from pmweek.domain.calendar import (
    FIRST_YEAR,
    LAST_YEAR,
    Week,
    month_bounds,
    month_of,
    parse_month,
    parse_quarter,
    plan_year,
    quarter_of,
    shift_month,
    shift_quarter,
    summary_month,
)


@dataclass(frozen=True)
class Period:
    name: str
    metavar: str  # how it is typed: YYYY-Www
    parse: Callable[[str], str]  # the period as written, from what was typed; ValueError
    days: Callable[[str], tuple[date, date]]  # its first and last day
    shift: Callable[[str, int], str]  # ``by`` periods on (back when negative)
    default: Callable[[date], str]  # the one a document opens on today
    # The last month whose figures a document of the period charts (None: it charts none).
    figures_until: Callable[[str, date], str | None] = lambda period, today: None
    length: int = 0  # roughly, in days: the registry lists shorter periods first

    @property
    def error(self) -> str:
        """The catalogue key of a refusal of a typed period: error.bad_<name>."""
        return f"error.bad_{self.name}"

    def step(self, period: str, by: int) -> str:
        """``period`` moved ``by``, or kept where that leaves the years pmweek reads."""
        try:
            shifted = self.shift(period, by)
            first, last = self.days(shifted)
        except (ValueError, OverflowError):
            return period
        return shifted if FIRST_YEAR <= first.year and last.year <= LAST_YEAR else period

    def words(self, period: str) -> dict[str, str]:
        """What a document's title says of its period: itself and the days it spans."""
        first, last = self.days(period)
        return {"period": period, "week": period, "first": first.isoformat(), "last": last.isoformat(),
                "number": ""}


PERIODS: dict[str, Period] = {}


def register(period: Period) -> Period:
    """Declare a period (a kind's module may declare its own); one name, one period."""
    if PERIODS.get(period.name, period) != period:
        raise ValueError(f"two periods named {period.name!r}")
    PERIODS[period.name] = period
    return period


def _year(text: str) -> str:
    text = text.strip()
    if not (len(text) == 4 and text.isdigit() and FIRST_YEAR <= int(text) <= LAST_YEAR):
        raise ValueError(text)
    return text


def _quarter_days(quarter: str) -> tuple[date, date]:
    year, number = quarter.split("-Q")
    first = f"{year}-{(int(number) - 1) * 3 + 1:02d}"
    return month_bounds(first)[0], month_bounds(shift_month(first, 2))[1]


class _WorkWeek(Period):
    def words(self, period: str) -> dict[str, str]:
        """A week as a PM names it: its work days, Monday to Friday, and its number."""
        week = Week.parse(period)
        return {"period": period, "week": period, "first": week.monday.isoformat(),
                "last": (week.monday + timedelta(days=4)).isoformat(), "number": str(week.number)}


WEEK = register(_WorkWeek(
    "week", "YYYY-Www", lambda text: str(Week.parse(text.strip())),
    lambda period: (Week.parse(period).monday, Week.parse(period).day(7)),
    lambda period, by: str(Week.parse(period).shift(by)),
    lambda today: str(Week.of(today)), length=7,
))
# The month just ended until the last week of the next one, when the next is being closed.
MONTH = register(Period(
    "month", "YYYY-MM", parse_month, month_bounds, shift_month, summary_month,
    figures_until=lambda period, today: period, length=30,
))
QUARTER = register(Period(
    "quarter", "YYYY-Qn", parse_quarter, _quarter_days, shift_quarter,
    lambda today: quarter_of(summary_month(today)),
    figures_until=lambda period, today: month_of(_quarter_days(period)[1]), length=91,
))
# Next year's plan from December on; its figures run up to this month at most.
YEAR = register(Period(
    "year", "YYYY", _year, lambda period: (date(int(period), 1, 1), date(int(period), 12, 31)),
    lambda period, by: str(int(period) + by), plan_year,
    figures_until=lambda period, today: min(f"{period}-12", month_of(today)), length=365,
))
