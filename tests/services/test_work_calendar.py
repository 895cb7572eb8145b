"""The routine on real work weeks: official schedules of mainland China (the dates
below are the State Council's, written out), a plain calendar, the user's own days."""

from datetime import date

import pytest

from pmweek.domain.calendar import Week
from pmweek.export.markdown import week_markdown
from tests.plans import compile_plan

D = date.fromisoformat


def _week(open_db, lang, week, today=None, calendar=None):
    services = open_db(lang)
    if calendar:
        services.checklist.set_calendar(calendar)
    wk = Week.parse(week)
    return services, services.checklist.open_week(wk, today or wk.monday)


def _placement(view):
    """weekday -> the routine days it carries (its items' key prefixes), in order; a
    block item (Tuesday–Wednesday) counts as Wednesday's routine on its later days."""
    return {d.weekday: ["wed" if t.day != d.weekday else t.key.split("-")[0] for t in d.tasks]
            for d in view.days if d.tasks}


def _compact(view):
    out = {}
    for weekday, days in _placement(view).items():
        runs = []
        for prefix in days:
            if not runs or runs[-1] != prefix:
                runs.append(prefix)
        out[weekday] = runs
    return out


def test_national_day_2025(open_db):
    services, w39 = _week(open_db, "zh", "2025-W39")
    # Sunday 2025-09-28 is a make-up workday: shown, carrying none of the routine (each
    # routine day once, on its own weekday: Friday's stays on Friday).
    assert [d.date for d in w39.days] == [D("2025-09-22"), D("2025-09-23"), D("2025-09-24"), D("2025-09-25"),
                                         D("2025-09-26"), D("2025-09-28")]
    assert w39.days[-1].makeup
    assert _compact(w39) == {1: ["mon"], 2: ["tue"], 3: ["wed"], 4: ["thu"], 5: ["fri"]}
    w40 = services.checklist.open_week(Week.parse("2025-W40"), D("2025-09-29"))
    off = [d.date for d in w40.days if not d.workday]
    assert off == [D("2025-10-01"), D("2025-10-02"), D("2025-10-03")]
    assert {d.holiday for d in w40.days if not d.workday} == {"cn.national_day"}
    assert _compact(w40) == {1: ["mon", "tue"], 2: ["thu", "fri"]}  # the Tue–Wed block on one day
    w41 = services.checklist.open_week(Week.parse("2025-W41"), D("2025-10-06"))
    assert [d.date for d in w41.days if not d.workday] == [D("2025-10-06"), D("2025-10-07"), D("2025-10-08")]
    # Thursday and Friday, and Saturday 2025-10-11 is worked.
    assert _compact(w41) == {4: ["mon", "tue"], 5: ["wed", "thu"], 6: ["fri"]}


def test_national_day_2026(open_db):
    services, w38 = _week(open_db, "zh", "2026-W38")
    assert w38.days[-1].date == D("2026-09-20") and w38.days[-1].makeup  # Sunday worked
    w40 = services.checklist.open_week(Week.parse("2026-W40"), D("2026-09-28"))
    assert [d.date for d in w40.days if not d.workday] == [D("2026-10-01"), D("2026-10-02")]
    assert _compact(w40) == {1: ["mon", "tue"], 2: ["wed", "thu"], 3: ["fri"]}
    w41 = services.checklist.open_week(Week.parse("2026-W41"), D("2026-10-08"))
    assert [d.date for d in w41.days if not d.workday] == [D("2026-10-05"), D("2026-10-06"), D("2026-10-07")]
    assert w41.days[-1].date == D("2026-10-10") and w41.days[-1].makeup
    assert w41.today == 4  # Thursday 2026-10-08, the first day back


def test_spring_festival_2026(open_db):
    services, w07 = _week(open_db, "zh", "2026-W07")
    assert w07.days[-1].date == D("2026-02-14") and w07.days[-1].makeup  # Saturday worked
    assert _compact(w07) == {1: ["mon"], 2: ["tue"], 3: ["wed"], 4: ["thu"], 5: ["fri"]}  # Friday's on Friday
    w08 = services.checklist.open_week(Week.parse("2026-W08"), D("2026-02-18"))
    # 2026-02-16 … 2026-02-22: all off. No routine lands on a holiday.
    assert all(not d.workday and d.holiday == "cn.spring_festival" for d in w08.days)
    assert _compact(w08) == {}
    w09 = services.checklist.open_week(Week.parse("2026-W09"), D("2026-02-23"))
    assert not w09.day(1).workday  # Monday 2026-02-23 still off
    assert w09.days[-1].date == D("2026-02-28") and w09.days[-1].makeup
    assert _compact(w09) == {2: ["mon"], 3: ["tue"], 4: ["wed"], 5: ["thu"], 6: ["fri"]}
    assert w09.today == 2  # the holiday Monday opens on the first workday after it


def test_new_year_2026_across_the_iso_boundary(open_db):
    _, w01 = _week(open_db, "zh", "2026-W01", today=D("2026-01-04"))
    # 2025-12-29 … 2026-01-04: New Year's Day off Thursday to Saturday, Sunday worked.
    assert [d.date for d in w01.days if not d.workday] == [D("2026-01-01"), D("2026-01-02")]
    assert _compact(w01) == {1: ["mon", "tue"], 2: ["wed"], 3: ["thu"], 7: ["fri"]}
    today = w01.day(7)
    assert w01.today == 7 and len(today.carried) == 11 + 2 + 3  # Monday–Thursday left open, the Tue–Wed block once


