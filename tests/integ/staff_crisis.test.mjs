// Issue 7, the staff side, over plain HTTP on a server in the clinic's zone (America/Chicago):
// the staff home counts what needs a call now (crisis requests nobody has reached, call-backs
// overdue, the member's follow-ups due), each a link to the queue filtered to it, for the roles
// that work the queue only; a crisis referral opens with its clinical summary and the crisis
// protocol before the forms; calls and closings record the crisis hand-offs; scheduling the
// intake takes a date and time (checked; shown in the clinic's zone); intake notes reach the
// chart and the printout; revoking a consent asks first (how, and a ticked confirmation naming
// the patient) and the chart, the printout and the timeline say how. Every write with bad
// input answers 422 by the field and writes nothing (rows counted with the sqlite3 CLI).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, countRows } from '../helpers/server.mjs';
import { PROFILES } from '../helpers/profiles.mjs';
import { signIn, get, post } from '../helpers/staff.mjs';
import { makeReferral, makePatient, makeConsent } from '../helpers/records.mjs';

const ZONE = 'America/Chicago';
let srv;
const who = {}; // role -> { jar, csrf }

before(async () => {
    srv = await startServer({ demo: true, extraArgs: ['--timezone', ZONE] });
    for (const role of ['admin', 'admissions', 'clinician', 'medical', 'billing', 'auditor']) {
        who[role] = await signIn(srv, role);
    }
});
after(async () => { if (srv) await srv.stop(); });

const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();
const g = (role, path) => get(srv, who[role].jar, path);
const p = (role, path, fields) => post(srv, who[role].jar, path, { csrf: who[role].csrf, ...fields });
const rows = (t) => countRows(srv.db, t);
const userId = (role) => sql(`select id from users where email = '${role}@demo.haven'`);
const publicUserId = (role) => sql(`select public_id from users where email = '${role}@demo.haven'`);
/** The clinic's date, days from today, as YYYY-MM-DD. */
const clinicDate = (days = 0) => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE })
    .format(new Date(Date.now() + days * 86400_000));
const count = (html, id) => {
    const m = html.match(new RegExp(`id="${id}"[^>]*data-count="(\\d+)"`));
    return m ? Number(m[1]) : null;
};
const listed = (html) => [...html.matchAll(/<tr data-referral="([0-9a-f]{32})"/g)].map((m) => m[1]);
const fieldError = (html, field) => new RegExp(`id="${field}-error"`).test(html);

// ------------------------------------------------------------------ point 7: the staff home

test('the home counts what needs a call now, each a link to the queue filtered to it', async () => {
    const crisis = await makeReferral(srv, 'Casey Crisis', PROFILES.acute);
    const plain = await makeReferral(srv, 'Pat Plain', PROFILES.php);
    // An old request nobody called: overdue (a Monday morning, years ago).
    sql(`update referrals set created_at = '2024-03-04T15:00:00Z' where public_id = '${plain}'`);

    let home = await g('admissions', '/staff/');
    assert.equal(count(home.body, 'due-crisis'), 1);
    assert.equal(count(home.body, 'due-overdue'), 1);
    assert.equal(count(home.body, 'due-mine'), 0);
    assert.match(home.body, /1 crisis request nobody has reached yet/);
    assert.match(home.body, /href="\/staff\/queue\?due=crisis"/);
    assert.match(home.body, /staff-due-crisis/, 'a waiting crisis request is marked');
    assert.doesNotMatch(home.body, /class="staff-links"/, 'the menu is not repeated');

    // The filtered queues list exactly those, each read audited as a list.
    const from = Number(sql('select max(id) from audit_log'));
    const c = await g('admissions', '/staff/queue?due=crisis');
    assert.equal(c.status, 200);
    assert.deepEqual(listed(c.body), [crisis]);
    assert.match(c.body, /id="queue-due" class="notice" data-due="crisis"/);
    // One list entry for the view, naming the ids it showed (audit_listed).
    assert.equal(sql(`select count(*) from audit_log where id > ${from} and action = 'list'`), '1');
    assert.equal(sql(`select group_concat(l.record_id) from audit_listed l join audit_log a on a.id = l.entry_id
                      where a.id > ${from} and a.action = 'list'`), crisis);
    assert.deepEqual(listed((await g('admissions', '/staff/queue?due=overdue')).body), [plain]);
    assert.deepEqual(listed((await g('admissions', '/staff/queue?due=mine')).body), []);
    assert.match((await g('admissions', '/staff/queue?due=mine')).body, /id="queue-empty"/);

    // A voicemail with a follow-up today, assigned to the admissions worker: no longer overdue
    // (a call stops the clock), now one of their follow-ups; not the clinician's.
    assert.equal((await p('admissions', `/staff/referrals/${plain}/assign`, { assignee: publicUserId('admissions') })).status, 303);
    assert.equal((await p('admissions', `/staff/referrals/${plain}/calls`, { outcome: 'voicemail', next_follow_up: clinicDate() })).status, 303);
    home = await g('admissions', '/staff/');
    assert.equal(count(home.body, 'due-overdue'), 0);
    assert.equal(count(home.body, 'due-mine'), 1);
    assert.match(home.body, /1 follow-up of yours due/);
    assert.deepEqual(listed((await g('admissions', '/staff/queue?due=mine')).body), [plain]);
    assert.equal(count((await g('clinician', '/staff/')).body, 'due-mine'), 0);
    assert.deepEqual(listed((await g('clinician', '/staff/queue?due=mine')).body), []);
    // A follow-up for tomorrow is not due today.
    sql(`update referrals set next_follow_up = '${clinicDate(1)}' where public_id = '${plain}'`);
    assert.equal(count((await g('admissions', '/staff/')).body, 'due-mine'), 0);

    // Reaching the crisis person (a warm hand-off) takes them off the crisis count.
    assert.equal((await p('admissions', `/staff/referrals/${crisis}/calls`, { outcome: 'handed-to-988' })).status, 303);
    assert.equal(count((await g('admissions', '/staff/')).body, 'due-crisis'), 0);
    assert.deepEqual(listed((await g('admissions', '/staff/queue?due=crisis')).body), []);
    // An unknown filter is the whole queue.
    assert.ok(listed((await g('admissions', '/staff/queue?due=nonsense')).body).includes(plain));
});

