// The Reports screens (issue 9, spec program.md §3-§4) on the real binary: the census per track
// today (active, capacity, the week's admissions and discharges), the weekly hours of every
// enrolled patient (the same figures as GET /api/v1/patients/:id/weeks/:week, row by row), the
// billable days of a range (the same days as GET /api/v1/billing/days, and a CSV link to it);
// the filters' refusals (422, named beside the field), every read audited (no entry, no list),
// and the roles: administrators and billing only.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer } from '../helpers/server.mjs';
import { api, get, signIn } from '../helpers/staff.mjs';
import { documentDay } from '../helpers/records.mjs';

let srv;
const staff = {};
const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();
const call = (role, method, path, body) => api(srv, staff[role], method, path, body);
const page = (role, path) => get(srv, staff[role].jar, path);

// The clinic's dates: the server runs in this process's time zone.
const TODAY = new Date().toLocaleDateString('en-CA');
const addDays = (s, n) => { const d = new Date(`${s}T12:00:00Z`); d.setUTCDate(d.getUTCDate() + n); return d.toISOString().slice(0, 10); };
const weekday = (s) => (new Date(`${s}T12:00:00Z`).getUTCDay() + 6) % 7; // 0 = Monday
const isoWeek = (s) => {
    const d = new Date(`${s}T12:00:00Z`);
    const thursday = new Date(d); thursday.setUTCDate(d.getUTCDate() + 3 - ((d.getUTCDay() + 6) % 7));
    const jan4 = new Date(Date.UTC(thursday.getUTCFullYear(), 0, 4));
    const week = 1 + Math.round(((thursday - jan4) / 864e5 - 3 + ((jan4.getUTCDay() + 6) % 7)) / 7);
    return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
};
const M0 = addDays(TODAY, -weekday(TODAY)); // this week's Monday
const LW = addDays(M0, -7);                 // last week's Monday
const OPENS = addDays(M0, -21);
const LAST_WEEK = isoWeek(LW);
const ids = {};

const PERSON = { date_of_birth: '1990-02-03', phone: '555-010-0100', emergency_name: 'Kin', emergency_phone: '555-010-0101',
    emergency_relationship: 'sister', admission_date: OPENS, level: 'iop' };
async function admit(first, last) {
    const res = await call('admin', 'POST', '/api/v1/patients', { ...PERSON, first_name: first, last_name: last });
    assert.equal(res.status, 201, res.body);
    return res.data.id;
}
async function enrol(patient, start, end) {
    const res = await call('admin', 'POST', `/api/v1/patients/${patient}/enrolments`, { track_id: ids.track, start, end });
    assert.equal(res.status, 201, res.body);
    return res.data.id;
}
async function attend(date, patient, status, minutes) {
    const s = (await call('admin', 'GET', `/api/v1/sessions?from=${date}&to=${date}&track=${ids.track}`)).data[0];
    const res = await call('admin', 'PUT', `/api/v1/sessions/${s.id}/attendance/${patient}`, minutes === undefined ? { status } : { status, minutes });
    assert.equal(res.status, 200, res.body);
}
/** The cells of each row of table#id: [[text, ...], ...] (tags stripped). */
function cells(html, id) {
    const table = new RegExp(`<table id="${id}"[^]*?</table>`).exec(html);
    if (!table) return [];
    const body = /<tbody>([^]*?)<\/tbody>/.exec(table[0])[1];
    return [...body.matchAll(/<tr[^>]*>([^]*?)<\/tr>/g)].map((r) => [...r[1].matchAll(/<td[^>]*>([^]*?)<\/td>/g)]
        .map((c) => c[1].replace(/<[^>]+>/g, '').replace(/&ndash;/g, '–').trim()));
}
const lastList = () => {
    const entry = sql("select id from audit_log where action = 'list' and record_type = 'patient' order by id desc limit 1");
    return sql(`select record_id from audit_listed where entry_id = ${entry} order by pos`).split('\n').filter(Boolean);
};

