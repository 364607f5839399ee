// The check-in kiosk (issue 9) on the real binary: an administrator sets a browser up as a
// kiosk (a long-lived token in an HttpOnly, SameSite=Strict cookie scoped to /kiosk, kept only
// as its SHA-256) and revokes it; a patient's personal check-in code shown and renewed from the
// chart's code page; and /kiosk itself: a check-in records `late` with the minutes from check-in
// to the end, `present` before the start, leaves a record staff made alone, shows the first
// name only, and a code that checks no one in gets one sentence and counts against the device,
// which pauses after ten. The server runs in a fixed-offset zone where it is now between 12:00
// and 12:59, so that sessions around "now" fit in today whatever the hour of the test run.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { startServer, inputs } from '../helpers/server.mjs';
import { Jar, api, csrfOf, get, post, signIn } from '../helpers/staff.mjs';

// The zone in which it is noon-ish now: Etc/GMT-N is N hours east of UTC.
const SHIFT = 12 - new Date().getUTCHours();
const ZONE = SHIFT === 0 ? 'UTC' : `Etc/GMT${SHIFT > 0 ? '-' : '+'}${Math.abs(SHIFT)}`;
const local = () => new Date(Date.now() + SHIFT * 3600e3);
const TODAY = local().toISOString().slice(0, 10);
const minuteNow = () => { const d = local(); return d.getUTCHours() * 60 + d.getUTCMinutes(); };
const hhmm = (m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

let srv;
const staff = {};
const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();
const count = (q) => Number(sql(q));

/** A patient admitted directly over the API; returns the public id. */
async function admit(first, last) {
    const res = await api(srv, staff.admin, 'POST', '/api/v1/patients', {
        first_name: first, last_name: last, date_of_birth: '1990-02-03', phone: '555-010-0100',
        emergency_name: 'Kin Person', emergency_phone: '555-010-0101',
        emergency_relationship: 'sister', admission_date: TODAY, level: 'iop' });
    assert.equal(res.status, 201, res.body);
    return res.data.id;
}

/** A one-off session today from minute `from` to `to` naming the patients; returns its id. */
async function session(title, from, to, patients) {
    const res = await api(srv, staff.admin, 'POST', '/api/v1/sessions', {
        date: TODAY, start: hhmm(from), end: hhmm(to), kind: 'individual', title, patients });
    assert.equal(res.status, 201, res.body);
    return res.data.id;
}

/** The patient's code from the code page (as a clinician). */
async function codeOf(pid) {
    const res = await get(srv, staff.clinician.jar, `/staff/patients/${pid}/checkin-code`);
    assert.equal(res.status, 200, res.body.slice(0, 300));
    return res.body.match(/data-code="(\d{8})"/)[1];
}

/** A browser set up as a kiosk by a freshly signed-in administrator: { jar, res, admin }. */
async function makeKiosk(name, place = '') {
    const admin = await signIn(srv, 'admin');
    const jar = admin.jar.clone();
    const res = await post(srv, jar, '/staff/kiosks', { csrf: admin.csrf, name, place });
    assert.equal(res.status, 303, res.body.slice(0, 500));
    return { jar, res, admin };
}

/** Types a code at the kiosk (the form first, for its token). */
async function checkIn(jar, code) {
    const form = await get(srv, jar, '/kiosk');
    assert.equal(form.status, 200, form.body);
    return post(srv, jar, '/kiosk', { csrf: csrfOf(form.body), code });
}

const attendance = (sid, pid) => sql(`select a.status || ' ' || a.minutes from attendance a
    join program_sessions s on s.id = a.session_id join patients p on p.id = a.patient_id
    where s.public_id = '${sid}' and p.public_id = '${pid}'`);
const deviceOf = (name) => sql(`select public_id from kiosk_devices where name = '${name}'`);

before(async () => {
    srv = await startServer({ demo: true, extraArgs: ['--timezone', ZONE] });
    for (const role of ['admin', 'clinician', 'admissions', 'medical', 'billing', 'auditor']) {
        staff[role] = await signIn(srv, role);
    }
});
after(async () => { if (srv) await srv.stop(); });

test('setting a device up: the token in a /kiosk cookie, only its hash stored, the member signed out', async () => {
    const { jar, res, admin } = await makeKiosk('Front desk tablet', 'Lobby');
    assert.equal(res.headers.location, '/kiosk');
    const cookie = res.setCookies.find((c) => c.startsWith('haven_kiosk='));
    assert.ok(cookie, res.setCookies.join('\n'));
    assert.match(cookie, /^haven_kiosk=[0-9a-f]{64}; Path=\/kiosk; Max-Age=\d+; HttpOnly; SameSite=Strict$/);
    const token = jar.cookies.haven_kiosk;
    const hash = crypto.createHash('sha256').update(token).digest('hex');
    assert.equal(sql(`select count(*) from kiosk_devices where token_hash = '${hash}'`), '1');
    assert.equal(count(`select count(*) from kiosk_devices where token_hash = '${token}'`), 0);
    // This browser is no longer signed in: a front-desk tablet must not stay an admin's.
    assert.equal(jar.session, undefined);
    const home = await get(srv, admin.jar.clone(), '/staff/');
    assert.equal(home.status, 303);
    // The kiosk page: the form, the title "Haven", nothing cached, the cookie renewed.
    const page = await get(srv, jar, '/kiosk');
    assert.equal(page.status, 200);
    assert.match(page.body, /<title>Haven<\/title>/);
    assert.match(page.headers['cache-control'] || '', /no-store/);
    const code = inputs(page.body).find((i) => i.name === 'code');
    assert.equal(code.inputmode, 'numeric');
    assert.equal(code.autocomplete, 'off');
    assert.ok(page.setCookies.some((c) => c.startsWith(`haven_kiosk=${token};`)));
    // Listed, and the creation audited under the administrator.
    const id = deviceOf('Front desk tablet');
    const list = await get(srv, staff.admin.jar, '/staff/kiosks');
    assert.equal(list.status, 200);
    assert.match(list.body, new RegExp(`data-kiosk="${id}"[^]*Front desk tablet[^]*Lobby[^]*Active`));
    assert.equal(count(`select count(*) from audit_log where action = 'create' and record_type = 'kiosk'
        and record_id = '${id}' and outcome = 'ok' and user_email like 'admin@%'`), 1);
});

test('setup refuses a missing or long name and changes nothing; roles and CSRF', async () => {
    const before = count('select count(*) from kiosk_devices');
    const s = staff.admin;
    let res = await post(srv, s.jar, '/staff/kiosks', { csrf: s.csrf, name: '  ' });
    assert.equal(res.status, 422);
    assert.match(res.body, /Please give the kiosk a name/);
    assert.equal(res.setCookies.some((c) => c.startsWith('haven_kiosk=')), false);
    res = await post(srv, s.jar, '/staff/kiosks', { csrf: s.csrf, name: 'x'.repeat(101) });
    assert.equal(res.status, 422);
    res = await post(srv, s.jar, '/staff/kiosks', { csrf: 'f'.repeat(64), name: 'Tablet' });
    assert.equal(res.status, 403);
    for (const role of ['clinician', 'admissions', 'medical', 'billing', 'auditor']) {
        assert.equal((await get(srv, staff[role].jar, '/staff/kiosks')).status, 403, role);
        res = await post(srv, staff[role].jar, '/staff/kiosks', { csrf: staff[role].csrf, name: 'Tablet' });
        assert.equal(res.status, 403, role);
    }
    assert.equal(count('select count(*) from kiosk_devices'), before);
    assert.equal((await get(srv, s.jar, '/staff/')).status, 200); // still signed in
});

test('a browser without a live kiosk token sees only "This device is not a kiosk"', async () => {
    const plain = (res) => {
        assert.equal(res.status, 403);
        assert.match(res.body, /This device is not a kiosk/);
        assert.doesNotMatch(res.body, /<form|<a /);
    };
    plain(await get(srv, new Jar(), '/kiosk'));
    plain(await get(srv, new Jar({ haven_kiosk: 'a'.repeat(64) }), '/kiosk'));
    plain(await get(srv, new Jar({ haven_kiosk: 'not-a-token' }), '/kiosk'));
    // A staff session is no kiosk either.
    plain(await get(srv, staff.admin.jar.clone(), '/kiosk'));
    // A post: the device is checked before anything else.
    plain(await post(srv, new Jar({ haven_csrf: 'b'.repeat(64) }), '/kiosk', { csrf: 'b'.repeat(64), code: '12345678' }));
    plain(await post(srv, new Jar(), '/kiosk', { code: '12345678' }));
});

test('the code page: made on first view, the same after, renewed on request; roles', async () => {
    const pid = await admit('Cody', 'Pagewell');
    assert.equal(count(`select count(*) from checkin_codes c join patients p on p.id = c.patient_id where p.public_id = '${pid}'`), 0);
    const code = await codeOf(pid);
    assert.equal(await codeOf(pid), code);
    const page = await get(srv, staff.admissions.jar, `/staff/patients/${pid}/checkin-code`);
    assert.equal(page.status, 200);
    assert.match(page.body, new RegExp(`${code.slice(0, 4)} ${code.slice(4)}`));
    assert.match(page.body, /Cody Pagewell/);
    assert.ok(count(`select count(*) from audit_log where action = 'view' and record_type = 'patient' and record_id = '${pid}'`) >= 3);
    for (const role of ['medical', 'billing', 'auditor']) {
        assert.equal((await get(srv, staff[role].jar, `/staff/patients/${pid}/checkin-code`)).status, 403, role);
        const res = await post(srv, staff[role].jar, `/staff/patients/${pid}/checkin-code`, { csrf: staff[role].csrf });
        assert.equal(res.status, 403, role);
    }
    assert.equal((await get(srv, staff.admin.jar, '/staff/patients/0123456789abcdef0123456789abcdef/checkin-code')).status, 404);
    // Renewing without the form's token changes nothing.
    let res = await post(srv, staff.clinician.jar, `/staff/patients/${pid}/checkin-code`, { csrf: 'x' });
    assert.equal(res.status, 403);
    assert.equal(await codeOf(pid), code);
    res = await post(srv, staff.clinician.jar, `/staff/patients/${pid}/checkin-code`, { csrf: staff.clinician.csrf });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, `/staff/patients/${pid}/checkin-code?renewed=1`);
    const renewed = await codeOf(pid);
    assert.notEqual(renewed, code);
    assert.equal(count(`select count(*) from audit_log where action = 'update' and record_type = 'checkin-code'
        and record_id = '${pid}' and outcome = 'ok'`), 1);
    res = await post(srv, staff.admin.jar, '/staff/patients/0123456789abcdef0123456789abcdef/checkin-code', { csrf: staff.admin.csrf });
    assert.equal(res.status, 404);
});

