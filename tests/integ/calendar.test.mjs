// The calendar and Today screens on the real binary: day and week views with their filters
// (track, clinician, room) and previous/next links, one-off sessions made from the calendar
// (patients found by name without a script; R9 conflicts named in the form), cancelling a
// session and closing the clinic for a day (sessions with attendance left and listed), and the
// Today part of the staff home (sessions in time order with rosters and attendance, alerts with
// the member's own patients first). Good, bad and missing input; roles; refusals change nothing.
// The clinic's zone is UTC so that "today" is the test's.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, inputs } from '../helpers/server.mjs';
import { api, signIn, get, post, demoAccounts } from '../helpers/staff.mjs';
import { byId, idIndex } from '../helpers/html.mjs';

let srv;
const staff = {};
const ids = {};
const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();
const day = (d) => d.toISOString().slice(0, 10);
const addDays = (s, n) => { const d = new Date(`${s}T12:00:00Z`); d.setUTCDate(d.getUTCDate() + n); return day(d); };
const isoWeek = (s) => {
    const d = new Date(`${s}T12:00:00Z`);
    const thursday = new Date(d); thursday.setUTCDate(d.getUTCDate() + 3 - ((d.getUTCDay() + 6) % 7));
    const jan4 = new Date(Date.UTC(thursday.getUTCFullYear(), 0, 4));
    const week = 1 + Math.round(((thursday - jan4) / 864e5 - 3 + ((jan4.getUTCDay() + 6) % 7)) / 7);
    return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
};
const TODAY = day(new Date());
const OPENS = addDays(TODAY, -21);
const FAR = addDays(TODAY, 2); // a day of this test's own, after today
const call = (role, method, path, body) => api(srv, staff[role], method, path, body);
const page = (role, path) => get(srv, staff[role].jar, path);
const send = (role, path, fields, csrf = true) =>
    post(srv, staff[role].jar, path, csrf ? { csrf: staff[role].csrf, ...fields } : fields);
const sessionsCount = () => sql('select count(*) || \'/\' || sum(status = \'cancelled\') from program_sessions');

async function patient(role, first, last) {
    const res = await call(role, 'POST', '/api/v1/patients', {
        first_name: first, last_name: last, date_of_birth: '1990-02-03', phone: '555-010-0100',
        emergency_name: 'Bo Diaz', emergency_phone: '555-010-0101', emergency_relationship: 'brother',
        admission_date: OPENS, level: 'iop' });
    assert.equal(res.status, 201, res.body);
    return res.data.id;
}

async function trackSessions(date) {
    const res = await call('admin', 'GET', `/api/v1/sessions?from=${date}&to=${date}&track=${ids.track}`);
    assert.equal(res.status, 200, res.body);
    return res.data;
}

before(async () => {
    srv = await startServer({ demo: true, extraArgs: ['--timezone', 'UTC'] });
    for (const role of ['admin', 'clinician', 'admissions', 'medical', 'billing', 'auditor']) staff[role] = await signIn(srv, role);
    ids.clinicianEmail = demoAccounts(srv).clinician.email;
    ids.clinicianId = sql(`select public_id from users where email = '${ids.clinicianEmail}'`);
    // Every day: a workshop in the afternoon listed before the morning group, to see time order.
    const slots = [1, 2, 3, 4, 5, 6, 7].flatMap((weekday) => [
        { weekday, start: '13:00', end: '14:00', title: 'Afternoon skills workshop', kind: 'workshop' },
        { weekday, start: '09:00', end: '10:30', title: 'Morning process group', kind: 'group' }]);
    const t = await call('admin', 'POST', '/api/v1/tracks', { code: 'cal-test', name: 'Calendar track', level: 'iop', opens: OPENS, slots });
    assert.equal(t.status, 201, t.body);
    ids.track = t.data.id;
    ids.ana = await patient('clinician', 'Ana', 'Diaz');
    ids.cy = await patient('admin', 'Cy', 'Long');
    ids.eve = await patient('admin', 'Eve', 'Oneoff');
    for (const p of [ids.ana, ids.cy]) {
        const e = await call('admin', 'POST', `/api/v1/patients/${p}/enrolments`, { track_id: ids.track, start: OPENS });
        assert.equal(e.status, 201, e.body);
    }
    // Both missed their last two sessions (R7): an alert each.
    for (const d of [-2, -1]) {
        for (const s of await trackSessions(addDays(TODAY, d))) {
            for (const p of [ids.ana, ids.cy]) {
                const a = await call('admin', 'PUT', `/api/v1/sessions/${s.id}/attendance/${p}`, { status: 'absent-unexcused' });
                assert.equal(a.status, 200, a.body);
            }
        }
    }
});
after(async () => { if (srv) await srv.stop(); });

