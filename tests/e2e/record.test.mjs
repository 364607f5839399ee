// Issue 10, the clinical record, in a real browser (Chromium driven by playwright-core): six
// patients in a three-days-a-week IOP track attend a three-hour group this morning. A clinician
// on a tablet signs a treatment plan with their password and records the patient's verbal
// acknowledgement (the other five plans are signed over the API); the day is not billable yet
// (documentation-missing); the clinician writes the group note for all six members in one pass
// (the shared part once, a section each with progress on an objective of that member's plan)
// and signs it with their password; the day turns billable for the members (the same figures as
// GET /api/v1/patients/:id/weeks/:week). One member's chart shows the shared part and only their
// own section: no other member's name. A PHQ-9 entered with item 9 = 1 shows the crisis panel
// at once and puts an urgent alert on the clinician's Today. Each page is checked with axe-core,
// at the phone's width without sideways scrolling, with no request leaving the origin.
// Screenshots: tests/e2e/screenshots/record-*.png (git-ignored).
//
// The server runs in a fixed zone in which it is about 14:00 now (as tests/e2e/program.test.mjs
// does), so that a 09:00-12:00 session today is over and may have its attendance taken.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { startServer, assertAlive, REPO_ROOT } from '../helpers/server.mjs';
import { api, demoAccounts, signIn } from '../helpers/staff.mjs';
import { watchedPage, closeContext } from '../helpers/browser.mjs';

const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
const SHOTS = path.join(REPO_ROOT, 'tests', 'e2e', 'screenshots');
const PHONE = { width: 390, height: 844 };
const TABLET = { width: 820, height: 1180 };

const OFFSET = 14 - new Date().getUTCHours();
const ZONE = OFFSET === 0 ? 'Etc/UTC' : `Etc/GMT${OFFSET > 0 ? '-' : '+'}${Math.abs(OFFSET)}`;
const DAY = 86_400_000;
const TODAY = new Date(Date.now() + OFFSET * 3_600_000).toISOString().slice(0, 10);
const addDays = (date, n) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const weekday = (date) => ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
const mondayOf = (date) => addDays(date, 1 - weekday(date));
function isoWeek(date) {
    const thu = addDays(mondayOf(date), 3);
    const jan1 = Date.parse(`${thu.slice(0, 4)}-01-01T00:00:00Z`);
    return `${thu.slice(0, 4)}-W${String(Math.floor((Date.parse(`${thu}T00:00:00Z`) - jan1) / (7 * DAY)) + 1).padStart(2, '0')}`;
}

const NAMES = [['Ada', 'Quenby'], ['Bo', 'Ferreira'], ['Cam', 'Ostrowski'], ['Dee', 'Yamada'], ['Eli', 'Vaughn'], ['Fay', 'Nakamura']];
const PERSON = {
    date_of_birth: '1990-02-03', phone: '555-010-0100', emergency_name: 'Kin Person',
    emergency_phone: '555-010-0101', emergency_relationship: 'sibling', admission_date: addDays(TODAY, -14), level: 'iop',
};
const PLAN = (first) => ({
    problems: [{
        asam_dimension: 5, statement: `${first} drinks after work when stressed.`,
        goals: [{ text: 'I want to get through a work week without drinking.',
            objectives: [{ text: 'Names three triggers and one coping skill for each.', target_date: addDays(TODAY, 30) }] }],
        interventions: [{ text: 'Relapse-prevention group', frequency: '3x/week' }],
    }],
});

