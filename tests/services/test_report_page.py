"""A report as a web page to paste into Word or Feishu: its tables as tables, every
chart drawn as an SVG picture in place of its Mermaid block, nothing on the page that
runs or loads, stored names escaped; and the page as a real browser shows it."""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser

import pytest

HOSTILE = "<script>document.title='owned'</script>Backup"


class _Page(HTMLParser):
    """What a page holds: its tags by name, the classes of its SVG paths, its text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: dict[str, int] = {}
        self.marks: list[str] = []
        self.text: list[str] = []
        self.meta: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs):  # noqa: ANN001, ANN201 - HTMLParser's signature
        self.tags[tag] = self.tags.get(tag, 0) + 1
        attrs = dict(attrs)
        if tag == "meta":
            self.meta.append(attrs)
        if tag in ("path", "rect") and "reactive" in (attrs.get("class") or ""):
            self.marks.append(attrs.get("class") or "")

    def handle_data(self, data):  # noqa: ANN001, ANN201
        self.text.append(data)


def _quarter(pm) -> None:
    for month, cash in (("2026-08", "100"), ("2026-09", "104"), ("2026-10", "110")):
        assert pm("add", "revenue", "--month", month, "--cash", cash, "--users", "300")[0] == 0
    assert pm("add", "projects", "--name", HOSTILE, "--start", "2026-10-01", "--end", "2026-12-20",
              "--size", "large")[0] == 0
    for phase, start, end in (("design", "2026-10-01", "2026-10-20"), ("build", "2026-10-21", "2026-11-30")):
        assert pm("add", "phases", "--project", HOSTILE, "--phase", phase, "--planned-start", start,
                  "--planned-end", end, "--actual-start", start)[0] == 0


def _page(pm, tmp_path, lang="en", *more) -> tuple[str, str]:
    out = tmp_path / f"q-{lang}.html"
    rc, _, err = pm("--lang", lang, "--date", "2026-11-05", "export", "report", "quarter", "2026-Q4",
                    "--format", "html", "-o", str(out), *more)
    assert rc == 0, err
    md = pm("--lang", lang, "--date", "2026-11-05", "export", "report", "quarter", "2026-Q4", *more)[1]
    return out.read_text(encoding="utf-8"), md


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_chart_is_a_picture_and_nothing_runs(pm, tmp_path, lang):
    _quarter(pm)
    page, md = _page(pm, tmp_path, lang)
    parsed = _Page()
    parsed.feed(page)
    assert page.startswith("<!DOCTYPE html>") and f'lang="{"zh-CN" if lang == "zh" else "en"}"' in page
    # Each Mermaid block of the Markdown (the timeline, the revenue chart, ...) is an SVG
    # in the page, with its marks; no Mermaid is left to read as code.
    blocks = md.count("```mermaid")
    assert blocks >= 2 and parsed.tags.get("svg") == blocks
    assert "language-mermaid" not in page and "xychart-beta" not in page
    assert len(parsed.marks) >= blocks
    # The same dates and figures as tables, for a reader who copies numbers.
    assert parsed.tags.get("table", 0) >= blocks and parsed.tags.get("th", 0) > 0
    # Nothing runs, nothing loads: no script element, the page's policy forbids both.
    assert "script" not in parsed.tags
    policy = next(m["content"] for m in parsed.meta if m.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in policy and "script-src" not in policy
    # The hostile name is the name, as text, wherever it is shown.
    assert "<script>document" not in page and "&lt;script&gt;document.title" in page
    assert any(HOSTILE in text for text in parsed.text)


def test_without_charts_the_page_has_no_pictures(pm, tmp_path):
    _quarter(pm)
    page, md = _page(pm, tmp_path, "en", "--charts", "none")
    assert "```mermaid" not in md and "<svg" not in page
    assert "<h1>Quarterly report, 2026-Q4" in page


def test_a_page_draws_every_chart_a_budgeted_draft_would_count(pm, tmp_path):
    """The monthly draft keeps to its line budget by counting the charts it leaves out;
    on a page a chart is one picture, so every one is drawn."""
    for month in ("2026-08", "2026-09", "2026-10"):
        assert pm("add", "revenue", "--month", month, "--cash", "100", "--users", "300", "--instances", "9")[0] == 0
        assert pm("add", "campaigns", "--month", month, "--campaign", "c", "--attention", "100",
                  "--conversions", "5")[0] == 0
    out = tmp_path / "m.html"
    assert pm("--lang", "en", "export", "report", "month", "2026-10", "--format", "html", "-o", str(out))[0] == 0
    page = out.read_text(encoding="utf-8")
    drawn = pm("--lang", "en", "export", "report", "month", "2026-10", "--full")[1].count("```mermaid")
    assert drawn == 3  # revenue, users, conversion; no opportunity was recorded
    assert page.count("<svg") == drawn and "more charts" not in page


def test_the_start_and_a_markdown_export_do_not_load_the_charting_library(tmp_path):
    import sys

    db = str(tmp_path / "x.db")
    code = ("from pmweek.cli import main\n"
            f"assert main(['--db', {db!r}, 'add', 'revenue', '--month', '2026-10', '--cash', '9']) == 0\n"
            f"assert main(['--db', {db!r}, '--date', '2026-11-23', 'export', 'report', 'month', '2026-10']) == 0\n"
            "import sys\nprint(' '.join(sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout.split()
    assert "pmweek.export.html" not in loaded and "pygal" not in loaded


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
HEADLESS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars")


@pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium (Debian: apt install chromium)")
def test_the_page_renders_in_a_real_browser(pm, tmp_path):
    """Opened in headless Chromium: every chart is drawn with its marks, the hostile
    name is shown as text and changed nothing, and a screenshot has the page on it."""
    _quarter(pm)
    _, md = _page(pm, tmp_path, "zh")
    target = tmp_path / "q-zh.html"
    browse = [CHROMIUM, *HEADLESS, f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1000,2400"]
    dom = subprocess.run([*browse, "--dump-dom", target.as_uri()], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    shown = _Page()
    shown.feed(dom)
    assert shown.tags.get("svg") == md.count("```mermaid") >= 2
    assert len(shown.marks) >= 2 and "script" not in shown.tags
    assert "<title>季度汇报，2026-Q4" in dom  # no script retitled the page
    assert any(HOSTILE in text for text in shown.text)
    shot = tmp_path / "page.png"
    subprocess.run([*browse, f"--screenshot={shot}", target.as_uri()], capture_output=True, timeout=120, check=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
