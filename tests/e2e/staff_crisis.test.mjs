// Issue 7, the staff side, in a real browser on a 390 px phone (Chromium driven by
// playwright-core): an admissions worker's home says a crisis request is waiting and leads to
// it; the crisis referral opens with its clinical summary and the protocol before any form; the
// call is logged as a warm hand-off to 988 and the count goes back to 0; the intake is
// scheduled for a date and time (refused without them); an administrator disabling an account
// and a clinician revoking a consent are each asked first, on a page that names the person and
// the effect, and nothing happens until they confirm. Every page is checked with axe-core, fits
// the phone without sideways scrolling, and asks nothing of another origin. Screenshots:
// tests/e2e/screenshots/crisis-*.png (git-ignored).

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { startServer, assertAlive, REPO_ROOT } from '../helpers/server.mjs';
import { PROFILES } from '../helpers/profiles.mjs';
import { demoAccounts, signIn as httpSignIn, post } from '../helpers/staff.mjs';
import { makeReferral, makePatient, makeConsent } from '../helpers/records.mjs';
import { watchedPage } from '../helpers/browser.mjs';

const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
const SHOTS = path.join(REPO_ROOT, 'tests', 'e2e', 'screenshots');
const PHONE = { width: 390, height: 844 };
const ZONE = 'America/Chicago';

