"""The monthly business tables, declared once.

A *sheet* is one kind of record the PM enters (a campaign, a churned customer…);
a *book* is one table of PRODUCT.md §2 as the PM reads and exports it, built
from one or more sheets. Forms, the CLI, exports and CSV import are all driven
by these declarations, and every figure a PM would work out by hand is computed
here, never typed.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pmweek.domain.calendar import (
    month_of,
    parse_date,
    parse_month,
    parse_quarter,
    quarter_of,
    shift_month,
)
from pmweek.domain.goals import AXES, METRICS, parse_period, parse_score, period_months
from pmweek.domain.rice import parse_confidence, parse_impact, rank_key, rice
from pmweek.domain.text import CONTROL
from pmweek.errors import InputError

MAX_TEXT = 5000
MAX_NUMBER = 10**13  # far above any revenue, small enough to stay exact as a float


@dataclass(frozen=True)
class Field:
    key: str
    kind: str  # month | period | quarter | text | int | money | score | impact | confidence | effort | date | choice
    required: bool = False
    choices: tuple[str, ...] = ()
    default: str | None = None
    complete: bool = False  # offer values already used, as you type
    multiline: bool = False
    typed: bool = True  # False: kept by pmweek (a moved date's history), not in forms or flags
    flag: str | None = None  # its command-line name, where the column's key says more
    aliases: tuple[str, ...] = ()  # earlier command-line names, still read (scripts written before)
    # Earlier keys of this field: a database made under one has the data moved here when
    # opened (never an empty new column beside the old one), its history with it.
    renamed: tuple[str, ...] = ()
    known: tuple[str, ...] = ()  # values pmweek understands (and offers); others are allowed
    words: str = "choice"  # the catalogue's prefix for the words of its choices or known values
    # A number that may be typed as a percentage ("7.1%", as Excel writes a percent cell):
    # "share" stores 7.1% as 0.071 (a rate's target), "points" as 7.1 (a coverage in %).
    percent: str | None = None
    # Its words' catalogue key, where ``field.<key>`` means something else already
    # (a release's "name" is 发布项): a kind's field reads as its own declaration says.
    label: str | None = None

    def word_key(self, value: str) -> str | None:
        """The catalogue key of a stored value's word (None: a value of the PM's own)."""
        return f"{self.words}.{value}" if value in (self.choices or self.known) else None

    @property
    def label_key(self) -> str:
        return self.label or f"field.{self.key}"

    @property
    def option(self) -> str:
        return "--" + (self.flag or self.key).replace("_", "-")

    @property
    def old_options(self) -> tuple[str, ...]:
        return tuple("--" + a.replace("_", "-") for a in self.aliases)


@dataclass(frozen=True)
class Computed:
    """A computed column and how it reads: rate (a fraction shown as %), change (a
    signed %), gap (a signed amount), flag (a word when true), count, days, dates."""

    key: str
    kind: str


Values = dict[str, Any]
Computer = Callable[[Values, date, "Values | None"], Values]
Checker = Callable[[Values], list[tuple[str, dict]]]
# What a record may not hold although each field alone is fine: raises InputError. Given
# the record as it will be stored and the text typed (only the fields given).
Refuser = Callable[[Values, "dict[str, str | None]"], None]


@dataclass(frozen=True)
class Sheet:
    """One kind of record, declared once: its fields, how it is placed in time, its
    computed columns and warnings, and the hints its storage needs. Tables, forms, CLI
    flags, CSV and Markdown are all derived from this."""

    name: str
    fields: tuple[Field, ...]
    table: str  # the storage table's name
    one_per_month: bool = False  # revenue, the month's opportunity total
    # How a record is placed in time: "month" (a month field the PM types), "date" (the
    # date in ``period_field``), "span" (a month, quarter or year in ``period_field``: filed
    # under its first month), "entered" (the day it was entered). Every record is
    # also filed under a month, so any kind can be browsed month by month.
    period: str = "month"
    period_field: str | None = "month"
    computed: tuple[Computed, ...] = ()  # computed columns, in display order
    compute: Computer | None = None  # values, today, previous month's values -> computed
    compares_months: bool = False  # compute needs the previous month's record
    check: Checker | None = None  # allowed but probably wrong values -> warnings
    refuse: Refuser | None = None  # values that are wrong together, refused
    # Does this record's ``percent="share"`` figures hold a share (shown as 7.1%)? A goal's
    # do when its metric is a rate.
    shares: Callable[[Values], bool] | None = None
    # One record as a line inside a summary table (a valuable opportunity under its
    # month), in words the caller's translator (``t``) gives.
    brief: Callable[[Values, Callable[..., str]], str] | None = None
    # Date fields whose earlier values are kept, each in an untyped field "earlier_<key>".
    keeps_earlier: tuple[str, ...] = ()
    indexes: tuple[tuple[str, ...], ...] = ()  # column groups the queries filter on
    order: Callable[[RowView], Any] | None = None  # how its table lists rows (the pool: by rank)
    named: tuple[str, ...] = ()  # columns other records name it by (trimmed, case aside): indexed so

    @property
    def typed_fields(self) -> tuple[Field, ...]:
        """The fields a PM types: the form's and the `add` command's."""
        return tuple(f for f in self.fields if f.typed)

    @property
    def has_product(self) -> bool:
        return any(f.key == "product" for f in self.fields)

    @property
    def monthly(self) -> bool:
        return self.period == "month"

    def field(self, key: str) -> Field:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)

    def field_of(self, column: str) -> Field | None:
        """The typed field a column shows, if it is one."""
        return next((f for f in self.fields if f.key == column), None)

    def is_share(self, column: str, values: Values | None) -> bool:
        """Is this record's figure in ``column`` a share, shown as a percentage?"""
        field = self.field_of(column)
        return (field is not None and field.percent == "share" and values is not None and self.shares is not None
                and self.shares(values))

    def kind_of(self, column: str) -> str | None:
        """How a column of this kind reads (a field's kind, or a computed column's): its
        own declaration's, whatever another kind's column of that name is."""
        if (f := self.field_of(column)) is not None:
            return f.kind
        return next((c.kind for c in self.computed if c.key == column), None)

    @property
    def label_key(self) -> str:
        return f"sheet.{self.name}"

    def filed_month(self, values: Values, today: date) -> str:
        """The month a record is filed under: its own month, the month of its date, or
        the month it was entered in."""
        if self.period == "month":
            return values["month"]
        if self.period == "span":
            return period_months(values[self.period_field])[0]
        placed = values.get(self.period_field) if self.period_field else None
        return month_of(placed if isinstance(placed, date) else today)

    def compute_values(self, values: Values, today: date, previous: Values | None = None) -> Values:
        computed = self.compute(values, today, previous) if self.compute else {}
        for key in self.keeps_earlier:  # as dates, for whoever reads them
            computed[f"earlier_{key}"] = parse_earlier(values.get(f"earlier_{key}"))
        return computed

    def warnings(self, values: Values) -> list[tuple[str, dict]]:
        return self.check(values) if self.check else []

    def defaults(self, today: date, month: str | None = None) -> dict[str, str]:
        """What a new record starts with: the month shown (or today's), or today's
        date when the kind is placed by a date it cannot do without."""
        if self.monthly:
            return {"month": month or month_of(today)}
        if self.period == "span":
            month = month or month_of(today)
            return {self.period_field: quarter_of(month) if self.field(self.period_field).kind == "quarter" else month}
        if self.period_field and self.field(self.period_field).required:
            return {self.period_field: today.isoformat()}
        return {}


