"""A new kind of document is one module that declares ``KIND`` (its gather over the
shared sources, its compile and its words) plus its translations: the registry finds
it, the service compiles and merges it, `export report` prints it and the app's
palette offers it, with no other file touched."""

from __future__ import annotations

import importlib
import sys
from datetime import date

import pytest

import pmweek.domain.documents as registry
from pmweek.i18n import catalogue
from tests.conftest import settle

TODAY = date(2026, 11, 26)

# A monthly retrospective drafted from the month's insights, one line per insight:
# written as a contributor would, against the public declaration only.
RETRO = '''
from datetime import date

from pmweek.domain.calendar import month_bounds
from pmweek.domain.documents.engine import Candidate, DocumentKind, Line
from pmweek.i18n import tr


def gather(sources, month: str, today: date):
    first, last = month_bounds(month)
    return sources.dated("insights", ("lens", "text"), "date", first, last)


def candidates(rows):
    return [Candidate("learned", f"insight:{r['id']}", "insight", {"lens": r["lens"], "text": r["text"]})
            for r in rows]


def render(line: Line, lang: str, options) -> str:
    return tr(lang, "retro.insight", lens=line.facts["lens"], text=line.facts["text"])


KIND = DocumentKind(name="retro", period="month", command="retro", sections=("learned", "added"),
                    gather=gather, compile=candidates, render=render, typed_sections=("added",),
                    optional_sections=("added",))
'''

WORDS = {
    "doc.retro": "Retrospective",
    "retro.title": "Retrospective {period} ({first} – {last})",
    "retro.section.learned": "What we learned",
    "retro.section.added": "Added",
    "retro.empty_section": "_Nothing this month._",
    "retro.insight": "[{lens}] {text}",
}


def _installed(tmp_path, monkeypatch, module: str, source: str, words: dict[str, str], kind: str):
    """A kind's module beside the shipped ones and its English words, as a contributor
    would add them; gone (its period too) when the test ends."""
    from pmweek.domain.periods import PERIODS

    (tmp_path / f"{module}.py").write_text(source, encoding="utf-8")
    monkeypatch.setattr(registry, "__path__", [*registry.__path__, str(tmp_path)])
    shipped = dict(PERIODS)
    found = registry._declared()
    for name, declared in found.items():
        monkeypatch.setitem(registry.KINDS, name, declared)
    # What the command line reads when it builds its parser, in the registry's order.
    monkeypatch.setattr(registry, "REPORTS", {k.command: k for k in found.values() if k.command})
    for key, text in words.items():
        monkeypatch.setitem(catalogue("en").messages, key, text)
    yield found[kind]
    PERIODS.clear()
    PERIODS.update(shipped)
    sys.modules.pop(f"{registry.__name__}.{module}", None)
    importlib.invalidate_caches()


@pytest.fixture
def retro(tmp_path, monkeypatch):
    yield from _installed(tmp_path, monkeypatch, "retro", RETRO, WORDS, "retro")


def test_the_registry_finds_every_declared_kind_by_itself(retro):
    assert list(registry._declared()) == ["plan", "weekly", "monthly", "retro", "quarterly", "yearly"]
    assert registry.REPORTS["retro"] is retro


def test_two_kinds_answering_to_one_word_are_refused(retro, tmp_path):
    (tmp_path / "retro2.py").write_text(RETRO.replace('name="retro"', 'name="retro2"'), encoding="utf-8")
    try:
        with pytest.raises(ValueError, match="share a command"):
            registry._declared()
    finally:
        sys.modules.pop(f"{registry.__name__}.retro2", None)


def test_a_new_kind_is_compiled_from_the_shared_sources_and_keeps_edits(services, retro):
    first = services.sheets.add("insights", {"date": "2026-11-03", "lens": "market", "text": "Banks buy in Q1"})[0]
    services.sheets.add("insights", {"date": "2026-10-30", "lens": "trend", "text": "last month"})
    document = services.documents.compile("retro", "2026-11", TODAY)
    lines = document.section("learned")
    assert [(ln.source_key, ln.facts["text"]) for ln in lines] == [(f"insight:{first}", "Banks buy in Q1")]
    services.documents.edit_line(lines[0].id, "Banks buy in the first quarter", priority="1")
    services.sheets.add("insights", {"date": "2026-11-20", "lens": "self", "text": "Fewer meetings"})
    again = services.documents.compile("retro", "2026-11", TODAY).section("learned")
    assert [(ln.text, ln.priority) for ln in again] == [("Banks buy in the first quarter", 1), (None, None)]
    assert again[1].facts["text"] == "Fewer meetings"


def test_export_report_prints_the_new_kind_and_its_help_names_it(pm, capsys, retro):
    rc, out, err = pm("add", "insights", "--date", "2026-11-03", "--lens", "market", "--text", "=cmd|' /C calc'!A0")
    assert rc == 0, err
    rc, out, err = pm("export", "report", "retro", "2026-10")
    assert (rc, err) == (0, "")
    assert out.startswith("# Retrospective 2026-10 (2026-10-01 – 2026-10-31)\n")
    assert "_Nothing this month._" in out
    rc, out, err = pm("export", "report", "retro", "2026-11")
    assert rc == 0, err
    # Its words go through the same Markdown escaping as every document's.
    assert "## What we learned\n\n- \\[market\\] =cmd\\|' /C calc'!A0\n" in out
    with pytest.raises(SystemExit):
        pm("export", "report", "--help")
    help_text = " ".join(capsys.readouterr().out.split())
    assert "week|month|retro|quarter|year" in help_text and "retro (Retrospective)" in help_text


