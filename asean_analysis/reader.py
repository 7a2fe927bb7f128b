"""What a notebook shows its reader first: a summary of its verdicts at the top, filled in when it has run.

The cell after the parameters reserves the slot (``SUMMARY = reader.slot()``); the last cell fills it
(``reader.fill(SUMMARY)``) with one line per claim the run recorded, computed from the records: the
executed notebook then opens with its verdicts (Jupyter replaces the slot's output in place).
"""

import re

from IPython.display import Markdown, display

from . import claims, context

PLACEHOLDER = "*The verdicts of this notebook appear here once it has run to the end.*"


def slot():
    """Reserve the summary's place (returns the display handle to fill)."""
    return display(Markdown(PLACEHOLDER), display_id=True)


def linked(lines: str) -> str:
    """Each reading line's claim id made a link to the notebook's anchor of that claim (``<a id="GDP-1"></a>``)."""
    return re.sub(r"^- `([A-Z0-9a-z-]+)`", r"- [`\1`](#\1)", lines, flags=re.MULTILINE)


def text(run: context.Run | None = None, links: bool = False) -> str:
    """The summary: the run's parameters and one line per recorded claim with its verdict and reason.

    ``links``: link each claim id to its section (the notebook carries an ``<a id="<claim id>"></a>`` anchor per claim)."""
    run = run or context.current()
    shown = ", ".join(f"`{k}={v!r}`" for k, v in run.parameters.items()) or "none"
    lines = claims.reading(sorted(run.claims), run.folder) if run.claims else "- no claim was recorded"
    return f"**Verdicts of this run** (parameters: {shown}):\n\n{linked(lines) if links else lines}"


def fill(handle, run: context.Run | None = None, links: bool = False) -> None:
    """Replace the placeholder at the top with the summary, and show it here too."""
    summary = Markdown(text(run, links))
    if handle is not None:
        handle.update(summary)
    display(summary)
