"""The report (offline HTML from a run folder) and the README's generated tables.

The browser tests open the report of the article run in one headless Chromium for the whole session
(tests/browser.py; Debian packages ``chromium`` and ``chromium-driver``); without them they skip and say so.
"""

import html
import json
import re
import shutil
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pandas as pd
import pytest
from browser import MISSING, Browser

from asean_analysis import claimreview, claims, coverage, load, paths, readme, report
from asean_analysis.errors import DataError
from asean_analysis.manifest import resources

# ---------------------------------------------------------------- article annotation

def test_every_verdict_has_a_symbol_a_label_and_a_style():
    assert list(report.VERDICT_STYLE) == list(claims.VERDICTS)
    shown = [(style.symbol, style.label) for style in report.VERDICT_STYLE.values()]
    assert len(set(shown)) == len(shown) and len({label for _, label in shown}) == len(shown)
    css = (report.STATIC / "report.css").read_text(encoding="utf-8")
    for verdict, style in report.VERDICT_STYLE.items():
        assert f".v-{style.tone}{{color:" in css and f"mark.v-{style.tone}{{text-decoration:underline" in css, verdict


def test_locate_uses_the_registry_normalisation():
    para = "the bloc\u2019s  contributions\nto its “members”"
    start, end = report.locate("bloc's contributions to its \"MEMBERS\"", para)
    assert para[start:end] == "bloc\u2019s  contributions\nto its “members”"
    assert report.locate("not there", para) is None


def _shown(segment: report.Segment) -> str:
    return claims.normalise(segment.text)


def test_every_registered_quote_is_highlighted_in_place():
    table = report.rows(paths.OUTPUTS)
    paras, missing = report.article(load.article(), table)
    assert missing == []
    marked = {s.row.claim.id: (n, s) for n, para in enumerate(paras, start=1) for s in para if s.row}
    assert set(marked) == {r.claim.id for r in table}
    for row in table:
        number, segment = marked[row.claim.id]
        assert number == claims.paragraph_of(row.claim.quote, load.article())
        # a quote overlapping an earlier claim's quote shows only what the earlier does not (its badge at least)
        assert claims.normalise(row.claim.quote).endswith(_shown(segment)), row.claim.id
    assert ["".join(s.text for s in para) for para in paras] == report.paragraphs(load.article())


def test_overlapping_quotes_keep_both_badges_and_tokens_yield_to_quotes():
    claim = next(iter(claims.registry().values()))
    rows = [report.Row(claim, v, "", "", "", "", "", ()) for v in ("supported", "contradicted")]
    tokens = [{"para_start": 0, "para_end": 1, "kind": "number"}, {"para_start": 6, "para_end": 8, "kind": "number"}]
    out = report.segments("abcdefgh", [(1, 5, rows[0]), (3, 7, rows[1])], tokens)
    assert [(s.text, s.row and s.row.verdict, bool(s.token)) for s in out] == [
        ("a", None, True), ("bcde", "supported", False), ("fg", "contradicted", False), ("h", None, False)]


def test_values_read_as_checklists_ranges_and_rounded_numbers():
    assert report.criteria({"BRN below": False, "KHM below": True, "MMR below": None}) == [
        ("BRN below", False), ("KHM below", True), ("MMR below", None)]
    assert report.criteria({"from": 2015, "to": 2020}) is None and report.criteria({}) is None
    assert report.scalar({"from": 2015, "to": 2020}) == "2015 to 2020"
    assert report.scalar(1234567.891) == "1.23457e+06" and report.scalar(3.7823) == "3.7823"
    assert report.scalar(True) == "true" and report.scalar(12) == "12"


def test_a_verdict_without_a_style_is_refused_with_the_fix(tmp_path):
    folder = _copy_run(tmp_path / "out", notebooks=[])
    ledger = pd.read_csv(folder / "claims_ledger.csv", dtype=str, keep_default_na=False)
    ledger.loc[0, "verdict"] = "half_true"
    ledger.to_csv(folder / "claims_ledger.csv", index=False)
    with pytest.raises(DataError, match=r"verdict\(s\) half_true that the report cannot show; add a Style for each to report.VERDICT_STYLE"):
        report.rows(folder)


def test_a_folder_without_ledger_is_refused(tmp_path):
    with pytest.raises(DataError, match=r"no claims ledger .* run `python -m asean_analysis run --out"):
        report.build(tmp_path)


