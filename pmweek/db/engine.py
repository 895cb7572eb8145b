"""Opening the database: URL resolution, SQLite pragmas, schema version and
in-place upgrades (with a copy of the file kept first)."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import uuid
from collections.abc import Callable, Iterator
from typing import Any
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from pathlib import Path

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, create_engine

from pmweek.db import tables  # noqa: F401  (registers the tables on SQLModel.metadata)
from pmweek.db.files import (
    check_sqlite_file,
    identity as file_identity,
    is_database_file,
    read_only_uri,
    refuse_foreign,
    sqlite_path,
    write_atomic,
)
from pmweek.db.quick import SCHEMA_VERSION  # the one number both read paths know
from pmweek.errors import DatabaseError


def _add_record_tables(conn: Connection) -> None:
    """Version 2: the dated records the weekly report draws on (releases, insights,
    requests), each a table built from its declaration."""
    from pmweek.db.sheet_tables import SHEET_TABLES

    for name in ("releases", "insights", "requests"):
        SHEET_TABLES[name].create(conn)
    # The shipped routine's items that feed them now lead to them (unless the PM linked
    # them elsewhere); weeks already made keep their items as they were.
    for key, table in (("mon-competitors", "insights"), ("mon-community", "insights"), ("mon-partners", "requests")):
        conn.execute(
            text("UPDATE routine_item SET table_name = :table WHERE key = :key AND table_name IS NULL"),
            {"table": table, "key": key},
        )


def _add_documents(conn: Connection) -> None:
    """Version 3: compiled documents (the weekly report and the ladder after it) on one
    engine, the Friday plan among them: every plan and line moves over with its edits
    (its words become the PM's own where they rewrote them), then the plan's own tables go."""
    import json

    tables.DocumentRow.__table__.create(conn)
    tables.DocumentLineRow.__table__.create(conn)
    names = set(inspect(conn).get_table_names())
    if "plan" not in names:
        return
    documents = tables.DocumentRow.__table__
    for plan in conn.execute(text("SELECT id, owner, iso_year, iso_week, compiled_at, compile_count FROM plan")):
        conn.execute(documents.insert().values(
            id=plan.id, kind="plan", owner=plan.owner, period=f"{plan.iso_year:04d}-W{plan.iso_week:02d}",
            compiled_at=_stamp(plan.compiled_at), compile_count=plan.compile_count,
        ))
    rows = conn.execute(text(
        "SELECT id, plan_id, section, position, source_key, text, owner, owner_edited, text_edited, priority, due,"
        " carried, dropped_at, done_at, added_at, updated_at FROM plan_line"
    )).all()
    if rows:
        conn.execute(tables.DocumentLineRow.__table__.insert(), [
            {
                "id": r.id, "document_id": r.plan_id, "section": r.section, "position": r.position,
                "source_key": r.source_key, "kind": "text" if r.source_key else "typed",
                "facts": json.dumps({"text": r.text, "carried": r.carried}, ensure_ascii=False),
                "text": r.text if (r.text_edited or r.source_key is None) else None, "owner": r.owner,
                "owner_edited": bool(r.owner_edited), "priority": r.priority, "due": _day(r.due),
                "dropped_at": _stamp(r.dropped_at), "done_at": _stamp(r.done_at), "added_at": _stamp(r.added_at),
                "updated_at": _stamp(r.updated_at),
            }
            for r in rows
        ])
    conn.execute(text("DROP TABLE plan_line"))
    conn.execute(text("DROP TABLE plan"))


# The shipped routine's Tuesday–Wednesday work: once two copies, now one item over both days.
BLOCKS = (("tue-prd", "wed-prd"), ("tue-cases-faq", "wed-cases-faq"))


def _add_blocks(conn: Connection) -> None:
    """Version 4: an item may span routine days. The shipped Tuesday and Wednesday copies
    of the same work in each PM's routine become one Tuesday–Wednesday item (Wednesday's
    copy goes only when Tuesday's is there); weeks already made keep what they hold."""
    conn.execute(text("ALTER TABLE routine_item ADD COLUMN until_day INTEGER"))
    conn.execute(text("ALTER TABLE task ADD COLUMN until_day INTEGER"))
    for first, second in BLOCKS:
        owners = conn.execute(
            text("SELECT owner FROM routine_item WHERE key = :first INTERSECT SELECT owner FROM routine_item WHERE key = :second"),
            {"first": first, "second": second},
        ).scalars().all()
        for owner in owners:
            conn.execute(text("UPDATE routine_item SET until_day = 3 WHERE owner = :owner AND key = :key"),
                         {"owner": owner, "key": first})
            conn.execute(text("DELETE FROM routine_item WHERE owner = :owner AND key = :key"),
                         {"owner": owner, "key": second})


def _add_goals(conn: Connection) -> None:
    """Version 5: goals, what a month, quarter or year was meant to achieve."""
    from pmweek.db.sheet_tables import SHEET_TABLES

    SHEET_TABLES["goals"].create(conn)


def _add_quarter_records(conn: Connection) -> None:
    """Version 6: the quarter's records (objectives, the tasks under key results, projects
    and their phases), and on goals what makes one a key result: its start value, the
    objective it serves, and the quarter's score and review. Every goal is kept as it was."""
    from pmweek.db.sheet_tables import SHEET_TABLES

    for name in ("objectives", "tasks", "projects", "phases"):
        SHEET_TABLES[name].create(conn)
    _add_missing_columns(conn, SHEET_TABLES["goals"])


def _add_annual_plan(conn: Connection) -> None:
    """Version 7: the requirement pool's RICE figures on requests (every request kept,
    unscored until given them), its quarterly rankings, the risk ledger with its reviews,
    indexes of sub-points by item and of the records reports look up, and Friday's item
    on other teams' reports leading to the week's report."""
    from pmweek.db.sheet_tables import RANK_SNAPSHOT, RISK_REVIEW, SHEET_TABLES

    _add_missing_columns(conn, SHEET_TABLES["requests"])
    SHEET_TABLES["risks"].create(conn)
    RANK_SNAPSHOT.create(conn)
    RISK_REVIEW.create(conn)
    # Sub-points by their item (carry-over read the whole task history without it), and the
    # dates and names the reports look records up by.
    from sqlalchemy.schema import CreateIndex

    wanted = [i for i in tables.Task.__table__.indexes if i.name == "ix_task_parent"]
    wanted += [i for name in ("releases", "requests", "projects", "phases", "deals") for i in SHEET_TABLES[name].indexes]
    for index in wanted:  # a table made by an earlier step of this upgrade has them already
        conn.execute(CreateIndex(index, if_not_exists=True))
    # Friday's shipped item on the other teams' reports leads to the week's report now (unless
    # the PM linked it elsewhere); weeks already made keep their items as they were.
    conn.execute(text("UPDATE routine_item SET table_name = 'report' WHERE key = 'fri-cross-team' "
                      "AND table_name = 'plan'"))


def _move_renamed(conn: Connection, sheet: str, table, history: bool) -> None:  # noqa: ANN001 (a Table)
    """A field declared under a new key (``Field.renamed``) takes its data with it: the
    old column is renamed, or, where the new one was added empty meanwhile, its values
    are copied into the rows that have none (the old column is kept: nothing is dropped).
    Its corrections' history is filed under the new key too."""
    from pmweek.domain.sheets import SHEETS

    fields = SHEETS[sheet].fields
    keys = {f.key for f in fields}
    present = {c["name"] for c in inspect(conn).get_columns(table.name)}
    quote = conn.dialect.identifier_preparer.quote
    for f in fields:
        for old in f.renamed:
            if old not in present or old in keys:  # an old key another field has now is that field's
                continue
            if f.key not in present:
                conn.execute(text(f"ALTER TABLE {quote(table.name)} RENAME COLUMN {quote(old)} TO {quote(f.key)}"))
                present = (present - {old}) | {f.key}
            else:
                conn.execute(text(f"UPDATE {quote(table.name)} SET {quote(f.key)} = {quote(old)} "
                                  f"WHERE {quote(f.key)} IS NULL AND {quote(old)} IS NOT NULL"))
            if history:
                conn.execute(text("UPDATE record_change SET field = :new WHERE sheet = :sheet AND field = :old"),
                             {"new": f.key, "sheet": sheet, "old": old})


def _add_missing_columns(conn: Connection, table) -> None:  # noqa: ANN001 (a Table)
    """Columns a declaration gained since the table was made; all nullable, so the rows
    it holds simply have none yet."""
    present = {c["name"] for c in inspect(conn).get_columns(table.name)}
    preparer = conn.dialect.identifier_preparer
    for column in table.columns:
        if column.name not in present:
            conn.execute(text(
                f"ALTER TABLE {preparer.quote(table.name)} ADD COLUMN {preparer.quote(column.name)} "
                f"{column.type.compile(dialect=conn.dialect)}"
            ))


def _stamp(value):  # noqa: ANN001, ANN202 - a stored time, as SQLite or a server returns it
    from datetime import datetime as _datetime
    from datetime import timezone

    stamp = _datetime.fromisoformat(value) if isinstance(value, str) else value
    return stamp.replace(tzinfo=timezone.utc) if stamp is not None and stamp.tzinfo is None else stamp


def _day(value):  # noqa: ANN001, ANN202
    from datetime import date as _date

    return _date.fromisoformat(value) if isinstance(value, str) else value


def _add_audience(conn: Connection) -> None:
    """Version 8: a report's line may be addressed to some readers or kept from some."""
    _add_missing_columns(conn, tables.DocumentLineRow.__table__)  # made already by an earlier step of this upgrade


def _add_due_edited(conn: Connection) -> None:
    """Version 9: a date the PM gave a compiled line is theirs (a recompile kept the
    source's before, and a line whose source has no date lost it)."""
    _add_missing_columns(conn, tables.DocumentLineRow.__table__)
    # Edits made before a document's last compile were already undone by it; a date on a
    # compiled line changed since may be the PM's: kept as theirs.
    conn.execute(text(
        "UPDATE document_line SET due_edited = :yes WHERE due IS NOT NULL AND source_key IS NOT NULL "
        "AND updated_at > (SELECT compiled_at FROM document WHERE document.id = document_line.document_id)"
    ), {"yes": True})


# version -> step that upgrades a database from version-1 to version.
# Each runs inside one transaction; a failure leaves the database as it was.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {2: _add_record_tables, 3: _add_documents, 4: _add_blocks, 5: _add_goals,
                                                     6: _add_quarter_records, 7: _add_annual_plan, 8: _add_audience,
                                                     9: _add_due_edited}


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001 (DBAPI objects)
    # Let SQLAlchemy, not the sqlite3 module, decide where transactions start, so that
    # DDL in a migration is rolled back with the rest when a step fails.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_reading(dbapi_conn, _record) -> None:  # noqa: ANN001 (DBAPI objects)
    # A connection that only reads changes nothing about the file, not even its
    # journal mode: a read-only file or folder can still be exported.
    dbapi_conn.isolation_level = None
    dbapi_conn.execute("PRAGMA busy_timeout=5000")


