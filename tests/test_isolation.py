"""Every rerun is right or refuses: exploration never writes outputs/, result folders switch in one step,
one run per folder, and the cache cannot serve a stale or damaged result (interruptions: test_interruptions.py)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from asean_analysis import cache, claims, context, load, paths, publish, runner
from asean_analysis.__main__ import main
from conftest import served_from


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _git_status() -> str:
    return subprocess.run(["git", "status", "--porcelain", "--", "outputs", "notebooks", "data"], cwd=paths.ROOT,
                          capture_output=True, text=True, check=True).stdout


def _errors(capsys) -> list[str]:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return [line for line in err.splitlines() if line.startswith("error: ")]


# ---------------------------------------------------------------- exploration leaves the published result alone

@pytest.mark.slow
def test_plain_papermill_from_another_folder_writes_under_runs(tmp_path, monkeypatch):
    import papermill

    runs = tmp_path / "runs"
    monkeypatch.setenv("ASEAN_RUNS_DIR", str(runs))
    monkeypatch.chdir(tmp_path)
    before = _git_status()
    papermill.execute_notebook(str(paths.NOTEBOOKS / "01_gdp_rank.ipynb"), str(tmp_path / "x.ipynb"),
                               parameters={"year": 2022}, kernel_name="python3", progress_bar=False)
    assert _git_status() == before
    (folder,) = runs.iterdir()
    assert json.loads((folder / "values" / "GDP-1.json").read_text())["parameters"]["year"] == 2022
    products = json.loads((folder / "products" / "01_gdp_rank.json").read_text())
    assert products["claims"] == sorted(c for c, claim in claims.registry().items() if claim.notebook == "01_gdp_rank")
    import nbformat

    said = "".join(o.get("text", "") for c in nbformat.read(tmp_path / "x.ipynb", as_version=4).cells
                   for o in c.get("outputs", []))
    assert f"Records and figures of this run: `{folder}/` (an exploratory run" in said


def test_code_outside_a_run_records_into_an_exploratory_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("ASEAN_RUNS_DIR", str(tmp_path / "runs"))
    before = _git_status()
    previous = context.use(None)
    try:
        claims.record("GDP-1", 5, evidence="raw_public_data", datasets=["wdi-gdp-2024-10"], explanation="by hand")
        assert (context.current().folder / "values" / "GDP-1.json").is_file()
        assert context.current().folder.parent == tmp_path / "runs"
    finally:
        context.use(previous)
    assert _git_status() == before


@pytest.mark.parametrize("target, message", [
    (".", "is the repository"), ("/", "is the repository, a parent of it, your home or the filesystem root"),
    ("notebooks", "lies in the repository's notebooks/ folder"), ("asean_analysis/x", "lies in the repository's asean_analysis/"),
    ("outputs", "holds the published results, written only by `make reproduce`"),
    ("outputs/figures", "lies inside the published outputs/"),
])
def test_out_refuses_the_repository_and_its_sources(capsys, monkeypatch, target, message):
    monkeypatch.chdir(paths.ROOT)
    before = _git_status()
    assert main(["run", "--notebook", "01_gdp_rank", "-p", "year=2022", "--out", target]) == 2
    (error,) = _errors(capsys)
    assert message in error
    assert _git_status() == before


def test_out_refuses_files_and_foreign_folders(tmp_path, capsys):
    (tmp_path / "file").write_text("x")
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "cat.jpg").write_text("x")
    assert main(["run", "--notebook", "01_gdp_rank", "--out", str(tmp_path / "file")]) == 2
    assert "is an existing file" in _errors(capsys)[0]
    assert main(["run", "--notebook", "01_gdp_rank", "--out", str(tmp_path / "photos")]) == 2
    assert "holds no earlier result (no run.json)" in _errors(capsys)[0]
    assert (tmp_path / "photos" / "cat.jpg").read_text() == "x"


def test_a_second_run_into_the_same_folder_is_refused(tmp_path, capsys):
    out = tmp_path / "o"
    with publish.lock(out):
        assert main(["run", "--notebook", "01_gdp_rank", "--out", str(out)]) == 2
    (error,) = _errors(capsys)
    assert f"another run (pid {os.getpid()}) is writing {out}" in error
    assert not out.exists()


@pytest.mark.parametrize("args, message", [(["--workers", "0"], "--workers 0 is out of range"),
                                           (["--timeout", "0"], "--timeout 0 is out of range"),
                                           (["--timeout", "-5"], "--timeout -5 is out of range")])
def test_workers_and_timeout_ranges(tmp_path, capsys, args, message):
    assert main(["run", "--notebook", "01_gdp_rank", "--out", str(tmp_path / "o"), *args]) == 2
    assert message in _errors(capsys)[0]


# ---------------------------------------------------------------- bounded, safe input files

@pytest.mark.parametrize("content, message", [
    ("a: &x [1]\nb: *x\n", "uses YAML anchors or aliases"),
    ("year: " + "[" * 40 + "1" + "]" * 40 + "\n", "nested deeper than 8 levels"),
    ("year: " + "1" * 70_000 + "\n", "more than the 65536 allowed"),
    (b"year: \xff\xfe\n", "is not UTF-8 text"),
])
def test_yaml_files_are_bounded(tmp_path, capsys, content, message):
    path = tmp_path / "p.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    assert main(["run", "--params", str(path), "--out", str(tmp_path / "o")]) == 2
    assert message in _errors(capsys)[0]


def test_a_huge_grid_is_refused_before_anything_runs(tmp_path, capsys):
    path = tmp_path / "grid.yaml"
    path.write_text("year: [" + ", ".join(str(y) for y in range(1960, 2036)) + "]\n"
                    "min_share_pct: [" + ", ".join(str(v) for v in range(10)) + "]\n")
    assert main(["sweep", "--grid", str(path), "--out", str(tmp_path / "s")]) == 2
    assert "more than the 500 tasks allowed" in _errors(capsys)[0]
    assert not (tmp_path / "s").exists()  # refused before any folder or kernel


def test_a_grid_value_given_twice_is_refused(tmp_path, capsys):
    path = tmp_path / "grid.yaml"
    path.write_text("notebooks: [01_gdp_rank]\nyear: [2022, 2023, 2022]\n")
    assert main(["sweep", "--grid", str(path), "--out", str(tmp_path / "s")]) == 2
    assert _errors(capsys) == ["error: grid parameter 'year' lists 2022 more than once; give each value once"]


@pytest.mark.parametrize("change, message", [
    (lambda r: r.update(hash="sha256:xyz"), "write it as sha256:<64 lowercase hex digits>"),
    (lambda r: r.pop("hash"), "lacks hash"),
    (lambda r: r.update(path="../../etc/passwd"), "which leaves its folder"),
    (lambda r: r.update(mirror_path="/etc/passwd"), "which leaves its folder"),
])
def test_malformed_manifests_are_refused(tmp_path, capsys, monkeypatch, change, message):
    descriptor = json.loads(paths.manifest().read_text(encoding="utf-8"))
    change(descriptor["resources"][0])
    (tmp_path / "m.json").write_text(json.dumps(descriptor))
    monkeypatch.setenv("ASEAN_MANIFEST", str(tmp_path / "m.json"))
    assert main(["fetch"]) == 2
    assert message in _errors(capsys)[0]


def test_duplicate_and_undecodable_manifests(tmp_path, capsys, monkeypatch):
    descriptor = json.loads(paths.manifest().read_text(encoding="utf-8"))
    descriptor["resources"].append(descriptor["resources"][0])
    (tmp_path / "m.json").write_text(json.dumps(descriptor))
    monkeypatch.setenv("ASEAN_MANIFEST", str(tmp_path / "m.json"))
    assert main(["fetch"]) == 2
    assert "names dataset 'article' twice" in _errors(capsys)[0]
    (tmp_path / "m.json").write_bytes(b"\xff\xfe{")
    assert main(["fetch"]) == 2
    assert "cannot read the data manifest" in _errors(capsys)[0]


def test_an_invalid_notebook_is_an_error_line(tmp_path, capsys, monkeypatch):
    shutil.copytree(paths.NOTEBOOKS, tmp_path / "nb")
    (tmp_path / "nb" / "01_gdp_rank.ipynb").write_text("{ not json")
    monkeypatch.setattr(paths, "NOTEBOOKS", tmp_path / "nb")
    assert main(["run", "--notebook", "01_gdp_rank", "--out", str(tmp_path / "o")]) != 0
    assert len(_errors(capsys)) == 1


# ---------------------------------------------------------------- a cache that cannot lie

NOTEBOOK_01 = paths.NOTEBOOKS / "01_gdp_rank.ipynb"


@pytest.fixture
def entry(tmp_path, monkeypatch, cached_01):
    """A private cache holding one verified run of notebook 01 (copied from the session's cache)."""
    monkeypatch.setenv("ASEAN_CACHE_DIR", str(tmp_path / "cache"))
    folder = tmp_path / "cache" / "notebooks" / cached_01.name
    shutil.copytree(cached_01, folder)
    return folder


def _served(tmp_path, name="again") -> bool:
    """Whether the cache serves notebook 01 with the article's parameters (its files then land in ``name``)."""
    return cache.lookup(NOTEBOOK_01, {}, tmp_path / name, runner.RUN_LABEL) is not None


def test_an_entry_holds_only_its_notebooks_products(entry):
    files = {str(p.relative_to(entry / "files")) for p in (entry / "files").rglob("*") if p.is_file()}
    own = {c for c, claim in claims.registry().items() if claim.notebook == "01_gdp_rank"}
    assert files == {*(f"values/{c}.json" for c in own), "notebooks/01_gdp_rank.ipynb",
                     *(f"figures/gdp_rank_world.{e}" for e in ("png", "svg", "csv", "json"))}


def test_a_damaged_entry_is_recomputed(entry, tmp_path):
    assert _served(tmp_path, "intact")
    target = entry / "files" / "notebooks" / "01_gdp_rank.ipynb"
    target.write_bytes(target.read_bytes()[:1000])  # truncated
    assert not _served(tmp_path) and not entry.exists()  # dropped: the next run executes the notebook again
    assert not (tmp_path / "again").exists()  # nothing of the damaged entry was copied


def test_an_entry_is_not_served_after_an_input_changed(entry, tmp_path):
    meta = json.loads((entry / "meta.json").read_text())
    meta["products"]["inputs"]["wdi-gdp-2024-10"] = "0" * 64  # as if the dataset had another hash then
    (entry / "meta.json").write_text(json.dumps(meta))
    assert not _served(tmp_path)


def test_an_entry_without_inputs_is_never_served(entry, tmp_path):
    meta = json.loads((entry / "meta.json").read_text())
    meta["products"]["inputs"] = {}
    (entry / "meta.json").write_text(json.dumps(meta))
    assert not _served(tmp_path)


def test_opt_in_files_are_pinned_by_their_bytes(tmp_path):
    extra = tmp_path / "BACI_HS17_Y2022_V202501.csv"
    extra.write_text("t,i,j,k,v,q\n")
    key = f"file:{extra}"
    digest = cache.current_digest(key)
    extra.write_text("t,i,j,k,v,q\n2022,1,2,854231,1,1\n")
    assert cache.current_digest(key) != digest
    extra.unlink()
    assert cache.current_digest(key) is None


@pytest.mark.slow
def test_parameter_sets_never_share_an_entry(entry, tmp_path):
    ok, _ = runner.run(["01_gdp_rank"], ["members=IDN,BRN,KHM,LAO,MMR"], out=tmp_path / "idn", echo=lambda *_: None)
    assert ok
    table = pd.read_csv(tmp_path / "idn" / "claims_ledger.csv").set_index("claim")
    assert table.loc["GDP-1", "computed"] != "5"  # these five members alone are not fifth
    said = []
    ok, _ = runner.run(["01_gdp_rank"], out=tmp_path / "default", echo=said.append)
    assert ok and "[cached] 01_gdp_rank" in said
    table = pd.read_csv(tmp_path / "default" / "claims_ledger.csv").set_index("claim")
    assert table.loc["GDP-1", "computed"] == "5"
    assert json.loads((tmp_path / "default" / "run.json").read_text())["notebooks"]["01_gdp_rank"]["parameters"] == {}


def test_a_cache_that_cannot_be_written_never_fails_the_run(tmp_path, monkeypatch, cached_01):
    monkeypatch.setenv("ASEAN_CACHE_DIR", str(tmp_path / "cache"))  # empty: the notebook is run, then stored

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    import types

    executed: list[str] = []
    monkeypatch.setattr(runner, "execute_batch", served_from(cached_01, executed))  # a real run's files, no kernel
    monkeypatch.setattr(cache, "shutil", types.SimpleNamespace(copytree=full_disk, rmtree=shutil.rmtree))
    said = []
    ok, out = runner.run(["01_gdp_rank"], out=tmp_path / "o", echo=said.append)
    assert ok and executed == ["01_gdp_rank"] and (out / "values" / "GDP-1.json").is_file()
    assert any("not cached (No space left on device); the run stands" in s for s in said)


def test_the_parsed_cache_is_verified_and_keyed_by_the_parser(tmp_path, monkeypatch):
    monkeypatch.setenv("ASEAN_CACHE_DIR", str(tmp_path / "cache"))
    load._read_verified.cache_clear()
    original = load.wdi("wdi-gdp-2024-10")
    (parquet,) = (tmp_path / "cache" / "parsed").glob("*.parquet")
    assert load._parser_digest() in parquet.name
    tampered = pd.read_parquet(parquet)
    tampered.loc[tampered["Country Code"] == "JPN", "Value"] = 1.0
    tampered.to_parquet(parquet, index=False)  # an altered cache file no longer matches its stored hash
    load._read_verified.cache_clear()
    again = load.wdi("wdi-gdp-2024-10")
    pd.testing.assert_frame_equal(original, again)
    load._read_verified.cache_clear()


def test_force_bypasses_the_parsed_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ASEAN_CACHE_DIR", str(tmp_path / "cache"))
    previous = context.use(context.Run("t", tmp_path / "run", {}, "test", parsed_cache=False))
    try:
        load.wdi("wdi-gdp-2024-10")
    finally:
        context.use(previous)
    assert not (tmp_path / "cache" / "parsed").exists()


# ---------------------------------------------------------------- damaged earlier results

def test_a_damaged_earlier_result_is_refused_and_kept(tmp_path, capsys, article_run):
    out = tmp_path / "o"
    shutil.copytree(article_run[0], out, ignore=shutil.ignore_patterns("report"))
    (out / "values" / "NET-1.json").write_text("{ broken")
    before = _snapshot(out)
    assert main(["run", "--notebook", "01_gdp_rank", "--out", str(out)]) == 2
    assert "a record of the earlier result" in _errors(capsys)[0]
    assert _snapshot(out) == before
