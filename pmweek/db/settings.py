"""Settings and the work calendar: the meta key/values and the user's own days."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from pmweek.db.tables import DayOverride, Meta


def get_meta(session: Session, key: str) -> str | None:
    return session.execute(select(Meta.value).where(Meta.key == key)).scalar_one_or_none()


def set_meta(session: Session, key: str, value: str) -> None:
    if get_meta(session, key) is None:
        session.execute(insert(Meta).values(key=key, value=value))
    else:
        session.execute(update(Meta).where(Meta.key == key).values(value=value))


def day_overrides(session: Session) -> Sequence:
    return session.execute(
        select(DayOverride.day, DayOverride.workday, DayOverride.name).order_by(DayOverride.day)
    ).all()


def set_day_override(session: Session, day, workday: bool, name: str | None) -> None:
    session.execute(delete(DayOverride).where(DayOverride.day == day))
    session.execute(insert(DayOverride).values(day=day, workday=workday, name=name))


def delete_day_override(session: Session, day) -> int:
    return session.execute(delete(DayOverride).where(DayOverride.day == day)).rowcount


def meta_lines(session: Session, prefix: str) -> list[str]:
    """Lines of a text kept as numbered meta entries (``prefix:0``, ``prefix:1``…): a
    value holds at most 255 characters on every backend."""
    rows = session.execute(select(Meta.key, Meta.value).where(Meta.key.like(f"{prefix}:%"))).all()
    numbered = sorted((int(key.rsplit(":", 1)[1]), value) for key, value in rows if key.rsplit(":", 1)[1].isdigit())
    return [value for _, value in numbered]


def set_meta_lines(session: Session, prefix: str, lines: list[str]) -> None:
    session.execute(delete(Meta).where(Meta.key.like(f"{prefix}:%")))
    for number, line in enumerate(lines):
        session.execute(insert(Meta).values(key=f"{prefix}:{number}", value=line))
