"""ospo: licence compatibility that cites its sources, licence audits of Python environments and
lock files, and the OSPO catalogue, from Python.

>>> import ospo
>>> ospo.check("MIT AND LGPL-2.1-or-later", "Apache-2.0", use="static-link").verdict
'depends'

The verdicts are the ``ospo`` command's: one Rust engine answers both.
"""

from __future__ import annotations

from typing import List, Optional, Sequence, Union

from . import _ospo
from ._audit import Audit, Distribution, audit_environment, audit_files, audit_names, resolve
from ._catalogue import Catalogue, Hit, SearchResults, open_catalogue
from ._ospo import (
    SPDX_LIST_VERSION,
    CatalogueError,
    ExpressionError,
    InputError,
    MetadataError,
    OspoError,
    UnknownLicenceError,
)
from ._results import Check, Explanation, Identification, Licence, Recommendation

__version__ = _ospo.__version__

__all__ = [
    "SPDX_LIST_VERSION",
    "Audit",
    "Catalogue",
    "CatalogueError",
    "Check",
    "Distribution",
    "Explanation",
    "ExpressionError",
    "Hit",
    "Identification",
    "InputError",
    "Licence",
    "MetadataError",
    "OspoError",
    "Recommendation",
    "SearchResults",
    "UnknownLicenceError",
    "audit_environment",
    "audit_files",
    "audit_names",
    "check",
    "explain",
    "identify",
    "licence",
    "open_catalogue",
    "read",
    "recommend",
    "resolve",
]

Inbound = Union[str, Sequence[str]]


def _inbound(inbound: Inbound) -> List[str]:
    if isinstance(inbound, str):
        return [inbound]
    items = list(inbound)
    if not all(isinstance(i, str) for i in items):
        raise InputError("inbound: expected an expression or a list of expressions (str)")
    return items


def check(inbound: Inbound, outbound: str, use: str = "dynamic-link", *, strict: bool = False) -> Check:
    """May code under ``inbound`` (one expression, or several that all apply) be used in a work
    under ``outbound`` for ``use`` (``merged``, ``static-link``, ``dynamic-link``, ``separate``,
    ``network``)? Real-world strings (``Apache 2.0``) are read leniently unless ``strict``.

    Raises ``ExpressionError`` for an expression that cannot be read (with the column),
    ``UnknownLicenceError`` for an outbound licence the engine does not know, ``InputError``
    for an unknown use."""
    return Check(_ospo.check(_inbound(inbound), outbound, use, strict))


def explain(inbound: Inbound, outbound: str, use: str = "dynamic-link", *, strict: bool = False) -> Explanation:
    """As :func:`check`; ``str()`` of the result prints every finding with its basis and the
    sources, as ``ospo licence explain``."""
    return Explanation(_ospo.check(_inbound(inbound), outbound, use, strict))


def recommend(
    inbound: Inbound,
    use: str = "dynamic-link",
    *,
    prefer: Optional[str] = None,
    kind: Optional[str] = None,
) -> List[Recommendation]:
    """Outbound licences that accept ``inbound`` for ``use``, best first; ``prefer`` is
    ``permissive``, ``weak-copyleft`` or ``strong-copyleft``; ``kind`` is ``software`` or
    ``hardware``."""
    r = _ospo.recommend(_inbound(inbound), use, prefer, kind)
    return [Recommendation(x) for x in r["recommendations"]]


def licence(id: str) -> Licence:
    """Everything the engine knows about a licence or exception (category, OSI/FSF status,
    patent grant, obligations), each fact with its basis. Raises ``UnknownLicenceError``
    (with the closest id) for an id not on the SPDX list."""
    return Licence(_ospo.licence(id))


def identify(text: str) -> Identification:
    """The SPDX licences in a licence text (a LICENSE file, a ``License`` metadata field), with
    the confidence of the match and the bundled components kept apart."""
    if not isinstance(text, str):
        raise InputError("identify: expected the licence text as str")
    return Identification(_ospo.identify(text))


def read(text: str, *, strict: bool = False) -> str:
    """A licence string as a normalised SPDX expression (``Apache 2.0`` -> ``Apache-2.0``);
    raises ``ExpressionError`` when it cannot be read."""
    return str(_ospo.read(text, strict)["expression"])
