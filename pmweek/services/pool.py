"""The requirement pool: requests ranked by RICE, the quarterly re-rank kept as it stood,
and how each request moved since; the risk ledger's reviews."""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import TYPE_CHECKING, NamedTuple

from sqlalchemy.exc import IntegrityError

from pmweek.db import plans, records
from pmweek.db.engine import unit
from pmweek.domain.calendar import month_of, quarter_of, shift_quarter
from pmweek.domain.periods import YEAR
from pmweek.domain.documents.yearly import QuarterPlan
from pmweek.domain.rice import INPUTS, Movement, Ranked, movements
from pmweek.domain.sheets import SHEETS, RowView, parse_value
from pmweek.domain.text import check_text
from pmweek.errors import InputError

if TYPE_CHECKING:
    from pmweek.services import Services

OPEN = ("new", "accepted", "planned")  # the pool: what is still to be decided or built
REQUESTS = SHEETS["requests"]
# What the pool shows and edits of a request (the rest stays in the requests table).
POOL_FIELDS = ("title", "status", "source_kind", "source", "reach", "impact", "confidence", "effort", "weight", "axis", "quarter")


class PoolItem(NamedTuple):  # a tuple: one per request of a pool of thousands
    row: RowView
    position: int
    movement: Movement | None = None  # against the last ranking kept; None when none was
    deals: int = 0  # open DA deals of the customers it comes from: they wait for it
    opportunities: int = 0  # open opportunities of those customers


@dataclass(frozen=True)
class Pool:
    items: tuple[PoolItem, ...]
    since: str | None  # the quarter of the ranking it is held against
    gone: tuple[Movement, ...] = ()


