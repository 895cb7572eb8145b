"""One screen for every compiled document (the weekly report now, the monthly summary,
quarterly report and annual plan after it): its sections and lines, drafted from the
data and edited by the PM. Compiling runs in a worker; a recompile keeps every edit and
marks what is new; `c` copies the document as Markdown through the terminal (OSC 52,
which also works over SSH)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from rich.padding import Padding
from rich.text import Text
from textual import work
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from pmweek.domain.calendar import format_stamp, shift_period
from pmweek.domain.documents import KINDS
from pmweek.domain.documents.engine import Document, Line, words
from pmweek.errors import PmWeekError
from pmweek.i18n import current_lang, t
from pmweek.tui.screens.common import ActsOnLines, LineFormBase, LineList
from pmweek.tui.text import Translated

if TYPE_CHECKING:
    from pmweek.services.documents import DocumentService


class DocumentScreen(Translated, ActsOnLines, Screen[None]):
    BINDINGS = [
        Binding("escape,q", "close", "key.back", id="pm.back"),
        Binding("r", "compile", "key.recompile", id="pm.compile"),
        Binding("c", "copy", "key.copy", id="pm.copy"),
        Binding("a", "add", "key.add_item", id="pm.add_item"),
        Binding("d", "drop", "key.drop", id="pm.drop"),
        Binding("shift+up,K", "move(-1)", "key.move_up", key_display="⇧↑", show=False, id="pm.up"),
        Binding("shift+down,J", "move(1)", "key.move_down", key_display="⇧↓", show=False, id="pm.down"),
        Binding("left_square_bracket", "period(-1)", "key.prev_period", key_display="[", show=False,
                id="pm.prev_period"),
        Binding("right_square_bracket", "period(1)", "key.next_period", key_display="]", show=False,
                id="pm.next_period"),
    ]

    def __init__(self, documents: DocumentService, kind: str, period: str, today: date) -> None:
        super().__init__()
        self.documents = documents
        self.kind = KINDS[kind]
        self.period = period
        self.today = today
        self.document: Document | None = None

    def on_mount(self) -> None:
        self.title = f"{t(self.kind.label_key)} {self.period}"
        self.query_one("#document-meta", Static).update(t("app.compiling"))
        self.query_one(LineList).focus()
        saved = self.documents.saved(self.kind.name, self.period)
        if saved is not None:
            self.show(saved)
        else:  # the first visit drafts it
            self.compile()

    @work(thread=True, exclusive=True, group="compile")
    def compile(self) -> None:
        """Gather the data and merge (off the event loop: a long history never freezes
        the screen); a failure is said where the eye is."""
        try:
            document = self.documents.compile(self.kind.name, self.period, self.today)
        except PmWeekError as exc:
            self.app.call_from_thread(self._failed, exc.message())
            return
        self.app.call_from_thread(self.show, document)

    def _failed(self, message: str) -> None:
        self.query_one("#document-meta", Static).update(t("app.compile_failed", message=message))
        self.notify(t("app.compile_failed", message=message), severity="error")

    def show(self, document: Document, select: int | None = None) -> None:
        self.document = document
        self.query_one("#document-meta", Static).update(
            t("weekly.compiled", stamp=format_stamp(document.compiled_at)) if document.compiled_at else ""
        )
        listing = self.query_one(LineList)
        current = listing.highlighted
        lang = current_lang()
        options: list[Option | None] = []
        for section in self.kind.sections:
            lines = document.section(section)
            if section in self.kind.optional_sections and not lines:
                continue
            if options:
                options.append(None)
            options.append(Option(Text(t(f"{self.kind.name}.section.{section}"), style="bold"), disabled=True))
            if not lines:
                options.append(Option(Text("  " + t(f"{self.kind.name}.empty_section").strip("_"), style="dim italic"),
                                      disabled=True))
            options += [Option(self._prompt(ln, lang), id=f"l{ln.id}") for ln in lines]
        listing.set_options(options)
        if select is not None:
            listing.highlighted = listing.get_option_index(f"l{select}")
        elif current is not None and current < listing.option_count:
            listing.highlighted = current
        else:
            listing.action_first()

    def _prompt(self, line: Line, lang: str) -> Text | Padding:
        text = Text()
        if line.priority:
            text.append(t("plan.priority", priority=line.priority) + " ", style="bold magenta")
        flagged = line.facts.get("flagged") and line.text is None  # a missed goal nobody said why
        style = "strike dim" if line.dropped else ("red" if flagged else "")
        text.append(words(self.kind, line, lang), style=style)
        if line.owner:
            text.append("  " + t("plan.owner", owner=line.owner), style="dim")
        if line.text is not None and line.source_key is not None:
            text.append("  ✎", style="dim")  # the PM's own words: a recompile keeps them
        if line.dropped:
            text.append("  " + t("plan.dropped"), style="italic dim")
        if self.document is not None and self.document.is_new(line):
            text.append("  " + t("plan.new"), style="bold reverse yellow")
        # A key result under its objective, a task under it; a wrapped line keeps its indent.
        depth = self.kind.depth(line)
        return Padding(text, (0, 0, 0, 2 * depth)) if depth else text

    def reload(self, select: int | None = None) -> None:
        document = self.documents.saved(self.kind.name, self.period)
        if document is not None:
            self.show(document, select)

    def shown_lines(self) -> tuple[Line, ...]:
        return self.document.lines if self.document is not None else ()

    def action_compile(self) -> None:
        self.query_one("#document-meta", Static).update(t("app.compiling"))
        self.compile()

    def action_copy(self) -> None:
        if self.document is None:
            return
        from pmweek.export.markdown import document_markdown

        self.app.copy_to_clipboard(document_markdown(self.kind, self.document, current_lang()))
        self.notify(t("app.copied", what=t(self.kind.label_key)))

    def action_add(self) -> None:
        # A line of the PM's own in the section at hand where it takes one (the analysis
        # under the key figures), else in "added by hand".
        current = self._selected()
        typed = self.kind.typed_sections
        section = current.section if current is not None and current.section in typed else typed[0]
        self.app.push_screen(LineForm(self.documents, self.kind.name, self.period, self.today, section, None),
                             lambda line_id: line_id and self.reload(select=line_id))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        line = self._selected()
        if line is not None:
            self.app.push_screen(LineForm(self.documents, self.kind.name, self.period, self.today, line.section, line),
                                 lambda saved: saved and self.reload(select=line.id))

    def action_drop(self) -> None:
        self.act_on_line(self.documents.toggle_dropped)

    def action_move(self, delta: int) -> None:
        self.act_on_line(self.documents.move_line, delta)

    def action_period(self, by: int) -> None:
        """The same kind of document for the period before or after (last year's plan,
        with its OKR reviews; last quarter's report)."""
        self.period = shift_period(self.kind.period, self.period, by)
        self.document = None
        self.on_mount()

    def action_close(self) -> None:
        self.dismiss(None)


class LineForm(LineFormBase):
    """A line in the PM's own words (a recompile keeps them), and its priority."""

    def __init__(self, documents: DocumentService, kind: str, period: str, today: date, section: str,
                 line: Line | None) -> None:
        super().__init__()
        self.documents = documents
        self.kind, self.period, self.today, self.section, self.line = kind, period, today, section, line
        self.heading = t(f"{kind}.section.{section}")

    def fields(self) -> Iterator[Widget]:
        line = self.line
        yield Label(t("field.plan_text"))
        yield Input(words(KINDS[self.kind], line, current_lang()) if line else "", id="f-text", classes="form-field")
        if line is not None:
            yield Label(t("field.plan_priority"))
            yield Input(str(line.priority or ""), id="f-priority", classes="form-field")

    def store(self, value: dict[str, str]) -> int:
        if self.line is None:
            return self.documents.add_line(self.kind, self.period, self.today, self.section, value["text"])
        self.documents.edit_line(self.line.id, value["text"], value.get("priority"))
        return self.line.id
