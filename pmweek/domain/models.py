"""Read models: plain frozen values handed to the TUI and the exporters.
Never live ORM rows, so screens can't trigger lazy loads or write by accident."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from pmweek.domain.calendar import Week


class Marked:
    """What a line's dropped and done times say."""

    dropped_at: datetime | None
    done_at: datetime | None

    @property
    def dropped(self) -> bool:
        return self.dropped_at is not None

    @property
    def done(self) -> bool:
        return self.done_at is not None


@dataclass(frozen=True)
class PointView:
    id: int | None
    title: str
    done_at: datetime | None = None

    @property
    def done(self) -> bool:
        return self.done_at is not None


@dataclass(frozen=True)
class TaskView:
    id: int | None
    day: int
    date: date
    title: str
    points: tuple[PointView, ...] = ()
    note: str = ""
    key: str | None = None
    table: str | None = None
    done_at: datetime | None = None
    dismissed_at: datetime | None = None
    # Set when the task belongs to an earlier day and is shown on a later one.
    carried_from: date | None = None
    until_day: int | None = None  # a block item's last workday: the same item shows on each of its days
    left_open: date | None = None  # an earlier instance of this routine item was left open that day

    @property
    def done(self) -> bool:
        return self.done_at is not None

    @property
    def dismissed(self) -> bool:
        return self.dismissed_at is not None

    @property
    def open(self) -> bool:
        return not self.done and not self.dismissed


@dataclass(frozen=True)
class DayView:
    weekday: int
    date: date
    tasks: tuple[TaskView, ...] = ()
    carried: tuple[TaskView, ...] = ()
    workday: bool = True
    holiday: str | None = None  # the holiday it is part of (off, or a make-up workday)

    @property
    def makeup(self) -> bool:
        return self.workday and self.weekday > 5

    @property
    def done_count(self) -> int:
        return sum(1 for t in self.tasks if t.done)

    @property
    def total(self) -> int:
        return sum(1 for t in self.tasks if not t.dismissed)


@dataclass(frozen=True)
class WeekView:
    week: Week
    days: tuple[DayView, ...]
    stored: bool = True  # False: never opened, shown from the template
    official: bool = True  # False: the calendar had no official schedule for this week
    today: int | None = None  # the weekday shown for today, when today is in this week

    def day(self, weekday: int) -> DayView:
        return next(d for d in self.days if d.weekday == weekday)

    @property
    def holidays(self) -> list[DayView]:
        return [d for d in self.days if d.holiday and not d.workday]

    def find_task(self, task_id: int) -> TaskView | None:
        for day in self.days:
            for task in (*day.tasks, *day.carried):
                if task.id == task_id:
                    return task
        return None

    def find_point(self, point_id: int) -> tuple[TaskView, PointView] | None:
        for day in self.days:
            for task in (*day.tasks, *day.carried):
                for point in task.points:
                    if point.id == point_id:
                        return task, point
        return None

    def with_task(self, task_id: int, **changes: object) -> WeekView:
        """This week with one task changed, wherever it shows (own day and carried)."""

        def fix(task: TaskView) -> TaskView:
            return replace(task, **changes) if task.id == task_id else task

        return self._map_tasks(fix)

    def with_point(self, point_id: int, **changes: object) -> WeekView:
        def fix(task: TaskView) -> TaskView:
            if not any(p.id == point_id for p in task.points):
                return task
            points = tuple(replace(p, **changes) if p.id == point_id else p for p in task.points)
            return replace(task, points=points)

        return self._map_tasks(fix)

    def dismissed(self, task_id: int, at: datetime | None) -> WeekView:
        """This week with one item dismissed at ``at`` (None: brought back) as it reads
        once stored: a dismissed carried item is no longer carried."""
        view = self.with_task(task_id, dismissed_at=at)
        if at is None:
            return view
        days = tuple(replace(d, carried=tuple(x for x in d.carried if x.id != task_id)) for d in view.days)
        return replace(view, days=days)

    def _map_tasks(self, fix) -> WeekView:
        days = tuple(
            replace(d, tasks=tuple(map(fix, d.tasks)), carried=tuple(map(fix, d.carried)))
            for d in self.days
        )
        return replace(self, days=days)


def moved(ids: list[int], item: int, delta: int) -> list[int]:
    """``ids`` with ``item`` moved ``delta`` places (up is negative), kept within the list."""
    order = list(ids)
    index = order.index(item)
    order.insert(max(0, min(len(order) - 1, index + delta)), order.pop(index))
    return order


def stamp_wanted(stamped_at: datetime | None, wanted: bool | None) -> bool | None:
    """What setting an on/off stamp (ticked, dismissed) asks of the database: True to
    stamp it, False to clear it, None when it is so already (another window did it).
    ``wanted`` None: the other way round from what is stored."""
    if wanted is None:
        wanted = stamped_at is None
    return None if wanted == (stamped_at is not None) else wanted
