"""The report (offline HTML from a run folder) and the README's generated tables.

The browser test opens the report of the article run in headless Chromium (Debian packages
``chromium`` and ``chromium-driver``); without Chromium it skips and says so.
"""

import html
import json
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from asean_analysis import claims, load, paths, readme, report
from asean_analysis.errors import DataError
from asean_analysis.manifest import resources

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NO_CHROMIUM = ("Chromium is not installed, so the report cannot be opened in a real browser; install it with "
               "`apt-get install -y chromium chromium-driver` (CI's .ci/run does)")


# ---------------------------------------------------------------- article annotation

def test_every_verdict_has_a_symbol_and_a_label():
    assert list(report.VERDICT_STYLE) == list(claims.VERDICTS)
    symbols = [style[0] for style in report.VERDICT_STYLE.values()]
    assert len(set(symbols)) == len(symbols)


def test_locate_uses_the_registry_normalisation():
    para = "the bloc\u2019s  contributions\nto its “members”"
    start, end = report.locate("bloc's contributions to its \"MEMBERS\"", para)
    assert para[start:end] == "bloc\u2019s  contributions\nto its “members”"
    assert report.locate("not there", para) is None


def test_every_registered_quote_is_highlighted_in_place():
    text = load.article()
    table = report.rows(paths.OUTPUTS)
    body, missing = report.article_html(text, table)
    assert missing == []
    for row in table:
        mark = re.search(rf'<mark class="v-(\w+)" id="q-{re.escape(row.claim.id)}"[^>]*><a href="ledger.html#{row.claim.id}">(.*?)<sup>', body)
        assert mark, row.claim.id
        assert mark.group(1) == row.verdict
        shown = html.unescape(re.sub(r"<[^>]+>", "", mark.group(2)))
        # a quote inside another claim's quote is shown by its badge alone
        assert shown == "" or claims._normalise(shown) == claims._normalise(row.claim.quote), row.claim.id


def test_overlapping_quotes_keep_both_badges():
    claim = next(iter(claims.registry().values()))
    rows = [report.Row(claim, v, "", "", "", "", "", ()) for v in ("supported", "contradicted")]
    out = report._annotate("abcdefgh", [(1, 5, rows[0]), (3, 7, rows[1])])
    assert out.count("<mark") == 2 and "✓" in out and "✗" in out
    assert re.sub(r"<sup>.*?</sup>|<[^>]+>", "", out) == "abcdefgh"


def test_a_folder_without_ledger_is_refused(tmp_path):
    with pytest.raises(DataError, match="no claims ledger .* run `python -m asean_analysis run --out"):
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


@pytest.fixture(scope="module")
def built(article_run, tmp_path_factory) -> Path:
    """The report of the article run, built in a copy of its folder."""
    folder = tmp_path_factory.mktemp("report") / "outputs"
    shutil.copytree(article_run[0], folder)
    report.build(folder)
    return folder


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


CHECK = """<script>
window.addEventListener("load", function () {
  var out = {images: [], rows: [], sorted: []};
  document.querySelectorAll("img").forEach(function (img) {
    out.images.push({src: img.getAttribute("src"), ok: img.complete && img.naturalWidth > 0});
  });
  var table = document.getElementById("ledger");
  if (table) {
    var ids = function () { return Array.prototype.map.call(table.tBodies[0].rows, function (r) { return r.id; }); };
    out.rows = ids();
    table.tHead.rows[0].cells[4].querySelector("button").click();
    out.sorted = ids();
    out.aria = table.tHead.rows[0].cells[4].getAttribute("aria-sort");
  }
  var pre = document.createElement("pre");
  pre.id = "report-check";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
});
</script>"""


def _chromium(*args: str) -> str:
    with tempfile.TemporaryDirectory() as profile:
        result = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}", *args],
            capture_output=True, text=True, timeout=180,
        )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def _open(page: Path) -> dict:
    """What the browser sees on ``page``: the images and whether they loaded; ledger rows before/after a sort."""
    probe = page.with_name(f"_probe_{page.name}")
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", CHECK + "</body>"), encoding="utf-8")
    try:
        dom = _chromium("--virtual-time-budget=10000", "--dump-dom", probe.as_uri())
    finally:
        probe.unlink()
    found = re.search(r'<pre id="report-check">(.*?)</pre>', dom, re.S)
    assert found, f"the check script did not run on {page.name}"
    return json.loads(html.unescape(found.group(1)))


@pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)
def test_report_renders_in_chromium(built, tmp_path):
    site = built / "report"
    registry = claims.registry()

    ledger = _open(site / "ledger.html")
    assert ledger["rows"] == list(registry), "the ledger table shows every registered claim in registry order"
    order = list(report.VERDICT_STYLE)
    verdicts = [order.index(report.rows(built)[list(registry).index(c)].verdict) for c in ledger["sorted"]]
    assert ledger["aria"] == "ascending" and verdicts == sorted(verdicts), "sorting by verdict works"

    figures = _open(site / "figures.html")
    expected = sorted(p.stem for p in (built / "figures").glob("*.png"))
    assert sorted(Path(i["src"]).stem for i in figures["images"]) == expected
    assert all(i["ok"] for i in figures["images"]), [i["src"] for i in figures["images"] if not i["ok"]]

    # the article's figures: every figure claim whose notebook ran shows the figures that notebook saved
    for claim in (c for c in registry.values() if c.type == "figure"):
        executed = built / "notebooks" / f"{claim.notebook}.ipynb"
        if not executed.is_file():
            continue
        saved = {n for c in json.loads(executed.read_text())["cells"] if c["cell_type"] == "code"
                 for n in report.SAVE_CALL.findall("".join(c["source"]))}
        assert saved, f"{claim.id}: notebook {claim.notebook} saves no figure"
        for version in (f"{claim.notebook}.html", f"{claim.notebook}.code.html"):
            shown = {Path(i["src"]).stem: i["ok"] for i in _open(site / "notebooks" / version)["images"]}
            assert all(shown.get(name) for name in saved), f"{claim.id}: {version} shows {shown}, expected {saved}"

    for page in ("index.html", "ledger.html"):
        shot = tmp_path / f"{page}.png"
        _chromium("--hide-scrollbars", "--window-size=1280,1600", f"--screenshot={shot}", (site / page).as_uri())
        assert shot.stat().st_size > 20_000, f"screenshot of {page} looks empty"