before(async () => {
    srv = await startServer({ demo: true });
    for (const role of ['admin', 'clinician', 'admissions', 'billing', 'auditor', 'medical']) staff[role] = await signIn(srv, role);
    const slots = [1, 3, 5].map((w) => ({ weekday: w, start: '09:00', end: '12:00', title: 'Group', kind: 'group' }));
    const t = await call('admin', 'POST', '/api/v1/tracks', { code: 'rep-am', name: 'Report track', level: 'iop', opens: OPENS, capacity: 3, slots });
    assert.equal(t.status, 201, t.body);
    ids.track = t.data.id;
    ids.ana = await admit('Ana', 'Alpha');
    ids.ben = await admit('Ben', 'Beta');
    ids.cy = await admit('Cy', 'Gamma');
    ids.dee = await admit('Dee', 'Delta');
    await enrol(ids.ana, OPENS);
    await enrol(ids.ben, OPENS);
    ids.cyEnrolment = await enrol(ids.cy, addDays(LW, 1)); // from last week's Tuesday: no minimum that week
    for (const d of [0, 2, 4]) await attend(addDays(LW, d), ids.ana, 'present');
    await attend(LW, ids.ben, 'present');
    await attend(addDays(LW, 2), ids.ben, 'late', 60);
    await attend(addDays(LW, 4), ids.ben, 'absent-unexcused');
    await attend(addDays(LW, 2), ids.cy, 'present');
    // Their plans current and every note signed (R6's fourth condition): the hours decide.
    for (const p of [ids.ana, ids.ben, ids.cy]) for (const d of [0, 2, 4]) documentDay(srv, p, addDays(LW, d));
});
after(async () => { if (srv) await srv.stop(); });

test('weekly hours: last week by default, each row what the patient\'s week on the API says', async () => {
    const res = await page('admin', `/staff/reports/hours?track=${ids.track}`);
    assert.equal(res.status, 200);
    assert.match(res.body, new RegExp(`Week ${LAST_WEEK}: ${LW} to ${addDays(LW, 6)}`));
    const rows = cells(res.body, 'hours');
    assert.deepEqual(rows.map((r) => r[0]), ['Alpha, Ana', 'Beta, Ben', 'Gamma, Cy']);
    const shown = [...res.body.matchAll(/<tr data-patient="([0-9a-f]{32})"/g)].map((m) => m[1]);
    assert.deepEqual(shown, [ids.ana, ids.ben, ids.cy]);
    for (let i = 0; i < shown.length; i++) {
        const w = (await call('admin', 'GET', `/api/v1/patients/${shown[i]}/weeks/${LAST_WEEK}`)).data;
        const show = (v, pending) => (v === null ? (pending ? 'after the week' : '–') : String(v));
        assert.deepEqual(rows[i].slice(1), ['rep-am', String(w.scheduled_minutes), String(w.attended_minutes),
            w.minimum_minutes === null ? 'none' : String(w.minimum_minutes), show(w.scheduled_shortfall),
            show(w.attended_shortfall)], rows[i][0]);
    }
    // The figures themselves: Ana all three mornings, Ben 180 + 60, Cy from Tuesday (no minimum).
    assert.deepEqual(rows.map((r) => r.slice(2)), [['540', '540', '540', '0', '0'], ['540', '240', '540', '0', '300'],
                                                   ['360', '180', 'none', '–', '–']]);
    assert.deepEqual(lastList(), shown);
    // This week is not over: the attended shortfall waits.
    const now = cells((await page('admin', `/staff/reports/hours?week=${isoWeek(TODAY)}&track=${ids.track}`)).body, 'hours');
    assert.equal(now[0][6], 'after the week');
});

test('weekly hours: only shortfalls; every track; the weeks around; a week with nobody', async () => {
    const only = await page('billing', `/staff/reports/hours?week=${LAST_WEEK}&track=${ids.track}&short=yes`);
    assert.equal(only.status, 200);
    assert.deepEqual(cells(only.body, 'hours').map((r) => r[0]), ['Beta, Ben']);
    assert.match(only.body, /id="short" name="short" value="yes" checked/);
    const all = await page('admin', `/staff/reports/hours?week=${LAST_WEEK}`);
    const names = cells(all.body, 'hours').map((r) => r[0]);
    for (const n of ['Alpha, Ana', 'Beta, Ben', 'Gamma, Cy']) assert.ok(names.includes(n), n);
    assert.match(all.body, new RegExp(`id="week-previous" href="/staff/reports/hours\\?week=${isoWeek(addDays(LW, -7))}"`));
    assert.match(all.body, new RegExp(`id="week-next" href="/staff/reports/hours\\?week=${isoWeek(M0)}"`));
    const before = await page('admin', `/staff/reports/hours?week=${isoWeek(addDays(OPENS, -7))}&track=${ids.track}`);
    assert.match(before.body, /id="hours-empty">No patient was enrolled in this week/);
});

test('weekly hours refused: a week that does not exist, an unknown track (422, beside the field)', async () => {
    for (const [q, field] of [['week=2026-W60', 'week'], ['week=2025-W53', 'week'], ['week=next', 'week'],
                              [`week=${LAST_WEEK}&track=0123456789abcdef0123456789abcdef`, 'track']]) {
        const res = await page('admin', `/staff/reports/hours?${q}`);
        assert.equal(res.status, 422, q);
        assert.match(res.body, new RegExp(`href="#${field}"`), q);
        assert.match(res.body, new RegExp(`id="${field}-error"`), q);
        assert.doesNotMatch(res.body, /<table id="hours"/, q);
    }
    assert.equal((await page('admin', '/staff/reports/hours?week=2026-W53')).status, 200); // 2026 has 53 weeks
});

