"""The annual plan's own tables: the pool's quarterly rankings and the risk reviews."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from pmweek.db.sheet_tables import RANK_SNAPSHOT, RISK_REVIEW


def snapshot_quarters(session: Session) -> list[str]:
    """The quarters a ranking was kept for, oldest first."""
    quarter = RANK_SNAPSHOT.c.quarter
    return list(session.execute(select(quarter).distinct().order_by(quarter)).scalars())


SNAPSHOT_COLUMNS = ("request_id", "title", "position", "reach", "impact", "confidence", "effort", "weight", "weighted")


def snapshot(session: Session, quarter: str) -> Sequence:
    """A kept ranking, best first: rows of SNAPSHOT_COLUMNS (plain rows: a pool may hold thousands)."""
    table = RANK_SNAPSHOT
    return session.execute(
        select(*(table.c[k] for k in SNAPSHOT_COLUMNS)).where(table.c.quarter == quarter).order_by(table.c.position)
    ).all()


def insert_snapshot(session: Session, rows: Sequence[dict]) -> None:
    if rows:
        session.execute(insert(RANK_SNAPSHOT), list(rows))


def insert_review(session: Session, **values) -> int:
    return session.execute(insert(RISK_REVIEW).values(**values)).inserted_primary_key[0]


def reviews(session: Session, risk_ids: Sequence[int]) -> Sequence:
    """Every review of these risks, oldest first within each."""
    if not risk_ids:
        return []
    review = RISK_REVIEW.c
    return session.execute(
        select(RISK_REVIEW).where(review.risk_id.in_(list(risk_ids)))
        .order_by(review.risk_id, review.reviewed_on, review.id)
    ).all()
