"""Fixtures for the tests of the installed ``ospo`` wheel.

The environments audited here are real metadata written as real ``.dist-info`` folders: the
licence fields of every distribution installed by ``pip install uproot awkward iminuit
matplotlib`` (``../shared/data/python-env/``), with the full ``License`` texts of the five
distributions whose field holds a whole licence (``crates/ospo-licence/tests/texts/``, each
checked here against the length and line count the shared record gives).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest

REPO = Path(os.environ.get("OSPO_REPO", Path(__file__).resolve().parents[2])).resolve()
SHARED = Path(os.environ.get("OSPO_SHARED_DATA", REPO.parent / "shared" / "data")).resolve()
ENV_RECORD = SHARED / "python-env" / "venv-licence-metadata.json"
TEXTS = REPO / "crates" / "ospo-licence" / "tests" / "texts"
_TRUNCATED = re.compile(r"\.\.\. \[(\d+) chars, (\d+) lines\]$")


def pytest_configure(config: pytest.Config) -> None:
    import ospo

    # The package under test is the installed wheel, never the source tree.
    where = Path(ospo.__file__).resolve()
    assert "site-packages" in where.parts, f"ospo imported from {where}, not an installed wheel"


def full_licence(record: Dict[str, Any]) -> str:
    """The record's License field, the full text where the record holds a preview."""
    value = record["License"]
    m = _TRUNCATED.search(value or "")
    if not m:
        return value
    text = (TEXTS / f"{record['name']}-{record['version']}.License.txt").read_text(encoding="utf-8")
    assert len(text) == int(m.group(1)), record["name"]
    assert text.count("\n") + 1 == int(m.group(2)), record["name"]
    assert text.startswith(value[: m.start()]), record["name"]
    return text


def metadata_text(fields: Dict[str, Any]) -> str:
    """A METADATA file (core metadata, RFC 822 style) for these fields."""
    out = [f"Metadata-Version: {fields.get('metadata_version', '2.1')}",
           f"Name: {fields['name']}", f"Version: {fields['version']}"]
    if fields.get("License-Expression"):
        out.append(f"License-Expression: {fields['License-Expression']}")
    if fields.get("License"):
        # Continuation lines are indented by eight spaces, as wheel writes them.
        out.append("License: " + fields["License"].replace("\n", "\n        "))
    for c in fields.get("license_classifiers") or []:
        out.append(f"Classifier: {c}")
    for f in fields.get("License-File") or []:
        out.append(f"License-File: {f}")
    return "\n".join(out) + "\n\n"


def write_dist(site: Path, fields: Dict[str, Any], files: Dict[str, str] = {}) -> Path:  # noqa: B006
    """Writes NAME-VERSION.dist-info with METADATA (and licence files) into ``site``."""
    d = site / f"{fields['name'].replace('-', '_')}-{fields['version']}.dist-info"
    d.mkdir(parents=True)
    (d / "METADATA").write_text(metadata_text(fields), encoding="utf-8")
    for name, text in files.items():
        p = d / "licenses" / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return d


@pytest.fixture(scope="session")
def records() -> List[Dict[str, Any]]:
    """The shared record of the environment, with the full licence texts."""
    data = json.loads(ENV_RECORD.read_text(encoding="utf-8"))
    for r in data:
        r["License"] = full_licence(r) if r["License"] else None
    return data


@pytest.fixture(scope="session")
def physics_env(tmp_path_factory: pytest.TempPathFactory, records: List[Dict[str, Any]]) -> Path:
    """A site-packages folder holding the metadata of the real environment."""
    site = tmp_path_factory.mktemp("site-packages")
    for r in records:
        write_dist(site, r)
    return site


def ospo_bin() -> Path:
    """The ``ospo`` command (``$OSPO_BIN``, else the one cargo built in the target folder)."""
    if os.environ.get("OSPO_BIN"):
        return Path(os.environ["OSPO_BIN"])
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    return target / "debug" / "ospo"


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A catalogue database seeded by ``ospo catalogue seed`` (the lab's real data)."""
    db = tmp_path_factory.mktemp("catalogue") / "catalogue.db"
    subprocess.run([str(ospo_bin()), "catalogue", "seed", "--database", str(db)],
                   check=True, capture_output=True, timeout=300)
    return db


@pytest.fixture(scope="session")
def server(seeded_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``ospo serve`` on a copy of the seeded database; yields its base URL."""
    db = tmp_path_factory.mktemp("served") / "catalogue.db"
    shutil.copy(seeded_db, db)
    proc = subprocess.Popen([str(ospo_bin()), "serve", "--database", str(db), "--listen", "127.0.0.1:0"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        base = None
        for line in proc.stdout:
            m = re.search(r"http://[0-9.:]+", line)
            if m:
                base = m.group(0)
                break
        assert base, "ospo serve printed no address"
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def run_cli(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    """``python -m ospo ARGS`` with the test venv's interpreter."""
    return subprocess.run([sys.executable, "-m", "ospo", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120)

