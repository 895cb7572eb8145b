"""Command palette: every pmweek binding of the current screen, by its translated
description, so what the footer shows can also be found with Ctrl+P. Textual's own
bindings (scrolling, its English-only system commands) are left out."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


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
            label = f"{binding.description} ({active.binding.key_display or key})"
            yield label, help_text, partial(active.node.run_action, binding.action)

    async def discover(self) -> Hits:
        for label, help_text, callback in self._commands():
            yield DiscoveryHit(label, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, help_text, callback in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), callback, help=help_text)
