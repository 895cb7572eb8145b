"""The morning loop through the keyboard, read back from the database."""

from datetime import date

import pytest
from textual.widgets import Checkbox, Input, Tabs, TextArea

from pmweek.domain.calendar import Week
from pmweek.domain.routine import shipped_template
from pmweek.tui.screens.task import TaskScreen
from pmweek.tui.screens.template import TemplateItemForm, TemplateScreen
from pmweek.tui.screens.week import WeekScreen
from pmweek.tui.widgets.checklist import Checklist
from tests.conftest import pressed, settle, until

MON, TUE, SAT = date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 28)
W48 = Week(2026, 48)


def _checklist(app) -> Checklist:
    return app.screen.query_one(Checklist)


def _lines(app) -> list[str]:
    return [str(o.prompt) if isinstance(o.prompt, str) else o.prompt.plain for o in _checklist(app).options]


async def test_opens_on_today_with_todays_items(make_app):
    app = make_app(TUE)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WeekScreen)
        assert app.screen.query_one(Tabs).active == "d2"
        tuesday = [i.title for i in shipped_template("en") if i.day == 2]
        lines = _lines(app)
        assert lines[0] == f"☐ {tuesday[0]} (Tue–Wed)"  # one piece of work over two days
        assert f"☐ {tuesday[1]} 0/3 (Tue–Wed)" in lines  # its sub-points folded, counted
        assert "Tue 0/2" in app.screen.query_one("#progress").text


async def test_space_ticks_and_unticks_and_it_is_saved(make_app, services):
    app = make_app(MON)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        first = _checklist(app).highlighted_option
        await pilot.press("space")
        await pilot.pause()
        task_id = int(first.id[1:])
        assert services.checklist.task(task_id).done
        assert _lines(app)[0].startswith("☑")
        assert "Mon 1/11" in app.screen.query_one("#progress").text
        # the cursor went on to the next open item; back up to untick
        assert _checklist(app).highlighted_option.id == f"t{services.checklist.peek_week(W48).day(1).tasks[1].id}"
        await pilot.press("up", "space")
        await pilot.pause()
        assert not services.checklist.task(task_id).done
        assert [a for _, a, _ in services.checklist.history(task_id)] == ["done", "undone"]


async def test_sub_points_are_ticked_from_the_list(make_app, services):
    app = make_app(MON)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "space")
        await pilot.pause()
        view = services.checklist.peek_week(W48)
        points = view.day(1).tasks[0].points
        assert [p.done for p in points] == [False, True, False]


async def test_enter_opens_the_item_and_the_note_is_saved_as_typed(make_app, services):
    app = make_app(MON)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        task_id = int(_checklist(app).highlighted_option.id[1:])
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TaskScreen)
        await pilot.press(*"ok 客户", "enter", *"line2")
        # The note is written after a short pause in typing.
        await until(pilot, lambda: services.checklist.task(task_id).note == "ok 客户\nline2")
        # Ticking a sub-point in the open item is saved too.
        box = app.screen.query(Checkbox)[1]
        await pilot.click(f"#{box.id}")
        await pilot.pause()
        assert services.checklist.task(task_id).points[0].done
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, WeekScreen)
        assert "✎" in _lines(app)[0]


async def _open_first_item(pilot) -> int:
    """Today's first item opened (Enter); its id."""
    await settle(pilot)
    task_id = int(_checklist(pilot.app).highlighted_option.id[1:])
    await pilot.press("enter")
    await settle(pilot)
    return task_id