test('the counts are only for the roles that may open the queue', async () => {
    const admin = await g('admin', '/staff/');
    assert.notEqual(count(admin.body, 'due-crisis'), null, 'admin works the queue');
    assert.equal(count(admin.body, 'due-mine'), null, 'nobody assigns referrals to an admin');
    for (const role of ['medical', 'billing', 'auditor']) {
        const home = await g(role, '/staff/');
        assert.equal(home.status, 200);
        assert.doesNotMatch(home.body, /id="needs-action"|\/staff\/queue\?due=/, `${role}: no queue counts`);
    }
    assert.equal((await g('billing', '/staff/queue?due=crisis')).status, 403);
});

// ------------------------------------------------------------------ point 7: the crisis referral

test('a crisis referral opens with its clinical summary and the protocol, before the forms', async () => {
    const id = await makeReferral(srv, 'Robin Acute', PROFILES.acute);
    const page = await g('admissions', `/staff/referrals/${id}`);
    assert.equal(page.status, 200);
    const at = (s) => page.body.indexOf(s);
    assert.ok(at('id="crisis"') > 0 && at('id="crisis"') < at('id="call-form"'), 'the summary before the forms');
    assert.ok(at('id="crisis-protocol"') < at('id="call-form"'), 'the protocol before the forms');
    assert.ok(at('id="clinical-summary"') < at('id="crisis-protocol"'));
    assert.match(page.body, /href="tel:988"/);
    assert.match(page.body, /href="tel:911"/);
    assert.match(page.body, /id="crisis-call" class="button button-crisis" href="tel:555-010-0199"/);
    assert.match(page.body, /[Ww]arm hand-off/);
    assert.match(page.body, /[Ww]elfare check/);
    assert.match(page.body, /Emergency care now/, 'the level suggested');
    // The answer that needs a person now, named and marked.
    assert.match(page.body, /<ul class="adm-urgent"[^>]*><li><strong>Are you having thoughts of killing yourself right now\?<\/strong> Yes/);
    // Dangerous withdrawal: the hand-off names emergency services for it, and its answers.
    const wd = await makeReferral(srv, 'Wes Withdrawal', PROFILES.withdrawalNow);
    const wpage = await g('admissions', `/staff/referrals/${wd}`);
    assert.match(wpage.body, /withdrawal that may be dangerous/);
    assert.match(wpage.body, /Do you have withdrawal symptoms right now\?<\/strong> Yes/);
    assert.doesNotMatch(wpage.body, /call 988/, 'no suicide risk: no 988 hand-off named');
    // An ordinary referral keeps its page as it was.
    const plain = await makeReferral(srv, 'Ordinary Person', PROFILES.php);
    assert.doesNotMatch((await g('admissions', `/staff/referrals/${plain}`)).body, /id="crisis"/);
    // Closed: the summary stays, the protocol goes.
    assert.equal((await p('admissions', `/staff/referrals/${id}/status`, { to: 'closed', close_reason: 'emergency-services' })).status, 303);
    const closed = await g('admissions', `/staff/referrals/${id}`);
    assert.match(closed.body, /id="clinical-summary"/);
    assert.doesNotMatch(closed.body, /id="crisis-protocol"/);
    assert.match(closed.body, /Closed \(Sent to emergency services \(911\)\)/);
});

