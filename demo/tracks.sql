-- Demo content: a morning and an evening track, 3 hours a day, 3 days a week (9 hours: the
-- least an IOP gives, as the home page promises). Sessions run back to back; short breaks are
-- taken inside them, so the hours shown are the hours of treatment.
DELETE FROM track_sessions;
DELETE FROM tracks;
INSERT INTO tracks (id, code, name, summary, position) VALUES
    (1, 'morning', 'Morning track', 'Monday, Wednesday, Friday · 9:00 am–12:00 pm', 1),
    (2, 'evening', 'Evening track', 'Monday, Tuesday, Thursday · 6:00–9:00 pm', 2);
INSERT INTO track_sessions (track_id, weekday, starts, ends, title, kind) VALUES
    (1, 1, '09:00', '10:30', 'Process group', 'group'),
    (1, 1, '10:30', '12:00', 'Relapse prevention workshop', 'workshop'),
    (1, 3, '09:00', '10:30', 'Process group', 'group'),
    (1, 3, '10:30', '11:30', 'Individual therapy (by appointment)', 'individual'),
    (1, 3, '11:30', '12:00', 'Check-in and goals', 'group'),
    (1, 5, '09:00', '10:30', 'Skills group: coping with cravings', 'group'),
    (1, 5, '10:30', '12:00', 'Managing triggers workshop', 'workshop'),
    (2, 1, '18:00', '19:30', 'Process group', 'group'),
    (2, 1, '19:30', '21:00', 'Relapse prevention workshop', 'workshop'),
    (2, 2, '18:00', '19:30', 'Skills group: coping with cravings', 'group'),
    (2, 2, '19:30', '21:00', 'Individual therapy (by appointment)', 'individual'),
    (2, 4, '18:00', '19:30', 'Process group', 'group'),
    (2, 4, '19:30', '21:00', 'Managing triggers workshop', 'workshop');
