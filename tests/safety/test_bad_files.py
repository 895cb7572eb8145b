"""Bad files, old files, full disks: one clear error, the file untouched, nothing lost."""

import shutil
import sqlite3
import stat
import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import event

from pmweek.db import engine as db_engine
from pmweek.domain.calendar import Week
from pmweek.errors import DatabaseError
from pmweek.services import open_services
from tests.cli import run, start

FIXTURES = Path(__file__).parent.parent / "fixtures"
TODAY = date(2026, 11, 25)




def test_a_truncated_database_is_one_line_and_left_as_it_was(tmp_path):
    path = tmp_path / "pm.db"
    shutil.copy(FIXTURES / "pmweek-schema-v1.db", path)
    data = path.read_bytes()[:8192]  # the header survives, the rest is gone
    path.write_bytes(data)
    for args in (["export", "week"], ["add", "campaigns", "--campaign", "x"]):
        result = run("--db", str(path), *args)
        assert result.returncode == 1, result
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
        assert str(path) in result.stderr and "malformed" in result.stderr
    # The app finds out once it reads: it leaves, restores the terminal, then says so in one line.
    result = run("--db", str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    # (Before the line: the codes that give the terminal back; on a terminal they are invisible.)
    message = result.stderr.rsplit("pmweek: ", 1)[-1]
    assert message.endswith("\n") and message.count("\n") == 1
    assert str(path) in message and "malformed" in message
    assert path.read_bytes() == data


@pytest.mark.parametrize("schema_fixture", sorted(FIXTURES.glob("pmweek-schema-v*.db")))
def test_databases_of_every_released_schema_open_with_every_row(tmp_path, schema_fixture):
    path = tmp_path / "pm.db"
    shutil.copy(schema_fixture, path)
    with sqlite3.connect(path) as conn:
        before = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("week", "task", "task_event", "campaign", "revenue", "opportunity", "deal")}
        old_version = int(conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0])
    conn.close()
    services = open_services(f"sqlite:///{path}")
    try:
        with sqlite3.connect(path) as conn:
            after = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in before}
            version = int(conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0])
        conn.close()
        assert after == before and version == db_engine.SCHEMA_VERSION
        assert services.sheets.rows("campaigns", None, None, TODAY)  # readable through the app
        if old_version == 7:  # a report's lines, the PM's own among them, every reader's still
            report = services.for_user("pm").documents.saved("weekly", "2026-W48")
            typed = [ln for ln in report.lines if ln.text == "A line typed in schema 7"]
            assert len(typed) == 1 and typed[0].only == () and typed[0].kept_from == ()
        # The shipped routine's watch items lead to the insights and requests tables now.
        if old_version < 2:
            with sqlite3.connect(path) as conn:
                links = dict(conn.execute("SELECT key, table_name FROM routine_item WHERE key LIKE 'mon-%'"))
            conn.close()
            assert links["mon-competitors"] == links["mon-community"] == "insights"
            assert links["mon-partners"] == "requests" and links["mon-da-deals"] == "deals"
        # The shipped Tuesday and Wednesday copies of the same work are one two-day item;
        # the PM's own Wednesday items stay.
        if old_version < 4:
            template = services.checklist.template()
            days = {(i.key, i.day, i.until) for i in template if i.key and i.key[:4] in ("tue-", "wed-")}
            assert days == {("tue-prd", 2, 3), ("tue-cases-faq", 2, 3)}
            assert old_version > 1 or not any(i.key is None for i in template)
            if old_version == 3:
                assert [i.title for i in template if i.key is None] == ["Own Wednesday item"]
        # Kinds added since that schema work at once, next to what they already hold.
        services.sheets.add("releases", {"name": "Logical backup", "planned": "2026-12-01"})
        names = [r.values["name"] for r in services.sheets.rows("releases", None, None, TODAY)]
        assert names == (["PITR"] if old_version >= 2 else []) + ["Logical backup"]
        # Goals (schema 5) are measured against the figures the old file already held.
        goal, _ = services.sheets.add("goals", {"period": "2026-11", "metric": "conversions", "goal_target": "50"})
        results = {g.id: g for g in services.figures.goals(("2026-11",), TODAY)}
        with sqlite3.connect(path) as conn:
            (typed,) = conn.execute("SELECT sum(conversions) FROM campaign WHERE month = '2026-11' "
                                    "AND deleted_at IS NULL").fetchone()
        conn.close()
        assert typed and results[goal].actual == typed
        # Schema 6: the goals an older file held are kept as they were, and a goal becomes a
        # key result of an objective with a start value and a score.
        kept = [(g.period, g.metric, g.target, g.owner) for g in services.figures.goals(("2026-Q4", "2026-11"), TODAY)
                if g.id != goal]
        if old_version == 5:
            assert kept == [("2026-Q4", "users", 400.0, "Li"), ("2026-11", "NPS", 40.0, None)]
        services.sheets.add("objectives", {"quarter": "2026-Q4", "objective": "Grow self-serve"})
        kr, _ = services.sheets.add("goals", {"period": "2026-Q4", "metric": "NPS", "goal_start": "30",
                                              "goal_target": "50", "actual": "40", "objective": "Grow self-serve"})
        services.sheets.edit("goals", kr, {"score": "0.5", "review": "halfway"})
        (result,) = [g for g in services.figures.goals(("2026-Q4",), TODAY) if g.id == kr]
        assert (result.objective, result.progress, result.score, result.review) == ("Grow self-serve", 0.5, 0.5, "halfway")
        # Schema 7: Friday's item on other teams' reports leads to the week's report.
        friday = {i.key: i.table for i in services.checklist.template() if i.key == "fri-cross-team"}
        assert friday == {"fri-cross-team": "report"}
        # Schema 7: requests keep every row and take RICE figures; the risk ledger is new.
        titles = [r.values["title"] for r in services.sheets.rows("requests", None, None, TODAY)]
        if old_version == 6:
            assert titles == ["CDC to Kafka"]
        request, _ = services.sheets.add("requests", {"title": "Vector search", "reach": "2000", "impact": "2",
                                                      "confidence": "80%", "effort": "4", "weight": "1.5"})
        risk, _ = services.sheets.add("risks", {"risk": "Key engineer leaves", "likelihood": "3", "severity": "4"})
        computed = {(sheet, r.id): r.computed for sheet in ("requests", "risks")
                    for r in services.sheets.rows(sheet, None, None, TODAY)}
        assert computed["requests", request]["weighted_score"] == 1200
        assert computed["risks", risk]["risk_score"] == 12
        if old_version < db_engine.SCHEMA_VERSION:
            assert list(tmp_path.glob(f"pm.db.v{old_version}-*.bak"))  # a copy was kept first
    finally:
        services.close()


