"""Start pmweek's TUI headless through its real entry point (`pmweek.cli.main`); print
when the first frame is painted and when today's checklist is on screen with its data,
then the peak memory; exit."""

from pmweek import startup

startup.begin()  # as `pmweek` does before its first import

import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import pmweek.tui.app as app_module  # noqa: E402
from pmweek.cli import main  # noqa: E402
from pmweek.tui.screens.week import WeekScreen  # noqa: E402


class Timed(app_module.PmWeekApp):
    def run(self, **_):  # headless, at a fixed size
        return super().run(headless=True, size=(120, 40))

    def on_ready(self) -> None:
        print("frame", time.time(), flush=True)

    def on_week_screen_loaded(self, _: WeekScreen.Loaded) -> None:
        self.call_after_refresh(self.done)

    def done(self) -> None:
        print("data", time.time(), flush=True)
        self.exit()


app_module.PmWeekApp = Timed
code = main(["--lang", "en", "--db", sys.argv[1], "--date", sys.argv[2]])
print("rss_kb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, flush=True)
sys.exit(code)
