"""Monthly tables out: Markdown parsed back cell by cell, CSV round trips."""

from datetime import date

import pytest
from markdown_it import MarkdownIt

from pmweek.domain.sheets import BOOKS, SHEETS
from pmweek.export.csvio import book_csv, parse_book_csv
from pmweek.export.markdown import month_markdown, table_markdown
from pmweek.i18n import set_lang

TODAY = date(2026, 11, 5)
NASTY = "a | b\nline two 中文 *not bold* `x` <br> &amp; \\ [link](x) ~~s~~ _u_"


def parse_tables(markdown: str) -> list[list[list[str]]]:
    """Every table as rows of cell texts, with <br> read back as a newline."""
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    tables, rows, row = [], None, None
    for tok in tokens:
        if tok.type == "table_open":
            rows = []
        elif tok.type == "table_close":
            tables.append(rows)
            rows, row = None, None
        elif tok.type == "tr_open":
            row = []
        elif tok.type == "tr_close":
            rows.append(row)
        elif tok.type == "inline" and row is not None and rows is not None:
            text = ""
            for child in tok.children or []:
                if child.type == "html_inline" and child.content.lower() in ("<br>", "<br/>"):
                    text += "\n"
                elif child.type == "text":
                    text += child.content
                else:
                    raise AssertionError(f"markup leaked into a cell: {child.type} {child.content!r}")
            row.append(text)
    return tables


def _seed(services):
    add = services.sheets.add
    add("revenue", {"month": "2026-09", "cash": "100", "gaap": "90", "users": "300", "instances": "500", "forecast": "110"})
    add("revenue", {"month": "2026-10", "cash": "120.5", "gaap": "110", "users": "340", "instances": "512",
                    "forecast": "130", "change_note": NASTY, "actions": "推动 | 大客户扩容"})
    add("campaigns", {"month": "2026-10", "campaign": "双 11 | 大促", "attention": "1200", "conversions": "85",
                      "improvement": NASTY})
    add("opportunity_totals", {"month": "2026-10", "total": "40"})
    add("opportunities", {"month": "2026-10", "customer": "ACME", "spend": "120", "industry": "金融",
                          "influence": "high", "reason": "top bank"})
    add("opportunities", {"month": "2026-10", "customer": "Beta", "reason": "fast growth", "status": "won"})
    add("churn", {"month": "2026-10", "customer": "Foo", "churn_reason": "price | support"})
    add("deals", {"month": "2026-10", "customer": "Bank", "target": "500", "requirement": NASTY,
                  "go_live": "2026-11-10", "progress": "POC"})
    add("tickets", {"month": "2026-10", "category": "backup", "count": "12", "plan": "fix", "owner": "李雷",
                    "due": "2026-11-01"})
    release, _ = add("releases", {"name": "PITR | 秒级", "planned": "2026-10-20", "profile": NASTY,
                                  "waiting": "Bank, ACME", "playbook": "=HYPERLINK(1)"})
    services.sheets.edit("releases", release, {"planned": "2026-10-28", "status": "slipped"})
    add("insights", {"date": "2026-10-12", "lens": "competitor", "text": NASTY, "source": "pgsql-hackers"})
    add("requests", {"title": "CDC to Kafka", "source_kind": "partner", "source": "dts", "needed_by": "2026-12-01",
                     "opportunities": "3 banks", "roi": "-high-", "status": "accepted"})
    add("requests", {"title": "Vector | 搜索", "source_kind": "ticket", "reach": "2,000", "impact": "high",
                     "confidence": "80%", "effort": "0.5", "weight": "1.5", "axis": "maturity", "quarter": "2027-Q1"})
    add("risks", {"risk": "=HYPERLINK(1) | 人员流失", "risk_kind": "technical", "likelihood": "3", "severity": "5",
                  "mitigation": NASTY, "owner": "李雷", "status": "watching", "next_review": "2026-10-30"})
    add("goals", {"period": "2026-Q4", "metric": "churn", "goal_target": "3", "owner": "李雷",
                  "goal_reason": NASTY, "axis": "user_value"})
    add("goals", {"period": "2026-10", "metric": "NPS | 口碑", "goal_target": "40", "actual": "38.5"})
    add("reader_figures", {"period": "2026-10", "measure": "partners", "measure_value": "42", "measure_note": NASTY})
    add("goals", {"period": "2026-Q4", "metric": "users", "goal_start": "300", "goal_target": "400",
                  "objective": "自助 | 增长", "score": "70%", "review": NASTY})
    add("objectives", {"quarter": "2026-Q4", "objective": "自助 | 增长", "axis": "user_value", "owner": "李雷"})
    add("tasks", {"quarter": "2026-Q4", "kr": "users", "task": "PITR | 秒级", "link": "release"})
    add("projects", {"project": "Backup 2.0", "start": "2026-10-01", "end": "2026-12-20", "status_quo": NASTY,
                     "before": "=1+1", "benefit_kind": "cost", "benefit": "-30% storage", "releases": "PITR | 秒级"})
    add("phases", {"project": "Backup 2.0", "phase": "design", "planned_start": "2026-10-01",
                   "planned_end": "2026-10-15", "actual_end": "2026-10-20", "scope": "@SUM(A1)"})
    # A kind declared later (by someone who wrote no seed for it) still gets one record,
    # every field typed from its declaration, so the round trip proves something.
    for sheet in SHEETS.values():
        if not services.sheets.rows(sheet.name, None, None, TODAY):
            add(sheet.name, {f.key: _TYPED[f.kind](f) for f in sheet.typed_fields})


