"""The weekly report's readers (PRODUCT.md §4a), declared as data: shipped as
data/audiences.<lang>.toml, replaced by the user's own copy when there is one.

A reader says what serves their KPIs — the figures they get, in their order; the
sections, in theirs; the facts of a release they use — and what they must not get: the
kinds of line left out (the PM's own open work, by default), and whose partner requests
(their own only, for a partner product). Partner products are readers one by one, made
from the ``partners`` declaration for each source the requests name."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from pmweek.domain.documents.weekly import LINE_KINDS, METRICS, RELEASE_FIELDS, SECTIONS
from pmweek.domain.shipped import shipped
from pmweek.domain.text import check_text

BUDGET = 40  # non-blank Markdown lines of one reader's variant
FULL_BUDGET = 90  # of the full report
REQUESTS = ("all", "own", "none")
PARTNERS = "partners"  # the declaration each partner product's reader is made from


@dataclass(frozen=True)
class Reader:
    key: str
    name: str
    kpis: tuple[str, ...]
    sections: tuple[str, ...]
    release_fields: tuple[str, ...]
    figures: tuple[str, ...] = METRICS  # the figures they get, in their order
    leave_out: tuple[str, ...] = ("open",)  # kinds of line they must not get
    requests: str = "all"  # partner requests: all, their own ("own": source == partner), none
    partner: str | None = None  # the request source a partner product's reader is
    budget: int = BUDGET
    limits: dict[str, int] = field(default_factory=dict)  # lines a section shows at most
    area: tuple[str, ...] = ()  # a partner product's words: the customer feedback about it is theirs
    areas: dict[str, tuple[str, ...]] = field(default_factory=dict)  # on "partners": each product's words


def parse_readers(data: bytes) -> dict[str, Reader]:
    """Readers by key; ValueError naming what is wrong."""
    doc = tomllib.loads(data.decode("utf-8"))
    readers: dict[str, Reader] = {}
    for raw in doc.get("reader", []):
        key = str(raw.get("key", "")).strip()
        if not key or key in readers or not key.isascii() or not key.replace("-", "").isalnum():
            raise ValueError(f"reader key {key!r}")
        sections = tuple(raw.get("sections", SECTIONS))
        fields = tuple(raw.get("release_fields", RELEASE_FIELDS))
        figures = tuple(raw.get("figures", METRICS))
        leave_out = tuple(raw.get("leave_out", ("open",)))
        requests = str(raw.get("requests", "all"))
        limits = {str(k): int(v) for k, v in dict(raw.get("limits", {})).items()}
        unknown = ([s for s in (*sections, *limits) if s not in SECTIONS]
                   + [f for f in fields if f not in RELEASE_FIELDS] + [m for m in figures if m not in METRICS]
                   + [k for k in leave_out if k not in LINE_KINDS] + ([requests] if requests not in REQUESTS else []))
        if unknown:
            raise ValueError(f"{key}: unknown {', '.join(unknown)}")
        budget = int(raw.get("budget", BUDGET))
        if budget < 10 or any(v < 0 for v in limits.values()):
            raise ValueError(f"{key}: a budget of at least 10 lines, limits of 0 or more")
        name = check_text(str(raw.get("name", key)), "field.name", limit=200)
        kpis = tuple(check_text(str(k), "field.name", limit=200) for k in raw.get("kpis", ()))
        areas = {str(k).casefold(): _words(key, v) for k, v in dict(raw.get("areas", {})).items()}
        readers[key] = Reader(key, name, kpis, sections, fields, figures, leave_out, requests, None, budget, limits,
                              areas=areas)
    return readers


def _words(key: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
        raise ValueError(f"{key}: areas are lists of words")
    return tuple(check_text(w.strip(), "field.name", limit=100) for w in value)


def shipped_readers(lang: str) -> dict[str, Reader]:
    found = shipped(f"audiences.{lang}.toml")  # English where a language ships none
    return parse_readers((found if found.is_file() else shipped("audiences.en.toml")).read_bytes())


def with_partners(readers: dict[str, Reader], sources: Iterable[str]) -> dict[str, Reader]:
    """The declared readers, and one reader per partner product the requests name
    (`--for dts`), made from the ``partners`` declaration: each gets its own requests
    only. A source that is a declared reader's key already is not made again."""
    template = readers.get(PARTNERS)
    out = dict(readers)
    if template is None:
        return out
    for source in sorted({" ".join(s.split()) for s in sources if s and s.strip()}, key=str.casefold):
        key = source.casefold()
        if key in {k.casefold() for k in out}:
            continue
        # Its source first: the title shows which partner product it is, even when cut.
        out[key] = replace(template, key=key, name=f"{source} · {template.name}", requests="own", partner=source,
                           area=(source, *template.areas.get(key, ())), areas={})
    return out


def find_reader(readers: dict[str, Reader], key: str) -> Reader | None:
    """A reader by its key, in any case (`--for DTS` is dts)."""
    wanted = key.strip().casefold()
    return next((r for k, r in readers.items() if k.casefold() == wanted), None)
