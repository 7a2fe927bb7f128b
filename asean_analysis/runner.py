"""Execute the parameterized notebooks with papermill and build a result folder.

Each notebook runs in its own kernel, several at once (``workers``, default the CPU count), longest
first, into its own staging folder (its run context: papermill injects ``run_dir``). Only when every
notebook succeeded is the complete result folder built aside and switched into place
(:mod:`publish`): an interruption at any moment leaves the old or the new result. A failed run
leaves the earlier result byte-identical and is kept in ``<out>-failed-run/`` for reading.
Unchanged notebooks are served from the verified cache (:mod:`cache`). ``outputs/`` is written only
by :func:`reproduce`; every other run goes to ``--out`` or a new folder under ``runs/``.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from . import __version__, cache, context, params, paths, publish
from .errors import ParameterError, RunError

KERNEL = "python3"
# Where a runner's notebook says its records went (part of the cache key: the executed copy prints it).
PUBLISHED_LABEL = "`outputs/` (the published result of `make reproduce`)"
RUN_LABEL = "the result folder that holds this executed copy (its `run.json` lists the run)"
TIMEOUT = 600
MAX_WORKERS = 64
MAX_TIMEOUT = 24 * 3600

Task = tuple[Path, dict[str, Any], Path]


def available() -> list[str]:
    """Notebook names (without .ipynb), in order."""
    return sorted(p.stem for p in paths.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def declared(name: str) -> dict[str, Any]:
    """The parameters a notebook declares (name -> default literal), read by papermill."""
    return context.declared(name)


def read_params_file(path: Path) -> dict[str, Any]:
    """A YAML mapping of parameter values (bounded, safe; types are checked later)."""
    doc = params.read_yaml(Path(path), "params file")
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
            raise ParameterError(f"-p expects name=value, got {params.shorten(item)}")
        values[key.strip()] = params.parse(key.strip(), text)
    declared_by = {n: declared(n) for n in names}
    for key in values:
        if not any(key in d for d in declared_by.values()):
            raise ParameterError(
                f"unknown parameter {key!r} for notebook(s) {', '.join(names)}; they declare: "
                f"{', '.join(sorted(set().union(*declared_by.values())))}"
            )
    return {n: {k: v for k, v in values.items() if k in declared_by[n]} for n in names}


def check_limits(workers: int | None, timeout: int) -> None:
    if workers is not None and not 1 <= workers <= MAX_WORKERS:
        raise ParameterError(f"--workers {workers} is out of range; give 1..{MAX_WORKERS}")
    if not 1 <= timeout <= MAX_TIMEOUT:
        raise ParameterError(f"--timeout {timeout} is out of range; give a positive number of seconds up to {MAX_TIMEOUT}")


def normalise(path: Path) -> None:
    """Drop volatile metadata (timings, machine paths, the injected run_dir) from an executed notebook."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    pm = nb.metadata.get("papermill", {})
    kept = {k: v for k, v in pm.get("parameters", {}).items() if k != "run_dir"}
    nb.metadata["papermill"] = {"parameters": kept}
    nb.metadata["kernelspec"] = {"name": KERNEL, "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    cells = []
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            lines = [ln for ln in cell.source.splitlines() if not ln.startswith("run_dir = ")]
            if not any(ln.strip() and not ln.startswith("#") for ln in lines):
                continue  # only run_dir was injected: the committed copy shows the notebook's own defaults
            cell.source = "\n".join(lines)
            cell.id = "injected-parameters"  # papermill draws a random id
        if cell.cell_type == "code":  # the kernel splits printed text into chunks at random: join them
            merged: list[Any] = []
            for out in cell.outputs:
                if merged and out.output_type == "stream" and merged[-1].output_type == "stream" \
                        and merged[-1].name == out.name:
                    merged[-1].text += out.text
                else:
                    merged.append(out)
            cell.outputs = merged
        cells.append(cell)
    nb.cells = cells
    nbformat.write(nb, path)


def _kernel_manager():
    """Kernels over IPC sockets in a private temporary folder (no plain-TCP warning, no files in the cwd),
    shut down without the interrupt that makes a kernel print "KeyboardInterrupt caught in kernel"."""
    import tempfile
    import uuid

    from jupyter_client.manager import AsyncKernelManager
    from traitlets import default

    class IpcKernelManager(AsyncKernelManager):
        @default("transport")
        def _default_transport(self):
            return "ipc"

        @default("ip")
        def _default_ip(self):
            return os.path.join(tempfile.gettempdir(), f"asean-kernel-{uuid.uuid4().hex[:12]}")

        async def _async_interrupt_kernel(self):
            if not self.shutting_down:  # a finished kernel is asked to shut down, not interrupted first
                await super()._async_interrupt_kernel()

        def client(self, **kwargs):
            """A client, remembered: nbclient leaves open the clients of a manager it was given."""
            made = super().client(**kwargs)
            self.__dict__.setdefault("made_clients", []).append(made)
            return made

    return IpcKernelManager


def _error_text(exc: Exception, notebook: str, timeout: int) -> str:
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    if isinstance(exc, papermill.PapermillExecutionError):
        return f"{exc.ename}: {params.shorten(exc.evalue, 300)} (cell {exc.exec_count})"
    if isinstance(exc, CellTimeoutError):
        preview = str(exc).split("preview of the cell contents:")[-1].strip().splitlines()
        first = next((ln.strip() for ln in preview if ln.strip() and not ln.startswith("-")), "")
        return (f"a cell of {notebook} ran longer than {timeout} s (it begins {params.shorten(first, 80)}); "
                "raise --timeout or look at that cell")
    if isinstance(exc, DeadKernelError):
        return f"the kernel of {notebook} died (out of memory or killed); run it again"
    text = str(exc).strip()
    return f"{type(exc).__name__}: {params.shorten(text.splitlines()[-1] if text else '', 300)}"


def execute(notebook: str, parameters: dict[str, Any], folder: str, timeout: int,
            settings: dict[str, Any] | None = None, km: Any = None) -> dict[str, Any]:
    """Run one notebook (path) into ``folder``, its run context; returns {status, error, seconds, products}.

    Runs in a worker thread, or on a Dask worker (same paths needed there). By default in a new kernel that
    is shut down after; with ``km`` (as :func:`execute_batch` does), in that manager's kernel (started here
    if it has none), which stays up.
    """
    import papermill

    folder_path = Path(folder)
    folder_path.mkdir(parents=True, exist_ok=True)
    (folder_path / context.CONTEXT_FILE).write_text(json.dumps(settings or {}), encoding="utf-8")
    name = Path(notebook).stem
    target = folder_path / "notebooks" / Path(notebook).name
    target.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    error = None
    try:
        papermill.execute_notebook(
            notebook, str(target), parameters={**parameters, "run_dir": str(folder_path)}, kernel_name=KERNEL,
            execution_timeout=timeout, progress_bar=False, log_output=False,
            **({"km": km} if km is not None else {"kernel_manager_class": _kernel_manager()}),
        )
    except Exception as exc:  # the notebook raised, timed out, or its kernel died: one line for the user
        error = _error_text(exc, name, timeout)
    finally:
        if target.is_file():
            normalise(target)
    products_file = folder_path / "products" / f"{name}.json"
    products = json.loads(products_file.read_text(encoding="utf-8")) if products_file.is_file() else {}
    shutil.rmtree(folder_path / "products", ignore_errors=True)
    (folder_path / context.CONTEXT_FILE).unlink(missing_ok=True)
    if not error and not products.get("inputs"):
        error = f"notebook {name} declared no inputs (it must call context.start and read its data through asean_analysis.load)"
    return {"status": "error" if error else "ok", "error": error, "seconds": round(time.perf_counter() - start, 1),
            "products": products}


# Run silently (no history, no execution count) in a kept kernel between two notebooks: the user namespace,
# output history, open figures and once-only warning registries go; the count restarts at 1. Imported
# modules stay: that is the saving.
RESET = """\
get_ipython().run_line_magic("reset", "-f")
import sys as _sys
if "matplotlib.pyplot" in _sys.modules:
    _sys.modules["matplotlib.pyplot"].close("all")
for _module in list(_sys.modules.values()):
    try:
        _module.__dict__.get("__warningregistry__", {}).clear()
    except Exception:  # a module without a plain namespace
        pass
get_ipython().execution_count = 1
del _sys, _module
"""


def _reset(km: Any) -> None:
    import nbformat
    from nbclient import NotebookClient

    cell = nbformat.v4.new_code_cell(RESET)
    client = NotebookClient(nbformat.v4.new_notebook(cells=[cell]), km=km, kernel_name=KERNEL)
    with client.setup_kernel():
        client.execute_cell(cell, 0, store_history=False)


def _close_clients(km: Any) -> None:
    for made in km.__dict__.pop("made_clients", []):
        with contextlib.suppress(Exception):
            made.stop_channels()


def _shutdown(km: Any) -> None:
    from jupyter_core.utils import run_sync

    _close_clients(km)
    with contextlib.suppress(Exception):  # a kernel that already died
        run_sync(km.shutdown_kernel)(now=True)  # the notebook is done: no graceful wait (about 0.5 s)
    with contextlib.suppress(Exception):
        run_sync(km.cleanup_resources)()


STOP = threading.Event()  # set when a run is interrupted: batches start no further task


def execute_batch(items: list[Task], timeout: int, settings: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Run several tasks one after the other in one kernel, which pays its start and imports once.

    The kernel is started (by nbclient, as for any papermill run) for the first task and shut down after the
    last. Before each later task its namespace, output history, open figures and once-only warning
    registries are reset (``RESET``); imported modules and their caches stay, which is the saving
    (tests/test_fast_reruns.py shows the executed copy, records and figures are byte-identical to a new
    kernel's). A task that fails, or whose reset fails, gets an error result and the kernel is replaced.
    """
    results: list[dict[str, Any]] = []
    km = _kernel_manager()(kernel_name=KERNEL)
    try:
        for notebook, values, folder in items:
            start = time.perf_counter()
            if STOP.is_set():
                results.append({"status": "error", "error": "interrupted before it started", "seconds": 0.0, "products": {}})
                continue
            try:
                if km.has_kernel:
                    _reset(km)
                results.append(execute(str(notebook), values, str(folder), timeout, settings, km=km))
            except Exception as exc:  # the kept kernel died between tasks, or could not be reset
                results.append({"status": "error", "error": _error_text(exc, Path(notebook).stem, timeout),
                                "seconds": 0.0, "products": {}})
            _close_clients(km)
            if results[-1]["status"] != "ok":
                _shutdown(km)
                km = _kernel_manager()(kernel_name=KERNEL)
            results[-1]["seconds"] = round(time.perf_counter() - start, 1)  # the task's share of its kernel's life
    finally:  # after the last task, or interrupted: the kernel goes with the batch
        _shutdown(km)
    return results


def batches(labels: list[str], tasks: dict[str, Task], workers: int) -> list[list[str]]:
    """Tasks grouped by notebook, each group dealt round-robin into at most ``workers`` batches."""
    groups: dict[Path, list[str]] = {}
    for label in labels:
        groups.setdefault(tasks[label][0], []).append(label)
    out = []
    for group in groups.values():
        n = min(workers, len(group))
        out += [group[i::n] for i in range(n)]
    return out


def _timings() -> dict[str, float]:
    try:
        return json.loads((paths.cache_dir() / "timings.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _save_timings(seconds: dict[str, float]) -> None:
    try:
        path = paths.cache_dir() / "timings.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({**_timings(), **seconds}, indent=1, sort_keys=True), encoding="utf-8")
    except OSError:
        pass


def descendants(root: int | None = None) -> list[int]:
    """Process ids below ``root`` (default: this process; kernels, workers), read from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    out, todo = [], [root or os.getpid()]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def stop_children() -> None:
    """End every process this run started (kernels first get SIGTERM, then SIGKILL)."""
    pids = descendants()
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for pid in pids:
            with contextlib.suppress(OSError):
                os.kill(pid, sig)
        if sig == signal.SIGTERM and pids:
            time.sleep(0.5)
            pids = [p for p in pids if Path(f"/proc/{p}").exists()]


def execute_all(tasks: dict[str, Task], timeout: int, workers: int | None = None, executor: Executor | None = None,
                use_cache: bool = True, echo: Callable[[str], Any] = print,
                settings: dict[str, Any] | None = None, batch: bool = False) -> dict[str, dict[str, Any]]:
    """Run tasks {label: (notebook path, parameters, folder)}: verified cache hits first, the rest in parallel.

    ``executor`` is any ``concurrent.futures.Executor`` (a Dask cluster's included); by default a pool of
    ``workers`` threads (default: the CPU count), each driving its own kernel. With ``batch``, the tasks of
    one notebook are dealt into ``workers`` batches, each run in one kept kernel (:func:`execute_batch`).
    """
    run_label = (settings or {}).get("label", "")
    results: dict[str, dict[str, Any]] = {}
    todo = {}
    for label, (notebook, values, folder) in tasks.items():
        hit = cache.lookup(notebook, values, folder, run_label) if use_cache else None
        if hit:
            results[label] = {"status": "ok", "error": None, "seconds": 0.0, "products": hit, "cached": True}
            echo(f"[cached] {label}")
        else:
            todo[label] = (notebook, values, folder)
    if not todo:
        return results
    known = _timings()
    order = sorted(todo, key=lambda label: -known.get(todo[label][0].stem, 0.0))  # longest first
    width = workers or os.cpu_count() or 1
    groups = batches(order, todo, width) if batch else [[label] for label in order]
    own = executor is None
    pool = executor or ThreadPoolExecutor(max_workers=min(width, len(groups)))
    futures = {}
    done = 0
    STOP.clear()
    try:
        futures = {pool.submit(execute_batch, [todo[label] for label in group], timeout, settings): group
                   for group in groups}
        for future in as_completed(futures):
            for label, result in zip(futures[future], future.result(), strict=True):
                done += 1
                notebook, values, folder = todo[label]
                results[label] = result
                state = "ok" if result["status"] == "ok" else f"FAILED: {result['error']}"
                echo(f"[{done}/{len(todo)}] {label} {json.dumps(values, sort_keys=True, default=str)} {result['seconds']:.1f}s {state}")
                if use_cache and result["status"] == "ok":
                    why = cache.store(notebook, values, folder, result["products"], run_label)
                    if why:
                        echo(f"[note] {label}: not cached ({why}); the run stands")
    except BaseException:
        STOP.set()
        for future in futures:
            future.cancel()
        stop_children()
        raise
    finally:
        if own:
            pool.shutdown(wait=False, cancel_futures=True)
    _save_timings({todo[label][0].stem: r["seconds"] for label, r in results.items() if label in todo})
    return results


def _write_json(path: Path, doc: dict) -> None:
    path.write_text(json.dumps(doc, indent=1, sort_keys=True, default=str) + "\n", encoding="utf-8")


def _commit() -> str | None:
    try:
        done = subprocess.run(["git", "describe", "--always", "--dirty", "--abbrev=12"], cwd=paths.ROOT,
                              capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None


def _status(names: list[str], planned: dict, results: dict, published: bool) -> dict[str, Any]:
    doc: dict[str, Any] = {"package_version": __version__, "source_digest": cache._code_digest()[:16],
           "published": published, "notebooks": {}}
    if not published:  # a published result is the commit that holds it
        doc["commit"] = _commit()
    for n in names:
        r = results[n]
        doc["notebooks"][n] = {"status": r["status"], "parameters": planned[n], "products": r["products"],
                               **({"error": r["error"]} if r["error"] else {})}
    return doc


def _products_of(entry: dict[str, Any]) -> list[str]:
    """Files (relative to a result folder) that a notebook's run.json entry says it produced."""
    products = entry.get("products") or {}
    files = [f"values/{c}.json" for c in products.get("claims", [])]
    files += [f"figures/{f}.{ext}" for f in products.get("figures", []) for ext in ("png", "svg", "csv", "json")]
    return [*files, f"notebooks/{products['notebook']}.ipynb"] if products.get("notebook") else files


def _build(stage: Path, names: list[str], out: Path, status: dict[str, Any], new: Path) -> None:
    """The complete new result folder: the earlier result (other notebooks) plus this run's products."""
    from . import claims

    shutil.rmtree(new, ignore_errors=True)
    earlier = {}
    if (out / "run.json").is_file() and set(names) != set(available()):
        try:
            earlier = json.loads((out / "run.json").read_text(encoding="utf-8")).get("notebooks", {})
        except (ValueError, AttributeError) as exc:
            raise RunError(f"the earlier result's {out / 'run.json'} is damaged ({str(exc)[:80]}); "
                           "give a new --out or delete that folder") from None
        shutil.copytree(out, new, ignore=shutil.ignore_patterns("report"))
        for name in names:
            for rel in _products_of(earlier.get(name, {})):
                (new / rel).unlink(missing_ok=True)
    new.mkdir(exist_ok=True)
    for name in names:
        shutil.copytree(stage / name, new, dirs_exist_ok=True)
    merged = {**status, "notebooks": {**{k: v for k, v in earlier.items() if k not in names}, **status["notebooks"]}}
    _write_json(new / "run.json", merged)
    try:
        table = claims.ledger(new)
    except (ValueError, KeyError, TypeError) as exc:  # a damaged record kept from the earlier result
        raise RunError(f"a record of the earlier result in {out} is damaged ({type(exc).__name__}: {str(exc)[:80]}); "
                       "give a new --out or run every notebook into it") from None
    claims.write_ledger(table, new)


def _keep_failed(stage: Path, names: list[str], status: dict[str, Any], failed_dir: Path, failures: set[str]) -> None:
    from . import claims

    shutil.rmtree(failed_dir, ignore_errors=True)
    failed_dir.mkdir(parents=True)
    for name in names:
        if (stage / name).is_dir():
            shutil.copytree(stage / name, failed_dir, dirs_exist_ok=True)
    _write_json(failed_dir / "run.json", status)
    claims.write_ledger(claims.ledger(failed_dir, failures), failed_dir)


def run(names: list[str] | None = None, cli: Sequence[str] = (), params_file: Path | None = None,
        out: Path | None = None, timeout: int = TIMEOUT, workers: int | None = None, force: bool = False,
        executor: Executor | None = None, echo: Callable[[str], Any] = print, *, published: bool = False,
        finish: Callable[[Path], None] | None = None) -> tuple[bool, Path]:
    """Execute notebooks and switch their complete result folder into place; returns (ok, folder).

    ``out`` defaults to a new folder under ``runs/``; ``outputs/`` only with ``published=True`` (see
    :func:`reproduce`). ``finish`` may add files (the report) to the new folder before the switch.
    """
    check_limits(workers, timeout)
    names = list(names or available())
    planned = plan(names, list(cli), read_params_file(params_file) if params_file else {})
    if published and (any(planned.values()) or set(names) != set(available())):
        raise ParameterError("publishing outputs/ is for a full run with the article's parameters; "
                             "give --out for another run")
    out = publish.check_target(out or (paths.OUTPUTS if published else context.new_folder("run")), publish=published)
    label = PUBLISHED_LABEL if published else RUN_LABEL
    with publish.lock(out):
        stage = publish.sibling(out, "staging")
        stage.mkdir(parents=True)
        try:
            tasks = {n: (paths.NOTEBOOKS / f"{n}.ipynb", planned[n], stage / n) for n in names}
            settings = {"label": label, "parsed_cache": not force}
            results = execute_all(tasks, timeout, workers, executor, not force, echo, settings)
            status = _status(names, planned, results, published)
            failures = {n for n, r in results.items() if r["status"] != "ok"}
            if failures:
                failed_dir = out.parent / f"{out.name}-failed-run"
                _keep_failed(stage, names, status, failed_dir, failures)
                return False, failed_dir
            new = publish.sibling(out, "new")
            _build(stage, names, out, status, new)
            if finish:
                finish(new)
            publish.switch(new, out)
            shutil.rmtree(out.parent / f"{out.name}-failed-run", ignore_errors=True)
        finally:
            shutil.rmtree(stage, ignore_errors=True)
            shutil.rmtree(publish.sibling(out, "new"), ignore_errors=True)
    echo(f"[done] {len(names)} notebook(s); ledger: {out / 'claims_ledger.md'}")
    return True, out


def _groups(sets: dict[str, dict[str, Any]]) -> list[tuple[list[str], dict[str, Any]]]:
    """Notebooks whose parameter sets do not conflict, run together (one run each group)."""
    groups: list[tuple[list[str], dict[str, Any]]] = []
    for notebook, values in sorted(sets.items()):
        for names, merged in groups:
            if all(merged.get(k, v) == v for k, v in values.items()):
                names.append(notebook)
                merged.update(values)
                break
        else:
            groups.append(([notebook], dict(values)))
    return groups


def compare_vintages(out: Path, timeout: int = TIMEOUT, workers: int | None = None, force: bool = False,
                     echo: Callable[[str], Any] = print) -> Path:
    """Run the vintage-sensitive notebooks on the data of the article's date and on the latest data (under
    runs/vintages/), and write the then-and-now table into the result folder ``out``."""
    from . import vintages

    sets, _ = vintages.parameter_sets()
    base = paths.runs_dir() / "vintages"
    for when in ("then", "now"):
        folder = base / when
        shutil.rmtree(folder, ignore_errors=True)
        for names, values in _groups(sets[when]):
            ok, where = run(names, [f"{k}={v}" for k, v in values.items()], out=folder, timeout=timeout,
                            workers=workers, force=force, echo=echo)
            if not ok:
                raise RunError(f"the {when} run of the vintage comparison failed; see {where}")
    return vintages.write(base / "then", base / "now", out)


def reproduce(timeout: int = TIMEOUT, workers: int | None = None, force: bool = False,
              echo: Callable[[str], Any] = print) -> Path:
    """The publish step: every notebook with the article's parameters, the then-and-now comparison, the
    results data package and the report, built aside and switched into ``outputs/``; then the committed
    notebooks and the README's tables."""
    from . import readme, report, results_package

    def finish(new: Path) -> None:
        compare_vintages(new, timeout, workers, force, echo)
        results_package.write(new)
        report.build(new)

    ok, folder = run(timeout=timeout, workers=workers, force=force, echo=echo, published=True, finish=finish)
    if not ok:
        raise RunError(f"the reproduction failed; outputs/ is unchanged; the failed run is kept in {folder}")
    for nb in sorted((folder / "notebooks").glob("*.ipynb")):  # the committed notebooks show the published run
        tmp = paths.NOTEBOOKS / f".{nb.name}.part"
        shutil.copyfile(nb, tmp)
        tmp.replace(paths.NOTEBOOKS / nb.name)
    readme.update()
    return folder
