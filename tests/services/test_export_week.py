"""The week as Markdown: headings with dates, task lists, points, notes, tick times."""

from datetime import date

from markdown_it import MarkdownIt

from pmweek.domain.calendar import Week
from pmweek.export.markdown import week_markdown
from pmweek.i18n import set_lang

W48 = Week(2026, 48)


def _seeded(services):
    view = services.checklist.open_week(W48, date(2026, 11, 23))
    mon = view.day(1).tasks
    services.checklist.toggle(mon[0].id)  # 09:02 UTC: the fake clock ticked once for the week
    services.checklist.toggle(mon[0].points[0].id)  # 09:03
    services.checklist.set_note(mon[1].id, "Risk: | pipes | and\n- a list-looking line")
    services.checklist.toggle_dismissed(mon[2].id)
    return services.checklist.peek_week(W48)


def test_week_export_has_one_heading_per_workday_with_its_date(services):
    md = week_markdown(_seeded(services))
    headings = [line for line in md.splitlines() if line.startswith("## ")]
    assert headings == [
        "## Monday 2026-11-23",
        "## Tuesday 2026-11-24",
        "## Wednesday 2026-11-25",
        "## Thursday 2026-11-26",
        "## Friday 2026-11-27",
    ]
    assert md.splitlines()[0] == "# Week 2026-W48 (2026-11-23 – 2026-11-27)"


def test_week_export_items_points_notes_and_tick_times(services):
    md = week_markdown(_seeded(services)).splitlines()
    monday = md[md.index("## Monday 2026-11-23") + 2 :]
    assert monday[0] == "- [x] Review last week's plan and lay out this week _(done 2026-11-23 09:02)_"
    assert monday[1] == "  - [x] Go through the plan compiled last Friday _(done 2026-11-23 09:03)_"
    assert monday[2].startswith("  - [ ] ")
    note_at = monday.index("  > **Note:** Risk: \\| pipes \\| and")  # a note is text, never markup
    assert monday[note_at + 1] == "  > \\- a list-looking line"
    assert any(line.endswith("_(dismissed)_") for line in monday)
    assert sum(1 for line in md if line.startswith("- [")) == 19


def test_week_export_parses_as_task_lists_under_their_headings(services):
    tokens = MarkdownIt("commonmark").parse(week_markdown(_seeded(services)))
    headings = [tokens[i + 1].content for i, tok in enumerate(tokens) if tok.type == "heading_open" and tok.tag == "h2"]
    assert len(headings) == 5
    # Sub-points are nested lists inside their item, not siblings.
    depth, max_depth = 0, 0
    for tok in tokens:
        if tok.type == "bullet_list_open":
            depth += 1
            max_depth = max(max_depth, depth)
        elif tok.type == "bullet_list_close":
            depth -= 1
    assert max_depth == 2


def test_a_week_never_opened_is_exported_as_the_template_with_a_notice(services):
    md = week_markdown(services.checklist.peek_week(Week(2026, 50)))
    assert "has not been opened yet" in md
    assert "- [ ] Review last week's plan and lay out this week" in md


def test_week_export_in_chinese(open_db):
    set_lang("zh")
    services = open_db("zh")
    services.checklist.open_week(W48, date(2026, 11, 23))
    md = week_markdown(services.checklist.peek_week(W48))
    assert "## 星期一 2026-11-23" in md
    assert "- [ ] 回顾上周计划，安排本周工作" in md


def test_a_note_can_never_become_markup_in_the_rendered_page(services):
    """`- [x] fake` in a note is not a ticked task, `<script>` is not an element, a
    heading or a quote is not one: a note reads as typed."""
    view = services.checklist.open_week(W48, date(2026, 11, 23))
    hostile = "fine\n- [x] fake done\n<script>alert(1)</script>\n# Heading\n1. first\n> quoted\n---"
    services.checklist.set_note(view.day(1).tasks[1].id, hostile)
    md = week_markdown(services.checklist.peek_week(W48))
    html = MarkdownIt("commonmark").render(md)
    assert "<script" not in html and "&lt;script&gt;" in html
    assert "[x] fake done" in html and "<h1>Heading" not in html and "<hr" not in html
    tokens = MarkdownIt("commonmark").parse(md)
    items = [tokens[i + 2].content for i, tok in enumerate(tokens) if tok.type == "list_item_open"]
    assert not [c for c in items if "fake done" in c or c.startswith("first")]