test('call outcomes and close reasons include the crisis hand-offs, on the page and in the history', async () => {
    const labels = {
        'handed-to-988': 'Reached: handed to 988 (warm hand-off)',
        'emergency-services': 'Reached: sent to emergency services (911)',
        'referred-elsewhere': 'Reached: referred elsewhere',
        'welfare-check': 'Not reached: welfare check asked for',
    };
    for (const [outcome, label] of Object.entries(labels)) {
        const id = await makeReferral(srv, 'Hand Off', PROFILES.acute);
        const page = await g('admissions', `/staff/referrals/${id}`);
        assert.match(page.body, new RegExp(`<option value="${outcome}">`), `${outcome} offered`);
        assert.equal((await p('admissions', `/staff/referrals/${id}/calls`, { outcome })).status, 303);
        const after_ = await g('admissions', `/staff/referrals/${id}`);
        assert.ok(after_.body.includes(label), `${outcome} shown`);
        const status = sql(`select status from referrals where public_id = '${id}'`);
        assert.equal(status, outcome === 'welfare-check' ? 'new' : 'contacted', `${outcome}: reached or not`);
    }
    const id = await makeReferral(srv, 'Closing Person', PROFILES.acute);
    for (const reason of ['handed-to-988', 'emergency-services', 'referred-elsewhere']) {
        assert.match((await g('admissions', `/staff/referrals/${id}`)).body, new RegExp(`<option value="${reason}">`));
    }
    const before_ = [rows('referral_events'), sql(`select status from referrals where public_id = '${id}'`)].join();
    const bad = await p('admissions', `/staff/referrals/${id}/status`, { to: 'closed', close_reason: 'welfare-check' });
    assert.equal(bad.status, 422);
    assert.ok(fieldError(bad.body, 'close_reason'));
    assert.match(bad.body, /<option value="closed" selected>/, 'the choice is kept');
    assert.equal([rows('referral_events'), sql(`select status from referrals where public_id = '${id}'`)].join(), before_);
    assert.equal((await p('admissions', `/staff/referrals/${id}/status`, { to: 'closed', close_reason: 'handed-to-988' })).status, 303);
    const page = await g('admissions', `/staff/referrals/${id}`);
    assert.match(page.body, /Closed \(Handed to 988 \(warm hand-off\)\)/);
    assert.match(page.body, /Status: New to Closed \(Handed to 988 \(warm hand-off\)\)/);
});

// ------------------------------------------------------------------ point 9: the intake's time

test('scheduling the intake takes a date and time, checked, kept, shown in the clinic\'s zone', async () => {
    const id = await makeReferral(srv, 'Ina Intake', PROFILES.php);
    assert.equal((await p('admissions', `/staff/referrals/${id}/calls`, { outcome: 'reached' })).status, 303);
    const snapshot = () => [rows('referral_events'),
        sql(`select status || '|' || coalesce(intake_at, '-') from referrals where public_id = '${id}'`)].join();
    const s0 = snapshot();
    const page = await g('admissions', `/staff/referrals/${id}`);
    assert.match(page.body, /<input type="date" id="intake_date" name="intake_date"/);
    assert.match(page.body, /<input type="time" id="intake_time" name="intake_time"/);
    const day = clinicDate(7);
    for (const [fields, bad] of [
        [{}, ['intake_date', 'intake_time']],
        [{ intake_date: day }, ['intake_time']],
        [{ intake_time: '14:30' }, ['intake_date']],
        [{ intake_date: clinicDate(-1), intake_time: '14:30' }, ['intake_date']],
        [{ intake_date: clinicDate(400), intake_time: '14:30' }, ['intake_date']],
        [{ intake_date: '2026-02-30', intake_time: '14:30' }, ['intake_date']],
        [{ intake_date: day, intake_time: '25:00' }, ['intake_time']],
        [{ intake_date: day, intake_time: '2pm' }, ['intake_time']],
    ]) {
        const res = await p('admissions', `/staff/referrals/${id}/status`, { to: 'intake-scheduled', reason: 'kept note', ...fields });
        assert.equal(res.status, 422, JSON.stringify(fields));
        for (const f of bad) assert.ok(fieldError(res.body, f), `${JSON.stringify(fields)}: ${f}`);
        assert.match(res.body, /kept note/, 'input kept');
        assert.equal(snapshot(), s0, `${JSON.stringify(fields)}: nothing written`);
    }
    const ok = await p('admissions', `/staff/referrals/${id}/status`, { to: 'intake-scheduled', intake_date: day, intake_time: '14:30' });
    assert.equal(ok.status, 303, ok.body.slice(0, 300));
    // Stored in UTC: 14:30 in Chicago is 19:30 or 20:30 UTC (daylight saving or not).
    const stored = sql(`select intake_at from referrals where public_id = '${id}'`);
    assert.match(stored, new RegExp(`^${day}T(19|20):30:00Z$`));
    // Shown on the clinic's clock, on the referral, its history and the queue.
    const shown = new RegExp(`${day} 14:30 C[DS]T`);
    const after_ = await g('admissions', `/staff/referrals/${id}`);
    assert.match(after_.body, new RegExp(`<dd id="intake-at">${shown.source}</dd>`));
    assert.match(after_.body, new RegExp(`Status: Contacted to Intake scheduled \\(intake ${shown.source}\\)`));
    const q = await g('admissions', '/staff/queue?status=intake-scheduled');
    assert.match(q.body, new RegExp(`Intake ${shown.source}`));
    // Other moves ignore the fields.
    const other = await makeReferral(srv, 'Other Move', PROFILES.php);
    assert.equal((await p('admissions', `/staff/referrals/${other}/status`, { to: 'contacted', intake_date: 'garbage' })).status, 303);
    assert.equal(sql(`select coalesce(intake_at, '-') from referrals where public_id = '${other}'`), '-');
});

