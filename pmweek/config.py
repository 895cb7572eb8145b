"""Where the database is: --db, else $PMWEEK_DB, else the user data directory."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

ENV_DB = "PMWEEK_DB"


def default_db_path() -> Path:
    from platformdirs import user_data_path

    return user_data_path("pmweek", appauthor=False) / "pmweek.db"


def db_url(value: str | None, environ: Mapping[str, str] | None = None) -> str:
    """A SQLAlchemy URL from a path or URL; paths become absolute SQLite URLs."""
    env = os.environ if environ is None else environ
    value = value or env.get(ENV_DB) or str(default_db_path())
    if "://" in value:
        return value
    from urllib.parse import quote

    # Quoted: a "?" or "%" in a file name is part of the name, not of the URL.
    return "sqlite:///" + quote(str(Path(value).expanduser().resolve()))


def readers_path(lang: str) -> Path:
    """Where the user's own list of weekly-report readers lives, if they made one."""
    from platformdirs import user_config_path

    return user_config_path("pmweek", appauthor=False) / f"audiences.{lang}.toml"
