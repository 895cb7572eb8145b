"""The weekly report written for each reader: one week with facts for every reader, and
what each variant holds and must not hold; the budget of lines and the count of what was
cut; what happened instead of routine titles; the why of each figure."""

from __future__ import annotations

from datetime import date

import pytest

from pmweek.domain.calendar import Week
from pmweek.domain.documents import KINDS
from pmweek.domain.documents.readers import BUDGET, FULL_BUDGET, find_reader
from pmweek.domain.documents.view import variant
from pmweek.export.markdown import document_markdown
from tests.plans import compile_plan

W48, FRI = Week(2026, 48), date(2026, 11, 27)
WEEKLY = KINDS["weekly"]
MESSAGE = "PITR slipped two weeks; the migration toolkit is what we sell now"


@pytest.fixture
def week(services, clock):
    """A week with something for every reader; rows entered on Tuesday of the week."""
    from datetime import datetime, timezone

    add, checklist = services.sheets.add, services.checklist
    view = checklist.open_week(W48, FRI)
    meeting, profile, revenue_item = view.day(1).tasks[1], view.day(1).tasks[6], view.day(4).tasks[1]
    checklist.toggle(meeting.id)
    checklist.set_note(meeting.id, "HA design agreed with the kernel team\nsecond line, not the affair")
    checklist.toggle(revenue_item.id)  # ticked, nothing noted: a chore, not news
    clock.now = datetime(2026, 11, 24, 10, tzinfo=timezone.utc)  # what follows is entered this week
    add("releases", {"name": "Migration toolkit", "planned": "2026-11-24", "released": "2026-11-25",
                     "status": "released", "profile": "retail chains", "playbook": "free assessment",
                     "waiting": "Acme Bank"})
    late, _ = add("releases", {"name": "PITR", "planned": "2026-11-20"})
    services.sheets.edit("releases", late, {"planned": "2026-12-04", "status": "slipped"})
    add("deals", {"month": "2026-11", "customer": "Acme Bank", "go_live": "2026-12-15", "target": "300"})
    add("revenue", {"month": "2026-10", "cash": "100", "users": "300"})
    add("revenue", {"month": "2026-11", "cash": "120", "users": "330", "forecast": "125",
                    "change_note": "Acme expanded to 40 instances", "actions": "bundle discount for banks"})
    add("campaigns", {"month": "2026-10", "campaign": "Webinar", "attention": "1000", "conversions": "57"})
    add("campaigns", {"month": "2026-11", "campaign": "Double 11", "attention": "1000", "conversions": "21"})
    for measure, value, why in (("partners", "42", "two resellers in the south"), ("reach", "18000", "the expo"),
                                ("major_events", "2", ""), ("doc_coverage", "81.5", "backup docs sprint")):
        add("reader_figures", {"period": "2026-11", "measure": measure, "measure_value": value,
                               "measure_note": why or None})
    add("reader_figures", {"period": "2026-10", "measure": "partners", "measure_value": "40"})
    for customer, spend in (("Zeta Bank", "500"), ("Yoyo Games", "80"), ("Xeno Retail", "120")):
        add("opportunities", {"month": "2026-11", "customer": customer, "spend": spend, "reason": "top-3 in its field"})
    for customer, reason in (("Foo", "price"), ("Bar", "price"), ("Baz", "moved to a rival")):
        add("churn", {"month": "2026-11", "customer": customer, "churn_reason": reason})
    add("tickets", {"month": "2026-11", "category": "backup", "plan": "restore guide", "owner": "Li",
                    "due": "2026-11-10", "status": "done"})
    add("tickets", {"month": "2026-11", "category": "billing", "plan": "alerts", "owner": "Wang", "due": "2026-11-12"})
    add("requests", {"title": "CDC to Kafka", "source_kind": "partner", "source": "dts", "needed_by": "2027-01-15",
                     "opportunities": "3 banks"})
    add("requests", {"title": "Backup to OSS", "source_kind": "partner", "source": "dbs", "needed_by": "2027-02-01"})
    add("insights", {"date": "2026-11-24", "lens": "competitor", "text": "Rival cut prices 30 %"})
    services.documents.add_line("weekly", "2026-W48", FRI, "message", MESSAGE)
    return services.documents.compile("weekly", "2026-W48", FRI)