async def test_tab_in_an_opened_item_goes_from_box_to_box_and_space_ticks(make_app, services):
    """From the note, each Tab lands on something the PM sees (the item's box, then each
    sub-point's), never on a stop nothing shows where keys went nowhere; the footer
    names Tab and, on a box, space; space ticks the box Tab reached."""
    app = make_app(MON)
    async with app.run_test(size=(80, 24)) as pilot:
        task_id = await _open_first_item(pilot)
        assert isinstance(app.focused, TextArea)
        boxes = [b.id for b in app.screen.query(Checkbox)]
        reached = []
        for _ in boxes:
            await pilot.press("tab")
            await settle(pilot)
            reached.append(app.focused.id)
        assert reached == boxes  # the note is last: Tab wraps round to the item's own box
        footer = {b.binding.description for b in app.screen.active_bindings.values() if b.binding.show and b.enabled}
        assert {"Next", "Tick"} <= footer
        await pilot.press("space")  # on the last sub-point
        await settle(pilot)
        assert services.checklist.task(task_id).points[-1].done


async def test_leaving_the_item_saves_a_note_at_once(make_app, services):
    app = make_app(MON)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        task_id = int(_checklist(app).highlighted_option.id[1:])
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one(TextArea).insert("quick")
        await pilot.press("escape")
        await settle(pilot)
        assert services.checklist.task(task_id).note == "quick"


async def test_undone_items_of_monday_show_on_tuesday_marked(make_app, services):
    services.checklist.open_week(W48, MON)
    app = make_app(TUE)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        lines = _lines(app)
        assert any(line == "Carried over" for line in lines)
        carried = [line for line in lines if "from Mon" in line]
        assert len(carried) == 11
        # Ticking a carried item ticks Monday's item itself.
        checklist = _checklist(app)
        index = next(i for i, line in enumerate(lines) if "from Mon" in line)
        checklist.highlighted = index
        task_id = int(checklist.highlighted_option.id[1:])
        await pilot.press("space")
        await pilot.pause()
        task = services.checklist.task(task_id)
        assert task.done and task.date == MON
        # Ticked, it still says where it came from, until the list is read again.
        ticked = str(checklist.get_option(f"t{task_id}").prompt)
        assert ticked.startswith("☑") and "from Mon" in ticked


async def test_dismiss_stops_an_item_being_carried(make_app, services):
    services.checklist.open_week(W48, MON)
    app = make_app(TUE)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        lines = _lines(app)
        _checklist(app).highlighted = next(i for i, line in enumerate(lines) if "from Mon" in line)
        task_id = int(_checklist(app).highlighted_option.id[1:])
        await pilot.press("d")
        await settle(pilot)
        assert services.checklist.task(task_id).dismissed
        assert sum("from Mon" in line for line in _lines(app)) == 10


async def test_weekend_opens_on_friday_and_says_so(make_app):
    app = make_app(SAT)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        assert app.screen.query_one(Tabs).active == "d5"
        notice = app.screen.query_one("#notice")
        assert "weekend" in str(notice.render()).lower()
        assert notice.display


async def test_days_and_weeks_navigation(make_app, services):
    app = make_app(MON)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        await pilot.press("right", "right")
        await pilot.pause()
        assert app.screen.query_one(Tabs).active == "d3"
        # the highlighted first item shows its sub-points, the other's fold under it
        assert len(_lines(app)) == 2 + len(services.checklist.peek_week(W48).day(3).tasks[0].points)
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert app.screen.week == Week(2026, 49)
        assert "11-30" in str(app.screen.query_one("#d1").label)
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(pilot)
        # A past week that was never opened is not invented.
        assert app.screen.week == Week(2026, 47)
        assert "never opened" in str(app.screen.query_one("#notice").render())
        assert services.checklist.peek_week(Week(2026, 47)).stored is False
        await pilot.press("t")
        await settle(pilot)
        assert app.screen.week == W48 and app.screen.query_one(Tabs).active == "d1"


