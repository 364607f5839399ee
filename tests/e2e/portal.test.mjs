// Issue 11, the patient portal, in a real browser (Chromium driven by playwright-core), as a
// patient on a 390 px phone and their counsellor on a tablet: the clinician makes an invitation
// on the chart's portal page and the link is read from that page; the patient opens it, chooses
// a username and password and lands on Today. An administrator sets the craving alert level on
// the care settings; the patient checks in with a craving above it and sees the help at once,
// and the alert is on the counsellor's Today and in GET /api/v1/clinical-alerts. A PHQ-9 with
// item 9 = 1 shows the crisis lines (988, 911) on the answer page and raises the urgent alert.
// The patient writes the relapse-prevention plan and sends it; the counsellor approves it; once
// seen, My plan and Help now open with the network off (the service worker's copy, not the
// server: no audit entry is written meanwhile). Back online, a message the counsellor answers
// from the staff inbox, and the answer in the patient's thread. The rest of the portal's pages
// (journal, progress, skills, sign-in) are visited once too, and signing out drops the offline
// copy. Every page is checked with axe-core and for sideways scrolling at its width, with no
// request leaving the origin and no JS or console error. Screenshots:
// tests/e2e/screenshots/portal-*.png (git-ignored).
//
// The server runs in UTC (as tests/integ/portal*.test.mjs do): "today" is the UTC date.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { startServer, assertAlive, REPO_ROOT } from '../helpers/server.mjs';
import { api, demoAccounts, signIn, totp } from '../helpers/staff.mjs';
import { watchedPage, closeContext } from '../helpers/browser.mjs';

const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
const SHOTS = path.join(REPO_ROOT, 'tests', 'e2e', 'screenshots');
const PHONE = { width: 390, height: 844 };
const TABLET = { width: 820, height: 1180 };
const TODAY = new Date().toISOString().slice(0, 10);

const FIRST = 'Noor';
const LAST = 'Halvorsen';
const USERNAME = 'noor.h';
const PASSPHRASE = 'harbour kettle violet 73';
const ALERT_LEVEL = '7';
const CRAVING = '9';
const STEP = 'Walk to the harbour and back';
const PERSON = { name: 'Sam Rivera', phone: '+1 555-010-0199' };
const SUBJECT = 'A hard evening';
const QUESTION = 'Friday was hard. Can we talk about it before group?';
const ANSWER = 'Thank you for telling me. Come at 8:45 on Monday and we will talk first.';

