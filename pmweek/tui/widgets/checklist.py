"""A day's checklist: items, their sub-points and carried-over items, in one
keyboard-driven list. It only shows; its screen decides what a key does."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from pmweek.domain.calendar import Week
from pmweek.domain.models import DayView, PointView, TaskView
from pmweek.domain.plan import PLAN_REVIEW_KEY, PlanLineView
from pmweek.i18n import day_short, t

DONE = "☑"
OPEN = "☐"
DISMISSED = "⊘"
BOXES = (DONE, OPEN, DISMISSED)


def _day_name(origin: date, today: date) -> str:
    day = day_short(origin.isoweekday())
    return t("app.last_week_day", day=day) if Week.of(origin) != Week.of(today) else day


def carried_label(origin: date, today: date) -> str:
    return t("app.carried_from", day=_day_name(origin, today))


def task_marks(task: TaskView, today: date | None) -> list[str]:
    """What an item's line says besides its title: where it came from, its days, and
    whether its last instance was left open."""
    marks = []
    if task.carried_from is not None and today is not None:
        marks.append(carried_label(task.carried_from, today))
    if task.until_day is not None:
        marks.append(t("app.block_days", first=day_short(task.day), last=day_short(task.until_day)))
    if task.left_open is not None and today is not None:
        marks.append(t("app.left_open", day=_day_name(task.left_open, today)))
    return marks


def task_prompt(task: TaskView, today: date | None = None, folded: tuple[int, int] | None = None) -> Text:
    """An item's line; ``folded`` (done, total) counts the sub-points it hides."""
    mark = DONE if task.done else DISMISSED if task.dismissed else OPEN
    text = Text()
    text.append(f"{mark} ", style="bold green" if task.done else "")
    text.append(task.title, style="strike" if task.done or task.dismissed else "")
    if folded is not None:
        text.append(f" {folded[0]}/{folded[1]}", style="green" if folded[0] == folded[1] else "dim")
    for mark_text in task_marks(task, today):
        text.append(" " + mark_text, style="italic yellow")
    if task.note.strip():
        text.append("  ✎", style="cyan")
    return text


def point_prompt(point: PointView) -> Text:
    text = Text("    ")
    text.append(f"{DONE if point.done else OPEN} ", style="green" if point.done else "dim")
    text.append(point.title, style="strike" if point.done else "")
    return text


def plan_prompt(line: PlanLineView, today: date | None = None) -> Text:
    """A plan line under Monday's review item, with the marks the plan's screen gives it
    and "overdue" when its date has passed undone."""
    text = Text("    ")
    text.append(f"▸ {DONE if line.done else OPEN} ", style="green" if line.done else "cyan")
    if line.priority:  # as given on Friday
        text.append(t("plan.priority", priority=line.priority) + " ", style="bold magenta")
    text.append(line.text, style="strike" if line.done else "")
    facts = [t(key, **values) for key, values in line.marks]
    overdue = today is not None and line.due is not None and line.due < today and not line.done
    if overdue:
        facts.append(t("plan.overdue"))
    if facts:
        text.append("  " + t("text.semicolon").join(facts), style="bold red" if overdue else "dim")
    return text


def option_id(kind: str, item_id: int) -> str:
    return f"{kind}{item_id}"


def parse_option_id(value: str | None) -> tuple[str, int] | None:
    if not value or value[0] not in "tpl" or not value[1:].isdigit():
        return None
    return value[0], int(value[1:])


