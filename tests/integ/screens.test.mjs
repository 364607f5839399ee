// Drug screens (issue 10) on the real binary: the JSON API (list, add, lab) and the page (form,
// 422 with problems beside their fields, 303 on success, the lab update), an unexpected positive
// raising one clinical alert in the same write and an expected one raising none, results that
// never change, bad input changing nothing, and the role matrix: clinicians and medical staff
// only (admin, admissions, billing and auditors read no screen).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer } from '../helpers/server.mjs';
import { api, get, post, signIn } from '../helpers/staff.mjs';

let srv;
const staff = {};
const ids = {};
const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();
const call = (role, method, path, body, opts) => api(srv, staff[role], method, path, body, opts);
const page = (role, path) => get(srv, staff[role].jar, path);
const form = (role, path, fields) => post(srv, staff[role].jar, path, { csrf: staff[role].csrf, ...fields });
const TODAY = new Date().toISOString().slice(0, 10);
const counts = () => sql('select (select count(*) from drug_screens) || \'/\' || (select count(*) from drug_screen_results) || \'/\' || (select count(*) from clinical_alerts)');

before(async () => {
    srv = await startServer({ demo: true });
    for (const role of ['admin', 'clinician', 'admissions', 'billing', 'auditor', 'medical']) staff[role] = await signIn(srv, role);
    const p = await call('admin', 'POST', '/api/v1/patients', {
        first_name: 'Ana', last_name: 'Screen', date_of_birth: '1990-02-03', phone: '555-010-0100',
        emergency_name: 'Bo Screen', emergency_phone: '555-010-0101', emergency_relationship: 'brother',
        admission_date: '2026-01-05', level: 'iop' });
    assert.equal(p.status, 201, p.body);
    ids.patient = p.data.id;
});
after(async () => { if (srv) await srv.stop(); });

test('POST a screen: an unexpected positive raises one alert with the screen; an expected one none', async () => {
    const before = sql("select count(*) from clinical_alerts where kind = 'screen-unexpected-positive'");
    const res = await call('clinician', 'POST', `/api/v1/patients/${ids.patient}/drug-screens`, {
        collected_on: '2026-02-02', specimen: 'urine', observed: true, lab: 'pending',
        results: [
            { substance: 'buprenorphine', result: 'positive', expected: true },
            { substance: 'cocaine', result: 'positive' },
            { substance: 'fentanyl', result: 'negative' },
            { substance: 'other', name: 'Kratom', result: 'invalid' },
        ] });
    assert.equal(res.status, 201, res.body);
    ids.screen = res.data.id;
    assert.equal(res.data.alert, true);
    assert.equal(res.data.unexpected, true);
    assert.deepEqual(res.data.results.map((r) => [r.substance, r.result, r.expected, r.unexpected]), [
        ['buprenorphine', 'positive', true, false], ['cocaine', 'positive', false, true],
        ['fentanyl', 'negative', false, false], ['Kratom', 'invalid', false, false]]);
    assert.equal(sql("select count(*) from clinical_alerts where kind = 'screen-unexpected-positive'"), String(Number(before) + 1));
    assert.equal(sql(`select detail || '|' || source_id || '|' || urgent from clinical_alerts order by id desc limit 1`),
        `Unexpected positive: cocaine|${ids.screen}|0`);
    assert.equal(sql(`select count(*) from audit_log where action = 'create' and record_type = 'drug-screen' and record_id = '${ids.screen}' and outcome = 'ok'`), '1');

    // Buprenorphine prescribed and positive, the rest negative: no alert.
    const ok = await call('medical', 'POST', `/api/v1/patients/${ids.patient}/drug-screens`, {
        collected_on: '2026-02-09', specimen: 'oral-fluid', observed: false,
        results: [{ substance: 'buprenorphine', result: 'positive', expected: true }, { substance: 'cocaine', result: 'negative' }] });
    assert.equal(ok.status, 201, ok.body);
    assert.equal(ok.data.alert, false);
    assert.equal(ok.data.lab, 'none');
    assert.equal(sql("select count(*) from clinical_alerts where kind = 'screen-unexpected-positive'"), String(Number(before) + 1));

    const list = await call('clinician', 'GET', `/api/v1/patients/${ids.patient}/drug-screens`);
    assert.equal(list.status, 200);
    assert.deepEqual(list.data.map((s) => s.collected_on), ['2026-02-09', '2026-02-02'], 'newest first');
    assert.equal(sql(`select count(*) > 0 from audit_log where action = 'view' and record_type = 'patient' and record_id = '${ids.patient}'`), '1');
});

