-- 0029: what the outcomes report needs of each enrolment, kept beside it, so that a year's
-- report reads one row per enrolment instead of every measure of the year (258,000 measures for
-- 31,000 enrolments on bench/program.sh: 212 ms a report, over the 50 ms budget) and every
-- enrolment of the cohort's patients again for retention.
--
-- A row per enrolment (store/outcomes.c reads it): whether the patient was enrolled (in any
-- track) 30, 60 and 90 days after its start, and per instrument (PHQ-9, GAD-7, PACS) the first
-- total taken during it (by date, then entry), NULL when there is none, and the last (a later
-- entry of a day after an earlier one), NULL unless it was taken on a later day than the first
-- (a follow-up). Measures are never dated after today (every way in refuses
-- it), so "taken up to today" is "taken during the enrolment".
--
-- The view says how a row is computed; triggers on measures and enrolments recompute the rows
-- of the patient whose measure or enrolment changed (a handful of enrolments), so every writer
-- (the store, the demo, bench/program.sql in bulk, a repair by hand) keeps the table right.
CREATE TABLE enrolment_outcomes (
    enrolment_id INTEGER PRIMARY KEY REFERENCES enrolments (id),
    retained_30  INTEGER NOT NULL,
    retained_60  INTEGER NOT NULL,
    retained_90  INTEGER NOT NULL,
    phq9_first   INTEGER,
    phq9_last    INTEGER,
    gad7_first   INTEGER,
    gad7_last    INTEGER,
    pacs_first   INTEGER,
    pacs_last    INTEGER
) STRICT;

CREATE VIEW enrolment_outcomes_fresh AS
SELECT e.id AS enrolment_id, e.patient_id AS patient_id,
    EXISTS (SELECT 1 FROM enrolments o WHERE o.patient_id = e.patient_id
        AND o.start_date <= date(e.start_date, '+30 days')
        AND (o.end_date IS NULL OR o.end_date >= date(e.start_date, '+30 days'))) AS retained_30,
    EXISTS (SELECT 1 FROM enrolments o WHERE o.patient_id = e.patient_id
        AND o.start_date <= date(e.start_date, '+60 days')
        AND (o.end_date IS NULL OR o.end_date >= date(e.start_date, '+60 days'))) AS retained_60,
    EXISTS (SELECT 1 FROM enrolments o WHERE o.patient_id = e.patient_id
        AND o.start_date <= date(e.start_date, '+90 days')
        AND (o.end_date IS NULL OR o.end_date >= date(e.start_date, '+90 days'))) AS retained_90,
    (SELECT m.total FROM measures m WHERE m.patient_id = e.patient_id AND m.instrument = 'phq9'
        AND m.taken_on >= e.start_date AND (e.end_date IS NULL OR m.taken_on <= e.end_date)
        ORDER BY m.taken_on, m.id LIMIT 1) AS phq9_first,
    (SELECT m.total FROM measures m WHERE m.patient_id = e.patient_id AND m.instrument = 'phq9'
        AND m.taken_on > (SELECT min(f.taken_on) FROM measures f WHERE f.patient_id = e.patient_id
            AND f.instrument = 'phq9' AND f.taken_on >= e.start_date)
        AND (e.end_date IS NULL OR m.taken_on <= e.end_date)
        ORDER BY m.taken_on DESC, m.id DESC LIMIT 1) AS phq9_last,
    (SELECT m.total FROM measures m WHERE m.patient_id = e.patient_id AND m.instrument = 'gad7'
        AND m.taken_on >= e.start_date AND (e.end_date IS NULL OR m.taken_on <= e.end_date)
        ORDER BY m.taken_on, m.id LIMIT 1) AS gad7_first,
    (SELECT m.total FROM measures m WHERE m.patient_id = e.patient_id AND m.instrument = 'gad7'
        AND m.taken_on > (SELECT min(f.taken_on) FROM measures f WHERE f.patient_id = e.patient_id
            AND f.instrument = 'gad7' AND f.taken_on >= e.start_date)
        AND (e.end_date IS NULL OR m.taken_on <= e.end_date)
        ORDER BY m.taken_on DESC, m.id DESC LIMIT 1) AS gad7_last,
    (SELECT m.total FROM measures m WHERE m.patient_id = e.patient_id AND m.instrument = 'pacs'
        AND m.taken_on >= e.start_date AND (e.end_date IS NULL OR m.taken_on <= e.end_date)
        ORDER BY m.taken_on, m.id LIMIT 1) AS pacs_first,
    (SELECT m.total FROM measures m WHERE m.patient_id = e.patient_id AND m.instrument = 'pacs'
        AND m.taken_on > (SELECT min(f.taken_on) FROM measures f WHERE f.patient_id = e.patient_id
            AND f.instrument = 'pacs' AND f.taken_on >= e.start_date)
        AND (e.end_date IS NULL OR m.taken_on <= e.end_date)
        ORDER BY m.taken_on DESC, m.id DESC LIMIT 1) AS pacs_last
