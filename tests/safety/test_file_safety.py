"""No command destroys the PM's data: the database and its own files are never a
target, every file is written whole or not at all, reading changes no byte, restore
takes only what pmweek creates."""

from __future__ import annotations

import errno
import hashlib
import os
import sqlite3
import stat
import subprocess
from pathlib import Path

import pytest

from pmweek.cli import main
from pmweek.db.files import write_atomic
from pmweek.errors import InputError
from tests.cli import run




def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def db(tmp_path, capsys) -> Path:
    """A database with one campaign, its WAL folded in, no window open."""
    path = tmp_path / "my.db"
    assert main(["--db", str(path), "add", "campaigns", "--campaign", "keep me", "--month", "2026-11"]) == 0
    capsys.readouterr()
    return path


def campaigns(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return [r[0] for r in conn.execute("SELECT campaign FROM campaign")]


def test_backup_onto_the_database_is_refused_however_it_is_spelled(db, tmp_path, monkeypatch, capsys):
    os.link(db, tmp_path / "hard.db")
    (tmp_path / "soft.db").symlink_to(db)
    monkeypatch.chdir(tmp_path)
    for target in ("./my.db", str(db), "hard.db", "soft.db", "../" + tmp_path.name + "/my.db"):
        assert main(["--db", str(db), "backup", target, "--force"]) == 2, target
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "one of its own files" in err
        assert campaigns(db) == ["keep me"]


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal", ".before-restore-20261101-101010.bak"])
def test_no_export_writes_over_the_database_or_its_files(db, capsys, suffix):
    target = db.with_name(db.name + suffix)
    if suffix.endswith(".bak"):
        target.write_bytes(db.read_bytes())  # a copy restore kept
    before = {p.name: digest(p) for p in db.parent.iterdir() if p.is_file()}
    for args in (["export", "table", "campaigns"], ["export", "week"], ["export", "month"]):
        assert main(["--db", str(db), *args, "-o", str(target), "--force"]) == 2
        assert "one of its own files" in capsys.readouterr().err
    # (A reader of a WAL database may add its empty shared-memory files: SQLite's own.)
    assert {name: digest(db.with_name(name)) for name in before} == before
    assert campaigns(db) == ["keep me"]


def test_a_write_that_fails_midway_leaves_the_old_file_and_nothing_else(tmp_path, monkeypatch):
    target = tmp_path / "report.md"
    target.write_text("the old report\n")
    real_write = os.write
    calls = []

    def disk_full(fd, data):
        calls.append(len(data))
        if len(calls) > 1:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, bytes(data)[:10])  # a short write first, then the disk is full

    monkeypatch.setattr(os, "write", disk_full)
    with pytest.raises(InputError) as err:
        write_atomic(target, "x" * 100_000, force=True)
    assert "No space left" in err.value.message()
    assert target.read_text() == "the old report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]


def test_a_backup_that_runs_out_of_disk_leaves_no_file_or_journal(tmp_path):
    def fill_then_fail(temp: Path) -> None:
        with sqlite3.connect(temp) as conn:
            conn.execute("CREATE TABLE t (x)")
        temp.with_name(temp.name + "-journal").write_bytes(b"half")
        raise sqlite3.OperationalError("database or disk is full")

    with pytest.raises(sqlite3.OperationalError):
        write_atomic(tmp_path / "b.db", fill_then_fail)
    assert list(tmp_path.iterdir()) == []


