"""The sources a document kind gathers from (``domain.documents.sources.Sources``),
answered by the use cases and the storage layer: a report reads what the tables, the
checklist and the plan show."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from pmweek.db import checklists, records
from pmweek.db.engine import unit
from pmweek.domain.calendar import Week

if TYPE_CHECKING:
    from pmweek.services import Services


def _dicts(rows: Sequence, fields: Sequence[str]) -> list[dict[str, Any]]:
    return [{"id": r[0], **dict(zip(fields, r[1:1 + len(fields)], strict=True))} for r in rows]


class ServiceSources:
    def __init__(self, services: Services) -> None:
        self.s = services
        self.engine = services.engine
        self.user = services.user

    def _read(self, read: Callable, *args, **kwargs) -> Any:
        with unit(self.engine, read_only=True) as session:
            return read(session, *args, **kwargs)

    # -- records

    def rows(self, sheet: str, first: str | None, last: str | None, today: date,
             only: Mapping[str, Sequence[str]] | None = None) -> list[Any]:
        return self.s.sheets.rows(sheet, first, last, today, only=dict(only) if only else None)

    def book_rows(self, book: str, first: str, last: str, today: date) -> list[dict[str, Any]]:
        return self.s.sheets.book(book, first, last, today).rows

    def dated(self, sheet: str, fields: Sequence[str], on: str, first: date, last: date) -> list[dict[str, Any]]:
        return _dicts(self._read(records.dated_rows, sheet, fields, on, first, last), fields)

    def touched(self, sheet: str, fields: Sequence[str], first: datetime, last: datetime) -> list[dict[str, Any]]:
        found = self._read(records.touched_rows, sheet, fields, first, last)
        return [{**row, "created": r[-1] >= first} for row, r in zip(_dicts(found, fields), found, strict=True)]

    def request_sources(self) -> list[str]:
        return [r["source"] for r in self.of_periods("requests", ["source"], "source_kind", ["partner"])
                if r.get("source")]

    def named(self, sheet: str, fields: Sequence[str], on: str, names: Sequence[str]) -> list[dict[str, Any]]:
        return _dicts(self._read(records.named_rows, sheet, fields, on, names), fields)

    def overlapping(self, sheet: str, fields: Sequence[str], start: str, end: str,
                    first: date, last: date) -> list[dict[str, Any]]:
        return _dicts(self._read(records.overlapping_rows, sheet, fields, start, end, first, last), fields)

    def of_periods(self, sheet: str, fields: Sequence[str], on: str, periods: Sequence[str]) -> list[dict[str, Any]]:
        return _dicts(self._read(records.sheet_rows, sheet, fields, None, None, on=on, only={on: periods}), fields)

    def pending_tickets(self, fields: Sequence[str], until: date) -> list[dict[str, Any]]:
        return _dicts(self._read(records.pending_tickets, fields, until), fields)

    def pending_deals(self, fields: Sequence[str], until: date) -> list[dict[str, Any]]:
        return _dicts(self._read(records.pending_deals, fields, until), fields)

    def open_opportunities(self, fields: Sequence[str], since_month: str) -> list[dict[str, Any]]:
        return _dicts(self._read(records.open_opportunities, fields, since_month), fields)

    # -- figures, goals, OKRs, the pool and risks

    def monthly(self, first: str, last: str, today: date) -> Any:
        return self.s.figures.monthly(first, last, today)

    def goals(self, periods: Sequence[str], today: date, monthly: Any) -> Any:
        return self.s.figures.goals(tuple(periods), today, monthly)

    def actual(self, metric: str, period: str, monthly: Any) -> Any:
        return self.s.figures.actual(metric, period, monthly)

    def objectives(self, quarter: str, today: date, monthly: Any, tasks: bool = True) -> Any:
        return self.s.okrs.objectives(quarter, today, monthly, tasks)

    def pool(self, today: date) -> Any:
        return self.s.pool.pool(today)

    def roadmap(self, year: str, today: date, pool: Any) -> Any:
        return self.s.pool.roadmap(year, today, pool)

    def risk_changes(self, ids: Sequence[int]) -> dict[int, Any]:
        return self.s.pool.risk_changes(list(ids))

    def risk_scores_before(self, ids: Sequence[int], day: date) -> dict[int, Any]:
        return self.s.pool.risk_scores_before(list(ids), day)

    # -- the checklist and the plan

    def week(self, week: Week, today: date) -> Any:
        return self.s.checklist.peek_week(week, today)

    def open_items(self, week: Week) -> list[dict[str, Any]] | None:
        with unit(self.engine, read_only=True) as session:
            row = checklists.find_week(session, self.user, week.year, week.number)
            if row is None:
                return None
            prev = week.previous
            # Day 8 = after Sunday: all of this week, and last week's leftovers.
            items = checklists.open_items_before(session, self.user, row.id, 8, (prev.year, prev.number))
            return [{"id": r.id, "key": r.key, "title": r.title, "table_name": r.table_name,
                     "date": Week(r.iso_year, r.iso_week).day(r.day)} for r in items]

    def item_note(self, week: Week, key: str) -> str:
        with unit(self.engine, read_only=True) as session:
            row = checklists.find_week(session, self.user, week.year, week.number)
            return (row and checklists.week_item_note(session, row.id, key)) or ""

    def item_notes(self, key: str, weeks: Sequence[Week]) -> list[tuple[int, date, str]]:
        rows = self._read(checklists.item_notes, self.user, key, [(w.year, w.number) for w in weeks])
        return [(r.id, Week(r.iso_year, r.iso_week).day(r.day), r.note) for r in rows]

    def workday(self) -> Callable[[date], bool]:
        return self.s.checklist.calendar().is_workday

    def routine(self) -> Any:
        return self.s.checklist.template()

    def plan_made_in(self, week: Week) -> Any:
        return self.s.documents.plan_made_in(week)

    def plan_for(self, week: Week) -> Any:
        return self.s.documents.plan_for(week)

    def responsibilities(self) -> list[str]:
        return self.s.documents.responsibilities()
