"""Runs ospo, pip-licenses and liccheck on one environment, times them and compares their
answers with a reference; run by bench/python-audit.sh inside the audited venv."""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Tuple

import ospo

# The reference licence of each distribution whose metadata carries no PEP 639
# License-Expression (for those, the declared expression is the reference): read by hand from the
# licence text the distribution ships, by the SPDX matching guidelines.
REFERENCE = {
    "contourpy": ("BSD-3-Clause", "License field: the BSD 3-Clause text"),
    "cycler": ("BSD-3-Clause", "License field: the BSD 3-Clause text"),
    "kiwisolver": ("BSD-3-Clause", "License field: 'Modified BSD License' and its text"),
    "matplotlib": (
        "PSF-2.0",
        "License field: the PSF-2.0 text with the licensor's names changed, which SPDX matches as "
        "PSF-2.0 (spdx/license-list-XML#1104); bundled fonts and libraries under their own licences",
    ),
    "scipy": (
        "BSD-3-Clause",
        "License field: SciPy's BSD 3-Clause text, then the licences of bundled OpenBLAS, LAPACK, "
        "libgfortran (GPL-3.0-or-later WITH GCC-exception-3.1) and libquadmath (LGPL-2.1-or-later)",
    ),
    "fonttools": ("MIT", "License: MIT"),
    "pip": ("MIT", "License: MIT"),
    "setuptools": ("MIT", "classifier 'MIT License' and its LICENSE file"),
    "tzdata": ("Apache-2.0", "License: Apache-2.0"),
    "xxhash": ("BSD-2-Clause", "License: BSD-2-Clause"),
}

# liccheck's strategy for an Apache-2.0 work that imports (dynamically links) its dependencies:
# permissive licences and the LGPL authorised, the GPL and AGPL not. liccheck compares whole
# strings, lower-cased, with a trailing " License" removed.
STRATEGY = """\
[Licenses]
authorized_licenses:
  mit
  bsd
  bsd-2-clause
  bsd-3-clause
  new bsd
  apache-2.0
  apache software
  apache 2.0
  isc
  python software foundation
  psf-2.0
  mit-cmu
  historical permission notice and disclaimer (hpnd)
  zlib
  0bsd
  cc0-1.0
  mozilla public license 2.0 (mpl 2.0)
  mpl-2.0
  gnu lesser general public license v2 or later (lgplv2+)
  lgpl-2.1-or-later
unauthorized_licenses:
  gpl v3
  gnu general public license v3 (gplv3)
  gpl-3.0-or-later
  gpl-3.0-only
  agpl-3.0-only
"""


def canonical(name: str) -> str:
    return ospo._audit.canonical_name(name)


def timed(cmd: List[str], runs: int) -> Tuple[float, subprocess.CompletedProcess]:  # type: ignore[type-arg]
    times = []
    last = None
    for _ in range(runs):
        t = time.perf_counter()
        last = subprocess.run(cmd, capture_output=True, text=True)
        times.append(time.perf_counter() - t)
    assert last is not None
    return statistics.median(times), last


