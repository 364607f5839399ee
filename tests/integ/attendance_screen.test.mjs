// The attendance screen (/staff/sessions/:id) on the real binary: the roster with every row
// "present" until recorded, one POST saving every row in one transaction (a row refused shows
// its problem and nothing is saved), walk-ins at track sessions, read-only future and cancelled
// sessions, CSRF and the spec's roles. The clinic's zone is UTC so that "today" is the test's.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, inputs } from '../helpers/server.mjs';
import { api, signIn, get, post } from '../helpers/staff.mjs';
import { byId } from '../helpers/html.mjs';

let srv;
const staff = {};
const ids = {};
const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();
const day = (d) => d.toISOString().slice(0, 10);
const addDays = (s, n) => { const d = new Date(`${s}T12:00:00Z`); d.setUTCDate(d.getUTCDate() + n); return day(d); };
const TODAY = day(new Date());
const OPENS = addDays(TODAY, -14);
const call = (role, method, path, body) => api(srv, staff[role], method, path, body);
const page = (role, path) => get(srv, staff[role].jar, path);
const send = (role, path, fields, csrf = true) =>
    post(srv, staff[role].jar, path, csrf ? { csrf: staff[role].csrf, ...fields } : fields);
const count = (table) => Number(sql(`select count(*) from ${table}`));

async function patient(role, first, last) {
    const res = await call(role, 'POST', '/api/v1/patients', {
        first_name: first, last_name: last, date_of_birth: '1990-02-03', phone: '555-010-0100',
        emergency_name: 'Bo Diaz', emergency_phone: '555-010-0101', emergency_relationship: 'brother',
        admission_date: OPENS, level: 'iop' });
    assert.equal(res.status, 201, res.body);
    return res.data.id;
}

async function sessionOn(date) {
    const res = await call('admin', 'GET', `/api/v1/sessions?from=${date}&to=${date}&track=${ids.track}`);
    assert.equal(res.status, 200, res.body);
    return res.data[0];
}

before(async () => {
    srv = await startServer({ demo: true, extraArgs: ['--timezone', 'UTC'] });
    for (const role of ['admin', 'clinician', 'admissions', 'medical', 'billing', 'auditor']) staff[role] = await signIn(srv, role);
    const slots = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, start: '09:00', end: '10:30', title: 'Morning process group', kind: 'group' }));
    const t = await call('admin', 'POST', '/api/v1/tracks', { code: 'att-screen', name: 'Attendance track', level: 'iop', opens: OPENS, slots });
    assert.equal(t.status, 201, t.body);
    ids.track = t.data.id;
    ids.ana = await patient('clinician', 'Ana', 'Diaz');
    ids.ben = await patient('clinician', 'Ben', 'Cole');
    ids.cy = await patient('admin', 'Cy', 'Long');
    ids.dee = await patient('admin', 'Dee', 'Walkin');
    for (const p of [ids.ana, ids.ben, ids.cy]) {
        const e = await call('admin', 'POST', `/api/v1/patients/${p}/enrolments`, { track_id: ids.track, start: OPENS });
        assert.equal(e.status, 201, e.body);
    }
    ids.today = (await sessionOn(TODAY)).id;
    ids.yesterday = (await sessionOn(addDays(TODAY, -1))).id;
    ids.tomorrow = (await sessionOn(addDays(TODAY, 1))).id;
});
after(async () => { if (srv) await srv.stop(); });

/** The status radio checked for patient id on a page, or null. */
const checkedStatus = (html, id) => {
    const r = inputs(html).find((i) => i.name === `status-${id}` && 'checked' in i);
    return r ? r.value : null;
};

test('the roster: every name, every row present until recorded, the read audited', async () => {
    const res = await page('clinician', `/staff/sessions/${ids.today}`);
    assert.equal(res.status, 200, res.body);
    for (const name of ['Ana Diaz', 'Ben Cole', 'Cy Long']) assert.match(res.body, new RegExp(name));
    assert.doesNotMatch(res.body, /Dee Walkin/);
    for (const p of [ids.ana, ids.ben, ids.cy]) {
        assert.equal(checkedStatus(res.body, p), 'present');
        assert.equal(inputs(res.body).filter((i) => i.name === `status-${p}`).length, 5, 'five statuses');
        assert.ok(byId(res.body, `minutes-${p}`), 'a minutes field');
    }
    assert.ok(byId(res.body, 'attendance-form'));
    assert.match(res.body, /Save attendance for all 3/);
    assert.equal(sql(`select count(*) from audit_log where action = 'view' and record_type = 'session' and record_id = '${ids.today}'`), '1');
    assert.ok(Number(sql("select count(*) from audit_log where action = 'list' and record_type = 'patient'")) >= 1);
});

