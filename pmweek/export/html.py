"""A report as one self-contained web page: the Markdown export rendered as HTML, its
tables as tables, and each chart drawn as an inline SVG in place of its Mermaid block,
for pasting into Word, Feishu or DingTalk, where Mermaid reads as code.

Nothing on the page runs or loads: stored text is escaped (raw HTML in the Markdown is
shown, never parsed), the drawings' own scripts are removed, and the page's policy
forbids scripts and every fetch. Only imported when a page is asked for."""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from datetime import date, timedelta

from pmweek.domain.charts import Chart, Figure, Timeline, bar_span
from pmweek.i18n import tr

# No script, no request: styles inline, pictures only as data.
POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
FONTS = ('-apple-system, "Segoe UI", "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", '
         '"Source Han Sans SC", "Helvetica Neue", Arial, sans-serif')
PAGE_STYLE = f"""
body {{ font-family: {FONTS}; line-height: 1.6; color: #1f2328; max-width: 960px; margin: 2em auto; padding: 0 1em; }}
h1 {{ font-size: 1.6em; border-bottom: 1px solid #d0d7de; padding-bottom: .3em; }}
h2 {{ font-size: 1.3em; border-bottom: 1px solid #d0d7de; padding-bottom: .2em; margin-top: 1.6em; }}
h3 {{ font-size: 1.1em; }}
table {{ border-collapse: collapse; margin: .8em 0; }}
th, td {{ border: 1px solid #d0d7de; padding: 4px 10px; }}
th {{ background: #f6f8fa; }}
blockquote {{ margin: 0; padding: 0 1em; color: #59636e; border-left: .25em solid #d0d7de; }}
pre {{ background: #f6f8fa; padding: .8em; overflow: auto; }}
figure {{ margin: 1em 0; }}
svg {{ max-width: 100%; height: auto; }}
"""
# A palette that reads on paper and on screen; late bars are red, finished ones green.
COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#17becf")
LATE, DONE, PLANNED = "#d62728", "#2ca02c", "#1f77b4"
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL | re.IGNORECASE)


def page_html(markdown_text: str, drawn: Mapping[str, Figure], lang: str) -> str:
    """The page for a Markdown export; ``drawn`` maps the text inside each Mermaid block
    to the figure it was written from (export.views.report_text gathers them)."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False}).enable("table").enable("strikethrough")
    fence = md.renderer.rules["fence"]

    def figure_or_code(renderer, tokens, idx, options, env):  # noqa: ANN001, ANN202 - markdown-it's rule
        token = tokens[idx]
        figure = drawn.get(token.content) if token.info.strip() == "mermaid" else None
        if figure is None:
            return fence(tokens, idx, options, env)
        return f"<figure>{svg(figure, lang)}{_legend(figure, lang)}</figure>\n"

    md.add_render_rule("fence", figure_or_code)
    title = next((line[2:].strip() for line in markdown_text.splitlines() if line.startswith("# ")), "pmweek")
    body = md.render(markdown_text)
    return (f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(_plain(title))}</title>\n<style>{PAGE_STYLE}</style>\n</head>\n"
            f"<body>\n{body}</body>\n</html>\n")


def _legend(figure: Figure, lang: str) -> str:
    """What a timeline's colours mean (a trend chart has its own legend)."""
    if not isinstance(figure, Timeline):
        return ""
    keys = ((LATE, "page.late"), (DONE, "page.done"), (PLANNED, "page.planned"))
    return ("<figcaption>" + " ".join(f'<span style="color:{colour}">■</span> {html.escape(tr(lang, key))}'
                                      for colour, key in keys) + "</figcaption>")


def _plain(title: str) -> str:
    """A heading's Markdown escapes taken off, for the window's title."""
    return re.sub(r"\\(.)", r"\1", title)


def svg(figure: Figure, lang: str) -> str:
    """The figure drawn by the charting library, as an SVG element with no script."""
    chart = _trend(figure, lang) if isinstance(figure, Chart) else _timeline(figure, lang)
    return _SCRIPT.sub("", chart.render(is_unicode=True))


def _config(colours: tuple[str, ...], stroke: int = 1, **options):  # noqa: ANN003, ANN202 - pygal's own options
    import pygal
    from pygal.style import Style

    style = Style(font_family=FONTS, background="#ffffff", plot_background="#ffffff", colors=colours,
                  title_font_size=16, legend_font_size=13, label_font_size=12, major_label_font_size=12,
                  stroke_width=str(stroke), stroke_width_hover=str(stroke))
    # No script of pygal's own, no XML declaration inside a page, a fixed size to paste.
    settings = {"width": 880, "height": 380, "legend_at_bottom": True, "truncate_legend": -1, "truncate_label": -1,
                "x_label_rotation": 30, **options}
    return pygal.Config(style=style, js=[], disable_xml_declaration=True, explicit_size=True, **settings)


def _trend(chart: Chart, lang: str):  # noqa: ANN202 - a pygal chart
    import pygal

    # A bar and a line in one picture is more than the library draws: any line makes it lines.
    kind = pygal.Bar if all(s.style == "bar" for s in chart.series) else pygal.Line
    # No title of its own: the heading above it says what it is.
    drawing = kind(_config(COLOURS, show_dots=True, dots_size=3, allow_interruptions=True))
    drawing.x_labels = list(chart.months)
    if chart.percent:
        drawing.value_formatter = lambda v: f"{v:g}%"
    for series in chart.series:
        drawing.add(tr(lang, f"metric.{series.metric}"), list(series.values))
    return drawing


def _timeline(timeline: Timeline, lang: str):  # noqa: ANN202 - a pygal chart
    """Each bar a thick line from its first day to the end of its last, one row each,
    the first at the top; rows named "group · name"."""
    import pygal

    bars = timeline.drawn
    colours = tuple(LATE if b.days_late else (DONE if b.actual[1] else PLANNED) for b in bars)
    rows = len(bars)
    drawing = pygal.DateLine(_config(colours, stroke=14, show_legend=False, show_dots=False, range=(0, rows + 1),
                                     height=max(220, 70 + 30 * rows), show_y_guides=False,
                                     x_value_formatter=lambda d: d.isoformat()))
    drawing.title = tr(lang, timeline.title)
    drawing.y_labels = [{"label": f"{b.project} · {b.phase}" if b.project else b.phase, "value": rows - i}
                        for i, b in enumerate(bars)]
    for i, bar in enumerate(bars):
        start, end = (date.fromisoformat(d) for d in bar_span(bar))
        drawing.add(bar.phase, [(start, rows - i), (end + timedelta(days=1), rows - i)])
    return drawing
