"""The reader's report: a static, offline HTML site built from a run folder into ``<out>/report/``.

Pages: ``index.html`` (the article with every registered claim highlighted by verdict),
``ledger.html`` (sortable claims ledger), ``notebooks/<name>.html`` (reader version, no code) and
``notebooks/<name>.code.html`` (auditor version), ``figures.html`` and ``data.html`` (every dataset
of the manifest). Everything is driven by the registry, the manifest and what the run folder holds
(``claims_ledger.csv``, ``run.json``, ``notebooks/*.ipynb``, ``figures/*.json`` sidecars), so the
report grows as notebooks land. No page loads anything from the network.
"""

import html
import json
import os
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pandas as pd
import yaml
from nbconvert import HTMLExporter
from pygments.formatters import HtmlFormatter

from . import claims, load, paths
from .errors import DataError
from .manifest import resources

# Verdict -> (symbol, label, text colour, background, underline style, meaning). The symbol and the
# label carry the verdict; colour and underline style only repeat it.
VERDICT_STYLE = {
    "supported": ("✓", "supported", "#116329", "#d3f5dc", "solid", "the data give the asserted value within the tolerance"),
    "approximately": ("≈", "approximately", "#7a4d00", "#fff1c2", "dashed", "close: within the wider 'approximately' band"),
    "contradicted": ("✗", "contradicted", "#a40e26", "#ffe0e3", "double", "the data give a different value"),
    "not_verifiable": ("?", "not verifiable", "#3d4a5c", "#e4e9f0", "dotted", "the public data cannot settle it (reason given)"),
    "pending": ("…", "pending", "#555555", "#f2f2f2", "dotted", "its notebook has not run into this folder"),
    "error": ("!", "error", "#6a1b9a", "#f3e5f5", "wavy", "its notebook failed in this run"),
}
SAVE_CALL = re.compile(r"figures\.save\(\s*\w+\s*,\s*[\"']([^\"']+)[\"']")

CSS = """
body{font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;margin:0;background:#fff}
header{background:#1f2937;color:#fff;padding:.6rem 1rem}header a{color:#fff;margin-right:1.1rem}
header a[aria-current]{font-weight:700;text-decoration:underline 3px}
main{max-width:72rem;margin:0 auto;padding:1rem 1.2rem 3rem}
a{color:#0645ad}h1{font-size:1.6rem}h2{font-size:1.3rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #d0d7de;padding:.35rem .5rem;vertical-align:top;text-align:left}
thead th{background:#f6f8fa;position:sticky;top:0}th button{font:inherit;font-weight:700;background:none;border:0;padding:0;cursor:pointer;color:inherit}
th[aria-sort=ascending] button::after{content:" ▲"}th[aria-sort=descending] button::after{content:" ▼"}
tr:target{outline:3px solid #0969da}code,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em;word-break:break-all}
.badge{display:inline-block;border-radius:.3rem;padding:0 .35rem;font-size:.8rem;font-weight:700;white-space:nowrap;border:1px solid currentColor}
.article p{max-width:46rem}.article .pn{color:#6e7781;font-size:.75rem;margin-right:.4rem}
mark{padding:0 .1rem;border-radius:.2rem;text-decoration-thickness:2px;text-underline-offset:3px}
mark a{color:inherit;text-decoration:none}mark:target{outline:3px solid #0969da}
.legend{display:flex;flex-wrap:wrap;gap:.5rem 1.2rem;list-style:none;padding:.6rem;border:1px solid #d0d7de;border-radius:.4rem}
.note{color:#57606a;font-size:.9rem}figure.fig{border:1px solid #d0d7de;border-radius:.4rem;padding:.8rem;margin:1.2rem 0}
figure.fig img{max-width:min(100%,52rem);height:auto}figcaption{font-size:.9rem}figcaption ul{margin:.3rem 0;padding-left:1.2rem}
.crit{margin:0;padding-left:1rem}.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.claimnote{border-left:4px solid #8c959f;padding:.3rem .7rem;margin:1rem 0;background:#f6f8fa}
.input_prompt,.output_prompt,.prompt{display:none}.output_area pre,.highlight pre{overflow-x:auto;padding:.5rem}
.highlight pre{background:#f6f8fa}.output_area pre{border-left:3px solid #8c959f}
#data td.mono{min-width:16rem}#ledger td{min-width:7rem}#ledger td:nth-child(2),#ledger td:nth-child(4),#ledger td:nth-child(6){min-width:13rem}
#ledger td:nth-child(3){min-width:10rem}#ledger td:nth-child(7){min-width:22rem}#ledger td:nth-child(9){min-width:14rem}.rendered_html table{width:auto}.anchor-link{visibility:hidden}:hover>.anchor-link,.anchor-link:focus{visibility:visible}
main.wide{max-width:none}.scroll{overflow-x:auto}.dataframe td,.dataframe th{padding:.15rem .4rem}
"""
CSS += "".join(
    f".v-{v}{{color:{fg};background:{bg}}}mark.v-{v}{{text-decoration:underline {style} {fg}}}"
    for v, (_, _, fg, bg, style, _) in VERDICT_STYLE.items()
)

