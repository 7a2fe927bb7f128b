"""The data manifest is valid, complete, and pins exactly the bytes the project reads."""

import json
import re
import subprocess

import pytest
from frictionless import Package

from asean_analysis import fetch, load, paths
from asean_analysis.manifest import resources


def test_descriptor_is_a_valid_data_package():
    descriptor = json.loads(paths.manifest().read_text(encoding="utf-8"))
    errors = [str(e) for e in Package.metadata_validate(descriptor)]
    assert errors == []


@pytest.mark.parametrize("name", sorted(resources()))
def test_each_resource_is_pinned_and_described(name):
    res = resources()[name]
    local = fetch.fetch_one(name)
    assert local.stat().st_size == res.bytes
    assert fetch.sha256(local) == res.sha256
    assert res.title and res.publisher and res.license and res.vintage
    assert res.homepage.startswith("https://")
    if res.url:  # a download must be HTTPS and pinned to a commit, so it yields the same bytes
        assert res.url.startswith("https://raw.githubusercontent.com/")
        assert re.search(r"/[0-9a-f]{40}/", res.url), res.url
    else:
        assert res.kind in {"derived", "transcription", "curated", "article", "reconstructed copy"}
    if res.fields:
        assert tuple(load.read(name).columns) == res.fields


def test_every_mirrored_file_is_in_the_manifest():
    sums = (paths.mirror_dir() / "SHA256SUMS").read_text().split("\n")
    mirrored = {line.split()[1].removeprefix("./"): line.split()[0] for line in sums if line.strip()}
    pinned = {r.mirror_path: r.sha256 for r in resources().values()}
    assert {k: v for k, v in mirrored.items() if k not in pinned} == {}
    assert all(pinned[k] == v for k, v in mirrored.items())


def test_no_mirrored_file_is_committed():
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=paths.ROOT, capture_output=True, check=True).stdout
    pinned = {r.sha256 for r in resources().values()}
    copies = [f for f in tracked.decode().split("\0") if f and (paths.ROOT / f).is_file()
              and fetch.sha256(paths.ROOT / f) in pinned]
    assert copies == []


def test_raw_data_is_git_ignored():
    probe = subprocess.run(["git", "check-ignore", "data/raw/x.csv"], cwd=paths.ROOT, capture_output=True)
    assert probe.returncode == 0