def parse_earlier(stored: str | None) -> tuple[date, ...]:
    """Earlier values of a date field, as stored: ISO dates, oldest first."""
    return tuple(date.fromisoformat(d) for d in (stored or "").split(",") if d)


def add_earlier(stored: str | None, old: date | None, new: date | None) -> str | None:
    """The stored earlier dates after a date field changed from ``old`` to ``new``."""
    if old is None or old == new:
        return stored
    kept = [d for d in (stored or "").split(",") if d]
    if old.isoformat() not in kept:
        kept.append(old.isoformat())
    return ",".join(kept)


# -- computed figures --------------------------------------------------------------------


def ratio(part: float | None, whole: float | None) -> float | None:
    if part is None or not whole:
        return None
    return part / whole


def change(now: float | None, before: float | None) -> float | None:
    """Relative change from ``before`` to ``now`` (0.1 = +10 %), None when unknowable."""
    if now is None or not before:
        return None
    return (now - before) / before


def difference(a: float | None, b: float | None) -> float | None:
    if a is None or b is None:
        return None
    return a - b


def _campaign_figures(values: Values, _today: date, _previous: Values | None) -> Values:
    return {"conversion_rate": ratio(values.get("conversions"), values.get("attention"))}


def _campaign_warnings(values: Values) -> list[tuple[str, dict]]:
    attention, conversions = values.get("attention"), values.get("conversions")
    if attention is not None and conversions is not None and conversions > attention:
        return [("warn.conversions_above_attention", {"conversions": conversions, "attention": attention})]
    return []


def _ticket_figures(values: Values, today: date, _previous: Values | None) -> Values:
    due = values.get("due")
    return {"overdue": due is not None and due < today and values.get("status") != "done"}


def _deal_figures(values: Values, today: date, _previous: Values | None) -> Values:
    go_live = values.get("go_live")
    pending = go_live is not None and values.get("status", "open") == "open"
    return {"days_to_go_live": (go_live - today).days if pending else None}


def _revenue_figures(values: Values, _today: date, previous: Values | None) -> Values:
    prev = previous or {}
    cash, forecast = values.get("cash"), values.get("forecast")
    return {
        "cash_mom": change(cash, prev.get("cash")),
        "users_mom": change(values.get("users"), prev.get("users")),
        "instances_mom": change(values.get("instances"), prev.get("instances")),
        "forecast_gap": difference(cash, forecast),
        "forecast_rate": ratio(cash, forecast),
        "cash_gaap_gap": difference(cash, values.get("gaap")),
    }


