"""The monthly summary (月度总结), in the order of PRODUCT.md §4: goals, data and
analysis, achievements, problems, next month, user feedback, market, product
performance, team collaboration. Drafted from what the PM typed once — goals, the
tables, the weeks' notes, releases, insights, requests and plans — then edited by hand."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from pmweek.domain.calendar import month_bounds, month_weeks, shift_month, weeks_touching
from pmweek.domain.documents.engine import (
    FIGURE_MONTHS,
    Candidate,
    DocumentKind,
    Line,
    change,
    number,
    sparkline,
)
from pmweek.domain.documents.sources import Sources, values_of
from pmweek.domain.goals import METRICS, GoalResult, next_periods, period_months, periods_of_month
from pmweek.i18n import tr

SECTIONS = ("goals", "figures", "achievements", "problems", "next_month", "feedback", "market", "product", "team",
            "outlook", "added")
MARKET_LENSES = ("industry", "market", "competitor", "trend")
SUMMARY_METRICS = ("cash", "gaap", "users", "instances", "valuable-opportunities", "churn", "conversions",
                   "conversion-rate", "tickets-overdue", "deals-live", "releases")
PRODUCT_METRICS = ("users", "instances")
BEST_CAMPAIGNS = 3
STUCK_PLANS = 3  # work in this many weekly plans without being done is a problem
NAMED = 3  # things named on a grouped line (the largest, the soonest); the rest are counted
TOPICS = 3  # ticket topics customers raised most, told as feedback
# The draft's budget (non-blank lines, charts aside) and each section's room: what is cut is counted.
BUDGET = 100
LIMITS = {"goals": 8, "figures": 12, "achievements": 8, "problems": 10, "next_month": 8, "feedback": 8, "market": 5,
          "product": 6, "team": 5, "outlook": 5, "added": 10}


@dataclass(frozen=True)
class MonthFigure:
    metric: str
    month: str
    value: float | None
    previous: float | None  # last month
    last_year: float | None  # the same month a year before
    history: tuple[float | None, ...] = ()


@dataclass(frozen=True)
class MonthlyData:
    month: str
    today: date
    goals: tuple[GoalResult, ...] = ()
    next_goals: tuple[GoalResult, ...] = ()
    figures: tuple[MonthFigure, ...] = ()
    released: tuple[dict[str, Any], ...] = ()  # releases out this month
    slipped: tuple[dict[str, Any], ...] = ()
    due_next: tuple[dict[str, Any], ...] = ()  # releases planned next month
    deals_live: tuple[dict[str, Any], ...] = ()
    deals_next: tuple[dict[str, Any], ...] = ()
    campaigns: tuple[dict[str, Any], ...] = ()  # the month's, best conversion first
    revenue: dict[str, Any] | None = None  # cash and forecast of the month
    churned: tuple[dict[str, Any], ...] = ()
    overdue: tuple[dict[str, Any], ...] = ()  # ticket actions past due
    tickets_next: tuple[dict[str, Any], ...] = ()
    stuck: tuple[tuple[str, int], ...] = ()  # (work, how many weekly plans it sat in)
    notes: tuple[tuple[int, date, str], ...] = ()  # (task id, day, a line of the feedback item's note)
    customer_requests: tuple[dict[str, Any], ...] = ()
    partner_requests: tuple[dict[str, Any], ...] = ()
    insights: tuple[dict[str, Any], ...] = ()
    cross_team: tuple[tuple[int, str, str | None, date | None], ...] = ()  # plan lines: id, text, owner, due
    topics: tuple[dict[str, Any], ...] = ()  # the month's ticket topics, the most tickets first
    tickets: tuple[float | None, float | None] = (None, None)  # tickets this month and last


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def digest(text: str) -> str:
    """A line's source key from its words: the same words (case and spacing aside), the same key."""
    return hashlib.sha1(" ".join(text.casefold().split()).encode()).hexdigest()[:12]


def goal_facts(g: GoalResult) -> dict[str, Any]:
    return {"period": g.period, "metric": g.metric, "target": g.target, "actual": g.actual, "met": g.met,
            "ended": g.ended,
            "reason": g.reason or g.review, "computed": g.computed, "lower_better": g.lower_better, "flagged": g.flagged}


