"""The domain: pure functions that notebooks call (one module per topic)."""

from typing import Any


def series_sum(values: Any) -> float:
    """A group's sum rounded as ``Series.sum`` rounds it (numpy's pairwise summation; a groupby sum rounds
    otherwise): a table computed for all groups at once equals, to the last bit, one group at a time."""
    return values.sum()
