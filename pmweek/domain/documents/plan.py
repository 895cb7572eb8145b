"""The Friday plan as a kind of document: compiled during a week for the week after,
from what the week left open and what the tables say is coming (PRODUCT.md §3)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from pmweek.domain.calendar import Week
from pmweek.domain.documents.engine import Candidate, Document, DocumentKind, Line, words
from pmweek.domain.plan import KIND_NAME, SECTIONS, TYPED_SECTIONS, PlanLineView, PlanView
from pmweek.domain.sheets import difference, format_value, ratio
from pmweek.i18n import tr


@dataclass(frozen=True)
class PlanData:
    week: Week  # the week it is compiled in
    today: date
    unfinished: tuple[tuple[int, str, int], ...] = ()  # task id, title, workdays carried
    draft: tuple[str, ...] = ()  # lines of Thursday's draft note
    tickets: tuple[dict[str, Any], ...] = ()
    deals: tuple[dict[str, Any], ...] = ()
    opportunities: tuple[dict[str, Any], ...] = ()
    revenue: dict[str, Any] | None = None  # month, cash, forecast


def candidates(data: PlanData) -> list[Candidate]:
    out = [Candidate("unfinished", f"task:{task_id}", "task", {"title": title, "carried": carried})
           for task_id, title, carried in data.unfinished]
    for text in data.draft:
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
        out.append(Candidate("draft", f"draft:{digest}", "draft", {"text": text}))
    for r in data.tickets:
        out.append(Candidate("tickets", f"ticket:{r['id']}", "ticket",
                             {"category": r["category"], "plan": r.get("plan")}, owner=r.get("owner"), due=r.get("due")))
    for r in data.deals:
        out.append(Candidate("deals", f"deal:{r['id']}", "deal",
                             {k: r.get(k) for k in ("customer", "requirement", "progress")}, due=r.get("go_live")))
    for r in data.opportunities:
        out.append(Candidate("opportunities", f"opp:{r['id']}", "opportunity",
                             {k: r.get(k) for k in ("customer", "spend", "reason")}))
    if data.revenue is not None:
        out.append(Candidate("revenue", f"revenue:{data.revenue['month']}", "revenue", dict(data.revenue)))
    return out


def render(line: Line, lang: str, options: dict[str, Any] | None = None) -> str:
    f = line.facts
    if line.kind == "task":
        return str(f["title"])
    if line.kind == "ticket":
        return f"{f['category']}: {f['plan']}" if f.get("plan") else str(f["category"])
    if line.kind == "deal":
        return " · ".join(str(f[k]) for k in ("customer", "requirement", "progress") if f.get(k))
    if line.kind == "opportunity":
        spend = (f" ({tr(lang, 'value.spend', value=format_value(f['spend']))})"
                 if f.get("spend") is not None else "")
        return f"{f['customer']}{spend}: {f['reason']}"
    if line.kind == "revenue":
        month, cash, forecast = f["month"], f.get("cash"), f.get("forecast")
        if cash is None:
            return tr(lang, "plan.revenue_missing", month=month)
        if forecast is None:
            return tr(lang, "plan.revenue_no_forecast", month=month, cash=format_value(cash))
        gap = difference(cash, forecast)
        return tr(lang, "plan.revenue_line", month=month, cash=format_value(cash), forecast=format_value(forecast),
                  rate=f"{ratio(cash, forecast) * 100:.1f}%" if forecast else "—",
                  gap=("+" if gap > 0 else "") + format_value(round(gap, 2)))
    return str(f.get("text", ""))  # the draft's lines; a line kept from before kinds were recorded


KIND = DocumentKind(
    name=KIND_NAME,
    period="week",
    sections=SECTIONS,
    compile=candidates,
    render=render,
    typed_sections=TYPED_SECTIONS,
)


def plan_view(document: Document, lang: str) -> PlanView:
    """A stored plan as the screens and the exports read it, its lines in words of ``lang``."""
    lines = tuple(
        PlanLineView(
            id=ln.id, section=ln.section, position=ln.position, text=words(KIND, ln, lang),
            source_key=ln.source_key, owner=ln.owner, owner_edited=ln.owner_edited,
            text_edited=ln.text is not None, priority=ln.priority, due=ln.due, carried=ln.facts.get("carried"),
            dropped_at=ln.dropped_at, done_at=ln.done_at, added_at=ln.added_at,
        )
        for ln in document.lines
    )
    return PlanView(Week.parse(document.period), document.compiled_at, document.compile_count, lines)
