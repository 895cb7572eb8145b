from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pmweek.db.tables import RoutineItem, Task, TaskEvent, WeekRow
from pmweek.domain.calendar import Week
from pmweek.errors import InputError, NotFound
from tests.plans import compile_plan

W48 = Week(2026, 48)
MON, TUE, WED, THU = date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 25), date(2026, 11, 26)


def _count(services, model) -> int:
    with Session(services.engine) as s:
        return len(s.execute(select(model)).all())


def _item(view, weekday, key):
    return next(t for t in view.day(weekday).tasks if t.key == key)


def test_opening_a_week_copies_the_template_once(services):
    view = services.checklist.open_week(W48, MON)
    assert view.stored
    assert [len(d.tasks) for d in view.days] == [11, 2, 2, 3, 1]  # Tuesday's two run until Wednesday
    assert [t.id for t in view.day(2).tasks] == [t.id for t in view.day(3).tasks]
    assert view.day(1).date == MON and view.day(5).date == date(2026, 11, 27)
    first = view.day(1).tasks[0]
    assert first.key == "mon-review-plan" and len(first.points) == 3
    tasks = _count(services, Task)
    again = services.checklist.open_week(W48, MON)
    assert _count(services, Task) == tasks  # nothing duplicated
    assert [t.id for d in again.days for t in d.tasks] == [t.id for d in view.days for t in d.tasks]


def test_peek_writes_nothing_and_shows_the_template(services):
    view = services.checklist.peek_week(W48)
    assert not view.stored
    assert [len(d.tasks) for d in view.days] == [11, 2, 2, 3, 1]  # Tuesday's two run until Wednesday
    assert [t.id for t in view.day(2).tasks] == [t.id for t in view.day(3).tasks]
    assert _count(services, WeekRow) == 0 and _count(services, RoutineItem) == 0


@pytest.mark.parametrize("week", ["2026-W53", "2027-W01", "2025-W01"])
def test_weeks_at_year_boundaries_get_their_own_dates(services, week):
    wk = Week.parse(week)
    view = services.checklist.open_week(wk, wk.monday)
    assert [d.date for d in view.days] == wk.workdays()
    assert all(t.date == view.day(t.day).date for d in view.days for t in d.tasks)


def test_chinese_template_is_used_for_a_chinese_user(open_db):
    view = open_db("zh").checklist.open_week(W48, MON)
    assert view.day(1).tasks[0].title.startswith("回顾")


def test_ticking_records_the_time_and_unticking_is_recorded_too(services, clock):
    view = services.checklist.open_week(W48, MON)
    item = view.day(1).tasks[1]
    done_at = services.checklist.toggle(item.id)
    assert done_at is not None
    stored = services.checklist.task(item.id)
    assert stored.done and stored.done_at == done_at
    assert services.checklist.toggle(item.id) is None
    assert not services.checklist.task(item.id).done
    assert [a for _, a, _ in services.checklist.history(item.id)] == ["done", "undone"]


def test_sub_points_are_ticked_on_their_own(services):
    view = services.checklist.open_week(W48, MON)
    item = view.day(1).tasks[0]
    services.checklist.toggle(item.points[1].id)
    again = services.checklist.task(item.id)
    assert [p.done for p in again.points] == [False, True, False]
    assert not again.done


def test_notes_are_saved_and_read_back_exactly(services):
    item = services.checklist.open_week(W48, MON).day(1).tasks[0]
    text = "客户 A 要求 | 下周上线\nsecond line ✅"
    services.checklist.set_note(item.id, text)
    assert services.checklist.task(item.id).note == text


def test_undone_items_carry_to_later_days_of_the_week(services):
    view = services.checklist.open_week(W48, MON)
    mon = view.day(1).tasks
    services.checklist.toggle(mon[0].id)  # done: not carried
    services.checklist.toggle_dismissed(mon[1].id)  # dismissed: not carried
    wed = services.checklist.open_week(W48, WED).day(3)
    carried = {t.id: t for t in wed.carried}
    assert mon[0].id not in carried and mon[1].id not in carried
    assert mon[2].id in carried and carried[mon[2].id].carried_from == MON
    # Tuesday's items run until Wednesday: today's own work there, carried only after it.
    tue_items = {t.id for t in view.day(2).tasks}
    assert tue_items <= {t.id for t in wed.tasks} and not tue_items & set(carried)
    assert tue_items <= {t.id for t in services.checklist.open_week(W48, THU).day(4).carried}
    # Only today's list carries; other days show their own items.
    assert services.checklist.open_week(W48, WED).day(2).carried == ()


