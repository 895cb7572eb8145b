"""The quarterly report (季度汇报), in the order of PRODUCT.md §4: responsibilities,
projects, system planning, personal growth, with the quarter's key figures by month.
A large project is told as background → solution (with its phases) → benefit; small
work is told as objectives with their key results and tasks. Drafted from the records
the quarter holds, then edited by hand."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from pmweek.domain.calendar import shift_quarter
from pmweek.domain.documents.engine import Candidate, Document, DocumentKind, Line, change, number
from pmweek.domain.documents.monthly import MARKET_LENSES, digest, metric_label, metric_value
from pmweek.domain.documents.sources import Sources, movers, names_in
from pmweek.domain.goals import measure, period_months, progress_bar
from pmweek.domain.okrs import Objective, name_key
from pmweek.domain.periods import QUARTER
from pmweek.domain.sheets import SHEETS
from pmweek.i18n import tr

if TYPE_CHECKING:
    from pmweek.domain.charts import Bar, Timeline

SECTIONS = ("responsibilities", "projects", "okrs", "figures", "planning", "growth", "added")
LENSES = (*MARKET_LENSES, "self")
# The quarter's computed figures a project's benefit is read beside: revenue is the
# quarter's sum, users and instances where the quarter ended.
BENEFIT_METRICS = ("cash", "users", "instances")


@dataclass(frozen=True)
class QuarterMonth:
    month: str
    cash: float | None
    forecast: float | None
    users: float | None
    instances: float | None


@dataclass(frozen=True)
class QuarterlyData:
    quarter: str
    today: date
    duties: tuple[str, ...] = ()  # the PM's responsibilities, one per line
    projects: tuple[dict[str, Any], ...] = ()  # large projects the quarter saw, each with "phases" and "shipped"
    small: tuple[dict[str, Any], ...] = ()  # small projects the quarter saw
    objectives: tuple[Objective, ...] = ()
    moved: tuple[tuple[str, float | None, float | None], ...] = ()  # (metric, this quarter, the one before)
    months: tuple[QuarterMonth, ...] = ()
    next_objectives: tuple[Objective, ...] = ()
    next_releases: tuple[dict[str, Any], ...] = ()
    next_requests: tuple[dict[str, Any], ...] = ()
    insights: tuple[tuple[str, int], ...] = ()  # (lens, how many the quarter recorded)
    movers: tuple[dict[str, Any], ...] = ()  # the pool's biggest moves since its last ranking kept
    since: str | None = None
    span: list[str] | None = None  # a partial quarter: its months covered and the same months before
    shipped: tuple[str, ...] = ()  # releases out in the quarter, by name


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def kr_facts(kr: Any, depth: int) -> dict[str, Any]:
    g = kr.goal
    return {"metric": g.metric, "start": g.start, "target": g.target, "actual": g.actual, "progress": g.progress,
            "score": g.score, "proposed": g.proposed_score, "review": g.review, "ended": g.ended, "depth": depth}


def candidates(data: QuarterlyData) -> list[Candidate]:
    out: list[Candidate] = []
    add = out.append
    # -- responsibilities: the PM's own text, kept from quarter to quarter
    for text in data.duties:
        add(Candidate("responsibilities", f"duty:{digest(text)}", "duty", {"text": text}))
    if not data.duties:
        add(Candidate("responsibilities", "duty_hint", "duty_hint"))
    # -- projects: each large one as background -> solution (phases) -> benefit
    for p in data.projects:
        key = f"project:{p['id']}"
        add(Candidate("projects", key, "project", {
            "name": p["project"], "start": _iso(p["start"]), "end": _iso(p.get("end")),
            "days": (p["end"] - p["start"]).days + 1 if p.get("end") else None, "depth": 0}))
        add(Candidate("projects", f"{key}:background", "background", {
            k: p.get(k) for k in ("status_quo", "problem", "analysis")} | {"depth": 1}))
        add(Candidate("projects", f"{key}:solution", "solution", {
            k: p.get(k) for k in ("before", "after", "features", "hard_parts")} | {"depth": 1}))
        for phase in p.get("phases", ()):
            add(Candidate("projects", f"{key}:phase:{phase['id']}", "phase", {
                "phase": phase["phase"], **{k: _iso(phase.get(k)) for k in (
                    "planned_start", "planned_end", "actual_start", "actual_end")},
                "days_late": phase.get("days_late"), "depth": 2}))
        if p.get("shipped"):
            add(Candidate("projects", f"{key}:shipped", "shipped_releases",
                          {"releases": [[name, _iso(day)] for name, day in p["shipped"]], "depth": 1}))
        add(Candidate("projects", f"{key}:benefit", "benefit", {
            "kind": p.get("benefit_kind"), "benefit": p.get("benefit"),
            "moved": [list(m) for m in data.moved], "span": data.span, "depth": 1}))
    # -- small work as objectives -> key results -> tasks, with the small projects serving each
    served = set()
    for o in data.objectives:
        key = f"objective:{o.id if o.id is not None else digest(o.text)}"
        add(Candidate("okrs", key, "objective", {"text": o.text, "axis": o.axis, "progress": o.progress,
                                                   "depth": 0}, owner=o.owner))
        for kr in o.krs:
            add(Candidate("okrs", f"kr:{kr.goal.id}", "kr", kr_facts(kr, 1), owner=kr.goal.owner))
            for task in kr.tasks:
                add(Candidate("okrs", f"task:{task.id}", "task",
                              {"text": task.text, "link": task.link, "done": task.done, "depth": 2}))
        for p in data.small:
            if name_key(p.get("objective")) == name_key(o.text):
                served.add(p["id"])
                add(Candidate("okrs", f"small:{p['id']}", "small_project", _small(p, 1)))
    for p in data.small:
        if p["id"] not in served:
            add(Candidate("okrs", f"small:{p['id']}", "small_project", _small(p, 0)))
    # -- the quarter's key figures by month
    for m in data.months:
        add(Candidate("figures", f"month:{m.month}", "qmonth", {
            "month": m.month, "cash": m.cash, "forecast": m.forecast, "users": m.users, "instances": m.instances}))
    # -- system planning: next quarter's objectives, releases and requests
    for o in data.next_objectives:
        key = f"next_objective:{o.id if o.id is not None else digest(o.text)}"
        add(Candidate("planning", key, "next_objective", {"text": o.text, "axis": o.axis, "depth": 0},
                      owner=o.owner))
        for kr in o.krs:
            add(Candidate("planning", f"next_kr:{kr.goal.id}", "next_kr", kr_facts(kr, 1), owner=kr.goal.owner))
    for r in data.next_releases:
        add(Candidate("planning", f"release:{r['id']}", "next_release", {"name": r["name"]}, due=r.get("planned")))
    for r in data.next_requests:
        add(Candidate("planning", f"request:{r['id']}", "next_request",
                      {k: _iso(r.get(k)) for k in ("title", "source", "status")}, due=r.get("needed_by")))
    for m in data.movers:  # the re-rank: what moved in the pool
        add(Candidate("planning", f"moved:{m['id']}", "mover", {**m, "since": data.since}))
    # -- personal growth: the PM writes it; drafted from what the quarter shows
    if data.shipped:
        add(Candidate("growth", "shipped", "grew_shipped", {"names": list(data.shipped[:NAMED]),
                                                           "count": len(data.shipped)}))
    led = [p["project"] for p in data.projects] + [p["project"] for p in data.small]
    if led:
        add(Candidate("growth", "led", "grew_led", {"large": [p["project"] for p in data.projects],
                                                   "small": [p["project"] for p in data.small]}))
    if data.insights:
        add(Candidate("growth", "insights", "insight_counts", {"counts": [list(c) for c in data.insights]}))
    return out


NAMED = 3  # releases named on the growth line; the rest counted
# A small project answers six questions (why, for whom, the pain, what we did, how it was
# planned, the effect), each from the project's own record.
SIX = (("why", "analysis"), ("whom", "status_quo"), ("pain", "problem"), ("did", "features"), ("effect", "benefit"))


def _small(p: dict[str, Any], depth: int) -> dict[str, Any]:
    return {"name": p["project"], "start": _iso(p["start"]), "end": _iso(p.get("end")),
            **{field: p.get(field) for _, field in SIX}, "after": p.get("after"), "depth": depth}


def heading(line: Line, lang: str) -> tuple[str, str | None] | None:
    """A large project is a subsection of its own: its name, then background, solution
    and benefit under headings of their own (the source: the report can be about one
    project, told in full)."""
    if line.kind == "project":
        return (line.text if line.text is not None else render(line, lang)), None
    if line.kind in ("background", "solution"):
        body = line.text if line.text is not None else _pairs(lang, line.facts, _PARTS[line.kind])
        return tr(lang, f"quarterly.{line.kind}"), body
    if line.kind == "benefit":
        kind = tr(lang, f"choice.{line.facts['kind']}") if line.facts.get("kind") else BLANK
        return tr(lang, "quarterly.benefit_heading", kind=kind), (
            line.text if line.text is not None else _benefit(line.facts, lang, bare=True))
    return None


_PARTS = {"background": ("status_quo", "problem", "analysis"), "solution": ("before", "after", "features", "hard_parts")}


# -- words ----------------------------------------------------------------------------

BLANK = "＿＿"


def _one_line(text: Any) -> str:
    return " ".join(str(text or "").split())


def _pairs(lang: str, facts: dict[str, Any], keys: tuple[str, ...]) -> str:
    """``field: value`` for each key, a blank for the PM to fill where there is none."""
    colon = tr(lang, "weekly.colon")
    return tr(lang, "weekly.semicolon").join(
        f"{tr(lang, 'field.' + k)}{colon}{_one_line(facts.get(k)) or BLANK}" for k in keys)


def _span(lang: str, first: str | None, last: str | None) -> str:
    return tr(lang, "quarterly.span", first=first or "—", last=last or "…")


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def _kr(f: dict[str, Any], lang: str) -> str:
    metric = f["metric"]
    text = tr(lang, "quarterly.kr", metric=metric_label(lang, metric), start=metric_value(metric, f.get("start")),
              target=metric_value(metric, f.get("target")), actual=metric_value(metric, f.get("actual")),
              bar=progress_bar(f.get("progress")), percent=percent(f.get("progress")))
    if f.get("score") is not None:
        text += tr(lang, "weekly.semicolon") + tr(lang, "quarterly.score", score=f"{f['score']:.1f}")
        if f.get("review"):
            text += tr(lang, "weekly.colon") + _one_line(f["review"])
    elif f.get("ended") and f.get("proposed") is not None:
        text += tr(lang, "weekly.semicolon") + tr(lang, "quarterly.proposed", score=f"{f['proposed']:.1f}")
    return text


def _phase(f: dict[str, Any], lang: str) -> str:
    text = tr(lang, "quarterly.phase", phase=f["phase"], planned=_span(lang, f.get("planned_start"), f.get("planned_end")))
    if f.get("actual_start") or f.get("actual_end"):
        text += tr(lang, "weekly.semicolon") + tr(lang, "quarterly.actual",
                                                  actual=_span(lang, f.get("actual_start"), f.get("actual_end")))
    if f.get("days_late"):
        text += tr(lang, "weekly.paren", text=tr(lang, "quarterly.days_late", days=f["days_late"]))
    return text


def _benefit(f: dict[str, Any], lang: str, bare: bool = False) -> str:
    kind = tr(lang, f"choice.{f['kind']}") if f.get("kind") else BLANK
    benefit = _one_line(f.get("benefit")) or BLANK
    text = benefit if bare else tr(lang, "quarterly.benefit", kind=kind, benefit=benefit)
    moved = [
        tr(lang, "quarterly.moved", metric=metric_label(lang, metric), value=metric_value(metric, value),
           change=change(value, before) or "—")
        for metric, value, before in f.get("moved", ()) if value is not None
    ]
    if moved:
        figures = tr(lang, "weekly.comma").join(moved)
        if f.get("span"):  # part of the quarter, set against the same months of the one before
            first, last, before_first, before_last = f["span"]
            text += tr(lang, "weekly.semicolon") + tr(lang, "quarterly.quarter_figures_part", first=first, last=last,
                                                      before_first=before_first, before_last=before_last,
                                                      figures=figures)
        else:
            text += tr(lang, "weekly.semicolon") + tr(lang, "quarterly.quarter_figures", figures=figures)
    return text


def _month(f: dict[str, Any], lang: str) -> str:
    parts = [f"{tr(lang, 'metric.cash')} {number(f.get('cash'))}"]
    if f.get("forecast"):
        rate = f" {f['cash'] / f['forecast'] * 100:.0f}%" if f.get("cash") is not None else ""
        parts[0] += tr(lang, "weekly.paren", text=tr(lang, "quarterly.forecast", forecast=number(f["forecast"])) + rate)
    parts += [f"{tr(lang, 'metric.users')} {number(f.get('users'))}",
              f"{tr(lang, 'metric.instances')} {number(f.get('instances'))}"]
    return f"{f['month']}{tr(lang, 'weekly.colon')}{tr(lang, 'weekly.semicolon').join(parts)}"


def render(line: Line, lang: str, options: dict[str, Any] | None = None) -> str:
    f = dict(line.facts)
    k = line.kind
    colon = tr(lang, "weekly.colon")
    if k == "duty":
        return str(f["text"])
    if k == "duty_hint":
        return tr(lang, "quarterly.duty_hint")
    if k == "project":
        days = tr(lang, "quarterly.days", days=f["days"]) if f.get("days") else tr(lang, "quarterly.running")
        when = tr(lang, "quarterly.span_days", span=_span(lang, f["start"], f.get("end")), days=days)
        return f"{f['name']}{tr(lang, 'weekly.paren', text=when)}"
    if k == "background":
        return tr(lang, "quarterly.background") + colon + _pairs(lang, f, ("status_quo", "problem", "analysis"))
    if k == "solution":
        return tr(lang, "quarterly.solution") + colon + _pairs(lang, f, ("before", "after", "features", "hard_parts"))
    if k == "phase":
        return _phase(f, lang)
    if k == "shipped_releases":
        shipped = [name + (tr(lang, "weekly.paren", text=day) if day else "") for name, day in f["releases"]]
        return tr(lang, "quarterly.shipped") + colon + tr(lang, "weekly.comma").join(shipped)
    if k == "benefit":
        return _benefit(f, lang)
    if k in ("objective", "next_objective"):
        axis = tr(lang, "weekly.paren", text=tr(lang, f"choice.{f['axis']}")) if f.get("axis") else ""
        text = f"O{colon}{f['text']}{axis}"
        if k == "objective":
            text += f" {progress_bar(f.get('progress'))} {percent(f.get('progress'))}"
        return text
    if k in ("kr", "next_kr"):
        if k == "next_kr":
            return tr(lang, "quarterly.next_kr", metric=metric_label(lang, f["metric"]),
                      start=metric_value(f["metric"], f.get("start")), target=metric_value(f["metric"], f.get("target")))
        return _kr(f, lang)
    if k == "task":
        mark = "✓" if f.get("done") else "☐"
        link = "" if f.get("link") in (None, "typed") else tr(lang, "weekly.paren", text=tr(lang, f"choice.{f['link']}"))
        return f"{mark} {f['text']}{link}"
    if k == "small_project":
        span = _span(lang, f.get("start"), f.get("end"))
        text = tr(lang, "quarterly.small", name=f["name"], span=span)
        if "analysis" not in f:  # a line kept from before the six questions
            return text + colon + tr(lang, "quarterly.small_story", problem=_one_line(f.get("problem")) or BLANK,
                                     benefit=_one_line(f.get("benefit")) or BLANK)
        answers = {q: _one_line(f.get(field)) or BLANK for q, field in SIX}
        answers["did"] = _one_line(f.get("features") or f.get("after")) or BLANK
        asked = [(q, answers[q]) for q in ("why", "whom", "pain", "did")] + [("plan", span), ("effect", answers["effect"])]
        return text + colon + tr(lang, "weekly.semicolon").join(
            f"{tr(lang, 'quarterly.six.' + q)}{colon}{a}" for q, a in asked)
    if k == "grew_shipped":
        names = tr(lang, "weekly.comma").join(f["names"])
        more = f["count"] - len(f["names"])
        return tr(lang, "quarterly.grew_shipped", count=f["count"], names=names) + (
            tr(lang, "monthly.and_more", count=more) if more > 0 else "")
    if k == "grew_led":
        parts = []
        if f.get("large"):
            parts.append(tr(lang, "quarterly.grew_large", names=tr(lang, "weekly.comma").join(f["large"])))
        if f.get("small"):
            parts.append(tr(lang, "quarterly.grew_small", names=tr(lang, "weekly.comma").join(f["small"])))
        return tr(lang, "weekly.semicolon").join(parts)
    if k == "qmonth":
        return _month(f, lang)
    if k == "next_release":
        return tr(lang, "monthly.next_release", name=f["name"])
    if k == "next_request":
        text = str(f["title"])
        if f.get("source"):
            text += tr(lang, "weekly.dot") + tr(lang, "weekly.request_from", source=f["source"])
        return text
    if k == "mover":
        from pmweek.domain.documents.yearly import render as plan_words

        return plan_words(line, lang, options)
    if k == "insight_counts":
        counts = tr(lang, "weekly.comma").join(f"{tr(lang, 'choice.' + lens)} {n}" for lens, n in f["counts"])
        return tr(lang, "quarterly.insights", counts=counts)
    return str(f.get("text", ""))


def timeline(document: Document) -> list[Bar]:
    """The phases of the report's large projects, as the report holds them (a dropped
    phase or project is left out)."""
    from pmweek.domain.charts import Bar  # charts reads the document engine: imported late, no loop
    bars, project = [], None
    for line in document.section("projects"):
        if line.kind == "project":
            project = None if line.dropped else line.facts["name"]
        elif line.kind == "phase" and project is not None and not line.dropped:
            f = line.facts
            bars.append(Bar(project, f["phase"], (f.get("planned_start"), f.get("planned_end")),
                            (f.get("actual_start"), f.get("actual_end")), f.get("days_late")))
    return bars


def _blocks(document: Document, lang: str) -> dict[str, Timeline]:
    from pmweek.domain.charts import Timeline

    drawn = Timeline(tuple(timeline(document)))
    return {"projects": drawn} if drawn.drawn else {}


def gather(sources: Sources, quarter: str, today: date) -> QuarterlyData:
    """The quarter's projects (large ones with their phases and releases), its
    objectives with key results and tasks, its figures by month, next quarter's
    plans and the insights it recorded."""
    first_day, last_day = QUARTER.days(quarter)
    months = period_months(quarter)
    before, after = shift_quarter(quarter, -1), shift_quarter(quarter, 1)
    next_first, next_last = QUARTER.days(after)
    monthly = sources.monthly(period_months(before)[0], period_months(after)[-1], today)
    projects = sources.overlapping("projects", [f.key for f in SHEETS["projects"].fields], "start", "end",
                                   first_day, last_day)
    large = [p for p in projects if p.get("size") != "small"]
    names = sorted({name_key(p["project"]) for p in large})
    phases = sources.named("phases", [f.key for f in SHEETS["phases"].fields], "project", names)
    wanted = sorted({name_key(n) for p in large for n in names_in(p.get("releases"))})
    releases: dict[str, list] = {}
    for r in sources.named("releases", ("name", "released"), "name", wanted):
        if r["released"] is not None:
            releases.setdefault(name_key(r["name"]), []).append(r)
    requests = [r for r in sources.dated("requests", ("title", "source", "status", "needed_by"), "needed_by",
                                         next_first, next_last) if r["status"] in ("new", "accepted", "planned")]
    upcoming = [r for r in sources.dated("releases", ("name", "planned", "released"), "planned",
                                         next_first, next_last) if r["released"] is None]
    lenses = Counter(r["lens"] for r in sources.dated("insights", ("lens",), "date", first_day, last_day))
    shipped = tuple(dict.fromkeys(r["name"] for r in sources.dated("releases", ("name",), "released",
                                                                   first_day, min(last_day, today))))
    for p in large:
        mine = [ph for ph in phases if name_key(ph["project"]) == name_key(p["project"])
                and p["start"] <= ph["planned_start"] and (p.get("end") is None or ph["planned_start"] <= p["end"])]
        p["phases"] = [{**ph, **SHEETS["phases"].compute_values(ph, today)}
                       for ph in sorted(mine, key=lambda ph: (ph["planned_start"], ph["id"]))]
        # A name released more than once: the release nearest the project's end.
        end = p.get("end") or last_day
        p["shipped"] = [(r["name"], r["released"]) for r in (
            min(releases[name_key(n)], key=lambda r: abs((r["released"] - end).days))
            for n in names_in(p.get("releases")) if name_key(n) in releases)]
    # Like with like: a quarter not over (or not yet recorded in full) is set against the
    # same months of the one before, and says which months it covers.
    recorded = [m for m in months if monthly.get("cash", {}).get(m) is not None]
    covered = months[: months.index(recorded[-1]) + 1] if recorded else months
    prior = period_months(before)[: len(covered)]
    moved = tuple((m, measure(m, covered, monthly), measure(m, prior, monthly)) for m in BENEFIT_METRICS)
    span = None if len(covered) == len(months) else [covered[0], covered[-1], prior[0], prior[-1]]
    figures = tuple(QuarterMonth(m, *(monthly.get(k, {}).get(m) for k in ("cash", "forecast", "users", "instances")))
                    for m in months)
    pool = sources.pool(today)
    return QuarterlyData(
        quarter, today, tuple(sources.responsibilities()), tuple(large),
        tuple(p for p in projects if p.get("size") == "small"),
        tuple(sources.objectives(quarter, today, monthly)), moved, figures,
        tuple(sources.objectives(after, today, monthly)),
        tuple({"id": r["id"], "name": r["name"], "planned": r["planned"]} for r in upcoming),
        tuple({k: r[k] for k in ("id", "title", "source", "status", "needed_by")} for r in requests),
        tuple((lens, lenses[lens]) for lens in LENSES if lenses[lens]),
        movers(pool), pool.since, span, shipped,
    )


KIND = DocumentKind(
    name="quarterly",
    command="quarter",
    period="quarter",
    sections=SECTIONS,
    gather=gather,
    compile=candidates,
    render=render,
    typed_sections=("added", *SECTIONS[:-1]),  # growth above all is the PM's own
    optional_sections=("added",),
    dated_kinds=("next_release", "next_request"),
    nested=True,
    blocks=_blocks,
    heading=heading,
)
