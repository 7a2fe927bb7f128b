"""ASEAN semiconductor exports (reporter and mirror views), HS export definitions, and CSET/ETO
value-chain shares by country and stage.

Only the readers load pinned files: :func:`stage_table`, :func:`transcribed`, :func:`eto_shares`,
:func:`east_asia` and the opt-in :func:`baci_exports`; every other function computes from the frames it is
given (:func:`level_estimates` maps newspaper country names to ISO3 through ``load.iso3_of_names``).
Records and readings are in :mod:`asean_analysis.records.semiconductors`, charts in :mod:`asean_analysis.plots`.
"""

from dataclasses import dataclass

import pandas as pd

from .. import baci, load
from ..errors import DataError, ParameterError
from . import series_sum
from .growth import cagr_pct

ETO_CODES = {"MAL": "MYS"}  # ETO writes Malaysia as MAL
ETO_STAGES = {"S1": "Design", "S2": "Fabrication", "S3": "ATP"}
ETO_DESIGN_ACTIVITIES = {"S1": "chip design", "N84": "electronic design automation (EDA)", "N85": "core IP"}
CHINA_BREAK_YEAR = 2021  # WTO file: China-reported imports break in 2021 (trade/SOURCES.md, data audit)


# ---------------------------------------------------------------- HS export definitions

def stage_table() -> pd.DataFrame:
    """The proposed HS6 -> stage table -> stage, hs6, hs_revision, definitions (tuple of D1..D4_broad)."""
    raw = load.read("hs-stage-definitions", dtype_str=True)
    return pd.DataFrame({"stage": raw["stage"], "hs6": raw["hs6"], "hs_revision": raw["hs_revision"],
                         "definitions": raw["in_definitions"].map(lambda s: tuple(s.split(";")))})


def definition_codes(table: pd.DataFrame, definition: str) -> list[str]:
    """The HS6 codes of one export definition (any HS revision), sorted."""
    inside = table["definitions"].map(lambda d: definition in d)
    if not inside.any():
        known = sorted({d for ds in table["definitions"] for d in ds})
        raise ParameterError(f"unknown export definition {definition!r}; known: {', '.join(known)}")
    return sorted(table.loc[inside, "hs6"])


def definitions_of_headings(table: pd.DataFrame, headings: set[str]) -> list[str]:
    """Definitions whose HS6 codes are exactly the codes under the 4-digit ``headings`` in the table.

    This names the definition a dataset measures: HS 8542 -> D1; HS 8541+8542 -> D2.
    """
    by_heading = set(table.loc[table["hs6"].str[:4].isin(headings), "hs6"])
    known = sorted({d for ds in table["definitions"] for d in ds})
    return [d for d in known if set(definition_codes(table, d)) == by_heading]


def definitions_table(table: pd.DataFrame) -> pd.DataFrame:
    """Per export definition: the number of HS6 codes and their 4-digit headings -> definition, hs6_codes, headings."""
    known = sorted({d for ds in table["definitions"] for d in ds})
    codes = {d: definition_codes(table, d) for d in known}
    return pd.DataFrame({"definition": known, "hs6_codes": [len(codes[d]) for d in known],
                         "headings": [", ".join(sorted({c[:4] for c in codes[d]})) for d in known]})


# ---------------------------------------------------------------- exports

def exports_by_member(rows: pd.DataFrame, members: list[str], *, side: str) -> pd.DataFrame:
    """Sum trade values into exports per member and year -> member, year, value_usd, rows.

    ``side="reporter"``: rows are the members' own export declarations (flow X);
    ``side="partner"``: rows are partners' imports (flow M) and the member is the partner (mirror view).
    """
    if side not in ("reporter", "partner"):
        raise ParameterError(f"side must be 'reporter' or 'partner', got {side!r}")
    flow, column = ("X", "reporter_iso3") if side == "reporter" else ("M", "partner_iso3")
    picked = rows[(rows["flow"] == flow) & rows[column].isin(members)]
    out = (picked.groupby([column, "year"], as_index=False)
           .agg(value_usd=("value_usd", "sum"), rows=("value_usd", "size"))
           .rename(columns={column: "member"}))
    return out.sort_values(["member", "year"], ignore_index=True)


