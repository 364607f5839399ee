-- program.sql: fills a migrated, empty Haven database with a network-sized program (issue 9's
-- benchmark; bench/program.sh runs it with the sqlite3 CLI after a temp table `params` (today,
-- weeks, seats, slots) was created; one transaction, set-based with recursive CTEs):
--   tracks          50 partial-hospitalisation tracks opened `weeks` weeks before this Monday,
--                   capacity 100, 5 days a week x `slots` sessions of 45 minutes (8: a 6-hour
--                   day, the only shape that gives the issue's ~20M attendance rows with 5,000
--                   patients), sessions made up to four weeks ahead (made_until)
--   staff           100 clinicians (counsellors, the one-off sessions' staff)
--   patients        `seats` seats per track (100: 5,000 active patients); each seat a sequence of
--                   stays of 6-12 weeks from the opening (~58,000 patients in two years), the
--                   one covering today open (active), the others ended on a Friday (discharged)
--   sessions        ~208,000 track sessions (Christmas, New Year and July 4th cancelled: the
--                   clinic is closed) and ~260,000 one-off individual sessions (every other week
--                   of each stay, 50 minutes, after the track's day, with the counsellor)
--   attendance      every rostered patient at every scheduled session dated before today:
--                   ~20.8M rows (88% present, late, left early, absent)
--   documentation   a current plan for every patient; the last 100 days' notes signed (one
--                   in 50 not: days missing documentation), none before (see DOCUMENTATION)
--   measures        PHQ-9 and GAD-7 at each enrolment's start and every 14 days (MEASURES)
-- The attendance indexes are dropped for the load and made again afterwards, with migration
-- 0017's definitions (program.sh checks the schema is unchanged).
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
PRAGMA foreign_keys = OFF;
PRAGMA cache_size = -400000;
BEGIN;

CREATE TEMP TABLE c AS
    SELECT p.today, p.weeks, p.seats, p.slots, m.monday,
           date(m.monday, '-' || (7 * p.weeks) || ' days') AS opens,
           date(m.monday, '+27 days') AS until,
           strftime('%Y-%m-%dT%H:%M:%SZ', 'now') AS now
    FROM params p, (SELECT date(today, '-' || ((CAST(strftime('%w', today) AS INTEGER) + 6) % 7)
                                || ' days') AS monday FROM params) m;

CREATE TEMP TABLE firsts (n INTEGER PRIMARY KEY, v TEXT);
INSERT INTO firsts (n, v) VALUES (0, 'Amara'),(1, 'Ben'),(2, 'Carmen'),(3, 'Dmitri'),
    (4, 'Esther'),(5, 'Farid'),(6, 'Gloria'),(7, 'Hiroshi'),(8, 'Ines'),(9, 'Jamal'),
    (10, 'Kateri'),(11, 'Liam'),(12, 'Mariana'),(13, 'Nnamdi'),(14, 'Olga'),(15, 'Pedro'),
    (16, 'Qing'),(17, 'Rosa'),(18, 'Sione'),(19, 'Tamar'),(20, 'Uriel'),(21, 'Vanessa'),
    (22, 'Wen'),(23, 'Ximena'),(24, 'Yusuf'),(25, 'Zoe'),(26, 'Andre'),(27, 'Beatriz'),
    (28, 'Colm'),(29, 'Dara'),(30, 'Emeka'),(31, 'Freya');
CREATE TEMP TABLE lasts (n INTEGER PRIMARY KEY, v TEXT);
INSERT INTO lasts (n, v) VALUES (0, 'Abbott'),(1, 'Bianchi'),(2, 'Chowdhury'),(3, 'Dubois'),
    (4, 'Eriksen'),(5, 'Fonseca'),(6, 'Gallagher'),(7, 'Horvath'),(8, 'Ito'),(9, 'Jovanovic'),
    (10, 'Kaur'),(11, 'Lindgren'),(12, 'Mbeki'),(13, 'Novak'),(14, 'Okonkwo'),(15, 'Park'),
    (16, 'Quispe'),(17, 'Rahman'),(18, 'Santos'),(19, 'Takahashi'),(20, 'Ueda'),(21, 'Varga'),
    (22, 'Whitfield'),(23, 'Xu'),(24, 'Yilmaz'),(25, 'Zamora'),(26, 'Adeyemi'),(27, 'Brennan'),
    (28, 'Castillo'),(29, 'Dlamini'),(30, 'Esposito'),(31, 'Fischer');

-- 100 clinicians.
INSERT INTO users (public_id, email, name, password_hash, created_at)
WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 100)
SELECT lower(hex(randomblob(16))), 'clinician' || i || '@program.example', 'Clinician ' || i,
       'x', c.now FROM k, c;
