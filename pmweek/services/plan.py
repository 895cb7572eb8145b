"""Use cases of the Friday plan: a document of kind "plan" on the one document engine,
compiled during a week for the week after, edited by the PM, handed to next Monday."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from pmweek.domain.calendar import Week, parse_date
from pmweek.domain.documents.engine import Document, parse_priority
from pmweek.domain.documents.plan import KIND, TYPED_SECTIONS, plan_view
from pmweek.domain.plan import PlanLineView, PlanView
from pmweek.domain.text import check_text
from pmweek.errors import InputError

if TYPE_CHECKING:
    from pmweek.services.documents import DocumentService

MAX_LINE = 1000
MAX_OWNER = 200


class PlanService:
    def __init__(self, documents: DocumentService, lang: str) -> None:
        self.documents = documents
        self.lang = lang  # the words of compiled lines, as the screen and the export show them

    # -- reading ------------------------------------------------------------------------

    def plan(self, week: Week) -> PlanView | None:
        """The plan compiled during ``week`` (it plans the week after), if any."""
        document = self.documents.saved(KIND.name, str(week))
        return None if document is None else self._view(document)

    def plan_for(self, week: Week) -> PlanView | None:
        """The plan made for ``week``: the one compiled the week before."""
        return self.plan(week.previous)

    def preview(self, week: Week, today: date) -> PlanView:
        """The plan of ``week`` as a compile now would leave it, nothing written."""
        return self._view(self.documents.preview(KIND.name, str(week), today))

    def _view(self, document: Document) -> PlanView:
        return plan_view(document, self.lang)

    # -- compiling ----------------------------------------------------------------------

    def compile(self, today: date) -> PlanView:
        """Compile (or compile again) the plan of ``today``'s week for the week after."""
        return self._view(self.documents.compile(KIND.name, str(Week.of(today)), today))

    # -- editing --------------------------------------------------------------------------

    def add_line(self, today: date, section: str, text: str, owner: str = "", due: str = "",
                 week: Week | None = None) -> int:
        """A line typed by the PM: a free item, or a cross-team need (team, need, due), in
        the plan compiled in ``week`` (today's: next week's plan, by default)."""
        if section not in TYPED_SECTIONS:
            raise ValueError(section)
        values = _clean(text, owner, due)
        return self.documents.add_line(KIND.name, str(week or Week.of(today)), today, section, values["text"],
                                       owner=values["owner"], due=values["due"])

    def edit_line(self, line_id: int, text: str, owner: str = "", due: str = "",
                  priority: str | int | None = None) -> None:
        values = _clean(text, owner, due)
        line = self._current(line_id)
        changes: dict = {"priority": parse_priority(priority), "due": values["due"]}
        if values["text"] != line.text:  # the PM's own words only when they changed them
            changes["text"] = values["text"]
        if values["owner"] != line.owner:
            changes["owner"] = values["owner"]
        self.documents.edit(line_id, **changes)

    def set_priority(self, line_id: int, priority: int | None) -> None:
        self.documents.edit(line_id, priority=priority)

    def toggle_dropped(self, line_id: int) -> bool:
        return self.documents.toggle_dropped(line_id)

    def toggle_done(self, line_id: int, done: bool | None = None) -> datetime | None:
        """Tick a plan line off on Monday (or untick it; ``done`` as in set_done)."""
        return self.documents.toggle_done(line_id, done)

    def move_line(self, line_id: int, delta: int) -> None:
        self.documents.move_line(line_id, delta)

    def _current(self, line_id: int) -> PlanLineView:
        line = self.documents.line(line_id)
        return self._view(Document(KIND.name, "", "2000-W01", None, 0, (line,))).lines[0]


def _clean(text: str, owner: str, due: str) -> dict:
    check_text(text or "", "field.plan_text", limit=MAX_LINE * 2, multiline=True)
    check_text(owner or "", "field.plan_owner", limit=MAX_OWNER)
    clean = " ".join((text or "").split())
    if not clean:
        raise InputError("error.field_required", field="field.plan_text")
    if len(clean) > MAX_LINE:
        raise InputError("error.field_long", field="field.plan_text", limit=MAX_LINE)
    due_value = None
    if due and due.strip():
        try:
            due_value = parse_date(due)
        except ValueError:
            raise InputError("error.field_date", field="field.due", value=due.strip()) from None
    return {"text": clean, "owner": " ".join((owner or "").split()) or None, "due": due_value}
