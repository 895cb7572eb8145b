"""Export from inside the app: the palette's exports to a file and the copy key."""

from datetime import date

import pytest

from textual.command import CommandPalette
from textual.widgets import Input

from pmweek.domain.calendar import Week
from pmweek.tui.screens.confirm import ConfirmScreen
from pmweek.tui.screens.export import ExportScreen
from pmweek.tui.screens.week import WeekScreen
from tests.conftest import settle, until

MON = date(2026, 11, 23)


async def _palette(pilot, query: str) -> None:
    await pilot.press("ctrl+p")
    await until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette))
    await pilot.press(*query)
    # the palette searches as one types: wait for its first hit
    await until(pilot, lambda: pilot.app.screen.query_one("CommandList").option_count > 0)
    await pilot.press("down", "enter")


async def _export_form(pilot, query: str) -> None:
    """The palette's export ``query`` chosen: its form, asking where to write, on top."""
    await _palette(pilot, query)
    await until(pilot, lambda: isinstance(pilot.app.screen, ExportScreen))


async def _save_to(pilot, path) -> None:
    field = pilot.app.screen.query_one("#f-path", Input)
    field.value = str(path)
    await pilot.press("enter")
    await settle(pilot)


async def test_the_palette_exports_this_week_and_asks_before_overwriting(make_app, services, tmp_path):
    app = make_app(MON)
    target = tmp_path / "week.md"
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _export_form(pilot, "export this week")
        assert app.screen.query_one("#f-path", Input).value == "pmweek-week-2026-W48.md"
        await _save_to(pilot, target)
        assert isinstance(app.screen, WeekScreen)
        written = target.read_text(encoding="utf-8")
        assert written.startswith("# ") and "2026-W48" in written and "Review last week's plan" in written
        # Again: the existing file is kept unless the overwrite is confirmed.
        target.write_text("mine", encoding="utf-8")
        await _export_form(pilot, "export this week")
        await _save_to(pilot, target)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen) and target.read_text(encoding="utf-8") == "mine"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, WeekScreen) and target.read_text(encoding="utf-8") == written


async def test_an_export_never_writes_over_the_database(make_app, services, tmp_path):
    app = make_app(MON)
    db = services.engine.url.database
    before = open(db, "rb").read(100)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _export_form(pilot, "export this week")
        await _save_to(pilot, db)
        await pilot.press("y")  # even were it asked, nothing to confirm: refused outright
        await settle(pilot)
        assert isinstance(app.screen, ExportScreen)
        error = app.screen.query_one("#form-error")
        assert "database" in str(error.render()) and error.region.y < 24
    assert open(db, "rb").read(100) == before
    assert services.checklist.peek_week(Week(2026, 48)).stored


async def test_a_table_is_exported_from_the_palette(make_app, services, tmp_path):
    services.sheets.add("tickets", {"month": "2026-11", "category": "backup", "count": "12"})
    app = make_app(MON)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _palette(pilot, "export a table")
        await settle(pilot)
        await pilot.press("4")  # tickets, from the table picker
        await until(pilot, lambda: isinstance(app.screen, ExportScreen))
        assert app.screen.query_one("#f-path", Input).value == "pmweek-tickets-2026-11.md"
        await _save_to(pilot, tmp_path / "t.md")
    assert "| 2026-11 | backup | 12 |" in (tmp_path / "t.md").read_text(encoding="utf-8")


async def test_c_copies_the_week_as_markdown(make_app, services):
    app = make_app(MON)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert app.clipboard.startswith("# ") and "☐" not in app.clipboard.splitlines()[0]
        assert "Review last week's plan" in app.clipboard


async def test_the_palette_speaks_chinese(make_app, services):
    app = make_app(MON, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette))
        assert app.screen.query_one(Input).placeholder == "搜索本屏命令…"
        await pilot.press(*"zzzq")
        listing = app.screen.query_one("CommandList")
        await until(pilot, lambda: any("zzzq" in str(o.prompt) for o in listing.options))
        shown = [str(o.prompt) for o in listing.options]
        assert any("没有与「zzzq」匹配的命令" in text for text in shown)
        assert not any("No matches" in text for text in shown)