class NeedsUpgrade(Exception):
    """A read-only engine found an older schema: only a writing one may upgrade it.
    ``records_only``: the schema is current and only declared record tables may be
    missing, so the file can still be read as it is where pmweek may not write it."""

    def __init__(self, records_only: bool = False) -> None:
        super().__init__()
        self.records_only = records_only


def _sqlite_begin(conn: Connection) -> None:
    # A unit that writes takes the write lock up front (BEGIN IMMEDIATE), waiting on the
    # busy timeout for another window's write. A deferred transaction that read first
    # would instead fail at once ("database is locked") if another window wrote meanwhile.
    read_only = conn.get_execution_options().get("pmweek_read_only", False) or getattr(
        conn.engine, "pmweek_read_only", False
    )
    identity = getattr(conn.engine, "pmweek_identity", None)
    if identity is not None and not read_only and file_identity(identity[0]) != identity[1]:
        raise DatabaseError("error.db_replaced", path=identity[0])
    conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")
    if identity is not None and not read_only and _read_meta(conn, "instance") != identity[2]:
        # Restored from a backup (or copied over) since this window opened it: its ids now
        # name other rows. Checked under the write lock, so no restore can come between.
        conn.exec_driver_sql("ROLLBACK")
        raise DatabaseError("error.db_replaced", path=identity[0])


