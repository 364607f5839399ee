-- 0033: the enrolments overlapping a range of dates, for the reads of the whole network (the
-- alerts, R7, and the billable days: store/hours.c): the open ones and those ending in or after
-- the range, from two ranges of this index instead of every enrolment ever made (65,000 on
-- bench/program.sh, of which ~5,600 overlap three weeks: 11 -> 5 ms); with the patient, the
-- patients of a range come from the index alone (the plans of a billing month).
CREATE INDEX enrolments_end ON enrolments (end_date, start_date, patient_id);
