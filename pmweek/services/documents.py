"""Compiled documents: gather a period's data, compile a kind's candidates, merge them
with the PM's saved edits. One service for every kind; a kind's data comes from the
same services as the tables and the plan, so a report and `export month` never
disagree."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from pmweek.db import checklists, records, settings, store
from pmweek.db import documents as stored
from pmweek.db.engine import unit
from pmweek.db.reads import SessionReads
from pmweek.db.tables import DocumentLineRow
from pmweek.domain.calendar import (
    Week,
    month_bounds,
    month_of,
    month_weeks,
    period_days,
    shift_month,
    shift_quarter,
    utcnow,
)
from pmweek.domain.documents import KINDS
from pmweek.domain.documents.engine import Document, Line, merge, merged, parse_priority
from pmweek.domain.documents.monthly import (
    STUCK_PLANS,
    SUMMARY_METRICS,
    MonthFigure,
    MonthlyData,
)
from pmweek.domain.documents.plan import PlanData
from pmweek.domain.documents.quarterly import BENEFIT_METRICS, LENSES, QuarterlyData, QuarterMonth
from pmweek.domain.documents.weekly import (
    RELEASES_AHEAD,
    Affair,
    Figure,
    PlanItem,
    WeeklyData,
)
from pmweek.domain.documents.yearly import MOVERS, POOL_TOP, Review, YearlyData
from pmweek.domain.goals import next_periods, period_months, periods_of_month
from pmweek.domain.models import moved
from pmweek.domain.okrs import name_key
from pmweek.domain.plan import OPPORTUNITY_MONTHS, next_week_range
from pmweek.domain.routine import same_work
from pmweek.domain.sheets import RISK_FLAGGED, SHEETS
from pmweek.domain.text import check_text
from pmweek.domain.workweek import count_workdays_after
from pmweek.errors import InputError, NotFound
from pmweek.services.reading import document_of, line_of

if TYPE_CHECKING:
    from pmweek.services import Services

MAX_LINE = 2000
DRAFT_KEY = "thu-plan-draft"  # Thursday's item whose note drafts next week's plan
FEEDBACK_KEY = "mon-launch-feedback"  # Monday's item whose notes are the month's user feedback
WORK_SECTIONS = ("unfinished", "draft", "added", "cross_team")  # a plan's lines of work (not reminders)
FIGURE_MONTHS = 12  # the sparkline's reach
MAX_DUTIES, MAX_DUTY = 20, 250  # responsibilities: lines, and characters a line (a meta value holds 255)


class DocumentService:
    def __init__(self, services: Services, clock: Callable[[], datetime] = utcnow) -> None:
        self.services = services
        self.engine: Engine = services.engine
        self.clock = clock
        self.user = services.user

    # -- reading ----------------------------------------------------------------------

    def saved(self, kind: str, period: str) -> Document | None:
        with unit(self.engine, read_only=True) as session:
            row = stored.find(session, kind, self.user, period)
            return None if row is None else document_of(SessionReads(session), row)

    def preview(self, kind: str, period: str, today: date) -> Document:
        """The saved document merged in memory with a fresh compile: what pressing
        compile would show, with nothing written (exports use this)."""
        candidates = KINDS[kind].compile(self._data(kind, period, today))
        document = self.saved(kind, period) or Document(kind, self.user, period, None, 0)
        return merged(document, candidates, self.clock(), KINDS[kind].nested)

    # -- compiling --------------------------------------------------------------------

    def compile(self, kind: str, period: str, today: date) -> Document:
        candidates = KINDS[kind].compile(self._data(kind, period, today))
        now = self.clock()
        with unit(self.engine) as session:
            row = stored.find(session, kind, self.user, period)
            try:
                if row is None:
                    document_id, existing = stored.insert_document(session, kind, self.user, period, now), []
                else:
                    document_id = row.id
                    stored.update_document(session, row.id, compiled_at=now, compile_count=row.compile_count + 1)
                    existing = [line_of(r) for r in stored.lines(session, row.id)]
                result = merge(existing, candidates, now, KINDS[kind].nested)
                stored.delete_lines(session, result.delete)
                for line in result.update:
                    stored.update_line(session, line.id, kind=line.kind, facts=_json(line.facts), owner=line.owner,
                                       due=line.due, position=line.position, updated_at=now)
                for line in result.insert:
                    stored.insert_line(
                        session, document_id=document_id, section=line.section, position=line.position,
                        source_key=line.source_key, kind=line.kind, facts=_json(line.facts), owner=line.owner,
                        due=line.due, priority=line.priority, added_at=now, updated_at=now,
                    )
                session.commit()
            except IntegrityError:
                session.rollback()  # another window compiled it at the same moment: show theirs
            return document_of(SessionReads(session), stored.find(session, kind, self.user, period))

    # -- editing ------------------------------------------------------------------------

    def add_line(
        self, kind: str, period: str, today: date, section: str, text: str,
        owner: str | None = None, due: date | None = None,
    ) -> int:
        if section not in KINDS[kind].typed_sections:
            raise ValueError(section)
        words = _clean(text)
        if self.saved(kind, period) is None:
            self.compile(kind, period, today)
        with unit(self.engine) as session:
            row = stored.find(session, kind, self.user, period)
            now = self.clock()
            line_id = stored.insert_line(
                session, document_id=row.id, section=section, kind="typed", text=words, owner=owner,
                owner_edited=True, due=due, position=len(stored.section_line_ids(session, row.id, section)),
                added_at=now, updated_at=now,
            )
            session.commit()
            return line_id

    def edit_line(self, line_id: int, text: str, priority: str | int | None = None) -> None:
        """The PM's own words for a line (and its priority, as typed); a recompile keeps them."""
        self.edit(line_id, text=_clean(text), priority=parse_priority(priority))

    def edit(self, line_id: int, **changes) -> None:
        """Change a line's ``text`` (the PM's words), ``owner``, ``due`` or ``priority``;
        an owner the PM set is theirs from then on."""
        if "priority" in changes:
            changes["priority"] = parse_priority(changes["priority"])
        if "owner" in changes:
            changes["owner_edited"] = True
        with unit(self.engine) as session:
            _existing(session, line_id)
            stored.update_line(session, line_id, **changes, updated_at=self.clock())
            session.commit()

    def line(self, line_id: int) -> Line:
        with unit(self.engine, read_only=True) as session:
            return line_of(_existing(session, line_id))

    def toggle_done(self, line_id: int, done: bool | None = None) -> datetime | None:
        """Tick a line off (Monday works through the plan) or untick it (``done``; None:
        the other way round from now). Already so: left as it is."""
        with unit(self.engine) as session:
            line = _existing(session, line_id)
            if done is None:
                done = line.done_at is None
            if done == (line.done_at is not None):
                return line.done_at
            now = self.clock()
            done_at = now if done else None
            stored.update_line(session, line_id, done_at=done_at, updated_at=now)
            session.commit()
            return done_at

    def toggle_dropped(self, line_id: int) -> bool:
        with unit(self.engine) as session:
            line = _existing(session, line_id)
            now = self.clock()
            dropped = line.dropped_at is None
            stored.update_line(session, line_id, dropped_at=now if dropped else None, updated_at=now)
            session.commit()
            return dropped

    def move_line(self, line_id: int, delta: int) -> None:
        with unit(self.engine) as session:
            line = _existing(session, line_id)
            ids = stored.section_line_ids(session, line.document_id, line.section)
            store.set_positions(session, DocumentLineRow, moved(ids, line_id, delta))
            session.commit()

    def owners(self) -> list[str]:
        with unit(self.engine, read_only=True) as session:
            return stored.owners(session)

    # -- the data each kind is compiled from ---------------------------------------------

    def _data(self, kind: str, period: str, today: date) -> Any:
        if kind == "weekly":
            return self._weekly(Week.parse(period), today)
        if kind == "plan":
            return self._plan(Week.parse(period), today)
        if kind == "monthly":
            return self._monthly(period, today)
        if kind == "quarterly":
            return self._quarterly(period, today)
        if kind == "yearly":
            return self._yearly(period, today)
        raise KeyError(kind)

    # -- the PM's responsibilities: their own text, kept from quarter to quarter

    def _duty_key(self) -> str:
        return "duty:" + hashlib.sha1(self.user.encode()).hexdigest()[:16]

    def responsibilities(self) -> list[str]:
        with unit(self.engine, read_only=True) as session:
            return settings.meta_lines(session, self._duty_key())

    def set_responsibilities(self, text: str) -> list[str]:
        """Keep the PM's responsibilities, one per line; InputError for too many or too long."""
        check_text(text or "", "quarterly.section.responsibilities", limit=MAX_DUTIES * MAX_DUTY, multiline=True)
        lines = [" ".join(ln.split()) for ln in (text or "").splitlines() if ln.strip()]
        if len(lines) > MAX_DUTIES:
            raise InputError("error.too_many_lines", field="quarterly.section.responsibilities", limit=MAX_DUTIES)
        if any(len(ln) > MAX_DUTY for ln in lines):
            raise InputError("error.field_long", field="quarterly.section.responsibilities", limit=MAX_DUTY)
        with unit(self.engine) as session:
            settings.set_meta_lines(session, self._duty_key(), lines)
            session.commit()
        return lines

    def _yearly(self, year: str, today: date) -> YearlyData:
        """The year's goals on their axes, the pool's top, the roadmap and release rhythm
        by quarter, open risks, the OKR reviews of the quarters that ended and what moved
        in the pool since its last ranking."""
        s = self.services
        quarters = [f"{year}-Q{n}" for n in range(1, 5)]
        monthly = s.figures.monthly(f"{year}-01", f"{year}-12", today)
        # A key result without an axis of its own stands on its objective's.
        objective_keys = [f.key for f in SHEETS["objectives"].fields]
        with unit(self.engine, read_only=True) as session:
            axes = {(v["quarter"], name_key(v["objective"])): v.get("axis") for v in (
                dict(zip(objective_keys, r[1:-1], strict=True)) for r in records.sheet_rows(
                    session, "objectives", objective_keys, None, None, on="quarter", only={"quarter": quarters}))}
        goals = tuple(replace(g, axis=g.axis or axes.get((g.period, name_key(g.objective))))
                      for g in s.figures.goals((year, *quarters), today, monthly))
        pool = s.pool.pool(today)
        top = tuple({"id": i.row.id, "title": i.row.values["title"], "position": i.position,
                     "score": i.row.computed.get("rice_score"), "weighted": i.row.computed.get("weighted_score"),
                     "weight": i.row.values.get("weight"), "quarter": i.row.values.get("quarter"),
                     "axis": i.row.values.get("axis")}
                    for i in pool.items[:POOL_TOP] if i.row.computed.get("weighted_score") is not None)
        unscored = sum(1 for i in pool.items if i.row.computed.get("weighted_score") is None)
        roadmap = tuple(s.pool.roadmap(year, today, pool))
        risks = sorted((r for r in s.sheets.rows("risks", None, None, today, only={"status": ("open", "watching")})),
                       key=SHEETS["risks"].order)
        changes = s.pool.risk_changes([r.id for r in risks])
        ended = [q for q in quarters if period_days("quarter", q)[1] < today]
        reviews = tuple(Review(q, tuple(kr.goal for o in s.okrs.objectives(q, today, monthly) for kr in o.krs))
                        for q in ended)
        return YearlyData(
            year, today, goals, top, unscored, roadmap,
            tuple({"id": r.id, **r.values, **r.computed, "change": changes.get(r.id)} for r in risks),
            reviews, _movers(pool), pool.since,
        )

    def _quarterly(self, quarter: str, today: date) -> QuarterlyData:
        """The quarter's projects (large ones with their phases and releases), its
        objectives with key results and tasks, its figures by month, next quarter's
        plans and the insights it recorded."""
        s = self.services
        first_day, last_day = period_days("quarter", quarter)
        months = period_months(quarter)
        before, after = shift_quarter(quarter, -1), shift_quarter(quarter, 1)
        next_first, next_last = period_days("quarter", after)
        monthly = s.figures.monthly(period_months(before)[0], period_months(after)[-1], today)
        project_keys = [f.key for f in SHEETS["projects"].fields]
        phase_keys = [f.key for f in SHEETS["phases"].fields]
        with unit(self.engine, read_only=True) as session:
            projects = [{"id": r.id, **dict(zip(project_keys, r[1:], strict=True))} for r in records.overlapping_rows(
                session, "projects", project_keys, "start", "end", first_day, last_day)]
            large = [p for p in projects if p.get("size") != "small"]
            names = sorted({name_key(p["project"]) for p in large})
            phases = [{"id": r.id, **dict(zip(phase_keys, r[1:], strict=True))}
                      for r in records.named_rows(session, "phases", phase_keys, "project", names)]
            wanted = sorted({name_key(n) for p in large for n in _names(p.get("releases"))})
            releases: dict[str, list] = {}
            for r in records.named_rows(session, "releases", ("name", "released"), "name", wanted):
                if r.released is not None:
                    releases.setdefault(name_key(r.name), []).append(r)
            requests = [r for r in records.dated_rows(session, "requests", ("title", "source", "status", "needed_by"),
                                                       "needed_by", next_first, next_last)
                        if r.status in ("new", "accepted", "planned")]
            upcoming = [r for r in records.dated_rows(session, "releases", ("name", "planned", "released"), "planned",
                                                      next_first, next_last) if r.released is None]
            lenses = Counter(r.lens for r in records.dated_rows(session, "insights", ("lens",), "date",
                                                                 first_day, last_day))
            duties = settings.meta_lines(session, self._duty_key())
        for p in large:
            mine = [ph for ph in phases if name_key(ph["project"]) == name_key(p["project"])
                    and p["start"] <= ph["planned_start"] and (p.get("end") is None or ph["planned_start"] <= p["end"])]
            p["phases"] = [{**ph, **SHEETS["phases"].compute_values(ph, today)}
                           for ph in sorted(mine, key=lambda ph: (ph["planned_start"], ph["id"]))]
            # A name released more than once: the release nearest the project's end.
            end = p.get("end") or last_day
            p["shipped"] = [(r.name, r.released) for r in (
                min(releases[name_key(n)], key=lambda r: abs((r.released - end).days))
                for n in _names(p.get("releases")) if name_key(n) in releases)]
        moved = tuple((m, s.figures.actual(m, quarter, monthly), s.figures.actual(m, before, monthly))
                      for m in BENEFIT_METRICS)
        figures = tuple(QuarterMonth(m, *(monthly.get(k, {}).get(m) for k in ("cash", "forecast", "users", "instances")))
                        for m in months)
        return QuarterlyData(
            quarter, today, tuple(duties), tuple(large), tuple(p for p in projects if p.get("size") == "small"),
            tuple(s.okrs.objectives(quarter, today, monthly)), moved, figures,
            tuple(s.okrs.objectives(after, today, monthly)),
            tuple({"id": r.id, "name": r.name, "planned": r.planned} for r in upcoming),
            tuple(r._asdict() for r in requests),
            tuple((lens, lenses[lens]) for lens in LENSES if lenses[lens]),
            _movers(pool := s.pool.pool(today)), pool.since,
        )

    def _plan(self, week: Week, today: date) -> PlanData:
        """What the week left open and what the tables say is coming next week."""
        with unit(self.engine, read_only=True) as session:
            unfinished, draft = [], []
            week_row = checklists.find_week(session, self.user, week.year, week.number)
            if week_row is not None:
                is_workday = self.services.checklist.calendar(session).is_workday
                prev = week.previous
                routine = self.services.checklist.template()
                # All undone items of this week (day 8 = after Sunday) and last week's leftovers,
                # but not routine items: they come back by themselves next week.
                for r in checklists.open_items_before(session, self.user, week_row.id, 8, (prev.year, prev.number)):
                    if r.table_name == "plan":
                        continue  # the plan's own items: the draft's note is a section of its own
                    if any(same_work(r.key, r.title, i.key, i.title) for i in routine):
                        continue
                    origin = Week(r.iso_year, r.iso_week).day(r.day)
                    unfinished.append((r.id, r.title, count_workdays_after(origin, today, is_workday)))
                note = checklists.week_item_note(session, week_row.id, DRAFT_KEY) or ""
                draft = [text for line in note.splitlines() if (text := line.strip().lstrip("-*•").strip())]
            _, until = next_week_range(today)
            tickets = [r._asdict() for r in records.pending_tickets(session, ("category", "plan", "owner", "due"), until)]
            deals = [r._asdict() for r in
                     records.pending_deals(session, ("customer", "requirement", "progress", "go_live"), until)]
            since = shift_month(month_of(today), 1 - OPPORTUNITY_MONTHS)
            opportunities = [r._asdict() for r in
                             records.open_opportunities(session, ("customer", "reason", "spend", "month"), since)]
            month = month_of(today)
            rows = records.sheet_rows(session, "revenue", ("cash", "forecast"), month, month)
            revenue = {"month": month, "cash": rows[0].cash if rows else None,
                       "forecast": rows[0].forecast if rows else None}
        return PlanData(week, today, tuple(unfinished), tuple(draft), tuple(tickets), tuple(deals),
                        tuple(opportunities), revenue)

    def _weekly(self, week: Week, today: date) -> WeeklyData:
        s = self.services
        end = min(today, week.day(7))
        affairs, seen = [], set()
        for day in s.checklist.peek_week(week, today).days:
            for task in day.tasks:
                if task.dismissed_at is not None or day.date > end or (task.id is not None and task.id in seen):
                    continue  # a block item (Tue–Wed) is one affair
                seen.add(task.id)
                days_open = 0 if task.done_at is not None else (end - day.date).days
                affairs.append(Affair(task.id, task.title, day.date, task.note, task.done_at is not None, days_open))
        horizon = today + timedelta(days=RELEASES_AHEAD)
        # Who waits for a release, linked to the open DA deals of the same customer.
        deals = {r.values["customer"].casefold(): r.values for r in
                 s.sheets.rows("deals", None, None, today, only={"status": ("open",)})}
        releases = []
        for r in s.sheets.rows("releases", (week.monday - timedelta(days=180)).isoformat(), horizon.isoformat(),
                               today):
            waiting = [w.strip() for w in re.split(r"[,，、;；\n]", r.values.get("waiting") or "") if w.strip()]
            linked = [(w, deals[w.casefold()].get("go_live")) for w in waiting if w.casefold() in deals]
            releases.append({"id": r.id, **r.values, **r.computed, "deals": linked})
        insights = [{"id": r.id, **r.values}
                    for r in s.sheets.rows("insights", week.monday.isoformat(), week.day(7).isoformat(), today)]
        open_partner = {"source_kind": ("partner",), "status": ("new", "accepted", "planned")}
        requests = sorted(
            ({"id": r.id, **r.values} for r in s.sheets.rows("requests", None, None, today, only=open_partner)),
            key=lambda r: (r["needed_by"] is None, r["needed_by"] or today),
        )
        plan = s.plan.plan(week)  # compiled this week, for the next
        lines = [ln for ln in (plan.lines if plan else ()) if not ln.dropped]
        cross = tuple(PlanItem(ln.id, ln.text, ln.owner, ln.priority, ln.due) for ln in lines
                      if ln.section == "cross_team")
        focus = tuple(PlanItem(ln.id, ln.text, ln.owner, ln.priority, ln.due) for ln in lines
                      if ln.section != "cross_team")
        flagged = [r for r in s.sheets.rows("risks", None, None, today, only={"status": ("open", "watching")})
                   if (r.computed.get("risk_score") or 0) >= RISK_FLAGGED]
        before = s.pool.risk_scores_before([r.id for r in flagged], week.monday)
        risks = tuple({"id": r.id, **r.values, **r.computed,
                       "change": r.computed["risk_score"] - before[r.id] if r.id in before else None}
                      for r in sorted(flagged, key=SHEETS["risks"].order))
        return WeeklyData(week, today, tuple(affairs), tuple(releases), tuple(insights), self._figures(today),
                          cross, tuple(requests), focus, risks=risks)

    def _figures(self, today: date) -> tuple[Figure, ...]:
        """This month so far against last month, with twelve months behind each: from
        the same books as the tables and `export month`."""
        month = month_of(today)
        first = shift_month(month, 1 - FIGURE_MONTHS)
        months = [shift_month(first, i) for i in range(FIGURE_MONTHS)]
        sheets = self.services.sheets
        # The same per-month figures as the monthly summary, the charts and goals.
        monthly = self.services.figures.monthly(first, month, today)
        tickets = sheets.book("tickets", month, month, today).rows
        deals = sheets.book("deals", month, month, today).rows

        def series(metric: str, table: str, key: str, target: float | None = None) -> Figure:
            values = monthly.get(key, {})
            history = tuple(values.get(m) for m in months)
            return Figure(metric, table, month, values.get(month), values.get(shift_month(month, -1)), history, target)

        figures = [
            series("cash", "revenue", "cash", monthly.get("forecast", {}).get(month)),
            series("users", "revenue", "users"),
            series("instances", "revenue", "instances"),
            series("valuable", "opportunities", "valuable-opportunities"),
            series("churn", "opportunities", "churn"),
            series("conversions", "campaigns", "conversions"),
        ]
        open_tickets = sum(1 for r in tickets if r.get("status") != "done")
        overdue = sum(1 for r in tickets if r.get("overdue"))
        live_soon = sum(1 for r in deals if r.get("days_to_go_live") is not None and r["days_to_go_live"] <= 14)
        figures += [
            Figure("tickets_open", "tickets", month, open_tickets if tickets else None, None),
            Figure("tickets_overdue", "tickets", month, overdue if tickets else None, None),
            Figure("deals_live", "deals", month, live_soon if deals else None, None),
        ]
        return tuple(figures)

    def _monthly(self, month: str, today: date) -> MonthlyData:
        """The month's goals, figures (against last month and the same month a year
        before), releases, deals, campaigns, problems, next month, feedback, market and
        team lines: from the same services as the tables, the plan and the weekly report."""
        s = self.services
        first_day, last_day = month_bounds(month)
        following = shift_month(month, 1)
        next_first, next_last = month_bounds(following)
        year_before = shift_month(month, -12)
        # This month's goals (and its quarter's and year's) and next month's, measured on
        # the same figures as the month's: one read from a year before to the last month
        # any of those goals covers.
        ahead = next_periods(following)
        periods = periods_of_month(month) + ahead
        last_needed = max(m for p in periods for m in period_months(p))
        monthly = s.figures.monthly(year_before, max(month, last_needed), today)
        history = [shift_month(month, i - FIGURE_MONTHS + 1) for i in range(FIGURE_MONTHS)]
        figures = tuple(
            MonthFigure(m, month, (v := monthly.get(m, {})).get(month), v.get(shift_month(month, -1)),
                        v.get(year_before), tuple(v.get(h) for h in history))
            for m in SUMMARY_METRICS
        )
        both = s.figures.goals(periods, today, monthly)
        goals = tuple(g for g in both if g.period not in ahead)
        next_goals = tuple(g for g in both if g.period in ahead)

        def values(sheet: str, first=None, last=None, **only) -> list[dict[str, Any]]:
            return [{"id": r.id, **r.values, **r.computed}
                    for r in s.sheets.rows(sheet, first, last, today, only=only or None)]

        releases = values("releases", (first_day - timedelta(days=365)).isoformat(), next_last.isoformat())
        released = tuple(r for r in releases if r.get("released") and first_day <= r["released"] <= last_day)
        pending = [r for r in releases if r.get("released") is None and r.get("planned")]
        slipped = tuple(r for r in pending if r["planned"] <= last_day and (r.get("days_late") or r["status"] == "slipped"))
        due_next = tuple(r for r in pending if next_first <= r["planned"] <= next_last)
        deals_live = tuple(values("deals", month, month, status=("live",)))  # as the deals-live metric counts
        deals_next = tuple(r for r in values("deals", year_before, following, status=("open",))
                           if r.get("go_live") and next_first <= r["go_live"] <= next_last)
        campaigns = tuple(sorted(values("campaigns", month, month),
                                 key=lambda r: (r.get("conversion_rate") is None, -(r.get("conversion_rate") or 0))))
        revenue = {"cash": monthly.get("cash", {}).get(month), "forecast": monthly.get("forecast", {}).get(month)}
        churned = tuple(values("churn", month, month))
        open_tickets = values("tickets", year_before, following, status=("open",))
        overdue = tuple(r for r in open_tickets if r.get("overdue") and r["due"] <= last_day)
        tickets_next = tuple(r for r in open_tickets if r.get("due") and next_first <= r["due"] <= next_last)
        requests = values("requests", month, month, source_kind=("customer", "partner"))
        customer = tuple(r for r in requests if r["source_kind"] == "customer")
        partner = tuple(r for r in requests if r["source_kind"] == "partner")
        insights = tuple(values("insights", first_day.isoformat(), last_day.isoformat()))
        weeks = month_weeks(month)
        with unit(self.engine, read_only=True) as session:
            notes = tuple(
                (r.id, Week(r.iso_year, r.iso_week).day(r.day), text)
                for r in checklists.item_notes(session, self.user, FEEDBACK_KEY, [(w.year, w.number) for w in weeks])
                for text in (ln.strip().lstrip("-*•·").strip() for ln in r.note.splitlines()) if text
            )
        # Plans made for the month's weeks (and the two before, to see work that sat long).
        plans = {w: s.plan.plan_for(w) for w in ([weeks[0].shift(-2), weeks[0].shift(-1)] if weeks else []) + weeks}
        cross, sat, in_month = [], {}, set()
        for week, plan in plans.items():
            for ln in (plan.lines if plan else ()):
                if ln.dropped_at is not None or ln.section not in WORK_SECTIONS:
                    continue
                if week in weeks and ln.section == "cross_team":
                    cross.append((ln.id, ln.text, ln.owner, ln.due))
                if ln.done_at is None:
                    key = " ".join(ln.text.casefold().split())
                    sat.setdefault(key, [ln.text, set()])[1].add(week)
                    if week in weeks:
                        in_month.add(key)
        stuck = tuple((text, len(seen)) for key, (text, seen) in sat.items()
                      if len(seen) >= STUCK_PLANS and key in in_month)
        return MonthlyData(
            month, today, goals, next_goals, figures, released, slipped, due_next, deals_live, deals_next,
            campaigns, revenue, churned, overdue, tickets_next, stuck, notes, customer, partner, insights, tuple(cross),
        )


def _movers(pool: Any) -> tuple[dict[str, Any], ...]:
    """The pool's biggest moves since its last ranking kept, with what left it."""
    moved = [i.movement for i in pool.items if i.movement is not None and i.movement.state != "same"]
    moved.sort(key=lambda m: (m.state != "new", -m.by))
    return tuple({"id": m.id, "title": m.title, "state": m.state, "by": m.by, "moved": [list(c) for c in m.moved]}
                 for m in [*moved[:MOVERS], *pool.gone])


def _names(text: str | None) -> list[str]:
    """Names typed as a list: split at commas (either width), semicolons or lines."""
    return [n.strip() for n in re.split(r"[,，、;；\n]", text or "") if n.strip()]


def _clean(text: str) -> str:
    check_text(text or "", "field.plan_text", limit=MAX_LINE, multiline=True)
    words = " ".join((text or "").split())
    if not words:
        raise InputError("error.field_required", field="field.plan_text")
    return words


def _json(facts: Any) -> str:
    return json.dumps(facts, ensure_ascii=False, sort_keys=True, default=str)


def _existing(session: Session, line_id: int):
    line = stored.line(session, line_id)
    if line is None:
        raise NotFound("error.line_gone")
    return line
