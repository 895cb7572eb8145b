"""The demo writes its free text in the language asked for; the English demo stays as it was."""

import dataclasses
import sqlite3
import string
from datetime import date

import pytest

from pmweek.domain.sheets import SHEETS
from pmweek.services import open_services
from pmweek.services.demo import fill
from pmweek.services.demo_text import TEXT, DemoText
from tests.zh_style import assert_chinese_style, has_chinese

TODAY = date(2026, 11, 25)  # a quarter of history: September to November, October opens Q4
CODES = {("goals", "metric"), ("tasks", "kr"), ("requests", "source")}  # metric keys, partner products


def _strings(text: DemoText) -> list[str]:
    out: list[str] = []
    for f in dataclasses.fields(DemoText):
        value = getattr(text, f.name)
        if f.name == "separator":
            continue
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            out += [s for texts in value.values() for s in texts]
        else:
            out += [s for v in value for s in (v if isinstance(v, tuple) else (v,))]
    return [s for s in out if s]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """Each language's demo database, as a plain SQLite connection."""
    connections = {}
    for lang in TEXT:
        path = tmp_path_factory.mktemp(lang) / "pm.db"
        services = open_services(f"sqlite:///{path}", lang)
        fill(services.engine, 0.25, TODAY, lang, user=services.user)
        services.close()
        connections[lang] = sqlite3.connect(path)
    yield connections
    for connection in connections.values():
        connection.close()


