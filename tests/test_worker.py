"""The Dask preload module loads the notebook-execution stack before a worker's first task."""

import subprocess
import sys

import pytest

STACK = ("papermill", "nbclient", "jupyter_client", "nbformat", "asean_analysis.runner")


def _loaded(code: str) -> list[str]:
    probe = f"import sys\n{code}\nprint(' '.join(m for m in {STACK!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_preload_imports_what_a_task_needs():
    assert _loaded("import asean_analysis.worker") == list(STACK)
    assert _loaded("import asean_analysis.runner") == ["asean_analysis.runner"]  # the runner alone stays light


@pytest.mark.slow
def test_dask_worker_started_with_the_preload_has_papermill():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
                      preload=["asean_analysis.worker"]) as cluster, Client(cluster) as client:
        loaded = client.run(lambda: "papermill" in sys.modules)
    assert list(loaded.values()) == [True]
