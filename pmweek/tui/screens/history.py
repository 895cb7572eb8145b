"""A record's history: what corrections and edits changed in it, who and when."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from pmweek.domain.calendar import format_stamp
from pmweek.domain.sheets import RowChange, Sheet
from pmweek.i18n import t
from pmweek.tui.text import Translated


class RowHistoryScreen(Translated, ModalScreen[None]):
    DEFAULT_CSS = """
    RowHistoryScreen { align: center middle; }
    RowHistoryScreen > VerticalScroll {
        width: 90%; max-width: 100; height: auto; max-height: 80%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    RowHistoryScreen #history-title { text-style: bold; }
    """
    BINDINGS = [Binding("escape,q,h", "close", "key.back", id="pm.back")]

    def __init__(self, sheet: Sheet, title: str, changes: list[RowChange]) -> None:
        super().__init__()
        self.sheet, self.row_title, self.changes = sheet, title, changes

    def compose(self) -> ComposeResult:
        lines = [
            t("app.row_change", at=format_stamp(c.changed_at), who=c.changed_by or "—",
              field=t(self.sheet.field(c.field).label_key), before=c.before or "—", after=c.after or "—")
            for c in self.changes
        ] or [t("app.row_history_empty")]
        with VerticalScroll():
            yield Static(t("app.row_history_title", row=self.row_title), id="history-title", markup=False)
            yield Static("\n".join(lines), id="history-lines", markup=False)
        yield Footer(compact=True)

    def action_close(self) -> None:
        self.dismiss(None)
