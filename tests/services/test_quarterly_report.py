"""The quarterly report and OKRs: a quarter with one large project (three phases, one
late) and three small projects under one objective with two key results (one on a
computed metric moving from its start, one typed), tasks linked to checklist items,
releases, plan lines and projects; every section, progress and scores, edits kept
across a recompile, the Markdown in both languages and the command line."""

from __future__ import annotations

from datetime import date

import pytest

from pmweek.domain.calendar import Week
from pmweek.domain.documents import KINDS
from pmweek.errors import InputError
from pmweek.export.markdown import document_markdown
from tests.plans import add_plan_line

QUARTERLY = KINDS["quarterly"]
TODAY = date(2027, 1, 6)  # the fourth quarter is over: its report is being written
GROW = "Grow self-serve"


def _quarter(services):
    add = services.sheets.add
    for month, cash, users in (("2026-07", "100", "260"), ("2026-08", "100", "280"), ("2026-09", "100", "300"),
                               ("2026-10", "120", "330"), ("2026-11", "130", "350"), ("2026-12", "150", "360")):
        add("revenue", {"month": month, "cash": cash, "users": users, "instances": "500", "forecast": "125"})
    add("objectives", {"quarter": "2026-Q4", "objective": GROW, "axis": "user_value", "owner": "Li"})
    ids = {
        "users": add("goals", {"period": "2026-Q4", "metric": "users", "goal_start": "300", "goal_target": "400",
                               "objective": GROW, "owner": "Li"})[0],
        "nps": add("goals", {"period": "2026-Q4", "metric": "NPS", "goal_start": "30", "goal_target": "50",
                             "actual": "45", "objective": " grow SELF-serve "})[0],
        # A goal of the quarter that serves no objective is no key result.
        "cash": add("goals", {"period": "2026-Q4", "metric": "cash", "goal_target": "390"})[0],
    }
    add("objectives", {"quarter": "2027-Q1", "objective": "Win the banks", "axis": "business_value"})
    add("goals", {"period": "2027-Q1", "metric": "deals-live", "goal_start": "0", "goal_target": "3",
                  "objective": "Win the banks"})
    add("releases", {"name": "PITR", "planned": "2026-11-01", "released": "2026-11-03", "status": "released"})
    add("releases", {"name": "Audit log", "planned": "2026-12-20"})  # not out: its task is open
    add("releases", {"name": "Vector search", "planned": "2027-02-10"})
    add("requests", {"title": "CDC to Kafka", "source": "dts", "needed_by": "2027-03-01", "status": "accepted"})
    add("requests", {"title": "Old ask", "needed_by": "2027-03-02", "status": "declined"})
    # The large project and its three phases, the last one late.
    add("projects", {"project": "Backup 2.0", "start": "2026-10-01", "end": "2026-12-31", "size": "large",
                     "status_quo": "nightly dumps", "problem": "restores take hours", "analysis": "no PITR",
                     "before": "restore a dump", "after": "restore to a second", "features": "PITR, audit",
                     "hard_parts": "WAL archiving at scale", "benefit_kind": "risk",
                     "benefit": "restores from 4 h to 5 min", "releases": "pitr, Unknown"})
    for phase, start, end, actual_end in (("design", "2026-10-01", "2026-10-20", "2026-10-18"),
                                         ("build", "2026-10-21", "2026-11-30", "2026-11-30"),
                                         ("roll-out", "2026-12-01", "2026-12-15", "2026-12-29")):
        add("phases", {"project": "backup 2.0", "phase": phase, "planned_start": start, "planned_end": end,
                       "actual_start": start, "actual_end": actual_end})
    add("phases", {"project": "Backup 2.0", "phase": "a year before", "planned_start": "2025-10-01"})
    for name, start, end in (("Faster sign-up", "2026-10-05", "2026-10-20"), ("Pricing page", "2026-11-02",
                                                                            "2026-11-10"),
                             ("Onboarding mails", "2026-12-01", "2026-12-12")):
        add("projects", {"project": name, "start": start, "end": end, "size": "small", "objective": GROW,
                         "problem": f"{name}: users stall", "benefit": "more sign-ups"})
    add("projects", {"project": "Last year", "start": "2025-10-01", "end": "2025-12-01", "size": "small"})
    view = services.checklist.open_week(Week(2026, 46), date(2026, 11, 9))
    item = next(t for t in view.day(1).tasks if t.key == "mon-opportunities-churn")  # in either language
    services.checklist.toggle(item.id)
    # Tasks: typed, linked to a release, a checklist item, a plan line and a project.
    tasks = {
        "typed": add("tasks", {"quarter": "2026-Q4", "kr": "users", "task": "Interview ten users"})[0],
        "release": add("tasks", {"quarter": "2026-Q4", "kr": "Users", "task": "PITR", "link": "release"})[0],
        "open": add("tasks", {"quarter": "2026-Q4", "kr": "users", "task": "Audit log", "link": "release"})[0],
        "item": add("tasks", {"quarter": "2026-Q4", "kr": "NPS", "task": item.title, "link": "item"})[0],
        "plan": add("tasks", {"quarter": "2026-Q4", "kr": "NPS", "task": "ship the HA guide ", "link": "plan"})[0],
        "project": add("tasks", {"quarter": "2026-Q4", "kr": "NPS", "task": "Backup 2.0", "link": "project"})[0],
    }
    # A plan made on 2026-11-13 for the week of 11-16: its line ticked on that Monday.
    line = add_plan_line(services, date(2026, 11, 13), "added", "Ship the HA guide")
    services.documents.toggle_done(line)
    add("insights", {"date": "2026-10-12", "lens": "competitor", "text": "Rival cut prices"})
    add("insights", {"date": "2026-11-12", "lens": "competitor", "text": "Rival ships PITR"})
    add("insights", {"date": "2026-12-01", "lens": "self", "text": "our docs are thin"})
    services.documents.set_responsibilities("Own the backup product line\n\n  Grow self-serve revenue  ")
    return ids, tasks


