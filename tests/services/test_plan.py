"""The Friday plan, section by section; edits survive a recompile; Monday shows it."""

from datetime import date, datetime, timezone

import pytest

from pmweek.domain.calendar import Week
from pmweek.domain.documents.engine import Candidate, Line, merge
from pmweek.domain.plan import open_plan_lines
from pmweek.domain.workweek import count_workdays_after
from pmweek.errors import InputError
from tests.plans import add_plan_line, compile_plan, plan_markdown

W48 = Week(2026, 48)
FRI = date(2026, 11, 27)


def _week_with_data(services):
    checklist, add = services.checklist, services.sheets.add
    view = checklist.open_week(W48, FRI)
    monday = view.day(1).tasks
    for task in monday[1:]:  # Monday all done but its first item
        checklist.toggle(task.id)
    for day in (2, 3, 4, 5):
        for task in view.day(day).tasks:
            if task.key not in ("thu-revenue",):
                checklist.toggle(task.id)
    draft = next(t for t in view.day(4).tasks if t.key == "thu-plan-draft")
    checklist.set_note(draft.id, "- launch v2 docs\n\n* sync pricing with sales\n")
    # The PM took revenue off the routine: this week's open revenue item is one-off work now.
    checklist.remove_template_item(next(i.id for i in checklist.template() if i.key == "thu-revenue"))
    add("tickets", {"month": "2026-11", "category": "backup", "plan": "restore guide", "owner": "Li", "due": "2026-12-02"})
    add("tickets", {"month": "2026-11", "category": "perf", "owner": "Wang", "due": "2026-11-20"})  # overdue
    add("tickets", {"month": "2026-11", "category": "later", "owner": "Li", "due": "2026-12-20"})  # not yet
    add("tickets", {"month": "2026-11", "category": "closed", "due": "2026-12-01", "status": "done"})
    add("deals", {"month": "2026-11", "customer": "Bank", "requirement": "HA", "go_live": "2026-12-03"})
    add("deals", {"month": "2026-11", "customer": "Late Co", "go_live": "2026-11-10"})  # overdue
    add("deals", {"month": "2026-11", "customer": "Shipped", "go_live": "2026-11-25", "status": "live"})
    add("deals", {"month": "2026-11", "customer": "Far", "go_live": "2027-02-01"})
    add("opportunities", {"month": "2026-11", "customer": "ACME", "spend": "120", "reason": "top bank"})
    add("opportunities", {"month": "2026-11", "customer": "Won Co", "reason": "x", "status": "won"})
    add("opportunities", {"month": "2026-06", "customer": "Stale", "reason": "old"})
    add("revenue", {"month": "2026-11", "cash": "100", "forecast": "130"})
    return view


def _texts(plan, section):
    return [line.text for line in plan.section(section)]


def test_compiled_plan_section_by_section(services):
    view = _week_with_data(services)
    plan = compile_plan(services, FRI)
    assert plan.week == W48
    unfinished = plan.section("unfinished")
    # Monday's open review item comes back next week by itself: it is not unfinished work.
    assert [(ln.text, ln.carried) for ln in unfinished] == [
        (next(t.title for t in view.day(4).tasks if t.key == "thu-revenue"), 1),
    ]
    assert _texts(plan, "draft") == ["launch v2 docs", "sync pricing with sales"]
    tickets = plan.section("tickets")
    assert [(ln.text, ln.owner, ln.due) for ln in tickets] == [
        ("backup: restore guide", "Li", date(2026, 12, 2)),
        ("perf", "Wang", date(2026, 11, 20)),
    ]
    assert [(ln.text, ln.due) for ln in plan.section("deals")] == [
        ("Late Co", date(2026, 11, 10)),
        ("Bank · HA", date(2026, 12, 3)),
    ]
    assert _texts(plan, "opportunities") == ["ACME (spend 120): top bank"]
    assert _texts(plan, "revenue") == ["2026-11: cash 100 of forecast 130 (76.9%, -30)"]
    assert plan.section("cross_team") == [] and plan.section("added") == []


