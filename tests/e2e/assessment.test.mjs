// The assessment in a real browser (Debian's Chromium driven by playwright-core), on a phone-
// sized viewport: with JavaScript (one section at a time, live skip logic, back and forth),
// without JavaScript (the long form), the crisis panel, the "call me" form, accessibility
// (axe-core), no request leaving the origin, and full-page screenshots for people to look at
// (tests/e2e/screenshots/, git-ignored).

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { startServer, countRows, assertAlive, REPO_ROOT } from '../helpers/server.mjs';
import { PROFILES, ITEM_BY_ID, SUBSTANCES, audit, ASSIST_NONE } from '../helpers/profiles.mjs';
import { watchedPage } from '../helpers/browser.mjs';

const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
const SHOTS = path.join(REPO_ROOT, 'tests', 'e2e', 'screenshots');
const VIEWPORT = { width: 360, height: 800 };

// Profiles walked in the browser. Every asked item is answered (a JS section may ask for its
// items before Next); skipped items are left out, as a person would see them.
const n = null;
const WALK_IOP = PROFILES.iop; // AUDIT 12 + weekly counselling not enough -> iop
// Acute ASQ with AUDIT "never" and no drugs: still emergency (D3 = 4), spec §5.
const WALK_ACUTE = {
    answers: { ...PROFILES.acute.answers, ...audit([0, n, n, n, n, n, n, n, 0, 0]), ...ASSIST_NONE },
    level: 'emergency',
};