INSERT INTO user_roles (user_id, role)
    SELECT id, 'clinician' FROM users WHERE email LIKE 'clinician%@program.example';
CREATE TEMP TABLE staff AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM users
    WHERE email LIKE 'clinician%@program.example';

-- 50 tracks and their weekly pattern.
INSERT INTO tracks (code, name, summary, position, public_id, level, population, capacity, opens,
                    min_weekly_minutes, made_until, created_at)
WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 50)
SELECT 'bench-' || printf('%02d', i), 'Day program ' || i, 'Monday to Friday', 100 + i,
       lower(hex(randomblob(16))), 'php', 'adult', 100, c.opens, 1200, c.until, c.now FROM k, c;
CREATE TEMP TABLE slot_times (n INTEGER PRIMARY KEY, starts TEXT, ends TEXT, title TEXT, kind TEXT);
INSERT INTO slot_times VALUES (0, '09:00', '09:45', 'Process group', 'group'),
    (1, '09:45', '10:30', 'Skills group: coping with cravings', 'group'),
    (2, '10:45', '11:30', 'Relapse prevention workshop', 'workshop'),
    (3, '11:30', '12:15', 'Check-in and goals', 'group'),
    (4, '13:00', '13:45', 'Managing triggers workshop', 'workshop'),
    (5, '13:45', '14:30', 'Family and relationships workshop', 'workshop'),
    (6, '14:45', '15:30', 'Mindfulness group', 'group'),
    (7, '15:30', '16:15', 'Wellness and recovery workshop', 'workshop');
INSERT INTO track_sessions (track_id, weekday, starts, ends, title, kind)
WITH RECURSIVE d(wd) AS (SELECT 1 UNION ALL SELECT wd + 1 FROM d WHERE wd < 5)
SELECT t.id, d.wd, s.starts, s.ends, s.title, s.kind
FROM tracks t, d, slot_times s, c WHERE t.code LIKE 'bench-%' AND s.n < c.slots
ORDER BY t.id, d.wd, s.n;

-- The tracks' dated sessions from the opening to four weeks ahead, by date (as the app makes
-- them: a day's sessions together). The opening is a Monday: day i is weekday i % 7 + 1.
INSERT INTO program_sessions (public_id, track_id, slot_id, date, start_time, end_time, minutes,
                              kind, title, status, cancel_reason, created_at)
WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k, c
                        WHERE i < 7 * c.weeks + 27),
days AS (SELECT i, date(c.opens, '+' || i || ' days') AS d FROM k, c)
SELECT lower(hex(randomblob(16))), ts.track_id, ts.id, days.d, ts.starts, ts.ends, 45, ts.kind,
       ts.title,
       CASE WHEN substr(days.d, 6) IN ('12-25', '01-01', '07-04') THEN 'cancelled'
            ELSE 'scheduled' END,
       CASE WHEN substr(days.d, 6) IN ('12-25', '01-01', '07-04') THEN 'Clinic closed' END,
       c.now
FROM days JOIN track_sessions ts ON ts.weekday = days.i % 7 + 1, c
ORDER BY days.d, ts.track_id, ts.starts;

-- Stays: each seat of each track is a sequence of patients; week numbers count from the
-- opening; the stay covering this week (start <= weeks < start + len) is open.
CREATE TEMP TABLE stays AS
WITH RECURSIVE seat(t, s) AS (
    SELECT t.id, 1 FROM tracks t WHERE t.code LIKE 'bench-%'
    UNION ALL SELECT t, s + 1 FROM seat, c WHERE s < c.seats),
st(t, s, k, start, len) AS (
    SELECT t, s, 0, 0, 1 + (t * 7 + s * 13) % 10 FROM seat
    UNION ALL
    SELECT t, s, k + 1, start + len, 6 + (t * 31 + s * 17 + k * 7) % 7 FROM st, c
    WHERE start + len <= c.weeks)
