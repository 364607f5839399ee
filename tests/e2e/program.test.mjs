// Issue 9, the program, in a real browser (Chromium driven by playwright-core), through the
// real screens: an administrator creates a track on the Tracks screen (Mon/Wed/Fri 09:00-12:00,
// a group, opened three weeks back) and sees it in the list; admissions admits two patients
// directly (POST /api/v1/patients with the session's X-CSRF-Token, from the browser) and enrols
// them from the chart's Program section; a clinician on a tablet finds last week's sessions on
// the calendar and takes attendance (everyone present, then the exceptions: one late with the
// minutes, typed with the keyboard only; one absent); the chart shows that week's hours and
// billable days, the same figures as GET /api/v1/patients/:id/weeks/:week; an administrator
// turns a tablet into the kiosk, and a patient checks in there for a session under way now
// with their code: first name only, and `late` recorded with the minutes from check-in.
//
// The server runs in a fixed zone (Etc/GMT-N) chosen so that the clinic's clock reads about
// 14:00 when the test starts: a one-off session around "now" then starts and ends that day and
// never meets the track's morning slots (R9). Every page is checked with axe-core, on the
// phone without sideways scrolling, with no request leaving the origin and no JS or console
// error. Screenshots: tests/e2e/screenshots/program-*.png (git-ignored).

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { startServer, assertAlive, REPO_ROOT } from '../helpers/server.mjs';
import { demoAccounts } from '../helpers/staff.mjs';
import { documentDay } from '../helpers/records.mjs';
import { watchedPage, closeContext } from '../helpers/browser.mjs';

const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
const SHOTS = path.join(REPO_ROOT, 'tests', 'e2e', 'screenshots');
const PHONE = { width: 390, height: 844 };
const TABLET = { width: 820, height: 1180 };

// A fixed zone in which it is 14:xx now: Etc/GMT-N is UTC+N (the sign is POSIX's, reversed).
const OFFSET = 14 - new Date().getUTCHours(); // -9 .. +14, all zones that exist
const ZONE = OFFSET === 0 ? 'Etc/UTC' : `Etc/GMT${OFFSET > 0 ? '-' : '+'}${Math.abs(OFFSET)}`;

