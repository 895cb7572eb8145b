"""The record tables, built from the record declarations of domain.sheets: one table
per kind, its columns being the kind's field keys; and the annual plan's own two (the
pool's kept rankings, the risk reviews). Kept apart from db.tables so that
opening the week (the common path) does not pay for building these; they load on
first use."""

from __future__ import annotations

from sqlalchemy import (
    DDL,
    Column,
    Date,
    DateTime,
    Float,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    func,
)
from sqlmodel import SQLModel

from pmweek.domain.sheets import SHEETS, Field, Sheet

# A field's kind -> its column type. Choices are short keys; text is unbounded.
_TYPES = {"text": Text, "int": Integer, "level": Integer, "money": Float, "score": Float, "impact": Float, "confidence": Float,
          "effort": Float, "date": Date, "dates": Text}


def _column(f: Field) -> Column:
    if f.kind == "month":
        return Column(f.key, String(7), nullable=False, index=True)
    if f.kind in ("period", "quarter"):  # 2026-10, 2026-Q4 or 2027
        return Column(f.key, String(7), nullable=not f.required)
    if f.kind == "choice":
        return Column(f.key, String(16), nullable=f.default is None and not f.required)
    nullable = not f.required
    return Column(f.key, _TYPES[f.kind](), nullable=nullable, index=f.key == "product")


def _table(sheet: Sheet) -> Table:
    name = sheet.table
    columns = [
        Column("id", Integer, primary_key=True),
        # Every record is filed under a month (its own, or its date's): browsing by
        # month and month ranges work alike for every kind.
        *([] if sheet.monthly else [Column("month", String(7), nullable=False, index=True)]),
    ]
    fields = list(sheet.fields)
    if sheet.monthly:  # the month comes first, as it always has
        columns.append(_column(fields.pop(0)))
    columns += [
        Column("created_at", DateTime, nullable=False),
        Column("updated_at", DateTime, nullable=False),
        # Deleting sets deleted_at, so a delete can be undone; every read skips those rows.
        Column("deleted_at", DateTime, nullable=True),
        Column("entered_by", String(64), nullable=False, index=True),  # the PM who entered it
        *(_column(f) for f in fields),
    ]
    extras = [Index(f"ix_{name}_{'_'.join(cols)}", *cols) for cols in sheet.indexes]
    # A name other records refer to is matched trimmed and in lower case (records.named_rows).
    by_name = {c.name: c for c in columns}
    extras += [Index(f"ix_{name}_{col}_key", func.lower(func.trim(by_name[col]))) for col in sheet.named]
    table = Table(name, SQLModel.metadata, *columns, *extras)
    if sheet.one_per_month:
        # One live record a month (a deleted one may be undone): a partial unique index, in
        # SQL both SQLite and PostgreSQL read, so that opening a SQLite file never loads the
        # PostgreSQL dialect just to check an index option.
        event.listen(table, "after_create", DDL(
            f"CREATE UNIQUE INDEX uq_{name}_month_live ON {name} (month) WHERE deleted_at IS NULL"))
    return table


def _tables() -> dict[str, Table]:
    existing = SQLModel.metadata.tables
    return {s.name: existing[s.table] if s.table in existing else _table(s) for s in SHEETS.values()}


SHEET_TABLES: dict[str, Table] = _tables()


def _plan_table(name: str, *columns_and_extras) -> Table:  # noqa: ANN002
    existing = SQLModel.metadata.tables
    return existing[name] if name in existing else Table(name, SQLModel.metadata, *columns_and_extras)


# The requirement pool's ranking as it stood at a quarter's re-rank: each request's place
# and the raw inputs that gave it, kept as they were (never edited afterwards).
RANK_SNAPSHOT = _plan_table(
    "rank_snapshot",
    Column("id", Integer, primary_key=True),
    Column("quarter", String(7), nullable=False, index=True),
    Column("request_id", Integer, nullable=False),
    Column("position", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("reach", Integer), Column("impact", Float), Column("confidence", Float), Column("effort", Float),
    Column("weight", Float), Column("weighted", Float),
    Column("taken_at", DateTime, nullable=False),
    Column("taken_by", String(64), nullable=False, default=""),
    UniqueConstraint("quarter", "request_id", name="uq_rank_snapshot_quarter_request"),
)

# One review of a risk: the scores it was given that day and a note, kept so the ledger
# shows how each risk moved.
RISK_REVIEW = _plan_table(
    "risk_review",
    Column("id", Integer, primary_key=True),
    Column("risk_id", Integer, nullable=False),
    Column("reviewed_on", Date, nullable=False),
    Column("likelihood", Integer, nullable=False),
    Column("impact", Integer, nullable=False),
    Column("note", Text),
    Column("reviewed_at", DateTime, nullable=False),
    Column("reviewed_by", String(64), nullable=False, default=""),
    Index("ix_risk_review_risk_day", "risk_id", "reviewed_on"),
)

# A record's earlier values: each field a correction or an edit changed, what it held
# before and after (as typed), who changed it and when. Kept, never edited.
RECORD_CHANGE = _plan_table(
    "record_change",
    Column("id", Integer, primary_key=True),
    Column("sheet", String(32), nullable=False),
    Column("row_id", Integer, nullable=False),
    Column("field", String(32), nullable=False),
    Column("before", Text),
    Column("after", Text),
    Column("changed_at", DateTime, nullable=False),
    Column("changed_by", String(64), nullable=False, default=""),
    Index("ix_record_change_row", "sheet", "row_id"),
)
