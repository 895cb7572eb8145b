"""The requirement pool in the app: a RICE figure edited in place moves the request up
the ranking at once; a column sorts; a filter narrows; `S` keeps the quarter's ranking
after a question."""

from datetime import date

from textual.widgets import DataTable, Input

from pmweek.tui.screens.pool import COLUMNS, PoolScreen
from pmweek.tui.screens.row_form import CellEditor
from tests.conftest import settle
from tests.services.test_pool import _pool

TODAY = date(2027, 1, 6)


def _titles(screen) -> list[str]:
    return [i.row.values["title"] for i in screen.items]


async def _open(pilot) -> PoolScreen:
    await settle(pilot)
    await pilot.press("P")
    await settle(pilot)
    assert isinstance(pilot.app.screen, PoolScreen)
    return pilot.app.screen


async def test_editing_reach_moves_the_request_up(make_app, services):
    ids = _pool(services)
    app = make_app(TODAY)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await _open(pilot)
        assert _titles(screen) == ["Vector search", "backup to S3", "CDC to Kafka", "Audit export"]
        table = screen.query_one(DataTable)
        table.move_cursor(row=2, column=COLUMNS.index("reach"))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CellEditor)
        app.screen.query_one(Input).value = "9000"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PoolScreen)
        assert _titles(screen) == ["CDC to Kafka", "Vector search", "backup to S3", "Audit export"]
        assert screen.items[0].row.id == ids["cdc"] and table.cursor_coordinate.row == 0  # the cursor follows it
        # Sort by title, then filter to one source.
        table.move_cursor(column=COLUMNS.index("title"))
        await pilot.press("s")
        await settle(pilot)
        assert _titles(screen) == ["Audit export", "backup to S3", "CDC to Kafka", "Vector search"]
        await pilot.press("f")
        await settle(pilot)
        app.screen.query_one("#f-source_kind", Input).value = "ticket"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert _titles(screen) == ["Audit export"]


async def test_keeping_the_quarter_ranking_asks_first(make_app, services):
    _pool(services)
    app = make_app(TODAY)
    async with app.run_test(size=(120, 30)) as pilot:
        await _open(pilot)
        await pilot.press("S")
        await settle(pilot)
        await pilot.press("n")  # not now
        await settle(pilot)
        assert services.pool.snapshots() == []
        await pilot.press("S")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert services.pool.snapshots() == ["2027-Q1"]
        assert [str(c) for c in app.screen.query_one(DataTable).get_column("move")][:1] == ["="]


async def test_before_any_ranking_is_kept_the_move_column_says_so(make_app, services):
    _pool(services)
    app = make_app(TODAY)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await _open(pilot)
        labels = [str(c.label) for c in screen.query_one(DataTable).columns.values()]
        assert labels[:3] == ["#", "Move", "Request"] and "None" not in " ".join(labels)


async def test_a_status_filter_keeps_the_pool_ranks_and_moves(make_app, services):
    ids = _pool(services)
    services.sheets.edit("requests", ids["cdc"], {"status": "accepted"})
    services.pool.snapshot("2027-Q1", TODAY)
    app = make_app(TODAY)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await _open(pilot)
        await pilot.press("f")
        await settle(pilot)
        app.screen.query_one("#f-status", Input).value = "new"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [(i.position, i.row.values["title"], i.movement.state) for i in screen.items] == [
            (1, "Vector search", "same"), (2, "backup to S3", "same"), (4, "Audit export", "same")]
        await pilot.press("f")
        await settle(pilot)
        assert app.screen.query_one("#f-status", Input).value == "new"  # the filter in force, shown
        app.screen.query_one("#f-status", Input).value = "done"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [(i.row.values["title"], i.movement) for i in screen.items] == [("Shipped long ago", None)]
