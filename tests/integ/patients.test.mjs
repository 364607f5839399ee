// Changing a patient after admission, over plain HTTP: every status change allowed and refused
// (on hold and back, discharged with a date and a reason, re-activated only by a clinician or an
// admin with a reason), the contact details and the primary counsellor, every field's bad input
// (422 by its field, input kept, nothing written: rows read with the sqlite3 CLI), CSRF and role
// refusals, and the audit entry and timeline text of each change. Rules: domain/patient_flow.c.
// Since issue 9 a discharge has one way, the Program section's discharge form (its reasons are
// the program's list, it ends the enrolment): the status form no longer discharges, so these
// tests discharge through POST /staff/patients/:id/discharge (chart_program.test.mjs has the rest).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, formEncode, decodeEntities, HAVEN_BIN, REPO_ROOT } from '../helpers/server.mjs';
import { signIn, get, post } from '../helpers/staff.mjs';
import { makePatient } from '../helpers/records.mjs';

let srv;
const who = {};
const ROLES = ['admin', 'clinician', 'admissions', 'medical', 'billing', 'auditor'];

before(async () => {
    srv = await startServer({ demo: true });
    for (const role of ROLES) who[role] = await signIn(srv, role);
});
after(async () => { if (srv) await srv.stop(); });

const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();
const g = (role, path) => get(srv, who[role].jar, path);
const p = (role, path, fields) => post(srv, who[role].jar, path, { csrf: who[role].csrf, ...fields });
const pRaw = (role, path, body) => post(srv, who[role].jar, path, `csrf=${who[role].csrf}&${body}`);
const fieldError = (html, field) => new RegExp(`id="${field}-error"`).test(html);
const userOf = (role) => sql(`select u.public_id from users u join user_roles r on r.user_id = u.id
    where r.role = '${role}' and u.email like '${role}@%' limit 1`);
