"""A trend chart drawn with plotext, in the terminal: the same drawing for the trends
screen (textual-plotext's widget) and `pmweek chart`. Imported only when a chart is
drawn: neither the app's start nor the other commands pay for the plotting library."""

from __future__ import annotations

import math
from typing import Any

from pmweek.domain.charts import Chart
from pmweek.i18n import tr

LABEL_WIDTH = 9  # columns one month label needs ("2026-10" and a gap)
# One colour per series, in order; the legend is drawn by the caller (plotext lays out
# its own legend and title by characters, which breaks on Chinese, two columns wide).
COLORS = ("blue", "red", "green")
ANSI = {"blue": "34", "red": "31", "green": "32"}


def legend(chart: Chart, lang: str) -> list[tuple[str, str, str]]:
    """(mark, name, colour) per series."""
    return [("━", tr(lang, f"metric.{s.metric}"), COLORS[i % len(COLORS)]) for i, s in enumerate(chart.series)]


def draw(plt: Any, chart: Chart, lang: str, width: int) -> None:
    """Draw ``chart`` on a plotext figure (the module, or a widget's ``plt``): a line per
    series by month, a month without a record left out, the months thinned to what
    ``width`` can label."""
    plt.clear_figure()
    if chart.empty:
        plt.xlim(0, 1)
        plt.ylim(0, 1)
        return  # the caller says there is nothing in the range
    for series, color in zip(chart.series, COLORS, strict=False):
        points = [(i, v) for i, v in enumerate(series.values) if v is not None]
        if not points:
            continue
        xs, ys = zip(*points, strict=True)
        # Every series a line here (a bar that the y range cuts costs plotext ten times
        # as much to draw); Mermaid keeps the bars.
        plt.plot(list(xs), list(ys), color=color, marker="braille")
    known = [v for series in chart.series for v in series.values if v is not None]
    if known:  # the range the figures move in, not from zero: a change of a few % shows
        low, high = min(known), max(known)
        pad = (high - low) * 0.1 or abs(high) * 0.05 or 1
        plt.ylim(low - pad, high + pad)
    step = max(1, math.ceil(len(chart.months) * LABEL_WIDTH / max(width - 10, LABEL_WIDTH)))
    ticks = list(range(0, len(chart.months), step))
    plt.xticks(ticks, [chart.months[i] for i in ticks])
    plt.xlim(-0.5, len(chart.months) - 0.5)


def render_text(chart: Chart, lang: str, width: int, height: int, color: bool) -> str:
    """The chart as terminal text (for `pmweek chart`)."""
    import plotext

    title = tr(lang, f"chart.{chart.name}") + (" (%)" if chart.percent else "")
    if chart.empty:  # no frame to draw: say so
        return f"{title}\n{tr(lang, 'chart.no_data').strip('_')}"
    plotext.clear_figure()
    draw(plotext, chart, lang, width)
    plotext.plotsize(width, height - 2)
    text = plotext.build()
    keys = "  ".join(f"\x1b[{ANSI[c]}m{mark}\x1b[0m {name}" if color else f"{mark} {name}"
                     for mark, name, c in legend(chart, lang))
    return f"{title}\n{keys}\n" + (text if color else plotext.uncolorize(text))
