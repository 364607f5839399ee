// `make run` (HAVEN_DEMO_REFERRALS=1 with --demo) puts three call requests, scored by the real
// scorer, in an empty queue; never into a queue that already has people in it. It also runs a
// living program (src/cli/demo_program.c): twenty patients in the morning and evening tracks,
// six weeks of attendance, individual sessions, the alerts and billable days that follow from
// them, all through the store's writes and audited as "demo"; seeded once. And the clinical record
// of those weeks (src/cli/demo_record.c): signed plans current from admission and reviewed every
// thirty days, signed group and individual notes, PHQ-9 / GAD-7 / PACS with their trends, two
// drug screens; so the billable days are the demo's own, with a little left for Today.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../helpers/server.mjs';
import { api, get, signIn } from '../helpers/staff.mjs';

let srv;
before(async () => {
    process.env.HAVEN_DEMO_REFERRALS = '1';
    try {
        srv = await startServer({ demo: true });
    } finally {
        delete process.env.HAVEN_DEMO_REFERRALS;
    }
});
after(async () => { await srv?.stop(); });

const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q],
    { encoding: 'utf8' }).trim();

// The clinic's dates: the test server runs in UTC.
const day = (d) => d.toISOString().slice(0, 10);
const addDays = (s, n) => { const d = new Date(`${s}T12:00:00Z`); d.setUTCDate(d.getUTCDate() + n); return day(d); };
const TODAY = day(new Date());
const MONDAY = addDays(TODAY, -((new Date(`${TODAY}T12:00:00Z`).getUTCDay() + 6) % 7));
const isoWeek = (s) => {
    const d = new Date(`${s}T12:00:00Z`);
    const thursday = new Date(d); thursday.setUTCDate(d.getUTCDate() + 3 - ((d.getUTCDay() + 6) % 7));
    const jan4 = new Date(Date.UTC(thursday.getUTCFullYear(), 0, 4));
    const week = 1 + Math.round(((thursday - jan4) / 864e5 - 3 + ((jan4.getUTCDay() + 6) % 7)) / 7);
    return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
};
const patientId = (last) => sql(`select public_id from patients where last_name = '${last}'`);
const counts = () => sql('select (select count(*) from patients) || \',\' || (select count(*) from enrolments)' +
    ' || \',\' || (select count(*) from program_sessions where track_id is null) || \',\' ||' +
    ' (select count(*) from attendance) || \',\' ||' +
    " (select count(*) from audit_log where user_email = 'demo')");

test('three scored demo call requests, the crisis one marked, each audited', () => {
    assert.equal(sql("select group_concat(level, ',') from (select level from referrals order by id)"),
        'emergency,php,iop');
    assert.equal(sql('select count(*) from referrals where crisis = 1'), '1');
    assert.equal(sql("select count(*) from audit_log where action = 'create' and record_type = 'referral'"), '3');
    const result = JSON.parse(sql('select result from referrals order by id limit 1'));
    assert.ok(result.flags.includes('suicide-acute'), 'the stored result is the scorer\'s');
});

test('the demo program: twenty patients admitted over six weeks and enrolled, every write audited', async () => {
    const admin = await signIn(srv, 'admin');
    const tracks = (await api(srv, admin, 'GET', '/api/v1/tracks')).data;
    assert.deepEqual(tracks.map((t) => t.code).sort(), ['evening', 'morning']);
    const census = tracks.reduce((n, t) => n + t.census, 0);
    assert.equal(census, 19, 'nineteen enrolled today, one discharged last week');
    assert.ok(tracks.every((t) => t.census >= 5 && t.census <= t.capacity));

    // every patient is on some track session's roster over the six weeks
    const seen = new Set();
    for (const t of tracks) {
        const r = await api(srv, admin, 'GET', `/api/v1/sessions?from=${t.opens}&to=${addDays(TODAY, -1)}&track=${t.id}`);
        assert.equal(r.status, 200);
        for (const s of r.data) s.roster.forEach((p) => seen.add(p));
    }
    assert.equal(seen.size, 20);
    assert.equal(sql('select count(*) from patients'), '20');
    assert.equal(sql("select count(*) from patients where status = 'discharged'"), '1');
    assert.equal(sql("select count(*) from patients where phone not like '%555-01__'" +
        " or emergency_phone not like '%555-01__'"), '0', 'fictional numbers only');
    assert.equal(sql("select count(*) from enrolments where strftime('%w', start_date) = '2'"), '1',
        'one patient started on a Tuesday');
    assert.ok(Number(sql("select count(*) from patients where admission_date < date('now', '-35 days')")) >= 4);

    // every past track session has its attendance; nothing dated today or later
    assert.equal(sql('select count(*) from program_sessions s join enrolments e on e.track_id = s.track_id' +
        ` and e.start_date <= s.date and (e.end_date is null or e.end_date >= s.date) where s.date < '${TODAY}'` +
        ' and not exists (select 1 from attendance a where a.session_id = s.id and a.patient_id = e.patient_id)'),
    '0', 'every past track session has everyone\'s attendance');
    assert.equal(sql(`select count(*) from attendance a join program_sessions s on s.id = a.session_id where s.date >= '${TODAY}'`), '0');
    const kinds = sql('select group_concat(status) from (select distinct status from attendance order by 1)');
    assert.equal(kinds, 'absent-excused,absent-unexcused,late,left-early,present');
    assert.ok(Number(sql("select count(*) from program_sessions where kind = 'individual'")) >= 20);

    // each write is the store's own, with its audit entry as user "demo"
    const audited = (action, type) => sql(`select count(*) from audit_log where user_email = 'demo' and action = '${action}' and record_type = '${type}'`);
    assert.equal(audited('create', 'patient'), '20');
    assert.equal(audited('create', 'enrolment'), '20');
    assert.equal(audited('update', 'patient'), '1', 'the discharge');
    assert.equal(audited('attendance', 'patient'), sql('select count(*) from attendance'));
    assert.equal(audited('create', 'session'), sql('select count(*) from program_sessions where track_id is null'));
});