# ---------------------------------------------------------------- README tables

def test_committed_readme_tables_are_current():
    text = readme.README.read_text(encoding="utf-8")
    assert readme.render(text) == text, "README.md tables are stale: run `python -m asean_analysis readme`"


def test_readme_tables_cover_registry_and_manifest():
    claims_md, data_md = readme.claims_table(), readme.data_table()
    for cid, claim in claims.registry().items():
        assert re.search(rf"\b{re.escape(cid)} “", claims_md), cid
        assert claim.notebook in claims_md
    for name in resources():
        assert f"| `{name}` |" in data_md
    assert "[pinned URL](https://raw.githubusercontent.com/datasets/gdp/" in data_md


def test_readme_update_rewrites_only_the_generated_blocks(tmp_path):
    stale = "intro\n<!-- BEGIN GENERATED: claims-table -->\nSTALE-ROWS\n<!-- END GENERATED: claims-table -->\nmiddle\n" \
            "<!-- BEGIN GENERATED: data-table -->\nSTALE-ROWS\n<!-- END GENERATED: data-table -->\nend\n"
    path = tmp_path / "README.md"
    path.write_text(stale, encoding="utf-8")
    assert readme.update(path, check=True) and path.read_text(encoding="utf-8") == stale
    assert readme.update(path) and not readme.update(path, check=True)
    fresh = path.read_text(encoding="utf-8")
    assert fresh.startswith("intro\n<!-- BEGIN GENERATED: claims-table -->\n| notebook |") and "\nmiddle\n" in fresh
    assert fresh.endswith("<!-- END GENERATED: data-table -->\nend\n") and "STALE-ROWS" not in fresh


def test_readme_without_markers_is_refused():
    with pytest.raises(DataError, match="lacks the markers of the generated block 'claims-table'"):
        readme.render("# no generated blocks\n")


# ---------------------------------------------------------------- the built report in a browser

