"""Start-up cost control. Python's cyclic GC runs again and again while a process
imports its libraries (Textual, SQLAlchemy, SQLModel build many objects and free few),
so pmweek keeps it off during start-up and, once the imports are done, freezes what
exists (it lives until exit anyway) and turns it back on."""

from __future__ import annotations

import gc
import sys

_SWITCH = sys.getswitchinterval()


def begin() -> None:
    gc.disable()
    # The data layer is imported in a worker while the UI thread idles; a long switch
    # interval keeps the interpreter from handing the GIL back and forth meanwhile.
    sys.setswitchinterval(0.05)


def responsive() -> None:
    """Something the PM can act on is on screen: hand the GIL back and forth as usual
    again, so keys are answered at once while the rest loads."""
    sys.setswitchinterval(_SWITCH)


def imports_done() -> None:
    """Idempotent; safe from any thread."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
        sys.setswitchinterval(_SWITCH)
