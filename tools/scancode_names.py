#!/usr/bin/env python3
"""Extract the names of ScanCode's licences that are not on the SPDX list.

Usage:
    pip download --no-deps scancode-toolkit-mini==32.5.0 -d /tmp/sctk
    unzip -q /tmp/sctk/scancode_toolkit_mini-32.5.0-cp311-none-any.whl 'licensedcode/data/*' \
        -d /tmp/sctk/pkg
    python3 tools/scancode_names.py /tmp/sctk/pkg > crates/ospo-licence/data/scancode/names.tsv

The argument is the unzipped wheel (the directory holding `licensedcode/`). Python 3 stdlib only;
the front matter is read by `scancode_categories.front_matter`.

Rows written: one per licence that is not deprecated and whose `spdx_license_key` is a
`LicenseRef-scancode-*` id (ScanCode-only licences such as the Geant4 Software License), with its
`name` and `short_name`, as a licence reader needs them to recognise "provided under the terms of
the Geant4 Software License". Names that say nothing specific once "license" and version words
are dropped ("Commercial License", "Proprietary License", "Unknown License") are left out: a
notice naming them names no particular licence. Sorted by `spdx_id` in byte order.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from scancode_categories import front_matter, licence_dir, write_tsv  # noqa: E402

HEADER = ("spdx_id", "scancode_key", "category", "name", "short_name")

#: Words that name no licence on their own.
GENERIC = frozenset(
    """a an and the of for or license licence licenses licences agreement terms version v
    commercial proprietary unknown other generic free public domain software source code
    open non standard eula end user notice copyright permission restricted private custom
    limited general""".split()
)


def specific(name: str) -> bool:
    words = [w for w in re.split(r"[^a-z0-9]+", name.lower()) if w]
    return any(w not in GENERIC and not w.isdigit() for w in words)


def rows(root: Path) -> list[tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for path in sorted(licence_dir(root).glob("*.LICENSE")):
        meta = front_matter(path)
        if meta.get("is_deprecated", "").lower() in ("yes", "true"):
            continue
        spdx = meta.get("spdx_license_key", "")
        if not spdx.startswith("LicenseRef-scancode-"):
            continue
        name, short = meta.get("name", ""), meta.get("short_name", "")
        if not (specific(name) or specific(short)):
            continue
        row = (spdx, meta["key"], meta.get("category", ""), name, short)
        for cell in row:
            if "\t" in cell or "\n" in cell:
                raise SystemExit(f"error: {path}: tab or newline in {cell!r}")
        if spdx in out:
            raise SystemExit(f"error: spdx_id {spdx} used by both {out[spdx][1]} and {row[1]}")
        out[spdx] = row
    return [out[k] for k in sorted(out, key=lambda s: s.encode("utf-8"))]


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(f"usage: {argv[0]} UNZIPPED_SCANCODE_WHEEL_DIR > names.tsv", file=sys.stderr)
        return 2
    table = rows(Path(argv[1]))
    write_tsv(HEADER, table)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
