"""The claims registry (``data/claims.yaml``), recording of computed values, verdicts and the ledger.

Flow: a notebook computes a value with the package and calls :func:`record` (or
:func:`record_not_verifiable`); each call writes one JSON file under ``<output>/values/``.
:func:`ledger` then evaluates every registered claim against what was recorded: the verdict
is computed here from the registry's asserted value and tolerance, never typed in.
"""

import datetime as dt
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from . import __version__, paths
from .errors import ClaimsError
from .manifest import resources

VERDICTS = ("supported", "approximately", "contradicted", "not_verifiable", "pending", "error")
EVIDENCE = {
    "raw_public_data": "recomputed from raw public data",
    "derived_data": "computed from derived or transcribed public data",
    "arithmetic_on_citation": "arithmetic on a cited figure",
    "citation_only": "citation only",
}
REASONS = {
    "proprietary_source": "the figure comes from a proprietary report whose data are not public",
    "projection": "a projection or forecast cannot be checked before its date",
    "no_data_for_period": "the public data do not cover the period the claim is about",
    "definition_unknown": "the article does not say which definition its number uses",
    "qualitative": "a qualitative judgement, not a quantity",
    "source_not_found": "the cited source could not be located",
}
CHECK_KINDS = ("number", "date", "criteria", "qualitative")
CLAIM_TYPES = ("rank", "quantity", "change", "count", "projection", "date", "comparison", "figure", "qualitative")


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


def _normalise(text: str) -> str:
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"\s+", " ", text).strip().lower()


def paragraph_of(quote: str, article: str) -> int:
    """1-based paragraph of the article where ``quote`` stands (0 if absent)."""
    needle = _normalise(quote)
    for number, para in enumerate((p for p in article.split("\n") if p.strip()), start=1):
        if needle in _normalise(para):
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


def registry(path: Path | None = None) -> dict[str, Claim]:
    """All registered claims by id, validated."""
    path = path or paths.REGISTRY
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ClaimsError(f"cannot read the claims registry {path}: {exc}") from exc
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


