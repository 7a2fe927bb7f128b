"""`diff` says what changed between two result folders in claim terms, and its exit code tells CI."""

import json
import shutil

import pandas as pd
import pytest

from asean_analysis import diff, paths
from asean_analysis.__main__ import main as cli


@pytest.fixture
def copy(tmp_path):
    """A copy of the committed outputs (without the report) that a test may edit."""
    out = tmp_path / "copy"
    shutil.copytree(paths.OUTPUTS, out, ignore=shutil.ignore_patterns("report"))
    return out


def test_a_perturbed_input_shows_as_verdict_value_figure_and_input_changes(perturbed_run, capsys):
    rerun, _ = perturbed_run
    result = diff.compare(paths.OUTPUTS, rerun)

    verdicts = result.verdicts.set_index("claim")
    assert verdicts.loc["GDP-1", ["verdict_a", "verdict_b"]].tolist() == ["supported", "contradicted"]
    assert verdicts.loc["GDP-2", ["verdict_a", "verdict_b"]].tolist() == ["supported", "contradicted"]
    assert "DEV-1" not in verdicts.index  # the development claim does not hang on Japan's GDP

    value = result.values.set_index("claim").loc["GDP-1"]
    assert (value["computed_a"], value["computed_b"]) == ("5", "4")
    assert value["change"].startswith("-1 (-20.00%)") and value["tolerance"] == "supported within ±0"

    inputs = result.inputs.set_index(["item", "what"])
    changed_hash = inputs.loc[("wdi-gdp-2024-10", "sha256")]
    new_hash = json.loads((rerun / "figures" / "gdp_rank_world.json").read_text())["datasets"][0]["sha256"]
    assert changed_hash["b"] == new_hash != changed_hash["a"]
    assert ("un-m49", "sha256") not in inputs.index  # unchanged inputs are not listed

    figure = result.figures.set_index("figure").loc["gdp_rank_world"]
    assert figure["status"] == "changed" and figure["rows_a"] == figure["rows_b"] == 10
    assert figure["changed"] >= 2 and any(e.startswith("iso3=JPN") for e in figure["examples"])
    assert "02_internet_users" in result.not_compared["only in A"]  # the rerun covered notebook 01 only

    assert diff.main(paths.OUTPUTS, rerun) == diff.DIFFERENT
    text = capsys.readouterr().out
    assert "| GDP-1 | positions it as the fifth largest economy in the world | supported | contradicted |" in text


def test_same_folders_exit_zero_and_bad_folders_exit_two(copy, tmp_path, capsys):
    assert diff.main(paths.OUTPUTS, copy, md=tmp_path / "d.md") == diff.SAME
    assert "No verdict, value, figure table or input differs." in (tmp_path / "d.md").read_text()
    assert cli(["diff", str(paths.OUTPUTS), str(copy)]) == diff.SAME  # the command line reaches diff.main
    assert diff.main(paths.OUTPUTS, tmp_path / "nowhere") == diff.ERROR
    assert "is not a result folder (no claims_ledger.csv)" in capsys.readouterr().err
    pd.read_csv(copy / "claims_ledger.csv").drop(columns="verdict").to_csv(copy / "claims_ledger.csv", index=False)
    assert diff.main(paths.OUTPUTS, copy) == diff.ERROR
    assert "lacks the column(s) verdict; rebuild it with `python -m asean_analysis ledger" in capsys.readouterr().err


def test_extra_columns_and_new_verdict_names_are_carried(copy):
    ledger = pd.read_csv(copy / "claims_ledger.csv", dtype=str, keep_default_na=False)
    before = ledger.set_index("claim").loc["DIG-1", "verdict"]
    ledger["fragility"] = "low"  # a column this module does not know
    ledger.loc[ledger["claim"] == "DIG-1", ["verdict", "computed"]] = ["disputed", "270"]
    ledger.to_csv(copy / "claims_ledger.csv", index=False)
    result = diff.compare(paths.OUTPUTS, copy)
    row = result.verdicts.set_index("claim").loc["DIG-1"]
    assert (row["verdict_a"], row["verdict_b"]) == (before, "disputed") and before != "disputed"
    moved = result.values.set_index("claim").loc["DIG-1"]
    assert moved["change"] == "+7 (+2.66%)" and moved["tolerance"] == "supported within ±0.5, approximately within ±26.3"
    assert list(result.verdicts["claim"]) == ["DIG-1"] and result.figures.empty and result.inputs.empty


def test_figure_tables_are_compared_by_key_ignoring_float_noise():
    a = pd.DataFrame({"market": ["A", "A", "B"], "year": [2020, 2021, 2020], "value": [1.0, 2.0, 3.0]})
    b = pd.DataFrame({"market": ["A", "A", "C"], "year": [2020, 2021, 2020], "value": [1.0 + 1e-13, 2.5, 3.0]})
    out = diff.table_changes(a, b)
    assert (out["added"], out["removed"], out["changed"]) == (1, 1, 1)
    assert out["examples"] == ["market=A, year=2021: value 2 → 2.5"]
    keyless = diff.table_changes(pd.DataFrame({"x": [1.5, 1.5, 2.5]}), pd.DataFrame({"x": [1.5, 2.5, 3.5], "y": [0.1] * 3}))
    assert (keyless["added"], keyless["removed"], keyless["examples"]) == (1, 1, ["columns added: y; removed: —"])


def test_criteria_values_name_the_criteria_that_flipped():
    a, b = json.dumps({"in Asia": True, "large": True}), json.dumps({"in Asia": True, "large": False})
    assert diff.moved(a, b) and not diff.moved(a, a)
    assert diff.change(a, b) == "criteria changed: large: True → False"


def test_a_fresh_run_matches_the_committed_outputs_in_claim_terms(article_run):
    """If a fresh run of every notebook differs from outputs/, the failure shows the diff in claim terms
    next to nbval's cell report (shares the session's article run with tests/test_claims.py)."""
    result = diff.compare(paths.OUTPUTS, article_run[0])
    assert result.same, "\n" + diff.markdown(result, "outputs", "a fresh run")