test('week view (the default): this week, the track\'s sessions, previous and next weeks', async () => {
    const res = await page('clinician', '/staff/calendar');
    assert.equal(res.status, 200, res.body);
    const week = isoWeek(TODAY);
    assert.match(res.body, new RegExp(`Week ${week}`));
    assert.match(res.body, /Morning process group/);
    assert.match(res.body, /2 on the roster/);
    assert.match(res.body, /cal-is-today/);
    assert.equal(byId(res.body, 'cal-prev').href, `/staff/calendar?week=${isoWeek(addDays(TODAY, -7))}`);
    assert.equal(byId(res.body, 'cal-next').href, `/staff/calendar?week=${isoWeek(addDays(TODAY, 7))}`);
    assert.equal(sql("select count(*) from audit_log where action = 'list' and record_type = 'session'") > '0', true);
    const next = await page('clinician', `/staff/calendar?week=${isoWeek(addDays(TODAY, 7))}`);
    assert.equal(next.status, 200);
    assert.doesNotMatch(next.body, /cal-is-today/);
});

test('day view: the day\'s sessions in time order, cancel links, the closure link; previous and next days', async () => {
    const res = await page('admissions', `/staff/calendar?date=${TODAY}&track=${ids.track}`);
    assert.equal(res.status, 200, res.body);
    assert.ok(res.body.indexOf('Morning process group') < res.body.indexOf('Afternoon skills workshop'), 'time order');
    assert.match(res.body, /Cancel this session/);
    assert.equal(byId(res.body, 'cal-closure').href, `/staff/calendar/closure?date=${TODAY}`);
    assert.equal(byId(res.body, 'cal-prev').href, `/staff/calendar?date=${addDays(TODAY, -1)}&track=${ids.track}`);
    assert.equal(byId(res.body, 'cal-next').href, `/staff/calendar?date=${addDays(TODAY, 1)}&track=${ids.track}`);
    assert.equal(byId(res.body, 'cal-other-view').href, `/staff/calendar?week=${isoWeek(TODAY)}&track=${ids.track}`);
});

test('bad dates, weeks, tracks and clinicians: 422 with a sentence', async () => {
    for (const q of ['date=2026-02-30', 'date=today', 'week=2026-W60', 'week=2025-W53', 'track=nope', 'staff=nobody']) {
        const res = await page('clinician', `/staff/calendar?${q}`);
        assert.equal(res.status, 422, q);
        assert.match(res.body, /understand|no such/, q);
    }
    assert.equal((await page('clinician', '/staff/calendar?week=2026-W53')).status, 200, '2026 has a W53');
});