const DAY = 86_400_000;
/** The clinic's wall clock at instant ms: { date: 'YYYY-MM-DD', minute: minutes of the day }. */
function clinicNow(ms = Date.now()) {
    const d = new Date(ms + OFFSET * 3_600_000);
    return { date: d.toISOString().slice(0, 10), minute: d.getUTCHours() * 60 + d.getUTCMinutes() };
}
const addDays = (date, n) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const weekday = (date) => ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1; // 1 = Monday
const mondayOf = (date) => addDays(date, 1 - weekday(date));
/** The ISO week of a date, as YYYY-Www (the week of its Thursday). */
function isoWeek(date) {
    const thu = addDays(mondayOf(date), 3);
    const jan1 = Date.parse(`${thu.slice(0, 4)}-01-01T00:00:00Z`);
    return `${thu.slice(0, 4)}-W${String(Math.floor((Date.parse(`${thu}T00:00:00Z`) - jan1) / (7 * DAY)) + 1).padStart(2, '0')}`;
}
const hhmm = (minute) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
/** Minutes as the chart words them ("8 h 30 min", "3 h", "30 min"). */
function words(m) {
    if (m >= 60) return m % 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${m / 60} h`;
    return `${m} min`;
}

const TODAY = clinicNow().date;
const THIS_MONDAY = mondayOf(TODAY);
const OPENS = addDays(THIS_MONDAY, -21); // three weeks back, a Monday
const PAST_MONDAY = addDays(THIS_MONDAY, -7); // last week: over, attendance may be taken
const PAST_WEEK = isoWeek(PAST_MONDAY);
const CODE = `e2e-${Math.random().toString(36).slice(2, 8)}`;
const TRACK_NAME = 'Afternoon-free IOP';
const PEOPLE = [
    { first_name: 'Ana', last_name: 'Quillfeather' },
    { first_name: 'Ben', last_name: 'Okonkwo-Salt' },
];

describe('the program: a track, enrolments, attendance, hours and the kiosk', { skip: HAVE_CHROMIUM ? false : `Chromium not found at ${CHROMIUM}` }, () => {
    let srv;
    let browser;
    let accounts;
    let trackId;
    const pids = [];
    const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();

    before(async () => {
        fs.mkdirSync(SHOTS, { recursive: true });
        srv = await startServer({ demo: true, extraArgs: ['--timezone', ZONE] });
        accounts = demoAccounts(srv);
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

    /** A browser of the given size, signed in as role (null: not signed in). */
    async function device(role, viewport = PHONE) {
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
    async function check(b, label, { todoRules = [] } = {}) {
        const { page } = b;
        const r = await new AxeBuilder({ page }).disableRules(todoRules).analyze();
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
        await page.screenshot({ path: path.join(SHOTS, `program-${label}.png`), fullPage: true });
    }

    /** Checks the page at the phone's width too, then goes back to the device's own size. */
    async function checkOnPhone(b, label) {
        const own = b.page.viewportSize();
        await b.page.setViewportSize(PHONE);
        try {
            await check(b, `${label}-phone`);
        } finally {
            await b.page.setViewportSize(own);
        }
    }

    function assertClean(b, label) {
        assertAlive(srv, label);
        const away = b.urls.filter((u) => !u.startsWith(`${srv.origin}/`) && !/^(data|blob|about):/.test(u));
        assert.deepEqual(away, [], `${label}: no request leaves the origin`);
        assert.ok(b.urls.length > 0);
        assert.deepEqual(b.errors, [], `${label}: no JS or console errors`);
    }

    /** A JSON API call from the browser's own cookies (the context's request API). */
    async function apiGet(b, url) {
        const res = await b.context.request.get(`${srv.origin}${url}`);
        assert.equal(res.status(), 200, `GET ${url}: ${await res.text()}`);
        return res.json();
    }

    test('an administrator creates the track on the Tracks screen and sees it in the list', { timeout: 60_000 }, async () => {
        const b = await device('admin');
        const { page } = b;
        await page.getByRole('link', { name: 'Tracks' }).first().click();
        await page.waitForURL(`${srv.origin}/staff/tracks`);
        await check(b, 'tracks-before');
        await page.locator('#new-track').click();
        await page.waitForURL(`${srv.origin}/staff/tracks/new`);
        await check(b, 'track-new');
        await page.locator('#code').fill(CODE);
        await page.locator('#name').fill(TRACK_NAME);
        await page.locator('#level').selectOption('iop');
        await page.locator('#population').selectOption('adult');
        await page.locator('#capacity').fill('8');
        await page.locator('#opens').fill(OPENS);
        for (const [n, day] of [[1, '1'], [2, '3'], [3, '5']]) {
            await page.locator(`#s${n}_day`).selectOption(day);
            await page.locator(`#s${n}_start`).fill('09:00');
            await page.locator(`#s${n}_end`).fill('12:00');
            await page.locator(`#s${n}_title`).fill('Process group and relapse prevention');
            await page.locator(`#s${n}_kind`).selectOption('group');
        }
        await page.locator('#save-track').click();
        await page.waitForURL(/\/staff\/tracks\/[0-9a-f]+\?done=created$/);
        trackId = new URL(page.url()).pathname.split('/').pop();
        await check(b, 'track-created');

        await page.goto(`${srv.origin}/staff/tracks`);
        const row = page.locator(`tr[data-track="${trackId}"]`);
        const text = await row.innerText();
        assert.match(text, new RegExp(TRACK_NAME));
        assert.match(text, new RegExp(CODE));
        assert.match(text, /IOP/);
        assert.match(text, /Adult/);
        assert.match(text, /09:00/);
        assert.match(text, /0 of 8/);
        assert.match(text, new RegExp(OPENS));
        assert.match(text, /9 h/, 'the IOP adult minimum, 540 minutes');
        await check(b, 'tracks');
        assertClean(b, 'tracks');
        await closeContext(b.context);
    });

    test('admissions admits two patients directly and enrols them from the chart', { timeout: 60_000 }, async () => {
        assert.ok(trackId, 'the track of the first test');
        const b = await device('admissions');
        const { page } = b;
        for (const who of PEOPLE) {
            const made = await page.evaluate(async (person) => {
                const me = await (await fetch('/api/v1/me')).json();
                const res = await fetch('/api/v1/patients', {
                    method: 'POST',
                    headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrf },
                    body: JSON.stringify(person),
                });
                return { status: res.status, body: await res.json() };
            }, {
                ...who, date_of_birth: '1991-05-06', phone: '555-010-0123', emergency_name: 'Kit Lane',
                emergency_phone: '555-010-0124', emergency_relationship: 'friend', admission_date: OPENS, level: 'iop',
            });
            assert.equal(made.status, 201, JSON.stringify(made.body));
            pids.push(made.body.id);
        }

        for (const [i, pid] of pids.entries()) {
            await page.goto(`${srv.origin}/staff/patients/${pid}`);
            assert.ok(await page.locator('#program-none').isVisible(), 'not enrolled yet');
            if (i === 0) await check(b, 'chart-not-enrolled');
            await page.locator('#join summary').click();
            await page.locator('#join_track').selectOption(trackId);
            await page.locator('#join_start').fill(OPENS);
            await page.locator('#submit-join').click();
            await page.waitForURL(new RegExp(`/staff/patients/${pid}(#.*)?$`));
            assert.match(await page.locator('#program-now').innerText(), new RegExp(`Now in ${TRACK_NAME} since ${OPENS}`));
            assert.match(await page.locator('#enrolments').innerText(), new RegExp(`${TRACK_NAME}[\\s\\S]*${OPENS}[\\s\\S]*open`));
            if (i === 0) await check(b, 'chart-enrolled');
        }
        assert.equal(sql(`select count(*) from enrolments e join tracks t on t.id = e.track_id where t.code = '${CODE}'`), '2');
        assertClean(b, 'enrol');
        await closeContext(b.context);
    });

    // Expected after the attendance below (sessions of 180 minutes, Monday, Wednesday, Friday):
    // Ana late on Monday (150 min), present Wednesday and Friday: 510 of 540, Monday not billable;
    // Ben present Monday and Friday, absent (unexcused) Wednesday: 360 of 540.
    const LATE_MINUTES = 150;

    test('a clinician on a tablet takes last week\'s attendance, found on the calendar', { timeout: 60_000 }, async () => {
        assert.equal(pids.length, 2, 'the patients of the second test');
        const b = await device('clinician', TABLET);
        const { page } = b;
        await page.goto(`${srv.origin}/staff/calendar?week=${PAST_WEEK}&track=${trackId}`);
        await check(b, 'calendar-week');
        await checkOnPhone(b, 'calendar-week');
        const sessionOf = async (date) => {
            const link = page.locator(`section[aria-labelledby="day-${date}"] a.cal-session-link`);
            assert.equal(await link.count(), 1, `one session of the track on ${date}`);
            assert.match(await link.innerText(), /09:00.12:00/);
            return (await link.getAttribute('href')).split('/').pop();
        };
        const sessions = {};
        for (const [name, n] of [['mon', 0], ['wed', 2], ['fri', 4]]) sessions[name] = await sessionOf(addDays(PAST_MONDAY, n));

        // Monday: everyone starts as present; Ana is late, with the minutes typed. Keyboard only:
        // focus her "Present", the arrow to "Late", Tab to the minutes, type, Enter submits.
        await page.locator(`section[aria-labelledby="day-${PAST_MONDAY}"] a.cal-session-link`).click();
        await page.waitForURL(`${srv.origin}/staff/sessions/${sessions.mon}`);
        assert.match(await page.locator('#session-facts').innerText(), /180 minutes.*2 on the roster/);
        for (const pid of pids) assert.ok(await page.locator(`#st-${pid}-present`).isChecked(), 'present by default');
        await check(b, 'attendance-before');
        await checkOnPhone(b, 'attendance-before');
        // Big tap targets on the tablet: each status is at least 44 px high.
        const heights = await page.locator('.att-option').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
        assert.ok(heights.length === 10 && heights.every((h) => h >= 44), `tap targets ${heights.join(', ')}`);
        await page.locator(`#st-${pids[0]}-present`).focus();
        await page.keyboard.press('ArrowRight');
        assert.ok(await page.locator(`#st-${pids[0]}-late`).isChecked(), 'the arrow key chose Late');
        await page.keyboard.press('Tab');
        assert.equal(await page.evaluate(() => document.activeElement.id), `minutes-${pids[0]}`);
        await page.keyboard.type(String(LATE_MINUTES));
        await page.keyboard.press('Enter');
        await page.waitForURL(`${srv.origin}/staff/sessions/${sessions.mon}?saved=1`);
        assert.equal(await page.locator('#saved').innerText(), 'Attendance saved.');
        assert.match(await page.locator(`#status-${pids[0]} legend`).innerText(), /recorded: Late/);
        assert.match(await page.locator(`#status-${pids[1]} legend`).innerText(), /recorded: Present/);
        assert.equal(await page.locator(`#minutes-${pids[0]}`).inputValue(), String(LATE_MINUTES));
        await check(b, 'attendance-saved');

        // Wednesday: Ben absent, unexcused; by tapping.
        await page.goto(`${srv.origin}/staff/sessions/${sessions.wed}`);
        await page.locator(`label[for="st-${pids[1]}-absent-unexcused"]`).click();
        await page.locator('#save-attendance').click();
        await page.waitForURL(`${srv.origin}/staff/sessions/${sessions.wed}?saved=1`);
        assert.match(await page.locator(`#status-${pids[0]} legend`).innerText(), /recorded: Present/);
        assert.match(await page.locator(`#status-${pids[1]} legend`).innerText(), /recorded: Absent, unexcused/);

        // Friday: everyone present, one tap.
        await page.goto(`${srv.origin}/staff/sessions/${sessions.fri}`);
        await page.locator('#save-attendance').click();
        await page.waitForURL(`${srv.origin}/staff/sessions/${sessions.fri}?saved=1`);

        const recorded = sql(`select s.date, p.first_name, a.status, a.minutes from attendance a
            join patients p on p.id = a.patient_id join program_sessions s on s.id = a.session_id
            where p.public_id in ('${pids.join("','")}') order by s.date, p.first_name`);
        assert.equal(recorded, [
            `${PAST_MONDAY}|Ana|late|${LATE_MINUTES}`, `${PAST_MONDAY}|Ben|present|180`,
            `${addDays(PAST_MONDAY, 2)}|Ana|present|180`, `${addDays(PAST_MONDAY, 2)}|Ben|absent-unexcused|0`,
            `${addDays(PAST_MONDAY, 4)}|Ana|present|180`, `${addDays(PAST_MONDAY, 4)}|Ben|present|180`,
        ].join('\n'));
        assertClean(b, 'attendance');
        await closeContext(b.context);
    });

    test('the chart shows the week\'s hours and billable days, the same as the API', { timeout: 60_000 }, async () => {
        assert.equal(sql(`select count(*) from attendance`), '6', 'the attendance of the third test');
        // Plans current and notes signed (R6's fourth condition, haven-program-2): the hours decide.
        for (const pid of pids) for (const n of [0, 2, 4]) documentDay(srv, pid, addDays(PAST_MONDAY, n));
        const b = await device('clinician', TABLET);
        const { page } = b;
        const expected = [
            { attended: 510, short: 30, days: [[0, LATE_MINUTES, false], [2, 180, true], [4, 180, true]] },
            { attended: 360, short: 180, days: [[0, 180, true], [4, 180, true]] },
        ];
        for (const [i, pid] of pids.entries()) {
            const week = await apiGet(b, `/api/v1/patients/${pid}/weeks/${PAST_WEEK}`);
            // The API against the rules (R1-R6) first, so that "the same as the API" means right.
            assert.equal(week.scheduled_minutes, 540);
            assert.equal(week.attended_minutes, expected[i].attended);
            assert.equal(week.minimum_minutes, 540);
            assert.equal(week.scheduled_shortfall, 0);
            assert.equal(week.attended_shortfall, expected[i].short);
            assert.deepEqual(week.days.map((d) => [d.date, d.attended_minutes, d.billable, d.reasons]),
                expected[i].days.map(([n, m, ok]) => [addDays(PAST_MONDAY, n), m, ok, ok ? [] : ['under-3-hours']]));

            await page.goto(`${srv.origin}/staff/patients/${pid}`);
            const row = page.locator(`#hours tr[data-week="${PAST_WEEK}"]`);
            const cell = (label) => row.locator(`td[data-label="${label}"]`).innerText();
            assert.equal(await cell('Scheduled'), words(week.scheduled_minutes));
            assert.equal(await cell('Attended'), words(week.attended_minutes));
            assert.equal(await cell('Minimum'), words(week.minimum_minutes));
            assert.equal(await cell('Short, scheduled'), words(week.scheduled_shortfall));
            assert.equal(await cell('Short, attended'), words(week.attended_shortfall));
            assert.equal(await row.getAttribute('class'), 'prog-short', 'a week short of the minimum is marked');
            const days = row.locator('.prog-days li');
            assert.equal(await days.count(), week.days.length);
            for (const [k, d] of week.days.entries()) {
                const li = days.nth(k);
                assert.equal(await li.getAttribute('data-date'), d.date);
                const t = await li.innerText();
                assert.ok(t.includes(`${d.date}: ${words(d.attended_minutes)}, `), t);
                if (d.billable) {
                    assert.equal(await li.locator('.prog-billable').innerText(), 'billable');
                } else {
                    assert.equal(await li.locator('.prog-billable').count(), 0);
                    assert.match(t, /not billable \(under 3 hours attended\)/);
                }
            }
            if (i === 0) {
                await row.scrollIntoViewIfNeeded();
                await check(b, 'chart-hours');
                await checkOnPhone(b, 'chart-hours');
            }
        }
        assertClean(b, 'chart hours');
        await closeContext(b.context);
    });

    test('a tablet set up as the kiosk checks a patient in with their code: first name only', { timeout: 60_000 }, async () => {
        assert.equal(pids.length, 2, 'the patients of the second test');
        const pid = pids[1];
        const person = PEOPLE[1];
        // A clinician: the patient's code, and a session under way now (started ten minutes
        // ago) from the calendar's New session, with the patient already ticked.
        const c = await device('clinician', TABLET);
        await c.page.goto(`${srv.origin}/staff/patients/${pid}/checkin-code`);
        const code = await c.page.locator('#checkin-code').getAttribute('data-code');
        assert.match(code, /^\d{6,}$/);
        await check(c, 'checkin-code');
        const now = clinicNow();
        assert.equal(now.date, TODAY, 'still the same day in the clinic');
        const start = hhmm(now.minute - 10);
        const end = hhmm(now.minute + 50);
        await c.page.goto(`${srv.origin}/staff/calendar/new?date=${TODAY}&patient=${pid}`);
        assert.ok(await c.page.locator(`#p-${pid}`).isChecked(), 'the patient is ticked');
        await c.page.locator('#start').fill(start);
        await c.page.locator('#end').fill(end);
        await c.page.locator('#kind').selectOption('individual');
        await c.page.locator('#title').fill('Individual therapy');
        await check(c, 'new-session');
        await c.page.locator('#create-session').click();
        await c.page.waitForURL(/\/staff\/calendar\?date=.*#s-[0-9a-f]+$/);
        const sid = new URL(c.page.url()).hash.slice(3);
        assert.match(await c.page.locator(`#s-${sid}`).innerText(), new RegExp(`${start}.${end} Individual therapy`));
        assertClean(c, 'kiosk: the clinician');
        await closeContext(c.context);

        // The administrator on the tablet itself: Kiosks -> set up; signed out, at /kiosk.
        const k = await device('admin', TABLET);
        const { page } = k;
        await page.goto(`${srv.origin}/staff/kiosks`);
        await check(k, 'kiosks');
        await page.locator('#name').fill('Front desk tablet');
        await page.locator('#place').fill('Reception');
        await page.locator('#kiosk-setup-submit').click();
        await page.waitForURL(`${srv.origin}/kiosk`);
        assert.equal((await k.context.cookies()).filter((x) => x.name === 'haven_session').length, 0, 'signed out');
        await check(k, 'kiosk');
        assert.equal(await page.evaluate(() => document.activeElement.id), 'code', 'the code field has the focus');
        await page.keyboard.type(code);
        await page.keyboard.press('Enter');
        await page.waitForSelector('#kiosk-welcome');
        const text = await page.locator('main').innerText();
        assert.match(text, new RegExp(`Thank you, ${person.first_name}\\.`));
        assert.match(text, new RegExp(`checked in for Individual therapy at ${start}`));
        for (const other of [person.last_name, PEOPLE[0].first_name, PEOPLE[0].last_name]) {
            assert.ok(!(await page.content()).includes(other), `the kiosk does not show ${other}`);
        }
        // The confirmation stays (no timed reload: WCAG 2.2.1), with the form for the next person.
        assert.equal(await page.locator('meta[http-equiv="refresh"]').count(), 0);
        assert.equal(await page.locator('#kiosk-form #code').count(), 1);
        await check(k, 'kiosk-welcome');

        const [status, minutes] = sql(`select a.status, a.minutes from attendance a
            join program_sessions s on s.id = a.session_id join patients p on p.id = a.patient_id
            where s.public_id = '${sid}' and p.public_id = '${pid}'`).split('|');
        assert.equal(status, 'late', 'arrived after the start');
        // From check-in to the end: 50 minutes less the seconds the test took since `now`.
        assert.ok(Number(minutes) >= 45 && Number(minutes) <= 50, `minutes from check-in: ${minutes}`);
        assertClean(k, 'kiosk');
        await closeContext(k.context);
    });
});
