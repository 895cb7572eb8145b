"""Trend charts, declared once: which metrics each chart draws and how. The app draws
them in the terminal; Markdown gets a Mermaid ``xychart-beta`` block (GitHub and GitLab
render it) followed by the same numbers as a table, and a sparkline per series for a
chat that renders neither."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pmweek.domain.documents.engine import number, sparkline
from pmweek.domain.text import escape_md, visible
from pmweek.i18n import tr


@dataclass(frozen=True)
class SeriesSpec:
    metric: str
    style: str = "line"  # line | bar


@dataclass(frozen=True)
class ChartSpec:
    name: str
    series: tuple[SeriesSpec, ...]
    percent: bool = False  # a rate, shown as a percentage


CHARTS: dict[str, ChartSpec] = {c.name: c for c in (
    ChartSpec("revenue", (SeriesSpec("cash", "bar"), SeriesSpec("gaap"), SeriesSpec("forecast"))),
    ChartSpec("users", (SeriesSpec("users"), SeriesSpec("instances"))),
    ChartSpec("opportunities", (SeriesSpec("valuable-opportunities"), SeriesSpec("churn"))),
    ChartSpec("conversion", (SeriesSpec("conversion-rate"),), percent=True),
)}


@dataclass(frozen=True)
class Series:
    metric: str
    style: str
    values: tuple[float | None, ...]  # one per month; None: no record that month


@dataclass(frozen=True)
class Chart:
    name: str
    months: tuple[str, ...]
    series: tuple[Series, ...]
    percent: bool = False

    @property
    def empty(self) -> bool:
        return not self.months


def build_chart(name: str, months: Sequence[str], monthly: Mapping[str, Mapping[str, float]]) -> Chart:
    """A chart over ``months`` from per-month figures; months with no figure in any of
    its series are left out (a chart never draws a month nobody recorded)."""
    spec = CHARTS[name]
    scale = 100 if spec.percent else 1
    kept = [m for m in months if any(m in monthly.get(s.metric, {}) for s in spec.series)]
    series = tuple(
        Series(s.metric, s.style, tuple(
            None if (v := monthly.get(s.metric, {}).get(m)) is None else round(v * scale, 2) for m in kept
        ))
        for s in spec.series
    )
    return Chart(name, tuple(kept), series, spec.percent)


def _quoted(text: str) -> str:
    """A Mermaid string: double quotes cannot be escaped there, so they become single."""
    return '"' + " ".join(text.replace('"', "'").split()) + '"'


def xychart(chart: Chart, lang: str) -> str:
    """The inside of the chart's ``xychart-beta`` block: a title, the months on the x
    axis, one ``bar`` or ``line`` per series (a month without a record is drawn as 0; the
    table under it says "—")."""
    unit = tr(lang, "chart.percent") if chart.percent else tr(lang, "chart.value")
    out = ["xychart-beta", f"    title {_quoted(tr(lang, f'chart.{chart.name}'))}",
           "    x-axis [" + ", ".join(_quoted(m) for m in chart.months) + "]", f"    y-axis {_quoted(unit)}"]
    for s in chart.series:
        out.append(f"    {s.style} [" + ", ".join(number(v if v is not None else 0) for v in s.values) + "]")
    return "\n".join(out) + "\n"


def mermaid(chart: Chart, lang: str) -> str:
    """The chart as a fenced ``xychart-beta`` block."""
    return f"```mermaid\n{xychart(chart, lang)}```"


def chart_table(chart: Chart, lang: str, sparklines: bool = True) -> str:
    """The chart's numbers as a Markdown table, with a sparkline per series under it
    (for a chat that draws no chart; a page that draws it goes without)."""
    names = [tr(lang, f"metric.{s.metric}") + (" (%)" if chart.percent else "") for s in chart.series]
    out = ["| " + " | ".join([tr(lang, "field.month"), *names]) + " |",
           "|---|" + "---:|" * len(chart.series)]
    for i, month in enumerate(chart.months):
        out.append("| " + " | ".join([month, *(number(s.values[i]) for s in chart.series)]) + " |")
    if sparklines:
        out.append("")
        out += [f"- {name}{tr(lang, 'weekly.colon')}{sparkline(s.values)}"
                for name, s in zip(names, chart.series, strict=True)]
    return "\n".join(out)


def chart_markdown(chart: Chart, lang: str, sparklines: bool = True) -> str:
    """A chart's heading, Mermaid block and table; an empty chart says so."""
    head = f"### {tr(lang, f'chart.{chart.name}')}"
    if chart.empty:
        return f"{head}\n\n{tr(lang, 'chart.no_data')}\n"
    return f"{head}\n\n{mermaid(chart, lang)}\n\n{chart_table(chart, lang, sparklines)}\n"