test('the alerts: one patient missed two sessions in a row, one attended under the minimum', async () => {
    const clinician = await signIn(srv, 'clinician');
    const alerts = (await api(srv, clinician, 'GET', '/api/v1/alerts')).data;
    const missed = alerts.filter((a) => a.kind === 'missed-two-in-a-row').map((a) => a.patient_id);
    assert.deepEqual(missed, [patientId("O''Malley")]);
    const under = alerts.filter((a) => a.kind === 'attended-under-minimum');
    const lastWeek = isoWeek(addDays(MONDAY, -7));
    assert.ok(under.some((a) => a.patient_id === patientId('Kowalczyk') && a.week === lastWeek));
    assert.ok(under.every((a) => [patientId('Kowalczyk'), patientId("O''Malley")].includes(a.patient_id)),
        'everyone else attended last week in full');
    assert.ok(!alerts.some((a) => a.kind === 'scheduled-under-minimum'), 'every week is scheduled in full');
    assert.ok(!alerts.some((a) => a.patient_id === patientId('Greenberg')), 'discharged: no alerts');

    const week = (await api(srv, clinician, 'GET', `/api/v1/patients/${patientId('Kowalczyk')}/weeks/${lastWeek}`)).data;
    assert.equal(week.scheduled_minutes, 540);
    assert.equal(week.attended_minutes, 420);
    assert.equal(week.attended_shortfall, 120);
    // the patient who started on a Tuesday has no minimum for that week (R3)
    const tuesday = (await api(srv, clinician, 'GET', `/api/v1/patients/${patientId('Nwosu')}/weeks/${lastWeek}`)).data;
    assert.equal(tuesday.minimum_minutes, null);
    assert.ok(tuesday.scheduled_minutes >= 360, 'Tuesday and Thursday evenings (and a one-off)');
});

test('billable days: a track day is exactly 3 hours, so a late arrival is not billable unless an individual session makes up the minutes', async () => {
    const billing = await signIn(srv, 'billing');
    const from = addDays(MONDAY, -42);
    // documented by the demo itself (R6's fourth condition, haven-program-2): nothing is
    // signed here
    const days = await api(srv, billing, 'GET', `/api/v1/billing/days?from=${from}&to=${TODAY}`);
    assert.equal(days.status, 200);
    assert.ok(days.data.length > 150, `${days.data.length} billable days`);
    // every attended day but the last group session's (its note is a draft) and the short days
    const lastGroup = sql(`select max(date) from program_sessions where kind in ('group', 'workshop')
        and date < '${TODAY}'`);
    assert.ok(!days.data.some((d) => d.date === lastGroup), 'the draft note keeps its day back');
    assert.ok(days.data.some((d) => d.date === addDays(lastGroup, -7) ||
        d.date === addDays(lastGroup, -2) || d.date === addDays(lastGroup, -1)), 'days before it bill');
    assert.ok(days.data.every((d) => d.minutes >= 180 && d.code === 'H0015'));
    const csv = await api(srv, billing, 'GET', `/api/v1/billing/days?from=${from}&to=${TODAY}&format=csv`);
    assert.equal(csv.status, 200);
    assert.match(csv.body, /Castañeda/);

    const clinician = await signIn(srv, 'clinician');
    const twoWeeksAgo = addDays(MONDAY, -14);
    const weekOf = async (last) => (await api(srv, clinician, 'GET',
        `/api/v1/patients/${patientId(last)}/weeks/${isoWeek(twoWeeksAgo)}`)).data.days[0];
    // 15 minutes late on Monday: 165 minutes, under the 3 hours
    assert.deepEqual(await weekOf('Whitaker'), { date: twoWeeksAgo, attended_minutes: 165, services: 2,
        billable: false, reasons: ['under-3-hours'] });
    // 20 minutes late, but an individual session that afternoon: 160 + 50 minutes
    assert.deepEqual(await weekOf('Raghunathan'), { date: twoWeeksAgo, attended_minutes: 210, services: 3,
        billable: true, reasons: [] });
    assert.ok(days.data.some((d) => d.date === twoWeeksAgo && d.patient_id === patientId('Raghunathan')));
    assert.ok(!days.data.some((d) => d.date === twoWeeksAgo && d.patient_id === patientId('Whitaker')));
});

