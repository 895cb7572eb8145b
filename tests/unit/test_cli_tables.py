"""Monthly tables from the shell: add, export table/month, import."""

import re

import pytest

from pmweek.cli import main
from tests.cli import run


def test_add_then_export_revenue(pm):
    rc, out, err = pm("add", "revenue", "--month", "2026-10", "--cash", "120.5", "--gaap", "110", "--users", "340",
                      "--instances", "512", "--forecast", "130", "--explanation", "大客户扩容", "--actions", "推 | 促销")
    # The row as stored comes back on standard output, to check at a glance or pipe on.
    assert rc == 0 and "added to Revenue (row 1)" in err
    saved = out.splitlines()
    assert saved[0].startswith("| Month | Cash | GAAP | Users | Instances | Forecast |") and len(saved) == 3
    assert saved[2].startswith("| 2026-10 | 120.5 | 110 | 340 | 512 | 130 | 大客户扩容 | 推 \\| 促销 |")
    rc, out, err = pm("export", "table", "revenue", "--month", "2026-10")
    assert rc == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith("| Month | Cash | GAAP | Users | Instances | Forecast |")
    assert lines[2].startswith("| 2026-10 | 120.5 | 110 | 340 | 512 | 130 | 大客户扩容 | 推 \\| 促销 |")


def test_second_revenue_row_for_a_month_needs_replace(pm):
    assert pm("add", "revenue", "--month", "2026-10", "--cash", "1")[0] == 0
    rc, out, err = pm("add", "revenue", "--month", "2026-10", "--cash", "2")
    assert rc == 2 and out == "" and err.count("\n") == 1 and "--replace" in err
    assert pm("add", "revenue", "--month", "2026-10", "--cash", "2", "--replace")[0] == 0
    out = pm("export", "table", "revenue", "--month", "2026-10", "--format", "csv")[1]
    assert out.splitlines()[1].startswith("2026-10,2,")


def test_month_defaults_to_the_month_of_today(pm):
    assert pm("add", "campaigns", "--campaign", "双 11", "--attention", "1200", "--conversions", "85")[0] == 0
    out = pm("export", "month")[1]
    assert out.startswith("# Business tables, 2026-11\n")
    assert "| 2026-11 | 双 11 | 1200 | 85 |  | 7.1% |" in out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["add", "campaigns", "--campaign", "a", "--attention", "abc"], "Attention: 'abc' is not a whole number"),
        (["add", "campaigns", "--campaign", "a", "--attention", "-5"], "Attention: '-5' cannot be negative"),
        (["add", "campaigns", "--month", "2026-13", "--campaign", "a"], "Month: '2026-13' is not a month"),
        (["add", "deals", "--customer", "a", "--go-live", "2026-02-30"], "Go-live date: '2026-02-30' is not a date"),
        (["add", "churn", "--customer", "a"], "Churn reason: a value is required"),
        (["add", "tickets", "--category", "a", "--status", "later"], "Status: 'later' is not one of open, done"),
    ],
)
def test_bad_input_is_one_line_naming_the_field_and_nothing_is_written(pm, args, needle):
    rc, out, err = pm(*args)
    assert rc == 2 and out == ""
    assert err.count("\n") == 1 and needle in err
    sheet = {"campaigns": "campaigns", "deals": "deals", "churn": "opportunities", "tickets": "tickets"}[args[1]]
    assert pm("export", "table", sheet, "--from", "2000-01")[1] == "_No rows._\n"


def test_conversions_above_attention_warns_but_keeps_the_row(pm):
    rc, out, err = pm("add", "campaigns", "--campaign", "a", "--attention", "10", "--conversions", "20")
    assert rc == 0 and "warning: conversions (20) are above attention (10)" in err
    assert "| a | 10 | 20 |" in pm("export", "table", "campaigns")[1]


