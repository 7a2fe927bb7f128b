"""Result folders: which folders a run may write, one run per folder (a lock), and the atomic switch.

A run builds its complete result folder aside (``.<name>.new`` beside it) and switches it into place
in one step: on Linux ``renameat2(RENAME_EXCHANGE)`` swaps the two directories atomically; elsewhere
two renames, with the previous folder restored on the next start if an interruption fell between
them. Either way a reader finds the old or the new result, never a mix.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
from contextlib import contextmanager
from pathlib import Path

from . import paths
from .errors import RunError

SOURCE_FOLDERS = ("asean_analysis", "notebooks", "data", "tests", "benchmarks", ".ci", ".git", ".github")


def sibling(out: Path, suffix: str) -> Path:
    """A hidden working folder beside ``out``: staging, the new result, the lock (all git-ignored)."""
    return out.parent / f".{out.name}.{suffix}"


def check_target(out: Path, *, publish: bool = False) -> Path:
    """Refuse folders a run must not write: the repository and its sources, ``/``, files, foreign folders."""
    out = Path(out).expanduser().resolve()
    root = paths.ROOT
    if out == paths.OUTPUTS and not publish:
        raise RunError(f"{out} holds the published results, written only by `make reproduce`; "
                       "give another --out (or none: a new folder under runs/)")
    if publish and out != paths.OUTPUTS:
        raise RunError(f"publishing writes {paths.OUTPUTS} only (got {out})")
    if out == Path(out.anchor) or out == Path.home() or out in root.parents or out == root:
        raise RunError(f"--out {out} is the repository, a parent of it, your home or the filesystem root; "
                       "give a new folder or an earlier result folder")
    for name in SOURCE_FOLDERS:
        if out == root / name or (root / name) in out.parents:
            raise RunError(f"--out {out} lies in the repository's {name}/ folder; give a folder outside the sources")
    if paths.OUTPUTS in out.parents:
        raise RunError(f"--out {out} lies inside the published outputs/; give a folder elsewhere (e.g. under runs/)")
    if out.exists() and not out.is_dir():
        raise RunError(f"--out {out} is an existing file; give a new folder or an earlier result folder")
    if out.is_dir() and any(out.iterdir()) and not (out / "run.json").is_file():
        raise RunError(f"--out {out} is a non-empty folder that holds no earlier result (no run.json); "
                       "give a new folder or an earlier result folder")
    return out


@contextmanager
def lock(out: Path):
    """Hold the folder's lock for a run; a second run into the same folder is refused at once."""
    out.parent.mkdir(parents=True, exist_ok=True)
    path = sibling(out, "lock")
    handle = path.open("a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        holder = handle.read().strip() or "another process"
        handle.close()
        raise RunError(f"another run (pid {holder}) is writing {out}; wait for it to finish or give another --out") from None
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    try:
        recover(out)
        yield
    finally:
        path.unlink(missing_ok=True)
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


def recover(out: Path) -> None:
    """Finish or undo a switch that an interruption cut short, and drop leftover working folders."""
    new, old = sibling(out, "new"), sibling(out, "old")
    if old.is_dir() and not out.exists():
        old.rename(out)  # the interruption fell between the two renames: keep the old result
    for leftover in (new, old, sibling(out, "staging")):
        shutil.rmtree(leftover, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories atomically (Linux renameat2); False where the system cannot."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    if not hasattr(libc, "renameat2"):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if libc.renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), str(a))


def switch(new: Path, out: Path) -> None:
    """Put the complete folder ``new`` in the place of ``out`` in one step, then drop the old one."""
    if not out.exists():
        new.rename(out)
        return
    if _exchange(new, out):
        shutil.rmtree(new, ignore_errors=True)  # ``new`` now holds the old result
        return
    old = sibling(out, "old")
    out.rename(old)
    new.rename(out)
    shutil.rmtree(old, ignore_errors=True)
