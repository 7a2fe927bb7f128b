"""What changed between two result folders, in claim terms: verdicts, values, figures' data and inputs.

A result folder (``outputs/`` or a rerun) holds ``claims_ledger.csv``, ``values/``, ``figures/``
(CSV + provenance sidecar JSON) and ``run.json``. :func:`compare` reads two of them and returns a
:class:`Diff`; :func:`markdown` writes it for people; :func:`main` is the ``diff`` command (exit 0:
same, 1: different, 2: error). Only notebooks that ran in both folders are compared; the others are
named. Extra ledger columns and new verdict names are carried through, never assumed away.
"""

import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import claims
from .errors import AseanError, ClaimsError

SAME, DIFFERENT, ERROR = 0, 1, 2
EXAMPLES = 3  # changed rows quoted per figure
COLUMNS = ("claim", "quote", "computed", "verdict", "reason", "data_vintage", "notebook")  # ledger columns read here


@dataclass(frozen=True)
class Folder:
    """One result folder, read."""

    path: Path
    ledger: pd.DataFrame  # indexed by claim
    run: dict
    sidecars: dict[str, dict]  # figure name -> provenance sidecar


@dataclass(frozen=True)
class Diff:
    verdicts: pd.DataFrame  # claim, quote, verdict_a, verdict_b, reason_b
    values: pd.DataFrame  # claim, computed_a, computed_b, change, tolerance, verdict_a, verdict_b
    figures: pd.DataFrame  # figure, status, rows_a, rows_b, added, removed, changed, examples
    inputs: pd.DataFrame  # item, what, a, b, used_by
    not_compared: dict[str, list[str]]  # "only in A" / "only in B" -> notebook names

    @property
    def same(self) -> bool:
        return all(frame.empty for frame in (self.verdicts, self.values, self.figures, self.inputs))


def read(folder: Path) -> Folder:
    """Read a result folder; a clear error if it is not one."""
    folder = Path(folder)
    ledger_path = folder / "claims_ledger.csv"
    if not ledger_path.is_file():
        raise ClaimsError(f"{folder} is not a result folder (no claims_ledger.csv); pass a folder written by "
                          "`python -m asean_analysis run --out DIR`")
    ledger = pd.read_csv(ledger_path, dtype=str, keep_default_na=False)
    missing = sorted(set(COLUMNS) - set(ledger.columns))
    if missing:
        raise ClaimsError(f"{ledger_path} lacks the column(s) {', '.join(missing)}; rebuild it with "
                          f"`python -m asean_analysis ledger --out {folder}`")
    ledger = ledger.set_index("claim")
    run_path = folder / "run.json"
    run = json.loads(run_path.read_text(encoding="utf-8")) if run_path.is_file() else {"notebooks": {}}
    sidecars = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted((folder / "figures").glob("*.json"))}
    return Folder(folder, ledger, run, sidecars)


def _number(text: str) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _criteria(text: str) -> dict | None:
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return None
    return value if isinstance(value, dict) else None


def tolerance_text(claim: claims.Claim) -> str:
    """The registry's bands for a claim, as a reader sees them (e.g. 'supported within ±0.5, approximately within ±26.3')."""
    check = claim.check
    if claim.kind == "number":
        asserted = float(claim.asserted)
        tol = claims._band(check, asserted, "tolerance") or 0.0
        approx = claims._band(check, asserted, "approx")
        return f"supported within ±{tol:,.4g}" + (f", approximately within ±{approx:,.4g}" if approx is not None else "")
    if claim.kind == "date":
        return f"supported inside the asserted dates, approximately within {int(check.get('approx_days', 0))} days"
    if claim.kind == "criteria":
        return f"supported if every criterion is met, approximately if a share ≥ {float(check.get('approx_share', 1.0)):g}"
    return "qualitative: no tolerance"


def show(text: str) -> str:
    """A recorded value for a table: numbers to 6 significant digits, criteria as 'k of n criteria met'."""
    number, criteria = _number(text), _criteria(text)
    if number is not None:
        return f"{number:,.6g}"
    if criteria is not None:
        return f"{sum(bool(v) for v in criteria.values())} of {len(criteria)} criteria met"
    return text or "—"