test('the clinical record: every patient has a signed plan current since admission, reviewed at thirty days', async () => {
    const clinician = await signIn(srv, 'clinician');
    // the database: every admitted patient's plan is current from the day of admission on
    assert.equal(sql(`select count(*) from patients p where not exists (select 1 from plans pl
        where pl.patient_id = p.id and pl.status in ('current', 'superseded')
        and pl.effective_date = p.admission_date)`), '0');
    assert.equal(sql("select count(*) from plans where status in ('draft', 'signed')"), '0');
    assert.equal(sql('select count(*) from plans where signed_at is null or signed_by is null'), '0');
    const id = patientId('Quintero'); // admitted six weeks ago: reviewed once
    const plans = (await api(srv, clinician, 'GET', `/api/v1/patients/${id}/plans`)).data;
    assert.deepEqual(plans.map((p) => [p.version, p.status]), [[2, 'current'], [1, 'superseded']]);
    const current = await api(srv, clinician, 'GET', `/api/v1/patients/${id}/plans/current`);
    assert.equal(current.status, 200);
    const plan = current.data.plan;
    assert.equal(plan.effective_date, addDays(sql(`select admission_date from patients where public_id = '${id}'`), 30));
    assert.equal(plan.review_due, addDays(plan.effective_date, 30));
    assert.ok(plan.problems.length >= 2 && plan.problems.every((p) => p.goals.length && p.interventions.length));
    assert.equal(plan.problems[0].goals[0].objectives[0].status, 'met', 'the review marked the first objective met');
    assert.match(plan.problems[0].statement, /Alcohol use disorder/);
    // Today: one plan review due within the week, none overdue
    const dueRows = sql(`select count(*) from plans where status = 'current' and review_due >= '${TODAY}'
        and review_due <= '${addDays(TODAY, 7)}'`);
    assert.equal(dueRows, '1');
    assert.equal(sql(`select count(*) from plans where status = 'current' and review_due < '${TODAY}'`), '0');
});

test('the clinical record: signed group notes with each attendee\'s section, one draft left for Today', async () => {
    const clinician = await signIn(srv, 'clinician');
    // every attended session but the last group session has its complete note
    assert.equal(sql(`select count(*) from notes where signed_at is null`), '1');
    assert.equal(sql(`select count(*) from attendance a join program_sessions s on s.id = a.session_id
        where a.minutes > 0 and s.date < (select max(date) from program_sessions where kind in ('group', 'workshop')
        and date < '${TODAY}') and not exists (select 1 from notes n where n.session_id = s.id and n.signed_at is not null
        and (n.kind <> 'group' or exists (select 1 from note_sections x where x.note_id = n.id
        and x.patient_id = a.patient_id and x.signed_at is not null)))`), '0');
    assert.equal(sql("select count(*) from note_sections where risk <> 'none'"), '0');
    assert.equal(sql(`select count(*) from note_progress np join plan_objectives o on o.id = np.objective_id
        where o.status <> 'open'`), '0', 'progress only on objectives still open');
    const id = patientId('Castañeda');
    const notes = (await api(srv, clinician, 'GET', `/api/v1/patients/${id}/notes`)).data;
    const group = notes.find((n) => n.kind === 'group' && n.signed_at);
    assert.ok(group, 'a signed group note in the chart');
    assert.ok(group.a && group.b && group.c, 'topic, interventions, summary');
    assert.equal(group.section.patient_id, id);
    assert.ok(group.section.signed_at && group.section.response);
    assert.ok(group.section.progress.length >= 1, 'progress on an objective of the plan (the golden thread)');
    assert.ok(notes.some((n) => n.kind === 'individual' && n.signed_at && n.form === 'dap'));
    const others = sql(`select group_concat(last_name, '|') from patients where public_id <> '${id}'`).split('|');
    const text = JSON.stringify(notes);
    assert.ok(!others.some((name) => text.includes(name)), 'no other member named in the chart');
    // Today shows the draft to finish
    const today = await get(srv, clinician.jar, '/staff/');
    assert.equal(today.status, 200);
    const draft = sql("select s.title from notes n join program_sessions s on s.id = n.session_id where n.signed_at is null");
    assert.ok(today.body.includes(draft), 'the unsigned note is on Today');
    assert.match(today.body, /id="alerts"/, 'the demo has attendance alerts');
    assert.ok(!/And 0 more/.test(today.body), 'no "And 0 more" under a list');
});

