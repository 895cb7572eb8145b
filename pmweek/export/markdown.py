"""Markdown renderers over read models. Pure text: safe to paste anywhere."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from pmweek.domain.calendar import format_date, format_stamp, to_local
from pmweek.domain.documents.engine import Document, DocumentKind, Line, arrow, line_marks, words
from pmweek.domain.documents.readers import Reader
from pmweek.domain.documents.view import variant
from pmweek.domain.models import TaskView, WeekView
from pmweek.domain.periods import PERIODS
from pmweek.domain.sheets import SHEETS, BookView, RowView, Sheet
from pmweek.domain.text import escape_md, escape_md_line
from pmweek.export.cells import Declared, cell, header, numeric
from pmweek.i18n import day_long, holiday_name, t, tr

if TYPE_CHECKING:
    from pmweek.domain.rice import Movement
    from pmweek.services.pool import Pool, PoolItem


def _inline(text: str) -> str:
    """One line of text that cannot open Markdown structure of its own."""
    return escape_md(" ".join(text.split()))


def _paren(text: str) -> str:
    """``text`` in brackets of the language: (…) in English, （…） in Chinese."""
    return t("weekly.paren", text=text).strip()


def _check(done: bool) -> str:
    return "[x]" if done else "[ ]"


def task_markdown(task: TaskView) -> str:
    """One item as the week's export writes it: its box, sub-points and note."""
    return "\n".join(_task_lines(task)) + "\n"


def _task_lines(task: TaskView) -> list[str]:
    suffix = []
    if task.done_at is not None:
        suffix.append(t("export.done_at", stamp=format_stamp(task.done_at)))
    if task.dismissed:
        suffix.append(t("export.dismissed"))
    tail = f" _{_paren(t('weekly.semicolon').join(suffix))}_" if suffix else ""
    lines = [f"- {_check(task.done)} {_inline(task.title)}{tail}"]
    for point in task.points:
        stamp = f" _{_paren(t('export.done_at', stamp=format_stamp(point.done_at)))}_" if point.done_at else ""
        lines.append(f"  - {_check(point.done)} {_inline(point.title)}{stamp}")
    if task.note.strip():
        note = task.note.strip().splitlines()
        label = t("app.label_value", label=t("export.note"), value="").rstrip()  # "Note:", "备注："
        lines.append(f"  > **{label}** {escape_md(note[0])}")
        lines.extend(f"  > {escape_md_line(line)}" if line.strip() else "  >" for line in note[1:])
    return lines


def week_markdown(view: WeekView) -> str:
    first, last = view.days[0].date, view.days[-1].date
    out = [f"# {t('export.week_title', week=view.week, start=format_date(first), end=format_date(last))}", ""]
    if not view.stored:
        out += [t("export.not_opened"), ""]
    if not view.official:
        out += [t("export.no_official"), ""]
    if view.holidays:
        listed = t("text.list_sep").join(f"{format_date(d.date)} {holiday_name(d.holiday)}" for d in view.holidays)
        out += [t("export.holidays", days=listed), ""]
    for day in view.days:
        heading = f"## {day_long(day.weekday)} {format_date(day.date)}"
        if day.holiday and not day.workday:
            heading += f" · {t('export.holiday', name=holiday_name(day.holiday))}"
        elif day.makeup:
            heading += f" · {t('export.makeup', name=holiday_name(day.holiday or ''))}"
        out += [heading, ""]
        if not day.tasks:
            out += [t("export.day_off" if not day.workday else "export.no_items"), ""]
            continue
        for task in day.tasks:
            out += _task_lines(task)
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# -- monthly tables ---------------------------------------------------------------------

# What could start Markdown structure inside a line or a table cell. Escaping it keeps
# any stored text, "|" included, in its place and exactly as typed; "&" and "<" only
# where they could begin an entity or a tag, so ordinary text stays readable.
def markdown_table(heads: Sequence[str], right: Sequence[bool], rows: Iterable[Sequence[str]]) -> list[str]:
    """A GFM table's lines: every cell escaped, the columns marked ``right`` aligned right."""
    out = ["| " + " | ".join(escape_md(h) for h in heads) + " |",
           "|" + "|".join("---:" if r else "---" for r in right) + "|"]
    out += ["| " + " | ".join(escape_md(c) for c in row) + " |" for row in rows]
    return out


