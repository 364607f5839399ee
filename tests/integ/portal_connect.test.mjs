// The patient's side that connects them with the care team (issue 11) on the real binary:
// questionnaires due answered in the portal (stored with the staff's measures; PHQ-9 item 9
// above 0 shows the crisis lines and raises the counsellor's urgent alert), the journal and
// its sharing rule (staff read shared entries only), messages (a patient's threads, the staff
// inbox with unread counts, overdue marks and answers, the notification choice) and My
// progress (hours, check-in and questionnaire charts, days since). Refusals: bad and missing
// input writing nothing, one patient reaching another's thread, journal entry or progress by
// any address, staff outside a patient's care and the roles that read no clinical text.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, stderrMatching } from '../helpers/server.mjs';
import { Jar, api, csrfOf, get, post, signIn, demoAccounts } from '../helpers/staff.mjs';

const TODAY = new Date().toISOString().slice(0, 10);
const PASSWORD = 'river stone lantern 42';

let srv;
const staff = {};
const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();
const count = (q) => Number(sql(q));
const rows = () => ({
    measures: count('select count(*) from measures'),
    alerts: count('select count(*) from clinical_alerts'),
    journal: count('select count(*) from journal_entries'),
    shared: count('select count(*) from journal_entries where shared = 1'),
    threads: count('select count(*) from message_threads'),
    messages: count('select count(*) from messages'),
    prefs: count('select count(*) from portal_prefs'),
});

/** A patient admitted over the API, counselled by the clinician (or the admin); public id. */
async function admit(first, counsellor = 'clinician') {
    const res = await api(srv, staff.admin, 'POST', '/api/v1/patients', {
        first_name: first, last_name: 'Tester', date_of_birth: '1990-02-03', phone: '555-010-0100',
        emergency_name: 'Kin Person', emergency_phone: '555-010-0101',
        emergency_relationship: 'sister', admission_date: TODAY, level: 'iop',
        ...(counsellor === 'clinician' ? { counsellor_email: demoAccounts(srv).clinician.email } : {}) });
    assert.equal(res.status, 201, res.body);
    return res.data.id;
}

/** A patient signed in to the portal: { pid, jar }. */
async function portalPatient(first, counsellor) {
    const pid = await admit(first, counsellor);
    const inv = await post(srv, staff.clinician.jar, `/staff/patients/${pid}/portal/invite`,
        { csrf: staff.clinician.csrf });
    const token = inv.body.match(/\/me\/welcome\?token=([0-9a-f]{64})</)[1];
    const jar = new Jar();
    const page = await get(srv, jar, `/me/welcome?token=${token}`);
    const res = await post(srv, jar, '/me/welcome', { csrf: csrfOf(page.body), token,
        username: `${first.toLowerCase()}-${pid.slice(0, 6)}`, password: PASSWORD, confirm: PASSWORD });
    assert.equal(res.status, 303, res.body.slice(0, 500));
    return { pid, jar };
}

/** GET a portal page, then POST a form with its token. */
async function postFrom(jar, page, path, fields) {
    const form = await get(srv, jar, page);
    assert.equal(form.status, 200, form.body.slice(0, 300));
    return post(srv, jar, path, { csrf: csrfOf(form.body), ...fields });
}

const answers = (n, v = '1', over = {}) =>
    Object.fromEntries([...Array(n).keys()].map((i) => [`item${i + 1}`, over[i + 1] ?? v]));

let a, b, c; // a and b: the clinician's patients; c: the admin's

before(async () => {
    srv = await startServer({ demo: true, extraArgs: ['--timezone', 'UTC'] });
    for (const role of ['admin', 'clinician', 'admissions', 'medical', 'billing', 'auditor']) {
        staff[role] = await signIn(srv, role);
    }
    a = await portalPatient('Avery');
    b = await portalPatient('Blake');
    c = await portalPatient('Casey', 'admin');
});
after(async () => { if (srv) await srv.stop(); });

