"""Reruns: the cache skips unchanged notebooks, and sweeps run on a local pool or a Dask cluster."""

import json
import sys
from pathlib import Path

import pytest

from asean_analysis import cache, claims, paths, runner, sweep
from conftest import served_from


def _snapshot(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_unchanged_inputs_are_served_from_the_cache(tmp_path, cached_01, monkeypatch):
    said = []
    ok1, first = runner.run(["01_gdp_rank"], out=tmp_path / "one", echo=said.append)
    ok2, second = runner.run(["01_gdp_rank"], out=tmp_path / "two", echo=said.append)
    assert ok1 and ok2 and said.count("[cached] 01_gdp_rank") == 2
    assert _snapshot(first) == _snapshot(second)
    inputs = json.loads((second / "run.json").read_text())["notebooks"]["01_gdp_rank"]["products"]["inputs"]
    assert {"wdi-gdp-2024-10", "imf-weo-2025-10", "un-m49", "reference/bloc_membership.csv"} <= set(inputs)
    said.clear()
    executed: list[str] = []
    monkeypatch.setattr(runner, "execute_batch", served_from(cached_01, executed))
    runner.run(["01_gdp_rank"], out=tmp_path / "three", force=True, echo=said.append)
    assert executed == ["01_gdp_rank"] and not any(s.startswith("[cached]") for s in said)  # --force runs it


def test_the_key_follows_the_effective_parameters():
    notebook = paths.NOTEBOOKS / "01_gdp_rank.ipynb"
    assert cache.key(notebook, {}) != cache.key(notebook, {"year": 2022})
    assert cache.key(notebook, {}) == cache.key(notebook, {"year": 2023})  # the default, given explicitly
    # the executed copy says where its records went: a published run never reuses an exploratory one's copy
    assert cache.key(notebook, {}, runner.RUN_LABEL) != cache.key(notebook, {}, runner.PUBLISHED_LABEL)


@pytest.mark.slow
def test_a_sweep_on_a_dask_cluster_runs_a_workers_tasks_in_one_kept_kernel(tmp_path):
    """A Dask worker started with ``--preload asean_analysis.worker`` has the execution stack before its first
    task; its two tasks run in one kept kernel (reset in between), and the second writes the same bytes,
    executed copy and injected parameters included, as the same task in a new kernel."""
    from distributed import Client, LocalCluster

    notebook = paths.NOTEBOOKS / "05_figure1_specializations.ipynb"
    grid = {"notebooks": [notebook.stem], "min_share_pct": [5.0, 1.5]}
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
                      preload=["asean_analysis.worker"]) as cluster, Client(cluster) as client:
        assert list(client.run(lambda: "papermill" in sys.modules).values()) == [True]
        frame, failed = sweep.run(grid, tmp_path / "s", executor=client.get_executor(), workers=1, echo=lambda *_: None)
    assert failed == [] and sorted(set(frame["min_share_pct"])) == [1.5, 5.0]
    assert (tmp_path / "s" / "sensitivity.csv").is_file() and (tmp_path / "s" / "figures" / "sensitivity.png").is_file()
    claims_05 = sorted(c for c, claim in claims.registry().items() if claim.notebook == notebook.stem)
    assert sorted(frame.loc[frame["min_share_pct"] == 1.5, "claim"]) == claims_05
    assert not set(frame["verdict"]) & {"error", "pending"}  # each set recorded every claim of the notebook

    (new,) = runner.execute_batch([(notebook, {"min_share_pct": 1.5}, tmp_path / "new")], runner.TIMEOUT,
                                  {"label": sweep.LABEL, "parsed_cache": True})
    assert new["status"] == "ok", new["error"]
    kept, first = (tmp_path / "s" / "sweep" / f"set-{i:03d}" / notebook.stem for i in (1, 0))
    assert _snapshot(kept) == _snapshot(tmp_path / "new")
    assert _snapshot(first) != _snapshot(tmp_path / "new")  # the first task's parameters did change the run


def test_a_failed_sweep_task_is_reported_and_the_batch_goes_on(tmp_path):
    """Both sets in one batch: the first fails (its kernel is replaced), the second still runs and records its values."""
    grid = {"notebooks": ["01_gdp_rank"], "year": [2030, 2022]}
    frame, failed = sweep.run(grid, tmp_path / "s", workers=1, echo=lambda *_: None)
    assert len(failed) == 1 and failed[0].startswith(
        "01_gdp_rank [year=2030]: DataError: year 2030 is not in GDP source 'wdi-2024-10' (covers 1960-2023)")
    gdp1 = frame[frame["claim"] == "GDP-1"].set_index("year")
    assert gdp1.loc[2030, "verdict"] == "error" and gdp1.loc[2022, "computed"] == 5


def test_sweep_tasks_are_dealt_per_notebook_into_at_most_workers_batches():
    tasks = {f"{n} {i}": (Path(n), {"year": i}, Path(f"{n}-{i}")) for n in ("a", "b") for i in range(5)}
    assert runner.batches(list(tasks), tasks, 2) == [["a 0", "a 2", "a 4"], ["a 1", "a 3"], ["b 0", "b 2", "b 4"], ["b 1", "b 3"]]
    assert runner.batches(["a 0"], tasks, 4) == [["a 0"]]
