"""Use cases. ``open_services`` is the one factory the CLI, the app and the tests use.

Importing this package costs no ORM: the app's first read of the morning
(``services.reading``) runs before SQLAlchemy is loaded."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING

from pmweek.domain.calendar import utcnow
from pmweek.errors import DatabaseError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from pmweek.services.checklist import ChecklistService
    from pmweek.services.documents import DocumentService
    from pmweek.services.figures import FigureService
    from pmweek.services.okrs import OKRService
    from pmweek.services.pool import PoolService
    from pmweek.services.sheets import SheetService


class Services:
    """The use cases over one engine. The monthly tables and the plan load on first
    use: opening the week does not pay for their models."""

    def __init__(
        self,
        engine: Engine,
        lang: str,
        clock: Callable[[], datetime],
        calendar: str | None = None,
        user: str = "",
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.user = user
        from pmweek.services.checklist import ChecklistService

        self.checklist: ChecklistService = ChecklistService(engine, lang, clock, calendar, user)

    @cached_property
    def sheets(self) -> SheetService:
        from pmweek.services.sheets import SheetService

        return SheetService(self.engine, self.clock, self.user)

    @cached_property
    def documents(self) -> DocumentService:
        from pmweek.services.documents import DocumentService

        return DocumentService(self, self.clock)

    @cached_property
    def figures(self) -> FigureService:
        from pmweek.services.figures import FigureService

        return FigureService(self)

    @cached_property
    def okrs(self) -> OKRService:
        from pmweek.services.okrs import OKRService

        return OKRService(self)

    @cached_property
    def pool(self) -> PoolService:
        from pmweek.services.pool import PoolService

        return PoolService(self)

    def warm(self) -> None:
        """Build every use case now, in this one thread. Threads that import the same
        modules at once (the app's loads and saves) can be handed one of them half
        initialised; after this, nothing is left to import."""
        for name in ("sheets", "documents", "figures", "okrs", "pool"):
            getattr(self, name)
        from pmweek.db.sheet_tables import SHEET_TABLES  # the record tables' models

        len(SHEET_TABLES)

    def for_user(self, user: str) -> Services:
        """The same database as another PM (a lead printing the team's reports)."""
        return Services(self.engine, self.checklist.lang, self.clock, None, user)

    def close(self) -> None:
        self.engine.dispose()


def open_services(
    url: str,
    lang: str = "en",
    clock: Callable[[], datetime] = utcnow,
    create: bool = True,
    calendar: str | None = None,
    user: str | None = None,
) -> Services:
    """Open (create or upgrade) the database at ``url``; raises DatabaseError.
    With ``create=False`` (commands that only read) a missing SQLite file is an error
    instead of a new database, and the file is opened read-only unless it needs an
    upgrade first."""
    from pmweek.db.engine import NeedsUpgrade, make_engine, prepare, remember_identity

    engine = make_engine(url, create, read_only=not create)
    try:
        prepare(engine)
    except NeedsUpgrade as need:
        engine.dispose()
        engine = make_engine(url, create)
        try:
            prepare(engine)
        except (DatabaseError, OSError):
            engine.dispose()
            if not need.records_only:
                raise
            # Only the declared records changed and the file cannot be written (a read-only
            # copy): read it as it is rather than refuse an export.
            engine = make_engine(url, create, read_only=True)
            prepare(engine, as_it_is=True)
        except Exception:
            engine.dispose()
            raise
    except Exception:
        engine.dispose()
        raise
    try:
        remember_identity(engine)
        user = _who(engine, user)
    except Exception:
        engine.dispose()
        raise
    return Services(engine, lang, clock, calendar, user)


def _who(engine: Engine, user: str | None) -> str:
    """Whose work this is: the OS login (or --user) on an SQLite file; on PostgreSQL the
    database role, which its row-level security holds to its own rows: --user naming
    another role is refused (a superuser, whom nothing holds, may act for a PM)."""
    from pmweek.db.engine import database_role

    role = database_role(engine)
    if role is None:
        return default_user() if user is None else user
    name, superuser = role
    if user is not None and user != name and not superuser:
        raise DatabaseError("error.user_not_role", user=user, role=name)
    return name if user is None else user


def default_user() -> str:
    """The OS login: who a checklist, a plan or a row belongs to unless --user says."""
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (some containers)
        return ""
