-- 0002: staff accounts, their roles, sessions, sign-in throttling, one-time set-password
-- tokens, second-factor recovery codes and the workspace's settings. Secrets are stored hashed
-- (argon2id for passwords, SHA-256 for high-entropy random tokens); times are UTC ISO-8601.
CREATE TABLE users (
    id             INTEGER PRIMARY KEY,
    public_id      TEXT NOT NULL UNIQUE CHECK (length(public_id) = 32),
    email          TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(email) BETWEEN 3 AND 254),
    name           TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    password_hash  TEXT,                       -- argon2id string; NULL until set
    totp_secret    TEXT CHECK (totp_secret IS NULL OR length(totp_secret) = 40), -- hex
    totp_enabled   INTEGER NOT NULL DEFAULT 0 CHECK (totp_enabled IN (0, 1)),
    totp_last_step INTEGER NOT NULL DEFAULT 0, -- refuses a code's second use (RFC 6238 §5.2)
    disabled       INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at     TEXT NOT NULL,
    failed_count   INTEGER NOT NULL DEFAULT 0 CHECK (failed_count >= 0),
    locked_until   TEXT
) STRICT;

CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    TEXT NOT NULL
            CHECK (role IN ('admin', 'clinician', 'admissions', 'medical', 'billing', 'auditor')),
    PRIMARY KEY (user_id, role)
) STRICT, WITHOUT ROWID;

CREATE TABLE password_tokens (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64), -- SHA-256 hex
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
) STRICT;
CREATE INDEX password_tokens_user ON password_tokens (user_id);

CREATE TABLE sessions (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64), -- SHA-256 hex
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    last_seen   TEXT NOT NULL,
    csrf        TEXT NOT NULL CHECK (length(csrf) = 64),
    mfa_pending INTEGER NOT NULL CHECK (mfa_pending IN (0, 1)),
    client      TEXT NOT NULL
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE ip_throttle (
    ip           TEXT PRIMARY KEY,
    failed_count INTEGER NOT NULL DEFAULT 0 CHECK (failed_count >= 0),
    last_failure TEXT NOT NULL,
    locked_until TEXT
) STRICT;

CREATE TABLE recovery_codes (
    id        INTEGER PRIMARY KEY,
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL CHECK (length(code_hash) = 64), -- SHA-256 hex
    used_at   TEXT
) STRICT;
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
INSERT INTO settings (key, value) VALUES ('require_totp', '0');
