"""Shared fixtures. Notebook runs write into temporary folders, never into the committed outputs/.

Execute once, assert many: the committed notebooks are executed once per session, by nbval (its items
run first, on whichever pytest-xdist worker; see the root conftest). :func:`article_run` waits until
those runs are over, gathers the records they left into one result folder and writes its ledger; only
a notebook nbval did not run completely (e.g. when a single test file is run) is executed here,
through the runner.
"""

import fcntl
import json
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

NBVAL_WAIT = 900  # seconds a fixture waits for another worker's nbval run before running the notebook itself


def _nbval_runs(config: pytest.Config) -> dict[str, dict]:
    """Per notebook, the products of the run nbval left this session, once it is over, if that run recorded
    every claim of the notebook."""
    from asean_analysis import claims

    expected: dict[str, set[str]] = {}
    for cid, claim in claims.registry().items():
        expected.setdefault(claim.notebook, set()).add(cid)
    runs_dir = Path(os.environ["ASEAN_TEST_NBVAL_RUNS"])
    found = {}
    for name in getattr(config, "nbval_last", {}).values():
        deadline = time.monotonic() + NBVAL_WAIT
        while not (runs_dir / f"{name}.done").exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        runs = sorted(runs_dir.glob(f"{name}-*/products/{name}.json"))
        if runs:
            products = json.loads(runs[-1].read_text(encoding="utf-8"))
            if products["inputs"] and expected.get(name, set()) <= set(products["claims"]):
                found[name] = {"folder": runs[-1].parent.parent, "products": products}
    return found


@pytest.fixture(scope="session")
def article_run(tmp_path_factory, pytestconfig) -> tuple[Path, pd.DataFrame]:
    """Every notebook run once with the article's parameters: (result folder, ledger indexed by claim id)."""
    from asean_analysis import claims, paths, runner

    out = tmp_path_factory.mktemp("article-run") / "outputs"
    done = _nbval_runs(pytestconfig)
    missing = [n for n in runner.available() if n not in done]
    if missing:
        def run_missing(root: Path) -> dict[str, dict]:
            ok, folder = runner.run(missing, out=root / "run", echo=lambda *_: None)
            assert ok, f"the article run failed; see {folder}"
            status = json.loads((folder / "run.json").read_text(encoding="utf-8"))["notebooks"]
            return {n: {"folder": str(folder), "products": status[n]["products"]} for n in missing}

        ran = once(tmp_path_factory, "article-missing-" + "-".join(n[:2] for n in missing), run_missing)
        done.update({n: {"folder": Path(r["folder"]), "products": r["products"]} for n, r in ran.items()})
    pytestconfig.article_sources = {n: run["folder"] for n, run in done.items()}
    out.mkdir(parents=True)
    for run in done.values():
        for part in ("values", "figures"):
            for src in (run["folder"] / part).glob("*"):
                if src.stem in run["products"]["claims" if part == "values" else "figures"]:
                    (out / part).mkdir(exist_ok=True)
                    shutil.copyfile(src, out / part / src.name)
    shutil.copytree(paths.NOTEBOOKS, out / "notebooks")
    names = runner.available()
    results = {n: {"status": "ok", "error": None, "products": done[n]["products"]} for n in names}
    (out / "run.json").write_text(json.dumps(runner._status(names, {n: {} for n in names}, results, False),
                                             indent=1, sort_keys=True, default=str) + "\n", encoding="utf-8")
    claims.write_ledger(claims.ledger(out), out)
    return out, pd.read_csv(out / "claims_ledger.csv", keep_default_na=False).set_index("claim")


