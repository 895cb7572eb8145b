"""Opening the trends screen at ten years of demo data: from the key's action to the
chart's first paint (the plotting library imported and the figures read on the way),
beside opening the revenue table measured the same way in the same run. Each run is a
new process, so the first opening pays every import, as a PM's would.

    python benchmarks/trends_bench.py [--runs 7]

Target: the trends screen's first paint under 150 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

TODAY = date(2026, 11, 25)

# Runs the app headless: pushes the screen, waits until it has read its data, then
# until the frame after that is painted.
DRIVER = r"""
import asyncio, json, sys, time
from datetime import date
from pmweek.services import open_services
from pmweek.tui.app import PmWeekApp

async def main(url, what):
    services = open_services(url)
    today = date.fromisoformat(sys.argv[3])
    app = PmWeekApp(lambda: services, today=today)
    async with app.run_test(size=(100, 30)) as pilot:
        while getattr(app.screen, "view", None) is None:
            await pilot.pause(0.01)
        await pilot.pause(0.3)
        painted = []
        started = time.perf_counter()
        if what == "trends":
            from pmweek.tui.screens.trends import TrendsScreen as Opened  # the library is imported on compose
            app.push_screen(Opened(today))
            ready = lambda s: s.chart is not None
        else:
            from pmweek.tui.screens.table import TableScreen as Opened
            app.push_screen(Opened("revenue", today))
            ready = lambda s: getattr(s, "rows", None) is not None
        while not (isinstance(app.screen, Opened) and ready(app.screen)):
            await asyncio.sleep(0.001)
        app.screen.call_after_refresh(lambda: painted.append(time.perf_counter()))
        while not painted:
            await asyncio.sleep(0.001)
        print(json.dumps({"ms": (painted[0] - started) * 1000, "screen": type(app.screen).__name__}))

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


def opened_ms(url: str, what: str) -> tuple[float, str]:
    out = subprocess.run([sys.executable, "-c", DRIVER, url, what, TODAY.isoformat()], check=True,
                         capture_output=True, text=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    return result["ms"], result["screen"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as root:
        path = Path(root) / "years.db"
        subprocess.run([sys.executable, "-m", "pmweek", "--db", str(path), "--date", TODAY.isoformat(), "demo",
                        "--years", "10"], check=True, stderr=subprocess.DEVNULL)
        url = f"sqlite:///{path}"
        trends, table = [], []
        for _ in range(args.runs):  # interleaved: both see the same machine
            trends.append(opened_ms(url, "trends")[0])
            table.append(opened_ms(url, "table")[0])
    t, b = statistics.median(trends), statistics.median(table)
    print("| figure | pmweek | baseline (same run) | ratio | target | met |")
    print("|---|---:|---|---:|---|---|")
    print(f"| trends screen, first paint, 10 years | {t:.0f} ms | revenue table opened, {b:.0f} ms | {t / b:.2f}× "
          f"| < 150 ms | {'yes' if t < 150 else 'NO'} |")


if __name__ == "__main__":
    main()
