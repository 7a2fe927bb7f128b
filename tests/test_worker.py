"""The Dask preload module loads the notebook-execution stack before a worker's first task (a cluster started
with it: tests/test_fast_reruns.py)."""

import subprocess
import sys

STACK = ("papermill", "nbclient", "jupyter_client", "nbformat", "asean_analysis.runner")


def test_preload_imports_what_a_task_needs():
    """One interpreter: the runner alone stays light; the preload then brings the whole stack."""
    probe = (f"import sys\nseen = lambda: ' '.join(m for m in {STACK!r} if m in sys.modules)\n"
             "import asean_analysis.runner\nprint(seen())\nimport asean_analysis.worker\nprint(seen())")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    runner_alone, preloaded = done.stdout.splitlines()
    assert runner_alone.split() == ["asean_analysis.runner"] and preloaded.split() == list(STACK)