def _refusing(services, pragma):
    """Make every new connection of ``services`` refuse writes the way a read-only file or
    a full disk does."""
    event.listen(services.engine, "connect", lambda conn, _: conn.execute(pragma))
    services.engine.dispose()


def test_a_read_only_database_gives_a_clear_error_and_keeps_the_data(tmp_path):
    services = open_services(f"sqlite:///{tmp_path / 'pm.db'}")
    services.sheets.add("campaigns", {"month": "2026-11", "campaign": "kept"})
    _refusing(services, "PRAGMA query_only = ON")  # root ignores file modes: simulate
    with pytest.raises(DatabaseError) as err:
        services.sheets.add("campaigns", {"month": "2026-11", "campaign": "lost?"})
    assert "readonly" in err.value.message()
    assert [r.values["campaign"] for r in services.sheets.rows("campaigns", None, None, TODAY)] == ["kept"]
    services.close()


def test_a_full_disk_rolls_back_the_write_and_keeps_the_file_sound(tmp_path):
    path = tmp_path / "pm.db"
    services = open_services(f"sqlite:///{path}")
    services.sheets.add("campaigns", {"month": "2026-11", "campaign": "kept"})
    with sqlite3.connect(path) as conn:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.close()
    _refusing(services, f"PRAGMA max_page_count = {pages}")  # no room to grow
    with pytest.raises(DatabaseError) as err:
        for i in range(2000):
            services.sheets.add("campaigns", {"month": "2026-11", "campaign": f"c{i}", "improvement": "x" * 4000})
    assert "full" in err.value.message()
    services.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        campaigns = [r[0] for r in conn.execute("SELECT campaign FROM campaign ORDER BY id")]
    conn.close()
    assert campaigns[0] == "kept" and all(c.startswith("c") for c in campaigns[1:])


