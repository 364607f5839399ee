// Staff accounts and sign-in over plain HTTP: right and wrong passwords, the generic error,
// lockout (per account and per address), disabled accounts, the second factor and recovery
// codes, CSRF, session fixation, sign-out (here and everywhere), idle and absolute limits,
// role changes, set-password links and the password rules; a lost second factor (admin reset,
// new recovery codes), second-factor secrets sealed at rest, the 403 page inside the staff
// frame, and the audit entries each of these writes; wrong second-factor codes lock the account,
// an admin resetting their own password, refusals by role audited, client addresses behind a
// trusted proxy (HAVEN_TRUSTED_PROXY), and --demo leaving a real database's accounts alone.
// The staff frame's session clock and in-place sign-in (issue 7, point 8): GET /api/v1/session
// tells the time left without renewing; POST /api/v1/session (and /code) signs in again as JSON
// under the same throttling, audit and message as the page. Setting a password, turning on
// two-step sign-in, new recovery codes and using one land with their audit entry or not at all
// (issue 8, finding 6).
// Contract: issue 3 "Accounts and sign-in", docs/staff-workspace.md.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { startServer, request, postForm, countRows, hasNoStore, HAVEN_BIN, REPO_ROOT } from '../helpers/server.mjs';
import { demoAccounts, Jar, csrfOf, get, post, signIn, signInPassword, totp } from '../helpers/staff.mjs';

const GENERIC = /That e-mail address and password did not work/;

function sql(db, statement) {
    return execFileSync('sqlite3', [db, statement], { encoding: 'utf8' }).trim();
}

function cli(srv, args) {
    return execFileSync(HAVEN_BIN, ['user', ...args, '--db', srv.db], {
        cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, HAVEN_PUBLIC_URL: srv.origin },
    });
}

