"""ospo.check / explain / recommend / licence / identify: verdicts, results, sources."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import ospo
import pytest
from conftest import TEXTS, ospo_bin


@pytest.mark.parametrize(
    "use, verdict",
    [("merged", "no"), ("static-link", "depends"), ("dynamic-link", "yes")],
)
def test_iminuit_lgpl_matters_only_where_the_use_makes_it(use: str, verdict: str) -> None:
    r = ospo.check("MIT AND LGPL-2.1-or-later", "Apache-2.0", use=use)
    assert r.verdict == verdict
    assert r.ok is (verdict == "yes")
    assert r.inbound == ["MIT AND LGPL-2.1-or-later"] and r.outbound == "Apache-2.0" and r.use == use
    lgpl = [f for f in r.findings if f["inbound"] == "LGPL-2.1-or-later"]
    assert lgpl and lgpl[0]["basis"], "the LGPL finding cites its basis"


def test_the_same_verdicts_as_the_cli() -> None:
    questions = [
        ("GPL-2.0-only", "Apache-2.0", "dynamic-link"),
        ("MIT OR GPL-2.0-only", "Apache-2.0", "merged"),
        ("LGPL-3.0-or-later", "MIT", "static-link"),
        ("AGPL-3.0-only", "MIT", "network"),
        ("BSD-3-Clause AND 0BSD AND MIT AND Zlib AND CC0-1.0", "Apache-2.0", "merged"),
        ("GPL-3.0-or-later WITH GCC-exception-3.1", "Apache-2.0", "dynamic-link"),
        ("Apache 2.0", "GPL-2.0-only", "merged"),
        ("CERN-OHL-S-2.0", "CERN-OHL-W-2.0", "merged"),
    ]
    for inbound, outbound, use in questions:
        cli = subprocess.run(
            [str(ospo_bin()), "licence", "check", inbound, "-o", outbound, "--use", use, "-f", "json"],
            capture_output=True, text=True, timeout=60,
        )
        assert cli.returncode in (0, 1), cli.stderr
        expected = json.loads(cli.stdout)
        got = ospo.check(inbound, outbound, use=use).to_dict()
        assert got == expected, (inbound, outbound, use)
        assert (cli.returncode == 0) == (got["verdict"] == "yes")


def test_results_read_well() -> None:
    r = ospo.check("GPL-2.0-only", "Apache-2.0")
    assert repr(r) == "<Check no: GPL-2.0-only → Apache-2.0 (dynamic-link)>"
    text = str(r)
    assert text.startswith("no: GPL-2.0-only → Apache-2.0 (dynamic-link)\n")
    assert "fixes:" in text
    assert {s["key"] for s in r.sources}, "every verdict names its sources"
    assert r.fixes and all(f["reason"] for f in r.fixes)
    d = r.to_dict()
    d["verdict"] = "changed"
    assert r.verdict == "no", "to_dict() is a copy"
    assert json.loads(r.to_json())["verdict"] == "no"


def test_explain_prints_findings_with_basis_and_sources() -> None:
    e = ospo.explain("AGPL-3.0-only", "MIT", use="network")
    assert isinstance(e, ospo.Check)
    text = str(e)
    assert "findings:" in text and "basis:" in text and "sources:" in text
    assert repr(e).startswith("<Explanation ")


def test_lenient_input_is_reported() -> None:
    r = ospo.check("Apache 2.0", "MIT")
    assert r.inbound == ["Apache-2.0"]
    assert r.warnings and r.warnings[0]["found"] == "Apache 2.0"
    assert ospo.read("GPL-2.0+") == "GPL-2.0-or-later"
    with pytest.raises(ospo.ExpressionError):
        ospo.check("Apache 2.0", "MIT", strict=True)


def test_several_inbound_expressions_all_apply() -> None:
    r = ospo.check(["MIT", "GPL-3.0-only"], "Apache-2.0", use="merged")
    assert r.verdict == "no"
    assert r.failing == ["GPL-3.0-only"]


def test_recommend() -> None:
    recs = ospo.recommend("LGPL-2.1-or-later", "merged")
    assert recs, "some outbound licence accepts LGPL-2.1-or-later"
    assert all(r.verdict in ("yes", "depends") for r in recs)
    assert "LGPL-2.1-or-later" in [r.licence for r in recs]
    assert repr(recs[0]).startswith("<Recommendation ")
    hw = ospo.recommend("CERN-OHL-W-2.0", kind="hardware", use="merged")
    assert hw[0].licence.startswith("CERN-OHL")
    # The preferred kind ranks first; the others follow, saying they are not of that kind.
    strong = ospo.recommend("MIT", prefer="strong-copyleft", use="merged")
    assert strong[0].category in ("strong-copyleft", "network-copyleft")
    assert any("not of the preferred kind" in r.reason for r in strong)


def test_licence_profile_with_basis() -> None:
    p = ospo.licence("GPL-3.0-only")
    assert p.id == "GPL-3.0-only" and p.category == "strong-copyleft"
    assert p.osi_approved and p.fsf_libre and not p.deprecated
    assert any("§5" in o for o in p.obligations)
    assert p.to_dict()["category"]["basis"], "the category cites its basis"
    assert repr(p) == "<Licence GPL-3.0-only: GNU General Public License v3.0 only (strong-copyleft)>"


def test_identify_scipy_is_not_gpl() -> None:
    text = (TEXTS / "scipy-1.17.1.License.txt").read_text(encoding="utf-8")
    i = ospo.identify(text)
    assert i.expression == "BSD-3-Clause"
    assert i.confidence > 0.9
    gcc = [b for b in i.bundled if b["name"] == "GCC runtime library"]
    assert gcc[0]["expression"] == "GPL-3.0-or-later WITH GCC-exception-3.1"
    assert all(m["bundled"] for m in i.matches if m["id"].startswith("GPL"))
    assert repr(i) == "<Identification BSD-3-Clause (confidence %.3f, 4 bundled)>" % i.confidence


def test_identify_matplotlib() -> None:
    text = (TEXTS / "matplotlib-3.11.2.License.txt").read_text(encoding="utf-8")
    i = ospo.identify(text)
    assert i.expression == "PSF-2.0"
    assert "Python-2.0" not in (i.expression or "")


def test_identify_prose() -> None:
    i = ospo.identify("Fast histogramming for particle physics, see the documentation.")
    assert i.expression is None and i.confidence == 0.0 and i.matches == []
