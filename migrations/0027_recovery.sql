-- 0027: the patient's relapse-prevention plan and the clinic's skills library (issue 11).
-- Writes and reads: store/recovery.c (plans), store/recovery_skills.c (skills); the rules of
-- each section and of the review are domain/recovery.h. Times are UTC ISO-8601.

-- Every version of a patient's relapse-prevention plan, one row each, none ever deleted. The
-- patient edits a draft and submits it; a clinician approves it or returns it with a comment
-- the patient reads. Editing a returned or approved version starts a new draft (version + 1)
-- from its text, so that what the counsellor saw stays as it was; a submitted one is taken
-- back to a draft as it is (nobody has reviewed it yet). Approving supersedes the approved one
-- before it, in the same transaction. body is the sections as JSON (domain/recovery.h):
-- {"warning_signs": [..], "high_risk": [..], "coping": [..], "people": [{"name", "phone"}],
-- "reasons": [..], "after_lapse": [..]}.
CREATE TABLE recovery_plans (
    id           INTEGER PRIMARY KEY,
    public_id    TEXT NOT NULL UNIQUE CHECK (length(public_id) = 32),
    patient_id   INTEGER NOT NULL REFERENCES patients (id),
    version      INTEGER NOT NULL CHECK (version >= 1),
    status       TEXT NOT NULL
                 CHECK (status IN ('draft', 'submitted', 'approved', 'returned', 'superseded')),
    body         TEXT NOT NULL CHECK (length(body) BETWEEN 2 AND 60000),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    submitted_at TEXT,
    reviewed_at  TEXT,
    reviewed_by  INTEGER REFERENCES users (id),
    comment      TEXT CHECK (comment IS NULL OR length(comment) BETWEEN 1 AND 2000),
    UNIQUE (patient_id, version)
) STRICT;
-- At most one version being worked on (a draft or one waiting for review) and one approved.
CREATE UNIQUE INDEX recovery_plans_open ON recovery_plans (patient_id)
    WHERE status IN ('draft', 'submitted');
CREATE UNIQUE INDEX recovery_plans_approved ON recovery_plans (patient_id)
    WHERE status = 'approved';

-- The skills library: short exercises and readings that clinicians and administrators edit
-- and patients read in the portal. hidden ones are kept (and can be shown again) but patients
-- no longer see them. body is plain text: paragraphs separated by a blank line, a paragraph
-- whose lines all start with "- " is a list. Every skill names its source.
CREATE TABLE skills (
    id         INTEGER PRIMARY KEY,
    public_id  TEXT NOT NULL UNIQUE CHECK (length(public_id) = 32),
    title      TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
    summary    TEXT NOT NULL CHECK (length(summary) BETWEEN 1 AND 300),
    body       TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 8000),
    source     TEXT NOT NULL CHECK (length(source) BETWEEN 1 AND 400),
    kind       TEXT NOT NULL CHECK (kind IN ('exercise', 'reading')),
    position   INTEGER NOT NULL CHECK (position BETWEEN 0 AND 9999),
    hidden     INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by INTEGER REFERENCES users (id)
) STRICT;

-- The starting set, written for this project; the clinic edits or hides any of them.
INSERT INTO skills (public_id, title, summary, body, source, kind, position, created_at,
                    updated_at) VALUES
