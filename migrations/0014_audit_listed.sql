-- 0014: one `list` entry per list view, naming the records it showed (0003, 0009 and 0011 stay
-- as they were applied in the field).
--
-- scheme 4: the keyed scheme whose HMAC covers the entry's listing too (domain/audit_chain.h).
-- SQLite cannot widen a CHECK in place, so audit_log is rebuilt with the same rows, indexes and
-- append-only triggers (DROP TABLE fires no DELETE trigger), as 0011 did. Every row keeps its
-- scheme and hash, and no entry has a listing yet, so every existing trail verifies as before.
CREATE TABLE audit_log_0014 (
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
    scheme      INTEGER NOT NULL DEFAULT 1 CHECK (scheme IN (1, 2, 3, 4))
) STRICT;
INSERT INTO audit_log_0014 (id, at, user_id, user_email, roles, action, record_type, record_id,
                            outcome, client, prev_hash, hash, scheme)
SELECT id, at, user_id, user_email, roles, action, record_type, record_id, outcome, client,
       prev_hash, hash, scheme
FROM audit_log ORDER BY id;
DROP TABLE audit_log;
ALTER TABLE audit_log_0014 RENAME TO audit_log;
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

-- A list entry's records: one row per record the list showed, in the order shown (pos 0, 1 ...),
-- written in the same transaction as the entry (store/audit.c). The entry's hash covers them
-- (scheme 4), and the verify walk reads them in step with the entries, so a row changed,
-- removed, added or left without its entry breaks the trail. No foreign key: a later rebuild of
-- audit_log (as above) would have to delete through it; the walk checks what a key would.
CREATE TABLE audit_listed (
    entry_id  INTEGER NOT NULL CHECK (entry_id >= 1),               -- audit_log.id
    pos       INTEGER NOT NULL CHECK (pos >= 0),
    record_id TEXT NOT NULL CHECK (length(record_id) BETWEEN 1 AND 64),
    PRIMARY KEY (entry_id, pos)
) STRICT;
-- "Who saw this record": the trail's record filter finds the lists that showed it through this
-- index, newest first (store/audit.c, filter_sql).
CREATE INDEX audit_listed_record ON audit_listed (record_id, entry_id);
CREATE TRIGGER audit_listed_no_update BEFORE UPDATE ON audit_listed
BEGIN
    SELECT RAISE(ABORT, 'audit_listed is append-only');
END;
CREATE TRIGGER audit_listed_no_delete BEFORE DELETE ON audit_listed
BEGIN
    SELECT RAISE(ABORT, 'audit_listed is append-only');
END;
