"""The annual plan: goals on the three axes (a key result standing on its objective's),
the pool's top by weighted RICE score and the unscored counted, the roadmap and release
rhythm by quarter, open risks by score with their change since the last review, the OKR
reviews of the quarters that ended, and the pool's moves since the last ranking kept;
edits kept across a recompile; the Markdown with its roadmap timeline; the command line."""

from __future__ import annotations

from datetime import date

import pytest

from pmweek.domain.documents import KINDS
from pmweek.export.markdown import document_markdown

YEARLY = KINDS["yearly"]
TODAY = date(2027, 7, 6)  # the first half is over


def _year(services):
    add = services.sheets.add
    for month, cash, users in (("2027-01", "100", "300"), ("2027-06", "130", "360")):
        add("revenue", {"month": month, "cash": cash, "users": users})
    add("goals", {"period": "2027", "metric": "cash", "goal_target": "1500", "axis": "business_value"})
    add("goals", {"period": "2027", "metric": "users", "goal_target": "500", "axis": "user_value"})
    add("goals", {"period": "2027", "metric": "tickets-overdue", "goal_target": "0", "axis": "maturity"})
    add("objectives", {"quarter": "2027-Q1", "objective": "Grow self-serve", "axis": "user_value"})
    kr = add("goals", {"period": "2027-Q1", "metric": "NPS", "goal_start": "30", "goal_target": "50", "actual": "40",
                       "objective": "Grow self-serve"})[0]
    services.okrs.score(kr, "0.5", "support got slower")
    add("goals", {"period": "2027-Q2", "metric": "conversions", "goal_target": "10", "objective": "Unknown O"})
    pool = {
        "vector": add("requests", {"title": "Vector search", "reach": "2000", "impact": "2", "confidence": "80",
                                   "effort": "4", "weight": "1", "quarter": "2027-Q3", "axis": "maturity"})[0],
        "cdc": add("requests", {"title": "CDC to Kafka", "reach": "800", "impact": "2", "confidence": "80",
                                "effort": "4"})[0],
        "bare": add("requests", {"title": "Audit export"})[0],
    }
    services.pool.snapshot("2027-Q1", date(2027, 1, 4))  # two rankings kept: the moves are measured from the later
    services.sheets.edit("requests", pool["vector"], {"weight": "1.5"})
    services.pool.snapshot("2027-Q2", date(2027, 4, 1))
    services.sheets.edit("requests", pool["cdc"], {"reach": "9000"})  # now above Vector search
    for name, planned, released in (("Logical backup", "2027-01-20", "2027-01-22"), ("PITR", "2027-02-10", None),
                                    ("Audit log", "2027-08-01", None)):
        add("releases", {"name": name, "planned": planned, **({"released": released} if released else {})})
    add("projects", {"project": "Backup 2.0", "start": "2027-02-01", "end": "2027-05-31"})
    add("phases", {"project": "Backup 2.0", "phase": "build", "planned_start": "2027-04-01",
                   "planned_end": "2027-05-01", "actual_start": "2027-04-01", "actual_end": "2027-05-11"})
    risk = add("risks", {"risk": "Key engineer leaves", "likelihood": "2", "severity": "4",
                         "mitigation": "pair on storage", "fallback": "delay the minor", "owner": "Li"})[0]
    services.pool.review_risk(risk, "2", "4", "", "2027-06-30", today=date(2027, 6, 1))
    services.pool.review_risk(risk, "4", "4", "resigned", "2027-07-01", today=date(2027, 6, 20))
    add("risks", {"risk": "Closed already", "likelihood": "5", "severity": "5", "status": "closed"})
    add("risks", {"risk": "Price war", "risk_kind": "market_risk", "likelihood": "1", "severity": "3",
                  "status": "watching"})
    return pool


def _lines(document, section):
    return [("  " * YEARLY.depth(ln)) + (YEARLY.render(ln, "en", {}) if ln.text is None else ln.text)
            for ln in document.section(section)]


