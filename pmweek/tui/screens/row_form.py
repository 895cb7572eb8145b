"""Entering a row, or one cell of it. A refused value keeps everything typed, says
which field is wrong and puts the cursor there; nothing half-valid is written."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Footer, Input, Label, Static, TextArea

from pmweek.domain.sheets import Field, RowView, Sheet, format_value
from pmweek.errors import ChangedMeanwhile, PmWeekError
from pmweek.i18n import t
from pmweek.tui.screens.common import AsksBeforeDiscarding, EnterMovesOn, SavesInBackground, said_under
from pmweek.tui.text import Translated
from pmweek.tui.widgets.fields import FieldArea, FieldInput

if TYPE_CHECKING:
    from pmweek.services.sheets import SheetService


def _hint(f: Field) -> str:
    if f.choices:
        return " / ".join(t(f"choice.{c}") for c in f.choices)
    return {"month": "2026-10", "date": "2026-11-23"}.get(f.kind, "")


def field_widget(f: Field, value: str, suggestions: list[str]) -> Input | TextArea:
    if f.multiline:
        area = FieldArea(value, id=f"f-{f.key}", classes="form-field -multiline", soft_wrap=True)
        return area
    choices = [t(f"choice.{c}") for c in f.choices] + list(f.choices)
    suggester = SuggestFromList(suggestions or choices, case_sensitive=False) if (suggestions or choices) else None
    return FieldInput(value, id=f"f-{f.key}", classes="form-field", placeholder=_hint(f), suggester=suggester)


def _raw(widget: Widget) -> str:
    return widget.text if isinstance(widget, TextArea) else widget.value  # type: ignore[attr-defined]


def field_text(sheet: Sheet, widget: Input | TextArea) -> str:
    """What the user typed; a choice of ``sheet``'s may be typed in either language."""
    from pmweek.export.cells import choice_key, is_choice

    text = widget.text if isinstance(widget, TextArea) else widget.value
    key = (widget.id or "").removeprefix("f-")
    return choice_key(sheet, key, text) if is_choice(sheet, key) else text


class _FormBase(Translated, SavesInBackground, ModalScreen):
    records: SheetService  # the records' use case, given by whoever opens the form
    sheet: Sheet

    def action_pick(self) -> None:
        """The focused field's values (a status, an axis, a metric…) listed in the PM's
        words to pick from; the pick fills the field and moves on."""
        from pmweek.tui.screens.picker import ValuePicker

        field = self.focused
        key = (getattr(field, "id", None) or "").removeprefix("f-")
        f = next((f for f in self.sheet.fields if f.key == key), None)
        values = (f.choices or f.known) if f is not None else ()
        if not values or not isinstance(field, Input):
            self.notify(t("app.nothing_to_pick"), severity="warning")
            return

        def picked(word: str | None) -> None:
            if word is not None:
                field.value = word
                done = getattr(self, "field_done", None)
                if done is not None:
                    done(field)

        self.app.push_screen(ValuePicker(t(f.label_key), [t(f.word_key(v) or v) for v in values]), picked)

    @staticmethod
    def _suggestions(f: Field, used: Sequence[str] = ()) -> list[str]:
        """What a field offers as it is typed: the values used before (read once the form
        is up), then the words it knows, in the PM's language (read back either way)."""
        known = [t(f.word_key(k) or k) for k in f.known]
        return [u for u in used if u not in f.known] + [k for k in known if k not in used]

    def suggest_used(self, sheet: Sheet, fields: Sequence[Field]) -> None:
        """The values used before in ``fields`` that complete as typed, read in a worker:
        the form is up and typed into at once, its suggestions following."""
        wanted = [f for f in fields if f.complete]
        if not wanted:
            return

        def read() -> None:
            try:
                used = {f.key: self.records.suggestions(sheet.name, f.key) for f in wanted}
            except PmWeekError:
                return  # only suggestions: the form works without them
            self.app.call_from_thread(self._suggest, sheet, used)

        self.run_worker(read, thread=True, exclusive=True, group="suggestions")

    def _suggest(self, sheet: Sheet, used: dict[str, list[str]]) -> None:
        for key, values in used.items():
            for widget in self.query(f"#f-{key}"):
                if isinstance(widget, Input):
                    offered = self._suggestions(sheet.field(key), values)
                    if offered:
                        widget.suggester = SuggestFromList(offered, case_sensitive=False)

    def _show_error(self, exc: PmWeekError) -> None:
        said_under(self, exc.message(), str(exc.params.get("field", "")).removeprefix("field.") or None)

    def _show_warnings(self, warned: list[tuple[str, dict]]) -> None:
        for key, params in warned:
            self.app.notify(t("warn.prefix", message=t(key, **params)), severity="warning")