class _Links(HTMLParser):
    """Ids, links (href) and loaded resources (src, stylesheet href) of one page."""

    def __init__(self):
        super().__init__()
        self.ids, self.links, self.loads = set(), [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if a.get("src"):
            self.loads.append(a["src"])
        if tag == "link" and a.get("href"):
            self.loads.append(a["href"])


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _copy_run(dest: Path, notebooks: Iterable[str] | None = None) -> Path:
    """A copy of the committed article run (``outputs/``) without its report; only ``notebooks`` if given."""
    shutil.copytree(paths.OUTPUTS, dest, ignore=shutil.ignore_patterns("report", ".report.part"))
    if notebooks is not None:
        for nb in (dest / "notebooks").glob("*.ipynb"):
            if nb.stem not in notebooks:
                nb.unlink()
    return dest


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The report of the committed article run, built in a copy of its folder."""
    folder = _copy_run(tmp_path_factory.mktemp("report") / "outputs")
    report.build(folder)
    return folder


def _edit_json(path: Path, change) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.fixture(scope="module")
def rerun(tmp_path_factory) -> Path:
    """The report of a rerun of 01_gdp_rank with a non-article year and hostile text in a parameter, a
    ledger reason and a figure caption (the other notebooks' pages left out)."""
    folder = _copy_run(tmp_path_factory.mktemp("rerun") / "out", notebooks=["01_gdp_rank"])
    ledger = pd.read_csv(folder / "claims_ledger.csv", dtype=str, keep_default_na=False)
    ledger.loc[0, "reason"] = '<img src=x onerror="alert(1)">'
    ledger.to_csv(folder / "claims_ledger.csv", index=False)
    sidecar = next((folder / "figures").glob("*.json"))
    _edit_json(sidecar, lambda d: d.update(caption='"><script>alert(2)</script>'))
    _edit_json(folder / "run.json", lambda d: d["notebooks"]["01_gdp_rank"].update(parameters={"members": "<b>IDN</b>", "year": 2022}))
    report.build(folder)
    return folder


def test_values_are_escaped_everywhere(rerun):
    pages = {p.name: p.read_text(encoding="utf-8") for p in (rerun / "report").rglob("*.html")}
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in pages["ledger.html"]
    assert "&#34;&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in pages["figures.html"]
    assert {"01_gdp_rank.html", "01_gdp_rank.code.html"} <= set(pages)
    for name, text in pages.items():
        assert "<img src=x" not in text and "<script>alert" not in text and "<b>IDN</b>" not in text, name
        assert "members=&lt;b&gt;IDN&lt;/b&gt;" in text, f"{name} does not state the run's parameters"


def test_every_page_states_parameters_and_vintages(rerun):
    read = report.products(report.run_info(rerun), "02_internet_users")["inputs"]
    pinned = [d for d in read if d in resources()]
    assert pinned
    for page in (rerun / "report").rglob("*.html"):
        text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8")))
        assert "A rerun with parameters other than the article's" in text, page.name
        assert re.search(r"01_gdp_rank\s*ok\s*members=<b>IDN</b>,\s*year=2022", text), page.name
        for dataset in pinned:
            assert re.search(rf"{re.escape(dataset)}\s*{re.escape(resources()[dataset].vintage)}", text), (page.name, dataset)


def test_article_run_says_it_used_the_articles_settings(built):
    text = html.unescape((built / "report" / "ledger.html").read_text(encoding="utf-8"))
    assert "Every notebook ran with the article's settings" in text and "A rerun" not in text


def test_placed_notes_get_the_same_cell_ids_on_every_build():
    def placed() -> list[str]:
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title", id="title"), nbformat.v4.new_code_cell("x = 1", id="code")])
        report.place(nb, {"GDP-1": "a claim note"}, {"loose": "a figure note"})
        nbformat.validate(nb)
        return [c.id for c in nb.cells]

    first = placed()
    assert len(first) == 5 and len(set(first)) == 5 and placed() == first


def test_products_in_run_json_place_claims_and_figures(tmp_path):
    folder = _copy_run(tmp_path / "out", notebooks=["01_gdp_rank"])
    claim, figure, loose = "GDP-2", "gdp_rank_world", "mekong_digital_gap"
    _edit_json(folder / "run.json", lambda d: d["notebooks"]["01_gdp_rank"].update(
        products={"claims": [claim], "figures": [figure, loose], "inputs": ["wdi-gdp-2024-10"]}))
    path = folder / "notebooks" / "01_gdp_rank.ipynb"
    nb = nbformat.read(path, as_version=4)
    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    nb.cells[code[2]].metadata["tags"] = [f"figure:{figure}"]
    nb.cells[code[3]].metadata["tags"] = [f"claim:{claim}"]
    nb.cells.insert(code[3], nbformat.v4.new_markdown_cell("MARKER-BEFORE-CLAIM-CELL"))
    nb.cells.insert(code[2] + 1, nbformat.v4.new_markdown_cell("MARKER-AFTER-FIGURE-CELL"))
    nbformat.write(nb, path)
    report.build(folder)
    page = (folder / "report" / "notebooks" / "01_gdp_rank.code.html").read_text(encoding="utf-8")
    note, fig = page.index(f'id="claim-{claim}"'), page.index(f'id="fig-{figure}"')
    assert fig < page.index("MARKER-AFTER-FIGURE-CELL") < page.index("MARKER-BEFORE-CLAIM-CELL") < note, \
        "the figure follows its tagged cell; the claim note precedes its tagged cell"
    assert page.index("Figures saved by this notebook") < page.index(f'id="fig-{loose}"'), "an untagged figure closes the page"
    assert f'src="../../figures/{figure}.png"' not in page, "the chart is the notebook's own output; the note adds its sources"
    assert 'id="claim-GDP-1"' not in page, "only the claims the run recorded are noted"
    ledger = (folder / "report" / "ledger.html").read_text(encoding="utf-8")
    assert f'href="notebooks/01_gdp_rank.html#claim-{claim}"' in ledger
    assert 'href="notebooks/01_gdp_rank.html">01_gdp_rank</a> <span class="note">(not recorded in this run)' in ledger
    figures = (folder / "report" / "figures.html").read_text(encoding="utf-8")
    assert f'<a href="notebooks/01_gdp_rank.html#fig-{figure}">01_gdp_rank</a>' in figures
    before = report.run_info(paths.OUTPUTS)
    read = {n: set(report.products(before, n)["inputs"]) for n in before["notebooks"]}
    only_01 = read["01_gdp_rank"] - {d for n, found in read.items() if n != "01_gdp_rank" for d in found}
    only_01.discard("wdi-gdp-2024-10")
    data = (folder / "report" / "data.html").read_text(encoding="utf-8")
    footer = data[data.index('<footer class="run"'):]
    assert only_01 and not any(f">{d}</a></td>" in footer for d in only_01), "inputs come from the products"
    assert re.search(r"wdi-gdp-2024-10</a></td><td>[^<]*</td><td>01_gdp_rank", footer)


def test_extensions_render_when_given(tmp_path):
    folder = _copy_run(tmp_path / "out", notebooks=[])
    reviews = [{"@context": "https://schema.org", "@type": "ClaimReview", "claimReviewed": "</script><b>five</b>"}]
    then_now = [{"claim": "GDP-1", "then": "supported", "now": "contradicted"}]
    first = report.paragraphs(load.article())[0]
    covered = {"sentences": ["40 quantitative tokens: 30 claimed, 6 excluded (footnote marker 6), 4 unaccounted."],
                "tokens": [{"paragraph": 1, "para_start": 0, "para_end": 10, "kind": "date", "status": "unaccounted"},
                           {"paragraph": 1, "para_start": 12, "para_end": 20, "kind": "number", "status": "excluded"}]}
    report.build(folder, claimreview=reviews, then_and_now=then_now, coverage=covered)
    site = folder / "report"
    ledger = (site / "ledger.html").read_text(encoding="utf-8")
    embedded = re.search(r'<script type="application/ld\+json">(.*?)</script>', ledger, re.S)
    assert embedded and json.loads(embedded.group(1)) == reviews
    assert re.search(r"<td>GDP-1</td><td>supported</td><td>contradicted</td>", ledger)
    index = (site / "index.html").read_text(encoding="utf-8")
    assert re.search(rf'<p id="p-1">.*?<span class="unaccounted" title="[^"]*date">{re.escape(html.escape(first[:10]))}</span>', index)
    assert index.count('class="unaccounted" title=') == 1, "only unaccounted tokens are marked"
    for text in (index, ledger):
        assert "<li>40 quantitative tokens: 30 claimed, 6 excluded (footnote marker 6), 4 unaccounted.</li>" in text
    (folder / report.THEN_AND_NOW).write_text("claim,verdict_then,verdict_now\nDIG-1,supported,outdated\n", encoding="utf-8")
    report.build(folder, claimreview=None, coverage=None)
    ledger = (site / "ledger.html").read_text(encoding="utf-8")
    assert "application/ld+json" not in ledger and 'class="unaccounted"' not in (site / "index.html").read_text(encoding="utf-8")
    assert re.search(r"<td>DIG-1</td><td>supported</td><td>outdated</td>", ledger), "the folder's then_and_now.csv is shown"
    with pytest.raises(DataError, match=r"unknown report extension.*use claimreview, then_and_now, coverage"):
        report.build(folder, claim_review=reviews)


def test_ledger_embeds_claimreview_and_coverage_of_the_run(built):
    site, table = built / "report", report.rows(built)
    ledger = (site / "ledger.html").read_text(encoding="utf-8")
    reviews = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', ledger, re.S).group(1))
    reviewed = [r.claim.id for r in table if not r.what_if and claimreview.rating(r.verdict)]
    assert reviewed and [d["url"] for d in reviews] == [f"ledger.html#{c}" for c in reviewed]
    assert {d["claimReviewed"] for d in reviews} == {r.claim.quote for r in table if r.claim.id in reviewed}
    tokens = coverage.table(load.article())
    for line in coverage.describe(coverage.summary(tokens)):
        assert f"<li>{line}</li>" in html.unescape(ledger), line
    index = (site / "index.html").read_text(encoding="utf-8")
    assert index.count('class="unaccounted" title=') == int((tokens["status"] == "unaccounted").sum())


def test_every_local_link_resolves_and_nothing_loads_from_the_network(built):
    pages = sorted((built / "report").rglob("*.html"))
    parsed = {p: _parse(p) for p in pages}
    broken = []
    for page, found in parsed.items():
        for url in found.loads:
            assert not urlsplit(url).scheme or url.startswith("data:"), f"{page.name} loads {url} from the network"
        for url in found.links + found.loads:
            parts = urlsplit(url)
            if parts.scheme:
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.exists():
                broken.append(f"{page.relative_to(built)} -> {url}")
            elif parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else _parse(target).ids
                if not {parts.fragment, unquote(parts.fragment)} & ids:  # browsers try the raw, then the decoded id
                    broken.append(f"{page.relative_to(built)} -> {url} (no such anchor)")
    assert broken == []
    assert {"index.html", "ledger.html", "notebooks.html", "figures.html", "data.html"} <= {p.name for p in pages}


SHOT_BYTES = 20_000  # a screenshot of a page with content is larger; a blank page's is smaller


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for every browser test of the session."""
    if MISSING:
        pytest.skip(MISSING)
    opened = Browser()
    yield opened
    opened.close()


@pytest.mark.slow
def test_report_renders_in_chromium(built, browser, tmp_path):
    site = built / "report"
    registry = claims.registry()

    ledger = browser.open(site / "ledger.html")
    assert ledger["rows"] == list(registry), "the ledger table shows every registered claim in registry order"
    order = list(report.VERDICT_STYLE)
    verdict = {r.claim.id: r.verdict for r in report.rows(built)}
    verdicts = [order.index(verdict[c]) for c in ledger["sorted"]]
    assert ledger["aria"] == "ascending" and verdicts == sorted(verdicts), "sorting by verdict works"

    figures = browser.open(site / "figures.html")
    expected = sorted(p.stem for p in (built / "figures").glob("*.png"))
    assert sorted(Path(i["src"]).stem for i in figures["images"]) == expected
    assert all(i["ok"] for i in figures["images"]), [i["src"] for i in figures["images"] if not i["ok"]]

    # a notebook that saved figures (run.json products) shows its charts inline, all loading, with a note per figure
    run = report.run_info(built)
    for name in run["notebooks"]:
        saved = set(report.products(run, name)["figures"])
        for version in (f"{name}.html", f"{name}.code.html"):
            images = browser.open(site / "notebooks" / version)["images"]
            assert len(images) >= len(saved) and all(i["ok"] for i in images), f"{version}: {len(images)} images for {saved}"
            assert {f"fig-{f}" for f in saved} <= _parse(site / "notebooks" / version).ids, version

    for page in ("index.html", "ledger.html"):
        assert browser.screenshot(site / page, tmp_path / f"{page}.png") > SHOT_BYTES, f"screenshot of {page} looks empty"


@pytest.mark.slow
def test_the_browser_checks_can_fail(built, browser, tmp_path, monkeypatch):
    """A copy of the ledger page with a table wider than the window, an image that does not load and no
    script is reported as such; a blank page's screenshot is below the size of a non-empty one; a page
    shown at another width than asked is refused."""
    site = built / "report"
    page = (site / "ledger.html").read_text(encoding="utf-8")
    wide = '<table id="wide"><tr><td style="white-space:nowrap">' + "wide " * 400 + "</td></tr></table>"
    edits = {"<head>": f'<head><base href="{site.as_uri()}/">', "<main>": f'<main>{wide}<img src="figures/no-such.png">',
             '"static/report.js"': '"static/no-such.js"'}
    for old, new in edits.items():
        assert page.count(old) == 1, old
        page = page.replace(old, new)
    (tmp_path / "broken.html").write_text(page, encoding="utf-8")
    seen = browser.open(tmp_path / "broken.html", 1024)
    assert {"src": "figures/no-such.png", "ok": False} in seen["images"]
    assert {o.split(":")[0] for o in seen["overflow"]} == {"table#wide", "page"}, seen["overflow"]
    assert seen["rows"] == list(claims.registry()) and seen["aria"] is None, "without its script the ledger does not sort"
    (tmp_path / "blank.html").write_text("<!DOCTYPE html><title>blank</title>", encoding="utf-8")
    assert browser.screenshot(tmp_path / "blank.html", tmp_path / "blank.png") < SHOT_BYTES
    monkeypatch.setattr(browser, "_load", lambda page, width, height: Browser._load(browser, page, width + 100, height))
    with pytest.raises(AssertionError, match=r"opened blank\.html at 1124 px, not 1024 px"):
        browser.open(tmp_path / "blank.html", 1024)


@pytest.mark.slow
@pytest.mark.parametrize("width", [1024, 1920])
def test_tables_and_code_fit_the_window(built, browser, width):
    site = built / "report"
    pages = [site / p for p, _ in report.PAGES] + sorted((site / "notebooks").glob("*.code.html"))
    overflowing = {p.name: seen for p in pages if (seen := browser.open(p, width)["overflow"])}
    assert overflowing == {}, f"tables or code blocks wider than their container at {width} px"
