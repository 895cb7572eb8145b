"""Compiled documents and their lines."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from pmweek.db.quick import LINE_FIELDS
from pmweek.db.tables import DocumentLineRow, DocumentRow, WeekRow

# The columns db.quick reads too, by the same names.
LINE_COLUMNS = tuple(getattr(DocumentLineRow, name) for name in LINE_FIELDS)


def find(session: Session, kind: str, owner: str, period: str):
    return session.execute(
        select(DocumentRow).where(DocumentRow.kind == kind, DocumentRow.owner == owner, DocumentRow.period == period)
    ).scalar_one_or_none()


def insert_document(session: Session, kind: str, owner: str, period: str, now: datetime) -> int:
    return session.execute(
        insert(DocumentRow).values(kind=kind, owner=owner, period=period, compiled_at=now, compile_count=1)
    ).inserted_primary_key[0]


def update_document(session: Session, document_id: int, **values) -> None:
    session.execute(update(DocumentRow).where(DocumentRow.id == document_id).values(**values))


def lines(session: Session, document_id: int) -> Sequence:
    return session.execute(
        select(*LINE_COLUMNS).where(DocumentLineRow.document_id == document_id)
        .order_by(DocumentLineRow.section, DocumentLineRow.position, DocumentLineRow.id)
    ).all()


def line(session: Session, line_id: int):
    return session.execute(
        select(*LINE_COLUMNS, DocumentLineRow.document_id).where(DocumentLineRow.id == line_id)
    ).first()


def insert_line(session: Session, **values) -> int:
    return session.execute(insert(DocumentLineRow).values(**values)).inserted_primary_key[0]


def update_line(session: Session, line_id: int, **values) -> int:
    return session.execute(update(DocumentLineRow).where(DocumentLineRow.id == line_id).values(**values)).rowcount


def delete_lines(session: Session, ids: Sequence[int]) -> None:
    if ids:
        session.execute(delete(DocumentLineRow).where(DocumentLineRow.id.in_(ids)))


def section_line_ids(session: Session, document_id: int, section: str) -> list[int]:
    return list(session.execute(
        select(DocumentLineRow.id)
        .where(DocumentLineRow.document_id == document_id, DocumentLineRow.section == section)
        .order_by(DocumentLineRow.position, DocumentLineRow.id)
    ).scalars())


def owners(session: Session) -> list[str]:
    """Every PM with a checklist in this database (a team's lead prints them all)."""
    return list(session.execute(select(WeekRow.owner).distinct().order_by(WeekRow.owner)).scalars())