@pytest.fixture
def year(services):
    pool = _year(services)
    return services.documents.compile("yearly", "2027", TODAY), pool


def test_every_section_is_drafted_from_the_year(year):
    document, _ = year
    goals = _lines(document, "goals")
    assert goals[0] == "user value"
    assert [g for g in goals if not g.startswith("  ")] == ["user value", "business value", "product maturity",
                                                            "No axis given"]
    assert any(g.startswith("  NPS 2027-Q1: 40") for g in goals[:4])  # on its objective's axis
    assert goals[-1].startswith("  Campaign conversions 2027-Q2")  # its objective was never typed: no axis
    assert _lines(document, "pool") == [
        "#1 CDC to Kafka: 3600 (RICE 3600 × weight 1)",
        "#2 Vector search: 1200 (RICE 800 × weight 1.5) · for 2027-Q3 · product maturity",
        "1 request unscored: give it reach, impact, confidence and effort",
    ]
    roadmap = _lines(document, "roadmap")
    assert roadmap == ["2027-Q1", "  Logical backup is released (released 2027-01-22)", "  PITR is released",
                       "2027-Q2", "  Backup 2.0 · build: 2027-04-01 – 2027-05-01 (10 days late)",
                       "2027-Q3", "  Audit log is released", "  Vector search (weighted score 1200)", "2027-Q4"]
    rhythm = _lines(document, "rhythm")
    assert rhythm[0] == "2027-Q1: 2 releases planned (2027-01 1, 2027-02 1); no release in 2027-03"
    assert rhythm[1] == "2027-Q2: no release planned yet"
    risks = _lines(document, "risks")
    assert risks[0] == ("Key engineer leaves, score 16 (▲8 since the last review): Mitigation: pair on storage; "
                        "Fallback plan: delay the minor; next review 2027-07-01 ⚑")
    assert risks[1].startswith("Price war, score 3:") and len(risks) == 2  # closed risks leave the plan
    assert _lines(document, "okr_reviews") == [
        "2027-Q1: 1 of 1 key results scored, mean 0.5; lowest NPS 0.5: support got slower",
        "2027-Q2: 1 key results, none scored yet",
    ]
    assert _lines(document, "pdca") == ["CDC to Kafka ▲1 since 2027-Q2: Reach (a quarter) 800 → 9000",
                                        "Vector search ▼1 since 2027-Q2"]


def test_each_kept_ranking_stays_as_it_was(services, year):
    q1, q2 = services.pool.kept("2027-Q1"), services.pool.kept("2027-Q2")
    assert [(k.title, k.weighted, k.inputs[-1]) for k in q1[:2]] == [("Vector search", 800, 1), ("CDC to Kafka", 320, None)]
    assert [(k.title, k.weighted, k.inputs[-1]) for k in q2[:2]] == [("Vector search", 1200, 1.5),
                                                                      ("CDC to Kafka", 320, None)]
    assert services.pool.snapshots() == ["2027-Q1", "2027-Q2"]


def test_edits_survive_and_a_new_release_goes_under_its_quarter(services, year):
    document, _ = year
    documents = services.documents
    first = document.section("pool")[0]
    documents.edit_line(first.id, "CDC first: three banks wait for it")
    services.sheets.add("releases", {"name": "Serverless", "planned": "2027-02-20"})
    again = documents.compile("yearly", "2027", TODAY)
    assert again.section("pool")[0].text == "CDC first: three banks wait for it"
    roadmap = _lines(again, "roadmap")
    assert roadmap.index("  Serverless is released") == roadmap.index("2027-Q2") - 1


