"""Markdown renderers over read models. Pure text: safe to paste anywhere."""

from __future__ import annotations

from pmweek.domain.calendar import format_date, format_stamp
from pmweek.domain.models import TaskView, WeekView
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
