"""The Textual app. It receives how to open its services (``connect``) and the
date to treat as today, so tests hand in a temp database and a fixed date.

The data layer (SQLAlchemy) is imported in a worker after the first frame is
painted: the screen shows at once and the checklist fills in when it is ready.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding

from pmweek import startup
from pmweek.i18n import set_lang, t
from pmweek.tui.commands import BindingsProvider
from pmweek.tui.screens.week import WeekScreen
from pmweek.tui.text import translate_bindings

if TYPE_CHECKING:
    from pmweek.services import Services


class PmWeekApp(App[None]):
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses live elsewhere
    TITLE = "pmweek"
    COMMANDS = {BindingsProvider}
    BINDINGS = [
        Binding("q", "quit", "key.quit", show=False, id="pm.quit"),
        # Ours, so the footer names it in the PM's language (Textual's own says "palette").
        Binding("ctrl+p", "command_palette", "key.palette", show=False, priority=True, tooltip="cmd.palette_help"),
    ]

    def __init__(self, connect: Callable[[], Services], today: date, lang: str = "en") -> None:
        set_lang(lang)
        super().__init__()
        translate_bindings(self)
        self.today = today
        self.lang = lang
        self._connect = connect
        self._services: Services | None = None
        self.failure: str | None = None
        self._services_lock = threading.Lock()

    @property
    def services(self) -> Services:
        """Open the database on first use (from a worker thread); raises DatabaseError."""
        with self._services_lock:
            if self._services is None:
                self._services = self._connect()
                startup.imports_done()
            return self._services

    def notify(self, message: str, *args, markup: bool = False, **kwargs) -> None:
        """Every notification (a screen's too: Textual passes them here) says what was
        typed as it was typed: a name or path with [brackets] is never read as markup.
        pmweek's catalogue carries no markup, so none is lost."""
        super().notify(message, *args, markup=False, **kwargs)

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder=t("app.palette_placeholder"), id="--command-palette"))

    def on_mount(self) -> None:
        self.push_screen(WeekScreen(self.today))

    def fail(self, message: str) -> None:
        """A problem the app cannot go on with: leave with a non-zero code. The command
        line prints ``failure`` as one line once the terminal is restored."""
        self.failure = message
        self.exit(return_code=1)

    def on_app_focus(self) -> None:
        # Back from another window: show what other windows may have written.
        if isinstance(self.screen, WeekScreen):
            self.screen.reload()

    def on_unmount(self) -> None:
        if self._services is not None:
            self._services.close()
