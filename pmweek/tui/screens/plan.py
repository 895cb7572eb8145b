"""The Friday screen: next week's plan, compiled from the week and the tables, edited
by the PM. Compiling again keeps every edit and marks what is new."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from pmweek.domain.calendar import Week, format_date
from pmweek.domain.plan import SECTIONS, PlanLineView, PlanView
from pmweek.errors import PmWeekError
from pmweek.export.markdown import week_name, work_week
from pmweek.i18n import t
from pmweek.tui.screens.common import ActsOnLines, LineFormBase, LineList, ReadsInBackground
from pmweek.tui.text import Translated, wrapped
from pmweek.tui.widgets.fields import FieldInput

if TYPE_CHECKING:
    from pmweek.services.plan import PlanService


def line_prompt(plan: PlanView, line: PlanLineView, today: date, width: int = 0) -> Text:
    """A plan line as listed: its box, priority, words and marks, broken for ``width``
    cells as Chinese is set (0: left to the list)."""
    text = Text()
    text.append("☑ " if line.done else "☐ ", style="green" if line.done else "")
    if line.priority:
        text.append(t("plan.priority", priority=line.priority) + " ", style="bold magenta")
    text.append(line.text, style="strike dim" if line.dropped else "")
    tail = len(text.plain)  # the marks that follow are kept whole
    facts = []
    if line.carried:
        facts.append(t("plan.carried", count=line.carried))
    if line.owner:
        facts.append(t("plan.team" if line.section == "cross_team" else "plan.owner", owner=line.owner))
    if line.due is not None:
        facts.append(t("plan.go_live" if line.section == "deals" else "plan.due", date=format_date(line.due)))
    if facts:
        overdue = line.due is not None and line.due < today
        text.append("  " + " · ".join(facts), style="bold red" if overdue else "dim")
    if line.dropped:
        text.append("  " + t("plan.dropped"), style="italic dim")
    if plan.is_new(line):
        text.append("  " + t("plan.new"), style="bold reverse yellow")
    return wrapped(text, width, tail)


class PlanScreen(Translated, ReadsInBackground, ActsOnLines, Screen[None]):
    BINDINGS = [
        Binding("escape,q", "close", "key.back", id="pm.back"),
        Binding("c", "compile", "key.compile", tooltip="cmd.compile_help", id="pm.compile"),
        Binding("a", "add('added')", "key.add_item", id="pm.add_item"),
        Binding("x", "add('cross_team')", "key.add_cross_team", id="pm.add_cross_team"),
        Binding("d", "drop", "key.drop", id="pm.drop"),
        Binding("1", "priority(1)", "key.priority", key_display="1-3", id="pm.priority"),
        Binding("2", "priority(2)", show=False, id="pm.priority2"),
        Binding("3", "priority(3)", show=False, id="pm.priority3"),
        Binding("0", "priority(0)", "key.no_priority", show=False, id="pm.priority0"),
        Binding("shift+up,K", "move(-1)", "key.move_up", key_display="⇧↑", show=False, id="pm.up"),
        Binding("shift+down,J", "move(1)", "key.move_down", key_display="⇧↓", show=False, id="pm.down"),
    ]

    LINES = "plan"

    def __init__(self, plan: PlanService, week: Week, today: date) -> None:
        """``week``: the plan in force on ``today`` (``export.views.plan_week``), compiled in it."""
        super().__init__()
        self.plans = plan
        self.today = today
        self.week = week  # the week the shown plan was compiled in (it plans the next)
        self.plan: PlanView | None = None

    def on_mount(self) -> None:
        # The plan in force: until the week's last workday, the one made last week for
        # this week; on the last workday, next week's, compiled on the first visit.
        self.query_one(LineList).focus()
        self.hold_keys()  # until the plan is shown ("p" then "2": its first line's priority)
        self._open()

    @work(thread=True, exclusive=True, group="compile")
    def _open(self) -> None:
        """The plan in force, read in a worker (a shared database far away never freezes
        the screen); this week's is compiled on the first visit of its last workday."""
        try:
            saved = self.plans.plan(self.week)
            if saved is None and self.week == Week.of(self.today):
                saved = self.plans.compile(self.today)
        except PmWeekError as exc:
            self.app.call_from_thread(self.notify, t("app.compile_failed", message=exc.message()), severity="error")
            self.app.call_from_thread(self.release_keys)
            return
        self.app.call_from_thread(self.show_none if saved is None else partial(self.show, saved))
        self.app.call_from_thread(self.release_keys)

    def show_none(self) -> None:
        """No plan was made for this week: said, with the key that starts next week's."""
        self.title = t("plan.title", **work_week(self.week.next))
        self.query_one("#plan-meta", Static).update(
            t("plan.none_in_force", week=week_name(self.week), target=week_name(Week.of(self.today).next)))
        self.query_one(LineList).set_options([])

    @work(thread=True, exclusive=True, group="compile")
    def compile(self) -> None:
        """Compile off the event loop; a failure is said on the screen, not swallowed."""
        try:
            plan = self.plans.compile(self.today)
        except PmWeekError as exc:
            self.app.call_from_thread(self.notify, t("app.compile_failed", message=exc.message()), severity="error")
            return
        self.app.call_from_thread(self.show, plan)

    def show(self, plan: PlanView, select: int | None = None) -> None:
        self.plan = plan
        self.week = plan.week
        self.title = t("plan.title", **work_week(plan.target))
        self.query_one("#plan-meta", Static).update(
            t("plan.compiled", stamp=_stamp(plan), week=week_name(plan.week))
        )
        listing = self.query_one(LineList)
        current = listing.highlighted
        width = listing.scrollable_content_region.width - 2  # an option's own margin
        options: list[Option | None] = []
        for section in SECTIONS:
            if options:
                options.append(None)
            options.append(Option(Text(t(f"plan.section.{section}"), style="bold"), disabled=True))
            lines = plan.section(section)
            if not lines:
                options.append(Option(Text("  " + t("plan.empty_section").strip("_"), style="dim italic"), disabled=True))
            options += [Option(line_prompt(plan, ln, self.today, width), id=f"l{ln.id}") for ln in lines]
        listing.set_options(options)
        if select is not None:
            listing.highlighted = listing.get_option_index(f"l{select}")
        elif current is not None and current < listing.option_count:
            listing.highlighted = current
        else:
            listing.action_first()  # the first line, past the section heading

    def on_resize(self) -> None:
        if getattr(self, "plan", None) is not None:  # lines broken for the new width
            self.show(self.plan)

    def reload(self, select: int | None = None) -> None:
        self._reload(self.week, select)

    @work(thread=True, exclusive=True, group="reload")
    def _reload(self, week: Week, select: int | None) -> None:
        try:
            plan = self.plans.plan(week)
        except PmWeekError as exc:
            self.app.call_from_thread(self.notify, exc.message(), severity="error")
            return
        if plan is not None:
            self.app.call_from_thread(self.show, plan, select)

    def shown_lines(self) -> tuple[PlanLineView, ...]:
        return self.plan.lines if self.plan is not None else ()

    def action_compile(self) -> None:
        self.compile()

    def action_add(self, section: str) -> None:
        def added(line_id: int | None) -> None:
            if line_id is not None:
                self.reload(select=line_id)

        if self.plan is None:  # none in force: the line goes into the one this week compiles
            self.week = Week.of(self.today)
        self.app.push_screen(PlanLineForm(self.plans, self.today, section, None, self.week), added)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        line = self._selected()
        if line is not None:
            self.app.push_screen(
                PlanLineForm(self.plans, self.today, line.section, line), lambda saved: saved and self.reload(select=line.id)
            )

    def action_drop(self) -> None:
        self.act_on_line(self.plans.toggle_dropped)

    def action_priority(self, priority: int) -> None:
        self.act_on_line(self.plans.set_priority, priority or None)

    def action_move(self, delta: int) -> None:
        self.act_on_line(self.plans.move_line, delta)

    def action_close(self) -> None:
        self.dismiss(None)


