"""A document as one reader reads it: the rule of the report, pure, read alike by the
screen, `export report` and the clipboard (the renderers only put it into words).

For a reader: their sections in their order, the PM's key message first; only the lines
that serve them (the figures they are measured on, in their order; their own partner
requests; never a kind of line they must not get); each section cut to its limit and
the whole to the reader's budget of lines, the cut counted. A kind that is not budgeted
(or `full`) keeps every line."""

from __future__ import annotations

from dataclasses import dataclass

from pmweek.domain.documents.engine import Document, DocumentKind, Line
from pmweek.domain.documents.readers import FULL_BUDGET, Reader

# Lines a section shows at most, unless the reader says otherwise.
LIMITS = {"message": 3, "affairs": 6, "releases": 4, "thinking": 5, "feedback": 4, "figures": 6, "cross_team": 5,
          "focus": 5, "added": 5}
HEAD = 2  # the title and the line saying when it was compiled


@dataclass(frozen=True)
class SectionView:
    section: str
    lines: tuple[Line, ...]
    cut: int = 0  # lines left out to keep to the budget

    @property
    def cost(self) -> int:
        """Non-blank Markdown lines: the heading, the lines (or the line saying there are
        none), and the count of what was cut."""
        return 1 + max(len(self.lines), 1) + (1 if self.cut else 0)


@dataclass(frozen=True)
class DocumentView:
    reader: Reader | None
    sections: tuple[SectionView, ...]

    @property
    def cut(self) -> int:
        return sum(s.cut for s in self.sections)

    @property
    def cost(self) -> int:
        return HEAD + (1 if self.reader is not None else 0) + sum(s.cost for s in self.sections)


def admits(reader: Reader | None, line: Line) -> bool:
    """Whether ``line`` is for ``reader`` (None: the full report, every live line)."""
    if line.dropped:
        return False
    if reader is None:
        return True
    keys = {reader.key, *(("partners",) if reader.partner else ())}  # a partner product is one of the partners
    if line.only and not keys & set(line.only):  # addressed to other readers
        return False
    if reader.key in line.kept_from:  # the PM dropped it for this reader
        return False
    if line.kind in reader.leave_out:
        return False
    if line.kind == "request":
        if reader.requests == "none":
            return False
        if reader.requests == "own":
            return str(line.facts.get("source") or "").casefold() == (reader.partner or "").casefold()
    if line.kind == "feedback" and (reader.partner or reader.areas):
        # A partner product hears about its own area; all of them together, about theirs.
        words = reader.area if reader.partner else [w for ws in reader.areas.values() for w in ws]
        said = f"{line.facts.get('topic') or ''} {line.facts.get('plan') or ''}".casefold()
        return any(word.casefold() in said for word in words)
    if line.kind == "figure":
        return line.facts.get("metric") in reader.figures
    if line.kind == "goal":  # a target goes with its figure
        return line.facts.get("figure") in reader.figures
    return True


def _ranked(reader: Reader | None, section: str, lines: list[Line]) -> list[Line]:
    # What the PM wrote into a section leads it: no budget cuts their own words first.
    lines = sorted(lines, key=lambda ln: ln.source_key is not None)
    if reader is not None and section == "figures":  # the figures they are measured on first
        order = {m: i for i, m in enumerate(reader.figures)}

        def rank(ln: Line) -> tuple[int, int]:
            # The PM's own lines and the month so far first, then each figure with its goal
            # after it, in the order of the reader's KPIs.
            figure = ln.facts.get("metric") if ln.kind == "figure" else ln.facts.get("figure")
            return (order.get(figure, -1), 1 if ln.kind == "goal" else 0) if figure else (-1, 0)

        return sorted(lines, key=rank)
    if section == "feedback":  # the most asked first, whenever it was first compiled
        return sorted(lines, key=lambda ln: (ln.source_key is not None, -(ln.facts.get("count") or 0)))
    if section == "focus":
        return sorted(lines, key=lambda ln: (ln.priority is None, ln.priority or 0))
    return lines


def variant(kind: DocumentKind, document: Document, reader: Reader | None = None, full: bool = False) -> DocumentView:
    """``document`` for ``reader`` (None: the full report); ``full``: nothing cut."""
    if reader is None:
        names = kind.sections
    else:  # the PM's message leads, what they added by hand reaches them too
        names = tuple(dict.fromkeys([*kind.lead_sections, *reader.sections, *kind.tail_sections]))
        names = tuple(s for s in names if s in kind.sections)
    budgeted = (kind.budgeted or kind.budget is not None) and not full
    limits = {**LIMITS, **(reader.limits if reader is not None else {})}
    if reader is None:  # the full report: twice a reader's room in each section, or the kind's own
        limits = dict(kind.limits) if kind.limits else {k: 2 * v for k, v in limits.items()}
    admitted: dict[str, list[Line]] = {}
    views = []
    for name in names:
        lines = _ranked(reader, name, [ln for ln in document.section(name) if admits(reader, ln)])
        if not lines and (name in kind.optional_sections or (reader is not None and budgeted)):
            continue  # a reader is not told of what has nothing for them
        admitted[name] = lines
        shown = lines[: limits.get(name, len(lines))] if budgeted else lines
        views.append(SectionView(name, tuple(shown), len(lines) - len(shown)))
    view = DocumentView(reader, tuple(views))
    if budgeted:
        view = _to_budget(view, reader.budget if reader is not None else kind.budget or FULL_BUDGET, admitted)
    return view


def _to_budget(view: DocumentView, budget: int, admitted: dict[str, list[Line]]) -> DocumentView:
    """Each section at its limit, then: room left goes back to the sections that matter
    most to the reader (the first in their order); too many lines are cut from those that
    matter least (the last), a section keeping its first line as long as another has more."""
    sections = list(view.sections)

    def cost() -> int:
        return DocumentView(view.reader, tuple(sections)).cost

    grown = True
    while grown and cost() < budget:
        grown = False
        for i, s in enumerate(sections):
            if s.cut:
                more = admitted[s.section][: len(s.lines) + 1]
                sections[i] = SectionView(s.section, tuple(more), s.cut - 1)
                if cost() > budget:
                    sections[i] = s
                    continue
                grown = True
                break
    while cost() > budget:
        longer = [i for i, s in enumerate(sections) if len(s.lines) > 1]
        candidates = longer or [i for i, s in enumerate(sections) if s.lines]
        if not candidates:
            break
        i = candidates[-1]
        s = sections[i]
        sections[i] = SectionView(s.section, s.lines[:-1], s.cut + 1)
    return DocumentView(view.reader, tuple(sections))
