-- Browser sessions after a single sign-on or token login. The cookie's secret is stored only as
-- a SHA-256 hash; the CSRF token is per session (synchronizer token for the website's forms).
CREATE TABLE sessions (
    hash        TEXT PRIMARY KEY,
    account     TEXT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    csrf        TEXT NOT NULL,
    via         TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  BIGINT NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account);
