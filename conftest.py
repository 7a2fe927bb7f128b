"""Root conftest: applies to tests/ and to the notebooks nbval re-executes.

Kernels inherit this configuration: exploratory runs go to a temporary folder, and every session starts
with an empty rerun cache. This sets configuration only; where a run writes is its run context. The
variables are set before pytest-xdist starts its workers, which inherit them: every worker of a session
shares the same folders.

Execute once, assert many: nbval's items run first (sorted to the front, then the files with slow
tests; ``--dist loadfile --no-loadscope-reorder`` keeps that order across workers), so each committed notebook is executed once
per session, by nbval, into its own folder (``ASEAN_TEST_NBVAL_RUNS``). After a notebook's last
collected cell, a marker ``<name>.done`` says its run is over; the article-run fixture
(tests/conftest.py) waits for those markers, on any worker, and reads the records those runs left
instead of executing the notebooks a second time.
"""

import os
import tempfile
from pathlib import Path

import pytest

for _name, _prefix in (("ASEAN_RUNS_DIR", "asean-runs-"), ("ASEAN_CACHE_DIR", "asean-cache-"),
                       ("ASEAN_TEST_NBVAL_RUNS", "asean-nbval-")):
    if _name not in os.environ:  # set once, before the workers start: they inherit it
        os.environ[_name] = tempfile.mkdtemp(prefix=_prefix)
NBVAL_RUNS = Path(os.environ["ASEAN_TEST_NBVAL_RUNS"])
NBVAL_RUNS.mkdir(parents=True, exist_ok=True)


def _notebook(item: pytest.Item) -> str | None:
    return item.path.stem if item.path.suffix == ".ipynb" else None


def pytest_collection_modifyitems(session, config, items):
    """Notebooks first, in order; then the files holding a ``slow`` test, so that the workers' last files
    are short ones (stable sort: the order within each group is kept)."""
    slow_files = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: (_notebook(item) is None, item.path not in slow_files))


def pytest_collection_finish(session):
    """Remember, per notebook nbval will run in this session, its last cell (``config.nbval_last``)."""
    last = {_notebook(item): item.nodeid for item in session.items if _notebook(item)}
    session.config.nbval_last = {nodeid: name for name, nodeid in last.items()}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    """nbval starts a notebook's kernel in the setup of its first cell: that kernel's runs go to NBVAL_RUNS."""
    if _notebook(item) is None:
        return (yield)
    saved, os.environ["ASEAN_RUNS_DIR"] = os.environ["ASEAN_RUNS_DIR"], str(NBVAL_RUNS)
    try:
        return (yield)
    finally:
        os.environ["ASEAN_RUNS_DIR"] = saved


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a notebook's last cell (its kernel stopped), mark its run over for every worker."""
    try:
        return (yield)
    finally:
        name = getattr(item.config, "nbval_last", {}).get(item.nodeid)
        if name:
            (NBVAL_RUNS / f"{name}.done").touch()
