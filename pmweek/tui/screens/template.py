"""Editing the routine template: add, rename, reorder and remove items per weekday.
Only weeks opened after an edit use it; existing weeks keep their own copy."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import (
    Button,
    Footer,
    Header,
    Input,
    Label,
    OptionList,
    Static,
    Tab,
    Tabs,
    TextArea,
)
from textual.widgets.option_list import Option

from pmweek.domain.calendar import WORKDAYS
from pmweek.domain.routine import TemplateItem
from pmweek.i18n import day_long, day_short, t
from pmweek.tui.screens.common import AsksBeforeDiscarding, ReadsInBackground, SavesInBackground, change
from pmweek.tui.screens.confirm import ConfirmScreen
from pmweek.tui.text import Translated, group
from pmweek.tui.widgets.fields import FieldInput

if TYPE_CHECKING:
    from pmweek.domain.models import TaskView
    from pmweek.services.checklist import ChecklistService


class RoutineList(OptionList):
    """The day's routine items; Enter (select) edits one, labelled for the footer."""

    BINDINGS = [Binding("enter", "select", "key.edit", id="pm.edit", priority=True)]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)


class TemplateScreen(Translated, ReadsInBackground, Screen[None]):
    BINDINGS = [
        Binding("escape,q", "close", "key.back", id="pm.back"),
        Binding("a", "add", "key.add", id="pm.add", priority=True),
        Binding("delete,x", "delete", "key.delete", key_display="Del", id="pm.delete"),
        Binding("shift+up,K", "move(-1)", "key.move_up", key_display="⇧↑", group=group("group.move"), id="pm.up"),
        Binding("shift+down,J", "move(1)", "key.move_down", key_display="⇧↓", group=group("group.move"), id="pm.down"),
        Binding("left", "day(-1)", "key.prev_day", show=False, priority=True, id="pm.prev_day"),
        Binding("right", "day(1)", "key.next_day", show=False, priority=True, id="pm.next_day"),
    ]

    def __init__(self, checklist: ChecklistService, weekday: int) -> None:
        super().__init__()
        self.checklist = checklist
        self.weekday = weekday
        self.items: list[TemplateItem] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("app.template_hint"), id="template-hint")
        yield Tabs(*(Tab(day_short(d), id=f"d{d}") for d in WORKDAYS), active=f"d{self.weekday}", id="days")
        yield RoutineList(id="template-list")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = t("app.template_title")
        self.hold_keys()  # until the routine is shown
        self.refresh_items()

    def refresh_items(self, select: int | None = None) -> None:
        """Read the routine in a worker (a shared database far away never freezes the screen)."""
        self._read(select)

    def _read(self, select: int | None) -> None:
        self.read_then("template", self.checklist.template, lambda items: self._read_done(items, select))

    def _read_done(self, items: list[TemplateItem], select: int | None) -> None:
        self.items = items
        self._show(select)
        self.release_keys()

    def _show(self, select: int | None = None) -> None:
        """The day's items of the routine read last."""
        listing = self.query_one(RoutineList)
        current = listing.highlighted
        options = []
        for item in self.items:
            if item.day != self.weekday:
                continue
            prompt = Text(item.title)
            if item.points:
                prompt.append(f"  ({len(item.points)})", style="dim")
            options.append(Option(prompt, id=f"i{item.id}"))
        listing.set_options(options)
        if select is not None:
            listing.highlighted = listing.get_option_index(f"i{select}")
        elif options:
            listing.highlighted = min(current or 0, len(options) - 1)
        listing.focus()

    def _selected(self) -> TemplateItem | None:
        option = self.query_one(RoutineList).highlighted_option
        if option is None:
            return None
        item_id = int(option.id[1:])
        return next((i for i in self.items if i.id == item_id), None)

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        self.weekday = int(event.tab.id[1:])
        self._show()  # the whole routine is read already: another day is only shown

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_edit()

    def action_day(self, delta: int) -> None:
        weekday = max(WORKDAYS[0], min(WORKDAYS[-1], self.weekday + delta))
        self.query_one(Tabs).active = f"d{weekday}"

    def action_add(self) -> None:
        self.app.push_screen(TemplateItemForm(self.checklist, self.weekday, None), self._after_form)

    def action_edit(self) -> None:
        item = self._selected()
        if item is not None:
            self.app.push_screen(TemplateItemForm(self.checklist, self.weekday, item), self._after_form)

    def _after_form(self, item_id: int | None) -> None:
        if item_id is not None:
            self.refresh_items(select=item_id)

    def action_delete(self) -> None:
        item = self._selected()
        if item is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                change(self, self.checklist.remove_template_item, item.id, then=self.refresh_items)

        self.app.push_screen(ConfirmScreen(t("app.confirm_delete", title=item.title), t("app.yes")), answered)

    def action_move(self, delta: int) -> None:
        item = self._selected()
        if item is not None:
            change(self, self.checklist.move_template_item, item.id, delta,
                   then=partial(self.refresh_items, select=item.id))

    def action_close(self) -> None:
        self.dismiss(None)


