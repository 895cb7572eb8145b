"""Tables as an Excel workbook and back: typed cells (numbers as numbers, dates as
dates, rates as percentages, computed columns as their values), the headers as the app
shows them, one sheet a table, the header row frozen. openpyxl is imported only here,
so only when a workbook is written or read.

A text cell is always text: a value that starts like a formula (``=``, ``+``, ``-``,
``@``) is written as a string Excel will not run, and read back as the same text."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any, NamedTuple

from pmweek.domain.sheets import SHEETS, BookView, Sheet, format_value
from pmweek.errors import InputError
from pmweek.export.cells import cell, header
from pmweek.export.csvio import MAX_CSV_BYTES, RECORD, UnsavedFormula, _columns
from pmweek.i18n import t

PERCENT = {"rate", "confidence", "change"}  # fractions, shown as percentages
NUMBERS = {"int", "money", "number", "count", "days", "level", "score", "effort", "impact", "gap"}
MAX_WIDTH = 60  # characters a column opens at, at most
MAX_ROWS = 100_000  # rows of one sheet read, at most: not a month of records beyond that


def text_cells(text: str) -> int:
    """Columns ``text`` takes on screen: a Chinese character takes two."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def book_xlsx(views: list[BookView]) -> bytes:
    """One sheet per table, in the current language."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.remove(workbook.active)
    for view in views:
        sheet = workbook.create_sheet(_title(t(view.book.label_key), workbook.sheetnames))
        columns = _columns(view.book)
        heads = [header(view.book, c) for c in columns]
        sheet.append(heads)
        widths = [text_cells(h) for h in heads]
        for kind in view.book.sheets:
            for row in view.records[kind]:
                values = {**row.values, **row.computed, RECORD: t(f"sheet.{kind}")}
                cells = [_cell(SHEETS[kind], c, values.get(c), values) for c in columns]
                sheet.append([value for value, _ in cells])
                for i, (value, number_format) in enumerate(cells):
                    target = sheet.cell(row=sheet.max_row, column=i + 1)
                    if number_format:
                        target.number_format = number_format
                    if isinstance(value, str):
                        target.data_type = "s"  # never a formula, whatever it starts with
                        widths[i] = max(widths[i], max((text_cells(x) for x in value.splitlines()), default=0))
                    elif value is not None:
                        widths[i] = max(widths[i], len(format_value(value)) + 2)
        for i, width in enumerate(widths):
            sheet.column_dimensions[get_column_letter(i + 1)].width = min(MAX_WIDTH, width + 2)
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _title(name: str, taken: list[str]) -> str:
    """A sheet's name as Excel allows it: 31 characters, none of []:*?/\\."""
    clean = "".join(" " if ch in "[]:*?/\\" else ch for ch in name)[:31] or "Sheet"
    title, n = clean, 2
    while title in taken:
        title, n = f"{clean[:28]} {n}", n + 1
    return title


def _cell(sheet: Sheet, column: str, value: Any, row: dict[str, Any]) -> tuple[Any, str | None]:
    """A cell's value as Excel should hold it, and its number format, as its own
    record kind (``sheet``) declares its column, in its record (``row``)."""
    if value is None:
        return None, None
    if isinstance(value, int | float) and sheet.is_share(column, row):
        return value, "0.0%"  # a rate goal's target: 7.1%
    kind = sheet.kind_of(column)
    # A computed figure to the precision the app shows it (a gap of -3.1, never
    # -3.0999999999999943, which a spreadsheet's General format would print).
    if kind in PERCENT and isinstance(value, int | float):
        return round(value, 6), "0.0%"
    if kind == "gap" and isinstance(value, int | float):
        return round(value, 2), None
    if kind in NUMBERS and isinstance(value, int | float) and not isinstance(value, bool):
        return value, None
    if kind == "date" and isinstance(value, date):
        return value, "yyyy-mm-dd"
    return cell(sheet, column, value, row), None


class SheetRow(NamedTuple):
    """Which row of which sheet, as an error names it."""

    sheet: str
    row: int

    def __str__(self) -> str:
        return t("xlsx.where", sheet=self.sheet, row=self.row)


def read_xlsx(path, sheet_name: str | None) -> tuple[list[str], Iterator[tuple[SheetRow, list[str]]]]:  # noqa: ANN001
    """The header and the rows of a workbook's sheet (the first, unless named), each
    cell as the text pmweek reads (a date as 2026-11-03, a percentage as 7.1%, a whole
    number without .0). InputError for a file that is no workbook or a missing sheet."""
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_CSV_BYTES + 1)
        if len(data) > MAX_CSV_BYTES:
            raise InputError("error.csv_too_big", path=path, limit=MAX_CSV_BYTES // (1024 * 1024))
        # Read from memory: whatever the file is called, and a zip that is no workbook
        # (a .docx, an archive) is refused in one line like a damaged one.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        # The same cells as written: a formula whose result was never saved (a workbook
        # a script made) reads as empty above, and would be stored as nothing.
        written = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except OSError as exc:
        raise InputError("error.csv_read", path=path, reason=exc.strerror) from None
    except (BadZipFile, InvalidFileException, KeyError, ValueError) as exc:
        raise InputError("error.xlsx_broken", path=path, reason=str(exc).splitlines()[0] if str(exc) else "") from None
    if sheet_name is not None and sheet_name not in workbook.sheetnames:
        raise InputError("error.xlsx_sheet", tab=sheet_name, sheets=t("text.list_sep").join(workbook.sheetnames))
    sheet = workbook[sheet_name] if sheet_name is not None else workbook.worksheets[0]
    rows = zip(sheet.iter_rows(), written[sheet.title].iter_rows(), strict=False)
    first = next(rows, None)
    if first is None:
        raise InputError("error.csv_empty")
    head = [str(h) for h in _texts(*first)]
    while head and not head[-1]:  # columns Excel keeps after the last header
        head.pop()

    def records() -> Iterator[tuple[SheetRow, list[str]]]:
        for number, row in enumerate(rows, start=2):
            if number > MAX_ROWS + 1:
                raise InputError("error.xlsx_too_long", tab=sheet.title, limit=MAX_ROWS)
            texts = _texts(*row)[: len(head)]
            texts += [""] * (len(head) - len(texts))
            if any(x.strip() or isinstance(x, UnsavedFormula) for x in texts):
                yield SheetRow(sheet.title, number), texts

    return head, records()


def _texts(shown: tuple, written: tuple) -> list[str]:
    """A row's cells as text; a formula with no result saved to read is an
    UnsavedFormula, refused where its column is read."""
    texts = [_text(c) for c in shown]
    for i, (text, written_cell) in enumerate(zip(texts, written, strict=False)):
        if not text and getattr(written_cell, "data_type", None) == "f":
            texts[i] = UnsavedFormula(str(written_cell.value))
    return texts


def _text(c: Any) -> str:
    value = c.value
    if value is None:
        return ""
    if isinstance(value, datetime | date) and _shows_month(c.number_format or "", value):
        # What Excel makes of a typed 2026/12: the month's first day, shown as a month.
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        if "%" in (c.number_format or ""):
            return f"{format_value(round(value * 100, 10))}%"
        return format_value(int(value) if float(value).is_integer() else value)
    return str(value)


def _shows_month(number_format: str, value: date) -> bool:
    """A date cell that shows a month (yyyy/m, mmm-yy, yyyy"年"m"月"): the first of it and
    a format with no day, so the month is exactly what the sheet shows."""
    plain = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", number_format).lower()
    return value.day == 1 and "y" in plain and "m" in plain and "d" not in plain and "h" not in plain
