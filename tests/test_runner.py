"""The runner: parameters checked before anything runs, reruns into their own folders, failures contained."""

import json
import os

import pandas as pd
import pytest

from asean_analysis import claims, params, paths, runner
from asean_analysis.__main__ import main
from asean_analysis.errors import ParameterError


def _errors(capsys) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if line.startswith("error: ")]


def test_unknown_parameter_is_rejected_before_running(tmp_path, capsys):
    assert main(["run", "--notebook", "01_gdp_rank", "-p", "colour=red", "--out", str(tmp_path / "o")]) == 2
    assert _errors(capsys)[0].startswith("error: unknown parameter 'colour'")
    assert not (tmp_path / "o").exists()


def test_parameter_not_declared_by_the_notebook_is_rejected(monkeypatch):
    monkeypatch.setitem(runner.params.SPECS, "colour", runner.params.Spec("str", "test"))
    with pytest.raises(ParameterError, match=r"unknown parameter 'colour' for notebook\(s\) 01_gdp_rank; they declare: .*year"):
        runner.plan(["01_gdp_rank"], ["colour=red"], {})


def test_run_dir_cannot_be_set_by_hand():
    with pytest.raises(ParameterError, match="run_dir is set by the runner"):
        runner.plan(["01_gdp_rank"], ["run_dir=/tmp/x"], {})


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


def test_yaml_and_command_line_accept_the_same_forms(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("members: IDN,MYS\nas_of: 2024-11-27\n")  # a comma list and an unquoted date
    from_file = runner.plan(["01_gdp_rank"], [], runner.read_params_file(path))
    from_cli = runner.plan(["01_gdp_rank"], ["members=IDN,MYS", "as_of=2024-11-27"], {})
    assert from_file == from_cli == {"01_gdp_rank": {"members": ["IDN", "MYS"], "as_of": "2024-11-27"}}


def test_params_lists_defaults_and_ranges(capsys):
    assert main(["params"]) == 0
    text = capsys.readouterr().out
    assert "year (int): reference year of the claim" in text
    assert "default: 01_gdp_rank 2023" in text and "allowed: 1960 to 2035" in text
    assert "gdp_source (str)" in text and "allowed: one of wdi-2024-10" in text


@pytest.mark.slow
def test_rerun_for_2022_goes_to_its_own_folder(tmp_path):
    out = tmp_path / "r"
    ok, folder = runner.run(["01_gdp_rank"], ["year=2022"], out=out, echo=lambda *_: None)
    assert ok and folder == out
    record = json.loads((out / "values" / "GDP-1.json").read_text())
    assert record["computed"] == 5 and "2022 GDP of US$ 3.66 tn" in record["explanation"]
    assert record["parameters"]["year"] == 2022
    status = json.loads((out / "run.json").read_text())
    entry = status["notebooks"]["01_gdp_rank"]
    assert entry["parameters"] == {"year": 2022} and status["published"] is False
    registered = sorted(c for c, claim in claims.registry().items() if claim.notebook == "01_gdp_rank")
    assert entry["products"]["claims"] == registered and entry["products"]["figures"] == ["gdp_rank_world"]
    assert entry["products"]["inputs"]["wdi-gdp-2024-10"] == runner.cache.current_digest("wdi-gdp-2024-10")
    assert (out / "figures" / "gdp_rank_world.png").is_file()
    notebook = (out / "notebooks" / "01_gdp_rank.ipynb").read_text()
    assert 'run_dir = \\"/' not in notebook and "year = 2022" in notebook  # the injected parameters, no machine path


def test_run_without_out_goes_under_runs(tmp_path, monkeypatch):
    monkeypatch.setenv("ASEAN_RUNS_DIR", str(tmp_path / "runs"))
    ok, folder = runner.run(["01_gdp_rank"], echo=lambda *_: None)  # served from the session's cache
    assert ok and folder.parent == tmp_path / "runs" and (folder / "claims_ledger.csv").is_file()


@pytest.mark.slow
def test_run_on_an_imf_edition(tmp_path):
    ok, out = runner.run(["01_gdp_rank"], ["gdp_source=imf-2024-10"], out=tmp_path / "imf", echo=lambda *_: None)
    assert ok
    table = pd.read_csv(out / "claims_ledger.csv").set_index("claim")
    assert table.loc["GDP-1", "computed"] == "5"
    assert "imf-weo-2024-10: WEO 2024-10" in table.loc["GDP-1", "data_vintage"]


def test_partial_rerun_replaces_only_its_own_products(tmp_path, article_run):
    out = tmp_path / "o"
    import shutil

    shutil.copytree(article_run[0], out, ignore=shutil.ignore_patterns("report"))
    before = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    ok, _ = runner.run(["01_gdp_rank"], ["gdp_source=imf-2024-10"], out=out, echo=lambda *_: None)
    after = {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    status = json.loads((out / "run.json").read_text())["notebooks"]
    own = set(runner._products_of(status["01_gdp_rank"]))
    assert ok and set(after) == set(before) and "values/GDP-1.json" in own and "values/NET-1.json" not in own
    changed = {k for k in after if after[k] != before[k]}
    assert changed <= own | {"run.json", "claims_ledger.csv", "claims_ledger.md"}
    assert "values/GDP-1.json" in changed
    assert status["01_gdp_rank"]["parameters"] == {"gdp_source": "imf-2024-10"} and status["02_internet_users"]["parameters"] == {}


def test_publishing_needs_the_article_parameters(tmp_path):
    with pytest.raises(ParameterError, match="publishing outputs/ is for a full run"):
        runner.run(["01_gdp_rank"], ["year=2022"], published=True)


def test_timeout_message_names_notebook_and_cell():
    from nbclient.exceptions import CellTimeoutError

    exc = CellTimeoutError("A cell timed out while it was being executed, after 5 seconds.\nThe message was: "
                           "Cell execution timed out.\nHere is a preview of the cell contents:\n-------------------\n"
                           "['table = gdp.sensitivity(...)']\n-------------------\n")
    text = runner._error_text(exc, "01_gdp_rank", 5)
    assert text.startswith("a cell of 01_gdp_rank ran longer than 5 s (it begins \"['table = gdp.sensitivity(...)']\"")
    assert "raise --timeout" in text


def test_echoed_values_are_truncated():
    with pytest.raises(ParameterError) as caught:
        params.parse("year", "9" * 500)
    assert "9" * 61 not in str(caught.value) and "…" in str(caught.value)


def test_paths_never_depend_on_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert paths.NOTEBOOKS.parent == paths.ROOT and (paths.ROOT / "data" / "datapackage.json").is_file()


def test_the_article_run_reads_the_notebooks_nbval_executed(article_run, pytestconfig):
    """Execute once: when nbval ran every notebook this session, the article run reads those runs, on any worker."""
    from pathlib import Path

    if sorted(getattr(pytestconfig, "nbval_last", {}).values()) != runner.available():
        pytest.skip("nbval did not run every notebook in this session (e.g. one test file was selected)")
    nbval_runs = Path(os.environ["ASEAN_TEST_NBVAL_RUNS"])
    assert {n: f.parent for n, f in pytestconfig.article_sources.items()} == {n: nbval_runs for n in runner.available()}
