"""Monthly tables: entry, edit, delete and undo, months, computed figures, imports."""

from datetime import date

import pytest

from pmweek.errors import InputError, NotFound
from pmweek.services.sheets import ImportFailed

TODAY = date(2026, 11, 5)


def _add(services, sheet, **raw):
    row_id, warned = services.sheets.add(sheet, {k: None if v is None else str(v) for k, v in raw.items()})
    return row_id


@pytest.mark.parametrize(
    ("sheet", "raw", "check", "edit"),
    [
        ("opportunities", {"month": "2026-10", "customer": "ACME", "spend": "120.5", "reason": "bank"},
         {"customer": "ACME", "spend": 120.5, "status": "open", "industry": None}, ("status", "won", "won")),
        ("churn", {"month": "2026-10", "customer": "Foo", "churn_reason": "price"}, {"churn_reason": "price"},
         ("churn_reason", "moved to a rival", "moved to a rival")),
        ("opportunity_totals", {"month": "2026-10", "total": "40"}, {"total": 40}, ("total", "41", 41)),
        ("campaigns", {"month": "2026-10", "campaign": "双 11", "attention": "1,200", "conversions": "85"},
         {"attention": 1200, "conversions": 85}, ("improvement", "more | ads", "more | ads")),
        ("deals", {"month": "2026-10", "customer": "Bank", "target": "500", "go_live": "2026-11-10"},
         {"go_live": date(2026, 11, 10), "target": 500.0}, ("go_live", "2026-12-01", date(2026, 12, 1))),
        ("tickets", {"month": "2026-10", "category": "backup", "count": "12", "due": "2026-11-01"},
         {"count": 12, "status": "open"}, ("status", "DONE", "done")),
        ("revenue", {"month": "2026-10", "cash": "120.5", "gaap": "110", "users": "340"},
         {"cash": 120.5, "users": 340, "forecast": None}, ("forecast", "130.25", 130.25)),
    ],
)
def test_every_table_stores_edits_and_deletes_with_undo(services, sheet, raw, check, edit):
    row_id, _ = services.sheets.add(sheet, raw)
    stored = services.sheets.row(sheet, row_id).values
    assert {k: stored[k] for k in check} == check
    field, typed, expected = edit
    services.sheets.edit(sheet, row_id, {field: typed})
    assert services.sheets.row(sheet, row_id).values[field] == expected
    assert services.sheets.row(sheet, row_id).values["month"] == "2026-10"  # untouched
    services.sheets.delete(sheet, row_id)
    assert services.sheets.rows(sheet, "2026-10", "2026-10", TODAY) == []
    with pytest.raises(NotFound):
        services.sheets.row(sheet, row_id)
    assert services.sheets.undo_delete(sheet) == row_id
    assert [r.id for r in services.sheets.rows(sheet, None, None, TODAY)] == [row_id]
    assert services.sheets.undo_delete(sheet) is None


def test_month_queries_and_ranges(services):
    for month in ("2026-08", "2026-09", "2026-10", "2027-01"):
        _add(services, "campaigns", month=month, campaign=f"c{month}")
    rows = services.sheets.rows
    assert [r.values["month"] for r in rows("campaigns", "2026-09", "2026-10", TODAY)] == ["2026-09", "2026-10"]
    assert [r.values["month"] for r in rows("campaigns", "2026-10", None, TODAY)] == ["2026-10", "2027-01"]
    assert len(rows("campaigns", None, None, TODAY)) == 4


def test_one_revenue_row_per_month_unless_replace(services):
    first = _add(services, "revenue", month="2026-10", cash=100)
    with pytest.raises(InputError) as err:
        _add(services, "revenue", month="2026-10", cash=200)
    assert err.value.key == "error.month_taken"
    assert services.sheets.row("revenue", first).values["cash"] == 100
    row_id, _ = services.sheets.add("revenue", {"month": "2026-10", "cash": "200"}, replace=True)
    assert row_id == first
    assert [r.values["cash"] for r in services.sheets.rows("revenue", None, None, TODAY)] == [200]
    # Moving another month's row onto 2026-10 is refused as well.
    other = _add(services, "revenue", month="2026-09", cash=90)
    with pytest.raises(InputError):
        services.sheets.edit("revenue", other, {"month": "2026-10"})
    # A deleted month can be entered again; undoing the delete is then refused.
    services.sheets.delete("revenue", first)
    _add(services, "revenue", month="2026-10", cash=300)
    with pytest.raises(InputError) as err:
        services.sheets.undo_delete("revenue")
    assert err.value.key == "error.undo_month_taken"


