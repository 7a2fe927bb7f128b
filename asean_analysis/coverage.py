"""Coverage of the article: every quantitative token and every curated checkable statement is accounted for.

:func:`inventory` finds the quantitative tokens of the text (numbers, money, percentages, dates, years,
periods ("the past decade"), ordinals and rank words, counts written as words, superlatives, footnote markers, figure numbers).
:func:`statements` locates the curated checkable sentences without numbers (``data/coverage.yaml``).
:func:`account` links each item to a registered claim (the item stands inside the claim's quote), to a
planned registration, or to an exclusion with a reason; what remains is ``unaccounted``. :func:`table`
composes the three for the article.
:func:`problems` lists what a reader must fix (unaccounted items, stale exclusions); :func:`summary`
gives the figures the report states. Quotes are located with the normalisation of
:func:`asean_analysis.claims.paragraph_of`, so a quote that the registry accepts is found here too.
"""

import bisect
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from . import load, paths
from .claims import Claim, normalise, paragraph_of
from .claims import registry as claims_registry
from .errors import ClaimsError

COVERAGE_FILE = paths.DATA / "coverage.yaml"

KINDS = ("date", "money", "percent", "ordinal", "year", "period", "number", "count_word", "superlative",
         "footnote", "figure_number", "statement")
STATUSES = ("claimed", "pending_registration", "excluded", "unaccounted")
# Tokens whose kind is itself the reason they assert nothing: no list entry is needed for them.
KIND_REASONS = {"footnote": "footnote_marker", "figure_number": "figure_reference"}

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_ORDINAL_WORDS = {"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
                  "eleventh", "twelfth", "twentieth", "hundredth"}
# "one" is left out: in this register it is a pronoun ("one that upholds ..."), never a count.
_COUNT_WORDS = {"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                "twenty", "thirty", "fifty", "hundred", "thousand", "million", "billion", "trillion", "dozen",
                "double", "twice", "triple", "half", "quarter"}
_PERIOD_WORDS = {"decade", "decades", "century", "centuries"}
_SUPERLATIVE_WORDS = {"most", "least", "best", "worst", "last", "foremost"}
_NOT_SUPERLATIVE = {"interest", "invest", "request", "suggest", "honest", "modest", "forest", "manifest",
                    "protest", "contest", "harvest", "digest", "arrest", "unrest", "conquest", "midwest"}

# Pass 1 (masked before pass 2): markers that are not quantities.
_MARKERS = re.compile(
    r"(?P<figure_number>\bFig(?:ure|\.)\s*\d+)"
    # a digit glued after a sentence's closing period or bracket, followed by a new sentence or the line's end
    r"|(?<=[.)\]])(?P<footnote>\d{1,2})(?=[ \t]+[A-Z\"\u201c]|[ \t]*$)"
    # the article writes thousands with separators (125,000): a bare five-digit number opening with a
    # year is that year followed by a footnote marker ("20236" = 2023 + note 6)
    r"|(?<![\d,.$])(?:19|20)\d\d(?P<year_footnote>\d)(?![\d,.%])",
    re.MULTILINE)
# Pass 2, in order of precedence.
_TOKENS = re.compile(
    rf"(?P<date>\b\d{{1,2}}-\d{{1,2}}-\d{{4}}\b|\b\d{{1,2}}\s+(?:{_MONTHS})\s+\d{{4}}\b|\b(?:{_MONTHS})\s+\d{{4}}\b)"
    r"|(?P<money>(?:USD\s?|US)?[$\u20ac\u00a3\u00a5]\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:trillion|billion|million|bn|tn|mn)\b)?)"
    r"|(?P<percent>[+\-\u2212]?\d[\d,]*(?:\.\d+)?\s?(?:%|per\s?cent\b|percent\b))"
    r"|(?P<ordinal>\b\d+(?:st|nd|rd|th)\b)"
    r"|(?P<year>\b(?:19|20)\d\d\b(?![,.]\d))"
    r"|(?P<number>\b\d[\d,]*(?:\.\d+)?(?:\s(?:trillion|billion|million|thousand)\b)?)"
    r"|(?P<word>\b[A-Za-z]+(?:-[A-Za-z]+)*\b)")