test('a check-in: late for the running session, present for the next, first name only, no overwrite', async () => {
    const { jar } = await makeKiosk('Check-in tablet');
    const kid = deviceOf('Check-in tablet');
    const ana = await admit('Anabel', 'Quintero');
    const other = await admit('Otto', 'Verdanski');
    const now = minuteNow();
    const running = await session('Morning group', now - 45, now + 20, [ana, other]);
    const next = await session('Skills workshop', now + 25, now + 85, [ana]);
    const later = await session('Afternoon group', now + 90, now + 150, [ana]);
    const past = await session('Early check', now - 120, now - 60, [ana]);
    const code = await codeOf(ana);
    // Otto was marked present by staff before Ana checks in: his record must stay as it is.
    const put = await api(srv, staff.clinician, 'PUT', `/api/v1/sessions/${running}/attendance/${other}`, { status: 'present' });
    assert.equal(put.status, 200, put.body);

    // A form whose token is gone (the browser restarted): the kiosk's form again, nothing done.
    const stale = await post(srv, new Jar({ haven_kiosk: jar.cookies.haven_kiosk }), '/kiosk', { csrf: 'c'.repeat(64), code });
    assert.equal(stale.status, 403);
    assert.match(stale.body, /<title>Haven<\/title>[^]*Please type your code again/);
    assert.equal(attendance(running, ana), '');

    const before = minuteNow();
    const res = await checkIn(jar, code.replace(/^(\d{4})/, '$1 '));
    const after = minuteNow();
    assert.equal(res.status, 200, res.body);
    assert.match(res.body, /Thank you, Anabel\./);
    assert.match(res.body, new RegExp(`You're checked in for Morning group at ${hhmm(now - 45)} and Skills workshop at ${hhmm(now + 25)}\\. Welcome\\.`));
    assert.doesNotMatch(res.body, /Quintero|Otto|Verdanski|Afternoon group|Early check/);
    // No timed reload (it would take the confirmation from a slow reader): the empty form for
    // the next person is on the same page.
    assert.doesNotMatch(res.body, /http-equiv="refresh"/);
    assert.match(res.body, /<form id="kiosk-form"[^]*name="csrf"[^]*name="code"/);
    assert.equal(res.headers.location, undefined);
    assert.match(res.headers['cache-control'] || '', /no-store/);
    // Late: the minutes from check-in to the end; present: the whole session.
    const [status, minutes] = attendance(running, ana).split(' ');
    assert.equal(status, 'late');
    assert.ok(Number(minutes) >= now + 20 - after && Number(minutes) <= now + 20 - before, minutes);
    assert.equal(attendance(next, ana), 'present 60');
    assert.equal(attendance(later, ana), '');
    assert.equal(attendance(past, ana), '');
    assert.equal(attendance(running, other), 'present 65');
    // Audited: the check-in and each record, by the device.
    assert.equal(count(`select count(*) from audit_log where action = 'check-in' and record_id = '${ana}'
        and outcome = 'ok' and user_email = 'kiosk:${kid}'`), 1);
    assert.equal(count(`select count(*) from audit_log where action = 'attendance' and record_id = '${ana}'
        and user_email = 'kiosk:${kid}'`), 2);
    // Checking in again (or a staff record made meanwhile) overwrites nothing.
    const staffPut = await api(srv, staff.clinician, 'PUT', `/api/v1/sessions/${next}/attendance/${ana}`, { status: 'absent-excused' });
    assert.equal(staffPut.status, 200, staffPut.body);
    const again = await checkIn(jar, code);
    assert.equal(again.status, 200);
    assert.equal(attendance(running, ana), `late ${minutes}`);
    assert.equal(attendance(next, ana), 'absent-excused 0');
    // The list shows when the kiosk was last used.
    const list = await get(srv, staff.admin.jar, '/staff/kiosks');
    assert.doesNotMatch(list.body.split(`data-kiosk="${kid}"`)[1].split('</tr>')[0], /None yet/);
});

