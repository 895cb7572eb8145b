"""Monthly tables through the keyboard, read back from the database."""

from datetime import date

from textual.widgets import DataTable, Input

from pmweek.tui.screens.row_form import CellEditor, RowForm
from pmweek.tui.screens.table import TableScreen
from pmweek.tui.widgets.checklist import Checklist
from tests.conftest import settle

MON = date(2026, 11, 23)


async def open_book(pilot, number: int) -> None:
    await settle(pilot)
    await pilot.press("b")
    await settle(pilot)
    await pilot.press(str(number))
    await settle(pilot)


async def new_row(pilot, number: int) -> None:
    """Table ``number`` of the picker, and its form for a new row."""
    await open_book(pilot, number)
    await pilot.press("a")
    await settle(pilot)
    assert isinstance(pilot.app.screen, RowForm)


def _cells(app) -> list[list[str]]:
    table = app.screen.query_one(DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


def _column(app, key: str) -> list[str]:
    """The cells of the column ``key``, wherever the table puts it."""
    table = app.screen.query_one(DataTable)
    return [str(c) for c in table.get_column(key)]


async def test_the_routine_item_opens_its_table(make_app):
    app = make_app(MON)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        checklist = app.screen.query_one(Checklist)
        index = next(i for i, o in enumerate(checklist.options) if o.prompt.plain.startswith("☐ Review opportunities"))
        checklist.highlighted = index
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, TableScreen)
        assert app.screen.book.name == "opportunities" and app.screen.month == "2026-11"


async def test_add_a_row_by_keyboard(make_app, services):
    app = make_app(MON)
    async with app.run_test(size=(120, 36)) as pilot:
        await new_row(pilot, 2)
        # The month is filled in; Enter moves from field to field and saves on the last.
        await pilot.press(*"Webinar", "enter", *"300", "enter", *"12", "enter", *"more ads", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TableScreen)
        (row,) = services.sheets.rows("campaigns", None, None, MON)
        assert row.values == {"month": "2026-11", "campaign": "Webinar", "attention": 300, "conversions": 12,
                              "improvement": "more ads", "product": None}
        # The conversion worked out sits by the figures; the product line, left empty, last.
        assert _cells(app) == [["2026-11", "Webinar", "300", "12", "more ads", "4.0%", ""]]


async def test_a_refused_value_keeps_the_form_and_writes_nothing(make_app, services):
    app = make_app(MON)
    async with app.run_test(size=(120, 36)) as pilot:
        await new_row(pilot, 2)
        await pilot.press(*"Expo", "enter", *"abc", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RowForm)
        assert "Attention: 'abc' is not a whole number" in str(app.screen.query_one("#form-error").render())
        assert app.screen.query_one("#f-campaign", Input).value == "Expo"
        assert app.focused.id == "f-attention"
        assert services.sheets.rows("campaigns", None, None, MON) == []
        app.focused.value = "40"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [r.values["attention"] for r in services.sheets.rows("campaigns", None, None, MON)] == [40]


async def test_edit_a_cell_in_place_and_the_cursor_stays_on_it(make_app, services):
    services.sheets.add("campaigns", {"month": "2026-11", "campaign": "A", "attention": "100", "conversions": "5"})
    app = make_app(MON)
    async with app.run_test(size=(120, 36)) as pilot:
        await _edit_attention(pilot)
        await pilot.press(*"250", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TableScreen)
        assert services.sheets.rows("campaigns", None, None, MON)[0].values["attention"] == 250
        assert app.screen.query_one(DataTable).cursor_coordinate.column == 2  # still on the cell saved
        await pilot.press("right", "enter")  # the next column, counted from there
        await settle(pilot)
        assert isinstance(app.screen, CellEditor) and app.screen.field.key == "conversions"
        await pilot.press("escape")
        await settle(pilot)
        assert _column(app, "conversion_rate") == ["2.0%"]


async def test_copy_from_the_row_above(make_app, services):
    services.sheets.add("tickets", {"month": "2026-11", "category": "backup", "owner": "李雷"})
    services.sheets.add("tickets", {"month": "2026-11", "category": "upgrade"})
    app = make_app(MON)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_book(pilot, 4)
        await pilot.press("down", "right", "right", "right", "right", "ctrl+d")
        await settle(pilot)
        owners = [r.values["owner"] for r in services.sheets.rows("tickets", None, None, MON)]
        assert owners == ["李雷", "李雷"]