def baci_exports(folder, years: list[int], members: list[str], definition: str) -> pd.DataFrame:
    """Members' exports of an export definition's HS2017 codes in CEPII BACI (reconciled flows, opt-in)
    -> member, year, value_usd, rows (the reporter-view shape: every year BACI has, 2018 and 2023 included)."""
    table = stage_table()
    codes = definition_codes(table[table["hs_revision"].str.contains("HS2017")], definition)
    flows = baci.stage_flows(folder, years, codes, definition)
    rows = flows.rename(columns={"exporter": "reporter_iso3", "importer": "partner_iso3"}).assign(flow="X")
    return exports_by_member(rows, members, side="reporter")


def by_year(table: pd.DataFrame) -> pd.DataFrame:
    """An exports table as members x years of summed value."""
    return table.pivot_table(index="member", columns="year", values="value_usd", aggfunc="sum")


def growth_pct(table: pd.DataFrame, base: int, end: int) -> float:
    """Percentage growth of the summed value between two years (members present in both years only)."""
    return growth_between(by_year(table), base, end)


def growth_between(wide: pd.DataFrame, base: int, end: int) -> float:
    """:func:`growth_pct` of a :func:`by_year` table (pivoted once for many pairs of years)."""
    for year in (base, end):
        if year not in wide.columns:
            raise DataError(f"no export values for {year} (years covered: {sorted(wide.columns)})")
    both = wide[[base, end]].dropna()
    return float(100 * (both[end].sum() / both[base].sum() - 1))


def data_window(years: set[int], base: int, end: int) -> tuple[int, int]:
    """The claim's window [base, end] if the data cover both ends, else the latest window of the
    same length that the data allow (shortened at the start if need be, lengthened if no year lies
    inside it)."""
    last = max((y for y in years if y <= end), default=max(years))
    first = min((y for y in years if y >= last - (end - base)), default=last)
    if first == last:
        first = max((y for y in years if y < last), default=last)
    if first == last:
        raise DataError(f"the data have no year before {last} to measure growth from (years: {sorted(years)})")
    return first, last


@dataclass(frozen=True)
class MirrorView:
    exports: pd.DataFrame  # member, year, value_usd, rows (partners' imports from each member)
    reporters: tuple[str, ...]  # importers whose rows are summed
    excluded: pd.DataFrame  # reporter, years, reason, value_usd_from_members (rows left out, shown)
    absent_members: tuple[str, ...]  # members that never appear as exporters


def mirror_exports(wto: pd.DataFrame, members: list[str], years: tuple[int, int], *,
                   exclude_china_break: bool, constant_reporters: bool) -> MirrorView:
    """Members' exports seen from importers' declarations (WTO, HS 8541+8542) over ``years`` (inclusive).

    China's rows from CHINA_BREAK_YEAR on are left out if ``exclude_china_break``; with
    ``constant_reporters`` only importers that report in every year of the window are summed, so
    that growth is not an artefact of the changing reporter set. Rows left out are listed.
    """
    first, last = years
    span = set(range(first, last + 1))
    rows = wto[wto["year"].between(first, last)]
    excluded = []

    def from_members(mask: pd.Series) -> float:
        return float(rows.loc[mask & rows["partner_iso3"].isin(members), "value_usd"].sum())

    if exclude_china_break:
        broken = (rows["reporter_iso3"] == "CHN") & (rows["year"] >= CHINA_BREAK_YEAR)
        if broken.any():
            excluded.append({"reporter": "CHN", "years": f"{CHINA_BREAK_YEAR}-{last}",
                             "reason": "break in China's reported imports", "value_usd_from_members": from_members(broken)})
        rows = rows[~broken]
    present = rows.groupby("reporter_iso3")["year"].agg(set)
    if constant_reporters:
        partial = present[present.map(lambda s: not span <= s)]
        left_out = rows[rows["reporter_iso3"].isin(partial.index) & rows["partner_iso3"].isin(members)]
        # one pass over the rows; each reporter's Series.sum rounds as from_members() would
        from_partial = left_out.groupby("reporter_iso3")["value_usd"].agg(series_sum)
        for reporter, seen in partial.items():
            excluded.append({"reporter": reporter, "years": ",".join(str(y) for y in sorted(seen)),
                             "reason": "does not report every year of the window",
                             "value_usd_from_members": float(from_partial.get(reporter, 0.0))})
        rows = rows[~rows["reporter_iso3"].isin(partial.index)]
    exports = exports_by_member(rows, members, side="partner")
    absent = tuple(sorted(set(members) - set(wto.loc[wto["partner_iso3"].isin(members), "partner_iso3"])))
    return MirrorView(exports, tuple(sorted(rows["reporter_iso3"].unique())),
                      pd.DataFrame(excluded, columns=["reporter", "years", "reason", "value_usd_from_members"]), absent)