test('one save marks the group: the exceptions as given, the rest present; the API agrees', async () => {
    const res = await send('clinician', `/staff/sessions/${ids.today}/attendance`, {
        [`status-${ids.ana}`]: 'present', [`minutes-${ids.ana}`]: '',
        [`status-${ids.ben}`]: 'late', [`minutes-${ids.ben}`]: '60',
        [`status-${ids.cy}`]: 'absent-unexcused', [`minutes-${ids.cy}`]: '40' });
    assert.equal(res.status, 303, res.body);
    assert.equal(res.headers.location, `/staff/sessions/${ids.today}?saved=1`);
    const rows = sql(`select p.first_name || ':' || a.status || ':' || a.minutes from attendance a join patients p on p.id = a.patient_id join program_sessions s on s.id = a.session_id where s.public_id = '${ids.today}' order by p.first_name`);
    assert.equal(rows, 'Ana:present:90\nBen:late:60\nCy:absent-unexcused:0');
    assert.equal(sql(`select count(*) from audit_log where action = 'attendance' and record_type = 'patient' and outcome = 'ok'`), '3');
    const again = await page('clinician', `/staff/sessions/${ids.today}?saved=1`);
    assert.match(again.body, /id="saved"/);
    assert.equal(checkedStatus(again.body, ids.ben), 'late');
    assert.equal(checkedStatus(again.body, ids.cy), 'absent-unexcused');
    assert.equal(byId(again.body, `minutes-${ids.ben}`).value, '60');
    assert.match(again.body, /recorded: Late/);
});

test('a row with a problem: 422, its problem beside it and in the summary, nothing saved', async () => {
    const before = sql('select group_concat(status || minutes) from attendance');
    for (const [ben, minutes, why] of [['late', '', /minutes/i], ['left-early', '90', /minutes/i], ['late', 'ten', /minutes/i], ['asleep', '', /how they attended/]]) {
        const res = await send('clinician', `/staff/sessions/${ids.today}/attendance`, {
            [`status-${ids.ana}`]: 'absent-excused', [`status-${ids.ben}`]: ben, [`minutes-${ids.ben}`]: minutes,
            [`status-${ids.cy}`]: 'present' });
        assert.equal(res.status, 422, `${ben} ${minutes}`);
        assert.match(res.body, /id="form-errors"/);
        assert.match(res.body, why);
        assert.match(byId(res.body, `status-${ids.ben}`).class, /has-error/);
        assert.doesNotMatch(byId(res.body, `status-${ids.ana}`).class, /has-error/);
        assert.equal(checkedStatus(res.body, ids.ana), 'absent-excused', 'what was chosen stays');
        assert.equal(sql('select group_concat(status || minutes) from attendance'), before);
    }
    const missing = await send('clinician', `/staff/sessions/${ids.today}/attendance`, { [`status-${ids.ana}`]: 'present' });
    assert.equal(missing.status, 422);
    assert.equal(sql('select group_concat(status || minutes) from attendance'), before);
});

test('a row the store refuses rolls back the rows before it (one transaction)', async () => {
    const cy = sql(`select id from patients where public_id = '${ids.cy}'`);
    sql(`create trigger refuse_cy before insert on attendance when new.patient_id = ${cy} begin select raise(abort, 'refused'); end`);
    try {
        const session = ids.yesterday;
        const res = await send('admissions', `/staff/sessions/${session}/attendance`, {
            [`status-${ids.ana}`]: 'present', [`status-${ids.ben}`]: 'present', [`status-${ids.cy}`]: 'present' });
        assert.equal(res.status, 422, res.body);
        assert.match(byId(res.body, `status-${ids.cy}`).class, /has-error/);
        assert.equal(sql(`select count(*) from attendance a join program_sessions s on s.id = a.session_id where s.public_id = '${session}'`), '0',
            'Ana and Ben, saved before Cy, are rolled back');
    } finally {
        sql('drop trigger refuse_cy');
    }
});

