"""The annual plan's cost: ranking the requirement pool at 5,000 requests beside 50 (the
ranking alone, and with each request's move since the last ranking kept), and compiling
the year's plan at ten years of demo data beside one quarter, in process (median of
many), each pair measured in the same run.

    python benchmarks/plan_bench.py [--runs 30]

Targets: ranking 5,000 and compiling the year each under 50 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, datetime, timezone
from pathlib import Path

TODAY = date(2026, 11, 27)


def build_pool(path: Path, size: int) -> None:
    """``size`` requests, most scored, with a ranking kept for the quarter before."""
    from pmweek.db import store
    from pmweek.db.engine import unit
    from pmweek.services import open_services

    rng = random.Random(size)
    stamp = datetime(2026, 10, 1, 9, tzinfo=timezone.utc)
    services = open_services(f"sqlite:///{path}")
    rows = [dict(month="2026-10", created_at=stamp, updated_at=stamp, deleted_at=None, entered_by="",
                 title=f"Request {i}", source_kind=rng.choice(["partner", "customer", "deal", "ticket"]), source=None,
                 needed_by=None, opportunities=None, roi=None, status=rng.choice(["new", "accepted", "planned"]),
                 release=None, product=None, reach=rng.choice([None, 200, 800, 2000, 5000]),
                 impact=rng.choice([3.0, 2.0, 1.0, 0.5, 0.25]), confidence=rng.choice([1.0, 0.8, 0.5]),
                 effort=rng.choice([0.5, 1.0, 2.0, 4.0]), weight=rng.choice([None, 1.5]),
                 axis=rng.choice(["user_value", "maturity"]), quarter="2027-Q1")
            for i in range(size)]
    from pmweek.db.sheet_tables import SHEET_TABLES

    with unit(services.engine) as session:
        store.bulk_insert(session, SHEET_TABLES["requests"], rows)
        session.commit()
    services.pool.snapshot("2026-Q3", date(2026, 9, 30))  # kept as the last quarter ended
    services.close()


def demo(path: Path, years: str) -> None:
    subprocess.run([sys.executable, "-m", "pmweek", "--db", str(path), "--date", TODAY.isoformat(), "demo",
                    "--years", years], check=True, stderr=subprocess.DEVNULL)


def median_ms(path: Path, work: Callable, runs: int) -> float:
    from pmweek.services import open_services

    services = open_services(f"sqlite:///{path}")
    try:
        work(services)  # warm: imports, first queries
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            work(services)
            times.append((time.perf_counter() - started) * 1000)
    finally:
        services.close()
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as root:
        dbs = {name: Path(root) / f"{name}.db" for name in ("pool50", "pool5000", "quarter", "years")}
        build_pool(dbs["pool50"], 50)
        build_pool(dbs["pool5000"], 5000)
        demo(dbs["quarter"], "0.25")
        demo(dbs["years"], "10")

        def rank(services) -> None:
            services.pool.ranked(TODAY)

        def moves(services) -> None:
            services.pool.pool(TODAY)

        def plan(services) -> None:
            services.documents.compile("yearly", "2026", TODAY)

        figures = {
            ("rank the pool", "50 requests"): median_ms(dbs["pool50"], rank, args.runs),
            ("rank the pool", "5,000 requests"): median_ms(dbs["pool5000"], rank, args.runs),
            ("rank the pool with moves", "50 requests"): median_ms(dbs["pool50"], moves, args.runs),
            ("rank the pool with moves", "5,000 requests"): median_ms(dbs["pool5000"], moves, args.runs),
            ("compile the year's plan", "1 quarter of demo data"): median_ms(dbs["quarter"], plan, args.runs),
            ("compile the year's plan", "10 years of demo data"): median_ms(dbs["years"], plan, args.runs),
        }
    print("| figure | pmweek | baseline (same run) | ratio | target | met |")
    print("|---|---:|---|---:|---|---|")
    for (what, base_label), (_, label) in ((("rank the pool", "50 requests"), ("rank the pool", "5,000 requests")),
                                            (("rank the pool with moves", "50 requests"),
                                             ("rank the pool with moves", "5,000 requests")),
                                            (("compile the year's plan", "1 quarter of demo data"),
                                             ("compile the year's plan", "10 years of demo data"))):
        base, ms = figures[(what, base_label)], figures[(what, label)]
        print(f"| {what}, {label} | {ms:.1f} ms | {base_label}, {base:.1f} ms | {ms / base:.2f}× | < 50 ms "
              f"| {'yes' if ms < 50 else 'NO'} |")


if __name__ == "__main__":
    main()
