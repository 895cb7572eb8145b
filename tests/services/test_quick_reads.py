"""The morning read without the ORM (sqlite3 alone) says exactly what the services say,
over the same tables, and leaves any file it should not read to the services."""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmweek.db import quick
from pmweek.domain.calendar import Week
from pmweek.domain.plan import open_plan_lines
from pmweek.services import open_services
from pmweek.services.reading import quick_morning
from tests.conftest import FakeClock
from tests.plans import add_plan_line, compile_plan

FIXTURES = Path(__file__).parents[1] / "fixtures"
W47 = Week(2026, 47)
USER = "pm"

# What a PM does to a few weeks, drawn at random: each step is (what, a number that
# picks among the lines or days it applies to).
STEPS = st.lists(
    st.tuples(st.sampled_from(["tick", "dismiss", "note", "routine", "day_off", "day_on", "plan_line",
                               "plan_tick", "plan_drop", "plan_priority", "compile", "next_week"]),
              st.integers(0, 500)),
    max_size=30,
)


def _play(services, steps, calendar: str) -> list[Week]:
    """Play ``steps`` over weeks from W47 on; returns the weeks opened."""
    checklist, weeks = services.checklist, [W47]
    checklist.set_calendar(calendar)
    checklist.open_week(W47, W47.monday)
    for what, n in steps:
        week = weeks[-1]
        day = week.day(1 + n % 5)
        view = checklist.peek_week(week, day)
        tasks = [t for d in view.days for t in d.tasks]
        lines = [p.id for t in tasks for p in t.points] + [t.id for t in tasks]
        plan = services.documents.plan_made_in(week)
        plan_ids = [ln.id for ln in plan.lines] if plan else []
        if what == "tick" and lines:
            checklist.toggle(lines[n % len(lines)])
        elif what == "dismiss" and tasks:
            checklist.toggle_dismissed(tasks[n % len(tasks)].id)
        elif what == "note" and tasks:
            checklist.set_note(tasks[n % len(tasks)].id, f"note {n}\nsecond line")
        elif what == "routine":  # the routine changes: later weeks differ from earlier ones
            checklist.add_template_item(1 + n % 5, f"new work {n}", "a\nb")
        elif what in ("day_off", "day_on"):
            checklist.set_day(week.day(1 + n % 7), what == "day_on", f"day {n}")
        elif what == "compile":
            compile_plan(services, day)
        elif what == "plan_line":
            add_plan_line(services, day, ("cross_team", "added")[n % 2], f"line {n}", owner="team", due="2026-12-01")
        elif what == "plan_tick" and plan_ids:
            services.documents.toggle_done(plan_ids[n % len(plan_ids)])
        elif what == "plan_drop" and plan_ids:
            services.documents.toggle_dropped(plan_ids[n % len(plan_ids)])
        elif what == "plan_priority" and plan_ids:
            services.documents.set_priority(plan_ids[n % len(plan_ids)], 1 + n % 3)
        elif what == "next_week" and len(weeks) < 3:
            weeks.append(week.next)
            checklist.open_week(week.next, week.next.monday)
    return weeks


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps=STEPS, calendar=st.sampled_from(["none", "cn", "de"]), lang=st.sampled_from(["en", "zh"]),
       offset=st.integers(1, 13))
def test_the_quick_read_returns_what_the_services_return(steps, calendar, lang, offset):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pm.db"
        services = open_services(f"sqlite:///{path}", lang, FakeClock(), user=USER)
        try:
            weeks = _play(services, steps, calendar)
            today = W47.monday + timedelta(days=offset)
            for week in {*weeks, Week.of(today)}:
                got = quick_morning(path, USER, lang, None, week, today)
                if week not in weeks:
                    assert got is None  # never opened: only the services may create it
                    continue
                expected = (services.checklist.open_week(week, today),
                            open_plan_lines(services.documents.plan_for(week)))
                assert got == expected
                # a calendar given on the command line wins over the saved one, in both
                assert quick_morning(path, USER, lang, "none", week, today)[0] == \
                    open_services(f"sqlite:///{path}", lang, FakeClock(), calendar="none", user=USER) \
                    .checklist.peek_week(week, today)
            assert quick_morning(path, "someone else", lang, None, weeks[0], today) is None
        finally:
            services.close()


# -- the same tables ------------------------------------------------------------------------