@dataclass(frozen=True)
class ExportViews:
    reporter: pd.DataFrame  # members' own HS 8542 export declarations (Comtrade World rows)
    reporter_definition: str  # export definition the reporter view measures (D1)
    mirror: MirrorView  # partners' HS 8541+8542 imports, for growth (constant reporters if asked)
    mirror_level: MirrorView  # the same with every importer of each year, for levels
    mirror_definition: str  # (D2)
    window: tuple[int, int]  # years compared: the claim's window or the nearest the data allow
    members: tuple[str, ...]


def export_views(reporter_rows: pd.DataFrame, wto: pd.DataFrame, stages: pd.DataFrame, members: list[str], year: int,
                 base_year: int, *, exclude_china_break: bool, constant_reporters: bool) -> ExportViews:
    """ASEAN semiconductor exports per member and year in both views, over the window the data allow.

    ``reporter_rows``: ``load.comtrade_hs8542_world()``; ``wto``: ``load.wto_semiconductor_imports()``;
    ``stages``: :func:`stage_table`.
    """
    if base_year >= year:
        raise ParameterError(f"base_year ({base_year}) must be before year ({year})")
    reporter = exports_by_member(reporter_rows, members, side="reporter")
    window = data_window(set(reporter["year"]) & set(wto["year"]), base_year, year)
    mirror = mirror_exports(wto, members, window, exclude_china_break=exclude_china_break,
                            constant_reporters=constant_reporters)
    level = mirror_exports(wto, members, window, exclude_china_break=exclude_china_break, constant_reporters=False)
    return ExportViews(reporter, _one_definition(stages, {"8542"}), mirror, level,
                       _one_definition(stages, {"8541", "8542"}), window, tuple(members))


def _one_definition(table: pd.DataFrame, headings: set[str]) -> str:
    found = definitions_of_headings(table, headings)
    if len(found) != 1:
        raise DataError(f"hs-stage-definitions: HS {'+'.join(sorted(headings))} matches definitions {found or 'none'}, "
                        "expected exactly one; restore the pinned table")
    return found[0]


def total_bn(exports: pd.DataFrame, year: int) -> float:
    return float(exports.loc[exports["year"] == year, "value_usd"].sum() / 1e9)


