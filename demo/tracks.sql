-- Demo content: a morning and an evening track of the intensive outpatient level, for adults,
-- 3 hours a day, 3 days a week (9 hours: the least an IOP gives, as the home page promises).
-- Sessions run back to back; short breaks are taken inside them, so the hours shown are the
-- hours of treatment. A track's slots are group or workshop sessions, which everyone on its
-- roster attends; individual therapy is a one-off session with its patient (spec program.md §2).
-- Added once: a track that exists keeps its pattern, enrolments and sessions (the opening date
-- and public id are set at seed time by store_demo_seed, which knows today's date).
INSERT INTO tracks (code, name, summary, position, level, population, capacity) VALUES
    ('morning', 'Morning track', 'Monday, Wednesday, Friday · 9:00 am–12:00 pm', 1, 'iop', 'adult',
     12),
    ('evening', 'Evening track', 'Monday, Tuesday, Thursday · 6:00–9:00 pm', 2, 'iop', 'adult',
     12)
    ON CONFLICT (code) DO NOTHING;
INSERT INTO track_sessions (track_id, weekday, starts, ends, title, kind)
    SELECT t.id, v.weekday, v.starts, v.ends, v.title, v.kind FROM tracks t
    JOIN (SELECT 'morning' AS code, 1 AS weekday, '09:00' AS starts, '10:30' AS ends,
                 'Process group' AS title, 'group' AS kind
          UNION ALL SELECT 'morning', 1, '10:30', '12:00', 'Relapse prevention workshop', 'workshop'
          UNION ALL SELECT 'morning', 3, '09:00', '10:30', 'Process group', 'group'
          UNION ALL SELECT 'morning', 3, '10:30', '11:30', 'Family and relationships workshop',
                           'workshop'
          UNION ALL SELECT 'morning', 3, '11:30', '12:00', 'Check-in and goals', 'group'
          UNION ALL SELECT 'morning', 5, '09:00', '10:30', 'Skills group: coping with cravings',
                           'group'
          UNION ALL SELECT 'morning', 5, '10:30', '12:00', 'Managing triggers workshop', 'workshop'
          UNION ALL SELECT 'evening', 1, '18:00', '19:30', 'Process group', 'group'
          UNION ALL SELECT 'evening', 1, '19:30', '21:00', 'Relapse prevention workshop', 'workshop'
          UNION ALL SELECT 'evening', 2, '18:00', '19:30', 'Skills group: coping with cravings',
                           'group'
          UNION ALL SELECT 'evening', 2, '19:30', '21:00', 'Family and relationships workshop',
                           'workshop'
          UNION ALL SELECT 'evening', 4, '18:00', '19:30', 'Process group', 'group'
          UNION ALL SELECT 'evening', 4, '19:30', '21:00', 'Managing triggers workshop', 'workshop')
         AS v ON v.code = t.code
    WHERE NOT EXISTS (SELECT 1 FROM track_sessions s WHERE s.track_id = t.id);
