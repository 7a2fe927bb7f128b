"""Parameter sweeps: run a grid of parameter sets and tabulate under which sets each verdict holds."""

import itertools
import json
import shutil
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd

from . import claims, context, figures, params, paths, plots, publish, runner
from .errors import ParameterError

MAX_TASKS = 500
# Where a sweep task's notebook says its records went (part of the cache key: the executed copy prints it).
LABEL = "the sweep folder that holds this executed copy (its `sensitivity.csv` tabulates the sweep)"


def read_grid(path: Path) -> dict[str, Any]:
    doc = params.read_yaml(Path(path), "grid file")
    if not isinstance(doc, dict):
        raise ParameterError(f"grid file {path} must be a mapping of name: [values], got {type(doc).__name__}")
    return doc


def grid(doc: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    """(notebooks, parameter sets) of a grid mapping name -> list of values (optional key ``notebooks``)."""
    doc = dict(doc)
    names = doc.pop("notebooks", None) or runner.available()
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise ParameterError("the grid's notebooks must be a list of notebook names")
    if not doc:
        raise ParameterError("the grid names no parameter; give a mapping such as year: [2022, 2023]")
    axes = {k: v if isinstance(v, list) else [v] for k, v in doc.items()}
    size = 1
    for key, values in axes.items():
        if not values:
            raise ParameterError(f"grid parameter {key!r} has no values")
        size *= len(values)
    if size * len(names) > MAX_TASKS:
        raise ParameterError(f"the grid has {size} parameter sets x {len(names)} notebooks, more than the "
                             f"{MAX_TASKS} tasks allowed; split it into smaller grids")
    for key, values in axes.items():
        checked = [params.check(key, value) for value in values]
        twice = sorted({str(v) for v in checked if checked.count(v) > 1})
        if twice:
            raise ParameterError(f"grid parameter {key!r} lists {', '.join(twice)} more than once; give each value once")
    unknown = sorted(set(names) - set(runner.available()))
    if unknown:
        raise ParameterError(f"unknown notebook(s) {', '.join(unknown)}; available: {', '.join(runner.available())}")
    involved = [n for n in names if set(runner.declared(n)) & set(axes)]
    if not involved:
        raise ParameterError(f"no notebook declares any of {', '.join(axes)}")
    sets = [{k: params.check(k, v) for k, v in zip(axes, combo)} for combo in itertools.product(*axes.values())]
    return involved, sets


def label(values: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in values.items())


def run(doc: dict[str, Any], out: Path | None = None, executor: Executor | None = None, workers: int | None = None,
        timeout: int = runner.TIMEOUT, echo=print, force: bool = False) -> tuple[pd.DataFrame, list[str]]:
    """Execute every (parameter set x notebook), each in its own folder; write ``out/sensitivity.csv`` and a chart.

    Returns the table and the labels of failed tasks (their claims show ``error``).
    """
    runner.check_limits(workers, timeout)
    names, sets = grid(doc)
    out = publish.check_target(out or context.new_folder("sweep"))
    with publish.lock(out):
        shutil.rmtree(out / "sweep", ignore_errors=True)
        out.mkdir(parents=True, exist_ok=True)
        (out / "run.json").write_text(json.dumps({"sweep": {"notebooks": names, "sets": sets}}, indent=1,
                                                 sort_keys=True, default=str) + "\n", encoding="utf-8")
        tasks: dict[str, runner.Task] = {}
        for i, values in enumerate(sets):
            for name in names:
                declared = runner.declared(name)
                tasks[f"{name} [{label(values)}]"] = (paths.NOTEBOOKS / f"{name}.ipynb",
                                                      {k: v for k, v in values.items() if k in declared},
                                                      out / "sweep" / f"set-{i:03d}" / name)
        results = runner.execute_all(tasks, timeout, workers, executor, not force, echo,
                                     {"label": LABEL, "parsed_cache": not force}, batch=True)
        rows, failed = [], []
        for i, values in enumerate(sets):
            folder = out / "sweep" / f"set-{i:03d}"
            broken = set()
            for name in names:
                result = results[f"{name} [{label(values)}]"]
                if result["status"] != "ok":
                    broken.add(name)
                    failed.append(f"{name} [{label(values)}]: {result['error']}")
                elif (folder / name / "values").is_dir():
                    shutil.copytree(folder / name / "values", folder / "values", dirs_exist_ok=True)
            table = claims.ledger(folder, broken)
            table = table[table["notebook"].isin(names)]
            rows += [{"set": i, "parameters": label(values), **values, "claim": r.claim, "verdict": r.verdict,
                      "computed": r.computed} for r in table.itertuples()]
        frame = pd.DataFrame(rows)
        frame.to_csv(out / "sensitivity.csv", index=False, lineterminator="\n")
        _chart(frame, out)
    echo(f"[done] {out / 'sensitivity.csv'}")
    return frame, failed


def stability(frame: pd.DataFrame) -> pd.DataFrame:
    """Per claim: how many parameter sets give each verdict."""
    return frame.pivot_table(index="claim", columns="verdict", values="set", aggfunc="count", fill_value=0)


def _chart(frame: pd.DataFrame, out: Path) -> None:
    chart = plots.verdict_grid(frame, list(claims.VERDICTS))
    figures.save(chart.fig, "sensitivity", data=chart.data, datasets=[], parameters={}, out_dir=out, caption=chart.caption)
    plt.close(chart.fig)
