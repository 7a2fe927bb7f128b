"""The claims registry (``data/claims.yaml``), recording of computed values, verdicts and the ledger.

Flow: a notebook computes a value with the package and calls :func:`record` (or
:func:`record_not_verifiable`); each call writes one JSON file under ``<output>/values/`` with the
parameters that produced it. :func:`ledger` then evaluates every registered claim against what was
recorded: the verdict is computed here from the registry's asserted value, tolerance and the
evidence level, never typed in. A value produced under parameters that change what the claim
asserts (its year, period or member set) is a *variant* ("what if: year=2022"), kept apart from the
article's verdicts.
"""

import datetime as dt
import json
import math
import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from . import __version__, context, paths
from . import members as membership
from .errors import ClaimsError
from .manifest import resources

# The one list of verdicts (machine code -> label for readers), in display order. Other modules map it.
VERDICTS = {
    "supported": "supported by independent data",
    "approximately": "approximately supported by independent data",
    "partly_supported": "partly supported (the parts not met are named)",
    "matches_source": "matches the cited source (not independently checked)",
    "approximately_matches_source": "approximately matches the cited source (not independently checked)",
    "contradicted": "contradicted by the data",
    "outdated": "outdated: true for an earlier period, not at the article's date",
    "not_evaluable": "not evaluable: data the check needs are missing (named in the reason)",
    "not_verifiable_data_not_in_mirror": "not verifiable here: public data exist but are not in the pinned data",
    "not_verifiable_no_public_data": "not verifiable: no public data (proprietary source)",
    "not_verifiable_source_not_found": "not verifiable: the cited source could not be found",
    "not_verifiable_projection": "not verifiable: a projection, checkable only at its date",
    "not_verifiable_qualitative": "not verifiable: a qualitative judgement",
    "pending": "pending: the claim's notebook has not run",
    "error": "error: the claim's notebook failed in this run",
}
EVIDENCE = {
    "raw_public_data": "recomputed from raw public data",
    "derived_data": "computed from derived or transcribed public data",
    "arithmetic_on_citation": "arithmetic on a cited figure",
    "citation_only": "citation only",
}
INDEPENDENT = ("raw_public_data", "derived_data")  # evidence that can support a claim by itself
# reason code of record_not_verifiable -> (verdict, explanation)
REASONS = {
    "data_not_in_mirror": ("not_verifiable_data_not_in_mirror", "public data exist but are not in the pinned data"),
    "proprietary_source": ("not_verifiable_no_public_data", "the figure comes from a proprietary report whose data are not public"),
    "no_public_data": ("not_verifiable_no_public_data", "no public data measure what the claim asserts"),
    "source_not_found": ("not_verifiable_source_not_found", "the cited source could not be located"),
    "projection": ("not_verifiable_projection", "a projection or forecast cannot be checked before its date"),
    "qualitative": ("not_verifiable_qualitative", "a qualitative judgement, not a quantity"),
    "no_data_for_period": ("not_evaluable", "the pinned data do not cover the period this run asks about"),
}
CHECK_KINDS = ("number", "date", "criteria", "qualitative")
CLAIM_TYPES = ("rank", "quantity", "change", "count", "projection", "date", "comparison", "figure", "qualitative")
# Parameters that change what a claim asserts: a value computed under other values answers another question.
ASSERTION_PARAMETERS = ("year", "base_year", "start_year", "end_year", "trade_year", "network_year",
                        "network_base_year", "as_of", "members")
EDGE_MARGIN_REL = 0.05  # a number closer to a band edge than 5 % of that edge's half-width is flagged fragile


@dataclass(frozen=True)
class Claim:
    id: str
    topic: str
    quote: str
    type: str
    asserted: Any
    unit: str
    check: dict
    datasets: tuple[str, ...]
    notebook: str
    definition: dict = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return self.check["kind"]


QUOTE_FOLD: dict[str, str | int | None] = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'}  # curly quotes read as straight ones


_FOLD_TABLE = str.maketrans(QUOTE_FOLD)


def normalise(text: str) -> str:
    """Quote-insensitive, space-folded, lower-case text: how quotes are found in the article."""
    text = text.translate(_FOLD_TABLE)
    return re.sub(r"\s+", " ", text).strip().lower()


def paragraph_of(quote: str, article: str) -> int:
    """1-based paragraph of the article where ``quote`` stands (0 if absent)."""
    needle = normalise(quote)
    for number, para in enumerate((p for p in article.split("\n") if p.strip()), start=1):
        if needle in normalise(para):
            return number
    return 0


