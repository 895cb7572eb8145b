"""The one engine every compiled document runs on: the Friday plan's compile-and-merge,
made general.

A document has a kind, a period (a week, month, quarter or year), an owner and ordered
sections of lines. A kind declares its sections and a function from the period's data to
candidate lines. A line stores what it *is* — its kind of fact, the facts and the source
they came from — and is put into words when shown, in the language asked for; what the
PM rewrote is kept as their own words. Compiling again never undoes an edit: a line
keeps its position, priority, owner and date (once set), words (once rewritten) and
whether it was dropped; lines whose source has gone leave; new ones are marked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from pmweek.domain.models import Marked
from pmweek.errors import InputError

Facts = Mapping[str, Any]


@dataclass(frozen=True)
class Candidate:
    """A line a compile proposes, identified by its source."""

    section: str
    source_key: str
    kind: str  # what the line is: it names the words the facts are put into
    facts: Facts = field(default_factory=dict)
    owner: str | None = None
    due: date | None = None
    priority: int | None = None  # a default the PM may change

    def __post_init__(self) -> None:
        # Facts are stored as JSON: a tuple or a date would read back as something else,
        # so the saved line and a recompile would differ (and every compile rewrite it).
        if (where := _not_json(self.facts)) is not None:
            raise TypeError(f"fact {self.source_key}{where} is not JSON-native")


def _not_json(value: Any, path: str = "") -> str | None:
    """Where in ``value`` a value JSON would not give back as it is (None: nowhere)."""
    if value is None or isinstance(value, str | bool | int | float):
        return None
    if isinstance(value, list):
        return next((w for i, v in enumerate(value) if (w := _not_json(v, f"{path}[{i}]")) is not None), None)
    if isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str):
                return f"{path}.{k!r}"
            if (w := _not_json(v, f"{path}.{k}")) is not None:
                return w
        return None
    return f"{path} ({type(value).__name__})"


PRIORITIES = ("1", "2", "3")


def parse_priority(value: str | int | None) -> int | None:
    """A line's priority as typed or given: 1, 2 or 3; blank or None is none."""
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    if text not in PRIORITIES:
        raise InputError("error.priority")
    return int(text)


@dataclass(frozen=True)
class Line(Marked):
    id: int | None
    section: str
    position: int
    kind: str
    facts: Facts
    text: str | None = None  # the PM's own words: set when typed or rewritten
    source_key: str | None = None  # None: typed by the PM
    owner: str | None = None
    owner_edited: bool = False
    priority: int | None = None
    due: date | None = None
    due_edited: bool = False  # the date is the PM's: a recompile keeps it
    dropped_at: datetime | None = None
    done_at: datetime | None = None
    added_at: datetime | None = None
    only: tuple[str, ...] = ()  # the readers it is addressed to (none: every reader)
    kept_from: tuple[str, ...] = ()  # the readers it is dropped for, the others still get it


@dataclass(frozen=True)
class Document:
    kind: str
    owner: str
    period: str  # "2026-W48", "2026-11", "2026-Q4", "2027"
    compiled_at: datetime | None  # None: never saved (a preview compiled in memory)
    compile_count: int
    lines: tuple[Line, ...] = ()

    def section(self, name: str) -> list[Line]:
        return sorted((ln for ln in self.lines if ln.section == name), key=lambda ln: (ln.position, ln.id or 0))

    def is_new(self, line: Line) -> bool:
        """Added by the latest compile, when there was one before it."""
        return self.compile_count > 1 and line.source_key is not None and line.added_at == self.compiled_at


Renderer = Callable[..., str]  # (line, language, options) -> its words


