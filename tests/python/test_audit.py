"""Environment audits on the real metadata of `pip install uproot awkward iminuit matplotlib`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

import ospo
import pytest
from conftest import TEXTS, run_cli, write_dist


def test_every_distribution_is_audited(physics_env: Path, records: List[Dict[str, Any]]) -> None:
    a = ospo.audit_environment("Apache-2.0", "dynamic-link", path=[physics_env])
    assert sorted(d.name for d in a.distributions) == sorted(r["name"] for r in records)
    assert len(a) == 24


def test_iminuit_flagged_when_the_use_makes_lgpl_matter(physics_env: Path) -> None:
    static = ospo.audit_environment("MIT", "static-link", path=[physics_env])
    d = static["iminuit"]
    assert d.expression == "MIT AND LGPL-2.1-or-later" and d.resolved_by == "expression"
    assert d.verdict == "depends"
    assert "relink" in " ".join(d.report["conditions"])  # type: ignore[index]
    assert static.distributions[0].verdict != "yes", "conflicts first"
    assert "iminuit" in [f.name for f in static.findings]
    merged = ospo.audit_environment("Apache-2.0", "merged", path=[physics_env])
    assert merged["iminuit"].verdict == "no"
    assert merged.distributions[0].name == "iminuit", "the conflict comes first"
    dynamic = ospo.audit_environment("Apache-2.0", "dynamic-link", path=[physics_env])
    assert dynamic["iminuit"].verdict == "yes"


def test_scipy_is_bsd_not_gpl(physics_env: Path) -> None:
    d = ospo.audit_environment("Apache-2.0", "merged", path=[physics_env])["scipy"]
    assert d.expression == "BSD-3-Clause"
    assert d.resolved_by == "text" and d.confidence is not None and d.confidence > 0.9
    assert d.verdict == "yes"
    gcc = [b for b in d.bundled if b["name"] == "GCC runtime library"]
    assert gcc and gcc[0]["expression"] == "GPL-3.0-or-later WITH GCC-exception-3.1"


def test_matplotlib_resolved_to_its_real_licence(physics_env: Path) -> None:
    d = ospo.audit_environment("Apache-2.0", "merged", path=[physics_env])["matplotlib"]
    # The matplotlib agreement is the PSF-2.0 text with its names changed (SPDX matches it as
    # PSF-2.0); not Python-2.0, the CNRI/BeOpen/PSF stack of the Python interpreter.
    assert d.expression == "PSF-2.0" and d.resolved_by == "text"
    assert d.verdict == "yes"
    assert any(b["name"] == "FreeType" for b in d.bundled)


def test_numpy_compound_expression_kept_whole(physics_env: Path) -> None:
    d = ospo.audit_environment("Apache-2.0", "merged", path=[physics_env])["numpy"]
    assert d.expression == "BSD-3-Clause AND 0BSD AND MIT AND Zlib AND CC0-1.0"
    assert d.resolved_by == "expression"
    assert d.source == "License-Expression: BSD-3-Clause AND 0BSD AND MIT AND Zlib AND CC0-1.0"
    assert d.report is not None and len(d.report["findings"]) >= 5


def test_resolution_paths(physics_env: Path) -> None:
    a = ospo.audit_environment("Apache-2.0", "dynamic-link", path=[physics_env])
    assert a["fonttools"].resolved_by == "id" and a["fonttools"].expression == "MIT"
    assert a["setuptools"].resolved_by == "classifier" and a["setuptools"].expression == "MIT"
    for name in ("contourpy", "cycler", "kiwisolver"):
        assert (a[name].resolved_by, a[name].expression) == ("text", "BSD-3-Clause"), name
    assert a["packaging"].expression == "Apache-2.0 OR BSD-2-Clause"
    assert a.exit_code == (0 if not a.findings else 1)


def test_missing_metadata_is_unknown_not_guessed(tmp_path: Path) -> None:
    write_dist(tmp_path, {"name": "quiet", "version": "1.0", "metadata_version": "2.1"})
    a = ospo.audit_environment(path=[tmp_path])
    d = a["quiet"]
    assert d.expression is None and d.resolved_by == "unknown" and d.verdict == "unknown"
    assert "no License-Expression, License, licence classifier or License-File" in d.explanation
    assert a.exit_code == 1


def test_malformed_license_expression_is_reported(tmp_path: Path) -> None:
    write_dist(tmp_path, {"name": "odd", "version": "1.0", "License-Expression": "MIT AND (",
                          "license_classifiers": ["License :: OSI Approved :: MIT License"]})
    d = ospo.audit_environment(path=[tmp_path])["odd"]
    assert d.resolved_by == "classifier" and d.expression == "MIT"
    assert any("License-Expression 'MIT AND (' could not be read" in w for w in d.warnings)


def test_vague_classifier_defers_to_the_licence_file(tmp_path: Path) -> None:
    # Only a "BSD License" classifier, which names no BSD variant, and cycler's real licence file.
    text = (TEXTS / "cycler-0.12.1.License.txt").read_text(encoding="utf-8")
    write_dist(tmp_path, {"name": "cycler", "version": "0.12.1", "License-File": ["LICENSE"],
                          "license_classifiers": ["License :: OSI Approved :: BSD License"]},
               files={"LICENSE": text})
    d = ospo.audit_environment(path=[tmp_path])["cycler"]
    assert (d.resolved_by, d.expression, d.source) == ("license-file", "BSD-3-Clause", "License-File: LICENSE")
    assert any("name no specific licence" in w for w in d.warnings)


def test_not_a_directory(tmp_path: Path) -> None:
    with pytest.raises(ospo.MetadataError, match="not a directory"):
        ospo.audit_environment(path=[tmp_path / "missing"])


def test_this_interpreter_by_default() -> None:
    a = ospo.audit_environment()
    ours = a["ospo"]
    assert ours.expression == "Apache-2.0" and ours.resolved_by == "expression"


def test_repr_and_text(physics_env: Path) -> None:
    a = ospo.audit_environment("Apache-2.0", "merged", path=[physics_env])
    assert repr(a).startswith("<Audit 24 distributions → Apache-2.0 (merged): 1 no")
    assert repr(a["numpy"]).startswith("<Distribution numpy 2.4.6: BSD-3-Clause AND 0BSD")
    text = str(a)
    assert text.splitlines()[2].split()[:2] == ["verdict", "distribution"]
    assert text.splitlines()[3].startswith("no ") and "iminuit" in text.splitlines()[3]
    assert "scipy 1.17.1" in text and "text (0.9" in text


def test_cli_text_json_and_exit_codes(physics_env: Path) -> None:
    r = run_cli("audit", "--path", str(physics_env), "--use", "merged")
    assert r.returncode == 1, r.stderr
    assert "iminuit" in r.stdout.splitlines()[3]
    r = run_cli("audit", "--path", str(physics_env), "--use", "merged", "--format", "json")
    assert r.returncode == 1
    data = json.loads(r.stdout)
    assert data["distributions"][0]["name"] == "iminuit" and data["summary"]["no"] == 1
    r = run_cli("audit", "--path", str(physics_env), "--use", "dynamic-link", "--format", "json")
    verdicts = {d["verdict"] for d in json.loads(r.stdout)["distributions"]}
    assert r.returncode == (0 if verdicts == {"yes"} else 1)
    r = run_cli("audit", "--path", str(physics_env), "--outbound", "Apache-2.O")
    assert r.returncode == 2
    assert r.stderr.startswith("ospo: error: ") and "did you mean 'Apache-2.0'?" in r.stderr
    r = run_cli("check", "GPL-2.0-only", "-o", "Apache-2.0")
    assert r.returncode == 1 and r.stdout.startswith("no: GPL-2.0-only → Apache-2.0")
    r = run_cli("check", "MIT", "-o", "Apache-2.0")
    assert r.returncode == 0
