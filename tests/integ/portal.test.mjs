// The patient portal's foundation (issue 11) on the real binary: a clinician invites a patient
// from the chart (a one-time link, its token kept only as a SHA-256), the patient accepts it
// (/me/welcome), is signed in, sees today's sessions and their kiosk code, checks in (use and a
// craving at the clinic's level raise the counsellor's alerts in the same write), and sees the
// help; staff read the check-ins on the chart (clinicians and medical staff only). Refusals: an
// expired, used, voided or revoked invitation; sign-in paused after failures; a patient cookie
// on staff routes and a staff cookie on /me/; one patient reaching another's anything; bad input
// on every form writing nothing. The server runs in UTC so that "today" is the UTC date.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { startServer, inputs, request, hasNoStore, securityHeaderProblems } from '../helpers/server.mjs';
import { Jar, api, csrfOf, get, post, signIn } from '../helpers/staff.mjs';

const TODAY = new Date().toISOString().slice(0, 10);
const PASSWORD = 'river stone lantern 42';

let srv;
const staff = {};
const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();
const count = (q) => Number(sql(q));
const rows = () => ({
    accounts: count('select count(*) from portal_accounts'),
    checkins: count('select count(*) from checkins'),
    alerts: count('select count(*) from clinical_alerts'),
    invites: count('select count(*) from portal_invites'),
});

/** A patient admitted over the API (the e-mail, which the API does not take, put in the
 *  record as the chart's contact form would); returns the public id. */
async function admit(first, last, email) {
    const res = await api(srv, staff.admin, 'POST', '/api/v1/patients', {
        first_name: first, last_name: last, date_of_birth: '1990-02-03', phone: '555-010-0100',
        emergency_name: 'Kin Person', emergency_phone: '555-010-0101',
        emergency_relationship: 'sister', admission_date: TODAY, level: 'iop' });
    assert.equal(res.status, 201, res.body);
    if (email) sql(`update patients set email = '${email}' where public_id = '${res.data.id}'`);
    return res.data.id;
}

/** An invitation made by a staff member (default: a clinician); returns { res, token }. */
async function invite(pid, role = 'clinician') {
    const s = staff[role];
    const res = await post(srv, s.jar, `/staff/patients/${pid}/portal/invite`, { csrf: s.csrf });
    const m = res.body.match(/id="invite-link">[^<]*\/me\/welcome\?token=([0-9a-f]{64})</);
    return { res, token: m && m[1] };
}

/** Opens the welcome page in a fresh browser and posts fields; returns { jar, page, res }. */
async function welcome(token, fields) {
    const jar = new Jar();
    const page = await get(srv, jar, `/me/welcome?token=${token}`);
    const res = await post(srv, jar, '/me/welcome', {
        csrf: csrfOf(page.body), token, password: PASSWORD, confirm: PASSWORD, ...fields });
    return { jar, page, res };
}

/** A patient with an accepted invitation: { pid, jar } signed in. */
async function portalPatient(first, username, extra = {}) {
    const pid = await admit(first, 'Tester');
    const { token } = await invite(pid);
    const { jar, res } = await welcome(token, { username, ...extra });
    assert.equal(res.status, 303, res.body.slice(0, 800));
    assert.equal(res.headers.location, '/me/');
    return { pid, jar, res };
}

/** The check-in form's token, then a post of the answers. */
async function checkIn(jar, answers) {
    const form = await get(srv, jar, '/me/check-in');
    assert.equal(form.status, 200, form.body.slice(0, 300));
    return post(srv, jar, '/me/check-in', { csrf: csrfOf(form.body), ...answers });
}

const GOOD = { craving: '3', mood: 'okay', sleep: 'fair', used: 'no', confidence: '8' };

before(async () => {
    srv = await startServer({ demo: true, extraArgs: ['--timezone', 'UTC'] });
    for (const role of ['admin', 'clinician', 'admissions', 'medical', 'billing', 'auditor']) {
        staff[role] = await signIn(srv, role);
    }
});
after(async () => { if (srv) await srv.stop(); });

