"""The reader's report: a static, offline HTML site built from a run folder into ``<out>/report/``.

Pages: ``index.html`` (the article with every registered claim highlighted by verdict),
``ledger.html`` (sortable claims ledger), ``notebooks/<name>.html`` (reader version, no code) and
``notebooks/<name>.code.html`` (auditor version), ``figures.html`` and ``data.html``. The pages are
Jinja2 templates (``templates/``, autoescaped) with a static stylesheet and script; this module
finds the claims' quotes in the article and assembles each page's context from the registry, the
manifest and the run folder (``claims_ledger.csv``, ``run.json`` with each notebook's parameters
and products, ``notebooks/*.ipynb``, ``figures/*.json`` sidecars). No page loads anything from the
network.
"""

import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
import nbformat
import pandas as pd
from markupsafe import Markup
from nbconvert import HTMLExporter
from pygments.formatters import HtmlFormatter

from . import claimreview, claims, coverage, load, paths
from .errors import DataError
from .manifest import resources

TEMPLATES = Path(__file__).with_name("templates")
STATIC = TEMPLATES / "static"


class Style(NamedTuple):
    """How a verdict is shown: a symbol and a short label carry it (its meaning is ``claims.VERDICTS``);
    the tone, a CSS class ``v-<tone>`` of ``static/report.css`` (colour and underline style), only
    repeats it and is shared by verdicts of one family."""

    symbol: str
    label: str
    tone: str


VERDICT_STYLE = {
    "supported": Style("✓", "supported", "supported"),
    "approximately": Style("≈", "approximately", "approximately"),
    "partly_supported": Style("◐", "partly supported", "approximately"),
    "matches_source": Style("❝✓", "matches the source", "source"),
    "approximately_matches_source": Style("❝≈", "approximately matches the source", "source"),
    "contradicted": Style("✗", "contradicted", "contradicted"),
    "outdated": Style("↻", "outdated", "outdated"),
    "not_evaluable": Style("∅", "not evaluable", "not-verifiable"),
    "not_verifiable_data_not_in_mirror": Style("?", "not verifiable: data not pinned", "not-verifiable"),
    "not_verifiable_no_public_data": Style("?", "not verifiable: no public data", "not-verifiable"),
    "not_verifiable_source_not_found": Style("?", "not verifiable: source not found", "not-verifiable"),
    "not_verifiable_projection": Style("?", "not verifiable: projection", "not-verifiable"),
    "not_verifiable_qualitative": Style("?", "not verifiable: qualitative", "not-verifiable"),
    "pending": Style("…", "pending", "pending"),
    "error": Style("!", "error", "error"),
}
PAGES = (("index.html", "Article"), ("ledger.html", "Claims ledger"), ("notebooks.html", "Notebooks"),
         ("figures.html", "Figures"), ("data.html", "Data"))
# Context keys filled from other modules and the run folder (see ``build``); each is rendered where not None.
EXTENSIONS = ("claimreview", "then_and_now", "coverage")
THEN_AND_NOW = "then_and_now.csv"  # in a result folder: the then-and-now table, shown on the ledger page


@dataclass(frozen=True)
class Row:
    """One claim as the report shows it: the registry entry joined with its ledger row."""

    claim: claims.Claim
    verdict: str
    computed: object
    reason: str
    explanation: str
    evidence: str
    vintage: str
    datasets: tuple[str, ...]
    what_if: str = ""  # the parameters that make this value a variant, not a verdict on the article
    fragile: str = ""  # why the verdict is fragile (near a band edge, changes across variants)
    variant_shares: str = ""


@dataclass(frozen=True)
class Segment:
    """A run of article text: plain (``row`` and ``token`` None), a claim's quote, or an unaccounted token."""

    text: str
    row: Row | None = None
    token: dict | None = None


def criteria(value: object) -> list[tuple[str, bool | None]] | None:
    """A criteria checklist (a dict of test -> passed, None where the data are missing) as pairs, else None."""
    if isinstance(value, dict) and value and all(v is None or isinstance(v, bool) for v in value.values()):
        return list(value.items())
    return None


