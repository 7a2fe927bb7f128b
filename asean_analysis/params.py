"""Parameter catalogue shared by the runner (before anything runs) and the notebooks (first cell).

Each notebook declares its parameters as one literal per line in a cell tagged ``parameters``;
every name declared there must have a spec here. Values from the command line arrive as strings
and are parsed by type (never evaluated); values from a YAML file must already have the type.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import ParameterError
from .load import GDP_SOURCES
from .regions import ASIA_DEFINITIONS


@dataclass(frozen=True)
class Spec:
    kind: str  # int | float | bool | str | date | codes (list of ISO3 codes or None)
    help: str
    choices: tuple[str, ...] | None = None
    bounds: tuple[float, float] | None = None


SPECS: dict[str, Spec] = {
    "year": Spec("int", "reference year of the claim", bounds=(1960, 2035)),
    "as_of": Spec("date", "date that fixes the ASEAN member set (article: 2024-11-27; Timor-Leste from 2025-10-26)"),
    "members": Spec("codes", "custom member set, comma-separated ISO3 codes (overrides as_of); unset = ASEAN on as_of"),
    "gdp_source": Spec("str", "GDP data source and vintage", choices=tuple(GDP_SOURCES)),
    "eu_as_bloc": Spec("bool", "count the European Union as one economy in the world ranking"),
    "asia_definition": Spec("str", "which countries are 'Asia'", choices=tuple(ASIA_DEFINITIONS)),
}

_TRUE, _FALSE = {"true", "yes", "1", "on"}, {"false", "no", "0", "off"}


def _fail(name: str, value: Any, spec: Spec, why: str) -> ParameterError:
    return ParameterError(f"parameter {name}={value!r} {why}; expected {spec.kind}: {spec.help}")


def parse(name: str, text: str) -> Any:
    """Turn a command-line string into a typed value (no evaluation of code)."""
    spec = spec_of(name)
    raw = text.strip()
    try:
        if spec.kind == "int":
            value: Any = int(raw)
        elif spec.kind == "float":
            value = float(raw)
        elif spec.kind == "bool":
            if raw.lower() not in _TRUE | _FALSE:
                raise ValueError
            value = raw.lower() in _TRUE
        elif spec.kind == "codes":
            value = None if raw.lower() in {"none", "null"} else [c for c in (p.strip() for p in raw.split(",")) if c]
        else:
            value = text
    except ValueError:
        raise _fail(name, text, spec, "cannot be read") from None
    return check(name, value)


def spec_of(name: str) -> Spec:
    if name not in SPECS:
        raise ParameterError(f"unknown parameter {name!r}; known parameters: {', '.join(sorted(SPECS))}")
    return SPECS[name]


_TYPES: dict[str, Callable[[Any], bool]] = {
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "bool": lambda v: isinstance(v, bool),
    "str": lambda v: isinstance(v, str),
    "date": lambda v: isinstance(v, str),
    "codes": lambda v: v is None or (isinstance(v, list) and all(isinstance(c, str) for c in v)),
}


def check(name: str, value: Any) -> Any:
    """Validate one typed value against its spec and return it."""
    spec = spec_of(name)
    if not _TYPES[spec.kind](value):
        raise _fail(name, value, spec, f"has type {type(value).__name__}")
    if spec.choices is not None and value not in spec.choices:
        raise _fail(name, value, spec, f"is not one of {', '.join(spec.choices)}")
    if spec.bounds is not None and not spec.bounds[0] <= value <= spec.bounds[1]:
        raise _fail(name, value, spec, f"is outside {spec.bounds[0]:g}..{spec.bounds[1]:g}")
    if spec.kind == "date":
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise _fail(name, value, spec, "is not an ISO date (YYYY-MM-DD)") from None
    if spec.kind == "codes" and value is not None and not value:
        raise ParameterError(f"parameter {name} is an empty list; give ISO3 codes such as IDN,MYS or leave it unset")
    return value


def validate(**values: Any) -> dict[str, Any]:
    """Check all parameters of a notebook at once (call it in the cell after the parameters cell)."""
    return {name: check(name, value) for name, value in values.items()}
