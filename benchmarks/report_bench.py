"""The reports' cost at a short and at ten years of demo data: compiling the weekly
report, the monthly summary and the quarterly report in process (median of many), and
`pmweek export report week|month|quarter` as whole processes beside
`python -c "import sqlmodel"` measured in the same run. The weekly and monthly figures
are held against a month of data, the quarterly against one quarter.

    python benchmarks/report_bench.py [--runs 7] [--compiles 30]

Targets: the weekly compile ≤ 20 ms (a week's report reads a week of data), the others
< 50 ms, each within 10 % of the short database's figure; the weekly export ≤ 1.2×
`import sqlmodel`.
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
# What is compiled: the week of TODAY, the summary of its month (due in its last week, as the
# app defaults to: a month both databases hold in full) and its quarter's report.
REPORTS = {"weekly": ("week", "2026-W48", TODAY), "monthly": ("month", "2026-11", date(2026, 11, 27)),
           "quarterly": ("quarter", "2026-Q4", TODAY)}
SHORT = {"weekly": "1 month", "monthly": "1 month", "quarterly": "1 quarter"}  # each kind's baseline
TARGET_MS = {"weekly": 20, "monthly": 50, "quarterly": 50}


def build(root: Path) -> dict[str, Path]:
    dbs = {"1 month": root / "month.db", "1 quarter": root / "quarter.db", "10 years": root / "years.db"}
    for (_, path), years in zip(dbs.items(), ("0.09", "0.25", "10"), strict=True):
        subprocess.run([sys.executable, "-m", "pmweek", "--db", str(path), "--date", TODAY.isoformat(), "demo",
                        "--years", years], check=True, stderr=subprocess.DEVNULL)
    return dbs


def compile_ms(path: Path, kind: str, runs: int) -> float:
    from pmweek.services import open_services

    _, period, today = REPORTS[kind]
    services = open_services(f"sqlite:///{path}")
    try:
        services.documents.preview(kind, period, today)  # warm: imports, first queries
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            services.documents.compile(kind, period, today)
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
    # An installed pmweek carries its bytecode (pip compiles it); a checkout run where
    # PYTHONDONTWRITEBYTECODE is set would compile every module again on each start.
    import pmweek

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(Path(pmweek.__file__).parent)], check=True)
    with tempfile.TemporaryDirectory() as root:
        dbs = build(Path(root))
        compiles = {(kind, label): compile_ms(dbs[label], kind, args.compiles) for kind in REPORTS
                    for label in (SHORT[kind], "10 years")}
        floor, exports = [], {(kind, label): [] for kind in REPORTS for label in (SHORT[kind], "10 years")}
        for _ in range(args.runs):  # interleaved, so every figure sees the same machine
            floor.append(process_ms([sys.executable, "-c", "import sqlmodel"]))
            for (kind, label), times in exports.items():
                word, period, today = REPORTS[kind]
                times.append(process_ms([sys.executable, "-m", "pmweek", "--db", str(dbs[label]), "--date",
                                         today.isoformat(), "export", "report", word, period]))
    base = statistics.median(floor)
    print("| figure | pmweek | baseline (same run) | ratio | target | met |")
    print("|---|---:|---|---:|---|---|")
    for (kind, label), ms in compiles.items():
        target = TARGET_MS[kind]
        print(f"| {kind} compile, {label} | {ms:.1f} ms | — | — | ≤ {target} ms | {'yes' if ms <= target else 'NO'} |")
    for kind in REPORTS:
        short = SHORT[kind]
        drift = compiles[(kind, "10 years")] / compiles[(kind, short)]
        print(f"| {kind} compile, 10 years against {short} | — | {compiles[(kind, short)]:.1f} ms | {drift:.2f}× "
              f"| ≤ 1.10× | {'yes' if drift <= 1.1 else 'NO'} |")
    for (kind, label), times in exports.items():
        ms = statistics.median(times)
        target = "≤ 1.2×" if kind == "weekly" else "—"
        met = ("yes" if ms / base <= 1.2 else "NO") if kind == "weekly" else "—"
        print(f"| `export report {REPORTS[kind][0]}`, {label} | {ms:.0f} ms | `import sqlmodel`, {base:.0f} ms "
              f"| {ms / base:.2f}× | {target} | {met} |")


if __name__ == "__main__":
    main()