def _free_text(connection: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """(sheet, column, value) of every non-empty text cell, codes aside, and the checklist's notes."""
    out = []
    for sheet in SHEETS.values():
        columns = [f.key for f in sheet.fields if f.kind == "text" and (sheet.name, f.key) not in CODES]
        if not columns:
            continue
        for row in connection.execute(f"SELECT {', '.join(columns)} FROM {sheet.table}"):
            out += [(sheet.name, column, value) for column, value in zip(columns, row, strict=True) if value]
    out += [("checklist", "note", note) for (note,) in connection.execute("SELECT note FROM task WHERE note != ''")]
    return out


def test_each_language_has_the_same_lists_so_a_seed_draws_the_same_rows():
    en, zh = TEXT["en"], TEXT["zh"]
    for f in dataclasses.fields(DemoText):
        a, b = getattr(en, f.name), getattr(zh, f.name)
        if isinstance(a, str):
            assert {n for _, n, _, _ in string.Formatter().parse(a) if n} == \
                   {n for _, n, _, _ in string.Formatter().parse(b) if n}, f.name
        elif isinstance(a, dict):
            assert list(a) == list(b) and [len(v) for v in a.values()] == [len(v) for v in b.values()], f.name
        else:
            assert len(a) == len(b), f.name
            assert [x == "" for x in a] == [x == "" for x in b], f.name  # blanks in the same places


def test_chinese_demo_text_is_chinese_in_the_project_style():
    for text in _strings(TEXT["zh"]):
        assert has_chinese(text), text
        assert_chinese_style(text)
    assert_chinese_style(TEXT["zh"].deals[1].format(n=3) + TEXT["zh"].small_benefit.format(n=5))


def test_a_chinese_demo_writes_chinese_free_text(demo):
    english = set(_strings(TEXT["en"]))
    cells = _free_text(demo["zh"])
    assert {sheet for sheet, _, _ in cells} >= {"opportunities", "churn", "campaigns", "deals", "tickets", "releases",
                                               "insights", "requests", "goals", "objectives", "tasks", "projects",
                                               "risks", "phases", "checklist"}
    for sheet, column, value in cells:
        assert has_chinese(value), (sheet, column, value)
        assert value not in english, (sheet, column, value)
        assert_chinese_style(value)
    categories = [c for (c,) in demo["zh"].execute("SELECT category FROM ticket_topic")]
    assert categories and all(has_chinese(c) for c in categories)
    assert {c for (c,) in demo["zh"].execute("SELECT customer FROM opportunity")} <= set(TEXT["zh"].customers)


def test_the_english_demo_is_unchanged(demo):
    connection = demo["en"]
    categories = {c for (c,) in connection.execute("SELECT category FROM ticket_topic")}
    assert categories <= set(TEXT["en"].categories)
    assert not any(has_chinese(value) for _, _, value in _free_text(connection))
    # The same seed draws the same rows in either language, and again next time.
    assert connection.execute("SELECT category, plan, owner FROM ticket_topic ORDER BY id LIMIT 2").fetchall() == [
        ("backup", "training for support", "Han Meimei"), ("upgrade", "new alert", "Chen Jing")]
    assert connection.execute("SELECT customer, industry, influence, reason FROM opportunity ORDER BY id "
                              "LIMIT 1").fetchone() == ("Globex Games", "gaming", "medium", "top-3 in its industry")
    assert connection.execute("SELECT name, waiting FROM feature_release ORDER BY id LIMIT 1").fetchone() == (
        "PITR to the second", "Soylent Logistics, Wayne Retail")
    assert connection.execute("SELECT project, features, benefit FROM project ORDER BY id LIMIT 2").fetchall() == [
        ("Multi-region HA", "Audit log; audit trail", "two banks signed"), ("Usage alerts", "", "+5% activation")]
    assert connection.execute("SELECT title, opportunities FROM feature_request ORDER BY id LIMIT 1").fetchone() == (
        "CDC to Kafka", "1 deal")


def test_a_demo_customer_is_in_the_industry_its_name_says_once_a_month(demo):
    """"… Bank" is finance, "…游戏" gaming; no customer is listed twice in one month with
    two spends, nor as churned the month it is valuable."""
    kinds = {"en": {"Bank": "finance", "Retail": "retail", "Games": "gaming", "Logistics": "logistics"},
             "zh": {"银行": "金融", "零售": "零售", "游戏": "游戏", "物流": "物流"}}
    for lang, connection in demo.items():
        rows = connection.execute("SELECT month, customer, industry FROM opportunity").fetchall()
        assert rows
        for _, customer, industry in rows:
            assert industry == next(v for k, v in kinds[lang].items() if customer.endswith(k))
        assert len({(m, c) for m, c, _ in rows}) == len(rows)
        # who churned that month is neither valuable nor a deal that month
        assert connection.execute("SELECT count(*) FROM churn ch JOIN opportunity o ON o.month = ch.month "
                                  "AND o.customer = ch.customer").fetchone() == (0,)
        assert connection.execute("SELECT count(*) FROM deal d JOIN churn ch ON d.month = ch.month "
                                  "AND d.customer = ch.customer").fetchone() == (0,)


def test_demo_weeks_read_like_weeks_opened_in_the_app(tmp_path):
    """A demo week holds the routine as a week opened from the template would: the
    Tuesday–Wednesday work shows on both days, as one item."""
    from pmweek.domain.calendar import Week

    services = open_services(f"sqlite:///{tmp_path / 'demo.db'}", "en")
    fill(services.engine, 0.1, date(2026, 11, 23), user=services.user)
    demo_week = services.checklist.peek_week(Week(2026, 46))
    fresh = open_services(f"sqlite:///{tmp_path / 'fresh.db'}", "en")
    opened = fresh.checklist.open_week(Week(2026, 46), date(2026, 11, 9))
    for weekday in (2, 3):
        shown = [(x.title, x.until_day) for x in demo_week.day(weekday).tasks]
        assert shown == [(x.title, x.until_day) for x in opened.day(weekday).tasks] and shown
    services.close()
    fresh.close()


def test_a_demo_monday_has_last_friday_s_plan_to_work_through(tmp_path, capsys):
    """The demo compiles the last Fridays' plans, as the PM would have: on Monday the
    review item has a plan, and it prints, rather than "no plan was compiled"."""
    from pmweek.cli import main

    db = str(tmp_path / "pm.db")
    assert main(["--db", db, "--date", "2026-12-07", "demo", "--years", "0.1"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "--date", "2026-12-07", "export", "plan"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# ") and "week 50" in out and "- [ ]" in out
