"""Figure 2: directed semiconductor trade networks and each member's total degree (distinct partners).

An edge ``exporter -> importer`` exists in a year and product group when some declaration records
trade of at least ``min_value`` US$ on it. Total degree = in-degree + out-degree, counted in distinct
partners. Every edge keeps the economy whose declaration produced it (``reported_by``), because who
reports decides what a network can see:

- reporter view (UN Comtrade HS 8542, six ASEAN reporters): a reporter's links are its own
  declarations; a non-reporting member is seen only through its links with the six reporters;
- mirror view (WTO imports of HS 8541+8542 by ~60-85 importers): a member's exports are seen by
  every reporting importer, its imports only if it reports itself;
- BACI view (CEPII, reconciled flows, optional): every economy is covered.

A member that does not report in a view and year gets a degree marked as a lower bound; a member
absent from a view's data altogether is marked ``not covered`` (no number is shown for it).
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import DataError, ParameterError

# Partner codes that are not an identifiable economy (UN Comtrade): they are no network node.
NOT_AN_ECONOMY = {"_X": "Areas, nes", "O19": "Oceania, nes", "WLD": "World"}
EDGE_COLUMNS = ["year", "product", "exporter", "importer", "value_usd", "reported_by"]
LOWER_BOUND, REPORTS, NOT_COVERED = "lower bound", "reports", "not covered"

if TYPE_CHECKING:  # networkx is imported where a graph is built: modules that only read the constants skip it
    import networkx as nx


@dataclass(frozen=True)
class Edges:
    """Declared trade links of one view, with the rows that could not be used and why."""
    view: str
    table: pd.DataFrame  # EDGE_COLUMNS, one row per declaration
    excluded: pd.DataFrame  # the source rows left out, with a ``reason`` column
    reconciled: bool = False  # True: flows reconciled for every economy (BACI), so every economy counts as reporting

    def reporters(self, year: int, product: str) -> set[str]:
        rows = self.table[(self.table["year"] == year) & (self.table["product"] == product)]
        return set(rows["exporter"].unique()) | set(rows["importer"].unique()) if self.reconciled else set(rows["reported_by"].unique())

    def covered(self) -> set[str]:
        """Economies present anywhere in the view's data."""
        return set(self.table["exporter"].unique()) | set(self.table["importer"].unique())

    def products(self) -> list[str]:
        return sorted(self.table["product"].unique())

    def years(self) -> list[int]:
        return sorted(int(y) for y in self.table["year"].unique())


def _split(frame: pd.DataFrame, keep: pd.Series, reason: str, excluded: list[pd.DataFrame]) -> pd.DataFrame:
    if (~keep).any():
        excluded.append(frame.loc[~keep].assign(reason=reason))
    return frame.loc[keep]


def _finish(view: str, table: pd.DataFrame, excluded: list[pd.DataFrame], reconciled: bool = False) -> Edges:
    dropped = pd.concat(excluded, ignore_index=True) if excluded else pd.DataFrame(columns=["reason"])
    return Edges(view, table[EDGE_COLUMNS].reset_index(drop=True), dropped, reconciled)


def _common(frame: pd.DataFrame, a: str, b: str, excluded: list[pd.DataFrame]) -> pd.DataFrame:
    frame = _split(frame, ~frame[b].isin(NOT_AN_ECONOMY), "partner is not an economy (e.g. 'Areas, nes')", excluded)
    frame = _split(frame, frame[a] != frame[b], "re-import/re-export with itself (self-loop)", excluded)
    return _split(frame, frame["value_usd"] > 0, "zero or negative value", excluded)


