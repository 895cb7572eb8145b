"""The Textual app. It receives how to open its services (``connect``) and the
date to treat as today, so tests hand in a temp database and a fixed date.

The data layer (SQLAlchemy) is imported in a worker after the first frame is
painted. Meanwhile today's list is read with sqlite3 alone (``peek``), so it shows
before the ORM has loaded; changes made in that time are queued and saved in the
order they were made as soon as the data layer opens (``save``). After that too, a
change is made by one writer worker, in the order the PM made them, never on the
event loop: a shared database far away or a busy file never freezes a key.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.binding import Binding
from textual.message import Message

from pmweek import startup
from pmweek.errors import PmWeekError
from pmweek.i18n import set_lang, t
from pmweek.tui.commands import BindingsProvider
from pmweek.tui.screens.common import GatesKeys
from pmweek.tui.screens.week import WeekScreen

if TYPE_CHECKING:
    from pmweek.domain.calendar import Week
    from pmweek.services import Services

# A quick read of a week: (week, today) -> (the week's view, its plan lines), or None
# when only the services can say.
Peek = Callable[["Week", date], Any]


class PmWeekApp(GatesKeys, App[None]):
    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses live elsewhere
    TITLE = "pmweek"
    COMMANDS = {BindingsProvider}
    BINDINGS = [
        Binding("q", "quit", "key.quit", show=False, id="pm.quit"),
        # Ours, so the footer names it in the PM's language (Textual's own says "palette").
        Binding("ctrl+p", "command_palette", "key.palette", show=False, priority=True, tooltip="cmd.palette_help"),
    ]

    def __init__(self, connect: Callable[[], Services], today: date, lang: str = "en",
                 peek: Peek | None = None, signals: bool = False) -> None:
        """``signals``: leave and save on SIGTERM and SIGHUP (the command does; tests
        running the app in their own loop do not)."""
        set_lang(lang)
        super().__init__()
        self.today = today
        self.lang = lang
        self._connect = connect
        self._peek = peek
        self._services: Services | None = None
        self.failure: str | None = None
        self._services_lock = threading.Lock()
        # Changes made before the data layer opened, in order; None once it has opened
        # and they are all saved.
        self._queued: list[tuple[Callable, Callable]] | None = []
        self._queue_lock = threading.Lock()
        self._saved = threading.Event()  # set once the queue is saved and gone
        # Changes since the data layer opened, made by one writer worker in order.
        self._writes: list[tuple[Callable, Callable, Callable]] = []
        self._writing = False  # a writer worker has been started and has not finished
        self._leaving = False
        self._lost: list[str] = []  # changes refused while the app was leaving
        self._lost_said = False
        self._failure_before: str | None = None
        self._writer = threading.Lock()  # held by whoever is making the changes, in order
        self._ui_thread = threading.get_ident()
        self._signals = signals

    @property
    def services(self) -> Services:
        """Open the database on first use (from a worker thread); raises DatabaseError.
        The changes queued meanwhile are saved, in order, before anyone reads or writes
        through it."""
        opener = False
        with self._services_lock:
            if self._services is None:
                services = self._connect()
                services.warm()  # every import here, before another thread can ask for one
                self._services = services
                startup.imports_done()
                opener = True
        if opener:
            self._save_queued()  # outside the lock; its callbacks are posted, never awaited
        else:
            self._saved.wait()
        return self._services

    @property
    def database(self) -> str:
        """The database's URL: an export is never written over it."""
        return self.services.engine.url.render_as_string()

    @property
    def data_open(self) -> bool:
        return self._services is not None

    def peek(self, week: Week):  # noqa: ANN201 - see Peek
        """``week`` read without the data layer, while it is still loading; None when
        it has loaded, or only it can say, or changes wait to be saved (the file does not
        hold them yet: a list read from it would show them undone)."""
        if self._peek is None or self._services is not None or self._queued:
            return None
        return self._peek(week, self.today)

    def save(self, change: Callable[[Services], Any], after: Callable[[Any], None],
             failed: Callable[[str], None]) -> None:
        """Make one change to the data, in the order the PM made it, off the event loop;
        the caller shows it meanwhile. Once the data layer is open the writer worker
        makes it and ``after`` gets its result on the UI thread. Before that it is queued
        and made as soon as the layer opens, and once every queued change is made the
        screens read the data again. Either way ``failed`` is told of a refusal: the
        change is never made by the time this returns."""
        with self._queue_lock:
            if self._queued is not None:
                self._queued.append((change, failed))
                return
            self._writes.append((change, after, failed))
            start, self._writing = not self._writing, True
        if start:
            self.run_worker(self._write_all, thread=True, group="pm-writes", name="writes")

    def _write_all(self) -> None:
        """The writer: every change waiting, in order, until none is left. Whoever holds
        the writer lock makes them, so the app leaving (which makes what is left itself,
        its workers no longer started) never runs one beside the worker."""
        with self._writer:
            while True:
                with self._queue_lock:
                    if not self._writes:
                        self._writing = False
                        return
                    change, after, failed = self._writes.pop(0)
                try:
                    result = change(self._services)
                except PmWeekError as exc:
                    self._refused(failed, exc.message())
                except Exception as exc:  # noqa: BLE001 - a damaged row: said; the next changes are still made
                    self._refused(failed, t("error.change_failed", reason=type(exc).__name__))
                else:
                    self._on_ui(after, result)

    def _refused(self, failed: Callable[[str], None], message: str) -> None:
        """A change the database refused: said on its screen, or, the app leaving, kept
        to be said once the terminal is back (and the exit code says it too)."""
        if self._leaving:
            self._lost.append(message)
        else:
            self._on_ui(failed, message)

    def _save_queued(self) -> None:
        made = 0
        while True:
            with self._queue_lock:
                if not self._queued:
                    self._queued = None  # from now on, changes are made at once
                    break
                change, failed = self._queued.pop(0)
            made += 1
            try:
                change(self._services)
            except PmWeekError as exc:
                self._refused(failed, exc.message())
            except Exception as exc:  # noqa: BLE001 - a damaged row: said; the next changes are still made
                self._refused(failed, t("error.change_failed", reason=type(exc).__name__))
        self._saved.set()
        if made:
            self._on_ui(self._reread)

    def _reread(self) -> None:
        """The queued changes are stored: show what the database holds (the times of the
        ticks, and anything another window changed meanwhile)."""
        from pmweek.tui.screens.week import WeekScreen

        for screen in self.screen_stack:
            if isinstance(screen, WeekScreen):
                screen.reload()

    class Posted(Message):
        """A callback from a worker, run on the UI thread (posting never waits, so a
        worker saving changes is never held up by a screen that is closing)."""

        def __init__(self, callback: Callable[[], None]) -> None:
            super().__init__()
            self.callback = callback

    def _on_ui(self, callback: Callable, *args: Any) -> None:
        if self._leaving:
            return
        call = partial(callback, *args)
        if threading.get_ident() == self._ui_thread:
            self._run_call(call)
        else:
            self.post_message(self.Posted(call))

    def on_pm_week_app_posted(self, message: Posted) -> None:
        self._run_call(message.callback)

    @staticmethod
    def _run_call(call: Callable[[], None]) -> None:
        from textual.css.query import NoMatches

        try:
            call()
        except NoMatches:
            pass  # the screen it would update has closed; what it saved is stored

    async def action_quit(self) -> None:
        """q or ctrl+q: a form still holding what the PM typed and did not save asks
        first, as its Esc does (a signal leaves at once, saving what can be saved)."""
        unsaved = next((s for s in reversed(self.screen_stack) if getattr(s, "unsaved_question", None)
                        and s.unsaved_question()), None)
        if unsaved is None:
            self.exit()
            return
        from pmweek.tui.screens.confirm import ConfirmScreen

        question, answer = unsaved.unsaved_question()
        self.push_screen(ConfirmScreen(question, answer), lambda leave: leave and self.exit())

    def exit(self, *args: Any, **kwargs: Any) -> None:
        """However the app is left (q, ctrl+q, a signal), what was typed in the last
        moment (a note still waiting for its pause) is written first."""
        self._save_pending()
        super().exit(*args, **kwargs)

    def _save_pending(self) -> None:
        for screen in self.screen_stack:
            save = getattr(screen, "save_pending", None)
            if save is not None:
                try:
                    save()
                except Exception:  # noqa: BLE001 - leaving goes on; the queue is saved after
                    pass

    def leave_on_signals(self) -> None:
        """SIGTERM leaves as q does, so the changes still queued are saved before the
        process ends (cli: finish_saving). SIGHUP (the terminal closed) saves them and
        ends at once: there is no terminal left to give back, and drawing on one that is
        gone would never return. Installed by the command that runs the app."""
        import asyncio
        import signal

        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, partial(self.exit, return_code=128 + signal.SIGTERM))
        loop.add_signal_handler(signal.SIGHUP, self._hung_up)

    def _hung_up(self) -> None:
        import os
        import signal

        self._save_pending()
        self._leaving = True
        self._write_all()  # here, now: no worker outlives the exit below
        self.finish_saving()
        os._exit(128 + signal.SIGHUP)  # nothing more to draw, nowhere to say it

    def finish_saving(self) -> None:
        """After the app has closed: changes still queued (the PM quit before the data
        layer opened) are saved now, before the process ends."""
        if not self._queued and (self._services is None or self._saved.is_set()):
            return
        self._leaving = True  # the app has closed: a refusal can only be said on exit
        try:
            self.services
        except PmWeekError as exc:
            self.failure = self._unsaved(exc.message())
            return
        if self._lost:
            self._say_lost()

    def _say_lost(self) -> None:
        """Changes refused while the app left, said once the terminal is back (after why
        it left, when it failed); said again, it counts them all."""
        if not self._lost_said:
            self._lost_said, self._failure_before = True, self.failure
        lost = t("app.changes_not_saved", count=len(self._lost), reason=self._lost[-1])
        self.failure = f"{self._failure_before}; {lost}" if self._failure_before else lost

    def _unsaved(self, reason: str) -> str:
        with self._queue_lock:
            count = len(self._queued or ())
        return t("app.changes_not_saved", count=count, reason=reason) if count else reason

    def notify(self, message: str, *args, markup: bool = False, **kwargs) -> None:
        """Every notification (a screen's too: Textual passes them here) says what was
        typed as it was typed: a name or path with [brackets] is never read as markup.
        pmweek's catalogue carries no markup, so none is lost."""
        super().notify(message, *args, markup=False, **kwargs)

    def action_help_quit(self) -> None:
        """ctrl+c (a reflex to quit) says how to leave, in the PM's language."""
        self.notify(t("app.how_to_quit"))

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder=t("app.palette_placeholder"), id="--command-palette"))

    def on_mount(self) -> None:
        if self._signals:
            self.leave_on_signals()
        self.push_screen(WeekScreen(self.today))

    def fail(self, message: str) -> None:
        """A problem the app cannot go on with: leave with a non-zero code. The command
        line prints ``failure`` as one line once the terminal is restored (saying so when
        changes made since the start could not be saved)."""
        self.failure = self._unsaved(message)
        self.exit(return_code=1)

    def on_app_focus(self) -> None:
        # Back from another window: show what other windows may have written.
        if isinstance(self.screen, WeekScreen):
            self.screen.reload()

    def on_unmount(self) -> None:
        self._leaving = True  # nothing left to show: what is stored is all that matters now
        self._write_all()  # a tick made in the last moment is stored before the database closes
        if self._lost:
            self._say_lost()
        if self._services is not None:
            self._services.close()