def _lines(document, section):
    return [("  " * QUARTERLY.depth(ln)) + (QUARTERLY.render(ln, "en", {}) if ln.text is None else ln.text)
            for ln in document.section(section)]


@pytest.fixture
def q4(services):
    ids, tasks = _quarter(services)
    return services.documents.compile("quarterly", "2026-Q4", TODAY), ids, tasks


def test_key_results_measure_progress_from_their_start(services, q4):
    _, ids, tasks = q4
    (objective,) = services.okrs.objectives("2026-Q4", TODAY)
    assert (objective.text, objective.axis, objective.owner) == (GROW, "user_value", "Li")
    users, nps = objective.krs
    # users computed from the revenue table: 360 at the quarter's end, from 300 toward 400.
    assert (users.goal.id, users.goal.actual, users.progress) == (ids["users"], 360, pytest.approx(0.6))
    assert (nps.goal.id, nps.goal.actual, nps.progress) == (ids["nps"], 45, pytest.approx(0.75))
    assert objective.progress == pytest.approx(0.675)
    assert users.goal.proposed_score == 0.6 and nps.goal.proposed_score == 0.8
    done = {t.id: t.done for kr in objective.krs for t in kr.tasks}
    assert done == {tasks["typed"]: False, tasks["release"]: True, tasks["open"]: False, tasks["item"]: True,
                    tasks["plan"]: True, tasks["project"]: True}
    assert services.okrs.toggle_task(tasks["typed"]) is True
    assert [t.done for t in services.okrs.objectives("2026-Q4", TODAY)[0].krs[0].tasks][0] is True
    with pytest.raises(InputError):  # a linked task follows what it links to
        services.okrs.toggle_task(tasks["release"])


def test_scoring_keeps_the_review_and_refuses_what_is_no_key_result(services, q4):
    _, ids, _ = q4
    services.okrs.score(ids["users"], "60%", "sign-ups grew, activation did not")
    users = services.okrs.objectives("2026-Q4", TODAY)[0].krs[0].goal
    assert (users.score, users.review) == (0.6, "sign-ups grew, activation did not")
    for bad in ("1.2", "-0.1", "lots"):
        with pytest.raises(InputError):
            services.okrs.score(ids["nps"], bad)
    with pytest.raises(InputError) as err:
        services.okrs.score(ids["cash"], "0.5")
    assert "key result" in err.value.message()
    assert services.sheets.row("goals", ids["cash"]).values["score"] is None
    document = services.documents.compile("quarterly", "2026-Q4", TODAY)
    assert "score 0.6: sign-ups grew, activation did not" in _lines(document, "okrs")[1]
    assert "proposed score 0.8" in _lines(document, "okrs")[5]


