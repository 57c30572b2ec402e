"""The OSPO catalogue: a local database opened through the Rust catalogue, or a server's JSON
API (``GET /api/projects``) over HTTP. Both give the same results."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

from . import _ospo
from ._ospo import CatalogueError, InputError
from ._results import Result

Facets = Union[Mapping[str, str], Sequence[str], None]


class Hit(Result):
    """One project found by a search."""

    __slots__ = ()

    @property
    def slug(self) -> str:
        """The project's slug (its id in the catalogue)."""
        return str(self._data["slug"])

    @property
    def name(self) -> str:
        """The project's name."""
        return str(self._data["name"])

    @property
    def kind(self) -> str:
        """``software``, ``hardware`` or both."""
        return str(self._data["kind"])

    @property
    def summary(self) -> str:
        """Its summary."""
        return str(self._data["summary"])

    @property
    def licence(self) -> Optional[str]:
        """Its licence expression."""
        lic = self._data.get("licence")
        return None if lic is None else str(lic)

    @property
    def score(self) -> float:
        """Relevance (higher is better); 0 without a text query."""
        return float(self._data.get("score", 0.0))

    def __repr__(self) -> str:
        return f"<Hit {self.slug}: {self.name} ({self.kind}, {self.licence})>"


class SearchResults(Result):
    """A page of search results with facet counts."""

    __slots__ = ()

    @property
    def total(self) -> int:
        """How many projects match."""
        return int(self._data["total"])

    @property
    def hits(self) -> List[Hit]:
        """This page's projects, best first."""
        return [Hit(h) for h in self._data["hits"]]

    @property
    def facets(self) -> Dict[str, List[Dict[str, Any]]]:
        """For each facet, its values among the matches with their counts."""
        return dict(self._data.get("facets", {}))

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self._data["hits"])

    def __repr__(self) -> str:
        return f"<SearchResults {len(self)} of {self.total}>"


def _filters(facets: Facets) -> List[Tuple[str, str]]:
    if facets is None:
        return []
    if isinstance(facets, Mapping):
        return [(str(k), str(v)) for k, v in facets.items()]
    out = []
    for f in facets:
        if ":" not in f and "=" not in f:
            raise InputError(f"facet '{f}': expected NAME:VALUE, e.g. kind:hardware")
        k, v = f.replace("=", ":", 1).split(":", 1)
        out.append((k, v))
    return out


class Catalogue:
    """A catalogue to search: see :func:`open_catalogue`."""

    def __init__(self, location: str) -> None:
        self.location = location
        self._local: Optional[_ospo.LocalCatalogue] = None
        if not location.startswith(("http://", "https://")):
            path = location[len("sqlite://") :] if location.startswith("sqlite://") else location
            if not location.startswith(("postgres://", "postgresql://")) and not os.path.exists(path):
                raise CatalogueError(
                    f"{path}: no catalogue database there (create one with `ospo catalogue seed`)"
                )
            self._local = _ospo.LocalCatalogue(location)

    def _get(self, route: str, params: Sequence[Tuple[str, str]] = ()) -> Any:
        url = self.location.rstrip("/") + route
        if params:
            url += "?" + urllib.parse.urlencode(list(params))
        req = urllib.request.Request(url, headers={"Accept": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return json.loads(r.read().decode("utf-8"))
        except urllib.error.HTTPError as e:
            if e.code == 404:
                return None
            detail = ""
            try:
                detail = json.loads(e.read().decode("utf-8")).get("detail", "")
            except (ValueError, AttributeError):
                pass
            raise CatalogueError(f"{url}: HTTP {e.code}: {detail or e.reason}") from e
        except (urllib.error.URLError, OSError, ValueError) as e:
            raise CatalogueError(f"{url}: {getattr(e, 'reason', e)}") from e

    def search(self, text: str = "", facets: Facets = None, limit: int = 20, offset: int = 0) -> SearchResults:
        """Projects matching ``text`` (words matched as prefixes, all must match) and the facet
        filters (``{"kind": "hardware"}`` or ``["kind:hardware"]``), best first."""
        if not 1 <= limit <= 200:
            raise InputError(f"limit {limit}: expected a number from 1 to 200")
        filters = _filters(facets)
        if self._local is not None:
            return SearchResults(self._local.search(text, filters, limit, offset))
        params = [("q", text), ("limit", str(limit)), ("offset", str(offset))]
        params += [("facet", f"{k}:{v}") for k, v in filters]
        return SearchResults(self._get("/api/projects", params))

    def get(self, slug: str) -> Optional[Dict[str, Any]]:
        """One project with every field, or None."""
        if self._local is not None:
            return self._local.get(slug)
        p = self._get("/api/projects/" + urllib.parse.quote(slug, safe=""))
        return None if p is None else dict(p)

    def stats(self) -> Dict[str, Any]:
        """Projects and facet counts."""
        if self._local is not None:
            return self._local.stats()
        return dict(self._get("/api/stats"))

    def __repr__(self) -> str:
        return f"<Catalogue {self.location}>"


def default_database() -> str:
    """``$OSPO_DATABASE``, else ``$XDG_DATA_HOME/ospo/catalogue.db`` or
    ``~/.local/share/ospo/catalogue.db``, as the ``ospo`` command."""
    if os.environ.get("OSPO_DATABASE"):
        return os.environ["OSPO_DATABASE"]
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(base) / "ospo" / "catalogue.db")


def open_catalogue(location: Optional[str] = None) -> Catalogue:
    """Opens a catalogue: a database file, ``sqlite://PATH``, ``postgres://...`` or a server URL
    (``http://host:8080``); by default the ``ospo`` command's database."""
    return Catalogue(location or default_database())
