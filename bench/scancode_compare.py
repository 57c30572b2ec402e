#!/usr/bin/env python3
"""Per-file licence agreement of `ospo scan -f json` with ScanCode toolkit's JSON.

    bench/scancode_compare.py SCANCODE.json OSPO.json [--list] [--judged bench/scancode-judged.tsv]
    bench/scancode_compare.py SCANCODE.json PROVENANT.json [--list]

The second file may also be another ScanCode-like JSON (provenant's `--json`), read as ScanCode's.

Counts the files where either tool finds a licence; a file agrees when both name the same set of
licence ids (operators, order and duplicates aside; ospo's bundled licences count, as ScanCode
reports every detection in a file). ScanCode-only ids (`LicenseRef-scancode-*`) count as
disagreements. `--list` prints every disagreement with both answers, for judging.

`--judged FILE` reads judgements (glob, ScanCode's ids, ours, verdict, why; `-` for none; `+`
for ScanCode's ids: ours and more, the licence names a file mentions; `*`: any) and
counts the disagreements each verdict covers: a judgement applies only when both answers are
exactly the ones it was made on. The "judged" agreement counts a disagreement where ScanCode is
wrong as ours right; disagreements with no judgement are listed.
"""
import fnmatch
import json
import re
import sys


def ids(expr):
    if not expr:
        return set()
    out = set()
    for t in re.split(r"[\s()]+", expr):
        if not t or t.upper() in ("AND", "OR", "WITH"):
            continue
        out.add(t)
    return out


def scancode_files(doc):
    files = {}
    for f in doc["files"]:
        if f.get("type") != "file":
            continue
        # paths are given as ROOTNAME/rest
        path = f["path"].split("/", 1)[1] if "/" in f["path"] else f["path"]
        found = set()
        for d in f.get("license_detections") or []:
            found |= ids(d.get("license_expression_spdx"))
        if not found:
            found = ids(f.get("detected_license_expression_spdx"))
        files[path] = found
    return files


def ospo_files(doc):
    files = {}
    for f in doc["files"]:
        found = set()
        for l in f["licence_findings"]:
            found |= ids(l["expression"])
        files[f["path"]] = found
    return files


def judgements(path):
    out = []
    for line in open(path, encoding="utf-8"):
        if not line.strip() or line.startswith("#"):
            continue
        glob, sc, os_, verdict, why = line.rstrip("\n").split("\t")
        ids_of = lambda cell: cell if cell in "+*" else set() if cell == "-" else set(cell.split())
        out.append((glob, ids_of(sc), ids_of(os_), verdict, why))
    return out


def main():
    sc_doc = json.load(open(sys.argv[1]))
    sc = scancode_files(sc_doc)
    errors = [f["path"] for f in sc_doc["files"] if f.get("scan_errors")]
    other = json.load(open(sys.argv[2]))
    ospo = any("licence_findings" in f for f in other.get("files", []))
    os_ = ospo_files(other) if ospo else scancode_files(other)
    name = "ospo" if ospo else "the other tool"
    listing = "--list" in sys.argv
    either = sorted(p for p in set(sc) | set(os_) if sc.get(p) or os_.get(p))
    agree = [p for p in either if sc.get(p, set()) == os_.get(p, set())]
    only_sc = [p for p in either if sc.get(p) and not os_.get(p)]
    only_os = [p for p in either if os_.get(p) and not sc.get(p)]
    differ = [p for p in either if sc.get(p) and os_.get(p) and sc[p] != os_[p]]
    n = len(either)
    pct = 100.0 * len(agree) / n if n else 100.0
    print(f"files with a licence (either tool): {n}; agree: {len(agree)} ({pct:.1f}%)")
    print(f"  only ScanCode finds one: {len(only_sc)}; only {name}: {len(only_os)}; both, differently: {len(differ)}")
    if errors:
        print(f"  ScanCode could not scan {len(errors)} file(s): {', '.join(errors[:5])}")
    if "--judged" in sys.argv:
        table = judgements(sys.argv[sys.argv.index("--judged") + 1])
        verdicts = {"scancode": 0, "ospo": 0, "both": 0}
        unjudged = []
        for p in only_sc + only_os + differ:
            hit = next(
                (j for j in table
                 if fnmatch.fnmatch(p, j[0]) and j[2] == os_.get(p, set())
                 and (j[1] == sc.get(p, set()) or j[1] == "*"
                      or (j[1] == "+" and sc.get(p, set()) > j[2]))),
                None,
            )
            if hit:
                verdicts[hit[3]] += 1
            else:
                unjudged.append(p)
        right = len(agree) + verdicts["scancode"]
        print(f"  judged: ScanCode wrong {verdicts['scancode']}, ours wrong {verdicts['ospo']}, "
              f"both partly {verdicts['both']}, not judged {len(unjudged)}; "
              f"ours right on {right} of {n} ({100.0 * right / n if n else 100.0:.1f}%)")
        for p in unjudged:
            print(f"  not judged: {p}: scancode={sorted(sc.get(p, []))} ospo={sorted(os_.get(p, []))}")
    if listing:
        short = "ospo" if ospo else "other"
        for label, paths in (("only ScanCode", only_sc), (f"only {short}", only_os), ("differ", differ)):
            for p in paths:
                print(f"  {label}: {p}: scancode={sorted(sc.get(p, []))} {short}={sorted(os_.get(p, []))}")


if __name__ == "__main__":
    main()
