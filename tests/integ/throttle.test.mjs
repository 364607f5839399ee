// The sign-in pause of a client address (issue 8, finding 4): its failures leak away over time
// and nothing else forgets them, so 45 failures, one good sign-in of another account, then
// more failures pause the address (before, 135 failures never did). The good sign-ins here go
// through every path that signs in: the page, the staff frame's in-place sign-in
// (POST /api/v1/session) and the second-factor step with a recovery code. A pause holds against
// the right password and the right code, on the page and in place; it is in the audit trail;
// it lifts after its time, while the failures behind it stay counted; and the count drains one
// failure per leak period. The requests come through a trusted proxy (HAVEN_TRUSTED_PROXY), so
// the address is the one X-Forwarded-For names. HAVEN_THROTTLE_MINUTE=10 makes a minute of the
// throttle 10 seconds (a first pause of 10 s, long enough for the checks that it holds on a
// busy machine; one failure leaked every 5 minutes), so that the test watches a pause lift;
// the leaking is shown by moving the bucket's clock back in the database, as the session tests
// move last_seen.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, request, postForm } from '../helpers/server.mjs';
import { demoAccounts, Jar, csrfOf, get, post, signIn, totp } from '../helpers/staff.mjs';

const GENERIC = /That e-mail address and password did not work/;
const MINUTE = 10; // HAVEN_THROTTLE_MINUTE: seconds in a minute of the throttle
const LEAK = 30 * MINUTE; // one failure leaks out of an address's count every 30 minutes

