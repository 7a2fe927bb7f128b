"""Bad input fails loudly and precisely, never touches earlier outputs, and changes in the data are caught.

Each bad-input case ends with a non-zero exit and a one-line `error: ...` message that names the
problem and the fix, and leaves a folder of earlier good outputs byte-identical.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pandas as pd
import papermill
import pytest
import yaml

from asean_analysis import claims, fetch, load, manifest, paths
from asean_analysis.__main__ import main
from asean_analysis.errors import DataError
from conftest import perturb_mirror


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def good_out(tmp_path):
    """A folder holding a copy of the committed outputs (earlier good results)."""
    out = tmp_path / "outputs"
    shutil.copytree(paths.OUTPUTS, out, ignore=shutil.ignore_patterns("report"))
    return out


@dataclass
class Result:
    returncode: int
    stderr: str


@pytest.fixture
def cli(capsys):
    """The command line, run in-process (no interpreter start-up per case)."""
    def call(*args) -> Result:
        capsys.readouterr()
        code = main(list(args))
        return Result(code, capsys.readouterr().err)
    return call


def _fails_cleanly(result, code: int, pattern: str, out: Path | None = None, before=None):
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert result.returncode == code, result.stderr
    assert len(errors) == 1 and "Traceback" not in result.stderr, result.stderr
    assert pattern in errors[0], errors[0]
    if out is not None:
        assert _snapshot(out) == before


@pytest.mark.parametrize("args, pattern", [
    (["-p", "colour=red"], "unknown parameter 'colour'; known parameters:"),                    # case 1
    (["-p", "year=abc"], "parameter year='abc' cannot be read; expected int"),                 # case 2
    (["-p", "members=IDN,XXX"], "unknown code(s) XXX; use ISO3 codes"),                         # case 4
    (["-p", "members="], "parameter members is an empty list"),                                  # case 5
])
def test_bad_parameters_stop_before_anything_runs(cli, good_out, args, pattern):
    before = _snapshot(good_out)
    _fails_cleanly(cli("run", "--notebook", "01_gdp_rank", *args, "--out", str(good_out)), 2, pattern, good_out, before)
    assert not (good_out.parent / "outputs-failed-run").exists()


@pytest.mark.parametrize("content, pattern", [("year: [2023\n", "is not valid YAML"),          # case 12
                                              ("just a string\n", "must be a mapping of name: value, got str")])
def test_bad_params_file(cli, good_out, tmp_path, content, pattern):
    before = _snapshot(good_out)
    path = tmp_path / "params.yaml"
    path.write_text(content)
    _fails_cleanly(cli("run", "--params", str(path), "--out", str(good_out)), 2, pattern, good_out, before)


def test_year_outside_coverage_fails_with_the_covered_range(cli, good_out):  # case 3
    """The earlier result stays byte for byte; the failed run is kept aside for reading, with error verdicts."""
    before = _snapshot(good_out)
    result = cli("run", "--notebook", "01_gdp_rank", "-p", "year=2030", "--out", str(good_out))
    _fails_cleanly(result, 1, "01_gdp_rank: DataError: year 2030 is not in GDP source 'wdi-2024-10' "
                              "(covers 1960-2023); pick a year in that range", good_out, before)
    failed = good_out.parent / "outputs-failed-run"
    ledger = pd.read_csv(failed / "claims_ledger.csv").set_index("claim")
    assert ledger.loc["GDP-1", "verdict"] == "error" and pd.isna(ledger.loc["GDP-1", "computed"])
    assert (failed / "notebooks" / "01_gdp_rank.ipynb").is_file()
    assert "year 2030 is not in GDP source" in json.loads((failed / "run.json").read_text())["notebooks"]["01_gdp_rank"]["error"]
    assert not list(good_out.parent.glob(".outputs.*[!k]"))  # no staging or half-built folder left behind (the lock stays)


@pytest.fixture
def empty_data(tmp_path, monkeypatch):
    """A fresh data directory and an empty mirror: nothing can be fetched from disk."""
    env = {"ASEAN_DATA_DIR": str(tmp_path / "data"), "ASEAN_DATA_MIRROR": str(tmp_path / "no-mirror"),
           "ASEAN_CACHE_DIR": str(tmp_path / "cache")}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    load._read_verified.cache_clear()
    yield env
    load._read_verified.cache_clear()


def test_missing_data_without_a_download(cli, empty_data):  # case 6, from the command line
    result = cli("fetch")
    _fails_cleanly(result, 2, "dataset 'article' is not in the mirror")
    assert "set ASEAN_DATA_MIRROR to a folder holding ../seed/article.txt" in result.stderr


def test_download_failure_names_url_and_fix(empty_data, monkeypatch):  # case 6, a dataset that has a URL
    res = manifest.resource("wdi-gdp-2024-10")
    monkeypatch.setattr(manifest, "resource", lambda name: manifest.Resource(**{**res.__dict__, "url": "https://127.0.0.1:9/gdp.csv"}))
    monkeypatch.setattr(fetch, "resource", manifest.resource)
    with pytest.raises(DataError, match=r"download from https://127.0.0.1:9/gdp.csv failed .*set ASEAN_DATA_MIRROR"):
        fetch.fetch_one("wdi-gdp-2024-10")


def test_downloads_are_https_only(empty_data, monkeypatch):
    res = manifest.resource("wdi-gdp-2024-10")
    monkeypatch.setattr(fetch, "resource", lambda name: manifest.Resource(**{**res.__dict__, "url": "http://example.org/gdp.csv"}))
    with pytest.raises(DataError, match="no public HTTPS URL"):
        fetch.fetch_one("wdi-gdp-2024-10")


def test_notebook_raising_mid_run_keeps_the_failed_copy(cli, good_out, empty_data):  # case 10
    before = _snapshot(good_out)
    result = cli("run", "--notebook", "01_gdp_rank", "--out", str(good_out))
    _fails_cleanly(result, 1, "01_gdp_rank: DataError: dataset", good_out, before)
    failed = good_out.parent / "outputs-failed-run"
    ledger = pd.read_csv(failed / "claims_ledger.csv").set_index("claim")
    assert set(ledger.loc[["GDP-1", "GDP-2", "DEV-1"], "verdict"]) == {"error"}
    assert ledger.loc[["GDP-1", "GDP-2", "DEV-1"], "computed"].isna().all()  # never stale values
    executed = nbformat.read(failed / "notebooks" / "01_gdp_rank.ipynb", as_version=4)
    assert any(o.get("output_type") == "error" for c in executed.cells for o in c.get("outputs", []))


@pytest.fixture
def perturbed(tmp_path, monkeypatch):
    """A mirror and manifest where one dataset is replaced by ``make(original_bytes)``; returns a setter."""
    def make(name: str, change) -> dict:
        env = perturb_mirror(tmp_path, name, change)
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        load._read_verified.cache_clear()
        return env

    yield make
    load._read_verified.cache_clear()


def test_malformed_csv_is_refused(perturbed):  # case 8
    perturbed("wdi-gdp-2024-10", lambda b: b + b'\nViet Nam,VNM,2024,"1,2\n')
    with pytest.raises(DataError, match=r"'wdi-gdp-2024-10': .* is not a well-formed CSV"):
        load.wdi("wdi-gdp-2024-10")


def test_truncated_file_fails_its_hash(cli, tmp_path, monkeypatch):  # case 8 (truncated, manifest unchanged)
    res = manifest.resource("wdi-gdp-2024-10")
    target = tmp_path / res.path
    target.parent.mkdir(parents=True)
    target.write_bytes((paths.mirror_dir() / res.mirror_path).read_bytes()[:5000])
    monkeypatch.setenv("ASEAN_DATA_DIR", str(tmp_path))
    result = cli("fetch")  # case 7 as well: sha256 mismatch
    _fails_cleanly(result, 2, "dataset 'wdi-gdp-2024-10': sha256 mismatch")
    assert "delete it and run `python -m asean_analysis fetch`" in result.stderr


def test_changed_columns_are_named(perturbed):  # case 9
    perturbed("wdi-gdp-2024-10", lambda b: b.replace(b"Country Code", b"ISO", 1))
    with pytest.raises(DataError, match=r"columns differ from the manifest schema \(missing: \['Country Code'\]; "
                                        r"unexpected: \['ISO'\]\)"):
        load.wdi("wdi-gdp-2024-10")


def test_string_parameters_stay_plain_strings(tmp_path):  # case 11
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('label = ""', metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("import json; print(json.dumps(label))")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    src, dst = tmp_path / "s.ipynb", tmp_path / "d.ipynb"
    nbformat.write(nb, src)
    nasty = 'a"b\'c\\"; import os; os.system("touch pwned")\n"""\nprint(1)#'
    papermill.execute_notebook(str(src), str(dst), parameters={"label": nasty}, kernel_name="python3",
                               cwd=str(tmp_path), progress_bar=False)
    out = nbformat.read(dst, as_version=4).cells[-1].outputs[0].text
    assert json.loads(out) == nasty and not (tmp_path / "pwned").exists()