test('invite -> welcome -> today -> check-in -> alerts, help, and the chart', async () => {
    const pid = await admit('Dana', 'Reyes', 'dana@example.org');
    const s = await api(srv, staff.admin, 'POST', '/api/v1/sessions', {
        date: TODAY, start: '09:00', end: '10:30', kind: 'group', title: 'Process group',
        room: 'Room 2', patients: [pid] });
    assert.equal(s.status, 201, s.body);
    // The chart links to the portal page; the invitation shows the link and its QR once.
    const chart = await get(srv, staff.clinician.jar, `/staff/patients/${pid}`);
    assert.match(chart.body, new RegExp(`href="/staff/patients/${pid}/portal"`));
    const { res, token } = await invite(pid);
    assert.equal(res.status, 201, res.body.slice(0, 500));
    assert.ok(token);
    assert.match(res.body, /id="invite-qr"><svg[^>]*class="qr"/);
    const hash = crypto.createHash('sha256').update(token).digest('hex');
    assert.equal(count(`select count(*) from portal_invites where token_hash = '${hash}'`), 1);
    assert.equal(count(`select count(*) from portal_invites where token_hash = '${token}'`), 0);
    assert.equal(count(`select count(*) from audit_log where action = 'portal-invite' and record_id = '${pid}'
        and user_email like 'clinician@%' and outcome = 'ok'`), 1);
    assert.doesNotMatch(srv.stderr(), new RegExp(token));

    // The welcome page: the e-mail offered as the username, the portal's frame.
    const { jar, page, res: done } = await welcome(token, { username: 'dana@example.org' });
    assert.equal(page.status, 200);
    assert.match(page.body, /<title>Haven<\/title>/);
    assert.match(page.body, /id="quick-exit"/);
    assert.match(page.body, /href="tel:988"/);
    assert.match(page.body, /value="dana@example.org"/);
    assert.doesNotMatch(page.body, /Intensive Outpatient|addiction|Pecan/i);
    assert.ok(hasNoStore(page));
    assert.deepEqual(securityHeaderProblems(page), []);
    assert.equal(done.status, 303);
    const cookie = done.setCookies.find((c) => c.startsWith('haven_me='));
    assert.match(cookie, /^haven_me=[0-9a-f]{64}; Path=\/me; Max-Age=43200; HttpOnly; SameSite=Lax$/);
    assert.equal(count(`select count(*) from portal_accounts a join patients p on p.id = a.patient_id
        where p.public_id = '${pid}' and a.username = 'dana@example.org' and a.password_hash like '$argon2id$%'`), 1);
    assert.equal(count(`select count(*) from audit_log where action = 'portal-accept' and record_id = '${pid}'
        and user_email = 'patient:${pid}' and roles = 'patient'`), 1);

    // Today: the session (when, what, where), the code and its QR, nothing cached.
    const today = await get(srv, jar, '/me/');
    assert.equal(today.status, 200, today.body.slice(0, 500));
    assert.ok(hasNoStore(today));
    assert.match(today.body, /<title>Haven<\/title>/);
    assert.match(today.body, /Hello, Dana/);
    assert.match(today.body, /09:00–10:30<\/span> <strong>Process group<\/strong><span class="portal-room">Room 2/);
    const code = sql(`select c.code from checkin_codes c join patients p on p.id = c.patient_id where p.public_id = '${pid}'`);
    assert.match(today.body, new RegExp(`data-code="${code}"`));
    assert.match(today.body, /<div class="portal-qr"><svg/);
    assert.match(today.body, /id="check-in-now"/);
    assert.equal(count(`select count(*) from audit_log where action = 'view' and record_id = '${pid}'
        and user_email = 'patient:${pid}' and roles = 'patient'`), 1);

    // A check-in reporting use, with a craving at the clinic's level: two alerts.
    sql("insert into settings (key, value) values ('portal_craving_alert', '7') on conflict (key) do update set value = '7'");
    const before = rows();
    const sent = await checkIn(jar, { ...GOOD, craving: '7', used: 'yes', trigger: ['Stress', 'Places'], note: 'Rough night.' });
    assert.equal(sent.status, 303, sent.body.slice(0, 800));
    assert.equal(sent.headers.location, '/me/check-in/done');
    assert.equal(rows().checkins, before.checkins + 1);
    assert.equal(sql(`select craving || ' ' || mood || ' ' || sleep || ' ' || used || ' ' || confidence || ' ' || triggers || ' ' || note
        from checkins order by id desc limit 1`), '7 okay fair yes 8 ["Stress","Places"] Rough night.');
    assert.equal(count(`select count(*) from clinical_alerts a join patients p on p.id = a.patient_id
        where p.public_id = '${pid}' and a.kind in ('checkin-used', 'checkin-craving')
        and a.counsellor_id = p.counsellor_id`), 2);
    assert.equal(count(`select count(*) from audit_log where action = 'create' and record_type = 'checkin'
        and user_email = 'patient:${pid}' and roles = 'patient' and outcome = 'ok'`), 1);
    const thanks = await get(srv, jar, '/me/check-in/done');
    assert.equal(thanks.status, 200);
    assert.match(thanks.body, /id="help"/);
    assert.match(thanks.body, /href="tel:988"/);
    assert.match(thanks.body, /your counsellor, will see your check-in/);
    // Checked in: Today says so.
    assert.match((await get(srv, jar, '/me/')).body, /id="checked-in"/);

    // Below the level and no use: thanks without the help panel, no alert.
    const quiet = await checkIn(jar, { ...GOOD, craving: '6' });
    assert.equal(quiet.status, 303);
    assert.equal(rows().alerts, before.alerts + 2);
    assert.doesNotMatch((await get(srv, jar, '/me/check-in/done')).body, /id="help"/);

    // The chart: clinicians and medical staff read the check-ins; others see no clinical text.
    for (const role of ['clinician', 'medical']) {
        const p = await get(srv, staff[role].jar, `/staff/patients/${pid}/portal`);
        assert.equal(p.status, 200, role);
        assert.match(p.body, /Rough night\./, role);
        assert.match(p.body, /Stress, Places/, role);
    }
    for (const role of ['admissions', 'admin']) {
        const p = await get(srv, staff[role].jar, `/staff/patients/${pid}/portal`);
        assert.equal(p.status, 200, role);
        assert.doesNotMatch(p.body, /Rough night|id="checkins"/, role);
        assert.match(p.body, /Open since/, role);
    }
    for (const role of ['billing', 'auditor']) {
        assert.equal((await get(srv, staff[role].jar, `/staff/patients/${pid}/portal`)).status, 403, role);
        const r = await post(srv, staff[role].jar, `/staff/patients/${pid}/portal/invite`, { csrf: staff[role].csrf });
        assert.equal(r.status, 403, role);
    }
    const med = await post(srv, staff.medical.jar, `/staff/patients/${pid}/portal/revoke`, { csrf: staff.medical.csrf });
    assert.equal(med.status, 403);
});