def _columns_table(within: Declared, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """Record columns as a table: their headers, their cells as the tables show them."""
    return markdown_table([header(within, c) for c in columns], [numeric(within, c) for c in columns],
                          ([cell(within, c, row.get(c), row) for c in columns] for row in rows))


def table_markdown(view: BookView) -> str:
    columns = view.book.columns
    if any(row.get("product") for row in view.rows) and len(view.book.sheets) == 1:
        columns = (*columns, "product")
    if len({row.get("entered_by") for row in view.rows} - {None}) > 1:
        columns = (*columns, "entered_by")  # a lead's export across PMs says whose each row is
    if not view.rows:
        return t("export.no_rows") + "\n"
    return "\n".join(_columns_table(view.book, columns, view.rows)) + "\n"


def record_markdown(sheet: Sheet, row: RowView, today: date) -> str:
    """One stored record as a one-row table: its typed fields, then its computed ones."""
    values = {**row.values, **sheet.compute_values(row.values, today)}
    columns = [f.key for f in sheet.typed_fields] + [c.key for c in sheet.computed]
    return "\n".join(_columns_table(sheet, columns, [values])) + "\n"


def month_markdown(month: str, views: list[BookView]) -> str:
    out = [f"# {t('export.month_title', month=month)}", ""]
    for view in views:
        out += [f"## {t(view.book.label_key)}", "", table_markdown(view).rstrip("\n"), ""]
    return "\n".join(out).rstrip("\n") + "\n"


# -- compiled documents (the weekly report and the ladder after it) -----------------------


def document_title(kind: DocumentKind, period: str, lang: str) -> str:
    """A document's title: its kind, its period and the days the period spans, as the
    period says them (a week by its work days, Monday to Friday, and its number); the
    plan, made during a week, names the week after."""
    span = PERIODS[kind.period]
    return tr(lang, kind.title_key, **span.words(span.shift(period, kind.titled_by)))


def document_markdown(
    kind: DocumentKind, document: Document, lang: str, reader: Reader | None = None,
    sources: bool = False, owner: str | None = None, after: Mapping[str, str] | None = None,
    full: bool = False, today: date | None = None,
) -> str:
    """A compiled document in ``lang`` (whatever the process's language): the full one,
    or one reader's variant as the document's view chooses it for them (documents.view:
    their KPIs first, only what serves them, cut to their budget and the cut counted;
    ``full``: nothing cut), with only the release facts they use. An empty section says
    so; dropped lines are left out. ``after`` puts a block of Markdown (charts) under a
    section; a date passed undone by ``today`` (by default the compile's day) is late."""
    view = variant(kind, document, reader, full)
    if today is None and document.compiled_at is not None:
        today = to_local(document.compiled_at).date()
    title = document_title(kind, document.period, lang)
    if owner:
        title += f" — {_inline(owner)}"
    out = [f"# {title}", ""]
    if document.compiled_at is not None:
        out += [f"_{tr(lang, 'weekly.compiled', stamp=format_stamp(document.compiled_at))}_", ""]
    else:
        out += [f"_{tr(lang, 'weekly.not_saved')}_", ""]
    if reader is not None:
        kpis = tr(lang, "weekly.semicolon").join(_inline(k) for k in reader.kpis)
        out += [f"> **{_inline(tr(lang, 'weekly.for', name=reader.name))}** — {tr(lang, 'weekly.kpis', kpis=kpis)}", ""]
    options = {"sources": sources, **({"release_fields": reader.release_fields} if reader is not None else {})}
    for shown in view.sections:
        section = shown.section
        out += [f"## {tr(lang, kind.section_key(section))}", ""]
        if not shown.lines:
            out += [tr(lang, kind.empty_key), ""]
        else:
            base = 0  # lines under a subsection heading start at its own margin
            grouped = section in kind.grouped_by_owner
            group: str | None = None
            for line in sorted(shown.lines, key=_owner_order) if grouped else shown.lines:
                if grouped and (line.owner or "") != group:  # each owner's lines under their name
                    group = line.owner or ""
                    if out[-1] != "":
                        out.append("")
                    out += [f"### {_inline(group) or tr(lang, 'plan.no_owner')}", ""]
                depth = kind.depth(line)
                headed = kind.heading(line, lang) if kind.heading is not None else None
                if headed is not None:
                    title, body = headed
                    if out[-1] != "":
                        out.append("")
                    out += [f"{'#' * (3 + depth)} {_inline(title)}", ""] + ([_inline(body), ""] if body else [])
                    base = depth + 1
                    continue
                if depth < base - 1:
                    base = 0
                priority = f"**P{line.priority}** " if line.priority else ""
                box = f"{_check(line.done)} " if kind.ticked else ""  # to tick off on Monday
                facts = [tr(lang, key, **{k: _inline(v) for k, v in values.items()})
                         for key, values in line_marks(kind, line, today, owner=not grouped)]
                tail = f" _{tr(lang, 'weekly.paren', text=tr(lang, 'text.semicolon').join(facts)).strip()}_" if facts else ""
                indent = "  " * max(0, depth - base)  # a key result under its objective, a task under it
                out.append(f"{indent}- {box}{priority}{_inline(words(kind, line, lang, options))}{tail}")
            if shown.cut:
                out.append(tr(lang, "doc.more", count=shown.cut))
            if out[-1] != "":  # a subsection's body already ends in one
                out.append("")
        if after and section in after:
            out += [after[section].rstrip("\n"), ""]
    return "\n".join(out).rstrip("\n") + "\n"


def _owner_order(line: Line) -> tuple[bool, str]:
    """Owners by name, the lines nobody owns last (stable: each owner's in their order)."""
    return (not line.owner, line.owner or "")


# -- the requirement pool ------------------------------------------------------------------

POOL_COLUMNS = ("title", "status", "source_kind", "source", "reach", "impact", "confidence", "effort", "weight",
                "rice_score", "weighted_score", "axis", "quarter")


def waiting_text(item: PoolItem) -> str:
    """The open deals and opportunities of the customers a request comes from."""
    parts = ([t("pool.deals", count=item.deals)] if item.deals else []) + \
        ([t("pool.opportunities", count=item.opportunities)] if item.opportunities else [])
    return t("text.list_sep").join(parts)


def movement_text(movement: Movement | None) -> str:
    """▲3, ▼1, = or new, and which inputs moved it ("Reach 800 → 2000")."""
    if movement is None:
        return ""
    by = {"up": movement.by, "down": -movement.by, "same": 0}.get(movement.state)
    mark = t(f"rank.{movement.state}") if by is None else arrow(by)
    requests = SHEETS["requests"]
    moved = [f"{header(requests, k)} {cell(requests, k, old) or '—'} → {cell(requests, k, new) or '—'}"
             for k, old, new in movement.moved]
    return mark + t("weekly.paren", text=t("weekly.semicolon").join(moved)) if moved else mark


def pool_markdown(pool: Pool, top: int) -> str:
    """The top of the pool as a table, ranked by weighted RICE score; the move since the
    last ranking kept, and the requests that left the pool since."""
    if not pool.items and not pool.gone:
        return t("export.no_rows") + "\n"
    moves = [t("rank.move", quarter=pool.since)] if pool.since else []
    requests = SHEETS["requests"]
    heads = ["#", *moves, *(header(requests, c) for c in POOL_COLUMNS), t("pool.waiting")]
    right = [True, *(False for _ in moves), *(numeric(requests, c) for c in POOL_COLUMNS), False]

    def cells(item: PoolItem) -> list[str]:
        values = {**item.row.values, **item.row.computed}
        return [str(item.position), *([movement_text(item.movement)] if moves else []),
                *(cell(requests, c, values.get(c)) for c in POOL_COLUMNS), waiting_text(item)]

    out = markdown_table(heads, right, map(cells, pool.items[:top]))
    if len(pool.items) > top:
        out += ["", t("rank.more", count=len(pool.items) - top)]
    if pool.gone:
        out += ["", t("rank.gone", quarter=pool.since, titles=", ".join(escape_md(m.title) for m in pool.gone))]
    return "\n".join(out) + "\n"