def _release_figures(values: Values, today: date, _previous: Values | None) -> Values:
    planned, released = values.get("planned"), values.get("released")
    late = planned is not None and released is None and planned < today and values.get("status") != "released"
    return {"days_late": (today - planned).days if late else None}


def _request_figures(values: Values, _today: date, _previous: Values | None) -> Values:
    score, weighted = rice(values)
    return {"rice_score": score, "weighted_score": weighted}


def _risk_figures(values: Values, today: date, _previous: Values | None) -> Values:
    likelihood, severity = values.get("likelihood"), values.get("severity")
    review = values.get("next_review")
    return {
        "risk_score": likelihood * severity if likelihood is not None and severity is not None else None,
        "review_due": review is not None and review < today and values.get("status") != "closed",
    }


RISK_KINDS = ("requirement_change", "technical", "market_risk", "other")
RISK_FLAGGED = 12  # an open risk scoring this or more goes into the weekly report


def _release_warnings(values: Values) -> list[tuple[str, dict]]:
    if values.get("status") == "released" and values.get("released") is None:
        return [("warn.released_without_date", {})]
    return []


def _project_warnings(values: Values) -> list[tuple[str, dict]]:
    start, end = values.get("start"), values.get("end")
    if start is not None and end is not None and end < start:
        return [("warn.ends_before_start", {"start": start.isoformat(), "end": end.isoformat()})]
    if values.get("size") == "small" and start is not None and end is not None and (end - start).days >= LARGE_DAYS:
        return [("warn.small_but_long", {"days": (end - start).days})]
    return []


def _phase_warnings(values: Values) -> list[tuple[str, dict]]:
    start, end = values.get("planned_start"), values.get("planned_end")
    if start is not None and end is not None and end < start:
        return [("warn.phase_ends_before_start", {"start": start.isoformat(), "end": end.isoformat()})]
    return []


def _phase_figures(values: Values, today: date, _previous: Values | None) -> Values:
    """Days a phase finished (or, still open, runs) past its planned end."""
    planned, actual = values.get("planned_end"), values.get("actual_end")
    if planned is None:
        return {"days_late": None}
    late = ((actual or today) - planned).days
    return {"days_late": late if late > 0 else None}


LARGE_DAYS = 30  # a project a month or longer is told as a large one

# Routine items whose notes are insights, and the lens ("five looks") each looks through.
INSIGHT_LENS = {"mon-competitors": "competitor", "mon-community": "industry"}


def note_insights(note: str) -> list[str]:
    """An item's note as insights: one per non-empty line, list markers dropped."""
    lines = (line.strip() for line in note.splitlines())
    return [line.lstrip("-*•·").strip() for line in lines if line.lstrip("-*•·").strip()]


def insight_lens(line: str, default: str, words: dict[str, str]) -> tuple[str, str]:
    """A line's own lens when it opens with one (``market: …``, ``看市场：…``, ``[trend] …``),
    else ``default``; and the line without it. ``words``: each lens's names, in lower
    case, in every language -> its key."""
    text = line.strip()
    bracket = re.match(r"^[\[【(（]\s*([^\]】)）]+?)\s*[\]】)）]\s*(.+)$", text)
    colon = re.match(r"^([^:：]{1,12}?)\s*[:：]\s*(.+)$", text)
    for found in (bracket, colon):
        if found and found.group(1).strip().casefold() in words:
            return words[found.group(1).strip().casefold()], found.group(2).strip()
    return default, text


TASK_LINKS = ("typed", "item", "plan", "release", "project")
BENEFIT_KINDS = ("revenue", "cost", "efficiency", "risk", "users", "frequency", "integrations", "effort_saved")

MONTH = Field("month", "month", required=True)
# The readers' KPIs no other table holds (PRODUCT.md §4a): channel's partners and their
# revenue, brand's reach and major events, docs' coverage and first-time resolution.
READER_MEASURES = ("partners", "partner_revenue", "reach", "major_events", "doc_coverage", "doc_global_coverage",
                   "doc_first_resolution")
# The product line a record belongs to, for teams that keep several in one database.
# Not a column of the source tables: exports show it only when some row has one.
PRODUCT = Field("product", "text", complete=True)

def _brief_opportunity(v: Values, t: Callable[..., str]) -> str:
    """In the PM's language's own punctuation: "海岳零售（零售、消费 494）：行业前三"."""
    facts = [v.get("industry"), v.get("influence")]
    if v.get("spend") is not None:
        facts.append(t("value.spend", value=format_value(v["spend"])))
    if v.get("status") and v["status"] != "open":
        facts.append(t(f"choice.{v['status']}"))
    detail = t("text.list_sep").join(str(f) for f in facts if f)
    head = v["customer"] + (t("weekly.paren", text=detail) if detail else "")
    return f"{head}{t('weekly.colon')}{v['reason']}"


GOAL_FIGURES = ("goal_start", "goal_target", "actual")


