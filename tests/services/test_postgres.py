"""A team on one PostgreSQL server: connection problems are one clear line naming the
host and database (never the password); a dropped connection is not a lost tick."""

import subprocess
from datetime import date

import pytest

from pmweek.domain.calendar import Week
from pmweek.errors import DatabaseError
from pmweek.services import open_services
from tests.cli import run, start
from tests.pg import PASSWORD, PASSWORD_USER

MON = date(2026, 11, 23)




def test_the_cli_works_end_to_end_on_postgresql(pg_server):
    url = pg_server.new_database()
    assert run("--db", url, "add", "revenue", "--month", "2026-10", "--cash", "120.5").returncode == 0
    result = run("--db", url, "--date", "2026-11-05", "export", "table", "revenue", "--month", "2026-10")
    assert result.returncode == 0 and "| 2026-10 | 120.5 |" in result.stdout
    again = run("--db", url, "add", "revenue", "--month", "2026-10", "--cash", "1")
    assert again.returncode == 2 and "--replace" in again.stderr


@pytest.mark.parametrize(
    ("make_url", "needle"),
    [
        (lambda s: s.url("nosuchdb"), "nosuchdb"),
        (lambda s: s.url("postgres", PASSWORD_USER, "wrong-password"), "127.0.0.1"),
        (lambda s: s.url("postgres").replace(str(s.port), "1"), "127.0.0.1"),  # nothing listens
    ],
    ids=["missing database", "wrong password", "server down"],
)
def test_connection_problems_are_one_line_without_the_password(pg_server, make_url, needle):
    url = make_url(pg_server)
    result = run("--db", url, "export", "week")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert needle in result.stderr
    assert "wrong-password" not in result.stderr and PASSWORD not in result.stderr


def test_the_right_password_connects(pg_server):
    admin_url = pg_server.new_database()
    name = admin_url.rsplit("/", 1)[1]
    with pg_server.admin() as conn:
        conn.execute(f"GRANT ALL ON DATABASE {name} TO {PASSWORD_USER}")
        conn.execute(f"ALTER DATABASE {name} OWNER TO {PASSWORD_USER}")
    services = open_services(pg_server.url(name, PASSWORD_USER, PASSWORD))
    assert services.checklist.open_week(Week(2026, 48), MON).stored
    services.close()


def test_a_dropped_connection_is_reconnected_not_a_lost_tick(pg_server):
    url = pg_server.new_database()
    services = open_services(url)
    item = services.checklist.open_week(Week(2026, 48), MON).day(1).tasks[0]
    name = url.rsplit("/", 1)[1]
    with pg_server.admin() as conn:  # the server drops every connection to the database
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
    services.checklist.toggle(item.id)
    assert services.checklist.task(item.id).done
    services.close()


def test_two_pms_writing_at_once_lose_nothing(pg_server):
    url = pg_server.new_database()
    a, b = open_services(url), open_services(url)
    week = a.checklist.open_week(Week(2026, 48), MON)
    first, second = week.day(1).tasks[:2]
    procs = [run_async("--db", url, "add", "campaigns", "--month", "2026-11", "--campaign", f"c{i}") for i in range(8)]
    a.checklist.toggle(first.id)
    b.checklist.set_note(first.id, "from b")
    b.checklist.toggle(second.id)
    for proc in procs:
        assert proc.wait(timeout=60) == 0
    assert a.checklist.task(first.id).done and a.checklist.task(first.id).note == "from b"
    assert a.checklist.task(second.id).done
    assert len(a.sheets.rows("campaigns", None, None, MON)) == 8
    a.close()
    b.close()


def run_async(*args):
    return start(*args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_a_server_error_in_use_is_a_clear_error(pg_server):
    url = pg_server.new_database()
    services = open_services(url)
    name = url.rsplit("/", 1)[1]
    services.engine.dispose()
    with pg_server.admin() as conn:
        conn.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS false")
    with pytest.raises(DatabaseError) as err:
        services.checklist.open_week(Week(2026, 48), MON)
    assert name in err.value.message()
    with pg_server.admin() as conn:
        conn.execute(f"ALTER DATABASE {name} ALLOW_CONNECTIONS true")
    services.close()