class RowForm(AsksBeforeDiscarding, EnterMovesOn, _FormBase):
    """A new row: returns its id, or None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", id="pm.save"),
        # Before the field's own ctrl+d (delete to the right): the form promises a copy.
        Binding("ctrl+d", "ditto", "key.ditto", tooltip="cmd.ditto_help", id="pm.ditto", priority=True),
        Binding("f4", "pick", "key.pick", tooltip="cmd.pick_help", id="pm.pick"),
        Binding("escape", "cancel", "key.back", id="pm.cancel"),
    ]

    def __init__(self, records: SheetService, sheet: Sheet, defaults: dict[str, str], above: dict[str, Any] | None,
                 title: str | None = None) -> None:
        super().__init__()
        self.records = records
        self.sheet = sheet
        self.defaults = defaults
        self.above = above
        self.heading = title or t("app.new_row", sheet=t(sheet.label_key))

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form-dialog"):
            yield Static(self.heading, classes="section")
            for f in self.sheet.typed_fields:
                required = " *" if f.required else ""
                yield Label(t(f.label_key) + required)
                value = self.defaults.get(f.key, f.default or "")
                if isinstance(value, str) and (word := f.word_key(value)):
                    value = t(word)  # as the user would type it; read back either way
                yield field_widget(f, value, self._suggestions(f))
            yield Static("", id="form-error", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        # The month (or the day) is filled in already: start on the first field to type.
        self._shown = self._typed()  # what the form opened with: Esc leaves it without asking
        fields = list(self.query(".form-field"))
        empty = [w for w in fields if (w.id or "")[2:] not in self.defaults]
        (empty or fields)[0].focus()
        self.suggest_used(self.sheet, self.sheet.typed_fields)

    def action_ditto(self) -> None:
        focused = self.focused
        if self.above is None or focused is None or not (focused.id or "").startswith("f-"):
            return
        value = format_value(self.above.get(focused.id[2:]))
        if not value:  # nothing above to copy: what was typed stays
            self.notify(t("app.nothing_above"), severity="warning")
            return
        if isinstance(focused, TextArea):
            focused.text = value
        elif isinstance(focused, Input):
            focused.value = value

    def _typed(self) -> dict[str, str]:
        return {w.id[2:]: field_text(self.sheet, w) for w in self.query(".form-field")}

    def action_save(self) -> None:
        raw = self._typed()
        self.save_in_background(lambda: self.records.add(self.sheet.name, raw), self._added, self._show_error)

    def _added(self, added: tuple[int, list]) -> None:
        row_id, warned = added
        self._show_warnings(warned)
        self.dismiss(row_id)

    def unsaved_question(self) -> tuple[str, str] | None:
        """What to ask before a row half typed is thrown away (None: nothing typed)."""
        if self._typed() == self._shown:
            return None
        return t("app.row_discard_question"), t("app.row_discard")


class CellEditor(_FormBase):
    """One cell of a stored row, edited in place: returns True when saved."""

    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", id="pm.save"),
        Binding("f4", "pick", "key.pick", tooltip="cmd.pick_help", id="pm.pick"),
        Binding("escape", "cancel", "key.back", id="pm.cancel"),
    ]

    def __init__(self, records: SheetService, sheet: Sheet, row: RowView, column: str) -> None:
        super().__init__()
        self.records = records
        self.sheet = sheet
        self.row = row
        self.field = sheet.field(column)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form-dialog", classes="-cell"):
            yield Label(t(self.field.label_key))
            value = self.row.values.get(self.field.key)
            if isinstance(value, str) and (word := self.field.word_key(value)):
                value = t(word)  # as the table shows it; read back in either language
            yield field_widget(self.field, format_value(value), self._suggestions(self.field))
            yield Static("", id="form-error", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._seen = self.row.values.get(self.field.key)
        self._stale = False  # the table shows an older value than the database holds
        field = self.query_one(".form-field")
        self._opened_with = _raw(field)
        if isinstance(field, TextArea):  # at the end of what is there, as a one-line cell opens
            field.move_cursor(field.document.end)
        field.focus()
        self.suggest_used(self.sheet, [self.field])

    def field_done(self, field: Widget) -> None:  # Enter saves the one cell
        self.action_save()

    def action_save(self) -> None:
        field = self.query_one(".form-field")
        if _raw(field) == self._opened_with:  # nothing typed: what is stored stays exactly as it is
            self.dismiss(False)
            return
        text = field_text(self.sheet, field)
        # What the cell held when the table showed it: a save made meanwhile in another
        # window is said, not silently undone; saved again, this one goes over it.
        seen = {self.field.key: self._seen}
        self.save_in_background(lambda: self.records.edit(self.sheet.name, self.row.id, {self.field.key: text}, seen),
                                self._edited, self._refused)

    def _refused(self, exc: PmWeekError) -> None:
        if isinstance(exc, ChangedMeanwhile):
            self._seen = exc.current  # now seen: Enter again saves over it
            self._stale = True
        self._show_error(exc)

    def _edited(self, warned: list) -> None:
        self._show_warnings(warned)
        self.dismiss(True)

    def action_cancel(self) -> None:
        # Left keeping the other window's value: the table shows it (read again) too.
        self.dismiss(self._stale)


class EditsInPlace:
    """A screen listing one kind of record in a DataTable (the tables, the pool, the risk
    ledger): `enter` edits the cell under the cursor in place (a computed one says it
    cannot be typed into), `a` adds a row; then ``reload(select=row_id)`` shows it with
    that row under the cursor."""

    sheet: Sheet
    records: SheetService  # the records' use case the screen was given

    def shown_rows(self) -> list[RowView]:
        raise NotImplementedError

    def shown_columns(self) -> list[str] | tuple[str, ...]:
        raise NotImplementedError

    def reload(self, select: int | None = None) -> None:
        raise NotImplementedError

    def current(self) -> tuple[RowView, str] | None:
        from textual.widgets import DataTable

        rows = self.shown_rows()
        if not rows:
            return None
        coord = self.query_one(DataTable).cursor_coordinate
        return rows[min(coord.row, len(rows) - 1)], self.shown_columns()[coord.column]

    def action_edit_cell(self) -> None:
        current = self.current()
        if current is None:
            self.action_add()
            return
        row, column = current
        if column not in {f.key for f in self.sheet.typed_fields}:
            self.notify(t("app.computed_cell"), severity="warning")
            return
        self.app.push_screen(CellEditor(self.records, self.sheet, row, column), lambda saved: saved and self.edited(row))

    def edited(self, row: RowView) -> None:
        """After a cell was saved: show it, the row still under the cursor."""
        self.reload(select=row.id)

    def action_add(self) -> None:
        self.app.push_screen(RowForm(self.records, self.sheet, {}, None), lambda row_id: row_id and self.reload(select=row_id))