const nameOf = (publicId) => sql(`select name from users where public_id = '${publicId}'`);
const text = (html) => decodeEntities(html.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ');

/** The patient's row as the forms change it, and how many events it has: "nothing written". */
const snapshot = (pid) => sql(`select status, coalesce(discharge_date, '-'), coalesce(discharge_reason, '-'),
    coalesce(discharge_disposition, '-'), coalesce(aftercare_note, '-'),
    coalesce(discharge_note, '-'), phone, phone_digits, coalesce(email, '-'), coalesce(address, '-'),
    emergency_name, emergency_phone, emergency_relationship, counsellor_id,
    (select count(*) from patient_events e where e.patient_id = p.id)
    from patients p where public_id = '${pid}'`);
/** "update" audit entries on this patient that succeeded. */
const updatesOk = (pid) => Number(sql(`select count(*) from audit_log where action = 'update'
    and record_type = 'patient' and record_id = '${pid}' and outcome = 'ok'`));
const outcomes = (pid) => sql(`select outcome from audit_log where action = 'update'
    and record_type = 'patient' and record_id = '${pid}' order by id`).split('\n').filter(Boolean);

/** A public call request worked through to an admitted patient; returns its public id. */
const admit = (name) => makePatient(srv, who, name);

const status = (pid) => sql(`select status from patients where public_id = '${pid}'`);
const change = (role, pid, fields) => p(role, `/staff/patients/${pid}/status`, { from: status(pid), ...fields });
const dischargeFields = { discharge_date: '2024-06-10', discharge_reason: 'transferred-higher' };
/** The discharge form, posted with the status the member saw. */
const discharge = (role, pid, fields = {}) => p(role, `/staff/patients/${pid}/discharge`,
    { from: status(pid), ...dischargeFields, ...fields });

// ------------------------------------------------------------------ the page

test('the patient page offers the forms to the roles that may change it, and only to them', async () => {
    const pid = await admit('Page Person');
    for (const role of ['admin', 'clinician', 'admissions', 'medical']) {
        const res = await g(role, `/staff/patients/${pid}`);
        assert.equal(res.status, 200, role);
        assert.match(res.body, /id="status-form"/, `${role}: status form`);
        assert.match(res.body, /id="contact-form"/, `${role}: contact form`);
        assert.match(res.body, /name="from" value="active"/);
        assert.match(res.body, /id="phone" name="phone" value="555-010-0199"/, 'contact form filled in');
        assert.match(res.body, new RegExp(`<option value="${userOf('clinician')}" selected>`), 'counsellor chosen');
        assert.match(res.body, /id="status_to-on-hold"/);
        assert.doesNotMatch(res.body, /id="status_to-discharged"/, 'one way to discharge: the discharge form');
        assert.match(res.body, /id="discharge-form"/, `${role}: discharge form`);
        assert.doesNotMatch(res.body, /id="status_to-active"/, 'no change to the same status');
    }
    const bill = await g('billing', `/staff/patients/${pid}`);
    assert.equal(bill.status, 200);
    assert.doesNotMatch(bill.body, /status-form|contact-form|id="changes"/, 'billing reads only');
    assert.equal((await g('auditor', `/staff/patients/${pid}`)).status, 403);
});

// ------------------------------------------------------------------ status changes

test('status: active -> on hold -> active -> discharged -> re-activated, each audited and on the timeline', async () => {
    const pid = await admit('Flow Person');
    const u0 = updatesOk(pid);

    let res = await change('admissions', pid, { status_to: 'on-hold', status_note: 'Family emergency' });
    assert.equal(res.status, 303, res.body.slice(0, 500));
    assert.equal(res.headers.location, `/staff/patients/${pid}#status-change`);
    assert.equal(status(pid), 'on-hold');
    let page = await g('clinician', `/staff/patients/${pid}`);
    assert.match(text(page.body), /Status: Active to On hold/);
    assert.match(text(page.body), /Family emergency/);
    assert.match(page.body, /id="patient-status">On hold</);

    res = await change('medical', pid, { status_to: 'active' });
    assert.equal(res.status, 303);
    assert.equal(status(pid), 'active');

    res = await discharge('admissions', pid);
    assert.equal(res.status, 303, res.body.slice(0, 500));
    assert.equal(sql(`select status || ' ' || discharge_date || ' ' || discharge_disposition from patients where public_id = '${pid}'`),
        'discharged 2024-06-10 transferred-higher');
    page = await g('clinician', `/staff/patients/${pid}`);
    assert.match(text(page.body), /Status: Active to Discharged on 2024-06-10 \(Transferred to a higher level of care\)/);
    assert.match(text(page.body), /Discharged on 2024-06-10: Transferred to a higher level of care\./);

    // Re-activation: admissions and medical staff may not; a clinician may, with a reason.
    const s0 = snapshot(pid);
    for (const role of ['admissions', 'medical']) {
        const form = await g(role, `/staff/patients/${pid}`);
        assert.doesNotMatch(form.body, /id="status-form"/, `${role}: no form to re-activate`);
        assert.match(form.body, /Only a clinician or an administrator can re-activate/);
        res = await change(role, pid, { status_to: 'active', status_note: 'Came back' });
        assert.equal(res.status, 403, role);
        assert.equal(snapshot(pid), s0, `${role}: nothing written`);
    }
    res = await change('clinician', pid, { status_to: 'active' });
    assert.equal(res.status, 422);
    assert.ok(fieldError(res.body, 'status_note'), 'a reason is needed');
    assert.equal(snapshot(pid), s0);
    res = await change('clinician', pid, { status_to: 'active', status_note: 'Returned after a relapse; team agreed' });
    assert.equal(res.status, 303, res.body.slice(0, 500));
    assert.equal(sql(`select status || '|' || coalesce(discharge_date, '') || '|' || coalesce(discharge_reason, '')
        || '|' || coalesce(discharge_disposition, '') from patients where public_id = '${pid}'`),
        'active|||', 'the discharge in force is cleared');
    page = await g('clinician', `/staff/patients/${pid}`);
    const t = text(page.body);
    assert.match(t, /Status: Discharged to Active/);
    assert.match(t, /Returned after a relapse; team agreed/);
    assert.match(t, /Status: Active to Discharged on 2024-06-10/, 'the earlier discharge stays on the timeline');
    assert.doesNotMatch(page.body, /id="discharge-info"/);

    // Each change: one "update" entry (ok) on the patient, in the same transaction.
    assert.equal(updatesOk(pid) - u0, 4);
    assert.equal(sql(`select count(*) from patient_events e join patients p on p.id = e.patient_id
        where p.public_id = '${pid}' and e.kind = 'status-change'`), '4');
    assert.ok(outcomes(pid).includes('denied'), 'role refusals are audited');
});

test('status: an admin re-activates; on hold -> discharged; every discharge reason', async () => {
    const reasons = ['completed', 'against-advice', 'transferred-higher', 'moved', 'other'];
    const labels = ['Completed the program', 'Left against advice', 'Transferred to a higher level of care',
        'Moved away', 'Other'];
    const pid = await admit('Reason Person');
    assert.equal((await change('medical', pid, { status_to: 'on-hold' })).status, 303);
    for (let i = 0; i < reasons.length; i++) {
        const res = await discharge(i % 2 ? 'clinician' : 'admissions', pid, {
            discharge_reason: reasons[i], discharge_note: reasons[i] === 'other' ? 'Moved abroad' : '',
        });
        assert.equal(res.status, 303, `${reasons[i]}: ${res.body.slice(0, 300)}`);
        assert.equal(sql(`select discharge_disposition from patients where public_id = '${pid}'`), reasons[i]);
        const page = await g('clinician', `/staff/patients/${pid}`);
        assert.match(text(page.body), new RegExp(`Discharged on 2024-06-10 \\(${labels[i].replace(/[()]/g, '\\$&')}\\)`));
        assert.equal((await change('admin', pid, { status_to: 'active', status_note: `Back ${i}` })).status, 303, 'admin re-activates');
        assert.equal(status(pid), 'active');
    }
    assert.equal(sql(`select discharge_note from patients where public_id = '${pid}'`), '', 'cleared on re-activation');
});

test('status: refused transitions, every bad discharge field and a stale form write nothing', async () => {
    const pid = await admit('Refused Person');
    const s0 = snapshot(pid);
    const u0 = updatesOk(pid);
    const cases = [
        [{ status_to: 'active' }, 'status_to'], // the same status
        [{ status_to: 'gone' }, 'status_to'],
        [{ status_to: '' }, 'status_to'],
        [{ status_to: 'discharged', ...dischargeFields }, 'status_to'], // one way: the discharge form
        [{ status_to: 'on-hold', status_note: 'é'.repeat(501) }, 'status_note'],
    ];
    for (const [fields, field] of cases) {
        const res = await change('clinician', pid, fields);
        assert.equal(res.status, 422, `${JSON.stringify(fields).slice(0, 80)}: ${res.status}`);
        assert.ok(fieldError(res.body, field), `error next to ${field}: ${JSON.stringify(fields).slice(0, 80)}`);
        assert.match(res.body, /id="status-errors"/, 'the error summary');
        assert.match(res.body, /<details id="status-change" open>/, 'the form is open');
        assert.doesNotMatch(res.body, /id="form-errors"/, 'the consent form shows no errors');
        assert.equal(snapshot(pid), s0, `nothing written: ${field}`);
    }
    const bad = [
        [{ discharge_date: '' }, 'discharge_date'],
        [{ discharge_date: '2024-02-30' }, 'discharge_date'],
        [{ discharge_date: 'yesterday' }, 'discharge_date'],
        [{ discharge_date: '2099-01-01' }, 'discharge_date'], // future
        [{ discharge_date: '2024-03-03' }, 'discharge_date'], // before admission
        [{ discharge_reason: '' }, 'discharge_reason'],
        [{ discharge_reason: 'expelled' }, 'discharge_reason'],
        [{ discharge_reason: 'transferred' }, 'discharge_reason'], // an old reason, no longer offered
        [{ discharge_reason: 'other' }, 'discharge_note'],
        [{ discharge_reason: 'other', discharge_note: '   ' }, 'discharge_note'],
        [{ discharge_note: 'x'.repeat(501) }, 'discharge_note'],
        [{ aftercare_note: 'é'.repeat(2001) }, 'aftercare_note'],
    ];
    for (const [fields, field] of bad) {
        const res = await discharge('clinician', pid, fields);
        assert.equal(res.status, 422, `${JSON.stringify(fields).slice(0, 80)}: ${res.status}`);
        assert.ok(fieldError(res.body, field), `error next to ${field}: ${JSON.stringify(fields).slice(0, 80)}`);
        assert.match(res.body, /id="discharge-errors"/, 'the error summary');
        assert.match(res.body, /<details id="discharge" class="prog-action" open>/, 'the form is open');
        assert.doesNotMatch(res.body, /id="status-errors"/, 'the status form shows no errors');
        assert.equal(snapshot(pid), s0, `nothing written: ${field}`);
    }
    // Input kept: the note, the aftercare note, the reason and the date come back.
    let res = await discharge('clinician', pid, { discharge_reason: 'other', discharge_date: '2099-01-01',
        discharge_note: 'Keep this note', aftercare_note: 'Weekly AA meeting' });
    assert.equal(res.status, 422);
    assert.match(res.body, />Keep this note<\/textarea>/);
    assert.match(res.body, />Weekly AA meeting<\/textarea>/);
    assert.match(res.body, /id="discharge_reason-other" name="discharge_reason" value="other" checked/);
    assert.match(res.body, /value="2099-01-01"/);
    // Bytes that are not UTF-8.
    res = await pRaw('clinician', `/staff/patients/${pid}/status`, 'from=active&status_to=on-hold&status_note=Ca%FFrl');
    assert.equal(res.status, 422);
    assert.ok(fieldError(res.body, 'status_note'));
    res = await pRaw('clinician', `/staff/patients/${pid}/discharge`,
        'from=active&discharge_date=2024-06-10&discharge_reason=completed&aftercare_note=Ca%FFrl');
    assert.equal(res.status, 422);
    assert.ok(fieldError(res.body, 'aftercare_note'));
    assert.equal(snapshot(pid), s0);
    // A form from before someone else's change: 409, never overwritten.
    res = await p('clinician', `/staff/patients/${pid}/status`, { from: 'on-hold', status_to: 'active' });
    assert.equal(res.status, 409);
    res = await p('clinician', `/staff/patients/${pid}/status`, { status_to: 'on-hold' });
    assert.equal(res.status, 409, 'no "from": treated as stale');
    res = await p('clinician', `/staff/patients/${pid}/discharge`, { ...dischargeFields, from: 'on-hold' });
    assert.equal(res.status, 409, 'a discharge form from before a change');
    res = await p('clinician', `/staff/patients/${pid}/discharge`, dischargeFields);
    assert.equal(res.status, 409, 'a discharge form without "from"');
    assert.equal(snapshot(pid), s0);
    assert.equal(updatesOk(pid), u0, 'no successful update recorded');
    assert.ok(outcomes(pid).includes('invalid'), 'refusals are audited as invalid');

    // 500 characters exactly: allowed.
    res = await change('clinician', pid, { status_to: 'on-hold', status_note: 'é'.repeat(500) });
    assert.equal(res.status, 303);
    // From discharged: no hold, no second discharge.
    assert.equal((await discharge('clinician', pid)).status, 303);
    const s1 = snapshot(pid);
    for (const to of ['on-hold', 'discharged']) {
        res = await change('admin', pid, { ...dischargeFields, status_to: to, status_note: 'x' });
        assert.equal(res.status, 422, `discharged -> ${to}`);
        assert.ok(fieldError(res.body, 'status_to'));
    }
    assert.equal((await discharge('admin', pid)).status, 409, 'no second discharge');
    assert.doesNotMatch((await g('admin', `/staff/patients/${pid}`)).body, /id="discharge-form"/);
    assert.equal(snapshot(pid), s1);
    assert.equal((await p('clinician', `/staff/patients/${'0'.repeat(32)}/status`, { from: 'active', status_to: 'on-hold' })).status, 404);
    assert.equal((await p('clinician', `/staff/patients/${'0'.repeat(32)}/discharge`, { from: 'active', ...dischargeFields })).status, 404);
});

// ------------------------------------------------------------------ contact details

const contact = (over = {}) => ({
    phone: '555-010-0199', email: 'sam@example.org', address: '1 Main St', emergency_name: 'Alex Rivera',
    emergency_phone: '555-010-0111', emergency_relationship: 'sister', counsellor: userOf('clinician'), ...over,
});

test('contact: every field changed and the counsellor, in one transaction with its events and entry', async () => {
    const pid = await admit('Contact Person');
    // A second clinician: the admin account takes the role too.
    sql(`insert or ignore into user_roles (user_id, role) select id, 'clinician' from users where email like 'admin@%'`);
    const admin = userOf('admin');
    const u0 = updatesOk(pid);
    let res = await p('admissions', `/staff/patients/${pid}/contact`, contact({
        phone: '(555) 777-1234', email: 'new@example.org', address: '2 Oak Ave\nApt 3', emergency_name: 'Jo Rivera',
        emergency_phone: '+1 555 010 0222', emergency_relationship: 'partner', counsellor: admin,
    }));
    assert.equal(res.status, 303, res.body.slice(0, 500));
    assert.equal(res.headers.location, `/staff/patients/${pid}#contact-change`);
    assert.equal(sql(`select phone || '|' || phone_digits || '|' || email || '|' || emergency_name || '|' || emergency_phone || '|' || emergency_relationship
        from patients where public_id = '${pid}'`), '(555) 777-1234|5557771234|new@example.org|Jo Rivera|+1 555 010 0222|partner');
    assert.equal(sql(`select address from patients where public_id = '${pid}'`), '2 Oak Ave\nApt 3');
    assert.equal(sql(`select u.public_id from patients p join users u on u.id = p.counsellor_id where p.public_id = '${pid}'`), admin);
    assert.equal(updatesOk(pid) - u0, 1, 'one audit entry for the change');
    const page = await g('clinician', `/staff/patients/${pid}`);
    const t = text(page.body);
    assert.match(t, /Contact details changed: phone, e-mail, address, emergency contact's name, emergency contact's phone, emergency contact's relationship/);
    assert.match(t, new RegExp(`Primary counsellor: ${nameOf(userOf('clinician'))} to ${nameOf(admin)}`));
    assert.match(t, new RegExp(`Primary counsellor ${nameOf(admin)}`), 'the header shows the new counsellor');
    // The new phone finds the patient.
    const found = await g('admissions', '/staff/patients?q=5557771234');
    assert.match(found.body, new RegExp(`data-patient="${pid}"`));

    // Only the e-mail: one event naming it; no counsellor event.
    const e0 = Number(sql(`select count(*) from patient_events e join patients p on p.id = e.patient_id where p.public_id = '${pid}'`));
    const cur = { phone: '(555) 777-1234', email: 'newer@example.org', address: '2 Oak Ave\nApt 3', emergency_name: 'Jo Rivera',
        emergency_phone: '+1 555 010 0222', emergency_relationship: 'partner', counsellor: admin };
    res = await p('medical', `/staff/patients/${pid}/contact`, cur);
    assert.equal(res.status, 303);
    assert.equal(sql(`select e.kind || ':' || e.detail from patient_events e join patients p on p.id = e.patient_id
        where p.public_id = '${pid}' order by e.id desc limit 1`), 'contact-updated:email');
    assert.equal(Number(sql(`select count(*) from patient_events e join patients p on p.id = e.patient_id where p.public_id = '${pid}'`)), e0 + 1);
    // Nothing changed: nothing written, no entry.
    const s0 = snapshot(pid), u1 = updatesOk(pid);
    res = await p('clinician', `/staff/patients/${pid}/contact`, cur);
    assert.equal(res.status, 303);
    assert.equal(snapshot(pid), s0);
    assert.equal(updatesOk(pid), u1);
    // E-mail and address may be emptied.
    res = await p('clinician', `/staff/patients/${pid}/contact`, { ...cur, email: '', address: '' });
    assert.equal(res.status, 303);
    assert.equal(sql(`select coalesce(email, 'null') || coalesce(address, 'null') from patients where public_id = '${pid}'`), 'nullnull');
    // A counsellor who is disabled stays while kept, but cannot be chosen anew.
    sql(`update users set disabled = 1 where public_id = '${admin}'`);
    try {
        res = await p('clinician', `/staff/patients/${pid}/contact`, { ...cur, email: '', address: '', phone: '555-010-0300' });
        assert.equal(res.status, 303, 'keeping a disabled counsellor while changing the phone');
        res = await p('clinician', `/staff/patients/${pid}/contact`, { ...cur, counsellor: userOf('clinician') });
        assert.equal(res.status, 303, 'back to the enabled clinician');
        const s1 = snapshot(pid);
        res = await p('clinician', `/staff/patients/${pid}/contact`, { ...cur, counsellor: admin });
        assert.equal(res.status, 422, 'a disabled clinician cannot be chosen');
        assert.ok(fieldError(res.body, 'counsellor'));
        assert.equal(snapshot(pid), s1);
    } finally {
        sql(`update users set disabled = 0 where public_id = '${admin}'`);
    }
});

test('contact: every bad field is refused by its field, the input kept, nothing written', async () => {
    const pid = await admit('Badfield Person');
    const s0 = snapshot(pid);
    const u0 = updatesOk(pid);
    const bad = [
        [{ phone: '' }, 'phone'], [{ phone: '12' }, 'phone'], [{ phone: '555-CALL-NOW' }, 'phone'],
        [{ phone: '1'.repeat(16) }, 'phone'], [{ phone: '5'.repeat(33) }, 'phone'],
        [{ email: 'no-at' }, 'email'], [{ email: 'a@b' }, 'email'], [{ email: `${'a'.repeat(250)}@x.org` }, 'email'],
        [{ address: 'x'.repeat(301) }, 'address'], [{ address: 'tab\u0001char' }, 'address'],
        [{ emergency_name: '' }, 'emergency_name'], [{ emergency_name: 'x'.repeat(101) }, 'emergency_name'],
        [{ emergency_name: 'two\nlines' }, 'emergency_name'],
        [{ emergency_phone: '' }, 'emergency_phone'], [{ emergency_phone: 'abc' }, 'emergency_phone'],
        [{ emergency_relationship: '' }, 'emergency_relationship'],
        [{ emergency_relationship: 'x'.repeat(51) }, 'emergency_relationship'],
        [{ counsellor: '' }, 'counsellor'], [{ counsellor: 'a'.repeat(32) }, 'counsellor'],
        [{ counsellor: userOf('billing') }, 'counsellor'], [{ counsellor: userOf('admissions') }, 'counsellor'],
    ];
    for (const [over, field] of bad) {
        const res = await p('admissions', `/staff/patients/${pid}/contact`, contact({ phone: '555-010-0400', ...over }));
        assert.equal(res.status, 422, `${JSON.stringify(over).slice(0, 60)}: ${res.status}`);
        assert.ok(fieldError(res.body, field), `error next to ${field}`);
        assert.match(res.body, /id="contact-errors"/);
        assert.match(res.body, new RegExp(`aria-describedby="${field}-error"`));
        assert.match(res.body, /<details id="contact-change" open>/);
        assert.equal(snapshot(pid), s0, `${field}: nothing written (not even the good fields)`);
    }
    // Input kept.
    let res = await p('admissions', `/staff/patients/${pid}/contact`, contact({ emergency_name: 'Kept Name', phone: '12' }));
    assert.match(res.body, /value="Kept Name"/);
    assert.match(res.body, /id="phone" name="phone" value="12"/);
    // Bytes that are not UTF-8, in each text field.
    for (const field of ['phone', 'address', 'emergency_name', 'emergency_relationship']) {
        res = await pRaw('admissions', `/staff/patients/${pid}/contact`,
            formEncode(contact({ [field]: 'CARL' })).replace(`${field}=CARL`, `${field}=Ca%FFrl`));
        assert.equal(res.status, 422, field);
        assert.ok(fieldError(res.body, field), `${field}: not UTF-8`);
    }
    assert.equal(snapshot(pid), s0);
    assert.equal(updatesOk(pid), u0);
    assert.equal((await p('admissions', `/staff/patients/${'0'.repeat(32)}/contact`, contact())).status, 404);
});

// ------------------------------------------------------------------ CSRF, roles, atomicity

test('CSRF: a missing or wrong token is refused with 403 and writes nothing', async () => {
    const pid = await admit('Csrf Person');
    const s0 = snapshot(pid);
    const targets = [
        [`/staff/patients/${pid}/status`, { from: 'active', status_to: 'on-hold' }],
        [`/staff/patients/${pid}/contact`, contact({ phone: '555-010-0999' })],
    ];
    for (const [path, fields] of targets) {
        for (const csrf of [undefined, 'f'.repeat(64), who.admin.csrf]) {
            const res = await post(srv, who.clinician.jar, path, csrf === undefined ? fields : { ...fields, csrf });
            assert.equal(res.status, 403, `${path} csrf=${String(csrf).slice(0, 8)}`);
        }
    }
    assert.equal(snapshot(pid), s0);
    assert.equal(updatesOk(pid), 0);
});

test('billing and auditors may not change a patient: 403, audited, nothing written', async () => {
    const pid = await admit('Readonly Person');
    const s0 = snapshot(pid);
    for (const role of ['billing', 'auditor']) {
        let res = await p(role, `/staff/patients/${pid}/status`, { from: 'active', status_to: 'on-hold' });
        assert.equal(res.status, 403, `${role} status`);
        res = await p(role, `/staff/patients/${pid}/contact`, contact({ phone: '555-010-0999' }));
        assert.equal(res.status, 403, `${role} contact`);
    }
    assert.equal(snapshot(pid), s0);
    assert.equal(updatesOk(pid), 0);
    assert.ok(sql(`select count(*) from audit_log where record_id = '${pid}' and outcome = 'denied'`) >= 2);
    // The route table: the roles that may change a patient, and no others.
    const routes = JSON.parse(execFileSync(HAVEN_BIN, ['routes', '--json'], { cwd: REPO_ROOT, encoding: 'utf8' }));
    for (const pattern of ['/staff/patients/:id/status', '/staff/patients/:id/contact']) {
        const r = routes.find((x) => x.method === 'POST' && x.pattern === pattern);
        assert.deepEqual([...r.roles].sort(), ['admin', 'admissions', 'clinician', 'medical'], pattern);
    }
});

test('a change and its audit entry land together, or neither does', async () => {
    const pid = await admit('Atomic Person');
    const s0 = snapshot(pid);
    sql(`CREATE TRIGGER test_no_update BEFORE INSERT ON audit_log WHEN NEW.action = 'update' AND NEW.outcome = 'ok'
         BEGIN SELECT RAISE(ABORT, 'test'); END`);
    try {
        let res = await discharge('clinician', pid);
        assert.equal(res.status, 500, 'the change is refused when its entry cannot be written');
        res = await p('clinician', `/staff/patients/${pid}/contact`, contact({ phone: '555-010-0777' }));
        assert.equal(res.status, 500);
        assert.equal(snapshot(pid), s0, 'no status, no contact, no event without the entry');
    } finally {
        sql('DROP TRIGGER test_no_update');
    }
    assert.equal((await discharge('clinician', pid)).status, 303);
    assert.equal(updatesOk(pid), 1);
});

test('an end-of-treatment consent ends at discharge and stays ended after re-activation', async () => {
    const pid = await admit('Consent Person');
    let res = await p('clinician', `/staff/patients/${pid}/consents`, {
        discloser: 'Pecan Haven IOP', information: 'Attendance', recipient: 'Dr. Lee', purpose: 'Care',
        expiry: 'end-of-treatment', revoke_ack: 'yes', signature_name: 'Consent Person', signed: 'yes',
    });
    assert.equal(res.status, 303, res.body.slice(0, 300));
    const cid = sql(`select public_id from consents order by id desc limit 1`);
    const state = async () => {
        const page = await g('clinician', `/staff/patients/${pid}`);
        const row = page.body.match(new RegExp(`data-consent="${cid}"[\\s\\S]*?</tr>`))[0];
        return /adm-active/.test(row) ? 'active' : 'ended';
    };
    assert.equal(await state(), 'active');
    // Back-date the signature so that the discharge is clearly later than it.
    sql(`update consents set signed_at = '2024-03-05T10:00:00Z' where public_id = '${cid}'`);
    assert.equal((await discharge('clinician', pid)).status, 303);
    assert.equal(await state(), 'ended');
    assert.equal((await change('clinician', pid, { status_to: 'active', status_note: 'Returned' })).status, 303);
    assert.equal(await state(), 'ended', 'a new episode needs a new consent');
});
