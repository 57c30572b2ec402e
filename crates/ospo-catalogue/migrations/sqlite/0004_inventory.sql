-- The open-source inventory: the lab's services, the components they use (deduplicated: one
-- row per distinct package version with its licence data), dated snapshots of that use (one per
-- ingest), and the latest snapshot's edges of each service kept apart in inventory_current, so
-- where-used and policy questions read one narrow table instead of the whole history.
CREATE TABLE inventory_services (
    id           INTEGER PRIMARY KEY,
    slug         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    owner        TEXT NOT NULL,
    criticality  TEXT NOT NULL CHECK (criticality IN ('critical', 'important', 'standard')),
    exposure     TEXT NOT NULL CHECK (exposure IN ('internal', 'external')),
    description  TEXT NOT NULL,
    links        TEXT NOT NULL,
    project      TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX inventory_services_by_context ON inventory_services (criticality, exposure);

CREATE TABLE inventory_components (
    id                   INTEGER PRIMARY KEY,
    fingerprint          TEXT NOT NULL UNIQUE,
    package              TEXT NOT NULL,
    name                 TEXT NOT NULL,
    name_key             TEXT NOT NULL,
    version              TEXT,
    ecosystem            TEXT,
    purl                 TEXT,
    declared_expression  TEXT,
    declared_how         TEXT,
    declared_raw         TEXT,
    declared_confidence  INTEGER,
    concluded_expression TEXT,
    concluded_how        TEXT,
    concluded_raw        TEXT,
    concluded_confidence INTEGER,
    supplier             TEXT,
    licence              TEXT,
    category             TEXT NOT NULL
);
CREATE INDEX inventory_components_by_name ON inventory_components (name_key);
CREATE INDEX inventory_components_by_package ON inventory_components (package);
CREATE INDEX inventory_components_by_category ON inventory_components (category);

CREATE TABLE inventory_snapshots (
    id           INTEGER PRIMARY KEY,
    service_id   INTEGER NOT NULL REFERENCES inventory_services(id) ON DELETE CASCADE,
    taken_on     TEXT NOT NULL,
    ingested_at  TEXT NOT NULL,
    actor        TEXT NOT NULL,
    sources      TEXT NOT NULL,
    warnings     TEXT NOT NULL,
    usages       INTEGER NOT NULL
);
CREATE INDEX inventory_snapshots_by_service ON inventory_snapshots (service_id, taken_on, id);

CREATE TABLE inventory_usages (
    snapshot_id   INTEGER NOT NULL REFERENCES inventory_snapshots(id) ON DELETE CASCADE,
    component_id  INTEGER NOT NULL REFERENCES inventory_components(id),
    relation      TEXT NOT NULL,
    scope         TEXT NOT NULL,
    PRIMARY KEY (snapshot_id, component_id)
) WITHOUT ROWID;
CREATE INDEX inventory_usages_by_component ON inventory_usages (component_id);

CREATE TABLE inventory_current (
    service_id    INTEGER NOT NULL REFERENCES inventory_services(id) ON DELETE CASCADE,
    component_id  INTEGER NOT NULL REFERENCES inventory_components(id),
    snapshot_id   INTEGER NOT NULL REFERENCES inventory_snapshots(id) ON DELETE CASCADE,
    relation      TEXT NOT NULL,
    scope         TEXT NOT NULL,
    -- Copies of the component's licence category and the service's context, kept in step by
    -- ingest and by service edits, so "critical services with strong copyleft" is one index
    -- range instead of a join over every edge of the category.
    category      TEXT NOT NULL,
    criticality   TEXT NOT NULL,
    exposure      TEXT NOT NULL,
    PRIMARY KEY (service_id, component_id)
) WITHOUT ROWID;
CREATE INDEX inventory_current_by_component ON inventory_current (component_id);
CREATE INDEX inventory_current_by_criticality ON inventory_current (category, criticality, service_id);
CREATE INDEX inventory_current_by_exposure ON inventory_current (category, exposure, service_id);

CREATE TABLE inventory_reviews (
    service_id  INTEGER NOT NULL REFERENCES inventory_services(id) ON DELETE CASCADE,
    rule        TEXT NOT NULL,
    package     TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('open', 'accepted', 'to-fix')),
    reason      TEXT NOT NULL,
    actor       TEXT NOT NULL,
    at          TEXT NOT NULL,
    PRIMARY KEY (service_id, rule, package)
);
