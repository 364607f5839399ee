-- 0020: the clinical record (issue 10): diagnoses, treatment plans as signed versions
-- (problem -> goal -> objective, with interventions), notes tied to sessions and to the
-- objectives of the patient's current plan (the golden thread), standardized measures, drug
-- screens, and the clinical alerts they raise. Dates are the clinic's "YYYY-MM-DD"; times UTC
-- ISO-8601 like every other table. Nothing clinical is ever deleted: corrections are new
-- versions, statuses or addenda.

-- Who must have their notes co-signed, and by whom (a supervisor's co-signature completes them).
ALTER TABLE users ADD COLUMN needs_cosign INTEGER NOT NULL DEFAULT 0 CHECK (needs_cosign IN (0, 1));
ALTER TABLE users ADD COLUMN supervisor_id INTEGER REFERENCES users (id);

-- ICD-10-CM codes on the chart (the list of codes is data in src/domain/icd10.c).
CREATE TABLE diagnoses (
    id          INTEGER PRIMARY KEY,
    public_id   TEXT NOT NULL UNIQUE,
    patient_id  INTEGER NOT NULL REFERENCES patients (id),
    code        TEXT NOT NULL CHECK (length(code) BETWEEN 3 AND 8),
    is_primary  INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1)),
    status      TEXT NOT NULL DEFAULT 'active'
        CHECK (status IN ('active', 'resolved', 'entered-in-error')),
    noted_on    TEXT NOT NULL CHECK (noted_on GLOB '[12][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    comment     TEXT CHECK (comment IS NULL OR length(comment) <= 1200),
    created_by  INTEGER REFERENCES users (id),
    created_at  TEXT NOT NULL,
    changed_by  INTEGER REFERENCES users (id),
    changed_at  TEXT
) STRICT;
CREATE INDEX diagnoses_patient ON diagnoses (patient_id, status);

-- A treatment plan version. Lifecycle: draft -> signed (by a clinician) -> current (the patient
-- acknowledged it, in person or verbally with a reason; effective_date is that day) ->
-- superseded (a later version became current; superseded_date is that day). A plan is current
-- on date D when effective_date <= D and (superseded_date IS NULL or superseded_date > D). A
-- review copies the current version into a new draft (based_on); only drafts change.
CREATE TABLE plans (
    id              INTEGER PRIMARY KEY,
    public_id       TEXT NOT NULL UNIQUE,
    patient_id      INTEGER NOT NULL REFERENCES patients (id),
    version         INTEGER NOT NULL CHECK (version >= 1),
    based_on        INTEGER REFERENCES plans (id),
    status          TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'signed', 'current', 'superseded')),
    summary         TEXT CHECK (summary IS NULL OR length(summary) <= 4000),
    created_by      INTEGER REFERENCES users (id),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    signed_by       INTEGER REFERENCES users (id),
    signed_at       TEXT,
    ack_how         TEXT CHECK (ack_how IS NULL OR ack_how IN ('in-person', 'verbal')),
    ack_reason      TEXT CHECK (ack_reason IS NULL OR length(ack_reason) <= 1200),
    ack_recorded_by INTEGER REFERENCES users (id),
    ack_at          TEXT,
    effective_date  TEXT,
    superseded_date TEXT,
    review_due      TEXT, -- effective_date + the clinic's review interval (setting plan_review_days)
    UNIQUE (patient_id, version),
    CHECK (status = 'draft' OR signed_at IS NOT NULL),
    CHECK (status NOT IN ('current', 'superseded') OR effective_date IS NOT NULL),
    CHECK (ack_how IS NOT 'verbal' OR ack_reason IS NOT NULL)
) STRICT;
CREATE INDEX plans_current ON plans (patient_id, effective_date);
CREATE INDEX plans_review ON plans (status, review_due);

