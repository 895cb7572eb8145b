"""The morning's reads over the standard library's sqlite3, without the ORM.

The app shows today's list from these while SQLAlchemy is still loading. They are the
same reads as ``checklists``, ``settings`` and ``documents`` make through the ORM, over
the same tables: the column names below are the ones those modules select (they build
their column lists from them), a test checks every name and stored type against the
table definitions, and a property test checks that the week and plan read here equal
what the services return.

A file is read only when it is an SQLite database of the current schema; anything else
(a newer or older schema, no file, a server URL, a lock that outlasts the wait) is left
to the ORM path, which creates, upgrades or explains.
"""

from __future__ import annotations

import sqlite3
from collections import namedtuple
from collections.abc import Sequence
from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path

from pmweek.db.files import read_only_uri

# The schema this code reads and the ORM creates (db.engine upgrades to it).
SCHEMA_VERSION = 9

TASK_FIELDS = (
    "id", "week_id", "parent_id", "day", "until_day", "position", "key", "title", "table_name", "note",
    "done_at", "dismissed_at",
)
LINE_FIELDS = (
    "id", "section", "position", "kind", "facts", "text", "source_key", "owner", "owner_edited", "priority",
    "due", "due_edited", "dropped_at", "done_at", "added_at", "audience",
)
DOCUMENT_FIELDS = ("id", "kind", "owner", "period", "compiled_at", "compile_count")
OVERRIDE_FIELDS = ("day", "workday", "name")

# How sqlite3 hands back what SQLAlchemy stored: times (UTC) and days as ISO text,
# booleans as 0/1. By column name, as the tables above declare them (checked by a test).
STAMPS = frozenset({"done_at", "dismissed_at", "dropped_at", "added_at", "compiled_at"})
DAYS = frozenset({"due", "day_override.day"})
FLAGS = frozenset({"owner_edited", "due_edited", "workday"})

TaskRow = namedtuple("TaskRow", TASK_FIELDS)
OpenItemRow = namedtuple("OpenItemRow", (*TASK_FIELDS, "iso_year", "iso_week"))
LineRow = namedtuple("LineRow", LINE_FIELDS)
DocumentRow = namedtuple("DocumentRow", DOCUMENT_FIELDS)
OverrideRow = namedtuple("OverrideRow", OVERRIDE_FIELDS)
WeekRow = namedtuple("WeekRow", ("id",))


def _stamp(value: str | None) -> datetime | None:
    """Stored in UTC without an offset; given back aware, as the ORM's type gives it."""
    if value is None:
        return None
    stamp = datetime.fromisoformat(value)
    return stamp.replace(tzinfo=timezone.utc) if stamp.tzinfo is None else stamp.astimezone(timezone.utc)


def _day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


@lru_cache(maxsize=None)  # per row kind: worked out once, not on every read
def _converters(fields: tuple[str, ...], table: str) -> tuple:
    out = []
    for name in fields:
        if name in STAMPS:
            out.append(_stamp)
        elif name in DAYS or f"{table}.{name}" in DAYS:
            out.append(_day)
        elif name in FLAGS:
            out.append(lambda v: None if v is None else bool(v))
        else:
            out.append(None)
    return tuple(out)


def _rows(cursor: sqlite3.Cursor, make, table: str) -> list:
    convert = _converters(make._fields, table)
    return [make(*(v if c is None else c(v) for c, v in zip(convert, raw, strict=True))) for raw in cursor]


def _columns(fields: Sequence[str], alias: str) -> str:
    return ", ".join(f'{alias}."{name}"' for name in fields)