def _claim(entry: dict, known_datasets: set[str]) -> Claim:
    where = f"claim {entry.get('id', '?')!r} in {paths.REGISTRY.name}"
    missing = [k for k in ("id", "topic", "quote", "type", "asserted", "unit", "check", "datasets", "notebook") if k not in entry]
    if missing:
        raise ClaimsError(f"{where} lacks {', '.join(missing)}; add them (see the file's header)")
    check = entry["check"]
    if entry["type"] not in CLAIM_TYPES:
        raise ClaimsError(f"{where}: type {entry['type']!r} is not one of {', '.join(CLAIM_TYPES)}")
    if check.get("kind") not in CHECK_KINDS:
        raise ClaimsError(f"{where}: check.kind {check.get('kind')!r} is not one of {', '.join(CHECK_KINDS)}")
    if not str(check.get("rationale", "")).strip():
        raise ClaimsError(f"{where}: check.rationale is empty; say why the tolerance follows from the article's precision")
    unknown = sorted(set(entry["datasets"]) - known_datasets)
    if unknown:
        raise ClaimsError(f"{where} names datasets missing from data/datapackage.json: {', '.join(unknown)}")
    return Claim(
        id=entry["id"], topic=entry["topic"], quote=entry["quote"], type=entry["type"], asserted=entry["asserted"],
        unit=entry["unit"], check=check, datasets=tuple(entry["datasets"]), notebook=entry["notebook"],
        definition=entry.get("definition", {}),
    )


# libyaml's safe loader where PyYAML has it (the same documents, ~10x faster: every notebook reads the registry)
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def registry(path: Path | None = None) -> dict[str, Claim]:
    """All registered claims by id, validated (parsed once per file version and manifest, not once per record)."""
    path, stamp = _version(path)
    return dict(_registry(path, stamp, paths.manifest()))


def document(path: Path | None = None) -> dict[str, Any]:
    """The registry file as parsed (its ``article:`` block and raw ``claims:``), once per file version."""
    return _document(*_version(path))


def _version(path: Path | None) -> tuple[Path, int]:
    path = path or paths.REGISTRY
    try:
        return path, path.stat().st_mtime_ns
    except OSError as exc:
        raise ClaimsError(f"cannot read the claims registry {path}: {exc}") from exc


@cache
def _document(path: Path, stamp: int) -> dict[str, Any]:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        raise ClaimsError(f"cannot read the claims registry {path}: {exc}") from exc


@cache
def _registry(path: Path, stamp: int, manifest: Path) -> dict[str, Claim]:
    doc = _document(path, stamp)
    known = set(resources())
    out: dict[str, Claim] = {}
    for entry in doc["claims"]:
        claim = _claim(entry, known)
        if claim.id in out:
            raise ClaimsError(f"claim id {claim.id!r} appears twice in {path.name}")
        out[claim.id] = claim
    return out


def _jsonable(value: Any) -> Any:
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        raise ClaimsError(f"cannot record a non-finite number ({value}); compute a finite value or record not_verifiable")
    return value


def _criteria_value(value: Any) -> Any:
    """A criteria dict with NaN (never yes or no) turned into None (not evaluable)."""
    if isinstance(value, dict):
        return {k: None if isinstance(v, float) and math.isnan(v) else v for k, v in value.items()}
    return value