describe('the clinical record: a signed plan, a group note for six, billing and a PHQ-9 alert', { skip: HAVE_CHROMIUM ? false : `Chromium not found at ${CHROMIUM}` }, () => {
    let srv;
    let browser;
    let accounts;
    let staff = {};
    const pid = {};
    const planId = {};
    let session;

    const call = (role, method, url, body) => api(srv, staff[role], method, url, body);

    before(async () => {
        fs.mkdirSync(SHOTS, { recursive: true });
        srv = await startServer({ demo: true, extraArgs: ['--timezone', ZONE] });
        accounts = demoAccounts(srv);
        for (const role of ['admin', 'clinician']) staff[role] = await signIn(srv, role);
        // An IOP track three evenings a week (its own sessions never meet this morning's group).
        const slots = [1, 3, 5].map((d) => ({ weekday: d, start: '18:00', end: '19:00', title: 'Evening check-in', kind: 'group' }));
        const t = await call('admin', 'POST', '/api/v1/tracks', {
            code: `rec-${Math.random().toString(36).slice(2, 8)}`, name: 'Record track', level: 'iop', opens: addDays(TODAY, -14), slots });
        assert.equal(t.status, 201, t.body);
        for (const [first, last] of NAMES) {
            const p = await call('admin', 'POST', '/api/v1/patients', { ...PERSON, first_name: first, last_name: last });
            assert.equal(p.status, 201, p.body);
            pid[first] = p.data.id;
            const e = await call('admin', 'POST', `/api/v1/patients/${p.data.id}/enrolments`, { track_id: t.data.id, start: addDays(TODAY, -14) });
            assert.equal(e.status, 201, e.body);
            const d = await call('clinician', 'POST', `/api/v1/patients/${p.data.id}/plans`, PLAN(first));
            assert.equal(d.status, 201, d.body);
            planId[first] = d.data.id;
        }
        // Five plans signed and acknowledged over the API; Ada's is signed in the browser.
        for (const [first] of NAMES.slice(1)) {
            assert.equal((await call('clinician', 'POST', `/api/v1/plans/${planId[first]}/sign`, { password: accounts.clinician.password })).status, 200);
            assert.equal((await call('clinician', 'POST', `/api/v1/plans/${planId[first]}/acknowledge`, { how: 'in-person' })).status, 200);
        }
        // This morning's three-hour group, all six present.
        const s = await call('clinician', 'POST', '/api/v1/sessions', {
            date: TODAY, start: '09:00', end: '12:00', kind: 'group', title: 'Managing triggers',
            patients: NAMES.map(([f]) => pid[f]), staff: [accounts.clinician.email] });
        assert.equal(s.status, 201, s.body);
        session = s.data.id;
        for (const [first] of NAMES) {
            const a = await call('clinician', 'PUT', `/api/v1/sessions/${session}/attendance/${pid[first]}`, { status: 'present' });
            assert.equal(a.status, 200, a.body);
        }
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

    async function device(role, viewport = TABLET) {
        const context = await browser.newContext({ viewport });
        context.setDefaultTimeout(10_000);
        const b = { context, ...(await watchedPage(context)) };
        await b.page.goto(`${srv.origin}/staff/sign-in`);
        await b.page.locator('#email').fill(accounts[role].email);
        await b.page.locator('#password').fill(accounts[role].password);
        await b.page.locator('#sign-in').click();
        await b.page.waitForURL(`${srv.origin}/staff/`);
        return b;
    }

    async function check(b, label) {
        const { page } = b;
        const r = await new AxeBuilder({ page }).analyze();
        const v = r.violations.map((x) => `${x.id} (${x.impact}): ${x.help} -> ${x.nodes.slice(0, 3).map((nd) => nd.target.join(' ')).join(' | ')}`);
        assert.deepEqual(v, [], `axe violations on ${label}`);
        const own = page.viewportSize();
        await page.setViewportSize(PHONE);
        const w = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(w <= PHONE.width, `${label}: no sideways scrolling at 390 px (scrollWidth ${w})`);
        await page.screenshot({ path: path.join(SHOTS, `record-${label}-phone.png`), fullPage: true });
        await page.setViewportSize(own);
        await page.screenshot({ path: path.join(SHOTS, `record-${label}.png`), fullPage: true });
    }

    function assertClean(b, label) {
        assertAlive(srv, label);
        const away = b.urls.filter((u) => !u.startsWith(`${srv.origin}/`) && !/^(data|blob|about):/.test(u));
        assert.deepEqual(away, [], `${label}: no request leaves the origin`);
        assert.deepEqual(b.errors, [], `${label}: no JS or console errors`);
    }

    async function today(first) {
        const res = await call('clinician', 'GET', `/api/v1/patients/${pid[first]}/weeks/${isoWeek(TODAY)}`);
        assert.equal(res.status, 200, res.body);
        return res.data.days.find((d) => d.date === TODAY);
    }

    test('a clinician signs a plan with their password and records the verbal acknowledgement', { timeout: 60_000 }, async () => {
        const b = await device('clinician');
        const { page } = b;
        await page.goto(`${srv.origin}/staff/patients/${pid.Ada}`);
        await page.locator('#plan-link').click();
        await page.waitForURL(new RegExp(`/staff/patients/${pid.Ada}/plans$`));
        await page.goto(`${srv.origin}/staff/plans/${planId.Ada}`);
        await check(b, 'plan-draft');
        await page.locator('#sign-form #password').fill('not my password');
        await page.locator('#sign-plan').click();
        await assert.doesNotReject(page.locator('#password-error').waitFor());
        await page.locator('#sign-form #password').fill(accounts.clinician.password);
        await page.locator('#sign-plan').click();
        await page.locator('#ack-form').waitFor();
        await page.locator('#how-verbal').check();
        await page.locator('#reason').fill('Reviewed by phone; the patient agreed to each goal.');
        await page.locator('#record-ack').click();
        await page.locator('#plan-state').waitFor();
        assert.match(await page.locator('#plan-state').innerText(), /current/i);
        await check(b, 'plan-current');
        assertClean(b, 'plan');
        await closeContext(b.context);
    });

    test('the group note for six, written in one pass and signed, turns the day billable', { timeout: 90_000 }, async () => {
        for (const [first] of NAMES) {
            const d = await today(first);
            assert.equal(d.attended_minutes, 180);
            assert.equal(d.billable, false, `${first}: not billable before the note is signed`);
            assert.ok(d.reasons.includes('documentation-missing'), JSON.stringify(d));
        }
        const b = await device('clinician');
        const { page } = b;
        await page.goto(`${srv.origin}/staff/sessions/${session}/note`);
        await page.locator('#group-note-form').waitFor();
        await page.locator('#b').fill('Trigger mapping; urge surfing practice; role play of refusing an offer.');
        await page.locator('#c').fill('The group mapped personal triggers and practised two coping skills.');
        for (const [first] of NAMES) {
            const p = pid[first];
            await page.locator(`#p-${p}-part-engaged`).check();
            await page.locator(`#p-${p}-response`).fill(`${first} named three triggers and practised urge surfing.`);
            const box = page.locator(`#p-${p}-objectives input[type=checkbox]`).first();
            await box.check();
            const name = await box.getAttribute('name');
            await page.locator(`select[name="${name.replace('obj-', 'prog-')}"]`).selectOption('progressing');
        }
        await check(b, 'group-note');
        await page.locator('#group-note-form #password').fill(accounts.clinician.password);
        await page.locator('#save-sign').click();
        await page.locator('#note-state').waitFor();
        assert.match(await page.locator('#note-state').innerText(), /signed/i);
        await check(b, 'group-note-signed');
        for (const [first] of NAMES) {
            const d = await today(first);
            assert.equal(d.billable, true, `${first}: billable once the note is signed: ${JSON.stringify(d)}`);
        }

        // One member's chart: the shared part and their own section, no other member's name.
        await page.goto(`${srv.origin}/staff/patients/${pid.Cam}/notes`);
        await page.locator(`a[href*="/staff/patients/${pid.Cam}/notes/"]`).first().click();
        const body = await page.locator('main').innerText();
        assert.match(body, /Cam named three triggers/);
        assert.match(body, /The group mapped personal triggers/);
        for (const [first, last] of NAMES.filter(([f]) => f !== 'Cam')) {
            assert.ok(!body.includes(first) && !body.includes(last), `no ${first} ${last} in Cam's record`);
        }
        await check(b, 'member-note');
        assertClean(b, 'note');
        await closeContext(b.context);
    });

    test('a PHQ-9 with item 9 = 1 shows the crisis panel at once and an urgent alert on Today', { timeout: 60_000 }, async () => {
        const b = await device('clinician');
        const { page } = b;
        await page.goto(`${srv.origin}/staff/patients/${pid.Dee}/measures`);
        if (!(await page.locator('#enter-phq9').evaluate((d) => d.open))) await page.locator('#enter-phq9 summary').click();
        for (let i = 1; i <= 9; i++) await page.locator(`#phq9-item${i}-1`).check();
        await page.locator('#enter-phq9 button[type=submit]').click();
        await page.locator('#crisis').waitFor();
        const crisis = await page.locator('main').innerText();
        assert.match(crisis, /988/);
        assert.match(crisis, /911/);
        await check(b, 'phq9-crisis');
        await page.goto(`${srv.origin}/staff/`);
        const alerts = await page.locator('#clinical-alerts').innerText();
        assert.match(alerts, /Dee Yamada/);
        assert.match(alerts, /Urgent/);
        await check(b, 'today-alert');
        assertClean(b, 'measures');
        await closeContext(b.context);
    });
});
