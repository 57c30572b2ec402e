-- The disclosure and contribution workflow. Each request is stored as its full document (the
-- domain model's JSON) beside the columns queues and reports filter on; `version` guards
-- against lost updates. Transitions and reviews are also kept as rows of their own, and every
-- change leaves messages in the notifications outbox, written in the same transaction.
CREATE TABLE disclosures (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    version          BIGINT NOT NULL,
    title            TEXT NOT NULL,
    kind             TEXT NOT NULL,
    state            TEXT NOT NULL,
    office           TEXT NOT NULL,
    submitter        TEXT NOT NULL,
    catalogue_entry  TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    submitted_at     TEXT,
    decided_at       TEXT,
    document         TEXT NOT NULL
);
CREATE INDEX disclosures_by_submitter ON disclosures (submitter, id);
CREATE INDEX disclosures_by_queue ON disclosures (office, state, id);

CREATE TABLE disclosure_transitions (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    disclosure_id  BIGINT NOT NULL REFERENCES disclosures(id) ON DELETE CASCADE,
    from_state     TEXT NOT NULL,
    to_state       TEXT NOT NULL,
    step           TEXT NOT NULL,
    actor          TEXT NOT NULL,
    at             TEXT NOT NULL,
    action         TEXT NOT NULL
);
CREATE INDEX disclosure_transitions_by_disclosure ON disclosure_transitions (disclosure_id, id);

CREATE TABLE disclosure_reviews (
    disclosure_id  BIGINT NOT NULL REFERENCES disclosures(id) ON DELETE CASCADE,
    unit           TEXT NOT NULL,
    reviewer       TEXT NOT NULL,
    complete       BOOLEAN NOT NULL,
    at             TEXT NOT NULL,
    review         TEXT NOT NULL,
    PRIMARY KEY (disclosure_id, unit)
);

CREATE TABLE contribution_requests (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    version          BIGINT NOT NULL,
    requester        TEXT NOT NULL,
    project_name     TEXT NOT NULL,
    outside_physics  BOOLEAN NOT NULL,
    significant      BOOLEAN NOT NULL,
    verdict          TEXT,
    created_at       TEXT NOT NULL,
    advised_at       TEXT,
    document         TEXT NOT NULL
);
CREATE INDEX contribution_requests_by_requester ON contribution_requests (requester, id);

CREATE TABLE notifications (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at   TEXT NOT NULL,
    event        TEXT NOT NULL,
    entity_kind  TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    recipient    TEXT NOT NULL,
    subject      TEXT NOT NULL,
    body         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    webhook_at   TEXT,
    email_at     TEXT,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT
);
CREATE INDEX notifications_by_entity ON notifications (entity_kind, entity_id, id);