test('invitations: unknown, reused, voided by a newer one, expired, withdrawn', async () => {
    const pid = await admit('Eli', 'Moss');
    const bad = await get(srv, new Jar(), `/me/welcome?token=${'a'.repeat(64)}`);
    assert.equal(bad.status, 404);
    assert.match(bad.body, /id="link-gone"/);
    assert.equal((await get(srv, new Jar(), '/me/welcome?token=xyz')).status, 404);

    const first = await invite(pid, 'admissions');
    const second = await invite(pid, 'admin');
    assert.equal(second.res.status, 201);
    // The first is void: its page and its form are refused, nothing is made.
    assert.equal((await get(srv, new Jar(), `/me/welcome?token=${first.token}`)).status, 410);
    const before = rows();
    const voided = await welcome(first.token, { username: 'eli' });
    assert.equal(voided.res.status, 410);
    assert.equal(rows().accounts, before.accounts);

    // Used once: the second use is refused.
    assert.equal((await welcome(second.token, { username: 'eli' })).res.status, 303);
    assert.equal((await welcome(second.token, { username: 'eli2' })).res.status, 410);
    assert.equal(count("select count(*) from portal_accounts where username = 'eli2'"), 0);

    // Expired: 72 hours after it was made.
    const third = await invite(pid);
    const hash = crypto.createHash('sha256').update(third.token).digest('hex');
    sql(`update portal_invites set expires_at = '2000-01-01T00:00:00Z' where token_hash = '${hash}'`);
    assert.equal((await welcome(third.token, { username: 'eli3' })).res.status, 410);

    // Withdrawn before it was used: a revocation voids it.
    const fourth = await invite(pid);
    const s = staff.clinician;
    const rev = await post(srv, s.jar, `/staff/patients/${pid}/portal/revoke`, { csrf: s.csrf });
    assert.equal(rev.status, 303);
    assert.equal((await welcome(fourth.token, { username: 'eli4' })).res.status, 410);
    assert.equal(count("select count(*) from portal_accounts where username like 'eli_'"), 0);
});

