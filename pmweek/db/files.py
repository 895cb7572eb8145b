"""Files around the database, handled without SQLAlchemy: checks on an SQLite file
made before anything opens it (so a bad path is refused without a byte written to it),
the files that belong to a database and must never be written over, and the one way
pmweek writes any other file (atomically, owner-only)."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from pmweek.errors import DatabaseError

SQLITE_HEADER = b"SQLite format 3\x00"


def read_only_uri(path: Path) -> str:
    """An SQLite URI that opens ``path`` read-only. The path is quoted: unquoted, a
    "#" or "?" in its name would end it, and with it "mode=ro" (a file named by what
    comes before, opened to write, created if missing)."""
    from urllib.parse import quote

    return f"file:{quote(str(path.absolute()))}?mode=ro"


def sqlite_path(url: str) -> Path | None:
    """The file behind an SQLite URL, or None (in-memory, or another backend)."""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.split("+")[0] != "sqlite":
        return None
    database = rest[1:] if rest.startswith("/") else rest
    database = database.split("?", 1)[0]
    if not database or database == ":memory:":
        return None
    from urllib.parse import unquote

    return Path(unquote(database))


def check_sqlite_file(path: Path, create: bool = True) -> None:
    """Refuse anything that is not an SQLite file; create a missing one owner-only
    (or, with ``create=False``, refuse it: a read-only command never makes a database)."""
    if path.is_dir():
        raise DatabaseError("error.db_is_dir", path=path)
    for suffix in COMPANIONS:  # pm.db-wal is pm.db's journal: a database made in it is lost
        owner = path.with_name(path.name[: -len(suffix)]) if path.name.endswith(suffix) else None
        if owner is not None and owner.name and (owner.is_file() or not path.exists()):
            # Not made either while pm.db does not exist yet: the first command on
            # pm.db would empty it as its journal.
            raise DatabaseError("error.db_is_companion", path=path, db=owner)
    if path.exists() and not path.is_file():  # a pipe or a device: opening it would wait forever
        raise DatabaseError("error.db_not_sqlite", path=path)
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
        # The folder of the PM's records is the owner's alone, like the file.
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # The file is the PM's business record: readable by its owner only.
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError as exc:
        raise DatabaseError("error.db_create", path=path, reason=exc.strerror) from exc


def refuse_foreign(path: Path) -> None:
    """Refuse an SQLite file holding tables that are not pmweek's, reading it only: the
    engine's first connection would otherwise switch it to WAL, changing its bytes."""
    import sqlite3

    if not path.is_file() or path.stat().st_size == 0:
        return
    try:
        with contextlib.closing(sqlite3.connect(read_only_uri(path), uri=True)) as conn:
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError:
        return  # damaged or locked: the engine reports it in its own words
    if names and "meta" not in names and names - {"sqlite_sequence"}:
        raise DatabaseError("error.db_foreign", path=path)


# -- the files of a database, and writing any other file ----------------------------------

COMPANIONS = ("-wal", "-shm", "-journal")


def identity(path: Path) -> tuple[int, int] | None:
    """Which file ``path`` is (device, inode), None when there is none."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


def database_files(db: Path) -> list[Path]:
    """The database file, its SQLite companions and the copies pmweek keeps beside it
    (before an upgrade or a restore): none of them may be written over."""
    files = [db, *(db.with_name(db.name + suffix) for suffix in COMPANIONS)]
    with contextlib.suppress(OSError):
        files += [p for p in db.parent.iterdir() if p.name.startswith(db.name + ".") and p.name.endswith(".bak")]
    return files


def is_database_file(target: Path, db: Path | None) -> bool:
    """Whether writing ``target`` would write one of ``db``'s files: by the file's
    identity (a link, another spelling of the path), or by where it would be created."""
    if db is None:
        return False
    protected = database_files(db)
    mine = identity(target)
    if mine is not None and mine in {identity(p) for p in protected}:
        return True
    where = os.path.realpath(target)
    return any(where == os.path.realpath(p) for p in protected) or where.startswith(
        tuple(os.path.realpath(db) + s for s in COMPANIONS)
    )


def write_atomic(
    target: Path, data: bytes | str | Callable[[Path], None], force: bool = False, db: Path | None = None
) -> None:
    """Write ``target`` all at once or not at all: the bytes go to a temporary file
    beside it (owner-only), are flushed to disk and renamed over it, so a full disk or
    a crash leaves the old file as it was and no partial file behind. ``data`` may be a
    function that fills the temporary file itself (a database backup). Refuses the
    database's own files, and an existing file unless ``force``. Raises InputError."""
    from pmweek.errors import InputError

    try:
        if is_database_file(target, db):
            raise InputError("error.target_is_db", path=target, db=db)
        if target.is_dir():
            raise InputError("error.write_file", path=target, reason=os.strerror(errno.EISDIR))
        if target.is_symlink() or (target.exists() and not target.is_file()):
            # Renaming over a link, a device or a pipe would replace it, not write into it.
            raise InputError("error.not_regular_file", path=target)
        if target.exists() and not force:
            raise InputError("error.file_exists", path=target)
    except OSError as exc:  # a name too long, a folder that cannot be looked into
        raise InputError("error.write_file", path=target, reason=exc.strerror or str(exc)) from None
    directory = target.parent if str(target.parent) else Path(".")
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise InputError("error.write_file", path=target, reason=exc.strerror) from None
    temp = Path(name)
    try:
        if callable(data):
            os.close(fd)
            fd = -1  # closed: its number may soon be another file's (the database's own)
            data(temp)
            fd = os.open(temp, os.O_RDONLY)
        else:
            payload = data.encode("utf-8") if isinstance(data, str) else data
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view):]
        os.fsync(fd)
        os.close(fd)
        fd = -1
        if not force and target.exists():  # appeared meanwhile: never overwritten unasked
            raise InputError("error.file_exists", path=target)
        os.replace(temp, target)
    except OSError as exc:
        raise InputError("error.write_file", path=target, reason=exc.strerror or str(exc)) from None
    finally:
        if fd >= 0:
            os.close(fd)
        for leftover in (temp, temp.with_name(temp.name + "-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink()
    with contextlib.suppress(OSError):  # the directory entry itself, where the OS allows
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
