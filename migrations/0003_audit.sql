-- 0003: the audit trail. Append-only (the triggers refuse UPDATE and DELETE) and hash-chained:
-- each entry's hash covers its fields and the previous entry's hash (domain/audit_chain.c), so
-- `haven audit verify` finds an entry that was changed, removed or slipped in.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL CHECK (length(at) = 24),  -- UTC, 2026-01-31T09:15:00.123Z
    user_id     INTEGER,                                -- users.id; NULL for anonymous
    user_email  TEXT NOT NULL COLLATE NOCASE CHECK (length(user_email) BETWEEN 1 AND 254),
    roles       TEXT NOT NULL CHECK (length(roles) <= 200),  -- comma-separated role names
    action      TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 32),
    record_type TEXT NOT NULL CHECK (length(record_type) BETWEEN 1 AND 32),
    record_id   TEXT CHECK (record_id IS NULL OR length(record_id) BETWEEN 1 AND 64),
    outcome     TEXT NOT NULL CHECK (outcome IN ('ok', 'denied', 'invalid', 'error')),
    client      TEXT NOT NULL CHECK (length(client) BETWEEN 1 AND 64),
    prev_hash   TEXT NOT NULL CHECK (length(prev_hash) = 64),
    hash        TEXT NOT NULL CHECK (length(hash) = 64)
) STRICT;
-- The screen's filters; each ends in id so "newest first" walks the index backwards.
CREATE INDEX audit_log_user ON audit_log (user_email, id);
CREATE INDEX audit_log_record ON audit_log (record_id, record_type, id);
CREATE INDEX audit_log_type ON audit_log (record_type, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_at ON audit_log (at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
