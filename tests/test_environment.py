"""environment.yml (conda users) lists the same dependencies as pyproject.toml (pip, the reference) and installs
the package; binder/environment.yml (Binder, repo2docker) is the same list, the package installed by postBuild."""

import re
import tomllib

import yaml

from asean_analysis import paths


def _normalise(spec: str) -> tuple[str, str]:
    name, version = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(.*)", spec).groups()
    return name.lower().replace("_", "-"), version.replace(" ", "")


def _conda(path) -> list:
    return yaml.safe_load((paths.ROOT / path).read_text())["dependencies"]


def _packages(deps: list) -> dict[str, str]:
    """Package -> version range, leaving out python, pip (the installer) and the pip section."""
    return dict(_normalise(s) for s in deps if isinstance(s, str) and not s.startswith("python") and s != "pip")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    listed = project["dependencies"] + extras["test"] + extras["cluster"] + extras["baci"]
    pip_side = dict(_normalise(s) for s in listed if not s.startswith("asean-claims"))
    assert _packages(_conda("environment.yml")) == pip_side


def test_python_floor_matches():
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.11" and "python>=3.11" in _conda("environment.yml")


def test_environment_yml_installs_the_package():
    deps = _conda("environment.yml")
    assert "pip" in deps and {"pip": ["-e ."]} in deps


def test_binder_environment_is_the_same_list_and_postbuild_installs_the_package():
    binder = _conda("binder/environment.yml")
    assert _packages(binder) == _packages(_conda("environment.yml"))
    pinned = [s for s in binder if isinstance(s, str) and re.fullmatch(r"python=3\.(\d+)", s)]
    assert len(pinned) == 1 and int(pinned[0].split(".")[1]) >= 11  # repo2docker reads only an exact version
    assert not any(isinstance(s, dict) for s in binder)  # no `-e .`: repo2docker has no source tree at that step
    post = paths.ROOT / "binder" / "postBuild"
    assert "python -m pip install --no-deps -e ." in post.read_text() and post.stat().st_mode & 0o111
