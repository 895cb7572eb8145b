"""Use cases of the Friday plan: compile it from the week and the tables, let the PM
edit it, and hand it to next Monday."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pmweek.db import checklists, plans, records, store
from pmweek.db.engine import unit
from pmweek.db.tables import PlanLine
from pmweek.domain.calendar import Week, month_of, shift_month, utcnow
from pmweek.domain.models import moved
from pmweek.domain.plan import (
    OPPORTUNITY_MONTHS,
    TYPED_SECTIONS,
    Candidate,
    PlanLineView,
    PlanView,
    merge,
    next_week_range,
)
from pmweek.domain.sheets import difference, format_value, ratio
from pmweek.domain.text import check_text
from pmweek.domain.workweek import count_workdays_after
from pmweek.errors import InputError, NotFound

if TYPE_CHECKING:
    from pmweek.calendars import WorkCalendar
from pmweek.i18n import t

DRAFT_KEY = "thu-plan-draft"


def _weekday(day: date) -> bool:
    return day.isoweekday() <= 5
MAX_LINE = 1000
MAX_OWNER = 200


class PlanService:
    def __init__(
        self,
        engine: Engine,
        clock: Callable[[], datetime] = utcnow,
        calendar: Callable[[Session], WorkCalendar] | None = None,
        user: str = "",
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.user = user  # whose plan
        # Carry-over is counted in workdays of the user's calendar.
        self._calendar = calendar

    # -- reading ------------------------------------------------------------------------

    def plan(self, week: Week) -> PlanView | None:
        """The plan compiled during ``week`` (it plans the week after), if any."""
        with unit(self.engine, read_only=True) as session:
            row = plans.find_plan(session, self.user, week.year, week.number)
            return None if row is None else self._view(session, row)

    def plan_for(self, week: Week) -> PlanView | None:
        """The plan made for ``week``: the one compiled the week before."""
        return self.plan(week.previous)

    @staticmethod
    def _view(session: Session, row) -> PlanView:
        lines = tuple(PlanLineView(*r) for r in plans.plan_lines(session, row.id))
        return PlanView(Week(row.iso_year, row.iso_week), row.compiled_at, row.compile_count, lines)

    # -- compiling ----------------------------------------------------------------------

    def compile(self, today: date) -> PlanView:
        """Compile (or compile again) the plan of ``today``'s week for the week after."""
        week = Week.of(today)
        now = self.clock()
        with unit(self.engine) as session:
            candidates = self._candidates(session, week, today)
            row = plans.find_plan(session, self.user, week.year, week.number)
            try:
                if row is None:
                    plan_id, count = plans.insert_plan(session, self.user, week.year, week.number, now), 1
                    existing: list[PlanLineView] = []
                else:
                    plan_id, count = row.id, row.compile_count + 1
                    plans.update_plan(session, plan_id, compiled_at=now, compile_count=count)
                    existing = [PlanLineView(*r) for r in plans.plan_lines(session, plan_id)]
                result = merge(existing, candidates, now)
                plans.delete_plan_lines(session, result.delete)
                for line in result.update:
                    plans.update_plan_line(
                        session, line.id, text=line.text, owner=line.owner, due=line.due,
                        carried=line.carried, updated_at=now,
                    )
                for line in result.insert:
                    plans.insert_plan_line(
                        session, plan_id=plan_id, section=line.section, position=line.position,
                        source_key=line.source_key, text=line.text, owner=line.owner, due=line.due,
                        carried=line.carried, added_at=now, updated_at=now,
                    )
                session.commit()
            except IntegrityError:
                # Another window compiled this week's plan at the same moment: show theirs.
                session.rollback()
            row = plans.find_plan(session, self.user, week.year, week.number)
            return self._view(session, row)

    def _candidates(self, session: Session, week: Week, today: date) -> list[Candidate]:
        out: list[Candidate] = []
        week_row = checklists.find_week(session, self.user, week.year, week.number)
        if week_row is not None:
            is_workday = self._calendar(session).is_workday if self._calendar else _weekday
            prev = week.previous
            # All undone items of this week (day 6 = after Friday) and last week's leftovers.
            for r in checklists.open_items_before(session, self.user, week_row.id, 6, (prev.year, prev.number)):
                if r.table_name == "plan":
                    continue  # the plan's own items: the draft's note is a section of its own
                origin = Week(r.iso_year, r.iso_week).day(r.day)
                carried = count_workdays_after(origin, today, is_workday)
                out.append(Candidate("unfinished", f"task:{r.id}", r.title, carried=carried))
            note = checklists.week_item_note(session, week_row.id, DRAFT_KEY) or ""
            for line in note.splitlines():
                text = line.strip().lstrip("-*•").strip()
                if text:
                    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
                    out.append(Candidate("draft", f"draft:{digest}", text))
        _, until = next_week_range(today)
        for r in records.pending_tickets(session, ("category", "plan", "owner", "due"), until):
            text = f"{r.category}: {r.plan}" if r.plan else r.category
            out.append(Candidate("tickets", f"ticket:{r.id}", text, owner=r.owner, due=r.due))
        for r in records.pending_deals(session, ("customer", "requirement", "progress", "go_live"), until):
            text = " · ".join(str(p) for p in (r.customer, r.requirement, r.progress) if p)
            out.append(Candidate("deals", f"deal:{r.id}", text, due=r.go_live))
        since = shift_month(month_of(today), 1 - OPPORTUNITY_MONTHS)
        for r in records.open_opportunities(session, ("customer", "reason", "spend", "month"), since):
            spend = f" ({t('value.spend', value=format_value(r.spend))})" if r.spend is not None else ""
            out.append(Candidate("opportunities", f"opp:{r.id}", f"{r.customer}{spend}: {r.reason}"))
        out.append(self._revenue(session, month_of(today)))
        return out

    @staticmethod
    def _revenue(session: Session, month: str) -> Candidate:
        rows = records.sheet_rows(session, "revenue", ("cash", "forecast"), month, month)
        if not rows or rows[0].cash is None:
            text = t("plan.revenue_missing", month=month)
        elif rows[0].forecast is None:
            text = t("plan.revenue_no_forecast", month=month, cash=format_value(rows[0].cash))
        else:
            cash, forecast = rows[0].cash, rows[0].forecast
            gap = difference(cash, forecast)
            text = t(
                "plan.revenue_line", month=month, cash=format_value(cash), forecast=format_value(forecast),
                rate=f"{ratio(cash, forecast) * 100:.1f}%" if forecast else "—",
                gap=("+" if gap > 0 else "") + format_value(round(gap, 2)),
            )
        return Candidate("revenue", f"revenue:{month}", text)

    # -- editing --------------------------------------------------------------------------

    def add_line(self, today: date, section: str, text: str, owner: str = "", due: str = "") -> int:
        """A line typed by the PM: a free item, or a cross-team need (team, need, due)."""
        if section not in TYPED_SECTIONS:
            raise ValueError(section)
        values = self._clean(text, owner, due)
        week = Week.of(today)
        if self.plan(week) is None:
            self.compile(today)
        with unit(self.engine) as session:
            row = plans.find_plan(session, self.user, week.year, week.number)
            now = self.clock()
            ids = plans.section_line_ids(session, row.id, section)
            line_id = plans.insert_plan_line(
                session, plan_id=row.id, section=section, position=len(ids), source_key=None,
                owner_edited=True, text_edited=True, added_at=now, updated_at=now, **values,
            )
            session.commit()
            return line_id

    def edit_line(self, line_id: int, text: str, owner: str = "", due: str = "", priority: int | None = None) -> None:
        values = self._clean(text, owner, due)
        with unit(self.engine) as session:
            line = self._line(session, line_id)
            changes = dict(values, priority=priority, updated_at=self.clock())
            changes["text_edited"] = line.text_edited or values["text"] != line.text
            changes["owner_edited"] = line.owner_edited or values["owner"] != line.owner
            plans.update_plan_line(session, line_id, **changes)
            session.commit()

    def set_priority(self, line_id: int, priority: int | None) -> None:
        if priority is not None and priority not in (1, 2, 3):
            raise InputError("error.priority")
        with unit(self.engine) as session:
            self._line(session, line_id)
            plans.update_plan_line(session, line_id, priority=priority, updated_at=self.clock())
            session.commit()

    def toggle_dropped(self, line_id: int) -> bool:
        with unit(self.engine) as session:
            line = self._line(session, line_id)
            now = self.clock()
            dropped = line.dropped_at is None
            plans.update_plan_line(session, line_id, dropped_at=now if dropped else None, updated_at=now)
            session.commit()
            return dropped

    def toggle_done(self, line_id: int) -> datetime | None:
        """Tick a plan line off on Monday (or untick it)."""
        with unit(self.engine) as session:
            line = self._line(session, line_id)
            now = self.clock()
            done_at = now if line.done_at is None else None
            plans.update_plan_line(session, line_id, done_at=done_at, updated_at=now)
            session.commit()
            return done_at

    def move_line(self, line_id: int, delta: int) -> None:
        with unit(self.engine) as session:
            line = self._line(session, line_id)
            ids = plans.section_line_ids(session, line.plan_id, line.section)
            store.set_positions(session, PlanLine, moved(ids, line_id, delta))
            session.commit()

    @staticmethod
    def _line(session: Session, line_id: int):
        line = plans.plan_line(session, line_id)
        if line is None:
            raise NotFound("error.line_gone")
        return line

    @staticmethod
    def _clean(text: str, owner: str, due: str) -> dict:
        from pmweek.domain.calendar import parse_date

        check_text(text or "", "field.plan_text", limit=MAX_LINE * 2, multiline=True)
        check_text(owner or "", "field.plan_owner", limit=MAX_OWNER)
        clean = " ".join((text or "").split())
        if not clean:
            raise InputError("error.field_required", field="field.plan_text")
        if len(clean) > MAX_LINE:
            raise InputError("error.field_long", field="field.plan_text", limit=MAX_LINE)
        due_value = None
        if due and due.strip():
            try:
                due_value = parse_date(due)
            except ValueError:
                raise InputError("error.field_date", field="field.due", value=due.strip()) from None
        return {"text": clean, "owner": " ".join((owner or "").split()) or None, "due": due_value}
