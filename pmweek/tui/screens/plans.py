"""The annual plan's working screens: the risk ledger (by score, with the change since
the last review; `v` reviews a risk and keeps the review) and the roadmap (a board of
the year's quarters: releases planned in each and the pool's requests aimed at it)."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from pmweek.domain.calendar import plan_year
from pmweek.domain.documents.engine import arrow
from pmweek.domain.documents.yearly import QuarterPlan
from pmweek.domain.periods import YEAR
from pmweek.domain.sheets import SHEETS, RowView, format_value
from pmweek.export.cells import cell, header, numeric
from pmweek.i18n import t
from pmweek.tui.screens.common import ReadsInBackground, fill_table
from pmweek.tui.screens.row_form import EditsInPlace
from pmweek.tui.text import Translated, group

if TYPE_CHECKING:
    from pmweek.services.pool import PoolService
    from pmweek.services.sheets import SheetService

RISKS = SHEETS["risks"]
RISK_COLUMNS = ("risk_score", "change", "risk", "risk_kind", "likelihood", "severity", "mitigation", "fallback",
                "owner", "status", "next_review")


class RiskScreen(Translated, ReadsInBackground, EditsInPlace, Screen[None]):
    BINDINGS = [
        Binding("escape,q", "close", "key.back", id="pm.back"),
        Binding("enter", "edit_cell", "key.edit", id="pm.edit_cell", priority=True),
        Binding("a", "add", "key.add_row", id="pm.add_row", priority=True),
        Binding("v", "review", "key.review_risk", id="pm.review_risk"),
        Binding("c", "closed", "key.show_closed", id="pm.show_closed"),
    ]

    def __init__(self, records: SheetService, ranking: PoolService, today: date) -> None:
        """``records`` lists and edits the risks; ``ranking`` keeps their reviews."""
        super().__init__()
        self.records, self.ranking = records, ranking
        self.today = today
        self.closed = False
        self.rows: list[RowView] = []
        self.changes: dict[int, int | None] = {}
        self.sheet = RISKS

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="risk-meta")
        yield DataTable(id="risk-rows", cursor_type="cell", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = t("book.risks")
        self.hold_keys()  # until the first rows are shown
        self.reload()
        self.query_one(DataTable).focus()

    def reload(self, select: int | None = None) -> None:
        """Read the ledger in a worker (a shared database far away never freezes the screen)."""
        self._load(self.closed, select)

    def _load(self, closed: bool, select: int | None) -> None:
        statuses = ("open", "watching", "closed") if closed else ("open", "watching")

        def read() -> tuple[list[RowView], dict]:
            rows = sorted(self.records.rows("risks", None, None, self.today, only={"status": statuses}),
                          key=RISKS.order)
            return rows, self.ranking.risk_changes([r.id for r in rows])

        self.read_then("risks", read, lambda got: self._loaded(closed, *got, select))

    def _loaded(self, closed: bool, rows: list[RowView], changes: dict, select: int | None) -> None:
        if closed != self.closed:  # asked again since
            return
        self.release_keys()  # pressed once this handler has drawn the rows
        self.rows, self.changes = rows, changes
        table = self.query_one(DataTable)
        cursor = table.cursor_coordinate
        labels = [(c, t("risk.change") if c == "change" else header(self.sheet, c)) for c in RISK_COLUMNS]
        fill_table(table, labels, [(str(row.id), [self._cell(row, c) for c in RISK_COLUMNS]) for row in self.rows])
        if select is not None:
            table.move_cursor(row=next((n for n, r in enumerate(self.rows) if r.id == select), 0), column=cursor.column)
        elif self.rows:
            table.move_cursor(row=min(cursor.row, len(self.rows) - 1), column=cursor.column)
        due = sum(1 for r in self.rows if r.computed.get("review_due"))
        meta = t("risk.meta", count=len(self.rows)) + (t("risk.meta_due", due=due) if due else "")
        self.query_one("#risk-meta", Static).update(meta + (t("risk.meta_closed") if self.closed else ""))

    def _cell(self, row: RowView, column: str) -> Text:
        if column == "change":
            change = self.changes.get(row.id)  # since the review before the last: ▲ worse, ▼ better
            mark = "" if change is None else arrow(change)
            return Text(mark, style="red" if mark.startswith("▲") else "green" if mark.startswith("▼") else "dim")
        value = row.computed.get(column) if column in row.computed else row.values.get(column)
        text = cell(self.sheet, column, value).replace("\n", " ⏎ ")
        if column == "next_review" and row.computed.get("review_due"):
            return Text(f"{text} ⚑", style="bold red")
        style = "bold red" if column == "risk_score" and (value or 0) >= 12 else ""
        return Text(text, style=style, justify="right" if numeric(self.sheet, column) else "left")

    def shown_rows(self) -> list[RowView]:
        return self.rows

    def shown_columns(self) -> tuple[str, ...]:
        return RISK_COLUMNS

    def action_review(self) -> None:
        from pmweek.tui.screens.settings import ValuesForm

        current = self.current()
        if current is None:
            return
        row, _ = current

        def save(values: dict) -> None:
            self.ranking.review_risk(row.id, values["likelihood"], values["severity"], values["note"],
                                     values["next_review"] or None, self.today)

        fields = [("likelihood", header(RISKS, "likelihood")), ("severity", header(RISKS, "severity")),
                  ("note", t("risk.note")), ("next_review", header(RISKS, "next_review") + t("weekly.paren", text="YYYY-MM-DD"))]
        current_values = {"likelihood": format_value(row.values.get("likelihood")),
                          "severity": format_value(row.values.get("severity"))}
        self.app.push_screen(ValuesForm(t("risk.review_title", risk=row.values["risk"]), fields, save, current_values),
                             lambda values: values is not None and self.reload(select=row.id))

    def action_closed(self) -> None:
        self.closed = not self.closed
        self.reload()

    def action_close(self) -> None:
        self.dismiss(None)


class RoadmapScreen(Translated, ReadsInBackground, Screen[None]):
    BINDINGS = [
        Binding("escape,q", "close", "key.back", id="pm.back"),
        Binding("left_square_bracket", "year(-1)", "key.prev_year", key_display="[", group=group("group.year"), id="pm.prev_year"),
        Binding("right_square_bracket", "year(1)", "key.next_year", key_display="]", group=group("group.year"), id="pm.next_year"),
    ]

    def __init__(self, ranking: PoolService, today: date) -> None:
        super().__init__()
        self.ranking = ranking
        self.today = today
        self.year = plan_year(today)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="roadmap"):
            for n in range(1, 5):
                with VerticalScroll(classes="roadmap-quarter"):
                    yield Static(id=f"q{n}")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.hold_keys()  # until the board is shown
        self.show()

    def show(self) -> None:
        """The year's board, read in a worker (the pool and releases of a long history)."""
        year = self.year
        self.title = f"{t('yearly.section.roadmap')} {year}"
        self.read_then("roadmap", partial(self.ranking.roadmap, year, self.today), partial(self._shown, year))

    def _shown(self, year: str, plans: list[QuarterPlan]) -> None:
        self.release_keys()
        if year != self.year:  # stepped to another year since
            return
        for n, plan in enumerate(plans, start=1):
            self.query_one(f"#q{n}", Static).update(self._column(plan))

    def _column(self, plan: QuarterPlan) -> Text:
        text = Text(plan.quarter + "\n", style="bold")
        text.append(t("roadmap.releases", count=len(plan.releases)) + "\n", style="dim")
        for r in plan.releases:
            done = r.get("released") is not None
            text.append(f"{'✓' if done else '○'} {r['planned'].isoformat()[5:]} {r['name']}\n",
                        style="dim" if done else "red" if r.get("days_late") else "")
        if plan.phases:
            text.append("\n" + t("roadmap.phases", count=len(plan.phases)) + "\n", style="dim")
        for p in plan.phases:
            text.append(f"▭ {p['planned_start'].isoformat()[5:]} {p['project']} · {p['phase']}\n",
                        style="red" if p.get("days_late") else "")
        text.append("\n" + t("roadmap.requests", count=len(plan.requests)) + "\n", style="dim")
        for r in plan.requests:
            weighted = "—" if r.get("weighted") is None else format_value(round(r["weighted"], 1))
            text.append(f"• {r['title']} ({weighted})\n")
        return text

    def action_year(self, delta: int) -> None:
        self.year = YEAR.step(self.year, delta)
        self.show()

    def action_close(self) -> None:
        self.dismiss(None)
