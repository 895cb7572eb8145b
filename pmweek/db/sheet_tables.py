"""The monthly business tables: one table per sheet of domain.sheets, column names
being the sheet's field keys. Kept apart from db.tables so that opening the week (the
common path) does not pay for building these models; they load on first use."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, Text, text
from sqlmodel import Field, SQLModel

# Deleting sets deleted_at, so a delete can be undone; every read skips those rows.


class RecordBase(SQLModel):
    id: int | None = Field(default=None, primary_key=True)
    month: str = Field(max_length=7, index=True)
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None = None
    entered_by: str = Field(default="", max_length=64, index=True)  # the PM who entered it


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
    product: str | None = Field(default=None, sa_type=Text, index=True)


class Churn(RecordBase, table=True):
    __tablename__ = "churn"
    customer: str = Field(sa_type=Text)
    churn_reason: str = Field(sa_type=Text)
    product: str | None = Field(default=None, sa_type=Text, index=True)


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
    product: str | None = Field(default=None, sa_type=Text, index=True)


class Deal(RecordBase, table=True):
    __tablename__ = "deal"
    __table_args__ = (Index("ix_deal_status_go_live", "status", "go_live"),)
    customer: str = Field(sa_type=Text)
    target: float | None = None
    requirement: str | None = Field(default=None, sa_type=Text)
    go_live: date | None = None
    progress: str | None = Field(default=None, sa_type=Text)
    status: str = Field(default="open", max_length=16)
    product: str | None = Field(default=None, sa_type=Text, index=True)


class TicketTopic(RecordBase, table=True):
    __tablename__ = "ticket_topic"
    __table_args__ = (Index("ix_ticket_topic_status_due", "status", "due"),)
    category: str = Field(sa_type=Text)
    count: int | None = None
    plan: str | None = Field(default=None, sa_type=Text)
    owner: str | None = Field(default=None, sa_type=Text)
    due: date | None = None
    status: str = Field(default="open", max_length=16)
    product: str | None = Field(default=None, sa_type=Text, index=True)


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