def test_csv_export_and_import_round_trip(pm, tmp_path, capsys):
    pm("add", "opportunities", "--month", "2026-10", "--customer", "ACME", "--reason", "line1\nline2, \"quoted\"")
    pm("add", "churn", "--month", "2026-10", "--customer", "Foo", "--churn-reason", "price")
    pm("add", "opportunity-totals", "--month", "2026-10", "--total", "40")
    csv_path = tmp_path / "opp.csv"
    assert pm("export", "table", "opportunities", "--month", "2026-10", "--format", "csv", "-o", str(csv_path))[0] == 0
    other = str(tmp_path / "other.db")
    assert main(["--db", other, "import", "opportunities", str(csv_path)]) == 0
    assert "imported 3 rows" in capsys.readouterr().err
    assert main(["--db", other, "export", "table", "opportunities", "--month", "2026-10"]) == 0
    exported = capsys.readouterr().out
    assert exported == pm("export", "table", "opportunities", "--month", "2026-10")[1]


def test_import_lists_errors_by_record_and_writes_nothing(pm, tmp_path):
    bad = tmp_path / "bad.csv"
    # The first record's note spans two lines: the records after it keep their numbers.
    bad.write_text('月份,运营活动,关注数,转化数,改进意见\n2026-10,a,10,5,"two\nlines"\n2026-13,b,1,1,\n2026-10,c,x,1,\n',
                   encoding="utf-8")
    rc, out, err = pm("import", "campaigns", str(bad))
    assert rc == 2 and out == ""
    lines = err.splitlines()
    assert lines[0].startswith("pmweek: record 2 (line 4): Month: '2026-13'")
    assert lines[1].startswith("pmweek: record 3 (line 5): Attention: 'x'")
    assert lines[2] == "pmweek: 2 records refused; nothing was imported"
    assert pm("export", "table", "campaigns", "--month", "2026-10")[1] == "_No rows._\n"


def test_import_of_a_missing_file_is_one_line(pm, tmp_path):
    rc, _, err = pm("import", "campaigns", str(tmp_path / "nope.csv"))
    assert rc == 2 and err.count("\n") == 1 and "nope.csv" in err


def test_month_range_and_help():
    result = run("add", "revenue", "--help")
    assert result.returncode == 0 and "--explanation" in result.stdout and "--replace" in result.stdout
    for args in (["export", "table", "--help"], ["export", "month", "--help"], ["import", "--help"], ["add", "--help"]):
        result = run(*args)
        assert result.returncode == 0 and result.stdout.startswith("usage: pmweek")


def test_reversed_range_is_refused(pm):
    rc, out, err = pm("export", "table", "deals", "--from", "2026-10", "--to", "2026-09")
    assert rc == 2 and "--from 2026-10 is after --to 2026-09" in err


def test_export_plan_of_a_week_never_compiled_is_drafted_from_the_data(pm, tmp_path):
    pm("add", "tickets", "--month", "2026-11", "--category", "backup", "--owner", "Li", "--due", "2026-11-12")
    db = tmp_path / "pm.db"
    before = db.read_bytes()
    rc, out, _ = pm("export", "plan", "--week", "2026-W45")  # Thursday: next week's plan, being made
    assert rc == 0
    assert out.startswith("# Plan for 2026-11-09 – 2026-11-13 (week 46)\n\n"
                          "_drafted from the data now (not yet edited in the app)_\n")
    assert "### Li\n\n- [ ] backup _(due 2026-11-12)_" in out  # what a compile would show
    assert out.count("_Nothing here._") == 6  # every other section keeps its heading
    assert db.read_bytes() == before  # and nothing was written


def test_export_plan_after_compiling(tmp_path, capsys):
    from datetime import date

    from pmweek.services import open_services

    db = tmp_path / "pm.db"
    services = open_services(f"sqlite:///{db}")
    services.sheets.add("deals", {"month": "2026-11", "customer": "Bank", "go_live": "2026-11-11"})
    services.documents.compile("plan", "2026-W45", date(2026, 11, 6))
    services.close()
    assert main(["--db", str(db), "--date", "2026-11-06", "export", "plan", "--week", "2026-W45"]) == 0
    out = capsys.readouterr().out
    assert "## DA deals going live next week or overdue\n\n- [ ] Bank _(go-live 2026-11-11)_\n" in out