def test_a_two_day_item_is_one_item_ticked_on_either_day(services):
    view = services.checklist.open_week(W48, WED)
    prd = view.day(3).tasks[0]
    assert prd.key == "tue-prd" and (prd.day, prd.until_day) == (2, 3)
    services.checklist.toggle(prd.id)  # ticked on Wednesday ...
    again = services.checklist.open_week(W48, WED)
    assert again.day(2).tasks[0].done  # ... is ticked on Tuesday too
    assert prd.id not in {t.id for t in services.checklist.open_week(W48, THU).day(4).carried}
    with Session(services.engine) as s:  # stored once
        assert len(s.execute(select(Task).where(Task.week_id == prd_week(s), Task.key == "tue-prd")).all()) == 1
        assert s.execute(select(Task).where(Task.key == "wed-prd")).first() is None


def prd_week(session) -> int:
    return session.execute(select(WeekRow.id).where(WeekRow.iso_week == 48)).scalar_one()


def test_a_short_week_moves_the_block_with_its_routine_days(open_db):
    services = open_db("en")
    services.checklist.set_day(WED, False, "off")  # Tuesday's routine on Monday, Wednesday's on Tuesday
    view = services.checklist.open_week(W48, MON)
    block = {t.id: t for d in view.days for t in d.tasks if t.key == "tue-prd"}
    assert len(block) == 1 and next(iter(block.values())).until_day == 2
    assert "tue-prd" in {t.key for t in view.day(2).tasks}
    for weekday in (2, 3, 4):  # next week Tuesday to Thursday off: the whole block lands on Monday
        services.checklist.set_day(W48.next.day(weekday), False, "off")
    nxt = services.checklist.open_week(W48.next, W48.next.monday)
    block = [t for d in nxt.days for t in d.tasks if t.key == "tue-prd"]
    assert len(block) == 1 and (block[0].day, block[0].until_day) == (1, None)


def test_a_carried_item_is_the_same_item_not_a_copy(services):
    view = services.checklist.open_week(W48, MON)
    item = view.day(1).tasks[3]
    tasks = _count(services, Task)
    carried = services.checklist.open_week(W48, TUE).day(2).carried
    assert item.id in {t.id for t in carried}
    services.checklist.toggle(item.id)
    assert _count(services, Task) == tasks
    assert item.id not in {t.id for t in services.checklist.open_week(W48, TUE).day(2).carried}
    assert services.checklist.task(item.id).done  # done where it belongs, on Monday


def test_routine_items_left_open_last_week_come_back_once_marked_not_carried(services):
    w47 = Week(2026, 47)
    old = services.checklist.open_week(w47, w47.monday)  # a week left untouched: 18 items open
    monday = services.checklist.open_week(W48, MON).day(1)
    assert monday.carried == ()  # each comes back by itself this week
    assert len(monday.tasks) == 11
    assert monday.tasks[0].left_open == w47.monday and monday.tasks[0].carried_from is None
    friday = services.checklist.open_week(W48, MON).day(5).tasks[0]
    assert friday.left_open == old.day(5).date  # whatever its day
    services.checklist.toggle(old.day(1).tasks[0].id)  # done last week: no mark this week
    assert services.checklist.open_week(W48, MON).day(1).tasks[0].left_open is None


def test_work_whose_routine_item_is_gone_still_carries_into_the_new_week_only(services):
    w47 = Week(2026, 47)
    old = services.checklist.open_week(w47, w47.monday)
    fri = old.day(5).tasks[0]
    template_fri = next(i for i in services.checklist.template() if i.key == fri.key)
    services.checklist.remove_template_item(template_fri.id)
    older = Week(2026, 46)
    services.checklist.open_week(older, older.monday)
    monday = services.checklist.open_week(W48, MON).day(1)
    carried = {t.id: t for t in monday.carried}
    assert list(carried) == [fri.id] and carried[fri.id].carried_from == date(2026, 11, 20)


