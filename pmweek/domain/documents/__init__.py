"""Every kind of compiled document, declared once: the document screen, `pmweek export
report` and the palette all read this registry. A new kind is one module here that
declares ``KIND`` (its period, sections, gather, compile and words): it is found by
itself, with no list to extend."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import date

from pmweek.domain.documents.engine import DocumentKind
from pmweek.domain.periods import PERIODS


def _declared() -> dict[str, DocumentKind]:
    kinds = []
    for module in pkgutil.iter_modules(__path__):
        kind = getattr(importlib.import_module(f"{__name__}.{module.name}"), "KIND", None)
        if isinstance(kind, DocumentKind):
            kinds.append(kind)
    for what in ("name", "command"):  # two kinds answering to one word: a mistake, said at once
        words = [getattr(kind, what) for kind in kinds if getattr(kind, what)]
        if len(words) != len(set(words)):
            raise ValueError(f"two document kinds share a {what}: {sorted(words)}")
    unknown = sorted(kind.name for kind in kinds if kind.period not in PERIODS)
    if unknown:  # its module declares the period (periods.register) before its KIND
        raise ValueError(f"document kinds over no declared period: {unknown}")
    # Shortest period first (the palette's and the help's order), then by name.
    return {kind.name: kind for kind in sorted(kinds, key=lambda k: (PERIODS[k.period].length, k.name))}


KINDS: dict[str, DocumentKind] = _declared()
# What `pmweek export report WORD` prints, by its word.
REPORTS: dict[str, DocumentKind] = {kind.command: kind for kind in KINDS.values() if kind.command}


def default_period(kind: DocumentKind, today: date) -> str:
    """The period a kind's document opens on today (its period's ``default``): this
    week's report; the month (and its quarter) being closed; the year being planned."""
    return PERIODS[kind.period].default(today)
