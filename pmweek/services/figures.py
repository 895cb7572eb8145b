"""The business figures month by month, and goals measured against them: one place
the monthly summary, the trends screen, `pmweek chart` and goals all read, so they never
disagree with the tables they come from."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import TYPE_CHECKING

from pmweek.db import records as stored
from pmweek.db.engine import unit
from pmweek.domain.calendar import (
    last_workday,
    month_bounds,
    month_of,
    months_between,
    shift_month,
)
from pmweek.domain.charts import CHARTS, Chart, build_chart
from pmweek.domain.goals import (
    METRICS,
    GoalResult,
    evaluate,
    measure,
    period_months,
)
from pmweek.domain.sheets import SHEETS

if TYPE_CHECKING:
    from pmweek.services import Services

Monthly = dict[str, dict[str, float]]  # metric -> month -> value (a month with no record is absent)

_REVENUE = ("cash", "gaap", "users", "instances", "forecast")


class FigureService:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.engine = services.engine

    def monthly(self, first: str, last: str, today: date) -> Monthly:
        """Every metric pmweek computes, per month of [first, last], plus the revenue
        forecast and the campaigns' attention (the conversion rate's denominator). A few
        grouped queries: the same cost at ten years of history as at one."""
        out: Monthly = defaultdict(dict)
        with unit(self.engine, read_only=True) as session:
            for row in stored.sheet_rows(session, "revenue", ("month", *_REVENUE), first, last):
                for key, value in zip(_REVENUE, row[2:-1], strict=True):
                    if value is not None:
                        out[key][row.month] = value

            def counted(sheet: str, **where) -> dict[str, float]:
                return stored.month_totals(session, sheet, first, last, **where)

            # A month of a table exists once any of its records does: then a count may be
            # 0; before that, it is missing (never a made-up zero).
            totals = {metric: counted(sheet) for metric, sheet in (("valuable-opportunities", "opportunities"),
                                                                   ("churn", "churn"))}
            reviewed = set(counted("opportunity_totals")).union(*totals.values())
            for metric, by_month in totals.items():
                out[metric] = {m: by_month.get(m, 0) for m in reviewed}
            out["conversions"] = counted("campaigns", column="conversions")
            out["attention"] = counted("campaigns", column="attention")
            out["conversion-rate"] = {m: out["conversions"].get(m, 0) / a for m, a in out["attention"].items() if a}
            tickets = counted("tickets")
            overdue = counted("tickets", unless={"status": ("done",)}, before=("due", today))
            out["tickets-overdue"] = {m: overdue.get(m, 0) for m in tickets}
            # A deal is live in the month it went live, whichever month its row is filed under.
            deals = counted("deals")
            span = month_bounds(first)[0], month_bounds(last)[1]
            live = stored.dated_month_counts(session, "deals", "go_live", *span, only={"status": ("live",)})
            out["deals-live"] = {m: live.get(m, 0) for m in sorted(set(deals) | set(live))}
            shipped = stored.dated_month_counts(session, "releases", "released", *span)
            if shipped or counted("releases"):
                out["releases"] = {m: shipped.get(m, 0) for m in months_between(first, min(last, month_of(today)))}
        return dict(out)

    def actual(self, metric: str, period: str, monthly: Monthly) -> float | None:
        """A computed metric over a month, quarter or year from ``monthly``."""
        return measure(metric, period_months(period), monthly)

    def goals(self, periods: tuple[str, ...], today: date, monthly: Monthly | None = None) -> list[GoalResult]:
        """The goals set for these periods (months, quarters, years), each with its
        actual and met or missed; ``monthly``: figures already read that cover every
        month of ``periods`` (else they are read here)."""
        with unit(self.engine, read_only=True) as session:
            keys = [f.key for f in SHEETS["goals"].fields]
            rows = [(r.id, dict(zip(keys, r[1:-1], strict=True)))
                    for r in stored.sheet_rows(session, "goals", keys, None, None, only={"period": periods})]
        workday = self.services.checklist.calendar().is_workday
        if monthly is None:
            needed = sorted({m for _, values in rows for m in period_months(values["period"])})
            monthly = self.monthly(needed[0], needed[-1], today) if needed else {}
        results = []
        for goal_id, values in rows:
            metric = values["metric"]
            actual = self.actual(metric, values["period"], monthly) if metric in METRICS else values.get("actual")
            # On the period's last workday it is judged as it ends (the day its summary is written).
            months = period_months(values["period"])
            first, last = month_bounds(months[0])[0], month_bounds(months[-1])[1]
            ended = today >= last_workday(first, last, workday)
            results.append(evaluate(goal_id, values, actual, ended))
        order = {p: i for i, p in enumerate(periods)}
        return sorted(results, key=lambda g: (order.get(g.period, 99), g.id))

    def charts(self, first: str, last: str, today: date, names: tuple[str, ...] = tuple(CHARTS)) -> list[Chart]:
        """The trend charts over [first, last], from the same figures as the tables."""
        monthly = self.monthly(first, last, today)
        months = months_between(first, last)
        return [build_chart(name, months, monthly) for name in names]


def default_range(today: date, months: int = 12) -> tuple[str, str]:
    """The last ``months`` months up to today's."""
    last = month_of(today)
    return shift_month(last, 1 - months), last