def remember_identity(engine: Engine) -> None:
    """Note which file (and which restore of it) this engine opened: a write is refused
    once the file at the path is another one (moved or synced over it) or its content
    was restored, instead of landing on rows its ids no longer name."""
    path = sqlite_path(engine.url.render_as_string(hide_password=False))
    if path is None or getattr(engine, "pmweek_read_only", False):
        return
    with engine.connect() as conn:
        instance = _read_meta(conn, "instance")
    engine.pmweek_identity = (path, file_identity(path), instance)


def make_engine(url: str, create: bool = True, read_only: bool = False) -> Engine:
    """An engine for ``url``; for SQLite the file is checked (never overwritten) and,
    unless ``create`` is False, made when missing. A ``read_only`` engine opens an
    SQLite file read-only: it cannot change a byte of it."""
    path = sqlite_path(url)
    if path is not None:
        check_sqlite_file(path, create)
        if not create and path.stat().st_size == 0:
            raise DatabaseError("error.db_empty", path=path)  # not given a schema by a reader
        refuse_foreign(path)
    try:
        if path is not None and read_only:
            import sqlite3

            uri = read_only_uri(path)
            engine = create_engine(url, creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False))
        elif path is not None:
            import sqlite3

            # The very file checked above (and read by the quick path), by its path: a URL
            # parser would read "%41" or "?" in a file name as something else.
            file = str(path.absolute())
            engine = create_engine(url, creator=lambda: sqlite3.connect(file, check_same_thread=False))
        elif url.startswith("sqlite"):
            engine = create_engine(url)
        else:
            # A server's connection can drop between two uses (restart, idle timeout):
            # test it before use and reconnect, so the next tick is not lost to it.
            engine = create_engine(url, pool_pre_ping=True)
    except (SQLAlchemyError, ImportError, ValueError, TypeError) as exc:
        # A bad port or a misspelt driver is one line, and never shows the password: when
        # one is written in the URL, the parser's own words (which may quote it) are not.
        if isinstance(exc, ValueError) and _secrets(url):
            raise DatabaseError("error.db_url_password", url=_safe_url(url)) from exc
        reason = _scrub(str(exc).splitlines()[0] if str(exc) else type(exc).__name__, url)
        raise DatabaseError("error.db_url", url=_safe_url(url), reason=reason) from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_reading if path is not None and read_only else _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    engine.pmweek_read_only = path is not None and read_only
    engine.pmweek_url = url  # as typed: what error messages must scrub secrets from
    return engine


