"""Parse every file under the folders given with the Python libraries people use for SBOMs:
spdx-tools (SPDX 2 JSON, YAML, tag-value, RDF/XML) and cyclonedx-python-lib (CycloneDX JSON and
XML). Each file is offered to the library its content names (spdxVersion / SPDXVersion ->
spdx-tools, bomFormat or the CycloneDX XML namespace -> cyclonedx-python-lib); the rest is not
an SBOM either library reads. Prints one JSON object: files offered, accepted, components and
seconds of parsing (files already in memory for CycloneDX; spdx-tools reads from the path, as its
API requires)."""

import json
import os
import sys
import time
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

warnings.filterwarnings("ignore")

from cyclonedx.model.bom import Bom  # noqa: E402
from spdx_tools.spdx.parser.parse_anything import parse_file  # noqa: E402


def kind(path: Path, head: bytes) -> str | None:
    text = head.decode("utf-8", "replace")
    if "spdxVersion" in text or "SPDXVersion" in text:
        return "spdx"
    if '"bomFormat"' in text or "cyclonedx.org/schema/bom" in text:
        return "cdx-xml" if text.lstrip().startswith("<") else "cdx-json"
    return None


def count_components(bom) -> int:
    n = 0
    todo = list(bom.components)
    while todo:
        c = todo.pop()
        n += 1
        todo.extend(c.components)
    return n


def main() -> None:
    files = sorted(p for d in sys.argv[1:] for p in Path(d).rglob("*") if p.is_file())
    offered = {"spdx": 0, "cdx-json": 0, "cdx-xml": 0}
    accepted = {"spdx": 0, "cdx-json": 0, "cdx-xml": 0}
    components = 0
    seconds = 0.0
    # PROGRESS=path writes one line per file as it goes (spdx-tools takes minutes on big files).
    progress = open(os.environ["PROGRESS"], "w") if os.environ.get("PROGRESS") else None
    # spdx-tools' tag-value parser (ply) takes many minutes on files of a megabyte or more:
    # SKIP_TAG_VALUE_OVER=bytes leaves those out (listed in the output as skipped).
    skip_tag_value = int(os.environ.get("SKIP_TAG_VALUE_OVER", "0")) or float("inf")
    skipped = []
    for path in files:
        data = path.read_bytes()
        k = kind(path, data[:4096])
        if k is None:
            continue
        if k == "spdx" and len(data) > skip_tag_value and not data.lstrip()[:1] in (b"{", b"<") and path.suffix not in (".yaml", ".yml"):
            skipped.append(str(path))
            continue
        offered[k] += 1
        ok = False
        start = time.perf_counter()
        try:
            if k == "spdx":
                doc = parse_file(str(path))
                n = len(doc.packages)
            elif k == "cdx-json":
                n = count_components(Bom.from_json(json.loads(data)))
            else:
                n = count_components(Bom.from_xml(ET.fromstring(data)))
            accepted[k] += 1
            components += n
            ok = True
        except Exception:  # noqa: BLE001 - any failure is a file the library does not read
            pass
        finally:
            spent = time.perf_counter() - start
            seconds += spent
            if progress:
                progress.write(json.dumps({"file": str(path), "kind": k, "accepted": ok, "seconds": spent}) + "\n")
                progress.flush()
    print(json.dumps({"offered": offered, "accepted": accepted, "components": components, "seconds": seconds, "skipped": skipped}))


if __name__ == "__main__":
    main()
