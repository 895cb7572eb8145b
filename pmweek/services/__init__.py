"""Use cases. ``open_services`` is the one factory the CLI, the app and the tests use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.engine import Engine

from pmweek.db.engine import make_engine, prepare
from pmweek.domain.calendar import utcnow
from pmweek.services.checklist import ChecklistService
from pmweek.services.plan import PlanService
from pmweek.services.sheets import SheetService


@dataclass
class Services:
    engine: Engine
    checklist: ChecklistService
    sheets: SheetService
    plan: PlanService

    def close(self) -> None:
        self.engine.dispose()


def open_services(
    url: str, lang: str = "en", clock: Callable[[], datetime] = utcnow, create: bool = True
) -> Services:
    """Open (create or upgrade) the database at ``url``; raises DatabaseError.
    With ``create=False`` a missing SQLite file is an error instead of a new database."""
    engine = make_engine(url, create)
    try:
        prepare(engine)
    except Exception:
        engine.dispose()
        raise
    return Services(
        engine=engine,
        checklist=ChecklistService(engine, lang, clock),
        sheets=SheetService(engine, clock),
        plan=PlanService(engine, clock),
    )