async def test_editing_the_routine_from_the_app(make_app, services):
    app = make_app(MON)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, TemplateScreen)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, TemplateItemForm)
        await pilot.press("ctrl+s")  # empty title: refused, form stays
        await pilot.pause()
        assert isinstance(app.screen, TemplateItemForm)
        assert "empty" in str(app.screen.query_one("#form-error").render())
        app.screen.query_one(Input).value = "Check the KPI dashboard"
        app.screen.query_one(TextArea).text = "cash\ngaap"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TemplateScreen)
        added = [i for i in services.checklist.template() if i.day == 1][-1]
        assert (added.title, added.points) == ("Check the KPI dashboard", ("cash", "gaap"))
        await pilot.press("K")  # move it up one
        await pilot.pause()
        monday = [i.title for i in services.checklist.template() if i.day == 1]
        assert monday[-2] == "Check the KPI dashboard"
        await pilot.press("escape")
        await settle(pilot)
        # This week was opened before the edit and keeps its list.
        assert "Check the KPI dashboard" not in _lines(app)[-1]
        assert all("KPI" not in t.title for t in services.checklist.peek_week(W48).day(1).tasks)


async def test_deleting_a_routine_item_asks_first(make_app, services):
    app = make_app(MON)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        before = [i.title for i in services.checklist.template() if i.day == 1]
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("escape")  # no
        await pilot.pause()
        assert [i.title for i in services.checklist.template() if i.day == 1] == before
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert [i.title for i in services.checklist.template() if i.day == 1] == before[1:]


async def test_the_command_palette_lists_the_bindings(make_app):
    app = make_app(MON)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"routin")
        await until(pilot, lambda: app.screen.query("CommandList").first().highlighted is not None)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TemplateScreen)


async def test_a_database_error_ends_the_app_with_one_line(tmp_path):
    from pmweek.errors import DatabaseError
    from pmweek.tui.app import PmWeekApp

    def broken():
        raise DatabaseError("error.db_newer", path="pm.db", found=9, known=1)

    app = PmWeekApp(broken, today=MON)
    async with app.run_test() as pilot:
        await settle(pilot)
    assert app.return_code == 1


async def test_palette_offers_only_pmweeks_translated_commands(make_app):
    from pmweek.tui.commands import BindingsProvider

    app = make_app(MON, lang="zh")
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        provider = BindingsProvider(app.screen)
        labels = [label for label, _, _ in provider._commands()]
        assert "前一天 (←)" in labels or any(label.startswith("前一天") for label in labels)
        assert any(label.startswith("退出") for label in labels)
        assert not any("Scroll" in label or "Quit" in label for label in labels)


async def test_settings_change_the_calendar_and_add_own_days(make_app, services):
    from pmweek.tui.screens.settings import SettingsScreen, ValuesForm

    app = make_app(MON)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        await pilot.press("comma")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press(*"atlantis", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ValuesForm)
        assert "atlantis" in str(app.screen.query_one("#form-error").render())
        app.screen.query_one(Input).value = "cn"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert services.checklist.calendar().name == "cn"
        await pilot.press("o")
        await pilot.pause()
        await pilot.press(*"2027-10-01", "enter", *"National Day", "enter")
        await pilot.pause()
        assert services.checklist.calendar().overrides == {date(2027, 10, 1): (False, "National Day")}
        await pilot.press("delete")
        await pilot.pause()
        assert services.checklist.calendar().overrides == {}


async def test_a_holiday_week_shows_holidays_and_opens_on_the_first_workday(make_app):
    app = make_app(date(2026, 10, 5), lang="zh")  # Monday of National Day week, in Chinese
    async with app.run_test(size=(130, 40)) as pilot:
        await settle(pilot)
        tabs = app.screen.query_one(Tabs)
        assert tabs.active == "d4"  # Thursday 10-08, the first day back
        assert "国庆节" in str(app.screen.query_one("#d1").label)
        assert app.screen.query_one("#d6").display  # Saturday 10-10 is worked
        assert not app.screen.query_one("#d7").display
        assert "今天休息（国庆节）" in str(app.screen.query_one("#notice").render())


