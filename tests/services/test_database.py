"""Opening, creating and upgrading the database; refusing what is not ours."""

import sqlite3
import stat

import pytest
from sqlalchemy import text

from pmweek.db import engine as db_engine
from pmweek.domain.calendar import Week
from pmweek.errors import DatabaseError
from pmweek.services import open_services


def test_new_database_is_owner_only_with_wal_and_foreign_keys(tmp_path):
    path = tmp_path / "sub" / "dir" / "pm.db"
    services = open_services(f"sqlite:///{path}")
    try:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        with services.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
            version = conn.execute(text("SELECT value FROM meta WHERE key='schema_version'")).scalar()
        assert int(version) == db_engine.SCHEMA_VERSION
    finally:
        services.close()


def test_a_file_with_a_garbage_header_is_refused_and_left_as_it_was(tmp_path):
    path = tmp_path / "notes.db"
    payload = b"this is my shopping list, not a database\n" * 100
    path.write_bytes(payload)
    with pytest.raises(DatabaseError) as err:
        open_services(f"sqlite:///{path}")
    assert err.value.key == "error.db_not_sqlite"
    assert path.read_bytes() == payload
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]  # no -wal/-shm left


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(DatabaseError) as err:
        open_services(f"sqlite:///{tmp_path}")
    assert err.value.key == "error.db_is_dir"


def test_a_directory_that_cannot_be_created_is_refused(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(DatabaseError) as err:
        open_services(f"sqlite:///{blocker / 'sub' / 'pm.db'}")
    assert err.value.key == "error.db_create"
    assert blocker.read_text() == "x"


def test_a_database_from_a_newer_pmweek_is_refused_untouched(tmp_path):
    path = tmp_path / "pm.db"
    open_services(f"sqlite:///{path}").close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    before = path.read_bytes()
    with pytest.raises(DatabaseError) as err:
        open_services(f"sqlite:///{path}")
    assert err.value.key == "error.db_newer"
    assert path.read_bytes() == before


def test_another_applications_database_is_refused(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
        conn.execute("INSERT INTO customers (name) VALUES ('ACME')")
    with pytest.raises(DatabaseError) as err:
        open_services(f"sqlite:///{path}")
    assert err.value.key == "error.db_foreign"
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT name FROM sqlite_master WHERE type='table'").fetchall() == [
            ("customers",)
        ]


def _current_database_with_a_ticked_item(path, clock):
    services = open_services(f"sqlite:///{path}", "en", clock)
    view = services.checklist.open_week(Week(2026, 48), Week(2026, 48).monday)
    task_id = view.day(1).tasks[0].id
    services.checklist.toggle(task_id)
    services.checklist.set_note(task_id, "keep me")
    services.close()
    return task_id


def test_an_older_database_is_upgraded_in_place_after_a_copy_is_kept(tmp_path, monkeypatch, clock):
    path = tmp_path / "pm.db"
    task_id = _current_database_with_a_ticked_item(path, clock)

    def add_column(conn):
        conn.exec_driver_sql("ALTER TABLE task ADD COLUMN priority INTEGER")

    current = db_engine.SCHEMA_VERSION
    monkeypatch.setattr(db_engine, "SCHEMA_VERSION", current + 1)
    monkeypatch.setitem(db_engine.MIGRATIONS, current + 1, add_column)
    services = open_services(f"sqlite:///{path}", "en", clock)
    try:
        task = services.checklist.task(task_id)
        assert task.done and task.note == "keep me"
        with services.engine.connect() as conn:
            assert conn.execute(text("SELECT value FROM meta WHERE key='schema_version'")).scalar() == str(current + 1)
            conn.exec_driver_sql("SELECT priority FROM task").all()
    finally:
        services.close()
    backups = list(tmp_path.glob(f"pm.db.v{current}-*.bak"))
    assert len(backups) == 1
    assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone() == (str(current),)
        assert conn.execute("SELECT note FROM task WHERE id=?", (task_id,)).fetchone() == ("keep me",)


def test_an_upgrade_that_fails_midway_leaves_the_database_usable(tmp_path, monkeypatch, clock):
    path = tmp_path / "pm.db"
    task_id = _current_database_with_a_ticked_item(path, clock)

    def half_then_fail(conn):
        conn.exec_driver_sql("ALTER TABLE task ADD COLUMN priority INTEGER")
        conn.exec_driver_sql("DELETE FROM task_event")
        conn.exec_driver_sql("SELECT * FROM no_such_table")

    current = db_engine.SCHEMA_VERSION
    monkeypatch.setattr(db_engine, "SCHEMA_VERSION", current + 1)
    monkeypatch.setitem(db_engine.MIGRATIONS, current + 1, half_then_fail)
    with pytest.raises(DatabaseError):
        open_services(f"sqlite:///{path}", "en", clock)
    monkeypatch.setattr(db_engine, "SCHEMA_VERSION", current)
    services = open_services(f"sqlite:///{path}", "en", clock)
    try:
        assert services.checklist.task(task_id).done
        assert [a for _, a, _ in services.checklist.history(task_id)] == ["done"]
        with services.engine.connect() as conn:
            columns = [row[1] for row in conn.exec_driver_sql("PRAGMA table_info(task)")]
        assert "priority" not in columns  # the DDL was rolled back too
    finally:
        services.close()


def test_the_url_with_a_password_is_never_shown(tmp_path):
    with pytest.raises(DatabaseError) as err:
        open_services("nosuchdb://alice:s3cret@db.example/pm")
    assert "s3cret" not in err.value.message()


def test_default_location_is_the_user_data_directory(monkeypatch, tmp_path):
    from pmweek.config import db_url

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert db_url(None, {}) == f"sqlite:///{tmp_path / 'pmweek' / 'pmweek.db'}"
    assert db_url(None, {"PMWEEK_DB": "postgresql+psycopg://u@h/db"}) == "postgresql+psycopg://u@h/db"
    assert db_url(str(tmp_path / "x.db"), {"PMWEEK_DB": "ignored"}) == f"sqlite:///{tmp_path / 'x.db'}"
    assert not (tmp_path / "pmweek").exists()  # resolving the path creates nothing