test('a one-off session: patients found by name, made with staff and room; filters by clinician and room', async () => {
    const form = await page('clinician', `/staff/calendar/new?date=${FAR}&patient=${ids.eve}`);
    assert.equal(form.status, 200, form.body);
    assert.equal(byId(form.body, 'date').value, FAR);
    assert.match(form.body, /an intake too: title it &quot;Intake&quot;|an intake too: title it "Intake"/);
    assert.ok(inputs(form.body).some((i) => i.name === 'patients' && i.value === ids.eve && 'checked' in i), 'the chart\'s patient ticked');
    assert.ok(inputs(form.body).some((i) => i.name === 'staff' && i.value === ids.clinicianId && 'checked' in i), 'the clinician ticked');

    const n = sessionsCount();
    const find = await send('clinician', '/staff/calendar/new', {
        action: 'find', q: 'Diaz', date: FAR, start: '11:00', end: '12:00', kind: 'individual', title: 'Intake', patients: [ids.eve] });
    assert.equal(find.status, 200, find.body);
    assert.ok(inputs(find.body).some((i) => i.name === 'patients' && i.value === ids.ana && !('checked' in i)), 'found, not ticked');
    assert.ok(inputs(find.body).some((i) => i.name === 'patients' && i.value === ids.eve && 'checked' in i), 'kept');
    assert.equal(byId(find.body, 'title').value, 'Intake');
    assert.equal(sessionsCount(), n, 'finding makes nothing');

    const made = await send('clinician', '/staff/calendar/new', {
        action: 'create', date: FAR, start: '11:00', end: '12:00', kind: 'individual', title: 'Intake',
        patients: [ids.eve, ids.ana], staff: [ids.clinicianId], room: 'Room 2' });
    assert.equal(made.status, 303, made.body);
    const s = sql(`select public_id from program_sessions where title = 'Intake' and date = '${FAR}'`);
    assert.equal(made.headers.location, `/staff/calendar?date=${FAR}#s-${s}`);
    const listed = (await call('admin', 'GET', `/api/v1/sessions?from=${FAR}&to=${FAR}`)).data.find((x) => x.id === s);
    assert.deepEqual([listed.kind, listed.room, listed.staff, listed.roster.sort()],
        ['individual', 'Room 2', [ids.clinicianEmail], [ids.ana, ids.eve].sort()]);
    ids.intake = s;

    const mine = await page('clinician', `/staff/calendar?date=${FAR}&staff=${ids.clinicianId}`);
    assert.match(mine.body, /Intake/);
    assert.doesNotMatch(mine.body, /Morning process group/);
    const room = await page('clinician', `/staff/calendar?date=${FAR}&room=Room%202`);
    assert.match(room.body, /Intake/);
    assert.doesNotMatch(room.body, /Morning process group/);
    assert.match(room.body, /<option value="Room 2" selected>/);
});

test('a one-off with problems or a conflict: the form again, nothing made', async () => {
    const good = { action: 'create', date: FAR, start: '15:00', end: '16:00', kind: 'family', title: 'Family session', patients: [ids.eve] };
    const bad = [
        [{ title: '' }, 'title'], [{ end: '14:00' }, 'end'], [{ start: '9am' }, 'start'], [{ date: '2026-02-30' }, 'date'],
        [{ kind: 'massage' }, 'kind'], [{ patients: [] }, 'patients'], [{ room: 'x'.repeat(51) }, 'room'],
        [{ patients: ['0123456789abcdef0123456789abcdef'] }, 'patients'],
    ];
    const n = sessionsCount();
    for (const [change, field] of bad) {
        const res = await send('clinician', '/staff/calendar/new', { ...good, ...change });
        assert.equal(res.status, 422, `${field}: ${res.status}`);
        assert.match(res.body, new RegExp(`href="#${field}"`), field);
    }
    // R9: the room, a patient and a staff member each in the intake at 11:00-12:00.
    for (const [change, field, text] of [
        [{ start: '11:30', end: '12:30', room: 'Room 2' }, 'room', /The room is taken: it is in "Intake"/],
        [{ start: '11:30', end: '12:30', patients: [ids.ana] }, 'patients', /Ana Diaz is in "Intake" \(.*11:00 to 12:00\)/],
        [{ start: '11:30', end: '12:30', staff: [ids.clinicianId] }, 'staff', /is in "Intake"/],
        [{ start: '09:30', end: '10:00', patients: [ids.cy] }, 'patients', /Cy Long is in "Morning process group"/]]) {
        const res = await send('clinician', '/staff/calendar/new', { ...good, ...change });
        assert.equal(res.status, 409, `${field}: ${res.body.slice(0, 200)}`);
        assert.match(res.body.replaceAll('&quot;', '"'), text);
    }
    assert.equal(sessionsCount(), n);
    const noCsrf = await send('clinician', '/staff/calendar/new', good, false);
    assert.equal(noCsrf.status, 403);
    assert.equal(sessionsCount(), n);
});

