"""One house style, deterministic figure files, and the table + provenance sidecar of every figure."""

import json
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd

from . import __version__, context
from .manifest import resource

PALETTE = {"ASEAN": "#c0392b", "other": "#95a5a6", "highlight": "#2c3e50"}


def style() -> None:
    """Apply the house style, the style sheet ``house.mplstyle`` (call once at the top of a notebook)."""
    plt.style.use(Path(__file__).with_name("house.mplstyle"))


def provenance(datasets: list[str]) -> list[dict]:
    """Citation of each dataset: id, title, publisher, vintage, licence, sha256, URL."""
    out = []
    for name in datasets:
        r = resource(name)
        out.append({"dataset": r.name, "title": r.title, "publisher": r.publisher, "vintage": r.vintage,
                    "license": r.license, "sha256": r.sha256, "url": r.url or r.homepage})
    return out


def source_lines(datasets: list[str]) -> str:
    """One citation line per dataset, for a notebook's data section."""
    return "\n".join(f"{p['publisher']} — {p['title']} ({p['vintage']}); licence {p['license']}; {p['url']}"
                     for p in provenance(datasets))


def save(fig: plt.Figure, name: str, *, data: pd.DataFrame, datasets: list[str], parameters: dict,
         caption: str, out_dir: Path | None = None) -> Path:
    """Write ``name``.png/.svg (no timestamps), the table behind it (.csv) and a sidecar (.json)."""
    folder = (out_dir or context.current().folder) / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    fig.savefig(folder / f"{name}.png", metadata={"Software": None}, bbox_inches="tight")
    fig.savefig(folder / f"{name}.svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    data.to_csv(folder / f"{name}.csv", index=False, lineterminator="\n")
    sidecar = {"figure": name, "caption": caption, "table": f"{name}.csv", "parameters": parameters,
               "datasets": provenance(datasets), "package_version": __version__,
               "matplotlib_version": matplotlib.__version__}
    (folder / f"{name}.json").write_text(json.dumps(sidecar, indent=1, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    if out_dir is None:
        context.current().note_figure(name)
    return folder / f"{name}.png"