test('billable days: the API\'s days with names; the CSV link gives the API\'s bytes', async () => {
    const from = LW, to = addDays(LW, 6);
    const res = await page('billing', `/staff/reports/billing?from=${from}&to=${to}&track=${ids.track}`);
    assert.equal(res.status, 200);
    const api = (await call('admin', 'GET', `/api/v1/billing/days?from=${from}&to=${to}&track=${ids.track}`)).data;
    // Ana's three mornings, Ben's Monday (his Wednesday is 60 minutes), Cy's Wednesday.
    assert.equal(api.length, 5);
    const rows = cells(res.body, 'billing');
    const names = { [ids.ana]: 'Ana Alpha', [ids.ben]: 'Ben Beta', [ids.cy]: 'Cy Gamma' };
    assert.deepEqual(rows, api.map((d) => [d.date, names[d.patient_id], d.patient_id, 'rep-am', String(d.minutes), String(d.services), 'H0015']));
    assert.match(res.body, /5 billable days, 900 minutes attended on them/);
    assert.deepEqual(lastList(), [...new Set(api.map((d) => d.patient_id))]);
    const href = /id="billing-export" class="[^"]*" href="([^"]+)"/.exec(res.body)[1].replace(/&amp;/g, '&');
    assert.equal(href, `/api/v1/billing/days?from=${from}&to=${to}&track=${ids.track}&format=csv`);
    const csv = await page('billing', href);
    assert.equal(csv.status, 200);
    assert.match(csv.headers['content-type'], /^text\/csv/);
    assert.match(csv.body, /^date,patient_id,track_id,minutes,services,code,patient_name\r\n/);
    assert.match(csv.body, /,H0015,Ana Alpha\r\n/);
    // Every track by default, this month up to today by default.
    const dflt = await page('admin', '/staff/reports/billing');
    assert.equal(dflt.status, 200);
    assert.match(dflt.body, new RegExp(`id="from" name="from" value="${TODAY.slice(0, 8)}01"`));
    assert.match(dflt.body, new RegExp(`id="to" name="to" value="${TODAY}"`));
});

test('billable days held back: which plan or note is missing and whose, never its text', async () => {
    const from = LW, to = addDays(LW, 6), fri = addDays(LW, 4), wed = addDays(LW, 2);
    const url = `/staff/reports/billing?from=${from}&to=${to}&track=${ids.track}`;
    const none = await page('billing', url);
    assert.match(none.body, /id="billing-held-none"/);
    assert.deepEqual(cells(none.body, 'billing-missing'), []);
    // Ana's Friday section unsigned; Cy's Wednesday group note not written; Ben's plan gone.
    const pid = (id) => `(select id from patients where public_id = '${id}')`;
    sql(`update note_sections set signed_at = null, signed_by = null where patient_id = ${pid(ids.ana)}
         and note_id = (select id from notes where service_date = '${fri}' and kind = 'group')`);
    sql(`delete from note_sections where note_id = (select id from notes where service_date = '${wed}' and kind = 'group')`);
    sql(`delete from notes where service_date = '${wed}' and kind = 'group'`);
    sql(`update plans set status = 'signed', effective_date = null, ack_how = null where patient_id = ${pid(ids.ben)}`);
    try {
        const res = await page('billing', url);
        assert.equal(res.status, 200);
        const author = sql("select u.name from users u join user_roles r on r.user_id = u.id and r.role = 'clinician' order by u.id limit 1");
        const also = 'also under 3 hours attended';
        assert.deepEqual(cells(res.body, 'billing-missing'), [
            [LW, 'Ben Beta', 'Treatment plan', 'No signed treatment plan current on this day', '—', 'billable once signed'],
            [wed, 'Ana Alpha', 'Group at 09:00', 'No note yet', 'No facilitator named', 'billable once signed'],
            [wed, 'Ben Beta', 'Treatment plan', 'No signed treatment plan current on this day', '—', also],
            [wed, 'Ben Beta', 'Group at 09:00', 'No note yet', 'No facilitator named', also],
            [wed, 'Cy Gamma', 'Group at 09:00', 'No note yet', 'No facilitator named', 'billable once signed'],
            [fri, 'Ana Alpha', 'Group at 09:00', 'Group note signed, this patient&#39;s section not', author, 'billable once signed'],
        ]);
        assert.match(res.body, /id="billing-held-count">5 days with attendance are not billed/);
        assert.doesNotMatch(res.body, /Took part\./, 'no note text');
        // The billable days lost them; the audit entry lists the patients of both tables.
        const api = (await call('billing', 'GET', `/api/v1/billing/days?from=${from}&to=${to}&track=${ids.track}`)).data;
        assert.deepEqual(api.map((d) => [d.date, d.patient_id]), [[LW, ids.ana]]);
        assert.deepEqual(lastList(), [ids.ana, ids.ben, ids.cy]);
    } finally {
        sql(`update plans set status = 'current', effective_date = '2000-01-01', ack_how = 'in-person' where patient_id = ${pid(ids.ben)}`);
        sql(`update note_sections set signed_at = 'T' where patient_id = ${pid(ids.ana)}`);
        for (const p of [ids.ana, ids.ben, ids.cy]) documentDay(srv, p, wed);
    }
    assert.match((await page('billing', url)).body, /id="billing-held-none"/);
});

test('billable days refused: dates that are not dates, backwards, more than 93 days, an unknown track', async () => {
    const cases = [['from=2026-02-30&to=2026-03-01', 'from'], ['from=2026-03-01&to=soon', 'to'],
                   ['from=2026-03-10&to=2026-03-09', 'to'], ['from=2026-01-01&to=2026-04-04', 'to'],
                   ['from=2026-01-01&to=2026-01-31&track=nope', 'track']];
    for (const [q, field] of cases) {
        const res = await page('admin', `/staff/reports/billing?${q}`);
        assert.equal(res.status, 422, q);
        assert.match(res.body, new RegExp(`id="${field}-error"`), q);
        assert.doesNotMatch(res.body, /id="billing-export"/, q);
    }
    assert.equal((await page('admin', '/staff/reports/billing?from=2026-01-01&to=2026-04-03')).status, 200); // 93 days
});

test('census: active today against capacity, this week\'s admissions and discharges', async () => {
    // An admission this week, past the capacity of 3 by an administrator's override (R8).
    const over = await call('admin', 'POST', `/api/v1/patients/${ids.dee}/enrolments`, { track_id: ids.track, start: TODAY, override_reason: 'Court order' });
    assert.equal(over.status, 201, over.body);
    const end = await call('admin', 'PATCH', `/api/v1/enrolments/${ids.cyEnrolment}`, { end: TODAY });
    assert.equal(end.status, 200, end.body);
    const res = await page('billing', '/staff/reports');
    assert.equal(res.status, 200);
    const row = new RegExp(`<tr data-track="${ids.track}">([^]*?)</tr>`).exec(res.body)[1];
    const c = [...row.matchAll(/<td[^>]*>([^]*?)<\/td>/g)].map((m) => m[1].replace(/<[^>]+>/g, '').trim());
    const t = (await call('admin', 'GET', `/api/v1/tracks/${ids.track}`)).data;
    assert.equal(t.census, 4);
    assert.deepEqual(c, ['Report track rep-am', '4 (over capacity)', '3', '1', '1']);
    assert.match(res.body, /<nav[^]*href="\/staff\/reports" aria-current="page">Reports</);
    assert.equal(sql("select count(*) from audit_log where action = 'view' and record_type = 'census' and outcome = 'ok'") > 0, true);
});

test('no entry in the audit trail, no report', async () => {
    sql("CREATE TRIGGER test_no_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'test'); END");
    try {
        for (const path of ['/staff/reports', `/staff/reports/hours?week=${LAST_WEEK}`, `/staff/reports/billing?from=${LW}&to=${addDays(LW, 6)}`]) {
            const res = await page('admin', path);
            assert.equal(res.status, 500, path);
            assert.doesNotMatch(res.body, /Alpha|rep-am/, path);
        }
    } finally {
        sql('DROP TRIGGER test_no_audit');
    }
});

test('roles: reports are for administrators and billing; anonymous goes to sign-in', async () => {
    const paths = ['/staff/reports', '/staff/reports/hours', '/staff/reports/billing'];
    for (const role of ['admin', 'billing']) {
        for (const p of paths) assert.equal((await page(role, p)).status, 200, `${role} ${p}`);
        assert.match((await page(role, '/staff/')).body, /href="\/staff\/reports"/, role);
    }
    for (const role of ['clinician', 'admissions', 'auditor', 'medical']) {
        for (const p of paths) assert.equal((await page(role, p)).status, 403, `${role} ${p}`);
        assert.doesNotMatch((await page(role, '/staff/')).body, /href="\/staff\/reports"/, role);
    }
    const anon = await get(srv, null, '/staff/reports');
    assert.equal(anon.status, 303);
    assert.match(anon.headers.location, /^\/staff\/sign-in/);
});