def test_no_unsafe_yaml_or_eval_in_the_package():
    source = "\n".join(p.read_text() for p in (paths.ROOT / "asean_analysis").rglob("*.py"))
    assert "exec(" not in source
    assert not re.search(r"(?<!literal_)eval\(", source)  # ast.literal_eval reads literals only
    # yaml.load only with the safe loader (libyaml's where present): the registry's documented choice
    assert re.findall(r"yaml\.load\([^\n]*", source) == ['yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)']
    assert claims.SAFE_LOADER in (getattr(yaml, "CSafeLoader", None), yaml.SafeLoader)


@pytest.mark.slow
def test_a_perturbed_value_is_caught_by_ledger_and_nbval(perturbed_run):
    """Japan's 2023 GDP cut by a third: ASEAN becomes 4th; the ledger and nbval both see it."""
    out, env = perturbed_run
    ledger = pd.read_csv(out / "claims_ledger.csv").set_index("claim")
    assert ledger.loc["GDP-1", "computed"] == "4" and ledger.loc["GDP-1", "verdict"] == "contradicted"
    assert ledger.loc["GDP-2", "verdict"] == "contradicted"
    nbval_runs = {"ASEAN_TEST_NBVAL_RUNS": str(out.parent / "nbval"), "ASEAN_RUNS_DIR": str(out.parent / "runs")}
    check = subprocess.run([sys.executable, "-m", "pytest", "-q", "-n", "0", "notebooks/01_gdp_rank.ipynb"],
                           cwd=paths.ROOT, capture_output=True, text=True, env={**os.environ, **env, **nbval_runs}, timeout=900)
    assert check.returncode == 1 and "GDP-1: contradicted" in check.stdout


