// The admissions module after the security review: a flood of old referrals cannot hide a crisis
// one (H2); bytes that are not UTF-8 are refused at the form and a stored record that does not
// fit its model answers 500, never a blank chart or 200 null (M3); lists audit every record
// shown, reads need their audit entry, and a change lands with its audit entry or not at all
// (M4); referrals are assigned only to staff who work them (L4). The database is read and
// altered directly with the sqlite3 CLI.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, postForm, extractCall, countRows, formEncode, json } from '../helpers/server.mjs';
import { PROFILES } from '../helpers/profiles.mjs';
import { signIn, get, post } from '../helpers/staff.mjs';

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

async function callRequest(profile, name) {
    const res = await postForm(srv.origin, '/assessment/result', profile.answers);
    assert.equal(res.status, 200);
    const c = extractCall(res);
    const sent = await postForm(srv.origin, '/assessment/call', {
        csrf: c.csrf, answers: c.answers, name, phone: '555-010-0199', 'best-time': 'any',
        voicemail: 'yes', consent: 'yes',
    }, { headers: { cookie: c.cookie } });
    assert.equal(sent.status, 303, sent.body.slice(0, 300));
    return sql('select public_id from referrals order by id desc limit 1');
}

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

test('M4a: the queue, the API list and patient search audit each record shown', async () => {
    const before_ = auditIds('list', 'referral').length;
    const q = await g('admissions', '/staff/queue');
    assert.equal(q.status, 200);
    const shown = [...q.body.matchAll(/data-referral="([0-9a-f]{32})"/g)].map((m) => m[1]);
    assert.ok(shown.length > 0);
    const after_ = auditIds('list', 'referral');
    assert.equal(after_.length - before_, new Set(shown).size, 'one entry per referral shown');
    for (const id of shown) assert.ok(after_.slice(before_).includes(id), `entry for ${id}`);

    const n0 = auditIds('list', 'referral').length;
    const api = json(await g('admissions', '/api/v1/referrals'));
    const got = auditIds('list', 'referral').slice(n0);
    assert.deepEqual(got.sort(), api.referrals.map((r) => r.public_id).sort());

    const p0 = auditIds('list', 'patient').length;
    const s = await g('admissions', '/staff/patients');
    assert.equal(s.status, 200);
    const pats = [...s.body.matchAll(/data-patient="([0-9a-f]{32})"/g)].map((m) => m[1]);
    const pAudit = auditIds('list', 'patient').slice(p0);
    assert.deepEqual(pAudit.sort(), pats.length ? [...new Set(pats)].sort() : ['-']);
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
