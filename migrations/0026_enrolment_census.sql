-- 0026: a track's census on a date (its enrolments covering the date), read for every track
-- each time a chart shows the enrolment form and on the Tracks screen: the open and recently
-- ended enrolments of the track from the index alone, instead of every enrolment the track
-- ever had (1,300 a track on bench/program.sh) looked up in the table.
CREATE INDEX enrolments_track_end ON enrolments (track_id, end_date, start_date);