def level_estimates(views: ExportViews, figures: pd.DataFrame) -> pd.DataFrame:
    """Every ASEAN export level the data give -> estimate, definition, year, value_bn, members_covered, bound,
    source, same_members (the completed D1/D2 pair, comparable with each other).

    Besides the two views and The Business Times' 2023 figures (four members), the 2023 figures are
    completed with the other reporting members' latest own IC exports; for D2 that completion is a
    lower bound, since those members' HS 8541 exports are not in the data.
    """
    end = views.window[1]
    bt = business_times_2023(figures)
    bt_year = int(figures.loc[figures["publisher"] == "The Business Times (Singapore)", "year"].astype(int).max())
    codes = load.iso3_of_names(bt["geography"]).set_index("name")["iso3"]
    bt = bt.assign(member=bt["geography"].map(codes)).query("member in @views.members")
    own = views.reporter[views.reporter["year"] == end]
    fill = own[~own["member"].isin(bt["member"])]
    fill_bn = float(fill["value_usd"].sum() / 1e9)
    ic, devices = float(bt["ic_exports"].sum()), float(bt["semiconductor_device_exports"].sum())
    bt_members = ", ".join(sorted(bt["member"]))
    completed = ", ".join(sorted([*bt["member"], *fill["member"]]))
    fill_text = f" + {', '.join(fill['member'])} own {end} IC exports"
    d1, d2 = views.reporter_definition, views.mirror_definition
    rows = [
        ("reporter view (UN Comtrade, members' own exports)", d1, end, total_bn(views.reporter, end),
         ", ".join(own["member"]), "", "comtrade-hs8542-world-totals"),
        ("mirror view (WTO, partners' imports, every importer of the year)", d2, end,
         total_bn(views.mirror_level.exports, end),
         ", ".join(views.mirror_level.exports.loc[views.mirror_level.exports["year"] == end, "member"]), "lower bound",
         "wto-semiconductor-imports"),
        ("The Business Times: IC exports", d1, bt_year, ic, bt_members, "", "semiconductor-transcribed-figures"),
        ("The Business Times: IC + device exports", d2, bt_year, ic + devices, bt_members, "",
         "semiconductor-transcribed-figures"),
        ("The Business Times: IC exports" + fill_text, d1, bt_year, ic + fill_bn, completed, "",
         "semiconductor-transcribed-figures; comtrade-hs8542-world-totals"),
        ("The Business Times: IC + device exports" + fill_text, d2, bt_year, ic + devices + fill_bn, completed,
         "lower bound", "semiconductor-transcribed-figures; comtrade-hs8542-world-totals"),
    ]
    out = pd.DataFrame(rows, columns=["estimate", "definition", "year", "value_bn", "members_covered", "bound", "source"])
    return out.assign(same_members=out.index >= len(rows) - 2)  # the completed pair covers the same members


def growth_estimates(views: ExportViews) -> pd.DataFrame:
    """Growth over the window in each view: percent over the window and per year."""
    first, last = views.window
    rows = []
    for name, definition, exports in (("reporter view (UN Comtrade)", views.reporter_definition, views.reporter),
                                      ("mirror view (WTO)", views.mirror_definition, views.mirror.exports)):
        pct = growth_pct(exports, first, last)
        rows.append({"estimate": name, "definition": definition, "start": first, "end": last, "growth_pct": pct,
                     "per_year_pct": 100 * ((1 + pct / 100) ** (1 / (last - first)) - 1)})
    return pd.DataFrame(rows)


def growth_by_member(views: ExportViews) -> pd.DataFrame:
    """Each member's export growth (%) over the window in each view -> member x view (missing: not in that view)."""
    first, last = views.window
    columns = {}
    for name, exports in (("reporter", views.reporter), ("mirror", views.mirror.exports)):
        wide = exports.pivot(index="member", columns="year", values="value_usd").reindex(columns=[first, last])
        columns[name] = 100 * (wide[last] / wide[first] - 1)
    return pd.DataFrame(columns).rename_axis(index="member", columns="view")


def chart_table(views: ExportViews) -> pd.DataFrame:
    """Both views' exports per member and year, labelled for a chart -> view, member, year, value_bn."""
    absent = ", ".join(views.mirror.absent_members)
    labels = {"reporter": f"reporter view, {views.reporter_definition} (HS 8542)",
              "mirror": f"mirror view, {views.mirror_definition} (HS 8541+8542)" + (f"; absent: {absent}" if absent else "")}
    frames = [views.reporter.assign(view=labels["reporter"]), views.mirror.exports.assign(view=labels["mirror"])]
    chart = pd.concat(frames, ignore_index=True)
    return chart.assign(value_bn=chart["value_usd"] / 1e9)[["view", "member", "year", "value_bn"]]


