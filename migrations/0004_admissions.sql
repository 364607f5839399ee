-- 0004: admissions work on referrals (assignment, status history, call log), the intake that
-- confirms the level of care, patients, their 42 CFR Part 2 consents and their timeline.
-- Times are UTC ISO-8601 text ("YYYY-MM-DDTHH:MM:SSZ"); dates are "YYYY-MM-DD".

ALTER TABLE referrals ADD COLUMN assigned_to INTEGER REFERENCES users (id);
ALTER TABLE referrals ADD COLUMN closed_reason TEXT
    CHECK (closed_reason IS NULL OR closed_reason IN
           ('referred-elsewhere', 'not-reached', 'declined', 'duplicate'));
ALTER TABLE referrals ADD COLUMN updated_at TEXT;
-- The first call attempt stops the "overdue" clock (domain/referral_flow.c).
ALTER TABLE referrals ADD COLUMN first_call_at TEXT;
ALTER TABLE referrals ADD COLUMN next_follow_up TEXT
    CHECK (next_follow_up IS NULL OR next_follow_up GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]');
CREATE INDEX referrals_assigned ON referrals (assigned_to, status);

-- Every change of a referral: status (with its reason), assignment, intake, admission.
CREATE TABLE referral_events (
    id          INTEGER PRIMARY KEY,
    referral_id INTEGER NOT NULL REFERENCES referrals (id),
    at          TEXT NOT NULL,
    by_user     INTEGER REFERENCES users (id),
    kind        TEXT NOT NULL CHECK (kind IN ('status', 'assign', 'call', 'intake', 'admit')),
    from_status TEXT,
    to_status   TEXT,
    reason      TEXT CHECK (reason IS NULL OR length(reason) <= 2000),
    detail      TEXT CHECK (detail IS NULL OR length(detail) <= 200)
) STRICT;
CREATE INDEX referral_events_referral ON referral_events (referral_id, at);