def _is_rate(metric: Any) -> bool:
    return isinstance(metric, str) and metric in METRICS and METRICS[metric].nature == "ratio"


def _goal_units(values: Values, raw: dict[str, str | None]) -> None:
    """A rate's goal is a share (5% is 0.05): a plain figure above 1 for one is refused,
    never read as a percentage; a percentage for a metric that counts (cash, users) is
    refused too. A metric of the PM's own may be either."""
    metric = METRICS.get(values.get("metric") or "")
    if metric is None:
        return
    for key in GOAL_FIGURES:
        value, typed = values.get(key), unicodedata.normalize("NFKC", raw.get(key) or "").strip()
        if value is None or key not in raw:
            continue
        if metric.nature == "ratio" and value > 1 and not typed.endswith("%"):
            raise InputError("error.goal_share", field=f"field.{key}", value=typed or format_value(value))
        if metric.nature != "ratio" and typed.endswith("%"):
            raise InputError("error.goal_count", field=f"field.{key}", value=typed, word=f"metric.{metric.key}")


SHEETS: dict[str, Sheet] = {
    s.name: s
    for s in (
        Sheet(
            "opportunities",
            (
                MONTH,
                Field("customer", "text", required=True, complete=True),
                Field("spend", "money"),
                Field("industry", "text", complete=True),
                Field("influence", "text", complete=True),
                Field("reason", "text", required=True, multiline=True, flag="why_valuable", aliases=("reason",)),
                Field("status", "choice", choices=("open", "won", "lost"), default="open"),
                PRODUCT,
            ),
            table="opportunity",
            indexes=(("status", "month"), ("updated_at",)),  # the week's report: what was entered this week
            brief=_brief_opportunity,
        ),
        Sheet(
            "churn",
            (
                MONTH,
                Field("customer", "text", required=True, complete=True),
                Field("churn_reason", "text", required=True, complete=True, multiline=True),
                PRODUCT,
            ),
            table="churn",
            indexes=(("updated_at",),),
            brief=lambda v, t: f"{v['customer']}{t('weekly.colon')}{v['churn_reason']}",
        ),
        Sheet(
            "opportunity_totals",
            (MONTH, Field("total", "int", required=True)),
            table="opportunity_total",
            one_per_month=True,
        ),
        Sheet(
            "campaigns",
            (
                MONTH,
                Field("campaign", "text", required=True, complete=True),
                Field("attention", "int"),
                Field("conversions", "int"),
                Field("improvement", "text", multiline=True),
                PRODUCT,
            ),
            table="campaign",
            computed=(Computed("conversion_rate", "rate"),),
            compute=_campaign_figures,
            check=_campaign_warnings,
        ),
        Sheet(
            "deals",
            (
                MONTH,
                Field("customer", "text", required=True, complete=True),
                Field("target", "money"),
                Field("requirement", "text", multiline=True),
                Field("go_live", "date"),
                Field("progress", "text", multiline=True),
                # Not a column of the source; needed to know a deal is no longer pending.
                Field("status", "choice", choices=("open", "live", "lost"), default="open"),
                PRODUCT,
            ),
            table="deal",
            computed=(Computed("days_to_go_live", "days"),),
            compute=_deal_figures,
            # (status, month): the deals gone live in a range of months, not in all history
            indexes=(("status", "go_live"), ("status", "month"), ("updated_at",)),
        ),
        Sheet(
            "tickets",
            (
                MONTH,
                Field("category", "text", required=True, complete=True),
                Field("count", "int", flag="tickets", aliases=("count",)),
                Field("plan", "text", multiline=True, flag="improvement_plan", aliases=("plan",)),
                Field("owner", "text", complete=True),
                Field("due", "date"),
                Field("status", "choice", choices=("open", "done"), default="open"),
                PRODUCT,
            ),
            table="ticket_topic",
            computed=(Computed("overdue", "flag"),),
            compute=_ticket_figures,
            indexes=(("status", "due"), ("updated_at",)),
        ),
        Sheet(
            "revenue",
            (
                MONTH,
                Field("cash", "money"),
                Field("gaap", "money"),
                Field("users", "int"),
                Field("instances", "int"),
                Field("forecast", "money"),
                Field("change_note", "text", multiline=True, flag="explanation", aliases=("change_note",)),
                Field("actions", "text", multiline=True),
            ),
            table="revenue",
            one_per_month=True,
            computed=(
                Computed("cash_mom", "change"), Computed("users_mom", "change"), Computed("instances_mom", "change"),
                Computed("forecast_gap", "gap"), Computed("forecast_rate", "rate"), Computed("cash_gaap_gap", "gap"),
            ),
            compute=_revenue_figures,
            compares_months=True,
        ),
        # -- dated records: what the weekly report needs beyond the monthly tables
        Sheet(
            "releases",
            (
                Field("name", "text", required=True, complete=True),
                Field("planned", "date"),
                Field("released", "date"),
                Field("status", "choice", choices=("planned", "released", "slipped"), default="planned"),
                Field("profile", "text", complete=True, multiline=True),
                Field("scenario", "text", multiline=True),
                Field("value", "text", multiline=True),
                Field("advantages", "text", multiline=True),
                Field("playbook", "text", multiline=True),
                Field("ops_goal", "text", multiline=True),
                Field("waiting", "text", multiline=True),
                PRODUCT,
                Field("earlier_planned", "dates", typed=False),
            ),
            table="feature_release",
            period="date",
            period_field="planned",
            computed=(Computed("days_late", "days"),),
            compute=_release_figures,
            check=_release_warnings,
            keeps_earlier=("planned",),
            indexes=(("status", "planned"), ("planned",), ("released",)),
            named=("name",),
        ),
        Sheet(
            "insights",
            (
                Field("date", "date", required=True),
                Field("lens", "choice", required=True, choices=("industry", "market", "competitor", "trend", "self")),
                Field("text", "text", required=True, multiline=True),
                Field("source", "text", complete=True),
            ),
            table="insight",
            period="date",
            period_field="date",
            indexes=(("date",),),
        ),
        Sheet(
            "requests",
            (
                Field("title", "text", required=True),
                Field("source_kind", "choice", choices=("partner", "customer", "deal", "ticket", "internal"),
                      default="partner"),
                Field("source", "text", complete=True),
                Field("needed_by", "date"),
                Field("opportunities", "text", multiline=True),
                Field("roi", "text", multiline=True),
                Field("status", "choice", choices=("new", "accepted", "planned", "done", "declined"), default="new"),
                Field("release", "text", complete=True),
                PRODUCT,
                # RICE: the pool is ranked by reach × impact × confidence ÷ effort × weight.
                Field("reach", "int"),  # customers or users reached a quarter
                Field("impact", "impact"),
                Field("confidence", "confidence"),
                Field("effort", "effort"),  # person-months
                Field("weight", "money"),  # strategic weight, a multiplier: none is 1
                Field("axis", "choice", choices=AXES),
                Field("quarter", "quarter"),  # the quarter it is planned for
            ),
            table="feature_request",
            period="entered",
            period_field=None,
            computed=(Computed("rice_score", "number"), Computed("weighted_score", "number")),
            compute=_request_figures,
            indexes=(("status", "source_kind"), ("needed_by",)),
            order=lambda r: rank_key(r.values["title"], r.computed.get("weighted_score"), r.id),
        ),
        # -- the weekly report's readers' own KPIs, which no other table holds: recorded monthly
        Sheet(
            "reader_figures",
            (
                Field("period", "period", required=True),  # a month (a quarter or year for a slower KPI)
                Field("measure", "choice", required=True, choices=READER_MEASURES),
                Field("measure_value", "money", required=True, flag="value", percent="points"),
                Field("measure_note", "text", multiline=True, flag="why"),  # why it moved
                PRODUCT,
            ),
            table="reader_figure",
            period="span",
            period_field="period",
            indexes=(("period", "measure"),),
        ),
        # -- what a month, quarter or year was meant to achieve
        Sheet(
            "goals",
            (
                Field("period", "period", required=True),
                Field("metric", "text", required=True, complete=True, known=tuple(METRICS), words="metric"),
                # A rate's goal (conversion) is a share: 5% is kept as 0.05.
                Field("goal_start", "money", flag="start", percent="share"),  # a key result's value when its quarter began
                Field("goal_target", "money", flag="target", percent="share"),
                Field("actual", "money", percent="share"),  # typed, for a metric pmweek does not compute
                Field("owner", "text", complete=True),
                Field("goal_reason", "text", multiline=True, flag="reason"),
                Field("axis", "choice", choices=AXES),
                PRODUCT,
                # A goal of a quarter serving an objective is one of its key results, reviewed
                # at the quarter's end with a score and a comment.
                Field("objective", "text", complete=True),
                Field("score", "score"),
                Field("review", "text", multiline=True),
            ),
            table="goal",
            period="span",
            period_field="period",
            indexes=(("period",),),
            refuse=_goal_units,
            shares=lambda values: _is_rate(values.get("metric")),
        ),
        # -- the quarter: objectives, the tasks under their key results, projects
        Sheet(
            "objectives",
            (
                Field("quarter", "quarter", required=True),
                Field("objective", "text", required=True, flag="text"),
                Field("axis", "choice", choices=AXES),
                Field("owner", "text", complete=True),
                PRODUCT,
            ),
            table="okr_objective",
            period="span",
            period_field="quarter",
            indexes=(("quarter",),),
        ),
        Sheet(
            "tasks",
            (
                Field("quarter", "quarter", required=True),
                Field("kr", "text", required=True, complete=True),  # the key result's metric
                Field("task", "text", required=True, complete=True),
                # A typed task is done when ticked; a linked one when the checklist item, plan
                # line, release or project of that name is.
                Field("link", "choice", choices=TASK_LINKS, default="typed"),
                Field("status", "choice", choices=("open", "done"), default="open"),
            ),
            table="okr_task",
            period="span",
            period_field="quarter",
            indexes=(("quarter",),),
        ),
        Sheet(
            "projects",
            (
                Field("project", "text", required=True, complete=True, flag="name"),
                Field("start", "date", required=True),
                Field("end", "date"),
                Field("size", "choice", choices=("large", "small"), default="large"),
                Field("objective", "text", complete=True),
                Field("status_quo", "text", multiline=True),
                Field("problem", "text", multiline=True),
                Field("analysis", "text", multiline=True),
                Field("before", "text", multiline=True),
                Field("after", "text", multiline=True),
                Field("features", "text", multiline=True),
                Field("hard_parts", "text", multiline=True),
                Field("benefit_kind", "choice", choices=BENEFIT_KINDS),
                Field("benefit", "text", multiline=True),
                Field("releases", "text", complete=True),  # names of the releases it shipped, comma-separated
                PRODUCT,
            ),
            table="project",
            period="date",
            period_field="start",
            check=_project_warnings,
            indexes=(("start",), ("end",)),
            named=("project",),
        ),
        Sheet(
            "phases",
            (
                Field("project", "text", required=True, complete=True),
                Field("phase", "text", required=True),
                Field("planned_start", "date", required=True),
                Field("planned_end", "date"),
                Field("actual_start", "date"),
                Field("actual_end", "date"),
                Field("scope", "text", multiline=True),
            ),
            table="project_phase",
            period="date",
            period_field="planned_start",
            computed=(Computed("days_late", "days"),),
            compute=_phase_figures,
            check=_phase_warnings,
            named=("project",),
        ),
        Sheet(
            "risks",
            (
                Field("risk", "text", required=True),
                Field("risk_kind", "choice", choices=RISK_KINDS, default="other", flag="kind"),
                Field("likelihood", "level", required=True),
                Field("severity", "level", required=True, flag="impact"),
                Field("mitigation", "text", multiline=True),
                Field("fallback", "text", multiline=True),
                Field("owner", "text", complete=True),
                Field("status", "choice", choices=("open", "watching", "closed"), default="open"),
                Field("next_review", "date", flag="review"),
                PRODUCT,
            ),
            table="risk",
            period="entered",
            period_field=None,
            computed=(Computed("risk_score", "count"), Computed("review_due", "flag")),
            compute=_risk_figures,
            indexes=(("status",),),
            order=lambda r: (r.values.get("status") == "closed", -(r.computed.get("risk_score") or 0), r.id),
        ),
    )
}


