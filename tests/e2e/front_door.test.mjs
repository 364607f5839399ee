// The front door on a 390 px phone (issue 7, points 1-3 and quick exit on home), in Debian's
// Chromium driven by playwright-core: safety panels the moment an answer calls for one (with
// and without JavaScript) and "See my result now"; Next's kind word about unanswered questions;
// nothing suggested when alcohol, drugs and safety were all skipped, and the way back; a failed
// call request landing on its error summary with the focus on it. Every page is checked with
// axe-core and no request leaves the origin; screenshots at 390 and 1280 px go to
// tests/e2e/screenshots/ (git-ignored) for people to look at.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { startServer, assertAlive, REPO_ROOT } from '../helpers/server.mjs';
import { PROFILES } from '../helpers/profiles.mjs';
import { watchedPage } from '../helpers/browser.mjs';

const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
const SHOTS = path.join(REPO_ROOT, 'tests', 'e2e', 'screenshots');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

describe('the front door on a phone', { skip: HAVE_CHROMIUM ? false : `Chromium not found at ${CHROMIUM}` }, () => {
    let srv;
    let browser;

    before(async () => {
        fs.mkdirSync(SHOTS, { recursive: true });
        srv = await startServer({ demo: true });
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

    /** js: true, false (JavaScript off), or 'blocked' (the page's scripts not loaded, so axe can
     *  still run on the no-JS page). */
    async function open({ js = true, viewport = PHONE } = {}) {
        const context = await browser.newContext({
            viewport, isMobile: viewport === PHONE, hasTouch: viewport === PHONE, javaScriptEnabled: js !== false,
        });
        context.setDefaultTimeout(10_000);
        if (js === 'blocked') {
            await context.route('**/*', (route) => (route.request().resourceType() === 'script' ? route.abort() : route.continue()));
        }
        return { context, ...(await watchedPage(context)) };
    }

    function sameOrigin(urls) {
        assertAlive(srv);
        const away = urls.filter((u) => !u.startsWith(`${srv.origin}/`) && !/^(data|blob|about):/.test(u));
        assert.deepEqual(away, [], 'no request leaves the origin');
    }

    async function axe(page, label) {
        const r = await new AxeBuilder({ page }).analyze();
        const v = r.violations.map((x) => `${x.id} (${x.impact}): ${x.help} -> ${x.nodes.slice(0, 3).map((nd) => nd.target.join(' ')).join(' | ')}`);
        assert.deepEqual(v, [], `axe violations on ${label}`);
    }

    const shot = (page, name) => page.screenshot({ path: path.join(SHOTS, `front-${name}.png`), fullPage: true });
    const visibleSection = (page) => page.locator('fieldset.section:visible');
    const sectionId = (page) => visibleSection(page).getAttribute('data-section');

    /** With JS: Next until the section `sid` is shown, going on past the unanswered note. */
    async function nextUntil(page, sid) {
        for (let i = 0; i < 30 && (await sectionId(page)) !== sid; i++) {
            const before_ = await sectionId(page);
            await page.locator('.next:visible').click();
            if ((await sectionId(page)) === before_) await page.locator('.next:visible').click();
        }
        assert.equal(await sectionId(page), sid);
    }

    /** True once the element's top is on screen (smooth scrolling may take a moment), else
     *  where it is. */
    async function inViewport(page, selector) {
        const where = () => page.locator(selector).evaluate((el) => {
            const r = el.getBoundingClientRect();
            return r.top >= 0 && r.top < window.innerHeight ? true : `top ${r.top} of ${window.innerHeight}, scrollY ${window.scrollY}`;
        });
        for (let i = 0; i < 20; i++) {
            if ((await where()) === true) return true;
            await page.waitForTimeout(100);
        }
        return where();
    }

    // ------------------------------------------------------------------ point 1, with JS

    test('1, JS: "right now" = yes shows the crisis panel at once; See my result now leads with it', { timeout: 90_000 }, async () => {
        const { context, page, urls, errors } = await open();
        await page.goto(`${srv.origin}/assessment`);
        // Begin the alcohol part and leave it half done: the crisis path must not be held up.
        await nextUntil(page, 'audit');
        await page.locator('#audit-1-3').check();
        await nextUntil(page, 'asq');
        const panel = page.locator('#alert-suicide');
        assert.ok(await panel.isHidden(), 'no panel before the answer');
        await page.locator('#asq-1-true').check();
        for (const n of [2, 3, 4]) await page.locator(`#asq-${n}-false`).check();
        assert.ok(await panel.isHidden(), 'a yes to 1-4 is not "right now"');
        await page.locator('#asq-5-true').check();
        assert.ok(await panel.isVisible(), 'the panel shows the moment "yes" is chosen');
        assert.equal(await panel.getAttribute('role'), 'alert', 'announced');
        const box = await panel.boundingBox();
        const q = await page.locator('#item-asq-5').boundingBox();
        assert.ok(box.y > q.y && box.y - (q.y + q.height) < 40, 'right below the question');
        for (const href of ['tel:988', 'sms:988', 'tel:911']) {
            assert.ok(await panel.locator(`a[href="${href}"]`).isVisible(), href);
        }
        assert.match(await panel.innerText(), /press 1/);
        await panel.scrollIntoViewIfNeeded();
        await axe(page, 'the form with the crisis panel');
        await shot(page, 'js-crisis-panel-390');
        // Changing the answer takes it away again.
        await page.locator('#asq-5-false').check();
        assert.ok(await panel.isHidden());
        await page.locator('#asq-5-true').check();

        await panel.locator('button.result-now').click();
        await page.waitForURL(`${srv.origin}/assessment/result`);
        const crisis = page.locator('#crisis-acute');
        assert.ok(await crisis.isVisible());
        assert.ok((await crisis.boundingBox()).y < PHONE.height, 'on the first screen');
        assert.ok((await crisis.boundingBox()).y < (await page.locator('#recommendation').boundingBox()).y);
        assert.equal(await page.locator('#recommendation').getAttribute('data-level'), 'emergency');
        assert.match(await page.locator('#skipped').innerText(), /Alcohol/, 'the half-done part is named');
        await axe(page, 'result after See my result now');
        await shot(page, 'js-result-now-390');
        sameOrigin(urls);
        assert.deepEqual(errors, []);
        await context.close();
    });

    test('1, JS: withdrawal with a seizure history, and an overdose with daily opioids, show their panels', { timeout: 60_000 }, async () => {
        const { context, page, urls, errors } = await open();
        await page.goto(`${srv.origin}/assessment`);
        await nextUntil(page, 'health');
        const wd = page.locator('#alert-withdrawal');
        const od = page.locator('#alert-overdose');
        assert.ok(await wd.isHidden() && await od.isHidden());
        await page.locator('#wd-symptoms-severe').check();
        assert.ok(await wd.isHidden(), 'severe withdrawal alone: no panel yet');
        await page.locator('#wd-complicated-true').check();
        assert.ok(await wd.isVisible(), 'severe withdrawal with a seizure history');
        assert.match(await wd.innerText(), /911/);
        await page.locator('#wd-complicated-false').check();
        assert.ok(await wd.isHidden());
        await page.locator('#wd-complicated-true').check();
        await page.locator('#med-overdose-true').check();
        assert.ok(await od.isHidden(), 'an overdose alone: no panel');
        await page.locator('#wd-daily-opioids').check();
        assert.ok(await od.isVisible(), 'an overdose and daily opioids');
        assert.match(await od.innerText(), /naloxone/);
        await axe(page, 'the health part with both panels');
        await shot(page, 'js-health-panels-390');
        sameOrigin(urls);
        assert.deepEqual(errors, []);
        await context.close();
    });

    // ------------------------------------------------------------------ point 1, without JS

    test('1, no JS: the panels show when the answer is ticked, and See my result now works', { timeout: 60_000 }, async () => {
        const { context, page, urls, errors } = await open({ js: false });
        await page.goto(`${srv.origin}/assessment`);
        const panel = page.locator('#alert-suicide');
        assert.ok(await panel.isHidden());
        await page.locator('#asq-1-true').check();
        assert.ok(await panel.isHidden(), 'a yes to 1-4 alone is not "right now"');
        await page.locator('#asq-5-true').check();
        assert.ok(await panel.isVisible(), 'shown without JavaScript, right at the question');
        await page.locator('#wd-complicated-true').check();
        await page.locator('#wd-now-true').check();
        assert.ok(await page.locator('#alert-withdrawal').isVisible());
        await page.locator('#med-overdose-true').check();
        await page.locator('#assist-1-opioids-true').check();
        await page.locator('#assist-2-opioids-6').check();
        assert.ok(await page.locator('#alert-overdose').isVisible());
        await panel.scrollIntoViewIfNeeded();
        await shot(page, 'nojs-crisis-panel-390');
        await panel.locator('button.result-now').click();
        await page.waitForURL(`${srv.origin}/assessment/result`);
        assert.ok(await page.locator('#crisis-acute').isVisible());
        assert.ok((await page.locator('#crisis-acute').boundingBox()).y < PHONE.height);
        await shot(page, 'nojs-result-now-390');
        sameOrigin(urls);
        assert.deepEqual(errors, []);
        await context.close();

        // axe on the same no-JS page, panels shown by the CSS alone.
        const b = await open({ js: 'blocked' });
        await b.page.goto(`${srv.origin}/assessment`);
        await b.page.locator('#asq-1-true').check();
        await b.page.locator('#asq-5-true').check();
        assert.ok(await b.page.locator('#alert-suicide').isVisible());
        await axe(b.page, 'the no-JS form with the crisis panel');
        sameOrigin(b.urls);
        await b.context.close();
    });

    // ------------------------------------------------------------------ point 2

    test('2, JS: Next says kindly what is unanswered once, then goes on', { timeout: 60_000 }, async () => {
        const { context, page, urls, errors } = await open();
        await page.goto(`${srv.origin}/assessment`);
        assert.equal(await sectionId(page), 'about');
        await page.locator('#about-age-35-49').check();
        await page.locator('.next:visible').click();
        const note = page.locator('#unanswered-note');
        assert.ok(await note.isVisible(), 'the note shows');
        assert.match(await note.innerText(), /One question in this part has no answer yet/);
        assert.match(await note.innerText(), /go on without them/);
        assert.equal(await sectionId(page), 'about', 'still on the same part');
        assert.equal((await page.locator('.next:visible').innerText()).trim(), 'Go on anyway');
        assert.ok(await page.locator('#item-about-sex').evaluate((el) => el.classList.contains('unanswered')));
        await axe(page, 'the unanswered note');
        await shot(page, 'js-unanswered-note-390');
        await note.locator('button').click();
        assert.equal(await page.evaluate(() => document.activeElement.name), 'about-sex', 'Show me: the question');
        await page.locator('.next:visible').click();
        assert.equal(await sectionId(page), 'audit', 'and then it goes on');
        assert.ok(await note.isHidden());
        // A part answered in full goes on at once.
        await page.locator('#audit-1-0').check();
        await page.locator('#audit-9-0').check();
        await page.locator('#audit-10-0').check();
        await page.locator('.next:visible').click();
        assert.equal(await sectionId(page), 'assist');
        sameOrigin(urls);
        assert.deepEqual(errors, []);
        await context.close();
    });

    test('2, JS: everything skipped -> no level, the parts named, and the way back to the questions', { timeout: 90_000 }, async () => {
        const { context, page, urls, errors } = await open();
        await page.goto(`${srv.origin}/assessment`);
        await nextUntil(page, 'preferences');
        await page.locator('#submit-assessment').click();
        await page.waitForURL(`${srv.origin}/assessment/result`);
        assert.equal(await page.locator('#recommendation').getAttribute('data-level'), 'unanswered');
        assert.match(await page.locator('h1').innerText(), /We need a few answers to suggest anything/);
        assert.doesNotMatch(await page.locator('main').innerText(), /No treatment program needed|good support|10 out of 10/);
        assert.ok(await page.locator('#go-back').isVisible());
        assert.equal(await inViewport(page, '#go-back'), true, 'the way back is on the first screen');
        await axe(page, 'the no-level result');
        await shot(page, 'js-no-level-390');
        await page.locator('#go-back').click();
        await page.waitForURL(/\/assessment\/result#section-about$/);
        assert.ok(await page.locator('form#assessment-form').isVisible());
        assert.equal(await sectionId(page), 'about', 'back at the first part skipped');
        sameOrigin(urls);
        assert.deepEqual(errors, []);
        await context.close();
    });

    test('2: a result with parts left out says so near the top (390 and 1280 px)', { timeout: 60_000 }, async () => {
        for (const viewport of [PHONE, DESKTOP]) {
            const { context, page, urls, errors } = await open({ viewport });
            await postAnswers(page, PROFILES.mild.answers);
            assert.equal(await page.locator('#recommendation').getAttribute('data-level'), 'early-intervention');
            assert.match(await page.locator('#skipped').innerText(), /may underestimate/);
            assert.ok(await page.locator('#talk-to-us').isVisible());
            await axe(page, `a result with skipped parts at ${viewport.width}`);
            await shot(page, `result-skipped-${viewport.width}`);
            sameOrigin(urls);
            assert.deepEqual(errors, []);
            await context.close();
        }
    });

    /** Open a result page by posting answers from the site's own origin (as the form does). */
    async function postAnswers(page, answers) {
        await page.goto(`${srv.origin}/assessment`);
        await page.evaluate((a) => {
            const f = document.createElement('form');
            f.method = 'post';
            f.action = '/assessment/result';
            for (const [k, v] of Object.entries(a)) {
                for (const x of Array.isArray(v) ? (v.length ? v : [null]) : [v]) {
                    const i = document.createElement('input');
                    i.type = 'hidden';
                    i.name = x === null ? 'none' : k;
                    i.value = x === null ? k : String(x);
                    f.append(i);
                }
            }
            document.body.append(f);
            f.submit();
        }, answers);
        await page.waitForURL(`${srv.origin}/assessment/result`);
    }

    // ------------------------------------------------------------------ point 3

    for (const js of [true, false]) {
        test(`3, ${js ? 'JS' : 'no JS'}: a failed call request lands on the error summary, focused`, { timeout: 60_000 }, async () => {
            const { context, page, urls, errors } = await open({ js });
            await postAnswers(page, PROFILES.php.answers);
            await page.locator('#call-name').fill('Alex');
            await page.locator('#call-phone').fill('12');
            await page.locator('#best-time-evening').check();
            await page.locator('#submit-call').click();
            await page.waitForLoadState();
            const summary = page.locator('#call-errors');
            assert.ok(await summary.isVisible(), 'the summary is shown');
            assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'call-errors', 'focus on the summary');
            assert.equal(await inViewport(page, '#call-errors'), true, 'the summary is on screen, not 3,000 px below');
            const words = await summary.innerText();
            assert.match(words, /Please give a full phone number/);
            assert.match(words, /Please tell us whether we may leave a voicemail/);
            assert.match(words, /Please tick the box/);
            assert.doesNotMatch(words, /e-mail/i, 'the optional e-mail is not asked for');
            assert.equal(await page.locator('#call-name').inputValue(), 'Alex', 'input kept');
            if (js) await axe(page, 'the call form with errors');
            await shot(page, `call-errors-${js ? 'js' : 'nojs'}-390`);
            sameOrigin(urls);
            assert.deepEqual(errors, []);
            await context.close();
        });
    }

    // ------------------------------------------------------------------ point 6: "Other" box

    for (const js of [true, false]) {
        test(`6, ${js ? 'JS' : 'no JS'}: Enter in the "Other" box never sends "see my result now"`, { timeout: 60_000 }, async () => {
            const { context, page, urls, errors } = await open({ js });
            let posted = null;
            page.on('request', (r) => { if (r.method() === 'POST') posted = r.postData(); });
            await page.goto(`${srv.origin}/assessment`);
            if (js) await nextUntil(page, 'assist');
            await page.locator('#assist-1-other-true').check();
            await page.locator('#other-drug').fill('kratom');
            await page.locator('#other-drug').press('Enter');
            if (js) {
                await page.locator('fieldset.section[data-section="health"]').waitFor({ state: 'visible' });
                assert.equal(posted, null, 'with JS, Enter moves on');
            } else {
                await page.waitForURL(`${srv.origin}/assessment/result`);
                assert.doesNotMatch(posted, /result-now/);
            }
            sameOrigin(urls);
            assert.deepEqual(errors, []);
            await context.close();
        });
    }

    // ------------------------------------------------------------------ quick exit on home

    test('home: quick exit at the top on a phone, and it leaves without a way back', { timeout: 60_000 }, async () => {
        const { context, page, urls, errors } = await open();
        await context.route('https://www.weather.gov/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>Weather</title>' }));
        await page.goto(`${srv.origin}/`);
        const exit = page.locator('#quick-exit');
        assert.ok(await exit.isVisible());
        assert.ok((await exit.boundingBox()).y < 100, 'at the top');
        await axe(page, 'home');
        await shot(page, 'home-390');
        await exit.click();
        await page.waitForURL('https://www.weather.gov/');
        // The exit replaced the page in the history: Back does not return to it.
        await page.goBack().catch(() => {});
        assert.notEqual(page.url(), `${srv.origin}/`);
        // Only the intended exit went elsewhere, and it never left the machine (fulfilled here).
        sameOrigin(urls.filter((u) => !u.startsWith('https://www.weather.gov/')));
        assert.deepEqual(errors, []);
        await context.close();

        const desk = await open({ viewport: DESKTOP });
        await desk.page.goto(`${srv.origin}/`);
        assert.ok(await desk.page.locator('#quick-exit').isVisible());
        await shot(desk.page, 'home-1280');
        sameOrigin(desk.urls);
        await desk.context.close();
    });
});
