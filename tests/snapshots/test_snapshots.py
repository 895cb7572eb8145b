"""How the screens look, at a fixed date and clock, in both languages.
Update after looking at the report: pytest tests/snapshots --snapshot-update"""

from datetime import date

import pytest

from pmweek.domain.calendar import Week
from tests.conftest import settle
from tests.plans import add_plan_line, compile_plan

W48 = Week(2026, 48)
SIZE = (100, 32)


async def _loaded(pilot) -> None:
    await settle(pilot)
    await _at_rest(pilot)


async def _at_rest(pilot, limit: int = 100) -> None:
    """Until the screen stops changing: a relabelled tab moves its underline on a later
    refresh, which a busy machine (tests in parallel) may not have drawn yet. Polled,
    compared frame to frame; never a fixed wait."""
    before = pilot.app.export_screenshot()
    for _ in range(limit):
        await pilot.pause(0.03)
        now = pilot.app.export_screenshot()
        if now == before:
            return
        before = now
    raise AssertionError("the screen never came to rest")


def _after_keys(*steps):
    """Each step's keys pressed (a key, or a tuple of keys) once the app has settled,
    then until the screen is at rest."""

    async def run(pilot) -> None:
        await settle(pilot)
        for keys in steps:
            await pilot.press(*((keys,) if isinstance(keys, str) else keys))
            await settle(pilot)
        await _at_rest(pilot)

    return run


def _at_rest_after(steps):
    """``steps``, then until the screen is at rest: every screenshot is taken still."""

    async def run(pilot) -> None:
        await steps(pilot)
        await _loaded(pilot)

    return run


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

        assert snap_compare(app, run_before=_after_keys(("left", "left", "left")), terminal_size=SIZE)

    def test_weekend(self, snap_compare, open_db, lang):
        from pmweek.tui.app import PmWeekApp

        services = open_db(lang)
        services.checklist.open_week(W48, date(2026, 11, 23))  # in use since Monday: its leftovers carry
        app = PmWeekApp(lambda: services, today=date(2026, 11, 28), lang=lang)
        assert snap_compare(app, run_before=_loaded, terminal_size=SIZE)


def _seed_tables(services) -> None:
    add = services.sheets.add
    add("opportunity_totals", {"month": "2026-11", "total": "40"})
    add("opportunities", {"month": "2026-11", "customer": "ACME Bank", "spend": "120", "industry": "finance",
                          "influence": "high", "reason": "top-3 bank, reference case"})
    add("churn", {"month": "2026-11", "customer": "Foo", "churn_reason": "price"})
    add("campaigns", {"month": "2026-11", "campaign": "双 11 | promo", "attention": "1200", "conversions": "85",
                      "improvement": "faster landing page"})
    add("deals", {"month": "2026-11", "customer": "Bank", "target": "500", "requirement": "HA",
                  "go_live": "2026-12-01", "progress": "POC"})
    add("tickets", {"month": "2026-11", "category": "backup", "count": "12", "plan": "doc", "owner": "李雷",
                    "due": "2026-11-20"})
    add("revenue", {"month": "2026-10", "cash": "100", "gaap": "90", "users": "300", "instances": "500",
                    "forecast": "110"})
    add("revenue", {"month": "2026-11", "cash": "120.5", "gaap": "110", "users": "340", "instances": "512",
                    "forecast": "130", "change_note": "big customer", "actions": "discount"})


