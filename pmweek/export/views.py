"""What the exports print, read through the services: one place for the command line's
``export`` and the app's export commands, so both write the same Markdown."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from pmweek.domain.calendar import Week
from pmweek.export import markdown
from pmweek.i18n import tr

if TYPE_CHECKING:
    from pmweek.services import Services
    from pmweek.services.sheets import SheetService


def week_text(services: Services, week: Week) -> str:
    return markdown.week_markdown(services.checklist.peek_week(week))


def table_text(records: SheetService, name: str, first: str | None, last: str | None, today: date,
               csv: bool = False, by: str | None = None, product: str | None = None) -> str:
    """One table's book (``records``: the records' use case) as Markdown or CSV."""
    view = records.book(name, first, last, today, by=by, product=product)
    if csv:
        from pmweek.export.csvio import book_csv

        return book_csv(view)
    return markdown.table_markdown(view)


def month_text(services: Services, month: str, today: date, by: str | None = None,
               product: str | None = None) -> str:
    """Every monthly table of ``month``."""
    from pmweek.domain.sheets import BOOKS

    views = [services.sheets.book(name, month, month, today, by=by, product=product)
             for name, book in BOOKS.items() if book.monthly]
    return markdown.month_markdown(month, views)


def write_file(target: Path, text: str, db_url: str | None, force: bool = False) -> None:
    """``text`` into ``target``, whole or not at all: never over an existing file unless
    ``force``, never over the database at ``db_url`` or one of its files (InputError)."""
    from pmweek.db.files import sqlite_path, write_atomic

    write_atomic(target.expanduser(), text, force=force, db=sqlite_path(db_url) if db_url else None)


def charts_text(services: Services, last: str, today: date, lang: str, room: int | None = None,
                drawn: dict | None = None) -> str:
    """Every trend chart over the twelve months up to ``last``, as Markdown; ``room``:
    only the charts that fit in that many non-blank lines, in their order, the others
    counted (their figures are on the figure lines, sparklines and all). ``drawn``
    gathers each kept chart by its Mermaid text, for a page that draws it instead."""
    from pmweek.domain.charts import chart_markdown, fence_body
    from pmweek.services.figures import default_range

    first, _ = default_range(date.fromisoformat(f"{last}-01"))
    charts = services.figures.charts(first, last, today)
    kept: list[str] = []
    for chart in charts:
        text = chart_markdown(chart, lang, sparklines=drawn is None)  # a page draws the chart itself
        if room is not None:
            if _lines(text) + 1 > room:  # one line is kept for saying what was left out
                break
            room -= _lines(text)
        kept.append(text)
        if drawn is not None and not chart.empty:
            drawn[fence_body(chart, lang)] = chart
    cut = len(charts) - len(kept)
    return "\n".join(kept + ([tr(lang, "doc.more_charts", count=cut)] if cut else []))


def _lines(text: str) -> int:
    return sum(1 for line in text.splitlines() if line.strip())


def calendar_text(calendar) -> str:  # noqa: ANN001 - the work calendar the services read
    """The work calendar and the PM's own days off and make-up days, as Markdown."""
    from pmweek.calendars import CHINA, PLAIN
    from pmweek.i18n import holiday_name, t

    if calendar.name in (CHINA, PLAIN):
        name = t(f"cal.name.{calendar.name}")
    else:
        name = t("cal.name.country", code=calendar.name.upper())
    lines = [f"# {t('cal.title', name=name)}", ""]
    if calendar.overrides:
        lines += [t("cal.own_days"), ""]
        for day, (workday, label) in sorted(calendar.overrides.items()):
            kind = t("cal.work" if workday else "cal.off")
            lines.append(f"- {day.isoformat()} {kind}" + (f": {holiday_name(label)}" if label else ""))
    else:
        lines.append(t("cal.none_own"))
    return "\n".join(lines) + "\n"


def report_text(services: Services, kind, period: str, today: date, lang: str,  # noqa: ANN001 - a DocumentKind
                readers: list | None = None, sources: bool = False, team: bool = False,
                charts: bool = False, figures_until: str | None = None, full: bool = False,
                drawn: dict | None = None) -> str:
    """A report as it would read after a compile (nothing written), once per reader
    (``readers``; None: the full report); ``team``: every PM's one after another;
    ``charts``: with the kind's own charts, and the figures' up to ``figures_until``;
    ``drawn`` gathers every chart by its Mermaid text (charts_text)."""
    from pmweek.domain.charts import fence_body, figure_markdown

    owners = services.documents.owners() if team else [services.user]
    parts = []
    for owner in owners:
        documents = services.for_user(owner).documents if owner != services.user else services.documents
        document = documents.preview(kind.name, period, today)
        if document.compiled_at is None and not documents.compiles(kind.name, period, today):
            continue  # a plan of a week gone by that was never made: there is none to print
        blocks = {}
        if charts and figures_until:
            # A budgeted draft holds the charts its budget has room for, the rest counted;
            # on a page (``drawn``) a chart is one picture, not lines to read, so all are drawn.
            room = None
            if kind.budget is not None and not full and drawn is None:
                room = kind.budget - _lines(markdown.document_markdown(kind, document, lang, None, sources))
            blocks["figures"] = charts_text(services, figures_until, today, lang, room, drawn)
        if charts and kind.blocks is not None:
            for section, figure in kind.blocks(document, lang).items():  # e.g. the quarter's projects as a timeline
                blocks[section] = figure_markdown(figure, lang)
                if drawn is not None:
                    drawn[fence_body(figure, lang)] = figure
        for reader in readers or [None]:
            parts.append(markdown.document_markdown(kind, document, lang, reader, sources, owner if team else None,
                                                    blocks, full, today=today))
    if not parts:
        from pmweek.domain.periods import PERIODS
        from pmweek.errors import InputError

        raise InputError("error.not_compiled", kind=tr(lang, kind.label_key), **PERIODS[kind.period].words(period))
    return "\n".join(parts)