def test_tolerances_flip_exactly_where_the_registry_says():
    for claim in claims.registry().values():
        if claim.kind != "number":
            continue
        asserted = float(claim.asserted)
        tol = claims._band(claim.check, asserted, "tolerance") or 0.0
        edge = tol + max(1e-6, 1e-9 * abs(asserted))
        assert claims.evaluate(claim, asserted + tol)["verdict"] == "supported", claim.id
        assert claims.evaluate(claim, asserted - tol)["verdict"] == "supported", claim.id
        beyond = claims.evaluate(claim, asserted + edge)["verdict"]
        approx = claims._band(claim.check, asserted, "approx")
        assert beyond == ("approximately" if approx and approx > edge else "contradicted"), claim.id
        if approx:
            assert claims.evaluate(claim, asserted + approx + edge)["verdict"] == "contradicted", claim.id


def test_cells_of_the_wrong_type_are_named_by_row_and_column(perturbed):
    """The manifest's column types are checked when a file is parsed (frictionless), before any computation."""
    perturbed("wdi-gdp-2024-10", lambda b: b.replace(b"Japan,JPN,2023,", b"Japan,JPN,20x3,", 1))
    with pytest.raises(DataError, match=r"'wdi-gdp-2024-10': cells that are not of their column's type .*"
                                        r"column 'Year': '20x3'"):
        load.wdi("wdi-gdp-2024-10")
