"""The runner: parameters checked before anything runs, reruns with other parameters, failures contained."""

import json
import subprocess
import sys

import pandas as pd
import pytest

from asean_analysis import paths, runner
from asean_analysis.errors import ParameterError


def _cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "asean_analysis", *args], cwd=cwd, capture_output=True, text=True)


def test_unknown_parameter_is_rejected_before_running(tmp_path):
    result = _cli("run", "--notebook", "01_gdp_rank", "-p", "colour=red", "--out", str(tmp_path / "o"), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().startswith("error: unknown parameter 'colour'")
    assert not (tmp_path / "o").exists()


def test_parameter_not_declared_by_the_notebook_is_rejected(monkeypatch):
    monkeypatch.setitem(runner.params.SPECS, "colour", runner.params.Spec("str", "test"))
    with pytest.raises(ParameterError, match="unknown parameter 'colour' for notebook\\(s\\) 01_gdp_rank; they declare: .*year"):
        runner.plan(["01_gdp_rank"], ["colour=red"], {})


def test_every_declared_parameter_has_a_spec():
    for name in runner.available():
        assert set(runner.declared(name)) <= set(runner.params.SPECS), name


@pytest.mark.parametrize("content, message", [("year: [2023", "not valid YAML"), ("- 2023\n", "must be a mapping"),
                                              ("year: '2023'\n", "has type str")])
def test_bad_params_files(tmp_path, content, message):
    path = tmp_path / "p.yaml"
    path.write_text(content)
    with pytest.raises(ParameterError, match=message):
        runner.plan(["01_gdp_rank"], [], runner.read_params_file(path))


def test_rerun_for_2022_from_another_directory(tmp_path):
    out = tmp_path / "r"
    result = _cli("run", "--notebook", "01_gdp_rank", "-p", "year=2022", "--out", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    record = json.loads((out / "values" / "GDP-1.json").read_text())
    assert record["computed"] == 5 and "2022 GDP of US$ 3.66 tn" in record["explanation"]
    assert json.loads((out / "run.json").read_text())["notebooks"]["01_gdp_rank"]["parameters"] == {"year": 2022}
    assert (out / "figures" / "gdp_rank_world.png").is_file()


def test_run_on_an_imf_edition(tmp_path):
    ok, out = runner.run(["01_gdp_rank"], ["gdp_source=imf-2024-10"], out=tmp_path / "imf", echo=lambda *_: None)
    assert ok
    table = pd.read_csv(out / "claims_ledger.csv").set_index("claim")
    assert table.loc["GDP-1", "verdict"] == "supported"
    assert "imf-weo-2024-10: WEO 2024-10" in table.loc["GDP-1", "data_vintage"]


def test_failed_run_leaves_earlier_outputs_untouched(tmp_path):
    out = tmp_path / "o"
    ok, _ = runner.run(["01_gdp_rank"], [], out=out, echo=lambda *_: None)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    ok, failed = runner.run(["01_gdp_rank"], ["year=2030"], out=out, echo=lambda *_: None)
    assert not ok and failed == tmp_path / "o-failed-run"
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    ledger = pd.read_csv(failed / "claims_ledger.csv").set_index("claim")
    assert ledger.loc["GDP-1", "verdict"] == "error" and ledger.loc["GDP-1", "computed"] != 5
    assert (failed / "notebooks" / "01_gdp_rank.ipynb").is_file()
    assert "year 2030 is not in GDP source" in json.loads((failed / "run.json").read_text())["notebooks"]["01_gdp_rank"]["error"]


def test_update_notebooks_only_with_article_parameters(tmp_path):
    with pytest.raises(ParameterError, match="--update-notebooks"):
        runner.run(["01_gdp_rank"], ["year=2022"], out=tmp_path, update_notebooks=True)
    assert paths.NOTEBOOKS.is_dir()
