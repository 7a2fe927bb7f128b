"""Parameters are parsed by type, never evaluated, and checked against the catalogue."""

import pytest

from asean_analysis import params
from asean_analysis.errors import ParameterError


def test_parse_by_type():
    assert params.parse("year", "2022") == 2022
    assert params.parse("eu_as_bloc", "yes") is True
    assert params.parse("members", "IDN, MYS") == ["IDN", "MYS"]
    assert params.parse("members", "none") is None
    assert params.parse("gdp_source", "imf-2024-10") == "imf-2024-10"


@pytest.mark.parametrize("name, text, message", [
    ("year", "abc", "year='abc' cannot be read"),
    ("year", "1900", "outside 1960..2035"),
    ("eu_as_bloc", "maybe", "cannot be read"),
    ("gdp_source", "wdi-1999", "is not one of"),
    ("as_of", "2024-13-01", "not an ISO date"),
    ("members", "", "empty list"),
    ("colour", "red", "unknown parameter 'colour'"),
])
def test_bad_values_name_the_problem(name, text, message):
    with pytest.raises(ParameterError, match=message):
        params.parse(name, text)


def test_values_from_yaml_must_have_the_type():
    with pytest.raises(ParameterError, match="has type str"):
        params.check("year", "2023")
    with pytest.raises(ParameterError, match="has type int"):
        params.check("eu_as_bloc", 1)


def test_strings_stay_strings():
    nasty = 'x"; import os; os.system("echo hi") #\n'
    assert params.parse("as_of", "2024-11-27") == "2024-11-27"
    with pytest.raises(ParameterError):
        params.parse("gdp_source", nasty)
