"""The weekly report (周报): drafted from the week's data, in the structure of PRODUCT.md
§4 — key affairs, progress and releases, thinking (the five looks), key figures,
cross-team, near-term focus — and read by each reader in their own order."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from pmweek.domain.calendar import Week, month_bounds, month_of, quarter_of, shift_month
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
from pmweek.domain.documents.monthly import digest, goal_facts, goal_words
from pmweek.domain.documents.quarterly import kr_facts
from pmweek.domain.documents.sources import Sources, names_in, values_of
from pmweek.domain.routine import same_work
from pmweek.domain.sheets import RISK_FLAGGED, SHEETS
from pmweek.i18n import tr

# "message": the PM's own key message for the week, which leads every variant.
SECTIONS = ("message", "affairs", "releases", "thinking", "feedback", "figures", "okrs", "cross_team", "focus",
            "added")
LENSES = ("industry", "market", "competitor", "trend", "self")
RELEASE_FIELDS = ("profile", "scenario", "value", "advantages", "playbook", "ops_goal", "waiting")
RELEASES_AHEAD = 28  # days: releases due in the next four weeks are news already
CARRIED_DAYS = 2  # an open item carried this many days or more is open work (the PM's and the TL's)
# The key figures a reader may be given (readers declare theirs, in their order).
METRICS = ("cash", "users", "instances", "valuable", "churn", "conversions", "conversion_rate", "tickets_open",
           "tickets_overdue", "deals_live", "partners", "partner_revenue", "reach", "major_events", "doc_coverage",
           "doc_global_coverage", "doc_first_resolution")
RATES = ("conversion_rate", "doc_coverage", "doc_global_coverage", "doc_first_resolution")  # moves in points
# Every kind of line the weekly report holds: what a reader may leave out.
LINE_KINDS = ("note", "work", "record", "plan_done", "open", "done", "release", "insight", "so_far", "figure", "goal",
              "objective", "kr", "plan", "request", "risk", "focus_group", "feedback")
# A goal's metric (domain.goals) -> the key figure it sets a target for: who gets the one gets the other.
GOAL_FIGURES = {"cash": "cash", "users": "users", "instances": "instances", "valuable-opportunities": "valuable",
                "churn": "churn", "conversions": "conversions", "conversion-rate": "conversion_rate",
                "tickets-overdue": "tickets_overdue", "deals-live": "deals_live"}
AFFAIR_RECORDS = 6  # records of one kind this week named one by one; more are one line


@dataclass(frozen=True)
class Affair:
    id: int
    title: str
    day: date
    note: str = ""
    done: bool = True
    days_open: int = 0
    one_off: bool = False  # work that came up, not the routine's


@dataclass(frozen=True)
class Figure:
    """One key figure of the month so far: its value, last month's, and twelve months
    for the sparkline (None where a month has no row: missing, never zero), and why it
    moved when the data says (the revenue row's explanation and action, a figure's note)."""

    metric: str
    table: str  # the book it comes from, for --sources
    month: str
    value: float | None
    previous: float | None
    history: tuple[float | None, ...] = ()
    target: float | None = None  # the forecast, for cash
    why: str | None = None
    action: str | None = None


@dataclass(frozen=True)
class Record:
    """A record entered or changed this week that is news: a valuable opportunity, a
    churned customer, a deal gone live, a ticket action closed."""

    sheet: str
    id: int
    what: str  # new | churn | live | closed
    name: str
    detail: str = ""
    weight: float = 0  # the largest first (an opportunity's spend)


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
    records: tuple[Record, ...] = ()
    plan_done: tuple[PlanItem, ...] = ()  # lines of the plan in force ticked done
    so_far: tuple[int, int] | None = None  # (workdays gone, workdays) of a month not over
    focus_groups: tuple[dict[str, Any], ...] = ()  # repeated plan lines, one line each
    goals: tuple[Any, ...] = ()  # this month's and quarter's goals (not key results), with why
    objectives: tuple[Any, ...] = ()  # the quarter's objectives with their key results' progress
    feedback: tuple[dict[str, Any], ...] = ()  # where customers speak: this month's ticket topics, their requests


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def candidates(data: WeeklyData) -> list[Candidate]:
    """The week's lines, each section in the order that matters most: what happened
    (records, then the PM's notes, then plan lines done — never a routine title with
    nothing to say), releases out before slipped before coming, figures with their why."""
    out: list[Candidate] = []
    out += _record_affairs(data.records)
    for a in data.affairs:
        first = next((ln.strip().lstrip("-*•·").strip() for ln in a.note.splitlines() if ln.strip()), "")
        if first:  # the PM's note is the affair; a routine title alone is not news
            out.append(Candidate("affairs", f"task:{a.id}", "note", {"title": a.title, "note": first[:300]}))
        elif a.done and a.one_off:  # one-off work done is news by itself
            out.append(Candidate("affairs", f"task:{a.id}", "work", {"title": a.title}))
    for p in data.plan_done:
        out.append(Candidate("affairs", f"done:{p.id}", "plan_done", {"text": p.text}, owner=p.owner))
    for a in data.affairs:
        if not a.done and a.days_open >= CARRIED_DAYS:
            out.append(Candidate("affairs", f"open:{a.id}", "open", {"title": a.title, "days": a.days_open}))
    monday, sunday = data.week.monday, data.week.day(7)
    horizon = data.today + timedelta(days=RELEASES_AHEAD)
    releases = []
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
        rank = (0 if out_now else 1 if slipped else 2, released or planned or data.today)
        releases.append((rank, Candidate("releases", f"release:{r['id']}", "release", facts, due=released or planned)))
    out += [c for _, c in sorted(releases, key=lambda rc: rc[0])]
    for lens in LENSES:
        for r in data.insights:
            if r["lens"] == lens:
                out.append(Candidate("thinking", f"insight:{r['id']}", "insight",
                                     {"lens": lens, "text": r["text"], "source": r.get("source")}))
    if data.so_far is not None:  # the month is not over: its figures are so far, said once
        out.append(Candidate("figures", "so_far", "so_far", {"month": month_of(data.today), "gone": data.so_far[0],
                                                              "workdays": data.so_far[1]}))
    for g in data.goals:  # a target, met or missed or so far, and why
        out.append(Candidate("figures", f"goal:{g.id}", "goal",
                             {**goal_facts(g), "figure": GOAL_FIGURES.get(g.metric)}, owner=g.owner))
    for o in data.objectives:
        out.append(Candidate("okrs", f"objective:{o.id if o.id is not None else digest(o.text)}", "objective",
                             {"text": o.text, "axis": o.axis, "progress": o.progress, "depth": 0}, owner=o.owner))
        for kr in o.krs:
            out.append(Candidate("okrs", f"kr:{kr.goal.id}", "kr", kr_facts(kr, 1), owner=kr.goal.owner))
    for f in data.figures:
        if f.value is None and f.metric not in CORE_METRICS:
            continue  # a reader's own KPI nobody records: not a line of "no figure" every week
        out.append(Candidate("figures", f"figure:{f.metric}", "figure", {
            "metric": f.metric, "table": f.table, "month": f.month, "value": f.value, "previous": f.previous,
            "target": f.target, "spark": sparkline(f.history), "why": f.why, "action": f.action,
        }))
    for f in data.feedback:  # what customers said, the most asked first
        out.append(Candidate("feedback", f"{f['from']}:{f['id']}", "feedback",
                             {k: _iso(f.get(k)) for k in ("from", "topic", "count", "plan", "source")}))
    for p in data.cross_team:
        out.append(Candidate("cross_team", f"plan:{p.id}", "plan", {"text": p.text}, owner=p.owner, due=p.due))
    asked: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in data.requests:  # the same request of one partner, asked again, is one line
        key = (" ".join(str(r.get("title", "")).casefold().split()), str(r.get("source") or "").casefold())
        asked.setdefault(key, []).append(r)
    for group in asked.values():
        r = group[0]  # the soonest needed (requests come by date)
        facts = {k: _iso(r.get(k)) for k in ("title", "source", "needed_by", "opportunities", "roi", "status")}
        facts["count"] = len(group)
        out.append(Candidate("cross_team", f"request:{r['id']}", "request", facts, due=r.get("needed_by")))
    for r in data.risks:  # the risks the team lead and the other teams should see
        out.append(Candidate("cross_team", f"risk:{r['id']}", "risk", {
            k: r.get(k) for k in ("risk", "risk_score", "change", "mitigation")}, owner=r.get("owner")))
    for p in sorted(data.focus, key=lambda p: (p.priority is None, p.priority or 0)):
        out.append(Candidate("focus", f"focus:{p.id}", "plan", {"text": p.text}, owner=p.owner, due=p.due,
                             priority=p.priority))
    for g in data.focus_groups:  # what repeats is one line: tickets by owner, opportunities together
        out.append(Candidate("focus", f"group:{g['section']}:{digest(g.get('owner') or '')}", "focus_group",
                             {k: v for k, v in g.items() if k != "due"},
                             owner=g.get("owner"), due=g.get("due")))
    return out


CORE_METRICS = ("cash", "users", "instances", "valuable", "churn", "conversions", "conversion_rate",
                "tickets_open", "tickets_overdue", "deals_live")


def _record_affairs(records: tuple[Record, ...]) -> list[Candidate]:
    """A few records of a kind are named one by one; more are one line with a count, the
    largest named (ten churned customers are one line of reasons)."""
    out: list[Candidate] = []
    kinds: dict[str, list[Record]] = {}
    for r in records:
        kinds.setdefault(r.what, []).append(r)
    for what in ("live", "new", "closed", "churn"):
        group = sorted(kinds.get(what, ()), key=lambda r: -r.weight)
        if what == "churn" and len(group) > 2 or len(group) > AFFAIR_RECORDS:
            reasons: dict[str, int] = {}
            for r in group:
                reasons[r.detail or "—"] = reasons.get(r.detail or "—", 0) + 1
            out.append(Candidate("affairs", f"records:{what}", "record", {
                "what": what, "count": len(group), "names": [r.name for r in group[:3]],
                "reasons": [list(kv) for kv in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0]))[:3]]}))
            continue
        for r in group:
            out.append(Candidate("affairs", f"record:{r.sheet}:{r.id}", "record",
                                 {"what": what, "count": 1, "names": [r.name], "detail": r.detail}))
    return out


def render(line: Line, lang: str, options: dict[str, Any] | None = None) -> str:
    """A line's facts in words, in ``lang``. ``options``: ``release_fields`` (which
    facts of a release a reader gets) and ``sources`` (say where each figure is from)."""
    options = options or {}
    f = line.facts
    if line.kind == "done":  # a line kept from an earlier compile
        note = " ".join(str(f.get("note") or "").split())
        return f"{f['title']} — {note}" if note else str(f["title"])
    if line.kind == "note":
        return tr(lang, "weekly.note_affair", title=f["title"], note=" ".join(str(f["note"]).split()))
    if line.kind == "record":
        return _record(f, lang)
    if line.kind == "work":
        return tr(lang, "weekly.work_done", title=f["title"])
    if line.kind == "plan_done":
        return tr(lang, "weekly.plan_done", text=f["text"])
    if line.kind == "goal":
        return goal_words(f, lang)
    if line.kind in ("objective", "kr"):
        from pmweek.domain.documents.quarterly import render as okr_words  # the quarter's own words

        return okr_words(line, lang, options)
    if line.kind == "so_far":
        return tr(lang, "weekly.so_far", month=f["month"], gone=f["gone"], workdays=f["workdays"])
    if line.kind == "focus_group":
        comma = tr(lang, "weekly.comma")
        return tr(lang, f"weekly.focus_group.{f['section']}", owner=f.get("owner") or "—", count=f["count"],
                  due=f.get("first_due") or "—", names=comma.join(f.get("names", ())))
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
        parts = [str(f["title"]) + (tr(lang, "weekly.times", count=f["count"]) if f.get("count", 1) > 1 else "")]
        if f.get("source"):
            parts.append(tr(lang, "weekly.request_from", source=f["source"]))
        if f.get("needed_by"):
            parts.append(tr(lang, "weekly.needed_by", day=f["needed_by"]))
        if f.get("opportunities"):
            parts.append(tr(lang, "weekly.opportunities", value=f["opportunities"]))
        if f.get("roi"):
            parts.append(tr(lang, "weekly.roi", value=f["roi"]))
        return tr(lang, "weekly.dot").join(parts)
    if line.kind == "feedback":
        if f["from"] == "ticket":
            text = tr(lang, "weekly.feedback.ticket", topic=f["topic"], count=f.get("count") or 0)
        else:
            text = tr(lang, "weekly.feedback.request", topic=f["topic"], source=f.get("source") or "—")
        return text + (tr(lang, "weekly.feedback.plan", plan=" ".join(str(f["plan"]).split())) if f.get("plan") else "")
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


def _record(f: dict[str, Any], lang: str) -> str:
    comma = tr(lang, "weekly.comma")
    names = comma.join(f.get("names", ()))
    if f.get("count", 1) == 1:
        detail = " ".join(str(f.get("detail") or "").split())
        return tr(lang, f"weekly.record.{f['what']}", name=names) + (tr(lang, "weekly.detail", text=detail) if detail else "")
    reasons = comma.join(tr(lang, "weekly.reason_count", reason=r, count=n) for r, n in f.get("reasons", ()))
    return tr(lang, f"weekly.records.{f['what']}", count=f["count"], names=names, reasons=reasons)


def _figure(f: dict[str, Any], lang: str, sources: bool) -> str:
    label = tr(lang, f"weekly.metric.{f['metric']}")
    rate = f["metric"] in RATES  # a percentage: it moves in points
    if f.get("value") is None:
        text = tr(lang, "weekly.figure_missing", metric=label, month=f["month"])
    else:
        shown = f"{f['value']:.1f}%" if rate else number(f["value"])
        text = f"{label}{tr(lang, 'weekly.colon')}{shown}"
        if rate and f.get("previous") is not None:
            text += tr(lang, "weekly.mom_points", change=f"{f['value'] - f['previous']:+.1f}",
                       previous=f"{f['previous']:.1f}%")
        elif (moved := change(f["value"], f.get("previous"))) is not None:
            text += tr(lang, "weekly.mom", change=moved, previous=number(f["previous"]))
        if f.get("target") is not None:
            reached = f"{f['value'] / f['target'] * 100:.1f}%" if f["target"] else "—"
            text += tr(lang, "weekly.against_forecast", forecast=number(f["target"]), rate=reached)
    if f.get("why"):  # what the data says moved it
        text += tr(lang, "weekly.why", text=" ".join(str(f["why"]).split()))
    if f.get("action"):
        text += tr(lang, "weekly.action", text=" ".join(str(f["action"]).split()))
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
    routine = sources.routine()
    for day in sources.week(week, today).days:
        for task in day.tasks:
            if task.dismissed_at is not None or day.date > end or (task.id is not None and task.id in seen):
                continue  # a block item (Tue–Wed) is one affair
            seen.add(task.id)
            days_open = 0 if task.done_at is not None else (end - day.date).days
            one_off = not any(same_work(task.key, task.title, i.key, i.title) for i in routine)
            affairs.append(Affair(task.id, task.title, day.date, task.note, task.done_at is not None, days_open,
                                  one_off))
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
                  if ln.section not in ("cross_team", *GROUPED))
    groups = _focus_groups([ln for ln in lines if ln.section in GROUPED])
    in_force = sources.plan_for(week)  # made last week for this one: what of it got done
    plan_done = tuple(PlanItem(ln.id, ln.text, ln.owner, ln.priority, ln.due)
                      for ln in (in_force.lines if in_force else ()) if not ln.dropped and ln.done_at is not None)
    flagged = [r for r in sources.rows("risks", None, None, today, only={"status": ("open", "watching")})
               if (r.computed.get("risk_score") or 0) >= RISK_FLAGGED]
    before = sources.risk_scores_before([r.id for r in flagged], week.monday)
    risks = tuple({"id": r.id, **r.values, **r.computed,
                   "change": r.computed["risk_score"] - before[r.id] if r.id in before else None}
                  for r in sorted(flagged, key=SHEETS["risks"].order))
    quarter = quarter_of(month_of(today))
    tickets = sources.book_rows("tickets", month_of(today), month_of(today), today)
    feedback = _feedback(sources, tickets, today)
    # Twelve months of figures, read once: the key figures, and the goals and key results
    # of this month and quarter measured against them.
    months = [shift_month(month_of(today), i - FIGURE_MONTHS + 1) for i in range(FIGURE_MONTHS)]
    monthly = sources.monthly(months[0], months[-1], today)
    goals = tuple(g for g in sources.goals((month_of(today), quarter), today, monthly) if not g.objective)
    return WeeklyData(week, today, tuple(affairs), tuple(releases), tuple(insights),
                      _figures(sources, today, monthly, tickets),
                      cross, tuple(requests), focus, risks=risks, records=_records(sources, week),
                      plan_done=plan_done, so_far=_so_far(sources, today), focus_groups=groups, goals=goals,
                      objectives=tuple(o for o in sources.objectives(quarter, today, monthly, tasks=False) if o.krs),
                      feedback=feedback)


GROUPED = ("tickets", "opportunities")  # plan sections whose lines repeat: one focus line per owner / in all


def _focus_groups(lines: list[Any]) -> tuple[dict[str, Any], ...]:
    """Ticket actions due next week, one line per owner with the first due date; the
    valuable opportunities to follow, one line naming the first three."""
    out: list[dict[str, Any]] = []
    owners: dict[str, list[Any]] = {}
    for ln in (ln for ln in lines if ln.section == "tickets"):
        owners.setdefault(ln.owner or "", []).append(ln)
    for owner, group in sorted(owners.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        dues = sorted(ln.due for ln in group if ln.due)
        out.append({"section": "tickets", "owner": owner or None, "count": len(group),
                    "first_due": dues[0].isoformat() if dues else None, "due": dues[0] if dues else None})
    opportunities = [ln for ln in lines if ln.section == "opportunities"]
    if opportunities:
        out.append({"section": "opportunities", "count": len(opportunities),
                    "names": [ln.text for ln in opportunities[:3]]})
    return tuple(out)


def _records(sources: Sources, week: Week) -> tuple[Record, ...]:
    """The records entered or changed this week that are news."""
    first = datetime.combine(week.monday, time()).astimezone(timezone.utc).replace(tzinfo=None)
    last = first + timedelta(days=7)
    out: list[Record] = []
    for r in sources.touched("opportunities", ("customer", "spend", "reason", "status"), first, last):
        if r["created"]:
            out.append(Record("opportunities", r["id"], "new", r["customer"], r.get("reason") or "",
                              float(r.get("spend") or 0)))
    for r in sources.touched("churn", ("customer", "churn_reason"), first, last):
        if r["created"]:
            out.append(Record("churn", r["id"], "churn", r["customer"], r.get("churn_reason") or ""))
    for r in sources.touched("deals", ("customer", "status", "go_live", "requirement"), first, last):
        if r.get("status") == "live":
            out.append(Record("deals", r["id"], "live", r["customer"], r.get("requirement") or ""))
    for r in sources.touched("tickets", ("category", "status", "plan", "owner"), first, last):
        if r.get("status") == "done":
            out.append(Record("tickets", r["id"], "closed", r["category"], r.get("plan") or ""))
    return tuple(out)


FEEDBACK = 30  # customers' open requests read for a week (a month's ticket topics are all read)


def _feedback(sources: Sources, tickets: list[dict[str, Any]], today: date) -> tuple[dict[str, Any], ...]:
    """Where customers speak: this month's ticket topics by how many tickets, and the
    open requests customers, tickets and deals asked for. Each reader is given what
    is about their area (a partner product: its own words)."""
    topics: dict[str, dict[str, Any]] = {}
    for r in tickets:  # a topic filed twice (two actions) is one line, its tickets counted once each
        key = " ".join(str(r.get("category") or "").casefold().split())
        if key and key not in topics:
            topics[key] = {"from": "ticket", "id": digest(key), "topic": r["category"], "count": 0, "plan": r.get("plan")}
        if key:
            topics[key]["count"] += int(r.get("count") or 0)
    ranked = sorted(topics.values(), key=lambda t: -t["count"])  # each reader's view cuts to its budget
    asked = {"source_kind": ("customer", "ticket", "deal"), "status": ("new", "accepted", "planned")}
    requests = [{"from": "request", "id": r.id, "topic": r.values["title"], "source": r.values.get("source")}
                for r in sources.rows("requests", None, None, today, only=asked)][:FEEDBACK]
    return tuple(ranked + requests)


def _so_far(sources: Sources, today: date) -> tuple[int, int] | None:
    """(workdays gone, workdays) of today's month, when it is not over: its figures
    are the month so far and say so."""
    first, last = month_bounds(month_of(today))
    if today >= last:
        return None
    workday = sources.workday()
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    worked = [d for d in days if workday(d)]
    return sum(1 for d in worked if d <= today), len(worked)


def _figures(sources: Sources, today: date, monthly: Any, tickets: list[dict[str, Any]]) -> tuple[Figure, ...]:
    """This month so far against last month, with twelve months behind each: from
    the same books as the tables and `export month` (``monthly``: the same per-month
    figures as the monthly summary, the charts and goals, over those twelve months)."""
    month = month_of(today)
    first = shift_month(month, 1 - FIGURE_MONTHS)
    months = [shift_month(first, i) for i in range(FIGURE_MONTHS)]
    deals = sources.book_rows("deals", month, month, today)

    def series(metric: str, table: str, key: str, target: float | None = None) -> Figure:
        values = monthly.get(key, {})
        history = tuple(values.get(m) for m in months)
        return Figure(metric, table, month, values.get(month), values.get(shift_month(month, -1)), history, target)

    revenue = next(iter(sources.book_rows("revenue", month, month, today)), {})
    cash = series("cash", "revenue", "cash", monthly.get("forecast", {}).get(month))
    rate = monthly.get("conversion-rate", {})
    figures = [
        Figure(**{**cash.__dict__, "why": revenue.get("change_note"), "action": revenue.get("actions")}),
        series("users", "revenue", "users"),
        series("instances", "revenue", "instances"),
        series("valuable", "opportunities", "valuable-opportunities"),
        series("churn", "opportunities", "churn"),
        series("conversions", "campaigns", "conversions"),
        Figure("conversion_rate", "campaigns", month, _percent(rate.get(month)),
               _percent(rate.get(shift_month(month, -1))), tuple(_percent(rate.get(m)) for m in months)),
    ]
    # The readers' own KPIs, recorded monthly (partners, reach, doc coverage…), with why.
    kept: dict[str, dict[str, dict[str, Any]]] = {}
    for r in sources.rows("reader_figures", first, month, today):
        if len(r.values["period"]) == 7:  # a month's figure; a quarter's or a year's is not monthly
            kept.setdefault(r.values["measure"], {})[r.values["period"]] = r.values
    for measure, by_month in kept.items():
        now, before = by_month.get(month, {}), by_month.get(shift_month(month, -1), {})
        figures.append(Figure(measure, "reader_figures", month, now.get("measure_value"), before.get("measure_value"),
                              tuple(by_month.get(m, {}).get("measure_value") for m in months),
                              why=now.get("measure_note")))
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
    # The PM adds a line where it belongs (the key message, analysis under the figures…).
    typed_sections=("added", "message", "affairs", "releases", "thinking", "figures", "cross_team", "focus"),
    optional_sections=("message", "okrs", "added"),
    lead_sections=("message",),
    tail_sections=("added",),
    budgeted=True,
)


def _percent(ratio: float | None) -> float | None:
    return None if ratio is None else ratio * 100
