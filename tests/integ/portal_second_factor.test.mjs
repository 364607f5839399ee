// The patient portal's optional second factor (issue 11) on the real binary: a patient turns on
// two-step sign-in at /me/security (a fresh secret as a QR code and as text, confirmed with a
// code from the app and the password; a bad code, a wrong password or a missing field saves
// nothing), gets ten recovery codes once, and from then on the password alone opens no session:
// the code step (/me/sign-in/code) is bound to the browser by a cookie and the form's own
// token, a wrong code counts toward the same pause as a wrong password, each app code and each
// recovery code works once. Turning it off needs the password; staff who manage portal access
// turn it off from the chart when the phone is lost (a confirmation, audited, sessions ended).
// Secrets, codes and passwords never reach the log. The server runs in UTC.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { startServer, inputs, hasNoStore, securityHeaderProblems } from '../helpers/server.mjs';
import { Jar, api, csrfOf, get, post, signIn, totp } from '../helpers/staff.mjs';

const TODAY = new Date().toISOString().slice(0, 10);
const PASSWORD = 'harbour candle meadow 17';

let srv;
const staff = {};
const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();
const count = (q) => Number(sql(q));
const sha256 = (s) => crypto.createHash('sha256').update(s).digest('hex');
const account = (username) => `(select id from portal_accounts where username = '${username}')`;
const factorOn = (username) => count(`select totp_enabled from portal_accounts where username = '${username}'`);
const audits = (action, outcome, pid) => count(`select count(*) from audit_log where action = '${action}'
    and outcome = '${outcome}'${pid ? ` and record_id = '${pid}'` : ''}`);

async function admit(first) {
    const res = await api(srv, staff.admin, 'POST', '/api/v1/patients', {
        first_name: first, last_name: 'Tester', date_of_birth: '1990-02-03', phone: '555-010-0100',
        emergency_name: 'Kin Person', emergency_phone: '555-010-0101',
        emergency_relationship: 'sister', admission_date: TODAY, level: 'iop' });
    assert.equal(res.status, 201, res.body);
    return res.data.id;
}

/** A patient who accepted an invitation and is signed in: { pid, jar }. */
async function portalPatient(first, username) {
    const pid = await admit(first);
    const inv = await post(srv, staff.clinician.jar, `/staff/patients/${pid}/portal/invite`, { csrf: staff.clinician.csrf });
    const token = inv.body.match(/\/me\/welcome\?token=([0-9a-f]{64})</)[1];
    const jar = new Jar();
    const page = await get(srv, jar, `/me/welcome?token=${token}`);
    const res = await post(srv, jar, '/me/welcome', { csrf: csrfOf(page.body), token, username, password: PASSWORD, confirm: PASSWORD });
    assert.equal(res.status, 303, res.body.slice(0, 500));
    return { pid, jar };
}

/** The security page's form: { page, csrf, sealed, secret (base32, no spaces) }. */
async function securityForm(jar) {
    const page = await get(srv, jar, '/me/security');
    assert.equal(page.status, 200, page.body.slice(0, 300));
    const sealed = inputs(page.body).find((i) => i.name === 'sealed');
    const m = page.body.match(/id="two-step-secret"[^>]*>([A-Z2-7 ]+)</);
    return { page, csrf: csrfOf(page.body), sealed: sealed && sealed.value, secret: m && m[1].replace(/ /g, '') };
}

/** A code for secret that is not the right one now (nor one step either side). */
function wrongCode(secret) {
    const now = Date.now() / 1000;
    const near = new Set([-30, 0, 30].map((d) => totp(secret, now + d)));
    for (let n = 0; ; n++) {
        const c = String(123456 + n * 7919).padStart(6, '0').slice(-6);
        if (!near.has(c)) return c;
    }
}

/** A signed-in patient with the factor on: { pid, jar, secret, codes }. The code used to turn
 *  it on is the current step's, so the next step's code signs in once. */