def _write(claim_id: str, payload: dict) -> Path:
    claims = registry()
    if claim_id not in claims:
        raise ClaimsError(f"cannot record unknown claim {claim_id!r}; register it in data/claims.yaml first")
    if payload["evidence"] not in EVIDENCE:
        raise ClaimsError(f"evidence {payload['evidence']!r} is not one of {', '.join(EVIDENCE)}")
    unknown = sorted(set(payload["datasets"]) - set(resources()))
    if unknown:
        raise ClaimsError(f"claim {claim_id}: datasets {', '.join(unknown)} are not in data/datapackage.json")
    run = context.current()
    target = run.folder / "values" / f"{claim_id}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = {"claim": claim_id, "notebook": claims[claim_id].notebook, "package_version": __version__,
               **payload, "parameters": payload.get("parameters") or run.parameters}
    tmp = target.with_suffix(".json.part")
    tmp.write_text(json.dumps(_jsonable(payload), indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(target)
    run.note_claim(claim_id)
    return target


def record(claim_id: str, computed: Any, *, evidence: str, datasets: list[str], explanation: str,
           detail: dict | None = None, parameters: dict | None = None, earlier: dict | None = None,
           variants: dict | None = None) -> dict:
    """Record the value a notebook computed for a claim; returns the verdict it earns (for display).

    ``parameters``: the run's parameters that produced the value (decides claim or variant).
    ``earlier``: ``{"period": ..., "computed": ...}``, the same measure for the period the claim's
    figure dates from; a claim contradicted now but supported then is *outdated*.
    ``variants``: ``{label: computed}`` under the notebook's sensitivity variants (fragility).
    For criteria, ``detail["by_construction"]`` lists tests that hold by construction (not counted).
    """
    computed = _criteria_value(computed)
    payload = {"status": "computed", "computed": computed, "evidence": evidence, "datasets": list(datasets),
               "explanation": explanation, "detail": detail or {}, "parameters": parameters or {}}
    if earlier is not None:
        payload["earlier"] = {**earlier, "computed": _criteria_value(earlier["computed"])}
    if variants is not None:
        payload["variants"] = {str(k): _criteria_value(v) for k, v in variants.items()}
    _write(claim_id, payload)
    return judge(registry()[claim_id], payload)


def record_not_verifiable(claim_id: str, reason_code: str, *, explanation: str, evidence: str,
                          datasets: list[str], detail: dict | None = None, parameters: dict | None = None) -> dict:
    """Record that the data cannot settle a claim, with a reason code from REASONS."""
    if reason_code not in REASONS:
        raise ClaimsError(f"reason code {reason_code!r} is not one of {', '.join(REASONS)}")
    payload = {"status": "not_verifiable", "reason_code": reason_code, "evidence": evidence, "datasets": list(datasets),
               "explanation": explanation, "detail": detail or {}, "parameters": parameters or {}}
    _write(claim_id, payload)
    return judge(registry()[claim_id], payload)


def _band(check: dict, asserted: float, key: str) -> float | None:
    if key in check:
        return float(check[key])
    if f"{key}_rel" in check:
        return abs(asserted) * float(check[f"{key}_rel"])
    return None


def _number(claim: Claim, computed: Any) -> dict:
    asserted, value = float(claim.asserted), float(computed)
    diff = value - asserted
    tol = _band(claim.check, asserted, "tolerance") or 0.0
    approx = _band(claim.check, asserted, "approx")
    text = f"computed {value:,.6g} vs asserted {asserted:,.6g} (difference {diff:+,.4g}; supported within ±{tol:,.4g}"
    text += f", approximately within ±{approx:,.4g})" if approx is not None else ")"
    near = [(abs(abs(diff) - e), e) for e in (tol, approx) if e and abs(abs(diff) - e) <= EDGE_MARGIN_REL * e]
    note = "; ".join(f"{m:,.4g} from the ±{e:,.4g} band edge" for m, e in near)
    if abs(diff) <= tol + 1e-12:
        return {"verdict": "supported", "reason": text, "edge": note}
    if approx is not None and abs(diff) <= approx + 1e-12:
        return {"verdict": "approximately", "reason": text, "edge": note}
    return {"verdict": "contradicted", "reason": text, "edge": note}


def _date(claim: Claim, computed: Any) -> dict:
    day = dt.date.fromisoformat(str(computed))
    asserted = claim.asserted if isinstance(claim.asserted, dict) else {"from": claim.asserted, "to": claim.asserted}
    lo, hi = dt.date.fromisoformat(str(asserted["from"])), dt.date.fromisoformat(str(asserted["to"]))
    off = 0 if lo <= day <= hi else min(abs((day - lo).days), abs((day - hi).days))
    text = f"sourced date {day} vs asserted {lo}" + (f"..{hi}" if hi != lo else "") + f" ({off} days apart)"
    if off == 0:
        return {"verdict": "supported", "reason": text}
    if off <= int(claim.check.get("approx_days", 0)):
        return {"verdict": "approximately", "reason": text}
    return {"verdict": "contradicted", "reason": text}


def _share_verdict(check: dict, met: int, counted: int) -> str:
    if check.get("superlative"):
        return "supported" if met == counted else "contradicted"
    if met == counted:
        return "supported"
    return "partly_supported" if met / counted >= float(check.get("approx_share", 1.0)) else "contradicted"


def _criteria(claim: Claim, computed: Any, by_construction: list[str]) -> dict:
    """Criteria rules: None = not evaluable; a missing test that could change the verdict makes the claim
    not evaluable; tests that hold by construction are not counted; a superlative needs every comparator."""
    if not isinstance(computed, dict) or not computed or not all(v is None or isinstance(v, bool) for v in computed.values()):
        raise ClaimsError(f"claim {claim.id}: a criteria check needs a non-empty dict of True/False/None "
                          f"(None = not evaluable), got {computed!r}")
    tests = {k: v for k, v in computed.items() if k not in by_construction}
    skipped = f"; not counted (hold by construction): {'; '.join(by_construction)}" if by_construction else ""
    if not tests:
        return {"verdict": "not_evaluable", "reason": "every test holds by construction" + skipped}
    known = {k: v for k, v in tests.items() if v is not None}
    missing = [k for k, v in tests.items() if v is None]
    met = sum(known.values())
    failed = [k for k, v in known.items() if not v]
    lowest = _share_verdict(claim.check, met, len(tests))
    highest = _share_verdict(claim.check, met + len(missing), len(tests))
    text = f"{met} of {len(known)} evaluable criteria met" + (f"; not met: {'; '.join(failed)}" if failed else "")
    if missing:
        text += f"; not evaluable (no data): {'; '.join(missing)}"
        if lowest != highest:
            return {"verdict": "not_evaluable", "reason": "decisive tests lack data: " + "; ".join(missing) + ". " + text + skipped}
    return {"verdict": lowest, "reason": text + skipped}


def evaluate(claim: Claim, computed: Any, by_construction: Sequence[str] = ()) -> dict:
    """Verdict and a one-line reason for a computed value, under the claim's check (before evidence level)."""
    if claim.kind == "number":
        return _number(claim, computed)
    if claim.kind == "date":
        return _date(claim, computed)
    if claim.kind == "criteria":
        return _criteria(claim, _criteria_value(computed), list(by_construction))
    raise ClaimsError(f"claim {claim.id} is qualitative: record it with record_not_verifiable(..., 'qualitative')")


_AS_SOURCE = {"supported": "matches_source", "approximately": "approximately_matches_source",
              "partly_supported": "approximately_matches_source"}


def absent_members(claim: Claim, parameters: dict) -> list[str]:
    """Members the claim names that the run's member set (custom ``members``, else ASEAN on ``as_of``) leaves out."""
    named = set(claim.definition.get("named", ()))
    if not named or not (parameters.get("members") or "as_of" in parameters):
        return []
    chosen = parameters.get("members") or membership.asean(parameters["as_of"])
    return sorted(named - {c.upper() for c in chosen})


def judge(claim: Claim, rec: dict) -> dict:
    """The verdict of one recorded value: check, evidence level, projections, member set, outdated, fragility.

    Returns ``verdict``, ``reason``, ``fragile`` (empty or why) and ``variant_shares`` (empty or
    "verdict share, ...").
    """
    out = {"fragile": "", "variant_shares": ""}
    if rec["status"] == "not_verifiable":
        verdict, why = REASONS[rec["reason_code"]]
        return {**out, "verdict": verdict, "reason": f"{rec['reason_code']}: {why}"}
    absent = absent_members(claim, rec.get("parameters", {}))
    if absent:
        return {**out, "verdict": "not_evaluable",
                "reason": f"the claim names {', '.join(absent)}, absent from this run's member set; no data to test them"}
    by_construction = rec.get("detail", {}).get("by_construction", [])
    result = evaluate(claim, rec["computed"], by_construction)
    verdict, reason = result["verdict"], result["reason"]
    if claim.type == "projection":
        agreement = "agrees with" if verdict in ("supported", "approximately") else "differs from"
        return {**out, "verdict": "not_verifiable_projection",
                "reason": f"a projection, checkable only at its date; the cited projection {agreement} the article ({reason})"}
    if "earlier" in rec:
        then = evaluate(claim, rec["earlier"]["computed"], by_construction)
        if verdict == "contradicted" and then["verdict"] in ("supported", "approximately"):
            verdict = "outdated"
        reason += f"; for {rec['earlier']['period']}: {then['verdict']}, {then['reason']}"
    if rec["evidence"] not in INDEPENDENT and verdict in _AS_SOURCE:
        verdict = _AS_SOURCE[verdict]
        reason += f" ({EVIDENCE[rec['evidence']]}: agreement with the cited source, not independent evidence)"
    if result.get("edge"):
        out["fragile"] = f"within the edge margin: {result['edge']}"
    if rec.get("variants"):
        counts = Counter(evaluate(claim, v, by_construction)["verdict"] for v in rec["variants"].values())
        total = sum(counts.values())
        out["variant_shares"] = ", ".join(f"{v} {n}/{total}" for v, n in counts.most_common())
        if len(counts) > 1:
            out["fragile"] = "; ".join(filter(None, [out["fragile"], "the verdict changes across the sensitivity variants"]))
    return {**out, "verdict": verdict, "reason": reason}


def what_if(claim: Claim, parameters: dict) -> str:
    """``"year=2022, ..."`` for the run parameters that change what the claim asserts; empty for the article's."""
    changed = []
    for key in ASSERTION_PARAMETERS:
        if key not in parameters:
            continue
        expected = claim.definition.get(key) if key in claim.definition or key == "members" else parameters[key]
        if parameters[key] != expected:
            value = parameters[key]
            changed.append(f"{key}={','.join(value) if isinstance(value, list) else value}")
    return ", ".join(changed)


def reading(claim_ids: list[str], out_dir: Path | None = None) -> str:
    """Markdown lines, one per claim, with the verdict its recorded value earns now (for a notebook's reading)."""
    out_dir = out_dir or context.current().folder
    reg, lines = registry(), []
    for cid in claim_ids:
        path = out_dir / "values" / f"{cid}.json"
        if not path.is_file():
            lines.append(f"- `{cid}`: not recorded in this run")
            continue
        rec = json.loads(path.read_text(encoding="utf-8"))
        verdict, variant = judge(reg[cid], rec), what_if(reg[cid], rec.get("parameters", {}))
        prefix = f"what if {variant} (not a verdict on the article): " if variant else ""
        line = (f"- `{cid}` “{reg[cid].quote}”: {prefix}**{VERDICTS[verdict['verdict']]}** — {verdict['reason']}"
                + (f" (fragile: {verdict['fragile']})" if verdict["fragile"] else ""))
        lines.append(line.replace("$", "\\$"))
    return "\n".join(lines)


def _vintages(names: list[str]) -> str:
    known = resources()
    return "; ".join(f"{n}: {known[n].vintage}" for n in names if n in known)


def ledger(out_dir: Path, failed_notebooks: Collection[str] = frozenset()) -> pd.DataFrame:
    """Evaluate every registered claim against the values recorded under ``out_dir/values``."""
    rows = []
    for claim in registry().values():
        written = (paths.NOTEBOOKS / f"{claim.notebook}.ipynb").is_file()
        pending = f"notebook {claim.notebook} " + ("has not run into this folder" if written else "is not written yet")
        row = {"claim": claim.id, "topic": claim.topic, "quote": claim.quote, "asserted": claim.asserted,
               "unit": claim.unit, "computed": "", "verdict": "pending", "verdict_label": VERDICTS["pending"],
               "row_kind": "article", "what_if": "", "reason": pending, "fragile": "", "variant_shares": "",
               "explanation": "", "evidence_level": "", "parameters": "", "data_vintage": "",
               "notebook": claim.notebook, "datasets": "; ".join(claim.datasets)}
        path = out_dir / "values" / f"{claim.id}.json"
        if claim.notebook in failed_notebooks:
            row.update(verdict="error", verdict_label=VERDICTS["error"],
                       reason=f"notebook {claim.notebook} failed in this run; see its executed copy")
        elif path.is_file():
            rec = json.loads(path.read_text(encoding="utf-8"))
            verdict = judge(claim, rec)
            variant = what_if(claim, rec.get("parameters", {}))
            row.update(verdict=verdict["verdict"], verdict_label=VERDICTS[verdict["verdict"]], reason=verdict["reason"],
                       fragile=verdict["fragile"], variant_shares=verdict["variant_shares"],
                       row_kind="variant" if variant else "article", what_if=variant,
                       computed=rec.get("computed", ""), explanation=rec["explanation"],
                       evidence_level=EVIDENCE[rec["evidence"]], data_vintage=_vintages(rec["datasets"]),
                       parameters=json.dumps(rec.get("parameters", {}), sort_keys=True),
                       datasets="; ".join(rec["datasets"]))
        rows.append(row)
    return pd.DataFrame(rows)


def md_escape(text: object) -> str:
    """Text for a markdown table cell: pipes escaped, line breaks folded (the one definition the package uses)."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.6g}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "no data"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_cell(v)}" for k, v in value.items())
    return md_escape(value)


def summary(table: pd.DataFrame) -> pd.DataFrame:
    """Counts of the article's verdicts (variants excluded) by evidence level."""
    article = table[table["row_kind"] == "article"].assign(evidence_level=lambda t: t["evidence_level"].replace("", "none"))
    counts = article.pivot_table(index="verdict", columns="evidence_level", values="claim", aggfunc="count", fill_value=0)
    order = [v for v in VERDICTS if v in counts.index]
    return counts.loc[order].assign(total=lambda t: t.sum(axis=1))


def run_header(table: pd.DataFrame, out_dir: Path) -> list[str]:
    """Markdown lines stating the run: package version, commit, parameters and data vintages."""
    run = out_dir / "run.json"
    info = json.loads(run.read_text(encoding="utf-8")) if run.is_file() else {}
    params: dict[str, set] = {}
    for text in table["parameters"]:
        for key, value in (json.loads(text) if text else {}).items():
            params.setdefault(key, set()).add(json.dumps(value))
    datasets = sorted({d for text in table.loc[table["verdict"] != "pending", "datasets"] for d in text.split("; ") if d})
    commit = info.get("commit") or ("the commit that holds this published result" if info.get("published") else "not recorded")
    lines = [f"- package version: {__version__}; sources digest: {info.get('source_digest', 'not recorded')}; commit: {commit}",
             "- parameters: " + ("; ".join(f"{k}={' | '.join(sorted(v))}" for k, v in sorted(params.items())) or "none recorded"),
             "- data vintages: " + (_vintages(datasets) or "none")]
    return lines


def _coverage_lines() -> list[str]:
    """How much of the article the registry accounts for (tokens and checkable statements)."""
    from . import coverage, load
    from .errors import DataError

    try:
        text = load.article()
    except DataError as exc:  # a failed run's ledger is still written when the article itself is missing
        return [f"- not computed: {exc}"]
    return [f"- {line}" for line in coverage.describe(coverage.summary(coverage.table(text)))]


def write_ledger(table: pd.DataFrame, out_dir: Path) -> None:
    """Write ``claims_ledger.csv`` and ``claims_ledger.md`` into ``out_dir`` (each atomically)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_table = table.assign(computed=table["computed"].map(lambda v: json.dumps(v) if isinstance(v, dict) else v))
    (out_dir / "claims_ledger.csv.part").write_text(csv_table.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    counts = summary(table)
    lines = ["# Claims ledger", "", "Verdicts computed from the recorded values, the registry's tolerances "
             "(`data/claims.yaml`) and the evidence level: a figure that only matches the source the article cites "
             "is never counted as supported by independent data.", "", "## This run", "", *run_header(table, out_dir),
             "", "## Summary: the article's verdicts by evidence level", "",
             "| verdict | " + " | ".join(counts.columns) + " |", "|---" * (len(counts.columns) + 1) + "|"]
    lines += [f"| {VERDICTS[v]} (`{v}`) | " + " | ".join(str(n) for n in r) + " |" for v, r in counts.iterrows()]
    lines += ["", "## Coverage of the article", "", *_coverage_lines()]
    head = ["| claim | quote | asserted | computed | verdict | reason | fragility | evidence | notebook |",
            "|---|---|---|---|---|---|---|---|---|"]

    def body(rows: pd.DataFrame) -> list[str]:
        return [f"| {r.claim} | {_cell(r.quote)} | {_cell(r.asserted)} {_cell(r.unit)} | {_cell(r.computed)} | "
                f"**{r.verdict_label}** (`{r.verdict}`) | {_cell(r.reason)} | "
                f"{_cell('; '.join(filter(None, [r.fragile, r.variant_shares and 'variants: ' + r.variant_shares])))} | "
                f"{_cell(r.evidence_level)} | {r.notebook} |" for r in rows.itertuples()]
    lines += ["", "## The article's claims", "", *head, *body(table[table["row_kind"] == "article"])]
    variants = table[table["row_kind"] == "variant"]
    if not variants.empty:
        lines += ["", "## What-if variants (not verdicts on the article)", "",
                  "Values computed under parameters that change what the claim asserts; they answer another question.", "",
                  "| what if | " + head[0][2:], "|---" + head[1], *(f"| {w} " + line for w, line in zip(variants["what_if"], body(variants)))]
    (out_dir / "claims_ledger.md.part").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for name in ("claims_ledger.csv", "claims_ledger.md"):
        (out_dir / f"{name}.part").replace(out_dir / name)
