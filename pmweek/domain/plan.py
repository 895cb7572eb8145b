"""The Friday plan: what a compile proposes, and how it merges with the PM's edits.

Compiling again never undoes an edit: a line keeps its position, priority, owner (once
the PM set one), text (once the PM rewrote it) and whether it was dropped. Lines whose
source has gone (the item was ticked, the ticket closed) leave; new ones are marked.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from pmweek.domain.calendar import Week

PLAN_REVIEW_KEY = "mon-review-plan"  # Monday's first item shows the plan made for its week
SECTIONS = ("unfinished", "draft", "tickets", "deals", "opportunities", "revenue", "cross_team", "added")
TYPED_SECTIONS = ("cross_team", "added")  # lines the PM types; a compile never touches them
OPPORTUNITY_MONTHS = 3  # valuable opportunities of this many recent months are followed


@dataclass(frozen=True)
class Candidate:
    """A line a compile proposes, identified by its source."""

    section: str
    source_key: str
    text: str
    owner: str | None = None
    due: date | None = None
    carried: int | None = None


@dataclass(frozen=True)
class PlanLineView:
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

    @property
    def dropped(self) -> bool:
        return self.dropped_at is not None

    @property
    def done(self) -> bool:
        return self.done_at is not None


@dataclass(frozen=True)
class PlanView:
    week: Week  # the week it was compiled in; it plans week.next
    compiled_at: datetime
    compile_count: int
    lines: tuple[PlanLineView, ...] = field(default_factory=tuple)

    @property
    def target(self) -> Week:
        return self.week.next

    def section(self, name: str) -> list[PlanLineView]:
        return sorted((ln for ln in self.lines if ln.section == name), key=lambda ln: (ln.position, ln.id or 0))

    def is_new(self, line: PlanLineView) -> bool:
        """Added by the latest compile, when there was one before it."""
        return self.compile_count > 1 and line.source_key is not None and line.added_at == self.compiled_at


@dataclass
class Merge:
    update: list[PlanLineView] = field(default_factory=list)
    insert: list[PlanLineView] = field(default_factory=list)
    delete: list[int] = field(default_factory=list)


def merge(existing: list[PlanLineView], candidates: list[Candidate], now: datetime) -> Merge:
    """What to write so that the plan holds the candidates without losing an edit."""
    out = Merge()
    wanted = {c.source_key: c for c in candidates}
    kept: set[str] = set()
    next_position: dict[str, int] = {}
    for line in existing:
        next_position[line.section] = max(next_position.get(line.section, 0), line.position + 1)
        if line.source_key is None:
            continue
        candidate = wanted.get(line.source_key)
        if candidate is None:
            out.delete.append(line.id)
            continue
        kept.add(line.source_key)
        fresh = replace(
            line,
            text=line.text if line.text_edited else candidate.text,
            owner=line.owner if line.owner_edited else candidate.owner,
            due=candidate.due,
            carried=candidate.carried,
        )
        if fresh != line:
            out.update.append(fresh)
    for candidate in candidates:
        if candidate.source_key in kept:
            continue
        position = next_position.get(candidate.section, 0)
        next_position[candidate.section] = position + 1
        out.insert.append(
            PlanLineView(
                id=None,
                section=candidate.section,
                position=position,
                text=candidate.text,
                source_key=candidate.source_key,
                owner=candidate.owner,
                due=candidate.due,
                carried=candidate.carried,
                added_at=now,
            )
        )
    return out


def next_week_range(today: date) -> tuple[date, date]:
    """Monday to Sunday of the week after ``today``'s."""
    week = Week.of(today).next
    return week.monday, week.day(7)


def open_plan_lines(plan: PlanView | None) -> list[PlanLineView]:
    """The lines Monday works through: every section in order, dropped ones left out."""
    if plan is None:
        return []
    return [ln for section in SECTIONS for ln in plan.section(section) if not ln.dropped]
