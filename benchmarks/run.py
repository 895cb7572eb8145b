"""pmweek's benchmarks: each figure beside a baseline measured in the same run, so the
ratio holds on a noisy machine. Builds a 1-week and a 10-year demo database first.

    python benchmarks/run.py [--runs 9] [--toggles 500] [--out benchmarks/RESULTS.md]

Run it with the interpreter of an environment where pmweek is installed (the README's
test command makes one). With dooit installed there too, it is measured as a peer. Whole processes are timed from outside; in-process figures
use time.perf_counter.
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
DRIVERS = HERE / "drivers"
TODAY = date(2026, 11, 25)  # a Wednesday: Monday and Tuesday leftovers are carried


def median(values):
    return statistics.median(values)


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def pmweek(*args: str) -> list[str]:
    return [sys.executable, "-m", "pmweek", *args]


def build_databases(root: Path) -> dict[str, Path]:
    dbs = {"1 week": root / "week.db", "10 years": root / "years.db"}
    for (label, path), years in zip(dbs.items(), ("0.02", "10"), strict=True):
        started = time.perf_counter()
        subprocess.run(pmweek("--db", str(path), "--date", TODAY.isoformat(), "demo", "--years", years),
                       check=True, stderr=subprocess.DEVNULL)
        print(f"  {label}: {path.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s", flush=True)
    return dbs


def build_peer(root: Path) -> dict[str, list[str]]:
    """The peer's stores, when dooit is installed beside pmweek: empty, and 2,000 todos."""
    import importlib.util

    if importlib.util.find_spec("dooit") is None:
        print("  dooit is not installed: the peer is left out", flush=True)
        return {}
    empty, full = root / "dooit-empty.db", root / "dooit-2000.db"
    subprocess.run([sys.executable, str(DRIVERS / "tui_dooit.py"), str(full), "--fill", "2000"], check=True)
    return {"dooit, empty store": [str(DRIVERS / "tui_dooit.py"), str(empty)],
            "dooit, 2,000 todos": [str(DRIVERS / "tui_dooit.py"), str(full)]}


def tui_run(args: list[str]) -> tuple[float, float, float]:
    """(first frame ms, data shown ms, peak RSS MB) of one headless start."""
    started = time.time()
    out = subprocess.run([sys.executable, *args], capture_output=True, text=True, check=True).stdout
    marks = dict(line.split()[:2] for line in out.splitlines() if line.split()[:1] in (["frame"], ["data"], ["rss_kb"]))
    return ((float(marks["frame"]) - started) * 1000, (float(marks["data"]) - started) * 1000,
            int(marks["rss_kb"]) / 1024)


def process_ms(cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - started) * 1000


def interleaved(variants: dict[str, object], runs: int, measure) -> dict[str, list]:
    """Run each variant once per round, in turn, so drift hits all of them alike."""
    results: dict[str, list] = {name: [] for name in variants}
    measure(next(iter(variants.values())))  # warm the file cache
    for _ in range(runs):
        for name, what in variants.items():
            results[name].append(measure(what))
    return results


async def toggles(url: str, count: int) -> list[float]:
    """Milliseconds from the toggle action (what Space runs) to the tick committed and the
    screen repainted. Pilot.press is not used to time it: it waits on purpose (sleeps of
    1/50 s until the process looks idle), which would swamp the figure."""
    from pmweek.services import open_services
    from pmweek.tui.app import PmWeekApp

    services = open_services(url)
    app = PmWeekApp(lambda: services, today=TODAY)
    timings = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        for _ in range(count):
            repainted = asyncio.Event()
            started = time.perf_counter()
            screen.action_toggle()
            app.call_after_refresh(repainted.set)
            await repainted.wait()
            timings.append((time.perf_counter() - started) * 1000)
    services.close()
    return timings