@pytest.mark.parametrize(("table", "fields"), [
    ("task", quick.TASK_FIELDS), ("document_line", quick.LINE_FIELDS),
    ("document", quick.DOCUMENT_FIELDS), ("day_override", quick.OVERRIDE_FIELDS),
])
def test_the_quick_reads_name_the_tables_columns_and_read_their_types(table, fields):
    """Every column read without the ORM is one the table defines, and is turned into
    what the ORM would give: times, days and booleans as the table declares them."""
    from datetime import datetime

    from sqlmodel import SQLModel

    import pmweek.db.tables  # noqa: F401 (registers the tables)

    columns = SQLModel.metadata.tables[table].c
    assert set(fields) <= set(columns.keys())
    for name in fields:
        declared = columns[name].type
        kind = getattr(declared, "impl_instance", declared).python_type  # UTCDateTime: a datetime
        assert (name in quick.STAMPS) == (kind is datetime), name
        assert (name in quick.DAYS or f"{table}.{name}" in quick.DAYS) == (kind is date), name
        assert (name in quick.FLAGS) == (kind is bool), name


def test_the_orm_selects_the_columns_the_quick_reads_name():
    from pmweek.db.checklists import TASK_COLUMNS
    from pmweek.db.documents import LINE_COLUMNS
    from pmweek.db.engine import SCHEMA_VERSION

    assert tuple(c.key for c in TASK_COLUMNS) == quick.TASK_FIELDS
    assert tuple(c.key for c in LINE_COLUMNS) == quick.LINE_FIELDS
    assert SCHEMA_VERSION == quick.SCHEMA_VERSION


# -- files it leaves to the services ------------------------------------------------------------


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _foreign(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE meta (key TEXT, value TEXT)")
    conn.execute("INSERT INTO meta VALUES ('schema_version', 'x')")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("make", [
    pytest.param(lambda p: None, id="missing"),
    pytest.param(lambda p: p.write_bytes(b""), id="empty"),
    pytest.param(lambda p: p.write_bytes(b"not a database\n" * 100), id="garbage"),
    pytest.param(lambda p: p.write_bytes((FIXTURES / "pmweek-schema-v6.db").read_bytes()), id="older-schema"),
    pytest.param(_foreign, id="another-apps-file"),
    pytest.param(lambda p: p.mkdir(), id="a-folder"),
])
def test_a_file_it_should_not_read_is_left_to_the_services_untouched(tmp_path, make):
    path = tmp_path / "pm.db"
    make(path)
    before = _snapshot(tmp_path) if path.is_file() else None
    assert quick_morning(path, USER, "en", None, Week(2026, 48), date(2026, 11, 24)) is None
    if before is not None:
        assert _snapshot(tmp_path) == before  # not a byte changed, no journal left beside it


def test_a_newer_schema_is_left_to_the_services(tmp_path):
    path = tmp_path / "pm.db"
    services = open_services(f"sqlite:///{path}", "en", FakeClock(), user=USER)
    services.checklist.open_week(Week(2026, 48), date(2026, 11, 24))
    services.close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(quick.SCHEMA_VERSION + 1),))
    conn.commit()
    conn.close()
    assert quick_morning(path, USER, "en", None, Week(2026, 48), date(2026, 11, 24)) is None


def test_the_quick_read_writes_nothing_and_reads_a_write_locked_file(tmp_path):
    """While another window holds the write lock the list is still read (WAL); the file
    and its journal are as they were."""
    path = tmp_path / "pm.db"
    services = open_services(f"sqlite:///{path}", "en", FakeClock(), user=USER)
    view = services.checklist.open_week(Week(2026, 48), date(2026, 11, 24))
    services.close()
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        before = path.read_bytes()
        got = quick_morning(path, USER, "en", None, Week(2026, 48), date(2026, 11, 24))
        assert got is not None and got[0] == view
        assert path.read_bytes() == before
    finally:
        writer.execute("ROLLBACK")
        writer.close()


@pytest.mark.parametrize("damage", [
    "UPDATE task SET done_at = 'yesterday' WHERE id = 1",
    "UPDATE task SET done_at = 12 WHERE id = 1",
    "UPDATE task SET title = x'00ff' WHERE id = 1",
    "UPDATE document_line SET facts = '{' ",
    "UPDATE day_override SET day = 'soon'",
])
def test_a_damaged_value_sends_the_morning_to_the_services(tmp_path, damage):
    """A value SQLite let in that no pmweek wrote: no head start, no crash, the file unchanged."""
    path = tmp_path / "pm.db"
    services = open_services(f"sqlite:///{path}", "en", FakeClock(), user=USER)
    services.checklist.open_week(Week(2026, 48), date(2026, 11, 24))
    services.checklist.set_day(date(2026, 11, 27), False, "off")
    add_plan_line(services, date(2026, 11, 17), "added", "line", week=Week(2026, 47))
    services.close()
    conn = sqlite3.connect(path)
    conn.execute(damage)
    conn.commit()
    conn.close()
    before = path.read_bytes()
    assert quick_morning(path, USER, "en", None, Week(2026, 48), date(2026, 11, 24)) is None
    assert path.read_bytes() == before
