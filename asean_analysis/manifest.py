"""The data manifest ``data/datapackage.json``: dataset id -> file, sha256, URLs, licence, schema."""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import paths
from .errors import DataError


@dataclass(frozen=True)
class Resource:
    """One pinned input file."""

    name: str
    path: str  # inside the data directory, e.g. raw/macro/x.csv
    mirror_path: str  # inside the mirror, e.g. macro/x.csv
    sha256: str
    bytes: int
    encoding: str
    fields: tuple[str, ...]
    types: tuple[str, ...]  # the frictionless type of each field, checked when the file is parsed
    title: str
    publisher: str
    homepage: str
    license: str
    vintage: str
    kind: str
    url: str | None = None

    def local(self) -> Path:
        """Where the file lives once fetched."""
        return paths.data_dir() / self.path


HEX = set("0123456789abcdef")


def _inside(relative: str, where: str, name: str, up: int = 0) -> str:
    """A manifest path must stay inside its folder: relative, no '..' (``up`` leading ones allowed)."""
    parts = Path(relative).parts
    lead = 0
    while lead < min(up, len(parts)) and parts[lead] == "..":
        lead += 1
    if not parts[lead:] or Path(relative).is_absolute() or ".." in parts[lead:]:
        raise DataError(f"manifest entry {name!r} has {where} {relative!r}, which leaves its folder; "
                        "give a relative path without '..'")
    return relative


def _resource(d: dict) -> Resource:
    name = d.get("name") if isinstance(d, dict) else None
    if not isinstance(name, str) or not name:
        raise DataError("a manifest entry has no name; every resource needs a unique name")
    missing = [k for k in ("path", "mirror_path", "hash", "bytes", "schema", "sources", "licenses", "title", "vintage", "kind")
               if k not in d]
    if missing:
        raise DataError(f"manifest entry {name!r} lacks {', '.join(missing)}; restore data/datapackage.json from git")
    algo, _, digest = str(d["hash"]).partition(":")
    if algo != "sha256" or len(digest) != 64 or not set(digest) <= HEX:
        raise DataError(f"manifest entry {name!r} has hash {str(d['hash'])[:80]!r}; write it as sha256:<64 lowercase hex digits>")
    if not _inside(d["path"], "path", name).startswith("raw/"):
        raise DataError(f"manifest entry {name!r} has path {d['path']!r}; inputs live under raw/ in the data folder")
    _inside(d["mirror_path"], "mirror_path", name, up=1)  # the mirror's sibling folders (seed/) are allowed
    source = d["sources"][0]
    return Resource(
        name=d["name"], path=d["path"], mirror_path=d["mirror_path"], sha256=digest, bytes=d["bytes"],
        encoding=d.get("encoding", "utf-8"), fields=tuple(f["name"] for f in d["schema"]["fields"]),
        types=tuple(f.get("type", "any") for f in d["schema"]["fields"]),
        title=d["title"], publisher=source["title"], homepage=source["path"],
        license=d["licenses"][0]["name"], vintage=d["vintage"], kind=d["kind"], url=d.get("url"),
    )


@cache
def _load(path: Path) -> dict[str, Resource]:
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise DataError(f"cannot read the data manifest {path}: {str(exc)[:200]}; restore it from git") from exc
    entries = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(entries, list):
        raise DataError(f"the data manifest {path} has no list of resources; restore it from git")
    out: dict[str, Resource] = {}
    for entry in entries:
        res = _resource(entry)
        if res.name in out:
            raise DataError(f"the data manifest {path} names dataset {res.name!r} twice; keep one entry")
        out[res.name] = res
    return out


def resources() -> dict[str, Resource]:
    """All pinned inputs by dataset id."""
    return _load(paths.manifest())


def resource(name: str) -> Resource:
    """One pinned input; a clear error lists the known ids when ``name`` is unknown."""
    known = resources()
    if name not in known:
        raise DataError(f"unknown dataset {name!r}; known datasets: {', '.join(sorted(known))}")
    return known[name]
