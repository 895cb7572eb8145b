"""Export from inside the app: the command palette offers this week, this month, the
plan and a table as Markdown to a file. The file is asked for; an existing one is
overwritten only once confirmed, and never the database itself."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Footer, Input, Label, Static

from pmweek.domain.text import check_text
from pmweek.errors import InputError, PmWeekError
from pmweek.i18n import t
from pmweek.tui.screens.common import SavesInBackground
from pmweek.tui.text import Translated
from pmweek.tui.widgets.fields import FieldInput


def export_to_file(screen: Screen, heading: str, text: Callable[[], str], file_name: str) -> None:
    """Ask where, write, and say where it went."""

    def written(path: Path | None) -> None:
        if path is not None:  # in full: the file went where pmweek was started
            screen.notify(t("cli.wrote", path=path.resolve()))

    screen.app.push_screen(ExportScreen(heading, text, file_name), written)


class ExportScreen(Translated, SavesInBackground, ModalScreen[Path | None]):
    """Where to write one export; returns the file written, or None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", id="pm.save"),
        Binding("escape", "cancel", "key.back", id="pm.cancel"),
    ]

    def __init__(self, heading: str, text: Callable[[], str], file_name: str) -> None:
        super().__init__()
        self.heading = heading
        self.text = text  # read when saved: the export is what the data is then
        self.file_name = file_name

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form-dialog"):
            yield Static(self.heading, classes="section", markup=False)
            yield Static("", id="form-error", markup=False)
            yield Label(t("app.export_file"))
            yield FieldInput(self.file_name, id="f-path", classes="form-field")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#f-path", Input).focus()

    def field_done(self, field: Widget) -> None:  # Enter writes the file
        self.action_save()

    def action_save(self) -> None:
        self._write(force=False)

    def _write(self, force: bool) -> None:
        """The export read and written by the app's writer, after every change made
        before it (a report compiled from a long history never freezes the screen)."""
        from pmweek.export.views import write_file

        typed = self.query_one("#f-path", Input).value.strip()
        target = Path(typed).expanduser()

        def write() -> None:
            # one rule for what may be typed: no control characters (they would reach the terminal)
            check_text(typed, "app.export_file", limit=4096, required=True)
            write_file(target, self.text(), self.app.database, force=force)

        def refused(exc: PmWeekError) -> None:
            if isinstance(exc, InputError) and exc.key == "error.file_exists" and not force:
                self._confirm_overwrite(target)
            else:
                self._error(exc.message())

        self.save_in_background(write, lambda _: self.dismiss(target), refused)

    def _confirm_overwrite(self, target: Path) -> None:
        from pmweek.tui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(force=True)

        self.app.push_screen(ConfirmScreen(t("app.confirm_overwrite", path=target), t("app.overwrite")), answered)

    def _error(self, message: str) -> None:
        # Under the heading, where the eye is, and the field focused to fix it.
        self.query_one("#form-error", Static).update(message)
        self.query_one("#f-path", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