def test_edits_survive_a_recompile_and_new_lines_are_marked(services, clock):
    _week_with_data(services)
    plan = compile_plan(services, FRI)
    first, second = plan.section("draft")
    services.documents.set_priority(first.id, 1)
    services.documents.edit_line(second.id, "sync pricing with sales and docs", owner="Zhang", priority=2)
    services.documents.edit_line(first.id, due="2026-12-01")  # a correction of one field: the rest stays
    services.documents.toggle_dropped(plan.section("opportunities")[0].id)
    services.documents.move_line(plan.section("tickets")[1].id, -1)
    team = add_plan_line(services, FRI, "cross_team", "GUI screenshots for docs", "GUI team", "2026-12-03")
    services.sheets.add("tickets", {"month": "2026-11", "category": "new one", "owner": "Li", "due": "2026-12-01"})
    services.sheets.edit("tickets", 1, {"plan": "restore guide v2"})
    again = compile_plan(services, FRI)
    assert again.compile_count == 2
    draft = again.section("draft")
    assert (draft[0].priority, draft[1].text, draft[1].owner, draft[1].priority) == (
        1, "sync pricing with sales and docs", "Zhang", 2)
    assert (draft[0].text, draft[0].due) == ("launch v2 docs", date(2026, 12, 1))  # the PM's date, kept
    assert again.section("opportunities")[0].dropped
    tickets = again.section("tickets")
    assert [ln.text for ln in tickets] == ["perf", "backup: restore guide v2", "new one"]
    saved = services.documents.saved("plan", str(W48))  # the screen marks what the compile added
    assert [saved.is_new(next(d for d in saved.lines if d.id == ln.id)) for ln in tickets] == [False, False, True]
    assert [ln.id for ln in again.section("cross_team")] == [team]
    assert again.section("cross_team")[0].due == date(2026, 12, 3)


def test_a_source_that_went_away_leaves_the_plan(services):
    view = _week_with_data(services)
    plan = compile_plan(services, FRI)
    services.checklist.toggle(next(t.id for t in view.day(4).tasks if t.key == "thu-revenue"))
    services.sheets.edit("tickets", 2, {"status": "done"})
    again = compile_plan(services, FRI)
    assert len(again.section("unfinished")) == len(plan.section("unfinished")) - 1
    assert [ln.text for ln in again.section("tickets")] == ["backup: restore guide"]


def test_the_plan_shows_on_next_monday_and_lines_tick_off(services):
    _week_with_data(services)
    plan = compile_plan(services, FRI)
    services.documents.toggle_dropped(plan.section("revenue")[0].id)
    monday = Week(2026, 49)
    shown = services.documents.plan_for(monday)
    assert shown is not None and shown.week == W48
    lines = open_plan_lines(shown)
    assert len(lines) == len(plan.lines) - 1  # dropped lines are not carried to Monday
    done_at = services.documents.toggle_done(lines[0].id)
    assert done_at is not None
    assert open_plan_lines(services.documents.plan_for(monday))[0].done
    assert services.documents.plan_for(Week(2026, 50)) is None


def test_an_empty_week_still_compiles_with_every_section(services):
    compile_plan(services, FRI)
    md = plan_markdown(services, W48, FRI)
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Unfinished this week", "## Thursday draft", "## Ticket actions due next week or overdue",
        "## DA deals going live next week or overdue", "## Valuable opportunities to follow",
        "## Revenue against forecast", "## Cross-team", "## Added by hand",
    ]
    assert md.count("_Nothing here._") == 7
    assert "- [ ] 2026-11: no revenue entered yet" in md