def test_carry_over_crosses_the_year_boundary(services):
    w53, w01 = Week(2026, 53), Week(2027, 1)
    services.checklist.open_week(w53, w53.monday)
    services.checklist.remove_template_item(services.checklist.template()[0].id)
    monday = services.checklist.open_week(w01, w01.monday).day(1)
    assert [Week.of(t.carried_from) for t in monday.carried] == [w53]
    assert monday.tasks[0].left_open == w53.monday  # the others come back, marked


def test_weekend_shows_fridays_list_with_the_weeks_leftovers(services):
    saturday = date(2026, 11, 28)
    view = services.checklist.open_week(W48, saturday)
    assert len(view.day(5).carried) == 11 + 2 + 3  # Tuesday–Wednesday's two once


def test_template_edits_reach_new_weeks_only(services):
    services.checklist.open_week(W48, MON)
    item_id = services.checklist.add_template_item(1, "  Check the  dashboard ", "one\n\ntwo")
    first = services.checklist.template()[0]
    services.checklist.edit_template_item(first.id, "Plan review", "")
    w48 = services.checklist.open_week(W48, MON).day(1)
    assert [t.title for t in w48.tasks][-1] != "Check the dashboard"
    assert w48.tasks[0].title != "Plan review"
    w49 = services.checklist.open_week(W48.next, W48.next.monday).day(1)
    assert w49.tasks[-1].title == "Check the dashboard"
    assert [p.title for p in w49.tasks[-1].points] == ["one", "two"]
    assert w49.tasks[0].title == "Plan review" and w49.tasks[0].points == ()
    assert any(i.id == item_id for i in services.checklist.template())


def test_template_reorder_and_remove(services):
    template = [i for i in services.checklist.template() if i.day == 4] or None
    assert template is not None  # shipped template shown before any edit
    services.checklist.open_week(W48, MON)  # seeds the stored template
    thu = [i for i in services.checklist.template() if i.day == 4]
    services.checklist.move_template_item(thu[2].id, -1)
    services.checklist.move_template_item(thu[0].id, -5)  # clamps at the top
    order = [i.key for i in services.checklist.template() if i.day == 4]
    assert order == [thu[0].key, thu[2].key, thu[1].key]
    services.checklist.remove_template_item(thu[2].id)
    after = [i for i in services.checklist.template() if i.day == 4]
    assert [i.key for i in after] == [thu[0].key, thu[1].key]
    assert [i.position for i in after] == [0, 1]
    with pytest.raises(NotFound):
        services.checklist.remove_template_item(thu[2].id)


def test_removing_every_item_of_a_day_is_kept_not_reseeded(services):
    services.checklist.open_week(W48, MON)
    for item in [i for i in services.checklist.template() if i.day == 5]:
        services.checklist.remove_template_item(item.id)
    view = services.checklist.open_week(W48.next, W48.next.monday)
    assert view.day(5).tasks == ()


def test_bad_template_input_is_refused_and_nothing_written(services):
    services.checklist.open_week(W48, MON)
    before = services.checklist.template()
    with pytest.raises(InputError):
        services.checklist.add_template_item(1, "   ")
    with pytest.raises(InputError):
        services.checklist.add_template_item(6, "Saturday work")
    assert services.checklist.template() == before


def test_two_windows_opening_the_same_week_share_one_copy(open_db):
    a, b = open_db(), open_db()
    va = a.checklist.open_week(W48, MON)
    vb = b.checklist.open_week(W48, MON)
    assert [t.id for t in va.day(1).tasks] == [t.id for t in vb.day(1).tasks]
    a.checklist.toggle(va.day(1).tasks[0].id)
    b.checklist.set_note(vb.day(1).tasks[0].id, "from b")
    both = a.checklist.task(va.day(1).tasks[0].id)
    assert both.done and both.note == "from b"


def test_a_deleted_task_gives_a_clear_error(services):
    with pytest.raises(NotFound):
        services.checklist.toggle(999_999)


def test_every_tick_is_in_the_event_log(services):
    item = services.checklist.open_week(W48, MON).day(2).tasks[0]
    for _ in range(3):
        services.checklist.toggle(item.id)
    assert _count(services, TaskEvent) == 3