test('questionnaires due: the forms, bad answers refused, a PHQ-9 with item 9 = 1 shows 988 and alerts', async () => {
    const page = await get(srv, a.jar, '/me/questionnaires');
    assert.equal(page.status, 200);
    assert.match(page.body, /<title>Haven<\/title>/);
    assert.match(page.body, /id="q-phq9"/);
    assert.match(page.body, /id="q-gad7"/);
    assert.match(page.body, /name="item9" value="3"/);
    assert.match(page.body, /Not at all/);
    assert.match(page.body, /href="\/me\/questionnaires"[^>]*aria-current="page"/);

    // Item 4 left out: 422 naming it, nothing stored.
    const before = rows();
    const missing = answers(9, '0');
    delete missing.item4;
    let res = await postFrom(a.jar, '/me/questionnaires', '/me/questionnaires', { instrument: 'phq9', ...missing });
    assert.equal(res.status, 422);
    assert.match(res.body, /PHQ-9, question 4: choose the answer/);
    assert.match(res.body, /href="#phq9-item4"/);
    assert.match(res.body, /name="item3" value="0" checked/);
    // Out of range, unknown instrument, not scheduled (craving), no token.
    res = await postFrom(a.jar, '/me/questionnaires', '/me/questionnaires', { instrument: 'phq9', ...answers(9, '0', { 2: '4' }) });
    assert.equal(res.status, 422);
    assert.match(res.body, /question 2/);
    res = await postFrom(a.jar, '/me/questionnaires', '/me/questionnaires', { instrument: 'bdi', ...answers(9) });
    assert.equal(res.status, 409);
    res = await postFrom(a.jar, '/me/questionnaires', '/me/questionnaires', { instrument: 'craving', item1: '5' });
    assert.equal(res.status, 409);
    res = await post(srv, a.jar, '/me/questionnaires', { instrument: 'phq9', ...answers(9, '0') });
    assert.equal(res.status, 403);
    assert.deepEqual(rows(), before);

    // Item 9 = 1: stored as a portal measure, the urgent alert raised, the crisis lines at once.
    res = await postFrom(a.jar, '/me/questionnaires', '/me/questionnaires', { instrument: 'phq9', ...answers(9, '1') });
    assert.equal(res.status, 303, res.body.slice(0, 400));
    assert.match(res.headers.location, /^\/me\/questionnaires\/done\?id=[0-9a-f]{32}$/);
    const id = res.headers.location.split('=')[1];
    assert.equal(count(`select count(*) from measures m join patients p on p.id = m.patient_id
        where m.public_id = '${id}' and p.public_id = '${a.pid}' and m.source = 'portal'
        and m.instrument = 'phq9' and m.total = 9 and m.entered_by is null`), 1);
    const done = await get(srv, a.jar, res.headers.location);
    assert.equal(done.status, 200);
    assert.match(done.body, /href="tel:988"[^>]*>Call 988/);
    assert.match(done.body, /href="sms:988"/);
    assert.match(done.body, /href="tel:911"/);
    assert.match(done.body, /id="clinic-phone"/);
    assert.match(done.body, /your counsellor, has been told/);
    const alerts = await api(srv, staff.clinician, 'GET', '/api/v1/clinical-alerts');
    assert.equal(alerts.status, 200);
    const mine = alerts.data.filter((x) => x.patient_id === a.pid && x.kind === 'phq9-item9');
    assert.equal(mine.length, 1);
    assert.equal(mine[0].urgent, true);
    assert.equal(mine[0].mine, true);
    assert.equal(mine[0].source_id, id);
    assert.equal(count(`select count(*) from audit_log where action = 'create' and record_type = 'measure'
        and record_id = '${id}' and user_email = 'patient:${a.pid}' and roles = 'patient'`), 1);
    // The staff's Measures page shows the same measure (the same table).
    const chart = await get(srv, staff.clinician.jar, `/staff/patients/${a.pid}/measures`);
    assert.match(chart.body, new RegExp(id));
    // Answered: no longer due, a second post is refused; B cannot open A's answer page.
    res = await postFrom(a.jar, '/me/questionnaires', '/me/questionnaires', { instrument: 'phq9', ...answers(9, '0') });
    assert.equal(res.status, 409);
    const other = await get(srv, b.jar, `/me/questionnaires/done?id=${id}`);
    assert.equal(other.status, 303);
    assert.equal(other.headers.location, '/me/questionnaires');

    // A GAD-7 with no risk answer: thanks, no crisis block.
    res = await postFrom(a.jar, '/me/questionnaires', '/me/questionnaires', { instrument: 'gad7', ...answers(7, '2') });
    assert.equal(res.status, 303);
    const calm = await get(srv, a.jar, res.headers.location);
    assert.match(calm.body, /id="answers-saved"/);
    assert.doesNotMatch(calm.body, /id="help"/);
});