@dataclass(frozen=True)
class Token:
    """One item of the inventory: a token (or a curated statement) at a character span of the article."""
    kind: str
    text: str
    paragraph: int  # 1-based, counted as claims.paragraph_of counts (non-empty lines)
    start: int
    end: int


def _paragraph_starts(text: str) -> list[int]:
    starts, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            starts.append(pos)
        pos += len(line) + 1
    return starts


def _paragraph_at(starts: list[int], offset: int) -> int:
    return bisect.bisect_right(starts, offset)


def _word_kind(word: str) -> str | None:
    head = word.split("-")[0].lower()
    if head in _ORDINAL_WORDS:
        return "ordinal"
    if head in _COUNT_WORDS:
        return "count_word"
    if head in _PERIOD_WORDS:
        return "period"
    if head in _SUPERLATIVE_WORDS or (head.endswith("est") and len(head) > 5 and head not in _NOT_SUPERLATIVE):
        return "superlative"
    return None


def inventory(text: str) -> list[Token]:
    """Every quantitative token of ``text``, in reading order."""
    starts = _paragraph_starts(text)
    found: list[tuple[str, int, int]] = []
    masked = list(text)
    for m in _MARKERS.finditer(text):
        kind = m.lastgroup or ""
        start, end = m.span(kind)
        if kind == "year_footnote":
            found.append(("year", m.start(), start))
            kind = "footnote"
        found.append((kind, start, end))
        masked[m.start():m.end()] = " " * (m.end() - m.start())
    for m in _TOKENS.finditer("".join(masked)):
        found_kind = m.lastgroup if m.lastgroup != "word" else _word_kind(m.group())
        if found_kind:
            found.append((found_kind, m.start(), m.end()))
    return [Token(kind, text[s:e], _paragraph_at(starts, s), s, e) for kind, s, e in sorted(found, key=lambda t: t[1])]


def quote_span(quote: str, text: str) -> tuple[int, int] | None:
    """Character span of ``quote`` in ``text`` where :func:`claims.paragraph_of` finds it (None if absent)."""
    number = paragraph_of(quote, text)
    if not number:
        return None
    offset = _paragraph_starts(text)[number - 1]
    para = text[offset:].split("\n", 1)[0]
    k, n = normalise(para).index(normalise(quote)), len(normalise(quote))
    length = lambda i: len(normalise(para[:i]))  # noqa: E731  (monotone in i)
    start = bisect.bisect_right(range(len(para)), k, key=lambda i: length(i + 1))
    end = bisect.bisect_left(range(len(para) + 1), k + n, key=length)
    return offset + start, offset + end


def _span_of(text_in_quote: str, quote: str, article: str, where: str) -> tuple[int, int]:
    span = quote_span(quote, article)
    if span is None:
        raise ClaimsError(f"{where}: the quote {quote!r} is not in the article; correct it or delete the entry "
                          f"from {COVERAGE_FILE.name}")
    sub = quote_span(text_in_quote, article[span[0]:span[1]])
    if sub is None:
        raise ClaimsError(f"{where}: {text_in_quote!r} does not stand inside its quote {quote!r}; fix the entry")
    return span[0] + sub[0], span[0] + sub[1]


