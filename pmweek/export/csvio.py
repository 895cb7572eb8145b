"""Books as CSV (UTF-8, header row) for spreadsheet users, and back again.

Headers are written in the current language and read in either language (or as
field keys). A book of several sheets (opportunities & churn) gets a "record"
column saying which sheet each line belongs to, so every record round-trips.
"""

from __future__ import annotations

import csv
import io

from pmweek.domain.sheets import SHEETS, Book, BookView
from pmweek.errors import InputError
from pmweek.export.cells import CHOICE_FIELDS, cell, choice_key, header
from pmweek.i18n import MESSAGES, t

RECORD = "record"


def _columns(book: Book) -> list[str]:
    if len(book.sheets) == 1:
        sheet = SHEETS[book.sheets[0]]
        return list(book.columns) + (["product"] if sheet.has_product else [])
    keys: list[str] = [RECORD]
    for sheet in book.sheets:
        keys += [f.key for f in SHEETS[sheet].fields if f.key not in keys]
    return keys


def book_csv(view: BookView) -> str:
    columns = _columns(view.book)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([header(c) for c in columns])
    for sheet in view.book.sheets:
        for row in view.records[sheet]:
            values = {**row.values, **row.computed, RECORD: t(f"sheet.{sheet}")}
            writer.writerow([cell(c, values.get(c)) if c != RECORD else values[c] for c in columns])
    return out.getvalue()


def _match(known: list[str], name: str) -> str | None:
    """The column a header names: by its label in either language, else by its key."""
    wanted = name.strip().lower()
    for key in known:
        if wanted in (label.strip().lower() for label in MESSAGES.get(f"field.{key}", ())):
            return key
    for key in known:
        if wanted in (key, key.replace("_", "-")):
            return key
    return None


def parse_book_csv(book: Book, text: str) -> list[tuple[int, str | None, dict[str, str]]]:
    """(line, sheet, raw values) for each non-blank line (sheet None: an unknown record
    type); InputError if the header is wrong."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        head = next(reader)
    except StopIteration:
        return []
    known = _columns(book)
    mapping: list[str | None] = []
    for name in head:
        match = _match(known, name)
        if match is None:
            raise InputError("error.csv_column", column=name)
        mapping.append(None if match in book.computed else match)  # computed: ignored
    if book.monthly and "month" not in mapping:
        raise InputError("error.csv_no_month")
    sheets = {name: name for name in book.sheets}
    for name in book.sheets:
        for label in MESSAGES[f"sheet.{name}"]:
            sheets[label.strip().lower()] = name
    records = []
    for row in reader:
        if not any(c.strip() for c in row):
            continue
        values = {k: v for k, v in zip(mapping, row) if k is not None}
        if len(book.sheets) == 1:
            sheet = book.sheets[0]
        else:
            record = values.pop(RECORD, "")
            sheet = sheets.get(record.strip().lower())
            if sheet is None:  # reported by the import with its line number
                records.append((reader.line_num, None, {RECORD: record}))
                continue
        fields = {f.key for f in SHEETS[sheet].fields}
        raw = {
            k: (choice_key(k, v) if k in CHOICE_FIELDS else v)
            for k, v in values.items()
            if k in fields
        }
        records.append((reader.line_num, sheet, raw))
    return records