@dataclass(frozen=True)
class Nested:
    """A summary table's column that gathers one kind's records of the month (each a
    line: its sheet's ``brief``), and the column that counts them."""

    column: str
    sheet: str
    count: str


@dataclass(frozen=True)
class Book:
    """A table as the PM reads and exports it: its sheets and its columns in source
    order. A one-sheet book is its sheet's fields then computed columns; a book of
    several sheets (opportunities & churn) declares its layout: one row a month, headed
    by its ``summary`` sheet's one record (the month's total, typed from the summary
    line), with the ``nested`` kinds' records of the month gathered and counted."""

    name: str
    sheets: tuple[str, ...]
    columns: tuple[str, ...]  # source columns, then computed ones
    computed: tuple[str, ...] = ()
    kinds: tuple[Computed, ...] = ()  # how the book's own columns read (a summary layout)
    summary: str | None = None  # a one-record-a-month sheet heading each month's row
    nested: tuple[Nested, ...] = ()

    @property
    def summary_fields(self) -> tuple[Field, ...]:
        """The figures the summary sheet gives each month (its total)."""
        return tuple(f for f in SHEETS[self.summary].fields if f.key != "month") if self.summary else ()

    @property
    def listed(self) -> tuple[str, ...]:
        """The sheets whose records are listed one a row (all but the summary's)."""
        return tuple(s for s in self.sheets if s != self.summary)

    @property
    def label_key(self) -> str:
        """Its own title where the catalogue has one, else its one sheet's name."""
        from pmweek.i18n import has

        own = f"book.{self.name}"
        return own if has(own) or len(self.sheets) != 1 else f"sheet.{self.sheets[0]}"

    @property
    def monthly(self) -> bool:
        return all(SHEETS[s].monthly for s in self.sheets)

    def kind_of(self, column: str) -> str | None:
        """How a column of the book reads: its own layout's kind, else its sheets'."""
        own = next((c.kind for c in self.kinds if c.key == column), None)
        return own or next((k for s in self.sheets if (k := SHEETS[s].kind_of(column))), None)

    def field_of(self, column: str) -> Field | None:
        return next((f for s in self.sheets if (f := SHEETS[s].field_of(column)) is not None), None)

    def is_share(self, column: str, values: Values | None) -> bool:
        return len(self.sheets) == 1 and SHEETS[self.sheets[0]].is_share(column, values)


