"""Licence audits of Python environments: each installed distribution's licence read from its
metadata, resolved to an SPDX expression, and checked against the outbound licence.

Resolution order, first that gives an expression wins:

1. ``License-Expression`` (PEP 639, core metadata 2.4): an SPDX expression by definition.
2. ``License`` holding an id or a name (``MIT``, ``Apache 2.0``): read leniently.
3. ``License`` holding a whole licence text: identified against the SPDX texts, with confidence;
   bundled components (scipy's GCC runtime, matplotlib's fonts) are kept apart from the
   distribution's own licence.
4. ``License ::`` classifiers; when they name no specific licence (``BSD License``), the
   ``License-File`` texts decide if they identify one.
5. ``License-File`` contents, identified as in 3.

Otherwise the licence is ``unknown``, and so is the verdict: nothing is guessed.
"""

from __future__ import annotations

import importlib.metadata as md
import os
import re
import sys
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

from . import _ospo
from ._ospo import MetadataError
from ._results import Result

PathLike = Union[str, "os.PathLike[str]"]

#: Verdicts from the worst to the best: conflicts are listed first.
SEVERITY = {"no": 0, "unknown": 1, "depends": 2, "yes": 3}

#: Values that tools write when they have no licence.
_NO_LICENCE = {"", "unknown", "none", "n/a", "na", "other", "other/proprietary license"}

#: The longest ``License`` value read as a name rather than a text.
_NAME_MAX = 120


def canonical_name(name: str) -> str:
    """A distribution name normalised as PEP 503 does (``Foo_Bar`` -> ``foo-bar``)."""
    return re.sub(r"[-_.]+", "-", name).lower()


class Distribution(Result):
    """One distribution of an audit: its licence, how it was found, and the verdict."""

    __slots__ = ()

    @property
    def name(self) -> str:
        """The distribution's name as its metadata spells it."""
        return str(self._data["name"])

    @property
    def version(self) -> Optional[str]:
        """Its version (None when not installed)."""
        v = self._data.get("version")
        return None if v is None else str(v)

    @property
    def expression(self) -> Optional[str]:
        """Its licence as an SPDX expression, or None when unknown."""
        e = self._data.get("expression")
        return None if e is None else str(e)

    @property
    def resolved_by(self) -> str:
        """How: ``expression``, ``id``, ``text``, ``classifier``, ``license-file``,
        ``unknown`` or ``not-installed``."""
        return str(self._data["resolved_by"])

    @property
    def confidence(self) -> Optional[float]:
        """For licences identified from a text, the match score (0 to 1)."""
        c = self._data.get("confidence")
        return None if c is None else float(c)

    @property
    def source(self) -> str:
        """The metadata field or file the licence was read from."""
        return str(self._data["source"])

    @property
    def warnings(self) -> List[str]:
        """How the metadata was read where it was not a plain SPDX expression."""
        return list(self._data.get("warnings", []))

    @property
    def bundled(self) -> List[Dict[str, Any]]:
        """Components the distribution says it bundles, with their licences."""
        return list(self._data.get("bundled", []))

    @property
    def verdict(self) -> str:
        """``yes``, ``depends``, ``unknown`` or ``no`` for the audit's outbound licence and use."""
        return str(self._data["verdict"])

    @property
    def explanation(self) -> str:
        """Why, naming the sources (the engine's explanation, or why the licence is unknown)."""
        return str(self._data["explanation"])

    @property
    def report(self) -> Optional[Dict[str, Any]]:
        """The engine's full report (findings, basis, sources), when a check was made."""
        r = self._data.get("report")
        return None if r is None else dict(r)

    def __repr__(self) -> str:
        return (
            f"<Distribution {self.name} {self.version}: {self.expression} "
            f"[{self.resolved_by}] {self.verdict}>"
        )