def test_every_section_is_drafted_from_the_quarter(q4):
    document, _, _ = q4
    assert _lines(document, "responsibilities") == ["Own the backup product line", "Grow self-serve revenue"]
    projects = _lines(document, "projects")
    assert projects[0] == "Backup 2.0 (2026-10-01 – 2026-12-31, 92 days)"
    assert projects[1] == ("  Background: Business status quo: nightly dumps; Problem: restores take hours; "
                           "Analysis: no PITR")
    assert projects[2].startswith("  Solution: Process before: restore a dump; Process after: restore to a second")
    assert projects[3:6] == [
        "    Phase design: planned 2026-10-01 – 2026-10-20; actual 2026-10-01 – 2026-10-18",
        "    Phase build: planned 2026-10-21 – 2026-11-30; actual 2026-10-21 – 2026-11-30",
        "    Phase roll-out: planned 2026-12-01 – 2026-12-15; actual 2026-12-01 – 2026-12-29 (14 days late)",
    ]  # the phase of a year before belongs to no project of this quarter
    assert projects[6] == "  Shipped: PITR (2026-11-03)"
    assert projects[7] == ("  Benefit (risk): restores from 4 h to 5 min; the quarter's figures: Cash revenue 400 "
                           "(+33.3% on last quarter), Users 360 (+20.0% on last quarter), Instances 500 "
                           "(+0.0% on last quarter)")
    okrs = _lines(document, "okrs")
    assert okrs[0] == "O: Grow self-serve (user value) ███████░░░ 68%"
    assert okrs[1].startswith("  KR: Users from 300 to 400, now 360 ██████░░░░ 60%")
    assert okrs[2:5] == ["    ☐ Interview ten users", "    ✓ PITR (release)", "    ☐ Audit log (release)"]
    assert okrs[5].startswith("  KR: NPS from 30 to 50, now 45 ████████░░ 75%")
    assert okrs[6:9] == ["    ✓ Review opportunities and churn (checklist item)", "    ✓ ship the HA guide (plan line)",
                         "    ✓ Backup 2.0 (project)"]
    # A small project answers the six questions, a blank where its record says nothing.
    assert okrs[9:] == [f"  Small project {n} ({s} – {e}): why: ＿＿; for whom: ＿＿; the pain: {n}: users stall; "
                        f"what we did: ＿＿; how it was planned: {s} – {e}; the effect: more sign-ups"
                        for n, s, e in (("Faster sign-up", "2026-10-05", "2026-10-20"),
                                        ("Pricing page", "2026-11-02", "2026-11-10"),
                                        ("Onboarding mails", "2026-12-01", "2026-12-12"))]
    assert _lines(document, "figures") == [
        "2026-10: Cash revenue 120 (forecast 125 96%); Users 330; Instances 500",
        "2026-11: Cash revenue 130 (forecast 125 104%); Users 350; Instances 500",
        "2026-12: Cash revenue 150 (forecast 125 120%); Users 360; Instances 500",
    ]
    assert _lines(document, "planning") == [
        "O: Win the banks (business value)", "  KR: DA deals gone live from 0 to 3", "Vector search is released",
        "CDC to Kafka · from dts",
    ]
    assert _lines(document, "growth") == [  # drafted from what the quarter shows
        "Releases shipped (1): PITR",
        "Led the large project Backup 2.0; small projects Faster sign-up, Pricing page, Onboarding mails",
        "Insights this quarter by lens: competitor 2, self 1"]


def test_edits_survive_a_recompile_and_a_new_key_result_goes_under_its_objective(services, q4):
    document, ids, _ = q4
    documents = services.documents
    first_kr = next(ln for ln in document.section("okrs") if ln.source_key == f"kr:{ids['users']}")
    documents.edit_line(first_kr.id, "Users: 360 of 400, the sign-up flow did it")
    growth = documents.add_line("quarterly", "2026-Q4", TODAY, "growth", "Learned to run pricing interviews")
    phase = next(ln for ln in document.section("projects") if ln.kind == "phase")
    documents.toggle_dropped(phase.id)
    kr = services.sheets.add("goals", {"period": "2026-Q4", "metric": "conversions", "goal_start": "10",
                                       "goal_target": "20", "objective": GROW})[0]
    again = documents.compile("quarterly", "2026-Q4", TODAY)
    okrs = again.section("okrs")
    assert okrs[1].text == "Users: 360 of 400, the sign-up flow did it"
    # The new key result comes right after the last task of the objective's key results,
    # before the small projects, and is marked new.
    keys = [ln.source_key for ln in okrs]
    assert keys.index(f"kr:{kr}") == keys.index("small:" + keys[-3].split(":")[1]) - 1
    assert again.is_new(okrs[keys.index(f"kr:{kr}")])
    assert [ln.text for ln in again.section("growth") if ln.id == growth] == ["Learned to run pricing interviews"]
    assert next(ln for ln in again.section("projects") if ln.id == phase.id).dropped
    assert [QUARTERLY.depth(ln) for ln in okrs] == [0, 1, 2, 2, 2, 1, 2, 2, 2, 1, 1, 1, 1]


