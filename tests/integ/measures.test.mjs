// Measurement-based care and clinical alerts on the real binary (issue 10): the JSON API (a
// patient's measures, an entry with its total, band, change from baseline and the alert it
// raises, what is due, an instrument's trend; the open alerts and the follow-up that closes
// one) with good, bad and missing input (422 naming the field, nothing stored, the database
// counted before and after), CSRF, 404s; the staff screens (the Measures page with its SVG
// chart and table, the entry form and its 422, the crisis panel after PHQ-9 item 9 = 1, the
// alerts list and the follow-up form); the audit entries; and the role matrix of every route:
// clinicians and medical staff only, administrators, admissions, billing and auditors 403.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, decodeEntities } from '../helpers/server.mjs';
import { api, get, post, signIn } from '../helpers/staff.mjs';
import { makePatient } from '../helpers/records.mjs';

let srv;
const who = {};
const ROLES = ['admin', 'clinician', 'admissions', 'medical', 'billing', 'auditor'];
const ALLOWED = ['clinician', 'medical'];
let pid; // the patient's public id
let other; // a second patient, for the per-patient alert list

const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();
const call = (role, method, path, body, opts) => api(srv, who[role], method, path, body, opts);
const g = (role, path) => get(srv, who[role].jar, path);
const p = (role, path, fields) => post(srv, who[role].jar, path, { csrf: who[role].csrf, ...fields });
const text = (html) => decodeEntities(html.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ');
const day = (d) => d.toISOString().slice(0, 10);
const TODAY = day(new Date());
const daysAgo = (n) => { const d = new Date(); d.setUTCDate(d.getUTCDate() - n); return day(d); };
const counts = () => sql('select (select count(*) from measures) || \'/\' || (select count(*) from clinical_alerts)'
    + ' || \'/\' || (select count(*) from clinical_alerts where followed_up_at is not null)');

/** A refusal's status and the field its first detail names. */
function refused(res, status, field) {
    assert.equal(res.status, status, res.body);
    if (status === 422) {
        assert.equal(res.data.error, 'invalid', res.body);
        assert.equal(res.data.details[0].field, field, res.body);
        assert.equal(typeof res.data.details[0].message, 'string');
    }
}

before(async () => {
    srv = await startServer({ demo: true });
    for (const role of ROLES) who[role] = await signIn(srv, role);
    pid = await makePatient(srv, who, 'Rae Okafor');
    other = await makePatient(srv, who, 'Lee Moss');
});
after(async () => { if (srv) await srv.stop(); });

test('POST a PHQ-9: 201 with total, band, change from baseline; no alert when item 9 is 0', async () => {
    const res = await call('clinician', 'POST', `/api/v1/patients/${pid}/measures`,
        { instrument: 'phq9', taken_on: daysAgo(70), answers: [3, 2, 2, 2, 2, 2, 2, 3, 0] });
    assert.equal(res.status, 201, res.body);
    assert.equal(res.data.total, 18);
    assert.equal(res.data.band, 'moderately-severe');
    assert.equal(res.data.change_from_baseline, 0);
    assert.equal(res.data.alert_id, null);
    assert.match(res.data.id, /^[0-9a-f]{32}$/);
    assert.equal(sql(`select answers || ' ' || total || ' ' || source from measures where public_id = '${res.data.id}'`),
        '[3,2,2,2,2,2,2,3,0] 18 staff');
    const second = await call('medical', 'POST', `/api/v1/patients/${pid}/measures`,
        { instrument: 'phq9', taken_on: daysAgo(56), answers: [2, 2, 2, 2, 2, 2, 2, 2, 0] });
    assert.equal(second.status, 201, second.body);
    assert.equal(second.data.total, 16);
    assert.equal(second.data.change_from_baseline, -2);
    assert.deepEqual(second.data.reached, []);
});

test('GAD-7, PACS (with a substance) and the craving rating score as published; raw change only', async () => {
    const gad = await call('clinician', 'POST', `/api/v1/patients/${pid}/measures`,
        { instrument: 'gad7', taken_on: daysAgo(10), answers: [3, 3, 2, 2, 1, 1, 0] });
    assert.equal(gad.status, 201, gad.body);
    assert.equal(gad.data.total, 12);
    assert.equal(gad.data.band, 'moderate');
    const pacs = await call('clinician', 'POST', `/api/v1/patients/${pid}/measures`,
        { instrument: 'pacs', taken_on: daysAgo(9), answers: [6, 5, 0, 2, 4], substance: 'cocaine' });
    assert.equal(pacs.status, 201, pacs.body);
    assert.equal(pacs.data.total, 17);
    assert.equal(pacs.data.band, null);
    assert.equal(sql(`select substance from measures where public_id = '${pacs.data.id}'`), 'cocaine');
    const pacs2 = await call('clinician', 'POST', `/api/v1/patients/${pid}/measures`,
        { instrument: 'pacs', taken_on: daysAgo(2), answers: [1, 1, 0, 0, 1] });
    assert.equal(pacs2.data.total, 3);
    assert.equal(pacs2.data.change_from_baseline, -14);
    assert.deepEqual(pacs2.data.reached, []); // no published threshold is named
    const crave = await call('clinician', 'POST', `/api/v1/patients/${pid}/measures`,
        { instrument: 'craving', taken_on: TODAY, answers: [7] });
    assert.equal(crave.status, 201, crave.body);
    assert.equal(crave.data.total, 7);
    assert.equal(crave.data.band, null);
});

test('bad and missing input: 422 naming the field, 400 for a body that is not JSON, nothing stored', async () => {
    const before = counts();
    const url = `/api/v1/patients/${pid}/measures`;
    const good = { instrument: 'phq9', taken_on: TODAY, answers: [0, 0, 0, 0, 0, 0, 0, 0, 0] };
    refused(await call('clinician', 'POST', url, { ...good, answers: [0, 0, 0] }), 422, 'answers');
    refused(await call('clinician', 'POST', url, { ...good, answers: [0, 0, 0, 0, 0, 0, 0, 0, 4] }), 422, 'answers[8]');
    refused(await call('clinician', 'POST', url, { ...good, answers: [0, 0, -1, 0, 0, 0, 0, 0, 1] }), 422, 'answers[2]');
    refused(await call('clinician', 'POST', url, { ...good, answers: [0, 0, '1', 0, 0, 0, 0, 0, 0] }), 422, 'answers[2]');
    refused(await call('clinician', 'POST', url, { ...good, answers: 'all zero' }), 422, 'answers');
    refused(await call('clinician', 'POST', url, { instrument: 'phq9', taken_on: TODAY }), 422, 'answers');
    refused(await call('clinician', 'POST', url, { ...good, instrument: 'dast10' }), 422, 'instrument');
    refused(await call('clinician', 'POST', url, { taken_on: TODAY, answers: [1] }), 422, 'instrument');
    refused(await call('clinician', 'POST', url, { ...good, taken_on: '2026-02-30' }), 422, 'taken_on');
    refused(await call('clinician', 'POST', url, { ...good, taken_on: undefined }), 422, 'taken_on');
    refused(await call('clinician', 'POST', url, { ...good, taken_on: '2999-01-01' }), 422, 'taken_on');
    refused(await call('clinician', 'POST', url, { ...good, substance: 'cocaine' }), 422, 'substance');
    refused(await call('clinician', 'POST', url, { instrument: 'pacs', taken_on: TODAY, answers: [0, 0, 7, 0, 0] }), 422, 'answers[2]');
    refused(await call('clinician', 'POST', url, { instrument: 'pacs', taken_on: TODAY, answers: [0, 0, 0, 0, 0], substance: '<b>' }), 422, 'substance');
    refused(await call('clinician', 'POST', url, { instrument: 'craving', taken_on: TODAY, answers: [11] }), 422, 'answers[0]');
    refused(await call('clinician', 'POST', url, 'not json'), 400);
    refused(await call('clinician', 'POST', url, [1, 2]), 400);
    // A PHQ-9 with item 9 = 1 but another item out of range: refused whole, no alert either.
    refused(await call('clinician', 'POST', url, { ...good, answers: [9, 0, 0, 0, 0, 0, 0, 0, 1] }), 422, 'answers[0]');
    // No CSRF token, a wrong one: 403.
    assert.equal((await call('clinician', 'POST', url, good, { csrf: false })).status, 403);
    assert.equal((await call('clinician', 'POST', url, good, { csrf: 'x'.repeat(43) })).status, 403);
    // No such patient.
    assert.equal((await call('clinician', 'POST', '/api/v1/patients/nope/measures', good)).status, 404);
    assert.equal(counts(), before);
    // Refusals are audited as invalid.
    assert.ok(Number(sql(`select count(*) from audit_log where action = 'create' and record_type = 'measure'
        and outcome = 'invalid' and record_id = '${pid}'`)) >= 10);
});

test('PHQ-9 item 9 above 0 raises exactly one urgent alert with the measure; follow-up closes it', async () => {
    const before = Number(sql('select count(*) from clinical_alerts'));
    const res = await call('clinician', 'POST', `/api/v1/patients/${pid}/measures`,
        { instrument: 'phq9', taken_on: daysAgo(42), answers: [2, 2, 1, 1, 1, 1, 1, 1, 1] });
    assert.equal(res.status, 201, res.body);
    assert.equal(res.data.total, 11);
    assert.match(res.data.alert_id, /^[0-9a-f]{32}$/);
    assert.equal(Number(sql('select count(*) from clinical_alerts')), before + 1);
    assert.equal(sql(`select kind || ' ' || urgent || ' ' || source_id from clinical_alerts where public_id = '${res.data.alert_id}'`),
        `phq9-item9 1 ${res.data.id}`);
    assert.equal(sql(`select count(*) from audit_log where action = 'create' and record_type = 'clinical-alert'
        and record_id = '${res.data.alert_id}'`), '1');
    // The open list: urgent first; each row as the Today screen needs it.
    const open = await call('clinician', 'GET', '/api/v1/clinical-alerts');
    assert.equal(open.status, 200, open.body);
    const a = open.data.find((x) => x.id === res.data.alert_id);
    assert.ok(a, open.body);
    assert.equal(open.data[0].urgent, true);
    assert.equal(a.patient_id, pid);
    assert.equal(a.patient_name, 'Rae Okafor');
    assert.equal(a.kind, 'phq9-item9');
    assert.match(a.detail, /item 9/);
    assert.equal(a.open, true);
    // Per patient: this one's, and none of the other patient's.
    const mine = await call('medical', 'GET', `/api/v1/clinical-alerts?patient=${pid}`);
    assert.ok(mine.data.some((x) => x.id === res.data.alert_id));
    const theirs = await call('medical', 'GET', `/api/v1/clinical-alerts?patient=${other}`);
    assert.deepEqual(theirs.data, []);
    refused(await call('medical', 'GET', '/api/v1/clinical-alerts?patient=nope'), 422, 'patient');
    // Follow-up: required text; then closed; a second one is a conflict.
    const url = `/api/v1/clinical-alerts/${res.data.alert_id}/follow-up`;
    const was = counts();
    refused(await call('clinician', 'POST', url, {}), 422, 'follow_up');
    refused(await call('clinician', 'POST', url, { follow_up: '   ' }), 422, 'follow_up');
    refused(await call('clinician', 'POST', url, { follow_up: 'x'.repeat(2001) }), 422, 'follow_up');
    refused(await call('clinician', 'POST', url, 'nope'), 400);
    assert.equal((await call('clinician', 'POST', url, { follow_up: 'ok' }, { csrf: false })).status, 403);
    assert.equal((await call('clinician', 'POST', '/api/v1/clinical-alerts/nope/follow-up', { follow_up: 'ok' })).status, 404);
    assert.equal(counts(), was);
    const done = await call('clinician', 'POST', url, { follow_up: 'Called the same day.\nSafety plan reviewed; seen tomorrow.' });
    assert.equal(done.status, 200, done.body);
    assert.equal(done.data.open, false);
    assert.match(done.data.follow_up, /Safety plan reviewed/);
    const again = await call('medical', 'POST', url, { follow_up: 'Second' });
    assert.equal(again.status, 409, again.body);
    assert.ok(!(await call('clinician', 'GET', '/api/v1/clinical-alerts')).data.some((x) => x.id === res.data.alert_id));
    assert.equal(sql(`select count(*) from audit_log where action = 'update' and record_type = 'clinical-alert'
        and record_id = '${res.data.alert_id}' and outcome = 'ok'`), '1');
});

test('GET measures, due and trend; six PHQ-9 scores reach the published thresholds', async () => {
    for (const [ago, answers] of [[28, [1, 1, 1, 1, 1, 1, 1, 1, 0]], [14, [1, 1, 1, 1, 0, 1, 1, 0, 0]], [0, [1, 1, 1, 1, 0, 0, 0, 0, 0]]]) {
        const res = await call('clinician', 'POST', `/api/v1/patients/${pid}/measures`, { instrument: 'phq9', taken_on: daysAgo(ago), answers });
        assert.equal(res.status, 201, res.body);
    }
    const list = await call('clinician', 'GET', `/api/v1/patients/${pid}/measures`);
    assert.equal(list.status, 200, list.body);
    assert.equal(list.data.filter((m) => m.instrument === 'phq9').length, 6);
    const t = await call('medical', 'GET', `/api/v1/patients/${pid}/measures/phq9/trend`);
    assert.equal(t.status, 200, t.body);
    assert.deepEqual(t.data.points.map((x) => x.total), [18, 16, 11, 8, 6, 4]);
    assert.deepEqual(t.data.baseline, { taken_on: daysAgo(70), total: 18 });
    assert.deepEqual(t.data.points.map((x) => x.change_from_baseline), [0, -2, -7, -10, -12, -14]);
    assert.equal(t.data.points[3].band, 'mild');
    assert.deepEqual(t.data.points[2].reached, ['improved-5-points']);
    assert.deepEqual(t.data.points[3].reached, ['response', 'improved-5-points']);
    assert.deepEqual(t.data.reached, ['response', 'remission', 'improved-5-points']);
    assert.equal(t.data.thresholds.remission_below, 5);
    assert.equal(t.data.bands.length, 5);
    const gad = await call('clinician', 'GET', `/api/v1/patients/${pid}/measures/gad7/trend`);
    assert.equal(gad.data.thresholds, null);
    assert.equal(gad.data.bands.length, 4);
    const crave = await call('clinician', 'GET', `/api/v1/patients/${pid}/measures/craving/trend`);
    assert.deepEqual(crave.data.bands, []);
    refused(await call('clinician', 'GET', `/api/v1/patients/${pid}/measures/dast10/trend`), 422, 'instrument');
    assert.equal((await call('clinician', 'GET', '/api/v1/patients/nope/measures/phq9/trend')).status, 404);
    // Due: PHQ-9 taken today -> next in 14 days; GAD-7 10 days ago -> due in 4; craving unscheduled.
    const due = await call('clinician', 'GET', `/api/v1/patients/${pid}/measures/due`);
    assert.equal(due.status, 200, due.body);
    const by = Object.fromEntries(due.data.due.map((x) => [x.instrument, x]));
    assert.equal(by.phq9.due_on, daysAgo(-14));
    assert.equal(by.phq9.overdue, false);
    assert.equal(by.gad7.due_on, daysAgo(-4));
    assert.equal(by.pacs.due_on, daysAgo(-5));
    assert.equal(by.craving, undefined);
    // The other patient (admitted 2024-03-04, nothing taken): everything overdue since admission.
    const od = await call('clinician', 'GET', `/api/v1/patients/${other}/measures/due`);
    assert.ok(od.data.due.every((x) => x.due_on === '2024-03-04' && x.overdue), od.body);
    assert.equal((await call('clinician', 'GET', '/api/v1/patients/nope/measures/due')).status, 404);
    assert.equal((await call('clinician', 'GET', '/api/v1/patients/nope/measures')).status, 404);
    // Reads are audited as views of the patient.
    assert.ok(Number(sql(`select count(*) from audit_log where action = 'view' and record_type = 'patient'
        and record_id = '${pid}' and user_email like 'medical@%'`)) >= 1);
});

test('the Measures page: due list, SVG chart and its table, the entry forms', async () => {
    const res = await g('clinician', `/staff/patients/${pid}/measures`);
    assert.equal(res.status, 200);
    const svg = res.body.match(/<svg[\s\S]*?<\/svg>/);
    assert.ok(svg);
    assert.match(svg[0], /role="img"/);
    assert.match(svg[0], /aria-labelledby="trend-phq9-title trend-phq9-desc"/);
    assert.doesNotMatch(res.body, /<script(?![^>]*src=)/); // no inline script
    assert.equal((res.body.match(/<circle /g) || []).length, 6 + 1 + 2 + 1); // PHQ-9, GAD-7, PACS, craving
    const table = res.body.match(/<table[^>]*id="table-phq9"[\s\S]*?<\/table>/)[0];
    assert.equal((table.match(/<tr data-measure=/g) || []).length, 6);
    assert.match(text(table), /moderately severe/);
    assert.match(text(table), /baseline/);
    assert.match(text(table), /-14/);
    assert.match(text(res.body), /No published threshold: the table shows the raw change only/);
    for (const code of ['phq9', 'gad7', 'pacs', 'craving']) assert.match(res.body, new RegExp(`id="enter-${code}"`));
    assert.match(res.body, /name="item9"/);
    assert.match(text(res.body), /Little interest or pleasure in doing things/);
    // The other patient: all due, forms open.
    const o = await g('medical', `/staff/patients/${other}/measures`);
    assert.equal(o.status, 200);
    assert.match(o.body, /overdue since 2024-03-04/);
    assert.match(o.body, /<details class="measures-entry" id="enter-phq9" open>/);
    assert.equal((await g('clinician', '/staff/patients/nope/measures')).status, 404);
});

test('the entry form: 422 with problems beside the fields and nothing stored; 303 when saved', async () => {
    const before = counts();
    const bad = await p('clinician', `/staff/patients/${other}/measures`, { instrument: 'phq9', taken_on: '2999-01-01', item1: '1', item2: '7' });
    assert.equal(bad.status, 422);
    assert.match(bad.body, /id="form-errors"/);
    assert.match(bad.body, /href="#phq9-taken_on"/);
    assert.match(bad.body, /id="phq9-item2-error"/);
    assert.match(bad.body, /id="phq9-item9-error"/);
    assert.match(bad.body, /id="phq9-item1-1" name="item1" value="1" checked/); // the answer kept
    assert.equal(counts(), before);
    const unknown = await p('clinician', `/staff/patients/${other}/measures`, { instrument: 'nope' });
    assert.equal(unknown.status, 422);
    const pacsBad = await p('clinician', `/staff/patients/${other}/measures`, { instrument: 'pacs', taken_on: TODAY,
        substance: 'a;b', item1: '0', item2: '0', item3: '0', item4: '0', item5: '0' });
    assert.equal(pacsBad.status, 422);
    assert.match(pacsBad.body, /id="pacs-substance-error"/);
    assert.equal(counts(), before);
    const noCsrf = await post(srv, who.clinician.jar, `/staff/patients/${other}/measures`, { instrument: 'craving', taken_on: TODAY, item1: '3' });
    assert.equal(noCsrf.status, 403);
    const ok = await p('clinician', `/staff/patients/${other}/measures`, { instrument: 'gad7', taken_on: TODAY,
        item1: '1', item2: '1', item3: '1', item4: '1', item5: '1', item6: '0', item7: '0' });
    assert.equal(ok.status, 303, ok.body.slice(0, 300));
    assert.equal(ok.headers.location, `/staff/patients/${other}/measures?saved=gad7#trend-gad7`);
    assert.equal(sql(`select total from measures m join patients p on p.id = m.patient_id where p.public_id = '${other}' and instrument = 'gad7'`), '5');
});

test('item 9 = 1 on the form: the answer shows the crisis resources at once; the follow-up form closes it', async () => {
    const items = Object.fromEntries([1, 2, 3, 4, 5, 6, 7, 8].map((n) => [`item${n}`, '0']));
    const res = await p('clinician', `/staff/patients/${other}/measures`, { instrument: 'phq9', taken_on: TODAY, ...items, item9: '1' });
    assert.equal(res.status, 303, res.body.slice(0, 300));
    const alertId = sql(`select a.public_id from clinical_alerts a join patients p on p.id = a.patient_id where p.public_id = '${other}'`);
    assert.match(alertId, /^[0-9a-f]{32}$/);
    assert.equal(res.headers.location, `/staff/patients/${other}/measures?alert=${alertId}#crisis`);
    const page = await g('clinician', res.headers.location);
    assert.equal(page.status, 200);
    assert.match(page.body, /id="crisis"[^>]*role="alert"/);
    assert.match(page.body, /href="tel:988"/);
    assert.match(page.body, /href="sms:988"/);
    assert.match(page.body, /href="tel:911"/);
    assert.match(page.body, /id="crisis-risk"/); // the public assessment's own panel
    // Without the alert in the address, or once it is closed, no panel.
    assert.doesNotMatch((await g('clinician', `/staff/patients/${other}/measures`)).body, /id="crisis"/);
    // The alerts list and the alert's page.
    const list = await g('medical', '/staff/clinical-alerts');
    assert.equal(list.status, 200);
    assert.match(list.body, new RegExp(`data-alert="${alertId}"`));
    assert.match(text(list.body), /Lee Moss Urgent/);
    const one = await g('clinician', `/staff/clinical-alerts/${alertId}?from=patient`);
    assert.equal(one.status, 200);
    assert.match(one.body, /id="follow-up-form"/);
    const before = counts();
    const empty = await p('clinician', `/staff/clinical-alerts/${alertId}/follow-up`, { follow_up: ' ', from: 'patient' });
    assert.equal(empty.status, 422);
    assert.match(empty.body, /id="follow_up-error"/);
    assert.match(empty.body, /name="from" value="patient"/);
    assert.equal(counts(), before);
    const done = await p('clinician', `/staff/clinical-alerts/${alertId}/follow-up`, { follow_up: 'Spoke with Lee; safe; plan made.', from: 'patient' });
    assert.equal(done.status, 303);
    assert.equal(done.headers.location, `/staff/patients/${other}/measures#alerts`);
    assert.doesNotMatch((await g('clinician', `/staff/patients/${other}/measures?alert=${alertId}`)).body, /id="crisis"/);
    const closed = await g('clinician', `/staff/clinical-alerts/${alertId}`);
    assert.match(closed.body, /id="follow-up-done"/);
    assert.doesNotMatch(closed.body, /id="follow-up-form"/);
    const twice = await p('clinician', `/staff/clinical-alerts/${alertId}/follow-up`, { follow_up: 'Again' });
    assert.equal(twice.status, 409);
    assert.equal((await g('clinician', '/staff/clinical-alerts/nope')).status, 404);
    assert.equal((await p('clinician', '/staff/clinical-alerts/nope/follow-up', { follow_up: 'x' })).status, 404);
});

// Every route of the module, on real records.
const ROUTES = () => [
    ['GET', `/staff/patients/${pid}/measures`], ['POST', `/staff/patients/${pid}/measures`],
    ['GET', '/staff/clinical-alerts'], ['GET', '/staff/clinical-alerts/none'],
    ['POST', '/staff/clinical-alerts/none/follow-up'],
    ['GET', `/api/v1/patients/${pid}/measures`], ['POST', `/api/v1/patients/${pid}/measures`],
    ['GET', `/api/v1/patients/${pid}/measures/due`], ['GET', `/api/v1/patients/${pid}/measures/phq9/trend`],
    ['GET', '/api/v1/clinical-alerts'], ['POST', '/api/v1/clinical-alerts/none/follow-up'],
];

test('role matrix: clinicians and medical staff only; the others 403 and read nothing', async () => {
    const problems = [];
    const before = counts();
    for (const role of ROLES) {
        for (const [method, path] of ROUTES()) {
            const isApi = path.startsWith('/api/');
            const res = method === 'GET' ? await g(role, path)
                : isApi ? await call(role, method, path, {}) : await p(role, path, {});
            const allowed = ALLOWED.includes(role);
            if (!allowed && res.status !== 403) problems.push(`${method} ${path} as ${role}: ${res.status}`);
            if (!allowed && /Rae Okafor|item 9|<svg/.test(res.body)) problems.push(`${method} ${path} as ${role}: shows clinical content`);
            if (allowed && (res.status === 401 || res.status === 403 || res.status >= 500)) problems.push(`${method} ${path} as ${role}: ${res.status}`);
        }
    }
    assert.deepEqual(problems, []);
    assert.equal(counts(), before);
    // Anonymous: sign-in for pages, 401 for the API.
    for (const [method, path] of ROUTES()) {
        const res = method === 'GET' ? await get(srv, null, path) : path.startsWith('/api/')
            ? await api(srv, null, method, path, {}) : await post(srv, null, path, {});
        if (path.startsWith('/api/')) assert.equal(res.status, 401, `${method} ${path}`);
        else assert.equal(res.status, 303, `${method} ${path}`);
    }
    // The staff menu shows the alerts list to those who may open it only.
    assert.match((await g('clinician', '/staff/')).body, /href="\/staff\/clinical-alerts"/);
    assert.doesNotMatch((await g('billing', '/staff/')).body, /href="\/staff\/clinical-alerts"/);
});
