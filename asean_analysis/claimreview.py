"""The claims ledger as schema.org ``ClaimReview`` JSON-LD, the form fact-checkers publish and aggregators read.

One ``ClaimReview`` per checked ledger row: ``claimReviewed`` is the registry's quote; ``itemReviewed``
is a ``Claim`` by the article's author whose first appearance is the article (a ``NewsArticle``);
``reviewRating`` maps the verdict through :data:`SCALE`; ``url`` points at the claim's row of the
report's ledger page (:data:`ANCHOR`). The article's metadata come from the registry's ``article:``
block (``data/claims.yaml``).
"""

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from . import paths
from .errors import ClaimsError

# The rating scale (documented in the README): verdict -> (ratingValue, alternateName). ratingValue runs
# from WORST (contradicted) to BEST (supported); a verdict the data cannot settle has a textual rating and
# no number. None: not a review (the claim was not checked in this run) and not published.
WORST, BEST = 1, 5
SCALE: dict[str, tuple[int | None, str] | None] = {
    "supported": (5, "Supported by independent data"),
    "approximately": (4, "Approximately right (independent data)"),
    "partly_supported": (3, "Partly supported"),
    "outdated": (2, "Outdated: true for an earlier period"),
    "contradicted": (1, "Contradicted by the data"),
    "matches_source": (None, "Matches its cited source; not independently checked"),
    "approximately_matches_source": (None, "Approximately matches its cited source; not independently checked"),
    "not_evaluable": (None, "Not evaluable: the data the check needs are missing"),
    "not_verifiable_data_not_in_mirror": (None, "Not verifiable with the pinned public data"),
    "not_verifiable_no_public_data": (None, "Not verifiable: no public data"),
    "not_verifiable_source_not_found": (None, "Not verifiable: cited source not found"),
    "not_verifiable_projection": (None, "Not verifiable: a projection"),
    "not_verifiable_qualitative": (None, "Not verifiable: a qualitative judgement"),
    "pending": None,
    "error": None,
}
ANCHOR = "ledger.html#{claim}"  # the claim's row in the report's ledger page, relative to the report folder
REVIEWER = {"@type": "Organization", "name": "asean-claims replication package"}


def rating(verdict: str) -> dict[str, Any] | None:
    """The schema.org ``Rating`` of a verdict (None if the verdict is not a review); unknown verdicts fail."""
    if verdict not in SCALE:
        raise ClaimsError(f"verdict {verdict!r} has no ClaimReview rating; add it to claimreview.SCALE "
                          "and to the README's rating table")
    entry = SCALE[verdict]
    if entry is None:
        return None
    value, text = entry
    out = {"@type": "Rating", "alternateName": text, "name": text, "bestRating": BEST, "worstRating": WORST}
    if value is not None:
        out["ratingValue"] = value
    return out


def article_meta() -> dict[str, str]:
    """The registry's ``article:`` block (title, author, date, url, publisher), from its one cached parse."""
    from .claims import document

    meta = document().get("article") or {}
    missing = [k for k in ("title", "author", "date", "url", "publisher") if not meta.get(k)]
    if missing:
        raise ClaimsError(f"the article: block of {paths.REGISTRY.name} lacks {', '.join(missing)}; add them")
    return {k: str(v) for k, v in meta.items()}


def _person(author: str) -> dict[str, Any]:
    """'Name (Affiliation)' -> a schema.org Person with its affiliation."""
    match = re.fullmatch(r"\s*(.*?)\s*(?:\((.*)\))?\s*", author)
    assert match is not None  # the pattern matches any text
    name, affiliation = match.groups()
    person = {"@type": "Person", "name": name}
    if affiliation:
        person["affiliation"] = {"@type": "Organization", "name": affiliation}
    return person


def news_article(meta: Mapping[str, str]) -> dict[str, Any]:
    """The reviewed article as a schema.org NewsArticle."""
    return {"@type": "NewsArticle", "headline": meta["title"], "url": meta["url"], "datePublished": meta["date"],
            "author": _person(meta["author"]), "publisher": {"@type": "Organization", "name": meta["publisher"]}}


def jsonld(rows: Iterable[Mapping[str, Any]], meta: Mapping[str, str] | None = None, base: str = "",
           published: str | None = None) -> list[dict[str, Any]]:
    """One ClaimReview per ledger row that is a review (a row: claim, quote, verdict, reason, explanation).

    ``base`` prefixes :data:`ANCHOR` (e.g. ``https://host/report/``; empty: relative to the report's
    pages); ``published`` is the review date (default: today).
    """
    meta = meta or article_meta()
    article = news_article(meta)
    out = []
    for row in rows:
        rated = rating(row["verdict"])
        if rated is None:
            continue
        body = " ".join(str(row.get(k) or "").strip() for k in ("explanation", "reason")).strip()
        out.append({
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": base + ANCHOR.format(claim=row["claim"]),
            "name": f"Claim {row['claim']}: {rated['alternateName']}",
            "claimReviewed": row["quote"],
            "itemReviewed": {"@type": "Claim", "author": article["author"], "datePublished": meta["date"],
                             "firstAppearance": article, "appearance": meta["url"]},
            "reviewRating": rated,
            "reviewBody": body,
            "author": REVIEWER,
            "datePublished": published or dt.date.today().isoformat(),
        })
    return out


def script_tag(docs: list[dict[str, Any]]) -> str:
    """The JSON-LD as one HTML ``<script type="application/ld+json">`` element (safe inside HTML)."""
    text = json.dumps(docs, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{text}\n</script>'