# Secrets a connection URL may carry in its query string (libpq's names).
_QUERY_SECRET = re.compile(r"(?i)\b(password|passwd|pwd|sslpassword|sslkey)=([^&]*)")


def _secrets(url: str) -> list[str]:
    """Every secret written in ``url``: the password (up to the last "@", so a raw "@"
    inside it is covered too) and its pieces, and passwords in the query string."""
    found = [m.group(2) for m in _QUERY_SECRET.finditer(url)]
    _, sep, rest = url.partition("://")
    userinfo = rest[: rest.rfind("@")] if sep and "@" in rest else ""
    if ":" in userinfo:
        password = userinfo.split(":", 1)[1]
        # Its pieces too: a parser that cut the URL at a raw "@" or ":" inside the
        # password quotes what it could not read (a "port" that is the password's tail).
        found += [password, *(piece for piece in re.split(r"[@:/?#]", password) if len(piece) > 2)]
    return sorted({s for s in found if s}, key=len, reverse=True)


def _safe_url(url: str) -> str:
    """``url`` as it may be shown: the password and query-string secrets masked,
    however the URL is written (even one nothing can parse)."""
    scheme, sep, rest = url.partition("://")
    if sep and "@" in rest:
        at = rest.rfind("@")
        user, colon, _ = rest[:at].partition(":")
        url = f"{scheme}://{user}{':***' if colon else ''}@{rest[at + 1:]}"
    return _QUERY_SECRET.sub(lambda m: f"{m.group(1)}=***", url)


