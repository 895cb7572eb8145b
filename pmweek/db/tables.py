"""SQLModel tables. Portable column types only: the same schema runs on SQLite
and PostgreSQL. Timestamps are timezone-aware UTC (domain.calendar.utcnow);
SQLModel refuses naive ones."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class Meta(SQLModel, table=True):
    __tablename__ = "meta"

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=255)


class RoutineItem(SQLModel, table=True):
    """The user's routine template: what a new week's checklist is copied from."""

    __tablename__ = "routine_item"
    __table_args__ = (Index("ix_routine_item_owner_day_pos", "owner", "day", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    owner: str = Field(default="", max_length=64)  # each PM has a routine of their own
    day: int  # ISO weekday, 1 = Monday
    position: int
    key: str | None = Field(default=None, max_length=64)  # shipped items only
    until_day: int | None = None  # one piece of work over several routine days (Tue–Wed)
    title: str = Field(sa_column=Column(Text, nullable=False))
    table_name: str | None = Field(default=None, max_length=32)
    points: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # points: one sub-point per line; a template is edited as a whole, never queried by point.


class DayOverride(SQLModel, table=True):
    """A day the user says is worked (a make-up day) or off (a holiday), whatever the
    calendar package says."""

    __tablename__ = "day_override"

    day: date = Field(primary_key=True)
    workday: bool
    name: str | None = Field(default=None, sa_type=Text)


class WeekRow(SQLModel, table=True):
    __tablename__ = "week"
    __table_args__ = (UniqueConstraint("owner", "iso_year", "iso_week", name="uq_week_owner_iso"),)

    id: int | None = Field(default=None, primary_key=True)
    owner: str = Field(default="", max_length=64)  # whose checklist: a team may share a database
    iso_year: int
    iso_week: int
    created_at: datetime


class Task(SQLModel, table=True):
    """One checklist line of one week: an item (parent_id NULL) or a sub-point."""

    __tablename__ = "task"
    __table_args__ = (
        Index("ix_task_week_day_pos", "week_id", "day", "position"),
        # Carry-over looks for open items of a week; keep it off the full table.
        Index("ix_task_open", "week_id", "done_at", "dismissed_at"),
        Index("ix_task_parent", "parent_id"),  # an item's sub-points, found without a scan
    )

    id: int | None = Field(default=None, primary_key=True)
    week_id: int = Field(foreign_key="week.id", ondelete="CASCADE")
    parent_id: int | None = Field(default=None, foreign_key="task.id", ondelete="CASCADE")
    day: int
    until_day: int | None = None  # the last workday of a block item; ticked on any of its days
    position: int
    key: str | None = Field(default=None, max_length=64)
    title: str = Field(sa_column=Column(Text, nullable=False))
    table_name: str | None = Field(default=None, max_length=32)
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    done_at: datetime | None = None
    dismissed_at: datetime | None = None
    updated_at: datetime | None = None


class TaskEvent(SQLModel, table=True):
    """What happened to a task and when: ticks, unticks, dismissals."""

    __tablename__ = "task_event"

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True, ondelete="CASCADE")
    at: datetime
    action: str = Field(max_length=16)
    detail: str | None = Field(default=None, sa_type=Text)  # "note": the text it replaced


# -- the Friday plan -----------------------------------------------------------------------


class DocumentRow(SQLModel, table=True):
    """A compiled document (the weekly report, and the ladder's next rungs): one per
    kind, owner and period."""

    __tablename__ = "document"
    __table_args__ = (UniqueConstraint("kind", "owner", "period", name="uq_document_kind_owner_period"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=16)
    owner: str = Field(default="", max_length=64)
    period: str = Field(max_length=16)  # 2026-W48, 2026-11, 2026-Q4, 2027
    compiled_at: datetime
    compile_count: int = 1


class DocumentLineRow(SQLModel, table=True):
    __tablename__ = "document_line"
    __table_args__ = (Index("ix_document_line_document_section", "document_id", "section", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", ondelete="CASCADE")
    section: str = Field(max_length=16)
    position: int
    source_key: str | None = Field(default=None, max_length=64)  # what compiled it; None: typed by the PM
    kind: str = Field(max_length=16)  # what the line is: how its facts are put into words
    facts: str = Field(default="{}", sa_type=Text)  # JSON: the facts, never words
    text: str | None = Field(default=None, sa_type=Text)  # the PM's own words, when typed or rewritten
    owner: str | None = Field(default=None, sa_type=Text)
    owner_edited: bool = False
    priority: int | None = None
    due: date | None = None
    due_edited: bool | None = None  # a date the PM set: a recompile keeps it over the source's
    dropped_at: datetime | None = None
    done_at: datetime | None = None
    added_at: datetime
    # JSON: the readers a line is for ({"only": [...]}) or kept from ({"not": [...]}); None: all.
    audience: str | None = Field(default=None, sa_type=Text)
    updated_at: datetime
