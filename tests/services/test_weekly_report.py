"""The weekly report: drafted from a week's data section by section, one variant per
reader, the PM's edits kept across a recompile, exports read-only and always current."""

from __future__ import annotations

from datetime import date

import pytest
from markdown_it import MarkdownIt

from pmweek.domain.calendar import Week
from pmweek.domain.documents import KINDS
from pmweek.domain.documents.engine import sparkline
from pmweek.domain.documents.readers import shipped_readers
from pmweek.export.markdown import document_markdown
from tests.plans import add_plan_line, compile_plan

W48 = Week(2026, 48)
FRI = date(2026, 11, 27)
WEEKLY = KINDS["weekly"]


def _week(services):
    checklist, add, edit = services.checklist, services.sheets.add, services.sheets.edit
    view = checklist.open_week(W48, FRI)
    meeting = view.day(1).tasks[1]
    checklist.toggle(meeting.id)
    checklist.set_note(meeting.id, "PITR on track\nrisk: QA capacity")
    # Two releases: one out this week, one slipped.
    out, _ = add("releases", {"name": "Serverless tier", "planned": "2026-11-24", "released": "2026-11-25",
                              "status": "released", "profile": "startups", "playbook": "free trial",
                              "waiting": "ACME Bank"})
    late, _ = add("releases", {"name": "PITR", "planned": "2026-11-20", "scenario": "restore a dropped table"})
    edit("releases", late, {"planned": "2026-12-10", "status": "slipped"})
    add("releases", {"name": "Far future", "planned": "2027-06-01"})
    for day, lens, text in (("2026-11-23", "competitor", "Rival cut prices 30 %"),
                            ("2026-11-24", "trend", "Vector search everywhere"),
                            ("2026-11-26", "self", "Upgrade docs miss rollback"),
                            ("2026-11-16", "market", "last week: not in this report")):
        add("insights", {"date": day, "lens": lens, "text": text})
    add("requests", {"title": "CDC to Kafka", "source_kind": "partner", "source": "dts", "needed_by": "2027-01-15",
                     "opportunities": "3 banks", "roi": "high"})
    add("requests", {"title": "Customer ask", "source_kind": "customer", "source": "ACME"})
    add("requests", {"title": "Done already", "source_kind": "partner", "source": "dbs", "status": "done"})
    add("revenue", {"month": "2026-10", "cash": "100", "users": "300", "forecast": "110"})
    add("revenue", {"month": "2026-11", "cash": "120", "users": "330", "forecast": "125"})
    add("campaigns", {"month": "2026-11", "campaign": "Double 11", "attention": "1000", "conversions": "80"})
    add("deals", {"month": "2026-11", "customer": "ACME Bank", "go_live": "2026-12-15"})
    compile_plan(services, FRI)
    add_plan_line(services, FRI, "cross_team", "Kernel team: review the HA design", owner="Kernel")
    focus = add_plan_line(services, FRI, "added", "Ship PITR beta")
    services.documents.set_priority(focus, 1)
    return view


def _words(document, section, lang="en"):
    return [WEEKLY.render(ln, lang, {}) if ln.text is None else ln.text for ln in document.section(section)]


def test_each_section_is_drafted_from_the_weeks_data(services):
    _week(services)
    report = services.documents.compile("weekly", "2026-W48", FRI)
    affairs = _words(report, "affairs")
    assert "Product project weekly meeting: PITR on track" in affairs  # the note's first line is the affair
    assert not [a for a in affairs if a == "Review last week's plan and lay out this week"]  # a title alone is not news
    assert any("(open for 4 days)" in a for a in affairs)  # Monday's first item, still open
    releases = _words(report, "releases")
    assert releases[0].startswith("Serverless tier: released 2026-11-25")
    assert "Target customers: startups" in releases[0] and "Waiting for it: ACME Bank" in releases[0]
    assert "DA deals waiting: ACME Bank (go-live 2026-12-15)" in releases[0]  # linked by the customer's name
    assert releases[1].startswith("PITR: due 2026-12-10 (was 2026-11-20)")
    assert not any("Far future" in r for r in releases)  # due beyond four weeks
    assert _words(report, "thinking") == [  # grouped by lens, in the five looks' order
        "competitor: Rival cut prices 30 %", "trend: Vector search everywhere", "self: Upgrade docs miss rollback"]
    figures = _words(report, "figures")
    assert figures[0] == "2026-11 so far: 20 of 21 workdays"  # the month is not over: its figures say so
    assert figures[1].startswith("Cash revenue: 120 (+20.0% on last month's 100) against a forecast of 125 (96.0%)")
    assert "Instances: no row for 2026-11 yet (missing, not zero)" in figures
    assert any(f.startswith("Campaign conversions: 80") for f in figures)
    cross = _words(report, "cross_team")
    assert cross == ["Kernel team: review the HA design",
                     "CDC to Kafka · from dts · needed by 2027-01-15 · potential opportunities: 3 banks · ROI: high"]
    focus = report.section("focus")
    assert focus[0].facts["text"] == "Ship PITR beta" and focus[0].priority == 1  # highest priority first


def test_the_same_line_reads_right_in_either_language(services):
    _week(services)
    report = services.documents.compile("weekly", "2026-W48", FRI)
    (cash,) = [ln for ln in report.section("figures") if ln.facts.get("metric") == "cash"]
    assert WEEKLY.render(cash, "en", {}).startswith("Cash revenue: 120")
    assert WEEKLY.render(cash, "zh", {}).startswith("现金营收：120")


