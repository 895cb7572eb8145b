"""Keys typed in one burst (a terminal hands them over together, faster than a screen
opens) land where the PM meant them: on the screen the first key opened."""

from datetime import date

import pytest
from textual import events

from pmweek.tui.screens.document import DocumentScreen
from pmweek.tui.screens.table import TableScreen
from pmweek.domain.calendar import Week
from tests.conftest import settle


async def _burst(pilot, *keys: str) -> None:
    """``keys`` posted at once, as a terminal delivers a burst (no pause between them);
    then whatever they opened and read has settled."""
    for key in keys:
        pilot.app.post_message(events.Key(key, key if len(key) == 1 else None))
    await settle(pilot)
    await settle(pilot)


async def test_b_then_a_table_s_number_in_one_burst_opens_that_table(make_app):
    app = make_app(date(2026, 11, 27))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await _burst(pilot, "b", "2")
        assert isinstance(app.screen, TableScreen) and app.screen.book.name == "campaigns"


@pytest.mark.parametrize("keys", [("p", "1"), ("p", "2")])
async def test_a_place_and_its_first_key_in_one_burst(make_app, services, keys):
    """The plan opened and its first line's priority set, in one burst."""
    services.sheets.add("tickets", {"month": "2026-11", "category": "backup", "owner": "Li", "due": "2026-12-01"})
    app = make_app(date(2026, 11, 27))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await _burst(pilot, *keys)
        assert isinstance(app.screen, DocumentScreen)
        first = app.screen._selected()
        assert first is not None and first.priority == int(keys[1])


async def test_a_form_and_its_words_in_one_burst(make_app, services):
    """"x", the need's words, Enter, the team, Enter, the date, Enter: typed in one burst
    before the form has drawn, all of it lands in the form, and it is saved."""
    app = make_app(date(2026, 11, 27))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        await _burst(pilot, "x", *"GUI docs", "enter", *"GUI team", "enter", *"2026-12-03", "enter")
        assert isinstance(app.screen, DocumentScreen)
    (line,) = services.documents.plan_made_in(Week(2026, 48)).section("cross_team")
    assert (line.text, line.owner, str(line.due)) == ("GUI docs", "GUI team", "2026-12-03")


async def test_a_new_row_typed_in_one_burst(make_app, services):
    app = make_app(date(2026, 11, 27))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await _burst(pilot, "b", "2")
        await _burst(pilot, "a", *"Winter sale", "ctrl+s")
    assert [r.values["campaign"] for r in services.sheets.rows("campaigns", None, None, date(2026, 11, 27))] == [
        "Winter sale"]


@pytest.mark.parametrize("editing", [("ctrl+u",), ("end", *["backspace"] * 5)], ids=["clear", "backspace"])
async def test_editing_keys_and_letters_in_one_burst_keep_their_order(make_app, services, editing):
    """Enter on a cell, then keys that edit what is there and the new words, in one burst
    (a slow SSH link bunches them): the letters are typed after the editing keys, as they
    were pressed, never before them (it stored "ex Bank" for "Globex Bank")."""
    services.sheets.add("deals", {"month": "2026-11", "customer": "Globex Games", "status": "open"})
    app = make_app(date(2026, 11, 27))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await _burst(pilot, "b", "3")
        await _burst(pilot, "right")  # the customer
        typed = "Globex Bank" if editing == ("ctrl+u",) else "Bank"
        await _burst(pilot, "enter", *editing, *typed, "enter")
        assert isinstance(app.screen, TableScreen)
    (row,) = services.sheets.rows("deals", None, None, date(2026, 11, 27))
    assert row.values["customer"] == "Globex Bank"


async def test_a_move_then_enter_in_one_burst_edits_the_cell_moved_to(make_app, services):
    """Down then Enter and the new words, in one burst: the row moved to is edited, not
    the one the cursor was on (Enter acted before the table had moved)."""
    for customer in ("Hooli", "Initech"):
        services.sheets.add("deals", {"month": "2026-11", "customer": customer, "status": "open"})
    app = make_app(date(2026, 11, 27))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await _burst(pilot, "b", "3")
        await _burst(pilot, "right", "down", "enter", "ctrl+u", *"Initech Games", "enter")
        assert isinstance(app.screen, TableScreen)
    rows = services.sheets.rows("deals", None, None, date(2026, 11, 27))
    assert sorted(r.values["customer"] for r in rows) == ["Hooli", "Initech Games"]


async def test_tab_between_fields_in_one_burst_moves_before_the_next_words(make_app, services):
    """"a", a title, Tab, a sub-point, ctrl+s in one burst: the sub-point lands in the
    sub-points, not at the end of the title ("Burst threeq1")."""
    app = make_app(date(2026, 11, 27))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await _burst(pilot, "a", *"Burst three", "tab", *"q1", "ctrl+s")
    task = services.checklist.peek_week(Week(2026, 48)).day(5).tasks[-1]
    assert task.title == "Burst three" and [p.title for p in task.points] == ["q1"]


async def test_escape_typed_after_words_in_one_burst_comes_after_them(make_app, services):
    """A note typed and Esc in one burst: Esc waits its turn, so the whole note is saved
    as the item closes (it overtook the words, and "hello note" was saved as "e")."""
    from pmweek.tui.screens.task import TaskScreen

    app = make_app(date(2026, 11, 23))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        task_id = int(app.screen.query_one("Checklist").highlighted_option.id[1:])
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TaskScreen)
        await _burst(pilot, *"hello note", "escape")
    assert services.checklist.task(task_id).note == "hello note"