def in_process(url: str, repeat: int = 30) -> dict[str, float]:
    from pmweek.domain.calendar import Week
    from pmweek.domain.sheets import BOOKS
    from pmweek.export.markdown import table_markdown
    from pmweek.services import open_services

    services = open_services(url)
    month = f"{TODAY:%Y-%m}"
    week = str(Week.of(TODAY))
    services.documents.compile("plan", week, TODAY)  # the first one creates the plan; time the ones after

    def timed(fn) -> float:
        samples = []
        for _ in range(repeat):
            started = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - started) * 1000)
        return median(samples)

    figures = {
        "compile": timed(lambda: services.documents.compile("plan", week, TODAY)),
        "month tables": timed(lambda: [table_markdown(services.sheets.book(b, month, month, TODAY)) for b in BOOKS]),
    }
    services.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--toggles", type=int, default=500)
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--no-peer", action="store_true", help="leave dooit out even where it is installed")
    args = parser.parse_args()
    os.environ.setdefault("TZ", "UTC")
    # Every app's own settings and stores out of the way: the peer's config and data
    # folders are temporary ones, as pmweek's databases are.
    scratch = tempfile.mkdtemp(prefix="pmweek-bench-")
    os.environ["XDG_CONFIG_HOME"] = os.environ["XDG_DATA_HOME"] = scratch
    # The baseline apps repaint as often as pmweek asks Textual to: a fair first frame.
    os.environ.setdefault("TEXTUAL_FPS", "120")
    # As `pip install .` would: byte-compile pmweek, so no run pays for compiling its
    # sources (an editable install under PYTHONDONTWRITEBYTECODE never caches them).
    import pmweek as package

    compileall.compile_dir(Path(package.__file__).parent, quiet=1)

    with tempfile.TemporaryDirectory() as tmp:
        print("building databases", flush=True)
        dbs = build_databases(Path(tmp))
        urls = {label: f"sqlite:///{path}" for label, path in dbs.items()}

        peers = {} if args.no_peer else build_peer(Path(tmp))
        print("TUI start (headless)", flush=True)
        variants = {
            **peers,
            "minimal Textual app": [str(DRIVERS / "tui_minimal.py")],
            "minimal app + import sqlmodel": [str(DRIVERS / "tui_minimal.py"), str(dbs["10 years"]), "--sqlmodel"],
            **{f"pmweek, {label}": [str(DRIVERS / "tui_pmweek.py"), str(path), TODAY.isoformat()]
               for label, path in dbs.items()},
        }
        tui = {k: [tuple(x) for x in v] for k, v in interleaved(variants, args.runs, tui_run).items()}

        print("exports (whole processes)", flush=True)
        commands = {"python -c 'import sqlmodel'": [sys.executable, "-c", "import sqlmodel"]}
        for what in ("week", "month"):
            for label, path in dbs.items():
                commands[f"export {what}, {label}"] = pmweek("--db", str(path), "--date", TODAY.isoformat(),
                                                            "export", what)
        exports = interleaved(commands, args.runs, process_ms)

        print(f"toggles ({args.toggles} each)", flush=True)
        toggle = {label: asyncio.run(toggles(url, args.toggles)) for label, url in urls.items()}

        print("Friday compile and month tables (in process)", flush=True)
        inproc = {label: in_process(url) for label, url in urls.items()}

    report(args, tui, exports, toggle, inproc)


