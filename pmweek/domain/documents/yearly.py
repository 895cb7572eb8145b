"""The annual plan (年度工作计划), in the order of PRODUCT.md §4: goals on three axes,
the requirement pool ranked by RICE, the roadmap by quarter, the release rhythm, risks
with their mitigations, the quarterly OKR reviews so far and what the plan changed since
the last ranking (plan, do, check, adjust). Drafted from the records, edited by hand."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from pmweek.domain.calendar import month_of, shift_month
from pmweek.domain.documents.engine import Candidate, Document, DocumentKind, Line, arrow, change, number
from pmweek.domain.documents.monthly import goal_facts, goal_words, metric_label, metric_value
from pmweek.domain.documents.sources import Sources, movers
from pmweek.domain.goals import AXES, GoalResult
from pmweek.domain.okrs import name_key
from pmweek.domain.periods import QUARTER, YEAR
from pmweek.domain.sheets import SHEETS
from pmweek.i18n import tr

if TYPE_CHECKING:
    from pmweek.domain.charts import Bar, Timeline

SECTIONS = ("goals", "pool", "roadmap", "rhythm", "risks", "okr_reviews", "pdca", "added")
POOL_TOP = 10
# A goal proposed for an axis the year has none on: the metric that measures it, drafted
# from the last twelve months recorded and their trend (the PM edits the target).
PROPOSED = {"business_value": "cash", "user_value": "users", "maturity": "releases"}


@dataclass(frozen=True)
class QuarterPlan:
    quarter: str
    releases: tuple[dict[str, Any], ...] = ()  # planned in the quarter: id, name, planned, released, days_late
    requests: tuple[dict[str, Any], ...] = ()  # the pool's items aimed at the quarter
    phases: tuple[dict[str, Any], ...] = ()  # project phases planned to start in the quarter


@dataclass(frozen=True)
class Review:
    quarter: str
    krs: tuple[GoalResult, ...]  # the quarter's key results


@dataclass(frozen=True)
class YearlyData:
    year: str
    today: date
    goals: tuple[GoalResult, ...] = ()  # the year's and its quarters'
    pool: tuple[dict[str, Any], ...] = ()  # the top of the pool: id, title, position, score, weighted, quarter, axis
    unscored: int = 0
    roadmap: tuple[QuarterPlan, ...] = ()
    risks: tuple[dict[str, Any], ...] = ()  # open risks by score: id, risk, risk_score, change, mitigation…
    reviews: tuple[Review, ...] = ()  # quarters of the year that ended
    movers: tuple[dict[str, Any], ...] = ()  # title, state, by, moved
    since: str | None = None  # the ranking the movers are measured against
    proposed: tuple[dict[str, Any], ...] = ()  # axis, metric, actual, before, target, first, last


def candidates(data: YearlyData) -> list[Candidate]:
    out: list[Candidate] = []
    add = out.append
    # -- goals on the three axes
    proposed = {p["axis"]: p for p in data.proposed}
    for axis in (*AXES, None):
        mine = [g for g in data.goals if g.axis == axis]
        if not mine and axis not in proposed:
            continue
        add(Candidate("goals", f"axis:{axis or 'none'}", "axis", {"axis": axis, "depth": 0}))
        for g in mine:
            add(Candidate("goals", f"goal:{g.id}", "goal", {**goal_facts(g), "depth": 1}, owner=g.owner))
        if not mine:  # a draft target from this year's actuals and trend
            p = proposed[axis]
            add(Candidate("goals", f"proposed:{axis}", "proposed_goal", {**p, "depth": 1}))
    # -- the pool's top (a request asked by several is one line), then how many wait for a score
    for r in _once(data.pool):
        add(Candidate("pool", f"request:{r['id']}", "pool_item", dict(r)))
    if data.unscored:
        add(Candidate("pool", "unscored", "unscored", {"count": data.unscored}))
    # -- the roadmap: each quarter's releases and the requests aimed at it
    for q in data.roadmap:
        add(Candidate("roadmap", f"quarter:{q.quarter}", "quarter", {"quarter": q.quarter, "depth": 0}))
        for r in q.releases:
            add(Candidate("roadmap", f"release:{r['id']}", "road_release",
                          {"name": r["name"], "released": _iso(r.get("released")), "depth": 1}, due=r.get("planned")))
        for p in q.phases:
            add(Candidate("roadmap", f"phase:{p['id']}", "road_phase", {
                "project": p["project"], "phase": p["phase"], "depth": 1,
                **{k: _iso(p.get(k)) for k in ("planned_start", "planned_end", "actual_start", "actual_end")},
                "days_late": p.get("days_late")}))
        for r in _once(q.requests):
            add(Candidate("roadmap", f"planned:{r['id']}", "road_request",
                          {"title": r["title"], "weighted": r.get("weighted"), "asked": r["asked"], "depth": 1}))
    # -- the release rhythm: a major version a quarter, minor ones monthly
    for q in data.roadmap:
        months = _months(q)
        add(Candidate("rhythm", f"rhythm:{q.quarter}", "rhythm", {
            "quarter": q.quarter, "months": [[m, n] for m, n in months], "count": len(q.releases)}))
    # -- risks, by score
    for r in data.risks:
        add(Candidate("risks", f"risk:{r['id']}", "risk", {k: _iso(r.get(k)) for k in (
            "risk", "risk_score", "change", "mitigation", "fallback", "next_review", "status", "review_due")},
            owner=r.get("owner")))
    # -- the quarterly OKR reviews so far
    for review in data.reviews:
        scored = [g for g in review.krs if g.score is not None]
        lowest = min(scored, key=lambda g: g.score) if scored else None
        add(Candidate("okr_reviews", f"review:{review.quarter}", "okr_review", {
            "quarter": review.quarter, "krs": len(review.krs), "scored": len(scored),
            "mean": sum(g.score for g in scored) / len(scored) if scored else None,
            "lowest": [lowest.metric, lowest.score, lowest.review] if lowest else None}))
    # -- plan, do, check, adjust: what moved in the pool since the last ranking kept
    for m in data.movers:
        add(Candidate("pdca", f"moved:{m['id']}", "mover", {**m, "since": data.since}))
    return out


def _once(requests: tuple[dict[str, Any], ...]) -> list[dict[str, Any]]:
    """Requests by title, the first (the best ranked) standing for all, counted."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in requests:
        groups.setdefault(name_key(str(r["title"])), []).append(r)
    return [{**group[0], "asked": len(group)} for group in groups.values()]