async function withFactor(first, username) {
    const p = await portalPatient(first, username);
    const f = await securityForm(p.jar);
    const res = await post(srv, p.jar, '/me/security/two-step', { csrf: f.csrf, sealed: f.sealed, code: totp(f.secret), password: PASSWORD });
    assert.equal(res.status, 200, res.body.slice(0, 800));
    const codes = [...res.body.matchAll(/<li><code>([a-z0-9]{5}-[a-z0-9]{5})<\/code><\/li>/g)].map((m) => m[1]);
    assert.equal(codes.length, 10);
    return { ...p, secret: f.secret, codes };
}

/** The password step in a fresh browser: { jar, res }. */
async function password(username, pw = PASSWORD, jar = new Jar(), extra = {}) {
    const page = await get(srv, jar, '/me/sign-in');
    const res = await post(srv, jar, '/me/sign-in', { csrf: csrfOf(page.body), username, password: pw, ...extra });
    return { jar, res };
}

/** The code step in jar (after the password): the form, then the code. */
async function codeStep(jar, code, csrf) {
    const form = await get(srv, jar, '/me/sign-in/code');
    assert.equal(form.status, 200, form.body.slice(0, 300));
    return post(srv, jar, '/me/sign-in/code', { csrf: csrf === undefined ? csrfOf(form.body) : csrf, code });
}

before(async () => {
    srv = await startServer({ demo: true, extraArgs: ['--timezone', 'UTC'] });
    for (const role of ['admin', 'clinician', 'admissions', 'medical', 'billing', 'auditor']) {
        staff[role] = await signIn(srv, role);
    }
});
after(async () => { if (srv) await srv.stop(); });