async def test_the_palette_opens_every_report_the_registry_declares(make_app, services):
    from pmweek.domain.documents import REPORTS
    from pmweek.i18n import tr
    from pmweek.tui.screens.document import DocumentScreen

    app = make_app(MON)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        from pmweek.tui import places

        # By its key (once), or by its name where it has none.
        keyed = {p.args[0] for p in places.PLACES if p.opener is places.open_document}
        offered = [label for label, _, _ in app.screen.commands()]
        assert all((kind.name in keyed) != (tr("en", kind.label_key) in offered) for kind in REPORTS.values())
        await _palette(pilot, "quarterly report")
        await until(pilot, lambda: isinstance(app.screen, DocumentScreen))
        assert (app.screen.kind.name, app.screen.period) == ("quarterly", "2026-Q4")


async def test_a_name_the_system_refuses_is_said_in_the_dialog(make_app, services, tmp_path):
    """Too long a name is one line in the dialog (the app stays); a name with [brackets]
    is written and said exactly as typed."""
    app = make_app(MON)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _export_form(pilot, "export this week")
        await _save_to(pilot, tmp_path / ("L" * 300 + ".md"))
        assert isinstance(app.screen, ExportScreen)
        assert "too long" in str(app.screen.query_one("#form-error").render()).lower()
        await _save_to(pilot, tmp_path / "a[b]c.md")
        assert isinstance(app.screen, WeekScreen) and (tmp_path / "a[b]c.md").is_file()
        assert any(str(tmp_path / "a[b]c.md") in str(n.message) for n in app.said)


async def test_brackets_typed_in_a_form_are_shown_as_typed(make_app, services):
    """A refused value with [markup] in it reads back exactly, in the form and in a toast."""
    from pmweek.tui.screens.table import TableScreen

    app = make_app(MON)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(TableScreen(app.services.sheets, app.services.figures, "campaigns", MON))
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"x", "enter", *"[b]1[/b]", "ctrl+s")
        await settle(pilot)
        assert "'[b]1[/b]'" in str(app.screen.query_one("#form-error").render())
        app.screen.notify("[b]kept[/b]")
        await settle(pilot)
        shown = [(n.message, n.markup) for n in app.said]
        assert ("[b]kept[/b]", False) in shown, shown


async def test_a_file_name_with_a_terminal_escape_is_refused(make_app, services, tmp_path):
    app = make_app(MON)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _export_form(pilot, "export this week")
        out = tmp_path / "out"
        out.mkdir()
        await _save_to(pilot, f"{out}/a\x1b[31mred.md")
        assert isinstance(app.screen, ExportScreen)
        assert "control characters" in str(app.screen.query_one("#form-error").render())
        await _save_to(pilot, "")
        assert "required" in str(app.screen.query_one("#form-error").render())
    assert list(out.iterdir()) == []


@pytest.mark.parametrize(("lang", "query", "sheet"), [("zh", "营收", "revenue"), ("zh", "工单", "tickets"), ("en", "open campaigns", "campaigns")])
async def test_the_palette_finds_a_table_by_its_name(make_app, lang, query, sheet):
    """Typing a table's name in the palette (营收, not "open table") opens it."""
    from pmweek.tui.screens.table import TableScreen

    app = make_app(MON, lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _palette(pilot, query)
        await until(pilot, lambda: isinstance(app.screen, TableScreen))
        assert app.screen.sheet.name == sheet


@pytest.mark.parametrize(("today", "name"), [(date(2026, 11, 23), "pmweek-plan-2026-W48.md"),
                                             (date(2026, 11, 27), "pmweek-plan-2026-W49.md")])
async def test_the_plan_s_export_is_named_by_the_week_it_is_for(make_app, today, name):
    """Monday: the plan made last week for this one; Friday: next week's, being made."""
    app = make_app(today)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _export_form(pilot, "export the plan")
        assert app.screen.query_one("#f-path", Input).value == name