@dataclass(frozen=True)
class Bar:
    """One phase of a project on a timeline: actual dates where known, else planned."""

    project: str
    phase: str
    planned: tuple[str | None, str | None]
    actual: tuple[str | None, str | None]
    days_late: int | None = None


# Words Mermaid's gantt reads as a statement when a line starts with them, whatever the case.
GANTT_KEYWORDS = ("title", "section", "dateformat", "axisformat", "tickinterval", "excludes", "includes",
                  "todaymarker", "click", "weekday", "weekend", "inclusiveenddates", "topaxis", "accdescr", "acctitle")


def _label(text: str) -> str:
    """A Mermaid gantt name: its separators (: ; #) would end the name early, a backtick
    the block, a leading keyword (Title…, Section…) or % would make it a statement."""
    name = " ".join(re.sub(r"[:;#`]", " ", visible(text)).split()) or "—"
    first = name.split(" ", 1)[0].casefold()
    return f"· {name}" if name.startswith("%") or first in GANTT_KEYWORDS else name


PHASE_HEADS = ("field.project", "field.phase", "field.planned_start", "field.planned_end", "field.actual_start",
               "field.actual_end", "field.days_late")


@dataclass(frozen=True)
class Timeline:
    """Bars drawn on one time axis under a title (a catalogue key), with the heads of
    the table that gives the same dates."""

    bars: tuple[Bar, ...]
    title: str = "quarterly.timeline"
    heads: tuple[str, ...] = PHASE_HEADS

    @property
    def drawn(self) -> tuple[Bar, ...]:
        """The bars with a date to draw from."""
        return tuple(b for b in self.bars if b.actual[0] or b.planned[0])


def bar_span(bar: Bar) -> tuple[str, str]:
    """Where a bar is drawn: its actual dates where known, else its planned ones."""
    start = bar.actual[0] or bar.planned[0] or ""
    end = bar.actual[1] or bar.planned[1] or start
    return start, max(start, end)


def gantt_body(timeline: Timeline, lang: str) -> str:
    """The inside of the timeline's ``gantt`` block: a section per group, late bars
    marked ``crit``, finished ones ``done``."""
    out = ["gantt", f"    title {_label(tr(lang, timeline.title))}", "    dateFormat YYYY-MM-DD"]
    section = None
    for b in timeline.drawn:
        if b.project != section:
            section = b.project
            out.append(f"    section {_label(b.project)}")
        start, end = bar_span(b)
        tags = "crit, " if b.days_late else ("done, " if b.actual[1] else "")
        out.append(f"    {_label(b.phase)} :{tags}{start}, {end}")
    return "\n".join(out) + "\n"


def timeline_markdown(timeline: Timeline, lang: str) -> str:
    """A timeline as a fenced Mermaid ``gantt``, then the same dates as a table, for a
    chat without Mermaid; "" when no bar has a date."""
    if not timeline.drawn:
        return ""
    out = ["```mermaid" + "\n" + gantt_body(timeline, lang) + "```"]
    heads = timeline.heads
    # Seven heads: each date its own column; five: a span (or one day) per cell.
    spans = len(heads) == 5
    out += ["", "| " + " | ".join(tr(lang, k) for k in heads) + " |", "|" + "---|" * (len(heads) - 1) + "---:|"]
    for b in timeline.bars:
        dates = [_span(*b.planned), _span(*b.actual)] if spans else [*b.planned, *b.actual]
        cells = [b.project, b.phase, *dates, str(b.days_late or "")]
        out.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(out) + "\n"


Figure = Chart | Timeline


def fence_body(figure: Figure, lang: str) -> str:
    """The text inside the figure's Mermaid fence: what a page puts a drawing in place of."""
    return xychart(figure, lang) if isinstance(figure, Chart) else gantt_body(figure, lang)


def figure_markdown(figure: Figure, lang: str) -> str:
    return chart_markdown(figure, lang) if isinstance(figure, Chart) else timeline_markdown(figure, lang)


def _span(first: str | None, last: str | None) -> str:
    if not first and not last:
        return ""
    return first or "" if first == last or not last else f"{first or '…'} – {last}"


def _cell(value: str | None) -> str:
    return escape_md(" ".join((value or "").split()))