def _book_of(sheet: Sheet) -> Book:
    # The product line is not a source column: exports add it when some row has one.
    columns = tuple(f.key for f in sheet.fields if f.key != "product")
    computed = tuple(c.key for c in sheet.computed)
    return Book(sheet.name, (sheet.name,), columns + computed, computed)


OPPORTUNITY_SHEETS = ("opportunity_totals", "opportunities", "churn")  # the source's one table of three

BOOKS: dict[str, Book] = {
    "opportunities": Book(
        "opportunities",
        OPPORTUNITY_SHEETS,
        ("month", "total", "valuable", "churn_count", "churned", "valuable_count"),
        computed=("churn_count", "valuable_count"),
        kinds=(Computed("valuable", "records"), Computed("churned", "records"),
               Computed("churn_count", "count"), Computed("valuable_count", "count")),
        summary="opportunity_totals",
        nested=(Nested("valuable", "opportunities", "valuable_count"), Nested("churned", "churn", "churn_count")),
    ),
    # every other kind is a book of its own: declaring a kind is all it takes
    **{name: _book_of(sheet) for name, sheet in SHEETS.items() if name not in OPPORTUNITY_SHEETS},
}


NUMERIC_KINDS = frozenset({"int", "level", "money", "score", "impact", "confidence", "effort", "number", "rate", "change", "gap", "count", "days"})