class Audit(Result):
    """The licences of a set of distributions against one outbound licence and use."""

    __slots__ = ()

    @property
    def outbound(self) -> str:
        """The outbound licence."""
        return str(self._data["outbound"])

    @property
    def use(self) -> str:
        """The use judged."""
        return str(self._data["use"])

    @property
    def distributions(self) -> List[Distribution]:
        """Every distribution, conflicts first (no, unknown, depends, yes), then by name."""
        return [Distribution(d) for d in self._data["distributions"]]

    @property
    def findings(self) -> List[Distribution]:
        """The distributions whose verdict is not ``yes``."""
        return [d for d in self.distributions if d.verdict != "yes"]

    @property
    def summary(self) -> Dict[str, int]:
        """How many distributions got each verdict."""
        return dict(self._data["summary"])

    @property
    def exit_code(self) -> int:
        """0 when every verdict is ``yes``, 1 otherwise (as the CLI's exit codes)."""
        return 0 if not self.findings else 1

    def __getitem__(self, name: str) -> Distribution:
        want = canonical_name(name)
        for d in self.distributions:
            if canonical_name(d.name) == want:
                return d
        raise KeyError(name)

    def __len__(self) -> int:
        return len(self._data["distributions"])

    def __repr__(self) -> str:
        counts = ", ".join(f"{v} {k}" for k, v in self.summary.items() if v)
        return f"<Audit {len(self)} distributions → {self.outbound} ({self.use}): {counts}>"

    def __str__(self) -> str:
        rows = [("verdict", "distribution", "licence", "resolved by")]
        for d in self.distributions:
            how = d.resolved_by
            if d.confidence is not None:
                how += f" ({d.confidence:.2f})"
            rows.append((d.verdict, f"{d.name} {d.version or ''}".strip(), d.expression or "?", how))
        widths = [max(len(r[i]) for r in rows) for i in range(3)]
        out = [
            f"{r[0]:<{widths[0]}}  {r[1]:<{widths[1]}}  {r[2]:<{widths[2]}}  {r[3]}".rstrip()
            for r in rows
        ]
        notes = []
        for d in self.findings:
            notes.append(f"{d.name}: {d.explanation}")
        counts = ", ".join(f"{v} {k}" for k, v in self.summary.items() if v)
        head = f"{len(self)} distributions → {self.outbound} ({self.use}): {counts}"
        return "\n".join([head, ""] + out + ([""] + notes if notes else []))


def _field(meta: md.PackageMetadata, name: str) -> Optional[str]:
    """The first value of a metadata field, or None."""
    values = meta.get_all(name) or []
    return str(values[0]) if values else None


def _one_line(value: str) -> bool:
    return "\n" not in value.strip() and len(value.strip()) <= _NAME_MAX


def _read(text: str, strict: bool) -> Tuple[Optional[str], List[str], Optional[str]]:
    """(expression, warnings, error) for a licence string."""
    try:
        r = _ospo.read(text, strict)
    except _ospo.ExpressionError as e:
        return None, [], str(e).splitlines()[0]
    return r["expression"], [_warning(w) for w in r["warnings"]], None


def _warning(w: Dict[str, Any]) -> str:
    return f"'{w['found']}' read as '{w['read_as']}': {w['message']}"


def _licence_files(dist: md.Distribution, meta: md.PackageMetadata) -> List[Tuple[str, str]]:
    """(name, text) of each License-File the distribution ships."""
    out = []
    for name in meta.get_all("License-File") or []:
        # Core metadata 2.4 puts them under .dist-info/licenses/; older wheels beside METADATA.
        for candidate in (f"licenses/{name}", name):
            try:
                text = dist.read_text(candidate)
            except (OSError, UnicodeDecodeError):
                text = None
            if text:
                out.append((name, text))
                break
    return out


def _identified(text: str) -> Dict[str, Any]:
    return dict(_ospo.identify(text))


def _bundled(ident: Dict[str, Any]) -> List[Dict[str, Any]]:
    return [
        {k: b.get(k) for k in ("name", "declared", "expression") if b.get(k) is not None}
        for b in ident.get("bundled", [])
    ]