test('revoking ends the session at once; a new invitation opens it again', async () => {
    const { pid, jar } = await portalPatient('Fay', 'fay.t');
    assert.equal((await get(srv, jar, '/me/')).status, 200);
    const s = staff.admissions;
    const rev = await post(srv, s.jar, `/staff/patients/${pid}/portal/revoke`, { csrf: s.csrf });
    assert.equal(rev.status, 303);
    assert.equal(rev.headers.location, `/staff/patients/${pid}/portal?revoked=1`);
    assert.equal(count(`select count(*) from audit_log where action = 'portal-revoke' and record_id = '${pid}'
        and user_email like 'admissions@%'`), 1);
    const gone = await get(srv, jar, '/me/');
    assert.equal(gone.status, 303);
    assert.match(gone.headers.location, /^\/me\/sign-in/);
    // Signing in with the old password: access ended.
    const form = await get(srv, new Jar(), '/me/sign-in');
    const jar2 = new Jar();
    const page = await get(srv, jar2, '/me/sign-in');
    const res = await post(srv, jar2, '/me/sign-in', { csrf: csrfOf(page.body), username: 'fay.t', password: PASSWORD });
    assert.equal(res.status, 401);
    assert.match(res.body, /access to Haven has ended/);
    assert.equal(form.status, 200);
    // Revoking twice: nothing to revoke.
    assert.equal((await post(srv, s.jar, `/staff/patients/${pid}/portal/revoke`, { csrf: s.csrf })).status, 409);
    const again = await invite(pid);
    assert.equal((await welcome(again.token, { username: 'fay.t2' })).res.status, 303);
});

test('sign-in: a good one, a shared device, and the pause after failures', async () => {
    const { jar: first } = await portalPatient('Gus', 'gus.w');
    // Sign out, then in again on a shared device: a cookie without Max-Age.
    const today = await get(srv, first, '/me/');
    const out = await post(srv, first, '/me/sign-out', { csrf: csrfOf(today.body) });
    assert.equal(out.status, 303);
    assert.equal(out.headers.location, '/me/sign-in?signed_out=1');
    assert.equal((await get(srv, first, '/me/')).status, 303);
    const jar = new Jar();
    let page = await get(srv, jar, '/me/sign-in');
    assert.equal(page.status, 200);
    assert.match(page.body, /<title>Haven<\/title>/);
    let res = await post(srv, jar, '/me/sign-in', { csrf: csrfOf(page.body), username: 'GUS.W', password: PASSWORD, shared: 'yes' });
    assert.equal(res.status, 303, res.body.slice(0, 300));
    assert.match(res.setCookies.find((c) => c.startsWith('haven_me=')), /^haven_me=[0-9a-f]{64}; Path=\/me; HttpOnly; SameSite=Lax$/);
    assert.equal(count("select shared from portal_sessions order by id desc limit 1"), 1);

    // Five wrong passwords pause the account: the right one is then refused too.
    const bad = new Jar();
    page = await get(srv, bad, '/me/sign-in');
    const csrf = csrfOf(page.body);
    for (let i = 0; i < 5; i++) {
        res = await post(srv, bad, '/me/sign-in', { csrf, username: 'gus.w', password: `wrong password ${i}` });
        assert.equal(res.status, 401);
        assert.match(res.body, /did not work/);
    }
    res = await post(srv, bad, '/me/sign-in', { csrf, username: 'gus.w', password: PASSWORD });
    assert.equal(res.status, 401);
    assert.equal(res.setCookies.some((c) => c.startsWith('haven_me=')), false);
    assert.equal(count("select count(*) from audit_log where action = 'lockout' and record_type = 'patient'"), 1);
    assert.ok(count("select count(*) from audit_log where action = 'sign-in-paused' and outcome = 'denied'") >= 1);
    assert.ok(count("select count(*) from audit_log where action = 'sign-in' and record_type = 'patient' and outcome = 'denied'") >= 5);
    // An unknown username and a missing token: refused, nothing said about which part.
    res = await post(srv, bad, '/me/sign-in', { csrf, username: 'nobody.here', password: PASSWORD });
    assert.equal(res.status, 401);
    res = await post(srv, bad, '/me/sign-in', { username: 'gus.w', password: PASSWORD });
    assert.equal(res.status, 401);
    assert.match(res.body, /Please try again/);
    res = await post(srv, bad, '/me/sign-in', { csrf });
    assert.equal(res.status, 401);
});

