"""Then and now: which parameter sets stand for the article's date and for today, and which verdicts move."""

import shutil

import pandas as pd
import pytest

from asean_analysis import paths, vintages
from asean_analysis.errors import ParameterError


def test_pick_takes_the_latest_release_by_the_date_and_the_latest_overall():
    choices = vintages.VINTAGE_PARAMETERS["gdp_source"]
    day = pd.Timestamp("2024-11-27").date()
    assert vintages.pick(choices, "wdi", day) == ("wdi-2024-10", "wdi-2026-07", "")
    assert vintages.pick(choices, "imf", day) == ("imf-2024-10", "imf-2025-10", "")
    then, now, note = vintages.pick(vintages.VINTAGE_PARAMETERS["population_vintage"], "wdi", day)
    assert (then, now) == ("wdi-2024-12", "wdi-2026-07") and "no wdi release in the mirror predates 2024-11-27" in note
    with pytest.raises(ParameterError, match="no oecd release among"):
        vintages.pick(choices, "oecd", day)
    with pytest.raises(ParameterError, match="does not end in -YYYY-MM"):
        vintages.release("wdi-latest")


def test_parameter_sets_follow_each_notebooks_default_family():
    sets, notes = vintages.parameter_sets()
    assert sets["then"] == {"01_gdp_rank": {"gdp_source": "wdi-2024-10"},
                            "02_internet_users": {"population_vintage": "wdi-2024-12"},
                            "03_digital_economy_defa": {"gdp_source": "imf-2024-10"}}
    assert sets["now"] == {"01_gdp_rank": {"gdp_source": "wdi-2026-07"},
                           "02_internet_users": {"population_vintage": "wdi-2026-07"},
                           "03_digital_economy_defa": {"gdp_source": "imf-2025-10"}}
    assert [n.split(":")[0] for n in notes] == ["02_internet_users, population_vintage"]
    earlier, _ = vintages.parameter_sets("2024-05-01")
    assert earlier["then"]["03_digital_economy_defa"] == {"gdp_source": "imf-2024-04"}


def test_then_and_now_marks_the_verdicts_that_depend_on_the_vintage(tmp_path):
    folders = {}
    for when in ("then", "now"):
        folders[when] = tmp_path / when
        shutil.copytree(paths.OUTPUTS, folders[when], ignore=shutil.ignore_patterns("report", "notebooks"))
    path = folders["now"] / "claims_ledger.csv"
    ledger = pd.read_csv(path, dtype=str, keep_default_na=False)
    net1 = ledger["claim"] == "NET-1"
    old, then_verdict = ledger.loc[net1, "computed"].item(), ledger.loc[net1, "verdict"].item()
    now_verdict = "approximately" if then_verdict != "approximately" else "contradicted"
    ledger.loc[net1, ["computed", "verdict"]] = [str(float(old) + 13000), now_verdict]
    then_vintage = next(v for v in ("wdi-pop-2024-12", "wdi-pop-2026-07") if v in ledger.loc[net1, "data_vintage"].item())
    now_vintage = "wdi-pop-2026-07" if then_vintage == "wdi-pop-2024-12" else "wdi-pop-2024-12"
    ledger.loc[net1, "data_vintage"] = ledger.loc[net1, "data_vintage"].item().replace(then_vintage, now_vintage)
    ledger.to_csv(path, index=False)
    table = vintages.then_and_now(folders["then"], folders["now"]).set_index("claim")
    assert table.index[table["depends_on_vintage"]].tolist() == ["NET-1"]
    row = table.loc["NET-1"]
    assert (row["verdict_then"], row["verdict_now"]) == (then_verdict, now_verdict)
    assert row["change"].startswith("+13,000") and row["inputs"] == f"{then_vintage} → {now_vintage}"
    assert table.loc["GDP-1", "change"] == "" and len(table) == len(ledger)
    assert vintages.markdown(table.reset_index()).split("\n")[2].startswith("| NET-1 |")
    vintages.write(folders["then"], folders["now"], tmp_path)
    text = (tmp_path / "then_and_now.md").read_text()
    assert "Verdicts that depend on the vintage: NET-1." in text and "- `01_gdp_rank`: then defaults; now defaults" in text
    assert pd.read_csv(tmp_path / "then_and_now.csv").set_index("claim").loc["NET-1", "depends_on_vintage"]