class TemplateItemForm(Translated, AsksBeforeDiscarding, SavesInBackground, ModalScreen[int | None]):
    """Add or edit one routine item; returns its id, or None when cancelled.
    A refused value keeps everything typed and says what is wrong."""

    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", id="pm.save"),
        Binding("escape", "cancel", "key.back", id="pm.cancel"),
    ]

    def __init__(self, checklist: ChecklistService, weekday: int, item: TemplateItem | None) -> None:
        super().__init__()
        self.checklist = checklist
        self.weekday = weekday
        self.item = item

    def heading(self) -> str:
        return t("app.edit_item") if self.item else t("app.new_item", day=day_long(self.weekday))

    def store(self, title: str, points: str) -> int:
        """Write what the form holds; its id (a refusal raises PmWeekError)."""
        if self.item is None:
            return self.checklist.add_template_item(self.weekday, title, points)
        self.checklist.edit_template_item(self.item.id, title, points)
        return self.item.id

    def compose(self) -> ComposeResult:
        heading = self.heading()
        with Vertical(id="form-dialog"):
            yield Static(heading, classes="section")
            yield Label(t("app.item_title"))
            yield FieldInput(self.item.title if self.item else "", id="form-title")
            yield Label(t("app.item_points"))
            yield TextArea("\n".join(self.item.points) if self.item else "", id="form-points")
            yield Static("", id="form-error", markup=False)
            yield Button(t("app.save"), id="form-save", variant="primary")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._shown = self._typed()  # what the form opened with: Esc leaves it without asking
        self.query_one("#form-title", Input).focus()

    def _typed(self) -> tuple[str, str]:
        return self.query_one("#form-title", Input).value, self.query_one("#form-points", TextArea).text

    def unsaved_question(self) -> tuple[str, str] | None:
        if self._typed() == self._shown:
            return None
        return t("app.form_discard_question"), t("app.form_discard")

    def field_done(self, field: Widget) -> None:  # Enter after the title: on to its sub-points
        self.set_focus(self.query_one("#form-points", TextArea))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        title = self.query_one("#form-title", Input).value
        points = self.query_one("#form-points", TextArea).text
        self.save_in_background(lambda: self.store(title, points), self.dismiss,
                                lambda exc: self.query_one("#form-error", Static).update(exc.message()))


class EditTaskForm(TemplateItemForm):
    """One-off work renamed, its sub-points retyped (a kept one keeps its tick)."""

    def __init__(self, checklist: ChecklistService, task: TaskView) -> None:
        item = TemplateItem(task.day, task.title, tuple(p.title for p in task.points), id=task.id)
        super().__init__(checklist, task.day, item)

    def heading(self) -> str:
        return t("app.edit_task")

    def store(self, title: str, points: str) -> int:
        self.checklist.edit_task(self.item.id, title, points)
        return self.item.id


class OneOffForm(TemplateItemForm):
    """One-off work for a day of the week shown (an escalation, a review someone asked
    for): on that day's list, carried over while open. Returns its id, or None."""

    def __init__(self, checklist: ChecklistService, day: date) -> None:
        super().__init__(checklist, day.isoweekday(), None)
        self.day = day

    def heading(self) -> str:
        return t("app.new_task", day=f"{day_long(self.day.isoweekday())} {self.day.isoformat()}")

    def store(self, title: str, points: str) -> int:
        return self.checklist.add_task(self.day, title, points)