class Checklist(OptionList):
    """Shows one DayView. Option ids: ``t<id>`` items, ``p<id>`` sub-points, ``l<id>``
    lines of the plan made for this week (under Monday's review item).

    An item's sub-points (and the plan's lines) fold under it, counted ("2/3"), until
    the item is highlighted: the morning pass moves item by item, not point by point."""

    # Enter (select) opens the item; labelled so the footer shows it.
    BINDINGS = [Binding("enter", "select", "key.open", id="pm.open")]

    class Tick(Message):
        """The box of the highlighted line was clicked: its screen ticks it."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._day: DayView | None = None
        self._today: date | None = None
        self._empty = ""
        self._plan_lines: Sequence[PlanLineView] = ()
        self.expanded: int | None = None  # the item whose sub-points show
        self._rebuilding = False  # the lines are being laid out: the cursor moves, nothing unfolds

    def show_day(
        self,
        day: DayView,
        today: date | None,
        empty_text: str,
        keep: bool = False,
        plan_lines: Sequence[PlanLineView] = (),
    ) -> None:
        """Show ``day``; ``keep`` holds the cursor on the line it was on (a reload, not a new day)."""
        keep = keep and self._day is not None and self._day.date == day.date
        ref, index = (self.highlighted_ref, self.highlighted) if keep else (None, None)
        self._day, self._today, self._empty, self._plan_lines = day, today, empty_text, plan_lines
        if not keep:
            self.expanded = None
        self._rebuild(ref, index)

    def show_placeholder(self, text: str) -> None:
        self._day = None
        self.set_options([Option(Text(text, style="dim italic"), disabled=True)])

    def _tasks(self) -> tuple[TaskView, ...]:
        return (*self._day.tasks, *self._day.carried) if self._day else ()

    def _children(self, task: TaskView) -> list[tuple[str, int, bool]]:
        """The lines that fold under ``task`` as (kind, id, done): its sub-points, and on
        Monday's review the plan's lines."""
        lines = [("p", p.id, p.done) for p in task.points]
        if self._has_plan(task):
            lines += [("l", ln.id, ln.done) for ln in self._plan_lines]
        return lines

    def _item(self, task_id: int | None) -> TaskView | None:
        return next((x for x in self._tasks() if x.id == task_id), None)

    def _has_plan(self, task: TaskView) -> bool:
        return task.key == PLAN_REVIEW_KEY and task.carried_from is None

    def _rebuild(self, ref: tuple[str, int] | None = None, index: int | None = None) -> None:
        self._rebuilding = True
        try:
            self._set_lines(ref, index)
        finally:
            self._rebuilding = False
        self._unfold()  # the cursor came to rest on another item (a reload): its lines show

    def _set_lines(self, ref: tuple[str, int] | None, index: int | None) -> None:
        day = self._day
        tasks = self._tasks()
        ids = {t.id for t in tasks if t.id is not None}
        if self.expanded not in ids:  # the first item, or the one the cursor was on
            owner = self._owner(ref) if ref else None
            self.expanded = owner if owner in ids else next((t.id for t in tasks if t.id is not None), None)
        options: list[Option | None] = []
        for task in day.tasks if day else ():
            options += self._task_options(task)
        if day and day.carried:
            if options:
                options.append(None)
            options.append(Option(Text(t("app.carried_header"), style="bold yellow"), disabled=True))
            for task in day.carried:
                options += self._task_options(task)
        if not options:
            options.append(Option(Text(self._empty, style="dim italic"), disabled=True))
        self.set_options(options)
        self._move_to(ref, index)

    def select(self, ref: tuple[str, int]) -> None:
        """The cursor on ``ref``'s line (an item just added), if the day shows it."""
        if self._index(ref) is not None:
            self._move_to(ref)

    def _move_to(self, ref: tuple[str, int] | None, index: int | None = None) -> None:
        if ref is not None:
            at = self._index(ref)
            if at is not None:
                self.highlighted = at
                return
            owner = self._owner(ref)  # a line now folded: its item
            if owner is not None and ref[0] != "t":
                self._move_to(("t", owner))
                return
        if index is not None and self.option_count:
            self.highlighted = min(index, self.option_count - 1)
            if not self.highlighted_option.disabled:
                return
        self.action_first()

    def _owner(self, ref: tuple[str, int]) -> int | None:
        """The item a line belongs to."""
        kind, item_id = ref
        if kind == "t":
            return item_id
        for task in self._tasks():
            if kind == "p" and any(p.id == item_id for p in task.points):
                return task.id
            if kind == "l" and self._has_plan(task):
                return task.id
        return None

    def _task_options(self, task: TaskView) -> list[Option]:
        if task.id is None:  # a preview from the template: shown, not tickable
            return [Option(task_prompt(task), disabled=True)]
        options = [Option(self._task_prompt(task), id=option_id("t", task.id))]
        if task.id != self.expanded:
            return options
        options += [Option(point_prompt(p), id=option_id("p", p.id)) for p in task.points]
        if self._has_plan(task):
            options += [Option(plan_prompt(ln, self._today), id=option_id("l", ln.id)) for ln in self._plan_lines]
        return options

    def _task_prompt(self, task: TaskView) -> Text:
        lines = self._children(task)
        if not lines:
            return task_prompt(task, self._today)
        return task_prompt(task, self._today, (sum(done for _, _, done in lines), len(lines)))

    def watch_highlighted(self, highlighted: int | None) -> None:
        """Unfold the highlighted item's sub-points, folding the last one's, as the cursor
        moves: not when its message is read, so keys read together (typed ahead while
        the app starts, pasted, over a slow link) walk the list as keys typed one by one."""
        super().watch_highlighted(highlighted)
        if highlighted is not None and not self._rebuilding:
            self._unfold()

    def _unfold(self) -> None:
        ref = self.highlighted_ref
        if ref is None or ref[0] != "t" or ref[1] == self.expanded or self._day is None:
            return
        before, now = self._item(self.expanded), self._item(ref[1])
        if (before is None or not self._children(before)) and (now is None or not self._children(now)):
            self.expanded = ref[1]  # nothing folds or unfolds: no rebuild
            return
        self.expanded = ref[1]
        self._rebuild(ref)

    # -- after a change --------------------------------------------------------------

    def _replace(self, ref: tuple[str, int], prompt: Text) -> None:
        if self._index(ref) is not None:  # a folded line has no option to repaint
            self.replace_option_prompt(option_id(*ref), prompt)

    def _index(self, ref: tuple[str, int]) -> int | None:
        try:
            return self.get_option_index(option_id(*ref))
        except OptionDoesNotExist:
            return None

    def _recount(self, owner: int | None) -> None:
        task = self._item(owner)
        if task is not None:
            self._replace(("t", task.id), self._task_prompt(task))

    def update_plan_line(self, line: PlanLineView) -> None:
        self._plan_lines = [line if ln.id == line.id else ln for ln in self._plan_lines]
        self._replace(("l", line.id), plan_prompt(line, self._today))
        self._recount(self._owner(("l", line.id)))

    def update_task(self, task: TaskView) -> None:
        self._replace(("t", task.id), self._task_prompt(self._set_task(task)))

    def update_point(self, task: TaskView, point: PointView) -> None:
        self._set_task(task)
        self._replace(("p", point.id), point_prompt(point))
        self._recount(task.id)

    def _set_task(self, task: TaskView) -> TaskView:
        """``task`` as this day shows it: an item carried in keeps saying where from,
        whichever of its places in the week the change came through."""
        day = self._day
        if day is None:
            return task

        def fix(tasks: tuple[TaskView, ...]) -> tuple[TaskView, ...]:
            return tuple(replace(task, carried_from=x.carried_from) if x.id == task.id else x for x in tasks)

        self._day = day = replace(day, tasks=fix(day.tasks), carried=fix(day.carried))
        return next((x for x in (*day.carried, *day.tasks) if x.id == task.id), task)

    def advance(self) -> None:
        """After a line is ticked done, on to the next open one: from a sub-point (or plan
        line), the next open one of the same item, one above if none is below, else the
        item; from an item, the next open item."""
        ref = self.highlighted_ref
        if ref is None:
            return
        owner = self._owner(ref)
        tasks = [x for x in self._tasks() if x.id is not None]
        if ref[0] != "t":
            task = self._item(owner)
            lines = self._children(task) if task else []
            ids = [(k, i) for k, i, _ in lines]
            at = ids.index(ref) + 1 if ref in ids else len(lines)
            # the next open line below, else the first one left open above, else the item
            target = next(((k, i) for k, i, done in (*lines[at:], *lines[:at]) if not done), ("t", owner))
            self._move_to(target)
            return
        at = next((n for n, x in enumerate(tasks) if x.id == owner), None)
        following = tasks[at + 1:] if at is not None else []
        target = next((x for x in following if x.open), None)
        if target is not None:
            self._move_to(("t", target.id))

    async def _on_click(self, event: events.Click) -> None:
        """A click on a line's box ticks it, on its text selects it; a double click opens."""
        event.prevent_default()  # not OptionList's: a single click there opens
        index = event.style.meta.get("option")
        if index is None or self.options[index].disabled:
            return
        self.highlighted = index
        if event.chain >= 2:
            self.action_select()
            return
        where = event.get_content_offset(self)
        prompt = self.options[index].prompt
        plain = prompt.plain if isinstance(prompt, Text) else str(prompt)
        box = next((n for n, ch in enumerate(plain) if ch in BOXES), None)
        if where is not None and box is not None and box <= where.x <= box + 1:
            self.post_message(self.Tick())

    @property
    def highlighted_ref(self) -> tuple[str, int] | None:
        option = self.highlighted_option
        return parse_option_id(option.id) if option is not None else None


class WeekProgress(Widget):
    """One line of per-day progress. Repainted, never re-laid-out, when a tick changes it:
    a layout pass would cost the tick another frame."""

    text: reactive[str] = reactive("", layout=False)

    def render(self) -> Text:
        return Text.from_markup(self.text)