test('cancel a session: a confirmation page, a reason and a tick; struck through with its reason', async () => {
    const [group] = await trackSessions(FAR);
    const confirm = await page('clinician', `/staff/sessions/${group.id}/cancel`);
    assert.equal(confirm.status, 200);
    assert.ok(byId(confirm.body, 'cancel-form'));
    const n = sessionsCount();
    for (const fields of [{ reason: 'Snow' }, { confirm: 'yes' }, { reason: 'x'.repeat(301), confirm: 'yes' }]) {
        const res = await send('clinician', `/staff/sessions/${group.id}/cancel`, fields);
        assert.equal(res.status, 422, JSON.stringify(fields).slice(0, 40));
        assert.equal(sessionsCount(), n);
    }
    const ok = await send('clinician', `/staff/sessions/${group.id}/cancel`, { reason: 'Facilitator ill', confirm: 'yes' });
    assert.equal(ok.status, 303, ok.body);
    assert.equal(ok.headers.location, `/staff/calendar?date=${FAR}#s-${group.id}`);
    const cal = await page('clinician', `/staff/calendar?date=${FAR}`);
    assert.match(cal.body, /<s class="cal-title">Morning process group<\/s>/);
    assert.match(cal.body, /Cancelled: Facilitator ill/);
    assert.equal((await page('clinician', `/staff/sessions/${group.id}/cancel`)).status, 409, 'already cancelled');
    // A session with attendance cannot be cancelled.
    const [past] = await trackSessions(addDays(TODAY, -1));
    const taken = await page('clinician', `/staff/sessions/${past.id}/cancel`);
    assert.match(taken.body, /Attendance was taken at this session/);
    assert.equal(byId(taken.body, 'cancel-form'), null);
    const refused = await send('clinician', `/staff/sessions/${past.id}/cancel`, { reason: 'Oops', confirm: 'yes' });
    assert.equal(refused.status, 409);
    assert.equal(sql(`select status from program_sessions where public_id = '${past.id}'`), 'scheduled');
});

test('clinic closure: every session of the date cancelled at once; those with attendance left and listed', async () => {
    const date = addDays(TODAY, -1);
    const [group, workshop] = await trackSessions(date);
    const res = await page('admin', `/staff/calendar/closure?date=${date}`);
    assert.equal(res.status, 200);
    assert.ok(idIndex(res.body, `k-${group.id}`) > 0 && idIndex(res.body, `k-${workshop.id}`) > 0, 'attended: kept');
    // Today: the track's two sessions will be cancelled.
    const todays = await trackSessions(TODAY);
    const page2 = await page('admin', `/staff/calendar/closure?date=${TODAY}`);
    for (const s of todays) assert.ok(idIndex(page2.body, `c-${s.id}`) > 0);
    // Attendance taken on today's group: it stays.
    const a = await call('admin', 'PUT', `/api/v1/sessions/${todays[0].id}/attendance/${ids.ana}`, { status: 'present' });
    assert.equal(a.status, 200, a.body);
    const n = sessionsCount();
    for (const fields of [{ date: TODAY, confirm: 'yes' }, { date: TODAY, reason: 'Storm' }]) {
        assert.equal((await send('admin', '/staff/calendar/closure', fields)).status, 422);
        assert.equal(sessionsCount(), n);
    }
    assert.equal((await send('admin', '/staff/calendar/closure', { date: 'soon', reason: 'Storm', confirm: 'yes' })).status, 422);
    const ok = await send('admin', '/staff/calendar/closure', { date: TODAY, reason: 'Storm warning', confirm: 'yes' });
    assert.equal(ok.status, 303, ok.body);
    const after = await trackSessions(TODAY);
    assert.deepEqual(after.map((s) => s.status), ['scheduled', 'cancelled']);
    assert.equal(sql(`select cancel_reason from program_sessions where public_id = '${todays[1].id}'`), 'Storm warning');
    assert.equal(sql(`select count(*) from audit_log where action = 'cancel' and record_type = 'session' and record_id = '${todays[1].id}' and outcome = 'ok'`), '1');
    // Sessions of other dates are untouched.
    assert.deepEqual((await trackSessions(addDays(TODAY, 1))).map((s) => s.status), ['scheduled', 'scheduled']);
});