# -- parsing what the user typed ----------------------------------------------------------


def parse_value(f: Field, text: str | None) -> Any:
    """The stored value for ``text`` typed in field ``f``; InputError naming the field."""
    raw = "" if text is None else str(text)
    stripped = raw.strip()
    if not stripped:
        if f.default is not None:
            return f.default
        if f.required:
            raise InputError("error.field_required", field=f.label_key)
        return None
    try:
        if f.kind == "month":
            return parse_month(stripped)
        if f.kind == "period":
            return parse_period(stripped)
        if f.kind == "quarter":
            return parse_quarter(stripped)
        if f.kind == "score":
            return parse_score(stripped)
        if f.kind == "impact":
            return parse_impact(stripped)
        if f.kind == "confidence":
            return parse_confidence(stripped)
        if f.kind == "level":  # a risk's likelihood or impact, 1 to 5
            value = int(stripped)
            if not 1 <= value <= 5:
                raise ValueError(stripped)
            return value
        if f.kind == "effort":  # person-months: a share of one, never none
            value = parse_number(f, stripped)
            if value <= 0:
                raise InputError("error.field_positive", field=f.label_key, value=stripped)
            if value < 0.01:  # a score would run to infinity
                raise InputError("error.effort_small", field=f.label_key, value=stripped)
            return value
        if f.kind == "date":
            return parse_date(stripped)
        if f.kind == "dates":  # earlier dates, as exported: "2026-12-01, 2026-12-15"
            return ",".join(parse_date(d.strip()).isoformat() for d in stripped.split(",") if d.strip()) or None
        if f.kind in ("int", "money"):
            return parse_number(f, stripped)
        if f.kind == "choice":
            value = choice_of(f, stripped)
            if value is None:  # said with each value's word in the PM's language
                from pmweek.i18n import t

                named = [c if t(f"choice.{c}") == c else t("choice.named", choice=c, word=t(f"choice.{c}"))
                         for c in f.choices]
                raise InputError("error.field_choice", field=f.label_key, value=stripped,
                                 choices=t("text.list_sep").join(named))
            return value
    except ValueError:
        raise InputError(f"error.field_{f.kind}", field=f.label_key, value=stripped) from None
    if f.known and (known := choice_of(f, stripped)) is not None:
        return known  # a value pmweek knows, typed as its word in either language (现金营收: cash)
    # Kept as typed but for surrounding blank space: nothing inside is changed.
    text_value = raw.strip()
    if not f.multiline and ("\n" in text_value or "\r" in text_value):
        raise InputError("error.field_one_line", field=f.label_key)
    if len(text_value) > MAX_TEXT:
        raise InputError("error.field_long", field=f.label_key, limit=MAX_TEXT)
    if CONTROL.search(text_value):
        raise InputError("error.field_control", field=f.label_key)
    return text_value