def base_year_table(reporter: pd.DataFrame, wto: pd.DataFrame, members: list[str], *, exclude_china_break: bool,
                    constant_reporters: bool) -> pd.DataFrame:
    """Growth for every base/end pair of years each view covers -> view, start, end, growth_pct, per_year_pct,
    importers. ``mirror``: the importers summed for each pair (constant over the pair if ``constant_reporters``);
    ``mirror, fixed importers``: one set for every pair, those reporting in every year of the file, so that
    pairs compare like with like."""
    rows = []
    years, wide = sorted(set(reporter["year"])), by_year(reporter)
    for start, end in ((a, b) for a in years for b in years if a < b):
        rows.append({"view": "reporter", "start": start, "end": end, "growth_pct": growth_between(wide, start, end),
                     "importers": None})
    years = sorted(set(wto["year"]))
    for start, end in ((a, b) for a in years for b in years if a < b):
        view = mirror_exports(wto, members, (start, end), exclude_china_break=exclude_china_break,
                              constant_reporters=constant_reporters)
        rows.append({"view": "mirror", "start": start, "end": end, "growth_pct": growth_pct(view.exports, start, end),
                     "importers": len(view.reporters)})
    fixed = mirror_exports(wto, members, (years[0], years[-1]), exclude_china_break=exclude_china_break,
                           constant_reporters=True)
    wide = by_year(fixed.exports)
    for start, end in ((a, b) for a in years for b in years if a < b):
        rows.append({"view": "mirror, fixed importers", "start": start, "end": end,
                     "growth_pct": growth_between(wide, start, end), "importers": len(fixed.reporters)})
    out = pd.DataFrame(rows)
    out["per_year_pct"] = 100 * ((1 + out["growth_pct"] / 100) ** (1 / (out["end"] - out["start"])) - 1)
    return out[["view", "start", "end", "growth_pct", "per_year_pct", "importers"]]


def to_claim_end(table: pd.DataFrame, base_year: int, year: int, asserted: float) -> pd.DataFrame:
    """Per view that covers ``base_year``: growth from ``base_year`` to the view's last year and the change
    the last missing years would need for ``asserted`` % over ``base_year``-``year`` (empty if none covers it)."""
    rows = []
    for view, part in table[table["start"] == base_year].groupby("view", sort=False):
        last = part.sort_values("end").iloc[-1]
        if last["end"] >= year:
            continue
        needed = 100 * ((1 + asserted / 100) / (1 + last["growth_pct"] / 100) - 1)
        missing = str(year) if last["end"] + 1 == year else f"{int(last['end']) + 1}-{year}"
        rows.append({"view": view, "start": base_year, "last_year": int(last["end"]), "growth_pct": last["growth_pct"],
                     "needed_change_to_year_pct": needed, "missing_years": missing})
    return pd.DataFrame(rows, columns=["view", "start", "last_year", "growth_pct", "needed_change_to_year_pct",
                                       "missing_years"])


def group_weight(exports: pd.DataFrame, group: list[str], base: int, end: int) -> dict:
    """The group's share (%) of the members' exports in ``end`` and of their growth ``base``-``end``
    (members present in both years); None where no group member is in the data."""
    wide = exports.pivot_table(index="member", columns="year", values="value_usd", aggfunc="sum")
    present = sorted(set(group) & set(wide.index))
    if not present or base not in wide.columns or end not in wide.columns:
        return {"present": present, "share_of_exports_pct": None, "share_of_growth_pct": None}
    both = wide[[base, end]].dropna()
    inside = both.index.isin(group)
    growth = both[end] - both[base]
    return {"present": present,
            "share_of_exports_pct": float(100 * wide.loc[wide.index.isin(group), end].sum() / wide[end].sum()),
            "share_of_growth_pct": float(100 * growth[inside].sum() / growth.sum())}


def view_weights(views: ExportViews, group: list[str]) -> dict[str, dict]:
    """:func:`group_weight` of ``group`` over the window in each view -> {"reporter": ..., "mirror": ...}."""
    first, last = views.window
    return {"reporter": group_weight(views.reporter, group, first, last),
            "mirror": group_weight(views.mirror.exports, group, first, last)}