async def test_a_new_row_copies_a_field_from_the_row_above_with_ctrl_d(make_app, services):
    """In the form, ctrl+d is the form's copy, not the field's delete-to-the-right."""
    services.sheets.add("campaigns", {"month": "2026-11", "campaign": "Webinar", "improvement": "more ads"})
    app = make_app(MON)
    async with app.run_test(size=(120, 36)) as pilot:
        await new_row(pilot, 2)
        await pilot.press(*"xy", "home", "ctrl+d")
        await settle(pilot)
        assert app.screen.query_one("#f-campaign", Input).value == "Webinar"
        assert "ctrl+d" in {key for key, b in app.screen.active_bindings.items() if b.binding.show}
        # The row above has no attention figure: what was typed stays, and that is said.
        await pilot.press("tab", *"12", "home", "ctrl+d")
        await settle(pilot)
        assert app.screen.query_one("#f-attention", Input).value == "12"
        assert any("Nothing to copy" in n.message for n in app.said)


async def test_every_table_in_the_picker_has_a_key_of_its_own(make_app):
    """Past nine entries the picker goes on with 0, then letters; each picks its table."""
    from textual.widgets import OptionList

    from pmweek.domain.sheets import BOOKS
    from pmweek.tui.screens.picker import TablePicker

    app = make_app(MON)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        picker = app.screen.query_one(OptionList)
        keys = [str(picker.get_option_at_index(i).prompt).split()[0] for i in range(picker.option_count)]
        assert len(keys) == len(BOOKS) == len(set(keys))
        assert isinstance(app.screen, TablePicker)
        await pilot.press("q")  # q leaves it, as it leaves every screen
        await settle(pilot)
        assert not isinstance(app.screen, TablePicker)
        await pilot.press("b")
        await settle(pilot)
        await pilot.press(keys[-1])  # the last table, by its own key
        await settle(pilot)
        assert isinstance(app.screen, TableScreen) and app.screen.book.name == list(BOOKS)[-1]


async def test_delete_asks_and_can_be_undone(make_app, services):
    services.sheets.add("deals", {"month": "2026-11", "customer": "Bank"})
    app = make_app(MON)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_book(pilot, 3)
        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert len(services.sheets.rows("deals", None, None, MON)) == 1
        await pilot.press("delete")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert services.sheets.rows("deals", None, None, MON) == []
        assert _cells(app) == []
        await pilot.press("u")
        await settle(pilot)
        assert [r.values["customer"] for r in services.sheets.rows("deals", None, None, MON)] == ["Bank"]
        assert _cells(app)[0][1] == "Bank"


async def test_month_switcher_and_all_months(make_app, services):
    for month in ("2026-10", "2026-11"):
        services.sheets.add("revenue", {"month": month, "cash": "100" if month == "2026-10" else "120"})
    app = make_app(MON)
    async with app.run_test(size=(140, 36)) as pilot:
        await open_book(pilot, 5)
        assert [row[0] for row in _cells(app)] == ["2026-11"]
        assert "+20.0%" in _cells(app)[0]  # month over month reaches back to October
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert [row[0] for row in _cells(app)] == ["2026-10"]
        await pilot.press("m")
        await settle(pilot)
        assert [row[0] for row in _cells(app)] == ["2026-10", "2026-11"]


async def test_opportunities_have_valuable_and_churn_sheets_and_a_month_total(make_app, services):
    app = make_app(MON)
    async with app.run_test(size=(140, 36)) as pilot:
        await open_book(pilot, 1)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"40", "ctrl+s")
        await settle(pilot)
        assert services.sheets.rows("opportunity_totals", None, None, MON)[0].values["total"] == 40
        assert "Total opportunities: 40" in str(app.screen.query_one("#table-summary").render())
        await pilot.press("tab")  # as in a spreadsheet ("s" too)
        await settle(pilot)
        assert app.screen.sheet.name == "churn"
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"Foo", "enter", *"price")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [r.values["customer"] for r in services.sheets.rows("churn", None, None, MON)] == ["Foo"]


async def test_the_opened_item_offers_its_table(make_app):
    app = make_app(MON)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        checklist = app.screen.query_one(Checklist)
        checklist.highlighted = next(
            i for i, o in enumerate(checklist.options) if o.prompt.plain.startswith("☐ Operations sync")
        )
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, TableScreen) and app.screen.book.name == "campaigns"