async def test_today_s_tab_is_in_view_at_80_columns_in_a_holiday_week(make_app):
    """Holiday names widen the tabs past 80 columns: today's is scrolled into view."""
    app = make_app(date(2026, 10, 9), lang="zh")  # Friday after National Day
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        tabs = app.screen.query_one(Tabs)
        assert tabs.active == "d5"
        await until(pilot, lambda: tabs.active_tab.region.right <= tabs.region.right)
        assert tabs.active_tab.region.x >= tabs.region.x


async def test_a_watch_items_note_becomes_insights_without_retyping(make_app, services):
    app = make_app(MON)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        checklist = _checklist(app)
        checklist.highlighted = next(
            i for i, o in enumerate(checklist.options) if o.prompt.plain.startswith("☐ Features and competitors")
        )
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TaskScreen)
        footer_keys = {k for k, b in app.screen.active_bindings.items() if b.binding.show and b.enabled}
        assert "ctrl+t" in footer_keys
        app.screen.query_one(TextArea).insert("- Rival cut prices 30 %\n\n* Rival ships PITR\n")
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.press("ctrl+t")  # again: nothing is kept twice
        await pilot.pause()
        rows = services.sheets.rows("insights", MON.isoformat(), MON.isoformat(), MON)
        assert [(r.values["lens"], r.values["text"]) for r in rows] == [
            ("competitor", "Rival cut prices 30 %"), ("competitor", "Rival ships PITR"),
        ]
        await pilot.press("escape")
        await settle(pilot)
        # An item whose note is not an observation does not offer it.
        checklist.highlighted = 0
        await pilot.press("enter")
        await pilot.pause()
        assert "ctrl+t" not in {k for k, b in app.screen.active_bindings.items() if b.binding.show and b.enabled}


async def test_q_on_a_screen_opened_from_the_week_goes_back(make_app):
    """Only the week screen quits on q; every screen opened from it goes back."""
    app = make_app(MON)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        for key in ("p", "w", "e", "comma"):
            await pilot.press(key)
            await settle(pilot)
            assert not isinstance(app.screen, WeekScreen), key
            await pilot.press("q")
            await settle(pilot)
            assert isinstance(app.screen, WeekScreen) and app.is_running, key
        await pilot.press("b", "2")  # a table
        await settle(pilot)
        await pilot.press("q")
        await settle(pilot)
        assert isinstance(app.screen, WeekScreen) and app.is_running


async def test_the_morning_pass_takes_at_most_16_command_keys(make_app, services):
    """Monday's pass of the trial, at 80x24: tick the review's points and the review,
    the next two items, open the opportunities from their item, add a valuable one,
    come back and tick it. Sub-points fold under the item they belong to and a tick
    moves on to the next open line, so no key is spent walking the list."""
    app = make_app(MON)
    commands: list[str] = []

    async def command(*keys: str) -> None:
        commands.extend(keys)
        await pilot.press(*keys)
        await settle(pilot)

    async def type_text(text: str) -> None:  # typing is not a command
        await pilot.press(*text)

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        monday = services.checklist.peek_week(W48).day(1).tasks
        await command("down", "space", "space", "space")  # into the review's points, tick the three
        await command("space")  # back on the review: tick it
        await command("space", "space")  # the project meeting, the launch feedback
        assert _checklist(app).highlighted_option.id == f"t{monday[3].id}"  # the opportunities' item
        await command("o", "a")
        for value in ("Acme Bank", "120", "finance", "top 10 bank"):
            await type_text(value)
            await command("enter")
        await type_text("wants PITR to the second")
        await command("ctrl+s", "escape")
        assert isinstance(app.screen, WeekScreen)
        await command("space")
    assert len(commands) <= 16, commands
    done = services.checklist.peek_week(W48).day(1).tasks
    assert [x.done for x in done[:4]] == [True] * 4 and not done[4].done
    assert all(p.done for p in done[0].points) and not any(p.done for p in done[1].points)
    rows = services.sheets.rows("opportunities", "2026-11", "2026-11", MON)
    assert [(r.values["customer"], r.values["reason"]) for r in rows] == [("Acme Bank", "wants PITR to the second")]