test('a patient cookie opens no staff route, a staff cookie no portal page', async () => {
    const { jar } = await portalPatient('Hal', 'hal.p');
    const token = jar.cookies.haven_me;
    const asStaff = new Jar({ haven_session: token });
    for (const path of ['/staff/', '/staff/patients']) {
        const res = await get(srv, asStaff, path);
        assert.equal(res.status, 303, path);
        assert.match(res.headers.location, /^\/staff\/sign-in/);
    }
    const patientCookieOnStaff = await request(srv.origin, 'GET', '/staff/', { headers: { cookie: `haven_me=${token}` } });
    assert.equal(patientCookieOnStaff.status, 303);
    const apiRes = await request(srv.origin, 'GET', '/api/v1/me', { headers: { cookie: `haven_me=${token}` } });
    assert.equal(apiRes.status, 401);
    // A staff session on /me/: sign-in, whether in its own cookie or put in the portal's.
    const member = staff.clinician.jar;
    assert.equal((await get(srv, member, '/me/')).status, 303);
    const swapped = new Jar({ haven_me: member.session });
    const res = await get(srv, swapped, '/me/');
    assert.equal(res.status, 303);
    assert.match(res.headers.location, /^\/me\/sign-in/);
    assert.equal((await get(srv, swapped, '/me/check-in')).status, 303);
});

test('patient A never reaches patient B: ids in addresses are ignored or refused', async () => {
    const a = await portalPatient('Ivy', 'ivy.a');
    const b = await portalPatient('Jon', 'jon.b');
    const bCode = sql(`select c.code from checkin_codes c join patients p on p.id = c.patient_id where p.public_id = '${b.pid}'`);
    assert.equal((await checkIn(b.jar, { ...GOOD, note: 'Private to Jon' })).status, 303);
    const paths = [`/me/?patient=${b.pid}`, `/me/?id=${b.pid}`, `/me/check-in?patient=${b.pid}`,
        `/me/check-in/done?id=${b.pid}`, `/me/${b.pid}`, `/me/check-in/${b.pid}`,
        `/staff/patients/${b.pid}/portal`, `/staff/patients/${b.pid}`, `/api/v1/patients/${b.pid}`];
    for (const path of paths) {
        const res = await get(srv, a.jar, path);
        assert.doesNotMatch(res.body, /Jon|Private to Jon/, path);
        if (bCode) assert.doesNotMatch(res.body, new RegExp(bCode), path);
    }
    // A's own done page (no check-in yet today) goes to the form, not to B's check-in.
    const done = await get(srv, a.jar, '/me/check-in/done');
    assert.equal(done.status, 303);
    assert.equal(done.headers.location, '/me/check-in');
    // A check-in posted with B's id lands on A's record.
    const sent = await checkIn(a.jar, { ...GOOD, patient: b.pid, patient_id: b.pid });
    assert.equal(sent.status, 303);
    assert.equal(count(`select count(*) from checkins c join patients p on p.id = c.patient_id where p.public_id = '${a.pid}'`), 1);
    assert.equal(count(`select count(*) from checkins c join patients p on p.id = c.patient_id where p.public_id = '${b.pid}'`), 1);
});

