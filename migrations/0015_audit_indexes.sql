-- 0015: fewer indexes on audit_log (issue 8: every signed-in page view appends an entry, and
-- each index is one more page written per entry). From seven to five, and a list entry (the
-- most common: one per list view, record_id NULL) now writes four of them:
--   audit_log_at          dropped: the date filters find their range of ids by a binary search
--                         over the primary key (`at` never goes backwards along the ids).
--   audit_log_user_action dropped, and audit_log_user rebuilt to carry action and record_type
--                         after id: a user's entries newest first, the other filters tested in
--                         the index without reading the rows.
--   audit_log_record      rebuilt as a partial index: list entries have no record_id.
--   audit_log_action, audit_log_type, audit_log_action_type stay: an action or a record type
--                         alone, and both together, newest first (and the filter's choices:
--                         one probe per distinct value of the first two).
-- store/audit_query.c (filter_sql) names the index each filter walks. EXPLAIN QUERY PLAN of
-- every shape of filter (user, type, record, action, dates), count and page, on 1M entries
-- without ANALYZE: each walks one of these (or the primary key), and each took under 1 ms
-- here (before: up to 370 ms, the planner walking an action's entries for a user's).
DROP INDEX audit_log_at;
DROP INDEX audit_log_user_action;
DROP INDEX audit_log_user;
CREATE INDEX audit_log_user ON audit_log (user_email, id, action, record_type);
DROP INDEX audit_log_record;
CREATE INDEX audit_log_record ON audit_log (record_id, id) WHERE record_id IS NOT NULL;
