-- 0010: changing a patient after admission: status changes (on hold, discharged with a date and a
-- reason, re-activated) and edits of the contact details and the primary counsellor, each with a
-- timeline entry. Rules: domain/patient_flow.c; writes: store/sqlite_patient_edit.c.

-- The discharge in force: set together when the status becomes "discharged", cleared together
-- when a discharged patient is re-activated (the timeline keeps every earlier one).
ALTER TABLE patients ADD COLUMN discharge_date TEXT
    CHECK (discharge_date IS NULL OR discharge_date GLOB '[12][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]');
ALTER TABLE patients ADD COLUMN discharge_reason TEXT
    CHECK (discharge_reason IS NULL OR discharge_reason IN
           ('completed', 'stepped-up', 'stepped-down', 'against-advice', 'transferred', 'other'));
ALTER TABLE patients ADD COLUMN discharge_note TEXT
    CHECK (discharge_note IS NULL OR length(discharge_note) BETWEEN 1 AND 500);
ALTER TABLE patients ADD COLUMN updated_at TEXT;

-- patient_events gains the new kinds (a CHECK cannot be altered in SQLite: the table is rebuilt;
-- nothing refers to it) and the columns a change needs: the value before and after (statuses;
-- the counsellor's public user id), the note, and the date a discharge took effect.
CREATE TABLE patient_events_new (
    id         INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    at         TEXT NOT NULL,
    by_user    INTEGER REFERENCES users (id),
    kind       TEXT NOT NULL CHECK (kind IN ('admitted', 'consent-signed', 'consent-revoked',
                                             'status', 'updated', 'status-change',
                                             'contact-updated', 'counsellor-changed')),
    detail     TEXT CHECK (detail IS NULL OR length(detail) <= 200),
    from_value TEXT CHECK (from_value IS NULL OR length(from_value) <= 64),
    to_value   TEXT CHECK (to_value IS NULL OR length(to_value) <= 64),
    reason     TEXT CHECK (reason IS NULL OR length(reason) <= 500),
    on_date    TEXT
        CHECK (on_date IS NULL OR on_date GLOB '[12][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')
) STRICT;
INSERT INTO patient_events_new (id, patient_id, at, by_user, kind, detail)
    SELECT id, patient_id, at, by_user, kind, detail FROM patient_events;
DROP TABLE patient_events;
ALTER TABLE patient_events_new RENAME TO patient_events;
CREATE INDEX patient_events_patient ON patient_events (patient_id, at);
