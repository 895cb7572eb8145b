"""The monthly business tables, declared once.

A *sheet* is one kind of record the PM enters (a campaign, a churned customer…);
a *book* is one table of PRODUCT.md §2 as the PM reads and exports it, built
from one or more sheets. Forms, the CLI, exports and CSV import are all driven
by these declarations, and every figure a PM would work out by hand is computed
here, never typed.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pmweek.domain.calendar import parse_date, parse_month, shift_month
from pmweek.errors import InputError

MAX_TEXT = 5000
MAX_NUMBER = 10**13  # far above any revenue, small enough to stay exact as a float


@dataclass(frozen=True)
class Field:
    key: str
    kind: str  # month | text | int | money | date | choice
    required: bool = False
    choices: tuple[str, ...] = ()
    default: str | None = None
    complete: bool = False  # offer values already used, as you type
    multiline: bool = False

    @property
    def label_key(self) -> str:
        return f"field.{self.key}"

    @property
    def option(self) -> str:
        return "--" + self.key.replace("_", "-")


@dataclass(frozen=True)
class Sheet:
    name: str
    fields: tuple[Field, ...]
    one_per_month: bool = False  # revenue, the month's opportunity total

    @property
    def has_product(self) -> bool:
        return any(f.key == "product" for f in self.fields)

    def field(self, key: str) -> Field:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)

    @property
    def label_key(self) -> str:
        return f"sheet.{self.name}"


MONTH = Field("month", "month", required=True)
# The product line a record belongs to, for teams that keep several in one database.
# Not a column of the source tables: exports show it only when some row has one.
PRODUCT = Field("product", "text", complete=True)

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
                Field("reason", "text", required=True, multiline=True),
                Field("status", "choice", choices=("open", "won", "lost"), default="open"),
                PRODUCT,
            ),
        ),
        Sheet(
            "churn",
            (
                MONTH,
                Field("customer", "text", required=True, complete=True),
                Field("churn_reason", "text", required=True, complete=True, multiline=True),
                PRODUCT,
            ),
        ),
        Sheet(
            "opportunity_totals",
            (MONTH, Field("total", "int", required=True)),
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
        ),
        Sheet(
            "tickets",
            (
                MONTH,
                Field("category", "text", required=True, complete=True),
                Field("count", "int"),
                Field("plan", "text", multiline=True),
                Field("owner", "text", complete=True),
                Field("due", "date"),
                Field("status", "choice", choices=("open", "done"), default="open"),
                PRODUCT,
            ),
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
                Field("change_note", "text", multiline=True),
                Field("actions", "text", multiline=True),
            ),
            one_per_month=True,
        ),
    )
}


@dataclass(frozen=True)
class Book:
    """A table as PRODUCT.md §2 shows it: its sheets and its columns in source order."""

    name: str
    sheets: tuple[str, ...]
    columns: tuple[str, ...]  # source columns, then computed ones
    computed: tuple[str, ...] = ()

    @property
    def label_key(self) -> str:
        return f"book.{self.name}"


BOOKS: dict[str, Book] = {
    b.name: b
    for b in (
        Book(
            "opportunities",
            ("opportunity_totals", "opportunities", "churn"),
            ("month", "total", "valuable", "churn_count", "churned", "valuable_count"),
            computed=("churn_count", "valuable_count"),
        ),
        Book(
            "campaigns",
            ("campaigns",),
            ("month", "campaign", "attention", "conversions", "improvement", "conversion_rate"),
            computed=("conversion_rate",),
        ),
        Book(
            "deals",
            ("deals",),
            ("month", "customer", "target", "requirement", "go_live", "progress", "status", "days_to_go_live"),
            computed=("days_to_go_live",),
        ),
        Book(
            "tickets",
            ("tickets",),
            ("month", "category", "count", "plan", "owner", "due", "status", "overdue"),
            computed=("overdue",),
        ),
        Book(
            "revenue",
            ("revenue",),
            (
                "month", "cash", "gaap", "users", "instances", "forecast", "change_note", "actions",
                "cash_mom", "users_mom", "instances_mom", "forecast_gap", "forecast_rate", "cash_gaap_gap",
            ),
            computed=(
                "cash_mom", "users_mom", "instances_mom", "forecast_gap", "forecast_rate", "cash_gaap_gap",
            ),
        ),
    )
}


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
        if f.kind == "date":
            return parse_date(stripped)
        if f.kind == "int":
            value = int(stripped.replace(",", "").replace("_", ""))
            if value < 0 or value > MAX_NUMBER:
                raise InputError("error.field_negative", field=f.label_key, value=stripped)
            return value
        if f.kind == "money":
            value = float(stripped.replace(",", "").replace("_", ""))
            if not math.isfinite(value) or abs(value) > MAX_NUMBER:
                raise ValueError(stripped)
            if value < 0:
                raise InputError("error.field_negative", field=f.label_key, value=stripped)
            return value
        if f.kind == "choice":
            value = stripped.lower()
            if value not in f.choices:
                raise InputError(
                    "error.field_choice", field=f.label_key, value=stripped, choices=", ".join(f.choices)
                )
            return value
    except ValueError:
        raise InputError(f"error.field_{f.kind}", field=f.label_key, value=stripped) from None
    # Kept as typed but for surrounding blank space: nothing inside is changed.
    text_value = raw.strip()
    if not f.multiline and ("\n" in text_value or "\r" in text_value):
        raise InputError("error.field_one_line", field=f.label_key)
    if len(text_value) > MAX_TEXT:
        raise InputError("error.field_long", field=f.label_key, limit=MAX_TEXT)
    if any(unicodedata.category(c) in ("Cc", "Cs", "Co") and c not in "\n\t" for c in text_value):
        raise InputError("error.field_control", field=f.label_key)
    return text_value


def parse_record(sheet: Sheet, raw: dict[str, str | None], partial: bool = False) -> dict[str, Any]:
    """Every field of ``sheet`` parsed from ``raw``; with ``partial``, only those given."""
    values = {}
    for f in sheet.fields:
        if partial and f.key not in raw:
            continue
        values[f.key] = parse_value(f, raw.get(f.key))
    return values


def warnings(sheet: Sheet, values: dict[str, Any]) -> list[tuple[str, dict]]:
    """Values that are allowed but probably wrong: (catalogue key, params)."""
    out = []
    if sheet.name == "campaigns":
        attention, conversions = values.get("attention"), values.get("conversions")
        if attention is not None and conversions is not None and conversions > attention:
            out.append(("warn.conversions_above_attention", {"conversions": conversions, "attention": attention}))
    return out


def format_value(value: Any) -> str:
    """A stored value as the user typed it back: no rounding, no thousands separators."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


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


