"""Then and now: the article's claims on the data vintages of its date and on the latest vintages in the mirror.

:func:`parameter_sets` picks, for every notebook parameter that names a data release
(:data:`VINTAGE_PARAMETERS`), the latest release of the notebook's default family (WDI, IMF WEO)
published by the article's date ("then") and the latest release of that family ("now").
Run each set into its own folder; :func:`then_and_now` compares the two folders claim by claim and
:func:`write` puts the table into a result folder (``then_and_now.csv`` and ``.md``).
"""

import datetime as dt
import re
from pathlib import Path

import pandas as pd

from . import diff, runner
from .choices import GDP_SOURCES, POPULATION_SOURCES
from .claimreview import article_meta
from .errors import ParameterError

VINTAGE_PARAMETERS = {"gdp_source": tuple(GDP_SOURCES), "population_vintage": tuple(POPULATION_SOURCES)}
_KEY = re.compile(r"(?P<family>.+)-(?P<year>\d{4})-(?P<month>\d{2})")


def release(key: str) -> tuple[str, dt.date]:
    """'wdi-2024-10' -> ('wdi', 2024-10-01): the family and the first day of the release month."""
    match = _KEY.fullmatch(key)
    if not match:
        raise ParameterError(f"release key {key!r} does not end in -YYYY-MM; name vintages <family>-<year>-<month>")
    return match["family"], dt.date(int(match["year"]), int(match["month"]), 1)


def pick(choices: tuple[str, ...], family: str, until: dt.date) -> tuple[str, str, str]:
    """(then, now, note) among ``choices`` of ``family``: latest released by ``until``, and latest overall.

    A release month counts as available if it began on or before ``until``. If none did, the earliest
    release stands in for "then" and the note says so.
    """
    dated = sorted((release(c)[1], c) for c in choices if release(c)[0] == family)
    if not dated:
        raise ParameterError(f"no {family} release among {', '.join(choices)}")
    before = [c for d, c in dated if d <= until]
    now = dated[-1][1]
    if before:
        return before[-1], now, ""
    return dated[0][1], now, (f"no {family} release in the mirror predates {until}; the earliest, {dated[0][1]}, "
                              "stands in for the article's date")


def parameter_sets(article_date: str | None = None) -> tuple[dict[str, dict[str, dict]], list[str]]:
    """({'then': {notebook: {parameter: value}}, 'now': {...}}, notes) for the notebooks that declare a vintage."""
    until = dt.date.fromisoformat(article_date or article_meta()["date"])
    sets: dict[str, dict[str, dict]] = {"then": {}, "now": {}}
    notes = []
    for notebook in runner.available():
        for name, default in runner.declared(notebook).items():
            if name not in VINTAGE_PARAMETERS:
                continue
            then, now, note = pick(VINTAGE_PARAMETERS[name], release(str(default).strip("\"'"))[0], until)
            sets["then"].setdefault(notebook, {})[name] = then
            sets["now"].setdefault(notebook, {})[name] = now
            if note:
                notes.append(f"{notebook}, {name}: {note}")
    return sets, notes


def _datasets(vintages: str) -> set[str]:
    return {part.split(": ", 1)[0].strip() for part in vintages.split(";") if part.strip()}


def then_and_now(folder_then: Path, folder_now: Path) -> pd.DataFrame:
    """Per claim of the notebooks run in both folders: value and verdict then and now, the inputs that differ,
    and whether the verdict depends on the vintage."""
    then, now = diff.read(folder_then), diff.read(folder_now)
    notebooks, _ = diff.scope(then, now)
    rows = []
    for cid in (c for c in then.ledger.index if c in now.ledger.index):
        a, b = then.ledger.loc[cid], now.ledger.loc[cid]
        if a["notebook"] not in notebooks:
            continue
        da, db = _datasets(a["data_vintage"]), _datasets(b["data_vintage"])
        rows.append({"claim": cid, "quote": a["quote"], "value_then": diff.show(a["computed"]),
                     "verdict_then": a["verdict"], "value_now": diff.show(b["computed"]), "verdict_now": b["verdict"],
                     "change": diff.change(a["computed"], b["computed"]) if diff.moved(a["computed"], b["computed"]) else "",
                     "inputs": f"{', '.join(sorted(da - db)) or '—'} → {', '.join(sorted(db - da)) or '—'}" if da != db else "",
                     "depends_on_vintage": a["verdict"] != b["verdict"]})
    return pd.DataFrame(rows, columns=["claim", "quote", "value_then", "verdict_then", "value_now", "verdict_now",
                                       "change", "inputs", "depends_on_vintage"])


def markdown(table: pd.DataFrame) -> str:
    """The then-and-now table for the report (markdown; claims whose verdict depends on the vintage first)."""
    ordered = table.sort_values(["depends_on_vintage", "claim"], ascending=[False, True], kind="stable")
    shown = ordered.assign(depends_on_vintage=ordered["depends_on_vintage"].map({True: "**yes**", False: "no"}))
    return diff.md_table(shown, {"claim": "claim", "quote": "quote", "value_then": "value then",
                                 "verdict_then": "verdict then", "value_now": "value now", "verdict_now": "verdict now",
                                 "change": "change", "inputs": "inputs then → now",
                                 "depends_on_vintage": "verdict depends on the vintage"})


def write(folder_then: Path, folder_now: Path, out: Path) -> Path:
    """Write ``<out>/then_and_now.csv`` and ``then_and_now.md`` (the parameters each run used, then the table)."""
    table = then_and_now(folder_then, folder_now)
    out = Path(out)
    table.to_csv(out / "then_and_now.csv", index=False, lineterminator="\n")
    used = {when: diff.read(folder).run.get("notebooks", {}) for when, folder in (("then", folder_then), ("now", folder_now))}
    lines = ["# Then and now: the claims on the data of the article's date and on the latest data", ""]
    for name in sorted(set(used["then"]) & set(used["now"])):
        pairs = {when: ", ".join(f"{k}={v}" for k, v in sorted(used[when][name].get("parameters", {}).items())) or "defaults"
                 for when in used}
        lines.append(f"- `{name}`: then {pairs['then']}; now {pairs['now']}")
    moved = table.loc[table["depends_on_vintage"], "claim"].tolist()
    lines += ["", f"Verdicts that depend on the vintage: {', '.join(moved) or 'none'}.", "", markdown(table)]
    (out / "then_and_now.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out / "then_and_now.csv"
