"""The headless core never pays for (or depends on) the UI libraries."""

import subprocess
import sys

import pytest

HEADLESS = [
    "pmweek.domain.calendar",
    "pmweek.domain.routine",
    "pmweek.domain.models",
    "pmweek.db.engine",
    "pmweek.db.checklists",
    "pmweek.db.records",
    "pmweek.db.documents",
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


def _domain_modules() -> list[str]:
    import pkgutil

    import pmweek.domain

    return [m.name for m in pkgutil.walk_packages(pmweek.domain.__path__, "pmweek.domain.")]


def test_domain_imports_no_textual_rich_or_sql():
    modules = _domain_modules()
    assert {"pmweek.domain.sheets", "pmweek.domain.calendar"} <= set(modules)
    loaded = _loaded_after("\n".join(f"import {m}" for m in modules))
    assert not {"textual", "rich", "sqlalchemy", "sqlmodel", "sqlite3"} & loaded


def test_the_layers_hold():
    """The import contracts in pyproject.toml: domain <- db <- services <- export <-
    tui <- cli, a pure domain, Textual only in the TUI."""
    result = subprocess.run(
        [sys.executable, "-c", "from importlinter.cli import lint_imports; raise SystemExit(lint_imports())"],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert "broken" in result.stdout and " 0 broken" in result.stdout


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


def test_the_first_frame_does_not_pay_for_the_data_layer_or_the_declarations():
    """What the app imports before it paints: no ORM, no record declarations, no
    document kinds (they load in the worker, after the first frame)."""
    loaded = _loaded_after("import pmweek.tui.app")
    assert not {m for m in loaded if m.split(".")[0] in ("sqlalchemy", "sqlmodel")}
    assert not {"pmweek.domain.sheets", "pmweek.domain.documents", "pmweek.db.engine", "pmweek.services"} & loaded


@pytest.mark.parametrize(("environ", "fps"), [({}, "120"), ({"TEXTUAL_FPS": "30"}, "30")])
def test_the_app_repaints_at_120_updates_a_second_unless_told_otherwise(environ, fps):
    """A tick shows on the next screen update: half the wait of Textual's default 60."""
    import os

    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_FPS"} | environ
    out = subprocess.run(
        [sys.executable, "-c", "import pmweek.tui.app\nfrom textual import constants\nprint(constants.MAX_FPS)"],
        check=True, capture_output=True, text=True, env=env,
    ).stdout
    assert out.strip() == fps


def test_screens_are_given_the_use_cases_they_need():
    """Only the places (which build every other screen) and the week screen (its
    checklist) reach the app's whole set of services; the others are handed theirs."""
    from pathlib import Path

    import pmweek.tui

    root = Path(pmweek.tui.__file__).parent
    reaching = sorted(str(p.relative_to(root)) for p in root.rglob("*.py") if "app.services" in p.read_text("utf-8"))
    assert reaching == ["places.py", "screens/week.py"]
