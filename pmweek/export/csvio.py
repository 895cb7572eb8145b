"""Books as CSV (UTF-8, header row) for spreadsheet users, and back again.

Headers are written in the current language and read in either language (or as
field keys). A book of several sheets (opportunities & churn) gets a "record"
column saying which sheet each line belongs to, so every record round-trips.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any, NamedTuple

from pmweek.domain.sheets import SHEETS, Book, BookView
from pmweek.errors import InputError
from pmweek.export.cells import cell, choice_key, header, is_choice, label_key
from pmweek.i18n import labels, t

RECORD = "record"
# A file larger than this is not a month of records: refused before it fills memory.
MAX_CSV_BYTES = 64 * 1024 * 1024
MAX_FIELD = 64 * 1024  # characters in one cell (text fields hold at most 5,000)

# A cell a spreadsheet would run as a formula (OWASP's list), and the quote that keeps
# it text. A cell that starts with the quote itself gets one more, so taking exactly one
# off on import gives every text back as it was.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9][0-9,]*(\.[0-9]+)?%?")


def neutralise(text: str) -> str:
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def restore_cell(text: str) -> str:
    """A cell as exported, back as the text it was (the quote ``neutralise`` added)."""
    if text.startswith("'") and text[1:2] and text[1] in _FORMULA_START:
        return text[1:]
    return text


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
    writer.writerow([header(view.book, c) for c in columns])
    for sheet in view.book.sheets:
        for row in view.records[sheet]:
            values = {**row.values, **row.computed, RECORD: t(f"sheet.{sheet}")}
            writer.writerow([neutralise(cell(view.book, c, values.get(c), values) if c != RECORD else values[c])
                             for c in columns])
    return out.getvalue()


def _match(book: Book, known: list[str], name: str) -> str | None:
    """The column a header names: by its label in either language, else by its key."""
    wanted = name.strip().lower()
    for key in known:
        if wanted in (label.strip().lower() for label in labels(label_key(book, key))):
            return key
    for key in known:
        if wanted in (key, key.replace("_", "-")):
            return key
    return None


def read_csv_file(path) -> str:  # noqa: ANN001 (a Path)
    """A CSV file's text: read at most MAX_CSV_BYTES (an endless input such as a
    device stops there): UTF-8 (with or without a byte-order mark), else GB18030 (what
    Excel and WPS save as "CSV" on Chinese Windows), else a clear hint."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_CSV_BYTES + 1)
    except OSError as exc:
        raise InputError("error.csv_read", path=path, reason=exc.strerror) from None
    if len(data) > MAX_CSV_BYTES:
        raise InputError("error.csv_too_big", path=path, limit=MAX_CSV_BYTES // (1024 * 1024))
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:  # strict: a byte GB18030 has no character for is refused, never replaced
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise InputError("error.csv_not_utf8", path=path) from None
    if _western_too(data, text):
        raise InputError("error.csv_which_encoding", path=path)
    return text


def _western_too(data: bytes, text: str) -> bool:
    """Could these bytes be a Western "CSV" (Windows-1252, Excel's on a Western Windows)
    rather than Chinese? GB18030 reads "Müller" as "M黮ler": an accented letter and the
    letter after it make one rare character, so read that way a Western file is all
    rare characters. Chinese text is mostly common ones (GB2312), a rare name (王喆)
    here and there; a file where the rare ones are as many is asked for as UTF-8
    rather than guessed."""
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    wide = [c for c in text if ord(c) > 0x7F]
    rare = sum(1 for c in wide if not _common_chinese(c))
    return rare * 2 >= len(wide) > 0


def _common_chinese(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


class Where(NamedTuple):
    """Which record of a file, and the line it starts on (a quoted cell may span lines);
    put in words only when an error names it."""

    record: int
    line: int

    def __str__(self) -> str:
        return t("csv.where", record=self.record, line=self.line)


def parse_book_csv(book: Book, text: str) -> list[tuple[Where, str | None, dict[str, str]]]:
    return list(iter_book_csv(book, text))


def iter_book_csv(book: Book, text: str) -> Iterator[tuple[Where, str | None, dict[str, str]]]:
    """(where, sheet, raw values) for each non-blank record, one at a time (a long file
    is never held twice); sheet None: an unknown record type. InputError if the file
    cannot be read as CSV."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise InputError("error.csv_empty")
    csv.field_size_limit(MAX_FIELD)
    lines = io.StringIO(text)
    reader = csv.reader(lines, strict=True)
    try:
        head = next(reader)
    except csv.Error as exc:
        raise InputError("error.csv_broken", where=Where(0, 1), reason=str(exc)) from None

    def records() -> Iterator[tuple[Where, list[str]]]:
        number = 0
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                where = Where(number + 1, start)
                if "field larger" in str(exc):
                    raise InputError("error.csv_field_too_big", where=where, limit=MAX_FIELD) from None
                raise InputError("error.csv_broken", where=where, reason=str(exc)) from None
            if not any(c.strip() for c in row):
                continue
            number += 1
            yield Where(number, start), row

    return iter_book_rows(book, head, records(), restore=True)


def iter_book_rows(book: Book, head: list[str], rows: Iterator[tuple[Any, list[str]]],
                   restore: bool = False) -> Iterator[tuple[Any, str | None, dict[str, str]]]:
    """(where, sheet, raw values) for each record of ``rows`` under the header ``head``
    (a column by its label in either language, or its key), from a CSV file or a
    workbook's sheet alike; ``where`` is what an error names. ``restore``: take off the
    quote a CSV export put before a formula-like cell."""
    known = _columns(book)
    mapping: list[str | None] = []
    for name in head:
        match = _match(book, known, name)
        if match is None:
            if ";" in name or "\t" in name:
                raise InputError("error.csv_delimiter", column=name)
            raise InputError("error.csv_column", column=name)
        if match in mapping:
            raise InputError("error.csv_duplicate_column", column=name)
        mapping.append(None if match in book.computed else match)  # computed: ignored
    if book.monthly and "month" not in mapping:
        raise InputError("error.csv_no_month")
    sheets = {name: name for name in book.sheets}
    for name in book.sheets:
        for label in labels(f"sheet.{name}"):
            sheets[label.strip().lower()] = name
    fields_of = {name: {f.key for f in SHEETS[name].fields} for name in book.sheets}
    return _records(book, head, rows, mapping, sheets, fields_of, restore)


class UnsavedFormula(str):
    """A workbook's formula cell whose result the file does not hold (a script wrote it):
    empty text, refused where its column is read, ignored where it is not (a computed
    column)."""

    def __new__(cls, formula: str) -> UnsavedFormula:
        made = super().__new__(cls, "")
        made.formula = formula
        return made


def _records(book, head, rows, mapping, sheets, fields_of, restore):  # noqa: ANN001, ANN202 - iter_book_rows's loop
    for where, row in rows:
        if len(row) != len(head):
            raise InputError("error.csv_ragged", where=where, found=len(row), expected=len(head))
        for name, key, value in zip(head, mapping, row):
            if key is not None and isinstance(value, UnsavedFormula):
                raise InputError("error.xlsx_formula", where=where, column=name, formula=value.formula[:60])
        values = {k: (restore_cell(v) if restore else v) for k, v in zip(mapping, row) if k is not None}
        if len(book.sheets) == 1:
            sheet = book.sheets[0]
        else:
            record = values.pop(RECORD, "")
            sheet = sheets.get(record.strip().lower())
            if sheet is None:  # reported by the import with where it is
                yield where, None, {RECORD: record}
                continue
        raw = {
            k: (choice_key(SHEETS[sheet], k, v) if is_choice(SHEETS[sheet], k) else v)
            for k, v in values.items()
            if k in fields_of[sheet]
        }
        yield where, sheet, raw