test('journal: private by default, shared on request, staff read shared entries only', async () => {
    const before = rows();
    // Bad and missing input: nothing written.
    for (const bad of [{ day: TODAY, body: '' }, { day: '', body: 'x' }, { day: '2999-01-01', body: 'x' },
        { day: 'soon', body: 'x' }, { day: TODAY, body: 'x'.repeat(4001) }]) {
        const res = await postFrom(a.jar, '/me/journal', '/me/journal', bad);
        assert.equal(res.status, 422, JSON.stringify(bad).slice(0, 80));
        assert.match(res.body, /id="form-errors"/);
    }
    assert.deepEqual(rows(), before);

    let res = await postFrom(a.jar, '/me/journal', '/me/journal', { day: TODAY, body: 'Private thought <b>one</b>' });
    assert.equal(res.status, 303);
    res = await postFrom(a.jar, '/me/journal', '/me/journal', { day: TODAY, body: 'A hard evening, shared', shared: 'yes' });
    assert.equal(res.status, 303);
    assert.equal(rows().journal, before.journal + 2);
    assert.equal(rows().shared, before.shared + 1);
    const page = await get(srv, a.jar, '/me/journal');
    assert.match(page.body, /Private thought &lt;b&gt;one&lt;\/b&gt;/);
    const priv = sql(`select public_id from journal_entries where body like 'Private thought%'`);

    // The clinician sees the shared entry only; billing, auditor, admissions and admin none.
    let staffPage = await get(srv, staff.clinician.jar, `/staff/patients/${a.pid}/journal`);
    assert.equal(staffPage.status, 200);
    assert.match(staffPage.body, /A hard evening, shared/);
    assert.doesNotMatch(staffPage.body, /Private thought/);
    for (const role of ['billing', 'auditor', 'admissions', 'admin']) {
        const r = await get(srv, staff[role].jar, `/staff/patients/${a.pid}/journal`);
        assert.equal(r.status, 403, role);
        assert.doesNotMatch(r.body, /A hard evening/);
    }
    // The patient shares the private one later, then takes it back.
    res = await postFrom(a.jar, '/me/journal', `/me/journal/${priv}/sharing`, { shared: 'yes' });
    assert.equal(res.status, 303);
    staffPage = await get(srv, staff.medical.jar, `/staff/patients/${a.pid}/journal`);
    assert.match(staffPage.body, /Private thought/);
    res = await postFrom(a.jar, '/me/journal', `/me/journal/${priv}/sharing`, { shared: 'no' });
    assert.equal(res.status, 303);
    staffPage = await get(srv, staff.clinician.jar, `/staff/patients/${a.pid}/journal`);
    assert.doesNotMatch(staffPage.body, /Private thought/);
    // B cannot change or see A's entry; a bad value is refused; nothing changes.
    const mid = rows();
    res = await postFrom(b.jar, '/me/journal', `/me/journal/${priv}/sharing`, { shared: 'yes' });
    assert.equal(res.status, 404);
    res = await postFrom(a.jar, '/me/journal', `/me/journal/${priv}/sharing`, { shared: 'maybe' });
    assert.equal(res.status, 422);
    const bPage = await get(srv, b.jar, '/me/journal');
    assert.doesNotMatch(bPage.body, /Private thought|hard evening/);
    assert.deepEqual(rows(), mid);
    assert.equal(count(`select shared from journal_entries where public_id = '${priv}'`), 0);
    assert.equal(count(`select count(*) from audit_log where action = 'update' and record_type = 'journal-entry'
        and record_id = '${priv}' and outcome = 'invalid' and user_email = 'patient:${b.pid}'`), 1);
});

