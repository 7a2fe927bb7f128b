"""Fetch and load fail loudly and precisely on bad input."""

import shutil

import pandas as pd
import pytest

from asean_analysis import fetch, load, manifest
from asean_analysis.errors import DataError


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """An empty data directory and a mirror holding one GDP file; caches cleared."""
    mirror = tmp_path / "mirror"
    res = manifest.resource("wdi-gdp-2024-10")
    (mirror / res.mirror_path).parent.mkdir(parents=True)
    shutil.copyfile(res.local(), mirror / res.mirror_path)
    monkeypatch.setenv("ASEAN_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ASEAN_DATA_MIRROR", str(mirror))
    load._read_verified.cache_clear()
    yield res, mirror
    load._read_verified.cache_clear()


def test_fetch_copies_from_the_mirror_and_checks_the_hash(sandbox):
    res, _ = sandbox
    path = fetch.fetch_one(res.name)
    assert path == res.local() and fetch.sha256(path) == res.sha256


def test_corrupted_file_names_dataset_and_fix(sandbox):
    res, _ = sandbox
    path = fetch.fetch_one(res.name)
    path.write_bytes(path.read_bytes()[:-10] + b"9999999999")
    with pytest.raises(DataError, match=r"'wdi-gdp-2024-10': sha256 mismatch .* run `python -m asean_analysis fetch`"):
        load.wdi(res.name)


def test_corrupted_mirror_is_refused(sandbox):
    res, mirror = sandbox
    (mirror / res.mirror_path).write_text("Country Name,Country Code,Year,Value\n")
    with pytest.raises(DataError, match=r"sha256 mismatch .*\(in the mirror\).*ASEAN_DATA_MIRROR"):
        fetch.fetch_one(res.name)


def test_missing_without_url_says_set_the_mirror(sandbox):
    with pytest.raises(DataError, match=r"imf-weo-2024-10.*no public HTTPS URL.*ASEAN_DATA_MIRROR"):
        fetch.fetch_one("imf-weo-2024-10")


def test_unknown_dataset_lists_the_known_ones():
    with pytest.raises(DataError, match=r"unknown dataset 'gdp'; known datasets: .*wdi-gdp-2024-10"):
        manifest.resource("gdp")


def test_wdi_loader_is_tidy():
    frame = load.wdi("wdi-gdp-2024-10")
    assert list(frame.columns) == ["iso3", "name", "year", "value"]
    assert frame["year"].between(1960, 2023).all() and frame["value"].notna().all()
    idn = frame[(frame.iso3 == "IDN") & (frame.year == 2023)]["value"].item()
    assert idn == pytest.approx(1.371e12, rel=1e-3)


def test_imf_gdp_is_in_us_dollars_with_estimate_flags():
    frame = load.gdp("imf-2024-10")
    usa = frame[(frame.iso3 == "USA") & (frame.year == 2023)].iloc[0]
    assert usa["gdp_usd"] == pytest.approx(27.72e12, rel=0.005)  # WEO Oct 2024: 27,720.7 bn
    assert not usa["is_estimate"]
    assert frame[(frame.iso3 == "USA") & (frame.year == 2029)]["is_estimate"].item()


def test_m49_keeps_namibia_and_taiwan():
    table = load.m49().set_index("iso3")
    assert table.loc["NAM", "region"] == "Africa"
    assert table.loc["TWN", "subregion"] == "Eastern Asia"


def test_gdp_source_must_be_known():
    with pytest.raises(DataError, match="unknown GDP source 'wdi'; pick one of wdi-2024-10"):
        load.gdp("wdi")


def test_reference_tables_carry_citations():
    for name in ("bloc_membership.csv", "economies_outside_m49.csv"):
        table = load.reference(name)
        assert (table["source_title"] != "").all() and table["source_url"].str.startswith("https://").all()
        assert not table.duplicated().any()
    assert isinstance(load.reference("bloc_membership.csv"), pd.DataFrame)


def test_plain_numbers_skip_frictionless_and_anything_else_is_left_to_it(tmp_path):
    res = manifest.resource("wdi-gdp-2024-10")  # Year: integer, Value: number
    assert load.plainly_typed(res, res.local())
    text = res.local().read_text(encoding=res.encoding)
    row = next(line for line in text.splitlines() if ",JPN,2023," in line)
    for year, value in (("20x3", "1"), (" 2023", "1"), ("2023", "1,5"), ("2023", "NaN"), ("2023.0", "1"), ("2023", "1e5")):
        fields = row.split(",")
        fields[-2:] = [year, value]
        path = tmp_path / "x.csv"
        path.write_text(text.replace(row, ",".join(fields), 1), encoding=res.encoding)
        assert load.plainly_typed(res, path) is ((year, value) == ("2023", "1e5")), (year, value)
