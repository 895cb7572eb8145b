"""The weekly report (周报): drafted from the week's data, in the structure of PRODUCT.md
§4 — key affairs, progress and releases, thinking (the five looks), key figures,
cross-team, near-term focus — and read by each reader in their own order."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from pmweek.domain.calendar import Week, month_of, shift_month
from pmweek.domain.documents.engine import (
    FIGURE_MONTHS,
    Candidate,
    DocumentKind,
    Line,
    arrow,
    change,
    number,
    sparkline,
)
from pmweek.domain.documents.sources import Sources, names_in, values_of
from pmweek.domain.sheets import RISK_FLAGGED, SHEETS
from pmweek.i18n import tr

SECTIONS = ("affairs", "releases", "thinking", "figures", "cross_team", "focus", "added")
LENSES = ("industry", "market", "competitor", "trend", "self")
RELEASE_FIELDS = ("profile", "scenario", "value", "advantages", "playbook", "ops_goal", "waiting")
RELEASES_AHEAD = 28  # days: releases due in the next four weeks are news already
CARRIED_DAYS = 2  # an open item carried this many days or more is a key affair too


@dataclass(frozen=True)
class Affair:
    id: int
    title: str
    day: date
    note: str = ""
    done: bool = True
    days_open: int = 0


@dataclass(frozen=True)
class Figure:
    """One key figure of the month so far: its value, last month's, and twelve months
    for the sparkline (None where a month has no row: missing, never zero)."""

    metric: str
    table: str  # the book it comes from, for --sources
    month: str
    value: float | None
    previous: float | None
    history: tuple[float | None, ...] = ()
    target: float | None = None  # the forecast, for cash


@dataclass(frozen=True)
class PlanItem:
    id: int
    text: str
    owner: str | None = None
    priority: int | None = None
    due: date | None = None


@dataclass(frozen=True)
class WeeklyData:
    week: Week
    today: date
    affairs: tuple[Affair, ...] = ()
    releases: tuple[dict[str, Any], ...] = ()  # values + computed of each release row, with its id
    insights: tuple[dict[str, Any], ...] = ()
    figures: tuple[Figure, ...] = ()
    cross_team: tuple[PlanItem, ...] = ()
    requests: tuple[dict[str, Any], ...] = ()
    focus: tuple[PlanItem, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    risks: tuple[dict[str, Any], ...] = ()  # open risks scoring RISK_FLAGGED or more, with "change" since last week


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def candidates(data: WeeklyData) -> list[Candidate]:
    out: list[Candidate] = []
    for a in data.affairs:
        if a.done:
            out.append(Candidate("affairs", f"task:{a.id}", "done", {"title": a.title, "note": a.note[:300]}))
        elif a.days_open >= CARRIED_DAYS:
            out.append(Candidate("affairs", f"open:{a.id}", "open", {"title": a.title, "days": a.days_open}))
    monday, sunday = data.week.monday, data.week.day(7)
    horizon = data.today + timedelta(days=RELEASES_AHEAD)
    for r in data.releases:
        released, planned = r.get("released"), r.get("planned")
        out_now = released is not None and monday <= released <= sunday
        coming = released is None and planned is not None and planned <= horizon
        slipped = r.get("status") == "slipped" or bool(r.get("days_late"))
        if not (out_now or coming or (slipped and released is None)):
            continue
        facts = {k: _iso(r.get(k)) for k in ("name", "status", "planned", "released", "days_late", *RELEASE_FIELDS)}
        facts["earlier"] = [_iso(d) for d in r.get("earlier_planned", ())]
        facts["deals"] = [[name, _iso(go_live)] for name, go_live in r.get("deals", ())]
        facts["out_now"] = out_now
        out.append(Candidate("releases", f"release:{r['id']}", "release", facts, due=released or planned))
    for lens in LENSES:
        for r in data.insights:
            if r["lens"] == lens:
                out.append(Candidate("thinking", f"insight:{r['id']}", "insight",
                                     {"lens": lens, "text": r["text"], "source": r.get("source")}))
    for f in data.figures:
        out.append(Candidate("figures", f"figure:{f.metric}", "figure", {
            "metric": f.metric, "table": f.table, "month": f.month, "value": f.value, "previous": f.previous,
            "target": f.target, "spark": sparkline(f.history),
        }))
    for p in data.cross_team:
        out.append(Candidate("cross_team", f"plan:{p.id}", "plan", {"text": p.text}, owner=p.owner, due=p.due))
    for r in data.requests:
        out.append(Candidate("cross_team", f"request:{r['id']}", "request", {
            k: _iso(r.get(k)) for k in ("title", "source", "needed_by", "opportunities", "roi", "status")
        }, due=r.get("needed_by")))
    for r in data.risks:  # the risks the team lead and the other teams should see
        out.append(Candidate("cross_team", f"risk:{r['id']}", "risk", {
            k: r.get(k) for k in ("risk", "risk_score", "change", "mitigation")}, owner=r.get("owner")))
    for p in sorted(data.focus, key=lambda p: (p.priority is None, p.priority or 0)):
        out.append(Candidate("focus", f"focus:{p.id}", "plan", {"text": p.text}, owner=p.owner, due=p.due,
                             priority=p.priority))
    return out


def render(line: Line, lang: str, options: dict[str, Any] | None = None) -> str:
    """A line's facts in words, in ``lang``. ``options``: ``release_fields`` (which
    facts of a release a reader gets) and ``sources`` (say where each figure is from)."""
    options = options or {}
    f = line.facts
    if line.kind == "done":
        note = " ".join(str(f.get("note") or "").split())
        return f"{f['title']} — {note}" if note else str(f["title"])
    if line.kind == "open":
        return tr(lang, "weekly.open_item", title=f["title"], days=f["days"])
    if line.kind == "release":
        return _release(f, lang, options.get("release_fields", RELEASE_FIELDS))
    if line.kind == "insight":
        source = tr(lang, "weekly.paren", text=f["source"]) if f.get("source") else ""
        return f"{tr(lang, 'choice.' + f['lens'])}{tr(lang, 'weekly.colon')}{f['text']}{source}"
    if line.kind == "figure":
        return _figure(f, lang, bool(options.get("sources")))
    if line.kind == "request":
        parts = [str(f["title"])]
        if f.get("source"):
            parts.append(tr(lang, "weekly.request_from", source=f["source"]))
        if f.get("needed_by"):
            parts.append(tr(lang, "weekly.needed_by", day=f["needed_by"]))
        if f.get("opportunities"):
            parts.append(tr(lang, "weekly.opportunities", value=f["opportunities"]))
        if f.get("roi"):
            parts.append(tr(lang, "weekly.roi", value=f["roi"]))
        return tr(lang, "weekly.dot").join(parts)
    if line.kind == "plan":
        return str(f.get("text", ""))
    if line.kind == "risk":
        text = tr(lang, "weekly.risk", risk=f["risk"], score=f["risk_score"])
        if f.get("change") is not None:
            text += tr(lang, "weekly.paren", text=tr(lang, "weekly.risk_change", change=arrow(f["change"])))
        if f.get("mitigation"):
            text += tr(lang, "weekly.colon") + " ".join(str(f["mitigation"]).split())
        return text
    return str(f.get("text", ""))  # a line kept from before kinds were recorded


def _release(f: dict[str, Any], lang: str, fields: tuple[str, ...] | list[str]) -> str:
    if f.get("out_now"):
        head = tr(lang, "weekly.release_out", name=f["name"], day=f["released"])
    elif f.get("planned"):
        head = tr(lang, "weekly.release_due", name=f["name"], day=f["planned"])
    else:
        head = str(f["name"])
    if f.get("earlier"):
        head += tr(lang, "weekly.release_was", days=tr(lang, "weekly.comma").join(f["earlier"]))
    if f.get("days_late"):
        head += tr(lang, "weekly.release_late", days=f["days_late"])
    colon, semicolon = tr(lang, "weekly.colon"), tr(lang, "weekly.semicolon")
    details = [f"{tr(lang, 'field.' + k)}{colon}{' '.join(str(f[k]).split())}" for k in fields if f.get(k)]
    if "waiting" in fields and f.get("deals"):  # the DA deals that wait for it, with their go-live
        details.append(tr(lang, "weekly.deals_waiting", deals=tr(lang, "weekly.comma").join(
            tr(lang, "weekly.deal_go_live", name=name, day=day or "—") for name, day in f["deals"])))
    return head + (semicolon + semicolon.join(details) if details else "")


def _figure(f: dict[str, Any], lang: str, sources: bool) -> str:
    label = tr(lang, f"weekly.metric.{f['metric']}")
    if f.get("value") is None:
        text = tr(lang, "weekly.figure_missing", metric=label, month=f["month"])
    else:
        text = f"{label}{tr(lang, 'weekly.colon')}{number(f['value'])}"
        moved = change(f["value"], f.get("previous"))
        if moved:
            text += tr(lang, "weekly.mom", change=moved, previous=number(f["previous"]))
        if f.get("target") is not None:
            rate = f"{f['value'] / f['target'] * 100:.1f}%" if f["target"] else "—"
            text += tr(lang, "weekly.against_forecast", forecast=number(f["target"]), rate=rate)
    if f.get("spark"):
        text += f" {f['spark']}"
    if sources:
        text += tr(lang, "weekly.source", table=tr(lang, f"book.{f['table']}"), month=f["month"])
    return text



def gather(sources: Sources, period: str, today: date) -> WeeklyData:
    """The week's affairs as the checklist holds them, the releases and who waits for
    them, the week's insights, open partner requests, the plan made this week, the
    flagged risks and the month's key figures."""
    week = Week.parse(period)
    end = min(today, week.day(7))
    affairs, seen = [], set()
    for day in sources.week(week, today).days:
        for task in day.tasks:
            if task.dismissed_at is not None or day.date > end or (task.id is not None and task.id in seen):
                continue  # a block item (Tue–Wed) is one affair
            seen.add(task.id)
            days_open = 0 if task.done_at is not None else (end - day.date).days
            affairs.append(Affair(task.id, task.title, day.date, task.note, task.done_at is not None, days_open))
    horizon = today + timedelta(days=RELEASES_AHEAD)
    # Who waits for a release, linked to the open DA deals of the same customer.
    deals = {r.values["customer"].casefold(): r.values for r in
             sources.rows("deals", None, None, today, only={"status": ("open",)})}
    releases = []
    for r in values_of(sources.rows("releases", (week.monday - timedelta(days=180)).isoformat(),
                                    horizon.isoformat(), today)):
        waiting = names_in(r.get("waiting"))
        r["deals"] = [(w, deals[w.casefold()].get("go_live")) for w in waiting if w.casefold() in deals]
        releases.append(r)
    insights = [{"id": r.id, **r.values}
                for r in sources.rows("insights", week.monday.isoformat(), week.day(7).isoformat(), today)]
    open_partner = {"source_kind": ("partner",), "status": ("new", "accepted", "planned")}
    requests = sorted(
        ({"id": r.id, **r.values} for r in sources.rows("requests", None, None, today, only=open_partner)),
        key=lambda r: (r["needed_by"] is None, r["needed_by"] or today),
    )
    plan = sources.plan_made_in(week)  # compiled this week, for the next
    lines = [ln for ln in (plan.lines if plan else ()) if not ln.dropped]
    cross = tuple(PlanItem(ln.id, ln.text, ln.owner, ln.priority, ln.due) for ln in lines
                  if ln.section == "cross_team")
    focus = tuple(PlanItem(ln.id, ln.text, ln.owner, ln.priority, ln.due) for ln in lines
                  if ln.section != "cross_team")
    flagged = [r for r in sources.rows("risks", None, None, today, only={"status": ("open", "watching")})
               if (r.computed.get("risk_score") or 0) >= RISK_FLAGGED]
    before = sources.risk_scores_before([r.id for r in flagged], week.monday)
    risks = tuple({"id": r.id, **r.values, **r.computed,
                   "change": r.computed["risk_score"] - before[r.id] if r.id in before else None}
                  for r in sorted(flagged, key=SHEETS["risks"].order))
    return WeeklyData(week, today, tuple(affairs), tuple(releases), tuple(insights), _figures(sources, today),
                      cross, tuple(requests), focus, risks=risks)


