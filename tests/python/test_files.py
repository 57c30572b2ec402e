"""Audits from requirements.txt, pyproject.toml, uv.lock, poetry.lock and environment.yml."""

from __future__ import annotations

from pathlib import Path

import ospo
import pytest
from conftest import run_cli

FILES = {
    "requirements.txt": """\
# analysis
iminuit>=2.30  # fits
scipy==1.17.1 ; python_version >= "3.11"
matplotlib[dev] @ https://example.org/matplotlib.whl
-r more-requirements.txt
--index-url https://pypi.org/simple
""",
    "more-requirements.txt": "numpy\nhist-not-installed\n",
    "pyproject.toml": """\
[project]
name = "my-analysis"
dependencies = ["iminuit>=2.30", "scipy"]
[project.optional-dependencies]
plot = ["matplotlib>=3.8"]
[dependency-groups]
test = ["numpy", "hist-not-installed", {include-group = "plot"}]
""",
    "uv.lock": """\
version = 1
requires-python = ">=3.11"

[[package]]
name = "iminuit"
version = "2.33.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "my-analysis"
version = "0.1.0"
source = { editable = "." }

[[package]]
name = "scipy"
version = "1.17.1"
source = { registry = "https://pypi.org/simple" }
""",
    "poetry.lock": """\
[[package]]
name = "iminuit"
version = "2.33.0"
description = "Jupyter-friendly Python frontend for MINUIT2 in C++"
optional = false
python-versions = ">=3.9"

[[package]]
name = "numpy"
version = "2.4.6"
description = "Fundamental package for array computing in Python"
optional = false
python-versions = ">=3.11"
""",
    "environment.yml": """\
name: analysis
channels:
  - conda-forge
dependencies:
  - python=3.11
  - conda-forge::iminuit=2.33
  - scipy>=1.17
  - root  # not a Python distribution
  - pip
  - pip:
    - matplotlib==3.11.2
""",
}


@pytest.fixture()
def files(tmp_path: Path) -> Path:
    for name, text in FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    "name, expected",
    [
        ("requirements.txt", {"iminuit", "scipy", "matplotlib", "numpy", "hist-not-installed"}),
        ("pyproject.toml", {"iminuit", "scipy", "matplotlib", "numpy", "hist-not-installed"}),
        ("uv.lock", {"iminuit", "scipy"}),
        ("poetry.lock", {"iminuit", "numpy"}),
        ("environment.yml", {"iminuit", "scipy", "root", "matplotlib"}),
    ],
)
def test_names_and_metadata_from_the_environment(files: Path, physics_env: Path, name: str, expected: set) -> None:  # type: ignore[type-arg]
    a = ospo.audit_files([files / name], "Apache-2.0", "merged", path=[physics_env])
    assert {d.name for d in a.distributions} == expected
    assert a["iminuit"].verdict == "no"
    for d in a.distributions:
        if d.name in ("hist-not-installed", "root"):
            assert (d.resolved_by, d.verdict) == ("not-installed", "unknown")
            assert "not installed in this environment" in d.explanation
        else:
            assert d.version is not None and d.expression


def test_cli_reads_files(files: Path, physics_env: Path) -> None:
    r = run_cli("audit", str(files / "uv.lock"), "--path", str(physics_env), "-u", "dynamic-link")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "2 distributions → Apache-2.0 (dynamic-link): 2 yes" in r.stdout


@pytest.mark.parametrize(
    "name, text, message",
    [
        ("requirements.txt", "iminuit\n==2.0\n", "requirements.txt:2: '==2.0' is not a requirement"),
        ("requirements.txt", "./local/checkout\n", "requirements.txt:1: './local/checkout' names no distribution"),
        ("pyproject.toml", "[project\nname='x'\n", "pyproject.toml: not valid TOML"),
        ("pyproject.toml", "[build-system]\nrequires=[]\n", "no [project], [dependency-groups] or [tool.poetry] table"),
        ("uv.lock", "version = 1\n", "no [[package]] tables"),
        ("environment.yml", "name: x\ndependencies:\n  numpy\n", "environment.yml:3: expected '- PACKAGE'"),
        ("Pipfile", "[packages]\n", "unknown kind of file"),
    ],
)
def test_bad_files_say_what_and_where(tmp_path: Path, name: str, text: str, message: str) -> None:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    with pytest.raises(ospo.MetadataError) as e:
        ospo.audit_files([p], path=[tmp_path])
    assert message in str(e.value)
    r = run_cli("audit", str(p), "--path", str(tmp_path))
    assert r.returncode == 2 and message in r.stderr


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ospo.MetadataError, match="no such file"):
        ospo.audit_files([tmp_path / "requirements.txt"])
