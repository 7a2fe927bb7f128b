"""The rerun cache: a memo of notebook runs, never a source of truth.

One entry per (notebook, parameters), holding only that notebook's products. The key covers the
notebook's sources, the parameters, the package code and version, the registry and reference
tables, and the versions of Python and the numerical libraries; the entry pins the sha256 of every
input the run read (datasets, reference tables, the article, opt-in files such as BACI). An entry is
served only if every input still has its recorded hash and every stored file still verifies;
anything else drops the entry and the notebook runs again. Failing to write the cache (a full disk)
never fails a run.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import threading
from pathlib import Path
from typing import Any

from . import __version__, context, paths
from .fetch import sha256
from .manifest import resources


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(hashlib.sha256(part).digest())
    return h.hexdigest()


def _versions() -> bytes:
    import matplotlib
    import numpy
    import pandas

    return (f"python {platform.python_version()} pandas {pandas.__version__} numpy {numpy.__version__} "
            f"matplotlib {matplotlib.__version__} package {__version__}").encode()


def _code_digest() -> str:
    """Package code and templates, the registry and the reference tables."""
    package = paths.ROOT / "asean_analysis"
    files = sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    files += [paths.REGISTRY, *sorted(paths.REFERENCE.glob("*"))]
    return _digest(_versions(), *(str(f.relative_to(paths.ROOT)).encode() + f.read_bytes() for f in files))


def _effective(notebook: Path, parameters: dict[str, Any]) -> dict[str, Any]:
    """The values a run uses: the parameters cell's defaults overridden by the given ones (so that
    passing a default explicitly and leaving it out share one entry)."""
    import ast

    defaults: dict[str, Any] = {}
    for name, text in context.declared_in(notebook).items():
        try:
            defaults[name] = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            defaults[name] = text
    return {**defaults, **parameters}


def key(notebook: Path, parameters: dict[str, Any], label: str = "") -> str:
    """Cache key of a notebook run before its inputs are known (the entry then pins the inputs). ``label`` is
    where the run says its records went, which its executed notebook prints: runs into different result
    folders never share an executed notebook."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]  # sources only: outputs change on every refresh
    source = json.dumps([(c["cell_type"], context.cell_text(c["source"]), c.get("metadata", {}).get("tags", []))
                         for c in cells]).encode()
    values = json.dumps(_effective(notebook, parameters), sort_keys=True, default=str).encode()
    return _digest(source, values, _code_digest().encode(), label.encode())


def current_digest(input_key: str) -> str | None:
    """The sha256 an input has now (None when it is gone): datasets by manifest, files by their bytes."""
    if input_key.startswith("reference/"):
        path = paths.REFERENCE / input_key.removeprefix("reference/")
        return sha256(path) if path.is_file() else None
    if input_key.startswith("file:"):
        path = Path(input_key.removeprefix("file:"))
        return sha256(path) if path.is_file() else None
    known = resources()
    return known[input_key].sha256 if input_key in known else None


def _files(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def _entry(notebook: Path, parameters: dict[str, Any], label: str) -> Path:
    return paths.cache_dir() / "notebooks" / key(notebook, parameters, label)


def lookup(notebook: Path, parameters: dict[str, Any], folder: Path, label: str = "") -> dict[str, Any] | None:
    """Copy a verified earlier run of ``notebook`` into ``folder`` and return its products; else None."""
    entry = _entry(notebook, parameters, label)
    try:
        meta = json.loads((entry / "meta.json").read_text(encoding="utf-8"))
        inputs = meta["products"]["inputs"]
        fresh = bool(inputs) and all(current_digest(k) == v for k, v in inputs.items())
        if not fresh or _files(entry / "files") != meta["files"]:
            raise ValueError("stale or damaged")
    except (OSError, ValueError, KeyError, TypeError):
        shutil.rmtree(entry, ignore_errors=True)
        return None
    shutil.copytree(entry / "files", folder, dirs_exist_ok=True)
    return meta["products"]


def store(notebook: Path, parameters: dict[str, Any], folder: Path, products: dict[str, Any],
          label: str = "") -> str | None:
    """Keep a successful run; returns None, or why it could not be kept (the run stands either way)."""
    entry = _entry(notebook, parameters, label)
    if (entry / "meta.json").is_file():  # a concurrent run of the same notebook and parameters stored it first
        return None
    tmp = entry.with_name(f"{entry.name}.{os.getpid()}-{threading.get_ident()}.part")  # concurrent writers never share one
    try:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.copytree(folder, tmp / "files")
        meta = {"notebook": notebook.name, "parameters": parameters, "products": products, "files": _files(tmp / "files")}
        (tmp / "meta.json").write_text(json.dumps(meta, indent=1, sort_keys=True, default=str), encoding="utf-8")
        tmp.rename(entry)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if (entry / "meta.json").is_file():  # a concurrent run of the same notebook and parameters stored it first
            return None
        return f"{exc.strerror or exc}"
    return None
