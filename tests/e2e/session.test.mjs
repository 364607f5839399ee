// Never lose a clinician's typing (issue 7, point 8), in a real browser on a 390 px phone:
// - a clinician types a consent, the server's session ends (its row deleted: no sleeping), the
//   page hides itself and offers to sign in again in place; after a wrong password and then the
//   right one, the page comes back with every typed value, and sending it records the consent;
// - a form sent after the session ended is held, and goes out once signed in again;
// - with a second factor, the in-place sign-in asks for the code (a recovery code here);
// - the idle warning counts from the last activity: nothing renews the session while nobody
//   is there, typing renews it (once, however many keys) and hides the warning, the warning
//   counts down, and an unattended page ends up signed out. The page's clock is driven with
//   playwright's page.clock; the server's idle clock is moved with the sqlite3 CLI.
// Without JavaScript nothing changes: a form sent after the end leads to the sign-in page.
// Nothing typed is kept in localStorage, sessionStorage, IndexedDB or cookies. Screenshots:
// tests/e2e/screenshots/session-*.png (git-ignored).

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { startServer, assertAlive, REPO_ROOT } from '../helpers/server.mjs';
import { demoAccounts, signIn as httpSignIn, get, post, csrfOf, totp } from '../helpers/staff.mjs';
import { makePatient } from '../helpers/records.mjs';
import { closeContext, watchedPage } from '../helpers/browser.mjs';

const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
const SHOTS = path.join(REPO_ROOT, 'tests', 'e2e', 'screenshots');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const MIN = 60 * 1000;

const CONSENT = {
    discloser: 'Pecan Haven IOP',
    information: 'Attendance, level of care and the medication plan (buprenorphine 8 mg daily).',
    recipient: 'Dr. Lee, primary care',
    purpose: 'Coordination of care after the overdose in March; Dr. Lee prescribes.',
    signature_name: 'Sam Rivera',
};

