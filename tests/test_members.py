"""Membership is dated data: the member set follows the as_of date."""

import pytest

from asean_analysis import members
from asean_analysis.errors import ParameterError

TEN = ["BRN", "IDN", "KHM", "LAO", "MMR", "MYS", "PHL", "SGP", "THA", "VNM"]


def test_article_date_has_ten_members():
    assert members.asean(members.ARTICLE_DATE) == TEN


def test_timor_leste_joins_on_2025_10_26():
    assert members.asean("2025-10-25") == TEN
    assert members.asean("2025-10-26") == sorted([*TEN, "TLS"])


@pytest.mark.parametrize("day, count", [("1967-08-08", 5), ("1984-01-07", 6), ("1995-07-28", 7), ("1997-07-23", 9), ("1999-04-30", 10)])
def test_enlargements(day, count):
    assert len(members.asean(day)) == count


def test_eu_loses_the_uk_after_31_january_2020():
    assert "GBR" in members.bloc_members("EU", "2020-01-31")
    after = members.bloc_members("EU", "2020-02-01")
    assert "GBR" not in after and len(after) == 27


def test_custom_member_lists_are_checked():
    known = {"IDN", "MYS", "PHL"}
    assert members.asean(members=["mys", "IDN"], known=known) == ["IDN", "MYS"]
    with pytest.raises(ParameterError, match=r"unknown member code.*XXX"):
        members.asean(members=["IDN", "XXX"], known=known)
    with pytest.raises(ParameterError, match="member list is empty"):
        members.asean(members=[], known=known)
    with pytest.raises(ParameterError, match="ISO date"):
        members.asean("27/11/2024")