@pytest.mark.parametrize("number", [1, 2, 3, 4, 5], ids=["opportunities", "campaigns", "deals", "tickets", "revenue"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_table_screen(snap_compare, open_db, lang, number):
    from pmweek.tui.app import PmWeekApp

    services = open_db(lang)
    _seed_tables(services)
    app = PmWeekApp(lambda: services, today=date(2026, 11, 23), lang=lang)

    assert snap_compare(app, run_before=_after_keys("b", str(number)), terminal_size=(140, 20))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_friday_screen(snap_compare, open_db, lang):
    from pmweek.tui.app import PmWeekApp

    services = open_db(lang)
    _seed(services)
    _seed_tables(services)
    compile_plan(services, date(2026, 11, 27))
    plan = services.documents.plan_made_in(W48)
    services.documents.set_priority(plan.section("tickets")[0].id, 1)
    add_plan_line(services, date(2026, 11, 27), "cross_team", "GUI screenshots", "GUI team", "2026-12-03")
    app = PmWeekApp(lambda: services, today=date(2026, 11, 27), lang=lang)

    assert snap_compare(app, run_before=_after_keys("p"), terminal_size=(110, 40))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_plan_line_form_wide(snap_compare, open_db, lang):
    """A plan line opened on a wide terminal: the form sits in the middle, over the plan,
    its text, owner or team, date and priority filled from the line."""
    from pmweek.tui.app import PmWeekApp

    services = open_db(lang)
    _seed(services)
    _seed_tables(services)
    friday = date(2026, 11, 27)
    compile_plan(services, friday)
    add_plan_line(services, friday, "cross_team", "GUI screenshots", "GUI team", "2026-12-03")
    app = PmWeekApp(lambda: services, today=friday, lang=lang)

    assert snap_compare(app, run_before=_after_keys("p", ("end", "enter")), terminal_size=(150, 36))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("screen", ["week", "plan"])
def test_monday_with_the_plan_in_force(snap_compare, open_db, lang, screen):
    """Next Monday at 80x24: the plan made on Friday, highest priority first with its
    owners, under the review item; the other items' sub-points folded and counted; and
    the plan screen showing that plan (compiled last week), not next week's."""
    from pmweek.tui.app import PmWeekApp

    services = open_db(lang)
    _seed(services)
    _seed_tables(services)
    friday = date(2026, 11, 27)
    compile_plan(services, friday)
    add_plan_line(services, friday, "added", "Offsite room" if lang == "en" else "预订团建会议室", "Li", "2026-12-02")
    plan = services.documents.plan_made_in(W48)
    services.documents.set_priority(plan.section("added")[0].id, 1)
    services.documents.set_priority(plan.section("tickets")[0].id, 2)
    app = PmWeekApp(lambda: services, today=date(2026, 11, 30), lang=lang)

    async def monday(pilot):
        await settle(pilot)
        if screen == "plan":
            await pilot.press("p")
            await settle(pilot)

    assert snap_compare(app, run_before=_at_rest_after(monday), terminal_size=(80, 24))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_national_day_week(snap_compare, open_db, lang):
    """2026-10-05: three days of National Day off, then Thursday, Friday and a make-up Saturday."""
    from pmweek.tui.app import PmWeekApp

    services = open_db(lang)
    services.checklist.set_calendar("cn")
    app = PmWeekApp(lambda: services, today=date(2026, 10, 5), lang=lang)
    assert snap_compare(app, run_before=_loaded, terminal_size=(120, 24))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_weekly_report_screen(snap_compare, open_db, lang):
    """The week's report at 80x24: drafted from the data, sections with their lines."""
    from pmweek.tui.app import PmWeekApp
    from tests.services.test_weekly_report import _week

    services = open_db(lang)
    _week(services)
    app = PmWeekApp(lambda: services, today=date(2026, 11, 27), lang=lang)

    assert snap_compare(app, run_before=_after_keys("w"), terminal_size=(80, 24))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_trends_screen(snap_compare, open_db, lang):
    """The revenue chart over twelve months at 80x24, its own legend over it."""
    from pmweek.tui.app import PmWeekApp

    services = open_db(lang)
    for i in range(12):
        month = f"{2025 + (i + 11) // 12}-{(i + 11) % 12 + 1:02d}"
        services.sheets.add("revenue", {"month": month, "cash": str(100 + i * 3 + (i % 3) * 4),
                                        "gaap": str(95 + i * 3), "forecast": str(105 + i * 3)})
    app = PmWeekApp(lambda: services, today=date(2026, 11, 25), lang=lang)

    assert snap_compare(app, run_before=_after_keys("g"), terminal_size=(80, 24))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_monthly_summary_screen(snap_compare, open_db, clock, lang):
    """October's summary at 80x24: goals met and missed, one flagged."""
    from pmweek.tui.app import PmWeekApp
    from tests.services.test_monthly_summary import _month

    services = open_db(lang)
    _month(services, clock)
    app = PmWeekApp(lambda: services, today=date(2026, 11, 5), lang=lang)

    assert snap_compare(app, run_before=_after_keys("m"), terminal_size=(80, 24))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_okr_screen(snap_compare, open_db, lang):
    """The fourth quarter's objective at 80x24: key results with progress bars, tasks done
    by their links."""
    from pmweek.tui.app import PmWeekApp
    from tests.services.test_quarterly_report import _quarter

    services = open_db(lang)
    _quarter(services)
    app = PmWeekApp(lambda: services, today=date(2026, 12, 28), lang=lang)

    assert snap_compare(app, run_before=_after_keys("k"), terminal_size=(80, 24))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_quarterly_report_screen(snap_compare, open_db, lang):
    """The fourth quarter's report at 80x24: responsibilities, then the large project
    told as background and solution."""
    from pmweek.tui.app import PmWeekApp
    from tests.services.test_quarterly_report import _quarter

    services = open_db(lang)
    _quarter(services)
    app = PmWeekApp(lambda: services, today=date(2027, 1, 6), lang=lang)

    assert snap_compare(app, run_before=_after_keys("Q"), terminal_size=(80, 24))


def _plan_app(open_db, lang, today):
    from pmweek.tui.app import PmWeekApp
    from tests.services.test_annual_plan import _year

    services = open_db(lang)
    _year(services)
    return PmWeekApp(lambda: services, today=today, lang=lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("key", ["P", "L", "M", "Y"])
def test_annual_plan_screens(snap_compare, open_db, lang, key):
    """The pool (moves since the last ranking), the risk ledger, the roadmap board and
    the annual plan at 80x24."""
    app = _plan_app(open_db, lang, date(2027, 7, 6))

    assert snap_compare(app, run_before=_after_keys(key), terminal_size=(80, 24))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_ticket_form_at_80x24(snap_compare, open_db, lang):
    """A new ticket row half typed at 80x24: its multi-line field under the cursor, with
    ctrl+j (a new line) in the footer and every field's label in the PM's language."""
    from pmweek.tui.app import PmWeekApp

    services = open_db(lang)
    app = PmWeekApp(lambda: services, today=date(2026, 11, 23), lang=lang)

    typing = (*"备份恢复慢", "enter", *"18", "enter", *"恢复指南", "ctrl+j", *"第二步演练")
    assert snap_compare(app, run_before=_after_keys("b", ("4", "a"), typing), terminal_size=(80, 24))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_one_off_item_with_five_sub_points_at_80x24(snap_compare, open_db, lang):
    """An opened item with five sub-points at 80x24: every sub-point and the note where
    typing goes are in view."""
    from pmweek.tui.app import PmWeekApp

    services = open_db(lang)
    task_id = services.checklist.add_task(date(2026, 11, 23), "客户故障升级", "联系 CTO\n拉群\n写 RCA\n复盘会\n发客户邮件")
    app = PmWeekApp(lambda: services, today=date(2026, 11, 23), lang=lang)

    async def open_item(pilot):
        await settle(pilot)
        checklist = pilot.app.screen.query_one("Checklist")
        checklist.highlighted = next(i for i, o in enumerate(checklist.options) if o.id == f"t{task_id}")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press(*"已拉群 等 RCA")
        await settle(pilot)

    assert snap_compare(app, run_before=_at_rest_after(open_item), terminal_size=(80, 24))
