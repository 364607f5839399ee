// The staff workspace in a real browser (Debian's Chromium driven by playwright-core), issue 3:
// two members of the public ask to be called (one with a crisis flag); an admissions worker
// signs in, turns on two-step sign-in, signs in again with password + code, works the crisis
// referral from "new" to "admitted" (a clinician confirms the level at intake), lands on the
// patient page with the assessment and its scores, records and revokes a consent (a page that
// names the patient and asks how they revoked it, issue 7), and prints
// the record with the 42 CFR Part 2 notice. Auditor and admin screens too. Every staff screen
// is checked with axe-core; no request leaves the origin; no console errors; the queue and
// the patient page fit a 390 px phone. Screenshots: tests/e2e/screenshots/staff-*.png
// (git-ignored), for people to look at.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { startServer, countRows, assertAlive, REPO_ROOT } from '../helpers/server.mjs';
import { PROFILES, ITEM_BY_ID, asq } from '../helpers/profiles.mjs';
import { demoAccounts, totp } from '../helpers/staff.mjs';
import { watchedPage } from '../helpers/browser.mjs';

const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
const SHOTS = path.join(REPO_ROOT, 'tests', 'e2e', 'screenshots');
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

// The person admitted: the iop profile (AUDIT 12 of 40, PHQ-9 4 of 27, GAD-7 2 of 21: see
// profiles.mjs) plus a "yes" to ASQ question 2 and "no" to question 5 -> non-acute suicide risk,
// a crisis flag. The other person: the plain iop profile, no flag.
const CRISIS = {
    name: 'Robin Crisis', phone: '555-010-0177',
    answers: { ...PROFILES.iop.answers, ...asq([false, true, false, false], false) },
};
const PLAIN = { name: 'Pat Plain', phone: '555-010-0155', answers: PROFILES.iop.answers };

