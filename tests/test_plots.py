"""The house style sheet and the chart functions: the table saved beside each chart is the data drawn."""

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from asean_analysis import figures, plots


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def test_house_style_sheet_sets_the_deterministic_file_settings():
    plt.rcdefaults()
    figures.style()
    assert plt.rcParams["svg.hashsalt"] == "asean-claims" and plt.rcParams["savefig.dpi"] == 150
    assert plt.rcParams["axes.grid"] and plt.rcParams["font.family"] == ["DejaVu Sans"]
    assert list(plt.rcParams["figure.figsize"]) == [8.0, 4.5]


def test_gdp_chart_shows_the_top_economies_in_trillions_with_asean_highlighted():
    table = pd.DataFrame({"iso3": ["USA", "CHN", "ASEAN", "IND"], "name": ["US", "China", "ASEAN", "India"],
                          "gdp_usd": [27e12, 18e12, 3.8e12, 3.6e12], "world_rank": [1, 2, 3, 4],
                          "asia_rank": pd.array([pd.NA, 1, 2, 3], dtype="Int64")})
    chart = plots.gdp_rank_world(table, 2023, "src", top=3)
    assert list(chart.data["iso3"]) == ["USA", "CHN", "ASEAN"]
    assert chart.data["gdp_usd_tn"].tolist() == pytest.approx([27.0, 18.0, 3.8])
    bars = chart.fig.axes[0].patches
    assert [b.get_width() for b in bars] == pytest.approx([27.0, 18.0, 3.8])
    assert bars[2].get_facecolor() != bars[0].get_facecolor()  # ASEAN in the house red
    assert "rank 3 in the world" in chart.fig.axes[0].get_title()


def test_gas_chart_bars_start_at_zero_on_a_linear_axis():
    gas = pd.DataFrame({"iso3": ["BRN", "MYS"], "Entity": ["Brunei", "Malaysia"], "reserves_tcm": [0.2, 0.9],
                        "reserves_to_production_years": [18.0, 12.0], "reserves_m3_per_head": [450e3, 27e3],
                        "world_share_pct": [0.1, 0.5]})
    surplus = pd.DataFrame({"year": [2022, 2023], "gas_production_twh": [100.0, 99.8], "primary_energy_twh": [50.0, 54.3]})
    chart = plots.brunei_gas(gas, surplus, 2020)
    ax = chart.fig.axes[0]
    assert ax.get_xscale() == "linear" and ax.get_xlim()[0] == 0
    assert set(chart.data["iso3"]) == {"BRN", "MYS"} and len(chart.data) == 3  # Brunei's two years joined to its row



def test_the_notebooks_imports_leave_networkx_and_duckdb_to_the_runs_that_use_them():
    import subprocess
    import sys

    code = ("import sys; from asean_analysis import baci, claims, figures, load, plots, reader, regions; "
            "from asean_analysis.analysis import network, semiconductors; from asean_analysis.records import network as r; "
            "print(sorted({'networkx', 'duckdb'} & set(sys.modules)))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"
