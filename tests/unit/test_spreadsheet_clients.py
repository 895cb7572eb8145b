"""Our files in the spreadsheet a colleague uses, where one is installed (LibreOffice,
headless, from the distribution's packages): a workbook opens with its typed cells, and
a workbook or a CSV the spreadsheet saves again imports back as the same rows."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from pmweek.cli import main

OFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(OFFICE is None, reason="needs LibreOffice (Debian: apt install libreoffice-calc)")


def _convert(tmp_path, source, to: str, *options: str):  # noqa: ANN001, ANN202
    out = tmp_path / "converted"
    subprocess.run([OFFICE, "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'office').as_uri()}",
                    *options, "--convert-to", to, "--outdir", str(out), str(source)],
                   check=True, capture_output=True, timeout=180)
    return out


def _month(pm) -> None:  # noqa: ANN001
    pm("add", "revenue", "--month", "2026-11", "--cash", "110", "--gaap", "102.3", "--users", "333",
       "--forecast", "113.1", "--explanation", "=SUM(A1)")
    pm("add", "tickets", "--month", "2026-11", "--category", "备份恢复慢", "--tickets", "18", "--owner", "李雷",
       "--due", "2026-12-01")


def test_a_workbook_opens_in_the_spreadsheet_with_its_cells_typed(pm, tmp_path):
    _month(pm)
    book = tmp_path / "month.xlsx"
    assert pm("--lang", "zh", "export", "month", "2026-11", "--format", "xlsx", "-o", str(book))[0] == 0
    # Every sheet as the spreadsheet shows it (formatted): the gap as the app shows it,
    # rates as percentages, the date as a date, the formula-like note as its text.
    shown = _convert(tmp_path, book, "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1")
    revenue = (shown / "month-营收.csv").read_text(encoding="utf-8").splitlines()
    assert revenue[0].startswith("月份,现金,gaap,用户数")
    assert revenue[1].startswith("2026-11,110,102.3,333,,113.1,=SUM(A1),")
    assert ",-3.1,97.3%,7.7" in revenue[1]
    tickets = (shown / "month-工单.csv").read_text(encoding="utf-8").splitlines()
    assert tickets[1].startswith("2026-11,备份恢复慢,18,,李雷,2026-12-01,")


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_file_the_spreadsheet_saved_again_imports_as_the_same_rows(pm, tmp_path, capsys, kind):
    _month(pm)
    source = tmp_path / f"tickets.{kind}"
    assert pm("--lang", "zh", "export", "table", "tickets", "--month", "2026-11", "--format", kind, "-o",
              str(source))[0] == 0
    if kind == "xlsx":
        saved = _convert(tmp_path, source, "xlsx:Calc MS Excel 2007 XML") / "tickets.xlsx"
    else:  # read as UTF-8 (our mark), written back as the spreadsheet writes a CSV
        saved = _convert(tmp_path, source, "csv:Text - txt - csv (StarCalc):44,34,76,1",
                         "--infilter=CSV:44,34,76,1") / "tickets.csv"
    other = tmp_path / "other.db"
    assert main(["--db", str(other), "import", "tickets", str(saved)]) == 0
    capsys.readouterr()
    assert main(["--db", str(other), "export", "table", "tickets", "--month", "2026-11"]) == 0
    assert capsys.readouterr().out == pm("export", "table", "tickets", "--month", "2026-11")[1]
