"""Any text a user can type, in every form and command-line field: stored and exported
back exactly, or refused with a message; never a traceback (property-based)."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmweek.cli import main
from pmweek.domain.calendar import Week
from pmweek.domain.sheets import BOOKS, SHEETS
from pmweek.errors import InputError
from pmweek.export.csvio import book_csv, parse_book_csv
from pmweek.export.markdown import table_markdown
from tests.services.test_export_tables import parse_tables

TODAY = date(2026, 11, 25)
TEXT_FIELDS = [(s.name, f.key) for s in SHEETS.values() for f in s.fields if f.kind == "text"]
BOOK_OF = {sheet: name for name, book in BOOKS.items() for sheet in book.sheets}
# Chinese, emoji, Markdown and table syntax, control characters, long strings.
HOSTILE = st.one_of(
    st.text(max_size=200),
    st.text(alphabet=st.sampled_from(list("|\\*_`[]<>&~#!-+.()\n\t 中文客户🙂\u200b\x00\x1b\r")), max_size=60),
    st.text(min_size=4000, max_size=6000, alphabet="ab|中"),
)
# Every text field goes through the same checks: 20 texts a field is some 1,400 a run.
SETTINGS = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


_SAMPLE = {"text": "x", "month": "2026-11", "period": "2026-11", "quarter": "2026-Q4", "date": "2026-11-20", "int": "1",
           "level": "3",
           "money": "1"}


def _required(sheet: str) -> dict[str, str]:
    """The least a record of ``sheet`` needs, filed under 2026-11 (a quarter: under 2026-10)."""
    return {f.key: f.choices[0] if f.choices else _SAMPLE[f.kind] for f in SHEETS[sheet].fields if f.required}


@pytest.mark.parametrize(("sheet", "field"), TEXT_FIELDS)
@SETTINGS
@given(text=HOSTILE)
def test_any_text_is_stored_and_exported_back_exactly_or_refused(services, sheet, field, text):
    raw = _required(sheet) | {field: text}
    try:
        row_id, _ = services.sheets.add(sheet, raw)
    except InputError as err:
        message = err.message()
        assert message and "\n" not in message
        return
    stored = services.sheets.row(sheet, row_id).values[field]
    assert stored == (text.strip() or None)  # an empty optional field is stored as empty
    book = BOOKS[BOOK_OF[sheet]]
    view = services.sheets.book(book.name, "2026-10", "2026-11", TODAY)  # a quarter is filed under its first month
    # CSV gives every record back as stored.
    records = parse_book_csv(book, book_csv(view))
    mine = [raw for _, name, raw in records if name == sheet]
    assert (mine[-1][field] or None) == stored
    if len(book.sheets) == 1:  # the Markdown table parses back to the same cell
        (table,) = parse_tables(table_markdown(view))
        if _header(book, field) in table[0]:
            assert table[-1][table[0].index(_header(book, field))] == (stored or "")
        else:  # an optional column (the product line) shows only when some row has one
            assert field == "product" and stored is None
    services.sheets.delete(sheet, row_id)


def _header(book, field: str) -> str:  # noqa: ANN001 - a Book
    from pmweek.export.cells import header

    return header(book, field)


@SETTINGS
@given(text=st.text(max_size=500))
def test_any_note_is_kept_exactly_or_refused(services, text):
    item = services.checklist.open_week(Week(2026, 48), TODAY).day(1).tasks[0]
    try:
        services.checklist.set_note(item.id, text)
    except InputError as err:  # a control character: it could drive a terminal
        assert err.key == "error.field_control"
        return
    assert services.checklist.task(item.id).note == text


@SETTINGS
@given(value=HOSTILE, flag=st.sampled_from(["--campaign", "--attention", "--month", "--improvement"]))
def test_the_command_line_never_shows_a_traceback(tmp_path_factory, capsys, value, flag):
    db = tmp_path_factory.mktemp("cli") / "pm.db"
    args = ["--db", str(db), "add", "campaigns", "--campaign", "base", flag, value]
    try:
        code = main(args)
    except SystemExit as exc:  # argparse refuses, e.g. a value that looks like an option
        code = exc.code
    err = capsys.readouterr().err
    assert code in (0, 2)
    if code == 2:
        assert err.count("\n") == 1 and err.startswith("pmweek")