test('the intake form: a time when given (checked), else now; notes reach the chart and the printout', async () => {
    const id = await makeReferral(srv, 'Nora Notes', PROFILES.php);
    assert.equal((await p('admissions', `/staff/referrals/${id}/calls`, { outcome: 'reached' })).status, 303);
    const s0 = [rows('intakes'), rows('referral_events')].join();
    const bad = await p('clinician', `/staff/referrals/${id}/intake`, { confirmed_level: 'php', intake_date: clinicDate(1), intake_time: '9h', notes: 'Kept text' });
    assert.equal(bad.status, 422);
    assert.ok(fieldError(bad.body, 'intake_time'));
    assert.match(bad.body, /Kept text/);
    assert.equal([rows('intakes'), rows('referral_events')].join(), s0, 'nothing written');
    const notes = 'Prefers evening groups.\nSafety plan reviewed with her sister.';
    const t0 = Date.now();
    assert.equal((await p('clinician', `/staff/referrals/${id}/intake`, { confirmed_level: 'php', notes })).status, 303);
    const at = Date.parse(sql(`select intake_at from referrals where public_id = '${id}'`));
    assert.ok(Math.abs(at - t0) < 120_000, 'no time given: the intake is now');
    const form = await g('clinician', `/staff/referrals/${id}/intake`);
    assert.match(form.body, /id="intake_date" name="intake_date" value="\d{4}-\d\d-\d\d"/, 'filled in again');
    const counsellor = publicUserId('clinician');
    const admit = await p('admissions', `/staff/referrals/${id}/admit`, {
        first_name: 'Nora', last_name: 'Notes', date_of_birth: '1990-01-02', phone: '555-010-0142',
        emergency_name: 'Sis Notes', emergency_phone: '555-010-0143', emergency_relationship: 'sister',
        counsellor, admission_date: clinicDate(), level: 'php', track: '', status: 'active',
    });
    assert.equal(admit.status, 303, admit.body.slice(0, 300));
    const chart = admit.headers.location;
    for (const path of [chart, `${chart}/print`]) {
        const res = await g('clinician', path);
        assert.equal(res.status, 200);
        assert.match(res.body, /<p id="intake-notes" class="adm-note">Prefers evening groups\.\nSafety plan reviewed with her sister\.<\/p>/, path);
    }
    // Billing's view has no clinical notes.
    assert.doesNotMatch((await g('billing', chart)).body, /Prefers evening groups/);
});

// ------------------------------------------------------------------ point 9: revoking a consent