test('a code that checks no one in: one sentence, counted; ten pause the device (audited)', async () => {
    const { jar } = await makeKiosk('Side door tablet');
    const kid = deviceOf('Side door tablet');
    const sam = await admit('Samira', 'Noshow');   // a code, but no session today
    const kim = await admit('Kimball', 'Ontime'); // a session now
    const now = minuteNow();
    const sid = await session('Noon group', now - 10, now + 50, [kim]);
    const samCode = await codeOf(sam);
    const kimCode = await codeOf(kim);
    const wrongSentence = /That code did not match a session today\. Please ask at the front desk\./;

    // Empty and malformed input: the form again, not counted.
    let res = await checkIn(jar, '');
    assert.equal(res.status, 422);
    assert.match(res.body, /Please type your check-in code/);
    res = await checkIn(jar, '12ab5678');
    assert.match(res.body, wrongSentence);
    assert.equal(sql(`select wrong_count from kiosk_devices where public_id = '${kid}'`), '0');
    // Samira's real code, with no session now: the same sentence, nothing of hers shown.
    res = await checkIn(jar, samCode);
    assert.equal(res.status, 422);
    assert.match(res.body, wrongSentence);
    assert.doesNotMatch(res.body, /Samira|Noshow/);
    assert.equal(count(`select count(*) from audit_log where action = 'check-in' and record_id = '${sam}' and outcome = 'invalid'`), 1);
    // Eight more wrong codes: still answering.
    const unused = (i) => { let c; do { c = String(10000000 + i * 7919 + Math.floor(Math.random() * 1000)).slice(-8); } while (c === kimCode || c === samCode); return c; };
    for (let i = 0; i < 8; i++) {
        res = await checkIn(jar, unused(i));
        assert.equal(res.status, 422, `wrong code ${i + 2}`);
    }
    assert.equal(sql(`select wrong_count from kiosk_devices where public_id = '${kid}'`), '9');
    // The tenth pauses it: even a good code is refused, and nothing is recorded.
    res = await checkIn(jar, unused(9));
    assert.equal(res.status, 429);
    assert.match(res.body, /paused for a few minutes/);
    res = await checkIn(jar, kimCode);
    assert.equal(res.status, 429);
    assert.doesNotMatch(res.body, /Kimball/);
    assert.equal(attendance(sid, kim), '');
    assert.equal(count(`select count(*) from audit_log where action = 'pause' and record_id = '${kid}'`), 1);
    assert.equal(count(`select count(*) from audit_log where action = 'check-in' and record_id = '${kid}' and outcome = 'denied'`), 1);
    // Another kiosk is not paused by this one.
    const { jar: other } = await makeKiosk('Upstairs tablet');
    res = await checkIn(other, kimCode);
    assert.equal(res.status, 200, res.body);
    assert.match(res.body, /Thank you, Kimball\./);
    // When the pause is over (moved into the past here), the device takes codes again.
    sql(`update kiosk_devices set paused_until = '2000-01-01T00:00:00Z' where public_id = '${kid}'`);
    res = await checkIn(jar, kimCode);
    assert.equal(res.status, 200);
});