def change(a: str, b: str) -> str:
    """How a recorded value moved: a signed difference (and percentage), flipped criteria, or 'a → b'."""
    x, y = _number(a), _number(b)
    if x is not None and y is not None:
        rel = f" ({(y - x) / abs(x):+.2%})" if x else ""
        return f"{y - x:+,.6g}{rel}"
    ca, cb = _criteria(a), _criteria(b)
    if ca is not None and cb is not None:
        flipped = sorted(k for k in set(ca) | set(cb) if ca.get(k) != cb.get(k))
        return "criteria changed: " + "; ".join(f"{k}: {ca.get(k)} → {cb.get(k)}" for k in flipped)
    return f"{a or '—'} → {b or '—'}"


def moved(a: str, b: str) -> bool:
    """Whether a recorded value differs (numbers beyond float noise, criteria by content, else as text)."""
    x, y = _number(a), _number(b)
    if x is not None and y is not None:
        return not math.isclose(x, y, rel_tol=1e-9, abs_tol=1e-12)
    ca, cb = _criteria(a), _criteria(b)
    if ca is not None and cb is not None:
        return ca != cb
    return a != b


def scope(a: Folder, b: Folder) -> tuple[set[str], dict[str, list[str]]]:
    """(notebooks run in both folders, notebooks run in one only) from their run.json."""
    na, nb = set(a.run.get("notebooks", {})), set(b.run.get("notebooks", {}))
    if not na or not nb:  # a folder without run.json: compare every claim
        both = set(a.ledger["notebook"]) | set(b.ledger["notebook"])
        return both, {}
    return na & nb, {k: v for k, v in (("only in A", sorted(na - nb)), ("only in B", sorted(nb - na))) if v}