describe('a session that ends keeps what was typed', { skip: HAVE_CHROMIUM ? false : `Chromium not found at ${CHROMIUM}` }, () => {
    let srv;
    let browser;
    let accounts;
    let patientUrl;

    const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();
    const userWhere = (email) => `user_id = (select id from users where email = '${email}')`;
    const endSessions = (email) => sql(`delete from sessions where ${userWhere(email)}`);
    const idleFor = (email, minutes) => sql(`update sessions set last_seen = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-${minutes} minutes') where ${userWhere(email)}`);
    const lastSeen = (email) => sql(`select last_seen from sessions where ${userWhere(email)}`);

    before(async () => {
        fs.mkdirSync(SHOTS, { recursive: true });
        srv = await startServer({ demo: true });
        accounts = demoAccounts(srv);
        const staff = { admissions: await httpSignIn(srv, 'admissions'), clinician: await httpSignIn(srv, 'clinician') };
        patientUrl = `${srv.origin}/staff/patients/${await makePatient(srv, staff, 'Sam Rivera')}`;
        browser = await chromium.launch({
            executablePath: CHROMIUM,
            args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        });
    });
    after(async () => {
        if (browser) await browser.close();
        if (srv) await srv.stop();
    });

    async function open({ viewport = PHONE, clock = false, js = true } = {}) {
        const context = await browser.newContext({ viewport, javaScriptEnabled: js });
        context.setDefaultTimeout(10_000);
        const b = await watchedPage(context);
        if (clock) await b.page.clock.install();
        // Which requests the page sent, by "METHOD path".
        b.sent = [];
        context.on('request', (r) => b.sent.push(`${r.method()} ${new URL(r.url()).pathname}`));
        return { context, ...b };
    }

    /** No request left the origin; no JS or console error but the expected ones. */
    function assertClean(b, label, expected = []) {
        assertAlive(srv, label);
        const away = b.urls.filter((u) => !u.startsWith(`${srv.origin}/`) && !/^(data|blob|about):/.test(u));
        assert.deepEqual(away, [], `${label}: no request leaves the origin`);
        const errors = b.errors.filter((e) => !expected.some((x) => x.test(e)));
        assert.deepEqual(errors, [], `${label}: no JS or console errors`);
    }

    async function axe(page, label) {
        const r = await new AxeBuilder({ page }).analyze();
        const v = r.violations.map((x) => `${x.id} (${x.impact}): ${x.help} -> ${x.nodes.slice(0, 3).map((nd) => nd.target.join(' ')).join(' | ')}`);
        assert.deepEqual(v, [], `axe violations on ${label}`);
    }

    async function shot(page, name, fullPage = true) {
        await page.screenshot({ path: path.join(SHOTS, `session-${name}.png`), fullPage });
    }

    async function signIn(page, email, password) {
        await page.goto(`${srv.origin}/staff/sign-in`);
        await page.locator('#email').fill(email);
        await page.locator('#password').fill(password);
        await page.locator('#sign-in').click();
        await page.waitForLoadState();
        return new URL(page.url()).pathname;
    }

    async function fillConsent(page) {
        const f = page.locator('#consent-form');
        for (const [id, value] of Object.entries(CONSENT)) await f.locator(`#${id}`).fill(value);
        await f.locator('#expiry-eot').check();
        await f.locator('#revoke_ack').check();
        await f.locator('#signed').check();
    }

    async function assertConsentKept(page) {
        const f = page.locator('#consent-form');
        for (const [id, value] of Object.entries(CONSENT)) {
            assert.equal(await f.locator(`#${id}`).inputValue(), value, `${id} is kept`);
        }
        for (const id of ['expiry-eot', 'revoke_ack', 'signed']) assert.ok(await f.locator(`#${id}`).isChecked(), `${id} stays ticked`);
    }

    /** Nothing typed went into the browser's storage: only the page holds it. */
    async function assertNotStored(b, label) {
        const stored = await b.page.evaluate(async () => ({
            local: Object.keys(localStorage).length,
            session: Object.keys(sessionStorage).length,
            idb: indexedDB.databases ? (await indexedDB.databases()).length : 0,
        }));
        assert.deepEqual(stored, { local: 0, session: 0, idb: 0 }, `${label}: no web storage`);
        const cookies = await b.context.cookies();
        assert.deepEqual(cookies.map((c) => c.name).sort().filter((n) => !['haven_csrf', 'haven_session'].includes(n)), [], `${label}: only the session and CSRF cookies`);
        for (const c of cookies) {
            for (const v of Object.values(CONSENT)) assert.ok(!decodeURIComponent(c.value).includes(v), `${label}: no typed text in a cookie`);
        }
    }

    const consentCount = () => Number(sql(`select count(*) from consents where patient_id = (select id from patients where public_id = '${patientUrl.split('/').pop()}')`));

    test('the session ends while a consent is being typed: sign in again in place, the text is there, it is recorded', { timeout: 90_000 }, async () => {
        const me = accounts.clinician;
        const b = await open({ clock: true });
        const { page } = b;
        assert.equal(await signIn(page, me.email, me.password), '/staff/');
        await page.goto(patientUrl);
        await fillConsent(page);
        await page.locator('#purpose').scrollIntoViewIfNeeded();
        const scrolled = await page.evaluate(() => window.scrollY);
        assert.ok(scrolled > 0, 'the form is further down the page');
        const before = consentCount();

        // The server ends the session (as after 15 idle minutes, or "sign out everywhere"); the
        // page learns it when its own clock says the warning is due and it asks the server.
        endSessions(me.email);
        await page.clock.runFor(14 * MIN);
        const panel = page.locator('#session-ended');
        await panel.waitFor({ state: 'visible' });
        assert.equal(await page.locator('#consent-form').isVisible(), false, 'the page is hidden');
        assert.equal(await page.locator('.staff-nav').isVisible(), false, 'the menu too');
        assert.equal(await page.locator('#resume-held').isVisible(), false, 'nothing was sent');
        assert.equal(await page.locator('#resume-email').inputValue(), me.email);
        assert.equal(await page.evaluate(() => document.activeElement.id), 'resume-password', 'focus on the password');
        assert.match(await page.title(), /Signed out/);
        assert.ok(!b.sent.includes('POST /staff/keep-alive'), 'nothing renewed the session while nobody typed');
        await assertNotStored(b, 'signed out');
        await shot(page, 'ended-phone');

        // A wrong password: the one message of the sign-in page; the page stays hidden.
        await page.locator('#resume-password').fill('not-the-password-at-all');
        await page.locator('#resume-submit').click();
        await page.locator('#resume-error').waitFor({ state: 'visible' });
        assert.match(await page.locator('#resume-error').innerText(), /That e-mail address and password did not work/);
        assert.ok(await panel.isVisible());
        assert.equal(await page.evaluate(() => document.activeElement.id), 'resume-password');
        await shot(page, 'ended-error-phone');

        // The right one: the page is back as it was, with what was typed and where it was.
        await page.locator('#resume-password').fill(me.password);
        await page.locator('#resume-submit').click();
        await panel.waitFor({ state: 'hidden' });
        assert.equal(page.url(), patientUrl, 'the same page, never left');
        assert.ok(await page.locator('#consent-form').isVisible());
        await assertConsentKept(page);
        const back = await page.evaluate(() => window.scrollY);
        assert.ok(Math.abs(back - scrolled) < 5, `scrolled back to where it was (${back}, was ${scrolled})`);
        assert.doesNotMatch(await page.title(), /Signed out/);
        const token = await page.locator('#consent-form input[name="csrf"]').inputValue();
        assert.equal(token, sql(`select csrf from sessions where ${userWhere(me.email)}`), 'the forms carry the new session\'s token');
        await assertNotStored(b, 'signed in again');

        // Sending it records the consent.
        await page.locator('#submit-consent').click();
        await page.waitForURL(new RegExp(`^${patientUrl}`));
        await page.locator('#consents tbody tr[data-consent]').first().waitFor();
        assert.equal(consentCount(), before + 1, 'the consent is recorded');
        assert.match(await page.locator('#consents').innerText(), /Dr\. Lee, primary care/);
        assertClean(b, 'in-place sign-in', [/^401 .*\/api\/v1\/session$/]);
        await closeContext(b.context);
    });

    test('a form sent after the session ended is held, and goes out after signing in again', { timeout: 90_000 }, async () => {
        const me = accounts.clinician;
        const b = await open({ clock: true });
        const { page } = b;
        assert.equal(await signIn(page, me.email, me.password), '/staff/');
        await page.goto(patientUrl);
        await fillConsent(page);
        const before = consentCount();
        // A pause of a minute before sending (a form sent within seconds of the page's last
        // renewal goes straight out); meanwhile the session ends on the server.
        await page.clock.runFor(1 * MIN);
        endSessions(me.email);

        await page.locator('#submit-consent').click();
        await page.locator('#session-ended').waitFor({ state: 'visible' });
        assert.ok(await page.locator('#resume-held').isVisible(), 'the page says the form is held');
        assert.equal(page.url(), patientUrl, 'nothing was sent: the page did not move');
        assert.equal(consentCount(), before);
        await axe(page, 'signed out, a form held (phone)');
        await shot(page, 'held-phone');
        await page.setViewportSize(DESKTOP);
        await shot(page, 'held-desktop');
        await page.setViewportSize(PHONE);

        // With the keyboard: the password field has focus, Enter signs in.
        await page.keyboard.type(me.password);
        const saved = page.waitForResponse((r) => r.url().endsWith('/consents') && r.request().method() === 'POST');
        await page.keyboard.press('Enter');
        assert.equal((await saved).status(), 303, 'the held form went out and was accepted');
        await page.waitForURL(new RegExp(`^${patientUrl}`));
        await page.locator('#consents tbody tr[data-consent]').first().waitFor();
        assert.equal(consentCount(), before + 1, 'the consent is recorded');
        await assertNotStored(b, 'after the held form');
        assertClean(b, 'held form');
        await closeContext(b.context);
    });

    test('several tabs: signing in again in one brings the others back, with their new token', { timeout: 90_000 }, async () => {
        const me = accounts.clinician;
        const a = await open({ clock: true });
        assert.equal(await signIn(a.page, me.email, me.password), '/staff/');
        await a.page.goto(patientUrl);
        await fillConsent(a.page);
        const tabB = await a.context.newPage();
        await tabB.goto(`${srv.origin}/staff/patients`);
        const before = consentCount();

        // Both tabs are signed out when the session ends (the clock is the context's).
        endSessions(me.email);
        await a.page.clock.runFor(14 * MIN);
        await a.page.locator('#session-ended').waitFor({ state: 'visible' });
        await tabB.locator('#session-ended').waitFor({ state: 'visible' });

        // Signing in again in B; back in A, the page returns without a second sign-in.
        await tabB.locator('#resume-password').fill(me.password);
        await tabB.locator('#resume-submit').click();
        await tabB.locator('#session-ended').waitFor({ state: 'detached' });
        const signIns = Number(sql("select count(*) from audit_log where action = 'sign-in' and outcome = 'ok'"));
        await a.page.bringToFront();
        await a.page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
        await a.page.locator('#session-ended').waitFor({ state: 'detached' });
        await assertConsentKept(a.page);
        assert.equal(Number(sql("select count(*) from audit_log where action = 'sign-in' and outcome = 'ok'")), signIns, 'no second sign-in');
        const current = sql(`select csrf from sessions where ${userWhere(me.email)}`);
        assert.equal(await a.page.locator('#consent-form input[name="csrf"]').inputValue(), current, 'A took the session\'s token');

        // In B, sign out and in again (a new session): A's token is old now; a minute later A
        // sends its form, which first takes the new token, and is recorded.
        await tabB.locator('.staff-signout button').click();
        await tabB.waitForURL(/\/staff\/sign-in/);
        assert.equal(await signIn(tabB, me.email, me.password), '/staff/');
        assert.notEqual(sql(`select csrf from sessions where ${userWhere(me.email)}`), current);
        await a.page.clock.runFor(1 * MIN);
        const saved = a.page.waitForResponse((r) => r.url().endsWith('/consents') && r.request().method() === 'POST');
        await a.page.locator('#submit-consent').click();
        assert.equal((await saved).status(), 303, 'sent with the new token and accepted');
        await a.page.waitForURL(new RegExp(`^${patientUrl}`));
        assert.equal(consentCount(), before + 1);
        assertClean(a, 'tabs', [/^403 .*\/staff\/keep-alive$/]); // the old token, refused once
        await closeContext(a.context);
    });

    test('with a second factor, signing in again in place asks for the code', { timeout: 90_000 }, async () => {
        // The auditor turns on two-step sign-in (over HTTP), keeping the recovery codes.
        const me = accounts.auditor;
        const { jar } = await httpSignIn(srv, 'auditor');
        const enrol = await get(srv, jar, '/staff/account/totp');
        const secret = enrol.body.match(/id="totp-secret" class="secret">([A-Z2-7 ]+)</)[1];
        const done = await post(srv, jar, '/staff/account/totp', { csrf: csrfOf(enrol.body), code: totp(secret) });
        const codes = [...done.body.matchAll(/<li><code>([a-z2-9]{5}-[a-z2-9]{5})<\/code><\/li>/g)].map((m) => m[1]);
        assert.equal(codes.length, 10);

        const b = await open({ clock: true });
        const { page } = b;
        assert.equal(await signIn(page, me.email, me.password), '/staff/sign-in/code');
        await page.locator('#code').fill(codes[0]);
        await page.locator('#verify-code').click();
        await page.waitForURL(`${srv.origin}/staff/`);
        await page.goto(`${srv.origin}/staff/audit`);
        await page.locator('#f-record').fill('a1b2c3');
        await page.clock.runFor(1 * MIN);
        endSessions(me.email);

        await page.locator('#audit-apply').click(); // a GET form, sent after the end: held too
        await page.locator('#session-ended').waitFor({ state: 'visible' });
        await page.locator('#resume-password').fill(me.password);
        await page.locator('#resume-submit').click();
        await page.locator('#resume-code').waitFor({ state: 'visible' });
        assert.equal(await page.locator('#resume-password').isVisible(), false);
        assert.equal(await page.evaluate(() => document.activeElement.id), 'resume-code', 'focus on the code');
        await axe(page, 'signed out, the code step (phone)');
        await shot(page, 'code-phone');
        await page.locator('#resume-code').fill('00000-00000');
        await page.locator('#resume-submit').click();
        await page.locator('#resume-error').waitFor({ state: 'visible' });
        assert.match(await page.locator('#resume-error').innerText(), /That code did not work/);
        await page.locator('#resume-code').fill(codes[1]);
        await page.locator('#resume-submit').click();
        await page.waitForURL(/\/staff\/audit\?.*record=a1b2c3/);
        assertClean(b, 'second factor in place', [/^401 .*\/api\/v1\/session\/code$/]);
        await closeContext(b.context);
    });

    test('without JavaScript: as before, a form sent after the end leads to the sign-in page', { timeout: 60_000 }, async () => {
        const me = accounts.clinician;
        const b = await open({ js: false });
        const { page } = b;
        assert.equal(await signIn(page, me.email, me.password), '/staff/');
        await page.goto(patientUrl);
        assert.equal(await page.locator('#session-ended').count(), 0, 'no sign-in panel in the page');
        assert.equal(await page.locator('#idle-warning').isVisible(), false);
        await fillConsent(page);
        idleFor(me.email, 16);
        await page.locator('#submit-consent').click();
        await page.waitForURL(`${srv.origin}/staff/sign-in?expired=1`);
        assert.match(await page.locator('.notice').innerText(), /signed out after 15 minutes without activity/);
        assertClean(b, 'without JavaScript');
        await closeContext(b.context);
    });

    test('the idle warning counts from the last activity, and an unattended page is signed out', { timeout: 90_000 }, async () => {
        const me = accounts.admissions;
        const b = await open({ clock: true });
        const { page } = b;
        assert.equal(await signIn(page, me.email, me.password), '/staff/');
        await page.goto(patientUrl);
        const box = page.locator('#idle-warning');
        const renewals = () => b.sent.filter((s) => s === 'POST /staff/keep-alive').length;

        // 13 minutes with nobody there: no warning yet, and nothing renews the session.
        const seen = lastSeen(me.email);
        await page.clock.runFor(13 * MIN);
        assert.equal(await box.isVisible(), false);
        assert.equal(renewals(), 0, 'no keep-alive while idle');
        assert.equal(lastSeen(me.email), seen, 'the server\'s idle clock did not move');

        // At 14 minutes (the server agrees: its clock is moved back to match), the warning.
        idleFor(me.email, 14);
        await page.clock.runFor(1 * MIN);
        await box.waitFor({ state: 'visible' });
        assert.equal(renewals(), 0, 'asking how long is left renews nothing');
        assert.match(await page.locator('#idle-countdown').innerText(), /^(1:00|0:5\d)$/, 'it says how long is left');
        assert.equal(await page.evaluate(() => document.activeElement.id), 'stay-signed-in');
        await shot(page, 'warning-phone', false); // the warning is fixed at the top of the screen
        await page.setViewportSize(DESKTOP);
        await shot(page, 'warning-desktop', false);
        await page.setViewportSize(PHONE);
        await page.clock.runFor(20 * 1000);
        assert.match(await page.locator('#idle-countdown').innerText(), /^0:[34]\d$/, 'and counts down');

        // Typing is activity: the session is renewed once, however many keys, and the warning goes.
        const idleStamp = lastSeen(me.email);
        await page.locator('#purpose').click();
        await page.keyboard.type('Wants evening groups.');
        await box.waitFor({ state: 'hidden' });
        assert.equal(renewals(), 1, 'one keep-alive for a burst of activity');
        assert.ok(lastSeen(me.email) > idleStamp, 'the server\'s idle clock moved on');
        assert.equal(await page.locator('#purpose').inputValue(), 'Wants evening groups.', 'the typing landed in the field');

        // The next warning comes 14 minutes after that activity, not after the page loaded.
        await page.clock.runFor(13 * MIN);
        assert.equal(await box.isVisible(), false, 'no warning 13 minutes after the activity');
        idleFor(me.email, 14);
        await page.clock.runFor(1 * MIN);
        await box.waitFor({ state: 'visible' });

        // "Stay signed in" renews too.
        await page.locator('#stay-signed-in').click();
        await box.waitFor({ state: 'hidden' });
        assert.equal(renewals(), 2);
        assert.equal(await page.evaluate(() => document.activeElement.id), 'purpose', 'focus back where it was');

        // Nobody comes back: the warning, then the end; the page is hidden, the text kept.
        const before = renewals();
        idleFor(me.email, 14);
        await page.clock.runFor(14 * MIN);
        await box.waitFor({ state: 'visible' });
        idleFor(me.email, 16);
        await page.clock.runFor(1 * MIN);
        await page.locator('#session-ended').waitFor({ state: 'visible' });
        assert.equal(renewals(), before, 'no keep-alive while nobody was there');
        assert.equal(await page.locator('#purpose').inputValue(), 'Wants evening groups.', 'the typed text is still in the page');
        const state = await page.evaluate(() => fetch('/api/v1/session').then((r) => r.json()));
        assert.equal(state.signed_in, false, 'the server ended the session');
        assertClean(b, 'idle warning');
        await closeContext(b.context);
    });
});
