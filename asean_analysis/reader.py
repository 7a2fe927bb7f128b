"""What a notebook shows its reader first: a summary of its verdicts at the top, filled in when it has run.

The cell after the parameters reserves the slot (``SUMMARY = reader.slot()``); the last cell fills it
(``reader.fill(SUMMARY)``) with one line per claim the run recorded, computed from the records: the
executed notebook then opens with its verdicts (Jupyter replaces the slot's output in place).
"""

from IPython.display import Markdown, display

from . import claims, context

PLACEHOLDER = "*The verdicts of this notebook appear here once it has run to the end.*"


def slot():
    """Reserve the summary's place (returns the display handle to fill)."""
    return display(Markdown(PLACEHOLDER), display_id=True)


def text(run: context.Run | None = None, *, links: bool = False) -> str:
    """The summary: the run's parameters and one line per recorded claim with its verdict and reason.

    ``links``: each claim id links to ``#<id>``, the anchor (``<a id="<id>"></a>``) of its section.
    """
    run = run or context.current()
    shown = ", ".join(f"`{k}={v!r}`" for k, v in run.parameters.items()) or "none"
    lines = claims.reading(sorted(run.claims), run.folder) if run.claims else "- no claim was recorded"
    if links:
        lines = "\n".join(_link(line, run.claims) for line in lines.splitlines())
    return f"**Verdicts of this run** (parameters: {shown}):\n\n{lines}"


def _link(line: str, ids: list[str]) -> str:
    for cid in ids:
        if line.startswith(f"- `{cid}`"):
            return f"- [`{cid}`](#{cid})" + line[len(f"- `{cid}`"):]
    return line


def fill(handle, run: context.Run | None = None, *, links: bool = False) -> None:
    """Replace the placeholder at the top with the summary (claim ids linked to their sections if ``links``),
    and show it here too."""
    summary = Markdown(text(run, links=links))
    if handle is not None:
        handle.update(summary)
    display(summary)
