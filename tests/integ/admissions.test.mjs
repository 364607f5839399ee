// The admissions module over plain HTTP: the referral life cycle end to end (public call request
// -> queue -> call logged -> intake with the level confirmed -> admit -> patient chart with the
// assessment), consent, billing's view without clinical fields, bad input on every form (clear
// message, nothing written: rows counted with the sqlite3 CLI), CSRF rejection, role refusals;
// then, on a server of its own, the review round (the last describe block).

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, request, postForm, extractCall, countRows, findTags, formEncode, json } from '../helpers/server.mjs';
import { PROFILES } from '../helpers/profiles.mjs';
import { signIn, get, post } from '../helpers/staff.mjs';
import { makeReferral } from '../helpers/records.mjs';

let srv;
const who = {}; // role -> { jar, csrf }

before(async () => {
    srv = await startServer({ demo: true });
    for (const role of ['admissions', 'clinician', 'billing', 'auditor', 'medical']) who[role] = await signIn(srv, role);
});
after(async () => { if (srv) await srv.stop(); });

const rows = (t) => countRows(srv.db, t);
const g = (role, path) => get(srv, who[role].jar, path);
const p = (role, path, fields) => post(srv, who[role].jar, path, { csrf: who[role].csrf, ...fields });

/** A public "ask us to call you" request; returns the new referral's public id. */
async function callRequest(profile = PROFILES.php, name = 'Sam Rivera') {
    const res = await postForm(srv.origin, '/assessment/result', profile.answers);
    assert.equal(res.status, 200);
    const c = extractCall(res);
    const before_ = rows('referrals');
    const sent = await postForm(srv.origin, '/assessment/call', {
        csrf: c.csrf, answers: c.answers, name, phone: '555-010-0199', email: 'sam@example.org',
        'best-time': 'evening', voicemail: 'no', consent: 'yes',
    }, { headers: { cookie: c.cookie } });
    assert.equal(sent.status, 303, sent.body.slice(0, 300));
    assert.equal(rows('referrals'), before_ + 1);
    const out = execSql(`select public_id from referrals order by id desc limit 1`);
    return out;
}

import { execFileSync } from 'node:child_process';
function execSql(sql) {
    return execFileSync('sqlite3', [srv.db, sql], { encoding: 'utf8' }).trim();
}

const fieldError = (html, field) => new RegExp(`id="${field}-error"`).test(html);
const idOf = (html, id) => findTags(html, '[a-zA-Z][a-zA-Z0-9]*').find((t) => t.attrs.id === id);
let counsellor; // a clinician's public id, for the admit form

async function clinicianId() {
    if (counsellor) return counsellor;
    const id = execSql(`select u.public_id from users u join user_roles r on r.user_id = u.id where r.role = 'clinician' limit 1`);
    counsellor = id;
    return id;
}

function admitFields(over = {}) {
    return {
        first_name: 'Sam', last_name: 'Rivera', date_of_birth: '1988-04-12', phone: '555-010-0199',
        email: 'sam@example.org', address: '1 Main St', emergency_name: 'Alex Rivera',
        emergency_phone: '555-010-0111', emergency_relationship: 'sister', counsellor,
        admission_date: '2024-03-04', level: 'iop', track: '', status: 'active', ...over,
    };
}

// ------------------------------------------------------------------ the life cycle

