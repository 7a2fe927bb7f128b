"""A result folder as a Frictionless Data Package: ``<folder>/datapackage.json``.

It describes the claims ledger (``claims_ledger.csv``, with a schema whose verdicts are those of
:data:`asean_analysis.claims.VERDICTS`), every figure's table (``figures/<name>.csv``, schema inferred,
caption and sources from its provenance sidecar), the then-and-now table if present, and ``run.json``
(its JSON Schema under ``jsonSchema``, the Data Package v2 property, which frictionless-py does not
check: the tests do). The reproduce step calls :func:`write`; ``frictionless validate
<folder>/datapackage.json`` checks it.
"""

import csv
import json
from pathlib import Path
from typing import Any

from frictionless import Schema

from . import __version__, claims
from .errors import ClaimsError
from .fetch import sha256

LEDGER_FIELDS = {
    "claim": "claim id of data/claims.yaml",
    "topic": "topic of the claim",
    "quote": "the article's words, verbatim",
    "asserted": "the value the article asserts",
    "unit": "what the asserted value measures",
    "computed": "the value computed from public data (criteria as JSON)",
    "verdict": "verdict computed from the registry's tolerance",
    "reason": "one-line reason for the verdict",
    "explanation": "what the notebook found",
    "evidence_level": "how close to raw public data the evidence is",
    "data_vintage": "dataset: vintage of each input",
    "notebook": "notebook that records the claim",
    "datasets": "dataset ids of data/datapackage.json, separated by '; '",
}
RUN_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["package_version", "source_digest", "published", "notebooks"],
    "properties": {
        "package_version": {"type": "string"},
        "source_digest": {"type": "string"},
        "published": {"type": "boolean"},
        "commit": {"type": ["string", "null"]},
        "notebooks": {"type": "object", "additionalProperties": {
            "type": "object", "required": ["status", "parameters", "products"],
            "properties": {
                "status": {"enum": ["ok", "error"]},
                "parameters": {"type": "object"},
                "error": {"type": "string"},
                "products": {"type": "object", "properties": {
                    "notebook": {"type": "string"},
                    "parameters": {"type": "object"},
                    "claims": {"type": "array", "items": {"type": "string"}},
                    "figures": {"type": "array", "items": {"type": "string"}},
                    "inputs": {"type": "object", "additionalProperties": {"type": "string", "pattern": "^[0-9a-f]{64}$"}},
                }},
            }}},
    },
}


def _file(folder: Path, rel: str) -> dict[str, Any]:
    path = folder / rel
    return {"path": rel, "bytes": path.stat().st_size, "hash": f"sha256:{sha256(path)}"}


def ledger_resource(folder: Path) -> dict[str, Any]:
    """The ledger's resource: every column typed string, claim the primary key, verdicts constrained."""
    with open(folder / "claims_ledger.csv", encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    fields = []
    for name in header:
        field: dict[str, Any] = {"name": name, "type": "string", "description": LEDGER_FIELDS.get(name, "")}
        if name == "claim":
            field["constraints"] = {"required": True, "unique": True}
        if name == "verdict":
            field["constraints"] = {"required": True, "enum": list(claims.VERDICTS)}
        fields.append(field)
    return {"name": "claims-ledger", "title": "Claims ledger", "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", **_file(folder, "claims_ledger.csv"),
            "schema": {"fields": fields, "primaryKey": ["claim"], "missingValues": [""]}}


def figure_resource(folder: Path, csv: Path) -> dict[str, Any]:
    """A figure's table: schema inferred from the CSV, caption and sources from its sidecar."""
    sidecar = csv.with_suffix(".json")
    car = json.loads(sidecar.read_text(encoding="utf-8")) if sidecar.is_file() else {}
    schema = Schema.describe(str(csv)).to_descriptor()
    out = {"name": f"figure-{csv.stem}".lower(), "title": f"Table behind figure {csv.stem}",
           "description": car.get("caption", ""), "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
           **_file(folder, csv.relative_to(folder).as_posix()), "schema": schema}
    sources = [{"title": f"{d['dataset']}: {d.get('title', '')} ({d.get('vintage', '')})".strip(),
                **({"path": d["url"]} if d.get("url") else {})} for d in car.get("datasets", [])]
    if sources:
        out["sources"] = sources
    return out


def then_and_now_resource(folder: Path) -> dict[str, Any]:
    """The then-and-now table (asean_analysis.vintages.write): claims on the article-date and the latest vintages."""
    fields: list[dict[str, Any]] = [{"name": n, "type": "string"} for n in ("claim", "quote", "value_then", "verdict_then", "value_now",
                                                      "verdict_now", "change", "inputs")]
    fields.append({"name": "depends_on_vintage", "type": "boolean", "trueValues": ["True"], "falseValues": ["False"]})
    return {"name": "then-and-now", "title": "Verdicts on the data of the article's date and on the latest data",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", **_file(folder, "then_and_now.csv"),
            "schema": {"fields": fields, "primaryKey": ["claim"], "missingValues": [""]}}


def descriptor(folder: Path) -> dict[str, Any]:
    """The data package descriptor of a result folder (paths relative to it)."""
    folder = Path(folder)
    if not (folder / "claims_ledger.csv").is_file():
        raise ClaimsError(f"{folder} has no claims_ledger.csv; run `python -m asean_analysis run --out {folder}` first")
    resources = [ledger_resource(folder)]
    resources += [figure_resource(folder, p) for p in sorted((folder / "figures").glob("*.csv"))]
    if (folder / "then_and_now.csv").is_file():
        resources.append(then_and_now_resource(folder))
    if (folder / "run.json").is_file():
        resources.append({"name": "run", "title": "What ran: per notebook its status, parameters and inputs",
                          "format": "json", "mediatype": "application/json", **_file(folder, "run.json"),
                          "jsonSchema": RUN_SCHEMA})
    return {"name": "asean-claims-results", "title": "Verdicts and figure tables of the asean-claims replication package",
            "description": "Machine-made verdicts on the claims of the op-ed of 27 November 2024 (The ASEAN Daily / "
                           "INSAP) and the tables behind the regenerated figures. The figures' data keep their "
                           "publishers' licences (see each resource's sources and data/datapackage.json).",
            "version": __version__, "resources": resources}


def write(folder: Path) -> Path:
    """Write ``<folder>/datapackage.json`` and return its path."""
    target = Path(folder) / "datapackage.json"
    target.write_text(json.dumps(descriptor(folder), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return target