test('bad input: 422 naming each field, nothing written; unknown patient 404; malformed 400', async () => {
    const n = counts();
    const bad = async (body, fields) => {
        const res = await call('clinician', 'POST', `/api/v1/patients/${ids.patient}/drug-screens`, body);
        assert.equal(res.status, 422, res.body);
        assert.equal(res.data.error, 'invalid');
        assert.deepEqual(res.data.details.map((d) => d.field).sort(), fields.sort());
    };
    const good = { collected_on: '2026-02-02', specimen: 'urine', observed: true, results: [{ substance: 'cocaine', result: 'negative' }] };
    await bad({}, ['collected_on', 'specimen', 'observed', 'results']);
    await bad({ ...good, collected_on: '2999-01-01' }, ['collected_on']);
    await bad({ ...good, collected_on: '2026-02-30' }, ['collected_on']);
    await bad({ ...good, specimen: 'hair' }, ['specimen']);
    await bad({ ...good, observed: 'yes' }, ['observed']);
    await bad({ ...good, lab: 'maybe' }, ['lab']);
    await bad({ ...good, results: [] }, ['results']);
    await bad({ ...good, results: [{ substance: 'heroin', result: 'negative' }] }, ['results[0].substance']);
    await bad({ ...good, results: [{ substance: 'other', result: 'negative' }] }, ['results[0].substance']);
    await bad({ ...good, results: [{ substance: 'cocaine', result: 'maybe' }] }, ['results[0].result']);
    await bad({ ...good, results: [{ substance: 'cocaine', result: 'positive', expected: 'yes' }] }, ['results[0].expected']);
    await bad({ ...good, results: [{ substance: 'cocaine', result: 'negative' }, { substance: 'other', name: 'COCAINE', result: 'positive' }] }, ['results[1].substance']);
    assert.equal(counts(), n, 'nothing written');
    assert.equal((await call('clinician', 'POST', '/api/v1/patients/0123456789abcdef0123456789abcdef/drug-screens', good)).status, 404);
    assert.equal((await call('clinician', 'GET', '/api/v1/patients/0123456789abcdef0123456789abcdef/drug-screens')).status, 404);
    assert.equal((await call('clinician', 'POST', `/api/v1/patients/${ids.patient}/drug-screens`, '{"x":')).status, 400);
    assert.equal((await call('clinician', 'POST', `/api/v1/patients/${ids.patient}/drug-screens`, good, { csrf: false })).status, 403);
    assert.equal(counts(), n, 'nothing written');
});

test('PUT lab: the confirmation changes, results never do', async () => {
    const res = await call('medical', 'PUT', `/api/v1/drug-screens/${ids.screen}/lab`, { lab: 'confirmed' });
    assert.equal(res.status, 200, res.body);
    assert.equal(res.data.lab, 'confirmed');
    assert.equal(res.data.results.length, 4);
    const results = sql(`select group_concat(substance || '=' || result) from drug_screen_results r join drug_screens d on d.id = r.screen_id where d.public_id = '${ids.screen}'`);
    const tried = await call('clinician', 'PUT', `/api/v1/drug-screens/${ids.screen}/lab`, { lab: 'pending', results: [{ substance: 'cocaine', result: 'negative' }] });
    assert.equal(tried.status, 422);
    assert.equal(tried.data.details[0].field, 'results');
    assert.equal(sql(`select lab from drug_screens where public_id = '${ids.screen}'`), 'confirmed', 'nothing changed');
    assert.equal(sql(`select group_concat(substance || '=' || result) from drug_screen_results r join drug_screens d on d.id = r.screen_id where d.public_id = '${ids.screen}'`), results);
    assert.equal((await call('clinician', 'PUT', `/api/v1/drug-screens/${ids.screen}/lab`, { lab: 'sure' })).status, 422);
    assert.equal((await call('clinician', 'PUT', '/api/v1/drug-screens/0123456789abcdef0123456789abcdef/lab', { lab: 'pending' })).status, 404);
    assert.equal(sql(`select count(*) from audit_log where action = 'update' and record_type = 'drug-screen' and record_id = '${ids.screen}' and outcome = 'ok'`), '1');
});

