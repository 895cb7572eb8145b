"""The peer: dooit, a Textual task manager, started headless on its own store. Prints
when its first frame is painted and when the frame after it is (its list shown), then
the peak memory; exits. With --fill N, first writes N todos into the store and exits.

Needs dooit installed beside pmweek (`pip install dooit`); the benchmark skips the
peer when it is not."""

import resource
import sys
import time

from dooit.api import manager

DB = sys.argv[1]

if "--fill" in sys.argv:
    count = int(sys.argv[sys.argv.index("--fill") + 1])
    manager.connect(DB)
    from dooit.api import Todo, Workspace

    workspace = Workspace(description="Work")
    workspace.save()
    for i in range(count):
        manager.session.add(Todo(description=f"todo {i}", parent_workspace=workspace))
    manager.session.commit()
    sys.exit(0)

from dooit.ui.tui import Dooit  # noqa: E402


class Timed(Dooit):
    def on_ready(self) -> None:
        print("frame", time.time(), flush=True)
        self.call_after_refresh(self.done)

    def done(self) -> None:
        print("data", time.time(), flush=True)
        self.exit()


Timed(db_path=DB).run(headless=True, size=(120, 40))
print("rss_kb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
