"""What a reader of a committed notebook sees: its charts as images, its verdicts at the top, linked to their sections,
and a notebook short enough to read (the computation lives in the package).

The checks read the committed, executed notebooks in ``notebooks/``; :func:`problems` also takes any executed copy
(e.g. ``<run folder>/notebooks/NAME.ipynb``).
"""

import re
from pathlib import Path

import nbformat
import pytest

from asean_analysis import claims, paths, reader

MAX_CODE_LINES = 110
DRAWS = re.compile(r"figures\.save\(|plt\.show\(")
ANCHOR = re.compile(r'<a id="([^"]+)"></a>')
SAVED = re.compile(r"figures\.save\([^,]+,\s*\"(\w+)\"")


def tagged(nb, prefix: str) -> set[str]:
    """Names of the cell tags ``<prefix>:<name>`` (the report places claim and figure notes by them)."""
    return {t.split(":", 1)[1] for c in nb.cells for t in c.metadata.get("tags", []) if t.startswith(prefix + ":")}


def code_lines(nb) -> int:
    """Non-blank source lines of the notebook's code cells."""
    return sum(1 for c in nb.cells if c.cell_type == "code" for line in c.source.splitlines() if line.strip())


def images(nb) -> int:
    """Image outputs stored in the notebook."""
    return sum(1 for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
               if any(k.startswith("image/") for k in o.get("data", {})))


def problems(path: Path) -> list[str]:
    """What a reader would miss in the executed notebook at ``path`` (empty: nothing)."""
    nb = nbformat.read(path, as_version=4)
    found = []
    code = [c for c in nb.cells if c.cell_type == "code"]
    if nb.cells[0].cell_type != "markdown" or "reader.slot()" not in nb.cells[1].source:
        found.append("the cell under the title does not reserve the verdict summary (SUMMARY = reader.slot())")
    if "reader.fill(SUMMARY" not in code[-1].source:
        found.append("the last cell does not fill the verdict summary (reader.fill(SUMMARY))")
    if any(DRAWS.search(c.source) for c in code) and not images(nb):
        found.append("it draws charts but stores no image output; re-execute it with the runner")
    if code_lines(nb) > MAX_CODE_LINES:
        found.append(f"{code_lines(nb)} code lines (at most {MAX_CODE_LINES}); move computation into the package")
    own = {cid for cid, claim in claims.registry().items() if claim.notebook == path.stem}
    if own - tagged(nb, "claim"):
        found.append(f"no cell tagged claim:<id> records {', '.join(sorted(own - tagged(nb, 'claim')))}")
    saved = {name for c in code for name in SAVED.findall(c.source)}
    if saved - tagged(nb, "figure"):
        found.append(f"no cell tagged figure:<name> draws {', '.join(sorted(saved - tagged(nb, 'figure')))}")
    if "links=True" in code[-1].source:
        anchors = {a for c in nb.cells if c.cell_type == "markdown" for a in ANCHOR.findall(c.source)}
        if own - anchors:
            found.append(f"the summary links to claims without a section anchor: {', '.join(sorted(own - anchors))}")
    return found


@pytest.mark.parametrize("path", sorted(paths.NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.stem)
def test_committed_notebook_reads_well(path):
    assert problems(path) == []


def test_the_checks_can_fail(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"), nbformat.v4.new_code_cell("x = 1"),
                nbformat.v4.new_code_cell('figures.save(fig, "x")\n' + "y = 2\n" * MAX_CODE_LINES),
                nbformat.v4.new_code_cell("reader.fill(SUMMARY, links=True)")]
    path = tmp_path / "01_gdp_rank.ipynb"
    nbformat.write(nb, path)
    found = problems(path)
    assert len(found) == 6
    assert found[0].startswith("the cell under the title") and "no image output" in found[1]
    assert f"{MAX_CODE_LINES + 3} code lines" in found[2]
    assert found[3].startswith("no cell tagged claim:<id> records DEV-1, GDP-1") and found[4] == "no cell tagged figure:<name> draws x"
    assert "GDP-1" in found[5]


def test_summary_links_each_claim_line_to_its_anchor():
    lines = "- `GDP-1` “fifth largest”: **supported**\n- `NET-3` “in `code`”: no\n  - `X-1` nested, not a claim line"
    assert reader.linked(lines) == ("- [`GDP-1`](#GDP-1) “fifth largest”: **supported**\n"
                                    "- [`NET-3`](#NET-3) “in `code`”: no\n  - `X-1` nested, not a claim line")
