#!/usr/bin/env python3
"""Extract ScanCode licence categories (SPDX id -> category) from `licensedcode-data`.

Usage:
    pip download --no-deps licensedcode-data==32.1.0 -d /tmp/lcd
    unzip -q /tmp/lcd/licensedcode_data-32.1.0-py3-none-any.whl -d /tmp/lcd/pkg
    python3 tools/scancode_categories.py /tmp/lcd/pkg \
        > crates/ospo-licence/data/scancode/categories.tsv

The argument is the unzipped wheel (the directory holding `licensedcode/`); the
directory `licensedcode/data/licenses` itself is accepted too. Python 3 stdlib only.

Each `*.LICENSE` file starts with a YAML front matter block between `---` lines.
Only flat top-level `key: value` scalars are needed (`key`, `category`,
`spdx_license_key`, `is_exception`, `is_deprecated`), so they are read with a
small line parser rather than a YAML library.

Rows written: one per licence or exception that is not deprecated in ScanCode
(`is_deprecated: yes`) and whose primary `spdx_license_key` is either a real SPDX
id or one of the `LicenseRef-scancode-*` keys in KEEP_SCANCODE_REFS (those that
the OSADL matrix uses, plus `geant4-sl-1.0` if ScanCode ever ships it).
Aliases in `other_spdx_license_keys` are not written. Output is sorted by
`spdx_id` in byte order; the script fails if two rows share an `spdx_id`.
"""

from __future__ import annotations

import sys
from pathlib import Path

#: `LicenseRef-scancode-*` keys kept although ScanCode-specific.
KEEP_SCANCODE_REFS = frozenset(
    {
        "LicenseRef-scancode-geant4-sl-1.0",
        # Used as licence names in OSADL's compatibility matrix.
        "LicenseRef-scancode-bsla-no-advert",
        "LicenseRef-scancode-info-zip-2003-05",
        "LicenseRef-scancode-ppp",
    }
)

HEADER = ("spdx_id", "scancode_key", "category", "is_exception")


def front_matter(path: Path) -> dict[str, str]:
    """Return the flat top-level scalars of a `.LICENSE` file's YAML front matter."""
    fields: dict[str, str] = {}
    with path.open(encoding="utf-8") as handle:
        first = handle.readline()
        if first.strip() != "---":
            raise ValueError(f"{path}: no YAML front matter")
        for line in handle:
            if line.rstrip("\r\n") == "---":
                return fields
            # Top-level keys start in column 0; list items and continuations are indented.
            if not line or line[0] in " \t-#":
                continue
            key, sep, value = line.partition(":")
            if not sep:
                continue
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            fields[key.strip()] = value
    raise ValueError(f"{path}: unterminated YAML front matter")


def write_tsv(header: tuple[str, ...], table: list[tuple[str, ...]]) -> None:
    """Write a header and rows as TSV to standard output, and their count to standard error."""
    sys.stdout.write("\t".join(header) + "\n")
    for row in table:
        sys.stdout.write("\t".join(row) + "\n")
    print(f"wrote {len(table)} rows", file=sys.stderr)


def licence_dir(root: Path) -> Path:
    for candidate in (root / "licensedcode" / "data" / "licenses", root):
        if candidate.is_dir() and any(candidate.glob("*.LICENSE")):
            return candidate
    raise SystemExit(f"error: no *.LICENSE files under {root} (expected licensedcode/data/licenses)")


def rows(root: Path) -> list[tuple[str, str, str, str]]:
    out: dict[str, tuple[str, str, str, str]] = {}
    for path in sorted(licence_dir(root).glob("*.LICENSE")):
        meta = front_matter(path)
        if meta.get("is_deprecated", "").lower() in ("yes", "true"):
            continue
        spdx = meta.get("spdx_license_key", "")
        if not spdx:
            continue
        if spdx.startswith("LicenseRef-scancode-") and spdx not in KEEP_SCANCODE_REFS:
            continue
        key = meta["key"]
        category = meta["category"]
        is_exception = "yes" if meta.get("is_exception", "").lower() in ("yes", "true") else "no"
        for cell in (spdx, key, category):
            if "\t" in cell or "\n" in cell:
                raise SystemExit(f"error: {path}: tab or newline in {cell!r}")
        if spdx in out:
            raise SystemExit(f"error: spdx_id {spdx} used by both {out[spdx][1]} and {key}")
        out[spdx] = (spdx, key, category, is_exception)
    return [out[k] for k in sorted(out, key=lambda s: s.encode("utf-8"))]


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        print(f"usage: {argv[0]} UNZIPPED_LICENSEDCODE_DATA_DIR > categories.tsv", file=sys.stderr)
        return 2
    table = rows(Path(argv[1]))
    missing = sorted(KEEP_SCANCODE_REFS - {r[0] for r in table})
    for ref in missing:
        print(f"note: {ref} not in this licensedcode-data", file=sys.stderr)
    write_tsv(HEADER, table)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