# A value as a PM would type it, for each kind of field.
_TYPED = {
    "month": lambda f: "2026-10", "period": lambda f: "2026-10", "quarter": lambda f: "2026-Q4",
    "date": lambda f: "2026-10-15", "dates": lambda f: "2026-10-01", "text": lambda f: NASTY if f.multiline else f"=SUM(A1) | {f.key} 名",
    "int": lambda f: "3", "money": lambda f: "2.5", "level": lambda f: "3", "score": lambda f: "0.5",
    "impact": lambda f: "1", "confidence": lambda f: "80%", "effort": lambda f: "1",
    "choice": lambda f: f.choices[-1],
}


def test_revenue_table_parses_back_to_every_cell(services):
    _seed(services)
    md = table_markdown(services.sheets.book("revenue", "2026-10", "2026-10", TODAY))
    (table,) = parse_tables(md)
    assert table == [
        ["Month", "Cash", "GAAP", "Users", "Instances", "Forecast", "Explanation of the change",
         "Actions to drive revenue, and why", "Cash MoM", "Users MoM", "Instances MoM", "Actual − forecast",
         "Actual / forecast", "Cash − GAAP"],
        ["2026-10", "120.5", "110", "340", "512", "130", NASTY, "推动 | 大客户扩容", "+20.5%", "+13.3%", "+2.4%",
         "-9.5", "92.7%", "+10.5"],
    ]


def test_chinese_headers_are_the_sources(services):
    set_lang("zh")
    _seed(services)
    heads = {}
    for name in (name for name, book in BOOKS.items() if book.monthly):
        (table,) = parse_tables(table_markdown(services.sheets.book(name, "2026-10", "2026-10", TODAY)))
        heads[name] = table[0]
    assert heads["opportunities"][:5] == ["月份", "总商机", "价值商机(说明原因)", "流失商机数", "流失用户、原因"]
    assert heads["campaigns"][:5] == ["月份", "运营活动", "关注数", "转化数", "改进意见"]
    assert heads["deals"][:6] == ["月份", "用户", "营收目标", "需求", "上线时间点", "进度"]
    assert heads["revenue"][:8] == ["月份", "现金", "gaap", "用户数", "实例数", "预测", "变化说明", "拉动营收的action和理由"]
    assert heads["campaigns"][5:] == ["转化率"]


def test_opportunities_summary_row(services):
    _seed(services)
    (table,) = parse_tables(table_markdown(services.sheets.book("opportunities", "2026-10", "2026-10", TODAY)))
    assert table[1] == [
        "2026-10",
        "40",
        "ACME (金融, high, spend 120): top bank\nBeta (won): fast growth",
        "1",
        "Foo: price | support",
        "2",
    ]


def test_month_export_has_all_five_tables_with_their_cells(services):
    _seed(services)
    views = [services.sheets.book(name, "2026-10", "2026-10", TODAY) for name, book in BOOKS.items() if book.monthly]
    md = month_markdown("2026-10", views)
    assert md.startswith("# Business tables, 2026-10\n")
    assert [line for line in md.splitlines() if line.startswith("## ")] == [
        "## Opportunities & churn", "## Campaigns & conversions", "## DA deals", "## Tickets", "## Revenue"
    ]
    tables = parse_tables(md)
    assert len(tables) == 5
    campaigns, deals, tickets = tables[1], tables[2], tables[3]
    assert campaigns[1] == ["2026-10", "双 11 | 大促", "1200", "85", NASTY, "7.1%"]
    assert deals[1] == ["2026-10", "Bank", "500", NASTY, "2026-11-10", "POC", "open", "5"]
    assert tickets[1] == ["2026-10", "backup", "12", "fix", "李雷", "2026-11-01", "open", "overdue"]


def test_an_empty_month_says_so(services):
    md = table_markdown(services.sheets.book("deals", "2030-01", "2030-01", TODAY))
    assert md == "_No rows._\n"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", list(BOOKS))
def test_csv_round_trip_restores_every_record(open_db, tmp_path, name, lang):
    set_lang(lang)
    source = open_db(lang)
    _seed(source)
    before = source.sheets.book(name, None, None, TODAY)
    text = book_csv(before)
    target = open_db(lang, f"sqlite:///{tmp_path / 'copy.db'}")
    target.sheets.import_records(parse_book_csv(BOOKS[name], text))
    after = target.sheets.book(name, None, None, TODAY)
    for sheet in BOOKS[name].sheets:
        assert before.records[sheet], f"the seed has no {sheet} record: the round trip would prove nothing"
        assert [r.values for r in after.records[sheet]] == [r.values for r in before.records[sheet]]
    assert book_csv(after) == text


def test_csv_headers_may_be_in_either_language_or_keys(services):
    csv_text = "月份,Campaign,attention,转化数,转化率\n2026-10,a,10,5,50%\n"
    records = parse_book_csv(BOOKS["campaigns"], csv_text)
    assert [(str(w), s, r) for w, s, r in records] == [("record 1 (line 2)", "campaigns", {"month": "2026-10", "campaign": "a", "attention": "10",
                                                       "conversions": "5"})]


def test_csv_unknown_column_is_refused(services):
    from pmweek.errors import InputError

    with pytest.raises(InputError) as err:
        parse_book_csv(BOOKS["campaigns"], "month,campaign,colour\n2026-10,a,red\n")
    assert err.value.params["column"] == "colour"
