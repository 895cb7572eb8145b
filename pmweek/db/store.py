"""What every area shares: a row or NotFound, positions within an ordered list, bulk
inserts (demo data) and whether anything is stored at all."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from pmweek.db.tables import WeekRow
from pmweek.errors import NotFound


def get_or_gone(session: Session, model, row_id: int, gone: str):
    """The row ``row_id`` of ``model``; NotFound(``gone``) when another window (or an
    earlier action) removed it."""
    row = session.get(model, row_id)
    if row is None:
        raise NotFound(gone)
    return row


def set_positions(session: Session, model, ids: Sequence[int]) -> None:
    """Number the rows ``ids`` 0, 1, 2… in that order (a routine day, a plan section)."""
    for position, row_id in enumerate(ids):
        session.execute(update(model).where(model.id == row_id).values(position=position))


def has_history(session: Session) -> bool:
    """Whether the database holds any week or any table row (demo data never mixes in)."""
    from pmweek.db.sheet_tables import SHEET_TABLES

    for column in (WeekRow.id, *(table.c.id for table in SHEET_TABLES.values())):
        if session.execute(select(column).limit(1)).first() is not None:
            return True
    return False


def bulk_insert(session: Session, model, rows: Sequence[dict]) -> None:
    """Core executemany: orders of magnitude cheaper than ORM objects for bulk data.
    ``model`` is a table class, or the name of a sheet."""
    if isinstance(model, str):
        from pmweek.db.records import _model

        model = _model(model)
    if rows:
        session.execute(insert(model), list(rows))


def bulk_insert_returning(session: Session, model, rows: Sequence[dict]) -> list[int]:
    """Insert many rows and return their new ids in the order of ``rows``."""
    if not rows:
        return []
    result = session.execute(
        insert(model).returning(model.id, sort_by_parameter_order=True), list(rows)
    )
    return list(result.scalars())