async def test_sub_points_fold_under_their_item_until_it_is_highlighted(make_app, services):
    app = make_app(MON)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        monday = services.checklist.peek_week(W48).day(1).tasks
        lines = _lines(app)
        # the first item is highlighted: its points show; the second's fold, counted
        assert lines[1:4] == [f"    ☐ {p.title}" for p in monday[0].points]
        assert lines[4] == f"☐ {monday[1].title} 0/{len(monday[1].points)}"
        await pilot.press("down", "down", "down", "down")
        await settle(pilot)
        lines = _lines(app)
        assert lines[0] == f"☐ {monday[0].title} 0/3" and lines[1] == f"☐ {monday[1].title} 0/5"
        assert lines[2] == f"    ☐ {monday[1].points[0].title}"
        await pilot.press("down", "space")  # a point ticked (the cursor on to the next point)
        await settle(pilot)
        await pilot.press("up", "up", "up")  # back to the first item: the second's points fold, counted
        await settle(pilot)
        assert _lines(app)[4] == f"☐ {monday[1].title} 1/5"


async def test_a_click_on_the_box_ticks_and_on_the_text_selects(make_app, services):
    app = make_app(MON)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        checklist = _checklist(app)
        second = services.checklist.peek_week(W48).day(1).tasks[1]
        row = _lines(app).index(f"☐ {second.title} 0/{len(second.points)}")
        await pilot.click(Checklist, offset=(checklist.region.x - checklist.content_region.x + 8,
                                             row - checklist.scroll_offset.y))
        await settle(pilot)
        # a click on the text: highlighted, not ticked, no dialog
        assert isinstance(app.screen, WeekScreen) and not services.checklist.task(second.id).done
        assert checklist.highlighted_option.id == f"t{second.id}"
        row = _lines(app).index(f"☐ {second.title} 0/{len(second.points)}")  # the first item folded
        await pilot.click(Checklist, offset=(checklist.content_region.x - checklist.region.x, row))
        await settle(pilot)
        assert services.checklist.task(second.id).done
        await pilot.click(Checklist, offset=(8, 0), times=2)  # a double click opens
        await settle(pilot)
        assert isinstance(app.screen, TaskScreen)


async def test_a_pasted_note_keeps_every_line(make_app, services):
    """Terminals paste line breaks as \\n, \\r or \\r\\n: each stays a line of the note."""
    from textual import events

    app = make_app(MON)
    async with app.run_test(size=(80, 24)) as pilot:
        task_id = await _open_first_item(pilot)
        app.post_message(events.Paste("call Acme\rcall Globex\r\nsend the FAQ\n"))
        await pilot.pause()
        await pilot.press("escape")  # leaving saves at once
        await settle(pilot)
    assert services.checklist.task(task_id).note == "call Acme\ncall Globex\nsend the FAQ\n"


async def test_keys_arriving_together_move_as_keys_typed_one_by_one(make_app, services):
    """Keys read at once (typed ahead while the app starts, a paste, a slow SSH link)
    walk the list as the same keys typed one by one: the item a ↓ lands on has unfolded
    its sub-points before the next ↓ is read. And the list keeps answering."""
    from textual import events

    app = make_app(MON)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        checklist = _checklist(app)
        await pilot.press("down", "down", "down")  # the review's last point
        await settle(pilot)
        monday = services.checklist.peek_week(W48).day(1).tasks
        second = monday[1]
        assert second.points  # so the second ↓ has sub-points to walk into
        for _ in range(2):
            app.post_message(events.Key("down", None))
        # the second item, then its first sub-point: as two ↓ typed one by one
        await until(pilot, lambda: checklist.highlighted_option.id == f"p{second.points[0].id}", limit=5)
        await settle(pilot)
        assert checklist.highlighted_option.id == f"p{second.points[0].id}"  # and it stays there
        await pilot.press("space")  # still answering keys
        await settle(pilot)
        assert services.checklist.task(second.id).points[0].done