@dataclass(frozen=True)
class RowView:
    """One stored record: its id, its parsed values and its computed figures."""

    sheet: str
    id: int
    values: dict[str, Any]
    computed: dict[str, Any] = field(default_factory=dict)
    entered_by: str = ""


def compute_row(
    sheet: str, values: dict[str, Any], today: date, previous: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The computed columns of one record, as numbers (rates as fractions) or flags."""
    if sheet == "campaigns":
        return {"conversion_rate": ratio(values.get("conversions"), values.get("attention"))}
    if sheet == "tickets":
        due = values.get("due")
        return {"overdue": due is not None and due < today and values.get("status") != "done"}
    if sheet == "deals":
        go_live = values.get("go_live")
        pending = go_live is not None and values.get("status", "open") == "open"
        return {"days_to_go_live": (go_live - today).days if pending else None}
    if sheet == "revenue":
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
    return {}


def with_computed(sheet: str, rows: list[RowView], today: date, before: dict[str, Any] | None = None) -> list[RowView]:
    """Rows (sorted by month) with their computed columns. Revenue compares each month
    with the one before it: ``before`` is the row of the month preceding the first."""
    out: list[RowView] = []
    by_month: dict[str, dict[str, Any]] = {}
    if before:
        by_month[before["month"]] = before
    for row in rows:
        previous = by_month.get(shift_month(row.values["month"], -1)) if sheet == "revenue" else None
        computed = compute_row(sheet, row.values, today, previous)
        out.append(RowView(row.sheet, row.id, row.values, computed, row.entered_by))
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
    if book.name != "opportunities":
        (sheet,) = book.sheets
        rows = tuple({**r.values, **r.computed, "entered_by": r.entered_by} for r in records[sheet])
    else:
        months = sorted({r.values["month"] for sheet in book.sheets for r in records[sheet]})
        totals = {r.values["month"]: r.values["total"] for r in records["opportunity_totals"]}
        rows = tuple(
            {
                "month": month,
                "total": totals.get(month),
                "valuable": [r for r in records["opportunities"] if r.values["month"] == month],
                "churned": [r for r in records["churn"] if r.values["month"] == month],
            }
            for month in months
        )
        for row in rows:
            row["valuable_count"] = len(row["valuable"])
            row["churn_count"] = len(row["churned"])
    return BookView(book, first, last, rows, {k: tuple(v) for k, v in records.items()})
