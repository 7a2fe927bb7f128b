"""Coverage: every quantitative token and curated statement of the article is claimed, pending or excluded with a reason."""

import copy

import pytest

from asean_analysis import claims, coverage, load
from asean_analysis.errors import ClaimsError

TEXT = load.article()
REGISTRY = claims.registry()
COVERAGE = coverage.load_coverage()


def _problems(text=TEXT, registry=REGISTRY, cov=COVERAGE):
    table = coverage.table(text, registry, cov)
    return table, coverage.problems(table, registry, cov, text)


def _with_claim(quote):
    extra = claims.Claim(id="NEW-1", topic="economy", quote=quote, type="qualitative", asserted=True, unit="u",
                         check={"kind": "qualitative", "rationale": "test"}, datasets=(), notebook="nb")
    return {**REGISTRY, "NEW-1": extra}


def test_every_token_and_statement_of_the_article_is_accounted_for():
    table, found = _problems()
    assert found == []
    assert (table["status"] == "unaccounted").sum() == 0


def test_a_number_added_to_a_copy_of_the_article_is_named():
    text = TEXT.replace("This upward trajectory", "Exports rose by 37% in 2019 to 4.2 trillion. This upward trajectory", 1)
    _, found = _problems(text)
    unaccounted = [p for p in found if p.startswith("unaccounted")]
    assert len(unaccounted) == 3
    assert "'37%'" in unaccounted[0] and "'2019'" in unaccounted[1] and "'4.2 trillion'" in unaccounted[2]
    assert "paragraph 10" in unaccounted[0]


def test_a_count_word_added_to_a_copy_is_named():
    text = TEXT.replace("These key areas encompass", "These eleven key areas encompass", 1)
    _, found = _problems(text)
    assert next(p for p in found if p.startswith("unaccounted")).startswith("unaccounted count_word 'eleven'")


def test_an_excluded_token_that_a_claim_now_covers_is_stale():
    _, found = _problems(registry=_with_claim("\u201cASEAN 2025: Forging Ahead Together\u201d framework"))
    assert len(found) == 1
    assert "exclusion of '2025' in paragraph 1 is stale: claim NEW-1's quote now covers it" in found[0]


def test_a_pending_registration_that_a_claim_now_covers_must_be_removed():
    _, found = _problems(registry=_with_claim("debate hosted by the Lowy Institute in 2022"))
    assert len(found) == 1 and "overlaps the quote of claim NEW-1" in found[0]


def test_an_exclusion_that_matches_nothing_is_reported():
    cov = copy.deepcopy(COVERAGE)
    cov["excluded"].append({"text": "Kuala Lumpur", "quote": "Summit in Kuala Lumpur", "reason": "title"})
    _, found = _problems(cov=cov)
    assert found == ["the exclusion of 'Kuala Lumpur' matches no token or statement of the inventory; "
                     "delete it from coverage.yaml"]


def test_a_statement_without_claim_or_reason_is_unaccounted():
    cov = copy.deepcopy(COVERAGE)
    cov["statements"].append({"quote": "relatively stable history as a bloc"})
    _, found = _problems(cov=cov)
    assert len(found) == 1 and found[0].startswith("unaccounted statement 'relatively stable history as a bloc'")


@pytest.mark.parametrize("sentence, expected", [
    ("profit at $11 billion (+24% YoY).3 With 125,000 new users",
     [("money", "$11 billion"), ("percent", "+24%"), ("footnote", "3"), ("number", "125,000")]),
    ("reaching USD$268.8 billion in 20236 with a CAGR Of 5.98% over 2024 to 2032.7 Next",
     [("money", "USD$268.8 billion"), ("year", "2023"), ("footnote", "6"), ("percent", "5.98%"),
      ("year", "2024"), ("year", "2032"), ("footnote", "7")]),
    ("on 22 November 2015 at their 27th Summit, the fifth largest and world\u2019s fastest-growing market",
     [("date", "22 November 2015"), ("ordinal", "27th"), ("ordinal", "fifth"), ("superlative", "largest"),
      ("superlative", "fastest-growing")]),
    ("where nine key areas (Figure 2) of interest and one that upholds the test", [("count_word", "nine"),
                                                                                   ("figure_number", "Figure 2")]),
    ("growth over the past decade, not 4.2 trillion", [("period", "decade"), ("number", "4.2 trillion")]),
])
def test_inventory_kinds(sentence, expected):
    assert [(t.kind, t.text) for t in coverage.inventory(sentence)] == expected


