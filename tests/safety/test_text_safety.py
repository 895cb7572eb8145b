"""Every text that reaches a terminal or a report refuses control characters where it
comes in and shows them harmlessly where it goes out; connection URLs never show a
secret."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pmweek.cli import main
from pmweek.domain.calendar import Week
from pmweek.domain.text import CONTROL, check_text, visible
from pmweek.errors import InputError

MON = date(2026, 11, 23)
HOSTILE = ["\x1b]0;pwned\x07", "\x1b[2J", "a\x00b", "bell\x07", "\x9b31m", "\u202e" + "\ud800"[:0] + "\x1b"]


@given(st.text(max_size=80))
def test_what_is_shown_never_carries_a_control_character(text):
    shown = visible(text)
    assert not CONTROL.search(shown)
    assert len(shown) == len(text) and shown.count("\n") == text.count("\n")


@pytest.mark.parametrize("bad", HOSTILE)
def test_every_kind_of_text_refuses_control_characters(services, bad):
    checklist = services.checklist
    item = checklist.open_week(Week(2026, 48), MON).day(1).tasks[0]
    attempts = [
        lambda: checklist.set_note(item.id, f"note {bad}"),
        lambda: checklist.set_day(date(2027, 10, 1), workday=False, name=f"National {bad}"),
        lambda: checklist.add_template_item(1, f"title {bad}"),
        lambda: checklist.add_template_item(1, "fine", f"point {bad}"),
        lambda: services.documents.add_line("plan", "2026-W48", MON.replace(day=27), "added", f"line {bad}"),
        lambda: services.documents.add_line("plan", "2026-W48", MON.replace(day=27), "added", "line",
                                            owner=f"owner {bad}"),
    ]
    for attempt in attempts:
        with pytest.raises(InputError) as err:
            attempt()
        assert err.value.key == "error.field_control"
        assert "\n" not in err.value.message() and not CONTROL.search(err.value.message())
    assert checklist.task(item.id).note == ""


def test_a_note_keeps_its_lines_and_tabs_exactly(services):
    item = services.checklist.open_week(Week(2026, 48), MON).day(1).tasks[0]
    services.checklist.set_note(item.id, "one\n\ttwo  \n")
    assert services.checklist.task(item.id).note == "one\n\ttwo  \n"
    with pytest.raises(InputError):
        check_text("x" * 101, "field.day_name", limit=100)


@pytest.mark.parametrize("user", ["", "   ", "evil\x1b]0;pwn\x07", "two\nlines", "x" * 65])
def test_a_user_name_that_could_mislead_another_terminal_is_refused(tmp_path, capsys, user):
    with pytest.raises(SystemExit) as exit_:
        main(["--db", str(tmp_path / "pm.db"), "--user", user, "export", "week"])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--user" in err and not CONTROL.search(err)


def test_text_stored_by_another_client_is_shown_harmlessly(tmp_path, capsys):
    db = tmp_path / "pm.db"
    assert main(["--db", str(db), "--date", "2026-11-23", "add", "campaigns", "--campaign", "ok"]) == 0
    from pmweek.services import open_services

    services = open_services(f"sqlite:///{db}")
    services.checklist.open_week(Week(2026, 48), MON)
    services.close()
    with sqlite3.connect(db) as conn:  # written past pmweek's checks (an old version, another tool)
        conn.execute("UPDATE campaign SET campaign = 'x\x1b]0;pwned\x07y'")
        conn.execute("UPDATE task SET title = 'T\x1b[2J' WHERE id = 1")
    conn.close()
    capsys.readouterr()
    for args in (["export", "table", "campaigns"], ["export", "table", "campaigns", "--format", "csv"],
                 ["export", "week"]):
        assert main(["--db", str(db), "--date", "2026-11-23", *args]) == 0
        out = capsys.readouterr().out
        assert "\x1b" not in out and "\x07" not in out and "\ufffd" in out


SECRET = "s3cret-Pw"


@pytest.mark.parametrize("url", [
    f"postgresql+psycopg://pm:{SECRET}@127.0.0.1:1/db",
    f"postgresql+psycopg://pm@127.0.0.1:1/db?password={SECRET}",
    f"postgresql+psycopg://pm:{SECRET}@x@127.0.0.1:1/db",
    f"postgresql+psycopg://pm:{SECRET}@127.0.0.1:abc/db",
    f"postgresql+psycopg://pm:{SECRET}@127.0.0.1:99999/db",
    f"nosuchdriver://pm:{SECRET}@host/db",
    f"postgresql+psycopg://pm:{SECRET}@/db?host=/nonexistent&sslpassword={SECRET}",
    # Unencoded "@" and ":" inside the password: the parser quotes its tail as a port.
    f"postgresql+psycopg://pm:p@ss:{SECRET}Tail99@db.example.internal/pmweek",
    f"postgresql+psycopg://pm:p@ss:{SECRET}Tail99@127.0.0.1:1/pmweek",
])
def test_a_connection_url_never_shows_its_secret(capsys, url):
    assert main(["--db", url, "export", "week"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert SECRET not in err and "s3cret" not in err and "Tail99" not in err


def test_help_says_where_a_password_is_not_seen_by_others(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "process list" in out and "PGPASSWORD" in out and ".pgpass" in out


@pytest.mark.parametrize("hidden", ["\u202e", "\u202a", "\u2066", "\u200b", "\u200f", "\ufeff", "\u2060"])
def test_characters_that_reorder_or_hide_text_are_refused_and_shown(services, hidden):
    """A bidi override makes "txt.exe" read "exe.txt"; a zero-width space makes two names
    that look alike differ. Refused where typed, visible where shown."""
    with pytest.raises(InputError) as err:
        services.sheets.add("campaigns", {"month": "2026-11", "campaign": f"Promo{hidden}exe.txt"})
    assert err.value.key == "error.field_control"
    assert visible(f"a{hidden}b") == "a\ufffdb"
    assert visible("emoji 👩\u200d💻 and a\u200cb") == "emoji 👩\u200d💻 and a\u200cb"  # joiners are text