def _for(services, document, key, lang="en", full=False):
    reader = find_reader(services.documents.readers(lang), key)
    return document_markdown(WEEKLY, document, lang, reader, full=full)


def _lines(md: str) -> int:
    return sum(1 for line in md.splitlines() if line.strip())


def test_each_reader_gets_what_serves_their_kpis_and_nothing_they_must_not(services, week):
    da = _for(services, week, "da")
    assert "Migration toolkit: released 2026-11-25" in da and "DA deals waiting: Acme Bank (go-live 2026-12-15)" in da
    assert "Cash revenue: 120" in da and "Partners" not in da and "People reached" not in da
    assert "CDC to Kafka" not in da and "open for" not in da  # no partner's request, no PM's open work
    brand = _for(services, week, "brand")
    assert "People reached: 18000" in brand and "Major events: 2" in brand and "Cash revenue" not in brand
    channel = _for(services, week, "channel")
    assert "Partners: 42 (+5.0% on last month's 40); why: two resellers in the south" in channel
    docs = _for(services, week, "docs")
    assert "Doc coverage: 81.5%; why: backup docs sprint" in docs and "Cash revenue" not in docs
    rnd = _for(services, week, "rnd")
    assert "Rival cut prices 30 %" in rnd and "Overdue ticket actions: 1" in rnd and "free assessment" not in rnd
    tl = _for(services, week, "tl")
    assert "open for" in tl and "CDC to Kafka" in tl and "Backup to OSS" in tl  # the whole picture


def test_each_partner_product_sees_its_own_requests_only(services, week):
    readers = services.documents.readers("en")
    assert {"dts", "dbs"} <= set(readers)
    dts = _for(services, week, "DTS")  # any case
    assert "CDC to Kafka" in dts and "Backup to OSS" not in dts
    dbs = _for(services, week, "dbs")
    assert "Backup to OSS" in dbs and "CDC to Kafka" not in dbs
    assert "Cash revenue" not in dts and "HA design" not in dts  # nor the PM's week


def test_each_partner_product_hears_the_customer_feedback_about_its_area(services, week):
    """Where customers speak (this month's ticket topics, their requests), given to the
    partner product whose words name it: backup to the backup service, never to another."""
    services.sheets.add("tickets", {"month": "2026-11", "category": "backup", "count": "7", "plan": "restore guide"})
    services.sheets.add("tickets", {"month": "2026-11", "category": "billing", "count": "30"})
    services.sheets.add("requests", {"title": "Faster restore of one table", "source_kind": "customer",
                                     "source": "Acme Bank"})
    document = services.documents.compile("weekly", "2026-W48", FRI)
    dbs = _for(services, document, "dbs")
    feedback = dbs[dbs.index("## Customer feedback"):].split("\n## ")[0]
    assert "backup: 7 tickets this month; plan: restore guide" in feedback
    assert "Faster restore of one table (asked by Acme Bank)" in feedback and "billing" not in feedback
    dts = _for(services, document, "dts")
    assert "backup:" not in dts and "Faster restore" not in dts  # not its area
    tl = _for(services, document, "tl")  # the lead hears the most asked first
    assert tl.index("billing: 30 tickets") < tl.index("backup: 7 tickets")
    assert "## Customer feedback" not in _for(services, document, "da")  # not what DA is measured on
    zh = _for(services, document, "dbs", "zh")
    assert "backup：本月 7 个工单；计划：restore guide" in zh


def test_the_key_message_leads_every_variant(services, week):
    for key in services.documents.readers("en"):
        md = _for(services, week, key)
        first = next(line for line in md.splitlines() if line.startswith("## "))
        assert first == "## Key message", key
        assert MESSAGE in md