SELECT row_number() OVER (ORDER BY start, t, s) AS pid, t, s, k, start, len,
       start + len > c.weeks AS active,
       date(c.opens, '+' || (7 * start) || ' days') AS start_date,
       CASE WHEN start + len > c.weeks THEN NULL
            ELSE date(c.opens, '+' || (7 * (start + len) - 3) || ' days') END AS end_date
FROM st, c;

INSERT INTO patients (id, public_id, first_name, last_name, date_of_birth, phone, phone_digits,
                      emergency_name, emergency_phone, emergency_relationship, counsellor_id,
                      admission_date, level, status, created_at, name_key, name_key_rl,
                      discharge_date, discharge_reason)
SELECT st.pid, lower(hex(randomblob(16))), f.v, l.v,
       date('1960-01-01', '+' || (st.pid * 37 % 15000) || ' days'),
       '312-555-' || printf('%04d', st.pid % 10000), '312555' || printf('%04d', st.pid % 10000),
       'Contact of ' || st.pid, '312-555-' || printf('%04d', (st.pid + 5000) % 10000),
       'family', staff.id, st.start_date, 'php',
       CASE WHEN st.active THEN 'active' ELSE 'discharged' END,
       st.start_date || 'T14:00:00Z', '', '',
       st.end_date, CASE WHEN st.active THEN NULL ELSE 'completed' END
FROM stays st
JOIN firsts f ON f.n = st.pid % 32
JOIN lasts l ON l.n = (st.pid / 32) % 32
JOIN staff ON staff.k = st.pid % 100;
-- Search keys: the names are plain ASCII, so lower() is the key (patients_name_key).
UPDATE patients SET name_key = lower(first_name || ' ' || last_name),
                    name_key_rl = lower(last_name || ' ' || first_name);

INSERT INTO enrolments (public_id, patient_id, track_id, start_date, end_date, created_at)
SELECT lower(hex(randomblob(16))), pid, t, start_date, end_date, start_date || 'T14:05:00Z'
FROM stays ORDER BY pid;

-- One-off individual sessions: every other week of a stay (up to next week), on a weekday and
-- at an hour after the track's day that spread each clinician's afternoons.
CREATE TEMP TABLE oneoffs AS
WITH RECURSIVE w(pid, t, wk, last) AS (
    SELECT pid, t, start, min(start + len - 1, c.weeks + 1) FROM stays, c
    UNION ALL SELECT pid, t, wk + 2, last FROM w WHERE wk + 2 <= last)
SELECT row_number() OVER (ORDER BY d, pid) AS n, pid, d,
       printf('%02d:30', 16 + (pid / 100) % 4) AS starts,
       printf('%02d:20', 17 + (pid / 100) % 4) AS ends
FROM (SELECT w.pid, date(c.opens, '+' || (7 * w.wk + w.pid % 5) || ' days') AS d
      FROM w, c) x;
CREATE TEMP TABLE base AS SELECT coalesce(max(id), 0) AS id FROM program_sessions;
INSERT INTO program_sessions (id, public_id, track_id, slot_id, date, start_time, end_time,
                              minutes, kind, title, status, created_at)
SELECT base.id + o.n, lower(hex(randomblob(16))), NULL, NULL, o.d, o.starts, o.ends, 50,
       'individual', 'Individual therapy', 'scheduled', c.now
FROM oneoffs o, base, c;
INSERT INTO session_patients (session_id, patient_id, date)
SELECT base.id + o.n, o.pid, o.d FROM oneoffs o, base ORDER BY 1;
INSERT INTO session_staff (session_id, user_id, date)
SELECT base.id + o.n, p.counsellor_id, o.d FROM oneoffs o, base
JOIN patients p ON p.id = o.pid ORDER BY 1;

-- Attendance, in primary-key order, the indexes made once afterwards.
DROP INDEX attendance_patient;
DROP INDEX attendance_date;
INSERT INTO attendance (session_id, patient_id, date, status, minutes, recorded_at)
SELECT sid, pid, d,
       CASE WHEN h < 88 THEN 'present' WHEN h < 92 THEN 'late' WHEN h < 95 THEN 'left-early'
            WHEN h < 97 THEN 'absent-excused' ELSE 'absent-unexcused' END,
       CASE WHEN h < 88 THEN m WHEN h < 92 THEN m - 10 WHEN h < 95 THEN m - 15 ELSE 0 END,
       d || 'T22:00:00Z'