test('messages: a patient writes, the counsellor sees it unread, answers; others cannot reach it', async () => {
    const compose = await get(srv, a.jar, '/me/messages/new');
    assert.equal(compose.status, 200);
    assert.match(compose.body, /Not for emergencies: call <a href="tel:988">988<\/a> or <a href="tel:911">911<\/a>/);
    assert.doesNotMatch(compose.body, /type="file"/);
    const before = rows();
    for (const bad of [{ subject: '', body: 'hi' }, { subject: 'Hi', body: '' }, { subject: 'Hi', body: 'x'.repeat(4001) },
        { subject: 's'.repeat(201), body: 'hi' }]) {
        const res = await postFrom(a.jar, '/me/messages/new', '/me/messages', bad);
        assert.equal(res.status, 422);
        assert.match(res.body, /Not for emergencies/);
    }
    assert.deepEqual(rows(), before);

    let res = await postFrom(a.jar, '/me/messages/new', '/me/messages', { subject: 'About Thursday', body: 'Can we talk about the weekend?' });
    assert.equal(res.status, 303);
    const url = res.headers.location;
    const tid = url.split('/').pop();
    assert.match(tid, /^[0-9a-f]{32}$/);
    const thread = await get(srv, a.jar, url);
    assert.match(thread.body, /Can we talk about the weekend\?/);
    assert.match(thread.body, /Not for emergencies/);

    // The counsellor's inbox: one unread; the medical member (not the counsellor) sees nothing.
    let inbox = await get(srv, staff.clinician.jar, '/staff/messages');
    assert.equal(inbox.status, 200);
    assert.match(inbox.body, new RegExp(`id="unread-${tid}">1 unread`));
    assert.match(inbox.body, /id="unread-count">1</);
    assert.match(inbox.body, /href="\/staff\/messages"[^>]*>Messages/);
    const medical = await get(srv, staff.medical.jar, '/staff/messages');
    assert.doesNotMatch(medical.body, new RegExp(tid));
    assert.equal((await get(srv, staff.medical.jar, `/staff/messages/${tid}`)).status, 404);
    // The admin sees every thread; opening it leaves it unread for the counsellor.
    const admin = await get(srv, staff.admin.jar, `/staff/messages/${tid}`);
    assert.equal(admin.status, 200);
    inbox = await get(srv, staff.clinician.jar, '/staff/messages');
    assert.match(inbox.body, new RegExp(`id="unread-${tid}">1 unread`));
    for (const role of ['billing', 'auditor', 'admissions']) {
        assert.equal((await get(srv, staff[role].jar, '/staff/messages')).status, 403, role);
        assert.equal((await get(srv, staff[role].jar, `/staff/messages/${tid}`)).status, 403, role);
    }
    // Another patient cannot reach it, read or write.
    const mid = rows();
    assert.equal((await get(srv, b.jar, `/me/messages/${tid}`)).status, 404);
    res = await postFrom(b.jar, '/me/messages', `/me/messages/${tid}`, { body: 'sneaky' });
    assert.equal(res.status, 404);
    assert.doesNotMatch((await get(srv, b.jar, '/me/messages')).body, /About Thursday/);
    // The clinician cannot reach the admin-counselled patient's thread.
    res = await postFrom(c.jar, '/me/messages/new', '/me/messages', { subject: 'Casey here', body: 'Hello' });
    const ctid = res.headers.location.split('/').pop();
    assert.equal((await get(srv, staff.clinician.jar, `/staff/messages/${ctid}`)).status, 404);
    assert.equal(rows().messages, mid.messages + 1);

    // The counsellor opens (read), answers; a bad answer writes nothing.
    const open = await get(srv, staff.clinician.jar, `/staff/messages/${tid}`);
    assert.equal(open.status, 200);
    assert.match(open.body, /Can we talk about the weekend\?/);
    inbox = await get(srv, staff.clinician.jar, '/staff/messages');
    assert.doesNotMatch(inbox.body, new RegExp(`id="unread-${tid}"`));
    const n = rows().messages;
    res = await post(srv, staff.clinician.jar, `/staff/messages/${tid}`, { csrf: csrfOf(open.body), body: '' });
    assert.equal(res.status, 422);
    res = await post(srv, staff.clinician.jar, `/staff/messages/${tid}`, { body: 'no token' });
    assert.equal(res.status, 403);
    assert.equal(rows().messages, n);
    res = await post(srv, staff.clinician.jar, `/staff/messages/${tid}`, { csrf: csrfOf(open.body), body: 'Yes, Thursday after group.' });
    assert.equal(res.status, 303);
    assert.equal(rows().messages, n + 1);
    // The patient sees one new message, reads it.
    const list = await get(srv, a.jar, '/me/messages');
    assert.match(list.body, new RegExp(`id="unread-${tid}">1 new`));
    const again = await get(srv, a.jar, url);
    assert.match(again.body, /Yes, Thursday after group\./);
    assert.doesNotMatch((await get(srv, a.jar, '/me/messages')).body, new RegExp(`id="unread-${tid}"`));
    // Every read and write is in the trail.
    assert.ok(count(`select count(*) from audit_log where record_type = 'message-thread' and record_id = '${tid}'
        and action = 'view' and user_email = 'patient:${a.pid}'`) >= 2);
    assert.equal(count(`select count(*) from audit_log where record_type = 'message-thread' and record_id = '${tid}'
        and action = 'update' and user_email like 'clinician@%' and outcome = 'ok'`), 1);
    assert.ok(count(`select count(*) from audit_log where record_type = 'message-thread' and record_id = '${tid}'
        and action = 'view' and outcome = 'invalid' and user_email = 'patient:${b.pid}'`) >= 1);
});

