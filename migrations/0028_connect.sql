-- 0028: the patient's side of issue 11 that connects them with their care team: the journal
-- (private unless the patient shares an entry with their counsellor), message threads that a
-- patient starts with their counsellor, and the patient's own portal preferences (new-message
-- notifications, off until turned on; a date they choose to count days since). Times are UTC
-- ISO-8601 text; days are the clinic's dates. Writes and reads: store/journal.c and
-- store/messages.c.

-- A journal entry. shared: the patient lets their counsellor read it (0 by default, and the
-- patient may change it at any time). Staff never delete an entry: no staff route writes here.
CREATE TABLE journal_entries (
    id         INTEGER PRIMARY KEY,
    public_id  TEXT NOT NULL UNIQUE CHECK (length(public_id) = 32),
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    day        TEXT NOT NULL CHECK (day GLOB '[12][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    body       TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
    shared     INTEGER NOT NULL DEFAULT 0 CHECK (shared IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX journal_entries_patient ON journal_entries (patient_id, day);

-- A thread a patient started with the care team. Who may read it is decided when it is read:
-- the patient, their counsellor of the moment, and administrators (store/messages.h).
-- last_at orders the inbox.
CREATE TABLE message_threads (
    id         INTEGER PRIMARY KEY,
    public_id  TEXT NOT NULL UNIQUE CHECK (length(public_id) = 32),
    patient_id INTEGER NOT NULL REFERENCES patients (id),
    subject    TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
    created_at TEXT NOT NULL,
    last_at    TEXT NOT NULL
) STRICT;
CREATE INDEX message_threads_patient ON message_threads (patient_id, last_at);

-- A message: from the patient (author_user_id NULL) or from a staff member. Text only, no
-- attachments. read_at: when the other side first opened the thread after it arrived.
CREATE TABLE messages (
    id             INTEGER PRIMARY KEY,
    thread_id      INTEGER NOT NULL REFERENCES message_threads (id),
    from_patient   INTEGER NOT NULL CHECK (from_patient IN (0, 1)),
    author_user_id INTEGER REFERENCES users (id),
    body           TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 4000),
    at             TEXT NOT NULL,
    read_at        TEXT,
    CHECK ((from_patient = 1) = (author_user_id IS NULL))
) STRICT;
CREATE INDEX messages_thread ON messages (thread_id, at);

-- The patient's own choices in the portal. notify_messages: "tell me about new messages" (off
-- until the patient turns it on). tracked_label / tracked_since: "days since" a date they
-- chose (both NULL: none).
CREATE TABLE portal_prefs (
    patient_id      INTEGER PRIMARY KEY REFERENCES patients (id),
    notify_messages INTEGER NOT NULL DEFAULT 0 CHECK (notify_messages IN (0, 1)),
    tracked_label   TEXT CHECK (tracked_label IS NULL OR length(tracked_label) BETWEEN 1 AND 80),
    tracked_since   TEXT CHECK (tracked_since IS NULL OR
                                tracked_since GLOB '[12][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    updated_at      TEXT NOT NULL
) STRICT;

-- The clinic's response-time target for messages, in hours (a service setting, not a clinical
-- rule): a thread whose patient waits longer is marked overdue in the staff inbox.
INSERT OR IGNORE INTO settings (key, value) VALUES ('message_reply_hours', '24');
