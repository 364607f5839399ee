-- 0019: transitions of a patient through the program (issue 9): a discharge with its reason from
-- the program's list and an aftercare note, a move to another track, a step up or down in the
-- level of care, and the end of an enrolment, each on the patient's timeline.
-- Writes: store/transitions.c; reads: store/patients.c.

-- The reason of a discharge made since this migration (completed, left against advice,
-- transferred to a higher level of care, moved away, other). discharge_reason keeps the reasons
-- of discharges made before it (its CHECK cannot be altered without rebuilding patients, which
-- half the schema refers to); a read takes whichever is set. Both are cleared on re-activation.
ALTER TABLE patients ADD COLUMN discharge_disposition TEXT
    CHECK (discharge_disposition IS NULL OR discharge_disposition IN
           ('completed', 'against-advice', 'transferred-higher', 'moved', 'other'));
-- What happens after the program: the plan handed over at discharge (characters).
ALTER TABLE patients ADD COLUMN aftercare_note TEXT
    CHECK (aftercare_note IS NULL OR length(aftercare_note) BETWEEN 1 AND 2000);

-- patient_events gains the program's kinds (a CHECK cannot be altered in SQLite: the table is
-- rebuilt as 0010 did; nothing refers to it): an enrolment ended from the chart, a move to
-- another track, a change of the level of care. Their detail is the enrolment's public id.
CREATE TABLE patient_events_new (
    id         INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    at         TEXT NOT NULL,
    by_user    INTEGER REFERENCES users (id),
    kind       TEXT NOT NULL CHECK (kind IN ('admitted', 'consent-signed', 'consent-revoked',
                                             'status', 'updated', 'status-change',
                                             'contact-updated', 'counsellor-changed',
                                             'enrolment-ended', 'track-moved', 'level-changed')),
    detail     TEXT CHECK (detail IS NULL OR length(detail) <= 200),
    from_value TEXT CHECK (from_value IS NULL OR length(from_value) <= 64),
    to_value   TEXT CHECK (to_value IS NULL OR length(to_value) <= 64),
    reason     TEXT CHECK (reason IS NULL OR length(reason) <= 500),
    on_date    TEXT
        CHECK (on_date IS NULL OR on_date GLOB '[12][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')
) STRICT;
INSERT INTO patient_events_new (id, patient_id, at, by_user, kind, detail, from_value, to_value,
                                reason, on_date)
    SELECT id, patient_id, at, by_user, kind, detail, from_value, to_value, reason, on_date
    FROM patient_events;
DROP TABLE patient_events;
ALTER TABLE patient_events_new RENAME TO patient_events;
CREATE INDEX patient_events_patient ON patient_events (patient_id, at);
