"""Command palette: every pmweek binding of the current screen, by its translated
description, so what the footer shows can also be found with Ctrl+P. Textual's own
bindings (scrolling, its English-only system commands) are left out, and an empty
search is said in the PM's language."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from pmweek.i18n import t

Command = tuple[str, str, Callable[[], None]]  # its words, its help, what it does


class OffersCommands:
    """A screen that offers the palette more than its keys (exports, readers, reports)."""

    def commands(self) -> list[Command]:
        return []


class BindingsProvider(Provider):
    def _commands(self):
        screen = self.screen
        seen: set[str] = set()
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if not binding.description or binding.action in seen or not active.enabled:
                continue
            if not (binding.id or "").startswith("pm."):  # pmweek's own bindings only
                continue
            seen.add(binding.action)
            help_text = binding.tooltip
            label = f"{binding.description} ({self.app.get_key_display(binding)})"
            yield label, help_text, partial(active.node.run_action, binding.action)
        if isinstance(screen, OffersCommands):  # what a screen offers beyond its keys
            yield from screen.commands()

    async def discover(self) -> Hits:
        for label, help_text, callback in self._commands():
            yield DiscoveryHit(label, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        found = False
        for label, help_text, callback in self._commands():
            score = matcher.match(label)
            if score > 0:
                found = True
                yield Hit(score, matcher.highlight(label), callback, help=help_text)
        if not found and query.strip():  # said in the PM's language, not Textual's English
            yield Hit(0.01, t("app.palette_none", query=query.strip()), lambda: None)