def test_the_markdown_reads_in_both_languages_with_nesting(services, q4):
    document, _, _ = q4
    en = document_markdown(QUARTERLY, document, "en")
    assert en.startswith("# Quarterly report, 2026-Q4 (2026-10-01 – 2026-12-31)")
    # The large project is a subsection: background, solution and benefit under headings.
    assert "## Projects\n\n### Backup 2.0 (2026-10-01 – 2026-12-31, 92 days)\n\n#### Background\n\n" in en
    assert "#### Solution\n\nProcess before: restore a dump;" in en and "\n- Phase design" in en
    assert "#### Benefit (risk)\n\nrestores from 4 h to 5 min; the quarter's figures:" in en
    assert "## Personal growth" in en and "## System planning: next quarter" in en
    zh = document_markdown(QUARTERLY, document, "zh")
    assert "# 季度汇报，2026-Q4" in zh and "## 目标与关键结果（OKR）" in zh
    assert "  - KR：用户数 从 300 到 400，当前 360" in zh and "延期 14 天" in zh and "收益（控险）" in zh


def test_responsibilities_are_kept_per_pm_and_checked(services, q4):
    assert services.documents.responsibilities() == ["Own the backup product line", "Grow self-serve revenue"]
    assert services.for_user("han").documents.responsibilities() == []
    with pytest.raises(InputError):
        services.documents.set_responsibilities("x" * 251)
    with pytest.raises(InputError):
        services.documents.set_responsibilities("\n".join(f"duty {i}" for i in range(21)))
    with pytest.raises(InputError):
        services.documents.set_responsibilities("bell \x07")
    assert services.documents.responsibilities() == ["Own the backup product line", "Grow self-serve revenue"]


def test_the_command_line_prints_the_quarter(pm):
    for args in (["add", "objectives", "--quarter", "2026-Q4", "--text", GROW],
                 ["add", "goals", "--period", "2026-Q4", "--metric", "NPS", "--start", "30", "--target", "50",
                  "--actual", "40", "--objective", GROW]):
        assert pm("--lang", "en", *args)[0] == 0
    rc, out, err = pm("--lang", "en", "--date", "2027-01-06", "export", "report", "quarter", "2026-Q4",
                      "--charts", "none")
    assert rc == 0 and err == ""
    assert "# Quarterly report, 2026-Q4" in out and "  - KR: NPS from 30 to 50, now 40" in out
    # By default, the quarter of the month being summed up: 2026-Q4 in early January.
    assert pm("--lang", "en", "--date", "2027-01-06", "export", "report", "quarter", "--charts", "none")[1] == out
    rc, out, err = pm("--lang", "en", "export", "report", "quarter", "2026-Q5")
    assert rc != 0 and out == "" and err.count("\n") == 1 and "2026-Q5" in err


def test_the_phases_are_drawn_as_a_timeline_with_their_dates_as_a_table(services, q4):
    document, _, _ = q4
    md = document_markdown(QUARTERLY, document, "en", after=_drawn(QUARTERLY, document))
    projects = md[md.index("## Projects"):md.index("## Objectives and key results")]
    assert "```mermaid\ngantt\n    title Project phases\n    dateFormat YYYY-MM-DD\n    section Backup 2.0\n" in projects
    assert "    design :done, 2026-10-01, 2026-10-18\n" in projects
    assert "    roll-out :crit, 2026-12-01, 2026-12-29\n" in projects  # the late phase stands out
    assert "| Backup 2.0 | roll-out | 2026-12-01 | 2026-12-15 | 2026-12-01 | 2026-12-29 | 14 |" in projects
    # A phase the PM dropped from the report leaves the timeline too.
    design = next(ln for ln in document.section("projects") if ln.facts.get("phase") == "design")
    services.documents.toggle_dropped(design.id)
    again = services.documents.saved("quarterly", "2026-Q4")
    assert "design :" not in _drawn(QUARTERLY, again)["projects"]


