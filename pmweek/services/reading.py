"""The morning's read, written once over any reader of the same tables: the ORM
session (``db.reads.SessionReads``, what the services use) or the standard library's
sqlite3 (``db.quick.QuickReads``, what the app shows today's list from while the ORM is
still loading). Nothing here imports SQLAlchemy.

A reader has: meta, day_overrides, find_week, week_tasks, open_items_before,
points_of, find_document, document_lines (rows with the tables' column names).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Protocol

from pmweek.calendars import WorkCalendar, default_for
from pmweek.domain.calendar import Week
from pmweek.domain.models import DayView, PointView, TaskView, WeekView
from pmweek.domain.plan import KIND_NAME, PlanLineView, open_plan_lines
from pmweek.domain.routine import same_work
from pmweek.domain.text import visible
from pmweek.domain.workweek import DayInfo, WorkWeek

CALENDAR = "calendar"  # the meta key of the saved calendar setting


class Reads(Protocol):
    def meta(self, key: str) -> str | None: ...
    def day_overrides(self) -> Sequence: ...
    def find_week(self, owner: str, year: int, number: int): ...  # noqa: ANN201 - a row with .id, or None
    def week_tasks(self, week_id: int) -> Sequence: ...
    def open_items_before(self, owner: str, week_id: int, day: int, previous: tuple[int, int]) -> Sequence: ...
    def points_of(self, parent_ids: Sequence[int]) -> Sequence: ...
    def find_document(self, kind: str, owner: str, period: str): ...  # noqa: ANN201
    def document_lines(self, document_id: int) -> Sequence: ...


# -- the calendar -------------------------------------------------------------------------------


def calendar_of(reads: Reads, name: str | None, lang: str) -> WorkCalendar:
    """The calendar in force (``name`` given on the command line, else the saved
    setting, else by language), with the user's own days on top."""
    chosen = name or reads.meta(CALENDAR) or default_for(lang)
    return WorkCalendar(chosen, {r.day: (r.workday, r.name) for r in reads.day_overrides()})


def today_in(work: WorkWeek, today: date | None) -> int | None:
    """The weekday the week opens on for ``today``, when today falls in it."""
    return work.day_for(today) if today is not None and Week.of(today) == work.week else None


# -- a stored week -------------------------------------------------------------------------------


def stored_week(reads: Reads, owner: str, work: WorkWeek, week_id: int, today_day: int | None) -> WeekView:
    """A week as stored, with what carries onto today (when today is in it)."""
    rows = reads.week_tasks(week_id)
    carried: tuple[TaskView, ...] = ()
    left_open: dict[int, date] = {}
    if today_day is not None:
        carried, left_open = _carried(reads, owner, week_id, work.week, today_day, rows)
    days = _group_days(work, rows, carried, today_day, left_open)
    return WeekView(week=work.week, days=days, stored=True, official=work.official, today=today_day)


def _carried(
    reads: Reads, owner: str, week_id: int, week: Week, day: int, rows: Sequence
) -> tuple[tuple[TaskView, ...], dict[int, date]]:
    """Open work of earlier days and of last week shown on ``day``, and the marks on
    this week's items whose earlier instance was left open.

    A routine item's open instance is superseded by a later instance of the same
    item this week (whatever its day): it is not carried, the later one is marked.
    What carries is work that would otherwise be lost: items whose routine item no
    longer recurs."""
    prev = week.previous
    items = [r for r in rows if r.parent_id is None]
    carried_rows, left_open = [], {}
    for r in reads.open_items_before(owner, week_id, day, (prev.year, prev.number)):
        this_week = (r.iso_year, r.iso_week) == (week.year, week.number)
        last = r.until_day or r.day
        later = next((s for s in items if s.id != r.id and (not this_week or s.day > last)
                      and same_work(r.key, r.title, s.key, s.title)), None)
        origin = Week(r.iso_year, r.iso_week).day(r.day)
        if later is None:
            carried_rows.append((r, origin))
        else:
            left_open[later.id] = max(left_open.get(later.id, origin), origin)
    points = points_by_parent(reads.points_of([r.id for r, _ in carried_rows]))
    views = tuple(task_view(r, origin, points.get(r.id, ()), carried_from=origin) for r, origin in carried_rows)
    return views, left_open


def block_days(work: WorkWeek, day: int, until: int | None) -> list[int]:
    """The days an item shows on: its own, and for a block item the later days that
    carry the rest of its routine days (not a holiday, nor a day carrying later routine
    that a make-up day put inside the block)."""
    if until is None:
        return [day]
    carrying = work.assignment()
    last = min(carrying.get(until, (until,)))
    return [day] + [d for d in range(day + 1, until + 1) if d in carrying and min(carrying[d]) <= last]


