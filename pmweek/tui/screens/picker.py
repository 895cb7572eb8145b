"""Choose one of the monthly tables."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList
from textual.widgets.option_list import Option

from pmweek.domain.sheets import BOOKS
from pmweek.i18n import t
from pmweek.tui.text import Translated

# The key that picks each entry, as its label shows it: digits, then letters past nine
# (not q: it closes the picker, as it closes every other screen).
PICK_KEYS = "1234567890abcdefghijklmnoprstuvwxyz"


class TablePicker(Translated, ModalScreen[str | None]):
    BINDINGS = [Binding("escape,q", "cancel", "key.back", key_display="esc", id="pm.back")]

    def __init__(self, title: str | None = None) -> None:
        super().__init__()
        self.heading = title or t("app.pick_table")  # what the table is picked for

    def compose(self) -> ComposeResult:
        options = [Option(f"{key}  {t(b.label_key)}", id=name) for key, (name, b) in zip(PICK_KEYS, BOOKS.items())]
        picker = OptionList(*options, id="table-picker")
        picker.border_title = self.heading
        yield picker
        yield Footer(compact=True)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def on_key(self, event) -> None:
        # Each entry's key picks it directly: 1 opportunities … 0 the tenth, then a, b…
        index = PICK_KEYS.find(event.character or "\0")
        if 0 <= index < len(BOOKS):
            event.stop()
            self.dismiss(list(BOOKS)[index])

    def action_cancel(self) -> None:
        self.dismiss(None)


class ValuePicker(Translated, ModalScreen[str | None]):
    """A field's values in the PM's words, to pick one instead of typing it blind: its
    word, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "key.back", id="pm.back")]

    def __init__(self, heading: str, words: list[str]) -> None:
        super().__init__()
        self.heading, self.words = heading, words

    def compose(self) -> ComposeResult:
        picker = OptionList(*(Option(w, id=f"v{i}") for i, w in enumerate(self.words)), id="value-picker")
        picker.border_title = self.heading
        yield picker
        yield Footer(compact=True)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.words[int(event.option.id[1:])])

    def action_cancel(self) -> None:
        self.dismiss(None)