def minimal_tests(weights: dict[str, dict], group: list[str], limit_pct: float, base: int, end: int) -> dict[str, bool | None]:
    """Per view that can see the group: its share of exports and of export growth below ``limit_pct``.

    A view in which the group cannot appear at all (the reporter view, when its members do not report)
    gives no test: it is not missing data that could decide the claim, and the record says so."""
    tests: dict[str, bool | None] = {}
    for view, w in weights.items():
        if not w["present"]:
            continue
        for key, what in (("share_of_exports_pct", f"exports {end}"), ("share_of_growth_pct", f"export growth {base}-{end}")):
            value = w[key]
            label = f"{view} view: {'+'.join(group)} share of ASEAN {what}"
            tests[f"{label} ({value:.2f}%) below {limit_pct:g}%" if value is not None else f"{label} below {limit_pct:g}%"] = (
                None if value is None else value < limit_pct)
    return tests


def ahead_tests(mirror: pd.DataFrame, reporter: pd.DataFrame, leaders: list[str], others: list[str],
                year: int) -> dict[str, bool | None]:
    """Each leader's exports in ``year`` above each other's, in the mirror view (HS 8541+8542, partners' imports).

    A leader absent from the mirror view is compared by its own declared HS 8542 exports (reporter view), a
    lower bound of the same flow: it decides only when it is already higher; otherwise the test is None."""
    m = mirror[mirror["year"] == year].groupby("member")["value_usd"].sum()
    r = reporter[reporter["year"] == year].groupby("member")["value_usd"].sum()
    tests: dict[str, bool | None] = {}
    for a in leaders:
        for b in others:
            label = f"{a} exports more semiconductors than {b} ({year})"
            if b not in m.index:
                tests[label] = None
            elif a in m.index:
                tests[label] = bool(m[a] > m[b])
            else:
                tests[label] = True if a in r.index and r[a] > m[b] else None
    return tests


# ---------------------------------------------------------------- transcribed figures

def transcribed() -> pd.DataFrame:
    """The semiconductor figures transcribed from reports, value numeric (one row per number, cited)."""
    raw = load.read("semiconductor-transcribed-figures", dtype_str=True)
    raw["value"] = pd.to_numeric(raw["value"])
    return raw


def business_times_2023(figures: pd.DataFrame) -> pd.DataFrame:
    """The Business Times 2023 export figures -> geography, ic_exports, semiconductor_device_exports (US$ bn)."""
    bt = figures[(figures["publisher"] == "The Business Times (Singapore)") & (figures["year"] == "2023")]
    return bt.pivot_table(index="geography", columns="metric", values="value").reset_index()


def forecast_cagrs(figures: pd.DataFrame) -> pd.DataFrame:
    """Published ASEAN semiconductor-market forecasts (Fortune Business Insights editions, transcribed):
    per edition (the reporting URL) the first and last values, the implied CAGR and any stated CAGR."""
    sizes = figures[figures["metric"].isin(["asean_semiconductor_market_size", "asean_semiconductor_market_size_forecast"])]
    stated = figures[figures["metric"] == "asean_semiconductor_market_cagr"].set_index("url")
    rows = []
    for url, edition in sizes.groupby("url", sort=False):
        edition = edition.assign(year=edition["year"].astype(int)).sort_values("year")
        first, last = edition.iloc[0], edition.iloc[-1]
        rows.append({"publisher": first["publisher"], "url": url, "start": int(first["year"]), "end": int(last["year"]),
                     "value_start_bn": first["value"], "value_end_bn": last["value"],
                     "implied_cagr_pct": cagr_pct(first["value"], last["value"], int(last["year"] - first["year"])),
                     "stated_cagr_pct": float(stated.loc[url, "value"]) if url in stated.index else None,
                     "stated_period": stated.loc[url, "year"] if url in stated.index else None})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- CSET/ETO shares

def eto_share_pct(text: pd.Series) -> pd.Series:
    """ETO share strings ("61%") -> percent; a blank stays missing, anything else unreadable is an error."""
    share = pd.to_numeric(text.astype("string").str.rstrip("%"), errors="coerce")
    bad = text.notna() & share.isna()
    if bad.any():
        raise DataError(f"dataset 'eto-provision': unreadable shares {sorted(set(text[bad]))}; restore the pinned file")
    return share