def load_coverage(path: Path | None = None) -> dict:
    """The curated coverage file: reasons, exclusions, planned registrations and checkable statements."""
    path = path or COVERAGE_FILE
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ClaimsError(f"cannot read the coverage file {path}: {exc}") from exc
    for key in ("reasons", "excluded", "pending_registration", "statements"):
        if not isinstance(doc.get(key), (list, dict)):
            raise ClaimsError(f"{path.name} lacks the section {key!r}; add it (see the file's header)")
    unknown = sorted({e.get("reason") for e in doc["excluded"]} - set(doc["reasons"]))
    if unknown:
        raise ClaimsError(f"{path.name}: exclusion reasons {unknown} are not among its reasons "
                          f"({', '.join(doc['reasons'])}); use one of them")
    missing = sorted(set(KIND_REASONS.values()) - set(doc["reasons"]))
    if missing:
        raise ClaimsError(f"{path.name}: the reasons section lacks {missing}; add them with a readable meaning")
    return doc


def statements(text: str, coverage: dict) -> list[Token]:
    """The curated checkable statements without numbers, located in ``text``."""
    starts, out = _paragraph_starts(text), []
    for entry in coverage["statements"]:
        start, end = _span_of(entry["quote"], entry["quote"], text, f"statement {entry['quote']!r}")
        out.append(Token("statement", text[start:end], _paragraph_at(starts, start), start, end))
    return out


def account(tokens: list[Token], registry: dict[str, Claim], coverage: dict, text: str) -> pd.DataFrame:
    """One row per token: status claimed (claim id) / pending_registration (topic) / excluded (reason) / unaccounted.

    A claim covers a token standing inside the claim's quote; so does a planned registration. ``start``/``end``
    are offsets in ``text``, ``para_start``/``para_end`` in the token's paragraph (the report's ``p-<n>``).
    ``checked_by`` is the id of the claim whose quote holds a restated token's ``checked_by`` quote;
    ``stale`` marks an exclusion that a claim's quote now covers (the entry should be deleted).
    """
    claimed = [(c.id, quote_span(c.quote, text)) for c in registry.values()]
    pending = [(e["topic"], _span_of(e["quote"], e["quote"], text, f"pending {e['quote']!r}"))
               for e in coverage["pending_registration"]]
    excluded = _excluded_spans(coverage, text)
    starts = _paragraph_starts(text)
    rows = []
    for t in tokens:
        claim = next((cid for cid, span in claimed if _inside((t.start, t.end), span)), "")
        topic = next((topic for topic, span in pending if _inside((t.start, t.end), span)), "")
        entry = excluded.get((t.start, t.end), {})
        reason = entry.get("reason") or KIND_REASONS.get(t.kind, "")
        checked = quote_span(entry["checked_by"], text) if entry.get("checked_by") else None
        checked_by = next((cid for cid, span in claimed if _inside(checked, span)), "")
        status = ("claimed" if claim else "pending_registration" if topic else "excluded" if reason else "unaccounted")
        offset = starts[t.paragraph - 1]
        rows.append({"kind": t.kind, "text": t.text, "paragraph": t.paragraph, "start": t.start, "end": t.end,
                     "para_start": t.start - offset, "para_end": t.end - offset,
                     "status": status, "claim": claim, "topic": topic if status == "pending_registration" else "",
                     "reason": reason if status == "excluded" else "", "checked_by": checked_by, "note": entry.get("note", ""),
                     "stale": bool(entry) and status != "excluded"})
    return pd.DataFrame(rows, columns=["kind", "text", "paragraph", "start", "end", "para_start", "para_end",
                                       "status", "claim", "topic",
                                       "reason", "checked_by", "note", "stale"])


def _inside(inner: tuple[int, int] | None, outer: tuple[int, int] | None) -> bool:
    return inner is not None and outer is not None and outer[0] <= inner[0] and inner[1] <= outer[1]


def table(text: str, registry: dict[str, Claim] | None = None, coverage: dict | None = None) -> pd.DataFrame:
    """The accounting of the article's tokens and curated statements (what the report shows)."""
    registry = registry if registry is not None else claims_registry()
    coverage = coverage if coverage is not None else load_coverage()
    return account(inventory(text) + statements(text, coverage), registry, coverage, text)


