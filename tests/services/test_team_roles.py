"""A team on one PostgreSQL database: the PM is the database role. Each PM's routine,
checklists, notes and documents are theirs alone to read and change (row-level
security), the team's tables stay shared, a lead's role reads everyone's work, and
--user naming another role is refused. Against the suite's own PostgreSQL server."""

from __future__ import annotations

from datetime import date

import pytest

from pmweek.domain.calendar import Week
from pmweek.errors import DatabaseError, PmWeekError
from pmweek.services import open_services
from tests.plans import add_plan_line, compile_plan

W48, MON = Week(2026, 48), date(2026, 11, 23)


@pytest.fixture
def team_db(pg_server):
    """A database set up as its administrator would: the schema made by pmweek, the PMs'
    roles allowed to use its tables, the lead a member of pmweek_lead."""
    url = pg_server.new_database()
    open_services(url).close()  # the schema, as the administrator
    name = url.rsplit("/", 1)[1]
    with pg_server.admin() as conn:
        for role in ("pm_a", "pm_b", "boss"):
            conn.execute(f"DO $$ BEGIN CREATE ROLE {role} LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
        conn.execute("DO $$ BEGIN CREATE ROLE pmweek_lead NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
        conn.execute("GRANT pmweek_lead TO boss")
    import psycopg

    with psycopg.connect(host="127.0.0.1", port=pg_server.port, user="pmweek", dbname=name, autocommit=True) as conn:
        for role in ("pm_a", "pm_b", "boss"):
            conn.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}")
            conn.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}")
    return lambda role: pg_server.url(name, user=role)


def test_each_pm_is_their_role_and_cannot_touch_another_s_work(team_db):
    a = open_services(team_db("pm_a"))
    b = open_services(team_db("pm_b"))
    assert (a.user, b.user) == ("pm_a", "pm_b")
    a_item = a.checklist.open_week(W48, MON).day(1).tasks[0]
    a.checklist.set_note(a_item.id, "a's own note")
    b_week = b.checklist.open_week(W48, MON)
    assert a_item.id not in {t.id for d in b_week.days for t in d.tasks}
    # b cannot read, tick or write a's item, even by its id.
    for change in (lambda: b.checklist.toggle(a_item.id), lambda: b.checklist.set_note(a_item.id, "b was here")):
        with pytest.raises(PmWeekError) as err:  # not found for b: the row is not b's to see
            change()
        assert err.value.key in ("error.task_gone", "error.row_gone"), err.value.key
    assert a.checklist.task(a_item.id).note == "a's own note" and not a.checklist.task(a_item.id).done
    # The team's tables are shared: b sees a's row and adds its own.
    a.sheets.add("campaigns", {"month": "2026-11", "campaign": "a's webinar"})
    b.sheets.add("campaigns", {"month": "2026-11", "campaign": "b's expo"})
    rows = b.sheets.rows("campaigns", "2026-11", "2026-11", MON)
    assert [(r.values["campaign"], r.entered_by) for r in rows] == [("a's webinar", "pm_a"), ("b's expo", "pm_b")]
    a.close()
    b.close()


def test_another_role_given_as_user_is_refused(team_db):
    with pytest.raises(DatabaseError) as err:
        open_services(team_db("pm_b"), user="pm_a")
    assert err.value.key == "error.user_not_role" and "pm_b" in err.value.message()
    open_services(team_db("pm_b"), user="pm_b").close()  # naming oneself is fine


def test_the_lead_reads_every_pm_s_work_and_changes_none(team_db):
    a = open_services(team_db("pm_a"))
    b = open_services(team_db("pm_b"))
    a_item = a.checklist.open_week(W48, MON).day(1).tasks[0]
    a.checklist.set_note(a_item.id, "a's note")
    b.checklist.open_week(W48, MON)
    boss = open_services(team_db("boss"))
    assert boss.for_user("pm_a").checklist.peek_week(W48).day(1).tasks[0].note == "a's note"
    with pytest.raises(PmWeekError):  # reading is not changing
        boss.checklist.set_note(a_item.id, "the lead's edit")
    assert a.checklist.task(a_item.id).note == "a's note"
    # A PM who is not the lead reads only their own.
    assert b.for_user("pm_a").checklist.peek_week(W48).stored is False
    for services in (a, b, boss):
        services.close()


def test_a_pm_s_whole_week_works_under_the_policies(team_db):
    """Routine edits, ticks, notes, the Friday plan and a report, as a role held to its
    own rows: nothing the app does needs another's."""
    a = open_services(team_db("pm_a"))
    a.checklist.add_template_item(1, "a's own item")
    view = a.checklist.open_week(W48, MON)
    assert view.day(1).tasks[-1].title == "a's own item"
    a.checklist.toggle(view.day(1).tasks[0].id)
    a.checklist.toggle_dismissed(view.day(1).tasks[1].id)
    friday = date(2026, 11, 27)
    compile_plan(a, friday)
    add_plan_line(a, friday, "added", "follow up ACME")
    assert [ln.text for ln in a.documents.plan_made_in(W48).section("added")] == ["follow up ACME"]
    report = a.documents.compile("weekly", "2026-W48", friday)
    assert report.lines
    assert a.documents.owners() == ["pm_a"]
    a.close()