def scalar(value: object) -> str:
    """A recorded or asserted value as text (a from/to range, a boolean, a float to six digits)."""
    if isinstance(value, dict) and set(value) == {"from", "to"}:
        return f"{value['from']} to {value['to']}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:,.6g}"
    return str(value)


def _parse_computed(text: str) -> object:
    if text == "":
        return ""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def rows(out_dir: Path) -> list[Row]:
    """Every registered claim with its verdict from ``out_dir/claims_ledger.csv``."""
    path = out_dir / "claims_ledger.csv"
    if not path.is_file():
        raise DataError(f"no claims ledger in {out_dir}; run `python -m asean_analysis run --out {out_dir}` first")
    table = pd.read_csv(path, dtype=str, keep_default_na=False).set_index("claim")
    unknown = sorted(set(table["verdict"]) - set(VERDICT_STYLE))
    if unknown:
        raise DataError(f"the ledger of {out_dir} has verdict(s) {', '.join(unknown)} that the report cannot show; "
                        "add a Style for each to report.VERDICT_STYLE")
    out = []
    for cid, claim in claims.registry().items():
        if cid not in table.index:
            out.append(Row(claim, "pending", "", "not in this run's ledger; rerun the ledger", "", "", "", claim.datasets))
            continue
        r = table.loc[cid]
        out.append(Row(claim, r["verdict"], _parse_computed(r["computed"]),
                       r["reason"], r["explanation"], r["evidence_level"], r["data_vintage"],
                       tuple(d for d in r["datasets"].split("; ") if d),
                       r.get("what_if", ""), r.get("fragile", ""), r.get("variant_shares", "")))
    return out


# ---------------------------------------------------------------- annotated article

def paragraphs(text: str) -> list[str]:
    """The article's paragraphs, numbered from 1 in the order of :func:`claims.paragraph_of`."""
    return [p for p in text.split("\n") if p.strip()]


@lru_cache(maxsize=256)
def _folded(paragraph: str) -> tuple[str, tuple[int, ...]]:
    """``paragraph`` under the normalisation of :func:`claims.paragraph_of`, and where each of its
    characters stands in ``paragraph`` (folded once per paragraph, not once per quote)."""
    chars: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(paragraph):
        ch = str(claims.QUOTE_FOLD.get(ch, ch))
        if ch.isspace():
            if chars and chars[-1] == " ":
                continue
            ch = " "
        for low in ch.lower():
            chars.append(low)
            where.append(i)
    return "".join(chars), tuple(where)


def locate(quote: str, paragraph: str) -> tuple[int, int] | None:
    """Span of ``quote`` in ``paragraph`` under the normalisation of :func:`claims.paragraph_of`."""
    text, where = _folded(paragraph)
    needle = claims.normalise(quote)
    start = text.find(needle)
    if start < 0:
        return None
    return where[start], where[start + len(needle) - 1] + 1


def segments(paragraph: str, spans: list[tuple[int, int, Row]], tokens: Iterable[dict] = ()) -> list[Segment]:
    """``paragraph`` cut into plain text, claim quotes and marked tokens (``para_start``/``para_end`` offsets).

    A quote overlapping an earlier one starts where the earlier ends (an empty quote keeps its
    badge); a token is marked only where no quote covers it."""
    marks = [(s, e, 0, row, None) for s, e, row in spans] + [(t["para_start"], t["para_end"], 1, None, t) for t in tokens]
    out, cursor = [], 0
    for start, end, kind, row, token in sorted(marks, key=lambda m: (m[0], m[2], -m[1])):
        if kind and start < cursor:
            continue
        start = max(start, cursor)
        if start > cursor:
            out.append(Segment(paragraph[cursor:start]))
        out.append(Segment(paragraph[start:end] if end > start else "", row, token))
        cursor = max(cursor, end)
    if cursor < len(paragraph) or not out:
        out.append(Segment(paragraph[cursor:]))
    return out


