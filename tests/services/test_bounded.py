"""Cost follows what is shown, not the size of history: counted in SQL statements."""

from datetime import date

import pytest
from sqlalchemy import event

from pmweek.services import open_services
from pmweek.services.demo import fill
from pmweek.tui.screens.week import WeekScreen
from tests.conftest import settle
from tests.plans import compile_plan

TODAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def databases(tmp_path_factory):
    urls = {}
    for name, years in (("week", 0.02), ("years", 3)):
        url = f"sqlite:///{tmp_path_factory.mktemp(name) / 'pm.db'}"
        services = open_services(url)
        fill(services.engine, years, TODAY, user=services.user)
        services.close()
        urls[name] = url
    return urls


def _statements(services, action) -> list[str]:
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(services.engine, "before_cursor_execute", record)
    try:
        action()
    finally:
        event.remove(services.engine, "before_cursor_execute", record)
    return seen


async def _open_app(url) -> list[str]:
    from pmweek.tui.app import PmWeekApp

    services = open_services(url)
    app = PmWeekApp(lambda: services, today=TODAY)
    seen: list[str] = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(services.engine, "before_cursor_execute", record)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WeekScreen) and app.screen.view is not None
    services.close()
    return seen


async def test_opening_today_runs_the_same_few_statements_whatever_the_history(databases):
    small = await _open_app(databases["week"])
    large = await _open_app(databases["years"])
    # the last, once the week shows: the risks past their review; each write first reads which
    # restore of the file this is (a window open across a restore must not write)
    assert len(small) == len(large) <= 12
    assert "risk" in large[-1]


@pytest.mark.parametrize("action", ["compile", "month"])
def test_friday_compile_and_month_tables_are_bounded_too(databases, action):
    counts = []
    for name in ("week", "years"):
        services = open_services(databases[name])
        if action == "compile":
            run = lambda: compile_plan(services, TODAY)  # noqa: E731
        else:
            run = lambda: [services.sheets.book(b, "2026-11", "2026-11", TODAY) for b in  # noqa: E731
                           ("opportunities", "campaigns", "deals", "tickets", "revenue")]
        run()  # the first compile creates the plan; count a steady-state one
        counts.append(len(_statements(services, run)))
        services.close()
    assert counts[0] == counts[1]


def test_the_quick_read_of_the_morning_is_the_same_few_statements_at_any_history(databases, monkeypatch):
    """Today's list read before the ORM loads: as many statements at three years as at one week."""
    from pathlib import Path

    from pmweek.db import quick
    from pmweek.domain.calendar import Week
    from pmweek.services import default_user
    from pmweek.services.reading import quick_morning

    counted: dict[str, list[str]] = {}
    real = quick.open_quick

    for name, url in databases.items():
        seen: list[str] = []

        def traced(path, seen=seen):
            conn = real(path)
            if conn is not None:
                conn.set_trace_callback(seen.append)
            return conn

        monkeypatch.setattr(quick, "open_quick", traced)
        got = quick_morning(Path(url.removeprefix("sqlite:///")), default_user(), "en", None, Week.of(TODAY), TODAY)
        assert got is not None and got[0].day(3).tasks  # the week was read, not left to the services
        counted[name] = seen
    assert len(counted["years"]) == len(counted["week"]) <= 12
