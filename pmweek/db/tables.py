"""SQLModel tables. Portable column types only: the same schema runs on SQLite
and PostgreSQL. Timestamps are timezone-aware UTC (domain.calendar.utcnow);
SQLModel refuses naive ones."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel


class Meta(SQLModel, table=True):
    __tablename__ = "meta"

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(max_length=255)


class RoutineItem(SQLModel, table=True):
    """The user's routine template: what a new week's checklist is copied from."""

    __tablename__ = "routine_item"
    __table_args__ = (Index("ix_routine_item_day_pos", "day", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    day: int  # ISO weekday, 1 = Monday
    position: int
    key: str | None = Field(default=None, max_length=64)  # shipped items only
    title: str = Field(sa_column=Column(Text, nullable=False))
    table_name: str | None = Field(default=None, max_length=32)
    points: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # points: one sub-point per line; a template is edited as a whole, never queried by point.


class WeekRow(SQLModel, table=True):
    __tablename__ = "week"
    __table_args__ = (UniqueConstraint("iso_year", "iso_week", name="uq_week_iso"),)

    id: int | None = Field(default=None, primary_key=True)
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
    )

    id: int | None = Field(default=None, primary_key=True)
    week_id: int = Field(foreign_key="week.id", ondelete="CASCADE")
    parent_id: int | None = Field(default=None, foreign_key="task.id", ondelete="CASCADE")
    day: int
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


# -- monthly business tables ------------------------------------------------------------
# One table per sheet of domain.sheets; column names are the sheet's field keys.
# Deleting sets deleted_at, so a delete can be undone; every read skips those rows.


class RecordBase(SQLModel):
    id: int | None = Field(default=None, primary_key=True)
    month: str = Field(max_length=7, index=True)
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None


def _one_live_row_per_month(table: str) -> Index:
    where = text("deleted_at IS NULL")
    return Index(f"uq_{table}_month_live", "month", unique=True, sqlite_where=where, postgresql_where=where)


class Opportunity(RecordBase, table=True):
    __tablename__ = "opportunity"
    __table_args__ = (Index("ix_opportunity_status_month", "status", "month"),)
    customer: str = Field(sa_type=Text)
    spend: float | None = None
    industry: str | None = Field(default=None, sa_type=Text)
    influence: str | None = Field(default=None, sa_type=Text)
    reason: str = Field(sa_type=Text)
    status: str = Field(default="open", max_length=16)


class Churn(RecordBase, table=True):
    __tablename__ = "churn"
    customer: str = Field(sa_type=Text)
    churn_reason: str = Field(sa_type=Text)


class OpportunityTotal(RecordBase, table=True):
    __tablename__ = "opportunity_total"
    __table_args__ = (_one_live_row_per_month("opportunity_total"),)
    total: int


class Campaign(RecordBase, table=True):
    __tablename__ = "campaign"
    campaign: str = Field(sa_type=Text)
    attention: int | None = None
    conversions: int | None = None
    improvement: str | None = Field(default=None, sa_type=Text)


class Deal(RecordBase, table=True):
    __tablename__ = "deal"
    __table_args__ = (Index("ix_deal_status_go_live", "status", "go_live"),)
    customer: str = Field(sa_type=Text)
    target: float | None = None
    requirement: str | None = Field(default=None, sa_type=Text)
    go_live: date | None = None
    progress: str | None = Field(default=None, sa_type=Text)
    status: str = Field(default="open", max_length=16)


class TicketTopic(RecordBase, table=True):
    __tablename__ = "ticket_topic"
    __table_args__ = (Index("ix_ticket_topic_status_due", "status", "due"),)
    category: str = Field(sa_type=Text)
    count: int | None = None
    plan: str | None = Field(default=None, sa_type=Text)
    owner: str | None = Field(default=None, sa_type=Text)
    due: date | None = None
    status: str = Field(default="open", max_length=16)


class Revenue(RecordBase, table=True):
    __tablename__ = "revenue"
    __table_args__ = (_one_live_row_per_month("revenue"),)
    cash: float | None = None
    gaap: float | None = None
    users: int | None = None
    instances: int | None = None
    forecast: float | None = None
    change_note: str | None = Field(default=None, sa_type=Text)
    actions: str | None = Field(default=None, sa_type=Text)


SHEET_TABLES: dict[str, type[RecordBase]] = {
    "opportunities": Opportunity,
    "churn": Churn,
    "opportunity_totals": OpportunityTotal,
    "campaigns": Campaign,
    "deals": Deal,
    "tickets": TicketTopic,
    "revenue": Revenue,
}


# -- the Friday plan -----------------------------------------------------------------------


class Plan(SQLModel, table=True):
    """Next week's plan, compiled during ISO week (iso_year, iso_week)."""

    __tablename__ = "plan"
    __table_args__ = (UniqueConstraint("iso_year", "iso_week", name="uq_plan_week"),)

    id: int | None = Field(default=None, primary_key=True)
    iso_year: int
    iso_week: int
    compiled_at: datetime
    compile_count: int = 1


class PlanLine(SQLModel, table=True):
    __tablename__ = "plan_line"
    __table_args__ = (Index("ix_plan_line_plan_section", "plan_id", "section", "position"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", ondelete="CASCADE")
    section: str = Field(max_length=16)
    position: int
    source_key: str | None = Field(default=None, max_length=64)  # what compiled it; None: typed by the PM
    text: str = Field(sa_type=Text)
    owner: str | None = Field(default=None, sa_type=Text)
    owner_edited: bool = False
    text_edited: bool = False
    priority: int | None = None
    due: date | None = None
    carried: int | None = None
    dropped_at: datetime | None = None
    done_at: datetime | None = None
    added_at: datetime
    updated_at: datetime
