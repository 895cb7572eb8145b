"""Text a PM types that reaches a terminal or a report: one rule for every field.

Control characters (but newline and tab), surrogates and private-use characters are
refused where text comes in, and made visible where text goes out, so a value written
by an older version or another client can never drive a terminal (an escape sequence,
a bell, a window title)."""

from __future__ import annotations

import re

from pmweek.errors import InputError

# One pattern, so a long import stays fast.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\U000f0000-\U0010ffff]")


def check_text(
    text: str, field: str, *, limit: int, multiline: bool = False, required: bool = False
) -> str:
    """``text`` when acceptable for ``field`` (a catalogue key), unchanged; InputError
    naming the field otherwise."""
    if required and not text.strip():
        raise InputError("error.field_required", field=field)
    if not multiline and ("\n" in text or "\r" in text):
        raise InputError("error.field_one_line", field=field)
    if len(text) > limit:
        raise InputError("error.field_long", field=field, limit=limit)
    if CONTROL.search(text):
        raise InputError("error.field_control", field=field)
    return text


def visible(text: str) -> str:
    """``text`` safe to show: each control character becomes U+FFFD."""
    return CONTROL.sub("\ufffd", text) if CONTROL.search(text) else text


# What would open Markdown structure inside a line or a table cell.
_SPECIAL = re.compile(r"[\\|*_`\[\]~]|&(?=#?\w+;)|<(?=[A-Za-z/!?])")


def escape_md(text: str) -> str:
    """``text`` as one Markdown cell or line: its markup characters escaped, control
    characters shown as U+FFFD, line breaks as <br>."""
    escaped = _SPECIAL.sub(lambda m: "\\" + m.group(0), visible(text))
    return "<br>".join(escaped.replace("\r\n", "\n").split("\n"))
