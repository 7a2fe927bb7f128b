"""A result folder is published as a Frictionless data package that validates, and fails when its data do not."""

import json
import shutil

import jsonschema
import pytest
from frictionless import validate

from asean_analysis import paths, results_package, vintages


@pytest.fixture
def folder(tmp_path):
    out = tmp_path / "outputs"
    shutil.copytree(paths.OUTPUTS, out, ignore=shutil.ignore_patterns("report"))
    return out


def _errors(report) -> list[tuple]:
    return [tuple(e) for e in report.flatten(["fieldName", "type"])]


def test_the_committed_results_validate(folder):
    target = results_package.write(folder)
    report = validate(str(target))
    assert report.valid, _errors(report)
    descriptor = json.loads(target.read_text())
    names = [r["name"] for r in descriptor["resources"]]
    figures = sorted(p.stem for p in (folder / "figures").glob("*.csv"))
    extra = ["then-and-now"] if (folder / "then_and_now.csv").is_file() else []
    assert names == ["claims-ledger", *(f"figure-{f}" for f in figures), *extra, "run"] and len(figures) == 12
    ledger = descriptor["resources"][0]
    header = (folder / "claims_ledger.csv").read_text().split("\n", 1)[0].split(",")
    assert [f["name"] for f in ledger["schema"]["fields"]] == header
    gdp = next(r for r in descriptor["resources"] if r["name"] == "figure-gdp_rank_world")
    assert {f["name"]: f["type"] for f in gdp["schema"]["fields"]}["gdp_usd_tn"] == "number"
    assert gdp["sources"][0]["title"].startswith("wdi-gdp-2024-10: GDP (current US$)")
    run = descriptor["resources"][-1]
    jsonschema.validate(json.loads((folder / "run.json").read_text()), run["jsonSchema"])


def test_a_verdict_outside_the_vocabulary_fails(folder):
    ledger = folder / "claims_ledger.csv"
    ledger.write_text(ledger.read_text().replace(",supported,", ",maybe,", 1))
    report = validate(str(results_package.write(folder)))
    assert not report.valid
    assert _errors(report) == [("verdict", "constraint-error")]


def test_a_file_changed_after_writing_fails_its_hash(folder):
    target = results_package.write(folder)
    table = folder / "figures" / "gdp_rank_world.csv"
    table.write_text(table.read_text().replace("Japan", "Japon"))
    assert "hash-count" in {kind for _, kind in _errors(validate(str(target)))}


def test_run_json_is_checked_by_its_schema(folder):
    schema = results_package.RUN_SCHEMA
    top = {"package_version": "0.2.0", "source_digest": "0" * 16, "published": False}
    with pytest.raises(jsonschema.ValidationError, match="'notebooks' is a required property"):
        jsonschema.validate(top, schema)
    with pytest.raises(jsonschema.ValidationError, match="'status' is a required property"):
        jsonschema.validate({**top, "notebooks": {"01_gdp_rank": {"parameters": {}, "products": {}}}}, schema)
    with pytest.raises(jsonschema.ValidationError, match="does not match"):  # an input's sha256 is 64 hex digits
        jsonschema.validate({**top, "notebooks": {"01_gdp_rank": {"status": "ok", "parameters": {},
                                                                  "products": {"inputs": {"un-m49": "xyz"}}}}}, schema)
    jsonschema.validate(json.loads((folder / "run.json").read_text()), schema)


def test_the_then_and_now_table_is_described_when_present(folder):
    vintages.write(folder, folder, folder)
    target = results_package.write(folder)
    report = validate(str(target))
    assert report.valid, _errors(report)
    names = [r["name"] for r in json.loads(target.read_text())["resources"]]
    assert names[-2:] == ["then-and-now", "run"]
    assert "Verdicts that depend on the vintage: none." in (folder / "then_and_now.md").read_text()