FROM (SELECT s.id AS sid, e.patient_id AS pid, s.date AS d, s.minutes AS m,
             (s.id * 7919 + e.patient_id * 104729) % 100 AS h
      FROM enrolments e, c
      JOIN program_sessions s ON s.track_id = e.track_id AND s.date >= e.start_date
           AND s.date <= coalesce(e.end_date, c.today) AND s.date < c.today
      WHERE s.status = 'scheduled'
      UNION ALL
      SELECT s.id, sp.patient_id, s.date, s.minutes, (s.id * 7919 + sp.patient_id * 104729) % 100
      FROM session_patients sp, c JOIN program_sessions s ON s.id = sp.session_id
      WHERE s.date < c.today)
ORDER BY sid, pid;
CREATE INDEX attendance_patient ON attendance (patient_id, date);
CREATE INDEX attendance_date ON attendance (date, patient_id, minutes);

-- DOCUMENTATION (issue 10, R6's fourth condition: a day is billable only with a signed plan
-- current on it and a signed note for every session attended): every patient's plan signed and
-- current from their admission; for the last 100 days every track session's group note signed,
-- with a section per attendee, and every one-off session's individual note, signed but for one
-- section in 50 and one individual note in 50 (days with missing notes). Older days have no
-- notes: documentation-missing. Runs on its own after a temp table c (today, now) too.
INSERT INTO plans (public_id, patient_id, version, status, created_at, updated_at, signed_by,
                   signed_at, ack_how, effective_date)
SELECT lower(hex(randomblob(16))), p.id, 1, 'current', c.now, c.now, p.counsellor_id, c.now,
       'in-person', p.admission_date FROM patients p, c ORDER BY p.id;
INSERT INTO notes (public_id, kind, form, session_id, service_date, author_id, a, due_at,
                   created_at, updated_at, signed_by, signed_at)
SELECT lower(hex(randomblob(16))), 'group', 'group', s.id, s.date,
       (SELECT min(id) FROM users) + s.track_id % 100, 'Topic', c.now, c.now, c.now,
       (SELECT min(id) FROM users) + s.track_id % 100, c.now
FROM program_sessions s, c WHERE s.track_id IS NOT NULL AND s.date >= date(c.today, '-100 days')
AND s.date < c.today AND s.status = 'scheduled' ORDER BY s.id;
INSERT INTO note_sections (note_id, patient_id, participation, response, updated_at, signed_by,
                           signed_at)
SELECT n.id, a.patient_id, 'engaged', 'Took part.', c.now, n.author_id,
       CASE WHEN (n.id * 7 + a.patient_id) % 50 = 0 THEN NULL ELSE c.now END
FROM notes n JOIN attendance a ON a.session_id = n.session_id AND a.minutes > 0, c
WHERE n.kind = 'group' ORDER BY n.id, a.patient_id;
INSERT INTO notes (public_id, kind, form, session_id, patient_id, service_date, author_id, a,
                   due_at, created_at, updated_at, signed_by, signed_at)
SELECT lower(hex(randomblob(16))), 'individual', 'dap', s.id, a.patient_id, s.date, ss.user_id,
       'Data', c.now, c.now, c.now, ss.user_id, CASE WHEN s.id % 50 = 0 THEN NULL ELSE c.now END
FROM program_sessions s JOIN attendance a ON a.session_id = s.id AND a.minutes > 0
JOIN session_staff ss ON ss.session_id = s.id, c
WHERE s.track_id IS NULL AND s.date >= date(c.today, '-100 days') AND s.date < c.today
ORDER BY s.id;

-- MEASURES (issue 10's outcomes report): each enrolment's PHQ-9 and GAD-7 at its start, then
-- every 14 days while it lasts (up to today), totals drifting down; PACS weekly is left out.
INSERT INTO measures (public_id, patient_id, instrument, taken_on, answers, total, created_at)
WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < 6)
SELECT lower(hex(randomblob(16))), e.patient_id, ins.v,
       date(e.start_date, '+' || (14 * k.i) || ' days'), '[]',
       max(0, (e.patient_id * 7 + length(ins.v)) % 18 + 3 - 2 * k.i), c.now
FROM enrolments e, k, c, (SELECT 'phq9' AS v UNION ALL SELECT 'gad7') AS ins
WHERE date(e.start_date, '+' || (14 * k.i) || ' days') <= coalesce(e.end_date, c.today)
AND date(e.start_date, '+' || (14 * k.i) || ' days') < c.today
ORDER BY e.patient_id;

COMMIT;
ANALYZE;