def test_dated_records_from_the_shell(pm):
    # An insight is dated --date unless told; a release keeps the dates it moved from.
    assert pm("add", "insights", "--lens", "competitor", "--text", "Rival ships PITR")[0] == 0
    assert pm("add", "releases", "--name", "PITR", "--planned", "2026-12-01", "--waiting", "Bank")[0] == 0
    assert pm("add", "requests", "--title", "CDC", "--source-kind", "partner", "--source", "dts",
              "--needed-by", "2027-01-15")[0] == 0
    rc, out, err = pm("export", "table", "insights", "--format", "csv")
    assert rc == 0 and out.splitlines() == ["Date,Lens,Observation,Source", "2026-11-05,competitor,Rival ships PITR,"]
    rc, out, err = pm("export", "table", "requests", "--month", "2026-11")
    assert rc == 0 and "| CDC | partner | dts | 2027-01-15 |" in out
    rc, out, err = pm("add", "insights", "--lens", "gossip", "--text", "x")
    assert rc == 2 and err.count("\n") == 1 and "Lens" in err
    # The month's export stays the five monthly tables.
    out = pm("export", "month", "2026-11")[1]
    assert "## Releases" not in out and "## Revenue" in out


def test_add_help_lists_every_kind_and_its_columns(pm, capsys):
    with pytest.raises(SystemExit):
        main(["add", "--help"])
    out = capsys.readouterr().out
    for kind in ("releases", "insights", "requests", "revenue"):
        assert kind in out
    with pytest.raises(SystemExit):
        main(["add", "releases", "--help"])
    out = capsys.readouterr().out
    assert "--ops-goal" in out and "--earlier-planned" not in out


def test_the_weekly_report_from_the_shell(pm, tmp_path):
    pm("add", "insights", "--lens", "trend", "--text", "Vector search everywhere", "--date", "2026-11-04")
    pm("add", "revenue", "--month", "2026-11", "--cash", "120", "--forecast", "125")
    rc, out, err = pm("export", "report", "week")
    assert rc == 0 and err == ""
    assert out.startswith("# Weekly report, 2026-11-02 – 2026-11-06 (week 45)\n")  # the work week
    assert "- trend: Vector search everywhere" in out and "Cash revenue: 120" in out
    rc, out, _ = pm("export", "report", "week", "--for", "da,tl", "--sources")
    assert rc == 0 and out.count("# Weekly report") == 2 and "from Revenue, 2026-11" in out
    rc, out, _ = pm("--lang", "zh", "export", "report", "week", "--for", "all")
    assert rc == 0 and out.count("# 周报") == 8 and "致：DA（解决方案架构师）" in out
    rc, out, err = pm("export", "report", "week", "--for", "cfo")
    assert rc == 2 and out == "" and "unknown reader 'cfo'" in err and err.count("\n") == 1
    target = tmp_path / "report.md"
    rc, out, err = pm("export", "report", "week", "--for", "rnd", "-o", str(target))
    assert rc == 0 and out == "" and target.read_text(encoding="utf-8").startswith("# Weekly report")
    with pytest.raises(SystemExit):
        main(["export", "report", "--help"])


def test_what_is_recorded_under_date_is_dated_that_day(pm, tmp_path):
    """Back-filling a week: a row added and a tick made under --date carry that day."""
    import sqlite3
    from datetime import date

    from pmweek.domain.calendar import Week, clock_on, to_local
    from pmweek.services import open_services

    assert pm("add", "campaigns", "--campaign", "Webinar")[0] == 0  # --date 2026-11-05
    with sqlite3.connect(tmp_path / "pm.db") as conn:
        (stamp,) = conn.execute("SELECT created_at FROM campaign").fetchone()
    conn.close()
    assert stamp.startswith("2026-11-05")  # the tests run in UTC
    day = date(2026, 11, 23)
    services = open_services(f"sqlite:///{tmp_path / 'pm.db'}", clock=clock_on(day))
    try:
        item = services.checklist.open_week(Week.of(day), day).day(1).tasks[0]
        done_at = services.checklist.toggle(item.id)
        assert to_local(done_at).date() == day
        assert [to_local(at).date() for at, _, _ in services.checklist.history(item.id)] == [day]
    finally:
        services.close()


