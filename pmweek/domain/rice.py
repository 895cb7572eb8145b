"""RICE: how the requirement pool is ranked.

Score = reach × impact × confidence ÷ effort; the weighted score multiplies it by the
request's strategic weight (1 when none is given). Impact and confidence come only from
their scales; a request missing a figure is unscored, never given a made-up score.
A score depends on its own request alone, so a change to one never moves another's."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

IMPACTS = {"massive": 3.0, "high": 2.0, "medium": 1.0, "low": 0.5, "minimal": 0.25}
CONFIDENCES = (1.0, 0.8, 0.5)
INPUTS = ("reach", "impact", "confidence", "effort", "weight")


def parse_impact(text: str) -> float:
    """3, 2, 1, 0.5 or 0.25, or the scale's word (massive … minimal); ValueError otherwise."""
    typed = text.strip().lower()
    if typed in IMPACTS:
        return IMPACTS[typed]
    value = float(typed)
    if value not in IMPACTS.values():
        raise ValueError(text)
    return value


def parse_confidence(text: str) -> float:
    """100 %, 80 % or 50 %, typed as ``80``, ``80%`` or ``0.8`` (full-width ``８０％`` as a
    Chinese input method types it, too); ValueError otherwise."""
    plain = unicodedata.normalize("NFKC", text).strip()
    value = float(plain.rstrip("%").strip())
    value = value / 100 if value > 1 or plain.endswith("%") else value
    if value not in CONFIDENCES:
        raise ValueError(text)
    return value


def rice(values: Mapping[str, Any]) -> tuple[float | None, float | None]:
    """(score, weighted score), or (None, None) while a figure is missing."""
    reach, impact, confidence, effort = (values.get(k) for k in ("reach", "impact", "confidence", "effort"))
    if reach is None or impact is None or confidence is None or not effort:
        return None, None
    score = reach * impact * confidence / effort
    weight = values.get("weight")
    return score, score * (1.0 if weight is None else weight)


def rank_key(title: str, weighted: float | None, row_id: int) -> tuple:
    """The pool's order: scored first, highest weighted score first, ties by title, then
    by id, so the order is total and the same every time."""
    return (weighted is None, -(weighted or 0.0), " ".join(title.casefold().split()), row_id)


class Ranked(NamedTuple):  # a tuple: thousands are made for every look at the pool
    """A request's place in a ranking, with the inputs that gave it."""

    id: int
    title: str
    position: int  # 1 = the top
    inputs: tuple[Any, ...]  # the values of INPUTS, in that order
    weighted: float | None


class Movement(NamedTuple):  # a tuple: one per request of a pool of thousands
    id: int
    title: str
    state: str  # new | up | down | same | gone
    by: int = 0  # places moved
    moved: tuple[tuple[str, Any, Any], ...] = ()  # (input, before, now) that changed


def movements(before: Sequence[Ranked], now: Sequence[Ranked]) -> list[Movement]:
    """How each request moved since an earlier ranking, and which of its inputs changed;
    requests that left the pool are listed as gone."""
    earlier = {r.id: r for r in before}
    out = []
    for r in now:
        old = earlier.get(r.id)
        if old is None:
            out.append(Movement(r.id, r.title, "new"))
            continue
        by = old.position - r.position
        changed = () if old.inputs == r.inputs else tuple(
            (k, a, b) for k, a, b in zip(INPUTS, old.inputs, r.inputs, strict=True) if a != b)
        out.append(Movement(r.id, r.title, "up" if by > 0 else "down" if by < 0 else "same", abs(by), changed))
    current = {r.id for r in now}
    out += [Movement(r.id, r.title, "gone") for r in before if r.id not in current]
    return out