def article(text: str, table: list[Row], marked: Iterable[dict] = ()) -> tuple[list[list[Segment]], list[Row]]:
    """The article's paragraphs as segments, and the claims whose quote is not in the text.

    ``marked``: tokens to mark (rows of the coverage table: ``paragraph`` 1-based, ``para_start``,
    ``para_end``, ``kind``)."""
    paras = paragraphs(text)
    spans: dict[int, list] = {}
    missing = []
    for row in table:
        for number, para in enumerate(paras):
            span = locate(row.claim.quote, para)
            if span:
                spans.setdefault(number, []).append((*span, row))
                break
        else:
            missing.append(row)
    tokens: dict[int, list[dict]] = {}
    for token in marked:
        tokens.setdefault(token["paragraph"] - 1, []).append(token)
    return [segments(p, spans.get(n, []), tokens.get(n, [])) for n, p in enumerate(paras)], missing


# ---------------------------------------------------------------- run context

def run_info(out_dir: Path) -> dict:
    """``out_dir/run.json`` (empty notebooks when absent)."""
    path = out_dir / "run.json"
    run = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    run.setdefault("notebooks", {})
    return run


def products(run: dict, name: str) -> dict:
    """What notebook ``name`` produced in the run: claims recorded, figures saved, inputs read, parameters used.

    Read from ``run.json`` (``notebooks.<name>.products``); without it, its claims are the
    registry's claims of that notebook, its inputs the run's ``inputs``, its figures and the
    parameters it used unknown (empty)."""
    entry = run["notebooks"].get(name, {})
    found = entry.get("products") or {}
    return {"claims": list(found.get("claims", [c.id for c in claims.registry().values() if c.notebook == name])),
            "figures": list(found.get("figures", [])),
            "inputs": list(found.get("inputs", entry.get("inputs", []))),
            "parameters": dict(found.get("parameters", {}))}


def run_context(run: dict) -> dict:
    """What every page states about the run: the parameters each notebook was given and used, the
    vintages of the data read, and the run's commit and package version."""
    known = resources()
    notebooks: list[dict] = []
    read: dict[str, list[str]] = {}
    for name, entry in sorted(run["notebooks"].items()):
        made = products(run, name)
        notebooks.append({"name": name, "status": entry.get("status", "unknown"), "given": entry.get("parameters", {}),
                          "used": made["parameters"]})
        for dataset in made["inputs"]:
            read.setdefault(dataset, []).append(name)
    vintages = [{"dataset": d, "vintage": known[d].vintage if d in known else "reference table in data/", "pinned": d in known,
                 "notebooks": names} for d, names in sorted(read.items())]
    return {"notebooks": notebooks, "vintages": vintages, "package_version": run.get("package_version", ""),
            "commit": run.get("commit") or "", "rerun": any(n["given"] for n in notebooks)}


def figure_sidecars(out_dir: Path) -> dict[str, dict]:
    """Figure name -> sidecar (every PNG of ``out_dir/figures``; an empty dict where the sidecar is missing)."""
    folder = out_dir / "figures"
    found: dict[str, dict] = {p.stem: {} for p in sorted(folder.glob("*.png"))}
    for p in sorted(folder.glob("*.json")):
        found[p.stem] = json.loads(p.read_text(encoding="utf-8"))
    return found


def tagged_cells(nb: nbformat.NotebookNode, prefix: str) -> dict[str, int]:
    """Cell tag ``<prefix>:<name>`` -> index of the first cell carrying it."""
    found: dict[str, int] = {}
    for i, cell in enumerate(nb.cells):
        for tag in cell.get("metadata", {}).get("tags", []):
            if tag.startswith(prefix + ":"):
                found.setdefault(tag[len(prefix) + 1:], i)
    return found


