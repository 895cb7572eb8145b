"""A team on one database: each PM's checklists, notes, routine and plans are their own;
the monthly tables say who entered each row, and can be read per PM or for everyone."""

from datetime import date

import pytest

from pmweek.domain.calendar import Week
from pmweek.export.markdown import month_markdown, table_markdown
from pmweek.services import open_services
from tests.services.test_export_tables import parse_tables
from tests.plans import add_plan_line, compile_plan

W48, MON, FRI = Week(2026, 48), date(2026, 11, 23), date(2026, 11, 27)


@pytest.fixture
def team(db_url, clock):
    li = open_services(db_url, "en", clock, user="li")
    wang = open_services(db_url, "en", clock, user="wang")
    yield li, wang
    li.close()
    wang.close()


def test_each_pm_has_their_own_week_notes_and_routine(team):
    li, wang = team
    li.checklist.add_template_item(1, "Li's own Monday item")
    li_week = li.checklist.open_week(W48, MON)
    wang_week = wang.checklist.open_week(W48, MON)
    assert {t.id for d in li_week.days for t in d.tasks}.isdisjoint({t.id for d in wang_week.days for t in d.tasks})
    assert li_week.day(1).tasks[-1].title == "Li's own Monday item"
    assert all(t.title != "Li's own Monday item" for t in wang_week.day(1).tasks)
    li.checklist.set_note(li_week.day(1).tasks[0].id, "li's note")
    li.checklist.toggle(li_week.day(1).tasks[0].id)
    again = wang.checklist.open_week(W48, MON).day(1).tasks[0]
    assert again.note == "" and not again.done


def test_carry_over_and_plans_are_per_pm(team):
    li, wang = team
    li.checklist.open_week(W48, MON)
    wang_view = wang.checklist.open_week(W48, MON)
    for task in wang_view.day(1).tasks:
        wang.checklist.toggle(task.id)
    assert len(li.checklist.open_week(W48, date(2026, 11, 24)).day(2).carried) == 11
    assert wang.checklist.open_week(W48, date(2026, 11, 24)).day(2).carried == ()
    compile_plan(li, FRI)
    assert li.documents.plan_made_in(W48) is not None and wang.documents.plan_made_in(W48) is None
    add_plan_line(wang, FRI, "added", "wang's own line")
    assert [ln.text for ln in wang.documents.plan_made_in(W48).section("added")] == ["wang's own line"]
    assert li.documents.plan_made_in(W48).section("added") == []


def test_rows_say_who_entered_them_and_can_be_read_per_pm(team):
    li, wang = team
    li.sheets.add("campaigns", {"month": "2026-11", "campaign": "li's webinar"})
    wang.sheets.add("campaigns", {"month": "2026-11", "campaign": "wang's expo"})
    rows = li.sheets.rows("campaigns", "2026-11", "2026-11", MON)
    assert [(r.values["campaign"], r.entered_by) for r in rows] == [("li's webinar", "li"), ("wang's expo", "wang")]
    mine = li.sheets.rows("campaigns", "2026-11", "2026-11", MON, by="li")
    assert [r.values["campaign"] for r in mine] == ["li's webinar"]
    # The lead's month across PMs says whose each row is; one PM's own export does not.
    (table,) = parse_tables(table_markdown(li.sheets.book("campaigns", "2026-11", "2026-11", MON)))
    assert table[0][-1] == "Entered by" and [row[-1] for row in table[1:]] == ["li", "wang"]
    (own,) = parse_tables(table_markdown(li.sheets.book("campaigns", "2026-11", "2026-11", MON, by="wang")))
    assert "Entered by" not in own[0] and own[1][1] == "wang's expo"
    md = month_markdown("2026-11", [li.sheets.book("campaigns", "2026-11", "2026-11", MON)])
    assert "| li's webinar |" in md and "| wang's expo |" in md


def test_rows_can_be_read_per_product_line(team):
    li, _ = team
    li.sheets.add("deals", {"month": "2026-11", "customer": "Bank", "product": "RDS PostgreSQL"})
    li.sheets.add("deals", {"month": "2026-11", "customer": "Shop", "product": "RDS MySQL"})
    li.sheets.add("revenue", {"month": "2026-11", "cash": "10"})  # no product lines: never filtered out
    only = li.sheets.book("deals", "2026-11", "2026-11", MON, product="RDS PostgreSQL")
    assert [r["customer"] for r in only.rows] == ["Bank"]
    (table,) = parse_tables(table_markdown(li.sheets.book("deals", "2026-11", "2026-11", MON)))
    assert table[0][-1] == "Product line" and [row[-1] for row in table[1:]] == ["RDS PostgreSQL", "RDS MySQL"]
    revenue = li.sheets.book("revenue", "2026-11", "2026-11", MON, product="RDS PostgreSQL")
    assert len(revenue.rows) == 1