test('revoking a consent asks first, names the patient, records how; chart, printout and timeline say it', async () => {
    const staff = { admissions: who.admissions, clinician: who.clinician };
    const pid = await makePatient(srv, staff, 'Rae Revoke');
    const cid = await makeConsent(srv, staff, pid, 'Rae Revoke');
    const chart = await g('clinician', `/staff/patients/${pid}`);
    assert.match(chart.body, new RegExp(`href="/staff/patients/${pid}/consents/${cid}/revoke"`));
    assert.doesNotMatch(chart.body, /<form[^>]*\/revoke"/, 'no one-click revoke form');

    const from = Number(sql('select max(id) from audit_log'));
    const page = await g('clinician', `/staff/patients/${pid}/consents/${cid}/revoke`);
    assert.equal(page.status, 200);
    assert.match(page.body, /Revoke Rae Revoke(&#39;|')s consent to disclose to Dr\. Lee\?/);
    assert.match(page.body, /nothing may be disclosed to Dr\. Lee under this consent/);
    assert.match(page.body, /Yes, revoke Rae Revoke(&#39;|')s consent to disclose to Dr\. Lee/);
    assert.match(page.body, /id="how-in-writing"/);
    assert.match(page.body, /id="how-verbally"/);
    assert.equal(sql(`select action || '|' || record_type || '|' || record_id || '|' || outcome from audit_log where id > ${from}`),
        `view|patient|${pid}|ok`);

    const state = () => [sql(`select coalesce(revoked_at, '-') || coalesce(revoked_how, '-') from consents where public_id = '${cid}'`),
        sql(`select count(*) from patient_events where kind = 'consent-revoked'`)].join();
    const s0 = state();
    for (const [fields, bad] of [
        [{}, ['how', 'confirm']], [{ how: 'verbally' }, ['confirm']], [{ confirm: 'yes' }, ['how']],
        [{ how: 'by-pigeon', confirm: 'yes' }, ['how']], [{ how: 'verbally', confirm: 'no' }, ['confirm']],
    ]) {
        const n0 = Number(sql('select max(id) from audit_log'));
        const res = await p('clinician', `/staff/patients/${pid}/consents/${cid}/revoke`, fields);
        assert.equal(res.status, 422, JSON.stringify(fields));
        for (const f of bad) assert.ok(fieldError(res.body, f), `${JSON.stringify(fields)}: ${f}`);
        assert.match(res.body, /Rae Revoke/, 'the page again, naming the patient');
        assert.equal(state(), s0, `${JSON.stringify(fields)}: nothing written`);
        assert.equal(sql(`select action || '|' || record_type || '|' || record_id || '|' || outcome from audit_log where id > ${n0}`),
            `update|consent|${cid}|invalid`);
    }
    assert.match((await p('clinician', `/staff/patients/${pid}/consents/${cid}/revoke`, { how: 'verbally' })).body,
        /<input type="radio" id="how-verbally" name="how" value="verbally" checked>/, 'the choice is kept');
    const ok = await p('clinician', `/staff/patients/${pid}/consents/${cid}/revoke`, { how: 'verbally', confirm: 'yes' });
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.location, `/staff/patients/${pid}#consents`);
    assert.equal(sql(`select revoked_how from consents where public_id = '${cid}'`), 'verbally');

    const after_ = await g('clinician', `/staff/patients/${pid}`);
    assert.match(after_.body, new RegExp(`data-consent="${cid}"[\\s\\S]*?Revoked \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d C[DS]T by Demo Clinician, verbally`));
    assert.match(after_.body, /Consent to disclose to Dr\. Lee revoked \(verbally\)/);
    assert.match(after_.body, /Consent to disclose to Dr\. Lee recorded/);
    const print = await g('clinician', `/staff/patients/${pid}/print`);
    assert.match(print.body, /Revoked [^<]* by Demo Clinician, verbally/);
    assert.match(print.body, /id="timeline"[\s\S]*Consent to disclose to Dr\. Lee revoked \(verbally\)/);
    // Once revoked: no page, no second revocation; a consent of nobody's: 404; billing: 403.
    assert.equal((await g('clinician', `/staff/patients/${pid}/consents/${cid}/revoke`)).status, 409);
    assert.equal((await p('clinician', `/staff/patients/${pid}/consents/${cid}/revoke`, { how: 'verbally', confirm: 'yes' })).status, 409);
    assert.equal((await g('clinician', `/staff/patients/${pid}/consents/${'0'.repeat(32)}/revoke`)).status, 404);
    assert.equal((await g('billing', `/staff/patients/${pid}/consents/${cid}/revoke`)).status, 403);
    // A revocation from before how was asked says so.
    const cid2 = await makeConsent(srv, staff, pid, 'Rae Revoke');
    sql(`update consents set revoked_at = '2026-01-05T15:00:00Z', revoked_by = ${userId('clinician')} where public_id = '${cid2}'`);
    assert.match((await g('clinician', `/staff/patients/${pid}`)).body,
        new RegExp(`data-consent="${cid2}"[\\s\\S]*?Revoked 2026-01-05 09:00 CST by Demo Clinician, how: not recorded`));
});