function linkPath(text) {
    const m = text.match(/https?:\/\/[^\s"<]*\/staff\/set-password\?token=[0-9a-f]{64}/);
    assert.ok(m, `a set-password link in: ${text.slice(0, 400)}`);
    return new URL(m[0]).pathname + new URL(m[0]).search;
}

async function setPassword(srv, path, password, confirm = password) {
    const jar = new Jar();
    const form = await get(srv, jar, path);
    assert.equal(form.status, 200, form.body.slice(0, 300));
    const token = new URL(path, srv.origin).searchParams.get('token');
    return post(srv, jar, '/staff/set-password', { csrf: csrfOf(form.body), token, password, confirm });
}

/** The audit entries GET /api/v1/audit answers for a query string (signed-in jar of an auditor). */
async function auditEntries(srv, jar, query) {
    const res = await get(srv, jar, `/api/v1/audit?${query}`);
    assert.equal(res.status, 200, res.body.slice(0, 300));
    return JSON.parse(res.body).entries;
}

/** Expects at least one entry for action (and record id, outcome, user when given). */
async function assertAudited(srv, jar, { action, record, outcome = 'ok', user }) {
    const q = `action=${action}` + (record ? `&record=${record}` : '');
    const list = await auditEntries(srv, jar, q);
    const hit = list.find((e) => e.outcome === outcome && (!user || e.user_email === user));
    assert.ok(hit, `an audit entry ${action} ${record || ''} ${outcome} ${user || ''}; got ` +
        JSON.stringify(list.map((e) => [e.user_email, e.outcome, e.record_id])));
    return hit;
}

function hexToBase32(hex) {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    let bits = 0;
    let value = 0;
    let out = '';
    for (const byte of Buffer.from(hex, 'hex')) {
        value = (value << 8) | byte;
        bits += 8;
        while (bits >= 5) {
            out += alphabet[(value >>> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
    return out;
}

function base32ToHex(b32) {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    let bits = 0;
    let value = 0;
    const out = [];
    for (const c of b32) {
        value = (value << 5) | alphabet.indexOf(c);
        bits += 5;
        if (bits >= 8) {
            out.push((value >>> (bits - 8)) & 0xff);
            bits -= 8;
        }
    }
    return Buffer.from(out).toString('hex');
}

/** Turns on the second factor for a signed-in jar; returns { secret (base32), codes, now }. */
async function enrol(srv, jar) {
    const page = await get(srv, jar, '/staff/account/totp');
    assert.equal(page.status, 200);
    const secret = page.body.match(/id="totp-secret" class="secret">([A-Z2-7 ]+)</)[1];
    const now = Date.now() / 1000;
    const done = await post(srv, jar, '/staff/account/totp', { csrf: csrfOf(page.body), code: totp(secret, now) });
    assert.equal(done.status, 200);
    const codes = [...done.body.matchAll(/<li><code>([a-z2-9]{5}-[a-z2-9]{5})<\/code><\/li>/g)].map((m) => m[1]);
    assert.equal(codes.length, 10);
    return { secret, codes, now };
}

/** Password, then a recovery code or TOTP code; returns the code POST's answer and the jar. */
async function signInWithCode(srv, u, code) {
    const { res, jar } = await signInPassword(srv, u.email, u.password);
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/staff/sign-in/code');
    const form = await get(srv, jar, '/staff/sign-in/code');
    return { res: await post(srv, jar, '/staff/sign-in/code', { csrf: csrfOf(form.body), code }), jar };
}

/** Sign in with the request coming through a proxy that says the client is xff. */
async function signInFrom(srv, xff, email, password) {
    const jar = new Jar();
    const h = () => ({ 'x-forwarded-for': xff, ...(jar.header() ? { cookie: jar.header() } : {}) });
    const form = jar.update(await request(srv.origin, 'GET', '/staff/sign-in', { headers: h() }));
    const res = jar.update(await postForm(srv.origin, '/staff/sign-in',
        { csrf: csrfOf(form.body), email, password }, { headers: h() }));
    return { res, jar };
}

/** A 6-digit code that is none of the codes the secret gives around now. */
function wrongCode(secret) {
    const t = Date.now() / 1000;
    const near = new Set([-60, -30, 0, 30, 60].map((d) => totp(secret, t + d)));
    return ['000000', '111111', '222222', '333333', '444444', '555555'].find((c) => !near.has(c));
}

/** A fresh user from the CLI with a password set through its link. */
async function newUser(srv, email, role, password = 'river-lantern-77-oak') {
    const out = cli(srv, ['add', email, '--name', `Test ${role}`, '--role', role]);
    const res = await setPassword(srv, linkPath(out), password);
    assert.equal(res.status, 303);
    return { email, password };
}

describe('sign-in', () => {
    let srv;
    let accts;
    before(async () => { srv = await startServer({ demo: true }); accts = demoAccounts(srv); });
    after(async () => { if (srv) await srv.stop(); });

    test('the demo accounts are printed once per role', () => {
        assert.deepEqual(Object.keys(accts).sort(),
            ['admin', 'admissions', 'auditor', 'billing', 'clinician', 'medical']);
        for (const a of Object.values(accts)) assert.ok(a.password.length >= 12);
    });

    test('anonymous: /staff/ -> 303 sign-in, /api/v1/me -> 401', async () => {
        const res = await get(srv, null, '/staff/');
        assert.equal(res.status, 303);
        assert.equal(res.headers.location, '/staff/sign-in');
        assert.equal((await get(srv, null, '/api/v1/me')).status, 401);
    });

    test('right password: 303 to /staff/, a safe cookie, then /api/v1/me', async () => {
        const { res, jar } = await signInPassword(srv, accts.admin.email, accts.admin.password);
        assert.equal(res.status, 303);
        assert.equal(res.headers.location, '/staff/');
        const c = res.setCookies.find((x) => x.startsWith('haven_session='));
        assert.ok(c, 'a haven_session cookie');
        assert.match(c, /^haven_session=[0-9a-f]{64};/);
        assert.match(c, /HttpOnly/);
        assert.match(c, /SameSite=Lax/);
        assert.match(c, /Path=\//);
        assert.ok(hasNoStore(res));
        const me = await get(srv, jar, '/api/v1/me');
        assert.equal(me.status, 200);
        assert.ok(hasNoStore(me));
        const body = JSON.parse(me.body);
        assert.equal(body.email, accts.admin.email);
        assert.deepEqual(body.roles, ['admin']);
        const home = await get(srv, jar, '/staff/');
        assert.equal(home.status, 200);
        assert.ok(hasNoStore(home));
        assert.match(home.body, /Demo Admin/);
        assert.match(home.body, /<script src="\/static\/staff\.js/);
        assert.doesNotMatch(home.body, /<script>(?!<\/script>)/, 'no inline scripts');
        // The token is stored hashed: the cookie's value is nowhere in the database.
        assert.equal(sql(srv.db, `select count(*) from sessions where token_hash = '${jar.session}'`), '0');
    });

    test('wrong password and unknown e-mail: the same message, no session', async () => {
        const a = (await signInPassword(srv, accts.billing.email, 'not-the-password-1')).res;
        const b = (await signInPassword(srv, 'nobody@demo.haven', 'not-the-password-1')).res;
        assert.equal(a.status, 401);
        assert.equal(b.status, 401);
        assert.match(a.body, GENERIC);
        const msg = (r) => r.body.match(/<div id="sign-in-error"[^]*?<\/div>/)[0];
        assert.equal(msg(a), msg(b));
        assert.ok(!a.setCookies.some((c) => c.startsWith('haven_session=')));
        assert.match(a.body, /value="billing@demo\.haven"/, 'the e-mail is kept in the form');
        assert.doesNotMatch(a.body, /not-the-password/, 'the password is not echoed');
    });

    test('sign-in form without its CSRF token -> 403', async () => {
        const res = await post(srv, new Jar(), '/staff/sign-in', { email: accts.admin.email, password: accts.admin.password });
        assert.equal(res.status, 403);
    });

    test('session fixation: a cookie set before sign-in never becomes the session', async () => {
        const planted = 'a'.repeat(64);
        const jar = new Jar({ haven_session: planted });
        const { res } = await signInPassword(srv, accts.clinician.email, accts.clinician.password, jar);
        assert.equal(res.status, 303);
        assert.notEqual(jar.session, planted);
        assert.equal((await get(srv, new Jar({ haven_session: planted }), '/api/v1/me')).status, 401);
        // Signing in again with a live session replaces it: the old token stops working.
        const old = jar.session;
        // (GET /staff/sign-in now redirects home; the form's token is the haven_csrf cookie.)
        const again = await post(srv, jar, '/staff/sign-in', { csrf: jar.cookies.haven_csrf, email: accts.clinician.email, password: accts.clinician.password });
        assert.equal(again.status, 303);
        assert.notEqual(jar.session, old);
        assert.equal((await get(srv, new Jar({ haven_session: old }), '/api/v1/me')).status, 401);
        assert.equal((await get(srv, jar, '/api/v1/me')).status, 200);
    });

    test('sign-out: refused without CSRF; with it the session ends', async () => {
        const { jar, csrf } = await signIn(srv, 'medical');
        assert.equal((await post(srv, jar, '/staff/sign-out', {})).status, 403);
        assert.equal((await post(srv, jar, '/staff/sign-out', { csrf: 'f'.repeat(64) })).status, 403);
        assert.equal((await get(srv, jar, '/api/v1/me')).status, 200, 'still signed in');
        const token = jar.session;
        const res = await post(srv, jar, '/staff/sign-out', { csrf });
        assert.equal(res.status, 303);
        assert.match(res.headers.location, /^\/staff\/sign-in/);
        assert.equal((await get(srv, new Jar({ haven_session: token }), '/api/v1/me')).status, 401);
    });

    test('sign-out everywhere ends the other sessions too', async () => {
        const a = await signIn(srv, 'auditor');
        const b = await signIn(srv, 'auditor');
        assert.equal((await get(srv, a.jar, '/api/v1/me')).status, 200);
        const res = await post(srv, b.jar, '/staff/sign-out-everywhere', { csrf: b.csrf });
        assert.equal(res.status, 303);
        assert.equal((await get(srv, a.jar, '/api/v1/me')).status, 401);
        assert.equal((await get(srv, b.jar, '/api/v1/me')).status, 401);
    });

    test('keep-alive needs the CSRF token', async () => {
        const { jar, csrf } = await signIn(srv, 'billing');
        assert.equal((await post(srv, jar, '/staff/keep-alive', {})).status, 403);
        const ok = await post(srv, jar, '/staff/keep-alive', { csrf });
        assert.equal(ok.status, 200);
        assert.equal(JSON.parse(ok.body).idle_seconds, 900);
    });

    test('idle for 15 minutes, or 12 hours since sign-in: signed out', async () => {
        const { jar } = await signIn(srv, 'admissions');
        const { jar: jar2 } = await signIn(srv, 'admissions');
        sql(srv.db, "update sessions set last_seen = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-16 minutes') where user_id = (select id from users where email = 'admissions@demo.haven')");
        const res = await get(srv, jar, '/staff/');
        assert.equal(res.status, 303);
        assert.equal(res.headers.location, '/staff/sign-in?expired=1');
        assert.equal((await get(srv, jar2, '/api/v1/me')).status, 401);
        const { jar: jar3 } = await signIn(srv, 'admissions');
        sql(srv.db, "update sessions set last_seen = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-14 minutes') where user_id = (select id from users where email = 'admissions@demo.haven')");
        assert.equal((await get(srv, jar3, '/api/v1/me')).status, 200, '14 minutes idle is fine');
        sql(srv.db, "update sessions set created_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-721 minutes') where user_id = (select id from users where email = 'admissions@demo.haven')");
        assert.equal((await get(srv, jar3, '/api/v1/me')).status, 401, 'past 12 hours');
        const page = await get(srv, null, '/staff/sign-in?expired=1');
        assert.match(page.body, /15 minutes without activity/);
    });

    test('users form: CSRF missing or wrong -> 403, nothing written', async () => {
        const { jar } = await signIn(srv, 'admin');
        const before = countRows(srv.db, 'users');
        const fields = { email: 'x1@example.org', name: 'X One', role: 'billing' };
        assert.equal((await post(srv, jar, '/staff/users', fields)).status, 403);
        assert.equal((await post(srv, jar, '/staff/users', { ...fields, csrf: '0'.repeat(64) })).status, 403);
        assert.equal(countRows(srv.db, 'users'), before);
    });

    test('users form: bad input re-shown with messages next to the fields (422)', async () => {
        const { jar, csrf } = await signIn(srv, 'admin');
        const before = countRows(srv.db, 'users');
        const res = await post(srv, jar, '/staff/users', { csrf, email: 'not-an-email', name: 'Kept Name' });
        assert.equal(res.status, 422);
        assert.match(res.body, /id="new-email-error"/);
        assert.match(res.body, /id="new-role-error"/);
        assert.match(res.body, /value="Kept Name"/);
        assert.equal(countRows(srv.db, 'users'), before);
    });

    test('set-password link: rules with messages, works once, expires', async () => {
        const { jar, csrf } = await signIn(srv, 'admin');
        const add = await post(srv, jar, '/staff/users', { csrf, email: 'Pat.Lee@Example.org', name: 'Pat Lee', role: ['clinician', 'medical'] });
        assert.equal(add.status, 201, add.body.slice(0, 500));
        const path = linkPath(add.body);
        const cases = [
            ['short-one', /at least 12 characters/],
            ['pat.lee@example.org', /e-mail address/],
            ['password1234', /too common/],
        ];
        for (const [pw, re] of cases) {
            const res = await setPassword(srv, path, pw);
            assert.equal(res.status, 422, pw);
            assert.match(res.body, /<p class="field-error" id="password-error">/);
            assert.match(res.body, re);
        }
        const mismatch = await setPassword(srv, path, 'violet-harbor-engine', 'violet-harbor-engin');
        assert.equal(mismatch.status, 422);
        assert.match(mismatch.body, /id="confirm-error"/);
        const ok = await setPassword(srv, path, 'violet-harbor-engine');
        assert.equal(ok.status, 303);
        assert.equal(ok.headers.location, '/staff/sign-in?password=set');
        assert.equal((await get(srv, null, path)).status, 410, 'the link works once');
        const { res } = await signInPassword(srv, 'pat.lee@example.org', 'violet-harbor-engine');
        assert.equal(res.status, 303, 'e-mail matching ignores case');
        // An expired link (24 hours) is refused.
        const reset = cli(srv, ['reset', 'pat.lee@example.org']);
        const p2 = linkPath(reset);
        sql(srv.db, "update password_tokens set expires_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 minutes') where used_at is null");
        assert.equal((await get(srv, null, p2)).status, 410);
        assert.equal((await get(srv, null, '/staff/set-password?token=' + 'b'.repeat(64))).status, 404);
        // reset voided the old password
        assert.equal((await signInPassword(srv, 'pat.lee@example.org', 'violet-harbor-engine')).res.status, 401);
    });

    test('a disabled account cannot sign in, and its sessions end', async () => {
        await newUser(srv, 'dana@example.org', 'billing');
        const { res, jar: dana } = await signInPassword(srv, 'dana@example.org', 'river-lantern-77-oak');
        assert.equal(res.status, 303);
        const { jar, csrf } = await signIn(srv, 'admin');
        const id = sql(srv.db, "select public_id from users where email = 'dana@example.org'");
        assert.equal((await post(srv, jar, `/staff/users/${id}/disable`, { csrf, confirm: 'yes' })).status, 303);
        assert.equal((await get(srv, dana, '/api/v1/me')).status, 401);
        const again = (await signInPassword(srv, 'dana@example.org', 'river-lantern-77-oak')).res;
        assert.equal(again.status, 401);
        assert.match(again.body, GENERIC);
        const list = await get(srv, jar, '/staff/users');
        assert.match(list.body, /dana@example\.org<\/td><td>billing<\/td><td>off<\/td><td>disabled/);
    });

    test('a role change ends the user\'s sessions', async () => {
        await newUser(srv, 'robin@example.org', 'billing');
        const { jar: robin } = await signInPassword(srv, 'robin@example.org', 'river-lantern-77-oak');
        const { jar, csrf } = await signIn(srv, 'admin');
        const id = sql(srv.db, "select public_id from users where email = 'robin@example.org'");
        assert.equal((await post(srv, jar, `/staff/users/${id}/roles`, { csrf, role: ['billing', 'auditor'] })).status, 303);
        assert.equal((await get(srv, robin, '/api/v1/me')).status, 401);
        const { jar: again } = await signInPassword(srv, 'robin@example.org', 'river-lantern-77-oak');
        assert.deepEqual(JSON.parse((await get(srv, again, '/api/v1/me')).body).roles, ['billing', 'auditor']);
    });

    test('second factor: enrolment, code required, wrong code refused, recovery code once', async () => {
        const u = await newUser(srv, 'sam@example.org', 'clinician');
        let { jar } = await signInPassword(srv, u.email, u.password);
        const page = await get(srv, jar, '/staff/account/totp');
        assert.equal(page.status, 200);
        assert.match(page.body, /<svg [^>]*role="img"/);
        const secret = page.body.match(/id="totp-secret" class="secret">([A-Z2-7 ]+)</)[1];
        const csrf = csrfOf(page.body);
        const bad = await post(srv, jar, '/staff/account/totp', { csrf, code: '000000' === totp(secret) ? '111111' : '000000' });
        assert.equal(bad.status, 422);
        assert.match(bad.body, /id="code-error"/);
        const before = jar.session;
        const now = Date.now() / 1000;
        const done = await post(srv, jar, '/staff/account/totp', { csrf, code: totp(secret, now) });
        assert.equal(done.status, 200);
        assert.notEqual(jar.session, before, 'a new token after the second factor');
        const codes = [...done.body.matchAll(/<li><code>([a-z2-9]{5}-[a-z2-9]{5})<\/code><\/li>/g)].map((m) => m[1]);
        assert.equal(codes.length, 10);
        assert.equal(sql(srv.db, `select count(*) from recovery_codes where code_hash like '%${codes[0].replace('-', '')}%'`), '0', 'stored hashed');
        assert.equal((await get(srv, jar, '/staff/account/totp')).body.includes(codes[0]), false, 'shown once');

        // Password alone now leads to the code page, and authorizes nothing else.
        ({ jar } = await signInPassword(srv, u.email, u.password));
        const pending = await get(srv, jar, '/staff/');
        assert.equal(pending.status, 303);
        assert.equal(pending.headers.location, '/staff/sign-in/code');
        assert.equal((await get(srv, jar, '/api/v1/me')).status, 401);
        const form = await get(srv, jar, '/staff/sign-in/code');
        assert.equal(form.status, 200);
        const c2 = csrfOf(form.body);
        const wrong = await post(srv, jar, '/staff/sign-in/code', { csrf: c2, code: '123456' === totp(secret, now + 30) ? '654321' : '123456' });
        assert.equal(wrong.status, 401);
        // The enrolment used this step's code; the next step's is still inside the window.
        const pendingToken = jar.session;
        const ok = await post(srv, jar, '/staff/sign-in/code', { csrf: c2, code: totp(secret, now + 30) });
        assert.equal(ok.status, 303);
        assert.equal(ok.headers.location, '/staff/');
        assert.notEqual(jar.session, pendingToken);
        assert.equal((await get(srv, jar, '/api/v1/me')).status, 200);
        // A code is good once (RFC 6238 §5.2).
        ({ jar } = await signInPassword(srv, u.email, u.password));
        let f = await get(srv, jar, '/staff/sign-in/code');
        assert.equal((await post(srv, jar, '/staff/sign-in/code', { csrf: csrfOf(f.body), code: totp(secret, now + 30) })).status, 401);
        // A recovery code works once.
        const rc = await post(srv, jar, '/staff/sign-in/code', { csrf: csrfOf(f.body), code: codes[3].toUpperCase() });
        assert.equal(rc.status, 303);
        assert.equal((await get(srv, jar, '/api/v1/me')).status, 200);
        ({ jar } = await signInPassword(srv, u.email, u.password));
        f = await get(srv, jar, '/staff/sign-in/code');
        assert.equal((await post(srv, jar, '/staff/sign-in/code', { csrf: csrfOf(f.body), code: codes[3] })).status, 401);
    });

    test('require_totp: staff without a second factor must enrol first', async () => {
        const { jar, csrf } = await signIn(srv, 'admin');
        assert.equal((await post(srv, jar, '/staff/settings', { csrf, require_totp: '1' })).status, 303);
        try {
            const { jar: b } = await signIn(srv, 'billing');
            const res = await get(srv, b, '/staff/');
            assert.equal(res.status, 303);
            assert.equal(res.headers.location, '/staff/account/totp');
            const enrol = await get(srv, b, '/staff/account/totp');
            assert.equal(enrol.status, 200);
            assert.match(enrol.body, /requires two-step sign-in/);
        } finally {
            const c = await csrfFor(jar);
            assert.equal((await post(srv, jar, '/staff/settings', { csrf: c, require_totp: '0' })).status, 303);
        }
    });

    async function csrfFor(jar) {
        return csrfOf((await get(srv, jar, '/staff/account/totp')).body);
    }

    test('the CLI: add validates, list shows, disable refuses sign-in', () => {
        const bad = (args) => {
            try {
                execFileSync(HAVEN_BIN, ['user', ...args, '--db', srv.db], { encoding: 'utf8', stdio: 'pipe' });
                return null;
            } catch (e) { return e; }
        };
        assert.match(bad(['add', 'nope', '--name', 'N', '--role', 'admin']).stderr, /not an e-mail/);
        assert.match(bad(['add', 'a@b.org', '--name', 'N', '--role', 'wizard']).stderr, /unknown role "wizard"/);
        assert.match(bad(['add', 'a@b.org', '--role', 'admin']).stderr, /--name is required/);
        assert.match(bad(['add', 'a@b.org', '--name', 'N']).stderr, /--role/);
        const out = cli(srv, ['add', 'multi@example.org', '--name', 'Multi', '--role', 'admin,auditor', '--role', 'billing']);
        assert.match(out, /set-password\?token=[0-9a-f]{64}/);
        assert.match(bad(['add', 'MULTI@example.org', '--name', 'N', '--role', 'admin']).stderr, /already/);
        const list = cli(srv, ['list']);
        assert.match(list, /multi@example\.org\s+Multi\s+admin, billing, auditor/);
        assert.match(cli(srv, ['disable', 'multi@example.org']), /Disabled/);
        assert.match(cli(srv, ['list']), /multi@example\.org.*disabled/);
    });
});

describe('lockout', () => {
    let srv;
    let accts;
    before(async () => { srv = await startServer({ demo: true }); accts = demoAccounts(srv); });
    after(async () => { if (srv) await srv.stop(); });

    test('5 failures pause the account: then even the right password is refused', async () => {
        for (let i = 0; i < 4; i++) {
            assert.equal((await signInPassword(srv, accts.admissions.email, `wrong-password-${i}`)).res.status, 401);
        }
        // 4 failures: the right password still works (and clears the count).
        assert.equal((await signInPassword(srv, accts.admissions.email, accts.admissions.password)).res.status, 303);
        for (let i = 0; i < 5; i++) {
            assert.equal((await signInPassword(srv, accts.admissions.email, `wrong-password-${i}`)).res.status, 401);
        }
        const res = (await signInPassword(srv, accts.admissions.email, accts.admissions.password)).res;
        assert.equal(res.status, 401);
        assert.match(res.body, GENERIC);
        const until = sql(srv.db, "select unixepoch(locked_until) - unixepoch('now') from users where email = 'admissions@demo.haven'");
        assert.ok(Number(until) > 0 && Number(until) <= 60, `paused about a minute, got ${until}`);
        // The address is not paused by one account's failures: many people may share it (a
        // clinic's NAT, a proxy), and the others still sign in with their right password.
        assert.equal((await signInPassword(srv, accts.clinician.email, accts.clinician.password)).res.status, 303);
        assert.equal(sql(srv.db, "select count(*) from ip_throttle where locked_until is not null"), '0');
        // Each pause is audited; a refusal while paused too.
        const { jar } = await signIn(srv, 'auditor');
        const id = sql(srv.db, "select public_id from users where email = 'admissions@demo.haven'");
        await assertAudited(srv, jar, { action: 'lockout', record: id });
        await assertAudited(srv, jar, { action: 'sign-in-paused', record: id, outcome: 'denied' });
        await assertAudited(srv, jar, { action: 'sign-in', record: id, outcome: 'denied' });
    });

    test('wrong second-factor codes lock the account, however often the password is given again', async () => {
        const u = await newUser(srv, 'tess@example.org', 'clinician');
        const { secret, now } = await enrol(srv, (await signInPassword(srv, u.email, u.password)).jar);
        const id = sql(srv.db, `select public_id from users where email = '${u.email}'`);
        // A second half-open session, kept aside: the right code must not work in it later.
        const aside = await signInPassword(srv, u.email, u.password);
        assert.equal(aside.res.headers.location, '/staff/sign-in/code');
        const asideCsrf = csrfOf((await get(srv, aside.jar, '/staff/sign-in/code')).body);
        // Password, 4 wrong codes; the password again (it clears nothing), a 5th wrong code.
        let { res, jar } = await signInPassword(srv, u.email, u.password);
        assert.equal(res.headers.location, '/staff/sign-in/code');
        let csrf = csrfOf((await get(srv, jar, '/staff/sign-in/code')).body);
        for (let i = 0; i < 4; i++) {
            const wrong = await post(srv, jar, '/staff/sign-in/code', { csrf, code: wrongCode(secret) });
            assert.equal(wrong.status, 401);
            assert.match(wrong.body, /That code did not work/);
        }
        ({ res, jar } = await signInPassword(srv, u.email, u.password));
        assert.equal(res.status, 303, '4 failures: the password is still taken');
        assert.equal(res.headers.location, '/staff/sign-in/code');
        csrf = csrfOf((await get(srv, jar, '/staff/sign-in/code')).body);
        const fifth = await post(srv, jar, '/staff/sign-in/code', { csrf, code: wrongCode(secret) });
        assert.equal(fifth.status, 401);
        assert.match(fifth.body, GENERIC, 'back to the sign-in page');
        assert.equal(jar.session, undefined, 'the half-open session ended');
        const until = sql(srv.db, `select unixepoch(locked_until) - unixepoch('now') from users where public_id = '${id}'`);
        assert.ok(Number(until) > 0 && Number(until) <= 60, `paused about a minute, got ${until}`);
        // Paused: the right password is refused, and the right code in the session kept aside too.
        const pw = (await signInPassword(srv, u.email, u.password)).res;
        assert.equal(pw.status, 401);
        assert.match(pw.body, GENERIC);
        const right = await post(srv, aside.jar, '/staff/sign-in/code', { csrf: asideCsrf, code: totp(secret, now + 30) });
        assert.notEqual(right.headers.location, '/staff/');
        assert.equal((await get(srv, aside.jar, '/api/v1/me')).status, 401);
        // After the pause, the whole sign-in works and forgets the failures.
        sql(srv.db, `update users set locked_until = NULL where public_id = '${id}'`);
        const ok = await signInWithCode(srv, u, totp(secret, now + 30));
        assert.equal(ok.res.status, 303);
        assert.equal(ok.res.headers.location, '/staff/');
        assert.equal(sql(srv.db, `select failed_count from users where public_id = '${id}'`), '0');
        const { jar: auditor } = await signIn(srv, 'auditor');
        await assertAudited(srv, auditor, { action: 'lockout', record: id });
    });

    test('without HAVEN_TRUSTED_PROXY, X-Forwarded-For is ignored', async () => {
        const id = sql(srv.db, "select public_id from users where email = 'billing@demo.haven'");
        assert.equal((await signInFrom(srv, '198.51.100.77', accts.billing.email, 'wrong-password-xff')).res.status, 401);
        const { jar } = await signIn(srv, 'auditor');
        const e = await assertAudited(srv, jar, { action: 'sign-in', record: id, outcome: 'denied' });
        assert.equal(e.client, '127.0.0.1');
    });
});

describe('behind a trusted reverse proxy (HAVEN_TRUSTED_PROXY)', () => {
    let srv;
    let accts;
    before(async () => {
        process.env.HAVEN_TRUSTED_PROXY = '127.0.0.1';
        try {
            srv = await startServer({ demo: true });
        } finally {
            delete process.env.HAVEN_TRUSTED_PROXY;
        }
        accts = demoAccounts(srv);
    });
    after(async () => { if (srv) await srv.stop(); });

    test('the audit trail records the last hop of X-Forwarded-For, not the proxy', async () => {
        const id = sql(srv.db, "select public_id from users where email = 'billing@demo.haven'");
        // The first hop is the client's to forge; the last is what the proxy saw.
        const { res } = await signInFrom(srv, '203.0.113.9, 198.51.100.7', accts.billing.email, 'wrong-password-1');
        assert.equal(res.status, 401);
        const { jar } = await signIn(srv, 'auditor');
        const list = await auditEntries(srv, jar, `action=sign-in&record=${id}`);
        assert.ok(list.some((e) => e.outcome === 'denied' && e.client === '198.51.100.7'),
            JSON.stringify(list.map((e) => [e.outcome, e.client])));
        assert.ok(!list.some((e) => e.client === '203.0.113.9'));
        // Garbage in the header: the peer's address stays.
        await signInFrom(srv, 'not-an-address', accts.billing.email, 'wrong-password-2');
        const again = await auditEntries(srv, jar, `action=sign-in&record=${id}`);
        assert.ok(again.some((e) => e.outcome === 'denied' && e.client === '127.0.0.1'));
    });

    test('an address pauses after 50 failures, and only that address', async () => {
        const from = '198.51.100.50';
        for (let i = 0; i < 50; i++) {
            const { res } = await signInFrom(srv, from, `nobody${i}@example.org`, 'wrong-password-1');
            assert.equal(res.status, 401);
        }
        assert.equal((await signInFrom(srv, from, accts.clinician.email, accts.clinician.password)).res.status, 401, 'paused');
        assert.equal((await signInFrom(srv, '198.51.100.51', accts.clinician.email, accts.clinician.password)).res.status, 303);
        assert.equal((await signInPassword(srv, accts.clinician.email, accts.clinician.password)).res.status, 303);
        assert.equal(sql(srv.db, `select count(*) from ip_throttle where ip = '${from}' and locked_until is not null`), '1');
    });
});

describe('lost second factor, secrets at rest, the 403 page, the audit trail', () => {
    let srv;
    let auditor;
    before(async () => {
        srv = await startServer({ demo: true });
        ({ jar: auditor } = await signIn(srv, 'auditor'));
    });
    after(async () => { if (srv) await srv.stop(); });

    const idOf = (email) => sql(srv.db, `select public_id from users where email = '${email}'`);

    test('the key file is made 0600 next to the database; secrets are stored sealed', async () => {
        const key = `${srv.db}.key`;
        const st = fs.statSync(key);
        assert.equal(st.mode & 0o777, 0o600);
        const keyHex = fs.readFileSync(key, 'utf8').trim();
        assert.match(keyHex, /^[0-9a-f]{64}$/);
        assert.ok(!srv.stderr().includes(keyHex), 'the key is never logged');
        const u = await newUser(srv, 'kim@example.org', 'clinician');
        const { jar } = await signInPassword(srv, u.email, u.password);
        const { secret } = await enrol(srv, jar);
        const row = sql(srv.db, "select coalesce(totp_secret, '') || '|' || totp_sealed from users where email = 'kim@example.org'");
        assert.match(row, /^\|s1:[0-9a-f]{120}$/, 'only the sealed form is stored');
        const dump = execFileSync('sqlite3', [srv.db, '.dump users'], { encoding: 'utf8' });
        const b32 = secret.replace(/ /g, '');
        assert.equal(hexToBase32(base32ToHex(b32)), b32);
        assert.ok(!dump.includes(b32) && !dump.includes(base32ToHex(b32)), 'the secret is nowhere in the table');
        // The database alone gives nothing: the same row with the key gone cannot be opened by
        // the CLI, which refuses to make a new key for a database that had one.
        const copy = `${srv.dir}/copy.db`;
        execFileSync('sqlite3', [srv.db, `.backup '${copy}'`]);
        let err = null;
        try {
            execFileSync(HAVEN_BIN, ['user', 'list', '--db', copy], { encoding: 'utf8', stdio: 'pipe' });
        } catch (e) { err = e; }
        assert.ok(err, 'refused without the key file');
        assert.match(err.stderr, /need the key file/);
        assert.equal(fs.existsSync(`${copy}.key`), false);
    });

    test('a secret stored in the clear by the first release is sealed at start-up and still works', async () => {
        const u = await newUser(srv, 'lee@example.org', 'billing');
        const hex = '3132333435363738393031323334353637383930';
        sql(srv.db, `update users set totp_secret = '${hex}', totp_enabled = 1 where email = 'lee@example.org'`);
        cli(srv, ['list']); // `haven user` loads the key as serve does, and seals such rows
        assert.match(sql(srv.db, "select coalesce(totp_secret, '') || '|' || totp_sealed from users where email = 'lee@example.org'"), /^\|s1:/);
        const { res, jar } = await signInWithCode(srv, u, totp(hexToBase32(hex)));
        assert.equal(res.status, 303);
        assert.equal(res.headers.location, '/staff/');
        assert.equal((await get(srv, jar, '/api/v1/me')).status, 200);
    });

    test('lost phone: an admin turns the second factor off; only with CSRF and the admin role', async () => {
        const u = await newUser(srv, 'ash@example.org', 'clinician');
        let { jar: ash } = await signInPassword(srv, u.email, u.password);
        const { codes } = await enrol(srv, ash);
        const id = idOf(u.email);
        const { jar, csrf } = await signIn(srv, 'admin');
        const users = await get(srv, jar, '/staff/users');
        assert.match(users.body, new RegExp(`action="/staff/users/${id}/totp-reset"`));
        // No CSRF, a wrong one: refused, nothing changes.
        assert.equal((await post(srv, jar, `/staff/users/${id}/totp-reset`, {})).status, 403);
        assert.equal((await post(srv, jar, `/staff/users/${id}/totp-reset`, { csrf: 'e'.repeat(64) })).status, 403);
        // Another role: refused.
        const clin = await signIn(srv, 'clinician');
        assert.equal((await post(srv, clin.jar, `/staff/users/${id}/totp-reset`, { csrf: clin.csrf })).status, 403);
        assert.equal(sql(srv.db, `select totp_enabled from users where public_id = '${id}'`), '1');
        assert.equal((await get(srv, ash, '/api/v1/me')).status, 200);
        // The admin, with CSRF: off, codes gone, sessions ended.
        const res = await post(srv, jar, `/staff/users/${id}/totp-reset`, { csrf });
        assert.equal(res.status, 303);
        assert.equal(res.headers.location, '/staff/users?done=totp');
        assert.match((await get(srv, jar, '/staff/users?done=totp')).body, /Two-step sign-in is off/);
        assert.equal(sql(srv.db, `select totp_enabled || '|' || coalesce(totp_sealed, '') || coalesce(totp_secret, '') from users where public_id = '${id}'`), '0|');
        assert.equal(sql(srv.db, `select count(*) from recovery_codes where user_id = (select id from users where public_id = '${id}')`), '0');
        assert.equal((await get(srv, ash, '/api/v1/me')).status, 401, 'their sessions ended');
        // The password alone signs them in now; an old recovery code is nothing.
        ({ jar: ash } = await signInPassword(srv, u.email, u.password));
        assert.equal((await get(srv, ash, '/api/v1/me')).status, 200);
        // Again: already off -> 422, audited as invalid.
        assert.equal((await post(srv, jar, `/staff/users/${id}/totp-reset`, { csrf })).status, 422);
        await assertAudited(srv, auditor, { action: 'reset-2fa', record: id });
        await assertAudited(srv, auditor, { action: 'reset-2fa', record: id, outcome: 'invalid' });
        assert.ok(codes.length === 10);
    });

    test('new recovery codes: shown once, stored hashed, the old ones void', async () => {
        const u = await newUser(srv, 'jo@example.org', 'medical');
        const { jar } = await signInPassword(srv, u.email, u.password);
        // Two-step off: nothing to replace (409), audited.
        const home0 = await get(srv, jar, '/staff/');
        assert.doesNotMatch(home0.body, /recovery-codes/);
        assert.equal((await post(srv, jar, '/staff/account/recovery-codes', { csrf: csrfOf(home0.body) })).status, 409);
        const { secret, codes: old, now } = await enrol(srv, jar);
        const home = await get(srv, jar, '/staff/');
        assert.match(home.body, /action="\/staff\/account\/recovery-codes"/);
        assert.match(home.body, /10 recovery codes left/);
        const csrf = csrfOf(home.body);
        assert.equal((await post(srv, jar, '/staff/account/recovery-codes', {})).status, 403);
        assert.equal((await post(srv, jar, '/staff/account/recovery-codes', { csrf: 'd'.repeat(64) })).status, 403);
        const res = await post(srv, jar, '/staff/account/recovery-codes', { csrf });
        assert.equal(res.status, 200);
        assert.ok(hasNoStore(res));
        const codes = [...res.body.matchAll(/<li><code>([a-z2-9]{5}-[a-z2-9]{5})<\/code><\/li>/g)].map((m) => m[1]);
        assert.equal(codes.length, 10);
        assert.equal(new Set(codes).size, 10);
        for (const c of codes) assert.ok(!old.includes(c));
        assert.equal(sql(srv.db, `select count(*) from recovery_codes where code_hash like '%${codes[0].replace('-', '')}%'`), '0', 'stored hashed');
        assert.equal(sql(srv.db, "select count(*) from recovery_codes where user_id = (select id from users where email = 'jo@example.org')"), '10');
        assert.ok(!(await get(srv, jar, '/staff/')).body.includes(codes[0]), 'shown once');
        // An old code is void; a new one works once.
        assert.equal((await signInWithCode(srv, u, old[0])).res.status, 401);
        const ok = await signInWithCode(srv, u, codes[0]);
        assert.equal(ok.res.status, 303);
        assert.equal((await signInWithCode(srv, u, codes[0])).res.status, 401);
        // The app's codes still work (the next step's: this one was used at enrolment).
        assert.equal((await signInWithCode(srv, u, totp(secret, now + 30))).res.status, 303);
        const id = idOf(u.email);
        await assertAudited(srv, auditor, { action: 'regenerate-recovery-codes', record: id });
        await assertAudited(srv, auditor, { action: 'regenerate-recovery-codes', record: id, outcome: 'invalid' });
        await assertAudited(srv, auditor, { action: 'use-recovery-code', record: id });
        await assertAudited(srv, auditor, { action: 'enable-2fa', record: id });
    });

    test('without the role: a 403 page inside the staff frame; the API answers JSON', async () => {
        const { jar } = await signIn(srv, 'billing');
        const res = await get(srv, jar, '/staff/users');
        assert.equal(res.status, 403);
        assert.match(res.headers['content-type'], /^text\/html/);
        assert.ok(hasNoStore(res));
        assert.match(res.body, /<h1>No access to this page<\/h1>/);
        assert.match(res.body, /ask an administrator/);
        assert.match(res.body, /<form class="staff-signout" method="post" action="\/staff\/sign-out">/);
        assert.match(res.body, /<nav class="site-nav staff-nav"/);
        assert.match(res.body, /Demo Billing/);
        assert.doesNotMatch(res.body, /The free self-assessment/, 'not the public error page');
        const api = await get(srv, jar, '/api/v1/audit');
        assert.equal(api.status, 403);
        assert.match(api.headers['content-type'], /^application\/json/);
        assert.match(JSON.parse(api.body).error || api.body, /role/);
        // Allowed: the page itself.
        const admin = await signIn(srv, 'admin');
        assert.equal((await get(srv, admin.jar, '/staff/users')).status, 200);
    });

    test('audit: sign-in, sign-out, passwords, users and the CLI each write an entry', async () => {
        const pw = 'maple-window-91-quiet';
        // CLI: add, reset, disable, enable, totp-reset, audited as user "cli".
        const out = cli(srv, ['add', 'cli.user@example.org', '--name', 'Cli User', '--role', 'billing']);
        const id = idOf('cli.user@example.org');
        assert.equal((await setPassword(srv, linkPath(out), pw)).status, 303);
        await assertAudited(srv, auditor, { action: 'create', record: id, user: 'cli' });
        await assertAudited(srv, auditor, { action: 'set-password', record: id });
        // Sign-in: right, wrong; sign-out.
        const { res, jar } = await signInPassword(srv, 'cli.user@example.org', pw);
        assert.equal(res.status, 303);
        await assertAudited(srv, auditor, { action: 'sign-in', record: id });
        assert.equal((await signInPassword(srv, 'cli.user@example.org', 'wrong-password-x')).res.status, 401);
        await assertAudited(srv, auditor, { action: 'sign-in', record: id, outcome: 'denied' });
        const c = csrfOf((await get(srv, jar, '/staff/')).body);
        assert.equal((await post(srv, jar, '/staff/sign-out', { csrf: c })).status, 303);
        await assertAudited(srv, auditor, { action: 'sign-out', record: id });
        cli(srv, ['reset', 'cli.user@example.org']);
        await assertAudited(srv, auditor, { action: 'reset', record: id, user: 'cli' });
        cli(srv, ['disable', 'cli.user@example.org']);
        await assertAudited(srv, auditor, { action: 'disable', record: id, user: 'cli' });
        assert.match(cli(srv, ['enable', 'cli.user@example.org']), /Enabled/);
        await assertAudited(srv, auditor, { action: 'enable', record: id, user: 'cli' });
        assert.match(cli(srv, ['totp-reset', 'cli.user@example.org']), /already off/);
        sql(srv.db, `update users set totp_enabled = 1 where public_id = '${id}'`);
        assert.match(cli(srv, ['totp-reset', 'cli.user@example.org']), /Turned off/);
        assert.equal(sql(srv.db, `select totp_enabled from users where public_id = '${id}'`), '0');
        await assertAudited(srv, auditor, { action: 'reset-2fa', record: id, user: 'cli' });
        // The Users screen: add, disable, enable, reset, roles.
        const admin = await signIn(srv, 'admin');
        const add = await post(srv, admin.jar, '/staff/users', { csrf: admin.csrf, email: 'web.user@example.org', name: 'Web User', role: 'billing' });
        assert.equal(add.status, 201);
        const wid = idOf('web.user@example.org');
        for (const action of ['disable', 'enable', 'reset']) {
            assert.ok([200, 303].includes((await post(srv, admin.jar, `/staff/users/${wid}/${action}`, { csrf: admin.csrf, confirm: 'yes' })).status), action);
        }
        assert.equal((await post(srv, admin.jar, `/staff/users/${wid}/roles`, { csrf: admin.csrf, role: ['billing', 'auditor'] })).status, 303);
        for (const action of ['create', 'disable', 'enable', 'reset', 'update']) {
            const e = await assertAudited(srv, auditor, { action, record: wid, user: 'admin@demo.haven' });
            assert.equal(e.roles, 'admin');
        }
    });

    test('a refusal by role is audited: who, what record, denied', async () => {
        const { jar, csrf } = await signIn(srv, 'billing');
        const ref = '0123456789abcdef0123456789abcdef';
        assert.equal((await get(srv, jar, `/staff/referrals/${ref}`)).status, 403);
        const e = await assertAudited(srv, auditor, { action: 'view', record: ref, outcome: 'denied', user: 'billing@demo.haven' });
        assert.equal(e.record_type, 'referral');
        const uid = idOf('admin@demo.haven');
        assert.equal((await post(srv, jar, `/staff/users/${uid}/reset`, { csrf })).status, 403);
        const u = await assertAudited(srv, auditor, { action: 'update', record: uid, outcome: 'denied', user: 'billing@demo.haven' });
        assert.equal(u.record_type, 'user');
        assert.equal((await get(srv, jar, '/api/v1/audit')).status, 403);
        const list = await auditEntries(srv, auditor, 'action=view&type=audit');
        assert.ok(list.some((x) => x.outcome === 'denied' && x.user_email === 'billing@demo.haven'));
    });

    test('an admin resetting their own password: signed out, shown the link, and it works', async () => {
        const u = await newUser(srv, 'self.reset@example.org', 'admin');
        const { jar } = await signInPassword(srv, u.email, u.password);
        const csrf = csrfOf((await get(srv, jar, '/staff/')).body);
        const id = idOf(u.email);
        const res = await post(srv, jar, `/staff/users/${id}/reset`, { csrf, confirm: 'yes' });
        assert.equal(res.status, 200);
        assert.ok(hasNoStore(res));
        assert.match(res.body, /Your password is reset/);
        assert.doesNotMatch(res.body, /action="\/staff\/users"/, 'no Users screen for the signed-out');
        assert.equal((await get(srv, jar, '/api/v1/me')).status, 401, 'signed out');
        assert.equal((await get(srv, null, '/staff/sign-in')).status, 200, 'the server is up');
        assert.equal((await signInPassword(srv, u.email, u.password)).res.status, 401, 'the old password is void');
        assert.equal((await setPassword(srv, linkPath(res.body), 'cedar-lantern-48-brook')).status, 303);
        const again = await signInPassword(srv, u.email, 'cedar-lantern-48-brook');
        assert.equal(again.res.status, 303);
        assert.equal(again.res.headers.location, '/staff/');
        await assertAudited(srv, auditor, { action: 'reset', record: id, user: u.email });
    });
});

describe('the session clock and signing in again in place (issue 7)', () => {
    let srv;
    let accts;
    before(async () => { srv = await startServer({ demo: true }); accts = demoAccounts(srv); });
    after(async () => { if (srv) await srv.stop(); });

    const lastSeen = (email) => sql(srv.db, `select s.last_seen from sessions s join users u on u.id = s.user_id where u.email = '${email}'`);
    const audits = (action, outcome) => Number(sql(srv.db, `select count(*) from audit_log where action = '${action}' and outcome = '${outcome}'`));
    const json = (res) => JSON.parse(res.body);

    /** The double-submit token the in-place sign-in needs, with its cookie in jar. */
    async function sessionState(jar) {
        const res = await get(srv, jar, '/api/v1/session');
        assert.equal(res.status, 200);
        assert.ok(hasNoStore(res));
        return json(res);
    }

    test('GET /api/v1/session tells the time left and does not renew the session', async () => {
        const anon = new Jar();
        const a = await sessionState(anon);
        assert.deepEqual([a.signed_in, a.seconds_left], [false, 0]);
        assert.match(a.csrf, /^[0-9a-f]{64}$/);
        assert.equal(anon.cookies.haven_csrf, a.csrf, 'the token comes with its cookie');

        const { jar, csrf } = await signIn(srv, 'billing');
        const email = accts.billing.email;
        sql(srv.db, `update sessions set last_seen = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-10 minutes') where user_id = (select id from users where email = '${email}')`);
        const before = lastSeen(email);
        const s = await sessionState(jar);
        assert.equal(s.signed_in, true);
        assert.ok(s.seconds_left > 280 && s.seconds_left <= 300, `about 5 minutes left, got ${s.seconds_left}`);
        assert.equal(lastSeen(email), before, 'asking did not move the idle clock');

        // The keep-alive does renew, and says how long is left now.
        const k = await post(srv, jar, '/staff/keep-alive', { csrf });
        assert.equal(k.status, 200);
        assert.ok(json(k).seconds_left >= 899, JSON.stringify(json(k)));
        assert.notEqual(lastSeen(email), before, 'the keep-alive moved it');

        // Idle past 15 minutes: ended, and asking does not bring it back.
        sql(srv.db, `update sessions set last_seen = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-16 minutes') where user_id = (select id from users where email = '${email}')`);
        assert.deepEqual([(await sessionState(jar)).signed_in, (await sessionState(jar)).seconds_left], [false, 0]);
        assert.equal((await post(srv, jar, '/staff/keep-alive', { csrf })).status, 303, 'the keep-alive cannot revive it');
    });

    test('GET /api/v1/me carries the session\'s CSRF token', async () => {
        const { jar, csrf } = await signIn(srv, 'auditor');
        assert.equal(json(await get(srv, jar, '/api/v1/me')).csrf, csrf);
    });

    test('signing in again in place: JSON, the same message, throttling and audit as the page', async () => {
        const u = accts.admissions;
        const { jar, csrf: oldCsrf } = await signIn(srv, 'admissions');
        const oldSession = jar.session;
        sql(srv.db, `delete from sessions where user_id = (select id from users where email = '${u.email}')`);
        assert.equal((await post(srv, jar, '/staff/keep-alive', { csrf: oldCsrf })).status, 303, 'ended');
        const s = await sessionState(jar);

        // The double-submit token is required, as on the page.
        const forged = await post(srv, jar, '/api/v1/session', { email: u.email, password: u.password });
        assert.equal(forged.status, 403);
        assert.ok(json(forged).error);
        assert.equal(jar.session, oldSession, 'no session from a forged post');

        // A wrong password: 401 with the page's one message, audited and counted.
        const denied = audits('sign-in', 'denied');
        const wrong = await post(srv, jar, '/api/v1/session', { csrf: s.csrf, email: u.email, password: 'not-the-password-at-all' });
        assert.equal(wrong.status, 401);
        assert.match(json(wrong).error, GENERIC);
        assert.ok(hasNoStore(wrong));
        assert.equal(audits('sign-in', 'denied'), denied + 1, 'the attempt is audited');
        assert.equal(sql(srv.db, `select failed_count from users where email = '${u.email}'`), '1', 'and counted');
        const unknown = await post(srv, jar, '/api/v1/session', { csrf: s.csrf, email: 'nobody@example.org', password: 'whatever-it-is' });
        assert.equal(unknown.status, 401);
        assert.equal(json(unknown).error, json(wrong).error, 'an unknown e-mail: the same message');

        // The right password: a new session, its token for the page's forms.
        const ok = await post(srv, jar, '/api/v1/session', { csrf: s.csrf, email: u.email, password: u.password });
        assert.equal(ok.status, 200, ok.body);
        const body = json(ok);
        assert.equal(body.signed_in, true);
        assert.equal(body.user, sql(srv.db, `select public_id from users where email = '${u.email}'`));
        assert.match(body.csrf, /^[0-9a-f]{64}$/);
        assert.equal(body.seconds_left, 900);
        assert.notEqual(jar.session, oldSession, 'a new session token');
        assert.equal(sql(srv.db, `select failed_count from users where email = '${u.email}'`), '0', 'failures forgotten');
        assert.equal((await post(srv, jar, '/staff/keep-alive', { csrf: body.csrf })).status, 200, 'the new token works');
        assert.equal((await post(srv, jar, '/staff/keep-alive', { csrf: oldCsrf })).status, 403, 'the old one does not');
        const { jar: auditor } = await signIn(srv, 'auditor');
        await assertAudited(srv, auditor, { action: 'sign-in', record: body.user, user: u.email });
    });

    test('in place with a second factor: password, then code; wrong codes count and pause', async () => {
        const u = await newUser(srv, 'ines@example.org', 'clinician');
        const { secret, now } = await enrol(srv, (await signInPassword(srv, u.email, u.password)).jar);
        const jar = new Jar();
        const pw = async () => {
            const s = await sessionState(jar);
            const res = await post(srv, jar, '/api/v1/session', { csrf: s.csrf, email: u.email, password: u.password });
            assert.equal(res.status, 200, res.body);
            return json(res);
        };
        let step = await pw();
        assert.deepEqual([step.signed_in, step.second_factor], [false, true]);
        assert.match(step.csrf, /^[0-9a-f]{64}$/);
        assert.equal((await get(srv, jar, '/api/v1/me')).status, 401, 'half signed in: nothing yet');
        assert.equal((await sessionState(jar)).signed_in, false);

        // The half-open session's token is required.
        assert.equal((await post(srv, jar, '/api/v1/session/code', { csrf: 'f'.repeat(64), code: totp(secret, now + 30) })).status, 403);
        const wrong = await post(srv, jar, '/api/v1/session/code', { csrf: step.csrf, code: wrongCode(secret) });
        assert.equal(wrong.status, 401);
        assert.match(json(wrong).error, /That code did not work/);
        assert.equal(json(wrong).restart, undefined, 'the code may be tried again');
        const done = await post(srv, jar, '/api/v1/session/code', { csrf: step.csrf, code: totp(secret, now + 30) });
        assert.equal(done.status, 200, done.body);
        assert.equal(json(done).signed_in, true);
        const me = json(await get(srv, jar, '/api/v1/me'));
        assert.equal(me.email, u.email);
        assert.equal(me.csrf, json(done).csrf);

        // Five wrong codes pause the account: back to the password, with the one message.
        step = await pw();
        let last;
        for (let i = 0; i < 5; i++) {
            last = await post(srv, jar, '/api/v1/session/code', { csrf: step.csrf, code: wrongCode(secret) });
            assert.equal(last.status, 401);
        }
        assert.equal(json(last).restart, true);
        assert.match(json(last).error, GENERIC);
        assert.equal(jar.session, undefined, 'the half-open session ended');
        const again = await post(srv, jar, '/api/v1/session/code', { csrf: step.csrf, code: totp(secret, now + 60) });
        assert.equal(again.status, 401);
        assert.equal(json(again).restart, true, 'no half-open session any more');
        const s = await sessionState(jar);
        const paused = await post(srv, jar, '/api/v1/session', { csrf: s.csrf, email: u.email, password: u.password });
        assert.equal(paused.status, 401, 'paused: the right password is refused');
        assert.match(json(paused).error, GENERIC);
        assert.ok(audits('sign-in-paused', 'denied') >= 1);
    });
});

describe('a change and its audit entry land together (issue 8, finding 6)', () => {
    // The trail refuses one action's entries (a trigger, as a full disk or a broken trail
    // would): the change it records must not happen either. Then it accepts them again.
    let srv;
    before(async () => { srv = await startServer({ demo: true }); });
    after(async () => { if (srv) await srv.stop(); });

    const refuse = (action) => sql(srv.db, `create trigger refuse_entry before insert on audit_log when new.action = '${action}' and new.outcome = 'ok' begin select raise(abort, 'refused'); end`);
    const accept = () => sql(srv.db, 'drop trigger refuse_entry');
    const entries = (action, id) => Number(sql(srv.db, `select count(*) from audit_log where action = '${action}' and record_id = '${id}' and outcome = 'ok'`));
    const idOf = (email) => sql(srv.db, `select public_id from users where email = '${email}'`);
    const codesOf = (id) => sql(srv.db, `select code_hash || coalesce(used_at, '') from recovery_codes where user_id = (select id from users where public_id = '${id}') order by id`);

    test('setting a password', async () => {
        const link = linkPath(cli(srv, ['add', 'pat@example.org', '--name', 'Pat', '--role', 'clinician']));
        const id = idOf('pat@example.org');
        refuse('set-password');
        const res = await setPassword(srv, link, 'river-lantern-77-oak');
        accept();
        assert.equal(res.status, 500);
        assert.equal(sql(srv.db, `select count(*) from users where public_id = '${id}' and password_hash is null`), '1', 'no password');
        assert.equal(sql(srv.db, `select count(*) from password_tokens where user_id = (select id from users where public_id = '${id}') and used_at is null`), '1', 'the link still works');
        assert.equal(entries('set-password', id), 0);
        assert.equal((await setPassword(srv, link, 'river-lantern-77-oak')).status, 303);
        assert.equal(entries('set-password', id), 1);
    });

    const codesIn = (body) => [...body.matchAll(/<li><code>([a-z2-9]{5}-[a-z2-9]{5})<\/code><\/li>/g)].map((m) => m[1]);

    /** A new account, signed in, at the page that turns on two-step sign-in. */
    async function atEnrolment(email) {
        const u = await newUser(srv, email, 'clinician');
        const { jar } = await signInPassword(srv, u.email, u.password);
        const page = await get(srv, jar, '/staff/account/totp');
        const secret = page.body.match(/id="totp-secret" class="secret">([A-Z2-7 ]+)</)[1];
        return { u, id: idOf(email), jar, csrf: csrfOf(page.body), code: totp(secret) };
    }

    /** A new account with two-step sign-in on: its recovery codes. */
    async function withTwoStep(email) {
        const a = await atEnrolment(email);
        const on = await post(srv, a.jar, '/staff/account/totp', { csrf: a.csrf, code: a.code });
        assert.equal(on.status, 200);
        return { ...a, codes: codesIn(on.body) };
    }

    test('turning on two-step sign-in', async () => {
        const { id, jar, csrf, code } = await atEnrolment('lee@example.org');
        refuse('enable-2fa');
        const off = await post(srv, jar, '/staff/account/totp', { csrf, code });
        accept();
        assert.equal(off.status, 500);
        assert.equal(sql(srv.db, `select totp_enabled from users where public_id = '${id}'`), '0', 'still off');
        assert.equal(codesOf(id), '', 'no recovery codes');
        assert.equal(entries('enable-2fa', id), 0);
        const on = await post(srv, jar, '/staff/account/totp', { csrf, code });
        assert.equal(on.status, 200);
        assert.equal(codesIn(on.body).length, 10);
        assert.equal(entries('enable-2fa', id), 1);
    });

    test('new recovery codes', async () => {
        const { id, jar } = await withTwoStep('kai@example.org');
        const csrf = csrfOf((await get(srv, jar, '/staff/')).body);
        const before = codesOf(id);
        refuse('regenerate-recovery-codes');
        const kept = await post(srv, jar, '/staff/account/recovery-codes', { csrf });
        accept();
        assert.equal(kept.status, 500);
        assert.equal(codesOf(id), before, 'the old codes, untouched');
        assert.equal(entries('regenerate-recovery-codes', id), 0);
        const fresh = await post(srv, jar, '/staff/account/recovery-codes', { csrf });
        assert.equal(fresh.status, 200);
        assert.notEqual(codesOf(id), before);
        assert.equal(entries('regenerate-recovery-codes', id), 1);
    });

    test('using a recovery code', async () => {
        const { u, id, codes } = await withTwoStep('ash@example.org');
        const unused = codesOf(id);
        refuse('use-recovery-code');
        const { res, jar } = await signInWithCode(srv, u, codes[0]);
        accept();
        assert.equal(res.status, 500);
        assert.equal(codesOf(id), unused, 'the code is not used up');
        assert.equal((await get(srv, jar, '/api/v1/me')).status, 401, 'not signed in');
        assert.equal(entries('use-recovery-code', id), 0);
        const ok = await signInWithCode(srv, u, codes[0]);
        assert.equal(ok.res.headers.location, '/staff/');
        assert.equal(entries('use-recovery-code', id), 1);
    });
});

describe('--demo and a real database', () => {
    test('demo accounts are made only in a database of demo accounts alone', async () => {
        const srv = await startServer({ demo: true });
        try {
            const accts = demoAccounts(srv);
            // Demo accounts alone: a restart with --demo re-keys them (a new password each start).
            const demo2 = await startServer({ demo: true, extraArgs: ['--db', srv.db] });
            let fresh;
            try {
                fresh = demoAccounts(demo2);
                assert.notEqual(fresh.admin.password, accts.admin.password);
            } finally { await demo2.stop(); }
            // A real account: --demo leaves every account alone and says why.
            cli(srv, ['add', 'real.person@example.org', '--name', 'Real Person', '--role', 'admin']);
            const real = await startServer({ demo: true, extraArgs: ['--db', srv.db] });
            try {
                assert.doesNotMatch(real.stderr(), /^demo account:/m);
                assert.match(real.stderr(), /not creating or re-keying the demo staff accounts/);
                const { res } = await signInPassword(real, fresh.admin.email, fresh.admin.password);
                assert.equal(res.status, 303, 'the password is unchanged');
            } finally { await real.stop(); }
        } finally { await srv.stop(); }
    });
});
