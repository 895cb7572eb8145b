"""`python -m pmweek` as the tests start it: on a day the test names, never the real
clock's. A test about the real clock itself sets it in-process (conftest's `today`)."""

from __future__ import annotations

import subprocess
import sys

# The day a started pmweek takes for today unless the test says otherwise (a Monday).
TODAY = "2026-11-23"


def command(*args: str, today: str = TODAY) -> list[str]:
    """The command line, with `--date` first unless the test gives its own."""
    dated = any(a == "--date" or a.startswith("--date=") for a in args)
    return [sys.executable, "-m", "pmweek", *(() if dated else ("--date", today)), *args]


def run(*args: str, today: str = TODAY, **kwargs) -> subprocess.CompletedProcess:
    kwargs.setdefault("capture_output", "stdout" not in kwargs and "stderr" not in kwargs)
    return subprocess.run(command(*args, today=today), text=True, **kwargs)


def start(*args: str, today: str = TODAY, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(command(*args, today=today), text=True, **kwargs)