def reporter_edges(comtrade: pd.DataFrame) -> Edges:
    """Edges from reporter-declared trade (``load.comtrade_hs8542()``): X rows give reporter -> partner,
    M rows give partner -> reporter."""
    missing = {"reporter_iso3", "partner_iso3", "flow", "year", "hs_code", "value_usd"} - set(comtrade.columns)
    if missing:
        raise DataError(f"reporter trade table lacks columns {sorted(missing)}; pass load.comtrade_hs8542()")
    excluded: list[pd.DataFrame] = []
    frame = _split(comtrade, comtrade["flow"].isin(["X", "M"]), "flow is neither X nor M", excluded)
    frame = _common(frame, "reporter_iso3", "partner_iso3", excluded)
    exports = frame["flow"] == "X"
    table = pd.DataFrame({
        "year": frame["year"].astype("int64"), "product": "HS " + frame["hs_code"].astype(str),
        "exporter": frame["reporter_iso3"].where(exports, frame["partner_iso3"]),
        "importer": frame["partner_iso3"].where(exports, frame["reporter_iso3"]),
        "value_usd": frame["value_usd"], "reported_by": frame["reporter_iso3"],
    })
    return _finish("reporter", table, excluded)


def mirror_edges(imports: pd.DataFrame) -> Edges:
    """Edges from importer-declared trade (``load.wto_semiconductor_imports()``): partner -> reporter."""
    missing = {"reporter_iso3", "partner_iso3", "year", "hs_code", "value_usd"} - set(imports.columns)
    if missing:
        raise DataError(f"mirror trade table lacks columns {sorted(missing)}; pass load.wto_semiconductor_imports()")
    excluded: list[pd.DataFrame] = []
    frame = _common(imports, "reporter_iso3", "partner_iso3", excluded)
    table = pd.DataFrame({
        "year": frame["year"].astype("int64"), "product": "HS " + frame["hs_code"].astype(str),
        "exporter": frame["partner_iso3"], "importer": frame["reporter_iso3"],
        "value_usd": frame["value_usd"], "reported_by": frame["reporter_iso3"],
    })
    return _finish("mirror", table, excluded)


def flow_edges(flows: pd.DataFrame, view: str = "baci") -> Edges:
    """Edges from reconciled flows (year, product, exporter, importer, value_usd), e.g. CEPII BACI:
    every economy present counts as reporting (``reported_by`` = the exporter)."""
    missing = {"year", "product", "exporter", "importer", "value_usd"} - set(flows.columns)
    if missing:
        raise DataError(f"flow table lacks columns {sorted(missing)}; pass baci.stage_flows(...)")
    excluded: list[pd.DataFrame] = []
    frame = _common(flows, "exporter", "importer", excluded)
    return _finish(view, frame.assign(reported_by=frame["exporter"]), excluded, reconciled=True)


def common_reporters(edges: Edges, years: list[int], product: str) -> set[str]:
    """Economies that report in every one of ``years``."""
    return set.intersection(*(edges.reporters(y, product) for y in years))


def declared_by(edges: Edges, reporters: set[str]) -> Edges:
    """Only the links declared by ``reporters`` (e.g. a constant set of reporters across years)."""
    keep = edges.table["reported_by"].isin(reporters)
    return Edges(edges.view, edges.table[keep].reset_index(drop=True), edges.excluded, edges.reconciled)


def resolve_product(edges: Edges, product_group: str) -> str:
    """The product label of ``product_group`` in a view: 'all' = the view's only semiconductor group."""
    products = edges.products()
    if product_group == "all" and len(products) == 1:
        return products[0]
    if product_group in products:
        return product_group
    raise ParameterError(f"product group {product_group!r} is not in the {edges.view} view; it has: "
                         f"{', '.join(products)}" + (" (or 'all')" if len(products) == 1 else ""))


def check_selection(edges: Edges, year: int, product: str) -> None:
    """Raise a ParameterError naming what the view offers if it has no data for ``year``/``product``."""
    if product not in edges.products():
        raise ParameterError(f"product group {product!r} is not in the {edges.view} view; it has: {', '.join(edges.products())}")
    if year not in edges.years():
        raise ParameterError(f"year {year} is not in the {edges.view} view; it covers: {', '.join(map(str, edges.years()))}")


def links(edges: Edges, year: int, product: str) -> pd.DataFrame:
    """exporter, importer, value_usd: the linked pairs of one year and product group; a link declared twice
    (by exporter and importer) is one row with the larger declaration."""
    check_selection(edges, year, product)
    rows = edges.table[(edges.table["year"] == year) & (edges.table["product"] == product)]
    return rows.groupby(["exporter", "importer"], as_index=False)["value_usd"].max()


