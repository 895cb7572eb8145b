"""The Friday plan as a kind of document: compiled during a week for the week after,
from what the week left open and what the tables say is coming (PRODUCT.md §3)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from pmweek.domain.calendar import Week, month_of, shift_month
from pmweek.domain.documents.engine import Candidate, Document, DocumentKind, Line, line_marks, words
from pmweek.domain.documents.sources import Sources
from pmweek.domain.plan import (
    KIND_NAME,
    OPPORTUNITY_MONTHS,
    SECTIONS,
    TYPED_SECTIONS,
    PlanLineView,
    PlanView,
    next_week_range,
)
from pmweek.domain.routine import same_work
from pmweek.domain.sheets import difference, format_value, ratio
from pmweek.domain.workweek import count_workdays_after
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
    colon = tr(lang, "weekly.colon")  # full width in Chinese
    if line.kind == "ticket":
        return f"{f['category']}{colon}{f['plan']}" if f.get("plan") else str(f["category"])
    if line.kind == "deal":
        return " · ".join(str(f[k]) for k in ("customer", "requirement", "progress") if f.get(k))
    if line.kind == "opportunity":
        spend = (tr(lang, "weekly.paren", text=tr(lang, "value.spend", value=format_value(f["spend"])))
                 if f.get("spend") is not None else "")
        return f"{f['customer']}{spend}{colon}{f['reason']}" if f.get("reason") else f"{f['customer']}{spend}"
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


DRAFT_KEY = "thu-plan-draft"  # Thursday's item whose note drafts next week's plan


def gather(sources: Sources, period: str, today: date) -> PlanData:
    """What the week left open and what the tables say is coming next week."""
    week = Week.parse(period)
    unfinished, draft = [], []
    items = sources.open_items(week)
    if items is not None:
        is_workday = sources.workday()
        routine = sources.routine()
        # Undone items of this week and last week's leftovers, but not routine items:
        # they come back by themselves next week.
        for r in items:
            if r["table_name"] == "plan":
                continue  # the plan's own items: the draft's note is a section of its own
            if any(same_work(r["key"], r["title"], i.key, i.title) for i in routine):
                continue
            unfinished.append((r["id"], r["title"], count_workdays_after(r["date"], today, is_workday)))
        note = sources.item_note(week, DRAFT_KEY)
        draft = [text for line in note.splitlines() if (text := line.strip().lstrip("-*•").strip())]
    _, until = next_week_range(today)
    tickets = sources.pending_tickets(("category", "plan", "owner", "due"), until)
    deals = sources.pending_deals(("customer", "requirement", "progress", "go_live"), until)
    since = shift_month(month_of(today), 1 - OPPORTUNITY_MONTHS)
    opportunities = sources.open_opportunities(("customer", "reason", "spend", "month"), since)
    month = month_of(today)
    rows = sources.rows("revenue", month, month, today)
    revenue = {"month": month, "cash": rows[0].values.get("cash") if rows else None,
               "forecast": rows[0].values.get("forecast") if rows else None}
    return PlanData(week, today, tuple(unfinished), tuple(draft), tuple(tickets), tuple(deals),
                    tuple(opportunities), revenue)


def marks(line: Line) -> list[tuple[str, dict[str, str]]]:
    """Unfinished work says how many workdays it has been carried."""
    carried = line.facts.get("carried")
    return [("plan.carried", {"count": str(carried)})] if carried else []


def in_force(calendar: Any, today: date) -> str:
    """The plan in force on ``today`` (its week's work calendar says): the one made last
    week for this one, until the workday carrying Friday's routine, when next week's is."""
    return str(calendar.week(Week.of(today)).plan_week(today))


LINE_KINDS = ("task", "draft", "ticket", "deal", "opportunity", "revenue", "typed")

KIND = DocumentKind(
    name=KIND_NAME,
    period="week",
    sections=SECTIONS,
    gather=gather,
    compile=candidates,
    render=render,
    typed_sections=TYPED_SECTIONS,
    command="plan",
    titled_by=1,
    opens_on=in_force,
    live=True,
    line_fields=("text", "owner", "due", "priority"),
    ticked=True,
    line_keys=("tick", "priority", "cross_team"),
    grouped_by_owner=("tickets",),
    marks=marks,
    dated_kinds=LINE_KINDS,  # any line the PM gave a date: its date, late when passed
    overdue_kinds=LINE_KINDS,
    date_labels={"deal": "plan.go_live"},
)


def plan_view(document: Document, lang: str) -> PlanView:
    """A stored plan as the screens and the exports read it, its lines in words of ``lang``."""
    lines = tuple(
        PlanLineView(
            id=ln.id, section=ln.section, position=ln.position, text=words(KIND, ln, lang),
            source_key=ln.source_key, owner=ln.owner, owner_edited=ln.owner_edited,
            text_edited=ln.text is not None, priority=ln.priority, due=ln.due, carried=ln.facts.get("carried"),
            dropped_at=ln.dropped_at, done_at=ln.done_at, added_at=ln.added_at,
            marks=tuple(line_marks(KIND, ln, None)),
        )
        for ln in document.lines
    )
    return PlanView(Week.parse(document.period), document.compiled_at, document.compile_count, lines)
