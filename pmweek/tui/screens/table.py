"""A monthly table: rows of the selected month (or all months) with their computed
figures, and spreadsheet-like entry from the keyboard."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static, Tab, Tabs

from pmweek.domain.calendar import month_of, shift_month
from pmweek.domain.sheets import BOOKS, SHEETS, RowView, Sheet, format_value
from pmweek.export.cells import cell, header, numeric
from pmweek.i18n import t
from pmweek.tui.commands import OffersCommands
from pmweek.tui.screens.common import ReadsInBackground, change, fill_table
from pmweek.tui.screens.confirm import ConfirmScreen
from pmweek.tui.screens.row_form import CellEditor, EditsInPlace, RowForm
from pmweek.tui.text import Translated, group

if TYPE_CHECKING:
    from pmweek.services.figures import FigureService
    from pmweek.services.sheets import SheetService



NARROW = 120  # columns under which long texts are cut
CUT = 24  # cells of a cut text at most
LEAST_CUT = 10  # ... and at least, however little room the other columns leave

class TableScreen(Translated, OffersCommands, ReadsInBackground, EditsInPlace, Screen[None]):
    BINDINGS = [
        Binding("escape,q", "close", "key.back", id="pm.back"),
        Binding("a", "add", "key.add_row", id="pm.add_row", priority=True),
        Binding("enter", "edit_cell", "key.edit", id="pm.edit_cell", priority=True),
        Binding("ctrl+d", "ditto", "key.ditto", tooltip="cmd.ditto_help", show=False, id="pm.ditto"),
        Binding("delete,x", "delete", "key.delete", key_display="Del", id="pm.delete_row"),
        Binding("u", "undo", "key.undo", id="pm.undo"),
        Binding("h", "history", "key.row_history", tooltip="cmd.row_history_help", id="pm.row_history"),
        Binding("left_square_bracket", "month(-1)", "key.prev_month", key_display="[", group=group("group.month"), id="pm.prev_month"),
        Binding("right_square_bracket", "month(1)", "key.next_month", key_display="]", group=group("group.month"), id="pm.next_month"),
        Binding("m", "all_months", "key.all_months", id="pm.all_months"),
        Binding("g", "trends", "key.trends", tooltip="cmd.trends_help", show=False, id="pm.trends"),
        # Tab goes to the next sheet where there are several, as in a spreadsheet.
        Binding("s,tab", "next_sheet", "key.next_sheet", key_display="Tab", show=False, id="pm.next_sheet"),
        Binding("n", "set_total", "key.set_total", show=False, id="pm.set_total", priority=True),
    ]

    def __init__(self, records: SheetService, figures: FigureService, book: str, today: date) -> None:
        """``figures`` draws the trends the table opens (`g`)."""
        super().__init__()
        self.records, self.figures = records, figures
        self.book = BOOKS[book]
        self.today = today
        self.month: str | None = month_of(today)  # None: all months
        self.sheets = list(self.book.listed)  # a summary sheet's one figure is typed from the summary line
        self.sheet: Sheet = SHEETS[self.sheets[0]]
        self.rows: list[RowView] = []
        self._book = None  # a summary book's view (opportunities), for its summary line
        self._cut = False  # long texts cut, as last drawn
        self._long: set[str] = set()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="table-summary")
        if len(self.sheets) > 1:
            yield Tabs(*(Tab(t(f"sheet.{s}"), id=f"s-{s}") for s in self.sheets), id="sheets")
        yield DataTable(id="rows", cursor_type="cell", zebra_stripes=True)
        yield Footer(compact=True)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "next_sheet":  # a book of one sheet: Tab moves the focus as anywhere else
            return len(self.sheets) > 1
        if action == "set_total":
            return self.book.summary is not None
        return True

    def on_mount(self) -> None:
        self.title = t(self.book.label_key)
        if len(self.sheets) > 1:
            self.query_one(Tabs).can_focus = False  # Tab switches sheets; the rows keep the focus
        self.hold_keys()  # until the first rows are shown
        self.refresh_rows()
        self.query_one(DataTable).focus()

    # -- showing ------------------------------------------------------------------------

    def refresh_rows(self, select: int | None = None) -> None:
        """Reload from the database (in a worker: a shared database far away never
        freezes the screen); keep the cursor, or put it on row ``select``."""
        self._load(self.sheet.name, self.month, select)

    def _load(self, sheet: str, month: str | None, select: int | None) -> None:
        def read() -> tuple[list[RowView], object]:
            rows = self.records.shown(sheet, month, self.today)
            return rows, self.records.book(self.book.name, month, month, self.today) if self.book.summary else None

        self.read_then("rows", read, lambda got: self._loaded(sheet, month, *got, select))

    def _loaded(self, sheet: str, month: str | None, rows: list[RowView], book, select: int | None) -> None:  # noqa: ANN001
        if (sheet, month) != (self.sheet.name, self.month):  # another sheet or month was asked for since
            return
        self.rows, self._book = rows, book
        self._draw(select)
        self.release_keys()

    def _draw(self, select: int | None = None) -> None:
        """The rows loaded last, for the width the screen has now."""
        table = self.query_one(DataTable)
        cursor = table.cursor_coordinate
        self._cut = self.narrow
        fields = {f.key for f in self.sheet.fields}
        self._long = {f.key for f in self.sheet.fields if f.multiline}
        columns = self._table_columns()
        # Computed columns are marked: they cannot be typed into.
        labels = [header(self.book, c) if c in fields else f"{header(self.book, c)} ƒ" for c in columns]
        cells = [[self._cell(c, row) for c in columns] for row in self.rows]
        if self._cut:
            self._cut_long(columns, labels, cells)
        fill_table(table, list(zip(columns, labels)), [(str(row.id), shown) for row, shown in zip(self.rows, cells)])
        if select is not None:
            index = next((i for i, r in enumerate(self.rows) if r.id == select), 0)
            table.move_cursor(row=index, column=cursor.column)
        elif self.rows:
            table.move_cursor(row=min(cursor.row, len(self.rows) - 1), column=cursor.column)
        self._update_summary()

    def _is_sheet_column(self, column: str) -> bool:
        # Computed columns belong to the record sheet that produces them.
        return column not in {n.count for n in self.book.nested}

    def _table_columns(self) -> list[str]:
        # Narrow, with one month shown: the month is named above the table, not on every row.
        drop_month = self._cut and self.month is not None and self.sheet.monthly
        fields = [f.key for f in self.sheet.fields if not (f.key == "month" and drop_month) and f.key != "product"]
        computed = [c for c in self.book.computed if self._is_sheet_column(c)]
        # What the record's figures say (overdue, conversion) sits by them; the product
        # line, which most rows leave empty, comes last, as in the exports.
        product = ["product"] if self.sheet.field_of("product") else []
        return fields + computed + product

    @property
    def narrow(self) -> bool:
        """Under 120 columns long texts are cut and one month is not repeated on every row,
        so names, statuses and figures show."""
        return self.app.size.width < NARROW

    def on_resize(self) -> None:
        if self.narrow != self._cut:
            self._draw()  # the same rows, cut for the new width: nothing read again

    def _cell(self, column: str, row: RowView) -> Text:
        value = row.computed.get(column) if column in row.computed else row.values.get(column)
        text = cell(self.book, column, value, row.values).replace("\n", " ⏎ ")
        style = "bold red" if column == "overdue" and value else ""
        return Text(text, style=style, justify="right" if numeric(self.book, column) else "left")

    def _cut_long(self, columns: list[str], labels: list[str], cells: list[list[Text]]) -> None:
        """Texts cut to the room the other columns leave on the screen (whole in the cell
        editor, enter), so a row's figures, status and what it flags (overdue) stay in
        view: the room is shared out among the text columns, a narrow one keeping its
        width and leaving the rest to the wider (a long note, an owner's long name); a
        long text is cut to CUT cells at most. The product line, last and mostly empty,
        may be scrolled to."""
        texts = [i for i, c in enumerate(columns)
                 if c != "product" and (c in self._long or self.book.kind_of(c) == "text")]
        if not texts:
            return

        def natural(i: int) -> int:  # as wide as its widest cell or label
            return max([cell_len(labels[i])] + [row[i].cell_len for row in cells])

        fixed = sum(natural(i) + 2 for i, c in enumerate(columns) if i not in texts and c != "product")
        left = self.app.size.width - 2 - fixed - 2 * len(texts)  # the scrollbar; cell padding
        wanted = {i: min(natural(i), CUT) if columns[i] in self._long else natural(i) for i in texts}
        for n, i in enumerate(sorted(texts, key=wanted.get)):
            width = min(wanted[i], max(LEAST_CUT, left // (len(texts) - n)))
            left -= width
            if cell_len(labels[i]) > width:  # "Improvement plan" would hold the column wide
                label = Text(labels[i])
                label.truncate(width, overflow="ellipsis")
                labels[i] = label.plain
            for row in cells:
                row[i].truncate(width, overflow="ellipsis")

    def _update_summary(self) -> None:
        month = self.month or t("export.all_months")
        parts = [(header(self.book, "month"), month)]
        if self.book.summary and (view := self._book) is not None:
            heads = view.records[self.book.summary]
            for f in self.book.summary_fields:  # typed with n
                total = sum(r.values[f.key] or 0 for r in heads) if heads else None
                parts.append((header(self.book, f.key), f"{format_value(total) or '—'} (n)"))
            parts += [(header(self.book, n.count), len(view.records[n.sheet])) for n in self.book.nested]
        if self.sheet.name == "tickets":
            parts.append((header(self.book, "overdue"), sum(1 for r in self.rows if r.computed.get("overdue"))))
        summary = "  ·  ".join(t("app.label_value", label=label, value=value) for label, value in parts)
        self.query_one("#table-summary", Static).update(summary)
        # A table of one sheet is named once, not "Revenue — Revenue".
        sheet = t(self.sheet.label_key)
        self.sub_title = "" if sheet == self.title else sheet

    # -- editing in place (EditsInPlace) -------------------------------------------------

    def shown_rows(self) -> list[RowView]:
        return self.rows

    def shown_columns(self) -> list[str]:
        return self._table_columns()

    def reload(self, select: int | None = None) -> None:
        self.refresh_rows(select=select)

    def commands(self) -> list[tuple[str, str, Callable[[], None]]]:
        """The command palette's export of this table, the month(s) shown."""
        from pmweek.export.views import table_text
        from pmweek.tui.screens.export import export_to_file

        name, month, today = self.book.name, self.month, self.today
        heading = t("cmd.export_named", table=t(self.book.label_key))
        file_name = f"pmweek-{name}-{month or 'all'}.md"
        text = partial(table_text, self.records, name, month, month, today)
        return [(heading, t("cmd.export_help"), partial(export_to_file, self, heading, text, file_name))]

    def action_add(self) -> None:
        defaults = self.sheet.defaults(self.today, self.month)
        above = self.rows[-1].values if self.rows else None
        self.app.push_screen(RowForm(self.records, self.sheet, defaults, above), lambda row_id: row_id and self.reload(row_id))

    def edited(self, row: RowView) -> None:
        # The cursor stays on the cell just saved: the next ← or → is counted from the
        # cell the eye is on, not from one the save moved it to.
        self.refresh_rows(select=row.id)

    def action_ditto(self) -> None:
        """Copy the value of the row above into the current cell."""
        current = self.current()
        table = self.query_one(DataTable)
        if current is None or table.cursor_row == 0:
            return
        row, column = current
        if column not in {f.key for f in self.sheet.typed_fields}:
            return
        above = self.rows[table.cursor_row - 1].values.get(column)
        change(self, self.records.edit, self.sheet.name, row.id, {column: format_value(above)},
               then=partial(self.refresh_rows, select=row.id))

    def _title(self, row: RowView) -> str:
        return " · ".join(format_value(row.values[f.key]) for f in self.sheet.fields[:2])

    def action_history(self) -> None:
        from pmweek.tui.screens.history import RowHistoryScreen

        current = self.current()
        if current is None:
            return
        row, _ = current
        self.read_then("history", partial(self.records.history, self.sheet.name, row.id),
                       lambda changes: self.app.push_screen(RowHistoryScreen(self.sheet, self._title(row), changes)))

    def action_delete(self) -> None:
        current = self.current()
        if current is None:
            return
        row, _ = current
        title = self._title(row)

        def answered(yes: bool | None) -> None:
            if yes:
                change(self, self.records.delete, self.sheet.name, row.id, then=self._deleted)

        self.app.push_screen(ConfirmScreen(t("app.confirm_delete_row", row=title), t("app.yes")), answered)

    def _deleted(self) -> None:
        self.refresh_rows()
        self.notify(t("app.deleted_undo"))

    def action_undo(self) -> None:
        name = self.sheet.name

        def undo() -> RowView | None:
            row_id = self.records.undo_delete(name)
            return None if row_id is None else self.records.row(name, row_id)

        change(self, undo, shown=self._restored)

    def _restored(self, restored: RowView | None) -> None:
        if restored is None:
            self.notify(t("app.nothing_to_undo"))
            return
        if self.month is not None and restored.values["month"] != self.month:
            self.month = restored.values["month"]  # shown in the month it is of
        self.refresh_rows(select=restored.id)

    def action_month(self, delta: int) -> None:
        self.month = shift_month(self.month or month_of(self.today), delta)
        self.refresh_rows()

    def action_all_months(self) -> None:
        self.month = None if self.month is not None else month_of(self.today)
        self.refresh_rows()

    def action_next_sheet(self) -> None:
        if len(self.sheets) > 1:
            index = (self.sheets.index(self.sheet.name) + 1) % len(self.sheets)
            self.query_one(Tabs).active = f"s-{self.sheets[index]}"

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        name = event.tab.id.removeprefix("s-")
        if name != self.sheet.name:
            self.sheet = SHEETS[name]
            self.query_one(DataTable).cursor_coordinate = Coordinate(0, 0)
            self.refresh_rows()

    def action_set_total(self) -> None:
        """The month's summary figure (its total of opportunities), typed from the summary line."""
        if not self.book.summary:
            return
        sheet = SHEETS[self.book.summary]
        month = self.month or month_of(self.today)

        def typed(existing: list[RowView]) -> None:
            if existing:
                self.app.push_screen(CellEditor(self.records, sheet, existing[0], self.book.summary_fields[0].key),
                                     lambda _: self.refresh_rows())
            else:
                self.app.push_screen(RowForm(self.records, sheet, {"month": month}, None), lambda _: self.refresh_rows())

        self.read_then("total", partial(self.records.rows, sheet.name, month, month, self.today), typed)

    def action_trends(self) -> None:
        from pmweek.tui.screens.trends import TrendsScreen

        self.app.push_screen(TrendsScreen(self.figures, self.today))

    def action_close(self) -> None:
        self.dismiss(None)