CREATE TABLE plan_problems (
    id             INTEGER PRIMARY KEY,
    public_id      TEXT NOT NULL UNIQUE,
    plan_id        INTEGER NOT NULL REFERENCES plans (id),
    position       INTEGER NOT NULL,
    asam_dimension INTEGER NOT NULL CHECK (asam_dimension BETWEEN 1 AND 6),
    statement      TEXT NOT NULL CHECK (length(statement) BETWEEN 1 AND 1200),
    source         TEXT NOT NULL DEFAULT 'clinician'
        CHECK (source IN ('assessment', 'intake', 'clinician'))
) STRICT;
CREATE INDEX plan_problems_plan ON plan_problems (plan_id, position);

-- Goals in the patient's own words.
CREATE TABLE plan_goals (
    id         INTEGER PRIMARY KEY,
    public_id  TEXT NOT NULL UNIQUE,
    problem_id INTEGER NOT NULL REFERENCES plan_problems (id),
    position   INTEGER NOT NULL,
    text       TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 1200)
) STRICT;
CREATE INDEX plan_goals_problem ON plan_goals (problem_id, position);

-- Measurable objectives. thread_id stays the same when a review carries an objective into the
-- next version, so that progress notes can be followed across versions.
CREATE TABLE plan_objectives (
    id          INTEGER PRIMARY KEY,
    public_id   TEXT NOT NULL UNIQUE,
    plan_id     INTEGER NOT NULL REFERENCES plans (id),
    goal_id     INTEGER NOT NULL REFERENCES plan_goals (id),
    thread_id   TEXT NOT NULL,
    position    INTEGER NOT NULL,
    text        TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 1200),
    target_date TEXT NOT NULL
        CHECK (target_date GLOB '[12][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    status      TEXT NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'met', 'revised', 'discontinued'))
) STRICT;
CREATE INDEX plan_objectives_plan ON plan_objectives (plan_id, position);
CREATE INDEX plan_objectives_goal ON plan_objectives (goal_id, position);

-- What staff do and how often ("relapse-prevention group", "3x/week").
CREATE TABLE plan_interventions (
    id         INTEGER PRIMARY KEY,
    public_id  TEXT NOT NULL UNIQUE,
    problem_id INTEGER NOT NULL REFERENCES plan_problems (id),
    position   INTEGER NOT NULL,
    text       TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 1200),
    frequency  TEXT NOT NULL CHECK (length(frequency) BETWEEN 1 AND 200),
    staff_role TEXT CHECK (staff_role IS NULL OR length(staff_role) <= 100)
) STRICT;
CREATE INDEX plan_interventions_problem ON plan_interventions (problem_id, position);

