"""Parameter catalogue shared by the runner (before anything runs) and the notebooks (first cell).

Each notebook declares its parameters as one literal per line in a cell tagged ``parameters``;
every name declared there must have a spec here. Values from the command line arrive as strings
and are parsed by type (never evaluated); values from a YAML file must already have the type.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .choices import ASIA_DEFINITIONS, GAP_POLICIES, GDP_SOURCES, NETWORK_VIEWS, POPULATION_SOURCES, economy_codes
from .errors import ParameterError


@dataclass(frozen=True)
class Spec:
    kind: str  # int | float | bool | str | date | codes (list of ISO3 codes or None)
    help: str
    choices: tuple[str, ...] | None = None
    bounds: tuple[float, float] | None = None


SPECS: dict[str, Spec] = {
    "year": Spec("int", "reference year of the claim (the article's: 2023); each notebook checks its data cover it",
                 bounds=(1960, 2035)),
    "trade_year": Spec("int", "year of the mirrored trade data shown beside Figure 1 (WTO imports: 2017-2022)",
                       bounds=(2017, 2022)),
    "network_year": Spec("int", "year of the semiconductor trade network of Figure 2 (mirrored trade data: 2017-2022)",
                         bounds=(2017, 2022)),
    "network_base_year": Spec("int", "earlier year the Figure 2 network is compared with (2017-2022)", bounds=(2017, 2022)),
    "as_of": Spec("date", "date that fixes the ASEAN member set (article: 2024-11-27; Timor-Leste from 2025-10-26)"),
    "members": Spec("codes", "custom member set, comma-separated ISO3 codes (overrides as_of); unset = ASEAN on as_of"),
    "gdp_source": Spec("str", "GDP data source and vintage", choices=tuple(GDP_SOURCES)),
    "eu_as_bloc": Spec("bool", "count the European Union as one economy in the world ranking"),
    "asia_definition": Spec("str", "which countries are 'Asia'", choices=tuple(ASIA_DEFINITIONS)),
    "base_year": Spec("int", "first year of a growth claim's window", bounds=(1960, 2035)),
    "exclude_china_break": Spec("bool", "leave out China's WTO-reported imports from 2021 on (break in that series)"),
    "constant_reporters": Spec("bool", "mirror-view growth only over importers that report in every year of the window"),
    "view": Spec("str", "trade network view: reporter (Comtrade HS 8542), mirror (WTO imports HS 8541+8542), "
                 "baci (CEPII BACI, needs baci_dir)", choices=NETWORK_VIEWS),
    "product_group": Spec("str", "product group of the network: 'all' = the view's semiconductor group; with "
                          "view=baci a stage of hs-stage-definitions (e.g. equipment)"),
    "min_link_usd": Spec("float", "minimum trade value (US$) for a link to count", bounds=(0, 1e12)),
    "count_nonreporting_partners": Spec("bool", "count partners that do not report in the view and year"),
    "baci_dir": Spec("str", "folder with CEPII BACI HS17 V202501 yearly CSVs (empty = not used)"),
    "min_share_pct": Spec("float", "smallest share (%) of a world market or activity read as a specialisation",
                          bounds=(0, 100)),
    "gas_year": Spec("int", "year of proved gas reserves (bp Statistical Review 2021: last year 2020)", bounds=(1980, 2020)),
    "mix_year": Spec("int", "year of the members' electricity mix (OWID 2022 vintage: all members to 2020)", bounds=(2000, 2021)),
    "recent_year": Spec("int", "latest year read from the current OWID energy vintage (Brunei and Laos)", bounds=(2015, 2024)),
    "age_year": Spec("int", "year of the median ages (UN WPP 2022 estimates)", bounds=(1950, 2021)),
    "wage_year": Spec("int", "year of the minimum wages in data/reference/wages.csv", bounds=(2024, 2025)),
    "days_per_month": Spec("int", "working days per month that turn a daily minimum wage into a monthly one "
                           "(26: six-day week)", bounds=(20, 31)),
    "start_year": Spec("int", "first year of the internet-users window (users are counted from its level)",
                       bounds=(1990, 2035)),
    "end_year": Spec("int", "last year of the internet-users window", bounds=(1990, 2035)),
    "gap_policy": Spec("str", "missing country-years of internet use: drop | interpolate (linear between reported "
                       "years) | carry_forward (last reported value)", choices=GAP_POLICIES),
    "population_vintage": Spec("str", "WDI population release that turns internet shares into users",
                               choices=tuple(POPULATION_SOURCES)),
    "min_coverage": Spec("float", "smallest share (%) of a comparator's population with data for it to be compared",
                         bounds=(0, 100)),
}

_TRUE, _FALSE = {"true", "yes", "1", "on"}, {"false", "no", "0", "off"}


MAX_YAML_BYTES = 64 * 1024
MAX_YAML_DEPTH = 8


def shorten(value: Any, limit: int = 60) -> str:
    """repr of a value for a message, cut to ``limit`` characters."""
    text = value if isinstance(value, str) and limit > 100 else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _depth(node: Any) -> int:
    children = getattr(node, "value", None)
    if not isinstance(children, list):
        return 1
    items = [c for pair in children for c in (pair if isinstance(pair, tuple) else (pair,))]
    return 1 + max((_depth(c) for c in items), default=0)


def read_yaml(path: Path, what: str) -> Any:
    """A small YAML document, read safely: bounded size and depth, no anchors or aliases, no tags."""
    import yaml

    try:
        size = path.stat().st_size
        if size > MAX_YAML_BYTES:
            raise ParameterError(f"{what} {path} has {size} bytes, more than the {MAX_YAML_BYTES} allowed; shorten it")
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ParameterError(f"cannot read {what} {path}: {exc.strerror or exc}; check the path") from exc
    except UnicodeDecodeError:
        raise ParameterError(f"{what} {path} is not UTF-8 text; save it as UTF-8") from None
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise ParameterError(f"{what} {path} uses YAML anchors or aliases; write the values out")
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        if node is not None and _depth(node) > MAX_YAML_DEPTH:
            raise ParameterError(f"{what} {path} is nested deeper than {MAX_YAML_DEPTH} levels; flatten it")
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ParameterError(f"{what} {path} is not valid YAML ({first}); fix its syntax") from None


def _fail(name: str, value: Any, spec: Spec, why: str) -> ParameterError:
    return ParameterError(f"parameter {name}={shorten(value)} {why}; expected {spec.kind}: {spec.help}")


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
    if name == "run_dir":
        raise ParameterError("run_dir is set by the runner (--out chooses the result folder); do not pass it")
    if name not in SPECS:
        raise ParameterError(f"unknown parameter {shorten(name)}; known parameters: {', '.join(sorted(SPECS))}")
    return SPECS[name]


_TYPES: dict[str, Callable[[Any], bool]] = {
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "float": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "bool": lambda v: isinstance(v, bool),
    "str": lambda v: isinstance(v, str),
    "date": lambda v: isinstance(v, str),
    "codes": lambda v: v is None or (isinstance(v, list) and all(isinstance(c, str) for c in v)),
}


def _coerce(spec: Spec, value: Any) -> Any:
    """The forms a YAML file gives that the command line writes as text: dates, comma-separated codes."""
    if spec.kind == "date" and isinstance(value, dt.date):
        return value.isoformat()
    if spec.kind == "codes" and isinstance(value, str):
        return [c for c in (p.strip() for p in value.split(",")) if c]
    return value


def check(name: str, value: Any) -> Any:
    """Validate one typed value against its spec and return it."""
    spec = spec_of(name)
    value = _coerce(spec, value)
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
    if spec.kind == "codes" and value is not None:
        if not value:
            raise ParameterError(f"parameter {name} is an empty list; give ISO3 codes such as IDN,MYS or leave it unset")
        unknown = sorted({c.strip().upper() for c in value} - economy_codes())
        if unknown:
            raise ParameterError(f"parameter {name}: unknown code(s) {', '.join(unknown)}; use ISO3 codes of UN M49 (e.g. IDN, MYS, PHL)")
    return value


def validate(**values: Any) -> dict[str, Any]:
    """Check all parameters of a notebook at once (call it in the cell after the parameters cell)."""
    return {name: check(name, value) for name, value in values.items()}


def catalogue(notebooks: list[str]) -> list[str]:
    """Lines for ``params``: each parameter's meaning, type, allowed values, and default per notebook."""
    from .context import declared

    defaults = {n: declared(n) for n in notebooks}
    lines = []
    for name, spec in SPECS.items():
        users = {n: d[name] for n, d in defaults.items() if name in d}
        allowed = (f"one of {', '.join(spec.choices)}" if spec.choices else
                   f"{spec.bounds[0]:g} to {spec.bounds[1]:g}" if spec.bounds else
                   {"bool": "true or false", "date": "an ISO date YYYY-MM-DD", "codes": "ISO3 codes, e.g. IDN,MYS (unset: none)",
                    "str": "text"}.get(spec.kind, spec.kind))
        lines.append(f"{name} ({spec.kind}): {spec.help}")
        lines.append(f"    allowed: {allowed}")
        lines.append("    default: " + ("; ".join(f"{n} {v}" for n, v in users.items()) or "declared by no notebook"))
    return lines