def test_campaign_conversion_rate_and_warning(services):
    row_id, warned = services.sheets.add(
        "campaigns", {"month": "2026-10", "campaign": "a", "attention": "1200", "conversions": "85"}
    )
    assert warned == []
    _, warned = services.sheets.add(
        "campaigns", {"month": "2026-10", "campaign": "b", "attention": "10", "conversions": "20"}
    )
    assert warned and warned[0][0] == "warn.conversions_above_attention"
    _add(services, "campaigns", month="2026-10", campaign="c", attention=0, conversions=0)
    rates = [r.computed["conversion_rate"] for r in services.sheets.rows("campaigns", None, None, TODAY)]
    assert rates == [pytest.approx(85 / 1200), 2.0, None]


def test_revenue_month_over_month_forecast_and_gaap_gap(services):
    _add(services, "revenue", month="2026-09", cash=100, gaap=90, users=300, instances=500, forecast=110)
    _add(services, "revenue", month="2026-10", cash=120.5, gaap=110, users=340, instances=512, forecast=130)
    _add(services, "revenue", month="2026-12", cash=80)  # November missing
    sep, oct_, dec = services.sheets.rows("revenue", None, None, TODAY)
    assert sep.computed["cash_mom"] is None  # nothing before it
    assert oct_.computed["cash_mom"] == pytest.approx(0.205)
    assert oct_.computed["users_mom"] == pytest.approx(40 / 300)
    assert oct_.computed["instances_mom"] == pytest.approx(12 / 500)
    assert oct_.computed["forecast_gap"] == pytest.approx(-9.5)
    assert oct_.computed["forecast_rate"] == pytest.approx(120.5 / 130)
    assert oct_.computed["cash_gaap_gap"] == pytest.approx(10.5)
    assert dec.computed["cash_mom"] is None  # compares with November, which has no row
    # A one-month query still compares with the month before it.
    (only_oct,) = services.sheets.rows("revenue", "2026-10", "2026-10", TODAY)
    assert only_oct.computed["cash_mom"] == pytest.approx(0.205)


def test_overdue_tickets_and_days_to_go_live(services):
    _add(services, "tickets", month="2026-10", category="late", due="2026-11-01")
    _add(services, "tickets", month="2026-10", category="done", due="2026-11-01", status="done")
    _add(services, "tickets", month="2026-10", category="today", due="2026-11-05")
    _add(services, "tickets", month="2026-10", category="no date")
    overdue = [r.computed["overdue"] for r in services.sheets.rows("tickets", None, None, TODAY)]
    assert overdue == [True, False, False, False]
    _add(services, "deals", month="2026-10", customer="Bank", go_live="2026-11-10")
    _add(services, "deals", month="2026-10", customer="Late", go_live="2026-11-01")
    _add(services, "deals", month="2026-10", customer="Shipped", go_live="2026-11-01", status="live")
    days = [r.computed["days_to_go_live"] for r in services.sheets.rows("deals", None, None, TODAY)]
    assert days == [5, -4, None]


def test_opportunities_book_counts_valuable_and_churn_per_month(services):
    _add(services, "opportunity_totals", month="2026-10", total=40)
    for name in ("A", "B", "C"):
        _add(services, "opportunities", month="2026-10", customer=name, reason="r")
    _add(services, "opportunities", month="2026-09", customer="Old", reason="r")
    _add(services, "churn", month="2026-10", customer="X", churn_reason="price")
    _add(services, "churn", month="2026-10", customer="Y", churn_reason="moved")
    view = services.sheets.book("opportunities", "2026-09", "2026-10", TODAY)
    sep, oct_ = view.rows
    assert (sep["month"], sep["total"], sep["valuable_count"], sep["churn_count"]) == ("2026-09", None, 1, 0)
    assert (oct_["total"], oct_["valuable_count"], oct_["churn_count"]) == (40, 3, 2)
    assert [r.values["customer"] for r in oct_["churned"]] == ["X", "Y"]


@pytest.mark.parametrize(
    ("sheet", "raw", "field", "key"),
    [
        ("campaigns", {"campaign": "a", "attention": "abc"}, "field.attention", "error.field_int"),
        ("campaigns", {"campaign": "a", "attention": "-3"}, "field.attention", "error.field_negative"),
        ("campaigns", {"campaign": "a", "month": "2026-13"}, "field.month", "error.field_month"),
        ("deals", {"customer": "a", "go_live": "2026-02-30"}, "field.go_live", "error.field_date"),
        ("revenue", {"cash": "nan"}, "field.cash", "error.field_money"),
        ("revenue", {"cash": "1e400"}, "field.cash", "error.field_too_large"),
        ("tickets", {"category": "a", "status": "maybe"}, "field.status", "error.field_choice"),
        ("churn", {"customer": "a", "churn_reason": "  "}, "field.churn_reason", "error.field_required"),
        ("churn", {"customer": "a\x00b", "churn_reason": "x"}, "field.customer", "error.field_control"),
    ],
)
def test_bad_values_are_refused_naming_the_field_and_nothing_is_written(services, sheet, raw, field, key):
    raw = {"month": "2026-10", **raw}
    with pytest.raises(InputError) as err:
        services.sheets.add(sheet, raw)
    assert (err.value.key, err.value.params["field"]) == (key, field)
    assert services.sheets.rows(sheet, None, None, TODAY) == []


