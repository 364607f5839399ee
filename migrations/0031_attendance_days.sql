-- 0031: each patient's attendance added up by day, kept beside the records, for the reads that
-- want days, not sessions: the alerts (R7) of a network read last week's attended minutes of
-- every patient (~100,000 records on bench/program.sh, ~20,000 days) and, for each patient,
-- their last day with records (how many, how many absences: store/hours.c, last_two_absent)
-- in one seek instead of two.
--
-- A row per patient and date with records: the minutes attended, the services (records with
-- minutes), the records and the absences (records counting no minutes: domain/attendance.c
-- gives every other status at least one). Triggers on attendance keep it, whoever writes: a
-- record's old figures leave its day (the day goes with its last record: deleted before the
-- others are taken off, lest a day left with one record go too), its new ones join
-- their day (the store's upsert of a record taken again is an UPDATE).
CREATE TABLE attendance_days (
    patient_id INTEGER NOT NULL,
    date       TEXT NOT NULL,
    minutes    INTEGER NOT NULL,
    services   INTEGER NOT NULL,
    records    INTEGER NOT NULL CHECK (records > 0),
    absences   INTEGER NOT NULL,
    PRIMARY KEY (patient_id, date)
) STRICT, WITHOUT ROWID;
CREATE INDEX attendance_days_date ON attendance_days (date, patient_id, minutes);

INSERT INTO attendance_days
SELECT patient_id, date, sum(minutes), sum(minutes > 0), count(*), sum(minutes = 0)
FROM attendance GROUP BY patient_id, date;

CREATE TRIGGER attendance_days_in AFTER INSERT ON attendance BEGIN
    INSERT INTO attendance_days VALUES (NEW.patient_id, NEW.date, NEW.minutes, NEW.minutes > 0,
        1, NEW.minutes = 0)
    ON CONFLICT (patient_id, date) DO UPDATE SET minutes = minutes + excluded.minutes,
        services = services + excluded.services, records = records + 1,
        absences = absences + excluded.absences;
END;

CREATE TRIGGER attendance_days_out AFTER DELETE ON attendance BEGIN
    DELETE FROM attendance_days WHERE patient_id = OLD.patient_id AND date = OLD.date
        AND records = 1;
    UPDATE attendance_days SET minutes = minutes - OLD.minutes,
        services = services - (OLD.minutes > 0), absences = absences - (OLD.minutes = 0),
        records = records - 1
    WHERE patient_id = OLD.patient_id AND date = OLD.date AND records > 1;
END;

CREATE TRIGGER attendance_days_change AFTER UPDATE OF patient_id, date, minutes ON attendance
BEGIN
    DELETE FROM attendance_days WHERE patient_id = OLD.patient_id AND date = OLD.date
        AND records = 1;
    UPDATE attendance_days SET minutes = minutes - OLD.minutes,
        services = services - (OLD.minutes > 0), absences = absences - (OLD.minutes = 0),
        records = records - 1
    WHERE patient_id = OLD.patient_id AND date = OLD.date AND records > 1;
    INSERT INTO attendance_days VALUES (NEW.patient_id, NEW.date, NEW.minutes, NEW.minutes > 0,
        1, NEW.minutes = 0)
    ON CONFLICT (patient_id, date) DO UPDATE SET minutes = minutes + excluded.minutes,
        services = services + excluded.services, records = records + 1,
        absences = absences + excluded.absences;
END;