def graph(edges: Edges, year: int, product: str, min_value: float = 0.0, pairs: pd.DataFrame | None = None) -> "nx.DiGraph":
    """Directed network of one year and product group: the :func:`links` of at least ``min_value`` US$, each one edge
    weighted by its value (``pairs``: those links if already at hand)."""
    if min_value < 0:
        raise ParameterError(f"minimum link value must be >= 0 US$, got {min_value}")
    import networkx as nx

    pairs = links(edges, year, product) if pairs is None else pairs
    g = nx.DiGraph(view=edges.view, year=year, product=product, min_value=min_value)
    g.add_weighted_edges_from(pairs[pairs["value_usd"] >= min_value].itertuples(index=False, name=None), weight="value_usd")
    return g


def total_degree(g: "nx.DiGraph", members: list[str], *, reporters: set[str], covered: set[str],
                 count_nonreporting: bool = True) -> pd.DataFrame:
    """In-, out- and total degree (distinct partners) of each member, with its coverage.

    ``reporters``: economies whose declarations built ``g``; ``covered``: economies present anywhere
    in the view's data. With ``count_nonreporting=False`` only partners that report are counted.
    """
    rows = []
    for code in members:
        if code not in covered:
            rows.append({"iso3": code, "in_degree": pd.NA, "out_degree": pd.NA, "total_degree": pd.NA,
                         "coverage": NOT_COVERED})
            continue
        sources = set(g.predecessors(code)) if code in g else set()
        targets = set(g.successors(code)) if code in g else set()
        if not count_nonreporting:
            sources, targets = sources & reporters, targets & reporters
        rows.append({"iso3": code, "in_degree": len(sources), "out_degree": len(targets),
                     "total_degree": len(sources) + len(targets),
                     "coverage": REPORTS if code in reporters else LOWER_BOUND})
    out = pd.DataFrame(rows)
    for column in ("in_degree", "out_degree", "total_degree"):
        out[column] = out[column].astype("Int64")
    return out


def degrees(edges: Edges, members: list[str], years: list[int], product: str, *, min_value: float = 0.0,
            count_nonreporting: bool = True) -> pd.DataFrame:
    """Total degree of each member for each year of ``years`` in one view: one row per member x year."""
    covered = edges.covered()
    frames = []
    for year in years:
        g = graph(edges, year, product, min_value)
        table = total_degree(g, members, reporters=edges.reporters(year, product), covered=covered,
                             count_nonreporting=count_nonreporting)
        frames.append(table.assign(view=edges.view, product=product, year=year, min_link_usd=min_value,
                                   count_nonreporting_partners=count_nonreporting))
    return pd.concat(frames, ignore_index=True)


def movement(table: pd.DataFrame, base_year: int, year: int) -> pd.DataFrame:
    """Per member and view: total degree in ``base_year`` and ``year``, the change and the rank in each year."""
    out = table.pivot(index=["view", "iso3"], columns="year", values="total_degree")
    out = out[[base_year, year]].rename(columns={base_year: "degree_base", year: "degree_year"})
    coverage = table.pivot(index=["view", "iso3"], columns="year", values="coverage")
    out["coverage_base"], out["coverage_year"] = coverage[base_year], coverage[year]
    out["change"] = out["degree_year"] - out["degree_base"]
    for column, rank in (("degree_base", "rank_base"), ("degree_year", "rank_year")):
        out[rank] = out.groupby(level="view")[column].rank(ascending=False, method="min").astype("Int64")
    return out.reset_index()


BY_CONSTRUCTION = "the member does not report here: its degree is a lower bound, so being below others proves nothing"
Tests = tuple[dict[str, bool | None], dict[str, str]]


