"""The catalogue from Python: the local database through Rust, a server through its JSON API."""

from __future__ import annotations

from pathlib import Path

import ospo
import pytest


def test_local_search(seeded_db: Path) -> None:
    cat = ospo.open_catalogue(str(seeded_db))
    r = cat.search("timing", facets={"kind": "hardware"}, limit=5)
    assert r.total > 0 and 0 < len(r) <= 5
    assert all(h.kind == "hardware" for h in r.hits)
    assert repr(r.hits[0]).startswith("<Hit ")
    slug = r.hits[0].slug
    p = cat.get(slug)
    assert p is not None and p["slug"] == slug
    assert cat.get("no-such-project") is None
    assert cat.stats()["projects"] >= 187


def test_server_gives_the_same_answers(seeded_db: Path, server: str) -> None:
    local = ospo.open_catalogue(str(seeded_db)).search("timing", facets=["kind:hardware"], limit=5)
    remote = ospo.open_catalogue(server).search("timing", facets=["kind:hardware"], limit=5)
    assert [h.slug for h in remote.hits] == [h.slug for h in local.hits]
    assert remote.total == local.total
    c = ospo.open_catalogue(server)
    assert c.get(local.hits[0].slug)["name"] == local.hits[0].name  # type: ignore[index]
    assert c.get("no-such-project") is None


def test_catalogue_errors(tmp_path: Path, server: str) -> None:
    with pytest.raises(ospo.CatalogueError, match="no catalogue database there"):
        ospo.open_catalogue(str(tmp_path / "missing.db"))
    with pytest.raises(ospo.InputError, match="expected NAME:VALUE"):
        ospo.open_catalogue(server).search(facets=["hardware"])
    with pytest.raises(ospo.InputError, match="from 1 to 200"):
        ospo.open_catalogue(server).search(limit=0)
    with pytest.raises(ospo.CatalogueError, match="127.0.0.1:9"):
        ospo.open_catalogue("http://127.0.0.1:9").search("x")
