"""The ledger as schema.org ClaimReview JSON-LD, checked against the properties Google Search documents.

Google's fact-check structured data (developers.google.com/search/docs/appearance/structured-data/factcheck):
ClaimReview requires claimReviewed, reviewRating, url and recommends author, datePublished, itemReviewed;
the reviewed Claim recommends appearance, author, datePublished, firstAppearance; the Rating requires
alternateName and recommends bestRating, name, ratingValue, worstRating.
"""

import json
import re

import pandas as pd
import pytest

from asean_analysis import claimreview, claims, paths
from asean_analysis.errors import ClaimsError

REQUIRED = {"ClaimReview": {"claimReviewed", "reviewRating", "url"}, "Rating": {"alternateName"}}
RECOMMENDED = {"ClaimReview": {"author", "datePublished", "itemReviewed"},
               "Claim": {"appearance", "author", "datePublished", "firstAppearance"},
               "Rating": {"bestRating", "name", "ratingValue", "worstRating"}}


@pytest.fixture(scope="module")
def ledger():
    return pd.read_csv(paths.OUTPUTS / "claims_ledger.csv", dtype=str, keep_default_na=False)


def _missing(doc: dict, kind: str, level: dict) -> set[str]:
    return {p for p in level.get(kind, set()) if doc.get(p) in (None, "", [], {})}


def test_every_checked_row_is_a_valid_claimreview(ledger):
    docs = json.loads(json.dumps(claimreview.jsonld(ledger.to_dict("records"), published="2026-12-01")))
    assert len(docs) == len(ledger)  # the committed ledger has no pending or error rows
    for doc, row in zip(docs, ledger.itertuples()):
        assert doc["@context"] == "https://schema.org" and doc["@type"] == "ClaimReview"
        assert not _missing(doc, "ClaimReview", REQUIRED) and not _missing(doc, "ClaimReview", RECOMMENDED)
        claim, rating = doc["itemReviewed"], doc["reviewRating"]
        assert claim["@type"] == "Claim" and not _missing(claim, "Claim", RECOMMENDED)
        assert rating["@type"] == "Rating" and not _missing(rating, "Rating", REQUIRED)
        assert doc["claimReviewed"] == row.quote and doc["url"] == f"ledger.html#{row.claim}"
        expected_value, expected_text = claimreview.SCALE[row.verdict]
        assert rating["alternateName"] == expected_text
        if expected_value is None:  # agreement with the source, not evaluable, not verifiable: a textual rating only
            assert "ratingValue" not in rating and rating["alternateName"] == expected_text
        else:
            assert not _missing(rating, "Rating", RECOMMENDED)
            assert rating["worstRating"] <= rating["ratingValue"] <= rating["bestRating"]


def test_the_article_is_the_claims_first_appearance():
    doc = claimreview.jsonld([{"claim": "GDP-1", "quote": "q", "verdict": "contradicted", "reason": "r",
                               "explanation": "e"}], base="https://example.org/report/")[0]
    article = doc["itemReviewed"]["firstAppearance"]
    assert doc["itemReviewed"]["appearance"] == article["url"]
    assert (article["@type"], article["url"], article["datePublished"]) == (
        "NewsArticle", "https://theaseandaily.com/?p=43858", "2024-11-27")
    assert article["author"] == {"@type": "Person", "name": "Edwin Oh Chun Kit",
                                 "affiliation": {"@type": "Organization", "name": "INSAP"}}
    assert article["publisher"]["name"] == "The ASEAN Daily / INSAP"
    assert doc["url"] == "https://example.org/report/ledger.html#GDP-1"
    assert doc["reviewRating"]["ratingValue"] == claimreview.WORST and doc["reviewBody"] == "e r"


def test_the_scale_covers_every_verdict_and_ranks_them():
    assert set(claimreview.SCALE) == set(claims.VERDICTS)
    order = ("contradicted", "outdated", "partly_supported", "approximately", "supported")
    values = [claimreview.SCALE[v][0] for v in order]
    assert values == sorted(values) and values[0] == claimreview.WORST and values[-1] == claimreview.BEST
    assert claimreview.SCALE["matches_source"][0] is None  # agreement with the cited source is no rating


def test_unchecked_rows_are_not_published_and_unknown_verdicts_name_the_fix():
    rows = [{"claim": "GDP-1", "quote": "q", "verdict": v, "reason": "", "explanation": ""} for v in ("pending", "error")]
    assert claimreview.jsonld(rows) == []
    with pytest.raises(ClaimsError, match=r"verdict 'disputed' has no ClaimReview rating; add it to claimreview.SCALE"):
        claimreview.jsonld([{**rows[0], "verdict": "disputed"}])


def test_script_tag_cannot_close_early():
    tag = claimreview.script_tag([{"claimReviewed": "a </script><b>"}])
    assert tag.count("</script>") == 1 and json.loads(tag.split("\n", 1)[1].rsplit("\n", 1)[0])[0]["claimReviewed"] == "a </script><b>"


def test_the_readme_documents_the_scale_as_it_is():
    text = (paths.ROOT / "README.md").read_text()
    block = text.split("<!-- rating scale: kept equal to claimreview.SCALE", 1)[1].split("\n\n", 1)[0]
    documented = {}
    for line in block.splitlines()[3:]:
        verdicts, value, name = (c.strip() for c in line.strip("|").split("|"))
        for verdict in re.findall(r"`(\w+)`", verdicts):
            documented[verdict] = None if value == "not published" else (None if value == "—" else int(value), name)
    assert documented == claimreview.SCALE
    assert f"`worstRating` {claimreview.WORST}, `bestRating` {claimreview.BEST}" in text
