-- scale.sql: fills a migrated Haven database with 10 years of a 50-site program, as DESIGN.md §8
-- sizes it for what exists today (bench/scale.sh runs it with the sqlite3 CLI, in one
-- transaction, set-based with recursive CTEs). Expects one real referral (the template: its
-- answers, result, flags and level are copied) and the demo staff accounts; adds 500 clinicians.
--   referrals       300,000 over 2016-01-01 .. 2026-01-01 (one every ~17.5 min), 200k admitted,
--                   ~100k closed, the last 400 still open (new / contacted / intake-scheduled)
--   referral_calls  ~2 per referral; referral_events ~3 per referral; intakes per admitted one
--   patients        200,000, each with its referral; consents ~1.5 per patient; patient_events
--   audit_log       1,000,000 entries (the chain's hashes are placeholders: `haven audit verify`
--                   fails on this database, the screen does not care)
-- Attendance does not exist yet in the schema, so its 20M rows are not generated.
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
PRAGMA foreign_keys = OFF;
PRAGMA cache_size = -400000;
BEGIN;

CREATE TEMP TABLE tpl AS
    SELECT answers, result, flags, level, spec_version FROM referrals ORDER BY id LIMIT 1;
DELETE FROM referrals;

CREATE TEMP TABLE firsts (n INTEGER PRIMARY KEY, v TEXT);
INSERT INTO firsts (v) VALUES ('James'),('Mary'),('Robert'),('Patricia'),('John'),('Jennifer'),
    ('Michael'),('Linda'),('David'),('Elizabeth'),('William'),('Barbara'),('Richard'),('Susan'),
    ('Joseph'),('Jessica'),('Thomas'),('Sarah'),('Charles'),('Karen'),('Chris'),('Lisa'),
    ('Daniel'),('Nancy'),('Matthew'),('Betty'),('Anthony'),('Sandra'),('Mark'),('Ashley'),
    ('Donald'),('Kimberly'),('Steven'),('Emily'),('Paul'),('Donna'),('Andrew'),('Michelle'),
    ('Joshua'),('Carol'),('Kenneth'),('Amanda'),('Kevin'),('Melissa'),('Brian'),('Deborah'),
    ('George'),('Stephanie'),('Timothy'),('Rebecca'),('Ronald'),('Laura'),('Jose'),('Maria'),
    ('Sam'),('Alex'),('Jordan'),('Taylor'),('Morgan'),('Casey');
CREATE TEMP TABLE pre (n INTEGER PRIMARY KEY, v TEXT);
INSERT INTO pre (v) VALUES ('Ander'),('Bald'),('Carl'),('Dal'),('Ell'),('Fitz'),('Garr'),('Hol'),
    ('Iver'),('Jack'),('Kell'),('Lind'),('Mart'),('Nel'),('Ols'),('Pet'),('Quin'),('Riv'),('Sand'),
    ('Thom'),('Upt'),('Vaugh'),('Wil'),('Yor'),('Zell'),('Brad'),('Crom'),('Dunn'),('Edg'),('Fair');
CREATE TEMP TABLE suf (n INTEGER PRIMARY KEY, v TEXT);
INSERT INTO suf (v) VALUES ('son'),('er'),('ley'),('ton'),('man'),('field'),('berg'),('ford'),
    ('wood'),('era'),('ez'),('ski'),('well'),('stein'),('ham'),('by'),('dale'),('more'),('land'),
    ('worth'),('ridge'),('mont'),('ings'),('ard'),('ick'),('ow'),('ant'),('ers'),('ock'),('es');

-- 500 clinicians, ten a site.
INSERT INTO users (public_id, email, name, password_hash, created_at)
WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 500)
SELECT lower(hex(randomblob(16))), 'clinician' || i || '@site' || (i % 50) || '.example',
       'Clinician ' || i, 'x', '2016-01-01T00:00:00Z' FROM k;
INSERT INTO user_roles (user_id, role)
    SELECT id, 'clinician' FROM users WHERE email LIKE 'clinician%@site%';

CREATE TEMP TABLE staff AS SELECT row_number() OVER (ORDER BY id) - 1 AS k, id FROM users
    WHERE email LIKE 'clinician%@site%';

-- Referrals: i = 1 .. 300000. i % 3 = 0: closed; the last 400: open; the rest: admitted.
INSERT INTO referrals (id, public_id, created_at, status, name, phone, email, best_time,
                       voicemail_ok, consent_at, answers, result, spec_version, level, flags,
                       assigned_to, closed_reason, updated_at, first_call_at)
WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 300000),
g AS (SELECT i, strftime('%Y-%m-%dT%H:%M:%SZ', 1451606400 + i * 1051, 'unixepoch') AS at,
             CASE WHEN i > 299600 THEN (CASE i % 3 WHEN 0 THEN 'new' WHEN 1 THEN 'contacted'
                                         ELSE 'intake-scheduled' END)
                  WHEN i % 3 = 0 THEN 'closed' ELSE 'admitted' END AS status
      FROM k)
SELECT i, lower(hex(randomblob(16))), at, status,
       (SELECT v FROM firsts WHERE n = 1 + (i * 7919) % 60) || ' ' ||
       (SELECT v FROM pre WHERE n = 1 + (i * 104729) % 30) ||
       (SELECT v FROM suf WHERE n = 1 + (i * 1299709 / 30) % 30),
       '(555) ' || printf('%03d-%04d', (i * 7) % 1000, (i * 7919) % 10000), NULL,
       'any', 1, at, tpl.answers, tpl.result, tpl.spec_version, tpl.level, tpl.flags,
       (SELECT id FROM staff WHERE k = i % 500),
       CASE WHEN status = 'closed' THEN 'not-reached' END, at,
       CASE WHEN status = 'new' THEN NULL ELSE strftime('%Y-%m-%dT%H:%M:%SZ',
            1451606400 + i * 1051 + 3600, 'unixepoch') END