def resolve(meta: md.PackageMetadata, dist: Optional[md.Distribution] = None) -> Dict[str, Any]:
    """How a distribution's metadata resolves to an SPDX expression (see the module docs)."""
    warnings: List[str] = []
    expr_field = (_field(meta, "License-Expression") or "").strip()
    if expr_field:
        e, w, err = _read(expr_field, True)
        if e is None:
            e, w, _ = _read(expr_field, False)
            if e is not None:
                w = [f"License-Expression '{expr_field}' is not a valid SPDX expression (PEP 639)"] + w
        if e is not None:
            return _resolved(e, "expression", f"License-Expression: {expr_field}", warnings + w)
        warnings.append(f"License-Expression '{expr_field}' could not be read: {err}")

    lic = (_field(meta, "License") or "").strip()
    if lic and lic.lower() not in _NO_LICENCE:
        if _one_line(lic):
            e, w, err = _read(lic, False)
            if e is not None:
                return _resolved(e, "id", f"License: {lic}", warnings + w)
            warnings.append(f"License '{lic}' is not a licence name the engine knows: {err}")
        else:
            ident = _identified(lic)
            if ident.get("expression"):
                n = len(lic)
                return _resolved(
                    ident["expression"],
                    "text",
                    f"License (a licence text, {n} characters)",
                    warnings,
                    confidence=ident["confidence"],
                    bundled=_bundled(ident),
                )
            warnings.append("License holds a text that matches no SPDX licence text")

    classifiers = [
        c for c in (meta.get_all("Classifier") or []) if c.startswith("License ::")
    ]
    from_classifiers: List[str] = []
    cw: List[str] = []
    vague = False
    for c in classifiers:
        if c.strip() in ("License :: OSI Approved", "License :: Other/Proprietary License"):
            cw.append(f"'{c}' names no licence")
            continue
        e, w, err = _read(c, False)
        if e is None:
            cw.append(f"'{c}' is not a licence the engine knows: {err}")
            continue
        if any("assumed" in x or "no specific" in x for x in w):
            vague = True
        if e not in from_classifiers:
            from_classifiers.append(e)
        cw += w
    if len(from_classifiers) > 1:
        cw.append(
            "several licence classifiers: read as all applying (AND), as classifiers do not say "
            "whether they are alternatives; check the licence text"
        )

    files = _licence_files(dist, meta) if dist is not None else []
    if files and (vague or not from_classifiers):
        found: List[str] = []
        used: List[str] = []
        bundled: List[Dict[str, Any]] = []
        confidence = 1.0
        for name, text in files:
            ident = _identified(text)
            if ident.get("expression"):
                if ident["expression"] not in found:
                    found.append(ident["expression"])
                used.append(name)
                confidence = min(confidence, float(ident["confidence"]))
                bundled += _bundled(ident)
        if found:
            if from_classifiers:
                warnings.append(
                    f"the classifiers ({' AND '.join(from_classifiers)}) name no specific licence; "
                    "the licence files decide"
                )
            return _resolved(
                " AND ".join(f"({e})" if " OR " in e else e for e in found),
                "license-file",
                "License-File: " + ", ".join(used),
                warnings,
                confidence=round(confidence, 3),
                bundled=bundled,
            )
        warnings.append(
            "License-File: " + ", ".join(n for n, _ in files) + ": no SPDX licence text matched"
        )
    if from_classifiers:
        joined = " AND ".join(f"({e})" if " OR " in e else e for e in from_classifiers)
        return _resolved(joined, "classifier", "Classifier: " + "; ".join(classifiers), warnings + cw)
    if dist is not None and not (meta.get_all("License-File") or []) and not classifiers:
        warnings.append("no License-Expression, License, licence classifier or License-File")
    return _resolved(None, "unknown", "no licence metadata", warnings + cw)


def _resolved(
    expression: Optional[str],
    how: str,
    source: str,
    warnings: List[str],
    confidence: Optional[float] = None,
    bundled: Optional[List[Dict[str, Any]]] = None,
) -> Dict[str, Any]:
    out: Dict[str, Any] = {
        "expression": expression,
        "resolved_by": how,
        "source": source,
        "confidence": confidence,
        "warnings": warnings,
    }
    if bundled:
        out["bundled"] = bundled
    return out


