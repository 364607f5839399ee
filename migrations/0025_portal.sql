-- 0025: the patient portal's foundation (issue 11): a patient's access (one account per
-- patient, made when they accept an invitation from the chart), the invitations themselves, the
-- patients' own sessions (apart from the staff's: another cookie, another table) and the daily
-- check-ins. Secrets are kept hashed as the staff's are: the passphrase as an argon2id string,
-- invitation and session tokens as the SHA-256 hex of 256 random bits. Times are UTC ISO-8601.
-- Writes and reads: store/portal.c, store/portal_checkins.c.

-- A patient's access. The patient chose the username when accepting (their e-mail when they
-- have one, or any name: patients may have no e-mail); it is unique whatever its case. A
-- revoked account opens nothing until a new invitation is accepted, which gives it a new
-- username and passphrase and clears the revocation.
CREATE TABLE portal_accounts (
    id            INTEGER PRIMARY KEY,
    patient_id    INTEGER NOT NULL UNIQUE REFERENCES patients (id),
    username      TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(username) BETWEEN 3 AND 64),
    password_hash TEXT NOT NULL CHECK (length(password_hash) BETWEEN 1 AND 127),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    revoked_at    TEXT,
    revoked_by    INTEGER REFERENCES users (id),
    failed_count  INTEGER NOT NULL DEFAULT 0 CHECK (failed_count >= 0),
    locked_until  TEXT
) STRICT;

-- One-time links, valid 72 hours. A new one voids the patient's earlier ones (voided_at), an
-- accepted one is used (used_at); either way it opens nothing again.
CREATE TABLE portal_invites (
    id         INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT,
    voided_at  TEXT
) STRICT;
CREATE INDEX portal_invites_patient ON portal_invites (patient_id);

-- A patient's session: shared (the patient said "I'm on a shared device") ends sooner and its
-- cookie goes when the browser closes. Revoking the account deletes its sessions.
CREATE TABLE portal_sessions (
    id         INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    account_id INTEGER NOT NULL REFERENCES portal_accounts (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    last_seen  TEXT NOT NULL,
    csrf       TEXT NOT NULL CHECK (length(csrf) = 64),
    shared     INTEGER NOT NULL CHECK (shared IN (0, 1)),
    client     TEXT NOT NULL
) STRICT;
CREATE INDEX portal_sessions_account ON portal_sessions (account_id);

-- A daily check-in (domain/checkin.h: the rules of each answer). day is the clinic's date when
-- it was made; triggers the names the patient ticked, from the clinic's list as it was then, as
-- a JSON array of strings; used 'unsaid' is "prefer not to say".
CREATE TABLE checkins (
    id         INTEGER PRIMARY KEY,
    public_id  TEXT NOT NULL UNIQUE CHECK (length(public_id) = 32),
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    at         TEXT NOT NULL,
    day        TEXT NOT NULL CHECK (day GLOB '[12][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    craving    INTEGER NOT NULL CHECK (craving BETWEEN 0 AND 10),
    mood       TEXT NOT NULL CHECK (mood IN ('very-low', 'low', 'okay', 'good', 'very-good')),
    sleep      TEXT NOT NULL CHECK (sleep IN ('very-poor', 'poor', 'fair', 'good', 'very-good')),
    triggers   TEXT NOT NULL CHECK (length(triggers) BETWEEN 2 AND 2000),
    used       TEXT NOT NULL CHECK (used IN ('yes', 'no', 'unsaid')),
    confidence INTEGER NOT NULL CHECK (confidence BETWEEN 0 AND 10),
    note       TEXT CHECK (note IS NULL OR length(note) BETWEEN 1 AND 1000)
) STRICT;
CREATE INDEX checkins_patient ON checkins (patient_id, at);

-- The clinic's settings for the portal (not clinical cut-offs): days of access after a
-- discharge, and the triggers a check-in offers (comma-separated). portal_craving_alert has no
-- default on purpose: the clinic chooses the craving level that alerts the counsellor, if any.
INSERT OR IGNORE INTO settings (key, value) VALUES ('portal_aftercare_days', '30');
INSERT OR IGNORE INTO settings (key, value) VALUES ('portal_triggers',
    'Stress, People, Places, Boredom, Conflict, Pain, Loneliness, Celebration');