def test_export_plan_shows_the_plan_in_force(tmp_path, capsys):
    """On Monday the plan made last Friday for this week; on Friday the one being made."""
    from datetime import date

    from pmweek.services import open_services

    db = tmp_path / "pm.db"
    services = open_services(f"sqlite:///{db}")
    services.documents.compile("plan", "2026-W48", date(2026, 11, 27))  # Friday of W48: the plan for W49
    services.documents.add_line("plan", "2026-W48", date(2026, 11, 27), "added", "ship the beta")
    services.close()
    w49, w50 = "# Plan for 2026-11-30 – 2026-12-04 (week 49)", "# Plan for 2026-12-07 – 2026-12-11 (week 50)"
    for day, heading in (("2026-11-30", w49), ("2026-12-03", w49), ("2026-12-04", w50), ("2026-11-27", w49)):
        assert main(["--db", str(db), "--date", day, "export", "plan"]) == 0
        out = capsys.readouterr().out
        assert out.startswith(heading + "\n"), day
        assert ("- [ ] ship the beta" in out) == (heading == w49), day


MONTHLY = ("opportunities", "churn", "opportunity_totals", "campaigns", "deals", "tickets", "revenue")


@pytest.mark.parametrize("sheet", MONTHLY)
def test_add_flags_are_the_column_names(sheet, capsys):
    """Each flag of a monthly table is its column as the table shows it (--tickets, not
    --count), and its help names that column."""
    from pmweek.domain.sheets import SHEETS
    from pmweek.i18n import set_lang, t

    with pytest.raises(SystemExit):
        main(["--lang", "en", "add", sheet.replace("_", "-"), "--help"])
    shown = capsys.readouterr().out
    set_lang("en")
    for f in SHEETS[sheet].typed_fields:
        column = t(f.label_key).lower()
        assert all(word in column for word in f.option[2:].split("-")), (f.option, column)
        # the flag, its metavar, then (on the same line or the next) the column's name
        assert re.search(re.escape(f.option) + r" [A-Z-]+\s+" + re.escape(t(f.label_key)), shown), f.option
        for old in f.old_options:  # earlier names work but are not offered
            assert old + " " not in shown


def test_earlier_flag_names_still_work(pm):
    rc, out, _ = pm("add", "tickets", "--category", "backup", "--count", "7", "--plan", "docs")
    assert rc == 0 and "| backup | 7 | docs |" in out
    rc, out, _ = pm("add", "tickets", "--category", "upgrade", "--tickets", "3", "--improvement-plan", "faq")
    assert rc == 0 and "| upgrade | 3 | faq |" in out


def test_a_column_given_by_its_new_and_its_old_flag_takes_one_value(pm):
    rc, out, err = pm("add", "tickets", "--category", "x", "--tickets", "5", "--count", "7")
    assert rc == 2 and out == "" and "--tickets and --count name the same column" in err
    assert pm("export", "table", "tickets")[1].count("| x |") == 0
    assert pm("add", "tickets", "--category", "y", "--tickets", "5", "--count", "5")[0] == 0


def test_a_correction_from_the_shell_says_what_it_changed_and_wipes_nothing(pm):
    assert pm("add", "revenue", "--month", "2026-10", "--cash", "120.5", "--gaap", "110", "--users", "340",
              "--explanation", "ACME expanded")[0] == 0
    rc, out, err = pm("add", "revenue", "--month", "2026-10", "--cash", "121", "--replace")
    assert rc == 0 and err.count("\n") == 1
    assert "corrected Revenue (row 1): Cash 120.5 → 121;" in err and "history" in err
    assert out.splitlines()[2].startswith("| 2026-10 | 121 | 110 | 340 |  |  | ACME expanded |")
    rc, _, err = pm("add", "revenue", "--month", "2026-10", "--cash", "121", "--replace")
    assert rc == 0 and "nothing changed" in err


def test_a_choice_is_typed_in_either_language_and_a_bad_one_lists_the_words(pm):
    assert pm("--lang", "zh", "add", "deals", "--customer", "ACME", "--status", "已上线")[0] == 0
    out = pm("export", "table", "deals", "--format", "csv")[1]
    assert out.splitlines()[1].split(",")[6] == "live"  # stored as its key
    rc, _, err = pm("--lang", "zh", "add", "deals", "--customer", "ACME", "--status", "上了")
    assert rc == 2 and "live（已上线）" in err and "lost（已丢单）" in err and err.count("\n") == 1


