"""Reruns: the cache skips unchanged notebooks, and sweeps run on a local pool or a Dask cluster."""

import json

import pytest

from asean_analysis import cache, paths, runner, sweep


def _snapshot(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_unchanged_inputs_are_served_from_the_cache(tmp_path, cached_01):
    said = []
    ok1, first = runner.run(["01_gdp_rank"], out=tmp_path / "one", echo=said.append)
    ok2, second = runner.run(["01_gdp_rank"], out=tmp_path / "two", echo=said.append)
    assert ok1 and ok2 and said.count("[cached] 01_gdp_rank") == 2
    assert _snapshot(first) == _snapshot(second)
    inputs = json.loads((second / "run.json").read_text())["notebooks"]["01_gdp_rank"]["products"]["inputs"]
    assert {"wdi-gdp-2024-10", "imf-weo-2025-10", "un-m49", "reference/bloc_membership.csv"} <= set(inputs)
    said.clear()
    runner.run(["01_gdp_rank"], out=tmp_path / "three", force=True, echo=said.append)
    assert not any(s.startswith("[cached]") for s in said)


def test_the_key_follows_the_effective_parameters():
    notebook = paths.NOTEBOOKS / "01_gdp_rank.ipynb"
    assert cache.key(notebook, {}) != cache.key(notebook, {"year": 2022})
    assert cache.key(notebook, {}) == cache.key(notebook, {"year": 2023})  # the default, given explicitly
    # the executed copy says where its records went: a published run never reuses an exploratory one's copy
    assert cache.key(notebook, {}, runner.RUN_LABEL) != cache.key(notebook, {}, runner.PUBLISHED_LABEL)


@pytest.mark.slow
def test_sweep_on_a_dask_local_cluster(tmp_path):
    from distributed import Client, LocalCluster

    grid = {"notebooks": ["01_gdp_rank"], "year": [2022], "eu_as_bloc": [True]}
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        frame, failed = sweep.run(grid, tmp_path / "s", executor=client.get_executor(), echo=lambda *_: None)
    assert failed == []
    gdp1 = frame[frame["claim"] == "GDP-1"].set_index("year")
    assert list(gdp1.index) == [2022] and gdp1["computed"].tolist() == [5]
    assert (tmp_path / "s" / "sensitivity.csv").is_file() and (tmp_path / "s" / "figures" / "sensitivity.png").is_file()
    assert sweep.stability(frame).loc["GDP-2"].sum() == 1


def test_a_failed_sweep_task_is_reported(tmp_path):
    grid = {"notebooks": ["01_gdp_rank"], "year": [2030]}
    frame, failed = sweep.run(grid, tmp_path / "s", echo=lambda *_: None)
    assert len(failed) == 1 and "year 2030 is not in GDP source" in failed[0]
    assert set(frame.loc[frame["claim"] == "GDP-1", "verdict"]) == {"error"}
