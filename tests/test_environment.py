"""environment.yml (conda users) lists the same dependencies as pyproject.toml (pip, the reference)."""

import re
import tomllib

import yaml

from asean_analysis import paths


def _normalise(spec: str) -> tuple[str, str]:
    name, version = re.match(r"\s*([A-Za-z0-9_.\-]+)\s*(.*)", spec).groups()
    return name.lower().replace("_", "-"), version.replace(" ", "")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    pip_side = dict(_normalise(s) for s in project["dependencies"] + project["optional-dependencies"]["test"])
    conda = yaml.safe_load((paths.ROOT / "environment.yml").read_text())["dependencies"]
    conda_side = dict(_normalise(s) for s in conda if isinstance(s, str) and not s.startswith("python"))
    assert conda_side == pip_side


def test_python_floor_matches():
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    conda = yaml.safe_load((paths.ROOT / "environment.yml").read_text())["dependencies"]
    assert project["requires-python"] == ">=3.11" and "python>=3.11" in conda
