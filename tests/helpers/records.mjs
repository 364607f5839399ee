// Real records for tests that walk routes with ids (the role matrix): made the way people make
// them, over HTTP (a public call request, a call logged, intake, admission, a consent, an
// account added by an administrator); ids read back from the pages' redirects or the database.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { postForm, extractCall } from './server.mjs';
import { PROFILES } from './profiles.mjs';
import { post } from './staff.mjs';

const sql = (srv, q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();

/** A call request from the public assessment (answers of a tests/helpers/profiles.mjs
 *  profile); returns its public id. */
export async function makeReferral(srv, name = 'Sam Rivera', profile = PROFILES.php) {
    const res = await postForm(srv.origin, '/assessment/result', profile.answers);
    assert.equal(res.status, 200);
    const c = extractCall(res);
    const sent = await postForm(srv.origin, '/assessment/call', {
        csrf: c.csrf, answers: c.answers, name, phone: '555-010-0199', 'best-time': 'any',
        voicemail: 'yes', consent: 'yes',
    }, { headers: { cookie: c.cookie } });
    assert.equal(sent.status, 303, sent.body.slice(0, 300));
    return sql(srv, 'select public_id from referrals order by id desc limit 1');
}

/** A referral taken through a call, intake and admission; returns the patient's public id.
 *  staff: { admissions, clinician } sessions ({ jar, csrf }). */
export async function makePatient(srv, staff, name = 'Sam Rivera') {
    const id = await makeReferral(srv, name);
    const p = async (role, path, fields) => post(srv, staff[role].jar, path, { csrf: staff[role].csrf, ...fields });
    assert.equal((await p('admissions', `/staff/referrals/${id}/calls`, { outcome: 'reached' })).status, 303);
    assert.equal((await p('clinician', `/staff/referrals/${id}/intake`, { confirmed_level: 'php' })).status, 303);
    const counsellor = sql(srv, `select u.public_id from users u join user_roles r on r.user_id = u.id
                                 where r.role = 'clinician' and u.email like 'clinician@%' limit 1`);
    const [first, last] = name.split(' ');
    const done = await p('admissions', `/staff/referrals/${id}/admit`, {
        first_name: first, last_name: last, date_of_birth: '1988-04-12', phone: '555-010-0199',
        email: 'sam@example.org', address: '1 Main St', emergency_name: 'Alex Rivera',
        emergency_phone: '555-010-0111', emergency_relationship: 'sister', counsellor,
        admission_date: '2024-03-04', level: 'php', track: '', status: 'active',
    });
    assert.equal(done.status, 303, done.body.slice(0, 500));
    return done.headers.location.split('/').pop();
}

/** A written consent on a patient's record, signed with the patient's name; returns its id. */
export async function makeConsent(srv, staff, pid, name = 'Sam Rivera') {
    const res = await post(srv, staff.clinician.jar, `/staff/patients/${pid}/consents`, {
        csrf: staff.clinician.csrf, discloser: 'Pecan Haven IOP', information: 'Attendance',
        recipient: 'Dr. Lee', purpose: 'Care', expiry: 'end-of-treatment', revoke_ack: 'yes',
        signature_name: name, signed: 'yes',
    });
    assert.equal(res.status, 303, res.body.slice(0, 300));
    return sql(srv, 'select public_id from consents order by id desc limit 1');
}

/** A staff account added by an administrator; returns its public id. */
export async function makeUser(srv, staff, email, role = 'clinician') {
    const res = await post(srv, staff.admin.jar, '/staff/users', {
        csrf: staff.admin.csrf, email, name: 'Spare Account', role,
    });
    assert.equal(res.status, 201, res.body.slice(0, 300)); // the page with the new account's link
    return sql(srv, `select public_id from users where email = '${email}'`);
}

/** A program's records over the JSON API (spec program.md §4), made by an administrator
 *  (admin: { jar, csrf }): a track Mon/Wed/Fri opening `opens`, the patient enrolled from then
 *  on, and one of its sessions. Returns { track, enrolment, session }. */
export async function makeProgram(srv, admin, patient, opens) {
    const { api } = await import('./staff.mjs');
    const slots = [1, 3, 5].flatMap((weekday) => [
        { weekday, start: '09:00', end: '10:30', title: 'Process group', kind: 'group' },
        { weekday, start: '10:45', end: '12:00', title: 'Relapse prevention', kind: 'workshop' }]);
    const t = await api(srv, admin, 'POST', '/api/v1/tracks', {
        code: `t-${Math.random().toString(36).slice(2, 8)}`, name: 'Matrix track', level: 'iop', opens, slots });
    assert.equal(t.status, 201, t.body);
    const e = await api(srv, admin, 'POST', `/api/v1/patients/${patient}/enrolments`, { track_id: t.data.id, start: opens });
    assert.equal(e.status, 201, e.body);
    const s = await api(srv, admin, 'GET', `/api/v1/sessions?from=${opens}&to=${opens}&track=${t.data.id}`);
    assert.equal(s.status, 200, s.body);
    return { track: t.data.id, enrolment: e.data.id, session: s.data[0].id };
}

/** Documents a patient's day for the billing gate (spec program.md R6's fourth condition,
 *  haven-program-2) straight in the server's database until the plan and note APIs exist (then
 *  this becomes API calls, here only): a plan current since 2000-01-01 unless the patient has a
 *  plan, a signed group note for each group or workshop session they attended on `date` with
 *  their signed section, and a signed individual note for each other session attended. The
 *  author is a clinician. `patient` is the public id; null patient and date: every patient's
 *  every day with attendance (a demo's weeks). */
export function documentDay(srv, patient, date) {
    const author = "(SELECT min(u.id) FROM users u JOIN user_roles r ON r.user_id = u.id AND r.role = 'clinician')";
    const who = patient ? `p.public_id = '${patient}'` : '1 = 1';
    const when = date ? `a.date = '${date}'` : '1 = 1';
    const attended = `FROM attendance a JOIN patients p ON p.id = a.patient_id
        JOIN program_sessions ps ON ps.id = a.session_id
        WHERE ${who} AND ${when} AND a.minutes > 0`;
    sql(srv, `BEGIN;
      INSERT INTO plans (public_id, patient_id, version, status, created_at, updated_at, signed_by,
                         signed_at, ack_how, effective_date)
        SELECT lower(hex(randomblob(16))), p.id, 1, 'current', 'T', 'T', ${author}, 'T', 'in-person',
               '2000-01-01' FROM patients p WHERE ${who}
        AND NOT EXISTS (SELECT 1 FROM plans x WHERE x.patient_id = p.id);
      INSERT INTO notes (public_id, kind, form, session_id, service_date, author_id, due_at,
                         created_at, updated_at, signed_by, signed_at)
        SELECT lower(hex(randomblob(16))), 'group', 'group', ps.id, ps.date, ${author}, 'T', 'T', 'T',
               ${author}, 'T' FROM program_sessions ps WHERE ps.kind IN ('group', 'workshop')
        AND ps.id IN (SELECT a.session_id ${attended})
        AND NOT EXISTS (SELECT 1 FROM notes n WHERE n.session_id = ps.id AND n.kind = 'group');
      INSERT INTO note_sections (note_id, patient_id, participation, response, updated_at, signed_by,
                                 signed_at)
        SELECT n.id, p.id, 'engaged', 'Took part.', 'T', ${author}, 'T'
        FROM attendance a JOIN patients p ON p.id = a.patient_id
        JOIN notes n ON n.session_id = a.session_id AND n.kind = 'group'
        WHERE ${who} AND ${when} AND a.minutes > 0
        AND NOT EXISTS (SELECT 1 FROM note_sections x WHERE x.note_id = n.id AND x.patient_id = p.id);
      INSERT INTO notes (public_id, kind, form, session_id, patient_id, service_date, author_id,
                         due_at, created_at, updated_at, signed_by, signed_at)
        SELECT lower(hex(randomblob(16))), 'individual', 'dap', ps.id, p.id, ps.date, ${author}, 'T',
               'T', 'T', ${author}, 'T' ${attended} AND ps.kind NOT IN ('group', 'workshop')
        AND NOT EXISTS (SELECT 1 FROM notes n WHERE n.session_id = ps.id AND n.patient_id = p.id);
      COMMIT;`);
}
