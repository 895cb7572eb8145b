"""One item opened: tick it and its sub-points, write a note (saved as typed)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Checkbox, Footer, Label, Static, TextArea

from pmweek.domain.calendar import Week, format_stamp
from pmweek.domain.models import TaskView
from pmweek.domain.plan import PLAN_REVIEW_KEY, open_plan_lines
from pmweek.domain.sheets import INSIGHT_LENS, note_insights
from pmweek.i18n import day_long, t
from pmweek.tui.screens.common import OnTop, ReadsInBackground, change
from pmweek.tui.text import Translated

if TYPE_CHECKING:
    from pmweek.services.checklist import ChecklistService
    from pmweek.services.documents import DocumentService
    from pmweek.services.sheets import SheetService

SAVE_DELAY = 0.5  # seconds of quiet typing before the note is written


class _Unfocusable(VerticalScroll):
    """Scrolls to whatever inside has the focus, but is no stop of its own for Tab (a
    stop nothing shows, where space and letters went nowhere)."""

    can_focus = False


class Box(Checkbox):
    """A box in the dialog: space (or Enter) ticks it, and the footer says so while it has
    the focus."""

    BINDINGS = [Binding("enter,space", "toggle_button", "key.toggle", key_display="space", id="pm.tick_box")]


class TaskScreen(Translated, OnTop, ReadsInBackground, ModalScreen[str | None]):
    """Returns the name of a table to open, or None."""

    BINDINGS = [
        Binding("escape", "close", "key.back", id="pm.back"),
        # Textual's own Tab, named in the footer: it is how the boxes above the note are reached.
        Binding("tab", "app.focus_next", "key.next_box", key_display="Tab", id="pm.next_box"),
        Binding("ctrl+o", "open_table", "key.open_table", id="pm.open_table"),
        Binding("ctrl+t", "note_insights", "key.note_insights", id="pm.note_insights"),
        Binding("f2", "edit_task", "key.edit_task", id="pm.edit_task"),  # as a spreadsheet edits a cell
    ]

    def __init__(self, checklist: ChecklistService, plans: DocumentService, records: SheetService, task_id: int) -> None:
        """``plans`` lists the plan a review item works through; ``records`` takes the
        insights typed in a note."""
        super().__init__()
        self.checklist, self.plans, self.records = checklist, plans, records
        self.task_id = task_id
        self._save_timer: Timer | None = None
        self.table: str | None = None
        self.key: str | None = None
        self.day = None
        self.title = ""
        self.one_off = False
        self._saved_note = ""  # the note as stored, or as the last save asked (the writer keeps order)
        self._saving_notes = 0  # saves asked and not yet answered
        self._note_waiting: list[Callable[[bool], Any]] = []  # told when the last of them is
        self._data: tuple[TaskView, list, list] | None = None  # read in a worker once the dialog is up

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        # Offer "open table" only on items that link to one.
        if action == "open_table":
            return self.table is not None
        if action == "note_insights":  # only the items whose notes are observations
            return self.key in INSIGHT_LENS
        if action == "edit_task":  # one-off work; a routine item is changed in the routine (e)
            return self.one_off
        return True

    def action_note_insights(self) -> None:
        """Each line of the note becomes an insight of the item's lens, dated its day:
        what was noted on Monday is not typed again for the weekly report."""
        self.save_note()
        lines = note_insights(self.query_one("#task-note", TextArea).text)
        change(self, self.records.add_insights, self.day, INSIGHT_LENS[self.key], lines, self.title,
               shown=lambda added: self.notify(t("app.insights_added", count=added, kept=len(lines) - added)))

    def action_edit_task(self) -> None:
        """Rename one-off work, retype its sub-points; the dialog then shows them."""
        from pmweek.tui.screens.template import EditTaskForm

        def saved(task_id: int | None) -> None:
            if task_id is not None:
                self._read()  # shown again as it now is

        def edit(stored: bool) -> None:
            if stored and self._data is not None:
                self.app.push_screen(EditTaskForm(self.checklist, self._data[0]), saved)

        self.save_pending(then=edit)

    def action_open_table(self) -> None:
        # The week screen underneath opens it: it knows where each table lives.
        self._leave(self.table)

    def _load(self) -> tuple[TaskView, list, list]:
        task = self.checklist.task(self.task_id)
        plan_lines = []
        if task.key == PLAN_REVIEW_KEY:
            plan = self.plans.plan_for(Week.of(task.date))
            plan_lines = open_plan_lines(plan)
        return task, self.checklist.history(self.task_id), plan_lines

    def _read(self) -> None:
        """The item, its history and a review's plan lines."""
        self.read_then("task", self._load, self._read_done)

    async def _read_done(self, data: tuple[TaskView, list, list]) -> None:
        task = data[0]
        self._data, self._saved_note = data, task.note
        self.table, self.key, self.day, self.title = task.table, task.key, task.date, task.title
        self.one_off = task.key is None
        self.refresh_bindings()
        await self.recompose()
        # Typing goes to the note, but the dialog opens at its top: the item's title, day
        # and box first, even where the terminal is too short to show it all.
        self.query_one("#task-note", TextArea).focus(scroll_visible=False)
        self.call_after_refresh(self.query_one("#task-dialog").scroll_home, animate=False)
        self.release_keys()

    def compose(self) -> ComposeResult:
        if self._data is None:  # being read
            with VerticalScroll(id="task-dialog"):
                yield Static(t("app.loading"), id="task-title")
            yield Footer(compact=True)
            return
        task, history, plan_lines = self._data
        with _Unfocusable(id="task-dialog"):
            yield Static(task.title, id="task-title", markup=False)
            meta = f"{day_long(task.day)} {task.date.isoformat()}"
            if task.table:
                meta += " · " + t("app.table_link", table=_table_label(task.table))
            yield Static(meta, id="task-meta", markup=False)
            yield Box(t("app.done"), task.done, id=f"t{task.id}", classes="task-check")
            if task.points:
                yield Label(t("app.points"), classes="section")
                with _Unfocusable(id="task-points"):
                    for point in task.points:
                        yield Box(point.title, point.done, id=f"p{point.id}", classes="task-check")
            if plan_lines:
                yield Label(t("plan.monday_header"), classes="section")
                for line in plan_lines:
                    yield Box(line.text, line.done, id=f"l{line.id}", classes="task-check")
            yield Label(t("app.note"), classes="section")
            note = TextArea(task.note, id="task-note", soft_wrap=True, show_line_numbers=False)
            note.placeholder = t("app.note_placeholder")
            yield note
            # Shown while the note on screen is not the one stored (a refused save).
            yield Static("", id="note-unsaved", markup=False)
            if history:
                yield Label(t("app.history"), classes="section")
                lines = [
                    f"{format_stamp(at)}  {t('app.event.' + action)}" + (t("weekly.colon") + detail if detail else "")
                    for at, action, detail in history
                ]
                shown = Static("\n".join(lines), id="task-history", markup=False)
                shown.can_focus = True  # Tab reaches it, and scrolls it into view at 80x24
                yield shown
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.hold_keys()  # a note typed ahead goes into the note once it is there
        self._read()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        item_id = int(event.checkbox.id[1:])
        # The box's new state, not a flip of what is stored (another window may have ticked it).
        tick = self.plans.toggle_done if event.checkbox.id.startswith("l") else self.checklist.set_done
        change(self, tick, item_id, event.value)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self.save_note)

    def save_note(self, then: Callable[[bool], Any] | None = None) -> None:
        """Write the note shown, if it is not the one stored, by the app's writer; then
        ``then(True)``, or ``then(False)`` when the database refused it: the dialog then
        says so under the note, which keeps the text."""
        done = then or (lambda _stored: None)
        if self._data is None:  # still being read: nothing typed yet
            done(True)
            return
        text = self.query_one("#task-note", TextArea).text
        unsaved = self.query_one("#note-unsaved", Static)
        if text == self._saved_note:
            if self._saving_notes:  # asked already, not yet stored: its answer is this one's
                self._note_waiting.append(done)
            else:
                unsaved.display = False
                done(True)
            return
        expected, self._saved_note = self._saved_note, text  # what the next save finds stored
        self._saving_notes += 1

        def answered(ok: bool) -> None:
            self._saving_notes -= 1
            waiting = [done, *self._note_waiting] if not self._saving_notes else [done]
            if not self._saving_notes:
                self._note_waiting = []
            for then in waiting:
                then(ok)

        def stored(_result: Any) -> None:
            if self in self.app.screen_stack:
                unsaved.display = False
            answered(True)

        def refused(message: str) -> None:
            self._saved_note = expected  # not stored: the text on screen is the PM's alone
            if self in self.app.screen_stack:
                unsaved.update(t("app.note_unsaved", reason=message))
                unsaved.display = True
            else:  # the dialog was left meanwhile (the app is leaving): still said
                self.app.notify(t("app.note_unsaved", reason=message), severity="error")
            answered(False)

        self.app.save(lambda _services: self.checklist.set_note(self.task_id, text, expected=expected), stored,
                      refused)

    def save_pending(self, then: Callable[[bool], Any] | None = None) -> None:
        """What was typed in the last moment is written now (the app waits for its writer
        before it leaves)."""
        if self._save_timer is not None:
            self._save_timer.stop()
        self.save_note(then)

    def action_close(self) -> None:
        self._leave(None)

    def _leave(self, result: str | None) -> None:
        """Closed once the note is stored (at once, unless the database is slow)."""
        from pmweek.tui.screens.confirm import ConfirmScreen

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(result)

        def stored(ok: bool) -> None:
            if self not in self.app.screen_stack:
                return
            if ok:  # closed once on top again (a palette opened over it is not the one closed)
                self.on_top(lambda: self.dismiss(result))
            else:  # never dropped unasked: closing loses the note on screen only once the PM says so
                self.on_top(lambda: self.app.push_screen(
                    ConfirmScreen(t("app.note_discard_question"), t("app.note_discard")), answered))

        self.save_pending(then=stored)


# What a routine item's table may name besides the record books (domain.routine.TABLES).
_SCREENS = {"plan": "key.plan", "report": "key.weekly_report"}


def _table_label(name: str) -> str:
    """The table an item opens, by the name the PM reads in the tables' picker."""
    from pmweek.domain.sheets import BOOKS

    if name in BOOKS:
        return t(BOOKS[name].label_key)
    return t(_SCREENS[name]) if name in _SCREENS else name
