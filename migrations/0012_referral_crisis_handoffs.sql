-- 0012: the crisis workflow (issue 7). A call can end in a warm hand-off to 988, with emergency
-- services, in a referral elsewhere, or in a welfare check asked for; a referral can be closed as
-- handed to 988 or sent to emergency services. The codes are domain/referral_flow.c's (tests/
-- unit/store/test_referrals.c checks that the schema takes every one of them). And the intake
-- appointment: when a referral is "intake scheduled", the date and time it is for (UTC, shown in
-- the clinic's zone).

-- referral_calls: a CHECK cannot be altered in SQLite, so the table is rebuilt (nothing refers to
-- it).
CREATE TABLE referral_calls_new (
    id             INTEGER PRIMARY KEY,
    referral_id    INTEGER NOT NULL REFERENCES referrals (id),
    called_at      TEXT NOT NULL,
    outcome        TEXT NOT NULL CHECK (outcome IN ('reached', 'handed-to-988',
        'emergency-services', 'referred-elsewhere', 'voicemail', 'no-answer', 'wrong-number',
        'welfare-check')),
    note           TEXT CHECK (note IS NULL OR length(note) <= 2000),
    next_follow_up TEXT
        CHECK (next_follow_up IS NULL OR next_follow_up GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    by_user        INTEGER REFERENCES users (id),
    created_at     TEXT NOT NULL
) STRICT;
INSERT INTO referral_calls_new (id, referral_id, called_at, outcome, note, next_follow_up, by_user,
                                created_at)
    SELECT id, referral_id, called_at, outcome, note, next_follow_up, by_user, created_at
    FROM referral_calls;
DROP TABLE referral_calls;
ALTER TABLE referral_calls_new RENAME TO referral_calls;
CREATE INDEX referral_calls_referral ON referral_calls (referral_id, called_at);

-- referrals.closed_reason: the table is referred to by many others, so it is not rebuilt: the
-- column is replaced by one with the longer list (no index, trigger or view names it).
ALTER TABLE referrals ADD COLUMN closed_reason_new TEXT
    CHECK (closed_reason_new IS NULL OR closed_reason_new IN
           ('referred-elsewhere', 'handed-to-988', 'emergency-services', 'not-reached',
            'declined', 'duplicate'));
UPDATE referrals SET closed_reason_new = closed_reason WHERE closed_reason IS NOT NULL;
ALTER TABLE referrals DROP COLUMN closed_reason;
ALTER TABLE referrals RENAME COLUMN closed_reason_new TO closed_reason;

ALTER TABLE referrals ADD COLUMN intake_at TEXT
    CHECK (intake_at IS NULL OR intake_at GLOB
           '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z');
