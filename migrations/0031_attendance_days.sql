-- 0031: each patient's attendance added up by day, kept beside the records, for the reads that
-- want days, not sessions: the alerts (R7) of a network read last week's attended minutes of
-- every patient (~100,000 records on bench/program.sh, ~20,000 days) and, for each patient,
-- their last day with records (how many, how many absences: store/hours.c, last_two_absent)
-- in one seek; R6's documentation condition (store/hours_gate.h) reads a day's undocumented
-- count instead of looking up the notes of each of its sessions, and the billable days of a
-- month read ~150,000 days instead of ~850,000 records and the month's notes.
--
-- A row per patient and date with records: the minutes attended, the services (records with
-- minutes), the records and the absences (records counting no minutes: domain/attendance.c
-- gives every other status at least one), and undocumented: the records with minutes whose
-- note is not complete (R6's fourth condition, haven-program-2): for a group or workshop
-- session the group note signed (and co-signed when it needs it) and this patient's section
-- signed; for any other session a note of this patient's for it, signed (and co-signed when it
-- needs it). store/hours_gate.h's HOURS_GATE_NOTE names the states of the same rule for the
-- report of missing notes; tests/unit/store/test_program_gate.c holds both to each case.
--
-- Triggers keep it, whoever writes: a record's old figures leave its day (the day goes with
-- its last record: deleted before the others are taken off, lest a day left with one record go
-- too), its new ones join their day (the store's upsert of a record taken again is an UPDATE);
-- and a day's undocumented count is counted again whenever one of its records, their notes,
-- sections or sessions' kinds change.
CREATE TABLE attendance_days (
    patient_id   INTEGER NOT NULL,
    date         TEXT NOT NULL,
    minutes      INTEGER NOT NULL,
    services     INTEGER NOT NULL,
    records      INTEGER NOT NULL CHECK (records > 0),
    absences     INTEGER NOT NULL,
    undocumented INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (date, patient_id)
) STRICT, WITHOUT ROWID;
-- Days are kept in date order (a range of dates is a range of the table); a patient's last day
-- before a date (R7) is one seek of this index.
CREATE INDEX attendance_days_patient ON attendance_days (patient_id, date, records, absences);

-- The records with minutes and without their complete note, one row each: counted for a day
-- as (SELECT count(*) ... WHERE patient_id = P AND date = D). A plain view (no GROUP BY) is
-- flattened into the query that counts, so the day's terms reach attendance's index (an
-- aggregate view would be computed whole for every day counted).
CREATE VIEW attendance_undocumented AS
SELECT ad.patient_id AS patient_id, ad.date AS date
FROM attendance ad JOIN program_sessions sd ON sd.id = ad.session_id
WHERE ad.minutes > 0 AND NOT (CASE WHEN sd.kind IN ('group', 'workshop') THEN EXISTS (
        SELECT 1 FROM notes gn JOIN note_sections gs ON gs.note_id = gn.id
        WHERE gn.session_id = sd.id AND gn.kind = 'group' AND gs.patient_id = ad.patient_id
        AND gn.signed_at IS NOT NULL AND (gn.cosign_needed = 0 OR gn.cosigned_at IS NOT NULL)
        AND gs.signed_at IS NOT NULL)
    ELSE EXISTS (
        SELECT 1 FROM notes inn WHERE inn.session_id = sd.id AND inn.patient_id = ad.patient_id
        AND inn.kind <> 'group' AND inn.signed_at IS NOT NULL
        AND (inn.cosign_needed = 0 OR inn.cosigned_at IS NOT NULL)) END);

INSERT INTO attendance_days
SELECT a.patient_id, a.date, sum(a.minutes), sum(a.minutes > 0), count(*), sum(a.minutes = 0),
    (SELECT count(*) FROM attendance_undocumented u WHERE u.patient_id = a.patient_id
        AND u.date = a.date)
FROM attendance a GROUP BY a.patient_id, a.date;

CREATE TRIGGER attendance_days_in AFTER INSERT ON attendance BEGIN
    INSERT INTO attendance_days (patient_id, date, minutes, services, records, absences)
    VALUES (NEW.patient_id, NEW.date, NEW.minutes, NEW.minutes > 0, 1, NEW.minutes = 0)
    ON CONFLICT (date, patient_id) DO UPDATE SET minutes = minutes + excluded.minutes,
        services = services + excluded.services, records = records + 1,
        absences = absences + excluded.absences;
    UPDATE attendance_days SET undocumented = (SELECT count(*) FROM attendance_undocumented u
        WHERE u.patient_id = NEW.patient_id AND u.date = NEW.date)
    WHERE patient_id = NEW.patient_id AND date = NEW.date;
END;

CREATE TRIGGER attendance_days_out AFTER DELETE ON attendance BEGIN
    DELETE FROM attendance_days WHERE patient_id = OLD.patient_id AND date = OLD.date
        AND records = 1;
    UPDATE attendance_days SET minutes = minutes - OLD.minutes,
        services = services - (OLD.minutes > 0), absences = absences - (OLD.minutes = 0),
        records = records - 1, undocumented = (SELECT count(*) FROM attendance_undocumented u
        WHERE u.patient_id = OLD.patient_id AND u.date = OLD.date)
    WHERE patient_id = OLD.patient_id AND date = OLD.date;
END;

CREATE TRIGGER attendance_days_change AFTER UPDATE OF patient_id, date, minutes ON attendance
BEGIN
    DELETE FROM attendance_days WHERE patient_id = OLD.patient_id AND date = OLD.date
        AND records = 1;
    UPDATE attendance_days SET minutes = minutes - OLD.minutes,
        services = services - (OLD.minutes > 0), absences = absences - (OLD.minutes = 0),
        records = records - 1
    WHERE patient_id = OLD.patient_id AND date = OLD.date;
    INSERT INTO attendance_days (patient_id, date, minutes, services, records, absences)
    VALUES (NEW.patient_id, NEW.date, NEW.minutes, NEW.minutes > 0, 1, NEW.minutes = 0)
    ON CONFLICT (date, patient_id) DO UPDATE SET minutes = minutes + excluded.minutes,
        services = services + excluded.services, records = records + 1,
        absences = absences + excluded.absences;
    UPDATE attendance_days SET undocumented = (SELECT count(*) FROM attendance_undocumented u
        WHERE u.patient_id = attendance_days.patient_id AND u.date = attendance_days.date)
    WHERE (patient_id = OLD.patient_id AND date = OLD.date)
        OR (patient_id = NEW.patient_id AND date = NEW.date);
END;

-- A session's notes, sections and kind decide its attendees' days.
CREATE TRIGGER attendance_days_note_in AFTER INSERT ON notes BEGIN
    UPDATE attendance_days SET undocumented = (SELECT count(*) FROM attendance_undocumented u
        WHERE u.patient_id = attendance_days.patient_id AND u.date = attendance_days.date)
    WHERE (date, patient_id) IN (SELECT a.date, a.patient_id FROM attendance a
        WHERE a.session_id = NEW.session_id);
END;

CREATE TRIGGER attendance_days_note_change AFTER UPDATE OF kind, session_id, patient_id,
    signed_at, cosign_needed, cosigned_at ON notes BEGIN
    UPDATE attendance_days SET undocumented = (SELECT count(*) FROM attendance_undocumented u
        WHERE u.patient_id = attendance_days.patient_id AND u.date = attendance_days.date)
    WHERE (date, patient_id) IN (SELECT a.date, a.patient_id FROM attendance a
        WHERE a.session_id IN (OLD.session_id, NEW.session_id));
END;

CREATE TRIGGER attendance_days_note_out AFTER DELETE ON notes BEGIN
    UPDATE attendance_days SET undocumented = (SELECT count(*) FROM attendance_undocumented u
        WHERE u.patient_id = attendance_days.patient_id AND u.date = attendance_days.date)
    WHERE (date, patient_id) IN (SELECT a.date, a.patient_id FROM attendance a
        WHERE a.session_id = OLD.session_id);
END;

CREATE TRIGGER attendance_days_section_in AFTER INSERT ON note_sections BEGIN
    UPDATE attendance_days SET undocumented = (SELECT count(*) FROM attendance_undocumented u
        WHERE u.patient_id = attendance_days.patient_id AND u.date = attendance_days.date)
    WHERE (date, patient_id) IN (SELECT a.date, a.patient_id FROM attendance a
        JOIN notes n ON n.session_id = a.session_id
        WHERE n.id = NEW.note_id AND a.patient_id = NEW.patient_id);
END;

CREATE TRIGGER attendance_days_section_change AFTER UPDATE OF note_id, patient_id, signed_at
    ON note_sections BEGIN
    UPDATE attendance_days SET undocumented = (SELECT count(*) FROM attendance_undocumented u
        WHERE u.patient_id = attendance_days.patient_id AND u.date = attendance_days.date)
    WHERE (date, patient_id) IN (SELECT a.date, a.patient_id FROM attendance a
        JOIN notes n ON n.session_id = a.session_id
        WHERE (n.id = OLD.note_id AND a.patient_id = OLD.patient_id)
        OR (n.id = NEW.note_id AND a.patient_id = NEW.patient_id));
END;

CREATE TRIGGER attendance_days_section_out AFTER DELETE ON note_sections BEGIN
    UPDATE attendance_days SET undocumented = (SELECT count(*) FROM attendance_undocumented u
        WHERE u.patient_id = attendance_days.patient_id AND u.date = attendance_days.date)
    WHERE (date, patient_id) IN (SELECT a.date, a.patient_id FROM attendance a
        JOIN notes n ON n.session_id = a.session_id
        WHERE n.id = OLD.note_id AND a.patient_id = OLD.patient_id);
END;

CREATE TRIGGER attendance_days_session_kind AFTER UPDATE OF kind ON program_sessions BEGIN
    UPDATE attendance_days SET undocumented = (SELECT count(*) FROM attendance_undocumented u
        WHERE u.patient_id = attendance_days.patient_id AND u.date = attendance_days.date)
    WHERE (date, patient_id) IN (SELECT a.date, a.patient_id FROM attendance a
        WHERE a.session_id = NEW.id);
END;
