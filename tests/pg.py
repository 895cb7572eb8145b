"""A throwaway PostgreSQL server for the tests: a cluster in a temporary directory on a
free loopback port, started by the test run and stopped at its end.

The server programs come from Debian's postgresql package (`initdb`, `pg_ctl`). When
they are missing the PostgreSQL tests fail with a message saying so: never a silent skip.
PostgreSQL refuses to run as root, so under root the cluster runs as `nobody`.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

ADMIN = "pmweek"
PASSWORD_USER, PASSWORD = "pm_pw", "s3cret-pw"


def _find() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    if found:
        return Path(found[0]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _install() -> None:
    """On a fresh Debian machine where the tests run as root (CI), install the server
    programs from Debian's packages, so the suite needs nothing installed by hand."""
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"],
                    ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "postgresql"]):
        subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)


def _bindir() -> Path:
    found = _find()
    if found is None:
        _install()
        found = _find()
    if found is not None:
        return found
    raise RuntimeError(
        "PostgreSQL server programs (initdb, pg_ctl) were not found: install Debian's "
        "postgresql package (e.g. apt-get install postgresql-15) to run the PostgreSQL tests"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self) -> None:
        self.bindir = _bindir()
        self.root = Path(tempfile.mkdtemp(prefix="pmweek-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self.as_user = ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def start(self) -> Server:
        if self.as_user:
            os.chown(self.root, 65534, 65534)
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-A", "trust", "-U", ADMIN,
                  "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        # One role that must give its password, for the wrong-password test.
        hba = self.data / "pg_hba.conf"
        hba.write_text(f"host all {PASSWORD_USER} 127.0.0.1/32 scram-sha-256\n" + hba.read_text())
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"), "-w", "-o",
                  f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                  "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200", "start")
        with self.admin() as conn:
            conn.execute(f"CREATE ROLE {PASSWORD_USER} LOGIN PASSWORD '{PASSWORD}'")
        return self

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def admin(self):
        import psycopg

        return psycopg.connect(host="127.0.0.1", port=self.port, user=ADMIN, dbname="postgres", autocommit=True)

    def new_database(self) -> str:
        """A fresh, empty database; its SQLAlchemy URL."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        with self.admin() as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def prepared_database(self) -> str:
        """A database as pmweek's first start leaves it (schema, policies): a copy of one
        made once per server, as the SQLite tests copy a made file; its URL."""
        if not getattr(self, "_template", None):
            from pmweek.services import open_services

            self._template = f"t_made_{uuid.uuid4().hex[:8]}"
            with self.admin() as conn:
                conn.execute(f"CREATE DATABASE {self._template}")
            open_services(self.url(self._template)).close()  # every connection closed: a template has none
        name = f"t_{uuid.uuid4().hex[:12]}"
        with self.admin() as conn:
            conn.execute(f"CREATE DATABASE {name} TEMPLATE {self._template}")
        return self.url(name)

    def url(self, name: str, user: str = ADMIN, password: str | None = None) -> str:
        auth = f"{user}:{password}" if password else user
        return f"postgresql+psycopg://{auth}@127.0.0.1:{self.port}/{name}"