def spdx(text: str) -> str | None:
    """The licence an answer names: an SPDX expression, or an unambiguous licence name
    (``MIT License``); None when it names none or leaves the licence open (``BSD License``
    says no BSD variant)."""
    try:
        reading = ospo._ospo.read(text, False)
    except ospo.OspoError:
        return None
    vague = any("assumed" in w["message"] or "no specific" in w["message"] for w in reading["warnings"])
    return None if vague else str(reading["expression"])


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--requirements", required=True)
    ap.add_argument("--outbound", default="Apache-2.0")
    ap.add_argument("--use", default="dynamic-link")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    out = Path(a.out)
    names = [l.split("==")[0] for l in Path(a.requirements).read_text().split() if "==" in l]
    bin_dir = Path(sys.executable).parent

    strategy = out / "liccheck.ini"
    strategy.write_text(STRATEGY)
    runs: Dict[str, Tuple[float, subprocess.CompletedProcess]] = {}  # type: ignore[type-arg]
    runs["ospo"] = timed(
        [sys.executable, "-m", "ospo", "audit", a.requirements, "-o", a.outbound, "-u", a.use, "-f", "json"],
        a.runs,
    )
    runs["pip-licenses"] = timed(
        [str(bin_dir / "pip-licenses"), "--format=json", "--from=mixed", "--with-system", "--packages", *names], a.runs
    )
    report_file = out / "liccheck-report.txt"
    runs["liccheck"] = timed(
        [str(bin_dir / "liccheck"), "-s", str(strategy), "-r", a.requirements, "-R", str(report_file), "--no-deps"],
        a.runs,
    )
    # In-process: the first audit builds the licence text index; later ones reuse it.
    t = time.perf_counter()
    ospo.audit_files([a.requirements], a.outbound, a.use)
    cold = time.perf_counter() - t
    warm = []
    for _ in range(a.runs):
        t = time.perf_counter()
        ospo.audit_files([a.requirements], a.outbound, a.use)
        warm.append(time.perf_counter() - t)
    for tool, (_, proc) in runs.items():
        (out / f"{tool}.out").write_text(proc.stdout + proc.stderr)

    ours = {canonical(d["name"]): d for d in json.loads(runs["ospo"][1].stdout)["distributions"]}
    pl = {canonical(d["Name"]): d["License"] for d in json.loads(runs["pip-licenses"][1].stdout)}
    lc: Dict[str, Tuple[str, str]] = {}
    for line in report_file.read_text().splitlines():
        name, _version, rest = line.split(" ", 2)
        licence, status = rest.rsplit(" ", 1)
        lc[canonical(name)] = (licence, status)

    rows = []
    agree = {"ospo": 0, "pip-licenses": 0, "liccheck": 0}
    for key in sorted(ours):
        d = ours[key]
        if key in REFERENCE:
            ref, why = REFERENCE[key]
        else:
            ref, why = d["expression"], "License-Expression (PEP 639, declared by the project)"
        o_ok = d["expression"] == ref
        p_ans = pl.get(key, "(missing)")
        p_ok = spdx(p_ans) == ref
        l_lic, l_status = lc.get(key, ("(missing)", "?"))
        # liccheck is right when it read the licence and its status agrees with the verdict
        # (OK for yes; UNKNOWN gives no answer at all).
        l_ok = spdx(l_lic) == ref and (l_status == "OK") == (d["verdict"] == "yes")
        agree["ospo"] += o_ok
        agree["pip-licenses"] += p_ok
        agree["liccheck"] += l_ok
        rows.append(
            {
                "distribution": f"{d['name']} {d['version']}",
                "reference": ref,
                "basis": why,
                "ospo": f"{d['expression']} [{d['resolved_by']}] {d['verdict']}",
                "ospo_right": o_ok,
                "pip-licenses": p_ans,
                "pip_licenses_right": p_ok,
                "liccheck": f"{l_lic} → {l_status}",
                "liccheck_right": l_ok,
            }
        )

    t_ospo = runs["ospo"][0]
    lines = [
        f"# Python environment audit: {len(ours)} distributions, outbound {a.outbound}, use {a.use}",
        "",
        "| tool | median wall time (s) | ratio to ospo | right answers (licence, and for liccheck its status) |",
        "| --- | ---: | ---: | ---: |",
    ]
    for tool in ("ospo", "pip-licenses", "liccheck"):
        t = runs[tool][0]
        lines.append(f"| {tool} | {t:.3f} | {t / t_ospo:.2f} | {agree[tool]} of {len(ours)} |")
    lines += [
        "",
        f"ospo in-process (`ospo.audit_files`): first audit {cold:.3f} s (includes building the "
        f"licence text index), later audits {statistics.median(warm):.3f} s (median of {a.runs}).",
    ]
    lines += [
        "",
        "Where an answer differs from the reference (a name that leaves the licence open, such as",
        "`BSD License`, counts as different; for liccheck, so does a status that gives no answer):",
        "",
        "| distribution | reference (basis) | ospo | pip-licenses | liccheck (licence → status) |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        if r["ospo_right"] and r["pip_licenses_right"] and r["liccheck_right"]:
            continue

        def cell(text: str, ok: bool) -> str:
            text = text.replace("|", "\\|").replace("\n", " ")
            if len(text) > 60:
                text = text[:57] + "..."
            return f"{'✓' if ok else '✗'} {text}"

        lines.append(
            f"| {r['distribution']} | {r['reference']} ({r['basis']}) | {cell(r['ospo'], r['ospo_right'])} "
            f"| {cell(r['pip-licenses'], r['pip_licenses_right'])} | {cell(r['liccheck'], r['liccheck_right'])} |"
        )
    report = "\n".join(lines) + "\n"
    (out / "report.md").write_text(report)
    times = {k: v[0] for k, v in runs.items()}
    times.update({"ospo-in-process-first": cold, "ospo-in-process-warm": statistics.median(warm)})
    (out / "report.json").write_text(json.dumps({"times": times, "rows": rows}, indent=2))
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
