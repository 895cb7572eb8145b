"""The routine template, the weeks made from it, their items, sub-points and events.
List reads select columns (not ORM objects) so big histories stay cheap."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from pmweek.db.quick import TASK_FIELDS
from pmweek.db.tables import RoutineItem, Task, TaskEvent, WeekRow

# The columns db.quick reads too, by the same names.
TASK_COLUMNS = tuple(getattr(Task, name) for name in TASK_FIELDS)


def template_rows(session: Session, owner: str) -> Sequence:
    return session.execute(
        select(
            RoutineItem.id,
            RoutineItem.day,
            RoutineItem.until_day,
            RoutineItem.position,
            RoutineItem.key,
            RoutineItem.title,
            RoutineItem.table_name,
            RoutineItem.points,
        )
        .where(RoutineItem.owner == owner)
        .order_by(RoutineItem.day, RoutineItem.position, RoutineItem.id)
    ).all()


def insert_template_items(session: Session, rows: Iterable[dict]) -> None:
    rows = list(rows)
    if rows:
        session.execute(insert(RoutineItem), rows)


def insert_template_item(session: Session, **values) -> int:
    return session.execute(insert(RoutineItem).values(**values)).inserted_primary_key[0]


def next_template_position(session: Session, owner: str, day: int) -> int:
    top = session.execute(
        select(func.max(RoutineItem.position)).where(RoutineItem.owner == owner, RoutineItem.day == day)
    ).scalar_one_or_none()
    return 0 if top is None else top + 1


def template_day_ids(session: Session, owner: str, day: int) -> list[int]:
    return list(
        session.execute(
            select(RoutineItem.id)
            .where(RoutineItem.owner == owner, RoutineItem.day == day)
            .order_by(RoutineItem.position, RoutineItem.id)
        ).scalars()
    )


def delete_template_item(session: Session, item_id: int) -> int:
    return session.execute(delete(RoutineItem).where(RoutineItem.id == item_id)).rowcount


def find_week(session: Session, owner: str, year: int, number: int) -> WeekRow | None:
    return session.execute(
        select(WeekRow).where(WeekRow.owner == owner, WeekRow.iso_year == year, WeekRow.iso_week == number)
    ).scalar_one_or_none()


def find_week_by_id(session: Session, week_id: int) -> WeekRow | None:
    return session.get(WeekRow, week_id)


def has_weeks(session: Session, owner: str) -> bool:
    """Has ``owner`` opened any week before?"""
    return session.execute(select(WeekRow.id).where(WeekRow.owner == owner).limit(1)).first() is not None


def insert_week(session: Session, owner: str, year: int, number: int, now: datetime) -> int:
    result = session.execute(
        insert(WeekRow).values(owner=owner, iso_year=year, iso_week=number, created_at=now)
    )
    return result.inserted_primary_key[0]


def insert_task(session: Session, **values) -> int:
    return session.execute(insert(Task).values(**values)).inserted_primary_key[0]


def next_task_position(session: Session, week_id: int, day: int) -> int:
    """After the items a day of a week holds (one-off work goes at the end)."""
    last = session.execute(
        select(func.max(Task.position)).where(Task.week_id == week_id, Task.day == day, Task.parent_id.is_(None))
    ).scalar_one_or_none()
    return 0 if last is None else last + 1


def insert_tasks(session: Session, rows: Sequence[dict]) -> None:
    if rows:
        session.execute(insert(Task), list(rows))


def week_tasks(session: Session, week_id: int) -> Sequence:
    """Every task and sub-point of one week, items before their points."""
    return session.execute(
        select(*TASK_COLUMNS)
        .where(Task.week_id == week_id)
        .order_by(Task.day, Task.parent_id.is_not(None), Task.position, Task.id)
    ).all()


def open_items_before(
    session: Session, owner: str, week_id: int, day: int, previous: tuple[int, int]
) -> Sequence:
    """Undone, undismissed items of earlier days this week and of all of last week,
    and one-off work (no routine key) left open in any week before: it is carried until
    done or dismissed. With the ISO week each belongs to."""
    year, number = previous
    last_week = (
        select(WeekRow.id)
        .where(WeekRow.owner == owner, WeekRow.iso_year == year, WeekRow.iso_week == number)
        .scalar_subquery()
    )
    older = select(WeekRow.id).where(
        WeekRow.owner == owner, or_(WeekRow.iso_year < year, and_(WeekRow.iso_year == year, WeekRow.iso_week < number)))
    return session.execute(
        select(*TASK_COLUMNS, WeekRow.iso_year, WeekRow.iso_week)
        .join(WeekRow, WeekRow.id == Task.week_id)
        .where(
            Task.done_at.is_(None),
            Task.dismissed_at.is_(None),
            # "+ 0": not by the parent index, which SQLite would pick and then read every item of every year.
            (Task.parent_id + 0).is_(None),
            or_(
                # The two weeks by id, so the open-items index is used, not a scan of the history;
                # a block item (Tue–Wed) is open work only once its last day is past.
                and_(Task.week_id.in_([week_id, last_week]),
                     or_(Task.week_id != week_id, func.coalesce(Task.until_day, Task.day) < day)),
                # Older weeks: their open one-off work, by each week's open-items index.
                and_(Task.key.is_(None), Task.week_id.in_(older)),
            ),
        )
        .order_by(WeekRow.iso_year, WeekRow.iso_week, Task.day, Task.position, Task.id)
    ).all()


def points_of(session: Session, parent_ids: Sequence[int]) -> Sequence:
    if not parent_ids:
        return []
    return session.execute(
        select(*TASK_COLUMNS)
        .where(Task.parent_id.in_(parent_ids))
        .order_by(Task.parent_id, Task.position, Task.id)
    ).all()


def delete_tasks(session: Session, task_ids: Sequence[int]) -> None:
    if task_ids:
        session.execute(delete(Task).where(Task.id.in_(list(task_ids))))


def update_task(session: Session, task_id: int, **values) -> int:
    return session.execute(update(Task).where(Task.id == task_id).values(**values)).rowcount


def add_event(session: Session, task_id: int, at: datetime, action: str, detail: str | None = None) -> None:
    session.execute(insert(TaskEvent).values(task_id=task_id, at=at, action=action, detail=detail))


def task_events(session: Session, task_id: int) -> Sequence:
    return session.execute(
        select(TaskEvent.at, TaskEvent.action, TaskEvent.detail)
        .where(TaskEvent.task_id == task_id)
        .order_by(TaskEvent.at, TaskEvent.id)
    ).all()


def week_item_note(session: Session, week_id: int, key: str) -> str | None:
    return session.execute(
        select(Task.note).where(Task.week_id == week_id, Task.key == key, Task.parent_id.is_(None)).limit(1)
    ).scalar_one_or_none()


def item_notes(session: Session, owner: str, key: str, weeks: Sequence[tuple[int, int]]) -> Sequence:
    """The notes one routine item was given in some weeks: (iso_year, iso_week, day,
    task id, note), oldest first; items left without a note are left out."""
    if not weeks:
        return []
    rows = session.execute(
        select(WeekRow.iso_year, WeekRow.iso_week, Task.day, Task.id, Task.note, Task.parent_id)
        .join(WeekRow, WeekRow.id == Task.week_id)
        .where(Task.week_id.in_(_week_ids(owner, weeks)), Task.key == key, Task.note.is_not(None), Task.note != "")
        .order_by(WeekRow.iso_year, WeekRow.iso_week, Task.day, Task.id)
    ).all()
    # Items, not sub-points, kept here: asked of SQLite, "parent is null" leads it to the
    # parent index and a scan of every item of every year.
    return [r for r in rows if r.parent_id is None]


def done_titles(session: Session, owner: str, weeks: Sequence[tuple[int, int]]) -> list[str]:
    """The titles of the items and sub-points one PM ticked in some weeks (a quarter's
    key-result tasks are done when the checklist item of their name is)."""
    if not weeks:
        return []
    return list(session.execute(
        select(Task.title).where(Task.week_id.in_(_week_ids(owner, weeks)), Task.done_at.is_not(None))
    ).scalars())


def _week_ids(owner: str, weeks: Sequence[tuple[int, int]]):  # noqa: ANN202 - a subquery
    """The ids of one PM's stored weeks among ``weeks``: tasks are then found by their
    week's index, at the same cost whatever the years of history behind them."""
    wanted = or_(*(and_(WeekRow.iso_year == y, WeekRow.iso_week == n) for y, n in weeks))
    return select(WeekRow.id).where(WeekRow.owner == owner, wanted)
