"""Every screen's footer fits 80 columns in both languages, names the palette key in the
PM's language, and shows no key twice."""

from datetime import date

import pytest
from textual.widgets import Footer

# The footer's keys and labels are found by their CSS type names: their classes are not
# Textual's public API.

from tests.conftest import settle

# How each screen is reached from the week, by keys.
SCREENS = {
    "week": [], "item": ["enter"], "routine": ["e"], "plan": ["p"], "picker": ["b"], "table": ["b", "enter"],
    "row_form": ["b", "enter", "a"],
    "weekly": ["w"], "monthly": ["m"], "trends": ["g"], "okrs": ["k"], "quarterly": ["Q"], "annual": ["Y"],
    "pool": ["P"], "risks": ["L"], "roadmap": ["M"], "settings": ["comma"],
}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("screen", list(SCREENS))
async def test_the_footer_fits_80_columns(make_app, lang, screen):
    app = make_app(date(2026, 11, 23), lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for key in SCREENS[screen]:
            await pilot.press(key)
        await settle(pilot)
        footer = app.screen.query_one(Footer)
        parts = [w for w in footer.query("FooterKey, FooterLabel") if "-command-palette" not in w.classes]
        palette = [w for w in footer.query("FooterKey") if "-command-palette" in w.classes]
        assert parts, type(app.screen).__name__
        if app.screen.is_modal:  # a dialog: its own keys only, no palette
            assert not palette
            edge = footer.region.right
        else:
            (palette,) = palette
            assert palette.description == ("Commands" if lang == "en" else "命令")
            edge = palette.region.x
        for part in parts:
            assert 0 < part.region.width and part.region.right + part.styles.margin.right <= edge, (
                type(app.screen).__name__, getattr(part, "description", None))
        if lang == "zh":  # keys named in words are named in Chinese; printed caps (esc, Del) stay
            words = [w for k in footer.query("FooterKey") for w in (k.key_display, k.description)]
            assert not any(w in ("space", "palette", "enter") for w in words), words
        shown = [(k.key, k.description) for k in footer.query("FooterKey")]
        assert len(shown) == len(set(shown))
        labels = [str(label.render()) for label in footer.query("FooterLabel")]
        assert all(label.strip() for label in labels)


async def test_the_readme_key_table_is_the_week_footer(make_app):
    """The README's first key table lists the week screen's footer, in its order."""
    import re
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    table = readme.split("The footer shows the day's keys", 1)[1].split("\n\n", 2)[1]
    names = {"[": "left_square_bracket", "]": "right_square_bracket"}
    documented = [names.get(k, k) for row in table.splitlines()[2:] for k in re.findall(r"`([^`]+)`", row.split("|")[1])]
    app = make_app(date(2026, 11, 23))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        shown = [k.key for k in app.screen.query_one(Footer).query("FooterKey")]
    assert documented == shown
