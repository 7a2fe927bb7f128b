"""Benchmark (not a test): every figure of issue 19's table, measured side by side in one run, with its goal.

- the command line: ``--help`` and rejected parameters, in a fresh interpreter (median of 5 each);
- full reproduction through the runner, cold (a fresh cache folder: no notebook and no parsed
  dataset cached; only the runner's per-notebook timings are kept, so longest-first applies), against
  ``jupyter nbconvert --execute`` of every notebook one after the other, and against as many trivial
  notebooks (kernel start, the imports, one small input) through the same runner; the same
  reproduction warm (everything cached); the physical floor, the summed kernel seconds the runner
  reports divided by the cores;
- the README's 12-set sweep grid, cold, on a local pool of one thread and of ``--workers`` threads (this process has
  imported papermill by then) and on a Dask scheduler with as many single-threaded worker processes
  started here on 127.0.0.1, plain and with the preload :mod:`asean_analysis.worker`: tasks per
  minute, and per-task overhead = (wall time x workers - the tasks' own seconds) / tasks (a sweep runs
  each worker's parameter sets in one kept kernel: a task's own seconds include a kernel start only for
  the first task of a batch);
- with ``--tests``, the test suite (pytest, as ``make test`` runs it).

Every run writes into temporary folders (``ASEAN_RUNS_DIR`` and ``ASEAN_CACHE_DIR`` point there),
never into ``outputs/``. Medians of ``--repeat`` runs; prints a markdown table.

    .venv/bin/python benchmarks/bench_reproduce.py [--repeat 3] [--workers 2] [--tests]
"""

import argparse
import importlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import Executor, ThreadPoolExecutor
from pathlib import Path

from asean_analysis import paths, runner, sweep

CLI = [sys.executable, "-m", "asean_analysis"]
REJECTED = (["run", "-p", "colour=red"], ["run", "-p", "year=abc"], ["run", "-p", "members=IDN,XXX"])
GRID = {"notebooks": ["01_gdp_rank"], "year": [2021, 2022, 2023], "gdp_source": ["wdi-2024-10", "imf-2024-10"],
        "eu_as_bloc": [False, True]}  # README "Sweeps"
TRIVIAL = """import pandas as pd
import seaborn as sns
from asean_analysis import context, load
context.use(context.Run({name!r}, Path(run_dir), {{}}, "a benchmark"))
load.reference("economies_outside_m49.csv")"""


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def timed(fn) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def cli_seconds(argv: list[str], repeat: int = 5) -> float:
    """Median wall time of one CLI command in a fresh interpreter (its exit status is not judged)."""
    return statistics.median(timed(lambda: subprocess.run(CLI + argv, capture_output=True, cwd=paths.ROOT))[0]
                             for _ in range(repeat))


def fresh_cache(root: Path, label: str, timings: Path | None) -> Path:
    """A new, empty cache folder made current; it keeps only the runner's per-notebook timings (an order hint)."""
    folder = root / f"cache-{label}"
    folder.mkdir()
    if timings and timings.is_file():
        shutil.copyfile(timings, folder / "timings.json")
    os.environ["ASEAN_CACHE_DIR"] = str(folder)
    return folder


def reproduce(out: Path) -> None:
    ok, folder = runner.run(out=out, echo=lambda *_: None)
    if not ok:
        raise SystemExit(f"the reproduction failed; see {folder}")


def kernel_seconds(cache: Path) -> dict[str, float]:
    """Per notebook, the seconds the runner reported for its last execution."""
    return json.loads((cache / "timings.json").read_text(encoding="utf-8"))


def trivial(folder: Path, count: int) -> None:
    import nbformat

    tasks = {}
    for i in range(count):
        name = f"trivial_{i:02d}"
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell('run_dir = ""', metadata={"tags": ["parameters"]}),
                    nbformat.v4.new_code_cell("from pathlib import Path\n" + TRIVIAL.format(name=name))]
        nb.metadata["kernelspec"] = {"name": runner.KERNEL, "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, folder / f"{name}.ipynb")
        tasks[name] = (folder / f"{name}.ipynb", {}, folder / "out" / name)
    results = runner.execute_all(tasks, runner.TIMEOUT, use_cache=False, echo=lambda *_: None)
    failed = {k: r["error"] for k, r in results.items() if r["status"] != "ok"}
    if failed:
        raise SystemExit(f"trivial notebooks failed: {failed}")


def nbconvert(out: Path) -> None:
    for name in runner.available():
        subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
                        "--ExecutePreprocessor.timeout=600", "--output-dir", str(out),
                        str(paths.NOTEBOOKS / f"{name}.ipynb")], check=True, capture_output=True)