describe('staff workspace in the browser', { skip: HAVE_CHROMIUM ? false : `Chromium not found at ${CHROMIUM} (apt-get install chromium); e2e tests skipped` }, () => {
    let srv;
    let browser;
    let accounts;
    let staff; // the admissions worker's browser context, kept across the tests below
    let patientUrl;

    before(async () => {
        fs.mkdirSync(SHOTS, { recursive: true });
        srv = await startServer({ demo: true });
        accounts = demoAccounts(srv);
        for (const role of ['admissions', 'clinician', 'auditor', 'admin']) {
            assert.ok(accounts[role], `demo account for ${role} printed on stderr`);
        }
        browser = await chromium.launch({
            executablePath: CHROMIUM,
            args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        });
    });
    after(async () => {
        if (staff) await staff.context.close();
        if (browser) await browser.close();
        if (srv) await srv.stop();
    });

    /**
     * A browser context (desktop unless told) that records every URL it requests and every
     * JS exception, console error (CSP violations show up here) and failed sub-resource.
     */
    async function open({ viewport = DESKTOP, js = true } = {}) {
        const context = await browser.newContext({ viewport, javaScriptEnabled: js });
        context.setDefaultTimeout(10_000);
        const { page, urls, errors } = await watchedPage(context);
        return { context, page, urls, errors };
    }

    /** Every request stayed on the server's origin, and the page logged no error. */
    function assertClean(b, label) {
        assertAlive(srv, label);
        const away = b.urls.filter((u) => !u.startsWith(`${srv.origin}/`) && !/^(data|blob|about):/.test(u));
        assert.deepEqual(away, [], `${label}: no request leaves the origin`);
        assert.ok(b.urls.length > 0);
        assert.deepEqual(b.errors, [], `${label}: no JS or console errors`);
    }

    const visited = new Set();
    async function axe(page, label) {
        const r = await new AxeBuilder({ page }).analyze();
        const v = r.violations.map((x) => `${x.id} (${x.impact}): ${x.help} -> ${x.nodes.slice(0, 3).map((nd) => nd.target.join(' ')).join(' | ')}`);
        assert.deepEqual(v, [], `axe violations on ${label}`);
        visited.add(label);
    }

    async function shot(page, name) {
        await page.screenshot({ path: path.join(SHOTS, `staff-${name}.png`), fullPage: true });
    }

    async function noSideScroll(page, label) {
        const vw = page.viewportSize().width;
        const { w, wide } = await page.evaluate((max) => ({
            w: document.documentElement.scrollWidth,
            // The innermost elements that stick out, to say what to fix.
            wide: [...document.querySelectorAll('body *')]
                .filter((e) => e.getBoundingClientRect().right > max + 1 && ![...e.children].some((c) => c.getBoundingClientRect().right > max + 1))
                .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.className ? `.${String(e.className).split(' ').join('.')}` : ''}`),
        }), vw);
        assert.ok(w <= vw, `${label}: no horizontal scrolling on a ${vw} px screen (scrollWidth ${w}; too wide: ${wide.join(', ')})`);
    }

    /** Sign in with e-mail and password; resolves with the page's path afterwards. */
    async function signIn(page, email, password) {
        await page.goto(`${srv.origin}/staff/sign-in`);
        await page.locator('#email').fill(email);
        await page.locator('#password').fill(password);
        await page.locator('#sign-in').click();
        await page.waitForLoadState();
        return new URL(page.url()).pathname;
    }

    /** Is this element's text drawn in red (the crisis colour)? */
    async function isRed(locator) {
        const c = await locator.evaluate((el) => getComputedStyle(el).color);
        const [r, g, b] = c.match(/\d+/g).map(Number);
        return r >= 120 && r > 2 * g && r > 2 * b;
    }

    /** Answer item ID of the long (no-JS) assessment form. */
    async function answer(page, id, value) {
        const scope = page.locator(`fieldset.item[data-item="${id}"]`);
        if (Array.isArray(value)) {
            for (const v of value) await scope.locator(`input[name="${id}"][value="${v}"]`).check();
            return;
        }
        const radio = scope.locator(`input[name="${id}"][value="${String(value)}"]`);
        if (await radio.count()) {
            await radio.check();
            return;
        }
        const input = scope.locator(`input[name="${id}"]`).first();
        if ((await input.getAttribute('type')) === 'range') {
            await input.evaluate((el, v) => { el.value = v; }, String(value));
        } else {
            await input.fill(String(value));
        }
    }

    async function setCallField(page, name, value) {
        const first = page.locator(`#call-form [name="${name}"]`).first();
        const tag = await first.evaluate((e) => e.tagName.toLowerCase());
        const type = ((await first.getAttribute('type')) || '').toLowerCase();
        if (tag === 'select') await first.selectOption(value);
        else if (type === 'radio') await page.locator(`#call-form input[name="${name}"][value="${value}"]`).check();
        else if (type === 'checkbox') await first.check();
        else await first.fill(value);
    }

    /** A member of the public fills in the assessment (long form, no JS) and asks to be called. */
    async function askToBeCalled(person) {
        const b = await open({ viewport: PHONE, js: false });
        await b.page.goto(`${srv.origin}/assessment`);
        for (const [id, value] of Object.entries(person.answers)) {
            assert.ok(ITEM_BY_ID[id], id);
            await answer(b.page, id, value);
        }
        await b.page.locator('#submit-assessment').click();
        await b.page.waitForURL(`${srv.origin}/assessment/result`);
        await setCallField(b.page, 'name', person.name);
        await setCallField(b.page, 'phone', person.phone);
        await setCallField(b.page, 'best-time', 'morning');
        await setCallField(b.page, 'voicemail', 'yes');
        await setCallField(b.page, 'consent', 'yes');
        await b.page.locator('#submit-call').click();
        await b.page.waitForURL(`${srv.origin}/assessment/thanks`);
        assertClean(b, `call request from ${person.name}`);
        await b.context.close();
    }

    test('two people ask to be called, one with a crisis flag', { timeout: 90_000 }, async () => {
        assert.equal(countRows(srv.db, 'referrals'), 0);
        await askToBeCalled(PLAIN);
        await askToBeCalled(CRISIS);
        assert.equal(countRows(srv.db, 'referrals'), 2);
    });

    test('admissions: sign in, turn on two-step sign-in, sign in again with password and code', { timeout: 90_000 }, async () => {
        const me = accounts.admissions;
        staff = await open();
        const { page } = staff;

        // Anonymous: any staff page leads to the sign-in page.
        await page.goto(`${srv.origin}/staff/queue`);
        assert.equal(new URL(page.url()).pathname, '/staff/sign-in');
        await axe(page, 'sign-in');
        await shot(page, 'sign-in');

        // A wrong password: one message that does not say which part was wrong.
        assert.equal(await signIn(page, me.email, 'not-the-password-at-all'), '/staff/sign-in');
        const err = page.locator('#sign-in-error');
        assert.ok(await err.isVisible(), 'the error is shown');
        assert.doesNotMatch(await err.innerText(), /e-?mail (is )?(wrong|unknown|not found)|password (is )?(wrong|incorrect)/i);
        assert.equal(await page.locator('#email').inputValue(), me.email, 'the e-mail is kept');
        await axe(page, 'sign-in with an error');
        await shot(page, 'sign-in-error');

        assert.equal(await signIn(page, me.email, me.password), '/staff/');
        assert.match(await page.locator('h1').innerText(), /Welcome/);
        await axe(page, 'home');
        await shot(page, 'home');

        // Enrolment: QR code (inline SVG) and the key in text; the app's code turns it on.
        await page.goto(`${srv.origin}/staff/account/totp`);
        assert.ok(await page.locator('.qr-box svg').isVisible(), 'the QR code is shown');
        const secret = (await page.locator('#totp-secret').innerText()).trim();
        assert.match(secret.replace(/\s/g, ''), /^[A-Z2-7]{16,}=*$/, 'a base32 key');
        await axe(page, 'two-step sign-in set-up');
        await shot(page, 'totp-enrol');
        await page.locator('#code').fill(totp(secret));
        await page.locator('#enable-totp').click();
        await page.waitForLoadState();
        const codes = await page.locator('#recovery-codes li').allInnerTexts();
        assert.ok(codes.length >= 5, `recovery codes shown (${codes.length})`);
        assert.equal(new Set(codes).size, codes.length, 'recovery codes differ');
        await axe(page, 'recovery codes');
        await shot(page, 'recovery-codes');
        await page.getByRole('link', { name: /saved them/ }).click();
        await page.waitForURL(`${srv.origin}/staff/`);

        // Sign out, then in again: the password alone is not enough any more.
        await page.locator('.staff-signout button').click();
        await page.waitForURL(/\/staff\/sign-in/);
        await page.goto(`${srv.origin}/staff/queue`);
        assert.equal(new URL(page.url()).pathname, '/staff/sign-in', 'signed out');
        assert.equal(await signIn(page, me.email, me.password), '/staff/sign-in/code');
        await axe(page, 'second factor');
        await shot(page, 'second-factor');
        // A wrong code first, then the app's code. The enrolment used the current 30-second
        // step and a step counts once, so take the next one (accepted: one step of clock drift).
        const now = Date.now() / 1000;
        const near = [-30, 0, 30, 60].map((d) => totp(secret, now + d));
        await page.locator('#code').fill(['000000', '111111', '222222', '333333', '444444'].find((c) => !near.includes(c)));
        await page.locator('#verify-code').click();
        await page.waitForLoadState();
        assert.equal(new URL(page.url()).pathname, '/staff/sign-in/code');
        assert.equal(await page.locator('#code').getAttribute('aria-invalid'), 'true', 'the code is marked wrong');
        await axe(page, 'second factor with an error');
        await page.locator('#code').fill(totp(secret, now + 30));
        await page.locator('#verify-code').click();
        await page.waitForURL(`${srv.origin}/staff/`);
        assert.match(await page.locator('main').innerText(), /Two-step sign-in: on/);
        assertClean(staff, 'sign-in');
    });

    test('queue: the crisis referral first, flagged in red; call, intake, admit', { timeout: 120_000 }, async () => {
        assert.ok(staff, 'signed in');
        const { page } = staff;
        await page.getByRole('navigation', { name: 'Staff' }).getByRole('link', { name: /queue/i }).click();
        await page.waitForURL(`${srv.origin}/staff/queue`);
        const rows = page.locator('#queue tbody tr');
        assert.equal(await rows.count(), 2);
        const first = rows.first();
        assert.match(await first.innerText(), new RegExp(CRISIS.name), 'the crisis referral comes first');
        assert.match(await rows.nth(1).innerText(), new RegExp(PLAIN.name));
        const flag = first.locator('.adm-flag-crisis[data-flag="suicide-risk"]');
        assert.ok(await flag.isVisible(), 'the crisis flag is shown');
        assert.ok(await isRed(flag), 'the crisis flag is red');
        assert.equal(await rows.nth(1).locator('.adm-flag-crisis').count(), 0, 'no crisis flag on the other');
        await axe(page, 'queue');
        await shot(page, 'queue');

        // The referral: flags at the top, the assessment read-only, the call form.
        await first.getByRole('link', { name: CRISIS.name }).click();
        await page.waitForURL(/\/staff\/referrals\/[0-9a-f]+$/);
        const referralUrl = page.url();
        assert.equal(await page.locator('h1').innerText(), CRISIS.name);
        assert.equal(await page.locator('#referral-status').getAttribute('data-status'), 'new');
        assert.ok(await isRed(page.locator('.adm-flags-top .adm-flag-crisis').first()));
        assert.match(await page.locator('#assessment').innerText(), /AUDIT[\s\S]*12 of 40/);
        await axe(page, 'referral (new)');
        await shot(page, 'referral-new');

        // A call that reached the person: the referral is now "contacted".
        await page.locator('#outcome').selectOption('reached');
        await page.locator('#note').fill('Spoke with Robin; safety plan reviewed; wants evening groups.');
        await page.locator('#call-form button[type="submit"]').click();
        await page.waitForURL(referralUrl);
        assert.equal(await page.locator('#referral-status').getAttribute('data-status'), 'contacted');
        assert.match(await page.locator('#call-log').innerText(), /Reached[\s\S]*safety plan reviewed/);
        await axe(page, 'referral (contacted)');

        // Intake: admissions staff see the answers, but a clinician confirms the level.
        await page.locator('#start-intake').click();
        await page.waitForURL(`${referralUrl}/intake`);
        assert.equal(await page.locator('#intake-form').count(), 0, 'no level form for admissions staff');
        assert.ok(await page.locator('#answers').isVisible(), 'the answers are there to go through');
        await axe(page, 'intake (admissions)');
        await shot(page, 'intake-admissions');

        const clin = await open();
        assert.equal(await signIn(clin.page, accounts.clinician.email, accounts.clinician.password), '/staff/');
        await clin.page.goto(`${referralUrl}/intake`);
        assert.ok(await clin.page.locator('#intake-form').isVisible());
        await axe(clin.page, 'intake (clinician)');
        await shot(clin.page, 'intake-clinician');
        await clin.page.locator('#confirmed_level').selectOption('iop');
        await clin.page.locator('#change_reason').fill('Safety plan in place; evening IOP fits work and support.');
        const saved = clin.page.waitForResponse((r) => r.url() === `${referralUrl}/intake` && r.request().method() === 'POST');
        await clin.page.locator('#intake-form button[type="submit"]').click();
        assert.equal((await saved).status(), 303, 'the intake is saved');
        await clin.page.waitForLoadState();
        assert.ok(await clin.page.locator('#intake-form + *, .notice[role="status"]').first().isVisible(), 'the page says the intake was recorded');
        assertClean(clin, 'clinician');
        await clin.context.close();

        await page.goto(referralUrl);
        assert.equal(await page.locator('#referral-status').getAttribute('data-status'), 'intake-scheduled');
        assert.match(await page.locator('.adm-facts').first().innerText(), /Intensive Outpatient/);

        // Admit: demographics, contacts, emergency contact, counsellor, date, level.
        await page.locator('#admit').click();
        await page.waitForURL(`${referralUrl}/admit`);
        await axe(page, 'admit');
        const form = page.locator('#admit-form');
        await form.locator('#first_name').fill('Robin');
        await form.locator('#last_name').fill('Crisis');
        await form.locator('#date_of_birth').fill('1990-06-15');
        await form.locator('#phone').fill(CRISIS.phone);
        await form.locator('#email').fill('robin@example.org');
        await form.locator('#emergency_name').fill('Jordan Crisis');
        await form.locator('#emergency_phone').fill('555-010-0188');
        await form.locator('#emergency_relationship').fill('brother');
        await form.locator('#admission_date').fill('2024-03-04');
        await form.locator('#level').selectOption('iop');
        // A clinician as primary counsellor: the demo clinician.
        const counsellor = form.locator('#counsellor option').filter({ hasText: /clinician/i }).first();
        assert.ok(await counsellor.count(), 'the demo clinician can be chosen as counsellor');
        await form.locator('#counsellor').selectOption(await counsellor.getAttribute('value'));

        // One required field left empty first: the error shows by the field, the input is kept.
        await form.locator('#emergency_relationship').fill('');
        await page.locator('#submit-admit').click();
        await page.waitForLoadState();
        assert.ok(await page.locator('#form-errors').isVisible(), 'the error summary is shown');
        assert.equal(await page.locator('#emergency_relationship').getAttribute('aria-invalid'), 'true');
        assert.equal(await page.locator('#first_name').inputValue(), 'Robin', 'input kept');
        assert.equal(countRows(srv.db, 'patients'), 0, 'nobody admitted yet');
        await axe(page, 'admit with an error');
        await shot(page, 'admit-error');
        await page.locator('#emergency_relationship').fill('brother');
        await page.locator('#submit-admit').click();
        await page.waitForURL(/\/staff\/patients\/[0-9a-f]{32}$/);
        patientUrl = page.url();
        assert.equal(countRows(srv.db, 'patients'), 1);
        assertClean(staff, 'working the referral');
    });

    test('patient page: the assessment with its scores, consent recorded and revoked, printable record', { timeout: 90_000 }, async () => {
        assert.ok(patientUrl, 'admitted');
        const { page } = staff;
        if (page.url() !== patientUrl) await page.goto(patientUrl);
        assert.equal(await page.locator('h1').innerText(), 'Robin Crisis');
        const header = await page.locator('#patient-header').innerText();
        assert.match(header, /Intensive Outpatient/);
        assert.match(header, /active/i);
        const flag = page.locator('.adm-flags-top .adm-flag-crisis[data-flag="suicide-risk"]');
        assert.ok(await flag.isVisible(), 'the crisis flag is in the header');
        assert.ok(await isRed(flag));
        const assessment = page.locator('#assessment');
        assert.ok(await assessment.isVisible());
        const scores = await assessment.locator('table').innerText();
        assert.match(scores, /AUDIT\b[^\n]*\t12 of 40/, 'AUDIT 12 of 40');
        assert.match(scores, /PHQ-9[^\n]*\t4 of 27/, 'PHQ-9 4 of 27');
        assert.match(scores, /GAD-7[^\n]*\t2 of 21/, 'GAD-7 2 of 21');
        assert.match(await assessment.innerText(), /Confirmed at intake: Intensive Outpatient/);
        assert.match(await page.locator('#demographics').innerText(), /Jordan Crisis \(brother\), 555-010-0188/);
        assert.match(await page.locator('#timeline').innerText(), /admit/i);
        assert.match(await page.locator('#part2-notice').innerText(), /42 CFR part 2 prohibits unauthorized use or disclosure of these records\./);
        await axe(page, 'patient');
        await shot(page, 'patient');

        // Record a consent with the elements of 42 CFR 2.31.
        const cf = page.locator('#consent-form');
        await cf.locator('#discloser').fill('Pecan Haven IOP');
        await cf.locator('#information').fill('Attendance and level of care');
        await cf.locator('#recipient').fill('Dr. Lee, primary care');
        await cf.locator('#purpose').fill('Coordination of care');
        await cf.locator('#expiry-eot').check();
        await cf.locator('#revoke_ack').check();
        await cf.locator('#signature_name').fill('Robin Crisis');
        await cf.locator('#signed').check();
        await cf.locator('#submit-consent').click();
        await page.waitForURL(new RegExp(`^${patientUrl}`));
        const consent = page.locator('#consents tbody tr[data-consent]');
        assert.equal(await consent.count(), 1);
        assert.match(await consent.innerText(), /Dr\. Lee, primary care[\s\S]*Active/);
        await axe(page, 'patient with a consent');
        await shot(page, 'patient-consent');

        // Revoking asks first (issue 7): a page naming the patient, how they revoked, a tick.
        await consent.getByRole('link', { name: /Revoke/ }).click();
        await page.waitForURL(/\/consents\/[0-9a-f]{32}\/revoke$/);
        assert.match(await page.locator('h1').innerText(), /Robin Crisis.*Dr\. Lee, primary care/);
        await axe(page, 'revoke a consent');
        await page.locator('#how-in-writing').check();
        await page.locator('#confirm').check();
        await page.locator('#revoke-consent').click();
        await page.waitForURL(new RegExp(`^${patientUrl}`));
        const row = page.locator('#consents tbody tr[data-consent]');
        assert.match(await row.innerText(), /Revoked[\s\S]*in writing/);
        assert.equal(await row.getByRole('link', { name: /Revoke/ }).count(), 0, 'a revoked consent cannot be revoked again');

        // The printable record carries the Part 2 notice.
        await page.locator('#print-link').click();
        await page.waitForURL(`${patientUrl}/print`);
        assert.match(await page.locator('#part2-notice').innerText(), /42 CFR part 2 prohibits unauthorized use or disclosure of these records\./);
        assert.match(await page.locator('#assessment').innerText(), /AUDIT[\s\S]*12 of 40/);
        await axe(page, 'printable record');
        await page.emulateMedia({ media: 'print' });
        assert.ok(await page.locator('#part2-notice').isVisible(), 'the notice is printed');
        assert.ok(await page.locator('.staff-header').isHidden(), 'no workspace chrome on paper');
        await shot(page, 'patient-print');
        await page.emulateMedia({ media: 'screen' });

        // Search: by name and by phone.
        await page.goto(`${srv.origin}/staff/patients`);
        await axe(page, 'patients');
        for (const q of ['crisis', '5550100177']) {
            await page.locator('#q').fill(q);
            await page.getByRole('button', { name: 'Search' }).click();
            await page.waitForURL(/\/staff\/patients\?q=/);
            assert.equal(await page.locator('#patients tbody tr').count(), 1, `search ${q}`);
        }
        await axe(page, 'patients search');
        await shot(page, 'patients-search');
        await page.locator('#q').fill('Nobody');
        await page.getByRole('button', { name: 'Search' }).click();
        await page.waitForURL(/\/staff\/patients\?q=Nobody/);
        assert.ok(await page.locator('#no-patients').isVisible());
        assertClean(staff, 'patient page');
    });

    test('on a 390 px phone: the queue and the patient page fit, no sideways scrolling', { timeout: 60_000 }, async () => {
        assert.ok(patientUrl);
        const { page } = staff;
        await page.setViewportSize(PHONE);
        await page.goto(`${srv.origin}/staff/queue`);
        assert.match(await page.locator('#queue').innerText(), new RegExp(PLAIN.name), 'the open referral');
        await noSideScroll(page, 'queue');
        await axe(page, 'queue (phone)');
        await shot(page, 'queue-phone');
        // The admitted one, with its crisis flag: still red on a phone.
        await page.locator('#status').selectOption('admitted');
        await page.getByRole('button', { name: 'Filter' }).click();
        await page.waitForURL(/status=admitted/);
        const row = page.locator('#queue tbody tr').first();
        assert.match(await row.innerText(), new RegExp(CRISIS.name));
        assert.ok(await isRed(row.locator('.adm-flag-crisis')), 'the crisis flag is red on a phone');
        await noSideScroll(page, 'queue (admitted)');
        await shot(page, 'queue-phone-admitted');
        await page.goto(patientUrl);
        await noSideScroll(page, 'patient');
        await axe(page, 'patient (phone)');
        await shot(page, 'patient-phone');
        await page.setViewportSize(DESKTOP);
        assertClean(staff, 'phone');
    });

    test('auditor: the audit trail shows who opened the patient; admin: the users screen', { timeout: 60_000 }, async () => {
        assert.ok(patientUrl);
        const patientId = patientUrl.split('/').pop();
        const aud = await open();
        assert.equal(await signIn(aud.page, accounts.auditor.email, accounts.auditor.password), '/staff/');
        await aud.page.goto(`${srv.origin}/staff/audit`);
        await axe(aud.page, 'audit');
        await shot(aud.page, 'audit');
        await aud.page.locator('#f-record').fill(patientId);
        await aud.page.locator('#f-action').selectOption('view'); // issue 7: a select list
        await aud.page.locator('#audit-apply').click();
        await aud.page.waitForURL(/\/staff\/audit\?/);
        const entries = aud.page.locator('#audit-table tbody tr');
        assert.ok(await entries.count() >= 1, 'the views of the patient are in the trail');
        assert.match(await entries.first().innerText(), new RegExp(accounts.admissions.email.replace('.', '\\.')));
        await axe(aud.page, 'audit filtered');
        await shot(aud.page, 'audit-filtered');
        await aud.page.setViewportSize(PHONE);
        await noSideScroll(aud.page, 'audit');
        await shot(aud.page, 'audit-phone');
        assertClean(aud, 'auditor');
        await aud.context.close();

        const adm = await open();
        assert.equal(await signIn(adm.page, accounts.admin.email, accounts.admin.password), '/staff/');
        await adm.page.goto(`${srv.origin}/staff/users`);
        assert.match(await adm.page.locator('main').innerText(), new RegExp(accounts.clinician.email.replace('.', '\\.')));
        await axe(adm.page, 'users');
        await shot(adm.page, 'users');
        assertClean(adm, 'admin');
        await adm.context.close();

        for (const s of ['sign-in', 'second factor', 'two-step sign-in set-up', 'recovery codes', 'home', 'queue',
            'referral (new)', 'intake (clinician)', 'admit', 'patients search', 'patient', 'printable record', 'audit', 'users']) {
            assert.ok(visited.has(s), `axe ran on ${s}`);
        }
    });
});