def place(nb: nbformat.NotebookNode, notes: dict[str, str], figures: dict[str, str]) -> None:
    """Insert claim notes and figure notes (caption, sources, files) into ``nb`` (in place).

    A claim note goes before the cell tagged ``claim:<id>``, else after the title cell; a figure
    note after the cell tagged ``figure:<name>`` (the cell that draws it), else in a closing section.
    Inserted cells get ids from their place, so the pages are the same on every build."""
    claim_at, figure_at = tagged_cells(nb, "claim"), tagged_cells(nb, "figure")
    top = next((i + 1 for i, c in enumerate(nb.cells) if c.cell_type == "markdown"), 0)
    end = len(nb.cells)
    loose = [markup for f, markup in figures.items() if f not in figure_at]
    before: dict[int, list[str]] = {}  # original cell index -> markup inserted before it, in order
    for f, markup in figures.items():
        if f in figure_at:
            before.setdefault(figure_at[f] + 1, []).append(markup)
    for c, markup in notes.items():
        before.setdefault(claim_at.get(c, top), []).append(markup)
    if loose:
        before.setdefault(end, []).extend(["## Figures saved by this notebook: sources and files", *loose])
    cells = list(nb.cells)
    nb.cells = [cell for i in range(end + 1)
                for cell in [*(nbformat.v4.new_markdown_cell(markup, id=f"report-note-{i}-{k}") for k, markup in enumerate(before.get(i, []))),
                             *cells[i:i + 1]]]


def companions(table: list[Row], text: str) -> dict:
    """The pages' companions computed for a run: ClaimReview JSON-LD of the article's rows (variants
    are no verdict on the article) and the article's coverage (figures in words, token rows)."""
    reviewed = [{"claim": r.claim.id, "quote": r.claim.quote, "verdict": r.verdict, "reason": r.reason,
                 "explanation": r.explanation} for r in table if not r.what_if]
    tokens = coverage.table(text)
    return {"claimreview": claimreview.jsonld(reviewed),
            "coverage": {"sentences": coverage.describe(coverage.summary(tokens)), "tokens": tokens.to_dict("records")}}