def _excluded_spans(coverage: dict, text: str) -> dict[tuple[int, int], dict]:
    return {_span_of(e["text"], e.get("quote", e["text"]), text, f"exclusion of {e['text']!r}"): e
            for e in coverage["excluded"]}


def _context(text: str, start: int, end: int, width: int = 40) -> str:
    return " ".join(text[max(0, start - width):end + width].split())


def problems(table: pd.DataFrame, registry: dict[str, Claim], coverage: dict, text: str) -> list[str]:
    """What breaks coverage, one readable line each (empty when every item is accounted for)."""
    out = [f"unaccounted {r.kind} {r.text!r} in paragraph {r.paragraph} (\u2026{_context(text, r.start, r.end)}\u2026): "
           f"register a claim whose quote contains it, or add it to {COVERAGE_FILE.name} with a reason"
           for r in table.itertuples() if r.status == "unaccounted"]
    out += [f"the exclusion of {r.text!r} in paragraph {r.paragraph} is stale: "
            + (f"claim {r.claim}'s quote now covers it" if r.claim else f"it is planned for registration ({r.topic})")
            + f"; delete the entry from {COVERAGE_FILE.name}" for r in table.itertuples() if r.stale]
    items = set(zip(table["start"], table["end"]))
    out += [f"the exclusion of {e['text']!r} matches no token or statement of the inventory; delete it from "
            f"{COVERAGE_FILE.name}" for span, e in _excluded_spans(coverage, text).items() if span not in items]
    spans = {c.id: quote_span(c.quote, text) for c in registry.values()}
    for e in coverage["pending_registration"]:
        pending = quote_span(e["quote"], text)
        covering = [cid for cid, span in spans.items() if span and pending and span[0] < pending[1] and pending[0] < span[1]]
        if covering:
            out.append(f"pending registration {e['quote']!r} overlaps the quote of claim {', '.join(covering)}; "
                       f"delete the entry from {COVERAGE_FILE.name} and check that the claim covers what it planned")
    out += [f"the exclusion of {r.text!r} in paragraph {r.paragraph} says 'restated' but its checked_by quote "
            f"stands in no claim's quote; name a registered claim's quote" for r in table.itertuples()
            if r.reason == "restated" and not r.checked_by]
    return out


def summary(table: pd.DataFrame) -> dict:
    """Coverage figures for the ledger page: tokens found, claimed, pending, excluded by reason, unaccounted."""
    tokens, items = table[table["kind"] != "statement"], table[table["kind"] == "statement"]

    def counts(part: pd.DataFrame) -> dict:
        status = part["status"].value_counts()
        return {"found": len(part), **{s: int(status.get(s, 0)) for s in STATUSES},
                "excluded_by_reason": {k: int(v) for k, v in part.loc[part["status"] == "excluded", "reason"]
                                       .value_counts().sort_index().items()}}
    return {"tokens": counts(tokens), "statements": counts(items)}


def describe(figures: dict) -> list[str]:
    """The coverage figures of :func:`summary` as sentences for the ledger page, tokens first."""
    lines = []
    for part, label in (("tokens", "quantitative tokens"), ("statements", "checkable statements without numbers")):
        c = figures[part]
        reasons = ", ".join(f"{reason.replace('_', ' ')} {n}" for reason, n in c["excluded_by_reason"].items())
        lines.append(f"{c['found']} {label}: {c['claimed']} claimed, {c['pending_registration']} pending registration, "
                     f"{c['excluded']} excluded" + (f" ({reasons})" if reasons else "") + f", {c['unaccounted']} unaccounted.")
    return lines


def main() -> int:
    """Print the article's coverage and what breaks it; exit status 1 when something does."""
    text = load.article()
    registry, coverage = claims_registry(), load_coverage()
    accounted = table(text, registry, coverage)
    broken = problems(accounted, registry, coverage, text)
    print("\n".join(describe(summary(accounted)) + broken))
    return 1 if broken else 0


if __name__ == "__main__":
    raise SystemExit(main())