class PoolService:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.engine = services.engine

    def ranked(self, today: date, statuses: tuple[str, ...] = OPEN) -> list[RowView]:
        """The pool's requests in rank order (export table requests uses the same order),
        read with the fields the pool shows: one lean pass, for a pool of thousands."""
        with _no_collection(), unit(self.engine, read_only=True) as session:
            found = records.sheet_rows(session, "requests", POOL_FIELDS, None, None, only={"status": statuses})
        rows = [
            RowView("requests", r[0], values, REQUESTS.compute_values(values, today), r[-1])
            for r in map(tuple, found) for values in (dict(zip(POOL_FIELDS, r[1:-1], strict=True)),)
        ]
        rows.sort(key=REQUESTS.order)
        return rows

    def pool(self, today: date, statuses: tuple[str, ...] = OPEN, before: str | None = None) -> Pool:
        """The ranking now, each request with its movement since the last ranking kept
        (or the last one before quarter ``before``)."""
        with _no_collection():
            return self._pool(today, statuses, before)

    def _pool(self, today: date, statuses: tuple[str, ...], before: str | None) -> Pool:
        rows = self.ranked(today, statuses)
        with unit(self.engine, read_only=True) as session:
            quarters = [q for q in plans.snapshot_quarters(session) if before is None or q < before]
            kept = plans.snapshot(session, quarters[-1]) if quarters else []
            deals = records.open_counts(session, "deals", "customer")
            opportunities = records.open_counts(session, "opportunities", "customer")

        def waiting(row: RowView) -> tuple[int, int]:
            source = row.values.get("source")
            if not source or not (deals or opportunities):
                return 0, 0
            names = [n.strip().casefold() for n in re.split(r"[,，、;；]", source) if n.strip()]
            return sum(deals.get(n, 0) for n in names), sum(opportunities.get(n, 0) for n in names)

        if not quarters:
            return Pool(tuple(PoolItem(r, i + 1, None, *waiting(r)) for i, r in enumerate(rows)), None)
        now = [_ranked(r, i + 1) for i, r in enumerate(rows)]
        moved = {m.id: m for m in movements([_kept(k) for k in kept], now)}
        items = tuple(PoolItem(r, i + 1, moved.get(r.id), *waiting(r)) for i, r in enumerate(rows))
        gone = tuple(m for m in moved.values() if m.state == "gone")
        return Pool(items, quarters[-1], gone)

    def roadmap(self, year: str, today: date, pool: Pool | None = None) -> list[QuarterPlan]:
        """Each quarter of ``year``: the releases planned in it and the pool's requests aimed at it."""
        first, last = YEAR.days(year)
        pool = pool or self.pool(today)
        sheets = self.services.sheets
        releases = [{"id": r.id, **r.values, **r.computed}
                    for r in sheets.rows("releases", first.isoformat(), last.isoformat(), today)]
        phases = [{"id": r.id, **r.values, **r.computed}
                  for r in sheets.rows("phases", first.isoformat(), last.isoformat(), today)]
        return [
            QuarterPlan(q, tuple(r for r in releases if r.get("planned") and quarter_of(month_of(r["planned"])) == q),
                        tuple({"id": i.row.id, "title": i.row.values["title"], "status": i.row.values.get("status"),
                               "weighted": i.row.computed.get("weighted_score")}
                              for i in pool.items if i.row.values.get("quarter") == q),
                        tuple(p for p in phases if quarter_of(month_of(p["planned_start"])) == q))
            for q in (f"{year}-Q{n}" for n in range(1, 5))
        ]

    def snapshot(self, quarter: str, today: date) -> int:
        """Keep the pool's ranking for ``quarter`` as it stands, with each request's raw
        inputs; a quarter's ranking is kept once and never edited."""
        quarter = self.check_snapshot(quarter, today)
        rows = self.ranked(today)
        if not rows:
            raise InputError("error.snapshot_empty", value=quarter)
        taken = self.services.clock()
        with unit(self.engine) as session:
            if quarter in plans.snapshot_quarters(session):
                raise InputError("error.snapshot_exists", value=quarter)
            plans.insert_snapshot(session, [
                dict(quarter=quarter, request_id=r.id, position=i + 1, title=r.values["title"],
                     **{k: r.values.get(k) for k in INPUTS}, weighted=r.computed.get("weighted_score"),
                     taken_at=taken, taken_by=self.services.user)
                for i, r in enumerate(rows)
            ])
            try:
                session.commit()
            except IntegrityError:
                raise InputError("error.snapshot_exists", value=quarter) from None
        return len(rows)

    def check_snapshot(self, quarter: str, today: date) -> str:
        """The quarter a ranking may be kept for now: this one, or the next at its re-rank;
        once each. InputError otherwise, before anything is written."""
        quarter = parse_value(SHEETS["objectives"].field("quarter"), quarter)
        now = quarter_of(month_of(today))
        if quarter not in (now, shift_quarter(now, 1)):
            raise InputError("error.snapshot_quarter", value=quarter, now=now, next=shift_quarter(now, 1))
        if quarter in self.snapshots():
            raise InputError("error.snapshot_exists", value=quarter)
        return quarter

    def snapshots(self) -> list[str]:
        with unit(self.engine, read_only=True) as session:
            return plans.snapshot_quarters(session)

    def kept(self, quarter: str) -> list[Ranked]:
        with unit(self.engine, read_only=True) as session:
            return [_kept(k) for k in plans.snapshot(session, quarter)]

    # -- risks ---------------------------------------------------------------------------

    def review_risk(self, risk_id: int, likelihood: str, severity: str, note: str = "",
                    next_review: str | None = None, today: date | None = None) -> None:
        """A review of a risk: its scores as of today, kept, and the next review date."""
        raw = {"likelihood": likelihood, "severity": severity}
        if next_review is not None:
            raw["next_review"] = next_review
        sheet = SHEETS["risks"]
        values = {k: parse_value(sheet.field(k), v) for k, v in raw.items()}  # refuse before writing
        check_text(note or "", "field.review", limit=2000, multiline=True)
        day = today or self.services.clock().date()
        before = self.services.sheets.row("risks", risk_id).values
        self.services.sheets.edit("risks", risk_id, raw)
        with unit(self.engine) as session:
            if not plans.reviews(session, [risk_id]):
                # The first review: the scores it had until now come first, so its change shows at once.
                plans.insert_review(session, risk_id=risk_id, reviewed_on=day, likelihood=before["likelihood"],
                                    impact=before["severity"], note=None, reviewed_at=self.services.clock(),
                                    reviewed_by=self.services.user)
            plans.insert_review(session, risk_id=risk_id, reviewed_on=day, likelihood=values["likelihood"],
                                impact=values["severity"], note=(note or "").strip() or None,
                                reviewed_at=self.services.clock(), reviewed_by=self.services.user)
            session.commit()

    def risks_due(self, today: date) -> list[str]:
        """Open risks whose review date has passed, highest score first."""
        rows = self.services.sheets.rows("risks", None, None, today, only={"status": ("open", "watching")})
        return [r.values["risk"] for r in sorted(rows, key=SHEETS["risks"].order) if r.computed.get("review_due")]

    def risk_scores_before(self, risk_ids: list[int], day: date) -> dict[int, int]:
        """Each risk's score at its last review before ``day`` (a week's start: "since last week")."""
        with unit(self.engine, read_only=True) as session:
            found = plans.reviews(session, risk_ids)
        return {r.risk_id: r.likelihood * r.impact for r in found if r.reviewed_on < day}  # oldest first: last wins

    def risk_changes(self, risk_ids: list[int]) -> dict[int, int | None]:
        """Each risk's score now against its review before the last: + worse, − better,
        0 unchanged; None with fewer than two reviews."""
        with unit(self.engine, read_only=True) as session:
            found = plans.reviews(session, risk_ids)
        by_risk: dict[int, list] = {}
        for r in found:
            by_risk.setdefault(r.risk_id, []).append(r.likelihood * r.impact)
        return {i: (s[-1] - s[-2] if len(s) >= 2 else None) for i, s in by_risk.items()}


@contextmanager
def _no_collection() -> Iterator[None]:
    """No garbage-collector passes while thousands of plain rows are built: they hold no
    reference cycles (reference counting frees them), and each pass would walk every
    object of the process, which costs more than the ranking itself."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _kept(row) -> Ranked:  # noqa: ANN001 - a row of plans.SNAPSHOT_COLUMNS: id, title, position, INPUTS…, weighted
    return Ranked(row[0], row[1], row[2], tuple(row[3:8]), row[8])


_inputs = itemgetter(*INPUTS)


def _ranked(row: RowView, position: int) -> Ranked:
    return Ranked(row.id, row.values["title"], position, _inputs(row.values), row.computed["weighted_score"])