def test_a_csv_file_opens_in_excel_and_standard_output_stays_plain(pm, tmp_path):
    """-o FILE starts with a byte-order mark (Excel and WPS then read UTF-8, not GBK);
    piped, the same CSV has none; the file imports back as it was."""
    pm("add", "campaigns", "--month", "2026-10", "--campaign", "双十一", "--attention", "100", "--conversions", "7")
    target = tmp_path / "campaigns.csv"
    assert pm("export", "table", "campaigns", "--month", "2026-10", "--format", "csv", "-o", str(target))[0] == 0
    data = target.read_bytes()
    piped = pm("export", "table", "campaigns", "--month", "2026-10", "--format", "csv")[1]
    assert data.startswith(b"\xef\xbb\xbf") and not piped.startswith("\ufeff")
    assert data[3:].decode("utf-8") == piped
    other = tmp_path / "other.db"
    assert main(["--db", str(other), "import", "campaigns", str(target)]) == 0


@pytest.mark.parametrize("name", ["Müller GmbH", "São Paulo", "Björk"])
def test_a_western_windows_csv_is_refused_not_read_as_chinese(pm, tmp_path, name):
    """A CSV saved by Excel on a Western Windows (Windows-1252) also reads as GB18030,
    "Müller" as "M黮ler": it is refused, asking for UTF-8, and nothing is stored."""
    sheet = tmp_path / "deals.csv"
    sheet.write_bytes(f"Month,Customer,Revenue target,Requirement,Status\n2026-03,{name},5,rollout,open\n"
                      .encode("cp1252"))
    rc, _, err = pm("import", "deals", str(sheet))
    assert rc == 2 and "UTF-8" in err and err.count("\n") == 1
    assert "rollout" not in pm("export", "table", "deals", "--month", "2026-03")[1]
    sheet.write_bytes(f"Month,Customer,Revenue target,Requirement,Status\n2026-03,{name},5,rollout,open\n"
                      .encode("utf-8"))
    assert pm("import", "deals", str(sheet))[0] == 0
    assert name in pm("export", "table", "deals", "--month", "2026-03")[1]


def test_a_chinese_excel_csv_with_a_rare_name_in_it_is_still_read(pm, tmp_path):
    """Chinese as Excel saves it keeps to common characters with a rare name here and
    there (喆, 堃): read as Chinese, not refused as maybe Western."""
    sheet = tmp_path / "deals.csv"
    sheet.write_bytes("月份,用户,营收目标,需求,状态\n2026-03,王喆的银行,5,跨地域容灾,open\n2026-03,李堃零售,8,审计日志,open\n"
                      .encode("gbk"))
    rc, _, err = pm("import", "deals", str(sheet))
    assert rc == 0, err
    out = pm("export", "table", "deals", "--month", "2026-03")[1]
    assert "王喆的银行" in out and "李堃零售" in out


def test_a_csv_as_chinese_excel_saves_it_imports_exactly_or_is_refused(pm, tmp_path):
    """GB18030 (Excel's "CSV (逗号分隔)" on Chinese Windows), months and dates as Excel
    writes them (2026/11, 2026年11月, 2026/11/3): read exactly; a day-first or
    month-first date is refused, never guessed, and nothing is imported."""
    sheet = tmp_path / "tickets.csv"
    sheet.write_bytes("月份,类别,工单数,改进计划,负责人,截止日期,状态\n"
                      "2026/11,备份恢复慢,18,恢复指南,李雷,2026/11/3,open\n"
                      "2026年11月,计费,5,,王芳,2026年12月1日,open\n".encode("gb18030"))
    rc, _, err = pm("import", "tickets", str(sheet))
    assert rc == 0, err
    out = pm("export", "table", "tickets", "--month", "2026-11", "--format", "csv")[1]
    assert "2026-11,备份恢复慢,18,恢复指南,李雷,2026-11-03" in out and "2026-11,计费,5,,王芳,2026-12-01" in out
    guessed = tmp_path / "us.csv"
    guessed.write_text("月份,类别,截止日期\n2026/12,网络,12/3/2026\n", encoding="utf-8")
    rc, _, err = pm("import", "tickets", str(guessed))
    assert rc == 2 and "12/3/2026" in err
    assert "网络" not in pm("export", "table", "tickets", "--month", "2026-12")[1]
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"\x80\xff\xfe,\x81\n")
    rc, _, err = pm("import", "tickets", str(latin))
    assert rc == 2 and "GB18030" in err and err.count("\n") == 1


