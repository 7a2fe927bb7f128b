"""Parameter sweeps: run a grid of parameter sets and tabulate under which sets each verdict holds."""

import itertools
from concurrent.futures import Executor
from pathlib import Path
from typing import Any

import pandas as pd

from . import claims, figures, params, paths, runner
from .errors import ParameterError


def grid(doc: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    """(notebooks, parameter sets) of a grid mapping name -> list of values (optional key ``notebooks``)."""
    doc = dict(doc)
    names = doc.pop("notebooks", None) or runner.available()
    if not doc:
        raise ParameterError("the grid names no parameter; give a mapping such as year: [2022, 2023]")
    axes = {k: v if isinstance(v, list) else [v] for k, v in doc.items()}
    for key, values in axes.items():
        if not values:
            raise ParameterError(f"grid parameter {key!r} has no values")
        for value in values:
            params.check(key, value)
    sets = [dict(zip(axes, combo)) for combo in itertools.product(*axes.values())]
    involved = [n for n in names if set(runner.declared(n)) & set(axes)]
    if not involved:
        raise ParameterError(f"no notebook declares any of {', '.join(axes)}")
    return involved, sets


def label(values: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in values.items())


def run(doc: dict[str, Any], out: Path, executor: Executor | None = None, workers: int | None = None,
        timeout: int = runner.TIMEOUT, echo=print) -> pd.DataFrame:
    """Execute every (parameter set x notebook) and write ``out/sensitivity.csv`` and its chart."""
    names, sets = grid(doc)
    tasks, folders = {}, []
    for i, values in enumerate(sets):
        folder = out / "sweep" / f"set-{i:03d}"
        folders.append(folder)
        for name in names:
            declared = runner.declared(name)
            tasks[f"{name} [{label(values)}]"] = (paths.NOTEBOOKS / f"{name}.ipynb",
                                                  {k: v for k, v in values.items() if k in declared}, folder)
    results = runner.execute_all(tasks, timeout, workers, executor, True, echo)
    rows = []
    for i, (values, folder) in enumerate(zip(sets, folders)):
        failed = {tasks[t][0].stem for t, r in results.items() if tasks[t][2] == folder and r["status"] != "ok"}
        table = claims.ledger(folder, failed)
        table = table[table["notebook"].isin(names)]
        rows += [{"set": i, "parameters": label(values), **values, "claim": r.claim, "verdict": r.verdict,
                  "computed": r.computed} for r in table.itertuples()]
    frame = pd.DataFrame(rows)
    out.mkdir(parents=True, exist_ok=True)
    frame.to_csv(out / "sensitivity.csv", index=False, lineterminator="\n")
    _chart(frame, out)
    return frame


def stability(frame: pd.DataFrame) -> pd.DataFrame:
    """Per claim: how many parameter sets give each verdict."""
    return frame.pivot_table(index="claim", columns="verdict", values="set", aggfunc="count", fill_value=0)


def _chart(frame: pd.DataFrame, out: Path) -> None:
    order = list(claims.VERDICTS)
    codes = frame.assign(code=frame["verdict"].map(order.index))
    wide = codes.pivot(index="claim", columns="parameters", values="code")
    fig, ax = figures.plt.subplots(figsize=(max(6, 0.9 * wide.shape[1] + 3), 0.35 * len(wide) + 2))
    cmap = figures.plt.matplotlib.colors.ListedColormap(["#1a9850", "#91cf60", "#d73027", "#bdbdbd", "#f0f0f0", "#000000"])
    ax.imshow(wide.to_numpy(dtype=float), cmap=cmap, vmin=-0.5, vmax=len(order) - 0.5, aspect="auto")
    ax.set_xticks(range(wide.shape[1]), wide.columns, rotation=60, ha="right")
    ax.set_yticks(range(len(wide)), wide.index)
    for (y, x), code in pd.DataFrame(wide.to_numpy()).stack().items():
        ax.text(x, y, order[int(code)].replace("_", " "), ha="center", va="center", fontsize=7)
    ax.set_title("Verdict of each claim under each parameter set")
    figures.save(fig, "sensitivity", data=frame, datasets=[], parameters={}, out_dir=out,
                 caption="Verdict stability: each cell is the verdict of a claim (row) under a parameter set (column).")
    figures.plt.close(fig)