def _stamp(plan: PlanView) -> str:
    from pmweek.domain.calendar import format_stamp

    return format_stamp(plan.compiled_at)


class PlanLineForm(LineFormBase):
    """Add a line (a free item, or a cross-team need) or edit one: text, owner, due date,
    priority. Returns the line's id, or None when cancelled."""

    def __init__(self, plans: PlanService, today: date, section: str, line: PlanLineView | None,
                 week: Week | None = None) -> None:
        super().__init__()
        self.plans = plans
        self.today = today
        self.section = section
        self.line = line
        self.week = week  # the plan a new line goes into (compiled in that week)
        self.heading = t(f"plan.section.{section}")

    def fields(self) -> Iterator[Widget]:
        line = self.line
        yield Label(t("field.plan_text"))
        yield FieldInput(line.text if line else "", id="f-plan_text", classes="form-field")
        yield Label(t("field.plan_owner"))
        yield FieldInput((line.owner or "") if line else "", id="f-owner", classes="form-field")
        yield Label(t("field.due"))
        due = format_date(line.due) if line and line.due else ""
        yield FieldInput(due, id="f-due", classes="form-field", placeholder="YYYY-MM-DD")
        if line is not None:
            yield Label(t("field.plan_priority"))
            yield FieldInput(str(line.priority or ""), id="f-priority", classes="form-field")

    def store(self, value: dict[str, str]) -> int:
        if self.line is None:
            return self.plans.add_line(self.today, self.section, value["plan_text"], value["owner"], value["due"],
                                 week=self.week)
        self.plans.edit_line(self.line.id, value["plan_text"], value["owner"], value["due"], value.get("priority"))
        return self.line.id