def propose(metric: str, monthly: dict[str, dict[str, float]], until: str) -> dict[str, Any] | None:
    """A draft target for ``metric``: the twelve months up to the last recorded by
    ``until``, carried on by their change on the same months a year before (only months
    recorded in both years count; None: nothing recorded)."""
    from pmweek.domain.goals import METRICS, measure

    series = monthly.get("conversions" if METRICS[metric].nature == "ratio" else metric, {})
    recorded = [m for m in series if m <= until and series.get(m) is not None]
    if not recorded:
        return None
    last = max(recorded)
    window = [shift_month(last, i - 11) for i in range(12)]
    paired = [m for m in window if series.get(m) is not None and series.get(shift_month(m, -12)) is not None]
    actual = measure(metric, window, monthly)
    now = measure(metric, paired, monthly) if paired else None
    before = measure(metric, [shift_month(m, -12) for m in paired], monthly) if paired else None
    growth = now / before - 1 if now is not None and before else None
    target = actual * (1 + growth) if actual is not None and growth is not None else actual
    if target is None:
        return None
    return {"metric": metric, "actual": actual, "now": now, "before": before,
            "target": target if METRICS[metric].nature == "ratio"
            else round(target) if all(float(v).is_integer() for v in series.values()) else round(target, 1),
            "first": window[0], "last": window[-1]}


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _months(q: QuarterPlan) -> list[tuple[str, int]]:
    year, number = q.quarter.split("-Q")
    months = [f"{year}-{(int(number) - 1) * 3 + i:02d}" for i in (1, 2, 3)]
    return [(m, sum(1 for r in q.releases if str(r.get("planned") or "")[:7] == m)) for m in months]


# -- words ----------------------------------------------------------------------------


def _score(value: float | None) -> str:
    return "—" if value is None else number(value)


def _one_line(text: Any) -> str:
    return " ".join(str(text or "").split())