def test_a_bad_edit_changes_nothing(services):
    row_id = _add(services, "campaigns", month="2026-10", campaign="a", attention=5)
    with pytest.raises(InputError):
        services.sheets.edit("campaigns", row_id, {"campaign": "b", "attention": "x"})
    assert services.sheets.row("campaigns", row_id).values["campaign"] == "a"


def test_names_already_used_are_suggested(services):
    for customer in ("ACME", "Bank", "ACME"):
        _add(services, "deals", month="2026-10", customer=customer)
    assert sorted(services.sheets.suggestions("deals", "customer")) == ["ACME", "Bank"]


def test_import_is_all_or_nothing_with_errors_by_line(services):
    good = (2, "campaigns", {"month": "2026-10", "campaign": "a", "attention": "5"})
    bad1 = (3, "campaigns", {"month": "2026-10", "campaign": "b", "attention": "x"})
    bad2 = (5, "campaigns", {"month": "2026-13", "campaign": "c"})
    with pytest.raises(ImportFailed) as err:
        services.sheets.import_records([good, bad1, bad2])
    assert [line for line, _ in err.value.errors] == [3, 5]
    assert services.sheets.rows("campaigns", None, None, TODAY) == []
    assert services.sheets.import_records([good]) == 1


def test_import_refuses_a_second_row_for_a_month_within_the_file(services):
    records = [
        (2, "revenue", {"month": "2026-10", "cash": "1"}),
        (3, "revenue", {"month": "2026-10", "cash": "2"}),
    ]
    with pytest.raises(ImportFailed) as err:
        services.sheets.import_records(records)
    assert [line for line, _ in err.value.errors] == [3]
    assert services.sheets.rows("revenue", None, None, TODAY) == []


FULL_REVENUE = {"month": "2026-10", "cash": "120.5", "gaap": "110", "users": "340", "instances": "512",
                "forecast": "130", "change_note": "ACME expanded", "actions": "bundle discount"}


def test_a_correction_changes_the_fields_given_and_keeps_what_they_held(open_db):
    """`add revenue --month 2026-10 --cash 121 --replace`: the cash changes; GAAP, users,
    instances, forecast and the words stay; the earlier cash is in the row's history,
    with who changed it; the row still names who entered it."""
    lead = open_db()
    lead.sheets.user = "lead"
    row_id, _ = lead.sheets.add("revenue", FULL_REVENUE)
    li = open_db()
    li.sheets.user = "li"
    same, changed, _ = li.sheets.correct("revenue", {"month": "2026-10", "cash": "121", "gaap": None})
    assert same == row_id and changed == {"cash": ("120.5", "121")}
    stored = li.sheets.row("revenue", row_id).values
    assert {k: str(stored[k]) for k in FULL_REVENUE} == {**FULL_REVENUE, "cash": "121.0", "gaap": "110.0",
                                                         "forecast": "130.0"}
    assert [(c.field, c.before, c.after, c.changed_by) for c in li.sheets.history("revenue", row_id)] == [
        ("cash", "120.5", "121", "li")]
    assert li.sheets.rows("revenue", "2026-10", "2026-10", TODAY)[0].entered_by == "lead"
    # The same value again changes nothing and adds nothing to the history.
    assert li.sheets.correct("revenue", {"month": "2026-10", "cash": "121"})[1] == {}
    assert len(li.sheets.history("revenue", row_id)) == 1


def test_an_edit_in_the_app_keeps_the_earlier_value_too(services):
    row_id, _ = services.sheets.add("revenue", FULL_REVENUE)
    services.sheets.edit("revenue", row_id, {"change_note": "ACME and Foo expanded"})
    services.sheets.edit("revenue", row_id, {"change_note": "ACME and Foo expanded"})  # no change
    history = services.sheets.history("revenue", row_id)
    assert [(c.field, c.before, c.after) for c in history] == [
        ("change_note", "ACME expanded", "ACME and Foo expanded")]