def claim_changes(a: Folder, b: Folder, notebooks: set[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(verdicts that changed, values that moved) for the claims of ``notebooks`` present in both ledgers."""
    verdicts, values = [], []
    registry = claims.registry()
    for cid in (c for c in a.ledger.index if c in b.ledger.index):
        ra, rb = a.ledger.loc[cid], b.ledger.loc[cid]
        if rb["notebook"] not in notebooks and ra["notebook"] not in notebooks:
            continue
        if ra["verdict"] != rb["verdict"]:
            verdicts.append({"claim": cid, "quote": rb["quote"], "verdict_a": ra["verdict"], "verdict_b": rb["verdict"],
                             "reason_b": rb["reason"]})
        if moved(ra["computed"], rb["computed"]):
            values.append({"claim": cid, "computed_a": show(ra["computed"]), "computed_b": show(rb["computed"]),
                           "change": change(ra["computed"], rb["computed"]),
                           "tolerance": tolerance_text(registry[cid]) if cid in registry else "claim not in the registry",
                           "verdict_a": ra["verdict"], "verdict_b": rb["verdict"]})
    vcols = ["claim", "quote", "verdict_a", "verdict_b", "reason_b"]
    ncols = ["claim", "computed_a", "computed_b", "change", "tolerance", "verdict_a", "verdict_b"]
    return pd.DataFrame(verdicts, columns=vcols), pd.DataFrame(values, columns=ncols)


def _key(fa: pd.DataFrame, fb: pd.DataFrame) -> list[str] | None:
    """Shortest prefix of the non-float columns (text first) that identifies rows in both tables."""
    common = [c for c in fa.columns if c in fb.columns]
    text = [c for c in common if not pd.api.types.is_numeric_dtype(fa[c])]
    ints = [c for c in common if pd.api.types.is_integer_dtype(fa[c])]
    candidates = text + ints
    for n in range(1, len(candidates) + 1):
        key = candidates[:n]
        if not fa.duplicated(key).any() and not fb.duplicated(key).any():
            return key
    return None


def _equal(x: Any, y: Any) -> bool:
    if isinstance(x, (int, float, np.number)) and isinstance(y, (int, float, np.number)):
        return bool(np.isclose(x, y, rtol=1e-9, atol=1e-12, equal_nan=True))
    return (pd.isna(x) and pd.isna(y)) if (pd.isna(x) or pd.isna(y)) else x == y


def _show(value: Any) -> str:
    return f"{value:,.6g}" if isinstance(value, (float, np.floating)) else str(value)


def table_changes(fa: pd.DataFrame, fb: pd.DataFrame) -> dict[str, Any]:
    """Rows added, removed and changed between two versions of a figure's table, with a few examples."""
    examples: list[str] = []
    out: dict[str, Any] = {"rows_a": len(fa), "rows_b": len(fb), "added": 0, "removed": 0, "changed": 0, "examples": examples}
    new_cols, gone_cols = sorted(set(fb.columns) - set(fa.columns)), sorted(set(fa.columns) - set(fb.columns))
    if new_cols or gone_cols:
        examples.append(f"columns added: {', '.join(new_cols) or '—'}; removed: {', '.join(gone_cols) or '—'}")
    key = _key(fa, fb)
    common = [c for c in fa.columns if c in fb.columns]
    if key is None:  # compare as multisets of rows
        ra = fa[common].astype(str).apply(tuple, axis=1).value_counts()
        rb = fb[common].astype(str).apply(tuple, axis=1).value_counts()
        net = rb.sub(ra, fill_value=0)
        out["added"], out["removed"] = int(net[net > 0].sum()), int(-net[net < 0].sum())
        return out
    ia, ib = fa.set_index(key), fb.set_index(key)
    out["added"], out["removed"] = len(ib.index.difference(ia.index)), len(ia.index.difference(ib.index))
    for k in ia.index.intersection(ib.index):
        differing = [c for c in common if c not in key and not _equal(ia.at[k, c], ib.at[k, c])]
        if differing:
            out["changed"] += 1
            if len(examples) < EXAMPLES:
                label = ", ".join(f"{n}={v}" for n, v in zip(key, k if isinstance(k, tuple) else (k,)))
                examples.append(f"{label}: " + "; ".join(f"{c} {_show(ia.at[k, c])} → {_show(ib.at[k, c])}"
                                                                for c in differing[:3]))
    return out


def figure_changes(a: Folder, b: Folder, partial: bool = False) -> tuple[pd.DataFrame, list[str]]:
    """Figures whose table (CSV) differs or exists in one folder only; with ``partial`` (one run covers fewer
    notebooks) a one-sided figure is returned apart, as not compared."""
    rows, one_sided = [], []
    da, db = a.path / "figures", b.path / "figures"
    names = sorted({p.stem for p in da.glob("*.csv")} | {p.stem for p in db.glob("*.csv")})
    for name in names:
        pa, pb = da / f"{name}.csv", db / f"{name}.csv"
        if not pa.is_file() or not pb.is_file():
            where = "only in " + ("B" if pb.is_file() else "A")
            if partial:
                one_sided.append(f"{name} ({where})")
            else:
                rows.append({"figure": name, "status": where})
            continue
        if pa.read_bytes() == pb.read_bytes():
            continue
        summary = table_changes(pd.read_csv(pa), pd.read_csv(pb))
        if summary["added"] or summary["removed"] or summary["changed"] or summary["examples"]:
            rows.append({"figure": name, "status": "changed", **summary})
    cols = ["figure", "status", "rows_a", "rows_b", "added", "removed", "changed", "examples"]
    return pd.DataFrame(rows, columns=cols), one_sided


def _inputs(folder: Folder) -> dict[str, dict[str, Any]]:
    """Dataset -> {sha256, vintage, used_by}, from run.json inputs, figure sidecars and the ledger's vintages."""
    seen: dict[str, dict[str, Any]] = {}

    def note(name: str, user: str, **facts):
        entry = seen.setdefault(name, {"sha256": None, "vintage": None, "used_by": set()})
        entry["used_by"].add(user)
        entry.update({k: v for k, v in facts.items() if v})

    for nb, info in folder.run.get("notebooks", {}).items():
        declared = (info.get("products") or {}).get("inputs") or info.get("inputs") or {}
        for key, digest in (declared.items() if isinstance(declared, dict) else ((k, None) for k in declared)):
            note(key, nb, sha256=digest)  # run.json: each notebook's inputs with the sha256 it read
    for fig, car in folder.sidecars.items():
        for ds in car.get("datasets", []):
            note(ds["dataset"], f"figure {fig}", sha256=ds.get("sha256"), vintage=ds.get("vintage"))
    for cid, row in folder.ledger.iterrows():
        for part in filter(None, (p.strip() for p in str(row.get("data_vintage", "")).split(";"))):
            name, _, vintage = part.partition(": ")
            note(name, cid, vintage=vintage)
    return seen


def input_changes(a: Folder, b: Folder, notebooks: set[str]) -> pd.DataFrame:
    """Inputs whose sha256 or vintage differ, inputs read by one run only, and parameters that differ."""
    ia, ib = _inputs(a), _inputs(b)
    rows = []
    for name in sorted(set(ia) | set(ib)):
        ea, eb = ia.get(name), ib.get(name)
        either = ea if ea is not None else eb
        assert either is not None  # name comes from one of the two
        users = ", ".join(sorted(either["used_by"] | (eb or either)["used_by"]))
        if ea is None or eb is None:
            if any(u in notebooks for u in either["used_by"]):
                rows.append({"item": name, "what": "read only in " + ("B" if ea is None else "A"), "a": "", "b": "",
                             "used_by": users})
            continue
        for what in ("sha256", "vintage"):
            if ea[what] and eb[what] and ea[what] != eb[what]:
                rows.append({"item": name, "what": what, "a": ea[what], "b": eb[what], "used_by": users})
    for nb in sorted(notebooks):
        pa = a.run["notebooks"].get(nb, {}).get("parameters", {}) if a.run.get("notebooks") else {}
        pb = b.run["notebooks"].get(nb, {}).get("parameters", {}) if b.run.get("notebooks") else {}
        for key in sorted(set(pa) | set(pb)):
            if pa.get(key) != pb.get(key):
                rows.append({"item": f"{nb}: {key}", "what": "parameter", "a": json.dumps(pa.get(key, "default")),
                             "b": json.dumps(pb.get(key, "default")), "used_by": nb})
    return pd.DataFrame(rows, columns=["item", "what", "a", "b", "used_by"])


def compare(folder_a: Path, folder_b: Path) -> Diff:
    """Everything that differs between two result folders, in claim terms."""
    a, b = read(folder_a), read(folder_b)
    notebooks, not_compared = scope(a, b)
    verdicts, values = claim_changes(a, b, notebooks)
    figures, one_sided = figure_changes(a, b, partial=bool(not_compared))
    if one_sided:
        not_compared["figures"] = one_sided
    return Diff(verdicts, values, figures, input_changes(a, b, notebooks), not_compared)


def md_table(frame: pd.DataFrame, columns: dict[str, str]) -> str:
    """A markdown table of ``frame``'s ``columns`` (column -> heading); cells escaped for pipes and newlines."""
    def cell(v: Any) -> str:
        if isinstance(v, list):
            v = "<br>".join(map(str, v))
        return claims.md_escape(v)

    lines = ["| " + " | ".join(columns.values()) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(cell(r[c]) for c in columns) + " |" for _, r in frame.iterrows()]
    return "\n".join(lines)


def markdown(diff: Diff, label_a: str = "A", label_b: str = "B") -> str:
    """The diff for people: one section per kind of change."""
    head = f"# What changed from `{label_a}` (A) to `{label_b}` (B)"
    if diff.same:
        text = head + "\n\nNo verdict, value, figure table or input differs."
    else:
        counts = (f"{len(diff.verdicts)} verdict(s) changed, {len(diff.values)} value(s) moved, "
                  f"{len(diff.figures)} figure table(s) changed, {len(diff.inputs)} input(s) or parameter(s) differ.")
        sections = [head, counts]
        if not diff.verdicts.empty:
            sections += ["## Verdicts that changed", md_table(diff.verdicts, {
                "claim": "claim", "quote": "quote", "verdict_a": "A", "verdict_b": "B", "reason_b": "why (B)"})]
        if not diff.values.empty:
            sections += ["## Values that moved", md_table(diff.values, {
                "claim": "claim", "computed_a": "A", "computed_b": "B", "change": "change",
                "tolerance": "tolerance (data/claims.yaml)", "verdict_a": "verdict A", "verdict_b": "verdict B"})]
        if not diff.figures.empty:
            sections += ["## Figures whose data changed", md_table(diff.figures.fillna(""), {
                "figure": "figure", "status": "status", "rows_a": "rows A", "rows_b": "rows B", "added": "added",
                "removed": "removed", "changed": "changed", "examples": "examples"})]
        if not diff.inputs.empty:
            sections += ["## Inputs and parameters that differ", md_table(diff.inputs, {
                "item": "input", "what": "what", "a": "A", "b": "B", "used_by": "used by"})]
        text = "\n\n".join(sections)
    if diff.not_compared:
        text += "\n\nNot compared (ran in one folder only): " + "; ".join(
            f"{k}: {', '.join(v)}" for k, v in diff.not_compared.items())
    return text + "\n"


def main(folder_a: Path, folder_b: Path, md: Path | None = None) -> int:
    """The ``diff`` command: print (or write to ``md``) the markdown; 0 same, 1 different, 2 error."""
    try:
        result = compare(folder_a, folder_b)
        text = markdown(result, str(folder_a), str(folder_b))
        if md is not None:
            Path(md).write_text(text, encoding="utf-8")
    except (AseanError, OSError, ValueError) as exc:
        print(f"error: cannot compare {folder_a} and {folder_b}: {exc}", file=sys.stderr)
        return ERROR
    print(text if md is None else f"[{'same' if result.same else 'different'}] {md}", end="" if md is None else "\n")
    return SAME if result.same else DIFFERENT
