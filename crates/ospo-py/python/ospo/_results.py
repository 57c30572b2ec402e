"""Result objects: a readable ``repr``, ``to_dict()`` with every field the engine gave (the same
fields as the CLI's ``--format json``), and attributes for the ones people use most."""

from __future__ import annotations

import copy
import json
import textwrap
from typing import Any, Dict, List, Optional


class Result:
    """Base of every result: holds the engine's answer as a dict."""

    __slots__ = ("_data",)

    def __init__(self, data: Dict[str, Any]) -> None:
        self._data = data

    def to_dict(self) -> Dict[str, Any]:
        """Every field, as plain dicts, lists and strings (a copy)."""
        return copy.deepcopy(self._data)

    def to_json(self, indent: Optional[int] = 2) -> str:
        """The result as JSON."""
        return json.dumps(self._data, indent=indent, ensure_ascii=False)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Result) and type(other) is type(self) and other._data == self._data

    def __hash__(self) -> int:
        return hash(json.dumps(self._data, sort_keys=True))


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, width=100, initial_indent=indent, subsequent_indent=indent)


class Check(Result):
    """A compatibility report: the verdict, why, and the sources it rests on."""

    __slots__ = ()

    @property
    def verdict(self) -> str:
        """``yes``, ``depends`` (with conditions), ``unknown`` (nothing settles it) or ``no``."""
        return str(self._data["verdict"])

    @property
    def ok(self) -> bool:
        """Whether the verdict is ``yes``."""
        return self.verdict == "yes"

    @property
    def inbound(self) -> List[str]:
        """The inbound expressions, normalised."""
        return [str(e) for e in self._data["inbound"]]

    @property
    def outbound(self) -> str:
        """The outbound licence, normalised."""
        return str(self._data["outbound"])

    @property
    def use(self) -> str:
        """The use judged (``merged``, ``static-link``, ``dynamic-link``, ``separate``, ``network``)."""
        return str(self._data["use"])

    @property
    def explanation(self) -> str:
        """The verdict and its reasons in plain words, naming its sources."""
        return str(self._data["explanation"])

    @property
    def findings(self) -> List[Dict[str, Any]]:
        """Each deciding inbound term against the outbound licence, with its basis."""
        return copy.deepcopy(self._data.get("findings", []))

    @property
    def conditions(self) -> List[str]:
        """Conditions (for ``depends``) or obligations that come with the verdict."""
        return list(self._data.get("conditions", []))

    @property
    def failing(self) -> List[str]:
        """The inbound terms that make the combination fail."""
        return list(self._data.get("failing", []))

    @property
    def fixes(self) -> List[Dict[str, Any]]:
        """Other outbound licences or OR branches that would work."""
        return copy.deepcopy(self._data.get("fixes", []))

    @property
    def warnings(self) -> List[Dict[str, Any]]:
        """How lenient input was read (``Apache 2.0`` read as ``Apache-2.0``, and why)."""
        return copy.deepcopy(self._data.get("warnings", []))

    @property
    def sources(self) -> List[Dict[str, Any]]:
        """Every source cited, with its version and URL."""
        return copy.deepcopy(self._data.get("sources", []))

    def headline(self) -> str:
        """``verdict: inbound → outbound (use)``, as the CLI's first line."""
        return f"{self.verdict}: {' AND '.join(self.inbound)} → {self.outbound} ({self.use})"

    def __repr__(self) -> str:
        return f"<Check {self.headline()}>"

    def __str__(self) -> str:
        lines = [self.headline(), _wrap(self.explanation)]
        if self.conditions and self.verdict != "no":
            lines.append("conditions:")
            lines += [_wrap(f"- {c}") for c in self.conditions]
        if self.fixes:
            lines.append("fixes:")
            for f in self.fixes:
                what = "take" if f.get("kind") == "branch" else "outbound"
                lines.append(_wrap(f"- {what} {f['take']} ({f['verdict']}): {f['reason']}"))
        return "\n".join(lines)