test('life cycle: call request -> queue -> call -> intake -> admit -> chart', async () => {
    const id = await callRequest();
    await clinicianId();

    // The queue shows it, with its level and the contact details.
    const q = await g('admissions', '/staff/queue');
    assert.doesNotMatch(q.body, /id="queue-more"/, 'no "0 more not shown" when every request is listed');
    assert.equal(q.status, 200, q.body.slice(0, 300));
    assert.match(q.body, new RegExp(`data-referral="${id}"`));
    assert.match(q.body, /Sam Rivera/);
    assert.match(q.body, /555-010-0199/);

    // The referral page shows the result read-only, with scores.
    const page = await g('admissions', `/staff/referrals/${id}`);
    assert.equal(page.status, 200);
    assert.ok(idOf(page.body, 'assessment'), '#assessment');
    assert.match(page.body, /AUDIT|PHQ-9|ASSIST/);
    assert.ok(idOf(page.body, 'call-form'));

    // A reached call moves it to contacted, in the same transaction as the call.
    let res = await p('admissions', `/staff/referrals/${id}/calls`, { outcome: 'reached', note: 'Spoke briefly', next_follow_up: '2030-01-02' });
    assert.equal(res.status, 303, res.body.slice(0, 500));
    assert.equal(execSql(`select status from referrals where public_id = '${id}'`), 'contacted');
    assert.equal(rows('referral_calls'), 1);

    // Admissions staff see the intake but a clinician confirms the level.
    res = await g('admissions', `/staff/referrals/${id}/intake`);
    assert.equal(res.status, 200);
    assert.ok(!idOf(res.body, 'intake-form'), 'no level form for admissions staff');
    res = await p('admissions', `/staff/referrals/${id}/intake`, { confirmed_level: 'iop', change_reason: 'x' });
    assert.equal(res.status, 403);
    res = await g('clinician', `/staff/referrals/${id}/intake`);
    assert.equal(res.status, 200);
    assert.ok(idOf(res.body, 'intake-form'));
    assert.ok(idOf(res.body, 'answers'), 'the answers are shown again');
    res = await p('clinician', `/staff/referrals/${id}/intake`, { confirmed_level: 'iop', change_reason: 'Work obligations; evening IOP fits', notes: '' });
    assert.equal(res.status, 303, res.body.slice(0, 500));
    assert.equal(execSql(`select status from referrals where public_id = '${id}'`), 'intake-scheduled');
    assert.equal(execSql(`select confirmed_level from intakes`), 'iop');

    // Admit.
    res = await g('admissions', `/staff/referrals/${id}/admit`);
    assert.equal(res.status, 200);
    assert.ok(idOf(res.body, 'admit-form'));
    res = await p('admissions', `/staff/referrals/${id}/admit`, admitFields());
    assert.equal(res.status, 303, res.body.slice(0, 800));
    const loc = res.headers.location;
    assert.match(loc, /^\/staff\/patients\/[0-9a-f]{32}$/);
    assert.equal(execSql(`select status from referrals where public_id = '${id}'`), 'admitted');
    assert.equal(rows('patients'), 1);

    // The chart shows the assessment that led to admission, with scores.
    const chart = await g('clinician', loc);
    assert.equal(chart.status, 200);
    assert.ok(idOf(chart.body, 'assessment'));
    assert.match(chart.body, /Sam/);
    assert.match(chart.body, /Intensive Outpatient/);
    assert.match(chart.body, /Alex Rivera/);
    assert.ok(idOf(chart.body, 'timeline'));
    assert.match(chart.body, /42 CFR part 2 prohibits unauthorized use or disclosure of these records\./);

    // Search by name, phone and id.
    for (const q2 of ['Riv', 'sam rivera', '5550100199', loc.split('/').pop().slice(0, 8)]) {
        const s = await g('admissions', `/staff/patients?q=${encodeURIComponent(q2)}`);
        assert.equal(s.status, 200);
        assert.match(s.body, /data-patient="/, `search ${q2}`);
    }
    const none = await g('admissions', '/staff/patients?q=Nobody');
    assert.doesNotMatch(none.body, /data-patient="/);

    // Billing sees demographics, not the assessment.
    const bill = await g('billing', loc);
    assert.equal(bill.status, 200);
    assert.ok(!idOf(bill.body, 'assessment'), 'no assessment for billing');
    assert.doesNotMatch(bill.body, /PHQ-9|AUDIT|ASSIST|data-flag=/);
    assert.match(bill.body, /Rivera/);
    const api = await get(srv, who.billing.jar, `/api/v1/patients/${loc.split('/').pop()}`);
    assert.equal(api.status, 200);
    const pj = json(api);
    assert.equal(pj.last_name, 'Rivera');
    assert.equal(pj.level_of_care, 'iop');
    assert.equal(pj.answers, undefined);
    assert.equal(pj.flags, undefined);
    assert.match(pj.notice, /42 CFR part 2/);

    // The printable record carries the notice.
    const pr = await g('clinician', `${loc}/print`);
    assert.equal(pr.status, 200);
    assert.match(pr.body, /42 CFR part 2 prohibits unauthorized use or disclosure of these records\./);

    // Consent: record, see it active, revoke.
    const cBefore = rows('consents');
    res = await p('clinician', `${loc}/consents`, {
        discloser: 'Pecan Haven IOP', information: 'Attendance and diagnosis', recipient: 'Dr. Lee, primary care',
        purpose: 'Coordination of care', expiry: 'end-of-treatment', revoke_ack: 'yes', signature_name: 'Sam Rivera', signed: 'yes',
    });
    assert.equal(res.status, 303, res.body.slice(0, 800));
    assert.equal(rows('consents'), cBefore + 1);
    const cid = execSql('select public_id from consents order by id desc limit 1');
    let c2 = await g('clinician', loc);
    assert.match(c2.body, new RegExp(`data-consent="${cid}"[\\s\\S]*?Active`));
    // Issue 7: revoking asks first (how, and a ticked confirmation naming the patient).
    res = await p('clinician', `${loc}/consents/${cid}/revoke`, {});
    assert.equal(res.status, 422, 'not revoked in one click');
    assert.equal(execSql(`select coalesce(revoked_at, '') from consents where public_id = '${cid}'`), '');
    res = await p('clinician', `${loc}/consents/${cid}/revoke`, { how: 'in-writing', confirm: 'yes' });
    assert.equal(res.status, 303);
    assert.notEqual(execSql(`select revoked_at from consents where public_id = '${cid}'`), '');
    res = await p('clinician', `${loc}/consents/${cid}/revoke`, { how: 'in-writing', confirm: 'yes' });
    assert.equal(res.status, 409, 'revoking twice');
    // Billing may not record consents.
    res = await p('billing', `${loc}/consents`, { discloser: 'x' });
    assert.equal(res.status, 403);
});

test('queue: crisis flags first, in red; the JSON twin lists the same order', async () => {
    const plain = await callRequest(PROFILES.php, 'Plain Person');
    const acute = await callRequest(PROFILES.acute, 'Acute Person');
    const q = await g('admissions', '/staff/queue');
    const ia = q.body.indexOf(`data-referral="${acute}"`), ip = q.body.indexOf(`data-referral="${plain}"`);
    assert.ok(ia >= 0 && ip >= 0);
    assert.ok(ia < ip, 'the crisis referral comes first');
    assert.match(q.body, /adm-flag-crisis" data-flag="suicide-acute"/);
    const api = await get(srv, who.admissions.jar, '/api/v1/referrals');
    assert.equal(api.status, 200);
    const list = json(api).referrals.map((r) => r.public_id);
    assert.ok(list.indexOf(acute) < list.indexOf(plain));
    // Billing and auditors have no access to the queue.
    assert.equal((await g('billing', '/staff/queue')).status, 403);
    assert.equal((await g('auditor', '/staff/queue')).status, 403);
    // Anonymous: sent to sign in.
    const anon = await request(srv.origin, 'GET', '/staff/queue');
    assert.equal(anon.status, 303);
});

// ------------------------------------------------------------------ bad input and CSRF

test('bad input on every referral form: 422, the problem by its field, nothing written', async () => {
    const id = await callRequest(PROFILES.php, 'Form Tester');
    const snapshot = () => [rows('referral_calls'), rows('referral_events'), rows('intakes'), rows('patients'),
        execSql(`select status || coalesce(assigned_to, '') from referrals where public_id = '${id}'`)].join(',');
    const s0 = snapshot();
    const cases = [
        ['calls', { outcome: 'busy' }, 'outcome'],
        ['calls', { outcome: 'voicemail', next_follow_up: '2024-02-30' }, 'next_follow_up'],
        ['calls', { outcome: 'voicemail', note: 'x'.repeat(2001) }, 'note'],
        ['status', { to: 'closed' }, 'close_reason'],
        ['status', { to: 'admitted' }, 'to'],
        ['status', { to: 'flying' }, 'to'],
        ['assign', { assignee: 'f'.repeat(32) }, 'assignee'],
    ];
    for (const [action, fields, field] of cases) {
        const res = await p('admissions', `/staff/referrals/${id}/${action}`, fields);
        assert.equal(res.status, 422, `${action} ${JSON.stringify(fields).slice(0, 60)}: ${res.status}`);
        assert.ok(fieldError(res.body, field), `${action}: error next to ${field}`);
        assert.equal(snapshot(), s0, `${action}: nothing written`);
    }
    // The note is kept when the form comes back.
    const kept = await p('admissions', `/staff/referrals/${id}/calls`, { outcome: '', note: 'keep me' });
    assert.equal(kept.status, 422);
    assert.match(kept.body, /keep me/);

    // Intake: a level that differs needs a reason; not before contact.
    let res = await p('clinician', `/staff/referrals/${id}/intake`, { confirmed_level: 'iop' });
    assert.equal(res.status, 422, 'intake before contact');
    await p('admissions', `/staff/referrals/${id}/status`, { to: 'contacted' });
    const s1 = snapshot();
    res = await p('clinician', `/staff/referrals/${id}/intake`, { confirmed_level: 'outpatient' });
    assert.equal(res.status, 422);
    assert.ok(fieldError(res.body, 'change_reason'));
    res = await p('clinician', `/staff/referrals/${id}/intake`, { confirmed_level: 'nope' });
    assert.equal(res.status, 422);
    assert.ok(fieldError(res.body, 'confirmed_level'));
    assert.equal(snapshot(), s1);

    // Admit: refused before the intake; then every field checked.
    res = await p('admissions', `/staff/referrals/${id}/admit`, admitFields());
    assert.ok(res.status === 409, `admit before intake: ${res.status}`);
    await p('clinician', `/staff/referrals/${id}/intake`, { confirmed_level: 'php' });
    await clinicianId();
    const s2 = snapshot();
    const bad = [
        [{ first_name: '' }, 'first_name'], [{ last_name: 'x'.repeat(101) }, 'last_name'],
        [{ date_of_birth: '1990-13-01' }, 'date_of_birth'], [{ date_of_birth: '2015-01-01' }, 'date_of_birth'],
        [{ phone: '12' }, 'phone'], [{ email: 'no-at' }, 'email'], [{ emergency_name: '' }, 'emergency_name'],
        [{ emergency_phone: 'abc' }, 'emergency_phone'], [{ emergency_relationship: '' }, 'emergency_relationship'],
        [{ counsellor: '' }, 'counsellor'], [{ counsellor: 'a'.repeat(32) }, 'counsellor'],
        [{ admission_date: 'tomorrow' }, 'admission_date'], [{ level: 'residential' }, 'level'],
        [{ track: 'made-up' }, 'track'], [{ status: 'gone' }, 'status'],
    ];
    for (const [over, field] of bad) {
        res = await p('admissions', `/staff/referrals/${id}/admit`, admitFields(over));
        assert.equal(res.status, 422, `admit ${JSON.stringify(over).slice(0, 50)}: ${res.status}`);
        assert.ok(fieldError(res.body, field), `admit: error next to ${field}`);
        assert.equal(snapshot(), s2, `admit ${field}: nothing written`);
    }
    res = await p('admissions', `/staff/referrals/${id}/admit`, admitFields({ first_name: 'Kept', phone: '12' }));
    assert.match(res.body, /value="Kept"/, 'input kept');
});

test('bad consent input: 422 by its field, nothing written', async () => {
    const pid = execSql('select public_id from patients limit 1');
    assert.ok(pid, 'a patient from the life-cycle test');
    const good = {
        discloser: 'Pecan Haven IOP', information: 'Attendance', recipient: 'Court liaison', purpose: 'Probation report',
        expiry: 'date', expires_on: '2099-01-01', revoke_ack: 'yes', signature_name: 'Sam Rivera', signed: 'yes',
    };
    const n0 = rows('consents');
    const bad = [
        [{ discloser: '' }, 'discloser'], [{ information: '' }, 'information'], [{ recipient: '' }, 'recipient'],
        [{ purpose: '' }, 'purpose'], [{ expiry: '' }, 'expiry'], [{ expires_on: '' }, 'expires_on'],
        [{ expires_on: '2001-01-01' }, 'expires_on'], [{ revoke_ack: '' }, 'revoke_ack'],
        [{ signature_name: '' }, 'signature_name'], [{ signature_name: 'Somebody Else' }, 'signature_name'],
        [{ signed: '' }, 'signed'],
    ];
    for (const [over, field] of bad) {
        const res = await p('clinician', `/staff/patients/${pid}/consents`, { ...good, ...over });
        assert.equal(res.status, 422, `consent ${field}`);
        assert.ok(fieldError(res.body, field), `consent: error next to ${field}`);
        assert.equal(rows('consents'), n0);
    }
});

test('CSRF: a missing or wrong token is refused with 403 and writes nothing', async () => {
    const id = await callRequest(PROFILES.php, 'Csrf Person');
    const pid = execSql('select public_id from patients limit 1');
    const before_ = [rows('referral_calls'), rows('referral_events'), rows('consents')].join();
    const targets = [
        [`/staff/referrals/${id}/calls`, { outcome: 'reached' }],
        [`/staff/referrals/${id}/status`, { to: 'contacted' }],
        [`/staff/referrals/${id}/assign`, { assignee: '' }],
        [`/staff/patients/${pid}/consents`, { discloser: 'x' }],
    ];
    for (const [path, fields] of targets) {
        for (const csrf of [undefined, 'f'.repeat(64)]) {
            const res = await post(srv, who.admissions.jar, path, csrf === undefined ? fields : { ...fields, csrf });
            assert.equal(res.status, 403, `${path} csrf=${csrf}`);
        }
    }
    assert.equal([rows('referral_calls'), rows('referral_events'), rows('consents')].join(), before_);
});

test('unknown records and paths: 404', async () => {
    assert.equal((await g('admissions', '/staff/referrals/' + '0'.repeat(32))).status, 404);
    assert.equal((await g('admissions', '/staff/referrals/abc/unknown')).status, 404);
    assert.equal((await g('clinician', '/staff/patients/' + '0'.repeat(32))).status, 404);
    assert.equal((await g('clinician', '/staff/patients/a/b/c')).status, 404);
});

// ------------------------------------------------------------------ review round

// The admissions module after the security review: a flood of old referrals cannot hide a crisis
// one (H2); bytes that are not UTF-8 are refused at the form and a stored record that does not
// fit its model answers 500, never a blank chart or 200 null (M3); lists audit every record
// shown, reads need their audit entry, and a change lands with its audit entry or not at all
// (M4); referrals are assigned only to staff who work them (L4). The database is read and
// altered directly with the sqlite3 CLI.
describe('after the security review', () => {
    let srv;
    const who = {};

    before(async () => {
        srv = await startServer({ demo: true });
        for (const role of ['admissions', 'clinician', 'billing', 'auditor']) who[role] = await signIn(srv, role);
    });
    after(async () => { if (srv) await srv.stop(); });

    const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();
    const rows = (t) => countRows(srv.db, t);
    const g = (role, path) => get(srv, who[role].jar, path);
    const p = (role, path, fields) => post(srv, who[role].jar, path, { csrf: who[role].csrf, ...fields });
    /** POST a ready urlencoded body (raw %XX bytes kept) as a signed-in role. */
    const pRaw = (role, path, body) => post(srv, who[role].jar, path, `csrf=${who[role].csrf}&${body}`);
    const fieldError = (html, field) => new RegExp(`id="${field}-error"`).test(html);
    const userOf = (role) => sql(`select u.public_id from users u join user_roles r on r.user_id = u.id
        where r.role = '${role}' and u.email like '${role}@%' limit 1`);

    const callRequest = (profile, name) => makeReferral(srv, name, profile);

    /** Audit entries of one action on one record type, by record id. */
    const auditIds = (action, type) => sql(`select coalesce(record_id, '-') from audit_log
        where action = '${action}' and record_type = '${type}' order by id`).split('\n').filter(Boolean);

    // ------------------------------------------------------------------ H2

    test('H2: 600 old open referrals do not hide a new crisis one: first in the queue and the API', async () => {
        sql(`WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 600)
             INSERT INTO referrals (public_id, created_at, status, name, phone, best_time, voicemail_ok,
                 consent_at, answers, result, spec_version, level, flags)
             SELECT printf('%032x', 1000000 + i), strftime('%Y-%m-%dT%H:%M:%SZ', 1577836800 + i * 60, 'unixepoch'),
                 'new', 'Flood ' || i, '555-000-0000', 'any', 1, '2020-01-01T00:00:00Z', '{}', '{}',
                 'haven-assessment-1', 'iop', '["mental-health-followup"]' FROM k`);
        const acute = await callRequest(PROFILES.acute, 'Acute Person');

        const q = await g('admissions', '/staff/queue');
        assert.equal(q.status, 200, q.body.slice(0, 300));
        const first = q.body.match(/data-referral="([0-9a-f]{32})"/);
        assert.ok(first, 'the queue lists referrals');
        assert.equal(first[1], acute, 'the crisis referral is first');
        assert.match(q.body, /id="queue-more"[^>]*>501 more not shown/, 'the screen says how many are not shown');


        const api = await g('admissions', '/api/v1/referrals');
        assert.equal(api.status, 200);
        const body = json(api);
        assert.equal(body.referrals[0].public_id, acute);
        assert.equal(body.referrals[0].crisis, true);
        assert.equal(body.total, 601);
        assert.equal(body.referrals.length, 100, 'one page');
        assert.equal(body.more, 501, '"N more not shown"');
        assert.equal(body.more_at_least, false);
        assert.equal(sql(`select count(*) from referrals where crisis = 1`), '1', 'the trigger marks it alone');

        // With more crisis referrals than a page, every one of them is still listed.
        sql(`UPDATE referrals SET flags = '["suicide-risk"]' WHERE name LIKE 'Flood %'`);
        const many = json(await g('admissions', '/api/v1/referrals'));
        assert.equal(many.referrals.length, 601, 'every open crisis referral, past the page size');
        assert.equal(many.more, 0);
        sql(`UPDATE referrals SET status = 'closed', closed_reason = 'duplicate' WHERE name LIKE 'Flood %'`);
    });

    // ------------------------------------------------------------------ M3

    test('M3: bytes that are not UTF-8 are refused next to the field, nothing written', async () => {
        const id = await callRequest(PROFILES.php, 'Utf Person');
        const calls = rows('referral_calls');
        let res = await pRaw('admissions', `/staff/referrals/${id}/calls`, 'outcome=voicemail&note=Ca%FFrl');
        assert.equal(res.status, 422, res.body.slice(0, 300));
        assert.ok(fieldError(res.body, 'note'), 'the problem is shown next to the note');
        assert.equal(rows('referral_calls'), calls, 'no call logged');

        // Up to the admit form: contacted, intake confirmed.
        assert.equal((await p('admissions', `/staff/referrals/${id}/status`, { to: 'contacted' })).status, 303);
        assert.equal((await p('clinician', `/staff/referrals/${id}/intake`, { confirmed_level: 'php' })).status, 303);
        const fields = {
            first_name: 'CARL', last_name: 'Rivera', date_of_birth: '1988-04-12', phone: '555-010-0199',
            email: '', address: '', emergency_name: 'Alex Rivera', emergency_phone: '555-010-0111',
            emergency_relationship: 'sister', counsellor: userOf('clinician'), admission_date: '2024-03-04',
            level: 'php', track: '', status: 'active',
        };
        const patients = rows('patients');
        res = await pRaw('admissions', `/staff/referrals/${id}/admit`, formEncode(fields).replace('first_name=CARL', 'first_name=Ca%FFrl'));
        assert.equal(res.status, 422, res.body.slice(0, 300));
        assert.ok(fieldError(res.body, 'first_name'));
        assert.equal(rows('patients'), patients, 'no patient with an unreadable name');
        res = await pRaw('admissions', `/staff/referrals/${id}/admit`, formEncode(fields).replace('address=', 'address=1%20Main%20St%C3'));
        assert.equal(res.status, 422);
        assert.ok(fieldError(res.body, 'address'));

        // A search with such bytes: 422, not a page without its query.
        res = await g('admissions', '/staff/patients?q=Ca%FF');
        assert.equal(res.status, 422);
        // A search cut at its bound in the middle of a character still works.
        res = await g('admissions', `/staff/patients?q=${encodeURIComponent('é'.repeat(60))}`);
        assert.equal(res.status, 200);
    });

    test('M3: a stored record that does not fit its model: 500, never a blank chart or 200 null', async () => {
        const pid = 'badf00d' + '0'.repeat(25);
        sql(`INSERT INTO patients (public_id, first_name, last_name, date_of_birth, phone, phone_digits,
                emergency_name, emergency_phone, emergency_relationship, counsellor_id, admission_date,
                level, created_at, name_key, name_key_rl)
             VALUES ('${pid}', CAST(X'4361FF726C' AS TEXT), 'Broken', '1980-01-01', '5550000000', '5550000000',
                'Kin', '5550000000', 'Partner', (SELECT id FROM users LIMIT 1), '2024-01-01', 'iop',
                '2024-01-01T00:00:00Z', 'ca', 'broken ca')`);
        const api = await g('billing', `/api/v1/patients/${pid}`);
        assert.equal(api.status, 500, api.body.slice(0, 200));
        assert.notEqual(api.body.trim(), 'null');
        assert.equal((await g('clinician', `/staff/patients/${pid}`)).status, 500);
        assert.equal((await g('billing', `/staff/patients/${pid}`)).status, 500);
        assert.equal((await g('clinician', `/staff/patients?q=broken`)).status, 500);
        sql(`DELETE FROM patients WHERE public_id = '${pid}'`);
    });

    // ------------------------------------------------------------------ M4

    // Issue 7: a list view is ONE `list` entry naming the records it showed (audit_listed).
    const listEntries = (type) => Number(sql(`select count(*) from audit_log where action = 'list'
        and record_type = '${type}'`));
    const lastListed = (type) => sql(`select l.record_id from audit_listed l where l.entry_id =
        (select max(id) from audit_log where action = 'list' and record_type = '${type}') order by l.pos`)
        .split('\n').filter(Boolean);

    test('M4a: the queue, the API list and patient search audit each record shown, in one list entry', async () => {
        const before_ = listEntries('referral');
        const q = await g('admissions', '/staff/queue');
        assert.equal(q.status, 200);
        const shown = [...q.body.matchAll(/data-referral="([0-9a-f]{32})"/g)].map((m) => m[1]);
        assert.ok(shown.length > 0);
        assert.equal(listEntries('referral') - before_, 1, 'one entry for the list');
        assert.deepEqual(lastListed('referral'), [...new Set(shown)], 'naming each referral shown, in order');

        const n0 = listEntries('referral');
        const api = json(await g('admissions', '/api/v1/referrals'));
        assert.equal(listEntries('referral') - n0, 1);
        assert.deepEqual(lastListed('referral').sort(), api.referrals.map((r) => r.public_id).sort());

        const p0 = listEntries('patient');
        const s = await g('admissions', '/staff/patients');
        assert.equal(s.status, 200);
        const pats = [...s.body.matchAll(/data-patient="([0-9a-f]{32})"/g)].map((m) => m[1]);
        assert.equal(listEntries('patient') - p0, 1);
        assert.deepEqual(lastListed('patient').sort(), [...new Set(pats)].sort());
    });

    test('M4b: no audit entry, no read', async () => {
        const id = await callRequest(PROFILES.php, 'Audit Read');
        sql(`CREATE TRIGGER test_no_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'test'); END`);
        try {
            for (const path of [`/staff/referrals/${id}`, `/staff/referrals/${id}/intake`, `/staff/queue`, `/api/v1/referrals`]) {
                const res = await g('admissions', path);
                assert.equal(res.status, 500, path);
                assert.doesNotMatch(res.body, /Audit Read/, `${path}: nothing of the record shown`);
            }
        } finally {
            sql('DROP TRIGGER test_no_audit');
        }
    });

    test('M4c: a change and its audit entry land together, or neither does', async () => {
        const id = await callRequest(PROFILES.php, 'Audit Write');
        const calls = rows('referral_calls');
        sql(`CREATE TRIGGER test_no_update BEFORE INSERT ON audit_log WHEN NEW.action = 'update'
             BEGIN SELECT RAISE(ABORT, 'test'); END`);
        try {
            const res = await p('admissions', `/staff/referrals/${id}/calls`, { outcome: 'reached', note: 'x' });
            assert.equal(res.status, 500, 'the change is refused when its entry cannot be written');
            assert.equal(rows('referral_calls'), calls, 'no call without its audit entry');
            assert.equal(sql(`select status from referrals where public_id = '${id}'`), 'new');
        } finally {
            sql('DROP TRIGGER test_no_update');
        }
        const n0 = auditIds('update', 'referral').length;
        const res = await p('admissions', `/staff/referrals/${id}/calls`, { outcome: 'reached', note: 'x' });
        assert.equal(res.status, 303);
        assert.equal(rows('referral_calls'), calls + 1);
        assert.deepEqual(auditIds('update', 'referral').slice(n0), [id], 'exactly one entry, with the change');
    });

    // ------------------------------------------------------------------ L4

    test('L4: referrals are assigned only to admissions staff and clinicians', async () => {
        const id = await callRequest(PROFILES.php, 'Assign Person');
        const page = await g('admissions', `/staff/referrals/${id}`);
        for (const role of ['billing', 'auditor']) {
            const uid = userOf(role);
            assert.ok(uid);
            assert.doesNotMatch(page.body, new RegExp(`value="${uid}"`), `${role} not offered`);
            const res = await p('admissions', `/staff/referrals/${id}/assign`, { assignee: uid });
            assert.equal(res.status, 422, role);
            assert.ok(fieldError(res.body, 'assignee'));
            assert.equal(sql(`select coalesce(assigned_to, '') from referrals where public_id = '${id}'`), '', `${role}: not assigned`);
        }
        for (const role of ['clinician', 'admissions']) {
            const res = await p('admissions', `/staff/referrals/${id}/assign`, { assignee: userOf(role) });
            assert.equal(res.status, 303, role);
            assert.equal(sql(`select u.public_id from referrals r join users u on u.id = r.assigned_to where r.public_id = '${id}'`), userOf(role));
        }
    });
});
