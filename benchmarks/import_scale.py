"""Importing a long CSV file: 100,000 campaign rows into a new database, as a whole
process, beside `python -c "import sqlmodel"` measured in the same run (the floor of any
pmweek command that touches the database). Peak memory from the kernel's accounting of
the child (what `/usr/bin/time -v` reports as maximum resident set size).

    python benchmarks/import_scale.py [--rows 100000] [--runs 3]

Targets: ≤ 5 s and ≤ 200 MB on a 2-core machine, still all rows or none.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path


def write_csv(path: Path, rows: int) -> None:
    rng = random.Random(13)
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["month", "campaign", "attention", "conversions", "improvement"])
        for i in range(rows):
            out.writerow([f"20{10 + i % 16}-{1 + i % 12:02d}", f"Campaign {i % 500}", rng.randint(100, 5000),
                          rng.randint(0, 90), "better landing page" if i % 3 else ""])


def timed(command: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS MB) of one child process."""
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.execvp(command[0], command)  # never returns
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as root:
        data = Path(root) / "campaigns.csv"
        write_csv(data, args.rows)
        imports, floors, peaks = [], [], []
        for run in range(args.runs):  # interleaved, so both see the same machine
            floors.append(timed([sys.executable, "-c", "import sqlmodel"])[0])
            db = Path(root) / f"run{run}.db"
            seconds, peak = timed([sys.executable, "-m", "pmweek", "--db", str(db), "import", "campaigns",
                                   str(data)])
            imports.append(seconds)
            peaks.append(peak)
    took, floor = statistics.median(imports), statistics.median(floors)
    print(f"| import of {args.rows:,} rows | {took:.2f} s | `import sqlmodel`, {floor:.2f} s "
          f"| {took / floor:.1f}× | ≤ 5 s | {'yes' if took <= 5 else 'NO'} |")
    print(f"| its peak RSS | {max(peaks):.0f} MB | — | — | ≤ 200 MB | {'yes' if max(peaks) <= 200 else 'NO'} |")


if __name__ == "__main__":
    main()
