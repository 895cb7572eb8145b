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


# Chinese line breaking (a simplified 禁则): a line may break between two Chinese
# characters, but not before closing punctuation nor after an opening bracket; a number
# stays with the word before and after it ("延期 8 天", "上线 2026-11-30").
_NO_BREAK_BEFORE = set("，。、；：！？）》」』】”’%％)]}>,.;:!?")
_NO_BREAK_AFTER = set("（《「『【“‘([{<")


def _wide(ch: str) -> bool:
    import unicodedata

    return unicodedata.east_asian_width(ch) in "WF"


def line_breaks(text: str, width: int, tail: int | None = None) -> list[int]:
    """Where to break ``text`` (one paragraph) into lines of at most ``width`` terminal
    cells: the offsets each new line starts at. Breaks at spaces between words and
    between Chinese characters, never inside a number with its unit or a bracket with
    its word; a run too long for a line is cut where it must. From ``tail`` on the text
    is marks set apart by two spaces (负责人：韩梅梅): broken only between them."""
    breaks: list[int] = []
    whole = _short_brackets(text)
    col, start, best = 0, 0, None  # cells on this line, where it starts, the last place it may break
    for i, ch in enumerate(text):
        if i > start and i not in whole and (
                text[i - 2:i] == "  " if tail is not None and i > tail else _may_break(text, i)):
            best = i
        cells = 2 if _wide(ch) else 1
        if col + cells > width and i > start and not ch.isspace():
            at = best if best is not None and best > start else i
            breaks.append(at)
            start, best = at, None
            col = sum(2 if _wide(c) else 1 for c in text[at:i])
        col += cells
    return breaks


SHORT_BRACKET = 24  # cells: a bracketed aside this short (（上线 2026-12-15）) is never split


def _short_brackets(text: str) -> set[int]:
    """The offsets inside short full-width brackets, where no line may start."""
    inside: set[int] = set()
    opened: list[int] = []
    for i, ch in enumerate(text):
        if ch == "（":
            opened.append(i)
        elif ch == "）" and opened:
            first = opened.pop()
            if sum(2 if _wide(c) else 1 for c in text[first:i + 1]) <= SHORT_BRACKET:
                inside.update(range(first + 1, i + 1))
    return inside


def _may_break(text: str, i: int) -> bool:
    """Whether a line may start at ``text[i]``."""
    before, ch = text[i - 1], text[i]
    if ch in _NO_BREAK_BEFORE or before in _NO_BREAK_AFTER:
        return False
    if before.isspace():
        # A space between a number and a Chinese word keeps them together (8 天, 上线 2026).
        prior = text[i - 2] if i >= 2 else ""
        return not ((prior.isdigit() and _wide(ch)) or (_wide(prior) and ch.isdigit()))
    if ch.isspace():
        return False
    return _wide(before) and _wide(ch)  # between two Chinese characters