('2b898dbd51b82037ccc534cd09c96bbc', 'Urge surfing',
 'Ride out a craving like a wave: notice it, breathe with it, and let it pass.',
 'A craving feels as if it will keep growing until you give in. It will not. Urges rise, peak and fade, usually within minutes, much like a wave coming in to shore.

- Sit down somewhere you can be still for a few minutes.
- Notice where you feel the urge in your body: mouth, throat, chest, stomach, hands.
- Breathe slowly and describe the feeling to yourself, without judging it: tight, warm, buzzing.
- Watch it change. Rate it from 0 to 10 every minute or so.
- Each time you ride a craving out without using, the next one tends to be weaker.

The timer on the Help now page walks you through ten minutes of this.',
 'Source: Marlatt & Gordon, Relapse Prevention (1985); Bowen, Chawla & Marlatt, Mindfulness-Based Relapse Prevention for Addictive Behaviors (2010).',
 'exercise', 10, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
('72ced8f19908014776b397574e2d6127', 'Delay, distract, decide',
 'Three steps to put time between a craving and a choice.',
 'Most cravings pass if you give them time. These three steps buy that time.

- Delay: tell yourself you will not decide anything for the next 15 minutes.
- Distract: do something that takes your hands and your attention: walk, shower, call someone, cook, play a game.
- Decide: when the time is up, think about what using would really lead to, and what staying on track gives you. Read your reasons for recovery in your plan.

If the craving is still strong, start again from Delay, or call someone on your plan.',
 'Source: Kadden et al., Cognitive-Behavioral Coping Skills Therapy Manual, NIAAA Project MATCH Monograph Series vol. 3 (1992), coping with cravings and urges.',
 'exercise', 20, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
('058d5f0ee48c833d261dc9583848907c', 'HALT: hungry, angry, lonely, tired',
 'A quick check of four states that make cravings stronger.',
 'When a craving shows up, stop and ask yourself four questions. Each of these states makes it harder to think clearly, and each has a simpler answer than using.

- Hungry? Eat something, even a small snack, and drink some water.
- Angry? Name what upset you, step away, move your body, or talk it through.
- Lonely? Reach out: a call, a message, a meeting, someone on your plan.
- Tired? Rest if you can. Everything feels harder on little sleep.

Checking HALT a few times a day, not only in a craving, helps you catch a risky moment early.',
 'Source: a self-check long used in twelve-step recovery; Melemis, Relapse Prevention and the Five Rules of Recovery, Yale Journal of Biology and Medicine 88 (2015) 325-332.',
 'exercise', 30, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
('cf108eb0128ba0cd483aea0f180fe09f', 'Triggers: people, places and things',
 'Know what sets off your cravings, and plan around it.',
 'A trigger is anything that brings on the wish to use. Many are linked to where and with whom you used before. Knowing yours lets you avoid some and prepare for the rest.

- People: friends you used with, a dealer, someone you often argue with.
- Places: a bar, a street, a friend''s home, the route past them.
- Things: paydays, paraphernalia, certain songs, times of day, feelings such as stress or boredom.

For each trigger, decide: can I avoid it, change it, or face it with a plan? Write the ones that matter in the high-risk situations of your plan, with what you will do instead.',
 'Source: Marlatt & Gordon, Relapse Prevention (1985), on high-risk situations; NIDA, Principles of Drug Addiction Treatment: A Research-Based Guide (3rd ed., 2018).',
 'reading', 40, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
('a8957e83f20181b5cfcfa1ffa037273b', 'Sleep better',
 'Simple habits that help sleep come back in recovery.',
 'Sleep is often poor in early recovery, and a bad night makes cravings stronger. It usually improves over weeks. These habits help.

- Go to bed and get up at the same time every day, weekends too.
- Keep the bedroom dark, quiet and cool; use the bed for sleep only.
- Stop caffeine in the afternoon, and avoid heavy meals late in the evening.
- Put screens away for the last half hour; do something calm instead.
- If you cannot sleep after about 20 minutes, get up and do something quiet until you feel sleepy.
- Daylight and some movement during the day help the body''s clock.

Tell your care team if sleep stays bad: do not treat it on your own with alcohol or pills.',
 'Source: American Academy of Sleep Medicine, Healthy Sleep Habits (sleepeducation.org); CDC, Tips for Better Sleep.',
 'reading', 50, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
('54568507fe50fb1c2c5fff7ccd9af8b2', 'Saying no to an offer',
 'A short, firm refusal you can practise before you need it.',
 'Being offered a drink or a drug is one of the most common moments before a lapse. A plan and some practice make it much easier.

- Say "No, thanks" clearly, and look the person in the eye.
- Keep it short. You do not owe anyone a long explanation.
- Suggest something else: "Let''s get a coffee instead."
- If they push, change the subject or leave.
- Ask people who care about you to stop offering.

Practise the words out loud, or with your group, so that they come easily when it counts.',
 'Source: Monti et al., Treating Alcohol Dependence: A Coping Skills Training Guide (2nd ed., 2002), drink refusal skills.',
 'exercise', 60, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
('07c059e46ac855b383e0d2cc2a8fceda', 'After a lapse: a slip is not a fall',
 'A lapse is a moment, not the end of your recovery. What you do next matters most.',
 'After using again, many people think "I have blown it, so I may as well keep going." That thought, with the guilt and shame that come with it, is what turns a single lapse into a full relapse. It is a common reaction, and you can answer it.

- Stop, and get to a safe place.
- Remember that one slip does not erase the days, the skills and the work you have done.
- Look at it as something to learn from: what led up to it? Which warning signs came first?
- Reach out today: your counsellor, someone on your plan, a meeting.
- Follow the steps in "What to do after a lapse" in your plan.

If you used after a break, your tolerance may be lower than before: the amount you used to take can now be dangerous. In an emergency, call 911.',
 'Source: Marlatt & Gordon, Relapse Prevention (1985), the abstinence violation effect; Larimer, Palmer & Marlatt, Alcohol Research & Health 23 (1999) 151-160.',
 'reading', 70, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
('2910190774f347352eed65682bbd7974', 'Weighing it up',
 'List what using gives you and costs you, to keep your reasons in view.',
 'Part of you may still want to use, and part of you wants to stop. Both are normal. Writing both sides down makes the choice clearer.

- What did using give me, in the short run?
- What has it cost me: health, money, people, work, freedom?
- What could staying on track give me in a year?
- What worries me about changing?

Keep the answers that matter most in the reasons for recovery of your plan, and read them when a craving comes.',
 'Source: Miller & Rollnick, Motivational Interviewing (3rd ed., 2013); SAMHSA TIP 35, Enhancing Motivation for Change in Substance Use Disorder Treatment (2019), decisional balance.',
 'exercise', 80, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