def test_a_failed_backup_closes_no_file_but_its_own(tmp_path):
    """The temporary file's descriptor is closed before the backup fills it, so its number
    is free for the next file opened (the database, in the app). A failure must not close
    that number a second time: it was closing the database's own file."""
    other = tmp_path / "pm.db"
    other.write_bytes(b"the database")
    opened: list[int] = []

    def open_then_fail(temp: Path) -> None:
        opened.append(os.open(other, os.O_RDONLY))  # takes the number just freed
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with pytest.raises(InputError) as refused:
        write_atomic(tmp_path / "b.db", open_then_fail)
    assert "No space left on device" in refused.value.message()
    try:
        assert os.read(opened[0], 3) == b"the"  # still open, still that file
    finally:
        os.close(opened[0])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pm.db"]


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_a_database_s_working_file_given_as_the_database_is_refused(db, capsys, suffix):
    """--db my.db-wal built a whole database inside the WAL, which the next command on
    my.db deleted with what was written there. It is refused, naming the database."""
    companion = db.with_name(db.name + suffix)
    assert main(["--db", str(companion), "task", "into the journal"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"--db {db}" in err
    assert not companion.exists()
    assert campaigns(db) == ["keep me"]
    fresh = db.with_name("new.db" + suffix)  # nor made while new.db does not exist yet
    assert main(["--db", str(fresh), "task", "into the journal"]) == 1
    assert "--db" in capsys.readouterr().err and not fresh.exists()


def test_output_to_a_full_disk_is_one_line(db):
    with open("/dev/full", "w") as full:
        result = run("--db", str(db), "export", "month", "2026-11", stdout=full, stderr=subprocess.PIPE)
    assert result.returncode == 1
    assert result.stderr == "pmweek: cannot write the output: No space left on device\n"


def test_exported_files_and_the_data_folder_are_the_owners_alone(db, tmp_path, capsys):
    target = tmp_path / "out.md"
    target.write_text("old")
    target.chmod(0o644)
    assert main(["--db", str(db), "export", "table", "campaigns", "-o", str(target), "--force"]) == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600 and "keep me" in target.read_text()
    fresh = tmp_path / "new" / "folder" / "pm.db"
    assert main(["--db", str(fresh), "add", "campaigns", "--campaign", "x"]) == 0
    assert stat.S_IMODE(fresh.parent.stat().st_mode) == 0o700


def _foreign(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO customers (name) VALUES ('ACME')")
    conn.close()


@pytest.mark.parametrize("args", [["export", "week"], ["export", "table", "revenue"], ["add", "campaigns",
                                                                                          "--campaign", "x"]])
def test_a_foreign_sqlite_file_is_refused_without_a_byte_changed(tmp_path, capsys, args):
    path = tmp_path / "other.db"
    _foreign(path)
    before = digest(path)
    assert main(["--db", str(path), *args]) == 1
    assert "not pmweek's" in capsys.readouterr().err
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_an_empty_file_is_not_given_a_schema_by_a_reader(tmp_path, capsys):
    path = tmp_path / "empty.db"
    path.touch()
    assert main(["--db", str(path), "export", "week"]) == 1
    assert "empty file" in capsys.readouterr().err
    assert path.stat().st_size == 0 and sorted(p.name for p in tmp_path.iterdir()) == ["empty.db"]


def test_reading_a_backup_changes_none_of_its_bytes(db, tmp_path, capsys):
    """A backup is in rollback-journal mode: a connection that wrote anything would
    switch it to WAL. Exporting from it (as from a read-only folder) changes nothing."""
    backup = tmp_path / "b.db"
    assert main(["--db", str(db), "backup", str(backup)]) == 0
    before = digest(backup)
    assert main(["--db", str(backup), "export", "table", "campaigns"]) == 0
    assert "keep me" in capsys.readouterr().out
    assert digest(backup) == before
    assert not backup.with_name("b.db-wal").exists() and not backup.with_name("b.db-shm").exists()


@pytest.mark.parametrize("stranger", [
    "CREATE TRIGGER wipe AFTER INSERT ON campaign BEGIN DELETE FROM revenue; END",
    "CREATE VIEW v AS SELECT * FROM campaign",
    "CREATE TABLE extra (x)",
    "CREATE INDEX ix_sneaky ON campaign (campaign)",
])
def test_restore_takes_only_what_pmweek_creates(db, tmp_path, capsys, stranger):
    backup = tmp_path / "b.db"
    assert main(["--db", str(db), "backup", str(backup)]) == 0
    _refused_with(db, backup, stranger, capsys)


def _refused_with(db: Path, backup: Path, stranger: str, capsys) -> None:
    """``backup`` given ``stranger`` is refused in one line, the database untouched."""
    with sqlite3.connect(backup) as conn:
        conn.execute(stranger)
    conn.close()
    before = digest(db)
    assert main(["--db", str(db), "restore", str(backup)]) == 1
    err = capsys.readouterr().err
    assert "pmweek never creates" in err and err.count("\n") == 1
    assert digest(db) == before and not list(db.parent.glob("my.db.before-restore-*"))


def test_restore_of_a_sound_backup_and_its_force(db, tmp_path, capsys):
    backup = tmp_path / "b.db"
    assert main(["--db", str(db), "backup", str(backup)]) == 0
    assert main(["--db", str(db), "add", "campaigns", "--campaign", "later", "--month", "2026-11"]) == 0
    assert main(["--db", str(db), "restore", str(backup)]) == 0
    assert campaigns(db) == ["keep me"]
    (kept,) = tmp_path.glob("my.db.before-restore-*.bak")
    assert campaigns(kept) == ["keep me", "later"]
    # The database itself is no backup to restore from.
    assert main(["--db", str(db), "restore", str(db)]) == 1
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["restore", "--help"])
    assert "--force" in capsys.readouterr().out


def test_a_link_a_pipe_or_a_device_is_never_replaced_by_an_export(db, tmp_path, capsys):
    import os

    real = tmp_path / "real.md"
    real.write_text("kept")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    for target in (link, pipe):
        assert main(["--db", str(db), "export", "table", "campaigns", "-o", str(target), "--force"]) != 0
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "not a file" in err
    assert link.is_symlink() and real.read_text() == "kept" and stat.S_ISFIFO(pipe.stat().st_mode)


@pytest.mark.parametrize("name", ["pm%41.db", "q?x.db", "a b#c.db", "数据 %2F.db"])
def test_the_database_is_the_file_named_whatever_its_name_holds(tmp_path, capsys, name):
    """A "%41", "?" or "#" in a file name is part of the name: every command, the app's
    quick read and its data layer use that one file, owner-only, and make no other."""
    from pmweek.cli import main
    from pmweek.domain.calendar import Week
    from pmweek.services.reading import quick_morning

    (tmp_path / "pmA.db").write_bytes(b"")  # what "%41" would decode to: never touched
    path = tmp_path / name
    assert main(["--db", str(path), "--date", "2026-11-23", "add", "campaigns", "--campaign", "c"]) == 0
    assert main(["--db", str(path), "--date", "2026-11-23", "export", "week"]) == 0
    assert main(["--db", str(path), "--date", "2026-11-23", "export", "table", "campaigns"]) == 0
    assert "| c |" in capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm"))) == \
        sorted({name, "pmA.db"})
    assert (tmp_path / "pmA.db").read_bytes() == b""
    assert path.stat().st_mode & 0o777 == 0o600
    from pmweek.config import db_url
    from pmweek.services import open_services

    services = open_services(db_url(str(path)), "en", user="pm")
    services.checklist.open_week(Week(2026, 48), None)
    services.close()
    assert quick_morning(path, "pm", "en", None, Week(2026, 48), None) is not None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes")
@pytest.mark.parametrize("args", [[], ["export", "week"], ["add", "campaigns", "--campaign", "c"]])
def test_a_pipe_given_as_the_database_is_refused_at_once(tmp_path, args):
    """Opening a named pipe would wait for a writer forever: it is refused in one line."""
    pipe = tmp_path / "pm.db"
    os.mkfifo(pipe)
    result = run("--db", str(pipe), *args, timeout=30)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"pmweek: {pipe} is not an SQLite database; it was left untouched"]
    assert stat.S_ISFIFO(pipe.stat().st_mode)


FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.mark.parametrize("version", [1, 3, 4, 5, 6, 7, 8])
def test_a_backup_an_older_pmweek_made_is_upgraded_as_it_is_restored(db, tmp_path, capsys, version):
    """Including the `.vN-….bak` pmweek keeps before an upgrade: restored, upgraded, with
    every task it held; the backup itself is not changed by a byte."""
    backup = tmp_path / f"pm.db.v{version}-20261101-090000.bak"
    backup.write_bytes((FIXTURES / f"pmweek-schema-v{version}.db").read_bytes())
    before = digest(backup)
    with sqlite3.connect(backup) as conn:
        tasks = conn.execute("SELECT key, done_at FROM task ORDER BY id").fetchall()
    conn.close()
    assert main(["--db", str(db), "restore", str(backup)]) == 0, capsys.readouterr().err
    assert digest(backup) == before
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT key, done_at FROM task ORDER BY id").fetchall() == tasks
    conn.close()
    assert main(["--db", str(db), "export", "table", "campaigns", "--month", "2026-11"]) == 0  # opens as current


@pytest.mark.parametrize("stranger", ["CREATE TABLE extra (x)",
                                      "CREATE TRIGGER wipe AFTER INSERT ON meta BEGIN DELETE FROM task; END"])
def test_an_older_backup_holding_what_pmweek_never_created_is_still_refused(db, tmp_path, capsys, stranger):
    backup = tmp_path / "old.db"
    backup.write_bytes((FIXTURES / "pmweek-schema-v5.db").read_bytes())
    _refused_with(db, backup, stranger, capsys)


def test_a_backup_of_a_database_upgraded_in_place_restores(tmp_path, capsys):
    """An upgrade alters tables (their SQL then reads differently from a new one's) and
    leaves an index an earlier version made: its backups are pmweek's own all the same."""
    path = tmp_path / "pm.db"
    path.write_bytes((FIXTURES / "pmweek-schema-v6.db").read_bytes())
    assert main(["--db", str(path), "add", "campaigns", "--campaign", "after the upgrade"]) == 0
    assert main(["--db", str(path), "backup", str(tmp_path / "b.db")]) == 0
    assert main(["--db", str(path), "add", "campaigns", "--campaign", "later"]) == 0
    assert main(["--db", str(path), "restore", str(tmp_path / "b.db")]) == 0, capsys.readouterr().err
    assert "later" not in campaigns(path) and "after the upgrade" in campaigns(path)
