-- The catalogue: one row per project with its full document, facet rows for filtering,
-- an FTS5 index for text search, the audit log, and a generation counter that tells
-- servers sharing the database when their caches are stale.
CREATE TABLE projects (
    slug        TEXT PRIMARY KEY,
    version     BIGINT NOT NULL,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    summary     TEXT NOT NULL,
    licence     TEXT,
    document    TEXT NOT NULL,
    search_text TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE project_facets (
    slug   TEXT NOT NULL REFERENCES projects(slug) ON DELETE CASCADE,
    facet  TEXT NOT NULL,
    value  TEXT NOT NULL,
    PRIMARY KEY (slug, facet, value)
);
CREATE INDEX project_facets_by_value ON project_facets (facet, value);

CREATE VIRTUAL TABLE project_text USING fts5(
    slug UNINDEXED, name, summary, body,
    tokenize = 'porter unicode61 remove_diacritics 2'
);

CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    at           TEXT NOT NULL,
    actor        TEXT NOT NULL,
    entity_kind  TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    action       TEXT NOT NULL,
    entry        TEXT NOT NULL
);
CREATE INDEX audit_log_by_entity ON audit_log (entity_kind, entity_id, id);

CREATE TABLE catalogue_meta (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    generation  BIGINT NOT NULL
);
INSERT INTO catalogue_meta (id, generation) VALUES (1, 0);
