// The outcomes report (issue 10) on the real binary: GET /api/v1/reports/outcomes (JSON and CSV)
// and /staff/reports/outcomes show the same counts per track and admission month; bad months
// are refused naming the field; administrators and clinicians only; no name and no clinical
// text anywhere. Measures go in straight into the database (their API is another part's).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer } from '../helpers/server.mjs';
import { api, get, signIn } from '../helpers/staff.mjs';

let srv;
const staff = {};
const ids = {};
const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();
const call = (role, method, path, body) => api(srv, staff[role], method, path, body);
const day = (d) => d.toISOString().slice(0, 10);
const addDays = (s, n) => { const d = new Date(`${s}T12:00:00Z`); d.setUTCDate(d.getUTCDate() + n); return day(d); };
const TODAY = day(new Date());
const START = addDays(TODAY, -100); // their 30, 60 and 90 days have passed
const MONTH = START.slice(0, 7);

async function admit(first) {
    const res = await call('admin', 'POST', '/api/v1/patients', {
        first_name: first, last_name: 'Outcome', date_of_birth: '1990-02-03', phone: '555-010-0100',
        emergency_name: 'Kin', emergency_phone: '555-010-0101', emergency_relationship: 'sister',
        admission_date: START, level: 'iop' });
    assert.equal(res.status, 201, res.body);
    return res.data.id;
}
const measure = (pid, instrument, on, total) => sql(`insert into measures (public_id, patient_id, instrument, taken_on, answers, total, created_at)
    select lower(hex(randomblob(16))), id, '${instrument}', '${on}', '[]', ${total}, 'T' from patients where public_id = '${pid}'`);

before(async () => {
    srv = await startServer({ demo: true });
    for (const role of ['admin', 'clinician', 'admissions', 'billing', 'auditor', 'medical']) staff[role] = await signIn(srv, role);
    const slots = [1, 3, 5].map((weekday) => ({ weekday, start: '09:00', end: '12:00', title: 'Group', kind: 'group' }));
    const t = await call('admin', 'POST', '/api/v1/tracks', { code: 'out-am', name: 'Outcome track', level: 'iop', opens: START, capacity: 10, slots });
    assert.equal(t.status, 201, t.body);
    ids.track = t.data.id;
    ids.a = await admit('Ana');
    ids.b = await admit('Ben');
    for (const p of [ids.a, ids.b]) {
        const e = await call('admin', 'POST', `/api/v1/patients/${p}/enrolments`, { track_id: ids.track, start: START });
        assert.equal(e.status, 201, e.body);
    }
    // Ana: PHQ-9 18 -> 4 (response and remission); Ben: 12 -> 8 (neither); Ben ends on day 45.
    measure(ids.a, 'phq9', START, 18);
    measure(ids.a, 'phq9', addDays(START, 28), 4);
    measure(ids.b, 'phq9', START, 12);
    measure(ids.b, 'phq9', addDays(START, 14), 8);
    sql(`update enrolments set end_date = '${addDays(START, 45)}' where patient_id = (select id from patients where public_id = '${ids.b}')`);
    sql(`update patients set status = 'discharged', discharge_date = '${addDays(START, 45)}', discharge_disposition = 'completed' where public_id = '${ids.b}'`);
});
after(async () => { if (srv) await srv.stop(); });

test('the API: counts per track and admission month; CSV with the same figures', async () => {
    const res = await call('clinician', 'GET', `/api/v1/reports/outcomes?from=${MONTH}&to=${MONTH}`);
    assert.equal(res.status, 200, res.body);
    const row = res.data.find((r) => r.track_id === ids.track);
    assert.ok(row, 'the track\'s row');
    assert.equal(row.month, MONTH);
    assert.equal(row.patients, 2);
    assert.deepEqual(row.phq9, { baseline: 2, followup: 2, mean_change: -9, response: 1, response_of: 2, remission: 1, remission_of: 2 });
    assert.deepEqual(row.retention, { d30: { eligible: 2, retained: 2 }, d60: { eligible: 2, retained: 1 }, d90: { eligible: 2, retained: 1 } });
    assert.deepEqual(row.ended, { all: 1, completed: 1, discharged_other: 0, other: 0 });
    assert.doesNotMatch(res.body, /Ana|Ben/, 'no names');
    const csv = await call('admin', 'GET', `/api/v1/reports/outcomes?from=${MONTH}&to=${MONTH}&format=csv`);
    assert.equal(csv.status, 200);
    assert.match(csv.headers['content-type'], /^text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    assert.match(lines[0], /^track_code,month,patients,phq9\.baseline,phq9\.followup,phq9\.mean_change,/);
    assert.ok(lines.includes(`out-am,${MONTH},2,2,2,-9.0,1,2,1,2,0,0,,0,0,,2,2,2,1,2,1,1,1,0,0`), lines.join('\n'));
    assert.equal(sql("select count(*) > 0 from audit_log where action = 'list' and record_type = 'outcomes'"), '1');
});

test('the page shows the same counts, with a link to the CSV', async () => {
    const res = await get(srv, staff.clinician.jar, `/staff/reports/outcomes?from=${MONTH}&to=${MONTH}`);
    assert.equal(res.status, 200);
    const row = new RegExp(`<tr data-track="out-am" data-month="${MONTH}">[^]*?</tr>`).exec(res.body)[0];
    assert.match(row, /data-label="Patients" class="num">2</);
    assert.match(row, /response 1 of 2 \(50%\)<br>remission 1 of 2 \(50%\)/);
    assert.match(row, /follow-up 2 of 2 \(100%\)<br>mean change <span class="num">-9\.0</);
    assert.match(row, /60 days: 1 of 2 \(50%\)/);
    assert.match(row, /completed 1 of 1 \(100%\)/);
    assert.match(res.body, new RegExp(`href="/api/v1/reports/outcomes\\?from=${MONTH}&amp;to=${MONTH}&amp;format=csv"`));
    const dflt = await get(srv, staff.admin.jar, '/staff/reports/outcomes');
    assert.equal(dflt.status, 200);
    assert.match(dflt.body, new RegExp(`id="to" name="to" value="${TODAY.slice(0, 7)}"`));
});

test('bad months: 422 naming the field', async () => {
    for (const [q, field] of [['from=2026-13', 'from'], ['to=soon', 'to'], ['from=2026-05&to=2026-04', 'to'],
        ['from=2023-01&to=2026-01', 'to'], ['format=xml', 'format']]) {
        const res = await call('admin', 'GET', `/api/v1/reports/outcomes?${q}`);
        assert.equal(res.status, 422, q);
        assert.equal(res.data.details[0].field, field, q);
        const page = await get(srv, staff.admin.jar, `/staff/reports/outcomes?${q}`);
        if (field !== 'format') {
            assert.equal(page.status, 422, q);
            assert.match(page.body, new RegExp(`<a href="#${field}">`), q);
        }
    }
    assert.equal((await call('admin', 'GET', '/api/v1/reports/outcomes?from=2024-02&to=2027-01')).status, 200, '36 months');
});

test('roles: administrators and clinicians only', async () => {
    for (const role of ['admissions', 'billing', 'auditor', 'medical']) {
        assert.equal((await call(role, 'GET', '/api/v1/reports/outcomes')).status, 403, role);
        assert.equal((await get(srv, staff[role].jar, '/staff/reports/outcomes')).status, 403, role);
    }
});