# A number as people type it: plain digits, or digits grouped by commas in threes
# (1,234,567), with a decimal part for amounts and an exponent as spreadsheets write it.
_INT = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)")
_MONEY = re.compile(r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|[+-]?\.[0-9]+")


def parse_number(f: Field, text: str) -> int | float:
    """A whole number or an amount; InputError naming the field for a separator in the
    wrong place (``1,5``, ``1,2,3``), a negative, too large or too small a value. Full-width
    digits and commas (as a Chinese input method types them) read as their ASCII forms.
    A field that declares ``percent`` also reads "7.1%", exactly (decimal, not binary)."""
    typed = unicodedata.normalize("NFKC", text).strip()
    if f.percent and typed.endswith("%"):
        try:
            value = parse_number(replace(f, percent=None), typed[:-1].rstrip())
        except InputError as error:
            raise InputError(error.key, **{**error.params, "value": text}) from None
        return float(Decimal(repr(value)) / 100) if f.percent == "share" else value
    pattern = _INT if f.kind == "int" else _MONEY
    kind = "money" if f.kind == "effort" else f.kind
    if not pattern.fullmatch(typed):
        raise InputError(f"error.field_{kind}", field=f.label_key, value=text)
    plain = typed.replace(",", "")
    value: int | float = int(plain) if f.kind == "int" else float(plain)
    if not math.isfinite(value) or abs(value) > MAX_NUMBER:
        raise InputError("error.field_too_large", field=f.label_key, value=text, limit=f"{MAX_NUMBER:,}")
    if value == 0 and any(c in "123456789" for c in plain.split("e")[0].split("E")[0]):
        raise InputError("error.field_too_small", field=f.label_key, value=text)  # 1e-400 is not 0
    if value < 0:
        raise InputError("error.field_negative", field=f.label_key, value=text)
    return value


def parse_record(sheet: Sheet, raw: dict[str, str | None], partial: bool = False) -> dict[str, Any]:
    """Every field of ``sheet`` parsed from ``raw``; with ``partial``, only those given
    (the whole record is checked by its ``refuse`` once merged: SheetService.edit)."""
    values = {}
    for f in sheet.fields:
        if partial and f.key not in raw:
            continue
        values[f.key] = parse_value(f, raw.get(f.key))
    if not partial and sheet.refuse is not None:
        sheet.refuse(values, raw)
    return values


def choice_of(f: Field, text: str) -> str | None:
    """The stored key of a choice typed as its key or as its word in any language
    (已上线, live), spacing and case aside; None when it is none of them."""
    from pmweek.i18n import labels  # the catalogues' words, read once per language

    wanted = " ".join(text.split()).casefold()
    for choice in f.choices or f.known:
        if wanted == choice or wanted in (" ".join(w.split()).casefold() for w in labels(f"{f.words}.{choice}")):
            return choice
    return None


def format_value(value: Any) -> str:
    """A stored value as the user typed it back: no rounding, no thousands separators."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class RowChange:
    """One field of a record changed: what it held and holds (as typed), who and when."""

    field: str
    before: str
    after: str
    changed_at: datetime
    changed_by: str


def changed_fields(sheet: Sheet, current: dict[str, Any], changes: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """The fields ``changes`` really changes in ``current``, in the sheet's order:
    key -> (before, after) as typed. The same value given again is no change."""
    out = {}
    for f in sheet.fields:
        if f.key in changes and format_value(changes[f.key]) != format_value(current.get(f.key)):
            out[f.key] = (format_value(current.get(f.key)), format_value(changes[f.key]))
    return out


@dataclass(frozen=True)
class RowView:
    """One stored record: its id, its parsed values and its computed figures."""

    sheet: str
    id: int
    values: dict[str, Any]
    computed: dict[str, Any] = field(default_factory=dict)
    entered_by: str = ""


def with_computed(sheet: str, rows: list[RowView], today: date, before: Values | None = None) -> list[RowView]:
    """Rows (sorted by month) with their computed columns. A kind that compares months
    (revenue) compares each with the one before it: ``before`` is the row of the month
    preceding the first."""
    spec = SHEETS[sheet]
    out: list[RowView] = []
    by_month: dict[str, Values] = {}
    if before:
        by_month[before["month"]] = before
    for row in rows:
        previous = by_month.get(shift_month(row.values["month"], -1)) if spec.compares_months else None
        computed = spec.compute_values(row.values, today, previous)
        out.append(RowView(row.sheet, row.id, row.values, computed, row.entered_by))
        if spec.monthly:
            by_month.setdefault(row.values["month"], row.values)
    return out


@dataclass(frozen=True)
class BookView:
    """A book over a range of months: its table rows (column -> raw value; list columns
    hold RowViews) and the records of each sheet behind them."""

    book: Book
    first: str | None
    last: str | None
    rows: tuple[dict[str, Any], ...]
    records: dict[str, tuple[RowView, ...]]


def assemble_book(book: Book, records: dict[str, list[RowView]], first: str | None, last: str | None) -> BookView:
    if len(book.sheets) == 1:
        (sheet,) = book.sheets
        if (order := SHEETS[sheet].order) is not None:
            records = {**records, sheet: sorted(records[sheet], key=order)}
        rows = tuple({**r.values, **r.computed, "entered_by": r.entered_by} for r in records[sheet])
    else:  # one row a month, as the book declares it
        months = sorted({r.values["month"] for sheet in book.sheets for r in records[sheet]})
        heads = {r.values["month"]: r.values for r in records[book.summary]} if book.summary else {}
        rows = []
        for month in months:
            row: dict[str, Any] = {"month": month}
            row.update({f.key: heads.get(month, {}).get(f.key) for f in book.summary_fields})
            for nested in book.nested:
                row[nested.column] = [r for r in records[nested.sheet] if r.values["month"] == month]
                row[nested.count] = len(row[nested.column])
            rows.append(row)
        rows = tuple(rows)
    return BookView(book, first, last, rows, {k: tuple(v) for k, v in records.items()})