test('messages: overdue past the clinic target; notifications off until turned on, none backend', async () => {
    let res = await postFrom(b.jar, '/me/messages/new', '/me/messages', { subject: 'Old question', body: 'Still there?' });
    const tid = res.headers.location.split('/').pop();
    sql(`update messages set at = '2020-01-01T00:00:00.000Z' where thread_id = (select id from message_threads where public_id = '${tid}')`);
    const inbox = await get(srv, staff.clinician.jar, '/staff/messages');
    assert.match(inbox.body, new RegExp(`id="overdue-${tid}">Overdue`));
    assert.match(inbox.body, /within 24 hours/);

    const page = await get(srv, b.jar, '/me/messages');
    assert.match(page.body, /id="notify-state">Off/);
    const before = rows();
    res = await post(srv, b.jar, '/me/messages/notifications', { csrf: csrfOf(page.body), notify: 'loud' });
    assert.equal(res.status, 422);
    assert.deepEqual(rows(), before);
    res = await post(srv, b.jar, '/me/messages/notifications', { csrf: csrfOf(page.body), notify: 'yes' });
    assert.equal(res.status, 303);
    assert.match((await get(srv, b.jar, '/me/messages')).body, /id="notify-state">On/);
    sql(`update patients set email = 'blake@example.org' where public_id = '${b.pid}'`);
    const open = await get(srv, staff.clinician.jar, `/staff/messages/${tid}`);
    res = await post(srv, staff.clinician.jar, `/staff/messages/${tid}`, { csrf: csrfOf(open.body), body: 'Here now.' });
    assert.equal(res.status, 303);
    await stderrMatching(srv, /notify: no delivery backend configured/);
    assert.doesNotMatch(srv.stderr(), /blake@example\.org|Here now/);
});

test('progress: hours, check-in and questionnaire charts, days since; only the patient\'s own', async () => {
    const ci = await get(srv, a.jar, '/me/check-in');
    await post(srv, a.jar, '/me/check-in', { csrf: csrfOf(ci.body), craving: '6', mood: 'okay', sleep: 'fair', used: 'no', confidence: '7' });
    const page = await get(srv, a.jar, '/me/progress');
    assert.equal(page.status, 200);
    assert.match(page.body, /id="attendance"/);
    assert.match(page.body, /This week/);
    assert.match(page.body, /<svg[^>]*aria-labelledby="trend-craving-title/);
    assert.match(page.body, /<svg[^>]*aria-labelledby="trend-confidence-title/);
    assert.match(page.body, /<svg[^>]*aria-labelledby="trend-phq9-title/);
    const bPage = await get(srv, b.jar, '/me/progress');
    assert.doesNotMatch(bPage.body, /trend-phq9/);

    const before = rows();
    for (const bad of [{ label: '', since: TODAY }, { label: 'x', since: '' }, { label: 'x', since: '2999-01-01' },
        { label: 'x'.repeat(81), since: TODAY }]) {
        const res = await postFrom(a.jar, '/me/progress', '/me/progress/tracking', bad);
        assert.equal(res.status, 422);
    }
    assert.deepEqual(rows(), before);
    const tenAgo = new Date(Date.now() - 10 * 86400e3).toISOString().slice(0, 10);
    let res = await postFrom(a.jar, '/me/progress', '/me/progress/tracking', { label: 'my last drink', since: tenAgo });
    assert.equal(res.status, 303);
    let again = await get(srv, a.jar, '/me/progress');
    assert.match(again.body, /<span class="days-num">10<\/span> days since my last drink/);
    assert.doesNotMatch((await get(srv, b.jar, '/me/progress')).body, /days-num|value="my last drink"/);
    res = await postFrom(a.jar, '/me/progress', '/me/progress/tracking', { clear: 'yes' });
    assert.equal(res.status, 303);
    again = await get(srv, a.jar, '/me/progress');
    assert.doesNotMatch(again.body, /days-num/);
});

test('portal pages need a signed-in patient; a staff cookie opens none of them', async () => {
    for (const path of ['/me/questionnaires', '/me/journal', '/me/messages', '/me/messages/new', '/me/progress']) {
        const anon = await get(srv, new Jar(), path);
        assert.equal(anon.status, 303, path);
        assert.match(anon.headers.location, /^\/me\/sign-in/);
        const st = await get(srv, staff.admin.jar, path);
        assert.equal(st.status, 303, path);
    }
});