@dataclass(frozen=True)
class DocumentKind:
    """A kind of document, declared once: its period, its sections in order, which of
    them only the PM types, how its data becomes candidates and how a line reads."""

    name: str
    period: str  # week | month | quarter | year
    sections: tuple[str, ...]
    # The period's data, from the sources every kind shares (documents.sources.Sources):
    # gather(sources, period, today).
    gather: Callable[[Any, str, date], Any]
    compile: Callable[[Any], list[Candidate]]
    render: Renderer
    typed_sections: tuple[str, ...] = ()  # where the PM adds lines of their own
    optional_sections: tuple[str, ...] = ()  # shown only when they hold a line
    dated_kinds: tuple[str, ...] = ("plan",)  # kinds of line whose date is shown beside their words
    date_labels: Mapping[str, str] = field(default_factory=dict)  # a kind's date, when not a due date ("go-live")
    team_sections: tuple[str, ...] = ("cross_team",)  # whose lines are owned by a team, not a person
    overdue_kinds: tuple[str, ...] = ("plan",)  # kinds of line that are late when their date passes undone
    # Lines nest (an objective, its key results, their tasks): a new line goes in under the
    # line the compile put before it, not at the end of its section.
    nested: bool = False
    # Figures drawn from the document itself (a domain.charts Timeline), by the section
    # they go under (typed loosely: the charts build on this module, not the other way).
    blocks: Callable[[Document, str], dict[str, Any]] | None = None
    # The word `pmweek export report WORD` prints it by (None: only on its screen). The
    # palette offers every report.
    command: str | None = None
    # Its title names the period this many on from its own: the Friday plan, compiled
    # during a week, is the plan for the week after.
    titled_by: int = 0
    # The period it opens on today, when not its period's default: opens_on(work calendar,
    # today), the work calendar being domain.workweek's (the plan in force moves to next
    # week's on the workday that carries Friday's routine).
    opens_on: Callable[[Any, date], str] | None = None
    # Compiled only while its period runs (the plan: from what the week left open): a past
    # one never compiled stays so, and compiling from it compiles today's instead.
    live: bool = False
    # What the PM sets on a line in its form, besides its words (priority also by 1-3):
    # text, priority, owner, due.
    line_fields: tuple[str, ...] = ("text", "priority")
    ticked: bool = False  # its lines are ticked off as done (Monday works through the plan)
    # The line actions its screen offers by a key of their own (footer and all), beyond
    # add, edit, drop and move: "tick" (space), "priority" (1-3), "cross_team" (x adds one).
    line_keys: tuple[str, ...] = ()
    grouped_by_owner: tuple[str, ...] = ()  # sections whose lines Markdown lists under their owner
    # What is said beside a line besides its owner and date ("carried 2×"): word keys and values.
    marks: Callable[[Line], list[tuple[str, dict[str, str]]]] | None = None
    lead_sections: tuple[str, ...] = ()  # first in every reader's variant (the PM's message)
    tail_sections: tuple[str, ...] = ()  # last in every reader's variant (what the PM added by hand)
    budgeted: bool = False  # each variant cut to its reader's budget of lines (documents.view)
    # The whole document's budget of non-blank lines and each section's limit (None: the
    # weekly report's, a reader's limits doubled); what is cut is counted.
    budget: int | None = None
    limits: Mapping[str, int] = field(default_factory=dict)
    # A line that is a subsection in Markdown (a large project, its background…):
    # heading(line, lang) -> (title, body or None), None for an ordinary line.
    heading: Callable[[Line, str], tuple[str, str | None] | None] | None = None

    # -- its words: every catalogue key it is shown by, named here and nowhere else ------

    @property
    def label_key(self) -> str:
        return f"doc.{self.name}"

    @property
    def title_key(self) -> str:
        return f"{self.name}.title"

    @property
    def empty_key(self) -> str:
        return f"{self.name}.empty_section"

    @property
    def missing_key(self) -> str:
        """What a live kind says of a past period never compiled ("no plan was made")."""
        return f"{self.name}.none_in_force"

    def section_key(self, section: str) -> str:
        return f"{self.name}.section.{section}"

    @property
    def word_keys(self) -> frozenset[str]:
        """Every catalogue key the kind is shown by (a test checks both catalogues hold
        them); its lines' own words come from its ``render``."""
        keys = {self.title_key, self.empty_key, *map(self.section_key, self.sections), *self.date_labels.values(),
                "plan.due", "plan.owner", "plan.team", "plan.overdue"}
        keys |= {self.label_key} if self.command else set()  # a report, by name in the palette
        keys |= {self.missing_key} if self.live else set()
        return frozenset(keys)

    @staticmethod
    def depth(line: Line) -> int:
        """How far a line is indented under the one it belongs to (0: a line of its own)."""
        return int(line.facts.get("depth", 0) or 0)


def line_marks(kind: DocumentKind, line: Line, today: date | None,
               owner: bool = True) -> list[tuple[str, dict[str, str]]]:
    """What is said beside a line's words, as word keys and their values, the same on the
    screen and in every export: the kind's own marks, its owner (a team, in cross-team
    lines; not ``owner`` where it heads the group), its date under the kind's own word
    for it, and "overdue" when that date has passed undone."""
    marks: list[tuple[str, dict[str, str]]] = list(kind.marks(line)) if kind.marks is not None else []
    if line.owner and owner:
        marks.append(("plan.team" if line.section in kind.team_sections else "plan.owner", {"owner": line.owner}))
    if line.due is not None and line.kind in kind.dated_kinds:
        marks.append((kind.date_labels.get(line.kind, "plan.due"), {"date": line.due.isoformat()}))
        if today is not None and line.kind in kind.overdue_kinds and line.due < today and line.done_at is None:
            marks.append(("plan.overdue", {}))
    return marks


@dataclass
class Merge:
    update: list[Line] = field(default_factory=list)
    insert: list[Line] = field(default_factory=list)
    delete: list[int] = field(default_factory=list)