def test_inventory_spans_and_paragraphs_point_into_the_text():
    tokens = coverage.inventory(TEXT)
    assert all(TEXT[t.start:t.end] == t.text and t.kind in coverage.KINDS for t in tokens)
    gmv = next(t for t in tokens if t.text == "$263 billion")
    assert gmv.paragraph == claims.paragraph_of("gross merchandise value (GMV) at $263 billion", TEXT)
    table, _ = _problems()
    paragraphs = [p for p in TEXT.split("\n") if p.strip()]
    assert all(paragraphs[r.paragraph - 1][r.para_start:r.para_end] == r.text for r in table.itertuples())


def test_quote_span_uses_the_registry_normalisation():
    start, end = coverage.quote_span("the world's  fastest-growing Internet market", TEXT)  # straight quote, double space
    assert TEXT[start:end] == "the world\u2019s fastest-growing Internet market"
    assert coverage.quote_span("not in the article at all", TEXT) is None


def test_summary_counts_add_up():
    table, _ = _problems()
    figures = coverage.summary(table)
    for part in ("tokens", "statements"):
        counts = figures[part]
        assert counts["found"] == sum(counts[s] for s in coverage.STATUSES)
        assert counts["excluded"] == sum(counts["excluded_by_reason"].values())
    assert figures["tokens"]["found"] == len(coverage.inventory(TEXT))


def test_describe_states_the_figures_in_words():
    text = "Growth of 5% in 2019 (Figure 1), the fastest.3 Then"
    table = coverage.account(coverage.inventory(text), {}, {"pending_registration": [], "excluded": []}, text)
    lines = coverage.describe(coverage.summary(table))
    assert lines[0] == ("5 quantitative tokens: 0 claimed, 0 pending registration, 2 excluded "
                        "(figure reference 1, footnote marker 1), 3 unaccounted.")
    assert lines[1].startswith("0 checkable statements without numbers")


def test_the_module_exits_non_zero_naming_an_unaccounted_token(monkeypatch, capsys):
    monkeypatch.setattr(coverage.load, "article", lambda: TEXT + "\nA closing line with 77 numbers.")
    assert coverage.main() == 1
    assert "unaccounted number '77'" in capsys.readouterr().out


def test_every_exclusion_reads_with_a_known_reason_and_a_note():
    assert all(e["reason"] in COVERAGE["reasons"] and e.get("note", "").strip() for e in COVERAGE["excluded"])
    assert all(e.get("check", "").strip() and e.get("topic") in {c.topic for c in REGISTRY.values()}
               for e in COVERAGE["pending_registration"])


def test_an_unknown_reason_is_refused(tmp_path):
    bad = tmp_path / "coverage.yaml"
    bad.write_text(coverage.COVERAGE_FILE.read_text(encoding="utf-8").replace("reason: judgement", "reason: hunch"),
                   encoding="utf-8")
    with pytest.raises(ClaimsError, match="hunch"):
        coverage.load_coverage(bad)


def test_an_exclusion_whose_quote_left_the_article_is_refused():
    cov = copy.deepcopy(COVERAGE)
    cov["excluded"].append({"text": "7", "quote": "a sentence the article never had 7", "reason": "title"})
    with pytest.raises(ClaimsError, match="is not in the article"):
        _problems(cov=cov)


def test_a_restated_token_names_the_claim_that_checks_it_or_fails():
    table, _ = _problems()
    restated = table[table["reason"] == "restated"].set_index("text")["checked_by"]
    assert restated["double-digit"] == "DIG-2"
    cov = copy.deepcopy(COVERAGE)
    next(e for e in cov["excluded"] if e["text"] == "double-digit")["checked_by"] = "impressive double-digit growth"
    _, found = _problems(cov=cov)
    assert found == ["the exclusion of 'double-digit' in paragraph 10 says 'restated' but its checked_by quote stands "
                     "in no claim's quote; name a registered claim's quote"]
