"""Markdown renderers over read models. Pure text: safe to paste anywhere."""

from __future__ import annotations

from pmweek.domain.calendar import format_date, format_stamp
from pmweek.domain.models import TaskView, WeekView
from pmweek.domain.sheets import BookView
from pmweek.export.cells import NUMERIC, cell, header
from pmweek.i18n import day_long, t


def _inline(text: str) -> str:
    """One line of text that cannot open Markdown structure of its own."""
    return " ".join(text.split())


def _check(done: bool) -> str:
    return "[x]" if done else "[ ]"


def _task_lines(task: TaskView) -> list[str]:
    suffix = []
    if task.done_at is not None:
        suffix.append(t("export.done_at", stamp=format_stamp(task.done_at)))
    if task.dismissed:
        suffix.append(t("export.dismissed"))
    tail = f" _({'; '.join(suffix)})_" if suffix else ""
    lines = [f"- {_check(task.done)} {_inline(task.title)}{tail}"]
    for point in task.points:
        stamp = f" _({t('export.done_at', stamp=format_stamp(point.done_at))})_" if point.done_at else ""
        lines.append(f"  - {_check(point.done)} {_inline(point.title)}{stamp}")
    if task.note.strip():
        note = task.note.strip().splitlines()
        lines.append(f"  > **{t('export.note')}:** {note[0]}")
        lines.extend(f"  > {line}" if line.strip() else "  >" for line in note[1:])
    return lines


def week_markdown(view: WeekView) -> str:
    week = view.week
    days = week.workdays()
    out = [f"# {t('export.week_title', week=week, start=format_date(days[0]), end=format_date(days[-1]))}", ""]
    if not view.stored:
        out += [t("export.not_opened"), ""]
    for day in view.days:
        out += [f"## {day_long(day.weekday)} {format_date(day.date)}", ""]
        if not day.tasks:
            out += [t("export.no_items"), ""]
            continue
        for task in day.tasks:
            out += _task_lines(task)
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# -- monthly tables ---------------------------------------------------------------------

# Characters that could start Markdown structure inside a table cell. Escaping them
# keeps any stored text, "|" included, inside its own cell and literally as typed.
_CELL_SPECIAL = set("\\|*_`[]<>&~")


def escape_cell(text: str) -> str:
    escaped = "".join("\\" + ch if ch in _CELL_SPECIAL else ch for ch in text)
    return "<br>".join(escaped.replace("\r\n", "\n").split("\n"))


def table_markdown(view: BookView) -> str:
    columns = view.book.columns
    out = [
        "| " + " | ".join(escape_cell(header(c)) for c in columns) + " |",
        "|" + "|".join("---:" if c in NUMERIC else "---" for c in columns) + "|",
    ]
    for row in view.rows:
        out.append("| " + " | ".join(escape_cell(cell(c, row.get(c))) for c in columns) + " |")
    if not view.rows:
        return t("export.no_rows") + "\n"
    return "\n".join(out) + "\n"


def month_markdown(month: str, views: list[BookView]) -> str:
    out = [f"# {t('export.month_title', month=month)}", ""]
    for view in views:
        out += [f"## {t(view.book.label_key)}", "", table_markdown(view).rstrip("\n"), ""]
    return "\n".join(out).rstrip("\n") + "\n"
