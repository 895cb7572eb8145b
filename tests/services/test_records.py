"""Dated records (releases, insights, requests) and the one declaration every kind of
record is built from."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import inspect

from pmweek.domain.sheets import BOOKS, SHEETS
from pmweek.errors import InputError
from pmweek.export.csvio import book_csv
from pmweek.export.markdown import table_markdown
from tests.services.test_export_tables import parse_tables

TODAY = date(2026, 11, 25)


def test_a_moved_release_keeps_its_earlier_dates(services):
    row_id, _ = services.sheets.add("releases", {"name": "PITR", "planned": "2026-12-01"})
    services.sheets.edit("releases", row_id, {"planned": "2026-12-15", "status": "slipped"})
    services.sheets.edit("releases", row_id, {"planned": "2027-01-10"})
    services.sheets.edit("releases", row_id, {"scenario": "restore a dropped table"})  # date unchanged
    (row,) = services.sheets.rows("releases", None, None, TODAY)
    assert row.values["planned"] == date(2027, 1, 10)
    assert row.computed["earlier_planned"] == (date(2026, 12, 1), date(2026, 12, 15))
    # Filed under the month it is now planned for.
    assert row.values["month"] == "2027-01"
    assert services.sheets.rows("releases", "2026-12", "2026-12", TODAY) == []
    (table,) = parse_tables(table_markdown(services.sheets.book("releases", None, None, TODAY)))
    column = table[0].index("Earlier planned")
    assert table[1][column] == "2026-12-01, 2026-12-15"


def test_a_release_late_against_its_plan_counts_the_days(services):
    services.sheets.add("releases", {"name": "late", "planned": "2026-11-20"})
    services.sheets.add("releases", {"name": "out", "planned": "2026-11-20", "released": "2026-11-21",
                                     "status": "released"})
    services.sheets.add("releases", {"name": "ahead", "planned": "2026-12-20"})
    late = {r.values["name"]: r.computed["days_late"] for r in services.sheets.rows("releases", None, None, TODAY)}
    assert late == {"late": 5, "out": None, "ahead": None}


def test_released_without_a_date_is_saved_with_a_warning(services):
    _, warned = services.sheets.add("releases", {"name": "x", "status": "released"})
    assert [key for key, _ in warned] == ["warn.released_without_date"]


def test_dated_records_are_asked_for_by_dates_or_by_months(services):
    for day, lens in (("2026-11-22", "trend"), ("2026-11-23", "competitor"), ("2026-11-29", "self"),
                      ("2026-11-30", "market")):
        services.sheets.add("insights", {"date": day, "lens": lens, "text": f"seen {day}"})
    week = services.sheets.rows("insights", "2026-11-23", "2026-11-29", TODAY)
    assert [r.values["lens"] for r in week] == ["competitor", "self"]
    month = services.sheets.rows("insights", "2026-11", "2026-11", TODAY)
    assert len(month) == 4
    with pytest.raises(InputError) as err:
        services.sheets.add("insights", {"date": "2026-11-23", "lens": "gossip", "text": "x"})
    assert err.value.key == "error.field_choice"


def test_a_request_is_filed_under_the_month_it_was_entered(services):
    row_id, _ = services.sheets.add("requests", {"title": "CDC to Kafka", "source": "dts", "needed_by": "2027-03-01"})
    (row,) = services.sheets.rows("requests", None, None, TODAY)
    assert row.id == row_id and row.values["source_kind"] == "partner" and row.values["status"] == "new"
    assert row.values["month"] == "2026-11"  # the clock's month, not the date it is needed by


def test_every_kind_is_built_from_its_one_declaration(engine_for_tables):
    """The table, the form, the `add` flags and the CSV header all come from the
    declaration: a kind added there needs nothing else but its words."""
    from pmweek.cli import build_parser

    columns = {t: {c["name"] for c in inspect(engine_for_tables).get_columns(t)}
               for t in inspect(engine_for_tables).get_table_names()}
    add = build_parser()._subparsers._group_actions[0].choices["add"]
    add_kinds = add._subparsers._group_actions[0].choices
    for sheet in SHEETS.values():
        keys = {f.key for f in sheet.fields}
        assert columns[sheet.table] - keys - {"month"} == {"id", "created_at", "updated_at", "deleted_at", "entered_by"}
        assert "month" in columns[sheet.table]  # every kind can be browsed month by month
        flags = {o for a in add_kinds[sheet.name.replace("_", "-")]._actions for o in a.option_strings}
        assert {f.option for f in sheet.typed_fields} <= flags
        assert not {f.option for f in sheet.fields if not f.typed} & flags
    for book in BOOKS.values():
        import csv

        from pmweek.domain.sheets import BookView

        header = next(csv.reader([book_csv(BookView(book, None, None, (), {s: () for s in book.sheets}))]))
        declared = {f.key for s in book.sheets for f in SHEETS[s].fields} | set(book.columns)
        from pmweek.export.cells import header as label

        assert set(header) <= {label(book, k) for k in declared | {"record"}}
        assert {label(book, f.key) for s in book.sheets for f in SHEETS[s].fields} <= set(header)


@pytest.fixture
def engine_for_tables(services):
    return services.engine


def test_a_note_s_lines_become_insights_each_of_its_own_lens_when_it_says_so(services):
    """Monday's competitor watch noted a market and a trend line too: each keeps its own
    lens, named in either language; the others take the item's."""
    from datetime import date

    lines = ["Rival cut prices 30 %", "market: retail wants cheaper HA", "看趋势：向量检索普及", "[self] our docs are thin",
             "note: not a lens, kept whole"]
    assert services.sheets.add_insights(date(2026, 11, 23), "competitor", lines, source="watch") == 5
    kept = {r.values["text"]: r.values["lens"]
            for r in services.sheets.rows("insights", "2026-11-23", "2026-11-23", date(2026, 11, 23))}
    assert kept == {"Rival cut prices 30 %": "competitor", "retail wants cheaper HA": "market",
                    "向量检索普及": "trend", "our docs are thin": "self", "note: not a lens, kept whole": "competitor"}
