"""Every query pmweek runs. Services call these with their own Session;
list reads select columns (not ORM objects) so big histories stay cheap."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from pmweek.db.tables import (
    DayOverride,
    Meta,
    Plan,
    PlanLine,
    RoutineItem,
    Task,
    TaskEvent,
    WeekRow,
)

TASK_COLUMNS = (
    Task.id,
    Task.week_id,
    Task.parent_id,
    Task.day,
    Task.position,
    Task.key,
    Task.title,
    Task.table_name,
    Task.note,
    Task.done_at,
    Task.dismissed_at,
)


# -- meta -------------------------------------------------------------------

def get_meta(session: Session, key: str) -> str | None:
    return session.execute(select(Meta.value).where(Meta.key == key)).scalar_one_or_none()


def set_meta(session: Session, key: str, value: str) -> None:
    if get_meta(session, key) is None:
        session.execute(insert(Meta).values(key=key, value=value))
    else:
        session.execute(update(Meta).where(Meta.key == key).values(value=value))


# -- the work calendar: the user's own days ---------------------------------------------

def day_overrides(session: Session) -> Sequence:
    return session.execute(
        select(DayOverride.day, DayOverride.workday, DayOverride.name).order_by(DayOverride.day)
    ).all()


def set_day_override(session: Session, day, workday: bool, name: str | None) -> None:
    session.execute(delete(DayOverride).where(DayOverride.day == day))
    session.execute(insert(DayOverride).values(day=day, workday=workday, name=name))


def delete_day_override(session: Session, day) -> int:
    return session.execute(delete(DayOverride).where(DayOverride.day == day)).rowcount


# -- routine template ---------------------------------------------------------

def template_rows(session: Session, owner: str) -> Sequence:
    return session.execute(
        select(
            RoutineItem.id,
            RoutineItem.day,
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


def get_template_item(session: Session, item_id: int) -> RoutineItem | None:
    return session.get(RoutineItem, item_id)


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


def set_template_positions(session: Session, ids: Sequence[int]) -> None:
    for position, item_id in enumerate(ids):
        session.execute(
            update(RoutineItem).where(RoutineItem.id == item_id).values(position=position)
        )


def delete_template_item(session: Session, item_id: int) -> int:
    return session.execute(delete(RoutineItem).where(RoutineItem.id == item_id)).rowcount


# -- weeks and tasks ------------------------------------------------------------

def find_week(session: Session, owner: str, year: int, number: int) -> WeekRow | None:
    return session.execute(
        select(WeekRow).where(WeekRow.owner == owner, WeekRow.iso_year == year, WeekRow.iso_week == number)
    ).scalar_one_or_none()


def insert_week(session: Session, owner: str, year: int, number: int, now: datetime) -> int:
    result = session.execute(
        insert(WeekRow).values(owner=owner, iso_year=year, iso_week=number, created_at=now)
    )
    return result.inserted_primary_key[0]


def insert_task(session: Session, **values) -> int:
    return session.execute(insert(Task).values(**values)).inserted_primary_key[0]


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
    with the ISO week each belongs to. Bounded by two weeks whatever the history."""
    year, number = previous
    return session.execute(
        select(*TASK_COLUMNS, WeekRow.iso_year, WeekRow.iso_week)
        .join(WeekRow, WeekRow.id == Task.week_id)
        .where(
            Task.parent_id.is_(None),
            Task.done_at.is_(None),
            Task.dismissed_at.is_(None),
            or_(
                and_(Task.week_id == week_id, Task.day < day),
                and_(WeekRow.owner == owner, WeekRow.iso_year == year, WeekRow.iso_week == number),
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


def get_task(session: Session, task_id: int) -> Task | None:
    return session.get(Task, task_id)


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


def find_week_by_id(session: Session, week_id: int) -> WeekRow | None:
    return session.get(WeekRow, week_id)


def insert_template_item(session: Session, **values) -> int:
    return session.execute(insert(RoutineItem).values(**values)).inserted_primary_key[0]


# -- monthly business tables (one model per sheet, named as in domain.sheets) -----------------
# The models load on first use (db.sheet_tables), so opening the week never pays for them.


def _model(sheet: str):
    from pmweek.db.sheet_tables import SHEET_TABLES

    return SHEET_TABLES[sheet]


def sheet_rows(
    session: Session, sheet: str, fields: Sequence[str], first: str | None, last: str | None,
    by: str | None = None, product: str | None = None, on: str = "month", then: str | None = None,
) -> Sequence:
    """Live rows of a range of ``on`` (the month, or a date column): (id, the fields…,
    entered_by); ``by`` keeps one PM's, ``product`` one product line's (sheets without
    product lines ignore it)."""
    model = _model(sheet)
    columns = [model.c.id, *(model.c[f] for f in fields), model.c.entered_by]
    query = select(*columns).where(model.c.deleted_at.is_(None))
    if by is not None:
        query = query.where(model.c.entered_by == by)
    if product is not None and "product" in model.c:
        query = query.where(model.c.product == product)
    if first is not None:
        query = query.where(model.c[on] >= first)
    if last is not None:
        query = query.where(model.c[on] <= last)
    order = [model.c[on], *([model.c[then]] if then else []), model.c.id]
    return session.execute(query.order_by(*order)).all()


def sheet_row(session: Session, sheet: str, fields: Sequence[str], row_id: int):
    model = _model(sheet)
    columns = [model.c.id, *(model.c[f] for f in fields)]
    return session.execute(
        select(*columns).where(model.c.id == row_id, model.c.deleted_at.is_(None))
    ).first()


def live_month_row(session: Session, sheet: str, month: str) -> int | None:
    model = _model(sheet)
    return session.execute(
        select(model.c.id).where(model.c.month == month, model.c.deleted_at.is_(None))
    ).scalar_one_or_none()


def insert_sheet_row(session: Session, sheet: str, values: dict) -> int:
    model = _model(sheet)
    return session.execute(insert(model).values(**values)).inserted_primary_key[0]


def update_sheet_row(session: Session, sheet: str, row_id: int, values: dict) -> int:
    model = _model(sheet)
    return session.execute(
        update(model).where(model.c.id == row_id, model.c.deleted_at.is_(None)).values(**values)
    ).rowcount


def set_row_deleted(session: Session, sheet: str, row_id: int, when: datetime | None) -> int:
    model = _model(sheet)
    live = model.c.deleted_at.is_(None) if when is not None else model.c.deleted_at.is_not(None)
    return session.execute(
        update(model).where(model.c.id == row_id, live).values(deleted_at=when)
    ).rowcount


def last_deleted_row(session: Session, sheet: str) -> int | None:
    model = _model(sheet)
    return session.execute(
        select(model.c.id)
        .where(model.c.deleted_at.is_not(None))
        .order_by(model.c.deleted_at.desc(), model.c.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def used_values(session: Session, sheet: str, field: str, limit: int = 500) -> list[str]:
    model = _model(sheet)
    column = model.c[field]
    return list(
        session.execute(
            select(column)
            .where(column.is_not(None), model.c.deleted_at.is_(None))
            .group_by(column)
            .order_by(func.max(model.c.id).desc())
            .limit(limit)
        ).scalars()
    )


# -- what the Friday plan is compiled from ------------------------------------------------

def _live(model, fields: Sequence[str], *conditions):
    return select(model.c.id, *(model.c[f] for f in fields)).where(model.c.deleted_at.is_(None), *conditions)


def pending_tickets(session: Session, fields: Sequence[str], until) -> Sequence:
    """Ticket actions not done whose due date is ``until`` or earlier (so: overdue too)."""
    TicketTopic = _model("tickets")  # noqa: N806 (a model class)
    return session.execute(
        _live(TicketTopic, fields, TicketTopic.c.status != "done", TicketTopic.c.due.is_not(None), TicketTopic.c.due <= until)
        .order_by(TicketTopic.c.owner, TicketTopic.c.due, TicketTopic.c.id)
    ).all()


def pending_deals(session: Session, fields: Sequence[str], until) -> Sequence:
    Deal = _model("deals")  # noqa: N806
    return session.execute(
        _live(Deal, fields, Deal.c.status == "open", Deal.c.go_live.is_not(None), Deal.c.go_live <= until)
        .order_by(Deal.c.go_live, Deal.c.id)
    ).all()


def open_opportunities(session: Session, fields: Sequence[str], since_month: str) -> Sequence:
    Opportunity = _model("opportunities")  # noqa: N806
    return session.execute(
        _live(Opportunity, fields, Opportunity.c.status == "open", Opportunity.c.month >= since_month)
        .order_by(Opportunity.c.spend.desc(), Opportunity.c.id)
    ).all()


def week_item_note(session: Session, week_id: int, key: str) -> str | None:
    return session.execute(
        select(Task.note).where(Task.week_id == week_id, Task.key == key, Task.parent_id.is_(None)).limit(1)
    ).scalar_one_or_none()


# -- the plan --------------------------------------------------------------------------------

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


def set_line_positions(session: Session, ids: Sequence[int]) -> None:
    for position, line_id in enumerate(ids):
        session.execute(update(PlanLine).where(PlanLine.id == line_id).values(position=position))


# -- bulk work (demo data) -------------------------------------------------------------------

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
