"""Table cells as text, in the current language: shared by Markdown, CSV and the TUI.
A cell reads as its column's own declaration says (``within``: the book or record kind
it belongs to), never as another kind's column of the same name."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pmweek.domain.sheets import NUMERIC_KINDS, SHEETS, Book, Sheet, choice_of, format_value
from pmweek.domain.text import visible
from pmweek.i18n import t

Declared = Book | Sheet  # what a column belongs to: a table as shown, or one kind of record


def header(within: Declared, column: str) -> str:
    """A column's heading: its field's own words, else the shared ``field.<column>``."""
    return t(label_key(within, column))


def label_key(within: Declared, column: str) -> str:
    field = within.field_of(column)
    return field.label_key if field is not None else f"field.{column}"


def numeric(within: Declared, column: str) -> bool:
    """Does the column hold figures (aligned right, sorted as numbers)?"""
    return within.kind_of(column) in NUMERIC_KINDS


def is_choice(within: Declared, column: str) -> bool:
    return within.kind_of(column) == "choice"


def cell(within: Declared, column: str, value: Any, row: Mapping[str, Any] | None = None) -> str:
    """One cell's text, by the kind its declaration gives its column (and ``row``, the
    record it is in: a rate goal's target is 7.1%); lists of records become one line
    per record. Never a control character, whoever stored the value."""
    return visible(_cell(within, column, value, row))


def _cell(within: Declared, column: str, value: Any, row: Mapping[str, Any] | None) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float) and within.is_share(column, row):
        return f"{format_value(round(value * 100, 6))}%"  # read back exactly: 7.1% is 0.071
    kind = within.kind_of(column)
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
    if kind == "records":  # a summary table's records of the month, a line each, as their kind says
        return "\n".join(SHEETS[r.sheet].brief(r.values, t) for r in value)
    field = within.field_of(column)
    # A known value in words (a goal's metric: 现金营收, not cash).
    if field is not None and field.known and isinstance(value, str) and (key := field.word_key(value)):
        return t(key)
    if isinstance(value, tuple):  # earlier dates of a moved date, oldest first
        return ", ".join(format_value(v) for v in value)
    return format_value(value)


def choice_key(within: Declared, column: str, text: str) -> str:
    """A choice typed or exported in either language, as its stored key (its own
    field's choices: another kind's "done" is not this one's)."""
    field = within.field_of(column)
    if field is not None and (found := choice_of(field, text)) is not None:
        return found
    return text
