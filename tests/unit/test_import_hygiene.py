"""The headless core never pays for (or depends on) the UI libraries."""

import subprocess
import sys

import pytest

HEADLESS = [
    "pmweek.domain.calendar",
    "pmweek.domain.routine",
    "pmweek.domain.models",
    "pmweek.db.engine",
    "pmweek.db.repo",
    "pmweek.services",
    "pmweek.export.markdown",
    "pmweek.cli",
]


def _loaded_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys\nprint(' '.join(sys.modules))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return set(out.split())


@pytest.mark.parametrize("module", HEADLESS)
def test_headless_modules_do_not_import_textual(module):
    loaded = _loaded_after(f"import {module}")
    assert "textual" not in loaded


def test_domain_imports_no_textual_rich_or_sql():
    loaded = _loaded_after(
        "import pmweek.domain.calendar, pmweek.domain.routine, pmweek.domain.models"
    )
    assert not {"textual", "rich", "sqlalchemy", "sqlmodel", "sqlite3"} & loaded


def test_export_command_runs_without_textual(tmp_path):
    code = (
        "import sys\n"
        "from pmweek.cli import main\n"
        f"db = {str(tmp_path / 'x.db')!r}\n"
        "assert main(['--db', db, 'add', 'campaigns', '--campaign', 'c']) == 0\n"
        "assert main(['--db', db, '--date', '2026-11-23', 'export', 'week']) == 0\n"
        "assert main(['--db', db, '--date', '2026-11-23', 'export', 'month']) == 0\n"
    )
    loaded = _loaded_after(code)
    assert "sqlalchemy" in loaded  # it really did open the database
    assert "textual" not in loaded