def test_a_year_without_an_official_schedule_is_estimated_from_the_statutory_holidays(open_db):
    """chinesecalendar has not published 2027: its statutory holidays come from the
    holidays package (New Year's Day on the Friday of 2026-W53, National Day's days off),
    and the week says the schedule is an estimate."""
    _, w53 = _week(open_db, "zh", "2026-W53", today=D("2026-12-31"))
    assert not w53.official
    assert [d.date for d in w53.days if not d.workday] == [D("2027-01-01")]
    assert "estimated from the statutory holidays" in week_markdown(w53)
    _, w40 = _week(open_db, "zh", "2027-W40")
    assert [d.date for d in w40.days if not d.workday] == [D("2027-10-04"), D("2027-10-05")]
    assert [d.weekday for d in w40.days if d.workday] == [3, 4, 5]


def test_a_newer_release_of_either_package_wins_without_a_code_change(monkeypatch):
    """Make-up workdays the holidays package learns for a year chinesecalendar lacks are
    worked; once chinesecalendar has the year, its schedule is the one used."""
    import chinese_calendar

    from pmweek import calendars

    class Published(dict):
        weekend_workdays = {D("2027-02-20")}

    calendars._country.cache_clear()
    monkeypatch.setattr(calendars, "_country", lambda code, year: Published({D("2027-02-08"): "Chinese New Year"}))
    cn = calendars.WorkCalendar("cn")
    assert cn.lookup(D("2027-02-20")) == (True, None)  # a Saturday, worked
    assert cn.lookup(D("2027-02-08")) == (False, "cn.spring_festival")
    monkeypatch.setattr(chinese_calendar, "is_workday", lambda day: True)
    monkeypatch.setattr(chinese_calendar, "get_holiday_detail", lambda day: (False, None))
    assert cn.lookup(D("2027-02-08")) == (True, None)  # the published schedule wins


def test_the_users_own_days_win_over_the_package(open_db):
    services = open_db("zh")
    services.checklist.set_day(D("2027-10-01"), workday=False, name="National Day")
    services.checklist.set_day(D("2027-10-09"), workday=True, name="make-up")
    view = services.checklist.open_week(Week.parse("2027-W39"), D("2027-09-27"))
    assert not view.day(5).workday and view.day(5).holiday == "National Day"
    assert _compact(view) == {1: ["mon", "tue"], 2: ["wed"], 3: ["thu"], 4: ["fri"]}
    nxt = services.checklist.open_week(Week.parse("2027-W40"), D("2027-10-04"))
    assert nxt.days[-1].date == D("2027-10-09") and nxt.days[-1].makeup
    services.checklist.set_day(D("2026-10-01"), workday=True)  # over the official holiday
    assert services.checklist.open_week(Week.parse("2026-W40"), D("2026-09-28")).day(4).workday


def test_plain_calendar_keeps_monday_to_friday(open_db):
    _, view = _week(open_db, "en", "2026-W41")  # English defaults to "none"
    assert [d.date for d in view.days] == [D("2026-10-05"), D("2026-10-06"), D("2026-10-07"),
                                           D("2026-10-08"), D("2026-10-09")]
    assert _compact(view) == {1: ["mon"], 2: ["tue"], 3: ["wed"], 4: ["thu"], 5: ["fri"]}


def test_a_country_calendar(open_db):
    _, view = _week(open_db, "en", "2026-W53", calendar="de")
    # Germany: 2026-12-28 … 2027-01-03; New Year's Day (Friday 2027-01-01) is off.
    assert [d.date for d in view.days if not d.workday] == [D("2027-01-01")]
    assert _compact(view) == {1: ["mon", "tue"], 2: ["wed"], 3: ["thu"], 4: ["fri"]}


def test_week_export_shows_real_dates_and_lists_holidays(open_db):
    _, view = _week(open_db, "en", "2026-W41", calendar="cn")
    md = week_markdown(view)
    assert "Holidays this week: 2026-10-05 National Day, 2026-10-06 National Day, 2026-10-07 National Day" in md
    assert "## Monday 2026-10-05 · National Day (holiday)\n\n_Day off._" in md
    assert "## Saturday 2026-10-10 · make-up workday (National Day)" in md
    assert md.splitlines()[0] == "# Week 2026-W41 (2026-10-05 – 2026-10-10)"


def test_carry_over_counts_workdays_in_the_plan(open_db):
    services, view = _week(open_db, "zh", "2026-W41", today=D("2026-10-10"))
    # Routine items come back by themselves; one that no longer recurs is carried work.
    services.checklist.remove_template_item(services.checklist.template()[0].id)
    plan = compile_plan(services, D("2026-10-10"))
    carried = {line.text: line.carried for line in plan.section("unfinished")}
    monday_item = view.day(4).tasks[0].title  # Monday's routine, placed on Thursday 10-08
    assert carried[monday_item] == 2  # Friday 10-09 and Saturday 10-10: the holidays do not count


def test_a_bad_calendar_name_is_refused(open_db):
    from pmweek.errors import InputError

    with pytest.raises(InputError):
        open_db("en").checklist.set_calendar("atlantis")