test('Today: sessions in time order with rosters and attendance, alerts with my patients first', async () => {
    const res = await page('clinician', '/staff/');
    assert.equal(res.status, 200);
    assert.ok(byId(res.body, 'today'));
    const todays = await trackSessions(TODAY);
    const [group, workshop] = todays;
    assert.ok(idIndex(res.body, `t-${group.id}`) < idIndex(res.body, `t-${workshop.id}`), 'time order');
    const groupBlock = res.body.slice(idIndex(res.body, `t-${group.id}`), idIndex(res.body, `t-${workshop.id}`));
    assert.match(groupBlock, /Ana Diaz<\/a> <span class="today-status is-recorded">Present/);
    assert.match(groupBlock, /Cy Long<\/a> <span class="today-status">not checked in yet/);
    assert.match(groupBlock, /1 of 2 recorded/);
    assert.match(groupBlock, new RegExp(`href="/staff/sessions/${group.id}">Take attendance`));
    assert.match(res.body, /<s>Afternoon skills workshop<\/s>/);
    // Alerts: Ana (the clinician's patient) before Cy, both "missed the last two sessions".
    const alerts = res.body.slice(idIndex(res.body, 'alerts'));
    assert.ok(alerts.indexOf('Ana Diaz') >= 0 && alerts.indexOf('Ana Diaz') < alerts.indexOf('Cy Long'), 'mine first');
    assert.match(alerts, /Missed the last two sessions/);
    assert.match(alerts, /your patient/);
    const admin = await page('admin', '/staff/');
    const adminAlerts = admin.body.slice(idIndex(admin.body, 'alerts'));
    assert.ok(adminAlerts.indexOf('Cy Long') < adminAlerts.indexOf('Ana Diaz'), 'the admin\'s own patient first');
    // Medical staff: Today without the attendance links; billing and auditors: links, no Today.
    const medical = await page('medical', '/staff/');
    assert.ok(byId(medical.body, 'today'));
    assert.doesNotMatch(medical.body, /Take attendance/);
    for (const role of ['billing', 'auditor']) {
        const home = await page(role, '/staff/');
        assert.equal(home.status, 200);
        assert.equal(byId(home.body, 'today'), null, role);
        assert.ok(byId(home.body, 'your-screens'), role);
        assert.doesNotMatch(home.body, /Ana Diaz/, role);
    }
});

test('roles: billing, auditors and medical staff do not use the calendar', async () => {
    const [s] = await trackSessions(FAR);
    for (const role of ['billing', 'auditor', 'medical']) {
        for (const path of ['/staff/calendar', `/staff/calendar/new?date=${FAR}`, `/staff/calendar/closure?date=${FAR}`, `/staff/sessions/${s.id}/cancel`]) {
            assert.equal((await page(role, path)).status, 403, `${role} ${path}`);
        }
        const n = sessionsCount();
        assert.equal((await send(role, '/staff/calendar/closure', { date: FAR, reason: 'x', confirm: 'yes' })).status, 403);
        assert.equal((await send(role, '/staff/calendar/new', { action: 'create', date: FAR, start: '18:00', end: '19:00', kind: 'individual', title: 'x', patients: [ids.eve] })).status, 403);
        assert.equal(sessionsCount(), n);
    }
    assert.equal((await get(srv, null, '/staff/calendar')).status, 303, 'signed out: to sign-in');
});

test('Today on a day of more than 40 sessions: each session without its roster, a page that still answers', async () => {
    // A network-sized day (bench/program.sh: 931 sessions) once made a page past the 1 MB limit:
    // a 500 on every request. Past 40 sessions, Today lists them with their roster sizes only.
    const who = await patient('admissions', 'Tess', 'Many');
    const hhmm = (m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
    for (let i = 0; i < 41; i++) {
        const res = await call('clinician', 'POST', '/api/v1/sessions', {
            date: TODAY, start: hhmm(i * 10), end: hhmm(i * 10 + 10), kind: 'individual',
            title: `Check-in ${i + 1}`, patients: [who] });
        assert.equal(res.status, 201, res.body);
    }
    const res = await page('clinician', '/staff/');
    assert.equal(res.status, 200);
    assert.ok(byId(res.body, 'today-brief'), 'the page says why the rosters are not listed');
    assert.doesNotMatch(res.body, /class="today-roster"/);
    assert.match(res.body, /1 on the roster/);
    assert.match(res.body, /Check-in 41/);
});
