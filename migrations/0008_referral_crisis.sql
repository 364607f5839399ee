-- 0008: a crisis marker on referrals, so that the queue orders in SQL (crisis first, then oldest)
-- and no number of ordinary referrals can push a crisis one off the first page. crisis is 1 when
-- the result's flags hold one of the flags domain/referral_flow.c marks as crisis (suicide-acute,
-- suicide-risk, withdrawal-danger; tests/unit/store/test_sqlite_queue.c checks the two lists
-- agree). It is computed here, by triggers, from the stored flags: every writer of referrals
-- gets it without knowing about it.
ALTER TABLE referrals ADD COLUMN crisis INTEGER NOT NULL DEFAULT 0 CHECK (crisis IN (0, 1));

CREATE TRIGGER referrals_crisis_insert AFTER INSERT ON referrals
WHEN EXISTS (SELECT 1 FROM json_each(NEW.flags)
             WHERE value IN ('suicide-acute', 'suicide-risk', 'withdrawal-danger'))
BEGIN
    UPDATE referrals SET crisis = 1 WHERE id = NEW.id;
END;

CREATE TRIGGER referrals_crisis_update AFTER UPDATE OF flags ON referrals
BEGIN
    UPDATE referrals SET crisis = EXISTS (SELECT 1 FROM json_each(NEW.flags)
        WHERE value IN ('suicide-acute', 'suicide-risk', 'withdrawal-danger'))
    WHERE id = NEW.id;
END;

UPDATE referrals SET crisis = 1
WHERE EXISTS (SELECT 1 FROM json_each(referrals.flags)
              WHERE value IN ('suicide-acute', 'suicide-risk', 'withdrawal-danger'));

-- The open queue is one walk of this index, already in queue order (crisis first, oldest
-- first), stopping at the page size; its count is a walk of the index alone (status is there
-- for that). A status filter walks the second one the same way.
CREATE INDEX referrals_open_queue ON referrals (crisis DESC, created_at, status)
    WHERE status IN ('new', 'contacted', 'intake-scheduled');
DROP INDEX referrals_queue;
CREATE INDEX referrals_queue ON referrals (status, crisis DESC, created_at);