async def test_a_dated_record_from_the_picker(make_app, services):
    """Insights are the seventh table: the form starts on today's date and the first
    field to type, and the row is filed under the month shown."""
    app = make_app(MON)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_book(pilot, 7)
        assert isinstance(app.screen, TableScreen) and app.screen.book.name == "insights"
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, RowForm)
        assert app.screen.query_one("#f-date", Input).value == "2026-11-23"
        assert app.screen.focused.id == "f-lens"
        await pilot.press(*"trend", "enter")
        app.screen.query_one("#f-text").text = "Serverless everywhere"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TableScreen)
        (row,) = services.sheets.rows("insights", "2026-11-23", "2026-11-29", MON)
        assert row.values["lens"] == "trend" and row.values["text"] == "Serverless everywhere"
        assert _cells(app)[0][:3] == ["2026-11-23", "trend", "Serverless everywhere"]


async def test_at_80_columns_names_statuses_and_figures_show(make_app, services):
    plan = "call every customer on the old version before the end of support, then write the FAQ"
    services.sheets.add("tickets", {"month": "2026-11", "category": "upgrade", "count": "37", "plan": plan,
                                    "owner": "Chen Jing", "due": "2026-12-09"})
    services.sheets.add("tickets", {"month": "2026-11", "category": "billing", "count": "3",  # a long owner
                                    "owner": "Zhang Wei-Long (platform SRE lead, on call)", "due": "2026-11-20"})
    app = make_app(MON)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_book(pilot, 4)
        table = app.screen.query_one(DataTable)
        labels = [str(c.label) for c in table.columns.values()]
        # one month shown: named above the table, not on each row; the long plan cut
        # whether it is overdue sits by its date and status, before the product line
        assert labels[:2] + labels[3:7] == ["Category", "Tickets", "Owner", "Due date", "Status", "Overdue ƒ"]
        assert labels[2].startswith("Improve")  # cut with its texts when room is short
        row = _cells(app)[0]
        assert row[0] == "upgrade" and row[1] == "37" and row[5] == "open"
        assert sum(c.get_render_width(table) for c in list(table.columns.values())[:7]) <= 80
        await pilot.press("m")  # all months: each row says its month again
        await settle(pilot)
        assert str(next(iter(table.columns.values())).label) == "Month"
        await pilot.press("m", "right", "right", "enter")  # the cut text is whole where it is edited
        await settle(pilot)
        assert isinstance(app.screen, CellEditor) and app.screen.query_one(".form-field").text == plan
    app = make_app(MON)
    async with app.run_test(size=(160, 40)) as pilot:  # wide: whole, month on each row
        await open_book(pilot, 4)
        assert _cells(app)[0][:4] == ["2026-11", "upgrade", "37", plan]


async def test_a_refused_value_is_said_beside_its_field_at_80x24(make_app, services):
    app = make_app(MON)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_book(pilot, 1)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"Acme", "enter", *"abc", "ctrl+s")
        await settle(pilot)
        error = app.screen.query_one("#form-error")
        field = app.screen.query_one("#f-spend")
        assert "Spend: 'abc' is not a number" in str(error.render())
        assert app.focused is field
        assert 0 <= error.region.y < 24 and error.region.height > 0  # on screen
        assert error.region.y == field.region.bottom  # right under the field


async def test_h_shows_what_corrections_changed_in_the_row(make_app, services):
    """A correction from the shell, then an edit in the table: the row's history lists
    both, with who made them; q goes back to the table."""
    from pmweek.tui.screens.history import RowHistoryScreen

    services.sheets.user = "li"
    services.sheets.add("revenue", {"month": "2026-11", "cash": "120", "gaap": "110"})
    services.sheets.correct("revenue", {"month": "2026-11", "cash": "121"})
    app = make_app(MON)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_book(pilot, 5)
        assert isinstance(app.screen, TableScreen) and app.screen.book.name == "revenue"
        await pilot.press("h")
        await settle(pilot)
        assert isinstance(app.screen, RowHistoryScreen)
        shown = str(app.screen.query_one("#history-lines").render())
        assert "li: Cash 120 → 121" in shown and "2026-11-23" in shown
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, TableScreen)