test('turning it on: a bad code, a wrong password or a missing field saves nothing; a good code does', async () => {
    const { pid, jar } = await portalPatient('Nora', 'nora.t');
    const f = await securityForm(jar);
    const { page } = f;
    assert.match(page.body, /<title>Haven<\/title>/);
    assert.match(page.body, /id="quick-exit"/);
    assert.match(page.body, /<a href="\/me\/security" aria-current="page">Security<\/a>/);
    assert.match(page.body, /id="two-step-qr"><svg[^>]*class="qr"/);
    assert.match(page.body, /id="two-step-secret"[^>]*>[A-Z2-7]{4}( [A-Z2-7]{4}){7}</);
    assert.match(f.sealed, /^s1:[0-9a-f]{120}$/);
    assert.ok(hasNoStore(page));
    assert.deepEqual(securityHeaderProblems(page), []);
    assert.equal(audits('view-security', 'ok', pid), 1);
    // Every visit shows a fresh secret; none is stored until one is confirmed.
    assert.notEqual((await securityForm(jar)).secret, f.secret);
    assert.equal(count(`select count(*) from portal_accounts where username = 'nora.t' and totp_sealed is not null`), 0);

    const nothingSaved = () => {
        assert.equal(factorOn('nora.t'), 0);
        assert.equal(count(`select count(*) from portal_accounts where username = 'nora.t' and totp_sealed is not null`), 0);
        assert.equal(count(`select count(*) from portal_recovery_codes where account_id = ${account('nora.t')}`), 0);
    };
    // A code that does not match: 422, the field named, the same secret shown again.
    let res = await post(srv, jar, '/me/security/two-step', { csrf: f.csrf, sealed: f.sealed, code: wrongCode(f.secret), password: PASSWORD });
    assert.equal(res.status, 422);
    assert.match(res.body, /id="form-errors"[^>]*role="alert"[^>]*autofocus/);
    assert.match(res.body, /<a href="#code">That code did not match/);
    assert.match(res.body, /id="code-error">That code did not match/);
    assert.equal(inputs(res.body).find((i) => i.name === 'sealed').value, f.sealed);
    assert.doesNotMatch(res.body, new RegExp(PASSWORD));
    nothingSaved();
    assert.equal(audits('enable-2fa', 'invalid', pid), 1);
    // Both fields missing: both named.
    res = await post(srv, jar, '/me/security/two-step', { csrf: f.csrf, sealed: f.sealed });
    assert.equal(res.status, 422);
    assert.match(res.body, /<a href="#code">Enter the 6-digit code/);
    assert.match(res.body, /<a href="#password">Enter your password/);
    // Not six digits.
    res = await post(srv, jar, '/me/security/two-step', { csrf: f.csrf, sealed: f.sealed, code: '12ab', password: PASSWORD });
    assert.equal(res.status, 422);
    assert.match(res.body, /<a href="#code">The code is 6 digits/);
    // A good code with a wrong password: refused and counted toward the pause.
    res = await post(srv, jar, '/me/security/two-step', { csrf: f.csrf, sealed: f.sealed, code: totp(f.secret), password: 'not my password' });
    assert.equal(res.status, 422);
    assert.match(res.body, /<a href="#password">That password is not right/);
    assert.doesNotMatch(res.body, /<a href="#code">/);
    assert.equal(count(`select failed_count from portal_accounts where username = 'nora.t'`), 1);
    // A secret the server did not seal, or none: refused (a new one is shown).
    res = await post(srv, jar, '/me/security/two-step', { csrf: f.csrf, sealed: `s1:${'0'.repeat(120)}`, code: totp(f.secret), password: PASSWORD });
    assert.equal(res.status, 422);
    assert.match(res.body, /<a href="#code">That code did not match/);
    res = await post(srv, jar, '/me/security/two-step', { csrf: f.csrf, code: totp(f.secret), password: PASSWORD });
    assert.equal(res.status, 422);
    // Without the session's token: 403.
    res = await post(srv, jar, '/me/security/two-step', { sealed: f.sealed, code: totp(f.secret), password: PASSWORD });
    assert.equal(res.status, 403);
    nothingSaved();

    // The right code and password: on, ten recovery codes shown once, only hashes kept.
    res = await post(srv, jar, '/me/security/two-step', { csrf: f.csrf, sealed: f.sealed, code: totp(f.secret), password: PASSWORD });
    assert.equal(res.status, 200, res.body.slice(0, 500));
    assert.match(res.body, /<title>Haven<\/title>/);
    assert.match(res.body, /They are shown only now/);
    assert.ok(hasNoStore(res));
    const codes = [...res.body.matchAll(/<li><code>([a-z0-9]{5}-[a-z0-9]{5})<\/code><\/li>/g)].map((m) => m[1]);
    assert.equal(codes.length, 10);
    assert.equal(factorOn('nora.t'), 1);
    assert.equal(count(`select failed_count from portal_accounts where username = 'nora.t'`), 0);
    const sealed = sql(`select totp_sealed from portal_accounts where username = 'nora.t'`);
    assert.equal(sealed, f.sealed);
    assert.ok(!sealed.includes(f.secret));
    for (const c of codes) {
        assert.equal(count(`select count(*) from portal_recovery_codes where code_hash = '${sha256(c.replace('-', ''))}'
            and account_id = ${account('nora.t')} and used_at is null`), 1);
    }
    assert.equal(audits('enable-2fa', 'ok', pid), 1);
    assert.equal(count(`select count(*) from audit_log where action = 'enable-2fa' and outcome = 'ok'
        and user_email = 'patient:${pid}' and roles = 'patient'`), 1);
    const log = srv.stderr();
    assert.ok(!log.includes(f.secret) && !log.includes(f.sealed) && !log.includes(PASSWORD));
    for (const c of codes) assert.ok(!log.includes(c));

    // On: the page says so, shows no secret; turning on again changes nothing.
    const on = await get(srv, jar, '/me/security');
    assert.match(on.body, /id="two-step-state"><strong>On\.<\/strong>/);
    assert.match(on.body, /Recovery codes left: 10\./);
    assert.doesNotMatch(on.body, /two-step-secret|name="sealed"/);
    res = await post(srv, jar, '/me/security/two-step', { csrf: f.csrf, sealed: f.sealed, code: totp(f.secret, Date.now() / 1000 + 30), password: PASSWORD });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/me/security');
    assert.equal(count(`select count(*) from portal_recovery_codes where account_id = ${account('nora.t')}`), 10);
});

