"""The weekly report's cost at one week and at ten years of demo data: compiling it in
process (median of many), and `pmweek export report week` as a whole process beside
`python -c "import sqlmodel"` measured in the same run.

    python benchmarks/report_bench.py [--runs 7] [--compiles 30]

Targets (issue: weekly report): compile < 50 ms and within 10 % of the 1-week figure;
the export ≤ 1.2× `import sqlmodel`.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

TODAY = date(2026, 11, 27)


def build(root: Path) -> dict[str, Path]:
    dbs = {"1 week": root / "week.db", "10 years": root / "years.db"}
    for (_, path), years in zip(dbs.items(), ("0.02", "10"), strict=True):
        subprocess.run([sys.executable, "-m", "pmweek", "--db", str(path), "--date", TODAY.isoformat(), "demo",
                        "--years", years], check=True, stderr=subprocess.DEVNULL)
    return dbs


def compile_ms(path: Path, runs: int) -> float:
    from pmweek.services import open_services

    services = open_services(f"sqlite:///{path}")
    try:
        services.documents.preview("weekly", "2026-W48", TODAY)  # warm: imports, first queries
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            services.documents.compile("weekly", "2026-W48", TODAY)
            times.append((time.perf_counter() - started) * 1000)
    finally:
        services.close()
    return statistics.median(times)


def process_ms(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--compiles", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as root:
        dbs = build(Path(root))
        compiles = {label: compile_ms(path, args.compiles) for label, path in dbs.items()}
        floor, exports = [], {label: [] for label in dbs}
        for _ in range(args.runs):  # interleaved, so every figure sees the same machine
            floor.append(process_ms([sys.executable, "-c", "import sqlmodel"]))
            for label, path in dbs.items():
                exports[label].append(process_ms([sys.executable, "-m", "pmweek", "--db", str(path), "--date",
                                                  TODAY.isoformat(), "export", "report", "week"]))
    base = statistics.median(floor)
    print("| figure | pmweek | baseline (same run) | ratio | target | met |")
    print("|---|---:|---|---:|---|---|")
    for label, ms in compiles.items():
        print(f"| weekly report compile, {label} | {ms:.1f} ms | — | — | < 50 ms | {'yes' if ms < 50 else 'NO'} |")
    drift = compiles["10 years"] / compiles["1 week"]
    print(f"| compile, 10 years against 1 week | — | — | {drift:.2f}× | ≤ 1.10× | {'yes' if drift <= 1.1 else 'NO'} |")
    for label, times in exports.items():
        ms = statistics.median(times)
        print(f"| `export report week`, {label} | {ms:.0f} ms | `import sqlmodel`, {base:.0f} ms "
              f"| {ms / base:.2f}× | ≤ 1.2× | {'yes' if ms / base <= 1.2 else 'NO'} |")


if __name__ == "__main__":
    main()
