"""How the screens look, at a fixed date and clock, in both languages.
Update after looking at the report: pytest tests/snapshots --snapshot-update"""

from datetime import date

import pytest

from pmweek.domain.calendar import Week
from tests.conftest import settle

W48 = Week(2026, 48)
SIZE = (100, 32)


async def _loaded(pilot) -> None:
    await settle(pilot)


def _seed(services) -> None:
    """Monday partly done, so Tuesday shows carried items and progress."""
    view = services.checklist.open_week(W48, date(2026, 11, 23))
    monday = view.day(1).tasks
    for task in monday[:4]:
        services.checklist.toggle(task.id)
    services.checklist.toggle(monday[4].points[0].id)
    services.checklist.set_note(monday[4].id, "note")
    services.checklist.toggle_dismissed(monday[5].id)


@pytest.mark.parametrize("lang", ["en", "zh"])
class TestTodayScreen:
    def test_today_with_carried_items(self, snap_compare, open_db, lang):
        from pmweek.tui.app import PmWeekApp

        services = open_db(lang)
        _seed(services)
        app = PmWeekApp(lambda: services, today=date(2026, 11, 24), lang=lang)
        assert snap_compare(app, run_before=_loaded, terminal_size=SIZE)

    def test_week_view_on_monday_tab(self, snap_compare, open_db, lang):
        from pmweek.tui.app import PmWeekApp

        services = open_db(lang)
        _seed(services)
        app = PmWeekApp(lambda: services, today=date(2026, 11, 26), lang=lang)

        async def monday(pilot):
            await settle(pilot)
            await pilot.press("left", "left", "left")
            await pilot.pause()

        assert snap_compare(app, run_before=monday, terminal_size=SIZE)

    def test_weekend(self, snap_compare, open_db, lang):
        from pmweek.tui.app import PmWeekApp

        services = open_db(lang)
        app = PmWeekApp(lambda: services, today=date(2026, 11, 28), lang=lang)
        assert snap_compare(app, run_before=_loaded, terminal_size=SIZE)