async def test_a_failed_write_in_the_app_is_a_message_not_a_crash(make_app, services):
    from tests.conftest import settle

    app = make_app(TODAY)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        _refusing(app.services, "PRAGMA query_only = ON")
        await pilot.press("space")
        await pilot.pause()
        assert app.is_running
        assert any("readonly" in str(n.message) for n in app.said)


def test_database_wal_and_backups_are_owner_only(tmp_path):
    path = tmp_path / "pm.db"
    services = open_services(f"sqlite:///{path}")
    services.sheets.add("campaigns", {"month": "2026-11", "campaign": "a"})
    for name in ("pm.db", "pm.db-wal", "pm.db-shm"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name
    services.close()
    assert run("--db", str(path), "backup", str(tmp_path / "copy.db")).returncode == 0
    assert stat.S_IMODE((tmp_path / "copy.db").stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("copy")) == ["copy.db"]


def test_backup_while_another_window_writes_then_restore(tmp_path):
    path = tmp_path / "pm.db"
    writer = open_services(f"sqlite:///{path}")
    writer.sheets.add("campaigns", {"month": "2026-11", "campaign": "before"})
    result = run("--db", str(path), "backup", str(tmp_path / "b.db"))
    assert result.returncode == 0 and result.stdout == f"{tmp_path / 'b.db'}\n"
    writer.sheets.add("campaigns", {"month": "2026-11", "campaign": "after"})  # the window goes on
    assert run("--db", str(path), "backup", str(tmp_path / "b.db")).returncode == 2  # no silent overwrite (as for -o)
    result = run("--db", str(path), "restore", str(tmp_path / "b.db"))
    assert result.returncode == 0, result.stderr
    kept = next(tmp_path.glob("pm.db.before-restore-*.bak"))
    names = [r.values["campaign"] for r in writer.sheets.rows("campaigns", None, None, TODAY)]
    assert names == ["before"]  # the open window sees the restored data
    with sqlite3.connect(kept) as conn:  # and what was replaced is kept
        assert [r[0] for r in conn.execute("SELECT campaign FROM campaign")] == ["before", "after"]
    conn.close()
    writer.close()


@pytest.mark.parametrize("content", [b"not a database at all", None])
def test_restore_checks_the_file_before_touching_anything(tmp_path, content):
    path = tmp_path / "pm.db"
    services = open_services(f"sqlite:///{path}")
    services.sheets.add("campaigns", {"month": "2026-11", "campaign": "mine"})
    services.close()
    bad = tmp_path / "bad.db"
    if content is None:  # a sound SQLite file that is not a pmweek database
        with sqlite3.connect(bad) as conn:
            conn.execute("CREATE TABLE x (y)")
        conn.close()
    else:
        bad.write_bytes(content)
    before = path.read_bytes()
    result = run("--db", str(path), "restore", str(bad))
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.bak"))


def test_plans_of_schema_1_move_onto_the_document_engine_with_every_edit(tmp_path):
    """A plan compiled before documents existed keeps every line, its edits (rewritten
    words, owner, priority, dropped, ticked, typed lines) and its order, and compiles on."""
    path = tmp_path / "pm.db"
    shutil.copy(FIXTURES / "pmweek-schema-v1.db", path)
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO plan (id, owner, iso_year, iso_week, compiled_at, compile_count) "
                     "VALUES (7, 'pm-li', 2026, 48, '2026-11-27 09:00:00.000000', 2)")
        lines = [
            (70, "revenue", 0, "revenue:2026-11", "2026-11: cash 100 of 130", None, 0, 0, None, None, None, None, None),
            (71, "draft", 0, "draft:abc", "my own words", "Zhang", 1, 1, 1, None, None, "2026-11-27 10:00:00.000000",
             None),
            (72, "draft", 1, "draft:def", "as compiled", None, 0, 0, 2, None, 3, None, "2026-11-30 09:00:00.000000"),
            (73, "added", 0, None, "book the offsite", None, 1, 1, None, "2026-12-03", None, None, None),
        ]
        conn.executemany(
            "INSERT INTO plan_line (id, plan_id, section, position, source_key, text, owner, owner_edited, "
            "text_edited, priority, due, carried, dropped_at, done_at, added_at, updated_at) "
            "VALUES (?, 7, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '2026-11-27 09:00:00.000000', "
            "'2026-11-27 09:00:00.000000')",
            lines,
        )
    conn.close()
    services = open_services(f"sqlite:///{path}", user="pm-li")
    try:
        plan = services.documents.plan_made_in(Week(2026, 48))
        assert plan is not None and plan.compile_count == 2 and len(plan.lines) == 4
        draft = plan.section("draft")
        assert [(ln.text, ln.owner, ln.priority, ln.text_edited) for ln in draft] == [
            ("my own words", "Zhang", 1, True), ("as compiled", None, 2, False)]
        assert draft[0].dropped and draft[1].done and draft[1].carried == 3
        (typed,) = plan.section("added")
        assert (typed.text, str(typed.due)) == ("book the offsite", "2026-12-03")
        with sqlite3.connect(path) as conn:
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        conn.close()
        assert not {"plan", "plan_line"} & names and {"document", "document_line"} <= names
    finally:
        services.close()


