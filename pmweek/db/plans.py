"""The Friday plan and its lines."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from pmweek.db.tables import Plan, PlanLine

PLAN_LINE_COLUMNS = (
    PlanLine.id, PlanLine.section, PlanLine.position, PlanLine.text, PlanLine.source_key,
    PlanLine.owner, PlanLine.owner_edited, PlanLine.text_edited, PlanLine.priority, PlanLine.due,
    PlanLine.carried, PlanLine.dropped_at, PlanLine.done_at, PlanLine.added_at,
)


def find_plan(session: Session, owner: str, year: int, number: int) -> Plan | None:
    return session.execute(
        select(Plan).where(Plan.owner == owner, Plan.iso_year == year, Plan.iso_week == number)
    ).scalar_one_or_none()


def insert_plan(session: Session, owner: str, year: int, number: int, now: datetime) -> int:
    return session.execute(
        insert(Plan).values(owner=owner, iso_year=year, iso_week=number, compiled_at=now, compile_count=1)
    ).inserted_primary_key[0]


def update_plan(session: Session, plan_id: int, **values) -> None:
    session.execute(update(Plan).where(Plan.id == plan_id).values(**values))


def plan_lines(session: Session, plan_id: int) -> Sequence:
    return session.execute(
        select(*PLAN_LINE_COLUMNS).where(PlanLine.plan_id == plan_id).order_by(PlanLine.section, PlanLine.position, PlanLine.id)
    ).all()


def plan_line(session: Session, line_id: int):
    return session.execute(select(*PLAN_LINE_COLUMNS, PlanLine.plan_id).where(PlanLine.id == line_id)).first()


def insert_plan_line(session: Session, **values) -> int:
    return session.execute(insert(PlanLine).values(**values)).inserted_primary_key[0]


def update_plan_line(session: Session, line_id: int, **values) -> int:
    return session.execute(update(PlanLine).where(PlanLine.id == line_id).values(**values)).rowcount


def delete_plan_lines(session: Session, ids: Sequence[int]) -> None:
    if ids:
        session.execute(delete(PlanLine).where(PlanLine.id.in_(ids)))


def section_line_ids(session: Session, plan_id: int, section: str) -> list[int]:
    return list(
        session.execute(
            select(PlanLine.id)
            .where(PlanLine.plan_id == plan_id, PlanLine.section == section)
            .order_by(PlanLine.position, PlanLine.id)
        ).scalars()
    )
