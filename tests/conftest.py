"""Shared fixtures. Notebook runs write into temporary folders, never into the committed outputs/."""

from pathlib import Path

import pandas as pd
import pytest


@pytest.fixture(scope="session")
def article_run(tmp_path_factory) -> tuple[Path, pd.DataFrame]:
    """Every notebook run once with the article's parameters: (output folder, ledger indexed by claim id)."""
    from asean_analysis import runner

    out = tmp_path_factory.mktemp("article-run") / "outputs"
    ok, folder = runner.run(out=out, echo=lambda *_: None)
    assert ok, f"the article run failed; see {folder}"
    return folder, pd.read_csv(folder / "claims_ledger.csv", keep_default_na=False).set_index("claim")


@pytest.fixture(scope="session")
def ledger(article_run) -> pd.DataFrame:
    """The claims ledger of the article run, indexed by claim id."""
    return article_run[1]