def test_the_markdown_has_the_roadmap_as_a_timeline(year):
    document, _ = year
    md = document_markdown(YEARLY, document, "en", after=_drawn(YEARLY, document))
    assert md.startswith("# Annual plan, 2027 (2027-01-01 – 2027-12-31)")
    roadmap = md[md.index("## Roadmap"):md.index("## Release rhythm")]
    assert "gantt\n    title Roadmap" in roadmap and "    section 2027-Q1\n    Logical backup :crit, 2027-01-22" in roadmap
    # One column a date or a span, never the same heading twice; the pool's work aimed at a
    # quarter is drawn across it.
    assert "| Quarter | Release, phase or request | Planned | Released | Days late |" in roadmap
    assert "| 2027-Q3 | Audit log | 2027-08-01 |  |  |" in roadmap
    assert "| 2027-Q3 | Vector search | 2027-07-01 – 2027-09-30 |  |  |" in roadmap
    assert "    section 2027-Q3\n    Audit log :2027-08-01, 2027-08-01\n    Vector search :2027-07-01, 2027-09-30" in roadmap
    assert "    section 2027-Q2\n    Backup 2.0 · build :crit, 2027-04-01, 2027-05-11\n" in roadmap
    zh = document_markdown(YEARLY, document, "zh")
    assert "# 年度工作计划，2027" in zh and "## 需求池（RICE）" in zh and "较上次评审 ▲8" in zh


def test_the_command_line_prints_the_year(pm):
    assert pm("add", "requests", "--title", "Vector search", "--reach", "2000", "--impact", "2",
              "--confidence", "80%", "--effort", "4")[0] == 0
    rc, out, err = pm("--lang", "en", "export", "report", "year", "2026", "--charts", "none")
    assert rc == 0 and err == "" and "#1 Vector search: 800" in out
    assert pm("--lang", "en", "--date", "2026-12-01", "export", "report", "year", "--charts", "none")[1].startswith(
        "# Annual plan, 2027")  # in December, next year's plan
    rc, out, err = pm("--lang", "en", "export", "report", "year", "20x7")
    assert rc != 0 and out == "" and err.count("\n") == 1


def test_next_year_s_plan_proposes_goals_and_starts_from_this_year_s_reviews(services):
    """Planned in December for the year ahead: an axis with no goal yet gets a draft
    target from the last twelve months and their change on the same months a year
    before; this year's quarterly reviews are the starting point."""
    add = services.sheets.add
    for i in range(24):  # two years of cash, this one 10 % above the last
        month = f"{2025 + i // 12}-{i % 12 + 1:02d}"
        add("revenue", {"month": month, "cash": "110" if i >= 12 else "100", "users": str(300 + i)})
    add("goals", {"period": "2027", "metric": "users", "goal_target": "500", "axis": "user_value"})
    add("objectives", {"quarter": "2026-Q3", "objective": "Grow self-serve", "axis": "user_value"})
    kr = add("goals", {"period": "2026-Q3", "metric": "NPS", "goal_start": "30", "goal_target": "50",
                       "actual": "40", "objective": "Grow self-serve"})[0]
    services.okrs.score(kr, "0.5", "support got slower")
    plan = services.documents.preview("yearly", "2027", date(2026, 12, 20))
    goals = _lines(plan, "goals")
    assert ("  Proposed: Cash revenue 1452 (the last twelve months, 2026-01 – 2026-12: 1320, +10.0% on the twelve "
            "before) — a draft target from this year's actuals and trend: set yours in the goals table") in goals
    assert not [g for g in goals if "Proposed: Users" in g]  # the PM set that axis's goal already
    assert "  Users 2027: 500" in " ".join(goals) or any(g.startswith("  Users 2027") for g in goals)
    reviews = _lines(plan, "okr_reviews")
    assert [r[:7] for r in reviews] == ["2026-Q1", "2026-Q2", "2026-Q3"]  # Q4 has not ended on 12-20
    assert reviews[2].startswith("2026-Q3: 1 of 1 key results scored, mean 0.5")


def _drawn(kind, document) -> dict[str, str]:
    """The kind's own figures as the export writes them, by section."""
    from pmweek.domain.charts import figure_markdown

    return {section: figure_markdown(f, "en") for section, f in kind.blocks(document, "en").items()}
