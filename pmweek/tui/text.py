"""Catalogue glue for Textual: bindings are declared with catalogue keys as
descriptions and put into words where they are shown, so one process can show either
language."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from rich.text import Text
from textual.binding import ActiveBinding, Binding

from pmweek.i18n import current_lang, tr


class Translated:
    """Mixed into every screen of the app, before Textual's ``Screen``. Bindings are
    declared with catalogue keys as their descriptions; Textual shows them (the footer,
    the keys panel, the palette's key list) from a screen's public ``active_bindings``,
    so they are put into words there, in the language of the moment. Key dispatch never
    reads a description, so nothing else needs to know."""

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        lang = current_lang()
        return {key: active._replace(binding=translated(active.binding, lang),
                                     tooltip=_t(active.tooltip, lang) if active.tooltip else active.tooltip)
                for key, active in super().active_bindings.items()}  # type: ignore[misc]


@lru_cache(maxsize=1024)
def translated(binding: Binding, lang: str) -> Binding:
    """``binding`` with its words in ``lang`` (the footer asks on every refresh)."""
    return replace(binding, description=_t(binding.description, lang), tooltip=_t(binding.tooltip, lang),
                   group=binding.group and replace(binding.group, description=_t(binding.group.description, lang)),
                   key_display=binding.key_display or _keycap(binding.key, lang))


def group(key: str) -> Binding.Group:
    """Keys shown together in the footer under one word ("[ ] Week"): the footer fits 80
    columns; each key keeps its own description in the command palette."""
    return Binding.Group(key)


def _keycap(key: str, lang: str) -> str | None:
    """A key named in words is named in the PM's language ("space", "空格"); keys with a
    printed cap (esc, Del, Tab) keep it."""
    return tr(lang, "keycap.space") if key == "space" else None


def _t(text: str, lang: str) -> str:
    """Translate catalogue keys (``key.…``, ``cmd.…``); leave other text as it is."""
    return tr(lang, text) if text.startswith(("key.", "cmd.", "group.")) else text


def wrapped(text: Text, width: int, tail: int | None = None) -> Text:
    """``text`` broken into lines of ``width`` cells as Chinese is set (domain.text.
    line_breaks): a number kept with its unit, a bracket with its word. Rich alone breaks
    only at spaces, which Chinese puts around numbers ("延期 8 / 天"). Too narrow a width
    (the widget not laid out yet): as it is."""
    from pmweek.domain.text import line_breaks

    if width < 10:
        return text
    offsets = line_breaks(text.plain, width, tail)
    return Text("\n").join(text.divide(offsets)) if offsets else text
