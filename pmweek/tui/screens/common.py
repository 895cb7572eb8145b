"""Small habits every pmweek screen shares."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Footer, Header, Input, OptionList, Static

from pmweek.errors import PmWeekError


def change(screen: Screen, method: Callable, *args, then: Callable[[], Any] | None = None,
           shown: Callable[[Any], Any] | None = None) -> None:
    """Make a change through a use case by the app's writer: off the event loop, in the
    order the PM made them; a refusal (bad input, a database error) is said where the eye
    is; once the change is stored ``then()`` runs on the screen, or ``shown`` with what
    the use case returned, if it is still open (the PM may have left it meanwhile: what
    it changed is stored all the same)."""
    app = screen.app

    def stored(result: Any) -> None:
        if screen in app.screen_stack:
            if then is not None:
                then()
            if shown is not None:
                shown(result)

    app.save(lambda _services: method(*args), stored, lambda message: app.notify(message, severity="error"))


class HoldsKeys:
    """Keys pressed before a screen can take them (while it first reads, or before a
    form's first field has focus) are kept and pressed again, in order, once it can
    (``release_keys``): a PM typing ahead ("w" then "v", "x" then the need's words) loses
    nothing. The keys are held by the app (``GatesKeys``), before any widget sees one,
    so a letter never overtakes an editing key typed before it."""

    _holding = False

    @property
    def holds_keys(self) -> bool:
        return self._holding

    def hold_keys(self) -> None:
        self._holding = True

    def release_keys(self) -> None:
        """The held keys as if pressed now, in order, where the focus is now."""
        if self._holding:
            self._holding = False
            self.app.replay_held_keys()


# Keys never held: leaving (escape) and quitting work however slow the database is.
NEVER_HELD = frozenset({"escape", "ctrl+q", "ctrl+c"})


class KeyHandled(Message):
    """Sent behind a key to where the key went, along the same way up: when it is back at
    the app, everything the key set off there (a binding run at the app, a message to
    the screen) has been done."""

    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number


# A key whose KeyHandled never comes back (its widget removed meanwhile) holds the keys
# behind it this long at most.
KEY_TIMEOUT = 0.5


class GatesKeys:
    """Mixed into the app: keys typed in a burst are handled one after the other, each
    only once the one before has been (Textual hands a key to the focused widget and
    goes on to the next at once: a binding run at the app, such as Tab or a table's
    cursor, came after the letters typed behind it, and a priority key such as Enter
    before the arrow typed ahead of it). While the screen on top holds keys (HoldsKeys)
    they are kept, and typed once it lets go, ahead of any typed since."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held_keys: list[events.Key] = []  # for a screen still reading
        self._behind: deque[events.Key] = deque()  # typed behind a key still being handled
        self._in_flight = 0  # the number of the key being handled, 0: none
        self._keys_sent = 0

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            if not self._gated(event):
                await self._hand_on(event)
            return
        await super().on_event(event)  # type: ignore[misc]

    def _gated(self, key: events.Key) -> bool:
        """Is ``key`` kept for later rather than handled now?"""
        if getattr(self.screen, "holds_keys", False):
            return self._held(key)
        if self._in_flight or self._behind:  # in turn, Esc too: the words typed before it go in first
            self._behind.append(key)
            return True
        return False

    async def _hand_on(self, key: events.Key) -> None:
        await super().on_event(key)  # type: ignore[misc]  # Textual: priority bindings, else the focused widget
        if key.key in NEVER_HELD:
            return  # leaving: the screen it closes may never send a key back; nothing waits on it
        self._keys_sent += 1
        number = self._in_flight = self._keys_sent
        target = self.focused or self.screen  # type: ignore[attr-defined]
        if not target.post_message(KeyHandled(number)):
            self._in_flight = 0
            return
        self.set_timer(KEY_TIMEOUT, partial(self._key_done, number))  # type: ignore[attr-defined]

    async def on_key_handled(self, message: KeyHandled) -> None:
        message.stop()
        await self._key_done(message.number)

    async def _key_done(self, number: int) -> None:
        if number != self._in_flight:
            return  # an earlier key's, late
        self._in_flight = 0
        await self._next_key()

    async def _next_key(self) -> None:
        """The next key typed behind: handled now, or held if the screen on top holds."""
        while self._behind and not self._in_flight:
            typed = self._behind.popleft()
            key = events.Key(typed.key, typed.character)
            # Sent from where it lands, as a typed key is: Textual stops a key at its
            # sender, and one sent by the app would stop before the app's bindings.
            key.set_sender(self.focused or self.screen)  # type: ignore[attr-defined]
            if getattr(self.screen, "holds_keys", False) and self._held(key):  # a key just handled
                continue  # opened a form that holds the rest
            await self._hand_on(key)

    def _held(self, key: events.Key) -> bool:
        """While the screen on top holds keys: ``key`` kept for it, or (leaving a screen
        still reading: Esc, ctrl+q) handled at once, Esc taking the kept keys with it."""
        if key.key in NEVER_HELD:
            if key.key == "escape":
                self._held_keys.clear()
            return False
        self._held_keys.append(key)
        return True

    def replay_held_keys(self) -> None:
        self._behind.extendleft(reversed(self._held_keys))
        self._held_keys = []
        self.call_later(self._next_key)  # type: ignore[attr-defined]


class AsksBeforeDiscarding:
    """A form that does not throw away what was typed on one key: Esc (and quitting,
    which asks every open form) asks first while ``unsaved_question`` has a question."""

    def unsaved_question(self) -> tuple[str, str] | None:
        """(question, the answer that discards), or None when nothing was typed."""
        raise NotImplementedError

    def action_cancel(self) -> None:
        question = self.unsaved_question()
        if question is None:
            self.dismiss(None)  # type: ignore[attr-defined]
            return
        from pmweek.tui.screens.confirm import ConfirmScreen

        self.app.push_screen(ConfirmScreen(*question), lambda discard: discard and self.dismiss(None))  # type: ignore[attr-defined]


def fill_table(table: DataTable, columns: Sequence[tuple[str, str]], rows: Sequence[tuple[str, Sequence]]) -> None:
    """``table`` emptied and filled: ``columns`` (key, label), ``rows`` (key, cells).
    Each column is given its width (its widest cell or label) rather than left for the
    table to measure when it is next idle: a frame drawn before that (a busy machine)
    was kept by the table's own caches with every column cut to its label's width
    (2026-11 as 2026) until the cursor moved."""
    table.clear(columns=True)
    for n, (key, label) in enumerate(columns):
        width = max([cell_len(label)] + [_width(cells[n]) for _, cells in rows])
        table.add_column(label, key=key, width=width)
    for key, cells in rows:
        table.add_row(*cells, key=key)


def _width(cell: object) -> int:
    return cell.cell_len if isinstance(cell, Text) else cell_len(str(cell))


def said_under(form: Screen, message: str, field: str | None) -> None:
    """A form's refusal right under the field it is about (``field``: its input's name;
    else under the heading), the field focused and both scrolled into view: where the eye
    is, at any size."""
    error = form.query_one("#form-error", Static)
    error.update(message)
    matches = form.query(f"#f-{field}") if field else []
    dialog = form.query_one("#form-dialog")
    if matches:
        dialog.move_child(error, after=matches.first())
        matches.first().focus()
    else:
        dialog.move_child(error, after=dialog.children[0])
    form.call_after_refresh(dialog.scroll_to_widget, error, animate=False)


class OnTop:
    """What a screen does to itself once a save is stored (close, say a refusal) waits
    until it is on top again: a palette or a question opened over it meanwhile is never
    the one closed."""

    _waiting: Callable[[], Any] | None = None

    def on_top(self, callback: Callable[[], Any]) -> None:
        if self.app.screen is self:
            callback()
        else:
            self._waiting = callback

    def on_screen_resume(self) -> None:
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            waiting()


class SavesInBackground(OnTop, HoldsKeys):
    """A form whose save is made by the app's writer, off the event loop, in turn with
    every other change: ``done(result)`` once stored, ``refused(error)`` on a refusal,
    each only while the form is still open; ctrl+s pressed twice meanwhile saves once.
    Keys typed before its first field has focus ("x" then the need's words in one burst)
    go into that field once it has."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.hold_keys()

    def on_mount(self) -> None:  # after the form's own on_mount has put the focus
        self.call_after_refresh(self.release_keys)

    _saving = False

    def save_in_background(self, store: Callable[[], Any], done: Callable[[Any], Any],
                           refused: Callable[[PmWeekError], Any]) -> None:
        if self._saving:
            return
        self._saving = True

        def attempt(_services: Any) -> tuple[bool, Any]:
            try:
                return True, store()
            except PmWeekError as exc:  # the form says it, under the field it is about
                return False, exc

        def after(outcome: tuple[bool, Any]) -> None:
            ok, value = outcome

            def shown() -> None:  # a second ctrl+s stays refused until this one is shown
                self._saving = False
                (done if ok else refused)(value)

            if self in self.app.screen_stack:
                self.on_top(shown)
            elif not ok:  # the form was left meanwhile: the refusal is still said
                self.app.notify(value.message(), severity="error")

        def failed(message: str) -> None:  # not a refusal: the data layer itself failed
            self._saving = False
            self.app.notify(message, severity="error")

        self.app.save(attempt, after, failed)


class EnterMovesOn:
    """Form screens: Enter in a field moves to the next ``.form-field``; on the last
    one it saves (``action_save``), as a spreadsheet user expects. The move happens at
    once (widgets.fields), so a key typed right after Enter lands in the next field."""

    def field_done(self, field: Widget) -> None:
        fields = list(self.query(".form-field"))
        index = fields.index(field) if field in fields else len(fields) - 1
        if index + 1 < len(fields):
            self.set_focus(fields[index + 1])
        else:
            self.action_save()

    def on_input_submitted(self, event: Input.Submitted) -> None:  # a plain Input's Enter
        event.stop()
        self.field_done(event.input)


class ReadsInBackground(HoldsKeys):
    """A screen that reads in a worker (``read_then``: a shared database far away never
    freezes it), holding the keys pressed while it first reads (HoldsKeys)."""

    def read_then(self, group: str, read: Callable[[], Any], shown: Callable[[Any], Any]) -> None:
        """``read`` in a worker (one at a time in ``group``: the latest wins), then
        ``shown`` with what it read, on the screen's loop; a refusal is said where the eye
        is, and the keys held for the read are let go."""

        def work() -> None:
            try:
                value = read()
            except PmWeekError as exc:
                self.app.call_from_thread(self._read_refused, exc.message())
                return
            self.app.call_from_thread(shown, value)

        self.run_worker(work, thread=True, exclusive=True, group=group)

    def _read_refused(self, message: str) -> None:
        self.notify(message, severity="error")
        self.release_keys()


class LineList(OptionList):
    """A document's lines; Enter edits the highlighted one."""

    BINDINGS = [Binding("enter", "select", "key.edit", id="pm.edit_line", priority=True)]


class ActsOnLines:
    """A screen listing a document's lines (a LineList): the highlighted line, and a use
    case run on it, the list reloaded with it still under the cursor."""

    LINES = "document"  # the ids of its meta line and list: "<LINES>-meta", "<LINES>-lines"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id=f"{self.LINES}-meta")
        yield LineList(id=f"{self.LINES}-lines")
        yield Footer(compact=True)

    def shown_lines(self) -> Sequence:
        raise NotImplementedError

    def reload(self, select: int | None = None) -> None:
        raise NotImplementedError

    def _selected(self):  # noqa: ANN202 - a line of the document shown
        option = self.query_one(LineList).highlighted_option
        if option is None or not option.id:
            return None
        line_id = int(option.id[1:])
        return next((ln for ln in self.shown_lines() if ln.id == line_id), None)

    def act_on_line(self, method: Callable, *args) -> None:
        line = self._selected()
        if line is not None:
            change(self, method, line.id, *args, then=partial(self.reload, select=line.id))