def _burst(app, text: str) -> None:
    """Keys arriving together, as a paste, a slow SSH link or `tmux send-keys` deliver
    them: all posted before the app reads the first ("⏎" is Enter, "↵" ctrl+j)."""
    from textual import events

    named = {"⏎": ("enter", "\r"), "↵": ("ctrl+j", "\n"), " ": ("space", " ")}
    for ch in text:
        key, character = named.get(ch, (ch, ch))
        app.post_message(events.Key(key, character))


async def test_keys_typed_together_land_in_the_field_after_each_enter(make_app, services):
    """`备份恢复慢⏎18` in one burst: the category is 备份恢复慢 and the count 18, never
    备份恢复慢18; Enter in a multi-line field moves on too (ctrl+j is its new line)."""
    app = make_app(MON, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_book(pilot, 4)  # tickets
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, RowForm)
        _burst(app, "备份恢复慢⏎18⏎恢复指南↵第二步⏎李雷⏎2026-12-01⏎")
        await settle(pilot)
        assert isinstance(app.screen, RowForm)  # the status field is next, not saved yet
        app.screen.action_save()
        await settle(pilot)
        (row,) = services.sheets.rows("tickets", None, None, MON)
        assert (row.values["category"], row.values["count"], row.values["plan"], row.values["owner"]) == (
            "备份恢复慢", 18, "恢复指南\n第二步", "李雷")
        assert str(row.values["due"]) == "2026-12-01"


async def test_keys_typed_together_after_a_cell_s_enter_reach_the_table(make_app, services):
    services.sheets.add("campaigns", {"month": "2026-11", "campaign": "A", "attention": "100", "conversions": "5"})
    app = make_app(MON)
    async with app.run_test(size=(120, 36)) as pilot:
        await _edit_attention(pilot)
        _burst(app, "250⏎")
        await settle(pilot)
        assert isinstance(app.screen, TableScreen)
        assert services.sheets.rows("campaigns", None, None, MON)[0].values["attention"] == 250


async def test_esc_on_a_half_typed_row_asks_before_throwing_it_away(make_app, services):
    from pmweek.tui.screens.confirm import ConfirmScreen

    app = make_app(MON)
    async with app.run_test(size=(80, 24)) as pilot:
        await new_row(pilot, 2)
        await pilot.press("escape")  # nothing typed: it just closes
        await settle(pilot)
        assert isinstance(app.screen, TableScreen)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"Webinar", "escape")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep typing
        await settle(pilot)
        assert isinstance(app.screen, RowForm) and app.focused.value == "Webinar"
        await pilot.press("escape", "y")
        await settle(pilot)
        assert isinstance(app.screen, TableScreen) and services.sheets.rows("campaigns", None, None, MON) == []


async def test_quitting_from_a_half_typed_row_asks_as_esc_does(make_app, services):
    """ctrl+q does not throw away what was typed unasked; "no" goes back to the row."""
    from pmweek.tui.screens.confirm import ConfirmScreen

    app = make_app(MON)
    async with app.run_test(size=(80, 24)) as pilot:
        await new_row(pilot, 2)
        await pilot.press(*"Webinar", "ctrl+q")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen) and app.is_running
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, RowForm) and app.focused.value == "Webinar"
        await pilot.press("ctrl+q", "y")
        await settle(pilot)
        assert not app.is_running


async def _edit_attention(pilot) -> None:
    """The campaigns table, its first row's attention open in the cell editor, emptied."""
    await open_book(pilot, 2)
    await pilot.press("right", "right", "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CellEditor)
    pilot.app.focused.value = ""


async def test_f4_lists_a_choice_field_s_values_in_words_to_pick(make_app, services):
    """A ticket's status is picked from 进行中 / 已完成 rather than typed blind; the pick
    fills the field and moves on; a free field says it has nothing to pick."""
    from pmweek.tui.screens.picker import ValuePicker

    app = make_app(MON, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_book(pilot, 4)  # tickets
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("f4")  # on the category: typed freely
        await settle(pilot)
        assert isinstance(app.screen, RowForm)
        await pilot.press(*"备份", "enter", *"3", "enter", "enter", "enter", "enter")  # on to the status
        await settle(pilot)
        assert app.focused.id == "f-status"
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, ValuePicker) and app.screen.words == ["进行中", "已完成"]
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, RowForm) and app.screen.query_one("#f-status").value == "已完成"
        app.screen.action_save()
        await settle(pilot)
        (row,) = services.sheets.rows("tickets", None, None, MON)
        assert row.values["status"] == "done"


