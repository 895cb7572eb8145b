"""The routine template: parsing the shipped TOML and checking user edits."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass

from pmweek.domain.calendar import DAY_NUMBERS, WORKDAYS
from pmweek.domain.shipped import shipped
from pmweek.domain.text import CONTROL, check_text
from pmweek.errors import InputError

# Where an item can lead: a table of records, the Friday plan, or the week's report.
TABLES = ("opportunities", "campaigns", "deals", "tickets", "revenue", "releases", "insights", "requests", "plan",
          "report")
MAX_TITLE = 500


@dataclass(frozen=True)
class TemplateItem:
    day: int
    title: str
    points: tuple[str, ...] = ()
    key: str | None = None
    table: str | None = None
    id: int | None = None
    position: int = 0
    until: int | None = None  # the routine day a block item (one piece of work) runs until


def parse_template(data: bytes) -> list[TemplateItem]:
    doc = tomllib.loads(data.decode("utf-8"))
    items: list[TemplateItem] = []
    positions: dict[int, int] = {}
    for raw in doc.get("item", []):
        day = DAY_NUMBERS[raw["day"]]
        if day not in WORKDAYS:
            raise ValueError(f"routine item on a weekend: {raw!r}")
        until = DAY_NUMBERS[raw["until"]] if "until" in raw else None
        if until is not None and not day < until <= WORKDAYS[-1]:
            raise ValueError(f"an item runs until a later workday: {raw!r}")
        table = raw.get("table")
        if table is not None and table not in TABLES:
            raise ValueError(f"unknown table {table!r}")
        position = positions.get(day, 0)
        positions[day] = position + 1
        items.append(
            TemplateItem(
                day=day,
                title=raw["title"],
                points=tuple(raw.get("points", ())),
                key=raw.get("key"),
                table=table,
                position=position,
                until=until,
            )
        )
    return items


def shipped_template(lang: str) -> list[TemplateItem]:
    """The default routine that ships with pmweek, in ``lang``; English for a language
    that ships none (a catalogue added by a translator)."""
    found = shipped(f"routine.{lang}.toml")
    return parse_template((found if found.is_file() else shipped("routine.en.toml")).read_bytes())


def same_work(key: str | None, title: str, other_key: str | None, other_title: str) -> bool:
    """Two checklist items are one routine item's instances: the same shipped key, or the
    same title (the PM's own routine items have no key; renamed weeks keep their key)."""
    if key is not None and key == other_key:
        return True
    return " ".join(title.casefold().split()) == " ".join(other_title.casefold().split())


def clean_title(text: str) -> str:
    """A title as stored: one line, trimmed, not empty."""
    if CONTROL.search(text.replace("\n", " ").replace("\t", " ")):
        raise InputError("error.field_control", field="app.item_title")
    title = " ".join(text.split())
    if not title:
        raise InputError("error.title_empty")
    if len(title) > MAX_TITLE:
        raise InputError("error.title_long", limit=MAX_TITLE)
    return title


def clean_points(text: str) -> tuple[str, ...]:
    """Sub-points typed one per line; blank lines are dropped."""
    points = tuple(" ".join(line.split()) for line in text.splitlines() if line.strip())
    for point in points:
        check_text(point, "app.item_points", limit=MAX_TITLE)
    return points
