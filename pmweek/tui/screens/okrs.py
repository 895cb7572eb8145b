"""A quarter's objectives and key results: each objective, its key results with their
progress from start to target as a bar, and the tasks under them. Objectives, key
results and tasks are added here with the same forms as the tables; a key result is
scored at the quarter's end (the proposed score filled in, the PM decides)."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Header, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from pmweek.domain.documents.monthly import metric_label
from pmweek.domain.documents.quarterly import percent
from pmweek.domain.goals import progress_bar
from pmweek.domain.okrs import KeyResult, Objective, Task
from pmweek.domain.periods import QUARTER
from pmweek.domain.sheets import SHEETS, format_value
from pmweek.errors import PmWeekError
from pmweek.i18n import current_lang, t
from pmweek.tui.screens.common import EnterMovesOn, SavesInBackground, change
from pmweek.tui.text import Translated
from pmweek.tui.widgets.fields import FieldInput

if TYPE_CHECKING:
    from pmweek.services.documents import DocumentService
    from pmweek.services.okrs import OKRService
    from pmweek.services.sheets import SheetService

Picked = Objective | KeyResult | Task


class OKRScreen(Translated, Screen[None]):
    BINDINGS = [
        Binding("escape,q", "close", "key.back", id="pm.back"),
        Binding("o", "add_objective", "key.add_objective", id="pm.add_objective"),
        Binding("a", "add_kr", "key.add_kr", id="pm.add_kr", priority=True),
        Binding("n", "add_task", "key.add_task", id="pm.add_task", priority=True),
        Binding("s", "score", "key.score", id="pm.score"),
        Binding("space", "tick", "key.toggle", id="pm.tick_task"),
        Binding("left_square_bracket", "quarter(-1)", "key.prev_quarter", key_display="[", show=False,
                id="pm.prev_quarter"),
        Binding("right_square_bracket", "quarter(1)", "key.next_quarter", key_display="]", show=False,
                id="pm.next_quarter"),
        Binding("R", "report", "key.report", id="pm.quarterly"),
    ]

    def __init__(self, okrs: OKRService, records: SheetService, documents: DocumentService,
                 quarter: str, today: date) -> None:
        """``records`` types objectives, key results and tasks; ``documents`` opens the
        quarter's report."""
        super().__init__()
        self.okrs, self.records, self.documents = okrs, records, documents
        self.quarter = quarter
        self.today = today
        self.picked: dict[str, Picked] = {}
        self.owner_of: dict[str, Objective] = {}  # option id -> the objective it sits under

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="okr-meta")
        yield OptionList(id="okr-lines")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.load()

    @work(thread=True, exclusive=True, group="okrs")
    def load(self, select: str | None = None) -> None:
        try:
            objectives = self.okrs.objectives(self.quarter, self.today)
        except PmWeekError as exc:
            self.app.call_from_thread(self.notify, exc.message(), severity="error")
            return
        self.app.call_from_thread(self.show, objectives, select)

    def show(self, objectives: list[Objective], select: str | None = None) -> None:
        self.title = f"{t('okr.title')} {self.quarter}"
        self.query_one("#okr-meta", Static).update(t("okr.meta", quarter=self.quarter))
        listing = self.query_one(OptionList)
        current = listing.highlighted
        self.picked, self.owner_of = {}, {}
        options: list[Option] = []

        def add(key: str, prompt: Text, item: Picked, objective: Objective) -> None:
            self.picked[key], self.owner_of[key] = item, objective
            options.append(Option(prompt, id=key))

        for o_index, o in enumerate(objectives):
            axis = t("weekly.paren", text=t("choice." + o.axis)) if o.axis else ""
            head = Text(f"O  {o.text}{axis}  ", style="bold")
            head.append(f"{progress_bar(o.progress)} {percent(o.progress)}", style="bold cyan")
            add(f"o{o.id}" if o.id is not None else f"ox{o_index}", head, o, o)
            if not o.krs:
                options.append(Option(Text("   " + t("okr.no_krs"), style="dim italic"), disabled=True))
            for kr in o.krs:
                add(f"k{kr.goal.id}", self._kr_prompt(kr), kr, o)
                for task in kr.tasks:
                    link = "" if task.link == "typed" else " " + t("weekly.paren", text=t("choice." + task.link)).strip()
                    prompt = Text(f"      {'✓' if task.done else '☐'} {task.text}",
                                  style="dim" if task.done else "")
                    prompt.append(link, style="dim italic")
                    add(f"t{task.id}", prompt, task, o)
        if not objectives:
            options.append(Option(Text(t("okr.empty"), style="dim italic"), disabled=True))
        listing.set_options(options)
        if select is not None and select in self.picked:
            listing.highlighted = listing.get_option_index(select)
        elif current is not None and current < listing.option_count:
            listing.highlighted = current
        else:
            listing.action_first()

    def _kr_prompt(self, kr: KeyResult) -> Text:
        g = kr.goal
        text = Text(f"   KR {metric_label(current_lang(), g.metric)}  {format_value(g.start) or '—'} → {format_value(g.target) or '—'}"
                    f"  {t('okr.now', actual=format_value(g.actual) or '—')}  ")
        text.append(f"{progress_bar(g.progress)} {percent(g.progress)}", style="cyan")
        if g.score is not None:
            text.append("  " + t("okr.score", score=f"{g.score:.1f}"), style="bold green")
        elif g.ended and g.proposed_score is not None:
            text.append("  " + t("okr.proposed", score=f"{g.proposed_score:.1f}"), style="yellow")
        return text

    def _current(self) -> tuple[Picked | None, Objective | None]:
        option = self.query_one(OptionList).highlighted_option
        if option is None or option.id is None:
            return None, None
        return self.picked.get(option.id), self.owner_of.get(option.id)

    def _kr(self) -> KeyResult | None:
        """The key result at hand: the one highlighted, or the one above the task highlighted."""
        item, objective = self._current()
        if isinstance(item, KeyResult):
            return item
        if isinstance(item, Task) and objective is not None:
            return next((kr for kr in objective.krs if item in kr.tasks), None)
        return None

    def _form(self, sheet: str, defaults: dict[str, str], prefix: str, title: str) -> None:
        from pmweek.tui.screens.row_form import RowForm

        self.app.push_screen(RowForm(self.records, SHEETS[sheet], defaults, None, title),
                             lambda row_id: row_id and self.load(f"{prefix}{row_id}"))

    def action_add_objective(self) -> None:
        self._form("objectives", {"quarter": self.quarter}, "o", t("okr.new_objective", quarter=self.quarter))

    def action_add_kr(self) -> None:
        _, objective = self._current()
        if objective is None:
            self.notify(t("okr.pick_objective"), severity="warning")
            return
        self._form("goals", {"period": self.quarter, "objective": objective.text}, "k",
                   t("okr.new_kr", objective=objective.text))

    def action_add_task(self) -> None:
        kr = self._kr()
        if kr is None:
            self.notify(t("okr.pick_kr"), severity="warning")
            return
        self._form("tasks", {"quarter": self.quarter, "kr": kr.goal.metric}, "t",
                   t("okr.new_task", kr=metric_label(current_lang(), kr.goal.metric)))

    def action_score(self) -> None:
        kr = self._kr()
        if kr is None:
            self.notify(t("okr.pick_kr"), severity="warning")
            return
        self.app.push_screen(ScoreForm(self.okrs, kr), lambda saved: saved and self.load(f"k{kr.goal.id}"))

    def action_tick(self) -> None:
        item, _ = self._current()
        if isinstance(item, Task):
            change(self, self.okrs.toggle_task, item.id, then=partial(self.load, f"t{item.id}"))

    def action_quarter(self, delta: int) -> None:
        self.quarter = QUARTER.step(self.quarter, delta)
        self.load()

    def action_report(self) -> None:
        from pmweek.tui.screens.document import DocumentScreen

        self.app.push_screen(DocumentScreen(self.documents, "quarterly", self.quarter, self.today))

    def action_close(self) -> None:
        self.dismiss(None)