-- A note. A group note (kind 'group', form 'group') is one per session: its shared part here,
-- one section per attendee in note_sections. Individual, family and medication notes (form
-- 'dap' or 'birp') name their patient and usually their session. Fields a..d hold the form's
-- parts in order: group (topic, interventions used, summary), DAP (data, assessment, plan),
-- BIRP (behaviour, intervention, response, plan). signed_at set: locked; corrections are
-- addenda. A note needing a co-signature is complete once cosigned_at is set.
CREATE TABLE notes (
    id             INTEGER PRIMARY KEY,
    public_id      TEXT NOT NULL UNIQUE,
    kind           TEXT NOT NULL
        CHECK (kind IN ('group', 'individual', 'family', 'medication')),
    form           TEXT NOT NULL CHECK (form IN ('group', 'dap', 'birp')),
    session_id     INTEGER REFERENCES program_sessions (id),
    patient_id     INTEGER REFERENCES patients (id), -- NULL for a group note
    service_date   TEXT NOT NULL
        CHECK (service_date GLOB '[12][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    author_id      INTEGER NOT NULL REFERENCES users (id),
    a              TEXT CHECK (a IS NULL OR length(a) <= 8000),
    b              TEXT CHECK (b IS NULL OR length(b) <= 8000),
    c              TEXT CHECK (c IS NULL OR length(c) <= 8000),
    d              TEXT CHECK (d IS NULL OR length(d) <= 8000),
    due_at         TEXT NOT NULL, -- UTC: session end + the setting note_due_hours
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    signed_by      INTEGER REFERENCES users (id),
    signed_at      TEXT,
    cosign_needed  INTEGER NOT NULL DEFAULT 0 CHECK (cosign_needed IN (0, 1)),
    cosigned_by    INTEGER REFERENCES users (id),
    cosigned_at    TEXT,
    CHECK ((kind = 'group') = (form = 'group')),
    CHECK ((kind = 'group') = (patient_id IS NULL)),
    CHECK (kind <> 'group' OR session_id IS NOT NULL)
) STRICT;
CREATE UNIQUE INDEX notes_group_session ON notes (session_id) WHERE kind = 'group';
CREATE INDEX notes_session ON notes (session_id);
CREATE INDEX notes_patient ON notes (patient_id, service_date) WHERE patient_id IS NOT NULL;
CREATE INDEX notes_author_due ON notes (author_id, signed_at, due_at);

-- A group note's section for one attendee (absent members get none). Signed with the note, or
-- on its own when written after the note was signed.
CREATE TABLE note_sections (
    note_id       INTEGER NOT NULL REFERENCES notes (id),
    patient_id    INTEGER NOT NULL REFERENCES patients (id),
    participation TEXT NOT NULL
        CHECK (participation IN ('active', 'engaged', 'minimal', 'withdrawn', 'disruptive')),
    response      TEXT NOT NULL CHECK (length(response) BETWEEN 1 AND 4000),
    risk          TEXT NOT NULL DEFAULT 'none' CHECK (risk IN ('none', 'concern')),
    risk_detail   TEXT CHECK (risk_detail IS NULL OR length(risk_detail) <= 2000),
    updated_at    TEXT NOT NULL,
    signed_by     INTEGER REFERENCES users (id),
    signed_at     TEXT,
    PRIMARY KEY (note_id, patient_id),
    CHECK (risk = 'none' OR risk_detail IS NOT NULL)
) STRICT, WITHOUT ROWID;
CREATE INDEX note_sections_patient ON note_sections (patient_id);

-- Progress on an objective of the patient's current plan (the golden thread), for a group
-- section or an individual note: at least one per section and per individual note.
CREATE TABLE note_progress (
    note_id      INTEGER NOT NULL REFERENCES notes (id),
    patient_id   INTEGER NOT NULL REFERENCES patients (id),
    objective_id INTEGER NOT NULL REFERENCES plan_objectives (id),
    progress     TEXT NOT NULL
        CHECK (progress IN ('met', 'progressing', 'no-change', 'regressing')),
    comment      TEXT CHECK (comment IS NULL OR length(comment) <= 2000),
    PRIMARY KEY (note_id, patient_id, objective_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX note_progress_objective ON note_progress (objective_id);

-- Corrections of a signed note: dated, signed, shown with the original; for a group note,
-- patient_id names the section it corrects (NULL: the shared part).
CREATE TABLE note_addenda (
    id          INTEGER PRIMARY KEY,
    public_id   TEXT NOT NULL UNIQUE,
    note_id     INTEGER NOT NULL REFERENCES notes (id),
    patient_id  INTEGER REFERENCES patients (id),
    author_id   INTEGER NOT NULL REFERENCES users (id),
    text        TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
    created_at  TEXT NOT NULL,
    signed_at   TEXT
) STRICT;
CREATE INDEX note_addenda_note ON note_addenda (note_id, id);

-- Standardized measures: PHQ-9, GAD-7, the Penn Alcohol Craving Scale, a 0-10 craving rating.
-- answers is the JSON array of item values in item order; total is the instrument's score.
CREATE TABLE measures (
    id          INTEGER PRIMARY KEY,
    public_id   TEXT NOT NULL UNIQUE,
    patient_id  INTEGER NOT NULL REFERENCES patients (id),
    instrument  TEXT NOT NULL CHECK (instrument IN ('phq9', 'gad7', 'pacs', 'craving')),
    taken_on    TEXT NOT NULL
        CHECK (taken_on GLOB '[12][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    answers     TEXT NOT NULL CHECK (json_valid(answers) AND length(answers) <= 200),
    total       INTEGER NOT NULL CHECK (total BETWEEN 0 AND 30),
    substance   TEXT CHECK (substance IS NULL OR length(substance) <= 60), -- PACS adapted
    source      TEXT NOT NULL DEFAULT 'staff' CHECK (source IN ('staff', 'portal')),
    entered_by  INTEGER REFERENCES users (id),
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX measures_patient ON measures (patient_id, instrument, taken_on);
CREATE INDEX measures_date ON measures (taken_on, instrument);

CREATE TABLE drug_screens (
    id           INTEGER PRIMARY KEY,
    public_id    TEXT NOT NULL UNIQUE,
    patient_id   INTEGER NOT NULL REFERENCES patients (id),
    collected_on TEXT NOT NULL
        CHECK (collected_on GLOB '[12][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    specimen     TEXT NOT NULL CHECK (specimen IN ('urine', 'oral-fluid', 'breath')),
    observed     INTEGER NOT NULL CHECK (observed IN (0, 1)),
    lab          TEXT NOT NULL DEFAULT 'none'
        CHECK (lab IN ('none', 'pending', 'confirmed', 'not-confirmed')),
    comment      TEXT CHECK (comment IS NULL OR length(comment) <= 1200),
    entered_by   INTEGER REFERENCES users (id),
    created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX drug_screens_patient ON drug_screens (patient_id, collected_on);

-- One result per substance; expected = a prescribed medication explains a positive.
CREATE TABLE drug_screen_results (
    screen_id INTEGER NOT NULL REFERENCES drug_screens (id),
    substance TEXT NOT NULL CHECK (length(substance) BETWEEN 1 AND 60),
    result    TEXT NOT NULL CHECK (result IN ('negative', 'positive', 'invalid')),
    expected  INTEGER NOT NULL DEFAULT 0 CHECK (expected IN (0, 1)),
    PRIMARY KEY (screen_id, substance)
) STRICT, WITHOUT ROWID;

-- Clinical alerts to the patient's counsellor: PHQ-9 item 9 above 0 (urgent), a risk concern in
-- a note, an unexpected positive screen, and from the patient portal's daily check-in: use
-- reported, or a craving at or above the clinic's level. Open until a clinician records the
-- follow-up.
CREATE TABLE clinical_alerts (
    id             INTEGER PRIMARY KEY,
    public_id      TEXT NOT NULL UNIQUE,
    patient_id     INTEGER NOT NULL REFERENCES patients (id),
    kind           TEXT NOT NULL
        CHECK (kind IN ('phq9-item9', 'note-risk', 'screen-unexpected-positive',
                        'checkin-used', 'checkin-craving')),
    urgent         INTEGER NOT NULL CHECK (urgent IN (0, 1)),
    detail         TEXT NOT NULL CHECK (length(detail) BETWEEN 1 AND 400),
    source_id      TEXT, -- public id of the measure, note or screen that raised it
    counsellor_id  INTEGER REFERENCES users (id),
    raised_at      TEXT NOT NULL,
    followed_up_by INTEGER REFERENCES users (id),
    followed_up_at TEXT,
    follow_up      TEXT CHECK (follow_up IS NULL OR length(follow_up) <= 2000),
    CHECK ((followed_up_at IS NULL) = (follow_up IS NULL))
) STRICT;
CREATE INDEX clinical_alerts_open ON clinical_alerts (followed_up_at, counsellor_id);
CREATE INDEX clinical_alerts_patient ON clinical_alerts (patient_id, raised_at);

-- The clinic's settings for the record (not clinical cut-offs): plan reviews every 30 days,
-- notes due 24 hours after the session, the measurement schedule in days (0: not scheduled).
INSERT OR IGNORE INTO settings (key, value) VALUES ('plan_review_days', '30');
INSERT OR IGNORE INTO settings (key, value) VALUES ('note_due_hours', '24');
INSERT OR IGNORE INTO settings (key, value) VALUES ('measure_days_phq9', '14');
INSERT OR IGNORE INTO settings (key, value) VALUES ('measure_days_gad7', '14');
INSERT OR IGNORE INTO settings (key, value) VALUES ('measure_days_pacs', '7');
INSERT OR IGNORE INTO settings (key, value) VALUES ('measure_days_craving', '0');