async def test_d_on_a_sub_point_says_what_it_does(make_app, services):
    app = make_app(MON)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "d")
        await settle(pilot)
        said = [n.message for n in app.said]
        assert any("d dismisses a whole item" in m for m in said)
        assert not any(x.dismissed for x in services.checklist.peek_week(W48).day(1).tasks)


async def test_an_opened_item_names_its_table_as_the_picker_does(make_app, services):
    from textual.widgets import Static

    from pmweek.domain.sheets import BOOKS
    from pmweek.i18n import tr

    app = make_app(MON, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        item = next(x for x in services.checklist.peek_week(W48).day(1).tasks if x.table == "opportunities")
        checklist = _checklist(app)
        checklist.highlighted = checklist.get_option_index(f"t{item.id}")
        await pilot.press("enter")
        await settle(pilot)
        meta = str(app.screen.query_one("#task-meta", Static).render())
        assert tr("zh", BOOKS["opportunities"].label_key) in meta and "opportunities" not in meta


async def test_an_opened_item_s_history_is_reached_by_keyboard_at_80x24(make_app, services):
    """Tab from the note goes on to the history, which scrolls into view."""
    app = make_app(MON)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        task_id = int(_checklist(app).highlighted_option.id[1:])
        services.checklist.toggle(task_id)
        services.checklist.toggle(task_id)
        await pilot.press("enter")
        await settle(pilot)
        dialog = app.screen.query_one("#task-dialog")
        history = app.screen.query_one("#task-history")
        assert not dialog.region.contains_region(history.region)  # below the fold at first
        for _ in range(12):
            if app.focused is history:
                break
            await pilot.press("tab")
        await settle(pilot)
        assert app.focused is history
        await until(pilot, lambda: dialog.region.contains_region(history.region) or history.region.height > dialog.region.height)


@pytest.mark.parametrize(("lang", "words"), [("en", "press q on the week screen"), ("zh", "在周视图按 q")])
async def test_ctrl_c_says_how_to_leave_in_the_pm_s_language(make_app, lang, words):
    app = make_app(MON, lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+c")
        await pilot.pause()
        said = [n.message for n in app.said]
        assert any(words in m for m in said) and not any("[b]" in m for m in said), said
        assert app.is_running


async def test_a_tick_after_a_restore_under_the_window_is_refused_and_said(make_app, services, db_url, tmp_path):
    """The window's items are not the restored file's: the tick writes nothing and the
    PM is told to start pmweek again."""
    import sqlite3

    from pmweek.cli import main

    path = db_url.removeprefix("sqlite:///")
    assert main(["--db", path, "backup", str(tmp_path / "empty.db")]) == 0  # before any week
    app = make_app(MON)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        assert main(["--db", path, "restore", str(tmp_path / "empty.db")]) == 0
        notified = []
        app.notify = lambda message, **kw: notified.append(message)
        app.screen.notify = app.notify
        await pilot.press("space")
        await pilot.pause()
        assert any("restored or replaced" in m and "start pmweek again" in m for m in notified), notified
        await pilot.press("r")  # as coming back to the window does: the app leaves, saying why
        await until(pilot, lambda: app.failure is not None)
        assert "restored or replaced" in app.failure
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM task").fetchone() == (0,)
    conn.close()


async def test_a_note_the_database_refuses_stays_on_screen_until_it_is_saved(make_app, services):
    """Over the length limit (as on a full disk): the item says it is not saved and does
    not close on it; closing loses the text only once the PM says so."""
    from pmweek.tui.screens.confirm import ConfirmScreen

    app = make_app(MON)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        task_id = int(_checklist(app).highlighted_option.id[1:])
        await pilot.press("enter")
        await pilot.pause()
        note = app.screen.query_one("#task-note", TextArea)
        note.load_text("x" * 20_001)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)  # asked, not dropped
        await pilot.press("escape")  # no: back to the note
        await pilot.pause()
        assert isinstance(app.screen, TaskScreen) and app.screen.query_one("#task-note", TextArea).text == "x" * 20_001
        unsaved = app.screen.query_one("#note-unsaved")
        assert unsaved.display and "Not saved" in str(unsaved.render())
        assert services.checklist.task(task_id).note == ""
        app.screen.query_one("#task-note", TextArea).load_text("short enough")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, WeekScreen)
        assert services.checklist.task(task_id).note == "short enough"