test('the page: the form, its problems beside their fields (422), a screen recorded (303), the lab updated', async () => {
    const url = `/staff/patients/${ids.patient}/screens`;
    const res = await page('clinician', url);
    assert.equal(res.status, 200);
    assert.match(res.body, /Drug screens: Ana Screen/);
    assert.match(res.body, new RegExp(`id="collected_on" name="collected_on" value="${TODAY}"`));
    assert.match(res.body, /id="screen-[0-9a-f]{32}"[^>]*>/);
    assert.match(res.body, /Unexpected positive<\/strong>/);
    assert.match(res.body, /<table id="trend"/);
    const n = counts();
    const wrong = await form('clinician', url, { collected_on: '2999-01-01', specimen: 'urine', observed: 'yes', lab: 'none', other1_name: 'Kratom' });
    assert.equal(wrong.status, 422);
    assert.match(wrong.body, /id="form-errors"/);
    assert.match(wrong.body, /<a href="#collected_on">The date collected cannot be after today\.<\/a>/);
    assert.match(wrong.body, /<a href="#other1_result">/);
    assert.match(wrong.body, /value="Kratom"/, 'what was typed is kept');
    const none = await form('clinician', url, { collected_on: '2026-02-10', specimen: 'urine', observed: 'yes', lab: 'none' });
    assert.equal(none.status, 422);
    assert.match(none.body, /<a href="#results">Record at least one substance/);
    assert.equal(counts(), n, 'nothing written');
    const done = await form('clinician', url, { collected_on: '2026-02-10', specimen: 'breath', observed: 'no', lab: 'none',
        r_alcohol: 'positive', r_cocaine: 'negative', comment: 'Corrects the screen of 2026-02-09 (wrong specimen).' });
    assert.equal(done.status, 303, done.body.slice(0, 400));
    assert.match(done.headers.location, new RegExp(`^/staff/patients/${ids.patient}/screens\\?added=[0-9a-f]{32}&alert=1#screen-`));
    const sid = /added=([0-9a-f]{32})/.exec(done.headers.location)[1];
    assert.equal(sql(`select specimen || observed || lab || comment from drug_screens where public_id = '${sid}'`), 'breath0noneCorrects the screen of 2026-02-09 (wrong specimen).');
    assert.equal(sql(`select detail from clinical_alerts where source_id = '${sid}'`), 'Unexpected positive: alcohol');
    const lab = await form('medical', `/staff/screens/${sid}/lab`, { lab: 'pending' });
    assert.equal(lab.status, 303);
    assert.equal(lab.headers.location, `/staff/patients/${ids.patient}/screens#screen-${sid}`);
    assert.equal(sql(`select lab from drug_screens where public_id = '${sid}'`), 'pending');
    assert.equal((await form('medical', `/staff/screens/${sid}/lab`, { lab: 'odd' })).status, 422);
    assert.equal((await post(srv, staff.medical.jar, `/staff/screens/${sid}/lab`, { lab: 'confirmed' })).status, 403, 'no CSRF token');
    assert.equal(sql(`select lab from drug_screens where public_id = '${sid}'`), 'pending');
});

test('roles: clinicians and medical staff only; the others read and write no screen', async () => {
    const n = counts();
    for (const role of ['admin', 'admissions', 'billing', 'auditor']) {
        assert.equal((await call(role, 'GET', `/api/v1/patients/${ids.patient}/drug-screens`)).status, 403, role);
        assert.equal((await call(role, 'POST', `/api/v1/patients/${ids.patient}/drug-screens`, { collected_on: '2026-02-02' })).status, 403, role);
        assert.equal((await call(role, 'PUT', `/api/v1/drug-screens/${ids.screen}/lab`, { lab: 'none' })).status, 403, role);
        const p = await page(role, `/staff/patients/${ids.patient}/screens`);
        assert.equal(p.status, 403, role);
        assert.doesNotMatch(p.body, /cocaine|Kratom/i, role);
        assert.equal((await form(role, `/staff/screens/${ids.screen}/lab`, { lab: 'none' })).status, 403, role);
    }
    assert.equal(counts(), n);
    assert.equal(sql(`select lab from drug_screens where public_id = '${ids.screen}'`), 'confirmed');
    assert.equal((await call('clinician', 'GET', `/api/v1/patients/${ids.patient}/drug-screens`, undefined, { csrf: false })).status, 200);
});