SORT_JS = """
document.querySelectorAll("table.sortable").forEach(function (table) {
  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (th, col) {
    th.querySelector("button").addEventListener("click", function () {
      var asc = th.getAttribute("aria-sort") !== "ascending";
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      var key = function (row) { var c = row.cells[col]; return c.getAttribute("data-sort") || c.textContent.trim(); };
      rows.sort(function (a, b) { return key(a).localeCompare(key(b), undefined, {numeric: true}) * (asc ? 1 : -1); });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
});
"""

CURRENT = ' aria-current="page"'
PAGES = (("index.html", "Article"), ("ledger.html", "Claims ledger"), ("notebooks.html", "Notebooks"),
         ("figures.html", "Figures"), ("data.html", "Data"))


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


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _page(title: str, body: str, current: str, depth: int = 0, head: str = "", script: str = "", wide: bool = False) -> str:
    up = "../" * depth
    nav = "".join(
        f'<a href="{up}{href}"{CURRENT if href == current else ""}>{_e(label)}</a>' for href, label in PAGES
    )
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{_e(title)} · asean-claims</title>'
        f"<style>{CSS}{head}</style></head>\n<body><header><nav aria-label=\"report\">{nav}</nav></header>\n"
        f"<main{' class=wide' if wide else ''}>\n{body}\n</main>" + (f"<script>{script}</script>" if script else "") + "</body></html>\n"
    )


def badge(verdict: str, claim_id: str | None = None) -> str:
    """Verdict badge: symbol and label (colour repeats them)."""
    symbol, label = VERDICT_STYLE[verdict][:2]
    text = f"{symbol} {claim_id}" if claim_id else f"{symbol} {label}"
    hidden = f'<span class="sr"> {label}</span>' if claim_id else ""
    return f'<span class="badge v-{verdict}" title="{_e(label)}">{_e(text)}{hidden}</span>'


def _value(value: object) -> str:
    """A recorded or asserted value as HTML (criteria dicts as a checklist)."""
    if isinstance(value, dict) and value and all(isinstance(v, bool) for v in value.values()):
        items = "".join(f"<li>{'✓ yes' if ok else '✗ no'}: {_e(test)}</li>" for test, ok in value.items())
        return f'<ul class="crit">{items}</ul>'
    if isinstance(value, dict) and set(value) == {"from", "to"}:
        return _e(f"{value['from']} to {value['to']}")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _e(f"{value:,.6g}")
    return _e(value)


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
    out = []
    for cid, claim in claims.registry().items():
        if cid not in table.index:
            out.append(Row(claim, "pending", "", "not in this run's ledger; rerun the ledger", "", "", "", claim.datasets))
            continue
        r = table.loc[cid]
        out.append(Row(claim, r["verdict"], _parse_computed(r["computed"]),
                       r["reason"], r["explanation"], r["evidence_level"], r["data_vintage"],
                       tuple(d for d in r["datasets"].split("; ") if d)))
    return out


# ---------------------------------------------------------------- annotated article