async def test_the_palette_offers_the_new_kind_and_its_screen_opens(make_app, services, retro):
    from pmweek.tui.screens.document import DocumentScreen

    services.sheets.add("insights", {"date": "2026-11-03", "lens": "market", "text": "Banks buy in Q1"})
    app = make_app(TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        offered = {title: run for title, _help, run in app.screen.commands()}
        assert "Retrospective" in offered
        offered["Retrospective"]()
        await settle(pilot)
        assert isinstance(app.screen, DocumentScreen) and app.screen.kind is retro
        listing = app.screen.query_one("#document-lines")
        shown = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
        assert any("What we learned" in text for text in shown)
        assert any("[market] Banks buy in Q1" in text for text in shown)


# A sprint review over a period pmweek does not ship: two ISO weeks, written 2026-S24.
# The module declares its period and its kind, and nothing else changes.
SPRINT = '''
from datetime import date, timedelta

from pmweek.domain.calendar import Week
from pmweek.domain.documents.engine import Candidate, DocumentKind, Line
from pmweek.domain.periods import Period, register
from pmweek.i18n import tr


def _name(week: Week) -> str:
    return f"{week.year:04d}-S{(min(week.number, 52) + 1) // 2:02d}"


def _parse(text: str) -> str:
    year, number = text.strip().upper().split("-S")
    if not (len(year) == 4 and year.isdigit() and number.isdigit() and 1 <= int(number) <= 26):
        raise ValueError(text)
    return f"{year}-S{int(number):02d}"


def _days(sprint: str) -> tuple[date, date]:
    year, number = sprint.split("-S")
    first = Week(int(year), 2 * int(number) - 1).monday
    return first, first + timedelta(days=13)


def _shift(sprint: str, by: int) -> str:
    return _name(Week.of(_days(sprint)[0] + timedelta(days=14 * by)))


register(Period("sprint", "YYYY-Snn", _parse, _days, _shift, lambda today: _name(Week.of(today)), length=14))


def gather(sources, sprint: str, today: date):
    return sources.dated("releases", ("name",), "released", *_days(sprint))


def candidates(rows):
    return [Candidate("shipped", f"release:{r['id']}", "release", {"name": r["name"]}) for r in rows]


def render(line: Line, lang: str, options) -> str:
    return tr(lang, "review.release", name=line.facts["name"])


KIND = DocumentKind(name="review", period="sprint", command="sprint", sections=("shipped", "added"),
                    gather=gather, compile=candidates, render=render, typed_sections=("added",),
                    optional_sections=("added",))
'''

SPRINT_WORDS = {
    "doc.review": "Sprint review",
    "review.title": "Sprint review {period} ({first} – {last})",
    "review.section.shipped": "Shipped",
    "review.section.added": "Added",
    "review.empty_section": "_Nothing shipped._",
    "review.release": "{name} is out",
    "error.bad_sprint": "not a sprint: {value!r} (2026-S24: the year and the fortnight, 1–26)",
}


@pytest.fixture
def sprint(tmp_path, monkeypatch):
    """The sprint module, its period declared by itself."""
    yield from _installed(tmp_path, monkeypatch, "review", SPRINT, SPRINT_WORDS, "review")


def test_a_kind_over_a_period_of_its_own_is_its_module_alone(pm, capsys, sprint):
    """Its period is typed, defaulted, titled, checked and stepped as its module says,
    by the same command line and screen as the shipped periods."""
    from pmweek.domain.periods import PERIODS

    assert list(registry._declared()) == ["plan", "weekly", "review", "monthly", "quarterly", "yearly"]
    assert pm("add", "releases", "--name", "PITR", "--planned", "2026-11-20", "--released", "2026-11-24",
              "--status", "released")[0] == 0
    rc, out, err = pm("export", "report", "sprint", "2026-s24")
    assert (rc, err) == (0, "")
    assert out.startswith("# Sprint review 2026-S24 (2026-11-16 – 2026-11-29)\n")
    assert "## Shipped\n\n- PITR is out\n" in out
    # By default the sprint of --date (2026-11-05: ISO week 45, the 23rd fortnight).
    assert pm("export", "report", "sprint")[1].startswith("# Sprint review 2026-S23 (2026-11-02 – 2026-11-15)")
    rc, out, err = pm("export", "report", "sprint", "2026-S27")
    assert rc == 2 and out == "" and "not a sprint: '2026-S27'" in err and err.count("\n") == 1
    assert PERIODS["sprint"].step("2027-S26", 1) == "2028-S01" and PERIODS["sprint"].step("2027-S01", -1) == "2026-S26"
    with pytest.raises(SystemExit):
        pm("export", "report", "--help")
    assert "YYYY-Snn" in capsys.readouterr().out


async def test_the_screen_steps_through_a_period_of_its_own(make_app, services, sprint):
    from pmweek.tui.screens.document import DocumentScreen

    app = make_app(TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        offered = {title: run for title, _help, run in app.screen.commands()}
        offered["Sprint review"]()
        await settle(pilot)
        assert isinstance(app.screen, DocumentScreen) and app.screen.period == "2026-S24"
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert app.screen.period == "2026-S25"
