"""The monthly summary: goals met and missed (computed or typed, lower-better known,
quarters over their three months), the month's figures against last month and a year
before, every section drafted from the data, edits kept across a recompile, and the
charts as Mermaid blocks whose numbers match their tables."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest

from pmweek.domain.calendar import Week
from pmweek.domain.charts import CHARTS
from pmweek.domain.documents import KINDS
from pmweek.export.markdown import document_markdown
from tests.plans import add_plan_line, compile_plan

MONTHLY = KINDS["monthly"]
TODAY = date(2026, 11, 5)  # October is over: its summary is being written


def _month(services, clock=None):
    add = services.sheets.add
    for month, cash, users, instances in (("2025-10", "80", "250", "400"), ("2026-07", "70", "280", "480"),
                                          ("2026-08", "90", "290", "490"), ("2026-09", "100", "300", "500")):
        add("revenue", {"month": month, "cash": cash, "gaap": cash, "users": users, "instances": instances})
    add("revenue", {"month": "2026-10", "cash": "120", "gaap": "111", "users": "330", "instances": "520",
                    "forecast": "130"})
    goals = {
        "cash": add("goals", {"period": "2026-10", "metric": "cash", "goal_target": "110", "owner": "Li Lei",
                              "goal_reason": "price rise landed"})[0],
        "churn": add("goals", {"period": "2026-10", "metric": "churn", "goal_target": "1",
                               "goal_reason": "two projects ended"})[0],
        "rate": add("goals", {"period": "2026-10", "metric": "conversion-rate", "goal_target": "0.1"})[0],
        "overdue": add("goals", {"period": "2026-10", "metric": "tickets-overdue", "goal_target": "0"})[0],
        "nps": add("goals", {"period": "2026-10", "metric": "NPS", "goal_target": "40", "actual": "38",
                             "goal_reason": "slow support replies"})[0],
        "q4": add("goals", {"period": "2026-Q4", "metric": "cash", "goal_target": "400"})[0],
        "next": add("goals", {"period": "2026-11", "metric": "users", "goal_target": "350", "owner": "Han"})[0],
        "other": add("goals", {"period": "2026-09", "metric": "cash", "goal_target": "1"})[0],
    }
    add("churn", {"month": "2026-10", "customer": "Foo Bank", "churn_reason": "moved to a rival"})
    add("churn", {"month": "2026-10", "customer": "Bar Games", "churn_reason": "project ended"})
    add("opportunities", {"month": "2026-10", "customer": "ACME", "reason": "top bank"})
    add("campaigns", {"month": "2026-10", "campaign": "Webinar", "attention": "200", "conversions": "10"})
    add("campaigns", {"month": "2026-10", "campaign": "Double 11", "attention": "800", "conversions": "70"})
    add("tickets", {"month": "2026-10", "category": "backup", "plan": "doc update", "owner": "Li Lei",
                    "due": "2026-10-20"})
    add("tickets", {"month": "2026-10", "category": "billing", "plan": "new alert", "owner": "Wang",
                    "due": "2026-11-18"})
    add("releases", {"name": "Audit log", "planned": "2026-10-10", "released": "2026-10-12", "status": "released",
                     "ops_goal": "50 instances in a month"})
    add("releases", {"name": "PITR", "planned": "2026-10-05"})
    add("releases", {"name": "Vector search", "planned": "2026-11-20"})
    add("deals", {"month": "2026-10", "customer": "Stark Bank", "go_live": "2026-10-15", "status": "live"})
    add("deals", {"month": "2026-10", "customer": "Wayne Retail", "go_live": "2026-11-15",
                  "requirement": "read replicas"})
    add("insights", {"date": "2026-10-12", "lens": "competitor", "text": "Rival cut prices 30 %"})
    add("insights", {"date": "2026-10-13", "lens": "self", "text": "our docs are thin"})
    add("insights", {"date": "2026-11-02", "lens": "market", "text": "next month's, not October's"})
    if clock is not None:  # requests are filed under the month they are entered in
        clock.now, now = datetime(2026, 10, 20, 9, tzinfo=UTC), clock.now
    add("requests", {"title": "Export to Excel", "source_kind": "customer", "source": "ACME"})
    add("requests", {"title": "CDC to Kafka", "source_kind": "partner", "source": "dts"})
    if clock is not None:
        clock.now = now
    # Monday's feedback item noted in a week of October.
    view = services.checklist.open_week(Week(2026, 42), date(2026, 10, 12))
    feedback = next(t for t in view.day(1).tasks if t.key == "mon-launch-feedback")
    services.checklist.set_note(feedback.id, "- users want faster restore\n\n- the console is slow")
    # The same piece of work in three weekly plans, never done; a cross-team line.
    for friday in (date(2026, 10, 9), date(2026, 10, 16), date(2026, 10, 23)):
        compile_plan(services, friday)
        add_plan_line(services, friday, "added", "Migrate the docs site")
    add_plan_line(services, date(2026, 10, 16), "cross_team", "Kernel: review the HA design", owner="Kernel")
    return goals


def _lines(document, section):
    return [MONTHLY.render(ln, "en", {}) if ln.text is None else ln.text for ln in document.section(section)]


@pytest.fixture
def october(services, clock):
    goals = _month(services, clock)
    return services.documents.compile("monthly", "2026-10", TODAY), goals


def test_goals_met_and_missed_with_their_reasons(services, october):
    document, goals = october
    by_source = {ln.source_key: ln for ln in document.section("goals")}
    assert set(by_source) == {f"goal:{goals[k]}" for k in ("cash", "churn", "rate", "overdue", "nps", "q4")}
    cash = by_source[f"goal:{goals['cash']}"].facts
    assert (cash["actual"], cash["met"]) == (120, True)
    churn = by_source[f"goal:{goals['churn']}"].facts  # better lower: 2 churned against at most 1
    assert (churn["actual"], churn["met"], churn["lower_better"], churn["flagged"]) == (2, False, True, False)
    rate = by_source[f"goal:{goals['rate']}"].facts  # 80 of 1000 against 10 %
    assert rate["actual"] == pytest.approx(0.08) and rate["met"] is False and rate["flagged"] is True
    overdue = by_source[f"goal:{goals['overdue']}"].facts  # the backup action was due 2026-10-20
    assert (overdue["actual"], overdue["met"], overdue["flagged"]) == (1, False, True)
    nps = by_source[f"goal:{goals['nps']}"].facts  # not computed: the typed actual
    assert (nps["actual"], nps["met"], nps["computed"]) == (38, False, False)
    q4 = by_source[f"goal:{goals['q4']}"].facts  # the quarter runs on: 120 so far of 400, not yet missed
    assert (q4["actual"], q4["met"], q4["flagged"]) == (120, None, False)
    words = _lines(document, "goals")
    assert "Conversion rate 2026-10: 8.0% against 10.0% — missed ⚑ no reason given" in words
    assert "Churned customers 2026-10: 2 against at most 1 — missed; why: two projects ended" in words


def test_a_quarter_goal_is_computed_over_its_three_months(services):
    _month(services)
    add = services.sheets.add
    cash_q3, _ = add("goals", {"period": "2026-Q3", "metric": "cash", "goal_target": "250"})
    users_q3, _ = add("goals", {"period": "2026-Q3", "metric": "users", "goal_target": "310"})
    results = {g.id: g for g in services.figures.goals(("2026-Q3",), TODAY)}
    assert (results[cash_q3].actual, results[cash_q3].met) == (260, True)  # 70 + 90 + 100, summed
    assert (results[users_q3].actual, results[users_q3].met) == (300, False)  # the last month's, not a sum


def test_figures_against_last_month_and_a_year_before(october):
    document, _ = october
    figures = {ln.facts["metric"]: ln.facts for ln in document.section("figures")}
    assert (figures["cash"]["value"], figures["cash"]["previous"], figures["cash"]["last_year"]) == (120, 100, 80)
    assert (figures["users"]["value"], figures["users"]["previous"], figures["users"]["last_year"]) == (330, 300, 250)
    assert figures["churn"]["value"] == 2 and figures["churn"]["previous"] is None  # September has no record
    words = _lines(document, "figures")
    assert words[0].startswith("Cash revenue: 120 (+20.0% on last month's 100; +50.0% on a year before, 80)")


def test_every_section_is_drafted_from_the_months_data(october):
    document, _ = october
    achievements = _lines(document, "achievements")
    assert achievements[0].startswith("Cash revenue 2026-10: 120 against 110 — met")
    assert "Audit log: released 2026-10-12" in achievements
    assert "Stark Bank: live since 2026-10-15" in achievements
    assert achievements.index("Double 11: 70 conversions (8.8%)") < achievements.index("Webinar: 10 conversions (5.0%)")
    problems = _lines(document, "problems")
    assert "Cash 120 under the forecast of 130 — cause: ＿＿; impact: ＿＿; remedy: ＿＿" in problems
    assert "Customer lost: Foo Bank — cause: moved to a rival; impact: ＿＿; remedy: ＿＿" in problems
    assert "Ticket action overdue: backup (due 2026-10-20) — cause: ＿＿; impact: ＿＿; remedy: doc update" in problems
    assert any(p.startswith("Release slipped: PITR (planned 2026-10-05)") for p in problems)
    assert any(p.startswith("In 3 weekly plans without being done: Migrate the docs site") for p in problems)
    assert any(p.startswith("Goal missed: NPS 2026-10, 38 against 40 — cause: slow support replies") for p in problems)
    next_month = {ln.kind: ln for ln in document.section("next_month")}
    outlook = {ln.kind: ln for ln in document.section("outlook")}  # next month's goals close the summary
    assert MONTHLY.render(outlook["next_goal"], "en") == "Users 2026-11: 350"
    assert next_month["next_deal"].due == date(2026, 11, 15)
    assert next_month["next_release"].due == date(2026, 11, 20)
    assert (next_month["next_ticket"].owner, next_month["next_ticket"].due) == ("Wang", date(2026, 11, 18))
    feedback = _lines(document, "feedback")
    # Where customers speak first (tickets, why they left, what they asked), then the PM's notes.
    assert feedback[-2:] == ["2026-10-12 users want faster restore", "2026-10-12 the console is slow"]
    assert feedback.index("Foo Bank: moved to a rival") < feedback.index("2026-10-12 the console is slow")
    assert "Foo Bank: moved to a rival" in feedback and "Export to Excel · from ACME" in feedback
    assert _lines(document, "market") == ["competitor: Rival cut prices 30 %"]
    product = _lines(document, "product")
    assert product[0] == "Audit log: released 2026-10-12; Operations goal and strategy: 50 instances in a month"
    assert any(p.startswith("Instances: 520") for p in product)
    assert _lines(document, "team") == ["Kernel: review the HA design", "CDC to Kafka · from dts"]


def test_edits_survive_a_recompile_and_new_data_comes_in_marked(services, october):
    document, _ = october
    documents = services.documents
    problem = next(ln for ln in document.section("problems") if ln.facts.get("what") == "under_forecast")
    mine = "Cash 120 under the forecast of 130 — cause: two deals slipped; impact: -10; remedy: chase"
    documents.edit_line(problem.id, mine)
    analysis = documents.add_line("monthly", "2026-10", TODAY, "figures", "Growth came from the banks")
    services.sheets.add("churn", {"month": "2026-10", "customer": "Late Co", "churn_reason": "price"})
    again = documents.compile("monthly", "2026-10", TODAY)
    assert next(ln for ln in again.lines if ln.id == problem.id).text == mine
    assert next(ln for ln in again.lines if ln.id == analysis).text == "Growth came from the banks"
    fresh = [ln for ln in again.section("problems") if again.is_new(ln)]
    assert [ln.facts["customers"] for ln in fresh] == [["Late Co"]]  # a new reason: a new line


def test_the_summary_in_markdown_with_charts_whose_numbers_match_their_tables(services, october):
    document, _ = october
    first, last = "2025-11", "2026-10"
    charts = services.figures.charts(first, last, TODAY)
    from pmweek.domain.charts import chart_markdown

    text = document_markdown(MONTHLY, document, "en", after={"figures": "\n".join(chart_markdown(c, "en")
                                                                                  for c in charts)})
    blocks = re.findall(r"```mermaid\n(.*?)```", text, re.DOTALL)
    assert len(blocks) == len(CHARTS)
    revenue = _parse_xychart(blocks[0])
    assert revenue["title"] == "Revenue: cash, GAAP and forecast"
    assert revenue["x"] == ["2026-07", "2026-08", "2026-09", "2026-10"]  # months with no figure are left out
    assert [kind for kind, _ in revenue["series"]] == ["bar", "line", "line"]
    table = _table_after(text, blocks[0])
    assert [row[0] for row in table] == revenue["x"]
    for i, (_, values) in enumerate(revenue["series"]):
        for row, value in zip(table, values, strict=True):
            assert row[i + 1] == ("—" if value == 0 and row[i + 1] == "—" else _num(value))
    assert [row[3] for row in table] == ["—", "—", "—", "130"]  # the forecast only in October
    conversion = _parse_xychart(blocks[3])
    assert conversion["series"] == [("line", [8.0])]  # a rate, in percent
    assert text.index("## Data and analysis") < text.index("```mermaid") < text.index("## Achievements")


def _num(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def _parse_xychart(block: str) -> dict:
    """The structure of an xychart-beta block, read as Mermaid reads it."""
    lines = [ln.strip() for ln in block.strip().splitlines()]
    assert lines[0] == "xychart-beta"
    out: dict = {"series": []}
    for line in lines[1:]:
        if m := re.fullmatch(r'title "([^"]*)"', line):
            out["title"] = m.group(1)
        elif m := re.fullmatch(r"x-axis \[(.*)\]", line):
            out["x"] = re.findall(r'"([^"]*)"', m.group(1))
        elif re.fullmatch(r'y-axis "[^"]*"', line):
            out["y"] = True
        elif m := re.fullmatch(r"(bar|line) \[(.*)\]", line):
            out["series"].append((m.group(1), [float(v) for v in m.group(2).split(", ")]))
        else:
            raise AssertionError(f"not xychart-beta: {line}")
    assert out["y"] and all(len(v) == len(out["x"]) for _, v in out["series"])
    return out


def _table_after(text: str, block: str) -> list[list[str]]:
    rest = text[text.index(block) + len(block):]
    rows = [ln for ln in rest.splitlines() if ln.startswith("| ")]
    body = []
    for ln in rows[1:]:
        cells = [c.strip() for c in ln.strip("|").split("|")]
        if not re.fullmatch(r"\d{4}-\d{2}", cells[0]):
            break
        body.append(cells)
    return body


def test_export_report_month_from_the_command_line(pm):
    pm("add", "revenue", "--month", "2026-09", "--cash", "100")
    pm("add", "revenue", "--month", "2026-10", "--cash", "90", "--forecast", "100")
    rc, _, err = pm("add", "goals", "--period", "2026-10", "--metric", "cash", "--target", "95")
    assert rc == 0, err
    rc, out, err = pm("export", "report", "month", "2026-10")
    assert rc == 0, err
    assert out.startswith("# Monthly summary, 2026-10 (2026-10-01 – 2026-10-31)")
    assert "- Cash revenue 2026-10: 90 against 95 — missed ⚑ no reason given" in out
    assert "```mermaid\nxychart-beta" in out
    rc, bare, _ = pm("export", "report", "month", "2026-10", "--charts", "none")
    assert "```mermaid" not in bare and "- Cash revenue 2026-10: 90 against 95" in bare
    # On 2026-11-05 the month being summed up by default is October.
    assert pm("export", "report", "month", "--charts", "none")[1] == bare
    rc, _, err = pm("export", "report", "month", "2026-13")
    assert rc == 2 and err == "pmweek: '2026-13' is not a month like 2026-10\n"
    rc, _, err = pm("export", "report", "month", "--for", "da")
    assert rc == 2 and "--for" in err and "\n" == err[-1] and err.count("\n") == 1


def test_chart_from_the_command_line(pm, tmp_path):
    for month, cash in (("2026-08", "90"), ("2026-09", "100"), ("2026-10", "120")):
        pm("add", "revenue", "--month", month, "--cash", cash, "--gaap", cash)
    rc, out, err = pm("chart", "revenue")  # piped: no colour codes
    assert rc == 0, err
    lines = out.splitlines()
    assert lines[:2] == ["Revenue: cash, GAAP and forecast", "━ Cash revenue  ━ GAAP revenue  ━ Forecast"]
    assert "\x1b" not in out and "2026-08" in out and "2026-10" in out
    rc, md, _ = pm("chart", "revenue", "--from", "2026-09", "--to", "2026-10", "--format", "md")
    assert _parse_xychart(re.search(r"```mermaid\n(.*?)```", md, re.DOTALL).group(1))["series"][0] == (
        "bar", [100.0, 120.0])
    rc, out, _ = pm("chart", "conversion")
    assert rc == 0 and out == "Campaign conversion rate (%)\nNo figures recorded in this range.\n"
    rc, _, err = pm("chart", "users", "--from", "2026-10", "--to", "2026-01")
    assert rc == 2 and err == "pmweek: --from 2026-10 is after --to 2026-01\n"
    rc, _, err = pm("chart", "revenue", "-o", str(tmp_path / "pm.db"), "--force")  # the database itself
    assert rc != 0 and err.count("\n") == 1 and (tmp_path / "pm.db").read_bytes().startswith(b"SQLite format 3")


def test_a_week_across_two_months_gives_each_note_to_its_own_month(services):
    """2026-W53 runs from Monday 12-28 to Friday 2027-01-01: Monday's feedback belongs to
    December's summary, not January's."""
    view = services.checklist.open_week(Week(2026, 53), date(2026, 12, 28))
    feedback = next(t for t in view.day(1).tasks if t.key == "mon-launch-feedback")
    services.checklist.set_note(feedback.id, "customers ask for a year-end report")
    december = services.documents.compile("monthly", "2026-12", date(2027, 1, 4))
    january = services.documents.compile("monthly", "2027-01", date(2027, 2, 1))
    assert "2026-12-28 customers ask for a year-end report" in _lines(december, "feedback")
    assert not [ln for ln in _lines(january, "feedback") if "year-end report" in ln]


def test_on_the_month_s_last_workday_a_goal_is_judged_as_the_month_ends(services):
    """Monday 2026-11-30 is November's last workday, the day the app says to write the
    summary: a goal not reached is missed, and a problem, not "so far"."""
    services.sheets.add("revenue", {"month": "2026-11", "cash": "90"})
    services.sheets.add("goals", {"period": "2026-11", "metric": "cash", "goal_target": "100"})
    friday = services.documents.preview("monthly", "2026-11", date(2026, 11, 27))
    assert "so far" in _lines(friday, "goals")[0]
    monday = services.documents.preview("monthly", "2026-11", date(2026, 11, 30))
    assert _lines(monday, "goals")[0].startswith("Cash revenue 2026-11: 90 against 100 — missed")
    assert any(p.startswith("Goal missed: Cash revenue 2026-11") for p in _lines(monday, "problems"))


def test_deals_count_in_the_month_they_went_live_and_a_release_moved_out_is_a_problem(services):
    add = services.sheets.add
    add("deals", {"month": "2026-10", "customer": "Entered in October", "go_live": "2026-11-12", "status": "live"})
    add("deals", {"month": "2026-10", "customer": "Live in October", "go_live": "2026-10-20", "status": "live"})
    moved, _ = add("releases", {"name": "Vector search", "planned": "2026-11-20"})
    services.sheets.edit("releases", moved, {"planned": "2026-12-05"})
    october = services.documents.preview("monthly", "2026-10", date(2026, 11, 5))
    achievements = "\n".join(_lines(october, "achievements"))
    assert "Live in October" in achievements and "Entered in October" not in achievements
    monthly = services.figures.monthly("2026-10", "2026-11", date(2026, 11, 30))
    assert monthly["deals-live"] == {"2026-10": 1, "2026-11": 1}
    november = services.documents.preview("monthly", "2026-11", date(2026, 11, 30))
    assert any("Vector search" in p and "was 2026-11-20" in p for p in _lines(november, "problems"))


def test_a_rate_moves_in_percentage_points(services):
    add = services.sheets.add
    add("campaigns", {"month": "2026-10", "campaign": "A", "attention": "1000", "conversions": "57"})
    add("campaigns", {"month": "2026-11", "campaign": "B", "attention": "1000", "conversions": "21"})
    november = services.documents.preview("monthly", "2026-11", date(2026, 11, 30))
    (rate,) = [ln for ln in _lines(november, "figures") if ln.startswith("Conversion rate")]
    assert "-3.6 pt on last month's 5.7%" in rate and "%" not in rate.split("pt")[0].split("(")[1]


def test_churn_is_one_problem_a_reason_with_its_customers_counted(services):
    for customer, reason in (("A", "price"), ("B", "Price "), ("C", "price"), ("D", "price"), ("E", "moved to a rival")):
        services.sheets.add("churn", {"month": "2026-11", "customer": customer, "churn_reason": reason})
    november = services.documents.preview("monthly", "2026-11", date(2026, 11, 30))
    problems = [p for p in _lines(november, "problems") if "lost" in p]
    assert problems == [
        "4 customers lost (A, B, C and 1 more) — cause: price; impact: ＿＿; remedy: ＿＿",
        "Customer lost: E — cause: moved to a rival; impact: ＿＿; remedy: ＿＿",
    ]
    feedback = _lines(november, "feedback")
    assert "price: 4 churned customers (A, B, C and 1 more)" in feedback and "E: moved to a rival" in feedback


def test_what_repeats_is_grouped_by_owner_and_value(services):
    """Late ticket actions are one problem an owner, next month's are one line an owner
    with the first date, many go-lives one line naming the largest, an insight heard twice
    one line naming both sources, a request asked by three partner products one line."""
    add = services.sheets.add
    for category, owner, due in (("audit", "Liu", "2026-11-19"), ("monitoring", "Liu", "2026-11-22"),
                                 ("permissions", "Liu", "2026-11-23"), ("network", "Wang", "2026-11-18")):
        add("tickets", {"month": "2026-11", "category": category, "owner": owner, "due": due, "plan": "fix"})
    for category, owner, due in (("billing", "Han", "2026-12-16"), ("storage", "Han", "2026-12-02")):
        add("tickets", {"month": "2026-11", "category": category, "owner": owner, "due": due})
    for i, (customer, target) in enumerate((("Small Co", "10"), ("Big Bank", "900"), ("Mid Retail", "300"),
                                            ("Tiny Games", "5"))):
        add("deals", {"month": "2026-11", "customer": customer, "target": target, "go_live": f"2026-12-0{i + 2}"})
    for source in ("analyst report", "sales"):
        add("insights", {"date": "2026-11-10", "lens": "market", "text": "Education budgets shrink", "source": source})
    for source in ("dts", "dms", "das"):
        add("requests", {"month": "2026-11", "title": "Slow-query export", "source_kind": "partner", "source": source})
    november = services.documents.preview("monthly", "2026-11", date(2026, 11, 30))
    problems = _lines(november, "problems")
    assert [p for p in problems if "overdue" in p] == [
        "3 ticket actions overdue (audit, monitoring, permissions), the first due 2026-11-19 — "
        "cause: ＿＿; impact: ＿＿; remedy: ＿＿",
        "Ticket action overdue: network (due 2026-11-18) — cause: ＿＿; impact: ＿＿; remedy: fix",
    ]
    assert [ln.owner for ln in november.section("problems") if "overdue" in ln.facts.get("what", "")] == ["Liu", "Wang"]
    upcoming = _lines(november, "next_month")
    assert "4 DA deals go live, the first on 2026-12-02; the largest: Big Bank, Mid Retail, Small Co and 1 more" \
        in upcoming
    assert "2 ticket actions due: storage, billing" in upcoming  # the first due first
    assert _lines(november, "market") == ["market: Education budgets shrink (analyst report, sales)"]
    assert _lines(november, "team") == ["Slow-query export · from dts, dms, das"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_demo_month_s_draft_fits_its_budget_and_counts_what_it_cut(tmp_path, lang):
    """The demo's November summed up on its last workday: at most 100 non-blank lines
    with its charts, whatever was left out counted; `--full` gives it all."""
    from pmweek.cli import main
    from pmweek.services import open_services
    from pmweek.services.demo import fill

    db = tmp_path / "pm.db"
    services = open_services(f"sqlite:///{db}", lang)
    fill(services.engine, 0.25, date(2026, 11, 30), lang, user=services.user)
    services.close()

    def export(*extra):
        import contextlib
        import io

        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            assert main(["--db", str(db), "--lang", lang, "--date", "2026-11-30", "export", "report", "month",
                         "2026-11", *extra]) == 0
        return out.getvalue()

    draft, full = export(), export("--full")
    lines = [ln for ln in draft.splitlines() if ln.strip()]
    assert len(lines) <= 100, len(lines)
    assert "```mermaid" in draft  # the charts the budget has room for
    counted = "more charts" if lang == "en" else "张图"
    assert counted in draft and full.count("```mermaid") > draft.count("```mermaid")
    assert len([ln for ln in full.splitlines() if ln.strip()]) > len(lines)
    for heading in ("## ", ):
        assert draft.count(heading) >= 9  # every section still there


def test_a_line_s_owner_date_and_lateness_read_as_the_plan_says_them(services):
    """The same words beside a line on every screen and export: a cross-team line names
    its team, a deal its go-live (not a due date), a date passed undone says overdue."""
    from pmweek.domain.documents.engine import Line, line_marks
    from pmweek.i18n import tr

    def said(line, today):
        return [tr("zh", key, **values) for key, values in line_marks(MONTHLY, line, today)]

    cross = Line(1, "team", 0, "plan", {"text": "review the HA design"}, owner="文档团队", due=date(2026, 12, 2))
    assert said(cross, date(2026, 12, 1)) == ["团队：文档团队", "截止 2026-12-02"]
    assert said(cross, date(2026, 12, 3))[-1] == "已逾期"
    deal = Line(2, "next_month", 0, "next_deal", {"customer": "远航银行"}, due=date(2026, 12, 13))
    assert said(deal, date(2026, 11, 30)) == ["上线 2026-12-13"]
    services.sheets.add("deals", {"month": "2026-11", "customer": "Acme", "go_live": "2026-12-13"})
    md = document_markdown(MONTHLY, services.documents.compile("monthly", "2026-11", date(2026, 11, 30)), "en")
    assert "- Acme goes live _(go-live 2026-12-13)_" in md


def test_an_export_of_a_document_the_data_moved_on_from_says_when_it_was_drafted(services, clock):
    from datetime import timedelta

    services.sheets.add("revenue", {"month": "2026-11", "cash": "100"})
    saved = services.documents.compile("monthly", "2026-11", date(2026, 11, 30))
    assert services.documents.preview("monthly", "2026-11", date(2026, 11, 30)).compiled_at == saved.compiled_at
    clock.now = clock.now + timedelta(days=1)
    services.sheets.add("churn", {"month": "2026-11", "customer": "Foo", "churn_reason": "price"})
    fresh = services.documents.preview("monthly", "2026-11", date(2026, 11, 30))
    assert fresh.compiled_at == clock.now and fresh.compiled_at != saved.compiled_at