def perturb_mirror(root: Path, name: str, change) -> dict[str, str]:
    """Under ``root``: a mirror of symlinks with dataset ``name`` replaced by ``change(bytes)``, and a manifest
    pinning the new bytes; returns the environment that points a run at them."""
    from asean_analysis import fetch, paths

    mirror, real = root / "mirror", paths.mirror_dir()
    if not mirror.exists():
        for folder in (e for e in real.iterdir() if e.is_dir()):
            (mirror / folder.name).mkdir(parents=True)
            for item in folder.iterdir():
                (mirror / folder.name / item.name).symlink_to(item)
        (root / "seed").mkdir()
        (root / "seed" / "article.txt").symlink_to(real.parent / "seed" / "article.txt")
    manifest = root / "datapackage.json"
    descriptor = json.loads((manifest if manifest.is_file() else paths.manifest()).read_text(encoding="utf-8"))
    entry = next(r for r in descriptor["resources"] if r["name"] == name)
    target = mirror / entry["mirror_path"]
    data = change(target.read_bytes())
    target.unlink()
    target.write_bytes(data)
    entry.update(hash=f"sha256:{fetch.sha256(target)}", bytes=len(data))
    manifest.write_text(json.dumps(descriptor), encoding="utf-8")
    return {"ASEAN_DATA_MIRROR": str(mirror), "ASEAN_DATA_DIR": str(root / "data"),
            "ASEAN_MANIFEST": str(manifest), "ASEAN_CACHE_DIR": str(root / "cache")}


def shrink_japan(data: bytes) -> bytes:
    """Japan's 2023 GDP cut by a third in a WDI GDP file (ASEAN then ranks 4th)."""
    lines = data.decode().split("\n")
    for i, line in enumerate(lines):
        if line.startswith("Japan,JPN,2023,"):
            lines[i] = f"Japan,JPN,2023,{float(line.rsplit(',', 1)[1]) * 2 / 3}"
    return "\n".join(lines).encode()


def once(tmp_path_factory, name: str, make: Callable[[Path], Any]) -> Any:
    """``make(folder)`` run once per session, whichever pytest-xdist worker asks first (the others wait for it
    and read its JSON result): an expensive session fixture executes once, not once per worker."""
    root = tmp_path_factory.getbasetemp()
    root = root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root  # the folder every worker shares
    result = root / f"{name}.json"
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not result.is_file():
            (root / name).mkdir(exist_ok=True)
            result.write_text(json.dumps(make(root / name)), encoding="utf-8")
    return json.loads(result.read_text(encoding="utf-8"))


def _perturbed(root: Path) -> dict[str, Any]:
    from asean_analysis import load, runner

    env = perturb_mirror(root, "wdi-gdp-2024-10", shrink_japan)
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        load._read_verified.cache_clear()
        ok, out = runner.run(["01_gdp_rank"], out=root / "rerun", echo=lambda *_: None)
    load._read_verified.cache_clear()
    assert ok, f"the perturbed run failed; see {out}"
    return {"out": str(out), "env": env}


@pytest.fixture(scope="session")
def perturbed_run(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """Notebook 01 run once on a mirror where Japan's 2023 GDP is cut by a third: (result folder, its environment)."""
    done = once(tmp_path_factory, "perturbed", _perturbed)
    return Path(done["out"]), done["env"]


def _cached_01(root: Path) -> str:
    from asean_analysis import cache, paths, runner

    ok, folder = runner.run(["01_gdp_rank"], out=root / "run", echo=lambda *_: None)
    assert ok, f"notebook 01 failed; see {folder}"
    entry = paths.cache_dir() / "notebooks" / cache.key(paths.NOTEBOOKS / "01_gdp_rank.ipynb", {}, runner.RUN_LABEL)
    assert (entry / "meta.json").is_file()
    return str(entry)


@pytest.fixture(scope="session")
def cached_01(tmp_path_factory) -> Path:
    """Notebook 01 run once through the runner with the article's parameters, so that the session's cache holds
    it: later runs of it are served from the cache. Returns that entry's folder."""
    return Path(once(tmp_path_factory, "cached-01", _cached_01))


def served_from(entry: Path, calls: list[str]) -> Callable:
    """A stand-in for ``runner.execute_batch`` where a test is about the runner, not the notebook: each task gets
    the files and products of the verified cache entry ``entry`` (a real run), without a kernel; ``calls``
    collects the notebooks it was asked to run."""
    products = json.loads((entry / "meta.json").read_text(encoding="utf-8"))["products"]

    def execute_batch(items, timeout, settings=None):
        for notebook, _, folder in items:
            calls.append(Path(notebook).stem)
            shutil.copytree(entry / "files", folder, dirs_exist_ok=True)
        return [{"status": "ok", "error": None, "seconds": 0.0, "products": products} for _ in items]
    return execute_batch


@pytest.fixture(scope="session")
def ledger(article_run) -> pd.DataFrame:
    """The claims ledger of the article run, indexed by claim id."""
    return article_run[1]
