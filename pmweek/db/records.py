"""The records (monthly tables and dated kinds): one table per kind, built from its
declaration (db.sheet_tables, loaded on first use so opening the week never pays for it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import Select, String, bindparam, cast, func, insert, or_, select, update
from sqlalchemy.orm import Session


def _model(sheet: str):
    from pmweek.db.sheet_tables import SHEET_TABLES

    return SHEET_TABLES[sheet]


def sheet_rows(
    session: Session, sheet: str, fields: Sequence[str], first: str | None, last: str | None,
    by: str | None = None, product: str | None = None, on: str = "month", then: str | None = None,
    only: Mapping[str, Sequence[str]] | None = None,
) -> Sequence:
    """Live rows of a range of ``on`` (the month, or a date column): (id, the fields…,
    entered_by); ``by`` keeps one PM's, ``product`` one product line's (sheets without
    product lines ignore it)."""
    has_product = product is not None and "product" in _model(sheet).c
    only = only or {}
    query = _rows_query(sheet, tuple(fields), on, then, by is not None, has_product, tuple(only),
                        first is not None, last is not None)
    params = {"by": by, "product": product, "first": first, "last": last,
              **{f"only_{column}": list(allowed) for column, allowed in only.items()}}
    return session.execute(query, params).all()


@lru_cache(maxsize=256)
def _rows_query(sheet: str, fields: tuple[str, ...], on: str, then: str | None, by: bool, product: bool,
                only: tuple[str, ...], first: bool, last: bool) -> Select:
    # One statement per shape, values bound at execution: a report runs the same few
    # shapes dozens of times, and building a statement costs more than running it.
    model = _model(sheet)
    query = select(model.c.id, *(model.c[f] for f in fields), model.c.entered_by).where(model.c.deleted_at.is_(None))
    if by:
        query = query.where(model.c.entered_by == bindparam("by"))
    if product:
        query = query.where(model.c.product == bindparam("product"))
    for column in only:  # e.g. open partner requests only
        query = query.where(model.c[column].in_(bindparam(f"only_{column}", expanding=True)))
    if first:
        query = query.where(model.c[on] >= bindparam("first"))
    if last:
        query = query.where(model.c[on] <= bindparam("last"))
    return query.order_by(model.c[on], *([model.c[then]] if then else []), model.c.id)


def month_totals(
    session: Session, sheet: str, first: str, last: str, column: str | None = None,
    only: Mapping[str, Sequence[str]] | None = None, unless: Mapping[str, Sequence[str]] | None = None,
    before: tuple[str, date] | None = None,
) -> dict[str, float]:
    """Per month of a range: how many live records (``column`` None) or the sum of
    ``column``; ``only``/``unless`` keep or leave out records by the values of a column,
    ``before`` keeps those whose date column is earlier. One grouped query, whatever the
    number of rows behind it."""
    only, unless = only or {}, unless or {}
    query = _totals_query(sheet, column, tuple(only), tuple(unless), before[0] if before else None)
    params = {"first": first, "last": last, "before": before[1] if before else None,
              **{f"only_{k}": list(v) for k, v in only.items()}, **{f"unless_{k}": list(v) for k, v in unless.items()}}
    rows = session.execute(query, params).all()
    return {month: value for month, value in rows if value is not None}


@lru_cache(maxsize=128)
def _totals_query(sheet: str, column: str | None, only: tuple[str, ...], unless: tuple[str, ...],
                  before: str | None) -> Select:
    model = _model(sheet)
    measure = func.count(model.c.id) if column is None else func.sum(model.c[column])
    query = select(model.c.month, measure).where(
        model.c.deleted_at.is_(None), model.c.month >= bindparam("first"), model.c.month <= bindparam("last")
    )
    for name in only:
        query = query.where(model.c[name].in_(bindparam(f"only_{name}", expanding=True)))
    for name in unless:
        query = query.where(model.c[name].not_in(bindparam(f"unless_{name}", expanding=True)))
    if before is not None:
        query = query.where(model.c[before] < bindparam("before"))
    return query.group_by(model.c.month)


def dated_month_counts(session: Session, sheet: str, on: str, first: date, last: date,
                       only: Mapping[str, Sequence[str]] | None = None) -> dict[str, int]:
    """Per month of the date column ``on`` in [first, last]: how many live records
    (``only``: those whose columns hold one of the given values). Grouped in the
    database: the same cost for ten rows as for ten thousand."""
    model = _model(sheet)
    month = func.substr(cast(model.c[on], String), 1, 7)  # an ISO date's YYYY-MM, on both databases
    query = select(month, func.count(model.c.id)).where(
        model.c.deleted_at.is_(None), model.c[on] >= first, model.c[on] <= last
    )
    for column, allowed in (only or {}).items():
        query = query.where(model.c[column].in_(list(allowed)))
    return {m: n for m, n in session.execute(query.group_by(month)).all()}


def dated_rows(session: Session, sheet: str, fields: Sequence[str], on: str, first: date, last: date,
               only: Mapping[str, Sequence[str]] | None = None) -> Sequence:
    """Live rows whose date column ``on`` falls in [first, last]: (id, the fields…);
    ``only`` those whose columns hold one of the given values (an index led by that
    column then serves the range)."""
    model = _model(sheet)
    query = select(model.c.id, *(model.c[f] for f in fields)).where(
        model.c.deleted_at.is_(None), model.c[on] >= first, model.c[on] <= last
    )
    for column, allowed in (only or {}).items():
        query = query.where(model.c[column].in_(list(allowed)))
    return session.execute(query.order_by(model.c[on], model.c.id)).all()


def touched_rows(session: Session, sheet: str, fields: Sequence[str], first: datetime, last: datetime) -> Sequence:
    """Live rows entered or changed in [first, last): (id, the fields…, created_at);
    by the index on neither, but a week's records are few and the table is read once."""
    model = _model(sheet)
    query = select(model.c.id, *(model.c[f] for f in fields), model.c.created_at).where(
        model.c.deleted_at.is_(None), model.c.updated_at >= first, model.c.updated_at < last
    )
    return session.execute(query.order_by(model.c.id)).all()


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