def test_plan_markdown_item_by_item(services):
    _week_with_data(services)
    plan = compile_plan(services, FRI)
    services.documents.set_priority(plan.section("draft")[0].id, 1)
    services.documents.toggle_dropped(plan.section("opportunities")[0].id)
    add_plan_line(services, FRI, "cross_team", "GUI screenshots", "GUI team", "2026-12-03")
    add_plan_line(services, FRI, "added", "book the offsite room")
    md = plan_markdown(services, W48, FRI).splitlines()
    assert md[0] == "# Plan for 2026-11-30 – 2026-12-04 (week 49)"
    assert md[2].startswith("_compiled 2026-11-23 ")

    def section(title):
        start = md.index(f"## {title}") + 2
        end = next((i for i in range(start, len(md)) if md[i].startswith("## ")), len(md))
        return [line for line in md[start:end] if line]

    assert section("Thursday draft") == ["- [ ] **P1** launch v2 docs", "- [ ] sync pricing with sales"]
    assert section("Ticket actions due next week or overdue") == [
        "### Li", "- [ ] backup: restore guide _(due 2026-12-02)_",
        "### Wang", "- [ ] perf _(due 2026-11-20; overdue)_",
    ]
    assert section("DA deals going live next week or overdue") == [
        "- [ ] Late Co _(go-live 2026-11-10; overdue)_", "- [ ] Bank · HA _(go-live 2026-12-03)_",
    ]
    assert section("Valuable opportunities to follow") == ["_Nothing here._"]  # dropped
    assert section("Cross-team") == ["- [ ] GUI screenshots _(team: GUI team; due 2026-12-03)_"]
    assert section("Added by hand") == ["- [ ] book the offsite room"]
    assert section("Unfinished this week") == ["- [ ] Revenue _(carried 1×)_"]


def test_bad_plan_input_is_refused(services):
    compile_plan(services, FRI)
    with pytest.raises(InputError):
        add_plan_line(services, FRI, "added", "   ")
    with pytest.raises(InputError) as err:
        add_plan_line(services, FRI, "cross_team", "x", "R&D", "2026-02-30")
    assert err.value.params["field"] == "field.due"
    with pytest.raises(InputError):
        services.documents.set_priority(services.documents.plan_made_in(W48).lines[0].id, 7)
    assert services.documents.plan_made_in(W48).section("added") == []


def test_times_carried_counts_workdays():
    def weekday(d):
        return d.isoweekday() <= 5

    assert count_workdays_after(date(2026, 11, 23), date(2026, 11, 27), weekday) == 4
    assert count_workdays_after(date(2026, 11, 20), date(2026, 11, 23), weekday) == 1  # Friday to Monday
    assert count_workdays_after(date(2026, 11, 27), date(2026, 11, 27), weekday) == 0


def test_merge_keeps_pm_edits_and_deletes_what_went_away():
    now = datetime(2026, 11, 27, tzinfo=timezone.utc)
    existing = [
        Line(1, "tickets", 0, "ticket", {"category": "from data"}, text="mine", source_key="ticket:1", owner="Me",
             owner_edited=True, priority=1),
        Line(2, "tickets", 1, "ticket", {"category": "old"}, source_key="ticket:2", owner="Li"),
        Line(3, "added", 0, "typed", {}, text="typed"),
    ]
    result = merge(existing, [
        Candidate("tickets", "ticket:1", "ticket", {"category": "from data"}, owner="Li"),
        Candidate("tickets", "ticket:3", "ticket", {"category": "fresh"}, owner="Wang"),
    ], now)
    assert result.delete == [2]
    assert result.update == []  # ticket 1: the PM's words and owner win
    (inserted,) = result.insert
    assert (inserted.source_key, inserted.position, inserted.added_at) == ("ticket:3", 2, now)


def test_monday_shows_the_plan_highest_priority_first_with_owners(services):
    _week_with_data(services)
    plan = compile_plan(services, FRI)
    ticket = plan.section("tickets")[1]
    services.documents.set_priority(ticket.id, 1)
    draft = plan.section("draft")[1]
    services.documents.set_priority(draft.id, 2)
    lines = open_plan_lines(services.documents.plan_for(Week(2026, 49)))
    assert [ln.id for ln in lines[:2]] == [ticket.id, draft.id]
    assert lines[0].owner == ticket.owner and lines[0].priority == 1
    assert all(ln.priority is None for ln in lines[2:])