def _figures(sources: Sources, today: date) -> tuple[Figure, ...]:
    """This month so far against last month, with twelve months behind each: from
    the same books as the tables and `export month`."""
    month = month_of(today)
    first = shift_month(month, 1 - FIGURE_MONTHS)
    months = [shift_month(first, i) for i in range(FIGURE_MONTHS)]
    # The same per-month figures as the monthly summary, the charts and goals.
    monthly = sources.monthly(first, month, today)
    tickets = sources.book_rows("tickets", month, month, today)
    deals = sources.book_rows("deals", month, month, today)

    def series(metric: str, table: str, key: str, target: float | None = None) -> Figure:
        values = monthly.get(key, {})
        history = tuple(values.get(m) for m in months)
        return Figure(metric, table, month, values.get(month), values.get(shift_month(month, -1)), history, target)

    figures = [
        series("cash", "revenue", "cash", monthly.get("forecast", {}).get(month)),
        series("users", "revenue", "users"),
        series("instances", "revenue", "instances"),
        series("valuable", "opportunities", "valuable-opportunities"),
        series("churn", "opportunities", "churn"),
        series("conversions", "campaigns", "conversions"),
    ]
    open_tickets = sum(1 for r in tickets if r.get("status") != "done")
    overdue = sum(1 for r in tickets if r.get("overdue"))
    live_soon = sum(1 for r in deals if r.get("days_to_go_live") is not None and r["days_to_go_live"] <= 14)
    figures += [
        Figure("tickets_open", "tickets", month, open_tickets if tickets else None, None),
        Figure("tickets_overdue", "tickets", month, overdue if tickets else None, None),
        Figure("deals_live", "deals", month, live_soon if deals else None, None),
    ]
    return tuple(figures)


KIND = DocumentKind(
    name="weekly",
    command="week",
    period="week",
    sections=SECTIONS,
    gather=gather,
    compile=candidates,
    render=render,
    typed_sections=("added", "figures"),  # under the figures: the PM's analysis
    optional_sections=("added",),
)