def render(line: Line, lang: str, options: dict[str, Any] | None = None) -> str:
    f = dict(line.facts)
    k = line.kind
    colon, semi = tr(lang, "weekly.colon"), tr(lang, "weekly.semicolon")
    if k == "axis":
        return tr(lang, f"choice.{f['axis']}") if f.get("axis") else tr(lang, "yearly.no_axis")
    if k == "goal":
        return goal_words(f, lang)
    if k == "proposed_goal":
        text = tr(lang, "yearly.proposed", metric=metric_label(lang, f["metric"]),
                  target=metric_value(f["metric"], f["target"]), actual=metric_value(f["metric"], f["actual"]),
                  first=f["first"], last=f["last"])
        if (moved := change(f.get("now"), f.get("before"))) is not None:
            text += tr(lang, "yearly.proposed_trend", change=moved)
        return text + tr(lang, "yearly.proposed_edit")
    if k == "pool_item":
        text = tr(lang, "yearly.pool_item", position=f["position"], title=f["title"], weighted=_score(f.get("weighted")),
                  score=_score(f.get("score")), weight=number(f.get("weight") if f.get("weight") is not None else 1))
        extra = [tr(lang, "yearly.target", quarter=f["quarter"])] if f.get("quarter") else []
        extra += [tr(lang, f"choice.{f['axis']}")] if f.get("axis") else []
        return text + "".join(tr(lang, "weekly.dot") + e for e in extra)
    if k == "unscored":
        return tr(lang, "yearly.unscored", count=f["count"])
    if k == "quarter":
        return f["quarter"]
    if k == "road_release":
        text = tr(lang, "monthly.next_release", name=f["name"])
        return text + (tr(lang, "weekly.paren", text=tr(lang, "yearly.released", day=f["released"]))
                       if f.get("released") else "")
    if k == "road_phase":
        text = tr(lang, "yearly.road_phase", project=f["project"], phase=f["phase"],
                  first=f.get("planned_start") or "—", last=f.get("planned_end") or "…")
        return text + (tr(lang, "weekly.paren", text=tr(lang, "quarterly.days_late", days=f["days_late"]))
                       if f.get("days_late") else "")
    if k == "road_request":
        text = tr(lang, "yearly.road_request", title=f["title"], weighted=_score(f.get("weighted")))
        return text + (tr(lang, "weekly.times", count=f["asked"]) if f.get("asked", 1) > 1 else "")
    if k == "rhythm":
        if not f["count"]:
            return tr(lang, "yearly.rhythm_none", quarter=f["quarter"])
        months = tr(lang, "weekly.comma").join(f"{m} {n}" for m, n in f["months"] if n)
        text = tr(lang, "yearly.rhythm", quarter=f["quarter"], count=f["count"], months=months)
        gaps = [m for m, n in f["months"] if not n]
        if gaps:
            text += semi + tr(lang, "yearly.rhythm_gap", months=tr(lang, "weekly.comma").join(gaps))
        return text
    if k == "risk":
        by = f.get("change")
        moved = "" if by is None else tr(lang, "weekly.paren", text=tr(lang, "yearly.risk_change", change=arrow(by)))
        text = tr(lang, "yearly.risk", risk=f["risk"], score=f.get("risk_score") or "—") + moved
        parts = [f"{tr(lang, 'field.' + key)}{colon}{_one_line(f.get(key)) or '＿＿'}" for key in ("mitigation", "fallback")]
        if f.get("next_review"):
            parts.append(tr(lang, "yearly.review_on", day=f["next_review"]) +
                         (" ⚑" if f.get("review_due") else ""))
        return text + colon + semi.join(parts)
    if k == "okr_review":
        if not f.get("scored"):
            return tr(lang, "yearly.review_none", quarter=f["quarter"], krs=f["krs"])
        text = tr(lang, "yearly.review", quarter=f["quarter"], scored=f["scored"], krs=f["krs"],
                  mean=f"{f['mean']:.1f}")
        if f.get("lowest"):
            metric, score, review = f["lowest"]
            text += semi + tr(lang, "yearly.lowest", metric=metric_label(lang, metric), score=f"{score:.1f}")
            if review:
                text += colon + _one_line(review)
        return text
    if k == "mover":
        if f["state"] in ("new", "gone"):
            return tr(lang, f"yearly.mover_{f['state']}", title=f["title"], since=f.get("since") or "—")
        by = f["by"] if f["state"] == "up" else -f["by"]
        text = tr(lang, "yearly.mover", title=f["title"], arrow=arrow(by), since=f.get("since") or "—")
        if f.get("moved"):
            text += colon + semi.join(
                f"{tr(lang, 'field.' + key)} {_score(before)} → {_score(now)}" for key, before, now in f["moved"])
        return text
    return str(f.get("text", ""))


