"""The weekly report in the app: drafted on the first visit, edited by keyboard, a
recompile keeps the edit, `c` copies it as Markdown."""

from datetime import date

from textual.widgets import Input

from pmweek.tui.screens.document import DocumentScreen, LineForm
from tests.conftest import settle
from tests.services.test_weekly_report import _week

FRI = date(2026, 11, 27)


async def test_edit_a_line_recompile_and_copy(make_app, services):
    _week(services)
    app = make_app(FRI)
    async with app.run_test(size=(100, 36)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DocumentScreen) and screen.document is not None
        # The first line of the first section: rewrite it in the PM's own words.
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, LineForm)
        app.screen.query_one("#f-text", Input).value = "Met the kernel team: HA design agreed"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, DocumentScreen)
        saved = services.documents.saved("weekly", "2026-W48")
        edited = [ln for ln in saved.lines if ln.text == "Met the kernel team: HA design agreed"]
        assert len(edited) == 1 and edited[0].source_key is not None
        services.sheets.add("insights", {"date": "2026-11-27", "lens": "industry", "text": "Banks go distributed"})
        await pilot.press("r")  # compile again, in a worker
        await settle(pilot)
        again = app.screen.document
        assert again.compile_count == 2
        assert [ln.text for ln in again.lines if ln.id == edited[0].id] == ["Met the kernel team: HA design agreed"]
        assert any(again.is_new(ln) and ln.facts.get("text") == "Banks go distributed" for ln in again.lines)
        await pilot.press("c")
        await settle(pilot)
        copied = app.clipboard
        assert copied.startswith("# Weekly report, 2026-11-23 – 2026-11-27 (week 48)")
        assert "- Met the kernel team: HA design agreed" in copied and "Banks go distributed" in copied
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, DocumentScreen)


async def test_a_line_of_analysis_goes_under_the_key_figures(make_app, services):
    _week(services)
    app = make_app(FRI)
    async with app.run_test(size=(100, 36)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        listing = app.screen.query_one("#document-lines")
        cash = next(ln for ln in app.screen.document.lines if ln.facts.get("metric") == "cash")
        listing.highlighted = listing.get_option_index(f"l{cash.id}")
        await pilot.press("a")
        await settle(pilot)
        app.screen.query_one("#f-text", Input).value = "Cash grew on two bank deals; forecast was cautious"
        await pilot.press("ctrl+s")
        await settle(pilot)
        figures = services.documents.saved("weekly", "2026-W48").section("figures")
        assert figures[-1].text == "Cash grew on two bank deals; forecast was cautious"


async def test_friday_item_on_other_teams_reports_opens_the_weekly_report(make_app, services):
    app = make_app(FRI)
    async with app.run_test(size=(100, 36)) as pilot:
        await settle(pilot)
        screen = app.screen
        tasks = screen._day(5).tasks
        index = next(i for i, task in enumerate(tasks) if task.key == "fri-cross-team")
        screen.query_one("Checklist").highlighted = index
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, DocumentScreen) and app.screen.kind.name == "weekly"
        assert app.screen.period == "2026-W48"


async def test_v_switches_readers_and_c_copies_the_variant_export_prints(make_app, services, db_url, capsys):
    """The report screen shows one reader at a time, says whom, and copies what that
    reader would be sent: the text `export report week --for da` prints."""
    from pmweek.cli import main

    _week(services)
    services.sheets.add("requests", {"title": "Backup to OSS", "source_kind": "partner", "source": "dbs",
                                     "needed_by": "2027-02-01"})
    app = make_app(FRI)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        screen = app.screen
        assert screen.reader is None and "full report" in str(screen.query_one("#document-meta").render())
        keys = [r.key for r in screen.readers if r is not None]
        assert keys[:2] == ["da", "traffic"] and {"dts", "dbs"} <= set(keys)  # partner products by source
        await pilot.press("v")
        await settle(pilot)
        assert screen.reader.key == "da" and "Solution architects" in screen.title
        shown = [str(o.prompt) for o in screen.query_one("#document-lines")._options]
        assert not [p for p in shown if "CDC to Kafka" in p]  # a partner's request is not the architects'
        await pilot.press("c")
        await settle(pilot)
        copied = app.clipboard
        for _ in range(keys.index("dts")):
            await pilot.press("v")
        await settle(pilot)
        assert screen.reader.key == "dts"
        await pilot.press("c")
        await settle(pilot)
        for_dts = app.clipboard
    path = db_url.removeprefix("sqlite:///")
    assert main(["--db", path, "--date", "2026-11-27", "export", "report", "week", "--for", "da"]) == 0
    assert capsys.readouterr().out == copied
    assert "For Solution architects" in copied and "CDC to Kafka" not in copied
    assert "CDC to Kafka" in for_dts and "Backup to OSS" not in for_dts


async def test_dropping_a_line_in_a_reader_s_variant_asks_for_whom(make_app, services):
    from pmweek.tui.screens.confirm import ChoiceScreen

    _week(services)
    app = make_app(FRI)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        await pilot.press("v")  # DA: releases first
        await settle(pilot)
        screen = app.screen
        listing = screen.query_one("#document-lines")
        release = next(ln for ln in screen.document.lines if ln.kind == "release")
        listing.highlighted = listing.get_option_index(f"l{release.id}")
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("enter")  # the first answer: for this reader only
        await settle(pilot)
        assert isinstance(app.screen, DocumentScreen)
        saved = services.documents.saved("weekly", "2026-W48")
        kept = next(ln for ln in saved.lines if ln.id == release.id)
        assert kept.kept_from == ("da",) and not kept.dropped  # every other reader still gets it
        assert f"l{release.id}" not in [o.id for o in listing._options]
