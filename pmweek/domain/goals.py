"""Goals: what a month, quarter or year was meant to achieve, and whether it did.

A goal names a metric. Metrics pmweek can compute from the tables have their actual
worked out for the goal's period (summed over its months, or the last month's value,
as the metric's nature says); any other metric is free text with an actual the PM
types. Met or missed is derived, knowing which metrics are better lower.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pmweek.domain.calendar import FIRST_YEAR, LAST_YEAR, QUARTER, parse_month, parse_quarter, quarter_of, shift_month


@dataclass(frozen=True)
class Metric:
    key: str
    nature: str  # sum: added up over the months | last: the last month's value | ratio: sums divided
    lower_better: bool = False
    table: str = "revenue"  # the book its figures come from


METRICS: dict[str, Metric] = {m.key: m for m in (
    Metric("cash", "sum"),
    Metric("gaap", "sum"),
    Metric("users", "last"),
    Metric("instances", "last"),
    Metric("valuable-opportunities", "sum", table="opportunities"),
    Metric("churn", "sum", lower_better=True, table="opportunities"),
    Metric("conversions", "sum", table="campaigns"),
    Metric("conversion-rate", "ratio", table="campaigns"),
    Metric("tickets-overdue", "last", lower_better=True, table="tickets"),
    Metric("deals-live", "sum", table="deals"),
    Metric("releases", "sum", table="releases"),
)}

AXES = ("user_value", "business_value", "maturity")

_YEAR = re.compile(r"\d{4}")


def parse_period(text: str) -> str:
    """A goal's period as stored: ``2026-10``, ``2026-Q4`` or ``2027``; ValueError otherwise."""
    typed = text.strip()
    if QUARTER.fullmatch(typed):
        return parse_quarter(typed)
    if _YEAR.fullmatch(typed):
        if not FIRST_YEAR <= int(typed) <= LAST_YEAR:
            raise ValueError(typed)
        return typed
    return parse_month(typed)


def parse_score(text: str) -> float:
    """A key result's score as typed: ``0.7`` or ``70%``, from 0 to 1; ValueError otherwise."""
    typed = text.strip()
    value = float(typed[:-1]) / 100 if typed.endswith("%") else float(typed)
    if not 0 <= value <= 1:
        raise ValueError(text)
    return round(value, 2)


def progress(start: float | None, target: float | None, actual: float | None) -> float | None:
    """How far a key result has come from its start toward its target, clamped to
    [0, 1]; None while a figure is missing or start and target are the same."""
    if start is None or target is None or actual is None or target == start:
        return None
    return min(1.0, max(0.0, (actual - start) / (target - start)))


def proposed_score(done: float | None) -> float | None:
    """The score a key result's progress suggests, to the tenth, as OKR reviews grade."""
    return None if done is None else round(done * 10) / 10


def progress_bar(done: float | None, width: int = 10) -> str:
    """``done`` as a bar of ``width`` cells (a half cell rounds up), or dots when unknown."""
    if done is None:
        return "·" * width
    filled = min(width, int(done * width + 0.5))
    return "█" * filled + "░" * (width - filled)


def period_months(period: str) -> list[str]:
    """The months a period covers, in order."""
    if m := QUARTER.fullmatch(period):
        first = f"{m.group(1)}-{(int(m.group(2)) - 1) * 3 + 1:02d}"
        return [shift_month(first, i) for i in range(3)]
    if _YEAR.fullmatch(period):
        return [f"{period}-{i:02d}" for i in range(1, 13)]
    return [period]


def periods_of_month(month: str) -> tuple[str, str, str]:
    """The month, its quarter and its year: the goals a month's summary reads."""
    return month, quarter_of(month), month[:4]


def next_periods(month: str) -> tuple[str, ...]:
    """The goals a month looks ahead to: its own, and its quarter's or year's when it
    opens one."""
    out = [month]
    year, number = month.split("-")
    if int(number) % 3 == 1:
        out.append(quarter_of(month))
    if number == "01":
        out.append(year)
    return tuple(out)


def measure(metric: str, months: list[str], monthly: dict[str, dict[str, float]]) -> float | None:
    """A computed metric over some months from the per-month figures (a rate from its
    numerator and denominator, never an average of rates)."""
    spec = METRICS[metric]
    if spec.nature == "ratio":
        return combine(spec, months, monthly.get("conversions", {}), monthly.get("attention", {}))
    return combine(spec, months, monthly.get(metric, {}))


def combine(metric: Metric, months: list[str], values: dict[str, float | None],
            denominators: dict[str, float | None] | None = None) -> float | None:
    """The metric over ``months`` from its monthly ``values`` (None: nothing recorded)."""
    known = [m for m in months if values.get(m) is not None]
    if not known:
        return None
    if metric.nature == "last":
        return values[known[-1]]
    total = sum(values[m] or 0 for m in known)
    if metric.nature == "ratio":
        below = sum((denominators or {}).get(m) or 0 for m in known)
        return total / below if below else None
    return total


def is_met(target: float | None, actual: float | None, lower_better: bool = False,
           nature: str = "last", ended: bool = True) -> bool | None:
    """Met, missed, or None when a figure is missing or the period is still open and
    could go either way (a running total already past its target is met early; one
    past its ceiling is missed early)."""
    if target is None or actual is None:
        return None
    met = actual <= target if lower_better else actual >= target
    if ended or (nature == "sum" and met != lower_better):
        return met
    return None


@dataclass(frozen=True)
class GoalResult:
    id: int
    period: str
    metric: str
    target: float | None
    actual: float | None
    met: bool | None
    owner: str | None = None
    reason: str | None = None
    axis: str | None = None
    computed: bool = False  # the actual was worked out from the tables
    lower_better: bool = False
    ended: bool = True  # False: the period is still running, the actual is so far
    start: float | None = None  # a key result's value when the quarter began
    objective: str | None = None  # the objective a key result serves, named by its text
    score: float | None = None  # the quarter's review: 0 to 1, decided by the PM
    review: str | None = None

    @property
    def progress(self) -> float | None:
        return progress(self.start, self.target, self.actual)

    @property
    def proposed_score(self) -> float | None:
        return proposed_score(self.progress)

    @property
    def flagged(self) -> bool:
        """Missed, and nobody said why (a key result's review says why too)."""
        return self.met is False and not (self.reason or self.review or "").strip()


def evaluate(goal_id: int, values: dict, actual: float | None, ended: bool = True) -> GoalResult:
    """A goal row's result, given the actual for its metric (computed or typed) and
    whether its period is over."""
    metric = METRICS.get(values["metric"])
    lower = metric.lower_better if metric else False
    nature = metric.nature if metric else "last"
    target = values.get("goal_target")
    start = values.get("goal_start")
    if start is None and nature == "sum":  # a running total starts each period from nothing
        start = 0.0
    return GoalResult(
        goal_id, values["period"], values["metric"], target, actual,
        is_met(target, actual, lower, nature, ended), values.get("owner"), values.get("goal_reason"),
        values.get("axis"), metric is not None, lower, ended, start, values.get("objective"),
        values.get("score"), values.get("review"),
    )