def roadmap_bars(document: Document, lang: str) -> list[Bar]:
    """The roadmap's releases as bars on a timeline, a section per quarter."""
    from pmweek.domain.charts import Bar  # charts reads the document engine: imported late, no loop

    bars, quarter = [], None
    for line in document.section("roadmap"):
        if line.kind == "quarter":
            quarter = line.facts["quarter"]
        elif line.kind == "road_phase" and not line.dropped:
            f = line.facts
            bars.append(Bar(quarter or "", f"{f['project']} · {f['phase']}", (f.get("planned_start"), f.get("planned_end")),
                            (f.get("actual_start"), f.get("actual_end")), f.get("days_late")))
        elif line.kind == "road_request" and not line.dropped and quarter:
            # The pool's work aimed at a quarter spans it: the plan, not a promise of a day.
            first, last = QUARTER.days(quarter)
            bars.append(Bar(quarter, line.facts["title"], (first.isoformat(), last.isoformat()), (None, None), None))
        elif line.kind == "road_release" and not line.dropped and line.due is not None:
            planned = line.due.isoformat()
            released = line.facts.get("released")
            late = (date.fromisoformat(released) - line.due).days if released else None
            bars.append(Bar(quarter or "", line.facts["name"], (planned, planned), (released, released),
                            late if late and late > 0 else None))
    return bars


def _blocks(document: Document, lang: str) -> dict[str, Timeline]:
    from pmweek.domain.charts import Timeline

    drawn = Timeline(tuple(roadmap_bars(document, lang)), "yearly.section.roadmap", ROADMAP_HEADS)
    return {"roadmap": drawn} if drawn.drawn else {}


ROADMAP_HEADS = ("field.quarter", "yearly.roadmap_item", "field.planned", "field.released", "field.days_late")


def gather(sources: Sources, year: str, today: date) -> YearlyData:
    """The year's goals on their axes, the pool's top, the roadmap and release rhythm
    by quarter, open risks, the OKR reviews of the quarters that ended and what moved
    in the pool since its last ranking."""
    quarters = [f"{year}-Q{n}" for n in range(1, 5)]
    # The year's own months, and the two years before the last month recorded: a goal
    # proposed from the last twelve and their trend.
    last = min(month_of(today), f"{year}-12")
    monthly = sources.monthly(shift_month(last, -23), f"{year}-12", today)
    # A key result without an axis of its own stands on its objective's.
    axes = {(v["quarter"], name_key(v["objective"])): v.get("axis") for v in sources.of_periods(
        "objectives", [f.key for f in SHEETS["objectives"].fields], "quarter", quarters)}
    goals = tuple(replace(g, axis=g.axis or axes.get((g.period, name_key(g.objective))))
                  for g in sources.goals((year, *quarters), today, monthly))
    pool = sources.pool(today)
    top = tuple({"id": i.row.id, "title": i.row.values["title"], "position": i.position,
                 "score": i.row.computed.get("rice_score"), "weighted": i.row.computed.get("weighted_score"),
                 "weight": i.row.values.get("weight"), "quarter": i.row.values.get("quarter"),
                 "axis": i.row.values.get("axis")}
                for i in pool.items[:POOL_TOP] if i.row.computed.get("weighted_score") is not None)
    unscored = sum(1 for i in pool.items if i.row.computed.get("weighted_score") is None)
    roadmap = tuple(sources.roadmap(year, today, pool))
    risks = sorted(sources.rows("risks", None, None, today, only={"status": ("open", "watching")}),
                   key=SHEETS["risks"].order)
    changes = sources.risk_changes([r.id for r in risks])
    # The quarters of the year that ended; for a year still ahead, last year's, carried
    # as the plan's starting point.
    started = YEAR.days(year)[0] <= today
    reviewed = quarters if started else [f"{int(year) - 1}-Q{n}" for n in range(1, 5)]
    ended = [q for q in reviewed if QUARTER.days(q)[1] < today]
    reviews = tuple(Review(q, tuple(kr.goal for o in sources.objectives(q, today, monthly) for kr in o.krs))
                    for q in ended)
    return YearlyData(
        year, today, goals, top, unscored, roadmap,
        tuple({"id": r.id, **r.values, **r.computed, "change": changes.get(r.id)} for r in risks),
        reviews, movers(pool), pool.since,
        tuple({"axis": axis, **p} for axis, metric in PROPOSED.items()
              if not any(g.axis == axis and g.period == year for g in goals)
              and (p := propose(metric, monthly, last)) is not None),
    )


KIND = DocumentKind(
    name="yearly",
    command="year",
    period="year",
    sections=SECTIONS,
    gather=gather,
    compile=candidates,
    render=render,
    typed_sections=("added", *SECTIONS[:-1]),
    optional_sections=("added",),
    dated_kinds=("road_release",),
    date_labels={"road_release": "plan.planned"},
    nested=True,
    blocks=_blocks,
)