test('walk-in: found by name at a track session, added with their status; not at a one-off', async () => {
    const found = await page('clinician', `/staff/sessions/${ids.today}?q=Walkin`);
    assert.equal(found.status, 200);
    assert.ok(inputs(found.body).some((i) => i.name === 'patient' && i.value === ids.dee));
    const none = await send('clinician', `/staff/sessions/${ids.today}/walk-in`, { q: 'Walkin', walk_in_status: 'present' });
    assert.equal(none.status, 422);
    assert.match(none.body, /Choose the patient/);
    const late = await send('clinician', `/staff/sessions/${ids.today}/walk-in`, { q: 'Walkin', patient: ids.dee, walk_in_status: 'late' });
    assert.equal(late.status, 422, 'late needs its minutes');
    assert.equal(count('session_patients'), 0);
    const ok = await send('clinician', `/staff/sessions/${ids.today}/walk-in`, { q: 'Walkin', patient: ids.dee, walk_in_status: 'late', walk_in_minutes: '30' });
    assert.equal(ok.status, 303, ok.body);
    assert.equal(sql('select walk_in from session_patients'), '1');
    const after = await page('clinician', `/staff/sessions/${ids.today}`);
    assert.match(after.body, /Dee Walkin<\/a> <span class="att-tag">walk-in/);
    assert.equal(checkedStatus(after.body, ids.dee), 'late');

    const one = await call('clinician', 'POST', '/api/v1/sessions', { date: TODAY, start: '15:00', end: '16:00', kind: 'individual', title: 'Intake', patients: [ids.ana] });
    assert.equal(one.status, 201, one.body);
    const oneoff = await page('clinician', `/staff/sessions/${one.data.id}`);
    assert.doesNotMatch(oneoff.body, /Add a walk-in/);
    const refused = await send('clinician', `/staff/sessions/${one.data.id}/walk-in`, { patient: ids.dee, walk_in_status: 'present' });
    assert.equal(refused.status, 422);
    assert.match(refused.body, /one-off session names its patients/);
    assert.equal(count('session_patients'), 2, 'the one-off\'s patient and the walk-in only');
});

test('future and cancelled sessions are read-only with a sentence why; a save is refused', async () => {
    const future = await page('clinician', `/staff/sessions/${ids.tomorrow}`);
    assert.equal(future.status, 200);
    assert.match(future.body, /has not happened yet/);
    assert.equal(byId(future.body, 'attendance-form'), null);
    const n = count('attendance');
    const res = await send('clinician', `/staff/sessions/${ids.tomorrow}/attendance`, { [`status-${ids.ana}`]: 'present' });
    assert.equal(res.status, 409);
    const cancelled = await call('clinician', 'POST', `/api/v1/sessions/${ids.tomorrow}/cancel`, { reason: 'Snow day' });
    assert.equal(cancelled.status, 200, cancelled.body);
    const page2 = await page('clinician', `/staff/sessions/${ids.tomorrow}`);
    assert.match(page2.body, /was cancelled.*Snow day/);
    assert.match(page2.body, /<s>Morning process group<\/s>/);
    assert.equal(byId(page2.body, 'attendance-form'), null);
    assert.equal(count('attendance'), n);
});

test('roles, CSRF and unknown sessions', async () => {
    for (const role of ['billing', 'auditor', 'medical']) {
        assert.equal((await page(role, `/staff/sessions/${ids.today}`)).status, 403, role);
        assert.equal((await send(role, `/staff/sessions/${ids.today}/attendance`, { [`status-${ids.ana}`]: 'present' })).status, 403, role);
    }
    assert.equal((await page('admin', `/staff/sessions/${ids.today}`)).status, 200);
    assert.equal((await page('admissions', `/staff/sessions/${ids.today}`)).status, 200);
    const before = sql('select group_concat(status || minutes) from attendance');
    const noCsrf = await send('clinician', `/staff/sessions/${ids.today}/attendance`, {
        [`status-${ids.ana}`]: 'absent-excused', [`status-${ids.ben}`]: 'present', [`status-${ids.cy}`]: 'present', [`status-${ids.dee}`]: 'present' }, false);
    assert.equal(noCsrf.status, 403);
    assert.equal(sql('select group_concat(status || minutes) from attendance'), before);
    assert.equal((await page('clinician', '/staff/sessions/0123456789abcdef0123456789abcdef')).status, 404);
    assert.equal((await send('clinician', '/staff/sessions/0123456789abcdef0123456789abcdef/attendance', {})).status, 404);
    assert.equal((await get(srv, null, `/staff/sessions/${ids.today}`)).status, 303, 'signed out: to sign-in');
});