describe('the patient portal on a phone: invitation, check-in, PHQ-9, plan offline, messages', { skip: HAVE_CHROMIUM ? false : `Chromium not found at ${CHROMIUM}` }, () => {
    let srv;
    let browser;
    let accounts;
    let admin;
    let pid;
    let me; // the patient's phone, kept from test to test (signed in once, by the invitation)
    let counsellor; // the clinician's tablet, likewise
    const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();

    before(async () => {
        fs.mkdirSync(SHOTS, { recursive: true });
        srv = await startServer({ demo: true, extraArgs: ['--timezone', 'UTC'] });
        accounts = demoAccounts(srv);
        admin = await signIn(srv, 'admin');
        const p = await api(srv, admin, 'POST', '/api/v1/patients', {
            first_name: FIRST, last_name: LAST, date_of_birth: '1992-07-08', phone: '555-010-0140',
            emergency_name: 'Kin Person', emergency_phone: '555-010-0141', emergency_relationship: 'brother',
            admission_date: TODAY, level: 'iop', counsellor_email: accounts.clinician.email });
        assert.equal(p.status, 201, p.body);
        pid = p.data.id;
        browser = await chromium.launch({
            executablePath: CHROMIUM,
            args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        });
    });
    after(async () => {
        for (const b of [me, counsellor]) if (b) await closeContext(b.context);
        if (browser) await browser.close();
        if (srv) await srv.stop();
    });

    /** A browser of the given size, signed in as a staff role (null: not signed in). */
    async function device(role, viewport) {
        const context = await browser.newContext({ viewport });
        context.setDefaultTimeout(10_000);
        const b = { context, ...(await watchedPage(context)) };
        if (role) {
            await b.page.goto(`${srv.origin}/staff/sign-in`);
            await b.page.locator('#email').fill(accounts[role].email);
            await b.page.locator('#password').fill(accounts[role].password);
            await b.page.locator('#sign-in').click();
            await b.page.waitForURL(`${srv.origin}/staff/`);
        }
        return b;
    }

    /** The page as its user sees it: accessible, within the screen's width, a screenshot. */
    async function check(b, label) {
        const { page } = b;
        const r = await new AxeBuilder({ page }).analyze();
        const v = r.violations.map((x) => `${x.id} (${x.impact}): ${x.help} -> ${x.nodes.slice(0, 3).map((nd) => nd.target.join(' ')).join(' | ')}`);
        assert.deepEqual(v, [], `axe violations on ${label}`);
        const vw = page.viewportSize().width;
        const { w, wide } = await page.evaluate((max) => ({
            w: document.documentElement.scrollWidth,
            wide: [...document.querySelectorAll('body *')]
                .filter((e) => e.getBoundingClientRect().right > max + 1 && ![...e.children].some((c) => c.getBoundingClientRect().right > max + 1))
                .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}`),
        }), vw);
        assert.ok(w <= vw, `${label}: no sideways scrolling at ${vw} px (scrollWidth ${w}; too wide: ${wide.join(', ')})`);
        await page.screenshot({ path: path.join(SHOTS, `portal-${label}.png`), fullPage: true });
    }

    function assertClean(b, label) {
        assertAlive(srv, label);
        const away = b.urls.filter((u) => !u.startsWith(`${srv.origin}/`) && !/^(data|blob|about):/.test(u));
        assert.deepEqual(away, [], `${label}: no request leaves the origin`);
        assert.ok(b.urls.length > 0);
        assert.deepEqual(b.errors, [], `${label}: no JS or console errors`);
    }

    /** The open clinical alerts of the patient, as the counsellor's own session reads them. */
    async function alertsOf(kind) {
        const res = await counsellor.context.request.get(`${srv.origin}/api/v1/clinical-alerts`);
        assert.equal(res.status(), 200, await res.text());
        return (await res.json()).filter((x) => x.patient_id === pid && x.kind === kind);
    }

    /** The counsellor's Today: the alert of this kind for the patient, its text. */
    async function todayAlert(kind) {
        const { page } = counsellor;
        await page.goto(`${srv.origin}/staff/`);
        const li = page.locator(`#clinical-alerts li[data-kind="${kind}"]`).filter({ hasText: `${FIRST} ${LAST}` });
        assert.equal(await li.count(), 1, `one ${kind} alert for ${FIRST} on Today`);
        return li.innerText();
    }

    /** A GET from the patient's page (through the service worker, as a navigation would go):
     *  'ok', or 'failed' when neither the network nor the worker's copy answered. */
    const reach = (url) => me.page.evaluate((u) => fetch(u).then((r) => (r.ok ? 'ok' : `status ${r.status}`), () => 'failed'), url);

    /** The crisis lines as one tap each: call and text 988, call 911. */
    async function assertCrisisLinks(help) {
        for (const href of ['tel:988', 'sms:988', 'tel:911']) {
            assert.equal(await help.locator(`a[href="${href}"]`).count(), 1, href);
        }
    }

    const audited = () => Number(sql(`select count(*) from audit_log where user_email = 'patient:${pid}'`));

    test('the clinician invites from the chart; the patient accepts on the phone and sees Today', { timeout: 60_000 }, async () => {
        counsellor = await device('clinician', TABLET);
        const s = counsellor.page;
        await s.goto(`${srv.origin}/staff/patients/${pid}`);
        await s.locator('#portal-link').click();
        await s.waitForURL(`${srv.origin}/staff/patients/${pid}/portal`);
        assert.match(await s.locator('#access-state').innerText(), new RegExp(`${FIRST} has not set up the portal yet`));
        await s.locator('#invite-button').click();
        await s.locator('#invite-link').waitFor();
        const link = (await s.locator('#invite-link').innerText()).trim();
        assert.match(link, /\/me\/welcome\?token=[0-9a-f]{64}$/);
        assert.equal(await s.locator('#invite-qr svg').count(), 1, 'the QR code beside the link');
        await check(counsellor, 'staff-invite');

        // The link names the configured public address; the phone opens it on this server.
        me = await device(null, PHONE);
        const { page } = me;
        await page.goto(`${srv.origin}${new URL(link).pathname}${new URL(link).search}`);
        assert.match(await page.locator('h1').innerText(), /./);
        assert.match(await page.locator('main').innerText(), new RegExp(`Hello ${FIRST}\\.`));
        await check(me, 'welcome');
        await page.locator('#username').fill(USERNAME);
        await page.locator('#password').fill(PASSPHRASE);
        await page.locator('#confirm').fill(PASSPHRASE);
        await page.locator('#welcome-submit').click();
        await page.waitForURL(`${srv.origin}/me/`);
        assert.equal(await page.locator('h1').innerText(), `Hello, ${FIRST}`);
        assert.ok(await page.locator('#check-in-now').isVisible(), 'not checked in yet today');
        assert.match(await page.locator('#code .portal-code-digits').getAttribute('data-code'), /^\d{6,}$/);
        await check(me, 'today');
        assert.equal(sql(`select a.username from portal_accounts a join patients p on p.id = a.patient_id where p.public_id = '${pid}'`), USERNAME);

        // The chart's portal page now says the access is open, with the username.
        await s.reload();
        assert.match(await s.locator('#access-state').innerText(), new RegExp(`Open since .*Username: ${USERNAME.replace('.', '\\.')}`));
        assertClean(me, 'welcome');
        assertClean(counsellor, 'invite');
    });

    test('a check-in with a craving above the clinic\'s level shows the help and alerts the counsellor', { timeout: 60_000 }, async () => {
        assert.ok(me, 'the patient of the first test');
        // An administrator sets the level on the care settings (there is no default).
        const a = await device('admin', TABLET);
        await a.page.goto(`${srv.origin}/staff/settings/care`);
        await a.page.locator('#portal_craving_alert').fill(ALERT_LEVEL);
        await a.page.locator('#save-care').click();
        await a.page.waitForURL(`${srv.origin}/staff/settings/care?done=1`);
        assert.equal(await a.page.locator('#portal_craving_alert').inputValue(), ALERT_LEVEL);
        await a.page.locator('#care-saved').waitFor();
        await check(a, 'staff-care-settings');
        assertClean(a, 'care settings');
        await closeContext(a.context);
        assert.deepEqual(await alertsOf('checkin-craving'), [], 'no craving alert before the check-in');

        const { page } = me;
        await page.goto(`${srv.origin}/me/`);
        await page.locator('#check-in-now').click();
        await page.waitForURL(`${srv.origin}/me/check-in`);
        await check(me, 'checkin');
        await page.locator(`label[for="craving-${CRAVING}"]`).click();
        await page.locator('#mood input').first().check();
        await page.locator('#sleep input').first().check();
        await page.locator('#used-no').check();
        await page.locator('label[for="confidence-4"]').click();
        await page.locator('#triggers input').first().check();
        await page.locator('#note').fill('Payday. Old friends called.');
        await page.locator('#checkin-submit').click();
        await page.waitForURL(`${srv.origin}/me/check-in/done`);
        const help = page.locator('#help');
        await help.waitFor();
        const text = await help.innerText();
        assert.match(text, /Strong cravings pass/);
        assert.match(text, /your counsellor, will see your check-in/);
        await assertCrisisLinks(help);
        await check(me, 'checkin-help');
        await page.goto(`${srv.origin}/me/`);
        await page.locator('#checked-in').waitFor();

        // The counsellor learns of it: on Today and over the API, as their own patient's.
        const line = await todayAlert('checkin-craving');
        assert.match(line, /your patient/);
        await check(counsellor, 'staff-today-craving');
        const [alert] = await alertsOf('checkin-craving');
        assert.ok(alert, 'the craving alert over the API');
        assert.equal(alert.mine, true);
        assert.equal(sql(`select c.craving from checkins c join patients p on p.id = c.patient_id where p.public_id = '${pid}'`), CRAVING);
        assertClean(me, 'check-in');
        assertClean(counsellor, 'check-in alert');
    });

    test('a PHQ-9 with item 9 = 1 shows 988 and 911 at once and raises the urgent alert', { timeout: 60_000 }, async () => {
        assert.ok(me, 'the patient of the first test');
        const { page } = me;
        await page.goto(`${srv.origin}/me/questionnaires`);
        await page.locator('#q-phq9').waitFor();
        await check(me, 'questionnaires');
        for (let i = 1; i <= 9; i++) await page.locator(`label[for="phq9-item${i}-${i === 9 ? 1 : 0}"]`).click();
        await page.locator('#submit-phq9').click();
        await page.waitForURL(/\/me\/questionnaires\/done\?id=[0-9a-f]{32}$/);
        const id = new URL(page.url()).searchParams.get('id');
        const help = page.locator('#help');
        await help.waitFor();
        assert.equal(await help.getAttribute('role'), 'alert', 'announced at once');
        await assertCrisisLinks(help);
        assert.match(await help.innerText(), /988/);
        assert.match(await help.innerText(), /911/);
        await check(me, 'phq9-crisis');

        const urgent = await alertsOf('phq9-item9');
        assert.equal(urgent.length, 1);
        assert.equal(urgent[0].urgent, true);
        assert.equal(urgent[0].source_id, id);
        assert.match(await todayAlert('phq9-item9'), /Urgent/);
        await check(counsellor, 'staff-today-urgent');
        assert.equal(sql(`select total || ' ' || source from measures where public_id = '${id}'`), '1 portal');
        assertClean(me, 'PHQ-9');
        assertClean(counsellor, 'PHQ-9 alert');
    });

    test('the plan: written and sent, approved by the counsellor, open with the network off', { timeout: 60_000 }, async () => {
        assert.ok(me, 'the patient of the first test');
        const { page, context } = me;
        await page.goto(`${srv.origin}/me/plan`);
        await page.locator('#no-plan').waitFor();
        await check(me, 'plan-none');
        await page.locator('#edit-plan').click();
        await page.waitForURL(`${srv.origin}/me/plan/edit`);
        await page.locator('#warning_signs-1').fill('Skipping meals');
        await page.locator('#high_risk-1').fill('Friday paydays');
        await page.locator('#coping-1').fill(STEP);
        await page.locator('#coping-2').fill('Call Sam');
        await page.locator('#people-1-name').fill(PERSON.name);
        await page.locator('#people-1-phone').fill(PERSON.phone);
        await page.locator('#reasons-1').fill('My daughter');
        await page.locator('#after_lapse-1').fill('Tell my counsellor the same day');
        await check(me, 'plan-edit');
        await page.locator('#send-plan').click();
        await page.waitForURL(`${srv.origin}/me/plan?sent=1`);
        await page.locator('#plan-sent').waitFor();
        await check(me, 'plan-sent');

        // The counsellor reads it and approves it with a comment.
        const s = counsellor.page;
        await s.goto(`${srv.origin}/staff/patients/${pid}/recovery-plan`);
        assert.match(await s.locator('#shown').innerText(), new RegExp(STEP));
        await s.locator('#comment').fill('A strong plan. Keep Sam close on Fridays.');
        await s.locator('#decision-approve').check();
        await check(counsellor, 'staff-plan-review');
        await s.locator('#review-save').click();
        await s.locator('#reviewed').waitFor();
        assert.match(await s.locator('#shown-title').innerText(), /Version 1: approved/i);
        await check(counsellor, 'staff-plan-approved');
        assertClean(counsellor, 'plan review');

        // The patient opens it: approved, and (on their own device) kept for offline use.
        await page.goto(`${srv.origin}/me/plan`);
        await page.locator('#approved').waitFor();
        assert.match(await page.locator('#approved').innerText(), new RegExp(STEP));
        await check(me, 'plan-approved');
        await page.goto(`${srv.origin}/me/help`);
        assert.match(await page.locator('#coping-steps').innerText(), new RegExp(STEP));
        await check(me, 'help');
        // The worker is running and has kept both pages (with what they were given: the plan).
        await page.waitForFunction(async () => {
            if (!navigator.serviceWorker.controller) return false;
            const c = await caches.open('haven-portal-v1');
            return Boolean((await c.match('/me/plan')) && (await c.match('/me/help')));
        }, null, { polling: 100 });

        const before = audited();
        await context.setOffline(true);
        try {
            // A page the worker does not keep cannot be reached: the network is really off.
            assert.equal(await reach('/me/progress'), 'failed');
            await page.goto(`${srv.origin}/me/plan`);
            await page.locator('#approved').waitFor();
            assert.match(await page.locator('#approved').innerText(), new RegExp(STEP));
            await check(me, 'plan-offline');
            await page.goto(`${srv.origin}/me/help`);
            const steps = await page.locator('#coping-steps').innerText();
            assert.match(steps, new RegExp(STEP));
            assert.match(steps, /Call Sam/);
            assert.match(await page.locator('#people-to-call').innerText(), new RegExp(PERSON.name));
            assert.equal(await page.locator('#people-to-call a[href="tel:+15550100199"]').count(), 1);
            await check(me, 'help-offline');
        } finally {
            await context.setOffline(false);
        }
        assert.equal(audited(), before, 'offline: the pages came from the phone, not the server');
        assertClean(me, 'plan');
    });

    test('back online, a message the counsellor answers from the staff inbox', { timeout: 60_000 }, async () => {
        assert.ok(me, 'the patient of the first test');
        const { page } = me;
        await page.goto(`${srv.origin}/me/messages`);
        await page.locator('#no-threads').waitFor();
        await check(me, 'messages-none');
        await page.locator('#new-message').click();
        await page.waitForURL(`${srv.origin}/me/messages/new`);
        await page.locator('#subject').fill(SUBJECT);
        await page.locator('#body').fill(QUESTION);
        await check(me, 'message-new');
        await page.locator('#send').click();
        await page.waitForURL(/\/me\/messages\/[0-9a-f]{32}(\?.*)?(#.*)?$/);
        const thread = new URL(page.url()).pathname.split('/').pop();
        assert.match(await page.locator('#messages').innerText(), new RegExp(QUESTION));
        await check(me, 'message-sent');

        // The counsellor's inbox: the thread, unread; the answer from the thread's page.
        const s = counsellor.page;
        await s.goto(`${srv.origin}/staff/messages`);
        const row = s.locator(`#threads tr[data-thread="${thread}"]`);
        assert.match(await row.innerText(), new RegExp(`${FIRST} ${LAST}[\\s\\S]*${SUBJECT}[\\s\\S]*1 unread`));
        await check(counsellor, 'staff-inbox');
        await row.locator(`a[href="/staff/messages/${thread}"]`).click();
        await s.waitForURL(`${srv.origin}/staff/messages/${thread}`);
        assert.match(await s.locator('#messages').innerText(), new RegExp(QUESTION));
        await s.locator('#body').fill(ANSWER);
        await s.locator('#send').click();
        await s.locator('#sent').waitFor();
        assert.match(await s.locator('#messages').innerText(), new RegExp(ANSWER));
        await check(counsellor, 'staff-thread');
        await s.goto(`${srv.origin}/staff/messages`);
        assert.equal(await s.locator(`#unread-${thread}`).count(), 0, 'read once answered');
        assertClean(counsellor, 'inbox');

        // The patient: one new in the list, then the answer in the thread.
        await page.goto(`${srv.origin}/me/messages`);
        assert.match(await page.locator(`#unread-${thread}`).innerText(), /1 new/);
        await check(me, 'messages');
        await page.locator(`#threads a[href="/me/messages/${thread}"]`).click();
        await page.waitForURL(new RegExp(`/me/messages/${thread}`));
        const answer = page.locator('#messages li.theirs').last();
        assert.match(await answer.innerText(), new RegExp(ANSWER));
        await check(me, 'message-answered');
        assertClean(me, 'messages');
    });

    test('the other portal pages, and signing out drops the offline copy', { timeout: 60_000 }, async () => {
        assert.ok(me, 'the patient of the first test');
        const { page, context } = me;
        for (const [url, label, sel] of [['/me/journal', 'journal', 'main h1'], ['/me/progress', 'progress', 'main h1'],
            ['/me/skills', 'skills', 'main h1']]) {
            await page.goto(`${srv.origin}${url}`);
            await page.locator(sel).waitFor();
            await check(me, label);
        }
        await page.locator('main a[href^="/me/skills/"]').first().click();
        await page.waitForURL(/\/me\/skills\/[0-9a-f]{32}$/);
        await page.locator('#skill-source').waitFor();
        await check(me, 'skill');

        // Sign out: the session ends and the kept plan goes with it.
        await page.locator('#sign-out').click();
        await page.waitForURL(/\/me\/sign-in/);
        await check(me, 'sign-in');
        await page.waitForFunction(async () => {
            const keys = (await caches.keys()).filter((k) => k.startsWith('haven-portal-'));
            for (const k of keys) {
                const c = await caches.open(k);
                if ((await c.match('/me/plan')) || (await c.match('/me/help'))) return false;
            }
            return true;
        }, null, { polling: 100 });
        await context.setOffline(true);
        try {
            assert.equal(await reach('/me/plan'), 'failed', 'nothing kept after signing out');
        } finally {
            await context.setOffline(false);
        }

        // And back in with the username and password chosen at the welcome.
        await page.goto(`${srv.origin}/me/sign-in`);
        await page.locator('#username').fill(USERNAME);
        await page.locator('#password').fill(PASSPHRASE);
        await page.locator('#sign-in').click();
        await page.waitForURL(`${srv.origin}/me/`);
        await page.locator('#checked-in').waitFor();
        assertClean(me, 'sign-in');
    });

    test('two-step sign-in: turned on from the phone, then a recovery code opens the portal', { timeout: 60_000 }, async () => {
        assert.ok(me, 'the patient of the first test');
        const { page } = me;
        await page.goto(`${srv.origin}/me/security`);
        await page.locator('#two-step-secret').waitFor();
        await check(me, 'security');
        // The key as the patient would type it into an app, and the code the app shows.
        const key = (await page.locator('#two-step-secret').innerText()).replace(/\s+/g, '');
        await page.locator('#code').fill(totp(key));
        await page.locator('#password').fill(PASSPHRASE);
        await page.locator('#two-step-on').click();
        await page.locator('#recovery-codes').waitFor();
        await check(me, 'recovery codes');
        const codes = await page.locator('#recovery-codes code').allInnerTexts();
        assert.equal(codes.length, 10);

        await page.locator('#sign-out').click();
        await page.waitForURL(/\/me\/sign-in/);
        await page.locator('#username').fill(USERNAME);
        await page.locator('#password').fill(PASSPHRASE);
        await page.locator('#sign-in').click();
        await page.waitForURL(/\/me\/sign-in\/code/);
        await check(me, 'sign-in code');
        await page.locator('#code').fill('000000');
        await page.locator('#code-submit').click();
        await page.locator('#code-error').waitFor();
        await check(me, 'sign-in code, refused');
        await page.locator('#code').fill(codes[0]);
        await page.locator('#code-submit').click();
        await page.waitForURL(`${srv.origin}/me/`);
        await page.locator('#checked-in').waitFor();
        assertClean(me, 'two-step sign-in');
    });
});
