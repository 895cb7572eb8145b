from datetime import date

import pytest

from pmweek.domain.calendar import Week, parse_date, parse_month, shift_month


@pytest.mark.parametrize(
    ("day", "week"),
    [
        (date(2026, 11, 23), "2026-W48"),
        (date(2026, 11, 29), "2026-W48"),  # Sunday still belongs to its Monday's week
        (date(2026, 12, 28), "2026-W53"),  # 2026 is a long ISO year
        (date(2027, 1, 1), "2026-W53"),  # a Friday of 2027 in 2026's last week
        (date(2027, 1, 4), "2027-W01"),
        (date(2024, 12, 30), "2025-W01"),  # a Monday of 2024 in 2025's first week
        (date(2025, 12, 29), "2026-W01"),
    ],
)
def test_week_of_a_date_follows_iso(day, week):
    assert str(Week.of(day)) == week


def test_week_days_and_neighbours_cross_year_boundaries():
    w53 = Week.parse("2026-W53")
    assert w53.monday == date(2026, 12, 28)
    assert w53.workdays()[-1] == date(2027, 1, 1)
    assert str(w53.next) == "2027-W01"
    assert str(Week.parse("2025-W01").previous) == "2024-W52"
    assert Week.parse("2025-W01").monday == date(2024, 12, 30)


@pytest.mark.parametrize("text", ["2025-W53", "2026-W00", "2026-W54", "W48", "2026-48", "", "2026-Wxx"])
def test_week_parse_refuses_weeks_that_do_not_exist(text):
    with pytest.raises(ValueError):
        Week.parse(text)


def test_week_parse_accepts_compact_and_lowercase():
    assert Week.parse("2026w48") == Week(2026, 48)


@pytest.mark.parametrize("text", ["2026-02-30", "2026-13-01", "tomorrow", "23/11/2026"])
def test_parse_date_is_strict(text):
    with pytest.raises(ValueError):
        parse_date(text)


def test_months_parse_strictly_and_shift_across_years():
    assert parse_month("2026-1") == "2026-01"
    assert shift_month("2026-12", 1) == "2027-01" and shift_month("2026-01", -1) == "2025-12"
    assert parse_month("2026/10") == parse_month("2026年10月") == "2026-10"  # as Excel writes a month
    for bad in ("2026-13", "2026-00", "26-10", "10/2026", "2026/10/", "2026年13月"):
        with pytest.raises(ValueError):
            parse_month(bad)


def test_moving_an_item_stays_within_its_list():
    from pmweek.domain.models import moved

    assert moved([1, 2, 3], 3, -1) == [1, 3, 2]
    assert moved([1, 2, 3], 1, -5) == [1, 2, 3]
    assert moved([1, 2, 3], 1, 9) == [2, 3, 1]


def test_a_document_period_moves_and_stops_at_the_edge_of_the_years():
    from pmweek.domain.periods import PERIODS

    def shift_period(name, period, by):
        return PERIODS[name].step(period, by)

    assert shift_period("quarter", "2026-Q4", 1) == "2027-Q1"
    assert shift_period("quarter", "2026-Q1", -1) == "2025-Q4"
    assert shift_period("year", "2027", -1) == "2026"
    assert shift_period("month", "2026-12", 1) == "2027-01"
    assert shift_period("week", "2026-W53", 1) == "2027-W01"
    assert shift_period("year", "9998", 1) == "9998" and shift_period("quarter", "1900-Q1", -1) == "1900-Q1"


def test_the_shipped_files_are_found_when_run_from_a_source_checkout(monkeypatch):
    """`python -m pmweek` inside a clone over a non-editable install imports the clone's
    pmweek, which has no pmweek.data package: the routine and the readers still load."""
    from importlib import resources

    from pmweek.domain import shipped as module
    from pmweek.domain.documents.readers import shipped_readers
    from pmweek.domain.routine import shipped_template

    def missing(name):
        raise ModuleNotFoundError(name)

    monkeypatch.setattr(resources, "files", missing)
    assert module.shipped("routine.zh.toml").is_file()
    assert shipped_template("zh") and "tl" in shipped_readers("zh")
