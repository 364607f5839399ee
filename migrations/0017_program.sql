-- 0017: the program itself (spec program.md, haven-program-1): tracks become standing programs
-- with a level, population, capacity, opening date and weekly minimum; their weekly pattern
-- (track_sessions, kept as the slots) yields dated sessions; patients are enrolled in tracks;
-- one-off sessions name their patients and staff; attendance is one row per session and
-- patient. Dates are the clinic's local "YYYY-MM-DD", times its local "HH:MM".

ALTER TABLE tracks ADD COLUMN public_id TEXT;
ALTER TABLE tracks ADD COLUMN level TEXT NOT NULL DEFAULT 'iop'
    CHECK (level IN ('iop', 'php', 'outpatient'));
ALTER TABLE tracks ADD COLUMN population TEXT NOT NULL DEFAULT 'adult'
    CHECK (population IN ('adult', 'adolescent'));
ALTER TABLE tracks ADD COLUMN capacity INTEGER NOT NULL DEFAULT 12
    CHECK (capacity BETWEEN 1 AND 100);
ALTER TABLE tracks ADD COLUMN opens TEXT NOT NULL DEFAULT '2026-01-05'
    CHECK (opens GLOB '[12][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]');
ALTER TABLE tracks ADD COLUMN min_weekly_minutes INTEGER
    CHECK (min_weekly_minutes IS NULL OR min_weekly_minutes BETWEEN 0 AND 3000);
-- Dated sessions exist up to and including this date (they are made as reads and writes reach
-- further; store/program_sessions.c).
ALTER TABLE tracks ADD COLUMN made_until TEXT;
ALTER TABLE tracks ADD COLUMN created_at TEXT;
UPDATE tracks SET public_id = lower(hex(randomblob(16))) WHERE public_id IS NULL;
CREATE UNIQUE INDEX tracks_public_id ON tracks (public_id);

-- A slot that leaves the pattern stays as the source of its past sessions: retired, not deleted.
ALTER TABLE track_sessions ADD COLUMN retired INTEGER NOT NULL DEFAULT 0;

CREATE TABLE enrolments (
    id              INTEGER PRIMARY KEY,
    public_id       TEXT NOT NULL UNIQUE,
    patient_id      INTEGER NOT NULL REFERENCES patients (id),
    track_id        INTEGER NOT NULL REFERENCES tracks (id),
    start_date      TEXT NOT NULL,
    end_date        TEXT, -- NULL: open
    override_reason TEXT CHECK (override_reason IS NULL OR length(override_reason) <= 1200),
    end_reason      TEXT CHECK (end_reason IS NULL OR length(end_reason) <= 1200),
    created_by      INTEGER REFERENCES users (id),
    created_at      TEXT NOT NULL,
    CHECK (end_date IS NULL OR end_date >= start_date)
) STRICT;
CREATE INDEX enrolments_patient ON enrolments (patient_id, start_date);
CREATE INDEX enrolments_track ON enrolments (track_id, start_date);

-- Every session, from a track's pattern (track_id and slot_id set) or one-off (both NULL).
CREATE TABLE program_sessions (
    id            INTEGER PRIMARY KEY,
    public_id     TEXT NOT NULL UNIQUE,
    track_id      INTEGER REFERENCES tracks (id),
    slot_id       INTEGER REFERENCES track_sessions (id),
    date          TEXT NOT NULL,
    start_time    TEXT NOT NULL CHECK (start_time GLOB '[0-2][0-9]:[0-5][0-9]'),
    end_time      TEXT NOT NULL CHECK (end_time GLOB '[0-2][0-9]:[0-5][0-9]'
                                       AND end_time > start_time),
    minutes       INTEGER NOT NULL CHECK (minutes BETWEEN 1 AND 720),
    kind          TEXT NOT NULL
        CHECK (kind IN ('group', 'workshop', 'individual', 'family', 'medication')),
    title         TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 400),
    room          TEXT CHECK (room IS NULL OR length(room) BETWEEN 1 AND 200),
    status        TEXT NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
    cancel_reason TEXT CHECK (cancel_reason IS NULL OR length(cancel_reason) <= 1200),
    created_by    INTEGER REFERENCES users (id),
    created_at    TEXT NOT NULL
) STRICT;
-- A track's sessions by date; one per slot and date (made once, however often it is asked).
CREATE UNIQUE INDEX program_sessions_track ON program_sessions (track_id, date, slot_id);
CREATE INDEX program_sessions_date ON program_sessions (date, start_time);
CREATE INDEX program_sessions_room ON program_sessions (room, date) WHERE room IS NOT NULL;

-- The named patients of a one-off session, and walk-ins of a track session. The date is the
-- session's, so that a patient's week is one index range.
CREATE TABLE session_patients (
    session_id INTEGER NOT NULL REFERENCES program_sessions (id),
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    date       TEXT NOT NULL,
    walk_in    INTEGER NOT NULL DEFAULT 0 CHECK (walk_in IN (0, 1)),
    PRIMARY KEY (session_id, patient_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX session_patients_patient ON session_patients (patient_id, date);

CREATE TABLE session_staff (
    session_id INTEGER NOT NULL REFERENCES program_sessions (id),
    user_id    INTEGER NOT NULL REFERENCES users (id),
    date       TEXT NOT NULL,
    PRIMARY KEY (session_id, user_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX session_staff_user ON session_staff (user_id, date);

-- One record per session and patient on its roster; recording again replaces it. The date is
-- the session's: a patient's attended minutes of a week are one index range.
CREATE TABLE attendance (
    session_id  INTEGER NOT NULL REFERENCES program_sessions (id),
    patient_id  INTEGER NOT NULL REFERENCES patients (id),
    date        TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('present', 'late', 'left-early',
                                                'absent-excused', 'absent-unexcused')),
    minutes     INTEGER NOT NULL CHECK (minutes BETWEEN 0 AND 720),
    recorded_by INTEGER REFERENCES users (id),
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (session_id, patient_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX attendance_patient ON attendance (patient_id, date);
-- Billable days of a month read the attendance of its dates, grouped by date and patient,
-- from the index alone.
CREATE INDEX attendance_date ON attendance (date, patient_id, minutes);
