"""Settings: the work calendar, and the user's own days off and make-up workdays
(they win over the calendar package; weeks already opened keep their placement); the
PM's responsibilities, which open every quarterly report."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Header, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from pmweek.calendars import CHINA, PLAIN
from pmweek.errors import InputError, PmWeekError
from pmweek.i18n import holiday_name, t
from pmweek.tui.screens.common import EnterMovesOn, ReadsInBackground, SavesInBackground, change
from pmweek.tui.text import Translated
from pmweek.tui.widgets.fields import FieldInput

if TYPE_CHECKING:
    from pmweek.services.checklist import ChecklistService
    from pmweek.services.documents import DocumentService


class SettingsScreen(Translated, ReadsInBackground, Screen[None]):
    BINDINGS = [
        Binding("escape,q", "close", "key.back", id="pm.back"),
        Binding("c", "calendar", "key.set_calendar", id="pm.set_calendar"),
        Binding("o", "add_day(False)", "key.add_day_off", id="pm.add_day_off"),
        Binding("w", "add_day(True)", "key.add_workday", id="pm.add_workday"),
        Binding("delete,x", "remove", "key.delete", key_display="Del", id="pm.remove_day"),
        Binding("r", "responsibilities", "key.responsibilities", id="pm.responsibilities"),
    ]

    def __init__(self, checklist: ChecklistService, documents: DocumentService) -> None:
        """``checklist`` keeps the calendar and the PM's own days; ``documents`` their
        responsibilities."""
        super().__init__()
        self.checklist, self.documents = checklist, documents

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="calendar-name")
        yield Static(t("settings.hint"), id="template-hint")
        yield OptionList(id="own-days")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = t("settings.title")
        self.hold_keys()  # until the calendar is shown
        self.refresh_settings()

    def refresh_settings(self) -> None:
        """Read the calendar in a worker (a shared database far away never freezes the screen)."""
        self._read()

    def _read(self) -> None:
        self.read_then("settings", self.checklist.calendar, self._read_done)

    def _read_done(self, calendar) -> None:  # noqa: ANN001 - the work calendar the services read
        if calendar.name in (CHINA, PLAIN):
            name = t(f"cal.name.{calendar.name}")
        else:
            name = t("cal.name.country", code=calendar.name.upper())
        self.query_one("#calendar-name", Static).update(t("cal.title", name=name))
        options = [
            Option(
                f"{day.isoformat()}  {t('cal.work' if worked else 'cal.off')}"
                + (f"  {holiday_name(label)}" if label else ""),
                id=day.isoformat(),
            )
            for day, (worked, label) in sorted(calendar.overrides.items())
        ]
        listing = self.query_one(OptionList)
        listing.set_options(options or [Option(t("cal.none_own"), disabled=True)])
        if options:
            listing.highlighted = 0
        listing.focus()
        self.release_keys()

    def action_calendar(self) -> None:
        def done(values: dict | None) -> None:
            if values is not None:
                self.refresh_settings()

        def save(values: dict) -> None:
            self.checklist.set_calendar(values["calendar"])

        self.app.push_screen(ValuesForm(t("key.set_calendar"), [("calendar", t("settings.calendar_field"))], save), done)

    def action_add_day(self, workday: bool) -> None:
        from pmweek.domain.calendar import parse_date

        def save(values: dict) -> None:
            try:
                day = parse_date(values["date"])
            except ValueError:
                raise InputError("error.field_date", field="field.due", value=values["date"]) from None
            self.checklist.set_day(day, workday, values["name"])

        title = t("key.add_workday" if workday else "key.add_day_off")
        fields = [("date", "YYYY-MM-DD"), ("name", t("cli.cal_name"))]
        self.app.push_screen(ValuesForm(title, fields, save), lambda v: v is not None and self.refresh_settings())

    def action_remove(self) -> None:
        from pmweek.domain.calendar import parse_date

        option = self.query_one(OptionList).highlighted_option
        if option is None or not option.id:
            return
        change(self, self.checklist.clear_day, parse_date(option.id), then=self.refresh_settings)

    def action_responsibilities(self) -> None:
        documents = self.documents
        self.read_then("responsibilities", documents.responsibilities, lambda kept: self.app.push_screen(
            TextForm(t("settings.responsibilities"), "\n".join(kept), documents.set_responsibilities)))

    def action_close(self) -> None:
        self.dismiss(None)


class TextForm(Translated, SavesInBackground, ModalScreen[bool]):
    """Free text over several lines; ``save`` checks and stores it (a PmWeekError keeps
    the form open with the message)."""

    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", id="pm.save"),
        Binding("escape", "cancel", "key.back", id="pm.cancel"),
    ]

    def __init__(self, title: str, text: str, save) -> None:
        super().__init__()
        self.heading, self.text, self.save = title, text, save

    def compose(self) -> ComposeResult:
        with Vertical(id="form-dialog"):
            yield Static(self.heading, classes="section")
            yield Static("", id="form-error", markup=False)
            yield TextArea(self.text, id="f-text", soft_wrap=True, classes="form-field -multiline")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        text = self.query_one(TextArea).text
        self.save_in_background(lambda: self.save(text), self._saved,
                                lambda exc: self.query_one("#form-error", Static).update(exc.message()))

    def _saved(self, _result: object) -> None:
        self.notify(t("app.saved"))
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class ValuesForm(Translated, SavesInBackground, EnterMovesOn, ModalScreen[dict | None]):
    """A few text fields; ``save`` checks and stores them (raising PmWeekError keeps the
    form open with the message). Returns the values, or None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", id="pm.save"),
        Binding("escape", "cancel", "key.back", id="pm.cancel"),
    ]

    def __init__(self, title: str, fields: list[tuple[str, str]], save, values: dict[str, str] | None = None) -> None:
        super().__init__()
        self.heading = title
        self.fields = fields
        self.save = save
        self.values = values or {}

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form-dialog"):
            yield Static(self.heading, classes="section")
            yield Static("", id="form-error", markup=False)  # under the heading: in view whatever the terminal's height
            for key, label in self.fields:
                yield Label(label)
                # One line a field: a review's four fit 80x24 with the keys below them.
                yield FieldInput(self.values.get(key, ""), id=f"f-{key}", classes="form-field", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    def action_save(self) -> None:
        values = {w.id[2:]: w.value for w in self.query(Input)}
        self.save_in_background(lambda: self.save(values), lambda _: self.dismiss(values), self._refused)

    def _refused(self, exc: PmWeekError) -> None:
        self.query_one("#form-error", Static).update(exc.message())
        field = str(exc.params.get("field", "")).removeprefix("field.")
        if matches := self.query(f"#f-{field}"):
            matches.first().focus()
        self.query_one("#form-dialog").scroll_home(animate=False)

    def action_cancel(self) -> None:
        self.dismiss(None)
