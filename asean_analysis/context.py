"""The run context: where one notebook run writes its records and figures, and what it read.

A notebook starts its run in the cell after its parameters cell::

    RUN = context.start("01_gdp_rank", globals())

which validates the parameters the notebook declares (read from its own parameters cell, checked
against the catalogue :mod:`params`), and opens the run folder:

- ``run_dir`` set (the runner injects it): the folder the runner staged for this notebook. The
  runner also leaves a ``context.json`` there that says where the result will be published and
  whether the parsed-data cache may be used.
- ``run_dir`` empty (plain papermill, nbconvert, JupyterLab, nbval): a new folder under the
  git-ignored ``runs/``. Exploration never writes ``outputs/``.

Records (:mod:`claims`), figures (:mod:`figures`) and loads (:mod:`load`) take the active run from
here. The run declares its products in ``<run folder>/products/<notebook>.json`` (claims recorded,
figures saved, inputs read with their sha256, parameters), which the runner copies into
``run.json``. Nothing here reads or writes environment variables.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import paths
from .errors import ParameterError
from .fetch import sha256 as file_sha256

CONTEXT_FILE = "context.json"


@dataclass
class Run:
    """One notebook run: its folder, parameters, and the products it declares as it goes."""

    notebook: str
    folder: Path
    parameters: dict[str, Any]
    label: str
    parsed_cache: bool = True
    inputs: dict[str, str] = field(default_factory=dict)
    claims: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)

    def note_input(self, key: str, sha256: str) -> None:
        if self.inputs.get(key) != sha256:
            self.inputs[key] = sha256
            self._declare()

    def note_claim(self, claim_id: str) -> None:
        if claim_id not in self.claims:
            self.claims.append(claim_id)
            self._declare()

    def note_figure(self, name: str) -> None:
        if name not in self.figures:
            self.figures.append(name)
            self._declare()

    def products(self) -> dict[str, Any]:
        return {"notebook": self.notebook, "parameters": self.parameters, "claims": sorted(self.claims),
                "figures": sorted(self.figures), "inputs": dict(sorted(self.inputs.items()))}

    def _declare(self) -> None:
        target = self.folder / "products" / f"{self.notebook}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".json.part")
        tmp.write_text(json.dumps(self.products(), indent=1, sort_keys=True, default=str) + "\n", encoding="utf-8")
        tmp.replace(target)

    def describe(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self.parameters.items())
        return f"Parameters: {shown or 'none'}.\nRecords and figures of this run: {self.label}."

    def __repr__(self) -> str:
        return f"Run({self.notebook!r}, records and figures: {self.label})"


_ACTIVE: Run | None = None


def declared(notebook: str) -> dict[str, str]:
    """Parameters a notebook declares in its ``parameters`` cell (name -> default as source text, as papermill
    reports it), run_dir excluded."""
    path = paths.NOTEBOOKS / f"{notebook}.ipynb"
    if not path.is_file():
        raise ParameterError(f"unknown notebook {notebook!r}; the notebooks are in {paths.NOTEBOOKS}")
    return declared_in(path)


def declared_in(path: Path) -> dict[str, str]:
    """:func:`declared` of the notebook file ``path``. Read with the json and ast modules: a kernel pays no
    papermill or nbformat import for it."""
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        source = next(cell_text(c["source"]) for c in cells if "parameters" in c.get("metadata", {}).get("tags", []))
        tree = ast.parse(source)
    except (OSError, ValueError, KeyError, TypeError, StopIteration, SyntaxError) as exc:
        raise ParameterError(f"notebook {path} has no readable parameters cell ({type(exc).__name__}: {str(exc)[:80]}); "
                             "restore it with `git checkout -- notebooks`") from None
    found = {}
    for node in tree.body:
        target = node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 else getattr(node, "target", None)
        if isinstance(node, ast.Assign | ast.AnnAssign) and isinstance(target, ast.Name) and node.value is not None:
            found[target.id] = ast.get_source_segment(source, node.value) or ""
    return {k: v for k, v in found.items() if k != "run_dir"}


def cell_text(source: str | list[str]) -> str:
    """A cell's source as one string (a notebook file may store it as a list of lines)."""
    return source if isinstance(source, str) else "".join(source)


def _display(folder: Path) -> str:
    try:
        return f"`{folder.relative_to(paths.ROOT)}/`"
    except ValueError:
        return f"`{folder}/`"


def new_folder(prefix: str) -> Path:
    """A new, empty folder ``runs/<prefix>-<UTC time>`` (numbered if that name is taken)."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    base = paths.runs_dir() / f"{prefix}-{stamp}"
    folder, n = base, 1
    while True:
        try:
            folder.mkdir(parents=True)
            return folder
        except FileExistsError:
            n += 1
            folder = base.with_name(f"{base.name}-{n}")


def start(notebook: str, namespace: dict[str, Any]) -> Run:
    """Validate the notebook's parameters from ``namespace`` and open its run (see the module doc)."""
    global _ACTIVE
    from . import params

    names = declared(notebook)
    values = params.validate(**{k: namespace[k] for k in names if k in namespace})
    missing = sorted(set(names) - set(values))
    if missing:
        raise ParameterError(f"notebook {notebook}: parameters {', '.join(missing)} are not defined; run the parameters cell first")
    run_dir = str(namespace.get("run_dir") or "")
    if run_dir:
        folder = Path(run_dir)
        folder = (folder if folder.is_absolute() else paths.ROOT / folder).resolve()
        folder.mkdir(parents=True, exist_ok=True)
        settings = json.loads((folder / CONTEXT_FILE).read_text(encoding="utf-8")) if (folder / CONTEXT_FILE).is_file() else {}
        label = settings.get("label") or _display(folder)
        parsed_cache = bool(settings.get("parsed_cache", True))
    else:
        folder = new_folder(notebook)
        label = f"{_display(folder)} (an exploratory run; the published results in `outputs/` are written only by `make reproduce`)"
        parsed_cache = True
    _ACTIVE = Run(notebook, folder, values, label, parsed_cache)
    _ACTIVE._declare()
    print(_ACTIVE.describe())
    return _ACTIVE


def current() -> Run:
    """The active run; code outside a notebook run (a console, a script) gets an exploratory one."""
    global _ACTIVE
    if _ACTIVE is None:
        folder = new_folder("session")
        _ACTIVE = Run("session", folder, {}, _display(folder))
    return _ACTIVE


def active() -> Run | None:
    """The active run, or None (loads outside a run note nothing)."""
    return _ACTIVE


def use(run: Run | None) -> Run | None:
    """Make ``run`` the active one (tests and library callers); returns the previous one."""
    global _ACTIVE
    previous, _ACTIVE = _ACTIVE, run
    return previous


def note_file(path: Path) -> None:
    """Record an input read from outside the manifest (e.g. a BACI year file) with its sha256."""
    if _ACTIVE is not None:
        _ACTIVE.note_input(f"file:{os.path.abspath(path)}", file_sha256(Path(path)))
