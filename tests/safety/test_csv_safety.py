"""CSV in and out as a careless or hostile file would test it: formulas never run in a
spreadsheet, a broken file is one clear line, nothing half-imported."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pmweek.domain.sheets import BOOKS
from pmweek.errors import InputError
from pmweek.export.csvio import MAX_FIELD, book_csv, neutralise, parse_book_csv, restore_cell

TODAY = date(2026, 11, 25)
FORMULA_LIKE = st.one_of(
    st.sampled_from(["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "'=1", "''", "'",
                     "-5 units", "=", "@"]),
    st.builds(lambda lead, rest: lead + rest, st.sampled_from(list("=+-@\t\r'")), st.text(max_size=20)),
)


@given(FORMULA_LIKE)
def test_a_cell_that_could_run_is_quoted_and_comes_back_exactly(text):
    out = neutralise(text)
    assert not out.startswith(("=", "+", "@", "\t", "\r")) or out == text and text[:1] in "-+"
    assert restore_cell(out) == text


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(FORMULA_LIKE)
def test_a_formula_like_campaign_round_trips_through_csv(services, text):
    try:
        row_id, _ = services.sheets.add("campaigns", {"month": "2026-11", "campaign": text, "improvement": text})
    except InputError:  # empty, several lines, control characters: refused as always
        return
    stored = services.sheets.row("campaigns", row_id).values
    exported = book_csv(services.sheets.book("campaigns", "2026-11", "2026-11", TODAY))
    for line in exported.splitlines()[1:]:
        for cell in line.split(","):
            assert not cell.lstrip('"').startswith(("=", "@", "\t")), line
    (_, _, raw) = [r for r in parse_book_csv(BOOKS["campaigns"], exported) if r[2]["campaign"] == stored["campaign"]][0]
    assert raw["campaign"] == stored["campaign"] and raw["improvement"] == stored["improvement"]
    services.sheets.delete("campaigns", row_id)


def _refused(pm, tmp_path, content: bytes | str, *extra: str) -> str:
    path = tmp_path / "in.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    rc, out, err = pm("import", "campaigns", str(path), *extra)
    assert rc == 2 and out == "" and "Traceback" not in err
    assert pm("export", "table", "campaigns", "--format", "csv")[1].count("\n") <= 1  # nothing stored
    return err


@pytest.mark.parametrize(("content", "says"), [
    ("", "empty"),
    ("\n\n", "empty"),
    ('month,campaign\n2026-11,"never closed\n', "not readable as CSV"),
    ("month,campaign\n2026-11,a,extra\n", "3 cells where the header has 2"),
    ("month,campaign\n2026-11\n", "1 cells where the header has 2"),
    ("month,campaign,Campaign\n2026-11,a,b\n", "appears twice"),
    ("month;campaign;attention\n2026-11;a;1\n", "separated by ';'"),
    ("month,campaign\n2026-11," + "x" * (MAX_FIELD + 1) + "\n", f"longer than {MAX_FIELD}"),
], ids=["empty", "blank", "unterminated", "too-many", "too-few", "duplicate", "semicolons", "huge-cell"])
def test_a_broken_file_is_one_clear_line(pm, tmp_path, content, says):
    err = _refused(pm, tmp_path, content)
    assert says in err and err.count("\n") == 1


def test_a_gbk_file_is_read_as_the_chinese_excel_that_wrote_it(pm, tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes("月份,运营活动\n2026-11,双十一\n".encode("gbk"))  # GB18030 reads GBK exactly
    assert pm("import", "campaigns", str(path))[0] == 0
    assert "| 2026-11 | 双十一 |" in pm("export", "table", "campaigns", "--month", "2026-11")[1]


def test_a_file_in_neither_encoding_gets_a_hint(pm, tmp_path):
    err = _refused(pm, tmp_path, b"\xff\xfe\x00m\x00o\x00n\x00")  # UTF-16, as Excel's "Unicode text" saves
    assert "UTF-8" in err and "GB18030" in err and err.count("\n") == 1


def test_an_endless_input_stops_at_the_size_limit(pm):
    rc, out, err = pm("import", "campaigns", "/dev/zero")
    assert rc == 2 and "larger than 64 MB" in err and err.count("\n") == 1


def test_replace_with_two_rows_for_one_month_is_refused(pm, tmp_path):
    path = tmp_path / "rev.csv"
    path.write_text("month,cash\n2026-10,1\n2026-10,2\n", encoding="utf-8")
    rc, _, err = pm("import", "revenue", str(path), "--replace")
    assert rc == 2 and "2026-10 appears twice" in err
    assert pm("export", "table", "revenue", "--format", "csv")[1].count("\n") <= 1
