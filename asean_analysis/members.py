"""Bloc membership as dated data (``data/reference/bloc_membership.csv``): ASEAN and the EU."""

import datetime as dt

from .errors import ParameterError
from .load import reference

ARTICLE_DATE = "2024-11-27"  # the op-ed's date line

# The six largest members: the coverage of the e-Conomy SEA reports and of the Comtrade reporter extract.
SEA6 = ["IDN", "MYS", "PHL", "SGP", "THA", "VNM"]


def _date(value: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise ParameterError(f"{what} must be an ISO date such as 2024-11-27, got {value!r}") from exc


def bloc_members(bloc: str, as_of: str) -> list[str]:
    """ISO3 codes of the members of ``bloc`` on date ``as_of`` (sorted)."""
    day = _date(as_of, "as_of")
    table = reference("bloc_membership.csv")
    rows = table[table["bloc"] == bloc]
    if rows.empty:
        raise ParameterError(f"unknown bloc {bloc!r}; known: {', '.join(sorted(table['bloc'].unique()))}")
    joined = rows["joined"].map(dt.date.fromisoformat) <= day
    not_left = rows["left"].map(lambda s: not s or dt.date.fromisoformat(s) >= day)
    return sorted(rows.loc[joined & not_left, "iso3"])


def asean(as_of: str = ARTICLE_DATE, members: list[str] | None = None, known: set[str] | None = None) -> list[str]:
    """The member set of a run: ASEAN on ``as_of``, or a custom list of ISO3 codes checked against ``known``."""
    if members is None:
        return bloc_members("ASEAN", as_of)
    codes = [str(m).strip().upper() for m in members]
    if not codes:
        raise ParameterError("the member list is empty; give ISO3 codes such as members=IDN,MYS or leave members unset")
    if known is not None:
        unknown = sorted(set(codes) - known)
        if unknown:
            raise ParameterError(f"unknown member code(s) {', '.join(unknown)}; use ISO3 codes of UN M49 (e.g. IDN, MYS, PHL)")
    if len(set(codes)) != len(codes):
        raise ParameterError(f"the member list repeats a code: {','.join(codes)}")
    return sorted(codes)