def test_a_hostile_name_cannot_break_the_timeline():
    from pmweek.domain.charts import Bar, Timeline, timeline_markdown

    def gantt(bars, lang):  # noqa: ANN001, ANN202
        return timeline_markdown(Timeline(tuple(bars)), lang)

    block = gantt([Bar("a:b```\x60", "x;y#z | w", ("2026-10-01", "2026-10-02"), (None, None))], "en")
    mermaid = block[:block.index("```\n") + 4]
    assert mermaid.count("```") == 2  # the fence opens and closes once
    assert "    section a b\n" in mermaid and "    x y z | w :2026-10-01, 2026-10-02\n" in mermaid
    assert "| a:b\\`\\`\\`\\` | x;y#z \\| w | 2026-10-01 | 2026-10-02 |  |  |  |" in block
    # A name that starts with one of the gantt's own words, or hides Markdown, stays a name.
    block = gantt([Bar("P", "Title and copy review", ("2026-10-01", "2026-10-02"), (None, None)),
                   Bar("<!-- x", "Section 508 audit", ("2026-10-03", "2026-10-04"), (None, None)),
                   Bar("P", "%%{init}", ("2026-10-05", "2026-10-06"), (None, None))], "en")
    assert "    · Title and copy review :2026-10-01" in block and "    · Section 508 audit :2026-10-03" in block
    assert "    · %%{init} :2026-10-05" in block and "| \\<!-- x |" in block and "\n| <!--" not in block


def test_the_pool_movers_since_the_last_ranking_are_in_the_plan_for_next_quarter(services, q4):
    cdc = services.sheets.add("requests", {"title": "CDC to Kafka", "reach": "800", "impact": "2",
                                           "confidence": "80", "effort": "4"})[0]
    services.sheets.add("requests", {"title": "Vector search", "reach": "900", "impact": "2", "confidence": "80",
                                     "effort": "4"})
    services.pool.snapshot("2026-Q4", date(2026, 12, 20))
    services.sheets.edit("requests", cdc, {"reach": "2000"})
    document = services.documents.compile("quarterly", "2026-Q4", TODAY)
    assert _lines(document, "planning")[-2:] == ["CDC to Kafka ▲1 since 2026-Q4: Reach (a quarter) 800 → 2000",
                                                 "Vector search ▼1 since 2026-Q4"]


def test_a_quarter_not_recorded_in_full_compares_the_same_months_and_says_so(services):
    """December not yet entered: October–November against July–August, not against
    the whole of Q3 (which would read as a fall of a third)."""
    _quarter(services)
    december = services.sheets.rows("revenue", "2026-12", "2026-12", TODAY)[0]
    services.sheets.delete("revenue", december.id)
    document = services.documents.preview("quarterly", "2026-Q4", date(2026, 12, 31))
    benefit = next(line for line in _lines(document, "projects") if "Benefit" in line)
    assert ("the quarter so far (2026-10 – 2026-11, against 2026-07 – 2026-08): Cash revenue 250 "
            "(+25.0% on last quarter)") in benefit


def test_a_running_total_key_result_starts_from_nothing(services):
    """Cash is summed over the quarter: a key result with no start typed counts from 0,
    two months of 100 against 400 being half way, not unknown."""
    for month in ("2026-10", "2026-11"):
        services.sheets.add("revenue", {"month": month, "cash": "100"})
    services.sheets.add("objectives", {"quarter": "2026-Q4", "objective": "Win the banks"})
    services.sheets.add("goals", {"period": "2026-Q4", "metric": "cash", "goal_target": "400",
                                  "objective": "Win the banks"})
    document = services.documents.preview("quarterly", "2026-Q4", date(2026, 12, 31))
    kr = next(line for line in _lines(document, "okrs") if "KR:" in line)
    assert "Cash revenue from 0 to 400, now 200 █████░░░░░ 50%" in kr


def _drawn(kind, document) -> dict[str, str]:
    """The kind's own figures as the export writes them, by section."""
    from pmweek.domain.charts import figure_markdown

    return {section: figure_markdown(f, "en") for section, f in kind.blocks(document, "en").items()}