CREATE TABLE referral_calls (
    id             INTEGER PRIMARY KEY,
    referral_id    INTEGER NOT NULL REFERENCES referrals (id),
    called_at      TEXT NOT NULL,
    outcome        TEXT NOT NULL CHECK (outcome IN ('reached', 'voicemail', 'no-answer', 'wrong-number')),
    note           TEXT CHECK (note IS NULL OR length(note) <= 2000),
    next_follow_up TEXT
        CHECK (next_follow_up IS NULL OR next_follow_up GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    by_user        INTEGER REFERENCES users (id),
    created_at     TEXT NOT NULL
) STRICT;
CREATE INDEX referral_calls_referral ON referral_calls (referral_id, called_at);

-- The intake: a clinician confirms the recommended level or changes it (with a reason). The
-- answers are the referral's own (referrals.answers): the person does not answer twice.
CREATE TABLE intakes (
    id                INTEGER PRIMARY KEY,
    referral_id       INTEGER NOT NULL UNIQUE REFERENCES referrals (id),
    recommended_level TEXT NOT NULL,
    confirmed_level   TEXT NOT NULL CHECK (confirmed_level IN
        ('emergency', 'medically-managed', 'residential', 'php', 'iop', 'outpatient',
         'early-intervention', 'none')),
    change_reason     TEXT CHECK (change_reason IS NULL OR length(change_reason) BETWEEN 1 AND 2000),
    notes             TEXT CHECK (notes IS NULL OR length(notes) <= 4000),
    by_user           INTEGER NOT NULL REFERENCES users (id),
    created_at        TEXT NOT NULL,
    CHECK (confirmed_level = recommended_level OR change_reason IS NOT NULL)
) STRICT;

CREATE TABLE patients (
    id                     INTEGER PRIMARY KEY,
    public_id              TEXT NOT NULL UNIQUE,
    referral_id            INTEGER UNIQUE REFERENCES referrals (id),
    first_name             TEXT NOT NULL CHECK (length(first_name) BETWEEN 1 AND 100),
    last_name              TEXT NOT NULL CHECK (length(last_name) BETWEEN 1 AND 100),
    date_of_birth          TEXT NOT NULL
        CHECK (date_of_birth GLOB '[12][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    phone                  TEXT NOT NULL CHECK (length(phone) BETWEEN 7 AND 32),
    phone_digits           TEXT NOT NULL CHECK (phone_digits GLOB '[0-9]*'),
    email                  TEXT CHECK (email IS NULL OR length(email) <= 254),
    address                TEXT CHECK (address IS NULL OR length(address) <= 300),
    emergency_name         TEXT NOT NULL CHECK (length(emergency_name) BETWEEN 1 AND 100),
    emergency_phone        TEXT NOT NULL CHECK (length(emergency_phone) BETWEEN 7 AND 32),
    emergency_relationship TEXT NOT NULL CHECK (length(emergency_relationship) BETWEEN 1 AND 50),
    counsellor_id          INTEGER NOT NULL REFERENCES users (id),
    admission_date         TEXT NOT NULL
        CHECK (admission_date GLOB '[12][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    level                  TEXT NOT NULL CHECK (level IN ('php', 'iop', 'outpatient')),
    track                  TEXT CHECK (track IS NULL OR length(track) <= 50),
    status                 TEXT NOT NULL DEFAULT 'active'
        CHECK (status IN ('active', 'on-hold', 'discharged')),
    created_by             INTEGER REFERENCES users (id),
    created_at             TEXT NOT NULL
) STRICT;
-- Search by name (prefix, case-insensitive) and by phone digits; public_id has its own index.
CREATE INDEX patients_last_name ON patients (last_name COLLATE NOCASE, first_name COLLATE NOCASE);
CREATE INDEX patients_first_name ON patients (first_name COLLATE NOCASE);
CREATE INDEX patients_phone ON patients (phone_digits);
CREATE INDEX patients_counsellor ON patients (counsellor_id, status);

-- A written consent to disclose (42 CFR 2.31 as amended in 2024): who may disclose, what, to
-- whom, for what purpose, until when, the right to revoke, and the patient's signature.
CREATE TABLE consents (
    id                  INTEGER PRIMARY KEY,
    public_id           TEXT NOT NULL UNIQUE,
    patient_id          INTEGER NOT NULL REFERENCES patients (id),
    discloser           TEXT NOT NULL CHECK (length(discloser) BETWEEN 1 AND 200),
    information         TEXT NOT NULL CHECK (length(information) BETWEEN 1 AND 1000),
    recipient           TEXT NOT NULL CHECK (length(recipient) BETWEEN 1 AND 300),
    purpose             TEXT NOT NULL CHECK (length(purpose) BETWEEN 1 AND 500),
    expires_on          TEXT
        CHECK (expires_on IS NULL OR expires_on GLOB '[12][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    end_of_treatment    INTEGER NOT NULL CHECK (end_of_treatment IN (0, 1)),
    revoke_acknowledged INTEGER NOT NULL CHECK (revoke_acknowledged = 1),
    signature_name      TEXT NOT NULL CHECK (length(signature_name) BETWEEN 1 AND 200),
    signed              INTEGER NOT NULL CHECK (signed = 1),
    signed_at           TEXT NOT NULL,
    recorded_by         INTEGER REFERENCES users (id),
    created_at          TEXT NOT NULL,
    revoked_at          TEXT,
    revoked_by          INTEGER REFERENCES users (id),
    CHECK ((expires_on IS NULL) = (end_of_treatment = 1)),
    CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
) STRICT;
CREATE INDEX consents_patient ON consents (patient_id, created_at);

-- What happened to a patient, for the chart's timeline (referral history is joined in).
CREATE TABLE patient_events (
    id         INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    at         TEXT NOT NULL,
    by_user    INTEGER REFERENCES users (id),
    kind       TEXT NOT NULL CHECK (kind IN ('admitted', 'consent-signed', 'consent-revoked',
                                             'status', 'updated')),
    detail     TEXT CHECK (detail IS NULL OR length(detail) <= 200)
) STRICT;
CREATE INDEX patient_events_patient ON patient_events (patient_id, at);
