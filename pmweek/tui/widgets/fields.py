"""A form's fields, where Enter means "done with this field" and is acted on at once.

Keys that arrive together (a paste, a slow SSH link, a script) are all queued on the
field that had the focus before Textual sees the first Enter. A field that let Enter
bubble up as a message would move the focus only after the keys behind it were typed
into it: "备份恢复慢⏎18" stored "备份恢复慢18". Here Enter asks the screen to move on
(``field_done``) before the next key is read, and a key that reaches a field which has
lost the focus goes on to the one that has it.

In a multi-line field Enter moves on too, as everywhere in a form; a new line is
another key (ctrl+j), shown in the footer.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from textual import events
from textual.binding import Binding
from textual.widgets import Input, TextArea

from pmweek.domain.text import visible


class _MovesOnEnter:
    """Enter: the screen's ``field_done(field)`` (moving the focus or saving), at once."""

    # Textual calls each class's _on_key in turn: prevent_default() keeps the field's own
    # (typing the key in) from running.
    async def _on_key(self, event: events.Key) -> None:
        screen = self.screen  # type: ignore[attr-defined]
        if screen.focused is not self:  # queued behind an Enter that moved on: not ours
            event.stop()
            event.prevent_default()
            key = events.Key(event.key, event.character)
            if screen.is_current and screen.focused is not None:
                screen.focused._forward_event(key)
            else:  # the form saved and closed: the key goes where the app sends keys now
                self.app.post_message(key)  # type: ignore[attr-defined]
            return
        done = getattr(screen, "field_done", None)
        if event.key == "enter" and done is not None:
            event.stop()
            event.prevent_default()
            done(self)
            return
        if (action := _editing_actions(type(self)).get(event.key)) is not None:
            # The field's own editing keys (backspace, end, ctrl+u…) are acted on here, in
            # turn with the letters. As bindings they would run only once the key had
            # bubbled up to the app, after the letters typed behind them were already in:
            # ctrl+u then "Bank" over "Globex Games" stored "ex Bank".
            event.stop()
            event.prevent_default()
            await self.run_action(action)  # type: ignore[attr-defined]


@cache
def _editing_actions(field: type) -> dict[str, str]:
    """Each key a field kind binds itself (Textual's Input and TextArea: moving, deleting,
    selecting) and its action; not what every widget binds (up and down scroll a widget
    but move between a form's fields)."""
    editors = [k for k in reversed(field.__mro__) if issubclass(k, (Input, TextArea))]
    declared = [b for klass in editors for b in vars(klass).get("BINDINGS", [])]
    return {b.key: b.action for b in Binding.make_bindings(declared) if not b.priority}


class FieldInput(_MovesOnEnter, Input):
    """A one-line form field. What it starts with is shown safely: a control character
    another program stored (an escape sequence) is U+FFFD here, as in the tables, never
    handed to the terminal."""

    def __init__(self, value: str | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(visible(value) if value else value, *args, **kwargs)


class FieldArea(_MovesOnEnter, TextArea):
    """A multi-line form field: Enter moves on like any field, ctrl+j starts a new line.
    What it starts with is shown safely, as in a FieldInput."""

    def __init__(self, text: str = "", *args: Any, **kwargs: Any) -> None:
        super().__init__(visible(text), *args, **kwargs)

    # Shown in the footer; the key itself is taken in _on_key, in turn with the keys
    # around it (a binding is looked up only once the key has bubbled up to the app).
    BINDINGS = [Binding("ctrl+j", "newline", "key.newline", id="pm.newline")]

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "ctrl+j" and self.screen.focused is self:
            event.stop()
            event.prevent_default()
            self.action_newline()

    def action_newline(self) -> None:
        start, end = self.selection
        self._replace_via_keyboard("\n", start, end)