async def test_keys_typed_while_a_screen_reads_its_data_are_not_lost(make_app, monkeypatch):
    """A PM types ahead of a slow database: the report's reader and the plan line's
    priority are pressed while those screens still read, and each lands once shown."""
    import threading

    gate = threading.Event()  # the database answers when the test says so

    def slow(read):  # noqa: ANN001, ANN202 - a use case, as a database far away answers it
        def answer(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            gate.wait(10)
            return read(*args, **kwargs)
        return answer

    app = make_app(date(2026, 11, 27))  # a Friday: next week's plan is compiled on its first visit
    async with app.run_test(size=(140, 36)) as pilot:
        await settle(pilot)
        used = app.services
        monkeypatch.setattr(used.documents, "readers", slow(used.documents.readers))
        monkeypatch.setattr(used.documents, "saved", slow(used.documents.saved))
        await pilot.press("w", "v")  # still reading
        gate.set()
        await settle(pilot)
        assert app.screen.reader is not None and " · " in app.screen.title
        gate.clear()
        await pilot.press("escape", "p", "2")
        gate.set()
        await settle(pilot)
        first = next(line for line in app.screen.document.lines if not line.dropped)
        assert first.priority == 2


async def test_a_quarter_s_records_show_in_each_of_its_months(make_app, services):
    """An objective of 2026-Q4 and a goal of the year show in November, as in October;
    a goal of October alone does not."""
    services.sheets.add("objectives", {"quarter": "2026-Q4", "objective": "Grow self-serve"})
    for period, metric in (("2026-Q4", "users"), ("2026", "cash"), ("2026-10", "churn")):
        services.sheets.add("goals", {"period": period, "metric": metric, "goal_target": "3"})
    app = make_app(MON)
    async with app.run_test(size=(140, 36)) as pilot:
        await settle(pilot)
        app.push_screen(TableScreen(app.services.sheets, app.services.figures, "objectives", MON))
        await settle(pilot)
        assert any("Grow self-serve" in cell for row in _cells(app) for cell in row)
        app.push_screen(TableScreen(app.services.sheets, app.services.figures, "goals", MON))
        await settle(pilot)
        periods = sorted(row[0] for row in _cells(app))
        assert periods == ["2026", "2026-Q4"]


async def test_escape_leaves_a_screen_still_reading_and_its_late_answer_is_ignored(make_app, monkeypatch):
    """A database that does not answer never keeps the PM on a screen: Escape leaves at
    once; the answer arriving later changes nothing (no error, no screen coming back)."""
    import threading

    from pmweek.tui.screens.week import WeekScreen

    gate = threading.Event()

    def slow(read):  # noqa: ANN001, ANN202
        def answer(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            gate.wait(10)
            return read(*args, **kwargs)
        return answer

    app = make_app(MON)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        monkeypatch.setattr(app.services.documents, "saved", slow(app.services.documents.saved))
        monkeypatch.setattr(app.services.sheets, "shown", slow(app.services.sheets.shown))
        for keys in (("w",), ("b", "5")):
            gate.clear()
            await pilot.press(*keys, "escape")
            assert isinstance(app.screen, WeekScreen)
            gate.set()
            await settle(pilot)
            assert isinstance(app.screen, WeekScreen)


async def _edit_first_customer(pilot) -> None:
    """The DA deals table, its first row's customer open in the cell editor."""
    await open_book(pilot, 3)
    await pilot.press("right", "enter")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CellEditor)


async def _saved_meanwhile(pilot, services, row) -> None:  # noqa: ANN001
    """Window A opens the first deal's customer; window B saves "Globex Bank" there; A
    then saves "Globex Games"."""
    await _edit_first_customer(pilot)
    services.sheets.edit("deals", row.id, {"customer": "Globex Bank"})  # window B
    await pilot.press("ctrl+u", *"Globex Games", "enter")
    await settle(pilot)


async def test_a_control_character_another_program_stored_is_shown_safely_and_kept(make_app, services, tmp_path):
    """A customer written by another tool with an escape sequence in it: the cell editor
    shows U+FFFD where the terminal would have taken orders (clear the screen, retitle
    the window); Enter with nothing typed leaves the stored value exactly as it was."""
    import sqlite3

    services.sheets.add("deals", {"month": "2026-11", "customer": "Evil", "status": "open"})
    stored = "Evil\x1b]0;PWNED\x07\x1b[2JRED"
    with sqlite3.connect(tmp_path / "pmweek.db") as conn:
        assert conn.execute("UPDATE deal SET customer = ?", (stored,)).rowcount == 1
    app = make_app(MON)
    async with app.run_test(size=(120, 30)) as pilot:
        await _edit_first_customer(pilot)
        shown = app.screen.query_one(".form-field").value
        assert "\x1b" not in shown and "\x07" not in shown and shown.startswith("Evil\ufffd")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TableScreen)
    (row,) = services.sheets.rows("deals", None, None, MON)
    assert row.values["customer"] == stored