def test_the_same_note_edited_in_two_windows_keeps_both_texts(open_db):
    a, b = open_db(), open_db()
    item = a.checklist.open_week(W48, MON).day(1).tasks[0]
    a.checklist.set_note(item.id, "from window A", expected="")
    a.checklist.set_note(item.id, "from window A, typed on", expected="from window A")  # no history
    b.checklist.set_note(item.id, "from window B", expected="")  # B never saw A's text: later save wins …
    assert a.checklist.task(item.id).note == "from window B"
    notes = [(action, detail) for _, action, detail in a.checklist.history(item.id)]
    assert notes == [("note", "from window A, typed on")]  # … and the earlier text is kept


def test_one_off_work_lands_on_its_day_is_carried_and_feeds_the_plan_and_the_report(services):
    """An escalation on Tuesday: on Tuesday's list after the routine, carried to Thursday
    while open, in the Friday plan's unfinished work, and once done a key affair."""
    from pmweek.errors import InputError

    checklist = services.checklist
    task_id = checklist.add_task(date(2026, 11, 24), "ACME outage escalation", "call their CTO\nRCA by Friday",
                                 note="P1 since 09:00")
    tuesday = checklist.peek_week(Week(2026, 48), date(2026, 11, 24)).day(2)
    assert tuesday.tasks[-1].title == "ACME outage escalation" and len(tuesday.tasks[-1].points) == 2
    thursday = checklist.peek_week(Week(2026, 48), date(2026, 11, 26)).day(4)
    assert "ACME outage escalation" in [t.title for t in thursday.carried]
    plan = compile_plan(services, date(2026, 11, 27))
    assert "ACME outage escalation" in [ln.text for ln in plan.section("unfinished")]
    checklist.set_note(task_id, "")
    checklist.toggle(task_id)
    report = services.documents.preview("weekly", "2026-W48", date(2026, 11, 27))
    assert [ln.facts["title"] for ln in report.section("affairs") if ln.kind == "work"] == ["ACME outage escalation"]
    with pytest.raises(InputError) as err:  # a Saturday is no day for it
        checklist.add_task(date(2026, 11, 28), "weekend work")
    assert err.value.key == "error.task_day_off"
    with pytest.raises(InputError):
        checklist.add_task(date(2026, 11, 24), "  ")  # a title it cannot do without


def test_one_off_work_is_carried_week_after_week_until_done_or_dismissed(services):
    """An escalation left open on 2026-11-10 is still on the list three weeks later,
    saying where it came from; routine items of old weeks are not; once dismissed it
    is gone, kept in the item's history."""
    checklist = services.checklist
    old = checklist.add_task(date(2026, 11, 10), "Renegotiate the ACME SLA")
    checklist.open_week(Week(2026, 46), date(2026, 11, 10))
    monday = checklist.open_week(Week(2026, 49), date(2026, 11, 30)).day(1)
    carried = [t for t in monday.carried if t.title == "Renegotiate the ACME SLA"]
    assert len(carried) == 1 and carried[0].carried_from == date(2026, 11, 10)
    assert all(t.key is None or t.carried_from >= date(2026, 11, 23) for t in monday.carried)  # no old routine
    checklist.toggle_dismissed(old, True)
    again = checklist.peek_week(Week(2026, 49), date(2026, 11, 30)).day(1)
    assert "Renegotiate the ACME SLA" not in [t.title for t in again.carried]
    assert [what for _, what, _ in checklist.history(old)][-1] == "dismissed"


def test_one_off_work_is_renamed_and_its_points_retyped_keeping_their_ticks(services):
    from pmweek.errors import InputError

    checklist = services.checklist
    task_id = checklist.add_task(date(2026, 11, 24), "ACME escalation", "call their CTO\nRCA by Friday")
    cto = next(p for p in checklist.task(task_id).points if p.title == "call their CTO")
    checklist.toggle(cto.id)
    checklist.edit_task(task_id, "ACME outage escalation", "call their CTO\nsend the RCA\n")
    task = checklist.task(task_id)
    assert task.title == "ACME outage escalation"
    assert [(p.title, p.done) for p in task.points] == [("call their CTO", True), ("send the RCA", False)]
    assert ("renamed", "ACME escalation") in [(what, detail) for _, what, detail in checklist.history(task_id)]
    routine = checklist.peek_week(Week(2026, 48), date(2026, 11, 24)).day(2).tasks[0]
    with pytest.raises(InputError) as err:
        checklist.edit_task(routine.id, "something else", "")
    assert err.value.key == "error.task_routine"
    assert checklist.task(routine.id).title == routine.title
