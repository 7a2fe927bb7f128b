"""Benchmark (not a test): the sensitivity tables the notebooks compute, on the pinned data, and a dataset parse into an
empty cache. Medians of ``--repeat`` calls after one warm-up; prints a markdown table.

- ``gdp.sensitivity``: 6 GDP sources x 2019-2025 x EU treatment (notebook 01);
- ``internet.sensitivity``: 10 windows x 3 gap policies x 3 population vintages (notebook 02);
- ``network.robustness``: 3 link floors x 2 partner rules x 2 reporter sets x 2 views x 2 years (notebook 06);
- ``semiconductors.base_year_table``: every pair of years in three views (notebook 04);
- parsing every pinned dataset into a fresh cache folder (the type check included), once.

    .venv/bin/python benchmarks/bench_variants.py [--repeat 5]
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

from asean_analysis import claims, load, manifest, members
from asean_analysis.analysis import gdp, network
from asean_analysis.analysis import internet as net
from asean_analysis.analysis import semiconductors as semi


def seconds(fn, repeat: int) -> float:
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cases() -> dict:
    asean = members.asean(members.ARTICLE_DATE)
    sources = {source: load.gdp(source) for source in load.GDP_SOURCES}
    eu = members.bloc_members("EU", members.ARTICLE_DATE)
    share, pops = net.internet_share(), {v: net.population(v) for v in net.POPULATION_SOURCES}
    windows = sorted({(2015, 2020), (2016, 2021), (2017, 2022), (2018, 2023), (2019, 2023), (2019, 2024), (2020, 2023),
                      (2022, 2023)})
    views = {"reporter": network.reporter_edges(load.comtrade_hs8542()),
             "mirror": network.mirror_edges(load.wto_semiconductor_imports())}
    named = claims.registry()["SEMI-7"].definition["named"]
    wto, stages = load.wto_semiconductor_imports(), semi.stage_table()
    reporter = semi.export_views(load.comtrade_hs8542_world(), wto, stages, asean, 2023, 2018, exclude_china_break=True,
                                 constant_reporters=True).reporter
    return {
        "gdp.sensitivity": lambda: gdp.sensitivity(sources, list(range(2019, 2026)), asean=asean, eu=eu,
                                                   asia_definition="m49"),
        "internet.sensitivity": lambda: net.sensitivity(share, pops, windows, list(net.GAP_POLICIES), asean, 90.0),
        "network.robustness": lambda: network.robustness(views, asean, named, [2017, 2022]),
        "semiconductors.base_year_table": lambda: semi.base_year_table(reporter, wto, asean, exclude_china_break=True,
                                                                       constant_reporters=True),
    }


def cold_parse() -> float:
    """Every pinned table read once into an empty parsed-table cache."""
    with tempfile.TemporaryDirectory() as folder:
        os.environ["ASEAN_CACHE_DIR"] = folder
        load._read_verified.cache_clear()
        start = time.perf_counter()
        for name in manifest.resources():
            if manifest.resource(name).fields:  # a table (the article is text)
                load.read(name)
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print("| computation | median seconds |\n| --- | ---: |")
    for label, fn in cases().items():
        print(f"| {label} | {seconds(fn, args.repeat):.3f} |", flush=True)
    print(f"| every dataset parsed into an empty cache | {cold_parse():.2f} |")
    print(f"\n(jsonschema imported: {'jsonschema' in sys.modules})")


if __name__ == "__main__":
    main()
