"""Errors a user can act on. Each carries a catalogue key and its parameters,
so the CLI and the TUI print it in the user's language as one line."""

from __future__ import annotations


class PmWeekError(Exception):
    key = "error.generic"

    def __init__(self, key: str | None = None, /, **params: object) -> None:
        if key is not None:
            self.key = key
        self.params = params
        super().__init__(self.key, params)

    def message(self) -> str:
        from pmweek.i18n import t

        # "field", "sheet" and "word" parameters name catalogue entries: shown translated.
        params = {
            k: t(v) if k in ("field", "sheet", "word") else _one_line(v if isinstance(v, (str, int, float)) else str(v),
                                                              80 if k == "value" else 400)
            for k, v in self.params.items()
        }
        return t(self.key, **params)


def _one_line(value: object, limit: int = 80) -> object:
    """What the user typed, quoted back in an error: on one line, and not too long."""
    if not isinstance(value, str):
        return value
    shown = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in value)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


class DatabaseError(PmWeekError):
    """The database cannot be opened or used as it is; it was left untouched."""


class InputError(PmWeekError):
    """A value the user typed is not acceptable; nothing was written."""


class ChangedMeanwhile(InputError):
    """A field was changed (in another window) since the form showed it; ``current`` is
    what it holds now. Nothing was written."""

    key = "error.changed_meanwhile"

    def __init__(self, current: object, key: str | None = None, /, **params: object) -> None:
        super().__init__(key, **params)
        self.current = current


class NotFound(PmWeekError):
    """A row the user refers to no longer exists (deleted elsewhere)."""
