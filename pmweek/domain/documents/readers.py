"""The weekly report's readers (PRODUCT.md §4a): shipped as data/audiences.<lang>.toml,
replaced by the user's own copy when there is one."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources

from pmweek.domain.documents.weekly import RELEASE_FIELDS, SECTIONS
from pmweek.domain.text import check_text


@dataclass(frozen=True)
class Reader:
    key: str
    name: str
    kpis: tuple[str, ...]
    sections: tuple[str, ...]
    release_fields: tuple[str, ...]


def parse_readers(data: bytes) -> dict[str, Reader]:
    """Readers by key; ValueError naming what is wrong."""
    doc = tomllib.loads(data.decode("utf-8"))
    readers: dict[str, Reader] = {}
    for raw in doc.get("reader", []):
        key = str(raw.get("key", "")).strip()
        if not key or key in readers or not key.isascii() or not key.replace("-", "").isalnum():
            raise ValueError(f"reader key {key!r}")
        sections = tuple(raw.get("sections", SECTIONS))
        fields = tuple(raw.get("release_fields", RELEASE_FIELDS))
        if unknown := [s for s in sections if s not in SECTIONS] + [f for f in fields if f not in RELEASE_FIELDS]:
            raise ValueError(f"{key}: unknown {', '.join(unknown)}")
        name = check_text(str(raw.get("name", key)), "field.name", limit=200)
        kpis = tuple(check_text(str(k), "field.name", limit=200) for k in raw.get("kpis", ()))
        readers[key] = Reader(key, name, kpis, sections, fields)
    return readers


def shipped_readers(lang: str) -> dict[str, Reader]:
    shipped = resources.files("pmweek.data")
    found = shipped.joinpath(f"audiences.{lang}.toml")  # English where a language ships none
    return parse_readers((found if found.is_file() else shipped.joinpath("audiences.en.toml")).read_bytes())