_QUOTES = {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'}


def locate(quote: str, paragraph: str) -> tuple[int, int] | None:
    """Span of ``quote`` in ``paragraph`` under the normalisation of :func:`claims.paragraph_of`."""
    chars, where = [], []
    for i, ch in enumerate(paragraph):
        ch = _QUOTES.get(ch, ch)
        if ch.isspace():
            if chars and chars[-1] == " ":
                continue
            ch = " "
        for low in ch.lower():
            chars.append(low)
            where.append(i)
    start = "".join(chars).find(claims._normalise(quote))
    if start < 0:
        return None
    end = start + len(claims._normalise(quote)) - 1
    return where[start], where[end] + 1


def _annotate(paragraph: str, spans: list[tuple[int, int, Row]]) -> str:
    out, cursor = [], 0
    for start, end, row in sorted(spans, key=lambda s: (s[0], -s[1])):
        cid, verdict = row.claim.id, row.verdict
        label = VERDICT_STYLE[verdict][1]
        start = max(start, cursor)
        out.append(_e(paragraph[cursor:start]))
        text = _e(paragraph[start:end]) if end > start else ""
        out.append(
            f'<mark class="v-{verdict}" id="q-{cid}" title="{_e(cid)}: {_e(label)} — {_e(row.reason)}">'
            f'<a href="ledger.html#{cid}">{text}<sup>{badge(verdict, cid)}</sup></a></mark>'
        )
        cursor = max(cursor, end)
    out.append(_e(paragraph[cursor:]))
    return "".join(out)


def article_html(text: str, table: list[Row]) -> tuple[str, list[Row]]:
    """The article's paragraphs with claims highlighted; also the claims not found in the text."""
    paragraphs = [p for p in text.split("\n") if p.strip()]
    spans: dict[int, list] = {}
    missing = []
    for row in table:
        for number, para in enumerate(paragraphs):
            span = locate(row.claim.quote, para)
            if span:
                spans.setdefault(number, []).append((*span, row))
                break
        else:
            missing.append(row)
    body = "".join(
        f'<p id="p-{n + 1}"><span class="pn" aria-hidden="true">¶{n + 1}</span>{_annotate(p, spans.get(n, []))}</p>\n'
        for n, p in enumerate(paragraphs)
    )
    return body, missing


def _legend(table: list[Row]) -> str:
    counts = pd.Series([r.verdict for r in table]).value_counts()
    items = "".join(
        f"<li>{badge(v)} <strong>{int(counts.get(v, 0))}</strong> — {_e(meaning)}</li>"
        for v, (*_, meaning) in VERDICT_STYLE.items()
    )
    return f'<ul class="legend" aria-label="verdict legend">{items}</ul>'


def index_page(table: list[Row], text: str, meta: dict) -> str:
    body, missing = article_html(text, table)
    note = ""
    if missing:
        note = "<h2>Claims not located in the text</h2><ul>" + "".join(
            f'<li><a href="ledger.html#{r.claim.id}">{_e(r.claim.id)}</a> {badge(r.verdict)} “{_e(r.claim.quote)}”</li>'
            for r in missing) + "</ul>"
    return _page("Annotated article", (
        f"<h1>{_e(meta.get('title', 'The article'))}</h1>"
        f"<p>{_e(meta.get('author', ''))}, {_e(meta.get('date', ''))}; "
        f"<a href=\"{_e(meta.get('url', ''))}\">original</a>. Every registered claim is highlighted where it stands; "
        "its badge gives the claim id and the verdict computed from public data; follow it to the claim's ledger row.</p>"
        f"{_legend(table)}"
        '<p class="note">The text is read at build time from the pinned local copy of the article and quoted for '
        "criticism and review.</p>"
        f'<div class="article">\n{body}</div>{note}'
    ), "index.html")


# ---------------------------------------------------------------- ledger

def _sources(names: Iterable[str], depth: int = 0) -> str:
    up = "../" * depth
    return ", ".join(f'<a href="{up}data.html#ds-{_e(n)}">{_e(n)}</a>' for n in names) or "—"


def ledger_page(table: list[Row], anchors: dict[str, str]) -> str:
    heads = ("claim", "quote", "asserted", "computed", "verdict", "reason", "explanation", "evidence level",
             "data vintage", "notebook", "sources")
    order = {v: i for i, v in enumerate(VERDICT_STYLE)}
    body = []
    for r in table:
        c = r.claim
        nb = anchors.get(c.id)
        notebook = (f'<a href="{nb}">{_e(c.notebook)}</a> (<a href="{nb.replace(".html", ".code.html", 1)}">code</a>)'
                    if nb else f"{_e(c.notebook)} <span class=\"note\">(not in this run)</span>")
        body.append(
            f'<tr id="{_e(c.id)}"><td data-sort="{_e(c.id)}"><strong>{_e(c.id)}</strong><br><span class="note">{_e(c.topic)}</span></td>'
            f'<td><a href="index.html#q-{_e(c.id)}">“{_e(c.quote)}”</a></td>'
            f"<td>{_value(c.asserted)}<br><span class=\"note\">{_e(c.unit)}</span></td>"
            f"<td>{_value(r.computed) or '—'}</td>"
            f'<td data-sort="{order[r.verdict]}">{badge(r.verdict)}</td>'
            f"<td>{_e(r.reason)}</td><td>{_e(r.explanation)}</td><td>{_e(r.evidence) or '—'}</td>"
            f"<td>{_e(r.vintage) or '—'}</td><td>{notebook}</td><td>{_sources(r.datasets)}</td></tr>"
        )
    thead = "".join(f'<th scope="col"><button type="button">{_e(h)}</button></th>' for h in heads)
    return _page("Claims ledger", (
        "<h1>Claims ledger</h1><p>Each verdict is computed from the value a notebook recorded and the registry's "
        "tolerance (<code>data/claims.yaml</code>). Click a column heading to sort.</p>"
        f"{_legend(table)}"
        f'<div class="scroll"><table class="sortable" id="ledger"><caption class="sr">Claims and their verdicts</caption>'
        f"<thead><tr>{thead}</tr></thead><tbody>\n" + "\n".join(body) + "\n</tbody></table></div>"
    ), "ledger.html", script=SORT_JS, wide=True)


# ---------------------------------------------------------------- figures

def figure_sidecars(out_dir: Path) -> dict[str, dict]:
    """Figure name -> sidecar (every PNG of ``out_dir/figures``; an empty dict where the sidecar is missing)."""
    folder = out_dir / "figures"
    found = {p.stem: {} for p in sorted(folder.glob("*.png"))}
    for p in sorted(folder.glob("*.json")):
        found[p.stem] = json.loads(p.read_text(encoding="utf-8"))
    return found


def figure_html(name: str, sidecar: dict, up: str) -> str:
    """A figure with its caption, source notes, parameters and links to its table and sidecar."""
    base = f"{up}figures/{name}"
    caption = sidecar.get("caption", "")
    sources = "".join(
        f'<li><a href="{up}report/data.html#ds-{_e(d["dataset"])}">{_e(d["dataset"])}</a>: {_e(d["publisher"])} — '
        f'{_e(d["title"])} ({_e(d["vintage"])}; licence {_e(d["license"])}; <a href="{_e(d["url"])}">source</a>)</li>'
        for d in sidecar.get("datasets", []))
    parameters = ", ".join(f"{k}={v}" for k, v in sidecar.get("parameters", {}).items())
    links = [f'<a href="{base}.png">PNG</a>']
    links += [f'<a href="{base}.{ext}">{label}</a>' for ext, label in (("svg", "SVG"), ("csv", "data (CSV)"), ("json", "provenance (JSON)"))
              if ext != "csv" or sidecar.get("table")]
    if not sidecar:
        links = links[:1]
        sources = "<li>no provenance sidecar was written for this figure</li>"
    return (
        f'<figure class="fig" id="fig-{_e(name)}"><img src="{base}.png" alt="{_e(caption or name)}">'
        f"<figcaption><strong>{_e(name)}</strong>. {_e(caption)}<br>Sources:<ul>{sources}</ul>"
        + (f"Parameters: <code>{_e(parameters)}</code><br>" if parameters else "")
        + " · ".join(links) + "</figcaption></figure>"
    )


def figures_page(sidecars: dict[str, dict], owners: dict[str, str]) -> str:
    blocks = []
    order = [n for n in owners if n in sidecars] + [n for n in sidecars if n not in owners]  # in notebook order
    toc = "".join(f'<li><a href="#fig-{_e(n)}">{_e(n)}</a> ({_e(owners.get(n, "no notebook"))})</li>' for n in order)
    for name in order:
        sidecar, owner = sidecars[name], owners.get(name)
        made = (f'<p class="note">Made by <a href="notebooks/{owner}.html#fig-{_e(name)}">{_e(owner)}</a>.</p>'
                if owner else "")
        blocks.append(f"<h2>{_e(name)}</h2>{made}{figure_html(name, sidecar, '../')}")
    return _page("Figures", "<h1>Figures</h1><p>Every figure of this run, with the table behind it and its "
                 f"provenance sidecar.</p><ul>{toc}</ul>" + ("".join(blocks) or "<p>No figure in this run.</p>"), "figures.html")


# ---------------------------------------------------------------- notebooks

def _claim_cell(nb: nbformat.NotebookNode, cid: str) -> int | None:
    """Index of the cell that records a claim: a checked output cell quoting its id, else a code cell quoting
    it, else any cell naming it."""
    quoted = re.compile(rf"[\"']{re.escape(cid)}[\"']")
    named = re.compile(rf"\b{re.escape(cid)}\b")
    tests = (lambda c: c.cell_type == "code" and "NBVAL_CHECK_OUTPUT" in c.source and quoted.search(c.source),
             lambda c: c.cell_type == "code" and quoted.search(c.source),
             lambda c: named.search(c.source))
    return next((i for test in tests for i, cell in enumerate(nb.cells) if test(cell)), None)


def annotate_notebook(nb: nbformat.NotebookNode, table: list[Row], sidecars: dict[str, dict]) -> tuple[list[str], list[str]]:
    """Insert claim notes and saved figures into ``nb`` (in place); returns (anchored claim ids, figure names)."""
    inserts: list[tuple[int, int, str]] = []  # (before cell, figures first, markup)
    anchored = []
    for r in table:
        at = _claim_cell(nb, r.claim.id)
        if at is None:
            continue
        anchored.append(r.claim.id)
        inserts.append((at, 1, f'<div class="claimnote" id="claim-{_e(r.claim.id)}">Claim <strong>{_e(r.claim.id)}</strong> '
                            f'{badge(r.verdict)} “{_e(r.claim.quote)}” — <a href="../ledger.html#{_e(r.claim.id)}">ledger row</a></div>'))
    shown = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            for name in SAVE_CALL.findall(cell.source):
                if name in sidecars:
                    shown.append(name)
                    inserts.append((i + 1, 0, figure_html(name, sidecars[name], "../../")))
    for at, _, markup in reversed(sorted(inserts, key=lambda x: x[:2])):
        nb.cells.insert(at, nbformat.v4.new_markdown_cell(markup))
    return anchored, shown


def render_notebook(path: Path, dest: Path, table: list[Row], sidecars: dict[str, dict]) -> tuple[list[str], list[str]]:
    """Write the reader (no code) and auditor (with code) HTML of one executed notebook."""
    nb = nbformat.read(path, as_version=4)
    title = next((line.lstrip("# ").strip() for c in nb.cells if c.cell_type == "markdown"
                  for line in c.source.splitlines() if line.startswith("# ")), path.stem)
    anchored, shown = annotate_notebook(nb, table, sidecars)
    css = HtmlFormatter().get_style_defs(".highlight")
    for suffix, exclude, label in ((".html", True, "reader version (no code)"), (".code.html", False, "auditor version (with code)")):
        body, _ = HTMLExporter(template_name="basic", exclude_input=exclude).from_notebook_node(nb)
        other = (f'<a href="{path.stem}.code.html">auditor version with code</a>' if exclude
                 else f'<a href="{path.stem}.html">reader version without code</a>')
        head = (f"<h1 class=\"sr\">{_e(title)}</h1><p class=\"note\">{_e(path.stem)}: {label}. See also the {other} and the "
                f'<a href="../../notebooks/{path.name}">executed notebook (.ipynb)</a>.</p>')
        (dest / f"{path.stem}{suffix}").write_text(
            _page(title, head + body, "notebooks.html", depth=1, head="" if exclude else css), encoding="utf-8")
    return anchored, shown


def notebooks_page(names: list[str], table: list[Row], run: dict) -> str:
    items = []
    for name in names:
        status = run.get("notebooks", {}).get(name, {})
        params = ", ".join(f"{k}={v}" for k, v in status.get("parameters", {}).items()) or "the article's parameters"
        mine = " ".join(f'<a href="ledger.html#{r.claim.id}">{badge(r.verdict, r.claim.id)}</a>'
                        for r in table if r.claim.notebook == name)
        items.append(f'<li><strong>{_e(name)}</strong>: <a href="notebooks/{name}.html">reader version</a> · '
                     f'<a href="notebooks/{name}.code.html">auditor version (code)</a> · '
                     f'<a href="../notebooks/{name}.ipynb">.ipynb</a><br><span class="note">parameters: {_e(params)}; '
                     f"status: {_e(status.get('status', 'unknown'))}</span><br>{mine}</li>")
    waiting = sorted({r.claim.notebook for r in table} - set(names))
    extra = (f"<p>Registered but not in this run: {_e(', '.join(waiting))} (their claims are pending).</p>" if waiting else "")
    return _page("Notebooks", "<h1>Notebooks</h1><p>Each notebook executed in this run, as a reader version "
                 "(text, tables, figures and verdicts) and an auditor version (with the code).</p><ul>"
                 + "".join(items) + f"</ul>{extra}", "notebooks.html")


# ---------------------------------------------------------------- data

def users(table: Iterable[claims.Claim]) -> dict[str, list[str]]:
    """Dataset id -> ids of the registered claims that read it."""
    out: dict[str, list[str]] = {}
    for claim in table:
        for name in claim.datasets:
            out.setdefault(name, []).append(claim.id)
    return out


def data_page() -> str:
    used = users(claims.registry().values())
    body = []
    for name, r in resources().items():
        pinned = (f'<a href="{_e(r.url)}">{_e(r.url)}</a>' if r.url else "none (mirror only)") + f"<br>mirror: {_e(r.mirror_path)}"
        who = ", ".join(f'<a href="ledger.html#{c}">{_e(c)}</a>' for c in used.get(name, [])) or "—"
        body.append(
            f'<tr id="ds-{_e(name)}"><td><strong>{_e(name)}</strong><br>{_e(r.title)}</td>'
            f'<td><a href="{_e(r.homepage)}">{_e(r.publisher)}</a></td><td>{_e(r.license)}</td><td>{_e(r.vintage)}</td>'
            f'<td class="mono">{pinned}</td><td class="mono">{_e(r.sha256)}</td><td>{who}</td></tr>'
        )
    heads = ("dataset", "publisher", "licence", "vintage", "pinned URL", "sha256", "claims using it")
    thead = "".join(f'<th scope="col"><button type="button">{h}</button></th>' for h in heads)
    return _page("Data", "<h1>Data</h1><p>Every input pinned in <code>data/datapackage.json</code>; "
                 "<code>python -m asean_analysis fetch</code> copies each from the mirror or downloads it, checking "
                 f"its sha256.</p><div class=\"scroll\"><table class=\"sortable\" id=\"data\"><thead><tr>{thead}</tr>"
                 "</thead><tbody>\n" + "\n".join(body) + "\n</tbody></table></div>", "data.html", script=SORT_JS, wide=True)


# ---------------------------------------------------------------- build

def build(out_dir: Path = paths.OUTPUTS) -> Path:
    """Write the report of the run in ``out_dir`` into ``out_dir/report/``; returns its ``index.html``."""
    out_dir = Path(out_dir).resolve()
    table = rows(out_dir)
    run = json.loads((out_dir / "run.json").read_text(encoding="utf-8")) if (out_dir / "run.json").is_file() else {}
    sidecars = figure_sidecars(out_dir)
    dest = out_dir / "report"
    stage = out_dir / ".report.part"
    shutil.rmtree(stage, ignore_errors=True)
    (stage / "notebooks").mkdir(parents=True)
    names = sorted(p.stem for p in (out_dir / "notebooks").glob("*.ipynb"))
    anchors, owners = {}, {}
    for name in names:
        anchored, shown = render_notebook(out_dir / "notebooks" / f"{name}.ipynb", stage / "notebooks", table, sidecars)
        anchors.update({cid: f"notebooks/{name}.html#claim-{cid}" for cid in anchored})
        owners.update({fig: name for fig in shown})
    for r in table:
        if r.claim.notebook in names and r.claim.id not in anchors:
            anchors[r.claim.id] = f"notebooks/{r.claim.notebook}.html"
    meta = yaml.safe_load(paths.REGISTRY.read_text(encoding="utf-8")).get("article", {})
    pages = {"index.html": index_page(table, load.article(), meta), "ledger.html": ledger_page(table, anchors),
             "notebooks.html": notebooks_page(names, table, run), "figures.html": figures_page(sidecars, owners),
             "data.html": data_page()}
    for page, text in pages.items():
        (stage / page).write_text(text, encoding="utf-8")
    shutil.rmtree(dest, ignore_errors=True)
    os.replace(stage, dest)
    return dest / "index.html"