def test_edits_survive_a_recompile_and_new_lines_are_marked(services):
    _week(services)
    documents = services.documents
    report = documents.compile("weekly", "2026-W48", FRI)
    first, second = report.section("thinking")[:2]
    documents.edit_line(first.id, "Rivals are cheaper: answer with bundles", priority=2)
    documents.toggle_dropped(second.id)
    added = documents.add_line("weekly", "2026-W48", FRI, "added", "Hiring a second PM")
    documents.move_line(report.section("releases")[1].id, -1)
    services.sheets.add("insights", {"date": "2026-11-27", "lens": "industry", "text": "Banks go distributed"})
    again = documents.compile("weekly", "2026-W48", FRI)
    thinking = {ln.id: ln for ln in again.section("thinking")}
    assert thinking[first.id].text == "Rivals are cheaper: answer with bundles" and thinking[first.id].priority == 2
    assert thinking[second.id].dropped
    new = [ln for ln in again.section("thinking") if again.is_new(ln)]
    assert [ln.facts["text"] for ln in new] == ["Banks go distributed"]
    assert [ln.id for ln in again.section("added")] == [added]
    assert again.section("releases")[0].facts["name"] == "PITR"  # the order the PM gave
    # A line whose source went away leaves; the PM's own words stay as long as it does.
    assert again.compile_count == 2


def test_an_export_is_current_and_writes_nothing(services):
    _week(services)
    assert services.documents.saved("weekly", "2026-W48") is None
    preview = services.documents.preview("weekly", "2026-W48", FRI)
    assert services.documents.saved("weekly", "2026-W48") is None  # nothing written
    compiled = services.documents.compile("weekly", "2026-W48", FRI)
    strip = lambda doc: [(ln.section, ln.source_key, dict(ln.facts)) for ln in doc.lines]  # noqa: E731
    assert sorted(strip(preview), key=str) == sorted(strip(compiled), key=str)
    services.sheets.add("insights", {"date": "2026-11-27", "lens": "industry", "text": "after the compile"})
    fresh = services.documents.preview("weekly", "2026-W48", FRI)
    assert any(ln.facts.get("text") == "after the compile" for ln in fresh.section("thinking"))


def _headings(markdown: str) -> list[str]:
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    return [tokens[i + 1].content for i, tok in enumerate(tokens) if tok.type == "heading_open" and tok.tag == "h2"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_reader_gets_their_sections_in_their_order(services, lang):
    _week(services)
    report = services.documents.compile("weekly", "2026-W48", FRI)
    readers = shipped_readers(lang)
    assert list(readers) == ["da", "traffic", "brand", "channel", "rnd", "docs", "partners", "tl"]
    full = document_markdown(WEEKLY, report, lang)
    assert _headings(full) == [_section(s, lang) for s in
                               ("affairs", "releases", "thinking", "feedback", "figures", "cross_team", "focus")]  # none added
    for key, reader in readers.items():
        md = document_markdown(WEEKLY, report, lang, reader)
        # (this week has no objectives, and no customer spoke of a partner product's area:
        # a reader is not told of a section with nothing for them)
        empty = ("okrs", *(("feedback",) if key == "partners" else ()))
        assert _headings(md) == [_section(s, lang) for s in reader.sections if s not in empty], key
        assert reader.name in md and reader.kpis[0] in md
    da = document_markdown(WEEKLY, report, lang, readers["da"])
    assert _headings(da)[:2] == [_section("figures", lang), _section("releases", lang)]  # their KPIs first, then releases
    rnd = document_markdown(WEEKLY, report, lang, readers["rnd"])
    assert "free trial" not in rnd  # the playbook is not R&D's
    partners = document_markdown(WEEKLY, report, lang, readers["partners"])
    assert "CDC to Kafka" in partners and "Customer ask" not in partners


def _section(name: str, lang: str) -> str:
    from pmweek.i18n import tr

    return tr(lang, f"weekly.section.{name}")


def test_an_empty_section_says_so_and_never_invents(services):
    services.checklist.open_week(W48, FRI)
    md = document_markdown(WEEKLY, services.documents.preview("weekly", "2026-W48", FRI), "en")
    assert md.count("_Nothing this week._") >= 3
    assert "Cash revenue: no row for 2026-11 yet (missing, not zero)" in md


def test_a_sparkline_shows_a_missing_month_as_a_gap():
    assert sparkline([1, 2, None, 8]) == "▁▂·█"
    assert sparkline([None, None]) == ""
    assert sparkline([5, 5]) == "▁▁"


def test_counts_agree_with_the_table_and_a_month_without_records_is_missing(services):
    add = services.sheets.add
    add("opportunities", {"month": "2026-10", "customer": "A", "reason": "x"})
    add("opportunities", {"month": "2026-10", "customer": "B", "reason": "y"})
    add("churn", {"month": "2026-11", "customer": "C", "churn_reason": "price"})
    report = services.documents.preview("weekly", "2026-W48", FRI)
    figures = {ln.facts["metric"]: ln.facts for ln in report.section("figures") if ln.kind == "figure"}
    book = {r["month"]: r for r in services.sheets.book("opportunities", "2026-10", "2026-11", FRI).rows}
    assert figures["valuable"]["value"] == book["2026-11"]["valuable_count"] == 0  # reviewed: churn entered
    assert figures["valuable"]["previous"] == book["2026-10"]["valuable_count"] == 2
    assert figures["churn"]["value"] == 1
    assert figures["conversions"]["value"] is None  # no campaign this month: missing, not zero