def _distributions(path: Optional[Sequence[PathLike]]) -> List[md.Distribution]:
    """Installed distributions on ``path`` (default ``sys.path``), first of each name."""
    search = [os.fspath(p) for p in path] if path is not None else list(sys.path)
    if path is not None:
        for p in search:
            if not os.path.isdir(p):
                raise MetadataError(f"{p}: not a directory (give site-packages folders as path=)")
    seen = set()
    out = []
    for d in md.distributions(path=search):
        name = _field(d.metadata, "Name")
        if not name:
            continue
        key = canonical_name(name)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def _finish(
    entries: List[Dict[str, Any]], outbound: str, use: str
) -> Audit:
    """Checks every resolved expression and sorts conflicts first."""
    # A bad outbound licence or use is the caller's error: raise it once, not per distribution.
    _ospo.check(["MIT"], outbound, use, False)
    questions = [(e["expression"], outbound, use) for e in entries if e["expression"]]
    reports = iter(_ospo.check_many(questions))
    for e in entries:
        if not e["expression"]:
            e["verdict"] = "unknown"
            e["explanation"] = (
                "not installed in this environment: no metadata to read"
                if e["resolved_by"] == "not-installed"
                else "no licence found in the metadata: " + "; ".join(e["warnings"] or ["none"])
            )
            e["report"] = None
            continue
        r = next(reports)
        if "error" in r:
            e["verdict"] = "unknown"
            e["explanation"] = f"the licence could not be checked: {r['error']}"
            e["report"] = None
        else:
            e["verdict"] = r["verdict"]
            e["explanation"] = r["explanation"]
            e["report"] = r
    entries.sort(key=lambda e: (SEVERITY.get(e["verdict"], 1), canonical_name(e["name"])))
    summary = {v: 0 for v in ("no", "unknown", "depends", "yes")}
    for e in entries:
        summary[e["verdict"]] = summary.get(e["verdict"], 0) + 1
    return Audit(
        {
            "outbound": outbound,
            "use": use,
            "distributions": entries,
            "summary": summary,
            "resolution_order": [
                "License-Expression (PEP 639)",
                "License as an SPDX id or licence name",
                "License as a licence text, identified",
                "License classifiers",
                "License-File contents, identified",
            ],
            "spdx_list_version": _ospo.SPDX_LIST_VERSION,
        }
    )


def _entry(dist: md.Distribution) -> Dict[str, Any]:
    meta = dist.metadata
    return {"name": meta["Name"], "version": _field(meta, "Version"), **resolve(meta, dist)}


def audit_environment(
    outbound: str = "Apache-2.0",
    use: str = "dynamic-link",
    *,
    path: Optional[Sequence[PathLike]] = None,
    exclude: Iterable[str] = (),
) -> Audit:
    """Audits every distribution installed on ``path`` (site-packages folders; default: this
    interpreter's ``sys.path``) against ``outbound`` for ``use``; conflicts first."""
    skip = {canonical_name(n) for n in exclude}
    entries = [_entry(d) for d in _distributions(path) if canonical_name(d.metadata["Name"]) not in skip]
    return _finish(entries, outbound, use)


def audit_names(
    names: Iterable[str],
    outbound: str = "Apache-2.0",
    use: str = "dynamic-link",
    *,
    path: Optional[Sequence[PathLike]] = None,
) -> Audit:
    """Audits the named distributions with the metadata installed on ``path``; a name that is
    not installed is reported as such, with an ``unknown`` verdict."""
    installed = {canonical_name(d.metadata["Name"]): d for d in _distributions(path)}
    entries = []
    seen = set()
    for n in names:
        key = canonical_name(n)
        if key in seen:
            continue
        seen.add(key)
        d = installed.get(key)
        if d is None:
            entries.append(
                {
                    "name": n,
                    "version": None,
                    **_resolved(None, "not-installed", "not installed", []),
                }
            )
        else:
            entries.append(_entry(d))
    return _finish(entries, outbound, use)


def audit_files(
    files: Sequence[PathLike],
    outbound: str = "Apache-2.0",
    use: str = "dynamic-link",
    *,
    path: Optional[Sequence[PathLike]] = None,
) -> Audit:
    """Audits the distributions named in requirements.txt, pyproject.toml, uv.lock, poetry.lock
    or conda environment.yml files, with the metadata installed on ``path``."""
    from ._lockfiles import names_in

    names: List[str] = []
    for f in files:
        names += names_in(Path(os.fspath(f)))
    return audit_names(names, outbound, use, path=path)

