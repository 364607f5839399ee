-- 0011: the audit trail's keying cannot be rolled back without the key (0003 and 0009 stay as
-- they were applied in the field).
--
-- scheme 3: the keyed scheme that covers the entry's scheme in its HMAC (domain/audit_chain.h);
-- SQLite cannot widen a CHECK in place, so audit_log is rebuilt with the same rows, indexes and
-- append-only triggers (DROP TABLE fires no DELETE trigger).
CREATE TABLE audit_log_0011 (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL CHECK (length(at) = 24),
    user_id     INTEGER,
    user_email  TEXT NOT NULL COLLATE NOCASE CHECK (length(user_email) BETWEEN 1 AND 254),
    roles       TEXT NOT NULL CHECK (length(roles) <= 200),
    action      TEXT NOT NULL CHECK (length(action) BETWEEN 1 AND 32),
    record_type TEXT NOT NULL CHECK (length(record_type) BETWEEN 1 AND 32),
    record_id   TEXT CHECK (record_id IS NULL OR length(record_id) BETWEEN 1 AND 64),
    outcome     TEXT NOT NULL CHECK (outcome IN ('ok', 'denied', 'invalid', 'error')),
    client      TEXT NOT NULL CHECK (length(client) BETWEEN 1 AND 64),
    prev_hash   TEXT NOT NULL CHECK (length(prev_hash) = 64),
    hash        TEXT NOT NULL CHECK (length(hash) = 64),
    scheme      INTEGER NOT NULL DEFAULT 1 CHECK (scheme IN (1, 2, 3))
) STRICT;
INSERT INTO audit_log_0011 (id, at, user_id, user_email, roles, action, record_type, record_id,
                            outcome, client, prev_hash, hash, scheme)
SELECT id, at, user_id, user_email, roles, action, record_type, record_id, outcome, client,
       prev_hash, hash, scheme
FROM audit_log ORDER BY id;
DROP TABLE audit_log;
ALTER TABLE audit_log_0011 RENAME TO audit_log;
CREATE INDEX audit_log_user ON audit_log (user_email, id);
CREATE INDEX audit_log_record ON audit_log (record_id, record_type, id);
CREATE INDEX audit_log_type ON audit_log (record_type, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_action_type ON audit_log (action, record_type, id);
CREATE INDEX audit_log_user_action ON audit_log (user_email, action, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- first_keyed_id: the first keyed entry's id (NULL: none yet). No unkeyed entry may sit at or
-- after it, and the head MAC covers it (mac_scheme 2), so relabelling the trail unkeyed cannot
-- hide where keying began while the anchor is sealed.
-- mac_scheme: 1 = the MAC covers (last_id, last_hash) only (written by 0009's code; still
-- verified, and replaced by form 2 on the next append); 2 = it covers first_keyed_id too.
ALTER TABLE audit_head ADD COLUMN first_keyed_id INTEGER
    CHECK (first_keyed_id IS NULL OR first_keyed_id >= 1);
ALTER TABLE audit_head ADD COLUMN mac_scheme INTEGER NOT NULL DEFAULT 1 CHECK (mac_scheme IN (1, 2));
UPDATE audit_head SET first_keyed_id = (SELECT min(id) FROM audit_log WHERE scheme <> 1);
