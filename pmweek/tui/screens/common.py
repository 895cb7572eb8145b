"""Small habits every pmweek screen shares."""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen
from textual.widgets import Input

from pmweek.errors import PmWeekError


def attempt(screen: Screen, method: Callable, *args) -> bool:
    """Run a use case; a refusal (bad input, a database error) becomes a notification."""
    try:
        method(*args)
    except PmWeekError as exc:
        screen.notify(exc.message(), severity="error")
        return False
    return True


class EnterMovesOn:
    """Form screens: Enter in a field moves to the next ``.form-field``; on the last
    one it saves (``action_save``), as a spreadsheet user expects."""

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        fields = list(self.query(".form-field"))
        index = fields.index(event.input)
        if index + 1 < len(fields):
            fields[index + 1].focus()
        else:
            self.action_save()
