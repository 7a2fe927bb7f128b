"""Growth arithmetic shared by the topic modules."""

from ..errors import ParameterError


def cagr_pct(start: float, end: float, years: float) -> float:
    """Compound annual growth rate in percent."""
    if start <= 0 or years <= 0:
        raise ParameterError(f"a CAGR needs a positive start value and span (got start={start}, years={years})")
    return float(100 * ((end / start) ** (1 / years) - 1))