def lowest_tests(table: pd.DataFrame, named: list[str], names: dict[str, str], label: str) -> Tests:
    """One test per named member: is its total degree below that of every other covered member?

    Returns (tests, by_construction). A named member ``not covered`` by the view is None (not evaluable);
    one whose degree is a lower bound and below the others holds by construction: it goes to
    ``by_construction``, not to the tests (a lower bound at or above the others is a real "no").
    """
    known = table[table["coverage"] != NOT_COVERED].set_index("iso3")
    degree = known["total_degree"].astype(float)
    others = degree.drop(index=[c for c in named if c in degree.index])
    if others.empty:
        raise DataError(f"{label}: no other member has a degree to compare with")
    tests: dict[str, bool | None] = {}
    by_construction: dict[str, str] = {}
    for code in named:
        key = f"{names.get(code, code)} below every member outside the named group ({label})"
        if code not in degree.index:
            tests[key] = None
        elif degree[code] >= others.min():
            tests[key] = False
        elif known.loc[code, "coverage"] == LOWER_BOUND:
            by_construction[key] = BY_CONSTRUCTION
        else:
            tests[key] = True
    return tests, by_construction


def bottom_group_test(table: pd.DataFrame, named: list[str], label: str) -> Tests:
    """One test: do the named members hold the lowest total degrees among covered members?

    Returns (tests, by_construction) as :func:`lowest_tests`: None if a named member is not covered; a
    "yes" resting on lower bounds of named members holds by construction and is not a test.
    """
    known = table[table["coverage"] != NOT_COVERED].set_index("iso3")
    degree = known["total_degree"].astype(float)
    inside, outside = degree[degree.index.isin(named)], degree[~degree.index.isin(named)]
    key = f"the {len(named)} named members have the lowest total degrees ({label})"
    if len(inside) < len(named) or outside.empty:
        return {key: None}, {}
    if inside.max() >= outside.min():
        return {key: False}, {}
    if (known.loc[inside.index, "coverage"] == LOWER_BOUND).any():
        return {}, {key: BY_CONSTRUCTION}
    return {key: True}, {}




# ---------------------------------------------------------------- several views at once

def lacking_years(views: dict[str, Edges], years: list[int]) -> dict[str, list[int]]:
    """Per view that does not hold every one of ``years``: the years it lacks (a view absent here covers them all)."""
    out = {name: [y for y in years if y not in edges.years()] for name, edges in views.items()}
    return {name: missing for name, missing in out.items() if missing}


def with_constant_reporters(views: dict[str, Edges], years: list[int]) -> dict[str, Edges]:
    """Each view holding every one of ``years`` limited to the economies reporting in all of them (others unchanged)."""
    lacking = lacking_years(views, years)
    return {name: edges if name in lacking else
            declared_by(edges, common_reporters(edges, years, resolve_product(edges, "all")))
            for name, edges in views.items()}


def degree_table(views: dict[str, Edges], members: list[str], years: list[int], *, min_value: float = 0.0,
                 count_nonreporting: bool = True) -> pd.DataFrame:
    """:func:`degrees` of every view that holds all ``years`` (its only product group), stacked."""
    lacking = lacking_years(views, years)
    _some_view_holds(views, years, lacking)
    return pd.concat([degrees(edges, members, years, resolve_product(edges, "all"), min_value=min_value,
                              count_nonreporting=count_nonreporting)
                      for name, edges in views.items() if name not in lacking], ignore_index=True)


def _some_view_holds(views: dict[str, Edges], years: list[int], lacking: dict[str, list[int]]) -> None:
    if len(lacking) == len(views):
        raise ParameterError(f"no view holds every year of {years}: " + "; ".join(
            f"{name} covers {', '.join(map(str, e.years()))}" for name, e in views.items()))


def unevaluable(lacking: dict[str, list[int]], label: str) -> dict[str, bool | None]:
    """A not-evaluable (None) test per view and year a view lacks, named ``label`` + '(view, year)'."""
    return {f"{label} ({name} view, {y}: not in the data)": None for name, missing in lacking.items() for y in missing}


def named_lowest(table: pd.DataFrame, view: str, year: int, named: list[str], names: dict[str, str],
                 lacking: dict[str, list[int]]) -> Tests:
    """:func:`lowest_tests` in one view and year; not evaluable (None per named member) if the view lacks the year;
    no test if a named member is outside the member set (the record says so)."""
    if not set(named) <= set(table["iso3"]):
        return {}, {}
    if year in lacking.get(view, []):
        return {f"{names.get(code, code)} below every member outside the named group ({view} view, {year}: not in the data)": None
                for code in named}, {}
    checked = table[(table["view"] == view) & (table["year"] == year)]
    return lowest_tests(checked, named, names, f"{view} view, {year}")