def merge(existing: Sequence[Line], candidates: Sequence[Candidate], now: datetime, nested: bool = False) -> Merge:
    """What to write so that the document holds the candidates without losing an edit;
    ``nested``: new lines go in after the line of the candidate before them."""
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
            if line.id is not None:
                out.delete.append(line.id)
            continue
        kept.add(line.source_key)
        fresh = replace(
            line,
            kind=candidate.kind,
            facts=dict(candidate.facts),
            owner=line.owner if line.owner_edited else candidate.owner,
            due=line.due if line.due_edited else candidate.due,
        )
        if fresh != line:
            out.update.append(fresh)
    for candidate in candidates:
        if candidate.source_key in kept:
            continue
        kept.add(candidate.source_key)
        position = next_position.get(candidate.section, 0)
        next_position[candidate.section] = position + 1
        out.insert.append(Line(
            id=None, section=candidate.section, position=position, kind=candidate.kind,
            facts=dict(candidate.facts), source_key=candidate.source_key, owner=candidate.owner,
            due=candidate.due, priority=candidate.priority, added_at=now,
        ))
    if nested and existing and out.insert:
        _nest(existing, candidates, out)
    return out


def _nest(existing: Sequence[Line], candidates: Sequence[Candidate], out: Merge) -> None:
    """Give new lines the place after their preceding candidate's line, moving the lines
    after them down; a line the PM moved or typed keeps its order relative to the rest."""
    gone = set(out.delete)
    updated = {ln.id: ln for ln in out.update}
    new = {ln.source_key: ln for ln in out.insert}
    for section in {ln.section for ln in out.insert}:
        order = sorted((updated.get(ln.id, ln) for ln in existing if ln.section == section and ln.id not in gone),
                       key=lambda ln: (ln.position, ln.id or 0))
        keys = [ln.source_key for ln in order]
        previous = None
        for candidate in (c for c in candidates if c.section == section):
            if candidate.source_key in new:
                at = keys.index(previous) + 1 if previous in keys else 0
                keys.insert(at, candidate.source_key)
                order.insert(at, new[candidate.source_key])
            previous = candidate.source_key
        for position, line in enumerate(order):
            if line.id is None:
                new[line.source_key] = replace(line, position=position)
            elif line.position != position:
                updated[line.id] = replace(line, position=position)
    out.insert[:] = [new[ln.source_key] for ln in out.insert]
    out.update[:] = list(updated.values())


def merged(document: Document, candidates: Sequence[Candidate], now: datetime, nested: bool = False) -> Document:
    """``document`` as a compile now would leave it, computed in memory: what an export
    prints without writing anything."""
    result = merge(document.lines, candidates, now, nested)
    gone = set(result.delete)
    updated = {ln.id: ln for ln in result.update}
    lines = [updated.get(ln.id, ln) for ln in document.lines if ln.id not in gone] + result.insert
    # A saved document the data has moved on from reads as compiled now (its facts are
    # today's); one still current keeps its time; one never saved says it is a draft.
    changed = bool(result.delete or result.update or result.insert)
    stamp = now if changed and document.compiled_at is not None else document.compiled_at
    return replace(document, lines=tuple(lines), compiled_at=stamp)


def words(kind: DocumentKind, line: Line, lang: str, options: Mapping[str, Any] | None = None) -> str:
    """What a line says: the PM's own words, or its facts put into words in ``lang``."""
    return line.text if line.text is not None else kind.render(line, lang, dict(options or {}))


def number(value: float | None) -> str:
    """A figure as a document shows it: rounded to cents, "—" when there is none."""
    from pmweek.domain.sheets import format_value  # the declarations load when a document is drawn

    return "—" if value is None else format_value(round(value, 2))


def change(value: float | None, before: float | None) -> str | None:
    """The change from ``before`` to ``value`` as a signed percentage, None when unknowable."""
    if value is None or not before:
        return None
    return f"{(value - before) / before * 100:+.1f}%"


def arrow(delta: int) -> str:
    """A move as the documents and screens show it: ▲3 up (or worse, for a risk), ▼1, = none."""
    return f"▲{delta}" if delta > 0 else f"▼{-delta}" if delta < 0 else "="


SPARKS = "▁▂▃▄▅▆▇█"
FIGURE_MONTHS = 12  # a figure's sparkline: this month and the eleven before


def sparkline(values: Sequence[float | None]) -> str:
    """A row of bars a chat or wiki shows as it is; a month with no figure is a gap (·)."""
    known = [v for v in values if v is not None]
    if not known:
        return ""
    low, high = min(known), max(known)
    span = (high - low) or 1
    return "".join("·" if v is None else SPARKS[round((v - low) / span * (len(SPARKS) - 1))] for v in values)