def test_key_affairs_are_what_happened_never_a_routine_title(services, week):
    full = document_markdown(WEEKLY, week, "en")
    assert "Product project weekly meeting: HA design agreed with the kernel team" in full
    assert "second line, not the affair" not in full
    assert "3 customers lost: price (2), moved to a rival (1) — Foo, Bar, Baz" in full  # grouped, not three lines
    assert "New valuable opportunity: Zeta Bank" in full and "Ticket action closed: backup — restore guide" in full
    ticked_without_note = week.section("affairs")
    assert not [ln for ln in ticked_without_note if ln.kind in ("note", "done") and "Revenue" in str(ln.facts)]
    assert "- Revenue\n" not in full  # the ticked chore with nothing noted is not news


def test_every_figure_says_why_when_the_data_knows(services, week):
    tl = _for(services, week, "tl")
    assert ("Cash revenue: 120 (+20.0% on last month's 100) against a forecast of 125 (96.0%); "
            "why: Acme expanded to 40 instances; action: bundle discount for banks") in tl
    assert "Conversion rate: 2.1% (-3.6 pt on last month's 5.7%)" in _for(services, week, "traffic")
    assert "2026-11 so far: 20 of 21 workdays" in tl
    assert "PITR: due 2026-12-04 (was 2026-11-20)" in tl  # a slip with its old and new date


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_variant_fits_its_budget_and_counts_what_it_cut(services, week, lang):
    # A busy week: a note on every item, far more than a screen.
    view = services.checklist.peek_week(W48)
    noted = {t.id: t for d in view.days for t in d.tasks}
    for i, task_id in enumerate(noted):
        services.checklist.set_note(task_id, f"affair number {i}")
    assert len(noted) > 15
    document = services.documents.compile("weekly", "2026-W48", FRI)
    for key, reader in services.documents.readers(lang).items():
        md = document_markdown(WEEKLY, document, lang, reader)
        assert _lines(md) <= BUDGET, (key, _lines(md))
        shown = variant(WEEKLY, document, reader)
        admitted = variant(WEEKLY, document, reader, full=True)
        every = {s.section: s for s in admitted.sections}
        for cut in shown.sections:
            assert len(cut.lines) + cut.cut == len(every[cut.section].lines), key  # nothing dropped silently
        assert not [s for s in admitted.sections if s.lines and s.section not in {c.section for c in shown.sections}]
        if shown.cut:
            assert ("--full" in md) and all(str(s.cut) in md for s in shown.sections if s.cut)
    full = document_markdown(WEEKLY, document, lang)
    assert _lines(full) <= FULL_BUDGET
    everything = document_markdown(WEEKLY, document, lang, full=True)
    assert f"affair number {len(noted) - 1}" in everything and _lines(everything) >= _lines(full)





def test_a_line_dropped_for_one_reader_stays_for_the_others_across_a_recompile(services, week):
    documents = services.documents
    release = next(ln for ln in week.section("releases") if ln.facts.get("name") == "PITR")
    documents.keep_from(release.id, "da", True)
    added = documents.add_line("weekly", "2026-W48", FRI, "affairs", "Budget talk with the lead", readers=["tl"])
    again = documents.compile("weekly", "2026-W48", FRI)  # a recompile keeps both
    assert "PITR: due" not in _for(services, again, "da") and "PITR: due" in _for(services, again, "tl")
    assert "Budget talk with the lead" in _for(services, again, "tl")
    assert "Budget talk with the lead" not in _for(services, again, "da")
    assert "Budget talk with the lead" in document_markdown(WEEKLY, again, "en")  # the PM's full report
    documents.keep_from(release.id, "da", False)
    assert "PITR: due" in _for(services, documents.saved("weekly", "2026-W48"), "da")
    assert [ln.only for ln in again.lines if ln.id == added] == [("tl",)]


def test_a_line_the_pm_adds_reaches_every_reader_in_the_section_chosen(services, week):
    services.documents.add_line("weekly", "2026-W48", FRI, "releases", "Serverless GA moved to January")
    again = services.documents.compile("weekly", "2026-W48", FRI)
    for key in ("da", "traffic", "rnd", "tl"):
        md = _for(services, again, key)
        releases = md[md.index("## Progress and major releases"):]
        assert "Serverless GA moved to January" in releases.split("\n## ")[0], key


