"""Use cases of the weekly checklist and its routine template.

Each method opens its own Session and returns read models (pmweek.domain.models).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pmweek.db import repo
from pmweek.domain.calendar import WORKDAYS, Week, routine_day, utcnow
from pmweek.domain.models import DayView, PointView, TaskView, WeekView
from pmweek.domain.routine import TemplateItem, clean_points, clean_title, shipped_template
from pmweek.errors import InputError, NotFound

TEMPLATE_SEEDED = "template_seeded"


class ChecklistService:
    def __init__(
        self, engine: Engine, lang: str = "en", clock: Callable[[], datetime] = utcnow
    ) -> None:
        self.engine = engine
        self.lang = lang
        self.clock = clock

    # -- weeks ----------------------------------------------------------------

    def open_week(self, week: Week, today: date | None = None) -> WeekView:
        """The week's checklist, copied from the template if this is its first opening."""
        return self._week_view(week, today, create=True)

    def peek_week(self, week: Week, today: date | None = None) -> WeekView:
        """The week as stored, or (never opened) as the template would make it. Writes nothing."""
        return self._week_view(week, today, create=False)

    def _week_view(self, week: Week, today: date | None, create: bool) -> WeekView:
        with Session(self.engine) as session:
            row = repo.find_week(session, week.year, week.number)
            if row is None and create:
                row = self._create_week(session, week)
            if row is None:
                return self._preview(session, week)
            rows = repo.week_tasks(session, row.id)
            carried: tuple[TaskView, ...] = ()
            today_day = None
            if today is not None and Week.of(today) == week:
                today_day = routine_day(today)
                carried = self._carried(session, row.id, week, today_day)
            days = _group_days(week, rows)
            days = tuple(
                DayView(d.weekday, d.date, d.tasks, carried if d.weekday == today_day else ())
                for d in days
            )
            return WeekView(week=week, days=days, stored=True, created_at=row.created_at)

    def _create_week(self, session: Session, week: Week):
        now = self.clock()
        try:
            template = self._template(session, seed=True)
            week_id = repo.insert_week(session, week.year, week.number, now)
            for item in template:
                parent = repo.insert_task(
                    session,
                    week_id=week_id,
                    day=item.day,
                    position=item.position,
                    key=item.key,
                    title=item.title,
                    table_name=item.table,
                    note="",
                )
                repo.insert_tasks(
                    session,
                    [
                        dict(week_id=week_id, parent_id=parent, day=item.day, position=i,
                             key=None, title=text, table_name=None, note="")
                        for i, text in enumerate(item.points)
                    ],
                )
            session.commit()
        except IntegrityError:
            # Another window opened the same week first: use its copy.
            session.rollback()
        return repo.find_week(session, week.year, week.number)

    def _carried(self, session: Session, week_id: int, week: Week, day: int) -> tuple[TaskView, ...]:
        prev = week.previous
        rows = repo.open_items_before(session, week_id, day, (prev.year, prev.number))
        points = _points_by_parent(repo.points_of(session, [r.id for r in rows]))
        views = []
        for r in rows:
            origin = Week(r.iso_year, r.iso_week).day(r.day)
            views.append(_task_view(r, origin, points.get(r.id, ()), carried_from=origin))
        return tuple(views)

    def _preview(self, session: Session, week: Week) -> WeekView:
        by_day: dict[int, list[TaskView]] = {d: [] for d in WORKDAYS}
        for item in self._template(session, seed=False):
            by_day[item.day].append(
                TaskView(
                    id=None,
                    day=item.day,
                    date=week.day(item.day),
                    title=item.title,
                    points=tuple(PointView(None, p) for p in item.points),
                    key=item.key,
                    table=item.table,
                )
            )
        days = tuple(DayView(d, week.day(d), tuple(by_day[d])) for d in WORKDAYS)
        return WeekView(week=week, days=days, stored=False)

    # -- ticking, dismissing, notes -----------------------------------------------

    def toggle(self, task_id: int) -> datetime | None:
        """Tick or untick a task or sub-point; returns when it was ticked (None: unticked)."""
        with Session(self.engine) as session:
            task = self._task(session, task_id)
            now = self.clock()
            done = task.done_at is None
            repo.update_task(session, task_id, done_at=now if done else None, updated_at=now)
            repo.add_event(session, task_id, now, "done" if done else "undone")
            session.commit()
            return now if done else None

    def toggle_dismissed(self, task_id: int) -> datetime | None:
        """Dismiss an item (it stops being carried) or bring it back; returns when dismissed."""
        with Session(self.engine) as session:
            task = self._task(session, task_id)
            now = self.clock()
            dismissed = task.dismissed_at is None
            repo.update_task(
                session, task_id, dismissed_at=now if dismissed else None, updated_at=now
            )
            repo.add_event(session, task_id, now, "dismissed" if dismissed else "restored")
            session.commit()
            return now if dismissed else None

    def set_note(self, task_id: int, note: str) -> None:
        with Session(self.engine) as session:
            task = self._task(session, task_id)
            if task.note != note:
                repo.update_task(session, task_id, note=note, updated_at=self.clock())
                session.commit()

    def task(self, task_id: int) -> TaskView:
        with Session(self.engine) as session:
            task = self._task(session, task_id)
            week = repo.find_week_by_id(session, task.week_id)
            wk = Week(week.iso_year, week.iso_week)
            points = _points_by_parent(repo.points_of(session, [task_id]))
            return _task_view(task, wk.day(task.day), points.get(task_id, ()))

    def history(self, task_id: int) -> list[tuple[datetime, str]]:
        with Session(self.engine) as session:
            return [(r.at, r.action) for r in repo.task_events(session, task_id)]

    @staticmethod
    def _task(session: Session, task_id: int):
        task = repo.get_task(session, task_id)
        if task is None:
            raise NotFound("error.task_gone")
        return task

    # -- the routine template ---------------------------------------------------------

    def template(self) -> list[TemplateItem]:
        with Session(self.engine) as session:
            return self._template(session, seed=False)

    def _template(self, session: Session, seed: bool) -> list[TemplateItem]:
        """The user's template; before the first edit or week, the shipped one."""
        if repo.get_meta(session, TEMPLATE_SEEDED) is None:
            shipped = shipped_template(self.lang)
            if not seed:
                return shipped
            repo.insert_template_items(
                session,
                (
                    dict(day=i.day, position=i.position, key=i.key, title=i.title,
                         table_name=i.table, points="\n".join(i.points))
                    for i in shipped
                ),
            )
            repo.set_meta(session, TEMPLATE_SEEDED, self.lang)
        return [
            TemplateItem(
                id=r.id, day=r.day, position=r.position, key=r.key, title=r.title,
                table=r.table_name, points=tuple(p for p in r.points.split("\n") if p),
            )
            for r in repo.template_rows(session)
        ]

    def add_template_item(self, day: int, title: str, points: str = "") -> int:
        if day not in WORKDAYS:
            raise InputError("error.bad_day")
        clean = clean_title(title)
        lines = clean_points(points)
        with Session(self.engine) as session:
            self._template(session, seed=True)
            item_id = repo.insert_template_item(
                session, day=day, position=repo.next_template_position(session, day),
                key=None, title=clean, table_name=None, points="\n".join(lines),
            )
            session.commit()
            return item_id

    def edit_template_item(self, item_id: int, title: str, points: str) -> None:
        clean = clean_title(title)
        lines = clean_points(points)
        with Session(self.engine) as session:
            item = repo.get_template_item(session, item_id)
            if item is None:
                raise NotFound("error.template_gone")
            item.title = clean
            item.points = "\n".join(lines)
            session.add(item)
            session.commit()

    def remove_template_item(self, item_id: int) -> None:
        with Session(self.engine) as session:
            item = repo.get_template_item(session, item_id)
            if item is None:
                raise NotFound("error.template_gone")
            day = item.day
            repo.delete_template_item(session, item_id)
            repo.set_template_positions(session, repo.template_day_ids(session, day))
            session.commit()

    def move_template_item(self, item_id: int, delta: int) -> None:
        """Move an item up (-1) or down (+1) within its weekday."""
        with Session(self.engine) as session:
            item = repo.get_template_item(session, item_id)
            if item is None:
                raise NotFound("error.template_gone")
            ids = repo.template_day_ids(session, item.day)
            index = ids.index(item_id)
            target = max(0, min(len(ids) - 1, index + delta))
            ids.insert(target, ids.pop(index))
            repo.set_template_positions(session, ids)
            session.commit()


def _points_by_parent(rows: Sequence) -> dict[int, tuple[PointView, ...]]:
    grouped: dict[int, list[PointView]] = {}
    for r in rows:
        grouped.setdefault(r.parent_id, []).append(PointView(r.id, r.title, r.done_at))
    return {k: tuple(v) for k, v in grouped.items()}


def _task_view(row, day: date, points: tuple[PointView, ...], carried_from: date | None = None) -> TaskView:
    return TaskView(
        id=row.id,
        day=row.day,
        date=day,
        title=row.title,
        points=points,
        note=row.note,
        key=row.key,
        table=row.table_name,
        done_at=row.done_at,
        dismissed_at=row.dismissed_at,
        carried_from=carried_from,
    )


def _group_days(week: Week, rows: Sequence) -> tuple[DayView, ...]:
    items = [r for r in rows if r.parent_id is None]
    points = _points_by_parent([r for r in rows if r.parent_id is not None])
    by_day: dict[int, list[TaskView]] = {d: [] for d in WORKDAYS}
    for r in items:
        by_day.setdefault(r.day, []).append(_task_view(r, week.day(r.day), points.get(r.id, ())))
    return tuple(DayView(d, week.day(d), tuple(by_day.get(d, ()))) for d in WORKDAYS)
