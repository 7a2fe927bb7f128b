"""The Dask preload module loads the notebook-execution stack before a worker's first task (a cluster started
with it: tests/test_fast_reruns.py)."""

import subprocess
import sys

STACK = ("papermill", "nbclient", "jupyter_client", "nbformat", "asean_analysis.runner")


def _loaded(code: str) -> list[str]:
    probe = f"import sys\n{code}\nprint(' '.join(m for m in {STACK!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_preload_imports_what_a_task_needs():
    assert _loaded("import asean_analysis.worker") == list(STACK)
    assert _loaded("import asean_analysis.runner") == ["asean_analysis.runner"]  # the runner alone stays light