def test_xlsx_round_trip_with_typed_cells_in_either_language(pm, tmp_path, capsys):
    """A table out as a workbook (numbers as numbers, dates as dates, headers as the app
    shows them), and back into another database as the same rows, from a Chinese and
    an English workbook alike; a formula-like text stays text."""
    from datetime import datetime

    from openpyxl import load_workbook

    pm("add", "tickets", "--month", "2026-11", "--category", "=HYPERLINK(\"http://x\")", "--tickets", "18",
       "--improvement-plan", "恢复指南\n第二步", "--owner", "李雷", "--due", "2026-12-01")
    pm("add", "campaigns", "--month", "2026-11", "--campaign", "双十一", "--attention", "1000", "--conversions", "71")
    for lang in ("zh", "en"):
        book = tmp_path / f"tickets-{lang}.xlsx"
        assert main(["--db", str(tmp_path / "pm.db"), "--lang", lang, "--date", "2026-11-05", "export", "table",
                     "tickets", "--month", "2026-11", "--format", "xlsx", "-o", str(book)]) == 0
        sheet = load_workbook(book).worksheets[0]
        assert sheet.freeze_panes == "A2"
        head = [c.value for c in sheet[1]]
        assert head[:3] == (["月份", "类别", "工单数"] if lang == "zh" else ["Month", "Category", "Tickets"])
        first = sheet[2]
        assert first[1].value == '=HYPERLINK("http://x")' and first[1].data_type == "s"  # text, never run
        assert first[2].value == 18 and isinstance(first[5].value, datetime)
        other = tmp_path / f"other-{lang}.db"
        assert main(["--db", str(other), "import", "tickets", str(book)]) == 0
        capsys.readouterr()
        assert main(["--db", str(other), "export", "table", "tickets", "--month", "2026-11"]) == 0
        again = capsys.readouterr().out
        assert again == pm("export", "table", "tickets", "--month", "2026-11")[1]
    month = tmp_path / "month.xlsx"
    assert pm("export", "month", "2026-11", "--format", "xlsx", "-o", str(month))[0] == 0
    rates = load_workbook(month)["Campaigns & conversions"]
    rate = [c for c in rates[2] if c.number_format == "0.0%"]
    assert rate and abs(rate[0].value - 0.071) < 1e-9


def test_an_xlsx_import_is_all_rows_or_none_naming_sheet_row_and_column(pm, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "十一月"
    sheet.append(["月份", "运营活动", "关注数", "转化数"])
    sheet.append(["2026-11", "双十一", 1000, 71])
    sheet.append(["2026-11", "直播", "很多", 5])
    path = tmp_path / "campaigns.xlsx"
    book.save(path)
    rc, _, err = pm("import", "campaigns", str(path))
    assert rc == 2 and "sheet '十一月', row 3" in err and "Attention" in err and "'很多'" in err
    assert pm("export", "table", "campaigns", "--month", "2026-11")[1] == "_No rows._\n"
    rc, _, err = pm("import", "campaigns", str(path), "--sheet", "十二月")
    assert rc == 2 and "十一月" in err and err.count("\n") == 1
    rc, _, err = pm("export", "table", "campaigns", "--format", "xlsx")
    assert rc == 2 and "-o" in err
    import zipfile

    archive = tmp_path / "notes.zip"  # a zip that is no workbook: one line, not a traceback
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("a.txt", "hi")
    rc, _, err = pm("import", "campaigns", str(archive))
    assert rc == 2 and "Excel workbook" in err and err.count("\n") == 1


def _formula_workbook(path, saved: str | None, column: str = "Cash", sheet: str = "revenue") -> None:
    """Revenue with its cash (or campaigns with ``column``) as the formula =100+23: its
    result saved in the file as a spreadsheet saves it, or not (as a script writing the
    workbook leaves it)."""
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    if sheet == "revenue":
        book.active.append(["Month", column, "GAAP"])
        book.active.append(["2026-03", "=100+23", 5])
    else:
        book.active.append(["Month", "Campaign", column])
        book.active.append(["2026-03", "Webinar", "=100+23"])
    book.save(path)
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    assert b"<f>100+23</f><v />" in parts[sheet]
    if saved is not None:
        parts[sheet] = parts[sheet].replace(b"<f>100+23</f><v />", f"<f>100+23</f><v>{saved}</v>".encode())
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)


