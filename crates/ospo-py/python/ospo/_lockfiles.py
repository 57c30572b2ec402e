"""The distribution names in requirements and lock files: requirements.txt (pip),
pyproject.toml (PEP 621, PEP 735 groups, Poetry), uv.lock, poetry.lock and conda
environment.yml. A file that cannot be read raises ``MetadataError`` naming the file, the line
where known, and what was expected."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Optional

from ._ospo import MetadataError

_NAME = re.compile(r"^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)")
_EGG = re.compile(r"#egg=([A-Za-z0-9][A-Za-z0-9._-]*)")


def _toml(path: Path) -> Dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python < 3.11 only
        try:
            import tomli as tomllib
        except ImportError as e:
            raise MetadataError(f"{path}: reading TOML needs the 'tomli' package on Python < 3.11") from e
    try:
        with path.open("rb") as f:
            return dict(tomllib.load(f))
    except OSError as e:
        raise MetadataError(f"{path}: cannot read: {e.strerror}") from e
    except tomllib.TOMLDecodeError as e:
        raise MetadataError(f"{path}: not valid TOML: {e}") from e


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as e:
        raise MetadataError(f"{path}: cannot read: {e.strerror}") from e
    except UnicodeDecodeError as e:
        raise MetadataError(f"{path}: not UTF-8 (byte {e.start + 1})") from e


def _requirement(spec: str, where: str) -> str:
    """The distribution name of a PEP 508 requirement."""
    m = _NAME.match(spec)
    if not m:
        raise MetadataError(f"{where}: '{spec.strip()}' is not a requirement (expected NAME[extras][version])")
    return m.group(1)


def requirements_txt(path: Path, _seen: Optional[FrozenSet[Path]] = None) -> List[str]:
    """Names in a pip requirements file, following ``-r`` includes."""
    seen = frozenset(_seen or ()) | {path.resolve()}
    names: List[str] = []
    lines = _text(path).splitlines()
    i = 0
    while i < len(lines):
        n = i + 1
        line = lines[i].split(" #", 1)[0].strip()
        while line.endswith("\\") and i + 1 < len(lines):
            i += 1
            line = line[:-1] + lines[i].split(" #", 1)[0].strip()
        i += 1
        if not line or line.startswith("#"):
            continue
        where = f"{path}:{n}"
        if line.startswith(("-r ", "--requirement", "-c ", "--constraint")):
            target = line.split(None, 1)[1] if " " in line else line.split("=", 1)[-1]
            inc = (path.parent / target.strip()).resolve()
            if inc not in seen and not line.startswith(("-c", "--constraint")):
                names += requirements_txt(inc, seen)
            continue
        if line.startswith(("-e ", "--editable")):
            egg = _EGG.search(line)
            if egg:
                names.append(egg.group(1))
            continue
        if line.startswith("-"):
            continue  # --index-url, --hash, ... : options, not requirements
        egg = _EGG.search(line)
        if "://" in line.split("@", 1)[0] or line.startswith(("./", "/", ".")):
            if egg:
                names.append(egg.group(1))
                continue
            raise MetadataError(f"{where}: '{line}' names no distribution (add #egg=NAME)")
        names.append(_requirement(line, where))
    return names


def pyproject_toml(path: Path) -> List[str]:
    """Dependencies of a pyproject.toml: PEP 621 (with optional ones), PEP 735 groups, Poetry."""
    data = _toml(path)
    specs: List[str] = []
    project = data.get("project", {})
    specs += project.get("dependencies", [])
    for group in project.get("optional-dependencies", {}).values():
        specs += group
    for group in data.get("dependency-groups", {}).values():
        specs += [s for s in group if isinstance(s, str)]
    poetry = data.get("tool", {}).get("poetry", {})
    deps = dict(poetry.get("dependencies", {}))
    deps.update(poetry.get("dev-dependencies", {}))
    for g in poetry.get("group", {}).values():
        deps.update(g.get("dependencies", {}))
    specs += [k for k in deps if k.lower() != "python"]
    if not project and not poetry and "dependency-groups" not in data:
        raise MetadataError(f"{path}: no [project], [dependency-groups] or [tool.poetry] table")
    return [_requirement(s, f"{path}: dependency") for s in specs]


def lock_packages(path: Path) -> List[str]:
    """Packages of a uv.lock or poetry.lock (``[[package]]`` tables); uv's own project entry
    (an editable or virtual source) is left out."""
    data = _toml(path)
    packages = data.get("package")
    if not isinstance(packages, list):
        raise MetadataError(f"{path}: no [[package]] tables: not a uv.lock or poetry.lock")
    names = []
    for i, p in enumerate(packages):
        if not isinstance(p, dict) or "name" not in p:
            raise MetadataError(f"{path}: [[package]] number {i + 1} has no name")
        source = p.get("source", {})
        if isinstance(source, dict) and ("editable" in source or "virtual" in source):
            continue
        names.append(str(p["name"]))
    return names


def environment_yml(path: Path) -> List[str]:
    """Packages of a conda environment.yml: conda specs (``numpy=1.26``, ``conda-forge::scipy``)
    and the ``pip:`` list. Reads the subset of YAML these files use."""
    names: List[str] = []
    section = None
    pip_indent = None
    for n, raw in enumerate(_text(path).splitlines(), 1):
        line = raw.split(" #", 1)[0].rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip())
        stripped = line.strip()
        if indent == 0:
            section = stripped.split(":", 1)[0]
            pip_indent = None
            if section == "dependencies" and stripped != "dependencies:":
                raise MetadataError(f"{path}:{n}: expected a list under 'dependencies:'")
            continue
        if section != "dependencies":
            continue
        if not stripped.startswith("- "):
            raise MetadataError(f"{path}:{n}: expected '- PACKAGE' under dependencies, found '{stripped}'")
        item = stripped[2:].strip().strip("'\"")
        if pip_indent is not None and indent > pip_indent:
            names.append(_requirement(item, f"{path}:{n}"))
            continue
        pip_indent = None
        if item == "pip:":
            pip_indent = indent
            continue
        spec = item.split("::", 1)[-1]
        name = re.split(r"[=<>!~ \[]", spec, 1)[0]
        if not name:
            raise MetadataError(f"{path}:{n}: '{item}' names no package")
        if name.lower() not in ("python", "pip"):
            names.append(name)
    if section is None:
        raise MetadataError(f"{path}: empty environment file")
    return names


def names_in(path: Path) -> List[str]:
    """The distribution names a file lists, by its kind (from its name)."""
    name = path.name.lower()
    if not path.exists():
        raise MetadataError(f"{path}: no such file")
    if name == "pyproject.toml":
        return pyproject_toml(path)
    if name in ("uv.lock", "poetry.lock") or name.endswith(".lock"):
        return lock_packages(path)
    if name.endswith((".yml", ".yaml")):
        return environment_yml(path)
    if name.endswith((".txt", ".in")) or "requirements" in name:
        return requirements_txt(path)
    raise MetadataError(
        f"{path}: unknown kind of file: expected requirements*.txt, pyproject.toml, uv.lock, "
        "poetry.lock or environment.yml"
    )
