"""Text a PM types that reaches a terminal or a report: one rule for every field.

Control characters (but newline and tab), surrogates and private-use characters are
refused where text comes in, and made visible where text goes out, so a value written
by an older version or another client can never drive a terminal (an escape sequence,
a bell, a window title)."""

from __future__ import annotations

import re

from pmweek.errors import InputError

# One pattern, so a long import stays fast. Besides C0/C1 controls, surrogates and
# private use: the invisible characters that reorder or hide text (bidi embeddings,
# overrides and isolates, marks, zero-width space, word joiner, byte-order mark), which
# make a name read otherwise than it is in a terminal, a report or a spreadsheet. The
# joiners U+200C/U+200D are kept: scripts and emoji need them.
CONTROL = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069"
    "\ufeff\ud800-\udfff\ue000-\uf8ff\U000f0000-\U0010ffff]"
)


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


# What opens a block at the start of a line: a list item (a task when "[x]" follows), a
# heading, a quote, a numbered item, a rule or a table row.
_BLOCK = re.compile(r"^(\s*)(\d*)((?<=\d)[.)](?=\s|$)|(?<!\d)[-+#](?=\s|$)|(?<!\d)>|(?<!\d)[-=](?=[-=\s]*$))")


def escape_md_line(text: str) -> str:
    """One line of a block of text (a note) that can only ever be text: inline markup
    escaped as escape_md does, and a leading block marker too."""
    return _BLOCK.sub(lambda m: m.group(1) + m.group(2) + "\\" + m.group(3), escape_md(text))


def escape_md(text: str) -> str:
    """``text`` as one Markdown cell or line: its markup characters escaped, control
    characters shown as U+FFFD, line breaks as <br>."""
    escaped = _SPECIAL.sub(lambda m: "\\" + m.group(0), visible(text))
    return "<br>".join(escaped.replace("\r\n", "\n").split("\n"))
