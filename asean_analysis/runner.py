"""Execute the parameterized notebooks with papermill and build the claims ledger.

A run is staged in a temporary folder beside the output folder and merged into it only when every
notebook succeeded, so a failed run leaves earlier outputs untouched (the failed run is kept in
``<out>-failed-run/`` for reading, with its ledger marking the failed notebooks' claims ``error``).
"""

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import nbformat
import papermill
import yaml

from . import __version__, claims, params, paths
from .errors import ParameterError

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
    nbformat.write(nb, path)


def execute(name: str, parameters: dict[str, Any], stage: Path, timeout: int) -> str | None:
    """Run one notebook into ``stage``; returns None on success, else the error's last line."""
    target = stage / "notebooks" / f"{name}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    previous = os.environ.get("ASEAN_OUTPUT_DIR")
    os.environ["ASEAN_OUTPUT_DIR"] = str(stage)
    try:
        papermill.execute_notebook(
            str(paths.NOTEBOOKS / f"{name}.ipynb"), str(target), parameters=parameters, kernel_name=KERNEL,
            cwd=str(paths.NOTEBOOKS), execution_timeout=timeout, progress_bar=False, log_output=False,
        )
        return None
    except Exception as exc:  # papermill raises PapermillExecutionError, timeouts, kernel deaths
        return f"{type(exc).__name__}: {str(exc).strip().splitlines()[-1] if str(exc).strip() else ''}"
    finally:
        if target.is_file():
            normalise(target)
        if previous is None:
            os.environ.pop("ASEAN_OUTPUT_DIR", None)
        else:
            os.environ["ASEAN_OUTPUT_DIR"] = previous


def _merge(stage: Path, out: Path, ran: list[str]) -> None:
    """Move the staged files into ``out``; first drop the earlier records of the notebooks that ran."""
    registry = claims.registry()
    for cid, claim in registry.items():
        if claim.notebook in ran:
            (out / "values" / f"{cid}.json").unlink(missing_ok=True)
    for src in sorted(p for p in stage.rglob("*") if p.is_file()):
        dest = out / src.relative_to(stage)
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.replace(src, dest)
    shutil.rmtree(stage)


def run(names: list[str] | None = None, cli: list[str] = (), params_file: Path | None = None,
        out: Path = paths.OUTPUTS, timeout: int = TIMEOUT, update_notebooks: bool = False,
        echo=print) -> tuple[bool, Path]:
    """Execute notebooks, write executed copies, records and the ledger; returns (ok, folder holding the run)."""
    names = list(names or available())
    planned = plan(names, list(cli), read_params_file(params_file) if params_file else {})
    if update_notebooks and (any(planned.values()) or set(names) != set(available())):
        raise ParameterError("--update-notebooks refreshes the committed notebooks: use it only for a full run with the article's parameters")
    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
    failures: dict[str, str] = {}
    for name in names:
        echo(f"[run] {name} {json.dumps(planned[name], sort_keys=True)}")
        error = execute(name, planned[name], stage, timeout)
        if error:
            failures[name] = error
            echo(f"[fail] {name}: {error}")
    status = {"package_version": __version__, "notebooks": {
        n: {"status": "error" if n in failures else "ok", "parameters": planned[n], **({"error": failures[n]} if n in failures else {})}
        for n in names}}
    (stage / "run.json").write_text(json.dumps(status, indent=1, sort_keys=True, default=str) + "\n", encoding="utf-8")
    if failures:
        failed_dir = out.parent / f"{out.name}-failed-run"
        shutil.rmtree(failed_dir, ignore_errors=True)
        stage.rename(failed_dir)
        claims.write_ledger(claims.ledger(failed_dir, set(failures)), failed_dir)
        echo(f"[fail] {len(failures)} notebook(s) failed; {out} is unchanged; the failed run is in {failed_dir}")
        return False, failed_dir
    _merge(stage, out, names)
    claims.write_ledger(claims.ledger(out), out)
    if update_notebooks:
        for name in names:
            shutil.copyfile(out / "notebooks" / f"{name}.ipynb", paths.NOTEBOOKS / f"{name}.ipynb")
    echo(f"[done] {len(names)} notebook(s); ledger: {out / 'claims_ledger.md'}")
    return True, out

