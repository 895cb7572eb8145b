"""The language catalogue: every user-facing string, by key, in gettext catalogues.

The texts live in ``pmweek/locale/<lang>/LC_MESSAGES/pmweek.po``, one file per
language, and are read from their compiled ``.mo`` beside them: a translator adds a
language by adding its ``.po`` and compiling it (``pybabel compile -d pmweek/locale
-D pmweek``), without touching code. Messages with a count have plural forms.

``t(key, **params)`` formats the current language's text (chosen once at start-up with
``set_lang``); ``tr(lang, key, **params)`` any language's, so one process can print the
same report in two languages.
"""

from __future__ import annotations

import os
import struct
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

LOCALE = Path(__file__).with_name("locale")
DOMAIN = "pmweek"


def _languages() -> tuple[str, ...]:
    """Every language with a compiled catalogue, English (the default) first."""
    found = [p.name for p in LOCALE.iterdir() if (p / "LC_MESSAGES" / f"{DOMAIN}.mo").is_file()]
    return tuple(sorted(found, key=lambda lang: (lang != "en", lang)))


LANGS = _languages()


@dataclass(frozen=True)
class Catalogue:
    """One language's messages: a text, or a text per plural form."""

    messages: dict[str, str | tuple[str, ...]]
    plural: Callable[[int], int]  # a count -> the index of its plural form


def read_mo(data: bytes) -> tuple[dict[str, str | tuple[str, ...]], str]:
    """A compiled gettext catalogue: its messages and its Plural-Forms header. A file
    that is not one, or is cut short, is a ValueError."""
    try:
        return _read_mo(data)
    except struct.error as exc:
        raise ValueError(f"a catalogue cut short: {exc}") from None


def _read_mo(data: bytes) -> tuple[dict[str, str | tuple[str, ...]], str]:
    magic = struct.unpack("<I", data[:4])[0]
    if magic not in (0x950412DE, 0xDE120495):
        raise ValueError("not a compiled gettext catalogue")
    order = "<" if magic == 0x950412DE else ">"
    _, count, originals, translations = struct.unpack(order + "4I", data[4:20])

    def string(table: int, i: int) -> str:
        length, offset = struct.unpack(order + "2I", data[table + 8 * i: table + 8 * i + 8])
        if offset + length > len(data):
            raise ValueError("a catalogue cut short")
        return data[offset: offset + length].decode("utf-8")

    messages: dict[str, str | tuple[str, ...]] = {}
    plural_forms = ""
    for i in range(count):
        key, text = string(originals, i), string(translations, i)
        if not key:  # the header
            plural_forms = next((line.split(":", 1)[1].strip() for line in text.splitlines()
                                 if line.lower().startswith("plural-forms:")), "")
        elif "\0" in key:  # msgid NUL msgid_plural: the forms, NUL-separated
            messages[key.split("\0")[0]] = tuple(text.split("\0"))
        else:
            messages[key] = text
    return messages, plural_forms


def _plural_rule(forms: str) -> Callable[[int], int]:
    expression = next((part.split("=", 1)[1] for part in forms.split(";") if part.strip().startswith("plural=")), "0")
    if expression.strip() in ("0", "(0)"):
        return lambda n: 0
    from gettext import c2py  # the C expression of the header, as gettext itself reads it

    return c2py(expression.strip())


_catalogues: dict[str, Catalogue] = {}
_loading = threading.RLock()  # a damaged catalogue reads English under the same lock


def catalogue(lang: str) -> Catalogue:
    """``lang``'s catalogue, read once (from any thread)."""
    found = _catalogues.get(lang)
    if found is None:
        with _loading:
            found = _catalogues.get(lang)
            if found is None:
                try:
                    messages, forms = read_mo((LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").read_bytes())
                except (OSError, ValueError):  # a damaged catalogue (UnicodeError is a ValueError)
                    if lang == "en":
                        raise
                    return catalogue("en")  # the texts in English rather than no app at all
                found = _catalogues[lang] = Catalogue(messages, _plural_rule(forms))
    return found


def messages(lang: str) -> dict[str, str | tuple[str, ...]]:
    return catalogue(lang).messages


def has(key: str) -> bool:
    """Whether the catalogue has ``key`` (English has every key)."""
    return key in catalogue("en").messages


def labels(key: str) -> tuple[str, ...]:
    """Every language's text of ``key`` (a column's or a choice's name, read back in
    whichever language it was typed)."""
    found: list[str] = []
    for lang in LANGS:
        text = catalogue(lang).messages.get(key)
        found += [text] if isinstance(text, str) else list(text or ())
    return tuple(found)


_current = "en"


def detect_lang(environ: Mapping[str, str] | None = None) -> str:
    """Chinese when the locale says so (LC_ALL, LC_MESSAGES, LANG), else English."""
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(var)
        if value:
            lang = value.lower()[:2]
            return lang if lang in LANGS else "en"
    return "en"


def current_lang() -> str:
    return _current


def set_lang(lang: str) -> None:
    global _current
    if lang not in LANGS:
        raise ValueError(lang)
    _current = lang


def t(key: str, **params: object) -> str:
    return tr(_current, key, **params)


def tr(lang: str, key: str, **params: object) -> str:
    """``key`` in ``lang``, whatever the current language: one process can print the
    Chinese report for one reader and the English one for another. A message missing
    from a language reads in English; one missing from English is a KeyError."""
    book = catalogue(lang)
    text = book.messages.get(key)
    if text is None and lang != "en":
        book = catalogue("en")
        text = book.messages.get(key)
    if text is None:
        raise KeyError(key)
    if isinstance(text, tuple):  # plural forms, by the count
        count = params.get("count")
        text = text[min(book.plural(count), len(text) - 1)] if isinstance(count, int) else text[-1]
    return text.format(**params) if params else text


def holiday_name(name: str) -> str:
    """A holiday's name in the current language: mainland China's come from the
    catalogue (``cn.national_day``), other countries' as their package gives them."""
    return t(f"holiday.{name}") if name.startswith("cn.") else name


def day_short(weekday: int) -> str:
    return t(f"day.{weekday}")


def day_long(weekday: int) -> str:
    return t(f"dayname.{weekday}")