FROM g, tpl;

INSERT INTO referral_calls (referral_id, called_at, outcome, note, by_user, created_at)
SELECT r.id, strftime('%Y-%m-%dT%H:%M:%SZ', 1451606400 + r.id * 1051 + 3600 * c.n, 'unixepoch'),
       CASE c.n WHEN 1 THEN 'voicemail' ELSE 'reached' END, 'Left details; call back',
       r.assigned_to, strftime('%Y-%m-%dT%H:%M:%SZ', 1451606400 + r.id * 1051 + 3600 * c.n,
                               'unixepoch')
FROM referrals r, (SELECT 1 AS n UNION ALL SELECT 2) c WHERE r.status <> 'new';

INSERT INTO referral_events (referral_id, at, by_user, kind, from_status, to_status, detail)
SELECT id, first_call_at, assigned_to, 'status', 'new', 'contacted', 'after a call'
FROM referrals WHERE status <> 'new';
INSERT INTO referral_events (referral_id, at, by_user, kind, detail)
SELECT id, created_at, assigned_to, 'assign', (SELECT public_id FROM users u WHERE u.id = assigned_to)
FROM referrals;
INSERT INTO referral_events (referral_id, at, by_user, kind, from_status, to_status, detail)
SELECT id, updated_at, assigned_to, 'status', 'contacted', 'closed', 'not-reached'
FROM referrals WHERE status = 'closed';

INSERT INTO intakes (referral_id, recommended_level, confirmed_level, change_reason, by_user,
                     created_at)
SELECT id, 'iop', 'iop', NULL, assigned_to, updated_at FROM referrals
WHERE status IN ('admitted', 'intake-scheduled');

-- Patients: one per admitted referral; names and phones from the referral.
INSERT INTO patients (id, public_id, referral_id, first_name, last_name, date_of_birth, phone,
                      phone_digits, email, address, emergency_name, emergency_phone,
                      emergency_relationship, counsellor_id, admission_date, level, track,
                      status, created_by, created_at)
SELECT row_number() OVER (ORDER BY r.id), lower(hex(randomblob(16))), r.id,
       substr(r.name, 1, instr(r.name, ' ') - 1), substr(r.name, instr(r.name, ' ') + 1),
       printf('%04d-%02d-%02d', 1950 + r.id % 50, 1 + r.id % 12, 1 + r.id % 28), r.phone,
       replace(replace(replace(replace(r.phone, '(', ''), ')', ''), ' ', ''), '-', ''),
       NULL, NULL, 'Next of kin', '(555) 000-0000', 'Partner', r.assigned_to,
       substr(r.updated_at, 1, 10), 'iop', NULL,
       CASE WHEN r.id < 290000 THEN 'discharged' ELSE 'active' END, r.assigned_to, r.updated_at
FROM referrals r WHERE r.status = 'admitted';

INSERT INTO referral_events (referral_id, at, by_user, kind, from_status, to_status, detail)
SELECT p.referral_id, p.created_at, p.created_by, 'admit', 'intake-scheduled', 'admitted',
       p.public_id FROM patients p;
INSERT INTO patient_events (patient_id, at, by_user, kind, detail)
SELECT id, created_at, created_by, 'admitted', level FROM patients;

-- Consents: one for every patient, a second for every other one (revoked for every fourth).
INSERT INTO consents (public_id, patient_id, discloser, information, recipient, purpose,
                      expires_on, end_of_treatment, revoke_acknowledged, signature_name, signed,
                      signed_at, recorded_by, created_at, revoked_at, revoked_by)
SELECT lower(hex(randomblob(16))), p.id, 'Haven IOP', 'Attendance and progress',
       CASE c.n WHEN 1 THEN 'Primary care physician' ELSE 'Probation office' END,
       'Coordination of care', NULL, 1, 1, p.first_name || ' ' || p.last_name, 1, p.created_at,
       p.created_by, p.created_at,
       CASE WHEN c.n = 2 AND p.id % 4 = 0 THEN p.created_at END,
       CASE WHEN c.n = 2 AND p.id % 4 = 0 THEN p.created_by END
FROM patients p, (SELECT 1 AS n UNION ALL SELECT 2) c WHERE c.n = 1 OR p.id % 2 = 0;
INSERT INTO patient_events (patient_id, at, by_user, kind, detail)
SELECT patient_id, created_at, recorded_by, 'consent-signed', public_id FROM consents;

-- The audit trail: 1M entries over the same ten years.
INSERT INTO audit_log (at, user_id, user_email, roles, action, record_type, record_id, outcome,
                       client, prev_hash, hash)
WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 1000000)
SELECT strftime('%Y-%m-%dT%H:%M:%S.000Z', 1451606400 + i * 315, 'unixepoch'), NULL,
       'clinician' || (i % 500 + 1) || '@site' || (i % 50) || '.example', 'clinician',
       CASE i % 5 WHEN 0 THEN 'update' WHEN 1 THEN 'search' ELSE 'view' END,
       CASE i % 3 WHEN 0 THEN 'referral' ELSE 'patient' END,
       lower(hex(randomblob(16))), 'ok', '127.0.0.1', printf('%064d', i - 1), printf('%064d', i)
FROM k;
-- Point the head anchor (migration 0009) at the newest generated entry, unsealed, so that the
-- server seals it at start-up and appends to the trail as it would in the field.
UPDATE audit_head SET last_id = (SELECT max(id) FROM audit_log),
    last_hash = (SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1), mac = NULL;

COMMIT;
ANALYZE;