class Report:
    """The templates, bound to one run folder's ledger rows, figures and run context."""

    def __init__(self, out_dir: Path, extensions: dict | None = None):
        unknown = set(extensions or {}) - set(EXTENSIONS)
        if unknown:
            raise DataError(f"unknown report extension(s) {', '.join(sorted(unknown))}; use {', '.join(EXTENSIONS)}")
        self.out_dir = out_dir
        self.table = rows(out_dir)
        self.by_id = {r.claim.id: r for r in self.table}
        self.run = run_info(out_dir)
        self.sidecars = figure_sidecars(out_dir)
        self.env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                                      undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        self.env.filters.update(criteria=criteria, scalar=scalar)
        self.env.policies["json.dumps_kwargs"] = {"sort_keys": True, "default": str}  # dates as ISO text
        self.macros: Any = self.env.get_template("macros.html").make_module({"styles": VERDICT_STYLE, "meanings": claims.VERDICTS})
        # reader (no code) and auditor (with code) exporters, made once: each compiles nbconvert's templates
        self.exporters = {suffix: HTMLExporter(template_name="basic", exclude_input=exclude)
                          for suffix, exclude in ((".html", True), (".code.html", False))}
        stored = out_dir / THEN_AND_NOW
        then_and_now = pd.read_csv(stored, dtype=str, keep_default_na=False).to_dict("records") if stored.is_file() else None
        extensions = {"then_and_now": then_and_now, **companions(self.table, load.article()), **(extensions or {})}
        self.common = {"pages": PAGES, "styles": VERDICT_STYLE, "meanings": claims.VERDICTS, "run": run_context(self.run),
                       "article_meta": claimreview.article_meta(),
                       **extensions}

    def page(self, template: str, current: str, depth: int = 0, **context) -> str:
        """One page: ``template`` with the common context, linked from ``depth`` folders down."""
        return self.env.get_template(template).render(**self.common, current=current, up="../" * depth, **context)

    def notebook(self, path: Path, dest: Path) -> None:
        """Write the reader (no code) and auditor (with code) HTML of one executed notebook."""
        nb = nbformat.read(path, as_version=4)
        title = next((line.lstrip("# ").strip() for c in nb.cells if c.cell_type == "markdown"
                      for line in c.source.splitlines() if line.startswith("# ")), path.stem)
        made = products(self.run, path.stem)
        mine = [self.by_id[c] for c in made["claims"] if c in self.by_id]
        figures = [f for f in made["figures"] if f in self.sidecars]
        notes = {r.claim.id: str(self.macros.claimnote(r)) for r in mine}
        shown = {f: str(self.macros.figure(f, self.sidecars[f], "../../", image=False)) for f in figures}  # the chart is inline
        place(nb, notes, shown)
        css = HtmlFormatter().get_style_defs(".highlight")
        for suffix, exporter in self.exporters.items():
            body, _ = exporter.from_notebook_node(nb)
            (dest / f"{path.stem}{suffix}").write_text(self.page(
                "notebook.html", "notebooks.html", depth=1, title=title, name=path.stem, with_code=not exporter.exclude_input,
                body=Markup(body), pygments_css=Markup(css) if not exporter.exclude_input else ""), encoding="utf-8")

    def pages(self, text: str) -> dict[str, str]:
        """The top-level pages by file name."""
        names = sorted(p.stem for p in (self.out_dir / "notebooks").glob("*.ipynb"))
        made = {n: products(self.run, n) for n in names}
        owners = {f: n for n in names for f in made[n]["figures"]}
        coverage = self.common["coverage"] or {}
        paras, missing = article(text, self.table, [t for t in coverage.get("tokens", []) if t["status"] == "unaccounted"])
        counts = pd.Series([r.verdict for r in self.table]).value_counts()
        per_verdict = {v: int(counts.get(v, 0)) for v in VERDICT_STYLE}
        return {
            "index.html": self.page("index.html", "index.html", paragraphs=paras, missing=missing, counts=per_verdict),
            "ledger.html": self.page("ledger.html", "ledger.html", rows=self.table, in_run=set(names),
                                     anchored={c for n in names for c in made[n]["claims"]}, counts=per_verdict),
            "notebooks.html": self.page("notebooks.html", "notebooks.html", names=names, made=made, by_id=self.by_id,
                                        waiting=sorted({r.claim.notebook for r in self.table} - set(names))),
            "figures.html": self.page("figures.html", "figures.html", sidecars=self.sidecars, owners=owners,
                                      order=[f for f in owners if f in self.sidecars] + [f for f in self.sidecars if f not in owners]),
            "data.html": self.page("data.html", "data.html", datasets=resources(), used=users(claims.registry().values())),
        }


def users(table: Iterable[claims.Claim]) -> dict[str, list[str]]:
    """Dataset id -> ids of the registered claims that read it."""
    out: dict[str, list[str]] = {}
    for claim in table:
        for name in claim.datasets:
            out.setdefault(name, []).append(claim.id)
    return out


def build(out_dir: Path = paths.OUTPUTS, **extensions) -> Path:
    """Write the report of the run in ``out_dir`` into ``out_dir/report/``; returns its ``index.html``.

    The ledger page embeds the ClaimReview JSON-LD, states the article's coverage and shows the
    folder's ``then_and_now.csv`` where it exists; the article marks unaccounted tokens (see
    :func:`companions`). ``extensions`` replace them: ``claimreview`` (a list of JSON-LD dicts),
    ``then_and_now`` (a list of row dicts) and ``coverage`` (``{"sentences": [...], "tokens":
    [coverage table rows]}``); None leaves one out."""
    out_dir = Path(out_dir).resolve()
    report = Report(out_dir, extensions)
    dest = out_dir / "report"
    stage = out_dir / ".report.part"
    shutil.rmtree(stage, ignore_errors=True)
    (stage / "notebooks").mkdir(parents=True)
    shutil.copytree(STATIC, stage / "static")
    for path in sorted((out_dir / "notebooks").glob("*.ipynb")):
        report.notebook(path, stage / "notebooks")
    for page, text in report.pages(load.article()).items():
        (stage / page).write_text(text, encoding="utf-8")
    shutil.rmtree(dest, ignore_errors=True)
    os.replace(stage, dest)
    return dest / "index.html"
