-- 0001: referrals from the public assessment, and the program's tracks with their schedule.
CREATE TABLE referrals (
    id           INTEGER PRIMARY KEY,
    public_id    TEXT NOT NULL UNIQUE,
    created_at   TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'new'
                 CHECK (status IN ('new', 'contacted', 'intake-scheduled', 'admitted', 'closed')),
    name         TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    phone        TEXT NOT NULL CHECK (length(phone) BETWEEN 7 AND 32),
    email        TEXT CHECK (email IS NULL OR length(email) <= 254),
    best_time    TEXT NOT NULL CHECK (best_time IN ('morning', 'afternoon', 'evening', 'any')),
    voicemail_ok INTEGER NOT NULL CHECK (voicemail_ok IN (0, 1)),
    consent_at   TEXT NOT NULL,
    answers      TEXT NOT NULL CHECK (json_valid(answers)),
    result       TEXT NOT NULL CHECK (json_valid(result)),
    spec_version TEXT NOT NULL,
    level        TEXT NOT NULL,
    flags        TEXT NOT NULL CHECK (json_valid(flags))
) STRICT;
CREATE INDEX referrals_queue ON referrals (status, created_at);

CREATE TABLE tracks (
    id       INTEGER PRIMARY KEY,
    code     TEXT NOT NULL UNIQUE,
    name     TEXT NOT NULL,
    summary  TEXT NOT NULL,
    position INTEGER NOT NULL
) STRICT;

CREATE TABLE track_sessions (
    id       INTEGER PRIMARY KEY,
    track_id INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
    weekday  INTEGER NOT NULL CHECK (weekday BETWEEN 1 AND 7), -- 1 = Monday
    starts   TEXT NOT NULL CHECK (starts GLOB '[0-2][0-9]:[0-5][0-9]'),
    ends     TEXT NOT NULL CHECK (ends GLOB '[0-2][0-9]:[0-5][0-9]' AND ends > starts),
    title    TEXT NOT NULL,
    kind     TEXT NOT NULL CHECK (kind IN ('group', 'individual', 'workshop'))
) STRICT;
CREATE INDEX track_sessions_track ON track_sessions (track_id, weekday, starts);
