"""The Friday plan as the screens, Monday and the export read it: its lines in words.
It is compiled and merged by the one document engine (domain.documents)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from pmweek.domain.calendar import Week
from pmweek.domain.models import Marked

# The plan's sections in order, and those whose lines the PM types (a compile never touches them).
KIND_NAME = "plan"  # the document kind the plan is stored as (documents.plan.KIND)
SECTIONS = ("unfinished", "draft", "tickets", "deals", "opportunities", "revenue", "cross_team", "added")
TYPED_SECTIONS = ("added", "cross_team")  # "a" adds to the first

PLAN_REVIEW_KEY = "mon-review-plan"  # Monday's first item shows the plan made for its week
OPPORTUNITY_MONTHS = 3  # valuable opportunities of this many recent months are followed


@dataclass(frozen=True)
class PlanLineView(Marked):
    id: int | None
    section: str
    position: int
    text: str
    source_key: str | None = None
    owner: str | None = None
    owner_edited: bool = False
    text_edited: bool = False
    priority: int | None = None
    due: date | None = None
    carried: int | None = None
    dropped_at: datetime | None = None
    done_at: datetime | None = None
    added_at: datetime | None = None
    # What is said beside its words, as the plan's screen says it (owner or team, its date
    # under the kind's word for it, carried): word keys and values; "overdue" is the day's.
    marks: tuple[tuple[str, dict[str, str]], ...] = ()


@dataclass(frozen=True)
class PlanView:
    week: Week  # the week it was compiled in; it plans week.next
    compiled_at: datetime
    compile_count: int
    lines: tuple[PlanLineView, ...] = field(default_factory=tuple)

    def section(self, name: str) -> list[PlanLineView]:
        return sorted((ln for ln in self.lines if ln.section == name), key=lambda ln: (ln.position, ln.id or 0))



def next_week_range(today: date) -> tuple[date, date]:
    """Monday to Sunday of the week after ``today``'s."""
    week = Week.of(today).next
    return week.monday, week.day(7)


def open_plan_lines(plan: PlanView | None) -> list[PlanLineView]:
    """The lines Monday works through, dropped ones left out: highest priority first
    (as set on Friday), then every section in order."""
    if plan is None:
        return []
    lines = [ln for section in SECTIONS for ln in plan.section(section) if not ln.dropped]
    return sorted(lines, key=lambda ln: ln.priority or 4)  # stable: the plan's order within a priority