def report(args, tui, exports, toggle, inproc) -> None:
    frame = {k: median(x[0] for x in v) for k, v in tui.items()}
    data = {k: median(x[1] for x in v) for k, v in tui.items()}
    rss = {k: max(x[2] for x in v) for k, v in tui.items()}
    export_ms = {k: median(v) for k, v in exports.items()}
    base_frame, base_data = frame["minimal Textual app"], data["minimal app + import sqlmodel"]
    base_export = export_ms["python -c 'import sqlmodel'"]

    rows = []

    def row(figure, value, unit, baseline_name, baseline, target, limit):
        ratio = value / baseline if baseline else None
        met = (ratio if ratio is not None else value) <= limit
        shown = f"{ratio:.2f}×" if ratio is not None else "—"
        rows.append(f"| {figure} | {value:.0f} {unit} | {baseline_name} | {shown} | {target} | {'yes' if met else 'NO'} |")

    for label in ("1 week", "10 years"):
        key = f"pmweek, {label}"
        row(f"TUI first frame, {label}", frame[key], "ms", f"minimal Textual app, {base_frame:.0f} ms",
            base_frame, "≤ 1.10×", 1.10)
        row(f"TUI today's list with data, {label}", data[key], "ms",
            f"minimal Textual app, list shown, {data['minimal Textual app']:.0f} ms", data["minimal Textual app"],
            "≤ 1.50×", 1.50)
        row(f"TUI today's list with data, {label}", data[key], "ms",
            f"minimal app + import sqlmodel, {base_data:.0f} ms", base_data, "≤ 1.15×", 1.15)
    for what in ("week", "month"):
        for label in ("1 week", "10 years"):
            row(f"`pmweek export {what}`, {label}", export_ms[f"export {what}, {label}"], "ms",
                f"`import sqlmodel`, {base_export:.0f} ms", base_export, "≤ 1.20×", 1.20)
    for label, samples in toggle.items():
        row(f"toggle → committed + repainted, median, {label}", median(samples), "ms", "—", None, "≤ 16 ms", 16)
        row(f"toggle → committed + repainted, p95, {label}", p95(samples), "ms", "—", None, "≤ 50 ms", 50)
    for label, figures in inproc.items():
        row(f"Friday compile, {label}", figures["compile"], "ms", "—", None, "≤ 50 ms", 50)
        row(f"month's five tables → Markdown, {label}", figures["month tables"], "ms", "—", None, "—", float("inf"))
    for label in ("1 week", "10 years"):
        row(f"TUI peak RSS, {label}", rss[f"pmweek, {label}"], "MB", "—", None, "≤ 100 MB", 100)

    scale = []
    pairs = [
        ("first frame", frame["pmweek, 10 years"], frame["pmweek, 1 week"]),
        ("data shown", data["pmweek, 10 years"], data["pmweek, 1 week"]),
        ("export week", export_ms["export week, 10 years"], export_ms["export week, 1 week"]),
        ("export month", export_ms["export month, 10 years"], export_ms["export month, 1 week"]),
        ("toggle median", median(toggle["10 years"]), median(toggle["1 week"])),
        ("Friday compile", inproc["10 years"]["compile"], inproc["1 week"]["compile"]),
        ("month tables", inproc["10 years"]["month tables"], inproc["1 week"]["month tables"]),
        ("peak RSS", rss["pmweek, 10 years"], rss["pmweek, 1 week"]),
    ]
    for name, big, small in pairs:
        ratio = big / small
        scale.append(f"| {name} | {big:.1f} | {small:.1f} | {ratio:.2f}× | {'yes' if ratio <= 1.10 else 'NO'} |")

    peer = []
    for name in [k for k in tui if k.startswith("dooit")] + ["pmweek, 1 week", "pmweek, 10 years"]:
        peer.append(f"| {name} | {frame[name]:.0f} | {frame[name] / base_frame:.2f}× | {data[name]:.0f} | "
                    f"{data[name] / data['minimal Textual app']:.2f}× |")
    if not any(k.startswith("dooit") for k in tui):
        peer.insert(0, "| dooit | not installed here (`pip install dooit` beside pmweek) | | | |")

    machine = f"{platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, " \
              f"Python {platform.python_version()}"
    text = "\n".join([
        "# pmweek benchmarks",
        "",
        f"Measured {datetime.now():%Y-%m-%d %H:%M} on {machine}; {args.runs} interleaved runs per",
        f"whole-process figure (medians), {args.toggles} toggles per database. Reproduce with",
        "`python benchmarks/run.py` from an environment where pmweek is installed.",
        "",
        "| figure | pmweek | baseline (same run) | ratio | target | met |",
        "|---|---:|---|---:|---|---|",
        *rows,
        "",
        "## Ten years of history against one week",
        "",
        "| figure | 10 years | 1 week | ratio | within 10 % |",
        "|---|---:|---:|---:|---|",
        *scale,
        "",
        "## pmweek vs peer",
        "",
        "dooit (a Textual task manager) on its own store, empty and with 2,000 todos, in the same",
        "interleaved runs; ratios against the minimal Textual app's first frame and list shown.",
        "",
        "| app | first frame, ms | vs minimal | list shown, ms | vs minimal |",
        "|---|---:|---:|---:|---:|",
        *peer,
        "",
    ])
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
