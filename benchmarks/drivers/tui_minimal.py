"""The baseline: a minimal Textual app (a DataTable and 20 checkboxes) started headless.
With --sqlmodel it also imports SQLModel up front and shows one query's rows, as a
database-backed app without pmweek's care for start-up would."""

import resource
import sys
import time

WITH_SQLMODEL = "--sqlmodel" in sys.argv
if WITH_SQLMODEL:
    import sqlmodel  # noqa: F401

from textual.app import App, ComposeResult
from textual.widgets import Checkbox, DataTable


class Minimal(App):
    def compose(self) -> ComposeResult:
        yield DataTable()
        for i in range(20):
            yield Checkbox(f"item {i}")

    def on_ready(self) -> None:
        print("frame", time.time(), flush=True)
        table = self.query_one(DataTable)
        table.add_columns("id", "title")
        if WITH_SQLMODEL:
            from sqlalchemy import text
            from sqlmodel import create_engine

            engine = create_engine(f"sqlite:///{sys.argv[1]}")
            with engine.connect() as conn:
                rows = conn.execute(text("SELECT id, title FROM task ORDER BY id LIMIT 100")).all()
            table.add_rows(rows)
        else:
            table.add_rows([(i, f"row {i}") for i in range(100)])
        self.call_after_refresh(self.done)

    def done(self) -> None:
        print("data", time.time(), flush=True)
        self.exit()


Minimal().run(headless=True, size=(120, 40))
print("rss_kb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
