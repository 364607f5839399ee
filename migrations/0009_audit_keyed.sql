-- 0009: the audit trail keyed and anchored (0003 stays as it was applied in the field).
-- scheme: how the entry's hash was made (domain/audit_chain.h): 1 = SHA-256 (every entry written
-- before this migration), 2 = HMAC-SHA-256 under a key derived from the secret key file.
ALTER TABLE audit_log ADD COLUMN scheme INTEGER NOT NULL DEFAULT 1 CHECK (scheme IN (1, 2));

-- The head anchor: the newest entry's id and hash, kept outside audit_log and updated in the
-- same transaction as each append, with a MAC over (last_id, last_hash) under the audit key
-- (NULL until a process holding the key has sealed it). Deleting the newest entries leaves the
-- anchor naming an entry that is gone; without the key the anchor cannot be forged to match.
CREATE TABLE audit_head (
    one       INTEGER PRIMARY KEY CHECK (one = 1),               -- a single row
    last_id   INTEGER NOT NULL CHECK (last_id >= 0),              -- 0: the trail is empty
    last_hash TEXT NOT NULL CHECK (length(last_hash) = 64),
    mac       TEXT CHECK (mac IS NULL OR length(mac) = 64)
) STRICT;
INSERT INTO audit_head (one, last_id, last_hash, mac)
SELECT 1, coalesce(max(id), 0),
       coalesce((SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), printf('%064d', 0)), NULL
FROM audit_log;

-- The screen's filters (sqlite_audit.c, filter_sql): dates become a range of ids, so every
-- combination is equalities on an index's leading columns plus a range of id. These two cover
-- the combinations of two low-selectivity filters that otherwise read a row per index entry
-- ("exports of referrals", "what did this user export"); with them no shape of the 64 scans
-- the table, and on 1M entries each count (capped at 10,001) and page stays under 10 ms.
CREATE INDEX audit_log_action_type ON audit_log (action, record_type, id);
CREATE INDEX audit_log_user_action ON audit_log (user_email, action, id);