class Recording(Executor):
    """Any executor, keeping its futures so the tasks' own seconds can be summed afterwards."""

    def __init__(self, inner: Executor):
        self.inner, self.futures = inner, []

    def submit(self, fn, /, *args, **kwargs):
        future = self.inner.submit(fn, *args, **kwargs)
        self.futures.append(future)
        return future

    def task_seconds(self) -> float:
        return sum(r["seconds"] for f in self.futures for r in f.result())  # a future runs a batch of tasks

    def tasks(self) -> int:
        return sum(len(f.result()) for f in self.futures)


def sweep_once(out: Path, inner: Executor, workers: int) -> dict[str, float]:
    """The README grid through ``inner``: wall seconds, tasks, failed tasks, tasks per minute, per-task overhead.

    A failed task (the notebook raised) is timed like the others; the table counts them.
    """
    executor = Recording(inner)
    wall, (_, failed) = timed(lambda: sweep.run(GRID, out, executor=executor, workers=workers, echo=lambda *_: None))
    for line in failed:
        log(f"failed task: {line}")
    tasks = executor.tasks()
    return {"wall": wall, "tasks": tasks, "failed": len(failed), "per_minute": 60 * tasks / wall,
            "overhead": (wall * workers - executor.task_seconds()) / tasks}


def dask_sweep(out: Path, workers: int, preload: bool) -> dict[str, float]:
    """The grid on a Dask scheduler with ``workers`` single-threaded worker processes on 127.0.0.1, started
    plain or with ``--preload asean_analysis.worker`` (the notebook-execution stack imported at start)."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None, preload=["asean_analysis.worker"] if preload else []) as cluster, \
            Client(cluster) as client:
        return sweep_once(out, client.get_executor(), workers)


def test_suite(root: Path) -> tuple[float, str]:
    env = {**os.environ, "ASEAN_RUNS_DIR": str(root / "test-runs"), "ASEAN_CACHE_DIR": str(root / "test-cache")}
    seconds, done = timed(lambda: subprocess.run([sys.executable, "-m", "pytest", "-q"], cwd=paths.ROOT, env=env,
                                                 capture_output=True, text=True))
    summary = (done.stdout.strip().splitlines() or ["no output"])[-1]
    return seconds, re.sub(r"\s+in [\d.]+s.*$", "", summary.strip("= "))


def host_speed() -> float:
    """Seconds of a fixed pure-Python loop in a fresh interpreter: these shared machines run at different
    speeds from hour to hour (1.5 s on a quiet 2-core development machine), so every figure of one run is
    read against this."""
    code = "s = 0\nfor i in range(20_000_000):\n    s += i"
    return statistics.median(timed(lambda: subprocess.run([sys.executable, "-c", code], check=True))[0] for _ in range(3))


def row(measure: str, value: str, goal: str, met: bool | None) -> str:
    return f"| {measure} | {value} | {goal} | {'—' if met is None else 'met' if met else 'missed'} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing; medians are reported (default 3)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="notebooks at once, and sweep workers, local and on Dask (default: the CPU count)")
    parser.add_argument("--tests", action="store_true", help="also time the test suite (pytest, several minutes)")
    args = parser.parse_args()
    count, cores = len(runner.available()), os.cpu_count() or 1
    timings = paths.cache_dir() / "timings.json"  # the runner's order hint, read before any folder changes
    importlib.import_module("asean_analysis.figures")  # the sweeps' chart library, loaded before any timing
    speed_before = host_speed()
    log("CLI ...")
    help_s = cli_seconds(["--help"])
    run_help_s = cli_seconds(["run", "--help"])
    rejected = {" ".join(argv[2:]): cli_seconds(argv) for argv in REJECTED}
    t: dict[str, list[float]] = {k: [] for k in ("cold", "warm", "trivial", "nbconvert", "floor")}
    sweeps: dict[str, list[dict[str, float]]] = {"local-1": [], "local": [], "dask": [], "dask-preload": []}
    suite = None
    with tempfile.TemporaryDirectory(prefix="asean-bench-") as tmp:
        root = Path(tmp)
        os.environ["ASEAN_RUNS_DIR"] = str(root / "runs")  # nbconvert's exploratory records stay out of outputs/
        for i in range(args.repeat):
            cache = fresh_cache(root, f"cold-{i}", timings)
            t["cold"].append(timed(lambda i=i: reproduce(root / f"cold-{i}"))[0])
            timings = cache / "timings.json"
            t["floor"].append(sum(kernel_seconds(cache).values()) / cores)
            t["warm"].append(timed(lambda i=i: reproduce(root / f"warm-{i}"))[0])
            fresh_cache(root, f"trivial-{i}", None)
            (root / f"trivial-{i}").mkdir()
            t["trivial"].append(timed(lambda i=i: trivial(root / f"trivial-{i}", count))[0])
            fresh_cache(root, f"nbconvert-{i}", None)
            t["nbconvert"].append(timed(lambda i=i: nbconvert(root / f"nbconvert-{i}"))[0])
            for key, width in (("local-1", 1), ("local", args.workers)):
                fresh_cache(root, f"sweep-{key}-{i}", None)
                with ThreadPoolExecutor(max_workers=width) as pool:
                    sweeps[key].append(sweep_once(root / f"sweep-{key}-{i}", pool, width))
            for key in ("dask", "dask-preload"):
                fresh_cache(root, f"sweep-{key}-{i}", None)  # before the cluster starts: its workers inherit it
                sweeps[key].append(dask_sweep(root / f"sweep-{key}-{i}", args.workers, key == "dask-preload"))
            log(f"run {i + 1}/{args.repeat}: " + ", ".join(f"{k} {v[-1]:.1f}s" for k, v in t.items())
                + ", " + ", ".join(f"sweep {k} {v[-1]['wall']:.1f}s" for k, v in sweeps.items()))
        if args.tests:
            log("test suite ...")
            suite = test_suite(root)
    speed_after = host_speed()
    m = {k: statistics.median(v) for k, v in t.items()}
    s = {k: {f: statistics.median(r[f] for r in runs) for f in runs[0]} for k, runs in sweeps.items()}
    worst = max(rejected, key=rejected.get)
    print(f"\n{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: {count} notebooks, {cores} CPUs, "
          f"{args.workers} workers, medians of {args.repeat} runs (CLI: medians of 5); load average "
          f"{os.getloadavg()[0]:.1f} at the end\n")
    print("| measure | now | goal | |\n|---|---|---|---|")
    print(row("host speed: a fixed pure-Python loop, before / after", f"{speed_before:.2f} s / {speed_after:.2f} s",
              "reported (1.5 s on a quiet 2-core machine)", None))
    print(row("test suite (pytest, as `make test` runs it)",
              f"{suite[0]:.0f} s ({suite[1]})" if suite else "not measured (`--tests`)", "under 90 s",
              suite[0] < 90 if suite else None))
    print(row("`python -m asean_analysis --help` / `run --help`", f"{help_s:.2f} s / {run_help_s:.2f} s",
              "under 0.5 s", max(help_s, run_help_s) < 0.5))
    print(row("a rejected parameter (" + ", ".join(f"`{k}` {v:.2f} s" for k, v in rejected.items()) + ")",
              f"{rejected[worst]:.2f} s (slowest)", "under 0.5 s", rejected[worst] < 0.5))
    print(row("full reproduction, cold, vs sequential `jupyter nbconvert --execute`",
              f"{m['cold']:.1f} s vs {m['nbconvert']:.1f} s = {m['nbconvert'] / m['cold']:.2f}x", "≥ 3.5x",
              m["nbconvert"] / m["cold"] >= 3.5))
    print(row(f"full reproduction, cold, vs {count} trivial notebooks through the same runner",
              f"{m['cold']:.1f} s vs {m['trivial']:.1f} s = {m['cold'] / m['trivial']:.2f}x", "≤ 1.5x",
              m["cold"] / m["trivial"] <= 1.5))
    print(row("full reproduction, warm (every notebook cached)", f"{m['warm']:.2f} s", "≤ 3 s", m["warm"] <= 3))
    print(row(f"physical floor: summed kernel seconds / {cores} cores",
              f"{m['floor']:.1f} s (cold run = {m['cold'] / m['floor']:.2f}x the floor)", "reported", None))
    for key, where in (("local-1", "local, 1 thread"), ("local", f"local, {args.workers} threads"),
                       ("dask", f"Dask, {args.workers} workers"),
                       ("dask-preload", f"Dask, {args.workers} workers started with `--preload asean_analysis.worker`")):
        r = s[key]
        print(row(f"sweep of the README's 12-set grid, {where}",
                  f"{r['wall']:.1f} s, {r['per_minute']:.1f} tasks/min, overhead {r['overhead']:.2f} s/task"
                  + (f" ({r['failed']:.0f} of {r['tasks']:.0f} tasks failed: the notebook raised)" if r["failed"] else ""),
                  "overhead under 1 s/task", r["overhead"] < 1))
    print(row(f"sweep: scaling from 1 to {args.workers} local workers", f"{s['local-1']['wall'] / s['local']['wall']:.2f}x faster",
              f"reported (at most {args.workers}x)", None))
    for key, how in (("dask", "plain workers"), ("dask-preload", "preloaded workers")):
        ratio = s[key]["wall"] / s["local"]["wall"]
        print(row(f"sweep: Dask cluster ({how}) / local, same grid and cores", f"{ratio:.2f}x", "≤ 1.0x", ratio <= 1.0))


if __name__ == "__main__":
    main()
