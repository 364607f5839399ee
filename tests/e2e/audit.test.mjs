// The audit trail for people (issue 7, point 10) in a real browser on a 390 px phone: a list a
// screen showed is one entry naming its records, which a record filter finds ("who saw Lee
// Park's referral"); names beside the ids for an admin, ids only for an auditor; record type and
// action chosen from select lists; with the keyboard, and without JavaScript. axe-core on each
// state (with JavaScript: axe runs in the page); no request leaves the origin; no sideways scrolling. Screenshots:
// tests/e2e/screenshots/audit-*.png (git-ignored), for people to look at.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { startServer, assertAlive, REPO_ROOT } from '../helpers/server.mjs';
import { demoAccounts, signIn as httpSignIn, get as httpGet } from '../helpers/staff.mjs';
import { makeReferral, makePatient } from '../helpers/records.mjs';
import { watchedPage } from '../helpers/browser.mjs';

const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
const SHOTS = path.join(REPO_ROOT, 'tests', 'e2e', 'screenshots');
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

describe('the audit trail for people, in the browser', { skip: HAVE_CHROMIUM ? false : `Chromium not found at ${CHROMIUM}` }, () => {
    let srv;
    let browser;
    let accounts;
    let lee; // the referral whose readers we look for
    let dana; // an admitted patient

    before(async () => {
        fs.mkdirSync(SHOTS, { recursive: true });
        srv = await startServer({ demo: true });
        accounts = demoAccounts(srv);
        const staff = {};
        for (const role of ['admin', 'admissions', 'clinician']) staff[role] = await httpSignIn(srv, role);
        lee = await makeReferral(srv, 'Lee Park');
        await makeReferral(srv, 'Robin Vale');
        dana = await makePatient(srv, staff, 'Dana Frost');
        // The lists people looked at: the queue (twice), the referrals API, the patient list.
        for (const p of ['/staff/queue', '/api/v1/referrals', '/staff/queue']) {
            assert.equal((await httpGet(srv, staff.admissions.jar, p)).status, 200, p);
        }
        assert.equal((await httpGet(srv, staff.clinician.jar, '/staff/patients')).status, 200);
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

    async function open({ viewport = PHONE, js = true } = {}) {
        const context = await browser.newContext({ viewport, javaScriptEnabled: js });
        context.setDefaultTimeout(10_000);
        const { page, urls, errors } = await watchedPage(context);
        return { context, page, urls, errors };
    }

    function assertClean(b, label) {
        assertAlive(srv, label);
        const away = b.urls.filter((u) => !u.startsWith(`${srv.origin}/`) && !/^(data|blob|about):/.test(u));
        assert.deepEqual(away, [], `${label}: no request leaves the origin`);
        assert.deepEqual(b.errors, [], `${label}: no JS or console errors`);
    }

    async function axe(page, label) {
        const r = await new AxeBuilder({ page }).analyze();
        const v = r.violations.map((x) => `${x.id} (${x.impact}): ${x.help} -> ${x.nodes.slice(0, 3).map((nd) => nd.target.join(' ')).join(' | ')}`);
        assert.deepEqual(v, [], `axe violations on ${label}`);
    }

    async function shot(page, name) {
        await page.screenshot({ path: path.join(SHOTS, `audit-${name}.png`), fullPage: true });
    }

    async function noSideScroll(page, label) {
        const vw = page.viewportSize().width;
        const w = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(w <= vw, `${label}: no horizontal scrolling on a ${vw} px screen (scrollWidth ${w})`);
    }

    async function signIn(page, role) {
        await page.goto(`${srv.origin}/staff/sign-in`);
        await page.locator('#email').fill(accounts[role].email);
        await page.locator('#password').fill(accounts[role].password);
        await page.locator('#sign-in').click();
        await page.waitForURL(`${srv.origin}/staff/`);
    }

    /** The texts of a select's options, and the selected one's value. */
    async function choices(page, id) {
        const sel = page.locator(`#${id}`);
        assert.equal(await sel.evaluate((el) => el.tagName), 'SELECT', `#${id} is a select list`);
        return {
            values: await sel.locator('option').evaluateAll((os) => os.map((o) => o.value)),
            selected: await sel.inputValue(),
        };
    }

    test('admin on a phone: who saw Lee Park\'s referral, with names, found by id and action', { timeout: 60_000 }, async () => {
        const b = await open();
        const { page } = b;
        await signIn(page, 'admin');
        await page.goto(`${srv.origin}/staff/audit`);
        await noSideScroll(page, 'audit (phone)');
        await axe(page, 'audit (phone)');
        await shot(page, 'phone');
        // The filters: record type and action are lists of what the trail holds.
        const types = await choices(page, 'f-type');
        assert.ok(['', 'patient', 'referral', 'user'].every((v) => types.values.includes(v)), types.values.join());
        const actions = await choices(page, 'f-action');
        assert.ok(['', 'create', 'list', 'sign-in', 'update'].every((v) => actions.values.includes(v)), actions.values.join());
        assert.equal(actions.selected, '');

        // Lee's id and "list": every list that showed Lee, one row each.
        await page.locator('#f-record').fill(lee);
        await page.locator('#f-action').selectOption('list');
        await page.locator('#audit-apply').click();
        await page.waitForURL(/\/staff\/audit\?.*action=list/);
        assert.equal((await choices(page, 'f-action')).selected, 'list', 'the applied choice stays selected');
        const rows = page.locator('#audit-table tbody tr');
        assert.equal(await rows.count(), 3, 'the queue twice and the referrals API: three lists, three rows');
        const first = rows.first();
        assert.match(await first.innerText(), /admissions@demo\.haven/);
        // Its records: open, Lee marked, names beside the ids.
        const details = first.locator('details.audit-listed');
        assert.equal(await details.getAttribute('open'), '', 'open: it holds the record asked about');
        assert.match(await details.locator('summary').innerText(), /^2 records shown$/);
        const mark = details.locator('mark');
        assert.equal(await mark.count(), 1);
        assert.match(await mark.innerText(), new RegExp(`${lee}\\s+Lee Park`));
        assert.match(await details.innerText(), /Robin Vale/);
        await noSideScroll(page, 'audit filtered (phone)');
        await axe(page, 'audit filtered (phone)');
        await shot(page, 'phone-who-saw-lee');

        // The record's own entries too, when the action is not narrowed: its creation, named.
        await page.locator('#f-action').selectOption('');
        await page.locator('#audit-apply').click();
        await page.waitForURL((u) => !/action=list/.test(u.search));
        const all = await page.locator('#audit-table tbody').innerText();
        assert.match(all, new RegExp(`create\\s+referral ${lee} Lee Park`));
        // The patient list: Dana's name beside her id.
        await page.locator('#f-record').fill(dana);
        await page.locator('#f-type').selectOption('patient');
        await page.locator('#audit-apply').click();
        await page.waitForURL(/type=patient/);
        assert.match(await page.locator('#audit-table tbody').innerText(), /Dana Frost/);
        await noSideScroll(page, 'audit patient (phone)');
        await shot(page, 'phone-patient');
        // The same at 1280 px, for people to look at.
        await page.setViewportSize(DESKTOP);
        await shot(page, 'desktop-patient');
        assertClean(b, 'admin');
        await b.context.close();
    });

    test('auditor on a phone, by keyboard: the same lists, ids without names', { timeout: 60_000 }, async () => {
        const b = await open();
        const { page } = b;
        await signIn(page, 'auditor');
        await page.goto(`${srv.origin}/staff/audit`);
        // Keyboard only: the id typed, the action chosen with the arrow keys, Enter in the id's field.
        await page.locator('#f-record').focus();
        await page.keyboard.type(lee);
        await page.keyboard.press('Tab'); // record type
        assert.equal(await page.evaluate(() => document.activeElement.id), 'f-type');
        await page.keyboard.press('Tab'); // action
        assert.equal(await page.evaluate(() => document.activeElement.id), 'f-action');
        const actions = (await choices(page, 'f-action')).values;
        for (let i = 0; i < actions.indexOf('list'); i++) await page.keyboard.press('ArrowDown');
        assert.equal((await choices(page, 'f-action')).selected, 'list');
        // Back to the id (a select does not submit on Enter; a text field does).
        await page.keyboard.press('Shift+Tab');
        await page.keyboard.press('Shift+Tab');
        assert.equal(await page.evaluate(() => document.activeElement.id), 'f-record');
        await page.keyboard.press('Enter');
        await page.waitForURL(/action=list/);
        const rows = page.locator('#audit-table tbody tr');
        assert.equal(await rows.count(), 3);
        const text = await page.locator('#audit-table').innerText();
        assert.match(text, new RegExp(lee));
        assert.doesNotMatch(text, /Lee Park|Robin Vale|Dana Frost/, 'an auditor sees no patient names');
        // The summary of a list opens with the keyboard too.
        const closed = rows.nth(0).locator('details.audit-listed');
        assert.equal(await closed.getAttribute('open'), '');
        await closed.locator('summary').focus();
        await page.keyboard.press('Enter');
        assert.equal(await closed.getAttribute('open'), null, 'Enter folds it');
        await page.keyboard.press('Enter');
        assert.equal(await closed.getAttribute('open'), '');
        await noSideScroll(page, 'audit (auditor, phone)');
        await axe(page, 'audit (auditor, phone)');
        await shot(page, 'phone-auditor');
        // Staff accounts keep their names for an auditor (the sign-ins of the admissions worker).
        await page.goto(`${srv.origin}/staff/audit?action=sign-in&type=user&user=admissions%40demo.haven`);
        assert.match(await page.locator('#audit-table tbody').innerText(), /Demo Admissions/);
        await page.setViewportSize(DESKTOP);
        await shot(page, 'desktop-auditor-sign-ins');
        // A bad value typed into the address: the form again, the problem at its field.
        await page.setViewportSize(PHONE);
        const res = await page.goto(`${srv.origin}/staff/audit?action=Not%20one&type=patient`);
        assert.equal(res.status(), 422);
        await axe(page, 'audit error (phone)');
        assertClean(b, 'auditor');
        await b.context.close();
    });

    test('without JavaScript: the filters are a plain form; a bad value is named at its field', { timeout: 60_000 }, async () => {
        const b = await open({ js: false });
        const { page } = b;
        await signIn(page, 'admin');
        await page.goto(`${srv.origin}/staff/audit`);
        await page.locator('#f-type').selectOption('referral');
        await page.locator('#f-action').selectOption('create');
        await page.locator('#audit-apply').click();
        await page.waitForURL(/type=referral/);
        const rows = page.locator('#audit-table tbody tr');
        assert.equal(await rows.count(), 3, 'Lee, Robin and Dana asked to be called');
        assert.match(await page.locator('#audit-table tbody').innerText(), /Lee Park/);
        // A hand-typed action the filter refuses: 422, the summary names the field.
        const res = await page.goto(`${srv.origin}/staff/audit?action=Not%20one`);
        assert.equal(res.status(), 422);
        assert.match(await page.locator('.error-summary').innerText(), /Action: lower-case letters/);
        assert.equal(await page.locator('#f-action').getAttribute('aria-invalid'), 'true');
        await noSideScroll(page, 'audit error (phone)');
        await shot(page, 'phone-error');
        assertClean(b, 'no js');
        await b.context.close();
    });
});
