"""Interruptions: a signal stops every kernel and keeps the earlier result; a run killed at any moment leaves
the folder as the old or the new result, never a mix."""

import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from asean_analysis import runner


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _runner_script(out: Path, params: list[str], force: bool) -> list[str]:
    code = ("import sys; from asean_analysis.__main__ import main; "
            f"sys.exit(main(['run', '--notebook', '01_gdp_rank', '--out', {str(out)!r}, "
            + "".join(f"'-p', {p!r}, " for p in params) + ("'--force'" if force else "") + "]))")
    return [sys.executable, "-c", code]


def _wait_for_kernel(proc, limit=60.0) -> list[int]:
    start = time.perf_counter()
    while time.perf_counter() - start < limit and proc.poll() is None:
        kids = runner.descendants(proc.pid)
        if any("ipykernel" in _cmdline(pid) for pid in kids):
            return kids
        time.sleep(0.2)
    raise AssertionError("no kernel started")


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _gone(pids: list[int], limit: float = 15.0) -> bool:
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        if not [p for p in pids if Path(f"/proc/{p}").exists() and "ipykernel" in _cmdline(p)]:
            return True
        time.sleep(0.2)
    return False


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process tree from /proc (Linux)")
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])  # SIGINT takes the same path as SIGTERM
def test_signals_stop_every_kernel_and_keep_the_result(tmp_path, sig):
    out = tmp_path / "o"
    ok, _ = runner.run(["01_gdp_rank"], out=out, echo=lambda *_: None)
    before = _snapshot(out)
    proc = subprocess.Popen(_runner_script(out, ["year=2022"], force=True), stderr=subprocess.PIPE, text=True,
                            cwd=tmp_path)
    kids = _wait_for_kernel(proc)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    if sig != signal.SIGKILL:
        assert proc.returncode == 130
        assert [ln for ln in err.splitlines() if ln.startswith("error: ")] == [
            "error: interrupted; every kernel was stopped and the result folder is unchanged (an earlier result stays as it was)"]
        assert "Traceback" not in err
    assert _gone(kids), "a kernel outlived the interrupted run"
    assert _snapshot(out) == before
    ok, _ = runner.run(["01_gdp_rank"], out=out, echo=lambda *_: None)  # the folder is usable again
    assert ok and not list(tmp_path.glob(".o.*[!k]"))


@pytest.mark.slow
def test_interrupted_at_random_moments_the_folder_is_old_or_new(tmp_path):
    """kill -9 at random moments of a run (start-up, cache, build, switch): the folder is always one whole result.

    One uninterrupted run gives the run's length; every later run is killed at a random moment inside it.
    """
    old_out, new_out = tmp_path / "old", tmp_path / "new"
    assert runner.run(["01_gdp_rank"], out=old_out, echo=lambda *_: None)[0]
    assert runner.run(["01_gdp_rank"], ["year=2022"], out=new_out, echo=lambda *_: None)[0]
    results = {"old": _snapshot(old_out), "new": _snapshot(new_out)}
    out = tmp_path / "o"
    rng = random.Random(20261201)
    length, seen = None, set()
    for iteration in range(6):
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(old_out, out)
        start = time.perf_counter()
        proc = subprocess.Popen(_runner_script(out, ["year=2022"], force=False), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, cwd=tmp_path)
        if length is None:
            assert proc.wait(timeout=120) == 0
            length = time.perf_counter() - start
            assert _snapshot(out) == results["new"]
            continue
        time.sleep(rng.uniform(0.1, 1.0) * length)
        proc.kill()
        proc.wait()
        state = next((k for k, v in results.items() if _snapshot(out) == v), None)
        assert state is not None, f"iteration {iteration}: the folder is neither the old nor the new result"
        seen.add(state)
    assert "old" in seen  # some kills did land before the switch