async def test_a_adds_one_off_work_to_the_day_shown(make_app, services):
    from pmweek.tui.screens.template import OneOffForm

    app = make_app(MON)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("right")  # Tuesday
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, OneOffForm) and "2026-11-24" in str(app.screen.query_one(".section").render())
        await pilot.press(*"PRD review for Kernel")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, WeekScreen)
        added = services.checklist.peek_week(W48).day(2).tasks[-1]
        assert added.title == "PRD review for Kernel"
        assert any("PRD review for Kernel" in line for line in _lines(app))
        # the cursor is on the work just added, at the end of the list, ready for Enter or space
        assert _checklist(app).highlighted_option.id == f"t{added.id}"


async def test_one_off_work_is_edited_from_its_dialog(make_app, services):
    """F2 on an open one-off item: its title and sub-points retyped, the dialog shows
    them at once; a routine item's dialog does not offer it."""
    from textual.widgets import Static

    from pmweek.tui.screens.template import EditTaskForm

    task_id = services.checklist.add_task(MON, "ACME escalation", "call their CTO")
    app = make_app(MON, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_item(pilot, task_id)
        assert isinstance(app.screen, TaskScreen) and app.screen.check_action("edit_task", ()) is True
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, EditTaskForm)
        app.screen.query_one("#form-title", Input).value = ""
        await pilot.press(*"ACME 故障升级", "enter", "end", "enter", *"发 RCA", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, TaskScreen)
        assert str(app.screen.query_one("#task-title", Static).render()) == "ACME 故障升级"
        task = services.checklist.task(task_id)
        assert task.title == "ACME 故障升级" and [p.title for p in task.points] == ["call their CTO", "发 RCA"]
        await pilot.press("escape")
        await pilot.pause()
        checklist = _checklist(app)
        checklist.highlighted = 0  # a routine item
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.check_action("edit_task", ()) is False


