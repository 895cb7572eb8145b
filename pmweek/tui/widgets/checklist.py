"""A day's checklist: items, their sub-points and carried-over items, in one
keyboard-driven list. It only shows; its screen decides what a key does."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich.text import Text
from textual.binding import Binding
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from pmweek.domain.calendar import Week
from pmweek.domain.models import DayView, PointView, TaskView
from pmweek.domain.plan import PLAN_REVIEW_KEY, PlanLineView
from pmweek.i18n import day_short, t
from pmweek.tui.text import translate_bindings

DONE = "☑"
OPEN = "☐"
DISMISSED = "⊘"


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


def task_prompt(task: TaskView, today: date | None = None) -> Text:
    mark = DONE if task.done else DISMISSED if task.dismissed else OPEN
    text = Text()
    text.append(f"{mark} ", style="bold green" if task.done else "")
    text.append(task.title, style="strike" if task.done or task.dismissed else "")
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


def plan_prompt(line: PlanLineView) -> Text:
    text = Text("    ")
    text.append(f"▸ {DONE if line.done else OPEN} ", style="green" if line.done else "cyan")
    if line.priority:  # as given on Friday
        text.append(t("plan.priority", priority=line.priority) + " ", style="bold magenta")
    text.append(line.text, style="strike" if line.done else "")
    if line.owner:
        text.append("  " + t("plan.owner", owner=line.owner), style="dim")
    return text


def option_id(kind: str, item_id: int) -> str:
    return f"{kind}{item_id}"


def parse_option_id(value: str | None) -> tuple[str, int] | None:
    if not value or value[0] not in "tpl" or not value[1:].isdigit():
        return None
    return value[0], int(value[1:])


class Checklist(OptionList):
    """Shows one DayView. Option ids: ``t<id>`` items, ``p<id>`` sub-points, ``l<id>``
    lines of the plan made for this week (under Monday's review item)."""

    # Enter (select) opens the item; labelled so the footer shows it.
    BINDINGS = [Binding("enter", "select", "key.open", id="pm.open")]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        translate_bindings(self)
        self._plan_lines: Sequence[PlanLineView] = ()

    def show_day(
        self,
        day: DayView,
        today: date | None,
        empty_text: str,
        keep: bool = False,
        plan_lines: Sequence[PlanLineView] = (),
    ) -> None:
        """Show ``day``; ``keep`` holds the cursor where it was (a reload, not a new day)."""
        self._plan_lines = plan_lines
        options: list[Option | None] = []
        for task in day.tasks:
            options += self._task_options(task, today)
        if day.carried:
            if options:
                options.append(None)
            options.append(Option(Text(t("app.carried_header"), style="bold yellow"), disabled=True))
            for task in day.carried:
                options += self._task_options(task, today)
        if not options:
            options.append(Option(Text(empty_text, style="dim italic"), disabled=True))
        highlighted = self.highlighted
        self.set_options(options)
        if keep and highlighted is not None and highlighted < self.option_count:
            self.highlighted = highlighted
        else:
            self.action_first()

    def show_placeholder(self, text: str) -> None:
        self.set_options([Option(Text(text, style="dim italic"), disabled=True)])

    def _task_options(self, task: TaskView, today: date | None) -> list[Option]:
        if task.id is None:  # a preview from the template: shown, not tickable
            return [Option(task_prompt(task), disabled=True)]
        options = [Option(task_prompt(task, today), id=option_id("t", task.id))]
        options += [Option(point_prompt(p), id=option_id("p", p.id)) for p in task.points]
        if task.key == PLAN_REVIEW_KEY and task.carried_from is None:
            options += [Option(plan_prompt(ln), id=option_id("l", ln.id)) for ln in self._plan_lines]
        return options

    def update_plan_line(self, line: PlanLineView) -> None:
        self.replace_option_prompt(option_id("l", line.id), plan_prompt(line))

    def update_task(self, task: TaskView, today: date | None) -> None:
        self.replace_option_prompt(option_id("t", task.id), task_prompt(task, today))

    def update_point(self, point: PointView) -> None:
        self.replace_option_prompt(option_id("p", point.id), point_prompt(point))

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