def test_a_formula_is_read_as_the_result_saved_with_it_and_refused_without_one(pm, tmp_path):
    """A formula cell reads as what the spreadsheet showed when it was saved; one with no
    result saved is refused by sheet, row and column, not stored as nothing."""
    bare = tmp_path / "script-made.xlsx"
    _formula_workbook(bare, None)
    rc, _, err = pm("import", "revenue", str(bare))
    assert rc == 2 and "row 2" in err and "Cash" in err and "=100+23" in err and err.count("\n") == 1
    assert pm("export", "table", "revenue", "--month", "2026-03")[1] == "_No rows._\n"
    computed = tmp_path / "computed.xlsx"  # a formula in a column the import ignores is ignored too
    _formula_workbook(computed, None, column="Conversion rate", sheet="campaigns")
    assert pm("import", "campaigns", str(computed))[0] == 0
    saved = tmp_path / "saved.xlsx"
    _formula_workbook(saved, "123")
    assert pm("import", "revenue", str(saved))[0] == 0
    assert "| 2026-03 | 123 | 5 |" in pm("export", "table", "revenue", "--month", "2026-03")[1]


def test_a_percentage_as_excel_writes_it_is_read_exactly_where_a_field_holds_one(pm, tmp_path):
    """"7.1%" (a CSV's text, or a percent-formatted cell of a workbook) is a share in a
    goal's figures (kept as 0.071, as a typed 0.071 is) and points in a reader's coverage
    (82.1); in an amount that is no share it is refused, and nothing is imported."""
    from openpyxl import Workbook

    goals = tmp_path / "goals.csv"
    goals.write_text("周期,指标,目标值\n2026-11,转化率,7.1%\n2026-12,转化率,７．２％\n", encoding="utf-8")
    assert pm("import", "goals", str(goals))[0] == 0
    book = Workbook()
    book.active.append(["Period", "Metric", "Target"])
    book.active.append(["2027-01", "conversion-rate", 0.073])
    book.active["C2"].number_format = "0.0%"
    path = tmp_path / "goals.xlsx"
    book.save(path)
    assert pm("import", "goals", str(path))[0] == 0
    out = pm("export", "table", "goals", "--from", "2026-11", "--to", "2027-01", "--format", "csv")[1]
    assert "2026-11,Conversion rate,,7.1%," in out and "2026-12,Conversion rate,,7.2%," in out
    assert "2027-01,Conversion rate,,7.3%," in out
    figures = tmp_path / "figures.csv"
    figures.write_text("Period,Measure,Value\n2026-11,doc coverage,82.1%\n", encoding="utf-8")
    assert pm("import", "reader_figures", str(figures))[0] == 0
    assert "2026-11,doc coverage,82.1," in pm("export", "table", "reader_figures", "--format", "csv")[1]
    deals = tmp_path / "deals.csv"
    deals.write_text("Month,Customer,Target\n2026-11,Acme,120\n2026-11,Beta,7.1%\n", encoding="utf-8")
    rc, _, err = pm("import", "deals", str(deals))
    assert rc == 2 and "'7.1%'" in err and "nothing was imported" in err
    assert "Acme" not in pm("export", "table", "deals", "--month", "2026-11")[1]


def test_a_month_excel_keeps_as_a_date_cell_is_read_as_the_month_it_shows(pm, tmp_path):
    """Typing 2026/12 into Excel stores 2026-12-01 shown as a month: read as 2026-12.
    A cell that shows a day (2026-12-15) in the month column is no month: refused."""
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["月份", "运营活动", "关注数"])
    sheet.append([datetime(2026, 12, 1), "双十二", 300])
    sheet["A2"].number_format = 'yyyy"年"m"月"'
    path = tmp_path / "months.xlsx"
    book.save(path)
    assert pm("import", "campaigns", str(path))[0] == 0
    assert "| 2026-12 | 双十二 | 300 |" in pm("export", "table", "campaigns", "--month", "2026-12")[1]
    sheet["A2"].value, sheet["A2"].number_format = datetime(2026, 12, 15), "yyyy-mm-dd"
    book.save(path)
    rc, _, err = pm("import", "campaigns", str(path))
    assert rc == 2 and "2026-12-15" in err


