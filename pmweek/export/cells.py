"""Table cells as text, in the current language: shared by Markdown, CSV and the TUI."""

from __future__ import annotations

from typing import Any

from pmweek.domain.sheets import COLUMN_KINDS, NUMERIC_KINDS, SHEETS, RowView, choice_of, format_value
from pmweek.domain.text import visible
from pmweek.i18n import t

# Columns that align right: their kind, declared with the records, says so.
NUMERIC = {key for key, kind in COLUMN_KINDS.items() if kind in NUMERIC_KINDS}
CHOICE_FIELDS = {key for key, kind in COLUMN_KINDS.items() if kind == "choice"}
# Text columns whose known values are shown in words (a goal's metric: 现金营收, not cash).
WORDED = {f.key: f for s in SHEETS.values() for f in s.fields if f.known and f.words != "choice"}


def header(column: str) -> str:
    return t(f"field.{column}")


def cell(column: str, value: Any) -> str:
    """One cell's text, by the kind of its column; lists of records become one line
    per record. Never a control character, whoever stored the value."""
    return visible(_cell(column, value))


def _cell(column: str, value: Any) -> str:
    if value is None:
        return ""
    kind = COLUMN_KINDS.get(column)
    if kind == "rate":
        return f"{value * 100:.1f}%"
    if kind == "confidence":
        return f"{value * 100:.0f}%"
    if kind == "number":
        return format_value(round(value, 2))
    if kind == "change":
        return f"{value * 100:+.1f}%" if value else "0.0%"
    if kind == "gap":
        text = format_value(round(value, 2))
        return "+" + text if value > 0 else text
    if kind == "flag":
        return t(f"value.{column}") if value else ""
    if kind == "choice":
        return t(f"choice.{value}")
    if column in WORDED and isinstance(value, str) and (key := WORDED[column].word_key(value)):
        return t(key)
    if column == "valuable":
        return "\n".join(_valuable(r) for r in value)
    if column == "churned":
        return "\n".join(_churned(r) for r in value)
    if isinstance(value, tuple):  # earlier dates of a moved date, oldest first
        return ", ".join(format_value(v) for v in value)
    return format_value(value)


def _valuable(row: RowView) -> str:
    v = row.values
    facts = [v.get("industry"), v.get("influence")]
    if v.get("spend") is not None:
        facts.append(t("value.spend", value=format_value(v["spend"])))
    if v.get("status") and v["status"] != "open":
        facts.append(t(f"choice.{v['status']}"))
    # In the PM's language's own punctuation: "海岳零售（零售、消费 494）：行业前三".
    detail = t("text.list_sep").join(str(f) for f in facts if f)
    head = v["customer"] + (t("weekly.paren", text=detail) if detail else "")
    return f"{head}{t('weekly.colon')}{v['reason']}"


def _churned(row: RowView) -> str:
    return f"{row.values['customer']}{t('weekly.colon')}{row.values['churn_reason']}"


def choice_key(column: str, text: str) -> str:
    """A choice typed or exported in either language, as its stored key."""
    for f in (f for s in SHEETS.values() for f in s.fields if f.key == column):
        if (found := choice_of(f, text)) is not None:
            return found
    return text