test('sign-in asks for the code before any session; each code works once', async () => {
    const { pid, secret, codes } = await withFactor('Otto', 'otto.t');
    const sessions = () => count(`select count(*) from portal_sessions where account_id = ${account('otto.t')}`);
    const before = sessions();
    // The password: no session, a waiting sign-in bound to this browser's cookie.
    const { jar, res } = await password('OTTO.T', PASSWORD, new Jar(), { shared: 'yes' });
    assert.equal(res.status, 303, res.body.slice(0, 300));
    assert.equal(res.headers.location, '/me/sign-in/code');
    assert.match(res.setCookies.find((c) => c.startsWith('haven_me=')), /^haven_me=[0-9a-f]{64}; Path=\/me; HttpOnly; SameSite=Lax$/);
    assert.equal(sessions(), before);
    assert.equal(count(`select count(*) from portal_signin_pending where account_id = ${account('otto.t')}`), 1);
    assert.equal(count(`select count(*) from portal_signin_pending where token_hash = '${sha256(jar.cookies.haven_me)}'`), 1);
    assert.equal(audits('sign-in-password', 'ok', pid), 1);
    // The waiting sign-in opens no page.
    for (const path of ['/me/', '/me/security', '/me/check-in', '/me/progress']) {
        const r = await get(srv, jar, path);
        assert.equal(r.status, 303, path);
        assert.match(r.headers.location, /^\/me\/sign-in/, path);
    }
    // Its form carries its own token, not a session's.
    const form = await get(srv, jar, '/me/sign-in/code');
    assert.equal(form.status, 200);
    assert.match(form.body, /<title>Haven<\/title>/);
    assert.match(form.body, /id="quick-exit"/);
    assert.ok(hasNoStore(form));
    assert.equal(csrfOf(form.body), sql(`select csrf from portal_signin_pending where account_id = ${account('otto.t')}`));
    // Another browser with the form's token but not the cookie: sent back to the password.
    const thief = await post(srv, new Jar(), '/me/sign-in/code', { csrf: csrfOf(form.body), code: totp(secret, Date.now() / 1000 + 30) });
    assert.equal(thief.status, 303);
    assert.equal(thief.headers.location, '/me/sign-in?code=expired');
    // The cookie without the form's token: 403, nothing made.
    let r = await post(srv, jar, '/me/sign-in/code', { csrf: 'f'.repeat(64), code: totp(secret, Date.now() / 1000 + 30) });
    assert.equal(r.status, 403);
    assert.equal(sessions(), before);
    // A wrong code: 401, counted, the form again.
    r = await codeStep(jar, wrongCode(secret));
    assert.equal(r.status, 401);
    assert.match(r.body, /That code did not work/);
    assert.match(r.body, /id="code-error" class="error-summary" role="alert"/);
    assert.equal(count(`select failed_count from portal_accounts where username = 'otto.t'`), 1);
    assert.equal(sessions(), before);
    // Missing and over-long codes: refused the same way.
    assert.equal((await codeStep(jar, undefined)).status, 401);
    assert.equal((await codeStep(jar, '1'.repeat(40))).status, 401);
    assert.equal(count(`select failed_count from portal_accounts where username = 'otto.t'`), 3);
    // The next step's code: signed in (the shared-device choice kept), failures forgotten.
    const next = totp(secret, Date.now() / 1000 + 30);
    r = await codeStep(jar, next);
    assert.equal(r.status, 303, r.body.slice(0, 300));
    assert.equal(r.headers.location, '/me/');
    assert.equal(sessions(), before + 1);
    assert.equal(count(`select shared from portal_sessions where account_id = ${account('otto.t')} order by id desc limit 1`), 1);
    assert.equal(count(`select failed_count from portal_accounts where username = 'otto.t'`), 0);
    assert.equal(count(`select count(*) from portal_signin_pending where account_id = ${account('otto.t')}`), 0);
    assert.equal((await get(srv, jar, '/me/')).status, 200);
    assert.ok(audits('sign-in', 'ok', pid) >= 1);
    // The same app code again: refused (each step once).
    const again = await password('otto.t');
    assert.equal((await codeStep(again.jar, next)).status, 401);
    // A recovery code, typed loosely: signs in once.
    r = await codeStep(again.jar, ` ${codes[0].toUpperCase()} `);
    assert.equal(r.status, 303, r.body.slice(0, 300));
    assert.equal(r.headers.location, '/me/');
    assert.equal(count(`select count(*) from portal_recovery_codes where account_id = ${account('otto.t')} and used_at is not null`), 1);
    assert.equal(audits('use-recovery-code', 'ok', pid), 1);
    const third = await password('otto.t');
    assert.equal((await codeStep(third.jar, codes[0])).status, 401);
    assert.equal((await codeStep(third.jar, codes[1].replace('-', ''))).status, 303);
    assert.match((await get(srv, third.jar, '/me/security')).body, /Recovery codes left: 8\./);

    // No waiting sign-in in this browser: back to the password.
    const none = await get(srv, new Jar(), '/me/sign-in/code');
    assert.equal(none.status, 303);
    assert.equal(none.headers.location, '/me/sign-in?code=expired');
    const notice = await get(srv, new Jar(), '/me/sign-in?code=expired');
    assert.match(notice.body, /within 5 minutes/);
    // A waiting sign-in lasts 5 minutes.
    const old = await password('otto.t');
    const form2 = await get(srv, old.jar, '/me/sign-in/code');
    sql(`update portal_signin_pending set created_at = '${new Date(Date.now() - 301000).toISOString().slice(0, 19)}Z'
        where account_id = ${account('otto.t')}`);
    r = await post(srv, old.jar, '/me/sign-in/code', { csrf: csrfOf(form2.body), code: codes[2] });
    assert.equal(r.status, 303);
    assert.equal(r.headers.location, '/me/sign-in?code=expired');
    assert.equal(count(`select count(*) from portal_signin_pending where account_id = ${account('otto.t')}`), 0);
    assert.equal(count(`select count(*) from portal_recovery_codes where account_id = ${account('otto.t')} and used_at is null`), 8);
    const log = srv.stderr();
    assert.ok(!log.includes(secret) && !log.includes(next) && !log.includes(codes[0]));
});

