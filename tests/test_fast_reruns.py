"""Reruns: the cache skips unchanged notebooks, and sweeps run on a local pool or a Dask cluster."""

import pandas as pd

from asean_analysis import runner, sweep


def _snapshot(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_unchanged_inputs_are_served_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ASEAN_CACHE_DIR", str(tmp_path / "cache"))
    said = []
    ok1, first = runner.run(["01_gdp_rank"], out=tmp_path / "one", echo=said.append)
    ok2, second = runner.run(["01_gdp_rank"], out=tmp_path / "two", echo=said.append)
    assert ok1 and ok2 and "[cached] 01_gdp_rank" in said
    assert _snapshot(first) == _snapshot(second)
    inputs = pd.read_json(second / "run.json")["notebooks"]["01_gdp_rank"]["inputs"]
    assert {"wdi-gdp-2024-10", "imf-weo-2025-10", "un-m49", "reference/bloc_membership.csv"} <= set(inputs)
    said.clear()
    runner.run(["01_gdp_rank"], out=tmp_path / "three", force=True, echo=said.append)
    assert not any(s.startswith("[cached]") for s in said)


def test_a_changed_parameter_is_not_served_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ASEAN_CACHE_DIR", str(tmp_path / "cache"))
    key = runner.cache_key(runner.paths.NOTEBOOKS / "01_gdp_rank.ipynb", {})
    assert key != runner.cache_key(runner.paths.NOTEBOOKS / "01_gdp_rank.ipynb", {"year": 2022})


def test_sweep_on_a_dask_local_cluster(tmp_path):
    from distributed import Client, LocalCluster

    grid = {"notebooks": ["01_gdp_rank"], "year": [2021, 2022], "eu_as_bloc": [True]}
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        frame = sweep.run(grid, tmp_path, executor=client.get_executor(), echo=lambda *_: None)
    gdp1 = frame[frame["claim"] == "GDP-1"].set_index("year")
    assert list(gdp1.index) == [2021, 2022] and set(gdp1["verdict"]) == {"supported"}
    assert (tmp_path / "sensitivity.csv").is_file() and (tmp_path / "figures" / "sensitivity.png").is_file()
    assert sweep.stability(frame).loc["GDP-2", "supported"] == 2
