"""Checks on an SQLite file made before SQLAlchemy is imported, so the app can
refuse a bad path at once, without writing a byte to it."""

from __future__ import annotations

import os
from pathlib import Path

from pmweek.errors import DatabaseError

SQLITE_HEADER = b"SQLite format 3\x00"


def sqlite_path(url: str) -> Path | None:
    """The file behind an SQLite URL, or None (in-memory, or another backend)."""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.split("+")[0] != "sqlite":
        return None
    database = rest[1:] if rest.startswith("/") else rest
    database = database.split("?", 1)[0]
    if not database or database == ":memory:":
        return None
    return Path(database)


def check_sqlite_file(path: Path, create: bool = True) -> None:
    """Refuse anything that is not an SQLite file; create a missing one owner-only
    (or, with ``create=False``, refuse it: a read-only command never makes a database)."""
    if path.is_dir():
        raise DatabaseError("error.db_is_dir", path=path)
    if path.exists():
        try:
            with path.open("rb") as fh:
                header = fh.read(len(SQLITE_HEADER))
        except OSError as exc:
            raise DatabaseError("error.db_unreadable", path=path, reason=exc.strerror) from exc
        if header and header != SQLITE_HEADER:
            raise DatabaseError("error.db_not_sqlite", path=path)
        return
    if not create:
        raise DatabaseError("error.db_missing", path=path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # The file is the PM's business record: readable by its owner only.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError as exc:
        raise DatabaseError("error.db_create", path=path, reason=exc.strerror) from exc
