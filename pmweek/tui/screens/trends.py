"""Trends: revenue, users and instances, opportunities against churn, the campaigns'
conversion rate, month by month over a range the PM picks (twelve months by default).
The plotting library is imported when this screen opens, never at the app's start."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from pmweek.domain.calendar import month_of, shift_month
from pmweek.domain.charts import CHARTS, Chart
from pmweek.i18n import current_lang, t
from pmweek.tui.screens.common import ReadsInBackground
from pmweek.tui.text import Translated, group

if TYPE_CHECKING:
    from pmweek.services.figures import FigureService

SPANS = (6, 12, 24, 36, 60)  # months a chart can cover, shortest first
DEFAULT_SPAN = 12


class TrendsScreen(Translated, ReadsInBackground, Screen[None]):
    BINDINGS = [
        Binding("escape,q", "close", "key.back", id="pm.back"),
        Binding("tab", "chart(1)", "key.next_chart", key_display="Tab", id="pm.next_chart"),
        Binding("shift+tab", "chart(-1)", "key.prev_chart", key_display="⇧Tab", show=False, id="pm.prev_chart"),
        Binding("left_square_bracket", "shift(-1)", "key.earlier", key_display="[", group=group("group.months"), id="pm.earlier"),
        Binding("right_square_bracket", "shift(1)", "key.later", key_display="]", group=group("group.months"), id="pm.later"),
        Binding("minus", "span(-1)", "key.fewer_months", key_display="-", group=group("group.span"), id="pm.fewer_months"),
        Binding("plus,equals_sign", "span(1)", "key.more_months", key_display="+", group=group("group.span"), id="pm.more_months"),
        *(Binding(str(i), f"pick({i - 1})", show=False, id=f"pm.chart{i}") for i in range(1, len(CHARTS) + 1)),
    ]

    def __init__(self, figures: FigureService, today: date, chart: str = "revenue") -> None:
        super().__init__()
        self.figures = figures
        self.today = today
        self.names = list(CHARTS)
        self.current = self.names.index(chart)
        self.last = month_of(today)
        self.span = DEFAULT_SPAN
        self.chart: Chart | None = None

    @property
    def first(self) -> str:
        return shift_month(self.last, 1 - self.span)

    def compose(self) -> ComposeResult:
        from textual_plotext import (
            PlotextPlot,  # here, not at the top: the app's start never loads it
        )

        yield Header()
        yield Static(id="trends-tabs")
        yield Static(id="trends-legend")
        yield PlotextPlot(id="trends-plot")
        yield Static(id="trends-range")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.title = t("app.trends")
        # Read and draw once the plot has its size: plotext draws a whole frame per size.
        self.call_after_refresh(self.redraw)

    def redraw(self) -> None:
        """Read the figures of the range (in a worker: a long history or a database far
        away never freezes the screen) and draw the chart picked."""
        self._read(self.names[self.current], self.first, self.last)

    def _read(self, name: str, first: str, last: str) -> None:
        self.read_then("read", lambda: self.figures.charts(first, last, self.today, (name,))[0],
                       lambda chart: self._read_done((name, first, last), chart))

    def _read_done(self, asked: tuple[str, str, str], chart) -> None:  # noqa: ANN001 - a domain Chart
        if asked == (self.names[self.current], self.first, self.last):  # nothing else asked for since
            self.chart = chart
            self.draw()

    def draw(self) -> None:
        """Draw the chart read last, to the plot's width."""
        if self.chart is None:
            return
        tabs = Text()
        for i, key in enumerate(self.names):
            label = f" {i + 1} {t(f'chart.tab.{key}')} "
            tabs.append(label, style="bold reverse" if i == self.current else "dim")
            tabs.append(" ")
        self.query_one("#trends-tabs", Static).update(tabs)
        self.query_one("#trends-range", Static).update(
            t("app.trends_range", first=self.first, last=self.last, months=self.span)
            + ("" if self.chart.months else "  " + t("chart.no_data").strip("_"))
        )
        from pmweek.export.plot import draw, legend

        keys = Text("  ")
        for mark, label, color in legend(self.chart, current_lang()):
            keys.append(mark + " ", style=color)
            keys.append(label + "   ")
        self.query_one("#trends-legend", Static).update(keys)
        plot = self.query_one("#trends-plot")
        draw(plot.plt, self.chart, current_lang(), plot.size.width or self.app.size.width)
        plot.refresh()

    def on_resize(self) -> None:
        self.draw()  # the month labels are thinned to the width

    def action_chart(self, delta: int) -> None:
        self.current = (self.current + delta) % len(self.names)
        self.redraw()

    def action_pick(self, index: int) -> None:
        self.current = index
        self.redraw()

    def action_shift(self, delta: int) -> None:
        """Move the range a month earlier or later, never past this month."""
        self.last = min(shift_month(self.last, delta), month_of(self.today))
        self.redraw()

    def action_span(self, delta: int) -> None:
        spans = list(SPANS)
        at = min(range(len(spans)), key=lambda i: abs(spans[i] - self.span))
        self.span = spans[max(0, min(len(spans) - 1, at + delta))]
        self.redraw()

    def action_close(self) -> None:
        self.dismiss(None)