test('bad input on every form writes nothing', async () => {
    const pid = await admit('Kim', 'Lowe');
    const { token } = await invite(pid);
    let before = rows();
    const cases = [
        [{ username: 'ab' }, /Use 3 to 64 characters/],
        [{ username: 'has space' }, /no spaces/],
        [{ username: '' }, /Choose a username/],
        [{ username: 'kim.l', password: 'short', confirm: 'short' }, /at least 12 characters/],
        [{ username: 'kim.l', password: 'password1234', confirm: 'password1234' }, /too common/],
        [{ username: 'kim.lowe.longname', password: 'kim.lowe.longname', confirm: 'kim.lowe.longname' }, /username as your password/],
        [{ username: 'kim.l', confirm: 'another passphrase 9' }, /not the same/],
        [{ username: 'gus.w' }, /That username is taken/],
    ];
    for (const [fields, message] of cases) {
        const { res } = await welcome(token, fields);
        assert.equal(res.status, 422, JSON.stringify(fields));
        assert.match(res.body, message, JSON.stringify(fields));
        assert.doesNotMatch(res.body, new RegExp(PASSWORD), 'the password never comes back');
    }
    // Without the form's token: the form again, nothing made.
    const jar = new Jar();
    await get(srv, jar, `/me/welcome?token=${token}`);
    const stale = await post(srv, jar, '/me/welcome', { token, username: 'kim.l', password: PASSWORD, confirm: PASSWORD });
    assert.equal(stale.status, 403);
    assert.match(stale.body, /<title>Haven<\/title>/);
    assert.deepEqual(rows(), before);

    // The check-in: each answer at and past its bounds.
    const { jar: p } = await portalPatient('Lou', 'lou.m');
    before = rows();
    const bad = [
        [{ ...GOOD, craving: '11' }, 'craving'], [{ ...GOOD, craving: '-1' }, 'craving'],
        [{ ...GOOD, craving: '' }, 'craving'], [{ ...GOOD, confidence: '10.5' }, 'confidence'],
        [{ ...GOOD, mood: 'great' }, 'mood'], [{ ...GOOD, sleep: undefined }, 'sleep'],
        [{ ...GOOD, used: 'maybe' }, 'used'], [{ ...GOOD, trigger: 'Aliens' }, 'triggers'],
        [{ ...GOOD, note: 'x'.repeat(1001) }, 'note'],
    ];
    for (const [answers, field] of bad) {
        const clean = Object.fromEntries(Object.entries(answers).filter(([, v]) => v !== undefined));
        const res = await checkIn(p, clean);
        assert.equal(res.status, 422, field);
        assert.match(res.body, new RegExp(`id="${field}-error"`), field);
        assert.match(res.body, /id="form-errors"/, field);
    }
    // The bounds themselves are fine.
    assert.equal((await checkIn(p, { ...GOOD, craving: '0', confidence: '10', note: 'y'.repeat(1000) })).status, 303);
    assert.equal(rows().checkins, before.checkins + 1);
    const noToken = await post(srv, p, '/me/check-in', { ...GOOD, csrf: 'f'.repeat(64) });
    assert.equal(noToken.status, 403);
    assert.match(noToken.body, /<title>Haven<\/title>/);
    assert.equal(rows().checkins, before.checkins + 1);
    assert.equal(rows().alerts, before.alerts);
    assert.ok(count("select count(*) from audit_log where action = 'create' and record_type = 'checkin' and outcome = 'invalid'") >= 9);
    // Staff forms: a stale CSRF token changes nothing.
    const s = staff.clinician;
    const inv = await post(srv, s.jar, `/staff/patients/${pid}/portal/invite`, { csrf: 'f'.repeat(64) });
    assert.equal(inv.status, 403);
    assert.equal((await post(srv, s.jar, '/staff/patients/0123456789abcdef0123456789abcdef/portal/invite', { csrf: s.csrf })).status, 404);
});

test('aftercare: access lasts the clinic\'s days after discharge, then ends', async () => {
    const { pid, jar } = await portalPatient('Max', 'max.d');
    sql(`update patients set status = 'discharged', discharge_date = '${TODAY}' where public_id = '${pid}'`);
    assert.equal((await get(srv, jar, '/me/')).status, 200);
    const old = new Date(Date.now() - 31 * 86400e3).toISOString().slice(0, 10);
    sql(`update patients set discharge_date = '${old}' where public_id = '${pid}'`);
    const res = await get(srv, jar, '/me/');
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/me/sign-in?expired=1');
    const inv = await post(srv, staff.clinician.jar, `/staff/patients/${pid}/portal/invite`, { csrf: staff.clinician.csrf });
    assert.equal(inv.status, 409);
});
