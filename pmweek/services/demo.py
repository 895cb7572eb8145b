"""Demo data: years of plausible weeks and monthly tables, for a newcomer to try
pmweek and for the benchmarks. Written with bulk inserts, in one transaction."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TYPE_CHECKING
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy.engine import Engine

from pmweek.db import checklists, settings, store
from pmweek.db.engine import unit
from pmweek.db.tables import Task, TaskEvent, WeekRow
from pmweek.domain.calendar import Week, month_of
from pmweek.domain.routine import shipped_template
from pmweek.errors import InputError
from pmweek.services.checklist import TEMPLATE_SEEDED
from pmweek.services.demo_text import TEXT, DemoText

if TYPE_CHECKING:
    from pmweek.services.documents import DocumentService

# A busy PM's month (issue: 40 opportunities, 10 churned, 8 campaigns, 15 deals, 20 topics).
PER_MONTH = {"opportunities": 40, "churn": 10, "campaigns": 8, "deals": 15, "tickets": 20,
             "releases": 2, "insights": 6, "requests": 3}
PARTNERS = ["dts", "dbs", "dms", "das"]



def fill(engine: Engine, years: float, today: date, lang: str = "en",
         progress: Callable[[str, int, int], None] | None = None, seed: int = 7,
         user: str = "") -> dict[str, int]:
    """Fill an empty database with ``years`` of history up to ``today``; counts by table."""
    rng = random.Random(seed)
    weeks = max(1, round(years * 52))
    first = Week.of(today).shift(-(weeks - 1))
    template = shipped_template(lang)
    words = TEXT[lang]
    counts: dict[str, int] = {}
    with unit(engine) as session:
        if store.has_history(session):
            raise InputError("error.demo_not_empty")
        checklists.insert_template_items(session, (
            dict(owner=user, day=i.day, until_day=i.until, position=i.position, key=i.key, title=i.title,
                 table_name=i.table, points="\n".join(i.points)) for i in template
        ))
        settings.set_meta(session, f"{TEMPLATE_SEEDED}:{user}", lang)
        # Weeks, then their items, then sub-points and ticks: a few bulk inserts that
        # return the new ids in order, so parents are known without a query per row.
        current = Week.of(today)
        all_weeks = [first.shift(n) for n in range(weeks)]
        week_ids = store.bulk_insert_returning(session, WeekRow, [
            dict(owner=user, iso_year=w.year, iso_week=w.number, created_at=_at(w.monday, 8)) for w in all_weeks
        ])
        items, plans = [], []
        for week, week_id in zip(all_weeks, week_ids, strict=True):
            for item in template:
                day = week.day(item.day)
                done = not (week == current and day >= today) and rng.random() < 0.9
                note = rng.choice(words.notes)
                # a block item (Tue–Wed) is one piece of work over its days, as a week opened has it
                items.append(dict(week_id=week_id, parent_id=None, day=item.day, until_day=item.until,
                                  position=item.position,
                                  key=item.key, title=item.title, table_name=item.table, note=note,
                                  done_at=_at(day, rng.randint(9, 18)) if done else None))
                plans.append((item, day))
        item_ids = store.bulk_insert_returning(session, Task, items)
        if progress:
            progress("weeks", weeks, weeks)
        points, events = [], []
        for (item, day), row, item_id in zip(plans, items, item_ids, strict=True):
            if row["done_at"] is not None:
                events.append(dict(task_id=item_id, at=row["done_at"], action="done"))
            for i, text in enumerate(item.points):
                ticked = row["done_at"] is not None and rng.random() < 0.8
                points.append(dict(week_id=row["week_id"], parent_id=item_id, day=item.day, until_day=None, position=i,
                                   key=None, title=text, table_name=None, note="",
                                   done_at=_at(day, rng.randint(9, 18)) if ticked else None))
        store.bulk_insert(session, Task, points)
        store.bulk_insert(session, TaskEvent, events)
        counts.update(weeks=weeks, tasks=len(items) + len(points), events=len(events))

        months = sorted({month_of(first.shift(n).monday) for n in range(weeks)} | {month_of(today)})
        for index, month in enumerate(months):
            for sheet, rows in _month_rows(rng, words, month, today, month == months[-1], index).items():
                store.bulk_insert(session, sheet, [dict(r, entered_by=user) for r in rows])
                counts[sheet] = counts.get(sheet, 0) + len(rows)
            if progress and (index % 12 == 0 or index == len(months) - 1):
                progress("months", index + 1, len(months))
        session.commit()
    return counts


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=timezone.utc)


def _month_rows(rng: random.Random, words: DemoText, month: str, today: date, current: bool,
                index: int) -> dict[str, list[dict]]:
    year, mon = map(int, month.split("-"))
    start = date(year, mon, 1)
    growth = 1 + index * 0.01

    def day_in(days: int) -> date:
        return start + timedelta(days=rng.randint(0, days))

    # What came later (when each row was entered, why revenue moved, the readers' own
    # KPIs) draws from a second generator: the same seed still draws the same rows.
    side = random.Random(f"pmweek-demo-{month}")

    class Entered(dict):
        """A row's bookkeeping, entered on a day of its month up to today (as a PM
        types them through the month): what this week's report finds entered."""

        def __init__(self) -> None:
            stamp = _at(min(start + timedelta(days=side.randint(0, 27)), today), side.randint(9, 18))
            super().__init__(month=month, created_at=stamp, updated_at=stamp, deleted_at=None)

    base = Entered

    rows: dict[str, list[dict]] = {}
    rows["opportunity_totals"] = [dict(base(), total=rng.randint(80, 160))]
    # Each customer once a month, in the industry its name says ("… Bank" is finance).
    rows["opportunities"] = [
        dict(base(), customer=customer, spend=float(rng.randint(10, 500)),
             industry=words.industry_of(customer),
             influence=rng.choice(words.influence), reason=rng.choice(words.reasons),
             status="open" if current and rng.random() < 0.6 else rng.choice(["won", "lost", "won"]))
        for customer in rng.sample(words.customers, PER_MONTH["opportunities"])
    ]
    # Who churned this month is neither a valuable opportunity nor a deal of it.
    valuable = {r["customer"] for r in rows["opportunities"]}
    churned = rng.sample([c for c in words.customers if c not in valuable], PER_MONTH["churn"])
    staying = [c for c in words.customers if c not in churned]
    rows["churn"] = [
        dict(base(), customer=customer, churn_reason=rng.choice(words.churn_reasons)) for customer in churned
    ]
    rows["campaigns"] = [
        dict(base(), campaign=words.campaigns[i % len(words.campaigns)],
             attention=(attention := rng.randint(200, 5000)),
             conversions=rng.randint(0, attention // 10), improvement=rng.choice(words.improvements))
        for i in range(PER_MONTH["campaigns"])
    ]
    rows["deals"] = [
        dict(base(), customer=rng.choice(staying), target=float(rng.randint(50, 2000)),
             requirement=rng.choice(words.requirements), go_live=(go := day_in(75)),
             progress=rng.choice(words.progress),
             status="open" if go >= today else rng.choice(["live", "live", "lost"]))
        for _ in range(PER_MONTH["deals"])
    ]
    rows["tickets"] = [
        dict(base(), category=words.categories[i % len(words.categories)], count=rng.randint(1, 60),
             plan=rng.choice(words.plans), owner=rng.choice(words.owners), due=(due := day_in(45)),
             status="open" if due >= today - timedelta(days=10) and current else "done")
        for i in range(PER_MONTH["tickets"])
    ]
    rows["releases"] = []
    for i in range(PER_MONTH["releases"]):
        planned = day_in(27)
        released = planned + timedelta(days=rng.randint(0, 10)) if planned + timedelta(days=10) < today else None
        slipped = released is None and planned < today
        rows["releases"].append(dict(
            base(), name=words.features[(index * 2 + i) % len(words.features)], planned=planned, released=released,
            status="released" if released else "slipped" if slipped else "planned",
            profile=rng.choice(words.profiles), scenario="", value="", advantages="",
            playbook="", ops_goal="", waiting=words.separator.join(rng.sample(words.customers, 2)), product=None,
            earlier_planned=(planned - timedelta(days=14)).isoformat() if rng.random() < 0.3 else None))
    rows["insights"] = [
        dict(base(), date=min(day_in(27), today), lens=(lens := rng.choice(list(words.insights))),
             text=rng.choice(words.insights[lens]), source=rng.choice(words.sources))
        for _ in range(PER_MONTH["insights"])
    ]
    rows["requests"] = [
        dict(base(), title=rng.choice(words.requests), source_kind="partner", source=rng.choice(PARTNERS),
             needed_by=(needed := start + timedelta(days=rng.randint(30, 90))),
             opportunities=words.deals[(n := rng.randint(1, 6)) > 1].format(n=n), roi="", release=None,
             # Requests long past their date were delivered or turned down, as in real life.
             status=rng.choice(["done", "done", "declined"] if needed < today - timedelta(days=30)
                               else ["new", "accepted", "planned"]), product=None,
             # RICE, as a PM fills it in: most scored, some still waiting for a figure.
             reach=rng.choice([None, 200, 800, 2000, 5000]), impact=rng.choice([3.0, 2.0, 1.0, 0.5, 0.25]),
             confidence=rng.choice([1.0, 0.8, 0.5]), effort=rng.choice([0.5, 1.0, 2.0, 4.0, 6.0]),
             weight=rng.choice([None, None, 1.5, 2.0]), axis=rng.choice(["user_value", "business_value", "maturity"]),
             quarter=f"{start.year}-Q{(start.month - 1) // 3 + 2}" if start.month <= 9 else f"{start.year + 1}-Q1")
        for _ in range(PER_MONTH["requests"])
    ]
    cash = round(100 * growth * rng.uniform(0.9, 1.1), 1)
    rows["revenue"] = [dict(base(), cash=cash, gaap=round(cash * 0.93, 1), users=int(300 * growth),
                            instances=int(500 * growth), forecast=round(cash * rng.uniform(0.95, 1.1), 1),
                            change_note=side.choice(words.revenue_notes), actions=side.choice(words.revenue_actions))]
    rows["reader_figures"] = [
        dict(base(), period=month, measure=measure, measure_value=value, measure_note=words.measure_notes[i % len(words.measure_notes)]
             if side.random() < 0.5 else None, product=None)
        for i, (measure, value) in enumerate((("partners", float(40 + index // 2 + side.randint(0, 3))),
                               ("partner_revenue", round(20 * growth * side.uniform(0.8, 1.2), 1)),
                               ("reach", float(side.randint(8000, 20000))), ("major_events", float(side.randint(0, 3))),
                               ("doc_coverage", round(side.uniform(70, 90), 1)),
                               ("doc_first_resolution", round(side.uniform(60, 85), 1))))
    ]
    # Goals: the month's own (one a stretch, one better lower), and the quarter's when it opens one.
    goal = dict(base(), actual=None, product=None, goal_start=None, objective=None, score=None, review=None)
    rows["goals"] = [
        dict(goal, period=month, metric="cash", goal_target=round(100 * growth * 1.02, 1),
             owner=rng.choice(words.owners),
             goal_reason=rng.choice(words.cash_reasons), axis="business_value"),
        dict(goal, period=month, metric="churn", goal_target=8.0, owner=rng.choice(words.owners),
             goal_reason=rng.choice(words.churn_goal_reasons), axis="user_value"),
        dict(goal, period=month, metric="conversion-rate", goal_target=0.05, owner=None, goal_reason="",
             axis="business_value"),
    ]
    if mon % 3 == 1:
        quarter = f"{year}-Q{(mon - 1) // 3 + 1}"
        rows["goals"].append(dict(goal, period=quarter, metric="valuable-opportunities", goal_target=110.0,
                                  owner=rng.choice(words.owners), goal_reason="", axis="business_value"))
        _quarter_rows(rng, words, rows, base, goal, quarter, start, today, growth)
    return rows


AXES = ("user_value", "business_value")  # of the two objectives, in order
RISK_KINDS = ("technical", "requirement_change")  # of the two risks, in order


def _quarter_rows(rng: random.Random, words: DemoText, rows: dict, base: Callable[[], dict], goal: dict, quarter: str,
                  start: date, today: date, growth: float) -> None:
    """A quarter's objectives (two), key results (computed and typed, scored once the
    quarter is over), tasks linked to its work, one large project in three phases and
    three small ones."""
    end = date(start.year + (start.month + 2) // 12, (start.month + 2) % 12 + 1, 1) - timedelta(days=1)
    over = end < today
    rows["objectives"] = [dict(base(), quarter=quarter, objective=text, axis=axis, owner=rng.choice(words.owners),
                               product=None) for text, axis in zip(words.objectives, AXES, strict=True)]
    users = int(300 * growth)
    nps = rng.randint(30, 50)
    krs = [
        dict(goal, period=quarter, metric="users", goal_start=float(users), goal_target=float(int(users * 1.05)),
             objective=words.objectives[0]),
        dict(goal, period=quarter, metric="NPS", goal_start=30.0, goal_target=45.0, actual=float(nps),
             objective=words.objectives[0]),
        dict(goal, period=quarter, metric="deals-live", goal_start=0.0, goal_target=25.0,
             objective=words.objectives[1]),
    ]
    for kr in krs:
        kr.update(owner=rng.choice(words.owners), goal_reason="", axis=None)
        if over:
            kr.update(score=round(rng.uniform(0.3, 1.0), 1), review=rng.choice(words.reviews))
    rows["goals"] += krs
    rows["risks"] = [
        dict(base(), risk=text, risk_kind=kind, likelihood=rng.randint(1, 5), severity=rng.randint(2, 5),
             mitigation=mitigation, fallback=fallback, owner=rng.choice(words.owners),
             status="closed" if over else rng.choice(["open", "watching"]),
             next_review=min(end, today + timedelta(days=7)), product=None)
        for (text, mitigation, fallback), kind in zip(words.risks, RISK_KINDS, strict=True)
    ]
    project = words.projects[(start.year * 4 + start.month // 3) % len(words.projects)]
    release = rows["releases"][0]["name"]
    rows["tasks"] = [
        dict(base(), quarter=quarter, kr="users", task=words.interview, link="typed",
             status="done" if over or rng.random() < 0.5 else "open"),
        dict(base(), quarter=quarter, kr="users", task=release, link="release", status="open"),
        dict(base(), quarter=quarter, kr="deals-live", task=project, link="project", status="open"),
    ]
    finish = start + timedelta(days=80)
    rows["projects"] = [dict(
        base(), project=project, start=start, end=finish, size="large", objective=words.objectives[1],
        status_quo=words.status_quo, problem=words.problem, analysis=words.analysis, before=words.before,
        after=words.after,
        features=words.also_ships.format(release=release), hard_parts=words.hard_parts,
        benefit_kind=rng.choice(["revenue", "risk"]), benefit=words.benefit, releases=release, product=None)]
    rows["phases"] = []
    for i, phase in enumerate(words.phases):
        planned = start + timedelta(days=i * 27)
        late = rng.choice([0, 0, 5, 12])
        actual_end = planned + timedelta(days=26 + late)
        rows["phases"].append(dict(
            base(), month=month_of(planned), project=project, phase=phase, planned_start=planned,
            planned_end=planned + timedelta(days=26), actual_start=planned if planned <= today else None,
            actual_end=actual_end if actual_end <= today else None, scope=""))
    for i in range(3):
        name = words.small[(start.month // 3 + i) % len(words.small)]
        begin = start + timedelta(days=i * 28)
        rows["projects"].append(dict(
            base(), month=month_of(begin), project=name, start=begin, end=begin + timedelta(days=12), size="small",
            objective=words.objectives[0], status_quo="", problem=words.small_problem,
            analysis="", before="", after="", features="", hard_parts="", benefit_kind="users",
            benefit=words.small_benefit.format(n=rng.randint(3, 9)), releases="", product=None))


def compile_plans(documents: DocumentService, today: date, weeks: int = 2) -> int:
    """The Friday plans of the last ``weeks`` weeks, compiled on their Fridays as the PM
    would have (`r`), so Monday's review works through one. Returns how many."""
    from pmweek.domain.documents.plan import KIND

    made = 0
    for back in range(weeks - 1, -1, -1):
        week = Week.of(today).shift(-back)
        friday = week.day(5)
        if friday <= today:
            documents.compile(KIND.name, str(week), friday)
            made += 1
    return made