test('a discharged patient is not checked in and gets no new code', async () => {
    const { jar } = await makeKiosk('Annex tablet');
    const dee = await admit('Deirdre', 'Gone');
    const now = minuteNow();
    const sid = await session('Late group', now - 5, now + 55, [dee]);
    const code = await codeOf(dee);
    // The chart's discharge is tested with the chart; here the record is set directly.
    sql(`update patients set status = 'discharged' where public_id = '${dee}'`);
    const res = await checkIn(jar, code);
    assert.equal(res.status, 422);
    assert.equal(attendance(sid, dee), '');
    const page = await get(srv, staff.clinician.jar, `/staff/patients/${dee}/checkin-code`);
    assert.match(page.body, /is discharged: the kiosk does not check them in/);
    assert.doesNotMatch(page.body, /id="renew-form"/);
    const renew = await post(srv, staff.clinician.jar, `/staff/patients/${dee}/checkin-code`, { csrf: staff.clinician.csrf });
    assert.equal(renew.status, 409);
    assert.equal(await codeOf(dee), code);
});

test('revoking asks first; a revoked kiosk is no kiosk; roles and bad input change nothing', async () => {
    const { jar } = await makeKiosk('Old tablet');
    const kid = deviceOf('Old tablet');
    const page = await get(srv, staff.admin.jar, `/staff/kiosks/${kid}/revoke`);
    assert.equal(page.status, 200);
    assert.match(page.body, /Revoke the kiosk "Old tablet"\?/);
    let res = await post(srv, staff.admin.jar, `/staff/kiosks/${kid}/revoke`, { csrf: staff.admin.csrf });
    assert.equal(res.status, 422);
    assert.match(res.body, /Please tick the box/);
    for (const role of ['clinician', 'admissions', 'billing']) {
        res = await post(srv, staff[role].jar, `/staff/kiosks/${kid}/revoke`, { csrf: staff[role].csrf, confirm: 'yes' });
        assert.equal(res.status, 403, role);
    }
    res = await post(srv, staff.admin.jar, `/staff/kiosks/${kid}/revoke`, { csrf: 'bad', confirm: 'yes' });
    assert.equal(res.status, 403);
    assert.equal(sql(`select revoked_at is null from kiosk_devices where public_id = '${kid}'`), '1');
    assert.equal((await get(srv, jar, '/kiosk')).status, 200);
    res = await post(srv, staff.admin.jar, `/staff/kiosks/${kid}/revoke`, { csrf: staff.admin.csrf, confirm: 'yes' });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/staff/kiosks');
    assert.equal(count(`select count(*) from audit_log where action = 'revoke' and record_id = '${kid}' and outcome = 'ok'`), 1);
    const gone = await get(srv, jar, '/kiosk');
    assert.equal(gone.status, 403);
    assert.match(gone.body, /This device is not a kiosk/);
    const list = await get(srv, staff.admin.jar, '/staff/kiosks');
    assert.match(list.body.split(`data-kiosk="${kid}"`)[1].split('</tr>')[0], /Revoked/);
    // Again: a conflict; an unknown device: not found.
    res = await post(srv, staff.admin.jar, `/staff/kiosks/${kid}/revoke`, { csrf: staff.admin.csrf, confirm: 'yes' });
    assert.equal(res.status, 409);
    assert.equal((await get(srv, staff.admin.jar, `/staff/kiosks/${kid}/revoke`)).status, 409);
    assert.equal((await get(srv, staff.admin.jar, '/staff/kiosks/0123456789abcdef0123456789abcdef/revoke')).status, 404);
});

test('HAVEN_COOKIE_SECURE=1 marks the kiosk cookie Secure', async () => {
    process.env.HAVEN_COOKIE_SECURE = '1';
    const secure = await startServer({ demo: true });
    delete process.env.HAVEN_COOKIE_SECURE;
    try {
        const admin = await signIn(secure, 'admin').catch(() => null);
        // Secure session cookies still go out over plain HTTP in this test's own jar.
        assert.ok(admin, 'sign-in');
        const res = await post(secure, admin.jar, '/staff/kiosks', { csrf: admin.csrf, name: 'Secure tablet' });
        assert.equal(res.status, 303);
        assert.match(res.setCookies.find((c) => c.startsWith('haven_kiosk=')), /; HttpOnly; SameSite=Strict; Secure$/);
    } finally {
        await secure.stop();
    }
});