describe('the sign-in pause of a client address', () => {
    let srv;
    let accts;
    let auditor;
    let recovery; // the billing account's recovery codes (it signs in with a second factor)

    before(async () => {
        process.env.HAVEN_TRUSTED_PROXY = '127.0.0.1'; // the test plays the reverse proxy
        process.env.HAVEN_THROTTLE_MINUTE = String(MINUTE);
        try {
            srv = await startServer({ demo: true });
        } finally {
            delete process.env.HAVEN_TRUSTED_PROXY;
            delete process.env.HAVEN_THROTTLE_MINUTE;
        }
        accts = demoAccounts(srv);
        ({ jar: auditor } = await signIn(srv, 'auditor'));
        const { jar } = await signIn(srv, 'billing');
        const page = await get(srv, jar, '/staff/account/totp');
        const secret = page.body.match(/id="totp-secret" class="secret">([A-Z2-7 ]+)</)[1];
        const done = await post(srv, jar, '/staff/account/totp', { csrf: csrfOf(page.body), code: totp(secret) });
        recovery = [...done.body.matchAll(/<li><code>([a-z2-9]{5}-[a-z2-9]{5})<\/code><\/li>/g)].map((m) => m[1]);
        assert.equal(recovery.length, 10);
    });
    after(async () => { if (srv) await srv.stop(); });

    const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();
    const paused = (addr) => sql(`select count(*) from ip_throttle where ip = '${addr}' and locked_until > strftime('%Y-%m-%dT%H:%M:%SZ', 'now')`) === '1';
    const held = (addr) => Number(sql(`select failed_count from ip_throttle where ip = '${addr}'`));

    /** A browser behind the proxy: every request says it comes from addr. */
    function from(addr) {
        const jar = new Jar();
        const headers = () => ({ 'x-forwarded-for': addr, ...(jar.header() ? { cookie: jar.header() } : {}) });
        return {
            jar,
            get: async (p) => jar.update(await request(srv.origin, 'GET', p, { headers: headers() })),
            post: async (p, fields) => jar.update(await postForm(srv.origin, p, fields, { headers: headers() })),
        };
    }

    /** The sign-in page's password step from addr: { res, b } with b the browser. */
    async function pageSignIn(addr, email, password) {
        const b = from(addr);
        const form = await b.get('/staff/sign-in');
        return { res: await b.post('/staff/sign-in', { csrf: csrfOf(form.body), email, password }), b };
    }

    /** The staff frame's in-place sign-in from addr (JSON). */
    async function inPlaceSignIn(addr, email, password) {
        const b = from(addr);
        const state = JSON.parse((await b.get('/api/v1/session')).body);
        return b.post('/api/v1/session', { csrf: state.csrf, email, password });
    }

    /** Billing's password step from addr; the browser, half signed in, at the code step. */
    async function halfSignedIn(addr) {
        const { res, b } = await pageSignIn(addr, accts.billing.email, accts.billing.password);
        assert.equal(res.status, 303);
        assert.equal(res.headers.location, '/staff/sign-in/code');
        return b;
    }

    async function codeStep(b, code) {
        const form = await b.get('/staff/sign-in/code');
        return b.post('/staff/sign-in/code', { csrf: csrfOf(form.body), code });
    }

    async function fail(addr, i) {
        const { res } = await pageSignIn(addr, `nobody${i}@example.org`, 'not-the-password-at-all');
        assert.equal(res.status, 401);
    }

    async function auditEntries(query) {
        const res = await get(srv, auditor, `/api/v1/audit?${query}`);
        assert.equal(res.status, 200, res.body.slice(0, 300));
        return JSON.parse(res.body).entries;
    }

    test('45 failures, good sign-ins of other accounts (page, in place, second factor), more failures: paused', { timeout: 120_000 }, async () => {
        const addr = '198.51.100.45';
        for (let i = 0; i < 45; i++) await fail(addr, i);
        assert.equal(held(addr), 45);

        // Good sign-ins from the same address, by other accounts, each way there is.
        assert.equal((await pageSignIn(addr, accts.clinician.email, accts.clinician.password)).res.status, 303);
        const inPlace = await inPlaceSignIn(addr, accts.admissions.email, accts.admissions.password);
        assert.equal(inPlace.status, 200);
        assert.equal(JSON.parse(inPlace.body).signed_in, true);
        const done = await codeStep(await halfSignedIn(addr), recovery[0]);
        assert.equal(done.headers.location, '/staff/', 'signed in with a recovery code');
        assert.equal(held(addr), 45, 'no success forgets the address\'s failures');

        // A browser half signed in before the pause, to try the right code during it.
        const waiting = await halfSignedIn(addr);

        // Failures again: the address pauses at its 50th (or a little later, if one has
        // leaked away meanwhile: one every LEAK seconds).
        const started = Date.now();
        let more = 0;
        while (!paused(addr) && more < 45) await fail(addr, 100 + more++);
        assert.ok(paused(addr), `paused after 45 + ${more} failures`);
        const leaked = Math.floor((Date.now() - started) / 1000 / LEAK) + 1;
        assert.ok(more >= 5 && more <= 5 + leaked, `paused at the 50th failure, give or take ${leaked} leaked: ${45 + more}`);

        // The pause holds: the right password of yet another account, on the page and in
        // place, and the right (recovery) code in the session opened before.
        const right = (await pageSignIn(addr, accts.admin.email, accts.admin.password)).res;
        assert.equal(right.status, 401);
        assert.match(right.body, GENERIC);
        assert.equal((await inPlaceSignIn(addr, accts.admin.email, accts.admin.password)).status, 401);
        const code = await codeStep(waiting, recovery[1]);
        assert.equal(code.status, 401);
        assert.match(code.body, GENERIC, 'back to the password');
        assert.equal((await get(srv, waiting.jar, '/api/v1/me')).status, 401, 'not signed in');
        assert.ok(paused(addr), 'refusals while paused count nothing and lift nothing');
        // Another address is not paused.
        assert.equal((await pageSignIn('198.51.100.46', accts.admin.email, accts.admin.password)).res.status, 303);

        // The trail: the pause (once, from that address), and the refusals during it.
        const pauses = (await auditEntries('action=lockout')).filter((e) => e.client === addr);
        assert.equal(pauses.length, 1, JSON.stringify(pauses));
        assert.equal(pauses[0].record_type, 'address');
        assert.equal(pauses[0].outcome, 'ok');
        const refused = (await auditEntries('action=sign-in-paused')).filter((e) => e.client === addr);
        assert.ok(refused.length >= 3 && refused.every((e) => e.outcome === 'denied'), JSON.stringify(refused));
    });

    test('the pause lifts after its time; the failures behind it stay counted, and drain over time', { timeout: 120_000 }, async () => {
        const addr = '198.51.100.60';
        for (let i = 0; i < 50; i++) await fail(addr, i);
        assert.ok(paused(addr), 'paused at 50');

        // Wait for the pause (a minute of the throttle) to lift: the right password is refused
        // until then, uncounted, and taken after.
        const deadline = Date.now() + 60_000;
        let res;
        for (;;) {
            ({ res } = await pageSignIn(addr, accts.clinician.email, accts.clinician.password));
            if (res.status !== 401 || Date.now() > deadline) break;
            await new Promise((r) => setTimeout(r, 250));
        }
        assert.equal(res.status, 303, 'signed in once the pause was over');
        assert.ok(held(addr) >= 49, `the failures are still counted (${held(addr)})`);

        // So the next failure pauses the address again at once (for 2 minutes of the throttle).
        await fail(addr, 50);
        assert.ok(paused(addr), 'one more failure: paused again');
        const until = Number(sql(`select unixepoch(locked_until) - unixepoch('now') from ip_throttle where ip = '${addr}'`));
        assert.ok(until > 0 && until <= 2 * MINUTE, `paused for ${until} s`);
        assert.equal((await auditEntries('action=lockout')).filter((e) => e.client === addr).length, 2);

        // Time passes (the bucket's clock set 5 leak periods back, the pause over): five
        // failures have leaked away, and the next one leaves the count below the threshold.
        const count = held(addr);
        sql(`update ip_throttle set locked_until = null, last_failure = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-${5 * LEAK} seconds') where ip = '${addr}'`);
        await fail(addr, 51);
        assert.equal(held(addr), count - 5 + 1, 'five leaked, one added');
        assert.ok(!paused(addr), 'below the threshold: not paused');
        // A long time: the count is gone, whatever it was.
        sql(`update ip_throttle set last_failure = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-2 days') where ip = '${addr}'`);
        await fail(addr, 52);
        assert.equal(held(addr), 1);
        assert.equal((await pageSignIn(addr, accts.clinician.email, accts.clinician.password)).res.status, 303);
    });
});
