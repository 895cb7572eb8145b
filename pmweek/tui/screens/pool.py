"""The requirement pool: requests ranked by weighted RICE score, each with its move since
the last ranking kept and the input that moved it. A cell is edited in place as in the
tables (the rank follows at once); `s` sorts by the column under the cursor, `f`
narrows by status, axis or source; `S` keeps this quarter's ranking."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from pmweek.domain.calendar import month_of, quarter_of
from pmweek.domain.sheets import SHEETS, RowView
from pmweek.errors import InputError
from pmweek.export.cells import cell, choice_key, header, numeric
from pmweek.export.markdown import POOL_COLUMNS, movement_text, waiting_text
from pmweek.i18n import t
from pmweek.services.pool import OPEN, Pool, PoolItem, PoolService
from pmweek.tui.screens.common import ReadsInBackground, change, fill_table
from pmweek.tui.screens.row_form import EditsInPlace
from pmweek.tui.text import Translated

if TYPE_CHECKING:
    from pmweek.services.sheets import SheetService

REQUESTS = SHEETS["requests"]
FILTERS = ("status", "axis", "source_kind")
COLUMNS = ("#", "move", *POOL_COLUMNS, "waiting")


class PoolScreen(Translated, ReadsInBackground, EditsInPlace, Screen[None]):
    BINDINGS = [
        Binding("escape,q", "close", "key.back", id="pm.back"),
        Binding("enter", "edit_cell", "key.edit", id="pm.edit_cell", priority=True),
        Binding("a", "add", "key.add_row", id="pm.add_row", priority=True),
        Binding("s", "sort", "key.sort", id="pm.sort"),
        Binding("f", "filter", "key.filter", id="pm.filter"),
        Binding("S", "snapshot", "key.snapshot", id="pm.snapshot"),
    ]

    def __init__(self, ranking: PoolService, records: SheetService, today: date) -> None:
        """``ranking`` ranks and keeps the pool; ``records`` edits its requests in place."""
        super().__init__()
        self.ranking, self.records = ranking, records
        self.today = today
        self.filters: dict[str, str] = {}
        self.sort: tuple[str, bool] | None = None  # (column, descending); None: by rank
        self.items: list[PoolItem] = []
        self.pool: Pool | None = None
        self.sheet = REQUESTS

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="pool-meta")
        yield DataTable(id="pool-rows", cursor_type="cell", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = t("key.pool")
        self.hold_keys()  # until the first rows are shown
        self.reload()
        self.query_one(DataTable).focus()

    def reload(self, select: int | None = None) -> None:
        """Rank again in a worker (a shared database far away never freezes the screen)."""
        self._load(self.filters.get("status"), select)

    def _load(self, status: str | None, select: int | None) -> None:
        # The pool itself (its ranks and moves stand, only fewer show), or, for done and
        # declined requests, out of the pool and ranked among all.
        statuses = OPEN if status is None or status in OPEN else tuple(REQUESTS.field("status").choices)
        self.read_then("pool", lambda: self.ranking.pool(self.today, statuses),
                       lambda pool: self._loaded(status, pool, select))

    def _loaded(self, status: str | None, pool: Pool, select: int | None) -> None:
        if status != self.filters.get("status"):  # filtered again since
            return
        self.release_keys()  # pressed once this handler has drawn the rows
        self.pool = pool
        items = list(pool.items) if status is None or status in OPEN else \
            [i._replace(movement=None) for i in pool.items]  # out of the pool: no move to show
        items = [i for i in items if all(i.row.values.get(k) == v for k, v in self.filters.items())]
        if self.sort is not None:
            column, descending = self.sort
            known = [i for i in items if self._value(i, column) is not None]
            known.sort(key=lambda i: self._value(i, column), reverse=descending)
            items = known + [i for i in items if self._value(i, column) is None]  # the blanks last, either way
        self.items = items
        table = self.query_one(DataTable)
        cursor = table.cursor_coordinate
        labels = []
        for column in COLUMNS:
            move = t("rank.move", quarter=self.pool.since) if self.pool.since else t("pool.move")
            label = {"#": "#", "move": move, "waiting": t("pool.waiting")}.get(column) or header(REQUESTS, column)
            if column in ("rice_score", "weighted_score"):
                label += " ƒ"  # computed: not typed into
            labels.append((column, label))
        fill_table(table, labels, [(str(item.row.id), [self._cell(item, c) for c in COLUMNS]) for item in items])
        if select is not None:
            index = next((n for n, i in enumerate(items) if i.row.id == select), 0)
            table.move_cursor(row=index, column=cursor.column)
        elif items:
            table.move_cursor(row=min(cursor.row, len(items) - 1), column=cursor.column)
        shown = t("weekly.comma").join(f"{header(REQUESTS, k)} {t('choice.' + v)}" for k, v in self.filters.items())
        if self.sort is not None:
            column, descending = self.sort
            name = {"move": t("pool.move"), "waiting": t("pool.waiting")}.get(column) or header(REQUESTS, column)
            shown += (" · " if shown else "") + t("pool.sorted", column=name, arrow="↓" if descending else "↑")
        since = t("pool.since", quarter=self.pool.since) if self.pool.since else t("pool.no_snapshot")
        self.query_one("#pool-meta", Static).update(
            t("pool.meta", count=len(items), since=since, filters=shown or t("pool.open_only")))

    @staticmethod
    def _value(item: PoolItem, column: str):  # noqa: ANN205 - a cell's sortable value
        if column == "#":
            return item.position
        if column == "move":
            m = item.movement
            return None if m is None else {"up": m.by, "down": -m.by}.get(m.state, 0)
        if column == "waiting":
            return item.deals + item.opportunities or None
        value = item.row.computed.get(column, item.row.values.get(column))
        return value.casefold() if isinstance(value, str) else value

    def _cell(self, item: PoolItem, column: str) -> Text:
        if column == "#":
            return Text(str(item.position), justify="right")
        if column == "waiting":
            return Text(waiting_text(item))
        if column == "move":
            text = movement_text(item.movement)
            style = "green" if text.startswith("▲") else "red" if text.startswith("▼") else "dim"
            return Text(text, style=style)
        value = item.row.computed.get(column) if column in item.row.computed else item.row.values.get(column)
        return Text(cell(REQUESTS, column, value), justify="right" if numeric(REQUESTS, column) else "left")

    def shown_rows(self) -> list[RowView]:
        return [i.row for i in self.items]

    def shown_columns(self) -> tuple[str, ...]:
        return COLUMNS

    def action_sort(self) -> None:
        """Sort by the column under the cursor; again: the other way; on # back to the rank."""
        current = self.current()
        if current is None:
            return
        row, column = current
        if column == "#":
            self.sort = None
        elif self.sort is not None and self.sort[0] == column:
            self.sort = (column, not self.sort[1])
        else:
            self.sort = (column, numeric(REQUESTS, column) or column in ("move", "waiting"))
        self.reload(select=row.id)

    def action_filter(self) -> None:
        from pmweek.tui.screens.settings import ValuesForm

        def save(values: dict) -> None:
            chosen = {}
            for key in FILTERS:
                typed = values.get(key, "").strip()
                if not typed:
                    continue
                value = choice_key(REQUESTS, key, typed)
                if value not in REQUESTS.field(key).choices:
                    raise InputError("error.field_choice", field=f"field.{key}", value=typed,
                                     choices=", ".join(REQUESTS.field(key).choices))
                chosen[key] = value
            self.filters = chosen

        fields = [(key, header(REQUESTS, key) + t("weekly.paren", text=" / ".join(t("choice." + c)
                                                                         for c in REQUESTS.field(key).choices)))
                  for key in FILTERS]
        current = {k: t(f"choice.{v}") for k, v in self.filters.items()}
        self.app.push_screen(ValuesForm(t("pool.filter_title"), fields, save, current),
                             lambda values: values is not None and self.reload())

    def action_snapshot(self) -> None:
        from pmweek.tui.screens.confirm import ConfirmScreen

        quarter = quarter_of(month_of(self.today))

        def kept() -> None:
            self.notify(t("cli.rank_kept", quarter=quarter, count=len(self.pool.items) if self.pool else 0))
            self.reload()

        def answered(yes: bool | None) -> None:
            if yes:
                change(self, self.ranking.snapshot, quarter, self.today, then=kept)

        # Already kept: said at once (the check is read first), not after the question.
        self.read_then("snapshot", partial(self.ranking.check_snapshot, quarter, self.today),
                       lambda _: self.app.push_screen(
                           ConfirmScreen(t("pool.snapshot_question", quarter=quarter), t("key.snapshot")), answered))

    def action_close(self) -> None:
        self.dismiss(None)
