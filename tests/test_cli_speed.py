"""The command line parses arguments, prints help and rejects parameters without loading a heavy library.

Speed itself is measured by benchmarks/bench_reproduce.py; these tests check the cause of slowness:
which modules a command imports (looked up in ``sys.modules`` of a fresh interpreter).
"""

import json
import subprocess
import sys

import pytest

HEAVY = ("pandas", "numpy", "nbformat", "papermill", "jupyter_client", "jsonschema", "matplotlib", "yaml")

_PROBE = """
import contextlib, io, json, sys
from asean_analysis.__main__ import main
codes = []
for argv in json.loads(sys.argv[1]):
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        try:
            codes.append([main(argv), err.getvalue()])
        except SystemExit as exc:
            codes.append([exc.code, err.getvalue()])
heavy = sorted(m for m in json.loads(sys.argv[2]) if m in sys.modules)
print(json.dumps({"codes": codes, "heavy": heavy}))
"""


def _probe(*argvs: list[str]) -> dict:
    done = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(argvs), json.dumps(HEAVY)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.parametrize("argv, code, message", [
    (["--help"], 0, ""),
    (["run", "--help"], 0, ""),
    (["sweep", "--help"], 0, ""),
    (["run", "-p", "colour=red"], 2, "unknown parameter 'colour'"),
    (["run", "-p", "year=abc"], 2, "parameter year='abc' cannot be read"),
    (["run", "-p", "members=IDN,XXX"], 2, "unknown code(s) XXX"),
    (["run", "-p", "gdp_source=imf-1999-01"], 2, "is not one of wdi-2024-10"),
    (["params"], 0, ""),
])
def test_command_imports_nothing_heavy(argv, code, message):
    result = _probe(argv)
    (status, stderr), = result["codes"]
    assert status == code and message in stderr, stderr
    assert result["heavy"] == [], f"{' '.join(argv)} imported {', '.join(result['heavy'])}"


def test_probe_sees_heavy_imports(tmp_path):
    """The probe can fail: the ledger command reads a result folder's records with pandas."""
    result = _probe(["ledger", "--out", str(tmp_path)])
    assert "pandas" in result["heavy"], result


def test_economy_codes_match_the_regions_table():
    """The light member-code check accepts exactly the economies of regions.classification()."""
    from asean_analysis import choices, regions

    codes = choices.economy_codes()
    assert codes == frozenset(regions.classification()["code"])
    assert {"IDN", "BRN", "TLS", "XKX"} <= codes and len(codes) > 240