describe('crisis workflow and confirmations on a 390 px phone', { skip: HAVE_CHROMIUM ? false : `Chromium not found at ${CHROMIUM}` }, () => {
    let srv;
    let browser;
    let accounts;
    let crisisId;
    const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();

    before(async () => {
        fs.mkdirSync(SHOTS, { recursive: true });
        srv = await startServer({ demo: true, extraArgs: ['--timezone', ZONE] });
        accounts = demoAccounts(srv);
        await makeReferral(srv, 'Pat Plain', PROFILES.php);
        crisisId = await makeReferral(srv, 'Robin Acute', PROFILES.acute);
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

    /** A phone-sized browser signed in as role. */
    async function phone(role) {
        const context = await browser.newContext({ viewport: PHONE });
        context.setDefaultTimeout(10_000);
        const b = { context, ...(await watchedPage(context)) };
        await b.page.goto(`${srv.origin}/staff/sign-in`);
        await b.page.locator('#email').fill(accounts[role].email);
        await b.page.locator('#password').fill(accounts[role].password);
        await b.page.locator('#sign-in').click();
        await b.page.waitForURL(`${srv.origin}/staff/`);
        return b;
    }

    /** The page as its user sees it: accessible, on the phone's width, nothing off-site. */
    async function check(b, label) {
        const r = await new AxeBuilder({ page: b.page }).analyze();
        const v = r.violations.map((x) => `${x.id} (${x.impact}): ${x.help} -> ${x.nodes.slice(0, 3).map((nd) => nd.target.join(' ')).join(' | ')}`);
        assert.deepEqual(v, [], `axe violations on ${label}`);
        const w = await b.page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(w <= PHONE.width, `${label}: no sideways scrolling (scrollWidth ${w})`);
        await b.page.screenshot({ path: path.join(SHOTS, `crisis-${label}.png`), fullPage: true });
    }

    function assertClean(b, label) {
        assertAlive(srv, label);
        const away = b.urls.filter((u) => !u.startsWith(`${srv.origin}/`) && !/^(data|blob|about):/.test(u));
        assert.deepEqual(away, [], `${label}: no request leaves the origin`);
        assert.deepEqual(b.errors, [], `${label}: no JS or console errors`);
    }

    test('home -> the crisis request -> its protocol first -> a warm hand-off logged', { timeout: 90_000 }, async () => {
        const b = await phone('admissions');
        const { page } = b;
        const crisis = page.locator('#due-crisis');
        assert.match(await crisis.innerText(), /^1 crisis request nobody has reached yet$/);
        assert.equal(await page.locator('.staff-links').count(), 0, 'the menu is not repeated');
        await check(b, 'home');
        await crisis.click();
        await page.waitForURL(/\/staff\/queue\?due=crisis$/);
        const rows = page.locator('#queue tbody tr');
        assert.equal(await rows.count(), 1, 'only the crisis request');
        assert.match(await rows.first().innerText(), /Robin Acute/);
        await check(b, 'queue-crisis');
        await rows.first().getByRole('link', { name: 'Robin Acute' }).click();
        await page.waitForURL(`${srv.origin}/staff/referrals/${crisisId}`);

        // The first thing under the name: the summary, then the protocol; every form after them.
        const first = await page.evaluate(() => {
            const h1 = document.querySelector('main h1');
            let el = h1.nextElementSibling;
            while (el && !el.matches('section, form, dl')) el = el.nextElementSibling;
            return el && el.id;
        });
        assert.equal(first, 'crisis', 'the crisis section comes first');
        const top = async (sel) => (await page.locator(sel).boundingBox()).y;
        assert.ok(await top('#clinical-summary') < await top('#crisis-protocol'));
        for (const form of ['#call-form', '#status-form', '#assign-form']) {
            assert.ok(await top('#crisis-protocol') < await top(form), `the protocol before ${form}`);
        }
        const summary = await page.locator('#clinical-summary').innerText();
        assert.match(summary, /Suicide risk: acute/);
        assert.match(summary, /Are you having thoughts of killing yourself right now\? Yes/);
        const protocol = await page.locator('#crisis-protocol').innerText();
        assert.match(protocol, /Call now/);
        assert.match(protocol, /warm hand-off/i);
        assert.match(protocol, /welfare check/i);
        assert.equal(await page.locator('#crisis-call').getAttribute('href'), 'tel:555-010-0199');
        assert.ok(await page.locator('#crisis-protocol a[href="tel:988"]').isVisible());
        assert.ok(await page.locator('#crisis-protocol a[href="tel:911"]').isVisible());
        await check(b, 'referral');

        // The call: a warm hand-off to 988. The referral is contacted; the home count is 0.
        await page.locator('#outcome').selectOption('handed-to-988');
        await page.locator('#note').fill('Stayed on the line until 988 took over.');
        await page.locator('#call-form button[type="submit"]').click();
        await page.waitForURL(`${srv.origin}/staff/referrals/${crisisId}`);
        assert.equal(await page.locator('#referral-status').getAttribute('data-status'), 'contacted');
        assert.match(await page.locator('#call-log').innerText(), /Reached: handed to 988 \(warm hand-off\)/);
        await page.goto(`${srv.origin}/staff/`);
        assert.match(await page.locator('#due-crisis').innerText(), /^0 crisis requests/);
        assertClean(b, 'crisis');
        await b.context.close();
    });

    test('scheduling the intake asks for its date and time, then shows them on the clinic\'s clock', { timeout: 60_000 }, async () => {
        const b = await phone('admissions');
        const { page } = b;
        await page.goto(`${srv.origin}/staff/referrals/${crisisId}`);
        await page.locator('#to').selectOption('intake-scheduled');
        await page.locator('#status-form button[type="submit"]').click();
        await page.waitForLoadState();
        assert.ok(await page.locator('#form-errors').isVisible(), 'the error summary');
        assert.equal(await page.locator('#intake_date').getAttribute('aria-invalid'), 'true');
        assert.equal(await page.locator('#intake_time').getAttribute('aria-invalid'), 'true');
        assert.equal(sql(`select status from referrals where public_id = '${crisisId}'`), 'contacted', 'nothing written');
        await check(b, 'schedule-error');
        const day = new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date(Date.now() + 3 * 86400_000));
        await page.locator('#to').selectOption('intake-scheduled');
        await page.locator('#intake_date').fill(day);
        await page.locator('#intake_time').fill('10:15');
        await page.locator('#status-form button[type="submit"]').click();
        await page.waitForURL(`${srv.origin}/staff/referrals/${crisisId}`);
        assert.match(await page.locator('#intake-at').innerText(), new RegExp(`^${day} 10:15 C[DS]T$`));
        assertClean(b, 'schedule');
        await b.context.close();
    });

    test('disabling an account asks first, naming the person and the effect', { timeout: 60_000 }, async () => {
        const admin = await httpSignIn(srv, 'admin');
        assert.equal((await post(srv, admin.jar, '/staff/users', { csrf: admin.csrf, email: 'pat.lee@example.org', name: 'Pat Lee', role: 'clinician' })).status, 201);
        const uid = sql("select public_id from users where email = 'pat.lee@example.org'");
        const b = await phone('admin');
        const { page } = b;
        await page.goto(`${srv.origin}/staff/users`);
        await check(b, 'users');
        await page.locator(`tr[data-user="${uid}"]`).getByRole('link', { name: /Disable/ }).click();
        await page.waitForURL(`${srv.origin}/staff/users/${uid}/disable`);
        assert.equal(await page.locator('h1').innerText(), "Disable Pat Lee's account?");
        assert.match(await page.locator('#confirm-effect').innerText(), /Pat Lee is signed out everywhere at once and cannot sign in/);
        assert.equal(await page.locator('label[for="confirm"]').innerText(), "Yes, disable Pat Lee's account");
        await check(b, 'disable-confirm');
        // Not ticked: refused, the page again with the problem, the account untouched.
        const refused = page.waitForResponse((r) => r.url().endsWith(`/staff/users/${uid}/disable`) && r.request().method() === 'POST');
        await page.locator('#confirm-action').click();
        assert.equal((await refused).status(), 422);
        await page.waitForLoadState();
        assert.ok(await page.locator('#confirm-error').isVisible());
        assert.equal(sql(`select disabled from users where public_id = '${uid}'`), '0');
        await check(b, 'disable-refused');
        await page.locator('#confirm').check();
        await page.locator('#confirm-action').click();
        await page.waitForURL(/\/staff\/users\?done=disabled$/);
        assert.equal(sql(`select disabled from users where public_id = '${uid}'`), '1');
        assert.match(await page.locator(`tr[data-user="${uid}"]`).innerText(), /disabled/);
        assertClean(b, 'disable');
        await b.context.close();
    });

    test('revoking a consent asks first, naming the patient, and how they revoked it', { timeout: 60_000 }, async () => {
        const staff = { admissions: await httpSignIn(srv, 'admissions'), clinician: await httpSignIn(srv, 'clinician') };
        const pid = await makePatient(srv, staff, 'Rae Revoke');
        const cid = await makeConsent(srv, staff, pid, 'Rae Revoke');
        const b = await phone('clinician');
        const { page } = b;
        await page.goto(`${srv.origin}/staff/patients/${pid}`);
        await page.locator(`tr[data-consent="${cid}"]`).getByRole('link', { name: /Revoke/ }).click();
        await page.waitForURL(`${srv.origin}/staff/patients/${pid}/consents/${cid}/revoke`);
        assert.equal(await page.locator('h1').innerText(), "Revoke Rae Revoke's consent to disclose to Dr. Lee?");
        assert.match(await page.locator('#revoke-effect').innerText(), /nothing may be disclosed to Dr\. Lee under this consent/);
        assert.equal(await page.locator('label[for="confirm"]').innerText(), "Yes, revoke Rae Revoke's consent to disclose to Dr. Lee");
        await check(b, 'revoke-confirm');
        await page.locator('#revoke-consent').click();
        await page.waitForLoadState();
        assert.ok(await page.locator('#how-error').isVisible(), 'how is asked');
        assert.ok(await page.locator('#confirm-error').isVisible(), 'the tick is asked');
        assert.equal(sql(`select coalesce(revoked_at, '-') from consents where public_id = '${cid}'`), '-');
        await check(b, 'revoke-refused');
        await page.locator('#how-verbally').check();
        await page.locator('#confirm').check();
        await page.locator('#revoke-consent').click();
        await page.waitForURL(`${srv.origin}/staff/patients/${pid}#consents`);
        assert.match(await page.locator(`tr[data-consent="${cid}"]`).innerText(), /Revoked .* C[DS]T by Demo Clinician, verbally/);
        assert.match(await page.locator('#timeline').innerText(), /Consent to disclose to Dr\. Lee revoked \(verbally\)/);
        await check(b, 'chart-revoked');
        assertClean(b, 'revoke');
        await b.context.close();
    });

    test('a staff form sent with problems lands on its error summary, focused and in view', { timeout: 60_000 }, async () => {
        const staff = { admissions: await httpSignIn(srv, 'admissions'), clinician: await httpSignIn(srv, 'clinician') };
        const pid = await makePatient(srv, staff, 'Focus Person');
        const b = await phone('clinician');
        const { page } = b;
        await page.goto(`${srv.origin}/staff/patients/${pid}`);
        await page.locator('#consent-form button[type=submit]').click();
        await page.waitForLoadState();
        const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
        assert.equal(focused, 'form-errors', 'focus is on the consent form\'s error summary');
        const where = await page.evaluate(() => {
            const r = document.getElementById('form-errors').getBoundingClientRect();
            return { top: r.top, height: window.innerHeight, y: window.scrollY, url: location.href };
        });
        assert.ok(where.top >= 0 && where.top < where.height,
                  `the summary is on screen, not far below: ${JSON.stringify(where)}`);
        await check(b, 'consent-errors');
        assertClean(b, 'consent errors');
        await b.context.close();
    });
});
