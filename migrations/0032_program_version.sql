-- 0032: a counter of the program's changes, for reads computed from all of it and asked for
-- often: the alerts (R7) of a network take ~35 ms on bench/program.sh and every staff Today
-- page shows them. store/hours.c keeps the last answer with the counter it was computed at and
-- answers again from it while the counter is unchanged (and the date is the same). Every write
-- to what R7 reads (tracks and their slots, enrolments, sessions, their named patients,
-- attendance) moves the counter, by triggers, so a write from any process (the server, the
-- command line, a repair by hand) is seen.
CREATE TABLE program_version (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
) STRICT;
INSERT INTO program_version VALUES (1, 0);

CREATE TRIGGER program_version_tracks_in AFTER INSERT ON tracks BEGIN
    UPDATE program_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER program_version_tracks_change AFTER UPDATE ON tracks BEGIN
    UPDATE program_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER program_version_tracks_out AFTER DELETE ON tracks BEGIN
    UPDATE program_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER program_version_track_sessions_in AFTER INSERT ON track_sessions BEGIN
    UPDATE program_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER program_version_track_sessions_change AFTER UPDATE ON track_sessions BEGIN
    UPDATE program_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER program_version_track_sessions_out AFTER DELETE ON track_sessions BEGIN
    UPDATE program_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER program_version_enrolments_in AFTER INSERT ON enrolments BEGIN
    UPDATE program_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER program_version_enrolments_change AFTER UPDATE ON enrolments BEGIN
    UPDATE program_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER program_version_enrolments_out AFTER DELETE ON enrolments BEGIN
    UPDATE program_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER program_version_program_sessions_in AFTER INSERT ON program_sessions BEGIN
    UPDATE program_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER program_version_program_sessions_change AFTER UPDATE ON program_sessions BEGIN
    UPDATE program_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER program_version_program_sessions_out AFTER DELETE ON program_sessions BEGIN
    UPDATE program_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER program_version_session_patients_in AFTER INSERT ON session_patients BEGIN
    UPDATE program_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER program_version_session_patients_change AFTER UPDATE ON session_patients BEGIN
    UPDATE program_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER program_version_session_patients_out AFTER DELETE ON session_patients BEGIN
    UPDATE program_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER program_version_attendance_in AFTER INSERT ON attendance BEGIN
    UPDATE program_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER program_version_attendance_change AFTER UPDATE ON attendance BEGIN
    UPDATE program_version SET n = n + 1 WHERE id = 1;
END;
CREATE TRIGGER program_version_attendance_out AFTER DELETE ON attendance BEGIN
    UPDATE program_version SET n = n + 1 WHERE id = 1;
END;