test('the clinical record: PHQ-9, GAD-7 and PACS on schedule, improving but for one, no item 9 alert', async () => {
    const clinician = await signIn(srv, 'clinician');
    const trend = async (last, instrument) => (await api(srv, clinician, 'GET',
        `/api/v1/patients/${patientId(last)}/measures/${instrument}/trend`)).data;
    const phq = await trend('Quintero', 'phq9');
    // admission six weeks ago: at 0, 14, 28 (and 42 when that day has passed)
    assert.equal(phq.points.length, phq.baseline.taken_on === addDays(MONDAY, -42) &&
        TODAY > MONDAY ? 4 : 3, 'every two weeks');
    assert.ok(phq.points.at(-1).total < phq.baseline.total - 4, 'improving');
    assert.equal((await trend('Quintero', 'gad7')).points.length, phq.points.length);
    assert.ok((await trend('Quintero', 'pacs')).points.length >= 6, 'weekly for alcohol');
    const slow = await trend("O''Malley", 'phq9');
    assert.ok(slow.points.at(-1).total >= slow.baseline.total, 'one patient is not improving');
    assert.equal(sql("select count(*) from measures where instrument = 'pacs' and patient_id in" +
        " (select id from patients where last_name in ('Tanabe', 'Kahale', 'Zhou'))"), '0', 'PACS: alcohol only');
    assert.equal(sql("select count(*) from measures where instrument = 'phq9' and json_extract(answers, '$[8]') > 0"), '0');
    assert.equal(sql('select count(*) from clinical_alerts'), '0', 'no alert at all in the demo');
    // two screens: the buprenorphine positive is expected
    const screens = (await api(srv, clinician, 'GET', `/api/v1/patients/${patientId('Tanabe')}/drug-screens`)).data;
    assert.equal(screens.length, 1);
    assert.deepEqual(screens[0].results.filter((r) => r.result === 'positive').map((r) => [r.substance, r.expected]),
        [['buprenorphine', true]]);
    assert.equal(sql('select count(*) from drug_screens'), '2');
});

test('a restart adds no demo people: not to a queue that has some, nor to the program', async () => {
    // keep the database (and its key file) across the restart in a directory of our own
    const keep = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-demo-'));
    const db = path.join(keep, 'haven.db');
    sql('PRAGMA wal_checkpoint(TRUNCATE)');
    const before = counts().split(',');
    fs.copyFileSync(srv.db, db);
    fs.copyFileSync(`${srv.db}.key`, `${db}.key`);
    await srv.stop();
    fs.chmodSync(`${db}.key`, 0o600);
    process.env.HAVEN_DEMO_REFERRALS = '1';
    try {
        srv = await startServer({ demo: true, extraArgs: ['--db', db] });
    } finally {
        delete process.env.HAVEN_DEMO_REFERRALS;
    }
    const q = (text) => execFileSync('sqlite3', [db, text], { encoding: 'utf8' }).trim();
    assert.equal(q('select count(*) from referrals'), '3');
    // the program is not seeded again: the same patients, enrolments, one-off sessions,
    // attendance and demo audit entries (its record included)
    assert.match(srv.stderr(), /demo account: admin@demo\.haven/);
    assert.equal(q('select count(*) from patients'), before[0]);
    assert.equal(q('select count(*) from enrolments'), before[1]);
    assert.equal(q('select count(*) from program_sessions where track_id is null'), before[2]);
    assert.equal(q('select count(*) from attendance'), before[3]);
    assert.equal(q("select count(*) from audit_log where user_email = 'demo'"), before[4]);
    await srv.stop();
    srv = null;
    fs.rmSync(keep, { recursive: true, force: true });
});
