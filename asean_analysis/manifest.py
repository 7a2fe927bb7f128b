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


def _resource(d: dict) -> Resource:
    algo, _, digest = d["hash"].partition(":")
    if algo != "sha256" or len(digest) != 64:
        raise DataError(f"manifest entry {d['name']!r} has hash {d['hash']!r}; write it as sha256:<64 hex digits>")
    source = d["sources"][0]
    return Resource(
        name=d["name"], path=d["path"], mirror_path=d["mirror_path"], sha256=digest, bytes=d["bytes"],
        encoding=d.get("encoding", "utf-8"), fields=tuple(f["name"] for f in d["schema"]["fields"]),
        title=d["title"], publisher=source["title"], homepage=source["path"],
        license=d["licenses"][0]["name"], vintage=d["vintage"], kind=d["kind"], url=d.get("url"),
    )


@cache
def _load(path: Path) -> dict[str, Resource]:
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DataError(f"cannot read the data manifest {path}: {exc}; restore it from git") from exc
    return {d["name"]: _resource(d) for d in descriptor["resources"]}


def resources() -> dict[str, Resource]:
    """All pinned inputs by dataset id."""
    return _load(paths.manifest())


def resource(name: str) -> Resource:
    """One pinned input; a clear error lists the known ids when ``name`` is unknown."""
    known = resources()
    if name not in known:
        raise DataError(f"unknown dataset {name!r}; known datasets: {', '.join(sorted(known))}")
    return known[name]