test('wrong codes count toward the same pause as wrong passwords', async () => {
    const { pid, secret } = await withFactor('Pia', 'pia.t');
    const failures = () => count(`select failed_count from portal_accounts where username = 'pia.t'`);
    // Two wrong passwords, then wrong codes: the fifth failure pauses the account.
    for (let i = 0; i < 2; i++) assert.equal((await password('pia.t', `wrong password ${i}`)).res.status, 401);
    const { jar, res } = await password('pia.t');
    assert.equal(res.status, 303);
    assert.equal(failures(), 2, 'the password alone clears nothing');
    assert.equal((await codeStep(jar, wrongCode(secret))).status, 401);
    assert.equal((await codeStep(jar, wrongCode(secret))).status, 401);
    const form = await get(srv, jar, '/me/sign-in/code');
    const r = await post(srv, jar, '/me/sign-in/code', { csrf: csrfOf(form.body), code: wrongCode(secret) });
    assert.equal(r.status, 401);
    assert.match(r.body, /id="sign-in-form"/, 'paused: back to the password');
    assert.equal(failures(), 5);
    assert.equal(audits('lockout', 'ok', pid), 1);
    assert.equal(count(`select count(*) from portal_signin_pending where account_id = ${account('pia.t')}`), 0);
    // The waiting sign-in is gone: not even the right code gets in now.
    const late = await post(srv, jar, '/me/sign-in/code', { csrf: csrfOf(form.body), code: totp(secret, Date.now() / 1000 + 30) });
    assert.equal(late.status, 303);
    assert.equal(late.headers.location, '/me/sign-in?code=expired');
    // And the right password is refused while paused.
    assert.equal((await password('pia.t')).res.status, 401);
    assert.ok(audits('sign-in-paused', 'denied', pid) >= 1);
    assert.equal(count(`select count(*) from portal_sessions where account_id = ${account('pia.t')}`), 1); // the welcome's
});