class QuickReads:
    """The reads the morning needs, over one sqlite3 connection opened read-only, in
    one transaction (a consistent snapshot, even while another window writes)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    # -- settings ---------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def day_overrides(self) -> list:
        cursor = self.conn.execute(f"SELECT {_columns(OVERRIDE_FIELDS, 'o')} FROM day_override o ORDER BY o.day")
        return _rows(cursor, OverrideRow, "day_override")

    # -- checklists ---------------------------------------------------------------------------

    def find_week(self, owner: str, year: int, number: int):
        row = self.conn.execute(
            "SELECT id FROM week WHERE owner = ? AND iso_year = ? AND iso_week = ?", (owner, year, number)
        ).fetchone()
        return None if row is None else WeekRow(row[0])

    def week_tasks(self, week_id: int) -> list:
        cursor = self.conn.execute(
            f"SELECT {_columns(TASK_FIELDS, 't')} FROM task t WHERE t.week_id = ? "
            "ORDER BY t.day, t.parent_id IS NOT NULL, t.position, t.id",
            (week_id,),
        )
        return _rows(cursor, TaskRow, "task")

    def open_items_before(self, owner: str, week_id: int, day: int, previous: tuple[int, int]) -> list:
        year, number = previous
        cursor = self.conn.execute(
            f"SELECT {_columns(TASK_FIELDS, 't')}, w.iso_year, w.iso_week FROM task t "
            "JOIN week w ON w.id = t.week_id "
            # "+ 0": not by the parent index (a read of every item of every year), as db.checklists
            "WHERE t.done_at IS NULL AND t.dismissed_at IS NULL AND t.parent_id + 0 IS NULL "
            "AND ((t.week_id IN (?, (SELECT id FROM week WHERE owner = ? AND iso_year = ? AND iso_week = ?)) "
            "AND (t.week_id != ? OR coalesce(t.until_day, t.day) < ?)) "
            # one-off work of older weeks, carried until done or dismissed (as db.checklists)
            "OR (t.key IS NULL AND t.week_id IN (SELECT id FROM week WHERE owner = ? "
            "AND (iso_year < ? OR (iso_year = ? AND iso_week < ?))))) "
            "ORDER BY w.iso_year, w.iso_week, t.day, t.position, t.id",
            (week_id, owner, year, number, week_id, day, owner, year, year, number),
        )
        return _rows(cursor, OpenItemRow, "task")

    def points_of(self, parent_ids: Sequence[int]) -> list:
        if not parent_ids:
            return []
        marks = ", ".join("?" * len(parent_ids))
        cursor = self.conn.execute(
            f"SELECT {_columns(TASK_FIELDS, 't')} FROM task t WHERE t.parent_id IN ({marks}) "
            "ORDER BY t.parent_id, t.position, t.id",
            tuple(parent_ids),
        )
        return _rows(cursor, TaskRow, "task")

    # -- documents ------------------------------------------------------------------------------

    def find_document(self, kind: str, owner: str, period: str):
        cursor = self.conn.execute(
            f"SELECT {_columns(DOCUMENT_FIELDS, 'd')} FROM document d "
            "WHERE d.kind = ? AND d.owner = ? AND d.period = ?",
            (kind, owner, period),
        )
        rows = _rows(cursor, DocumentRow, "document")
        return rows[0] if rows else None

    def document_lines(self, document_id: int) -> list:
        cursor = self.conn.execute(
            f"SELECT {_columns(LINE_FIELDS, 'l')} FROM document_line l WHERE l.document_id = ? "
            "ORDER BY l.section, l.position, l.id",
            (document_id,),
        )
        return _rows(cursor, LineRow, "document_line")


def open_quick(path: Path) -> sqlite3.Connection | None:
    """``path`` opened read-only, in a read transaction, if it is a pmweek database of
    the schema this module reads; None otherwise (the ORM path takes over)."""
    if not path.is_file() or path.stat().st_size == 0:
        return None
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True,
                               isolation_level=None, check_same_thread=False)
    except sqlite3.Error:
        return None
    try:
        # Short: this read runs while the screen waits; a longer lock is the ORM path's.
        conn.execute("PRAGMA busy_timeout=100")
        conn.execute("BEGIN")
        found = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if found is not None and found[0] == str(SCHEMA_VERSION):
            return conn
    except sqlite3.Error:
        pass
    conn.close()
    return None