def bottom_group_everywhere(table: pd.DataFrame, named: list[str], lacking: dict[str, list[int]]) -> Tests:
    """:func:`bottom_group_test` in every view and year of ``table``, plus a not-evaluable test per view-year lacking;
    no test if a named member is outside the member set (the record says so)."""
    tests: dict[str, bool | None] = {}
    built: dict[str, str] = {}
    if not set(named) <= set(table["iso3"]):
        return tests, built
    for (name, y), part in table.groupby(["view", "year"], sort=True):
        held, by_construction = bottom_group_test(part, named, f"{name} view, {y}")
        tests, built = tests | held, built | by_construction
    return tests | unevaluable(lacking, f"the {len(named)} named members have the lowest total degrees"), built


def excluded_rows(views: dict[str, Edges]) -> pd.DataFrame:
    """The source rows every view left out, with the view and the reason."""
    frames = [e.excluded.assign(view=name) for name, e in views.items() if len(e.excluded)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["view", "reason"])


def degree_grid(table: pd.DataFrame) -> pd.DataFrame:
    """Members x years of one view's degrees as text, lower bounds marked with '≥' and not-covered cells empty."""
    shown = [("" if pd.isna(d) else ("≥" if c == LOWER_BOUND else "") + str(d))
             for d, c in zip(table["total_degree"], table["coverage"])]
    return table.assign(shown=shown).pivot(index="iso3", columns="year", values="shown")


def bottom_group_outcome(table: pd.DataFrame, named: list[str]) -> dict:
    """One view-year's :func:`bottom_group_test` as a :func:`robustness` row: named_four_lowest (True | False | None |
    'by construction') and lowest_four (the four covered members with the fewest partners)."""
    held, _ = bottom_group_test(table, named, "")
    known = table[table["coverage"] != NOT_COVERED].sort_values("total_degree")
    return {"named_four_lowest": next(iter(held.values())) if held else "by construction",
            "lowest_four": ",".join(known["iso3"].head(4))}


def robustness(views: dict[str, Edges], members: list[str], named: list[str], years: list[int],
               floors: tuple[float, ...] = (0.0, 1e5, 1e6)) -> pd.DataFrame:
    """The bottom-group test under every minimum link value, partner rule and reporter set, per view and year
    -> view, year, min_link_usd, count_nonreporting, constant_reporters, named_four_lowest, lowest_four.

    Each view-year's links are grouped once, and each floor's network serves both partner rules. A view that
    lacks a year (with either reporter set) is left out, as :func:`degree_table` does."""
    rows = []
    for constant in (False, True):
        chosen = with_constant_reporters(views, years) if constant else views
        lacking = lacking_years(chosen, years)
        _some_view_holds(chosen, years, lacking)
        for name, edges in chosen.items():
            if name in lacking:
                continue
            product, covered = resolve_product(edges, "all"), edges.covered()
            for year in dict.fromkeys(years):
                pairs, reporters = links(edges, year, product), edges.reporters(year, product)
                for floor in floors:
                    g = graph(edges, year, product, floor, pairs)
                    for counted in (True, False):
                        part = total_degree(g, members, reporters=reporters, covered=covered, count_nonreporting=counted)
                        rows.append({"view": name, "year": year, "min_link_usd": floor, "count_nonreporting": counted,
                                     "constant_reporters": constant, **bottom_group_outcome(part, named)})
    return pd.DataFrame(rows).sort_values(["view", "min_link_usd", "count_nonreporting", "constant_reporters", "year"],
                                          ignore_index=True)


def robustness_counts(robust: pd.DataFrame) -> pd.DataFrame:
    """Per view: variants in which the named four are the four lowest, of them by construction only, and all variants."""
    flags = robust.assign(holds=robust["named_four_lowest"].eq(True), built=robust["named_four_lowest"].eq("by construction"))
    return flags.groupby("view").agg(holds=("holds", "sum"), by_construction=("built", "sum"), variants=("holds", "size"))