def candidates(data: MonthlyData) -> list[Candidate]:
    out: list[Candidate] = []
    add = out.append
    for g in data.goals:
        add(Candidate("goals", f"goal:{g.id}", "goal", goal_facts(g), owner=g.owner))
    for f in data.figures:
        add(Candidate("figures", f"figure:{f.metric}", "mfigure", {
            "metric": f.metric, "month": f.month, "value": f.value, "previous": f.previous,
            "last_year": f.last_year, "spark": sparkline(f.history),
        }))
    # -- achievements
    for g in data.goals:
        if g.met:
            add(Candidate("achievements", f"met:{g.id}", "goal_met", goal_facts(g), owner=g.owner))
    for r in data.released:
        add(Candidate("achievements", f"shipped:{r['id']}", "shipped",
                      {"name": r["name"], "released": _iso(r.get("released"))}))
    if len(data.deals_live) <= NAMED:
        for r in data.deals_live:
            add(Candidate("achievements", f"live:{r['id']}", "deal_live",
                          {"customer": r["customer"], "go_live": _iso(r.get("go_live"))}))
    else:  # eleven go-lives are one achievement, the largest named
        largest = sorted(data.deals_live, key=lambda r: (-(r.get("target") or 0), r["go_live"]))[:NAMED]
        add(Candidate("achievements", "deals_live", "deals_live",
                      {"count": len(data.deals_live), "customers": [r["customer"] for r in largest]}))
    for r in data.campaigns[:BEST_CAMPAIGNS]:
        if r.get("conversion_rate") is not None:
            add(Candidate("achievements", f"campaign:{r['id']}", "campaign", {
                "campaign": r["campaign"], "conversions": r.get("conversions"), "rate": r["conversion_rate"]}))
    # -- problems: each with cause, impact and remedy for the PM to fill
    for g in data.goals:
        if g.met is False:
            add(Candidate("problems", f"missed:{g.id}", "problem",
                          {"what": "goal_missed", **goal_facts(g), "cause": g.reason}, owner=g.owner))
    rev = data.revenue or {}
    if rev.get("cash") is not None and rev.get("forecast") and rev["cash"] < rev["forecast"]:
        add(Candidate("problems", f"under:{data.month}", "problem",
                      {"what": "under_forecast", "cash": rev["cash"], "forecast": rev["forecast"]}))
    # Churn is one problem a reason, the customers counted and named: ten lost customers
    # are not ten problems with thirty blanks.
    for reason, group in _by_reason(data.churned):
        add(Candidate("problems", f"churned:{digest(reason)}", "problem",
                      {"what": "churned", "customers": [r["customer"] for r in group[:CHURN_NAMED]],
                       "count": len(group), "cause": reason}))
    # Ticket actions past due, one problem an owner: eight late actions are not eight problems.
    for owner, group in _by_owner(data.overdue):
        if len(group) == 1:
            r = group[0]
            add(Candidate("problems", f"overdue:{r['id']}", "problem", {
                "what": "overdue", "category": r["category"], "due": _iso(r.get("due")), "remedy": r.get("plan")},
                owner=r.get("owner"), due=r.get("due")))
            continue
        add(Candidate("problems", f"overdue_by:{digest(owner)}", "problem", {
            "what": "overdue_group", "count": len(group), "categories": [r["category"] for r in group[:NAMED]],
            "due": _iso(group[0].get("due"))}, owner=owner or None, due=group[0].get("due")))
    for r in data.slipped:
        add(Candidate("problems", f"slipped:{r['id']}", "problem", {
            "what": "slipped", "name": r["name"], "planned": _iso(r.get("planned")),
            "days_late": r.get("days_late"), "earlier": [_iso(d) for d in r.get("earlier_planned", ())]}))
    for text, count in data.stuck:
        add(Candidate("problems", f"stuck:{digest(text)}", "problem", {"what": "stuck", "text": text, "plans": count}))
    # -- next month
    for r in data.due_next:
        add(Candidate("next_month", f"next_release:{r['id']}", "next_release", {"name": r["name"]},
                      due=r.get("planned")))
    # Deals going live: one by one when few, else one line naming the largest by value.
    if len(data.deals_next) <= NAMED:
        for r in data.deals_next:
            add(Candidate("next_month", f"next_deal:{r['id']}", "next_deal",
                          {"customer": r["customer"], "requirement": r.get("requirement")}, due=r.get("go_live")))
    else:
        largest = sorted(data.deals_next, key=lambda r: (-(r.get("target") or 0), r["go_live"]))[:NAMED]
        add(Candidate("next_month", "next_deals", "next_deals", {
            "count": len(data.deals_next), "customers": [r["customer"] for r in largest],
            "first": _iso(min(r["go_live"] for r in data.deals_next))}))
    # Ticket actions due, one line an owner with the first date.
    for owner, group in _by_owner(data.tickets_next):
        if len(group) == 1:
            r = group[0]
            add(Candidate("next_month", f"next_ticket:{r['id']}", "next_ticket",
                          {"category": r["category"], "plan": r.get("plan")}, owner=r.get("owner"), due=r.get("due")))
            continue
        add(Candidate("next_month", f"next_tickets:{digest(owner)}", "next_tickets", {
            "count": len(group), "categories": [r["category"] for r in group[:NAMED]]},
            owner=owner or None, due=group[0].get("due")))
    # -- user feedback: where customers speak (tickets, why they left, what they asked), then the PM's notes
    for r in data.topics[:TOPICS]:
        add(Candidate("feedback", f"topic:{digest(r['category'])}", "ticket_topic",
                      {"category": r["category"], "count": r["count"], "plan": r.get("plan")}))
    for reason, group in _by_reason(data.churned):
        if reason:
            add(Candidate("feedback", f"churn_reason:{digest(reason)}", "churn_reason",
                          {"customers": [r["customer"] for r in group[:CHURN_NAMED]], "count": len(group),
                           "reason": reason}))
    for r in data.customer_requests:
        add(Candidate("feedback", f"request:{r['id']}", "request", _request(r), due=r.get("needed_by")))
    for task_id, day, text in data.notes:
        add(Candidate("feedback", f"note:{task_id}:{digest(text)}", "note", {"text": text, "day": _iso(day)}))
    # -- market: the outward looks of the month's insights
    for lens in MARKET_LENSES:  # the same insight heard from two sources is one line naming both
        heard: dict[str, list[dict[str, Any]]] = {}
        for r in data.insights:
            if r["lens"] == lens:
                heard.setdefault(" ".join(str(r["text"]).casefold().split()), []).append(r)
        for group in heard.values():
            sources = list(dict.fromkeys(str(r["source"]) for r in group if r.get("source")))
            add(Candidate("market", f"insight:{group[0]['id']}", "insight",
                          {"lens": lens, "text": group[0]["text"], "source": sources or None}))
    # -- product performance
    for r in data.released:
        add(Candidate("product", f"release:{r['id']}", "release_tracking", {
            "name": r["name"], "released": _iso(r.get("released")), "ops_goal": r.get("ops_goal"),
            "value": r.get("value")}))
    if data.tickets[0] is not None:  # quality: how many tickets, and what they were about
        add(Candidate("product", "tickets", "tickets", {
            "count": data.tickets[0], "previous": data.tickets[1],
            "topics": [[r["category"], r["count"]] for r in data.topics[:NAMED]]}))
    for f in data.figures:
        if f.metric in PRODUCT_METRICS:
            add(Candidate("product", f"product:{f.metric}", "mfigure", {
                "metric": f.metric, "month": f.month, "value": f.value, "previous": f.previous,
                "last_year": f.last_year, "spark": sparkline(f.history)}))
    # -- team collaboration
    for line_id, text, owner, due in data.cross_team:
        add(Candidate("team", f"plan:{line_id}", "plan", {"text": text}, owner=owner, due=due))
    asked: dict[str, list[dict[str, Any]]] = {}
    for r in data.partner_requests:  # one request asked by several partner products is one line
        asked.setdefault(" ".join(str(r["title"]).casefold().split()), []).append(r)
    for group in asked.values():
        r = min(group, key=lambda r: (r.get("needed_by") is None, r.get("needed_by") or data.today))
        facts = {**_request(r), "source": list(dict.fromkeys(str(g["source"]) for g in group if g.get("source")))}
        add(Candidate("team", f"request:{r['id']}", "request", facts, due=r.get("needed_by")))
    # -- outlook: next month's goals close the summary
    for g in data.next_goals:
        add(Candidate("outlook", f"next_goal:{g.id}", "next_goal", goal_facts(g), owner=g.owner))
    return out