def _scrub(text: str, url: str) -> str:
    """A driver's message about ``url`` with every secret of it masked."""
    for secret in _secrets(url):
        text = text.replace(secret, "***")
    return text


def declared() -> str:
    """A fingerprint of the record declarations and of how their tables are built. When
    it changes (a kind or a field declared), opening the database adds what is missing:
    declaring a record kind needs no upgrade step of its own. Read from the two files,
    not imported, so opening today's list does not pay for the declarations."""
    import hashlib

    digest = hashlib.sha256()
    for part in ("domain/sheets.py", "db/sheet_tables.py"):
        digest.update((Path(__file__).parents[1] / part).read_bytes())
    return digest.hexdigest()[:16]


def prepare(engine: Engine, as_it_is: bool = False) -> None:
    """Create a new database, or upgrade an older one in place; refuse a newer one.
    ``as_it_is``: a current schema is read without the records a newer declaration adds
    (a file pmweek may not write: a read-only copy)."""
    try:
        with engine.connect() as conn:
            version = _read_version(conn)
            stamped = _read_meta(conn, "records") if version == SCHEMA_VERSION else None
    except DBAPIError as exc:
        raise _describe(engine, exc) from exc
    if version == SCHEMA_VERSION and (stamped == declared() or as_it_is):
        return
    if version is not None and version > SCHEMA_VERSION:
        raise DatabaseError("error.db_newer", path=_where(engine), found=version, known=SCHEMA_VERSION)
    if getattr(engine, "pmweek_read_only", False):
        raise NeedsUpgrade(records_only=version == SCHEMA_VERSION)
    try:
        if version is None:
            _create(engine)
        else:
            if version != SCHEMA_VERSION:  # declared records alone are only added to: no copy
                backup_before_upgrade(engine, version)
            _upgrade(engine, version)  # and the declared records, when only they changed
    except DBAPIError as exc:
        raise _describe(engine, exc) from exc


def _read_version(conn: Connection) -> int | None:
    names = set(inspect(conn).get_table_names())
    if "meta" not in names:
        if names - {"sqlite_sequence"}:
            raise DatabaseError("error.db_foreign", path=_where(conn.engine))
        return None
    found = _read_meta(conn, "schema_version")
    return int(found) if found else None


def _read_meta(conn: Connection, key: str) -> str | None:
    row = conn.execute(text("SELECT value FROM meta WHERE key = :key"), {"key": key}).first()
    return row[0] if row else None


def _stamp_meta(conn: Connection, key: str, value: str) -> None:
    meta = tables.Meta.__table__
    if conn.execute(meta.update().where(meta.c.key == key).values(value=value)).rowcount == 0:
        conn.execute(meta.insert().values(key=key, value=value))


def _add_declared(conn: Connection) -> None:
    """Every declared record table, column and index the database lacks, added; what it
    holds is kept as it is (new columns are empty on existing rows)."""
    from sqlalchemy.schema import CreateIndex

    from pmweek.db.sheet_tables import RANK_SNAPSHOT, RECORD_CHANGE, RISK_REVIEW, SHEET_TABLES

    present = set(inspect(conn).get_table_names())
    for name, table in SHEET_TABLES.items():
        if table.name in present:
            _move_renamed(conn, name, table, "record_change" in present)
    for table in (*SHEET_TABLES.values(), RANK_SNAPSHOT, RISK_REVIEW, RECORD_CHANGE):
        if table.name not in present:
            table.create(conn)
            continue
        _add_missing_columns(conn, table)
        for index in table.indexes:
            conn.execute(CreateIndex(index, if_not_exists=True))
    _stamp_meta(conn, "records", declared())


# On a shared PostgreSQL database each PM's own work (routine, checklists, their events,
# documents and plans) is theirs: rows whose owner is the PM's database role. A member of
# the role below (a team lead) reads every PM's work; the team's tables stay shared.
LEAD_ROLE = "pmweek_lead"
_LEAD = (f"EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = '{LEAD_ROLE}' "
         "AND pg_has_role(current_user, r.oid, 'MEMBER'))")