async def test_the_note_typed_into_is_in_view_under_many_sub_points(make_app, services):
    """At 80x24 an item with five sub-points opens with its note, where typing goes,
    inside the dialog's view; every sub-point is in view too (none ticked unseen)."""
    from textual.widgets import TextArea

    task_id = services.checklist.add_task(MON, "客户故障升级", "联系 CTO\n拉群\n写 RCA\n复盘会\n发客户邮件")
    app = make_app(MON, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_item(pilot, task_id)
        dialog = app.screen.query_one("#task-dialog").content_region
        note = app.screen.query_one("#task-note", TextArea)
        assert app.focused is note and dialog.contains(note.region.x + 2, note.region.y + 1)
        for box in app.screen.query("#task-points Checkbox"):
            assert dialog.contains_region(box.region), box.label


async def _open_item(pilot, task_id: int) -> None:
    """The week at MON, the item ``task_id`` highlighted and opened."""
    await settle(pilot)
    checklist = _checklist(pilot.app)
    checklist.highlighted = next(i for i, o in enumerate(checklist.options) if o.id == f"t{task_id}")
    await pilot.press("enter")
    await settle(pilot)


async def test_arrows_in_a_burst_move_one_day_each(make_app):
    """← ← ← sent at once (a held key, a fast typist) from Friday lands on Tuesday, and
    ← ← → on Thursday: each counts from the day the one before chose."""
    from textual import events

    app = make_app(date(2026, 11, 27))
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        for keys, day in ((("left", "left", "left"), "d2"), (("right", "right", "left"), "d3")):
            for key in keys:  # queued together, not one after the screen caught up
                app.post_message(events.Key(key, None))
            await settle(pilot)
            assert app.screen.query_one(Tabs).active == day


async def test_a_note_typed_while_the_item_is_still_read_lands_in_the_note(make_app, services, monkeypatch):
    """Over a slow database the item's dialog reads in the background: what the PM types
    at once after Enter goes into the note, whole and in order, once it is shown."""
    import threading

    gate = threading.Event()
    app = make_app(MON)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        task_id = int(_checklist(app).highlighted_option.id[1:])
        read = app.services.checklist.task

        def slow(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            gate.wait(10)
            return read(*args, **kwargs)

        monkeypatch.setattr(app.services.checklist, "task", slow)
        await pilot.press("enter", *"ok 客户")
        assert isinstance(app.screen, TaskScreen) and not app.screen.query("#task-note")
        gate.set()
        await settle(pilot)
        assert app.screen.query_one("#task-note", TextArea).text == "ok 客户"
        await until(pilot, lambda: services.checklist.task(task_id).note == "ok 客户")


async def test_the_first_run_on_a_friday_sets_the_days_before_aside_not_carried(make_app, services):
    """Installed on a Friday: Monday to Thursday's routine was never the PM's to do in
    pmweek, so it is set aside (dismissed, brought back with d) rather than carried onto
    Friday as a backlog of 18 items; from then on open work carries as ever."""
    friday = date(2026, 12, 4)
    app = make_app(friday)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        view = app.screen.view
        assert view.day(5).carried == ()
        earlier = [t for d in (1, 2, 3, 4) for t in view.day(d).tasks]
        assert earlier and all(services.checklist.task(t.id).dismissed_at for t in earlier)
        assert not any(services.checklist.task(t.id).dismissed_at for t in view.day(5).tasks)
    # The next week, opened first on its Wednesday: Monday's open work is carried.
    wednesday = date(2026, 12, 9)
    app = make_app(wednesday)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        carried = app.screen.view.day(3).carried
        assert carried and {t.carried_from for t in carried} >= {date(2026, 12, 7)}


async def test_escape_from_half_typed_one_off_work_asks_before_dropping_it(make_app, services):
    """As a half-typed row does: Esc asks; no goes back to the words; an untouched form
    closes at once."""
    from pmweek.tui.screens.confirm import ConfirmScreen
    from pmweek.tui.screens.template import OneOffForm

    app = make_app(MON)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pressed(pilot, "a")
        await pressed(pilot, "escape")
        assert isinstance(app.screen, WeekScreen)
        await pressed(pilot, "a")
        await pressed(pilot, *"Escalation: ACME", "escape")
        assert isinstance(app.screen, ConfirmScreen)
        await pressed(pilot, "n")
        assert isinstance(app.screen, OneOffForm) and app.screen.query_one("#form-title").value == "Escalation: ACME"


async def test_the_first_run_sets_the_days_before_aside_when_the_command_line_came_first(tmp_path):
    """`pmweek task` on a fresh database on a Friday, then the app: Monday to Thursday are
    set aside as when the app is opened first, and the task is on Friday's list."""
    from pmweek.cli import main
    from pmweek.services import open_services
    from pmweek.tui.app import PmWeekApp

    db = tmp_path / "pm.db"
    assert main(["--db", str(db), "--date", "2026-12-04", "task", "ACME upgrade"]) == 0
    services = open_services(f"sqlite:///{db}", "en")
    try:
        app = PmWeekApp(lambda: services, today=date(2026, 12, 4), lang="en")
        async with app.run_test(size=(110, 40)) as pilot:
            await settle(pilot)
            view = app.screen.view
            assert view.day(5).carried == ()
            assert "ACME upgrade" in [t.title for t in view.day(5).tasks]
    finally:
        services.close()