test('turning it off needs the password', async () => {
    const { pid, jar } = await withFactor('Quin', 'quin.t');
    const page = await get(srv, jar, '/me/security');
    const csrf = csrfOf(page.body);
    let res = await post(srv, jar, '/me/security/two-step/off', { csrf });
    assert.equal(res.status, 422);
    assert.match(res.body, /<a href="#password">Enter your password/);
    res = await post(srv, jar, '/me/security/two-step/off', { csrf, password: 'not it at all' });
    assert.equal(res.status, 422);
    assert.match(res.body, /id="password-error">That password is not right/);
    res = await post(srv, jar, '/me/security/two-step/off', { password: PASSWORD });
    assert.equal(res.status, 403);
    assert.equal(factorOn('quin.t'), 1);
    assert.equal(count(`select count(*) from portal_recovery_codes where account_id = ${account('quin.t')}`), 10);
    assert.equal(audits('disable-2fa', 'invalid', pid), 2);
    res = await post(srv, jar, '/me/security/two-step/off', { csrf, password: PASSWORD });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/me/security?off=1');
    assert.equal(factorOn('quin.t'), 0);
    assert.equal(count(`select count(*) from portal_accounts where username = 'quin.t' and totp_sealed is null`), 1);
    assert.equal(count(`select count(*) from portal_recovery_codes where account_id = ${account('quin.t')}`), 0);
    assert.equal(audits('disable-2fa', 'ok', pid), 1);
    assert.match((await get(srv, jar, '/me/security?off=1')).body, /Two-step sign-in is off\./);
    // The password alone signs in again.
    const { res: signedIn } = await password('quin.t');
    assert.equal(signedIn.headers.location, '/me/');
    // Off already: nothing to do.
    res = await post(srv, jar, '/me/security/two-step/off', { csrf, password: PASSWORD });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/me/security');
});