def test_goals_go_with_their_figure_and_objectives_to_the_lead_operations_and_rnd(services, week):
    add = services.sheets.add
    add("goals", {"period": "2026-11", "metric": "cash", "goal_target": "125", "goal_reason": "two deals slipped"})
    add("objectives", {"quarter": "2026-Q4", "objective": "Win the banks", "axis": "business_value"})
    add("goals", {"period": "2026-Q4", "metric": "users", "goal_start": "300", "goal_target": "400",
                  "objective": "Win the banks"})
    document = services.documents.compile("weekly", "2026-W48", FRI)
    da = _for(services, document, "da")
    assert "Cash revenue 2026-11: 120" in da and "two deals slipped" in da  # the target, and why
    assert "Win the banks" not in da  # objectives are not the architects'
    for key in ("tl", "traffic", "rnd"):
        md = _for(services, document, key)
        assert "## Objectives and key results" in md and "Win the banks" in md, key
        assert "  - KR" in md, key  # the key result under its objective
    assert "Users 2026-Q4" not in _for(services, document, "brand")


def test_each_variant_leads_with_its_reader_s_own_kpis(services, week):
    """After the PM's message, the figures the reader is measured on, in their order, each
    goal after its figure: brand sees people reached first, channel its partners."""
    firsts = {"da": "Cash revenue", "brand": "People reached", "channel": "Partners", "docs": "Doc coverage",
              "rnd": "Open ticket actions", "traffic": "Cash revenue", "tl": "Cash revenue"}
    for key, first in firsts.items():
        lines = _for(services, week, key).splitlines()
        headings = [ln for ln in lines if ln.startswith("## ")]
        assert headings[:2] == ["## Key message", "## Key figures"], key
        at = lines.index("## Key figures")
        figures = [ln for ln in lines[at + 1:] if ln.startswith("- ")]
        assert figures[0].startswith("- 2026-11 so far") and figures[1].startswith(f"- {first}"), (key, figures[:2])


def test_long_names_make_short_line_keys(services, week):
    """A line's source key is kept in 64 characters on every database: an objective's
    long text and a long owner's name are named by a digest."""
    long = "Win the banks of the south-east region through the migration toolkit and a partner"
    services.sheets.add("objectives", {"quarter": "2026-Q4", "objective": long})
    services.sheets.add("goals", {"period": "2026-Q4", "metric": "users", "goal_start": "300", "goal_target": "400",
                                  "objective": long})
    services.sheets.add("tickets", {"month": "2026-11", "category": "backup", "plan": "guide",
                                    "owner": "The storage engine and backup tooling team, Hangzhou", "due": "2026-12-01"})
    compile_plan(services, FRI)
    document = services.documents.compile("weekly", "2026-W48", FRI)
    assert document.lines and all(len(ln.source_key or "") <= 64 for ln in document.lines)
    assert long in _for(services, document, "tl")


def test_a_recompile_that_finds_nothing_new_rewrites_no_line(services, week, clock):
    """Each line's facts read back as they were compiled (JSON-native), so compiling
    again with nothing new leaves every stored line as it was."""
    from datetime import datetime, timedelta, timezone

    from sqlalchemy import text

    def stamps():
        with services.engine.connect() as conn:
            return conn.execute(text("SELECT id, updated_at FROM document_line ORDER BY id")).all()

    before = stamps()
    clock.now = datetime(2026, 11, 27, 17, tzinfo=timezone.utc) + timedelta(minutes=5)
    again = services.documents.compile("weekly", "2026-W48", FRI)
    assert stamps() == before and len(before) > 10
    assert again.lines == services.documents.saved("weekly", "2026-W48").lines


def test_a_line_s_facts_must_read_back_as_they_were_compiled():
    from pmweek.domain.documents.engine import Candidate

    with pytest.raises(TypeError, match=r"release:1\.deals\[0\] \(tuple\)"):
        Candidate("releases", "release:1", "release", {"deals": [("Acme", "2026-12-15")]})
    with pytest.raises(TypeError, match="date"):
        Candidate("focus", "plan:1", "plan", {"due": FRI})
    assert Candidate("focus", "plan:1", "plan", {"names": ["a"], "n": {"x": 1.5}, "ok": None}).facts["n"] == {"x": 1.5}
