"""One screen for every compiled document (the Friday plan, the weekly report, the
monthly summary, the quarterly report and the annual plan): its sections and lines,
drafted from the data and edited by the PM, with what its kind declares a line has
(an owner, a date, a box ticked on Monday). Compiling runs in a worker; a recompile
keeps every edit and marks what is new; `c` copies the document as Markdown through the
terminal (OSC 52, which also works over SSH)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from rich.padding import Padding
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from pmweek.domain.calendar import format_date, format_stamp
from pmweek.domain.documents import KINDS
from pmweek.domain.documents.engine import Document, Line, line_marks, words
from pmweek.domain.documents.readers import Reader
from pmweek.domain.documents.view import variant
from pmweek.domain.periods import PERIODS
from pmweek.errors import PmWeekError
from pmweek.i18n import current_lang, t
from pmweek.tui.commands import OffersCommands
from pmweek.tui.screens.common import (
    ActsOnLines,
    EnterMovesOn,
    LineList,
    ReadsInBackground,
    SavesInBackground,
    change,
    said_under,
)
from pmweek.tui.text import Translated, wrapped
from pmweek.tui.widgets.fields import FieldInput

if TYPE_CHECKING:
    from pmweek.services.documents import DocumentService


class DocumentScreen(Translated, OffersCommands, ReadsInBackground, ActsOnLines, Screen[None]):
    BINDINGS = [
        Binding("escape,q", "close", "key.back", id="pm.back"),
        Binding("r", "compile", "key.recompile", id="pm.compile"),
        Binding("c", "copy", "key.copy", id="pm.copy"),
        Binding("v", "reader(1)", "key.next_reader", tooltip="cmd.next_reader_help", id="pm.next_reader"),
        Binding("V", "reader(-1)", "key.prev_reader", show=False, id="pm.prev_reader"),
        Binding("a", "add", "key.add_item", id="pm.add_item", priority=True),
        Binding("x", "add('cross_team')", "key.add_cross_team", id="pm.add_cross_team", priority=True),
        Binding("d", "drop", "key.drop", id="pm.drop"),
        Binding("space", "tick", "key.toggle", show=False, id="pm.tick"),  # Monday ticks them on the week
        Binding("1", "priority(1)", "key.priority", key_display="1-3", id="pm.priority"),
        Binding("2", "priority(2)", show=False, id="pm.priority2"),
        Binding("3", "priority(3)", show=False, id="pm.priority3"),
        Binding("0", "priority(0)", "key.no_priority", show=False, id="pm.priority0"),
        Binding("shift+up,K", "move(-1)", "key.move_up", key_display="⇧↑", show=False, id="pm.up"),
        Binding("shift+down,J", "move(1)", "key.move_down", key_display="⇧↓", show=False, id="pm.down"),
        Binding("left_square_bracket", "period(-1)", "key.prev_period", key_display="[", show=False,
                id="pm.prev_period"),
        Binding("right_square_bracket", "period(1)", "key.next_period", key_display="]", show=False,
                id="pm.next_period"),
    ]

    def __init__(self, documents: DocumentService, kind: str, period: str | None, today: date) -> None:
        """``period``: None for the one the kind opens on today (documents.opening)."""
        super().__init__()
        self.documents = documents
        self.kind = KINDS[kind]
        self.period = period
        self.today = today
        self.document: Document | None = None
        # Who it is shown for: None, the full report, then each reader of a kind written
        # for readers (the weekly report), read when the screen opens.
        self.readers: list[Reader | None] = [None]
        self.reader: Reader | None = None

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """The keys a kind has (footer and all): readers' variants for a report written
        for readers; the line actions it declares a key for (the plan's tick, 1-3, x)."""
        if action == "reader":
            return self.kind.budgeted
        if action == "add" and parameters:
            return parameters[0] in self.kind.line_keys and parameters[0] in self.kind.typed_sections
        if action in ("tick", "priority"):
            return action in self.kind.line_keys
        return True

    def on_mount(self) -> None:
        self._retitle()
        self.query_one("#document-meta", Static).update(t("app.compiling"))
        self.query_one(LineList).focus()
        self.hold_keys()  # until the document is shown ("w" then "v": the reader's variant)
        self._open(self.period, self.kind.budgeted and len(self.readers) == 1)

    @work(thread=True, exclusive=True, group="compile")
    def _open(self, period: str | None, with_readers: bool) -> None:
        """The readers and the saved document, read in a worker (a shared database far
        away never freezes the screen); the first visit drafts it."""
        if period is None:
            try:
                period = self.documents.opening(self.kind.name, self.today)
            except PmWeekError as exc:
                self.app.call_from_thread(self._failed, exc.message())
                self.app.call_from_thread(self.release_keys)
                return
            self.app.call_from_thread(self._found, period)
        if with_readers:
            try:
                readers = list(self.documents.readers(current_lang()).values())
                self.app.call_from_thread(self.readers.extend, readers)
            except PmWeekError as exc:  # the user's own list cannot be read: said, the full report shown
                self.app.call_from_thread(self.notify, exc.message(), severity="error")
        try:
            document = self.documents.saved(self.kind.name, period)
            if document is None and self.documents.compiles(self.kind.name, period, self.today):
                document = self.documents.compile(self.kind.name, period, self.today)
        except PmWeekError as exc:
            self.app.call_from_thread(self._failed, exc.message())
            self.app.call_from_thread(self.release_keys)
            return
        self.app.call_from_thread(self._opened, period, document)

    def _found(self, period: str) -> None:
        if self.period is None:
            self.period = period
            self._retitle()

    def _opened(self, period: str, document: Document | None) -> None:
        if period == self.period:  # not stepped to another period since
            self.show_none() if document is None else self.show(document)
            self.release_keys()

    def show_none(self) -> None:
        """A past plan that was never made: said, with the key that makes this week's."""
        self.document = None
        self.query_one("#document-meta", Static).update(
            t(self.kind.missing_key, **PERIODS[self.kind.period].words(self.period)))
        self.query_one(LineList).set_options([])

    @work(thread=True, exclusive=True, group="compile")
    def compile(self, period: str) -> None:
        """Gather the data and merge (off the event loop: a long history never freezes
        the screen); a failure is said where the eye is."""
        try:
            document = self.documents.compile(self.kind.name, period, self.today)
        except PmWeekError as exc:
            self.app.call_from_thread(self._failed, exc.message())
            return
        self.app.call_from_thread(self._opened, period, document)

    def _failed(self, message: str) -> None:
        self.query_one("#document-meta", Static).update(t("app.compile_failed", message=message))
        self.notify(t("app.compile_failed", message=message), severity="error")

    def _retitle(self) -> None:
        from pmweek.export.markdown import document_title  # the title the export prints

        if self.period is None:  # not known yet: its worker finds it
            self.title = t(self.kind.label_key)
            return
        self.title = document_title(self.kind, self.period, current_lang())
        if self.reader is not None:
            self.title += " · " + t("weekly.for", name=self.reader.name)

    def show(self, document: Document, select: int | None = None) -> None:
        self.document = document
        stamp = t("weekly.compiled", stamp=format_stamp(document.compiled_at)) if document.compiled_at else ""
        reader = self.reader
        heading = t("weekly.for", name=reader.name) + " — " + t("weekly.kpis", kpis=t("weekly.semicolon").join(reader.kpis)) \
            if reader is not None else (t("app.all_readers") if self.kind.budgeted else "")
        self.query_one("#document-meta", Static).update("\n".join(x for x in (heading, stamp) if x))
        listing = self.query_one(LineList)
        current = listing.highlighted
        lang = current_lang()
        self._width = listing.scrollable_content_region.width - 2  # an option's own margin
        options: list[Option | None] = []
        # The full report lists every line (a dropped one struck through, to bring back); a
        # reader's variant is what they would be sent, its cut counted.
        view = variant(self.kind, document, reader) if reader is not None else None
        shown = ({s.section: (s.lines, s.cut) for s in view.sections} if view is not None else
                 {name: (tuple(document.section(name)), 0) for name in self.kind.sections})
        for section in (s.section for s in view.sections) if view is not None else self.kind.sections:
            lines, cut = shown[section]
            if section in self.kind.optional_sections and not lines:
                continue
            if options:
                options.append(None)
            options.append(Option(Text(t(self.kind.section_key(section)), style="bold"), disabled=True))
            if not lines:
                options.append(Option(Text("  " + t(self.kind.empty_key).strip("_"), style="dim italic"),
                                      disabled=True))
            options += [Option(self._prompt(ln, lang), id=f"l{ln.id}") for ln in lines]
            if cut:
                options.append(Option(Text("  " + t("app.more_cut", count=cut), style="dim italic"), disabled=True))
        listing.set_options(options)
        ids = {o.id for o in options if o is not None}
        if select is not None and f"l{select}" in ids:
            listing.highlighted = listing.get_option_index(f"l{select}")
        elif current is not None and current < listing.option_count:  # (a line just kept from this reader)
            listing.highlighted = current
        else:
            listing.action_first()

    def _prompt(self, line: Line, lang: str) -> Text | Padding:
        text = Text()
        if self.kind.ticked:
            text.append("☑ " if line.done else "☐ ", style="green" if line.done else "")
        if line.priority:
            text.append(t("plan.priority", priority=line.priority) + " ", style="bold magenta")
        flagged = line.facts.get("flagged") and line.text is None  # a missed goal nobody said why
        style = "strike dim" if line.dropped else ("red" if flagged else "")
        text.append(words(self.kind, line, lang), style=style)
        tail = len(text.plain)  # what follows are marks, each kept whole
        marks = line_marks(self.kind, line, self.today)
        if marks:
            overdue = any(key == "plan.overdue" for key, _ in marks)
            text.append("  " + t("text.semicolon").join(t(key, **values) for key, values in marks),
                        style="bold red" if overdue else "dim")
        if line.text is not None and line.source_key is not None:
            text.append("  ✎", style="dim")  # the PM's own words: a recompile keeps them
        if line.dropped:
            text.append("  " + t("plan.dropped"), style="italic dim")
        if line.only:  # addressed to some readers; kept from some
            text.append("  " + t("app.line_only", readers=", ".join(line.only)), style="dim cyan")
        if line.kept_from:
            text.append("  " + t("app.line_kept_from", readers=", ".join(line.kept_from)), style="dim")
        if self.document is not None and self.document.is_new(line):
            text.append("  " + t("plan.new"), style="bold reverse yellow")
        # A key result under its objective, a task under it; a wrapped line keeps its indent.
        depth = self.kind.depth(line)
        text = wrapped(text, getattr(self, "_width", 0) - 2 * depth, tail)
        return Padding(text, (0, 0, 0, 2 * depth)) if depth else text

    def on_resize(self) -> None:
        if self.document is not None:  # lines broken for the new width
            self.show(self.document)

    def reload(self, select: int | None = None) -> None:
        self._reload(self.period, select)

    @work(thread=True, exclusive=True, group="reload")
    def _reload(self, period: str, select: int | None) -> None:
        try:
            document = self.documents.saved(self.kind.name, period)
        except PmWeekError as exc:
            self.app.call_from_thread(self.notify, exc.message(), severity="error")
            return
        if document is not None:
            self.app.call_from_thread(lambda: period == self.period and self.show(document, select))

    def shown_lines(self) -> tuple[Line, ...]:
        return self.document.lines if self.document is not None else ()

    def action_compile(self) -> None:
        """Compile again; a plan is only ever compiled for the week after today's, so from
        an earlier one this compiles (and shows) today's."""
        if not self.documents.compiles(self.kind.name, self.period, self.today):
            self.period = PERIODS[self.kind.period].default(self.today)
            self._retitle()
        self.query_one("#document-meta", Static).update(t("app.compiling"))
        self.compile(self.period)

    def action_copy(self) -> None:
        """The variant shown, as `export report --for` prints it."""
        if self.document is None:
            return
        from pmweek.export.markdown import document_markdown

        self.app.copy_to_clipboard(document_markdown(self.kind, self.document, current_lang(), self.reader))
        what = t(self.kind.label_key) if self.reader is None else t("app.variant_for", name=self.reader.name)
        self.notify(t("app.copied", what=what))

    def action_reader(self, by: int) -> None:
        """The next (or previous) reader's variant: what they would be sent."""
        at = self.readers.index(self.reader) if self.reader in self.readers else 0
        self.show_for(self.readers[(at + by) % len(self.readers)])

    def show_for(self, reader: Reader | None) -> None:
        self.reader = reader
        self._retitle()
        if self.document is not None:
            self.show(self.document)

    def commands(self) -> list[tuple[str, str, Callable[[], None]]]:
        """The palette offers each reader's variant by name."""
        return [(t("cmd.report_for", name=r.name) if r else t("cmd.report_full"), t("cmd.next_reader_help"),
                 partial(self.show_for, r)) for r in self.readers] if self.kind.budgeted else []

    def action_add(self, section: str | None = None) -> None:
        """A line of the PM's own in ``section``, or in the section at hand where it takes
        one (the analysis under the key figures), else in "added by hand"."""
        if section is None:
            current = self._selected()
            typed = self.kind.typed_sections
            section = current.section if current is not None and current.section in typed else typed[0]
        if self.document is None and not self.documents.compiles(self.kind.name, self.period, self.today):
            self.period = PERIODS[self.kind.period].default(self.today)  # no plan then: it goes into today's
            self._retitle()
        self.app.push_screen(LineForm(self.documents, self.kind.name, self.period, self.today, section, None),
                             lambda line_id: line_id and self.reload(select=line_id))

    def action_tick(self) -> None:
        """Tick a line off as done, or untick it: as shown here, whatever another window did."""
        line = self._selected()
        if line is not None:
            self.act_on_line(self.documents.toggle_done, not line.done)

    def action_priority(self, priority: int) -> None:
        self.act_on_line(self.documents.set_priority, priority or None)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        line = self._selected()
        if line is not None:
            self.app.push_screen(LineForm(self.documents, self.kind.name, self.period, self.today, line.section, line),
                                 lambda saved: saved and self.reload(select=line.id))

    def action_drop(self) -> None:
        """Drop (or bring back) a line. Shown for one reader, or kept from some: for that
        reader only, or for every reader? The PM says which."""
        line = self._selected()
        if line is None:
            return
        reader = self.reader.key if self.reader is not None else None
        if reader is None and not line.kept_from:
            self.act_on_line(self.documents.toggle_dropped, not line.dropped)
            return
        if reader is not None:
            shown = words(self.kind, line, current_lang())
            question = t("app.drop_for_whom", reader=self.reader.name, line=shown if len(shown) <= 60 else shown[:59] + "…")
            answers = [("one", t("app.drop_for_reader", reader=self.reader.name)), ("all", t("app.drop_for_all"))]
        else:
            question = t("app.kept_from_question", readers=", ".join(line.kept_from))
            answers = [("back", t("app.bring_back_for_all")), ("all", t("app.drop_for_all"))]

        def chosen(answer: str | None) -> None:
            if answer == "one":
                self.act_on_line(self.documents.keep_from, reader, True)
            elif answer == "back":
                for key in line.kept_from:
                    change(self, self.documents.keep_from, line.id, key, False)
                self.reload(select=line.id)  # read after the changes: the writer makes them in order
            elif answer == "all":
                self.act_on_line(self.documents.toggle_dropped, not line.dropped)

        from pmweek.tui.screens.confirm import ChoiceScreen

        self.app.push_screen(ChoiceScreen(question, answers), chosen)

    def action_move(self, delta: int) -> None:
        self.act_on_line(self.documents.move_line, delta)

    def action_period(self, by: int) -> None:
        """The same kind of document for the period before or after (last year's plan,
        with its OKR reviews; last quarter's report)."""
        self.period = PERIODS[self.kind.period].step(self.period, by)
        self.document = None
        self.on_mount()

    def action_close(self) -> None:
        self.dismiss(None)


class LineForm(Translated, SavesInBackground, EnterMovesOn, ModalScreen[int | None]):
    """A line in the PM's own words and what its kind lets the PM set on it (an owner or
    team, a date, a priority; whom a report's line is for). Only what was changed is
    saved: a recompile keeps it, and what was left as compiled still follows the data.
    Returns the line's id, or None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", id="pm.save"),
        Binding("escape", "cancel", "key.back", id="pm.cancel"),
    ]

    LABELS = {"text": "field.plan_text", "owner": "field.plan_owner", "due": "field.due",
              "priority": "field.plan_priority"}

    def __init__(self, documents: DocumentService, kind: str, period: str, today: date, section: str,
                 line: Line | None) -> None:
        super().__init__()
        self.documents = documents
        self.kind, self.period, self.today, self.section, self.line = kind, period, today, section, line
        self.heading = t(KINDS[kind].section_key(section))

    def _start(self) -> dict[str, str]:
        """What each field shows when the form opens."""
        line = self.line
        if line is None:
            return {}
        return {"text": words(KINDS[self.kind], line, current_lang()), "owner": line.owner or "",
                "due": format_date(line.due) if line.due else "", "priority": str(line.priority or ""),
                "readers": ", ".join(line.only)}

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form-dialog"):  # at 80x24 the last field scrolls into view
            yield Static(self.heading, classes="section")
            yield from self.fields()
            yield Static("", id="form-error", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query(".form-field").first().focus()

    def action_save(self) -> None:
        """Closes once stored; a refusal is said under the fields, what was typed kept."""
        typed = {w.id[2:]: w.value for w in self.query(Input)}
        self.save_in_background(lambda: self.store(typed), self.dismiss, self._refused)

    def _refused(self, exc: PmWeekError) -> None:
        """Said under the field it is about (named by its words' key), that field focused."""
        named = {label: name for name, label in self.LABELS.items()} | {"field.readers": "readers"}
        said_under(self, exc.message(), named.get(str(exc.params.get("field", ""))))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def fields(self) -> Iterator[Widget]:
        start, kind = self._start(), KINDS[self.kind]
        for name in kind.line_fields:
            if name == "priority" and self.line is None:  # a new line's: 1-3 on the list
                continue
            yield Label(t(self.LABELS[name]))
            yield FieldInput(start.get(name, ""), id=f"f-{name}", classes="form-field",
                             placeholder="YYYY-MM-DD" if name == "due" else "")
        if kind.budgeted:  # a report written for readers: whom the line is for
            yield Label(t("field.readers"))
            field = FieldInput(start.get("readers", ""), id="f-readers", classes="form-field")
            field.placeholder = t("app.readers_placeholder")
            yield field

    def store(self, value: dict[str, str]) -> int:
        readers = [k.strip() for k in (value.pop("readers", None) or "").replace("，", ",").split(",") if k.strip()]
        if self.line is None:
            return self.documents.add_line(self.kind, self.period, self.today, self.section, value["text"],
                                           owner=value.get("owner"), due=value.get("due"), readers=readers)
        start = self._start()
        self.documents.edit_line(self.line.id, **{k: v for k, v in value.items() if v.strip() != start[k].strip()})
        if KINDS[self.kind].budgeted and ", ".join(readers) != start["readers"]:
            self.documents.address(self.line.id, readers)
        return self.line.id
