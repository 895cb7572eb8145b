"""Work calendars: which days are worked, from maintained packages, with the user's
own days on top.

- ``cn``: mainland China's official schedule with make-up workdays (chinesecalendar);
  a year that package has no schedule for is estimated from the statutory holidays the
  holidays package knows (make-up days too, when it has them), and says so.
- ``none``: plain Monday–Friday.
- a two-letter country code (``de``, ``us``, ``jp`` …): that country's public holidays
  (holidays), Saturday and Sunday off.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from pmweek.domain.calendar import Week
from pmweek.domain.workweek import WorkWeek, plain_lookup, work_week
from pmweek.errors import InputError

CHINA, PLAIN = "cn", "none"


def default_for(lang: str) -> str:
    return CHINA if lang == "zh" else PLAIN


def check_name(name: str) -> str:
    """A calendar name as stored: ``cn``, ``none`` or a supported country code."""
    value = name.strip().lower()
    if value in (CHINA, PLAIN):
        return value
    if len(value) == 2 and value.upper() in _countries():
        return value
    raise InputError("error.bad_calendar", value=name)


@lru_cache(maxsize=1)
def _countries() -> frozenset[str]:
    import holidays  # ~50 ms: only for a country calendar

    return frozenset(holidays.list_supported_countries())


@dataclass
class WorkCalendar:
    name: str
    # The user's own days: date -> (worked?, name). They win over the package.
    overrides: Mapping[date, tuple[bool, str | None]] = field(default_factory=dict)

    def week(self, week: Week) -> WorkWeek:
        official = all(self.has_data(d.year) for d in (week.monday, week.day(7)))
        return work_week(week, self.lookup, official)

    def lookup(self, day: date) -> tuple[bool, str | None]:
        if day in self.overrides:
            return self.overrides[day]
        if self.name == CHINA:
            return _china(day)
        if self.name == PLAIN:
            return plain_lookup(day)
        name = _country(self.name, day.year).get(day)
        return (name is None and day.isoweekday() <= 5), name

    def is_workday(self, day: date) -> bool:
        return self.lookup(day)[0]

    def has_data(self, year: int) -> bool:
        if self.name != CHINA:
            return True
        import chinese_calendar

        try:
            chinese_calendar.is_workday(date(year, 6, 1))
        except NotImplementedError:
            return False
        return True


def _china(day: date) -> tuple[bool, str | None]:
    import chinese_calendar

    try:
        worked = chinese_calendar.is_workday(day)
        _, holiday = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:  # its schedule is not out for that year: the statutory days
        return _china_statutory(day)
    key = next((h.name for h in chinese_calendar.Holiday if h.value == holiday), None)
    return worked, (f"cn.{key}" if key else holiday)


# The holidays package's names for China's statutory days -> chinesecalendar's keys (one
# word list for both). Matched by their start: "(observed)" days are days off too.
_STATUTORY = (("New Year", "new_years_day"), ("Chinese New Year", "spring_festival"),
              ("Tomb-Sweeping", "tomb_sweeping_day"), ("Labor Day", "labour_day"),
              ("Dragon Boat", "dragon_boat_festival"), ("Mid-Autumn", "mid_autumn_festival"),
              ("National Day", "national_day"))


def _china_statutory(day: date) -> tuple[bool, str | None]:
    """A day of a year chinesecalendar has no schedule for, from the holidays package:
    the statutory holidays (and the make-up workdays, once it has them); else
    Monday–Friday. An estimate until the State Council publishes the year (the week
    says so); whichever package learns the year first is used, no code change."""
    days = _country("cn", day.year)
    if day in getattr(days, "weekend_workdays", ()):
        return True, None
    name = days.get(day)
    if name is None:
        return plain_lookup(day)
    key = next((k for start, k in _STATUTORY if str(name).startswith(start)), None)
    return False, (f"cn.{key}" if key else str(name))


@lru_cache(maxsize=16)
def _country(code: str, year: int) -> Mapping[date, str]:
    import holidays

    return holidays.country_holidays(code.upper(), years=year)