def _write(claim_id: str, payload: dict) -> Path:
    claims = registry()
    if claim_id not in claims:
        raise ClaimsError(f"cannot record unknown claim {claim_id!r}; register it in data/claims.yaml first")
    if payload["evidence"] not in EVIDENCE:
        raise ClaimsError(f"evidence {payload['evidence']!r} is not one of {', '.join(EVIDENCE)}")
    unknown = sorted(set(payload["datasets"]) - set(resources()))
    if unknown:
        raise ClaimsError(f"claim {claim_id}: datasets {', '.join(unknown)} are not in data/datapackage.json")
    target = paths.output_dir() / "values" / f"{claim_id}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = {"claim": claim_id, "notebook": claims[claim_id].notebook, "package_version": __version__, **payload}
    tmp = target.with_suffix(".json.part")
    tmp.write_text(json.dumps(_jsonable(payload), indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(target)
    return target


def record(claim_id: str, computed: Any, *, evidence: str, datasets: list[str], explanation: str,
           detail: dict | None = None) -> dict:
    """Record the value a notebook computed for a claim; returns the verdict it earns (for display)."""
    _write(claim_id, {"status": "computed", "computed": computed, "evidence": evidence,
                      "datasets": list(datasets), "explanation": explanation, "detail": detail or {}})
    return evaluate(registry()[claim_id], computed)


def record_not_verifiable(claim_id: str, reason_code: str, *, explanation: str, evidence: str,
                          datasets: list[str], detail: dict | None = None) -> dict:
    """Record that the data cannot settle a claim, with a reason code from REASONS."""
    if reason_code not in REASONS:
        raise ClaimsError(f"reason code {reason_code!r} is not one of {', '.join(REASONS)}")
    _write(claim_id, {"status": "not_verifiable", "reason_code": reason_code, "evidence": evidence,
                      "datasets": list(datasets), "explanation": explanation, "detail": detail or {}})
    return {"verdict": "not_verifiable", "reason": f"{reason_code}: {REASONS[reason_code]}"}


def _band(check: dict, asserted: float, key: str) -> float | None:
    if key in check:
        return float(check[key])
    if f"{key}_rel" in check:
        return abs(asserted) * float(check[f"{key}_rel"])
    return None


def evaluate(claim: Claim, computed: Any) -> dict:
    """Verdict and a one-line reason for a computed value, under the claim's tolerance."""
    check = claim.check
    if claim.kind == "number":
        asserted, value = float(claim.asserted), float(computed)
        diff = value - asserted
        tol = _band(check, asserted, "tolerance") or 0.0
        approx = _band(check, asserted, "approx")
        text = f"computed {value:,.6g} vs asserted {asserted:,.6g} (difference {diff:+,.4g}; supported within ±{tol:,.4g}"
        text += f", approximately within ±{approx:,.4g})" if approx is not None else ")"
        if abs(diff) <= tol + 1e-12:
            return {"verdict": "supported", "reason": text}
        if approx is not None and abs(diff) <= approx + 1e-12:
            return {"verdict": "approximately", "reason": text}
        return {"verdict": "contradicted", "reason": text}
    if claim.kind == "date":
        day = dt.date.fromisoformat(str(computed))
        asserted = claim.asserted if isinstance(claim.asserted, dict) else {"from": claim.asserted, "to": claim.asserted}
        lo, hi = dt.date.fromisoformat(str(asserted["from"])), dt.date.fromisoformat(str(asserted["to"]))
        off = 0 if lo <= day <= hi else min(abs((day - lo).days), abs((day - hi).days))
        text = f"sourced date {day} vs asserted {lo}" + (f"..{hi}" if hi != lo else "") + f" ({off} days apart)"
        if off == 0:
            return {"verdict": "supported", "reason": text}
        if off <= int(check.get("approx_days", 0)):
            return {"verdict": "approximately", "reason": text}
        return {"verdict": "contradicted", "reason": text}
    if claim.kind == "criteria":
        if not isinstance(computed, dict) or not computed or not all(v is None or isinstance(v, bool) for v in computed.values()):
            raise ClaimsError(f"claim {claim.id}: a criteria check needs a non-empty dict of booleans (None: not "
                              f"evaluable), got {computed!r}")
        missing = [k for k, v in computed.items() if v is None]
        computed = {k: v for k, v in computed.items() if v is not None}
        if not computed:
            return {"verdict": "not_verifiable", "reason": f"no criterion evaluable: {'; '.join(missing)}"}
        met = [k for k, v in computed.items() if v]
        share = len(met) / len(computed)
        failed = [k for k, v in computed.items() if not v]
        text = f"{len(met)} of {len(computed)} criteria met" + (f"; not met: {'; '.join(failed)}" if failed else "")
        text += f"; not evaluable: {'; '.join(missing)}" if missing else ""
        if share == 1:
            return {"verdict": "supported", "reason": text}
        if share >= float(check.get("approx_share", 1.0)):
            return {"verdict": "approximately", "reason": text}
        return {"verdict": "contradicted", "reason": text}
    raise ClaimsError(f"claim {claim.id} is qualitative: record it with record_not_verifiable(..., 'qualitative')")


def _vintages(names: list[str]) -> str:
    known = resources()
    return "; ".join(f"{n}: {known[n].vintage}" for n in names if n in known)


def ledger(out_dir: Path, failed_notebooks: set[str] = frozenset()) -> pd.DataFrame:
    """Evaluate every registered claim against the values recorded under ``out_dir/values``."""
    rows = []
    for claim in registry().values():
        written = (paths.NOTEBOOKS / f"{claim.notebook}.ipynb").is_file()
        pending = f"notebook {claim.notebook} " + ("has not run into this folder" if written else "is not written yet")
        row = {"claim": claim.id, "topic": claim.topic, "quote": claim.quote, "asserted": claim.asserted,
               "unit": claim.unit, "computed": "", "verdict": "pending", "reason": pending,
               "explanation": "", "evidence_level": "", "data_vintage": "", "notebook": claim.notebook,
               "datasets": "; ".join(claim.datasets)}
        path = out_dir / "values" / f"{claim.id}.json"
        if claim.notebook in failed_notebooks:
            row.update(verdict="error", reason=f"notebook {claim.notebook} failed in this run; see its executed copy")
        elif path.is_file():
            rec = json.loads(path.read_text(encoding="utf-8"))
            if rec["status"] == "not_verifiable":
                verdict = {"verdict": "not_verifiable", "reason": f"{rec['reason_code']}: {REASONS[rec['reason_code']]}"}
            else:
                verdict = evaluate(claim, rec["computed"])
                row["computed"] = rec["computed"]
            row.update(verdict=verdict["verdict"], reason=verdict["reason"], explanation=rec["explanation"],
                       evidence_level=EVIDENCE[rec["evidence"]], data_vintage=_vintages(rec["datasets"]),
                       datasets="; ".join(rec["datasets"]))
        rows.append(row)
    return pd.DataFrame(rows)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.6g}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_cell(v)}" for k, v in value.items())
    return str(value).replace("|", "\\|").replace("\n", " ")


def write_ledger(table: pd.DataFrame, out_dir: Path) -> None:
    """Write ``claims_ledger.csv`` and ``claims_ledger.md`` into ``out_dir`` (each atomically)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_table = table.assign(computed=table["computed"].map(lambda v: json.dumps(v) if isinstance(v, dict) else v))
    (out_dir / "claims_ledger.csv.part").write_text(csv_table.to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    counts = table["verdict"].value_counts()
    lines = ["# Claims ledger", "", "Verdicts computed from the recorded values and the registry's tolerances "
             "(`data/claims.yaml`).", "", "Summary: " + ", ".join(f"{v} {counts[v]}" for v in VERDICTS if v in counts), "",
             "| claim | quote | asserted | computed | verdict | reason | evidence | notebook |",
             "|---|---|---|---|---|---|---|---|"]
    for r in table.itertuples():
        lines.append(f"| {r.claim} | {_cell(r.quote)} | {_cell(r.asserted)} {_cell(r.unit)} | {_cell(r.computed)} | "
                     f"**{r.verdict}** | {_cell(r.reason)} | {_cell(r.evidence_level)} | {r.notebook} |")
    (out_dir / "claims_ledger.md.part").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for name in ("claims_ledger.csv", "claims_ledger.md"):
        (out_dir / f"{name}.part").replace(out_dir / name)