def _plan_lines(plan):
    return sorted((ln.section, ln.text, ln.priority, ln.owner, str(ln.due or ""), ln.dropped) for ln in plan.lines)


# The Friday plan schema 8 held (tests/fixtures/pmweek-schema-v8.db, written by the plan's
# own screen and service before the plan became a kind of document like the reports):
# every kind of edit, one of them a date the PM gave a line after its last compile.
PLAN_OF_SCHEMA_8 = [
    ("added", "1:1 with the new designer", None, None, "", False),
    ("cross_team", "API quota for the bank", None, "Platform", "2026-12-04", False),
    ("deals", "Bank · HA", None, None, "2026-12-03", False),
    ("draft", "launch v2 docs", 1, None, "2026-12-02", False),
    ("draft", "sync pricing with sales and support", 2, "Chen", "", False),
    ("opportunities", "ACME (spend 120): top bank", None, None, "", True),
    ("opportunities", "ACME: top bank", None, None, "", False),
    ("revenue", "2026-11: cash 120 of forecast 125 (96.0%, -5)", None, None, "", False),
    ("tickets", "backup: restore guide", None, "Li", "2026-12-02", False),
    ("tickets", "perf", None, "Wang", "2026-11-20", False),
]


def test_the_plans_of_schema_8_keep_every_edit_through_the_upgrade_and_a_recompile(tmp_path, capsys):
    from pmweek.cli import main

    path = tmp_path / "pm.db"
    shutil.copy(FIXTURES / "pmweek-schema-v8.db", path)
    services = open_services(f"sqlite:///{path}", user="pm")
    try:
        plan = services.documents.plan_made_in(Week(2026, 48))
        assert _plan_lines(plan) == PLAN_OF_SCHEMA_8
        # Last week's plan, ticked off on Monday, is still ticked.
        (done,) = services.documents.plan_for(Week(2026, 48)).section("added")
        assert (done.text, done.owner, str(done.due), done.done) == ("write the migration guide", "Zhao",
                                                                     "2026-11-25", True)
        # Compiled again on its Friday: the data is the same, so is every line, the PM's date included.
        services.documents.compile("plan", "2026-W48", date(2026, 11, 27))
        assert _plan_lines(services.documents.plan_made_in(Week(2026, 48))) == PLAN_OF_SCHEMA_8
    finally:
        services.close()
    assert main(["--db", str(path), "--user", "pm", "--date", "2026-11-30", "export", "plan"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Plan for 2026-11-30 – 2026-12-04 (week 49)\n")
    assert "- [ ] **P1** launch v2 docs _(due 2026-12-02)_" in out
    assert "### Wang\n\n- [ ] perf _(due 2026-11-20; overdue)_" in out
    assert "- [ ] API quota for the bank _(team: Platform; due 2026-12-04)_" in out
    assert "top bank" in out and "(spend 120)" not in out  # the dropped line is left out


def test_windows_opening_an_old_file_at_once_upgrade_it_once(tmp_path):
    path = tmp_path / "pm.db"
    shutil.copy(FIXTURES / "pmweek-schema-v6.db", path)
    procs = [start("--db", str(path), "--date", "2027-01-06", "rank", stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(6)]
    results = [(p.wait(), p.stderr.read()) for p in procs]
    for p in procs:
        p.stdout.close()
        p.stderr.close()
    assert all(rc == 0 for rc, _ in results), results
    with sqlite3.connect(path) as conn:
        (version,) = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        (titles,) = conn.execute("SELECT count(*) FROM feature_request").fetchone()
    conn.close()
    assert int(version) == db_engine.SCHEMA_VERSION and titles == 1


def test_a_file_pmweek_may_not_write_is_still_exported_after_new_declarations(tmp_path, monkeypatch):
    """A database made before a record kind was declared, on a file pmweek cannot write
    (a read-only copy): exports read it as it is, nothing refused, nothing changed."""
    import sqlite3

    from pmweek.db import engine as db_engine

    path = tmp_path / "pm.db"
    services = open_services(f"sqlite:///{path}")
    services.sheets.add("campaigns", {"month": "2026-11", "campaign": "kept"})
    services.close()
    with sqlite3.connect(path) as conn:  # as the release before this one left it
        conn.execute("DELETE FROM meta WHERE key = 'records'")
    before = path.read_bytes()

    def refused(*_args, **_kwargs):
        raise DatabaseError("error.db_unreadable", path=path, reason="attempt to write a readonly database")

    monkeypatch.setattr(db_engine, "_upgrade", refused)  # root ignores file modes: simulate
    reader = open_services(f"sqlite:///{path}", create=False)
    assert [r.values["campaign"] for r in reader.sheets.rows("campaigns", None, None, TODAY)] == ["kept"]
    reader.close()
    assert path.read_bytes() == before and not list(tmp_path.glob("*.bak"))
    monkeypatch.undo()
    writer = open_services(f"sqlite:///{path}")  # where it may write, the stamp is put right
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'records'").fetchone()[0] == db_engine.declared()
    writer.close()


def test_a_record_kind_declared_after_the_database_was_made_gets_its_table(tmp_path):
    """Declaring a kind needs no upgrade step of its own: opening a database whose
    stamp predates the declarations adds the tables and indexes it lacks, rows kept."""
    import sqlite3

    path = tmp_path / "pm.db"
    services = open_services(f"sqlite:///{path}")
    services.sheets.add("campaigns", {"month": "2026-11", "campaign": "kept"})
    services.close()
    with sqlite3.connect(path) as conn:  # as if risks had been declared since
        conn.execute("DROP TABLE risk")
        conn.execute("DROP INDEX IF EXISTS ix_campaign_month")
        conn.execute("UPDATE meta SET value = 'older' WHERE key = 'records'")
    services = open_services(f"sqlite:///{path}")
    row_id, _ = services.sheets.add("risks", {"risk": "Key engineer leaves", "likelihood": "3", "severity": "4"})
    assert [r.values["campaign"] for r in services.sheets.rows("campaigns", None, None, TODAY)] == ["kept"]
    services.close()
    with sqlite3.connect(path) as conn:
        indexes = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert "ix_campaign_month" in indexes and row_id


def _ticks(path: Path) -> list[tuple[str, int]]:
    with sqlite3.connect(path) as conn:
        found = conn.execute("SELECT key, done_at IS NOT NULL FROM task ORDER BY id").fetchall()
    conn.close()
    return found


def test_a_window_open_across_a_restore_writes_nothing_into_the_restored_file(tmp_path):
    """The backup holds another week: the open window's ids now name other items. Its
    next tick is refused with one line, and the restored file is as the backup was."""
    path = tmp_path / "pm.db"
    old = open_services(f"sqlite:///{path}")
    old.checklist.open_week(Week(2026, 52), date(2026, 12, 21))
    assert run("--db", str(path), "backup", str(tmp_path / "b.db")).returncode == 0
    old.close()
    path.unlink()
    window = open_services(f"sqlite:///{path}")  # a new database, W53 first: its ids are W52's in the backup
    item = window.checklist.open_week(Week(2026, 53), date(2026, 12, 28)).day(1).tasks[0]
    result = run("--db", str(path), "restore", str(tmp_path / "b.db"))
    assert result.returncode == 0, result.stderr
    restored = _ticks(path)
    with pytest.raises(DatabaseError) as err:
        window.checklist.toggle(item.id)
    assert err.value.key == "error.db_replaced" and str(path) in err.value.message()
    assert _ticks(path) == restored and not any(done for _, done in restored)
    window.close()
    again = open_services(f"sqlite:///{path}")  # a window started after the restore writes as ever
    again.checklist.toggle(again.checklist.peek_week(Week(2026, 52)).day(1).tasks[0].id)
    again.close()


def test_a_file_moved_over_the_database_is_not_written_through_the_old_one(tmp_path):
    """`mv other.db pm.db` (or a sync tool) under an open window: its writes would land in
    the unlinked file and be lost; they are refused instead."""
    path, other = tmp_path / "pm.db", tmp_path / "other.db"
    window = open_services(f"sqlite:///{path}")
    item = window.checklist.open_week(Week(2026, 48), date(2026, 11, 23)).day(1).tasks[0]
    open_services(f"sqlite:///{other}").close()
    other.replace(path)
    with pytest.raises(DatabaseError) as err:
        window.checklist.toggle(item.id)
    assert err.value.key == "error.db_replaced"
    window.close()


@pytest.mark.parametrize("meanwhile", ["renamed", "added empty"])
def test_a_renamed_field_takes_its_data_and_its_history_with_it(tmp_path, monkeypatch, meanwhile):
    """A field declared under a new key (Field.renamed) finds its data on opening a
    database made under the old one: never an empty new column beside the full old one.
    Where the new column was added empty meanwhile, the values are copied into it."""
    import dataclasses
    import sqlite3

    from pmweek.domain.sheets import SHEETS

    path = tmp_path / "pm.db"
    services = open_services(f"sqlite:///{path}")
    row_id, _ = services.sheets.add("campaigns", {"month": "2026-11", "campaign": "Double 11", "improvement": "v1"})
    services.sheets.edit("campaigns", row_id, {"improvement": "shorter form"})
    services.close()
    with sqlite3.connect(path) as conn:  # as a release that called the field "advice" left it
        conn.execute("ALTER TABLE campaign RENAME COLUMN improvement TO advice")
        conn.execute("UPDATE record_change SET field = 'advice' WHERE field = 'improvement'")
        if meanwhile == "added empty":  # a release that declared the new key without the rename
            conn.execute("ALTER TABLE campaign ADD COLUMN improvement TEXT")
        conn.execute("UPDATE meta SET value = 'older' WHERE key = 'records'")
    sheet = SHEETS["campaigns"]
    fields = tuple(dataclasses.replace(f, renamed=("advice",)) if f.key == "improvement" else f for f in sheet.fields)
    monkeypatch.setitem(SHEETS, "campaigns", dataclasses.replace(sheet, fields=fields))
    services = open_services(f"sqlite:///{path}")
    rows = services.sheets.rows("campaigns", None, None, TODAY)
    assert [r.values["improvement"] for r in rows] == ["shorter form"]
    assert [(c.field, c.before, c.after) for c in services.sheets.history("campaigns", row_id)] == [
        ("improvement", "v1", "shorter form")]
    services.close()
    with sqlite3.connect(path) as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(campaign)")}
    assert ("advice" in columns) == (meanwhile == "added empty")  # a column with data is never dropped