test('staff turn it off from the chart when the phone is lost: confirmed, audited, sessions ended', async () => {
    const { pid, jar } = await withFactor('Rita', 'rita.t');
    const path = `/staff/patients/${pid}/portal/second-factor/reset`;
    const chart = await get(srv, staff.clinician.jar, `/staff/patients/${pid}/portal`);
    assert.equal(chart.status, 200);
    assert.match(chart.body, /id="factor-state">Two-step sign-in[^<]*<strong>on<\/strong>/);
    assert.match(chart.body, new RegExp(`id="factor-reset-form" method="post" action="${path}"`));
    // Medical staff read the page but may not change access: no form, and 403.
    const medical = await get(srv, staff.medical.jar, `/staff/patients/${pid}/portal`);
    assert.equal(medical.status, 200);
    assert.doesNotMatch(medical.body, /factor-reset-form/);
    for (const role of ['medical', 'billing', 'auditor']) {
        const r = await post(srv, staff[role].jar, path, { csrf: staff[role].csrf, confirm: 'yes' });
        assert.equal(r.status, 403, role);
    }
    // The patient's own session opens no staff route.
    const asPatient = await post(srv, jar, path, { csrf: csrfOf((await get(srv, jar, '/me/')).body), confirm: 'yes' });
    assert.equal(asPatient.status, 303);
    assert.match(asPatient.headers.location, /^\/staff\/sign-in/);
    // Without the confirmation: 422 naming it; without the token: 403.
    let r = await post(srv, staff.clinician.jar, path, { csrf: staff.clinician.csrf });
    assert.equal(r.status, 422);
    assert.match(r.body, /<a href="#confirm">Tick the box/);
    assert.match(r.body, /id="confirm-error"/);
    r = await post(srv, staff.clinician.jar, path, { confirm: 'yes' });
    assert.equal(r.status, 403);
    assert.equal(factorOn('rita.t'), 1);
    assert.equal((await get(srv, jar, '/me/')).status, 200);
    assert.equal(audits('reset-2fa', 'invalid', pid), 1);

    r = await post(srv, staff.clinician.jar, path, { csrf: staff.clinician.csrf, confirm: 'yes' });
    assert.equal(r.status, 303, r.body.slice(0, 300));
    assert.equal(r.headers.location, `/staff/patients/${pid}/portal?factor_reset=1`);
    assert.equal(factorOn('rita.t'), 0);
    assert.equal(count(`select count(*) from portal_recovery_codes where account_id = ${account('rita.t')}`), 0);
    assert.equal(count(`select count(*) from portal_sessions where account_id = ${account('rita.t')}`), 0);
    assert.equal(count(`select count(*) from audit_log where action = 'reset-2fa' and outcome = 'ok'
        and record_type = 'patient' and record_id = '${pid}' and user_email like 'clinician@%'`), 1);
    const gone = await get(srv, jar, '/me/');
    assert.equal(gone.status, 303);
    const after = await get(srv, staff.clinician.jar, `/staff/patients/${pid}/portal?factor_reset=1`);
    assert.match(after.body, /id="portal-factor-reset"/);
    assert.doesNotMatch(after.body, /factor-reset-form/);
    // Nothing left to turn off: 409; a patient without an account likewise; no such patient 404.
    r = await post(srv, staff.admin.jar, path, { csrf: staff.admin.csrf, confirm: 'yes' });
    assert.equal(r.status, 409);
    const fresh = await admit('Sam');
    r = await post(srv, staff.admissions.jar, `/staff/patients/${fresh}/portal/second-factor/reset`, { csrf: staff.admissions.csrf, confirm: 'yes' });
    assert.equal(r.status, 409);
    r = await post(srv, staff.admin.jar, '/staff/patients/0123456789abcdef0123456789abcdef/portal/second-factor/reset', { csrf: staff.admin.csrf, confirm: 'yes' });
    assert.equal(r.status, 404);
    // The password alone signs in again.
    assert.equal((await password('rita.t')).res.headers.location, '/me/');
});

test('the new addresses: patients only on /me/, staff only on /staff/', async () => {
    const { pid } = await portalPatient('Tess', 'tess.t');
    const anon = new Jar();
    for (const p of ['/me/security']) {
        const r = await get(srv, anon, p);
        assert.equal(r.status, 303, p);
        assert.match(r.headers.location, /^\/me\/sign-in/);
    }
    for (const p of ['/me/security/two-step', '/me/security/two-step/off']) {
        const r = await post(srv, anon, p, { password: PASSWORD, code: '123456' });
        assert.ok([303, 401, 403].includes(r.status), `${p}: ${r.status}`);
        const s = await post(srv, staff.admin.jar, p, { csrf: staff.admin.csrf, password: PASSWORD, code: '123456' });
        assert.ok([303, 401, 403].includes(s.status), `${p} as staff: ${s.status}`);
    }
    // A staff session is no patient's.
    const asStaff = await get(srv, staff.clinician.jar, '/me/security');
    assert.equal(asStaff.status, 303);
    // Anonymous on the staff reset: the staff sign-in.
    const r = await post(srv, anon, `/staff/patients/${pid}/portal/second-factor/reset`, { confirm: 'yes' });
    assert.equal(r.status, 303);
    assert.match(r.headers.location, /^\/staff\/sign-in/);
    assert.equal(count(`select count(*) from portal_accounts where totp_enabled = 1 and username = 'tess.t'`), 0);
});