class Explanation(Check):
    """A compatibility report printed in full: findings with their basis, choices, sources."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<Explanation {self.headline()}>"

    def __str__(self) -> str:
        lines = [self.headline(), _wrap(self.explanation), "", "findings:"]
        for f in self.findings:
            lines.append(f"  {f['inbound']} → {f['outbound']}: {f['verdict']}")
            lines.append(_wrap(f["explanation"], "      "))
            for c in f.get("conditions", []):
                lines.append(_wrap(f"- {c}", "      "))
            for b in f.get("basis", []):
                lines.append(f"      basis: {_cite(b)}")
        if self.conditions and self.verdict != "no":
            lines.append("conditions:")
            lines += [_wrap(f"- {c}") for c in self.conditions]
        lines += ["", "sources:"]
        for s in self.sources:
            lines.append(f"  {s['key']}: {s['title']} ({s['version']}) {s['url']}")
        return "\n".join(lines)


def _cite(c: Dict[str, Any]) -> str:
    out = str(c.get("source", ""))
    if c.get("clause"):
        out += f", {c['clause']}"
    if c.get("note"):
        out += f" [{c['note']}]"
    return out


class Recommendation(Result):
    """An outbound licence that accepts the inbound licences, with its rank's reason."""

    __slots__ = ()

    @property
    def licence(self) -> str:
        """The SPDX id."""
        return str(self._data["licence"])

    @property
    def category(self) -> str:
        """Its category (``permissive``, ``weak-copyleft-library``, ...)."""
        return str(self._data["category"])

    @property
    def verdict(self) -> str:
        """``yes``, or ``depends`` with conditions."""
        return str(self._data["verdict"])

    @property
    def reason(self) -> str:
        """Why it is recommended, and at this rank."""
        return str(self._data["reason"])

    @property
    def conditions(self) -> List[str]:
        """Conditions that come with it."""
        return list(self._data.get("conditions", []))

    def __repr__(self) -> str:
        return f"<Recommendation {self.licence} ({self.verdict})>"


class Licence(Result):
    """Everything the engine knows about a licence or exception, each fact with its basis."""

    __slots__ = ()

    @property
    def id(self) -> str:
        """The SPDX id."""
        return str(self._data["id"])

    @property
    def name(self) -> str:
        """The full name."""
        return str(self._data["name"])

    @property
    def category(self) -> str:
        """The category (``permissive``, ``strong-copyleft``, ...); its basis is in ``to_dict()``."""
        return str(self._data["category"]["value"])

    @property
    def osi_approved(self) -> bool:
        """Whether the SPDX list marks it OSI approved."""
        return bool(self._data["osi_approved"]["value"])

    @property
    def fsf_libre(self) -> bool:
        """Whether the SPDX list marks it FSF free."""
        return bool(self._data["fsf_libre"]["value"])

    @property
    def deprecated(self) -> bool:
        """Whether the id is deprecated on the SPDX list."""
        return bool(self._data["deprecated"])

    @property
    def obligations(self) -> List[str]:
        """What a user must do, with the clause."""
        return list(self._data.get("obligations", []))

    def __repr__(self) -> str:
        return f"<Licence {self.id}: {self.name} ({self.category})>"


class Identification(Result):
    """The SPDX licences found in a licence text."""

    __slots__ = ()

    @property
    def expression(self) -> Optional[str]:
        """The work's own licence(s), or None when no licence text matched."""
        e = self._data.get("expression")
        return None if e is None else str(e)

    @property
    def confidence(self) -> float:
        """The lowest match score (Dice coefficient, 0 to 1) among the licences in ``expression``."""
        return float(self._data["confidence"])

    @property
    def matches(self) -> List[Dict[str, Any]]:
        """Every licence found: id, score, lines (1-based), whether bundled, its component."""
        return copy.deepcopy(self._data["matches"])

    @property
    def bundled(self) -> List[Dict[str, Any]]:
        """Bundled components listed in the text, with their declared licences."""
        return copy.deepcopy(self._data["bundled"])

    def __repr__(self) -> str:
        extra = f", {len(self.bundled)} bundled" if self.bundled else ""
        return f"<Identification {self.expression} (confidence {self.confidence:.3f}{extra})>"
