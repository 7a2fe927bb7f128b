"""The record layer: turns a topic's computed results into claim records, explanations and reading sentences.

One module per topic (``records.<topic>``); the computation lives in ``analysis.<topic>``.
"""


def line(claim_id: str, verdict: dict) -> str:
    """One printed line per recorded claim: its id, verdict and reason."""
    return f"{claim_id}: {verdict['verdict']} — {verdict['reason']}"
