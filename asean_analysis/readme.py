"""The README's generated tables (claims -> notebook -> data, data availability), from the registry and manifest.

Only the text between ``<!-- BEGIN GENERATED: NAME -->`` and ``<!-- END GENERATED: NAME -->`` is
rewritten; ``python -m asean_analysis readme`` refreshes it and a test fails when it is stale.
"""

import re
from pathlib import Path

from . import claims, paths
from .errors import DataError
from .manifest import resources
from .report import products, run_info, users

README = paths.ROOT / "README.md"
QUOTE_CHARS = 48


def _md(text: object) -> str:
    return claims.md_escape(text)


def _short(quote: str) -> str:
    return quote if len(quote) <= QUOTE_CHARS else quote[: QUOTE_CHARS - 1].rstrip() + "…"


def run_products() -> dict[str, dict[str, list[str]]]:
    """What each notebook produced in the committed article run (``outputs/run.json``): claims, figures, inputs."""
    run = run_info(paths.OUTPUTS)
    return {name: products(run, name) for name in run["notebooks"]}


def claims_table() -> str:
    """One row per notebook of the registry: its claims (id and short quote), and the figures it saved and the
    inputs it read in the committed article run."""
    by_notebook: dict[str, list[claims.Claim]] = {}
    for claim in claims.registry().values():
        by_notebook.setdefault(claim.notebook, []).append(claim)
    made = run_products()
    lines = ["| notebook | claims | figures | data it reads |", "|---|---|---|---|"]
    for name in sorted(by_notebook):
        listed = by_notebook[name]
        written = (paths.NOTEBOOKS / f"{name}.ipynb").is_file()
        notebook = f"[`{name}`](notebooks/{name}.ipynb)" if written else f"`{name}` (not written yet)"
        quotes = "<br>".join(f"{c.id} “{_md(_short(c.quote))}”" for c in listed)
        figs = ", ".join(f"`{f}`" for f in made.get(name, {}).get("figures", [])) or "—"
        read = made.get(name, {}).get("inputs") or list(dict.fromkeys(d for c in listed for d in c.datasets))
        data = ", ".join(f"`data/{d}`" if d.startswith("reference/") else d for d in read) or "—"
        lines.append(f"| {notebook} | {quotes} | {figs} | {data} |")
    return "\n".join(lines)


def data_table() -> str:
    """One row per dataset of the manifest: publisher, licence, vintage, how to obtain it, claims using it."""
    used = users(claims.registry().values())
    lines = ["| dataset | publisher | licence | vintage | how to obtain | claims |", "|---|---|---|---|---|---|"]
    for name, r in resources().items():
        obtain = f"mirror `{r.mirror_path}`; " + (f"[pinned URL]({r.url})" if r.url else f"publisher: <{r.homepage}>")
        lines.append(f"| `{name}` | {_md(r.publisher)} | {_md(r.license)} | {_md(r.vintage)} | {obtain} | "
                     f"{', '.join(used.get(name, [])) or '—'} |")
    return "\n".join(lines)


BLOCKS = {"claims-table": claims_table, "data-table": data_table}


def render(text: str) -> str:
    """``text`` (the README) with every generated block refreshed."""
    for name, make in BLOCKS.items():
        pattern = re.compile(rf"(<!-- BEGIN GENERATED: {name} -->\n).*?(\n<!-- END GENERATED: {name} -->)", re.S)
        found = pattern.search(text)
        if not found:
            raise DataError(f"README lacks the markers of the generated block {name!r}; restore "
                            f"'<!-- BEGIN GENERATED: {name} -->' and '<!-- END GENERATED: {name} -->' on their own lines")
        text = text[:found.end(1)] + make() + text[found.start(2):]
    return text


def update(path: Path = README, check: bool = False) -> bool:
    """Refresh the README's generated blocks (or, with ``check``, only compare); True if it was stale."""
    current = path.read_text(encoding="utf-8")
    fresh = render(current)
    if fresh != current and not check:
        path.write_text(fresh, encoding="utf-8")
    return fresh != current