def _by_owner(rows: tuple[dict[str, Any], ...]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Rows by their owner (none: ""), each group by date, the owner with most first."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault(" ".join(str(r.get("owner") or "").split()), []).append(r)
    for group in groups.values():
        group.sort(key=lambda r: (r.get("due") is None, r.get("due") or date.max))
    return sorted(groups.items(), key=lambda og: (-len(og[1]), og[0]))


def _request(r: dict[str, Any]) -> dict[str, Any]:
    return {k: _iso(r.get(k)) for k in ("title", "source", "needed_by", "status")}


# -- words ----------------------------------------------------------------------------


def metric_value(metric: str, value: float | None) -> str:
    if value is not None and metric == "conversion-rate":
        return f"{value * 100:.1f}%"
    return number(value)


def metric_label(lang: str, metric: str) -> str:
    return tr(lang, f"metric.{metric}") if metric in METRICS else metric


def goal_words(f: dict[str, Any], lang: str) -> str:
    label = metric_label(lang, f["metric"])
    target = metric_value(f["metric"], f.get("target"))
    actual = metric_value(f["metric"], f.get("actual"))
    state = {True: "goal.met", False: "goal.missed", None: "goal.unknown"}[f.get("met")]
    if f.get("met") is None and f.get("actual") is not None:
        state = "goal.so_far"  # the period is still running
    bound = "goal.at_most" if f.get("lower_better") else "goal.at_least"
    text = tr(lang, "goal.line", period=f["period"], metric=label, actual=actual,
              target=tr(lang, bound, target=target), state=tr(lang, state))
    if f.get("reason"):
        text += tr(lang, "goal.reason", reason=" ".join(str(f["reason"]).split()))
    elif f.get("flagged"):
        text += tr(lang, "goal.no_reason")
    return text


def _figure(f: dict[str, Any], lang: str) -> str:
    label = metric_label(lang, f["metric"])
    if f.get("value") is None:
        return tr(lang, "weekly.figure_missing", metric=label, month=f["month"])
    text = f"{label}{tr(lang, 'weekly.colon')}{metric_value(f['metric'], f['value'])}"
    parts = []
    if moved := _moved(f["metric"], f["value"], f.get("previous"), lang):
        parts.append(tr(lang, "monthly.vs_last_month", change=moved,
                        previous=metric_value(f["metric"], f["previous"])))
    if moved := _moved(f["metric"], f["value"], f.get("last_year"), lang):
        parts.append(tr(lang, "monthly.vs_last_year", change=moved,
                        previous=metric_value(f["metric"], f["last_year"])))
    if parts:
        text += tr(lang, "weekly.paren", text=tr(lang, "weekly.semicolon").join(parts))
    if f.get("spark"):
        text += f" {f['spark']}"
    return text


CHURN_NAMED = 3  # customers named on a reason's line; the rest are counted


def _by_reason(churned: tuple[dict[str, Any], ...]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Churned customers by their reason (as typed, spacing and case aside), the most
    frequent reason first."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in churned:
        reason = " ".join(str(r.get("churn_reason") or "").split())
        key = reason.casefold()
        groups.setdefault(key, []).append({**r, "churn_reason": reason})
    return sorted(((g[0]["churn_reason"], g) for g in groups.values()), key=lambda rg: (-len(rg[1]), rg[0]))


def _named(f: dict[str, Any], lang: str) -> str:
    names = tr(lang, "weekly.comma").join(f["customers"])
    more = f["count"] - len(f["customers"])
    return names + (tr(lang, "monthly.and_more", count=more) if more > 0 else "")


def _moved(metric: str, value: float | None, before: float | None, lang: str) -> str | None:
    """How far a figure moved: a rate in percentage points (2.1 % against 5.7 % is -3.6 pt,
    not -62.7 %), anything else as a percentage."""
    known = METRICS.get(metric)
    if known is not None and known.nature == "ratio":
        if value is None or before is None:
            return None
        return tr(lang, "doc.points", change=f"{(value - before) * 100:+.1f}")
    return change(value, before)


def _problem(f: dict[str, Any], lang: str) -> str:
    what = f["what"]
    if what == "goal_missed":
        head = tr(lang, "monthly.problem.goal", metric=metric_label(lang, f["metric"]), period=f["period"],
                  actual=metric_value(f["metric"], f.get("actual")),
                  target=metric_value(f["metric"], f.get("target")))
    elif what == "under_forecast":
        head = tr(lang, "monthly.problem.forecast", cash=number(f["cash"]), forecast=number(f["forecast"]))
    elif what == "churned" and "customers" in f and f["count"] > 1:
        head = tr(lang, "monthly.problem.churn_group", count=f["count"], customers=_named(f, lang))
    elif what == "churned" and "customers" in f:
        head = tr(lang, "monthly.problem.churned", customer=f["customers"][0])
    elif what == "churned":  # a line kept from before churn was grouped
        head = tr(lang, "monthly.problem.churned", customer=f["customer"])
    elif what == "overdue_group":
        head = tr(lang, "monthly.problem.overdue_group", count=f["count"], day=f.get("due") or "—",
                  categories=_named({"customers": f["categories"], "count": f["count"]}, lang))
    elif what == "overdue":
        head = tr(lang, "monthly.problem.overdue", category=f["category"], day=f.get("due") or "—")
    elif what == "slipped":
        head = tr(lang, "monthly.problem.slipped", name=f["name"], day=f.get("planned") or "—")
        if f.get("earlier"):
            head += tr(lang, "weekly.release_was", days=tr(lang, "weekly.comma").join(f["earlier"]))
    else:  # stuck
        head = tr(lang, "monthly.problem.stuck", text=f["text"], plans=f["plans"])
    blank = "＿＿"
    details = tr(lang, "monthly.problem.details", cause=_one_line(f.get("cause")) or blank,
                 impact=_one_line(f.get("impact")) or blank, remedy=_one_line(f.get("remedy")) or blank)
    return f"{head} — {details}"


def _listed(value: Any, lang: str) -> str:
    """A fact that names one thing or several (grouped lines name every source)."""
    return tr(lang, "weekly.comma").join(map(str, value)) if isinstance(value, list) else str(value)


def _one_line(text: Any) -> str:
    return " ".join(str(text or "").split())


def render(line: Line, lang: str, options: dict[str, Any] | None = None) -> str:
    f = line.facts
    k = line.kind
    if k in ("goal", "goal_met", "next_goal"):
        return goal_words(f, lang) if k != "next_goal" else tr(
            lang, "monthly.next_goal", period=f["period"], metric=metric_label(lang, f["metric"]),
            target=tr(lang, "goal.at_most" if f.get("lower_better") else "goal.at_least",
                      target=metric_value(f["metric"], f.get("target"))))
    if k == "mfigure":
        return _figure(f, lang)
    if k == "shipped":
        return tr(lang, "weekly.release_out", name=f["name"], day=f.get("released") or "—")
    if k == "deal_live":
        return tr(lang, "monthly.deal_live", customer=f["customer"], day=f.get("go_live") or "—")
    if k == "campaign":
        return tr(lang, "monthly.campaign", campaign=f["campaign"], conversions=number(f.get("conversions")),
                  rate=f"{f['rate'] * 100:.1f}%")
    if k == "problem":
        return _problem(f, lang)
    if k == "next_deal":
        return tr(lang, "monthly.next_deal", customer=f["customer"]) + (
            tr(lang, "weekly.colon") + _one_line(f["requirement"]) if f.get("requirement") else "")
    if k == "next_release":
        return tr(lang, "monthly.next_release", name=f["name"])
    if k == "deals_live":
        return tr(lang, "monthly.deals_live", count=f["count"],
                  customers=_named({"customers": f["customers"], "count": f["count"]}, lang))
    if k == "next_deals":
        return tr(lang, "monthly.next_deals", count=f["count"], day=f["first"],
                  customers=_named({"customers": f["customers"], "count": f["count"]}, lang))
    if k == "next_tickets":
        return tr(lang, "monthly.next_tickets", count=f["count"],
                  categories=_named({"customers": f["categories"], "count": f["count"]}, lang))
    if k == "ticket_topic":
        text = tr(lang, "weekly.feedback.ticket", topic=f["category"], count=number(f["count"]))
        return text + (tr(lang, "weekly.feedback.plan", plan=_one_line(f["plan"])) if f.get("plan") else "")
    if k == "tickets":
        comma = tr(lang, "weekly.comma")
        text = tr(lang, "monthly.tickets", count=number(f["count"]))
        if (moved := change(f["count"], f.get("previous"))) is not None:
            text += tr(lang, "weekly.mom", change=moved, previous=number(f["previous"]))
        if f.get("topics"):
            text += tr(lang, "monthly.tickets_most", topics=comma.join(f"{c} {number(n)}" for c, n in f["topics"]))
        return text
    if k == "next_ticket":
        return f"{f['category']}{tr(lang, 'weekly.colon')}{_one_line(f.get('plan')) or '—'}"
    if k == "note":
        return f"{f['day']} {f['text']}"
    if k == "churn_reason" and "customers" in f and f["count"] == 1:
        return f"{f['customers'][0]}{tr(lang, 'weekly.colon')}{_one_line(f['reason'])}"
    if k == "churn_reason" and "customers" in f:
        return tr(lang, "monthly.churn_reason_group", reason=_one_line(f["reason"]), count=f["count"],
                  customers=_named(f, lang))
    if k == "churn_reason":
        return f"{f['customer']}{tr(lang, 'weekly.colon')}{_one_line(f['reason'])}"
    if k == "request":
        parts = [str(f["title"])]
        if f.get("source"):
            parts.append(tr(lang, "weekly.request_from", source=_listed(f["source"], lang)))
        if f.get("needed_by"):
            parts.append(tr(lang, "weekly.needed_by", day=f["needed_by"]))
        return tr(lang, "weekly.dot").join(parts)
    if k == "insight":
        source = tr(lang, "weekly.paren", text=_listed(f["source"], lang)) if f.get("source") else ""
        return f"{tr(lang, 'choice.' + f['lens'])}{tr(lang, 'weekly.colon')}{f['text']}{source}"
    if k == "release_tracking":
        text = tr(lang, "weekly.release_out", name=f["name"], day=f.get("released") or "—")
        if f.get("ops_goal"):
            text += tr(lang, "weekly.semicolon") + tr(lang, "field.ops_goal") + tr(lang, "weekly.colon") + \
                _one_line(f["ops_goal"])
        return text
    return str(f.get("text", ""))


FEEDBACK_KEY = "mon-launch-feedback"  # Monday's item whose notes are the month's user feedback
WORK_SECTIONS = ("unfinished", "draft", "added", "cross_team")  # a plan's lines of work (not reminders)


def gather(sources: Sources, month: str, today: date) -> MonthlyData:
    """The month's goals, figures (against last month and the same month a year
    before), releases, deals, campaigns, problems, next month, feedback, market and
    team lines: from the same reads as the tables, the plan and the weekly report."""
    first_day, last_day = month_bounds(month)
    following = shift_month(month, 1)
    next_first, next_last = month_bounds(following)
    year_before = shift_month(month, -12)
    # This month's goals (and its quarter's and year's) and next month's, measured on
    # the same figures as the month's: one read from a year before to the last month
    # any of those goals covers.
    ahead = next_periods(following)
    periods = periods_of_month(month) + ahead
    last_needed = max(m for p in periods for m in period_months(p))
    monthly = sources.monthly(year_before, max(month, last_needed), today)
    history = [shift_month(month, i - FIGURE_MONTHS + 1) for i in range(FIGURE_MONTHS)]
    figures = tuple(
        MonthFigure(m, month, (v := monthly.get(m, {})).get(month), v.get(shift_month(month, -1)),
                    v.get(year_before), tuple(v.get(h) for h in history))
        for m in SUMMARY_METRICS
    )
    both = sources.goals(periods, today, monthly)
    goals = tuple(g for g in both if g.period not in ahead)
    next_goals = tuple(g for g in both if g.period in ahead)

    def values(sheet: str, first=None, last=None, **only) -> list[dict[str, Any]]:
        return values_of(sources.rows(sheet, first, last, today, only=only or None))

    releases = values("releases", (first_day - timedelta(days=365)).isoformat(), next_last.isoformat())
    released = tuple(r for r in releases if r.get("released") and first_day <= r["released"] <= last_day)
    pending = [r for r in releases if r.get("released") is None and r.get("planned")]
    # Late in the month, or moved out of it: planned for a day of this month once, later now.
    slipped = tuple(r for r in pending if (r["planned"] <= last_day and (r.get("days_late") or r["status"] == "slipped"))
                    or (r["planned"] > last_day and any(first_day <= d <= last_day for d in r.get("earlier_planned", ()))))
    due_next = tuple(r for r in pending if next_first <= r["planned"] <= next_last)
    # Live in this month by their go-live date (as the deals-live metric counts), whatever the row's month.
    deals_live = tuple(r for r in values("deals", year_before, following, status=("live",))
                       if r.get("go_live") and first_day <= r["go_live"] <= last_day)
    deals_next = tuple(r for r in values("deals", year_before, following, status=("open",))
                       if r.get("go_live") and next_first <= r["go_live"] <= next_last)
    campaigns = tuple(sorted(values("campaigns", month, month),
                             key=lambda r: (r.get("conversion_rate") is None, -(r.get("conversion_rate") or 0))))
    revenue = {"cash": monthly.get("cash", {}).get(month), "forecast": monthly.get("forecast", {}).get(month)}
    churned = tuple(values("churn", month, month))
    open_tickets = values("tickets", year_before, following, status=("open",))
    overdue = tuple(r for r in open_tickets if r.get("overdue") and r["due"] <= last_day)
    tickets_next = tuple(r for r in open_tickets if r.get("due") and next_first <= r["due"] <= next_last)
    requests = values("requests", month, month, source_kind=("customer", "partner"))
    customer = tuple(r for r in requests if r["source_kind"] == "customer")
    partner = tuple(r for r in requests if r["source_kind"] == "partner")
    insights = tuple(values("insights", first_day.isoformat(), last_day.isoformat()))
    # What customers raised: this month's ticket topics (a topic filed twice counted once), and last month's total.
    topics: dict[str, dict[str, Any]] = {}
    for r in values("tickets", month, month):
        key = " ".join(str(r.get("category") or "").casefold().split())
        if key:
            topic = topics.setdefault(key, {"category": r["category"], "count": 0, "plan": r.get("plan")})
            topic["count"] += r.get("count") or 0
    before = values("tickets", shift_month(month, -1), shift_month(month, -1))
    tickets = (sum(t["count"] for t in topics.values()) if topics else None,
               sum(r.get("count") or 0 for r in before) if before else None)
    weeks = month_weeks(month)
    # A note is the month's by its own day: a week across two months gives each its days.
    notes = tuple((task_id, day, text)
                  for task_id, day, note in sources.item_notes(FEEDBACK_KEY, weeks_touching(first_day, last_day))
                  if first_day <= day <= last_day
                  for text in (ln.strip().lstrip("-*•·").strip() for ln in note.splitlines()) if text)
    # Plans made for the month's weeks (and the two before, to see work that sat long).
    plans = {w: sources.plan_for(w) for w in ([weeks[0].shift(-2), weeks[0].shift(-1)] if weeks else []) + weeks}
    cross, sat, in_month = [], {}, set()
    for week, plan in plans.items():
        for ln in (plan.lines if plan else ()):
            if ln.dropped_at is not None or ln.section not in WORK_SECTIONS:
                continue
            if week in weeks and ln.section == "cross_team":
                cross.append((ln.id, ln.text, ln.owner, ln.due))
            if ln.done_at is None:
                key = " ".join(ln.text.casefold().split())
                sat.setdefault(key, [ln.text, set()])[1].add(week)
                if week in weeks:
                    in_month.add(key)
    stuck = tuple((text, len(seen)) for key, (text, seen) in sat.items()
                  if len(seen) >= STUCK_PLANS and key in in_month)
    return MonthlyData(
        month, today, goals, next_goals, figures, released, slipped, due_next, deals_live, deals_next,
        campaigns, revenue, churned, overdue, tickets_next, stuck, notes, customer, partner, insights, tuple(cross),
        tuple(sorted(topics.values(), key=lambda t: -t["count"])), tickets,
    )


KIND = DocumentKind(
    name="monthly",
    command="month",
    period="month",
    sections=SECTIONS,
    gather=gather,
    compile=candidates,
    render=render,
    typed_sections=("added", *SECTIONS[:-1]),  # the PM may add a line of their own anywhere
    optional_sections=("outlook", "added"),
    nested=True,  # a line new since the last compile goes where the compile puts it, not last
    dated_kinds=("plan", "next_deal", "next_release", "next_ticket", "next_tickets"),
    date_labels={"next_deal": "plan.go_live", "next_tickets": "plan.first_due"},
    team_sections=("team",),
    budget=BUDGET,
    limits=LIMITS,
)
