// The admissions module over plain HTTP: the referral life cycle end to end (public call request
// -> queue -> call logged -> intake with the level confirmed -> admit -> patient chart with the
// assessment), consent, billing's view without clinical fields, bad input on every form (clear
// message, nothing written: rows counted with the sqlite3 CLI), CSRF rejection, role refusals.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, request, postForm, extractCall, countRows, findTags, json } from '../helpers/server.mjs';
import { PROFILES } from '../helpers/profiles.mjs';
import { signIn, get, post } from '../helpers/staff.mjs';

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
    res = await p('clinician', `${loc}/consents/${cid}/revoke`, {});
    assert.equal(res.status, 303);
    assert.notEqual(execSql(`select revoked_at from consents where public_id = '${cid}'`), '');
    res = await p('clinician', `${loc}/consents/${cid}/revoke`, {});
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