class ScoreForm(Translated, SavesInBackground, EnterMovesOn, ModalScreen[bool]):
    """A key result's score (0–1, or a percentage) and the review's comment."""

    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", id="pm.save"),
        Binding("escape", "cancel", "key.back", id="pm.cancel"),
    ]

    def __init__(self, okrs: OKRService, kr: KeyResult) -> None:
        super().__init__()
        self.okrs = okrs
        self.kr = kr

    def compose(self) -> ComposeResult:
        g = self.kr.goal
        score = g.score if g.score is not None else g.proposed_score
        with VerticalScroll(id="form-dialog"):
            yield Static(t("okr.score_title", metric=metric_label(current_lang(), g.metric),
                           percent=percent(g.progress)), classes="section")
            yield Static("", id="form-error", markup=False)  # under the heading: in view whatever the terminal's height
            yield Label(t("field.score"))
            yield FieldInput("" if score is None else f"{score:.1f}", id="f-score", classes="form-field",
                        placeholder="0.7")
            yield Label(t("field.review"))
            yield TextArea(g.review or "", id="f-review", soft_wrap=True, classes="form-field -multiline")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#f-score", Input).focus()

    def action_save(self) -> None:
        score = self.query_one("#f-score", Input).value
        review = self.query_one("#f-review", TextArea).text
        self.save_in_background(lambda: self.okrs.score(self.kr.goal.id, score, review), lambda _: self.dismiss(True),
                                lambda exc: self.query_one("#form-error", Static).update(exc.message()))

    def action_cancel(self) -> None:
        self.dismiss(False)