def test_an_import_that_replaces_a_month_corrects_only_the_cells_it_fills(services):
    from pmweek.domain.sheets import BOOKS
    from pmweek.export.csvio import iter_book_csv

    row_id, _ = services.sheets.add("revenue", FULL_REVENUE)
    text = "Month,Cash,GAAP\n2026-10,125,\n"  # cash only: an empty GAAP cell changes nothing
    services.sheets.import_records(iter_book_csv(BOOKS["revenue"], text), replace=True)
    stored = services.sheets.row("revenue", row_id).values
    assert stored["cash"] == 125 and stored["gaap"] == 110 and stored["users"] == 340
    assert stored["change_note"] == "ACME expanded" and stored["actions"] == "bundle discount"
    assert [(c.field, c.before, c.after) for c in services.sheets.history("revenue", row_id)] == [
        ("cash", "120.5", "125")]


def test_a_goal_s_metric_reads_and_is_typed_in_words(services):
    """The goals table says 现金营收, not cash; typed in either language it is stored as
    the metric pmweek computes; a metric of the PM's own stays as typed."""
    from pmweek.domain.sheets import SHEETS
    from pmweek.export.cells import cell
    from pmweek.i18n import set_lang

    add = services.sheets.add
    first, _ = add("goals", {"period": "2026-11", "metric": "现金营收", "goal_target": "100"})
    second, _ = add("goals", {"period": "2026-11", "metric": "Cash revenue", "goal_target": "100"})
    own, _ = add("goals", {"period": "2026-11", "metric": "NPS", "goal_target": "40"})
    metrics = {r.id: r.values["metric"] for r in services.sheets.rows("goals", None, None, date(2026, 11, 30))}
    assert (metrics[first], metrics[second], metrics[own]) == ("cash", "cash", "NPS")
    set_lang("zh")
    try:
        goals = SHEETS["goals"]
        assert cell(goals, "metric", "cash") == "现金营收" and cell(goals, "metric", "NPS") == "NPS"
    finally:
        set_lang("en")


def test_a_rate_s_goal_is_a_share_and_a_count_s_goal_no_percentage(services):
    """5% of conversions is kept as 0.05; a plain 7.1 for a rate would read as 710%, so it
    is refused, never guessed; a percentage for cash is refused too; the PM's own metric
    may be either. An edit is checked as the whole record will be."""
    add = services.sheets.add
    rate, _ = add("goals", {"period": "2027-05", "metric": "conversion-rate", "goal_target": "7.1%"})
    add("goals", {"period": "2027-05", "metric": "conversion-rate", "goal_start": "0.05"})
    add("goals", {"period": "2027-05", "metric": "NPS", "goal_target": "40%"})
    for metric, target, key in (("conversion-rate", "7.1", "error.goal_share"), ("cash", "7.1%", "error.goal_count"),
                                ("users", "50%", "error.goal_count")):
        with pytest.raises(InputError) as refused:
            add("goals", {"period": "2027-05", "metric": metric, "goal_target": target})
        assert refused.value.key == key and target in refused.value.message()
    with pytest.raises(InputError, match="'5'"):
        services.sheets.edit("goals", rate, {"goal_target": "5"})
    rows = services.sheets.rows("goals", None, None, date(2027, 5, 31))
    assert sorted((r.values["metric"], r.values["goal_target"] or 0) for r in rows) == [
        ("NPS", 0.4), ("conversion-rate", 0), ("conversion-rate", 0.071)]


def test_a_field_changed_meanwhile_is_refused_naming_what_it_holds_in_words(open_db):
    """An edit made against a value since changed elsewhere writes nothing and says what
    the field holds now; a choice in the PM's words (进行中 → 已完成), not as stored."""
    from pmweek.errors import ChangedMeanwhile

    services = open_db("zh")
    today = date(2026, 11, 23)
    services.sheets.add("deals", {"month": "2026-11", "customer": "Globex", "status": "open"})
    (row,) = services.sheets.rows("deals", None, None, today)
    services.sheets.edit("deals", row.id, {"status": "live"})  # another window
    with pytest.raises(ChangedMeanwhile) as refused:
        services.sheets.edit("deals", row.id, {"status": "lost"}, {"status": "open"})
    from pmweek.i18n import set_lang

    set_lang("zh")
    try:
        said = refused.value.message()
    finally:
        set_lang("en")
    assert refused.value.current == "live" and "live" not in said and "状态" in said
    assert services.sheets.row("deals", row.id).values["status"] == "live"
    with pytest.raises(ChangedMeanwhile) as refused:
        services.sheets.edit("deals", row.id, {"customer": "Initech"}, {"customer": "Hooli"})
    assert "Globex" in refused.value.message()