def insert_sheet_rows(session: Session, sheet: str, rows: Sequence[dict]) -> None:
    """Many rows in one statement (an import)."""
    if rows:
        session.execute(insert(_model(sheet)), list(rows))


def update_sheet_row(session: Session, sheet: str, row_id: int, values: dict) -> int:
    model = _model(sheet)
    return session.execute(
        update(model).where(model.c.id == row_id, model.c.deleted_at.is_(None)).values(**values)
    ).rowcount


def add_changes(session: Session, rows: Sequence[dict]) -> None:
    """Keep what a correction or an edit changed (db.sheet_tables.RECORD_CHANGE)."""
    from pmweek.db.sheet_tables import RECORD_CHANGE

    if rows:
        session.execute(insert(RECORD_CHANGE), list(rows))


def row_changes(session: Session, sheet: str, row_id: int) -> Sequence:
    """A record's changes, oldest first: (field, before, after, changed_at, changed_by)."""
    from pmweek.db.sheet_tables import RECORD_CHANGE

    change = RECORD_CHANGE.c
    return session.execute(
        select(change.field, change.before, change.after, change.changed_at, change.changed_by)
        .where(change.sheet == sheet, change.row_id == row_id)
        .order_by(change.changed_at, change.id)
    ).all()


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


def named_rows(session: Session, sheet: str, fields: Sequence[str], column: str, names: Sequence[str]) -> Sequence:
    """Live rows whose ``column``, trimmed and in lower case, is one of ``names``: (id, the fields…)."""
    if not names:
        return []
    model = _model(sheet)
    query = select(model.c.id, *(model.c[f] for f in fields)).where(
        model.c.deleted_at.is_(None), func.lower(func.trim(model.c[column])).in_(list(names))
    )
    return session.execute(query.order_by(model.c.id)).all()


def overlapping_rows(
    session: Session, sheet: str, fields: Sequence[str], start: str, end: str, first: date, last: date,
) -> Sequence:
    """Live rows whose span [``start``, ``end``] meets [first, last] (no end: still
    running): (id, the fields…), by start."""
    model = _model(sheet)
    query = select(model.c.id, *(model.c[f] for f in fields)).where(
        model.c.deleted_at.is_(None), model.c[start] <= last, or_(model.c[end] >= first, model.c[end].is_(None))
    )
    return session.execute(query.order_by(model.c[start], model.c.id)).all()


def open_counts(session: Session, sheet: str, column: str) -> dict[str, int]:
    """How many open records each value of ``column`` has, the value trimmed and in lower
    case (the open deals and opportunities of each customer)."""
    model = _model(sheet)
    key = func.lower(func.trim(model.c[column]))
    query = select(key, func.count(model.c.id)).where(model.c.deleted_at.is_(None), model.c.status == "open")
    return {name: count for name, count in session.execute(query.group_by(key)).all() if name}
