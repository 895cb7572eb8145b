"""Start-up cost control. Python's cyclic GC runs again and again while a process
imports its libraries (Textual, SQLAlchemy, SQLModel build many objects and free few),
so pmweek keeps it off during start-up and, once the imports are done, freezes what
exists (it lives until exit anyway) and turns it back on."""

from __future__ import annotations

import gc


def begin() -> None:
    gc.disable()


def imports_done() -> None:
    """Idempotent; safe from any thread."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
