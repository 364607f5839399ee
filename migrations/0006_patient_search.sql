-- 0006: patient search that scales, and the admissions settings' defaults.
-- Search keys are written by the store with every patient (store/sqlite_patients.c,
-- sqlite_adm_name_key): lower case, accents folded, apostrophes, dots and commas dropped,
-- hyphens and runs of spaces as one space. name_key is "first last", name_key_rl "last first":
-- a prefix of either is one index range, in name order. Existing rows get the ASCII part of
-- that folding here (SQLite's lower() leaves non-ASCII letters as they are).
ALTER TABLE patients ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
ALTER TABLE patients ADD COLUMN name_key_rl TEXT NOT NULL DEFAULT '';
UPDATE patients SET
    name_key = trim(replace(replace(replace(replace(replace(lower(first_name || ' ' || last_name),
        '''', ''), '.', ''), ',', ''), '-', ' '), '  ', ' ')),
    name_key_rl = trim(replace(replace(replace(replace(replace(lower(last_name || ' ' || first_name),
        '''', ''), '.', ''), ',', ''), '-', ' '), '  ', ' '));
DROP INDEX patients_last_name;
DROP INDEX patients_first_name;
DROP INDEX patients_phone;
CREATE INDEX patients_name_key ON patients (name_key);
CREATE INDEX patients_name_key_rl ON patients (name_key_rl);
-- Phone search by the last 7 digits (a local number), exact or as a suffix of the full number.
CREATE INDEX patients_phone_tail ON patients (substr(phone_digits, -7));
-- "The 50 most recent admissions" when nothing is searched.
CREATE INDEX patients_created ON patients (created_at);

INSERT OR IGNORE INTO settings (key, value) VALUES ('overdue_hours', '2');
