"""Catalogue glue for Textual: bindings are declared with catalogue keys as
descriptions and translated per instance, so one process can show either language."""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding
from textual.dom import DOMNode

from pmweek.i18n import t


def translate_bindings(node: DOMNode) -> None:
    bindings = node._bindings.copy()  # Textual keeps a per-instance copy; we relabel it.
    for key, items in bindings.key_to_bindings.items():
        bindings.key_to_bindings[key] = [
            replace(b, description=_t(b.description), tooltip=_t(b.tooltip),
                    group=b.group and replace(b.group, description=_t(b.group.description)),
                    key_display=b.key_display or _keycap(b.key))
            for b in items
        ]
    node._bindings = bindings


def group(key: str) -> Binding.Group:
    """Keys shown together in the footer under one word ("[ ] Week"): the footer fits 80
    columns; each key keeps its own description in the command palette."""
    return Binding.Group(key)


def _keycap(key: str) -> str | None:
    """A key named in words is named in the PM's language ("space", "空格"); keys with a
    printed cap (esc, Del, Tab) keep it."""
    return t("keycap.space") if key == "space" else None


def _t(text: str) -> str:
    """Translate catalogue keys (``key.…``, ``cmd.…``); leave other text as it is."""
    return t(text) if text.startswith(("key.", "cmd.", "group.")) else text
