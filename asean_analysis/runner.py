"""Execute the parameterized notebooks with papermill and build the claims ledger.

Each notebook runs in its own kernel, in parallel (``workers``, default the CPU count), writing into
its own folder of a staging area beside the output folder. The staged results are merged into the
output folder only when every notebook succeeded, so a failed run leaves earlier outputs untouched
(it is kept in ``<out>-failed-run/`` for reading, its ledger marking the failed notebooks' claims
``error``). A notebook whose inputs are unchanged is not executed again: its earlier results are
taken from the cache (key: notebook content, parameters, package code and version, the registry and
reference tables, and the sha256 of every dataset it read).
"""

import hashlib
import json
import os
import shutil
import tempfile
import time
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

import nbformat
import papermill
import yaml

from . import __version__, claims, params, paths
from .errors import ParameterError
from .manifest import resources

KERNEL = "python3"
TIMEOUT = 600


def available() -> list[str]:
    """Notebook names (without .ipynb), in order."""
    return sorted(p.stem for p in paths.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def declared(name: str) -> dict[str, Any]:
    """The parameters a notebook declares (name -> default literal), read by papermill."""
    info = papermill.inspect_notebook(str(paths.NOTEBOOKS / f"{name}.ipynb"))
    return {k: v["default"] for k, v in info.items()}


def read_params_file(path: Path) -> dict[str, Any]:
    """A YAML mapping of parameter values (loaded safely; types are checked later)."""
    try:
        doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ParameterError(f"cannot read params file {path}: {exc.strerror}; check the path") from exc
    except yaml.YAMLError as exc:
        raise ParameterError(f"params file {path} is not valid YAML ({str(exc).splitlines()[0]}); fix its syntax") from exc
    if not isinstance(doc, dict):
        raise ParameterError(f"params file {path} must be a mapping of name: value, got {type(doc).__name__}")
    return doc


def plan(names: list[str], cli: list[str], file_values: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per notebook, the checked parameters to inject; unknown names and bad values fail here, before any run."""
    unknown_nb = sorted(set(names) - set(available()))
    if unknown_nb:
        raise ParameterError(f"unknown notebook(s) {', '.join(unknown_nb)}; available: {', '.join(available())}")
    values = {k: params.check(k, v) for k, v in file_values.items()}
    for item in cli:
        key, sep, text = item.partition("=")
        if not sep or not key.strip():
            raise ParameterError(f"-p expects name=value, got {item!r}")
        values[key.strip()] = params.parse(key.strip(), text)
    declared_by = {n: declared(n) for n in names}
    for key in values:
        if not any(key in d for d in declared_by.values()):
            raise ParameterError(
                f"unknown parameter {key!r} for notebook(s) {', '.join(names)}; they declare: "
                f"{', '.join(sorted(set().union(*declared_by.values())))}"
            )
    return {n: {k: v for k, v in values.items() if k in declared_by[n]} for n in names}


def normalise(path: Path) -> None:
    """Drop volatile metadata (timings, machine paths) from an executed notebook, keep its parameters."""
    nb = nbformat.read(path, as_version=4)
    pm = nb.metadata.get("papermill", {})
    nb.metadata["papermill"] = {"parameters": pm.get("parameters", {})}
    nb.metadata["kernelspec"] = {"name": KERNEL, "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":  # the kernel splits printed text into chunks at random: join them
            merged = []
            for out in cell.outputs:
                if merged and out.output_type == "stream" and merged[-1].output_type == "stream" \
                        and merged[-1].name == out.name:
                    merged[-1].text += out.text
                else:
                    merged.append(out)
            cell.outputs = merged
    nbformat.write(nb, path)


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


def _code_digest() -> str:
    """Package code, registry and reference tables: what every notebook depends on besides its data."""
    files = sorted((paths.ROOT / "asean_analysis").rglob("*.py")) + [paths.REGISTRY] + sorted(paths.REFERENCE.glob("*"))
    return _digest(__version__.encode(), *(str(f.relative_to(paths.ROOT)).encode() + f.read_bytes() for f in files))


def _input_digests(keys: list[str]) -> dict[str, str]:
    """Current sha256 of each logged input (dataset id, 'article', or reference/<file>)."""
    known = resources()
    out = {}
    for key in keys:
        if key.startswith("reference/"):
            out[key] = hashlib.sha256((paths.REFERENCE / key.removeprefix("reference/")).read_bytes()).hexdigest()
        else:
            out[key] = known[key].sha256 if key in known else "missing"
    return out


def cache_key(notebook: Path, parameters: dict[str, Any]) -> str:
    """Key of a notebook run before its inputs are known; the entry then also pins the inputs' sha256."""
    nb = nbformat.read(notebook, as_version=4)  # sources only: outputs change on every refresh
    source = json.dumps([(c.cell_type, c.source, c.metadata.get("tags", [])) for c in nb.cells]).encode()
    return _digest(source, json.dumps(parameters, sort_keys=True, default=str).encode(), _code_digest().encode())


def execute(notebook: str, parameters: dict[str, Any], folder: str, timeout: int) -> dict[str, Any]:
    """Run one notebook (path) with its outputs in ``folder``; returns {status, error, seconds, inputs}.

    Runs in a worker process (or a Dask worker): the kernel inherits the environment set here.
    """
    folder_path = Path(folder)
    target = folder_path / "notebooks" / Path(notebook).name
    target.parent.mkdir(parents=True, exist_ok=True)
    log = folder_path / "inputs.log"
    os.environ.update(ASEAN_OUTPUT_DIR=str(folder_path), ASEAN_INPUTS_LOG=str(log))
    start = time.perf_counter()
    error = None
    try:
        papermill.execute_notebook(
            notebook, str(target), parameters=parameters, kernel_name=KERNEL,
            cwd=str(paths.NOTEBOOKS), execution_timeout=timeout, progress_bar=False, log_output=False,
        )
    except papermill.PapermillExecutionError as exc:  # the notebook raised: report its own one-line message
        error = f"{exc.ename}: {exc.evalue}"
    except Exception as exc:  # timeouts, dead kernels, unreadable notebooks
        text = str(exc).strip()
        error = f"{type(exc).__name__}: {text.splitlines()[-1] if text else ''}"
    finally:
        for key in ("ASEAN_OUTPUT_DIR", "ASEAN_INPUTS_LOG"):
            os.environ.pop(key, None)
        if target.is_file():
            normalise(target)
    inputs = sorted(set(log.read_text(encoding="utf-8").split())) if log.is_file() else []
    log.unlink(missing_ok=True)
    return {"status": "error" if error else "ok", "error": error, "seconds": round(time.perf_counter() - start, 1),
            "inputs": inputs}


def _cached(notebook: Path, parameters: dict[str, Any], folder: Path) -> dict[str, Any] | None:
    """Copy an earlier identical run of ``notebook`` into ``folder``; None when there is none."""
    entry = paths.cache_dir() / "notebooks" / cache_key(notebook, parameters)
    meta_file = entry / "meta.json"
    if not meta_file.is_file():
        return None
    meta = json.loads(meta_file.read_text(encoding="utf-8"))
    if _input_digests(meta["inputs"]) != meta["digests"]:
        return None
    shutil.copytree(entry / "files", folder, dirs_exist_ok=True)
    return {"status": "ok", "error": None, "seconds": 0.0, "inputs": meta["inputs"], "cached": True}


def _store(notebook: Path, parameters: dict[str, Any], folder: Path, result: dict[str, Any]) -> None:
    entry = paths.cache_dir() / "notebooks" / cache_key(notebook, parameters)
    tmp = entry.with_name(entry.name + ".part")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(folder, tmp / "files")
    meta = {"notebook": notebook.name, "parameters": parameters, "inputs": result["inputs"],
            "digests": _input_digests(result["inputs"])}
    (tmp / "meta.json").write_text(json.dumps(meta, indent=1, sort_keys=True, default=str), encoding="utf-8")
    shutil.rmtree(entry, ignore_errors=True)
    tmp.rename(entry)


def execute_all(tasks: dict[str, tuple[Path, dict[str, Any], Path]], timeout: int, workers: int | None = None,
                executor: Executor | None = None, use_cache: bool = True, echo=print) -> dict[str, dict[str, Any]]:
    """Run tasks {label: (notebook path, parameters, folder)}: cache hits first, the rest in parallel.

    ``executor`` is any ``concurrent.futures.Executor`` (a Dask cluster's included); by default a
    pool of ``workers`` processes (default: the CPU count), each task in its own kernel.
    """
    results: dict[str, dict[str, Any]] = {}
    todo = {}
    for label, (notebook, values, folder) in tasks.items():
        hit = _cached(notebook, values, folder) if use_cache else None
        if hit:
            results[label] = hit
            echo(f"[cached] {label}")
        else:
            todo[label] = (notebook, values, folder)
    if not todo:
        return results
    own = executor is None
    pool = executor or ProcessPoolExecutor(max_workers=min(workers or os.cpu_count() or 1, len(todo)))
    try:
        futures = {pool.submit(execute, str(n), v, str(f), timeout): label for label, (n, v, f) in todo.items()}
        for done, future in enumerate(as_completed(futures), start=1):
            label = futures[future]
            notebook, values, folder = todo[label]
            result = results[label] = future.result()
            state = "ok" if result["status"] == "ok" else f"FAILED: {result['error']}"
            echo(f"[{done}/{len(todo)}] {label} {json.dumps(values, sort_keys=True, default=str)} {result['seconds']:.1f}s {state}")
            if use_cache and result["status"] == "ok":
                _store(notebook, values, folder, result)
    finally:
        if own:
            pool.shutdown()
    return results


def _merge(stage: Path, out: Path, ran: list[str]) -> None:
    """Move the staged files into ``out``; first drop the earlier records of the notebooks that ran."""
    for cid, claim in claims.registry().items():
        if claim.notebook in ran:
            (out / "values" / f"{cid}.json").unlink(missing_ok=True)
    for name in ran:
        for src in sorted(p for p in (stage / name).rglob("*") if p.is_file()):
            dest = out / src.relative_to(stage / name)
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dest)
    status = json.loads((stage / "run.json").read_text(encoding="utf-8"))
    if (out / "run.json").is_file():  # a partial run updates its notebooks' entries, keeps the others
        earlier = json.loads((out / "run.json").read_text(encoding="utf-8"))["notebooks"]
        status["notebooks"] = {**earlier, **status["notebooks"]}
    (stage / "run.json").write_text(json.dumps(status, indent=1, sort_keys=True, default=str) + "\n", encoding="utf-8")
    os.replace(stage / "run.json", out / "run.json")


def _flatten(stage: Path, names: list[str], target: Path) -> None:
    """Gather the per-notebook folders of a failed run into one readable folder."""
    for name in names:
        if (stage / name).is_dir():
            shutil.copytree(stage / name, target, dirs_exist_ok=True)
    shutil.copyfile(stage / "run.json", target / "run.json")


def run(names: list[str] | None = None, cli: list[str] = (), params_file: Path | None = None,
        out: Path = paths.OUTPUTS, timeout: int = TIMEOUT, update_notebooks: bool = False, workers: int | None = None,
        force: bool = False, executor: Executor | None = None, echo=print) -> tuple[bool, Path]:
    """Execute notebooks, write executed copies, records and the ledger; returns (ok, folder holding the run)."""
    names = list(names or available())
    planned = plan(names, list(cli), read_params_file(params_file) if params_file else {})
    if update_notebooks and (any(planned.values()) or set(names) != set(available())):
        raise ParameterError("--update-notebooks refreshes the committed notebooks: use it only for a full run with the article's parameters")
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
    try:
        tasks = {n: (paths.NOTEBOOKS / f"{n}.ipynb", planned[n], stage / n) for n in names}
        results = execute_all(tasks, timeout, workers, executor, not force, echo)
        failures = {n: r["error"] for n, r in results.items() if r["status"] != "ok"}
        status = {"package_version": __version__, "notebooks": {
            n: {"status": results[n]["status"], "parameters": planned[n], "inputs": results[n]["inputs"],
                **({"error": failures[n]} if n in failures else {})} for n in names}}
        (stage / "run.json").write_text(json.dumps(status, indent=1, sort_keys=True, default=str) + "\n", encoding="utf-8")
        if failures:
            failed_dir = out.parent / f"{out.name}-failed-run"
            shutil.rmtree(failed_dir, ignore_errors=True)
            failed_dir.mkdir()
            _flatten(stage, names, failed_dir)
            claims.write_ledger(claims.ledger(failed_dir, set(failures)), failed_dir)
            return False, failed_dir
        out.mkdir(exist_ok=True)
        _merge(stage, out, names)
        claims.write_ledger(claims.ledger(out), out)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    if update_notebooks:
        for name in names:
            shutil.copyfile(out / "notebooks" / f"{name}.ipynb", paths.NOTEBOOKS / f"{name}.ipynb")
    echo(f"[done] {len(names)} notebook(s); ledger: {out / 'claims_ledger.md'}")
    return True, out