def test_export_plan_of_a_past_week_never_compiled_is_refused(pm):
    """Not a plan that looks real with every section empty: there was none."""
    pm("add", "campaigns", "--campaign", "Double 11")
    rc, out, err = pm("export", "plan", "--week", "2026-W44")
    assert rc == 2 and out == ""
    assert err == "pmweek: no Friday plan was compiled in 2026-W44: only the current one is drafted from the data\n"


@pytest.mark.parametrize(("name", "starts"), [("t.xlsx", b"PK"), ("t.csv", "\ufeffMonth,".encode()),
                                              ("t.md", b"| Month |")])
def test_a_file_named_for_a_format_is_written_in_it(pm, tmp_path, name, starts):
    """Without --format, -o t.xlsx is a workbook Excel opens, not Markdown in a .xlsx."""
    pm("add", "tickets", "--month", "2026-11", "--category", "backup")
    rc, _, err = pm("export", "table", "tickets", "-o", str(tmp_path / name))
    assert rc == 0, err
    assert (tmp_path / name).read_bytes().startswith(starts)


@pytest.mark.parametrize("spelt", ["reader-figures", "reader_figures"])
def test_a_table_is_named_either_way_by_every_command(pm, tmp_path, capsys, spelt):
    """add, export table and import each take a table as a command line spells it
    (reader-figures) and as it is stored (reader_figures)."""
    assert pm("add", spelt, "--period", "2026-11", "--measure", "partners", "--value", "3")[0] == 0
    out = tmp_path / "kpis.csv"
    assert pm("export", "table", spelt, "-o", str(out))[0] == 0
    assert pm("import", spelt, str(out))[0] == 0
    assert pm("export", "table", spelt, "--format", "csv")[1].count("2026-11,partners,3") == 2
    for command in ("import", "add"):
        with pytest.raises(SystemExit):
            pm(command, "--help")
        help_text = capsys.readouterr().out
        assert "reader-figures" in help_text and "reader_figures" not in help_text


def test_import_replace_is_refused_for_a_table_of_many_rows_a_month(pm, tmp_path):
    """--replace corrects a month's one row (revenue); for a table holding many rows a
    month it would add them again, so it is refused and nothing is imported."""
    assert pm("add", "campaigns", "--month", "2026-11", "--campaign", "Webinar", "--attention", "300")[0] == 0
    out = tmp_path / "campaigns.csv"
    assert pm("export", "table", "campaigns", "-o", str(out))[0] == 0
    rc, _, err = pm("import", "campaigns", str(out), "--replace")
    assert rc == 2 and "--replace" in err and "Revenue" in err and err.count("\n") == 1
    assert pm("export", "table", "campaigns", "--format", "csv")[1].count("Webinar") == 1


def test_import_replace_of_the_opportunities_corrects_the_total_and_never_adds_rows_again(pm, tmp_path):
    """The opportunities' file holds the month's total (one row, corrected by --replace)
    and the valuable and churned ones (many rows): re-imported with --replace, those
    would be added twice, so it is refused once a kind and nothing changes; the total
    alone is corrected."""
    assert pm("add", "opportunity-totals", "--month", "2026-11", "--total", "40")[0] == 0
    assert pm("add", "opportunities", "--month", "2026-11", "--customer", "ACME Bank", "--spend", "120",
              "--why-valuable", "reference")[0] == 0
    whole = tmp_path / "opp.csv"
    assert pm("export", "table", "opportunities", "-o", str(whole))[0] == 0
    rc, _, err = pm("import", "opportunities", str(whole), "--replace")
    assert rc == 2 and err.count("--replace corrects only") == 1
    assert pm("export", "table", "opportunities", "--format", "csv")[1].count("ACME Bank") == 1
    total = tmp_path / "total.csv"
    total.write_text("Record,Month,Total opportunities\nTotal opportunities,2026-11,42\n", encoding="utf-8")
    assert pm("import", "opportunities", str(total), "--replace")[0] == 0
    out = pm("export", "table", "opportunities", "--format", "csv")[1]
    assert ",42," in out and out.count("ACME Bank") == 1
