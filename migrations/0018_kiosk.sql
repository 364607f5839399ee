-- 0018: the check-in kiosk (issue 9). A kiosk is a device an administrator set up: its cookie
-- carries a long-lived random token of which only the SHA-256 is kept here (like staff
-- sessions), so that a copy of the database opens no kiosk. Each device counts its wrong
-- check-in codes and pauses when there are too many. A patient's personal check-in code is
-- eight digits, one per patient; the code is unique among every patient who has one, which is
-- stricter than "among active patients" and never lets a re-activation collide with a code
-- given out meanwhile.

CREATE TABLE kiosk_devices (
    id             INTEGER PRIMARY KEY,
    public_id      TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 400),
    place          TEXT CHECK (place IS NULL OR length(place) BETWEEN 1 AND 400),
    token_hash     TEXT NOT NULL UNIQUE CHECK (length(token_hash) = 64),
    created_by     INTEGER REFERENCES users (id),
    created_at     TEXT NOT NULL,
    last_used_at   TEXT,
    last_used_from TEXT CHECK (last_used_from IS NULL OR length(last_used_from) <= 64),
    revoked_at     TEXT,
    revoked_by     INTEGER REFERENCES users (id),
    -- Wrong codes since wrong_since (the start of the counting window), and the pause.
    wrong_count    INTEGER NOT NULL DEFAULT 0 CHECK (wrong_count >= 0),
    wrong_since    TEXT,
    paused_until   TEXT
) STRICT;

CREATE TABLE checkin_codes (
    patient_id INTEGER PRIMARY KEY REFERENCES patients (id),
    code       TEXT NOT NULL
        CHECK (code GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'),
    created_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX checkin_codes_code ON checkin_codes (code);
