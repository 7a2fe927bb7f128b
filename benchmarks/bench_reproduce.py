"""Benchmark of full reproduction (not a test): prints four timings (medians) and three ratios.

(a) full reproduction through the runner, cache cold; (b) the same, cache warm; (c) the floor: as
many trivial notebooks (importing pandas and seaborn) through the same runner; (d) the naive peer:
``jupyter nbconvert --execute`` on each notebook, one after the other. Targets on 2 cores:
(a)/(c) <= 1.5, (d)/(a) >= 2.5, (b) <= 3 s.

    .venv/bin/python benchmarks/bench_reproduce.py [--repeat 3]
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from asean_analysis import paths, runner


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _full(out: Path, force: bool) -> None:
    ok, _ = runner.run(out=out, force=force, echo=lambda *_: None)
    assert ok, "the reproduction failed"


def _floor(folder: Path, count: int, out: Path) -> None:
    tasks = {}
    for i in range(count):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell("x = 0", metadata={"tags": ["parameters"]}),
                    nbformat.v4.new_code_cell("import pandas as pd\nimport seaborn as sns\nprint(pd.__version__, x)")]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        path = folder / f"trivial_{i:02d}.ipynb"
        nbformat.write(nb, path)
        tasks[path.stem] = (path, {}, out / path.stem)
    results = runner.execute_all(tasks, runner.TIMEOUT, use_cache=False, echo=lambda *_: None)
    assert all(r["status"] == "ok" for r in results.values())


def _naive(out: Path) -> None:
    for name in runner.available():
        subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
                        "--ExecutePreprocessor.timeout=600", "--output-dir", str(out),
                        str(paths.NOTEBOOKS / f"{name}.ipynb")], check=True, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    count = len(runner.available())
    timings: dict[str, list[float]] = {"a": [], "b": [], "c": [], "d": []}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.environ["ASEAN_OUTPUT_DIR"] = str(root / "naive-records")  # keep nbconvert's records out of outputs/
        for i in range(args.repeat):
            os.environ["ASEAN_CACHE_DIR"] = str(root / f"cache-{i}")  # cold: nothing parsed or executed yet
            timings["a"].append(_timed(lambda: _full(root / f"a{i}", force=False)))
            timings["b"].append(_timed(lambda: _full(root / f"b{i}", force=False)))
            (root / f"c{i}").mkdir()
            timings["c"].append(_timed(lambda: _floor(root / f"c{i}", count, root / f"c{i}" / "out")))
            os.environ["ASEAN_CACHE_DIR"] = str(root / f"naive-cache-{i}")
            timings["d"].append(_timed(lambda: _naive(root / f"d{i}")))
            print(f"run {i + 1}: " + ", ".join(f"({k}) {v[-1]:.1f}s" for k, v in timings.items()), flush=True)
    med = {k: statistics.median(v) for k, v in timings.items()}
    print(f"\n{count} notebooks, {os.cpu_count()} CPUs, medians of {args.repeat} runs")
    print(f"(a) full reproduction, cache cold : {med['a']:6.1f} s")
    print(f"(b) full reproduction, cache warm : {med['b']:6.1f} s   target <= 3 s")
    print(f"(c) floor, {count} trivial notebooks  : {med['c']:6.1f} s")
    print(f"(d) naive sequential nbconvert    : {med['d']:6.1f} s")
    print(f"(a)/(c) = {med['a'] / med['c']:.2f}   target <= 1.5")
    print(f"(d)/(a) = {med['d'] / med['a']:.2f}   target >= 2.5")
    print(f"(b)     = {med['b']:.2f} s   target <= 3")


if __name__ == "__main__":
    main()
