"""Fill the git-ignored ``data/raw/`` from the local mirror, or by a hash-checked HTTPS download."""

import hashlib
import shutil
from pathlib import Path

from . import paths
from .errors import DataError
from .manifest import Resource, resource, resources


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check(res: Resource, path: Path, origin: str) -> None:
    actual = sha256(path)
    if actual == res.sha256:
        return
    fix = ("restore the mirror (`sha256sum -c SHA256SUMS` there) or point ASEAN_DATA_MIRROR at a good copy"
           if origin == "mirror" else "delete it and run `python -m asean_analysis fetch`")
    raise DataError(
        f"dataset {res.name!r}: sha256 mismatch for {path} (in the {origin}): expected {res.sha256}, got {actual}; "
        f"the file changed or is corrupt: {fix}, or, for a deliberate data update, change its entry in data/datapackage.json"
    )


def _download(res: Resource, target: Path) -> None:
    import pooch

    if not res.url or not res.url.startswith("https://"):
        raise DataError(
            f"dataset {res.name!r} is not in the mirror ({paths.mirror_dir() / res.mirror_path}) and has no public "
            "HTTPS URL that yields the same bytes; set ASEAN_DATA_MIRROR to a folder holding "
            f"{res.mirror_path}"
        )
    try:
        pooch.retrieve(res.url, known_hash=f"sha256:{res.sha256}", fname=target.name, path=target.parent, progressbar=False)
    except Exception as exc:  # network errors come in many types; all end the same way
        raise DataError(
            f"dataset {res.name!r} is not in the mirror ({paths.mirror_dir() / res.mirror_path}) and its download "
            f"from {res.url} failed ({type(exc).__name__}: {exc}); set ASEAN_DATA_MIRROR to a folder holding "
            f"{res.mirror_path}, or connect to the internet"
        ) from exc


def fetch_one(name: str) -> Path:
    """Make ``data/raw/<path>`` hold the pinned bytes of dataset ``name`` and return its path."""
    res = resource(name)
    target = res.local()
    if target.is_file():
        _check(res, target, "data directory")
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    source = paths.mirror_dir() / res.mirror_path
    if source.is_file():
        _check(res, source, "mirror")
        tmp = target.with_suffix(target.suffix + ".part")
        shutil.copyfile(source, tmp)
        tmp.replace(target)
    else:
        _download(res, target)
    return target


def fetch(names: list[str] | None = None) -> list[Path]:
    """Fetch the named datasets (default: all of the manifest)."""
    return [fetch_one(n) for n in (names or sorted(resources()))]