describe('assessment in the browser', { skip: HAVE_CHROMIUM ? false : `Chromium not found at ${CHROMIUM} (apt-get install chromium); e2e tests skipped` }, () => {
    let srv;
    let browser;

    before(async () => {
        fs.mkdirSync(SHOTS, { recursive: true });
        srv = await startServer();
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

    /**
     * A phone-sized context that records every URL it requests. js: true, false (JavaScript
     * off: the real no-JS browser), or 'blocked' (JavaScript on but the page's scripts are not
     * loaded: the no-JS page, in a context where axe-core can still run).
     */
    async function phone({ js = true } = {}) {
        const context = await browser.newContext({
            viewport: VIEWPORT, isMobile: true, hasTouch: true, javaScriptEnabled: js !== false,
        });
        context.setDefaultTimeout(10_000);
        if (js === 'blocked') {
            await context.route('**/*', (route) => (route.request().resourceType() === 'script' ? route.abort() : route.continue()));
        }
        const { page, urls, errors } = await watchedPage(context);
        return { context, page, urls, errors };
    }

    /** Every request stayed on the server's origin (data:/blob:/about: never leave the machine). */
    function assertSameOrigin(urls) {
        assertAlive(srv);
        const away = urls.filter((u) => !u.startsWith(`${srv.origin}/`) && !/^(data|blob|about):/.test(u));
        assert.deepEqual(away, [], 'no request leaves the origin');
        assert.ok(urls.length > 0);
    }

    async function axe(page, label) {
        const r = await new AxeBuilder({ page }).analyze();
        const v = r.violations.map((x) => `${x.id} (${x.impact}): ${x.help} -> ${x.nodes.slice(0, 3).map((nd) => nd.target.join(' ')).join(' | ')}`);
        assert.deepEqual(v, [], `axe violations on ${label}`);
    }

    async function shot(page, name) {
        await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
    }

    async function noSideScroll(page, label) {
        const w = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(w <= VIEWPORT.width, `${label}: no horizontal scrolling on a 360 px screen (scrollWidth ${w})`);
    }

    /** Answer item ID inside `scope` with VALUE (radio, checkbox group, number or range). */
    async function answer(scope, id, value) {
        if (Array.isArray(value)) {
            for (const v of value) await scope.locator(`input[name="${id}"][value="${v}"]`).check();
            // An empty list is answered with "None of these" (issue 7: Next asks about a list
            // left untouched).
            const none = scope.locator(`input[name="none"][value="${id}"]`);
            if (!value.length && await none.count()) await none.check();
            return;
        }
        const radio = scope.locator(`input[name="${id}"][value="${String(value)}"]`);
        if (await radio.count()) {
            await radio.check();
            return;
        }
        const input = scope.locator(`input[name="${id}"]`).first();
        const type = await input.getAttribute('type');
        if (type === 'range') {
            await input.evaluate((el, v) => {
                el.value = v;
                el.dispatchEvent(new Event('input', { bubbles: true }));
                el.dispatchEvent(new Event('change', { bubbles: true }));
            }, String(value));
        } else {
            await input.fill(String(value));
        }
    }

    async function isAnswered(scope, id, value) {
        if (Array.isArray(value)) {
            for (const v of value) if (!(await scope.locator(`input[name="${id}"][value="${v}"]`).isChecked())) return false;
            return true;
        }
        const radio = scope.locator(`input[name="${id}"][value="${String(value)}"]`);
        if (await radio.count()) return radio.isChecked();
        return (await scope.locator(`input[name="${id}"]`).first().inputValue()) === String(value);
    }

    const item = (page, id) => page.locator(`fieldset.item[data-item="${id}"]`);
    const visibleSection = (page) => page.locator('fieldset.section:visible');

    /**
     * With JS: answer the visible items of each section, then Next (or the visible submit on
     * the last one) until the result page. hooks.before(sid, section) runs before answering,
     * hooks.after(sid, section) after; back-and-forth is checked once, on the second section.
     * Returns the ids of the sections walked.
     */
    async function walk(page, answers, hooks = {}) {
        const walked = [];
        const answeredIn = new Map(); // sid -> [ids]
        for (let step = 0; step < 40; step++) {
            if (await page.locator('section#recommendation').count()) return walked;
            const sec = visibleSection(page);
            assert.equal(await sec.count(), 1, 'exactly one section is shown at a time');
            const sid = await sec.getAttribute('data-section');
            assert.ok(!walked.includes(sid), `section ${sid} comes once`);
            walked.push(sid);
            assert.ok(await page.locator('#progress').isVisible(), '#progress is shown');
            if (hooks.before) await hooks.before(sid, sec);
            const ids = await sec.locator('fieldset.item').evaluateAll((els) => els.map((e) => e.dataset.item));
            const done = [];
            for (const id of ids) {
                if (!(id in answers)) continue;
                const it = sec.locator(`fieldset.item[data-item="${id}"]`);
                if (!(await it.isVisible())) continue;
                await answer(it, id, answers[id]);
                done.push(id);
            }
            answeredIn.set(sid, done);
            if (hooks.after) await hooks.after(sid, sec);

            if (step === 1) {
                // Back to the first section: its answers are still there; then forward again.
                await page.locator('.back:visible').first().click();
                const first = walked[0];
                await page.locator(`fieldset.section[data-section="${first}"]`).waitFor({ state: 'visible' });
                for (const id of answeredIn.get(first)) {
                    assert.ok(await isAnswered(item(page, id), id, answers[id]), `back: ${id} still answered`);
                }
                await page.locator('.next:visible').first().click();
                await page.locator(`fieldset.section[data-section="${sid}"]`).waitFor({ state: 'visible' });
                for (const id of done) {
                    assert.ok(await isAnswered(item(page, id), id, answers[id]), `forward again: ${id} still answered`);
                }
            }

            const submit = page.locator('#submit-assessment');
            const target = (await submit.isVisible()) ? submit : page.locator('.next:visible').first();
            await target.click();
            try {
                await page.locator('section#recommendation')
                    .or(page.locator(`fieldset.section:visible:not([data-section="${sid}"])`))
                    .first().waitFor({ state: 'visible' });
            } catch (e) {
                assertAlive(srv, `after leaving section ${sid}`);
                throw e;
            }
        }
        throw new Error('the walk did not reach the result page');
    }

    /** Fill the call form field NAME (text input, select, radios or a checkbox). */
    async function setCallField(page, name, value) {
        const first = page.locator(`#call-form [name="${name}"]`).first();
        const tag = await first.evaluate((e) => e.tagName.toLowerCase());
        const type = ((await first.getAttribute('type')) || '').toLowerCase();
        if (tag === 'select') await first.selectOption(value);
        else if (type === 'radio') await page.locator(`#call-form input[name="${name}"][value="${value}"]`).check();
        else if (type === 'checkbox') await first.check();
        else await first.fill(value);
    }

    test('home page: start link, accessible, fits a phone', { timeout: 60_000 }, async () => {
        const { context, page, urls, errors } = await phone();
        await page.goto(`${srv.origin}/`);
        assert.ok(await page.locator('#start-assessment').isVisible());
        await noSideScroll(page, 'home');
        await axe(page, '/');
        await shot(page, 'home');
        await page.locator('#start-assessment').click();
        await page.waitForURL(`${srv.origin}/assessment`);
        assertSameOrigin(urls);
        assert.deepEqual(errors, [], 'no JS errors');
        await context.close();
    });

    test('with JS: sections one at a time, skip logic, back and forth, result iop, call me', { timeout: 120_000 }, async () => {
        const { context, page, urls, errors } = await phone();
        await page.goto(`${srv.origin}/assessment`);
        assert.ok(await page.locator('form#assessment-form').isVisible());
        assert.ok(await page.locator('#quick-exit').isVisible(), 'quick exit visible');
        await noSideScroll(page, '/assessment');
        await axe(page, '/assessment (JS, first section)');
        await shot(page, 'assessment-js-first-section');

        let sawAudit = false;
        let sawAsq = false;
        let sawAssist = false;
        const hooks = {
            before: async (sid, sec) => {
                if (await sec.locator('fieldset.item[data-item="audit-1"]').count()) {
                    sawAudit = true;
                    // audit-1 = 0: items 2-8 are not asked; 9 and 10 still are.
                    await answer(item(page, 'audit-1'), 'audit-1', 0);
                    for (let k = 2; k <= 8; k++) assert.ok(await item(page, `audit-${k}`).isHidden(), `audit-${k} hidden when audit-1 = 0`);
                    for (const k of [9, 10]) {
                        if (await sec.locator(`fieldset.item[data-item="audit-${k}"]`).count()) {
                            assert.ok(await item(page, `audit-${k}`).isVisible(), `audit-${k} still asked`);
                        }
                    }
                    await shot(page, 'assessment-js-audit-skip');
                    // audit-1 = 2, audit-2 = 0, audit-3 = 0: 2 and 3 asked, 4-8 not.
                    await answer(item(page, 'audit-1'), 'audit-1', 2);
                    if (await sec.locator('fieldset.item[data-item="audit-2"]').count()) {
                        assert.ok(await item(page, 'audit-2').isVisible(), 'audit-2 asked when audit-1 != 0');
                        await answer(item(page, 'audit-2'), 'audit-2', 0);
                        await answer(item(page, 'audit-3'), 'audit-3', 0);
                        for (let k = 4; k <= 8; k++) assert.ok(await item(page, `audit-${k}`).isHidden(), `audit-${k} hidden when audit-2 = audit-3 = 0`);
                    }
                }
                if (await sec.locator('fieldset.item[data-item="asq-1"]').count()) {
                    sawAsq = true;
                    assert.ok(await item(page, 'asq-5').isHidden(), 'asq-5 hidden before any yes');
                    await answer(item(page, 'asq-2'), 'asq-2', true);
                    assert.ok(await item(page, 'asq-5').isVisible(), 'asq-5 asked after a yes');
                    await answer(item(page, 'asq-2'), 'asq-2', false);
                    assert.ok(await item(page, 'asq-5').isHidden(), 'asq-5 hidden again after changing to no');
                }
            },
            after: async (sid, sec) => {
                if (await sec.locator('fieldset.item[data-item="assist-1-cannabis"]').count()) {
                    sawAssist = true;
                    for (const s of SUBSTANCES) {
                        if (!(await sec.locator(`fieldset.item[data-item="assist-1-${s}"]`).count())) continue;
                        assert.ok(await item(page, `assist-2-${s}`).isHidden(), `assist-2-${s} hidden when never used`);
                    }
                    if (await sec.locator('fieldset.item[data-item="assist-8"]').count()) {
                        assert.ok(await item(page, 'assist-8').isHidden(), 'assist-8 hidden when no drug was used');
                    }
                }
            },
        };
        const walked = await walk(page, WALK_IOP.answers, hooks);
        assert.ok(walked.length >= 2, `several sections (${walked.join(', ')})`);
        assert.ok(sawAudit && sawAsq && sawAssist, 'AUDIT, ASSIST and ASQ sections were walked');

        await page.waitForURL(`${srv.origin}/assessment/result`);
        const rec = page.locator('section#recommendation');
        assert.equal(await rec.getAttribute('data-level'), 'iop');
        assert.equal(await page.locator('#crisis-acute').count(), 0, 'no acute crisis panel');
        assert.ok(await page.locator('#quick-exit').isVisible());
        await noSideScroll(page, 'result');
        await axe(page, 'result page');
        await shot(page, 'result-iop-js');

        // Ask us to call you: a field error first, then a valid request.
        assert.equal(countRows(srv.db, 'referrals'), 0, 'nothing stored before the call form');
        await setCallField(page, 'name', 'Alex Doe');
        await setCallField(page, 'phone', 'not a phone');
        await setCallField(page, 'best-time', 'morning');
        await setCallField(page, 'voicemail', 'yes');
        await setCallField(page, 'consent', 'yes');
        // Browser-side validation may stop a bad phone; submit the form past it to see the server's answer.
        await page.locator('#call-form').evaluate((f) => { f.noValidate = true; });
        const callResp = page.waitForResponse((r) => r.url() === `${srv.origin}/assessment/call`);
        await page.locator('#submit-call').click();
        assert.equal((await callResp).status(), 422, 'a bad phone is refused by the server');
        await page.waitForLoadState();
        assert.equal(await page.locator('section#recommendation').getAttribute('data-level'), 'iop', 'result shown again');
        assert.equal(await page.locator('#call-form [name="name"]').first().inputValue(), 'Alex Doe', 'name kept');
        await shot(page, 'result-call-error');
        await axe(page, 'result page with a call-form error');
        assert.equal(countRows(srv.db, 'referrals'), 0);

        await setCallField(page, 'phone', '555-010-0142');
        await setCallField(page, 'best-time', 'morning');
        await setCallField(page, 'voicemail', 'yes');
        if (!(await page.locator('#call-form input[name="consent"]').first().isChecked())) await setCallField(page, 'consent', 'yes');
        await page.locator('#submit-call').click();
        await page.waitForURL(`${srv.origin}/assessment/thanks`);
        assert.equal(countRows(srv.db, 'referrals'), 1);
        await noSideScroll(page, 'thanks');
        await axe(page, 'thanks page');
        await shot(page, 'thanks');

        assertSameOrigin(urls);
        assert.deepEqual(errors, [], 'no JS errors');
        await context.close();
    });

    test('without JS: the long form, submit, same level', { timeout: 90_000 }, async () => {
        const { context, page, urls, errors } = await phone({ js: false });
        await page.goto(`${srv.origin}/assessment`);
        const sections = page.locator('fieldset.section');
        const total = await sections.count();
        assert.ok(total >= 2);
        assert.equal(await page.locator('fieldset.section:visible').count(), total, 'every section is shown without JS');
        assert.ok(await page.locator('#submit-assessment').isVisible(), 'the submit button is shown without JS');
        for (const [id, value] of Object.entries(WALK_IOP.answers)) {
            assert.ok(ITEM_BY_ID[id], id);
            await answer(item(page, id), id, value);
        }
        await noSideScroll(page, '/assessment (no JS)');
        await shot(page, 'assessment-nojs-filled');
        await page.locator('#submit-assessment').click();
        await page.waitForURL(`${srv.origin}/assessment/result`);
        assert.equal(await page.locator('section#recommendation').getAttribute('data-level'), WALK_IOP.expect.level);
        await noSideScroll(page, 'result (no JS)');
        await shot(page, 'result-iop-nojs');
        assertSameOrigin(urls);
        assert.deepEqual(errors, []);
        await context.close();

        // axe-core cannot run with JavaScript off: check the no-JS form with the page's own
        // scripts blocked instead (same DOM as without JS).
        const blocked = await phone({ js: 'blocked' });
        await blocked.page.goto(`${srv.origin}/assessment`);
        assert.equal(await blocked.page.locator('fieldset.section:visible').count(), total);
        await axe(blocked.page, '/assessment (no JS)');
        assertSameOrigin(blocked.urls);
        await blocked.context.close();
    });

    test('acute ASQ: the crisis panel is visible and above the recommendation', { timeout: 120_000 }, async () => {
        const { context, page, urls, errors } = await phone();
        await page.goto(`${srv.origin}/assessment`);
        await walk(page, WALK_ACUTE.answers);
        await page.waitForURL(`${srv.origin}/assessment/result`);
        const rec = page.locator('section#recommendation');
        assert.equal(await rec.getAttribute('data-level'), WALK_ACUTE.level);
        const crisis = page.locator('#crisis-acute');
        assert.ok(await crisis.isVisible(), '#crisis-acute visible');
        const cb = await crisis.boundingBox();
        const rb = await rec.boundingBox();
        assert.ok(cb.y < rb.y, `crisis panel (y ${cb.y}) above the recommendation (y ${rb.y})`);
        assert.ok(cb.y < VIEWPORT.height, 'crisis panel starts on the first screen');
        const text = await crisis.innerText();
        assert.match(text, /988/, 'the panel gives 988');
        assert.match(text, /911/, 'the panel gives 911');
        await noSideScroll(page, 'acute result');
        await axe(page, 'acute result page');
        await shot(page, 'result-acute');
        assertSameOrigin(urls);
        assert.deepEqual(errors, []);
        await context.close();
    });
});