async def test_a_cell_saved_in_another_window_meanwhile_is_not_silently_undone(make_app, services):
    """Window A opens a cell; window B saves it; A's save is refused, saying what it holds
    now, and nothing is written; saved again, A's value goes over it knowingly. Both are
    in the row's history."""
    services.sheets.add("deals", {"month": "2026-11", "customer": "Globex", "status": "open"})
    (row,) = services.sheets.rows("deals", None, None, MON)
    app = make_app(MON)
    async with app.run_test(size=(120, 30)) as pilot:
        await _saved_meanwhile(pilot, services, row)
        assert isinstance(app.screen, CellEditor)
        said = str(app.screen.query_one("#form-error").render())
        assert "Globex Bank" in said and "Customer" in said
        assert services.sheets.row("deals", row.id).values["customer"] == "Globex Bank"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, TableScreen)
    assert services.sheets.row("deals", row.id).values["customer"] == "Globex Games"
    afters = [c.after for c in services.sheets.history("deals", row.id)]
    assert "Globex Bank" in afters and "Globex Games" in afters


async def test_a_long_text_cell_opens_with_the_cursor_after_its_words(make_app, services):
    """Enter on a campaign's improvement notes and " now" typed: added after what is there,
    as in a one-line cell, not in front of it ("nowbetter landing page")."""
    services.sheets.add("campaigns", {"month": "2026-11", "campaign": "Webinar", "improvement": "better landing page"})
    app = make_app(MON)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_book(pilot, 2)
        await pilot.press("right", "right", "right", "right", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CellEditor) and app.screen.field.key == "improvement"
        await pilot.press(*" now", "enter")
        await settle(pilot)
        assert isinstance(app.screen, TableScreen)
    (row,) = services.sheets.rows("campaigns", None, None, MON)
    assert row.values["improvement"] == "better landing page now"



async def test_leaving_a_refused_cell_shows_what_the_other_window_saved(make_app, services):
    """Esc after "changed elsewhere" keeps the other window's value, and the table shows
    it rather than the value it had read before."""
    services.sheets.add("deals", {"month": "2026-11", "customer": "Globex", "status": "open"})
    (row,) = services.sheets.rows("deals", None, None, MON)
    app = make_app(MON)
    async with app.run_test(size=(120, 30)) as pilot:
        await _saved_meanwhile(pilot, services, row)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TableScreen) and _column(app, "customer") == ["Globex Bank"]
    assert services.sheets.row("deals", row.id).values["customer"] == "Globex Bank"


async def test_a_table_drawn_before_it_measured_its_columns_shows_them_whole(make_app, services):
    """A frame drawn between the rows being put in and the table measuring them (a busy
    machine) was kept with every column cut to its heading's width: "2026-11" as "2026"
    until the cursor moved. Columns are given their widths as the rows go in."""
    services.sheets.add("deals", {"month": "2026-11", "customer": "Globex Games", "status": "open"})
    app = make_app(MON)
    async with app.run_test(size=(140, 20)) as pilot:
        await open_book(pilot, 3)
        table = app.screen.query_one(DataTable)

        def first_row() -> str:
            return table.render_line(1).text  # under the heading

        app.screen._draw()  # the rows put in again ...
        first_row()  # ... and drawn at once, before the table is idle
        await settle(pilot)
        await pilot.pause(0.05)
        assert "2026-11" in first_row() and "Globex Games" in first_row()
