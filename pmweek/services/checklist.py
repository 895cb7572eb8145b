"""Use cases of the weekly checklist and its routine template.

Each method opens its own Session and returns read models (pmweek.domain.models).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pmweek.calendars import WorkCalendar, check_name
from pmweek.db import checklists, settings, store
from pmweek.db.engine import read_once, unit
from pmweek.db.reads import SessionReads
from pmweek.db.tables import RoutineItem, Task
from pmweek.domain.calendar import WORKDAYS, Week, utcnow
from pmweek.domain.models import PointView, TaskView, WeekView, moved, stamp_wanted
from pmweek.domain.routine import (
    TemplateItem,
    clean_points,
    clean_title,
    shipped_template,
)
from pmweek.domain.text import check_text
from pmweek.domain.workweek import WorkWeek
from pmweek.errors import InputError, NotFound
from pmweek.services import reading
from pmweek.services.reading import CALENDAR

MAX_NOTE = 20_000  # characters: a long note, far from a document
MAX_DAY_NAME = 100

TEMPLATE_SEEDED = "template_seeded"


class ChecklistService:
    def __init__(
        self,
        engine: Engine,
        lang: str = "en",
        clock: Callable[[], datetime] = utcnow,
        calendar: str | None = None,
        user: str = "",
    ) -> None:
        self.engine = engine
        self.lang = lang
        self.clock = clock
        self.calendar_name = calendar  # None: the saved setting, else by language
        self.user = user  # whose checklists, notes and routine: a team may share a database

    @property
    def _seeded_key(self) -> str:
        return f"{TEMPLATE_SEEDED}:{self.user}"

    # -- the work calendar ------------------------------------------------------------

    def calendar(self, session: Session | None = None) -> WorkCalendar:
        """The calendar in force, with the user's own days on top."""
        if session is None:
            def read() -> WorkCalendar:
                with unit(self.engine, read_only=True) as own:
                    return self.calendar(own)

            return read_once(self.engine, ("calendar", self.calendar_name, self.lang), read)
        return reading.calendar_of(SessionReads(session), self.calendar_name, self.lang)

    def set_calendar(self, name: str) -> str:
        """Save the calendar setting (``cn``, ``none`` or a country code)."""
        value = check_name(name)
        with unit(self.engine) as session:
            settings.set_meta(session, CALENDAR, value)
            session.commit()
        self.calendar_name = None  # the saved setting is in force from now on
        return value

    def set_day(self, day: date, workday: bool, name: str = "") -> None:
        """Mark ``day`` as worked (a make-up day) or off (a holiday), over the calendar."""
        check_text(name, "field.day_name", limit=MAX_DAY_NAME, multiline=True)
        with unit(self.engine) as session:
            settings.set_day_override(session, day, workday, " ".join(name.split()) or None)
            session.commit()

    def clear_day(self, day: date) -> None:
        with unit(self.engine) as session:
            if not settings.delete_day_override(session, day):
                raise NotFound("error.day_not_set")
            session.commit()

    # -- weeks ----------------------------------------------------------------

    def open_week(self, week: Week, today: date | None = None, first_run: bool = False) -> WeekView:
        """The week's checklist, copied from the template if this is its first opening.
        ``first_run``: the app opening; on the PM's very first week, opened after its
        Monday, the items of the days before today are set aside (see _create_week)."""
        return self._week_view(week, today, create=True, first_run=first_run)

    def peek_week(self, week: Week, today: date | None = None) -> WeekView:
        """The week as stored, or (never opened) as the template would make it. Writes nothing."""
        return self._week_view(week, today, create=False)

    def _week_view(self, week: Week, today: date | None, create: bool, first_run: bool = False) -> WeekView:
        with unit(self.engine, read_only=not create) as session:
            work = self.calendar(session).week(week)
            today_day = reading.today_in(work, today)
            row = checklists.find_week(session, self.user, week.year, week.number)
            if row is None and create:
                row = self._create_week(session, week, work, today_day if first_run else None)
            if row is None:
                return self._preview(session, work, today_day)
            return reading.stored_week(SessionReads(session), self.user, work, row.id, today_day)

    def _create_week(self, session: Session, week: Week, work: WorkWeek, today_day: int | None):
        """Copy the template into the week, each routine day onto the workday that
        carries it (holidays and make-up days move them). The PM's very first week,
        opened after its Monday: the days before were never the PM's to do in pmweek,
        so their items are set aside (dismissed, as d does, and brought back the same
        way) rather than carried onto today as a backlog."""
        now = self.clock()
        try:
            template = self._template(session, seed=True)
            before_first_use = today_day if today_day is not None and not checklists.has_weeks(session, self.user) else None
            week_id = checklists.insert_week(session, self.user, week.year, week.number, now)
            by_routine: dict[int, list[TemplateItem]] = {}
            for item in template:
                by_routine.setdefault(item.day, []).append(item)
            for weekday, routine_days in work.assignment().items():
                items = [item for r in routine_days for item in by_routine.get(r, [])]
                for position, item in enumerate(items):
                    until = _until(work, weekday, item)
                    # a block of days reaching today is today's work too
                    set_aside = before_first_use is not None and (until or weekday) < before_first_use
                    parent = checklists.insert_task(
                        session, week_id=week_id, day=weekday, until_day=until,
                        position=position, key=item.key,
                        title=item.title, table_name=item.table, note="",
                        **({"dismissed_at": now} if set_aside else {}),
                    )
                    if set_aside:
                        checklists.add_event(session, parent, now, "dismissed")
                    checklists.insert_tasks(session, [
                        dict(week_id=week_id, parent_id=parent, day=weekday, position=i,
                             key=None, title=text, table_name=None, note="")
                        for i, text in enumerate(item.points)
                    ])
            session.commit()
        except IntegrityError:
            # Another window opened the same week first: use its copy.
            session.rollback()
        return checklists.find_week(session, self.user, week.year, week.number)

    def _preview(self, session: Session, work: WorkWeek, today_day: int | None) -> WeekView:
        """The week as the template would make it, placed by the calendar; writes nothing."""
        week = work.week
        by_routine: dict[int, list[TemplateItem]] = {}
        for item in self._template(session, seed=False):
            by_routine.setdefault(item.day, []).append(item)
        tasks = []
        for weekday, routine_days in work.assignment().items():
            for item in (i for r in routine_days for i in by_routine.get(r, [])):
                tasks.append(TaskView(
                    id=None, day=weekday, until_day=_until(work, weekday, item), date=week.day(weekday),
                    title=item.title,
                    points=tuple(PointView(None, p) for p in item.points), key=item.key, table=item.table,
                ))
        by_day: dict[int, list[TaskView]] = {}
        for task in tasks:
            for weekday in reading.block_days(work, task.day, task.until_day):
                by_day.setdefault(weekday, []).append(task)
        days = reading.days_of(work, by_day)
        return WeekView(week=week, days=days, stored=False, official=work.official, today=today_day)

    # -- ticking, dismissing, notes -----------------------------------------------

    def toggle(self, task_id: int) -> datetime | None:
        """Tick or untick a task or sub-point; returns when it was ticked (None: unticked)."""
        return self.set_done(task_id, None)

    def set_done(self, task_id: int, done: bool | None) -> datetime | None:
        """Tick (``done``) or untick a task or sub-point; None: the other way round from
        now. Already so (another window did it): left as it is, no event. Returns when
        it was ticked (None: not ticked)."""
        return self._stamp(task_id, "done_at", done, ("done", "undone"))

    def toggle_dismissed(self, task_id: int, dismissed: bool | None = None) -> datetime | None:
        """Dismiss an item (it stops being carried) or bring it back (``dismissed``; None:
        the other way round from now); returns when dismissed."""
        return self._stamp(task_id, "dismissed_at", dismissed, ("dismissed", "restored"))

    def _stamp(self, task_id: int, column: str, wanted: bool | None, events: tuple[str, str]) -> datetime | None:
        """Set or clear a task's ``column`` stamp, with the event that says so (``events``:
        set, cleared); as it already is: left, no event. Returns the stamp it now has."""
        with unit(self.engine) as session:
            task = self._task(session, task_id)
            wanted = stamp_wanted(getattr(task, column), wanted)
            if wanted is None:
                return getattr(task, column)
            now = self.clock()
            checklists.update_task(session, task_id, **{column: now if wanted else None}, updated_at=now)
            checklists.add_event(session, task_id, now, events[0] if wanted else events[1])
            session.commit()
            return now if wanted else None

    def set_note(self, task_id: int, note: str, expected: str | None = None) -> None:
        """Save a note. ``expected`` is the text this window last saw; when the stored
        note differs from it (another window saved meanwhile), the later save wins and
        the text it replaced is kept in the item's history: nothing is lost silently."""
        check_text(note, "app.note", limit=MAX_NOTE, multiline=True)
        with unit(self.engine) as session:
            previous = self._task(session, task_id).note  # read before the update refreshes it
            if previous != note:
                now = self.clock()
                checklists.update_task(session, task_id, note=note, updated_at=now)
                if previous and (expected is None or previous != expected):
                    checklists.add_event(session, task_id, now, "note", previous)
                session.commit()

    def edit_task(self, task_id: int, title: str, points: str) -> None:
        """Rename one-off work and retype its sub-points, one per line: a sub-point kept
        by its words keeps its tick, the old title goes into the item's history. A
        routine item is changed in the routine (InputError)."""
        clean = clean_title(title)
        lines = clean_points(points)
        with unit(self.engine) as session:
            task = self._task(session, task_id)
            if task.key is not None or task.parent_id is not None:
                raise InputError("error.task_routine")
            now = self.clock()
            old = {p.title: p for p in checklists.points_of(session, [task_id])}
            checklists.delete_tasks(session, [p.id for t, p in old.items() if t not in lines])
            for i, text in enumerate(lines):
                if text in old:
                    checklists.update_task(session, old[text].id, position=i, updated_at=now)
                else:
                    checklists.insert_tasks(session, [dict(week_id=task.week_id, parent_id=task_id, day=task.day,
                                                           position=i, key=None, title=text, table_name=None,
                                                           note="")])
            if clean != task.title:
                checklists.add_event(session, task_id, now, "renamed", task.title)
            checklists.update_task(session, task_id, title=clean, updated_at=now)
            session.commit()

    def add_task(self, day: date, title: str, points: str = "", note: str = "") -> int:
        """One-off work on ``day``'s list (an escalation, a review someone asked for):
        an item like the routine's, carried over while it is open, and what the Friday
        plan and the weekly report take the week's own work from. Returns its id."""
        clean = clean_title(title)
        lines = clean_points(points)
        check_text(note, "app.note", limit=MAX_NOTE, multiline=True)
        if not self.calendar().is_workday(day):
            raise InputError("error.task_day_off", day=day.isoformat())
        week = Week.of(day)
        # Its routine first, as the app would have it (the PM's first week set aside before today).
        self.open_week(week, self.clock().date(), first_run=True)
        with unit(self.engine) as session:
            row = checklists.find_week(session, self.user, week.year, week.number)
            weekday = day.isoweekday()
            task_id = checklists.insert_task(
                session, week_id=row.id, day=weekday, until_day=None, key=None, title=clean, table_name=None,
                note=note, position=checklists.next_task_position(session, row.id, weekday))
            checklists.insert_tasks(session, [
                dict(week_id=row.id, parent_id=task_id, day=weekday, position=i, key=None, title=text,
                     table_name=None, note="") for i, text in enumerate(lines)])
            checklists.add_event(session, task_id, self.clock(), "added")
            session.commit()
            return task_id

    def task(self, task_id: int) -> TaskView:
        with unit(self.engine, read_only=True) as session:
            task = self._task(session, task_id)
            week = checklists.find_week_by_id(session, task.week_id)
            wk = Week(week.iso_year, week.iso_week)
            points = reading.points_by_parent(checklists.points_of(session, [task_id]))
            return reading.task_view(task, wk.day(task.day), points.get(task_id, ()))

    def history(self, task_id: int) -> list[tuple[datetime, str, str | None]]:
        """(when, what, detail): ticks, unticks, dismissals, and notes replaced (the old text)."""
        with unit(self.engine, read_only=True) as session:
            return [(r.at, r.action, r.detail) for r in checklists.task_events(session, task_id)]

    @staticmethod
    def _task(session: Session, task_id: int):
        task = store.get_or_gone(session, Task, task_id, "error.task_gone")
        return task

    # -- the routine template ---------------------------------------------------------

    def template(self) -> list[TemplateItem]:
        with unit(self.engine, read_only=True) as session:
            return self._template(session, seed=False)

    def _template(self, session: Session, seed: bool) -> list[TemplateItem]:
        """The user's template; before the first edit or week, the shipped one."""
        if settings.get_meta(session, self._seeded_key) is None:
            shipped = shipped_template(self.lang)
            if not seed:
                return shipped
            checklists.insert_template_items(
                session,
                (
                    dict(owner=self.user, day=i.day, until_day=i.until, position=i.position, key=i.key, title=i.title,
                         table_name=i.table, points="\n".join(i.points))
                    for i in shipped
                ),
            )
            settings.set_meta(session, self._seeded_key, self.lang)
        return [
            TemplateItem(
                id=r.id, day=r.day, until=r.until_day, position=r.position, key=r.key, title=r.title,
                table=r.table_name, points=tuple(p for p in r.points.split("\n") if p),
            )
            for r in checklists.template_rows(session, self.user)
        ]

    def add_template_item(self, day: int, title: str, points: str = "") -> int:
        if day not in WORKDAYS:
            raise InputError("error.bad_day")
        clean = clean_title(title)
        lines = clean_points(points)
        with unit(self.engine) as session:
            self._template(session, seed=True)
            item_id = checklists.insert_template_item(
                session, owner=self.user, day=day, position=checklists.next_template_position(session, self.user, day),
                key=None, title=clean, table_name=None, points="\n".join(lines),
            )
            session.commit()
            return item_id

    def edit_template_item(self, item_id: int, title: str, points: str) -> None:
        clean = clean_title(title)
        lines = clean_points(points)
        with unit(self.engine) as session:
            item = store.get_or_gone(session, RoutineItem, item_id, "error.template_gone")
            item.title = clean
            item.points = "\n".join(lines)
            session.add(item)
            session.commit()

    def remove_template_item(self, item_id: int) -> None:
        with unit(self.engine) as session:
            item = store.get_or_gone(session, RoutineItem, item_id, "error.template_gone")
            day = item.day
            checklists.delete_template_item(session, item_id)
            store.set_positions(session, RoutineItem, checklists.template_day_ids(session, self.user, day))
            session.commit()

    def move_template_item(self, item_id: int, delta: int) -> None:
        """Move an item up (-1) or down (+1) within its weekday."""
        with unit(self.engine) as session:
            item = store.get_or_gone(session, RoutineItem, item_id, "error.template_gone")
            ids = checklists.template_day_ids(session, self.user, item.day)
            store.set_positions(session, RoutineItem, moved(ids, item_id, delta))
            session.commit()


def _until(work: WorkWeek, weekday: int, item: TemplateItem) -> int | None:
    """The workday a block item's last routine day lands on (None: a one-day item, or
    a short week that puts the whole block on one day)."""
    if item.until is None:
        return None
    last = max(day for day, routine in work.assignment().items() if item.until in routine)
    return last if last > weekday else None