# table -> (whose row it is for a change, may it be read)
_OWNED = {
    "routine_item": ("owner = current_user", f"owner = current_user OR {_LEAD}"),
    "week": ("owner = current_user", f"owner = current_user OR {_LEAD}"),
    "document": ("owner = current_user", f"owner = current_user OR {_LEAD}"),
    # Through their parent, whose own policy already says who reads it.
    "task": ("EXISTS (SELECT 1 FROM week w WHERE w.id = task.week_id AND w.owner = current_user)",
             "EXISTS (SELECT 1 FROM week w WHERE w.id = task.week_id)"),
    "task_event": ("EXISTS (SELECT 1 FROM task t JOIN week w ON w.id = t.week_id "
                   "WHERE t.id = task_event.task_id AND w.owner = current_user)",
                   "EXISTS (SELECT 1 FROM task t WHERE t.id = task_event.task_id)"),
    "document_line": ("EXISTS (SELECT 1 FROM document d WHERE d.id = document_line.document_id "
                      "AND d.owner = current_user)",
                      "EXISTS (SELECT 1 FROM document d WHERE d.id = document_line.document_id)"),
}


def _secure_rows(conn: Connection) -> None:
    """Row-level security policies on PostgreSQL (again on every upgrade: idempotent).
    Forced, so the role that created the tables is held to them too; a superuser (the
    database's administrator) is not, as PostgreSQL never holds one."""
    if conn.dialect.name != "postgresql":
        return
    for table, (mine, readable) in _OWNED.items():
        conn.execute(text(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"))
        conn.execute(text(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY"))
        for name, rule in (("pmweek_own", f"FOR ALL USING ({mine}) WITH CHECK ({mine})"),
                           ("pmweek_read", f"FOR SELECT USING ({readable})")):
            conn.execute(text(f"DROP POLICY IF EXISTS {name} ON {table}"))
            conn.execute(text(f"CREATE POLICY {name} ON {table} {rule}"))


def database_role(engine: Engine) -> tuple[str, bool] | None:
    """On PostgreSQL: the role connected (who the PM is on a shared database) and whether
    it is a superuser; None elsewhere."""
    if engine.dialect.name != "postgresql":
        return None
    try:
        with engine.connect() as conn:
            role, super_ = conn.execute(
                text("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")).one()
    except DBAPIError as exc:
        raise _describe(engine, exc) from exc
    return role, bool(super_)


def _create(engine: Engine) -> None:
    from pmweek.db import sheet_tables  # noqa: F401  (registers the monthly tables too)

    with engine.begin() as conn:
        SQLModel.metadata.create_all(conn)
        conn.execute(
            tables.Meta.__table__.insert().values(key="schema_version", value=str(SCHEMA_VERSION))
        )
        _stamp_meta(conn, "records", declared())
        _stamp_meta(conn, "instance", uuid.uuid4().hex)
        _secure_rows(conn)


def _upgrade(engine: Engine, version: int) -> None:
    from pmweek.db import sheet_tables  # noqa: F401  (migrations may touch any table)

    with engine.begin() as conn:
        # Take the write lock first, then read the version again under it: of several
        # windows opening an old file at once, one upgrades and the others find it done.
        conn.execute(text("UPDATE meta SET value = value WHERE key = 'schema_version'"))
        version = _read_version(conn) or version
        if version >= SCHEMA_VERSION and _read_meta(conn, "records") == declared():
            return
        for target in range(version + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[target](conn)
        _stamp_meta(conn, "schema_version", str(SCHEMA_VERSION))
        if _read_meta(conn, "instance") is None:
            _stamp_meta(conn, "instance", uuid.uuid4().hex)
        _add_declared(conn)
        _secure_rows(conn)


def backup_before_upgrade(engine: Engine, version: int) -> Path | None:
    """Copy an SQLite file aside before upgrading it; other backends keep their own backups."""
    path = sqlite_path(engine.url.render_as_string(hide_password=False))
    if path is None:
        return None
    # Fold the WAL into the main file so the copy is complete on its own.
    raw = engine.raw_connection()  # outside any transaction: a checkpoint cannot run in one
    try:
        raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.v{version}-{stamp}.bak")
    shutil.copy2(path, target)
    os.chmod(target, 0o600)
    return target


def _where(engine: Engine) -> str:
    path = sqlite_path(engine.url.render_as_string(hide_password=False))
    return str(path) if path is not None else _safe_url(_typed_url(engine))


def _typed_url(engine: Engine) -> str:
    return getattr(engine, "pmweek_url", None) or engine.url.render_as_string(hide_password=True)


def _describe(engine: Engine, exc: DBAPIError) -> DatabaseError:
    return DatabaseError("error.db_open", path=_where(engine), reason=_scrub(_reason(exc), _typed_url(engine)))


# The read session a `reading` block holds open: every read-only unit inside it on the
# same engine shares it (one snapshot, one connection) instead of opening its own.
_READING: ContextVar[tuple[Engine, Session, dict] | None] = ContextVar("pmweek_reading", default=None)


@contextmanager
def reading(engine: Engine) -> Iterator[None]:
    """Read-only units inside share one session: a document compiled from many small
    reads sees one snapshot of the database, and pays for one transaction, not fifty."""
    if _READING.get() is not None:
        yield
        return
    with unit(engine, read_only=True) as session:
        token = _READING.set((engine, session, {}))
        try:
            yield
        finally:
            _READING.reset(token)


def read_once(engine: Engine, key: tuple, read: Callable[[], Any]) -> Any:
    """``read()``, once per `reading` block (the calendar a dozen reads consult);
    outside one, every time."""
    shared = _READING.get()
    if shared is None or shared[0] is not engine:
        return read()
    if key not in shared[2]:
        shared[2][key] = read()
    return shared[2][key]


@contextmanager
def unit(engine: Engine, read_only: bool = False) -> Iterator[Session]:
    """A session for one use case (``read_only`` if it never writes). The database
    refusing a read or a write (disk full, read-only file, locked past the busy timeout,
    a damaged file) becomes one clear DatabaseError, with the transaction rolled back:
    nothing half-written."""
    shared = _READING.get()
    if read_only and shared is not None and shared[0] is engine:
        yield shared[1]
        return
    session = Session(engine.execution_options(pmweek_read_only=True) if read_only else engine)
    try:
        yield session
    except IntegrityError:
        session.rollback()
        raise  # a constraint the caller decides about (a week opened twice, a month taken)
    except DBAPIError as exc:
        session.rollback()
        raise DatabaseError(
            "error.db_write", path=_where(engine), reason=_scrub(_reason(exc), _typed_url(engine))
        ) from exc
    finally:
        session.close()


def _reason(exc: DBAPIError) -> str:
    return str(exc.orig).splitlines()[0] if exc.orig is not None else str(exc).splitlines()[0]


# -- backup and restore (SQLite) ----------------------------------------------------------


def backup_to(engine: Engine, target: Path, force: bool = False, beside_database: bool = False) -> None:
    """A consistent copy of the database at ``target`` (owner-only, one self-contained
    file), taken with SQLite's online backup while other windows may be writing. The
    copy is made beside ``target`` and renamed over it only when complete; the database
    itself and its companion files are never a target."""
    import sqlite3

    if engine.dialect.name != "sqlite":
        raise DatabaseError("error.backup_not_sqlite")
    database = sqlite_path(engine.url.render_as_string(hide_password=False))

    def copy_into(temp: Path) -> None:
        raw = engine.raw_connection()
        try:
            with contextlib.closing(sqlite3.connect(temp)) as copy:
                raw.driver_connection.backup(copy)
                copy.execute("PRAGMA journal_mode=DELETE")  # no -wal file to carry around
        finally:
            raw.close()

    try:
        write_atomic(target, copy_into, force=force, db=None if beside_database else database)
    except (sqlite3.Error, DBAPIError) as exc:
        raise DatabaseError("error.write_file", path=target, reason=str(exc).splitlines()[0]) from exc


def _schema(conn) -> dict[tuple[str, str], str]:  # noqa: ANN001 (a sqlite3 connection)
    """What a database holds besides its rows: (type, name) -> its SQL, whitespace-folded."""
    rows = conn.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
    return {(kind, name): " ".join((sql or "").split()) for kind, name, sql in rows}


def pmweek_schema() -> dict[tuple[str, str], str]:
    """Every table and index this pmweek creates, as SQLite writes them down."""
    from pmweek.db import sheet_tables  # noqa: F401  (the record tables too)

    engine = create_engine("sqlite://")
    SQLModel.metadata.create_all(engine)
    raw = engine.raw_connection()
    try:
        return _schema(raw.driver_connection)
    finally:
        raw.close()
        engine.dispose()


def check_backup(path: Path) -> int:
    """The schema version of a backup file, after checking it is a sound pmweek
    database this pmweek can read; DatabaseError otherwise. Reads only."""
    import sqlite3

    check_sqlite_file(path, create=False)
    try:
        with sqlite3.connect(read_only_uri(path), uri=True) as conn:
            if conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise DatabaseError("error.restore_damaged", path=path)
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            found = _schema(conn)
        conn.close()
    except sqlite3.Error as exc:
        raise DatabaseError("error.restore_not_pmweek", path=path, reason=str(exc)) from exc
    if row is None:
        raise DatabaseError("error.restore_not_pmweek", path=path, reason="no schema version")
    version = int(row[0])
    if version > SCHEMA_VERSION:
        raise DatabaseError("error.db_newer", path=path, found=version, known=SCHEMA_VERSION)
    # Only what pmweek itself creates: a trigger, a view or a table of anyone else's
    # would run or sit in the PM's database after the restore. pmweek creates no trigger
    # or view; its tables and indexes are known by name (a table an upgrade altered reads
    # differently from a new one). An older backup's names are checked once it is upgraded.
    known = set(pmweek_schema()) | RETIRED
    strange = sorted(f"{kind} {name}" for kind, name in found
                     if kind not in ("table", "index") or (version == SCHEMA_VERSION and (kind, name) not in known))
    if strange:
        raise DatabaseError("error.restore_foreign", path=path, objects=", ".join(strange)[:200])
    return version


# What earlier versions of pmweek created and no longer declare: still in the files they
# upgraded, and so in those files' backups.
RETIRED = {("index", "ix_project_phase_project")}


@contextmanager
def _restorable(source: Path, version: int) -> Iterator[Path]:
    """``source`` as this pmweek's schema has it: itself, or (a backup an older pmweek
    made) an upgraded copy in a temporary folder, checked again once upgraded."""
    if version == SCHEMA_VERSION:
        yield source
        return
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="pmweek-restore-"))
    try:
        copy = folder / "upgraded.db"
        shutil.copyfile(source, copy)
        engine = make_engine(f"sqlite:///{copy}")
        try:
            prepare(engine)
        finally:
            engine.dispose()
        check_backup(copy)
        yield copy
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def restore_from(engine: Engine, source: Path, force: bool = False) -> Path | None:
    """Replace the database's content with a checked backup, keeping a copy of what is
    replaced beside it first. Returns that copy's path."""

    version = check_backup(source)
    if engine.dialect.name != "sqlite":
        raise DatabaseError("error.backup_not_sqlite")
    path = sqlite_path(engine.url.render_as_string(hide_password=False))
    if is_database_file(source, path):
        raise DatabaseError("error.restore_self", path=source)
    with _restorable(source, version) as ready:
        return _restore_checked(engine, path, ready, force)


def _restore_checked(engine: Engine, path: Path, source: Path, force: bool) -> Path:
    import sqlite3

    kept = path.with_name(f"{path.name}.before-restore-{datetime.now():%Y%m%d-%H%M%S}.bak")
    # The kept copy is one of the database's own files: the one write allowed there.
    backup_to(engine, kept, force, beside_database=True)
    raw = engine.raw_connection()
    try:
        with sqlite3.connect(read_only_uri(source), uri=True) as src:
            src.backup(raw.driver_connection)
        src.close()
        # A new instance: a window still open on the file refuses to write with its old ids.
        database = raw.driver_connection
        database.execute("BEGIN IMMEDIATE")
        database.execute("DELETE FROM meta WHERE key = 'instance'")
        database.execute("INSERT INTO meta (key, value) VALUES ('instance', ?)", (uuid.uuid4().hex,))
        database.execute("COMMIT")
    finally:
        raw.close()
    return kept