def points_by_parent(rows: Sequence) -> dict[int, tuple[PointView, ...]]:
    grouped: dict[int, list[PointView]] = {}
    for r in rows:
        grouped.setdefault(r.parent_id, []).append(PointView(r.id, visible(r.title), r.done_at))
    return {k: tuple(v) for k, v in grouped.items()}


def task_view(row, day: date, points: tuple[PointView, ...], carried_from: date | None = None) -> TaskView:  # noqa: ANN001
    return TaskView(
        id=row.id,
        day=row.day,
        date=day,
        title=visible(row.title),
        points=points,
        note=row.note,
        key=row.key,
        table=row.table_name,
        done_at=row.done_at,
        dismissed_at=row.dismissed_at,
        carried_from=carried_from,
        until_day=row.until_day,
    )


def _group_days(
    work: WorkWeek, rows: Sequence, carried: tuple[TaskView, ...], today_day: int | None,
    left_open: dict[int, date] | None = None,
) -> tuple[DayView, ...]:
    week = work.week
    items = [r for r in rows if r.parent_id is None]
    points = points_by_parent([r for r in rows if r.parent_id is not None])
    marks = left_open or {}
    by_day: dict[int, list[TaskView]] = {}
    for r in items:
        view = replace(task_view(r, week.day(r.day), points.get(r.id, ())), left_open=marks.get(r.id))
        for weekday in block_days(work, r.day, r.until_day):
            by_day.setdefault(weekday, []).append(view)
    return days_of(work, by_day, carried, today_day)


def days_of(work: WorkWeek, by_day: dict[int, list[TaskView]], carried: tuple[TaskView, ...] = (),
            today_day: int | None = None) -> tuple[DayView, ...]:
    """Monday–Friday, worked weekend days, and any day that holds items (a week made
    under another calendar keeps showing what it has), each with its tasks."""
    shown: list[DayInfo] = [d for d in work.days if d in work.shown or d.weekday in by_day]
    return tuple(
        DayView(info.weekday, info.date, tuple(by_day.get(info.weekday, ())),
                carried if info.weekday == today_day else (), info.workday, info.holiday)
        for info in shown
    )


# -- documents ------------------------------------------------------------------------------------


def line_of(r):  # noqa: ANN001, ANN201 - a row of the document line columns -> engine.Line
    from pmweek.domain.documents.engine import Line

    audience = json.loads(getattr(r, "audience", None) or "{}")
    return Line(
        id=r.id, section=r.section, position=r.position, kind=r.kind, facts=json.loads(r.facts or "{}"),
        text=r.text, source_key=r.source_key, owner=r.owner, owner_edited=r.owner_edited, priority=r.priority,
        due=r.due, due_edited=bool(r.due_edited), dropped_at=r.dropped_at, done_at=r.done_at, added_at=r.added_at,
        only=tuple(audience.get("only", ())), kept_from=tuple(audience.get("not", ())),
    )


def document_of(reads: Reads, row):  # noqa: ANN001, ANN201 - a document row -> engine.Document
    from pmweek.domain.documents.engine import Document

    lines = tuple(line_of(r) for r in reads.document_lines(row.id))
    return Document(row.kind, row.owner, row.period, row.compiled_at, row.compile_count, lines)


def plan_for(reads: Reads, owner: str, week: Week, lang: str):  # noqa: ANN201 - a PlanView or None
    """The plan made for ``week``: the one compiled the week before."""
    row = reads.find_document(KIND_NAME, owner, str(week.previous))
    if row is None:
        return None
    from pmweek.domain.documents.plan import plan_view  # the kinds load only when a plan is there

    return plan_view(document_of(reads, row), lang)


# -- the morning without the ORM -------------------------------------------------------------------


def quick_morning(path: Path, owner: str, lang: str, calendar: str | None, week: Week,
                  today: date) -> tuple[WeekView, list[PlanLineView]] | None:
    """``week`` as stored and the plan lines it works through, read from the SQLite file
    at ``path`` with sqlite3 alone; None when only the services can say (the week was
    never opened, the file is not of the current schema, it cannot be read)."""
    from pmweek.db.quick import QuickReads, open_quick

    try:
        conn = open_quick(path)
    except OSError:  # the file cannot even be looked at: the services say why
        return None
    if conn is None:
        return None
    try:
        reads = QuickReads(conn)
        row = reads.find_week(owner, week.year, week.number)
        if row is None:
            return None
        work = calendar_of(reads, calendar, lang).week(week)
        view = stored_week(reads, owner, work, row.id, today_in(work, today))
        return view, open_plan_lines(plan_for(reads, owner, week, lang))
    except Exception:  # noqa: BLE001 - only a head start: whatever stops it (a damaged
        # value, a type SQLite let in), the services read the same file next and say what
        # is wrong. The property test fails on any None where the services see a week.
        return None
    finally:
        conn.close()