def eto_shares() -> pd.DataFrame:
    """Country shares of each ETO stage or input -> provider (ISO3; MAL -> MYS), provided_id,
    provided_name, input_type (stage | process | tool_resource | ...), share_pct. Firm-HQ basis."""
    provision = load.read("eto-provision")
    providers = load.read("eto-providers")
    inputs = load.read("eto-inputs")
    countries = set(providers.loc[providers["provider_type"] == "country", "provider_id"])
    rows = provision[provision["provider_id"].isin(countries) & provision["share_provided"].notna()].copy()
    share = eto_share_pct(rows["share_provided"])
    kinds = {**dict(zip(inputs["input_id"], inputs["type"])), **{s: "stage" for s in ETO_STAGES}}
    return pd.DataFrame({"provider": rows["provider_name"].replace(ETO_CODES), "provided_id": rows["provided_id"],
                         "provided_name": rows["provided_name"], "input_type": rows["provided_id"].map(kinds),
                         "share_pct": share}).reset_index(drop=True)


def leader(shares: pd.DataFrame, provided_id: str) -> tuple[str, float]:
    """The provider with the largest share of one stage or input, and that share."""
    rows = shares[shares["provided_id"] == provided_id]
    if rows.empty:
        raise DataError(f"no country shares for ETO item {provided_id!r}")
    top = rows.sort_values("share_pct", ascending=False).iloc[0]
    return str(top["provider"]), float(top["share_pct"])


def equipment_leaders(shares: pd.DataFrame) -> pd.Series:
    """Number of equipment categories (ETO tool inputs other than EDA software) each country leads."""
    tools = shares[(shares["input_type"] == "tool_resource") & (shares["provided_id"] != "N84")]
    return pd.Series([leader(tools, i)[0] for i in tools["provided_id"].unique()]).value_counts()


def us_leads(shares: pd.DataFrame) -> dict[str, bool]:
    """SEMI-4 tests: the US has the largest share of each design activity and leads the most equipment categories."""
    tests = {f"US has the largest share of {name}": leader(shares, i)[0] == "USA" for i, name in ETO_DESIGN_ACTIVITIES.items()}
    counts = equipment_leaders(shares)
    tests["US leads more equipment categories than any other country"] = bool(
        counts.get("USA", 0) > counts.drop("USA", errors="ignore").max())
    return tests


def stage_matrix(shares: pd.DataFrame) -> pd.DataFrame:
    """Country x stage (Design, Fabrication, ATP) shares in percent, 0 where a country has none."""
    stages = shares[shares["input_type"] == "stage"]
    wide = stages.pivot_table(index="provider", columns="provided_id", values="share_pct", aggfunc="sum", fill_value=0)
    return wide.reindex(columns=list(ETO_STAGES), fill_value=0).rename(columns=ETO_STAGES)


def stage_long(matrix: pd.DataFrame) -> pd.DataFrame:
    """The stage matrix in long form, providers by total share, zero shares left out -> provider, stage, share_pct."""
    order = matrix.sum(axis=1).sort_values(ascending=False).index
    long = matrix.loc[order].rename_axis(index="provider", columns=None).reset_index()
    return long.melt(id_vars="provider", var_name="stage", value_name="share_pct").query("share_pct > 0")


def group_share(matrix: pd.DataFrame, codes: list[str]) -> pd.Series:
    """Combined share of a group of providers in each stage."""
    return matrix.reindex(codes, fill_value=0).sum()


def east_asia(extra: tuple[str, ...] = ("TWN",)) -> list[str]:
    """UN M49 Eastern Asia (ISO3) plus Taiwan, which M49 does not list separately."""
    m49 = load.m49()
    return sorted(set(m49.loc[m49["subregion"] == "Eastern Asia", "iso3"]) | set(extra))


def dominance(matrix: pd.DataFrame, group: list[str]) -> dict[str, bool]:
    """SEMI-6 tests: the group holds more than half of each stage."""
    shares = group_share(matrix, group)
    return {f"US, China and East Asia hold {shares[s]:g}% (> 50%) of {s}": bool(shares[s] > 50) for s in matrix.columns}