FROM enrolments e;

INSERT INTO enrolment_outcomes
SELECT enrolment_id, retained_30, retained_60, retained_90, phq9_first, phq9_last, gad7_first,
        gad7_last, pacs_first, pacs_last
FROM enrolment_outcomes_fresh;

-- The rows of one patient again (the same column list in each trigger: a view's columns are
-- not a table's, so no SELECT *).
CREATE TRIGGER enrolment_outcomes_measure_in AFTER INSERT ON measures
WHEN NEW.instrument IN ('phq9', 'gad7', 'pacs') BEGIN
    INSERT OR REPLACE INTO enrolment_outcomes
    SELECT enrolment_id, retained_30, retained_60, retained_90, phq9_first, phq9_last, gad7_first,
        gad7_last, pacs_first, pacs_last
    FROM enrolment_outcomes_fresh WHERE patient_id = NEW.patient_id;
END;

CREATE TRIGGER enrolment_outcomes_measure_out AFTER DELETE ON measures
WHEN OLD.instrument IN ('phq9', 'gad7', 'pacs') BEGIN
    INSERT OR REPLACE INTO enrolment_outcomes
    SELECT enrolment_id, retained_30, retained_60, retained_90, phq9_first, phq9_last, gad7_first,
        gad7_last, pacs_first, pacs_last
    FROM enrolment_outcomes_fresh WHERE patient_id = OLD.patient_id;
END;

CREATE TRIGGER enrolment_outcomes_measure_change AFTER UPDATE OF patient_id, instrument,
    taken_on, total ON measures BEGIN
    INSERT OR REPLACE INTO enrolment_outcomes
    SELECT enrolment_id, retained_30, retained_60, retained_90, phq9_first, phq9_last, gad7_first,
        gad7_last, pacs_first, pacs_last
    FROM enrolment_outcomes_fresh WHERE patient_id IN (OLD.patient_id, NEW.patient_id);
END;

CREATE TRIGGER enrolment_outcomes_enrolment_in AFTER INSERT ON enrolments BEGIN
    INSERT OR REPLACE INTO enrolment_outcomes
    SELECT enrolment_id, retained_30, retained_60, retained_90, phq9_first, phq9_last, gad7_first,
        gad7_last, pacs_first, pacs_last
    FROM enrolment_outcomes_fresh WHERE patient_id = NEW.patient_id;
END;

CREATE TRIGGER enrolment_outcomes_enrolment_change AFTER UPDATE OF patient_id, start_date,
    end_date ON enrolments BEGIN
    INSERT OR REPLACE INTO enrolment_outcomes
    SELECT enrolment_id, retained_30, retained_60, retained_90, phq9_first, phq9_last, gad7_first,
        gad7_last, pacs_first, pacs_last
    FROM enrolment_outcomes_fresh WHERE patient_id IN (OLD.patient_id, NEW.patient_id);
END;

CREATE TRIGGER enrolment_outcomes_enrolment_out AFTER DELETE ON enrolments BEGIN
    DELETE FROM enrolment_outcomes WHERE enrolment_id = OLD.id;
    INSERT OR REPLACE INTO enrolment_outcomes
    SELECT enrolment_id, retained_30, retained_60, retained_90, phq9_first, phq9_last, gad7_first,
        gad7_last, pacs_first, pacs_last
    FROM enrolment_outcomes_fresh WHERE patient_id = OLD.patient_id;
END;
