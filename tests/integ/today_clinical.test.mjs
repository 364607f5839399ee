// The clinical record's part of the Today screen (issue 10), on the real binary: a PHQ-9 with
// item 9 above 0 puts an urgent clinical alert on a clinician's Today, with the way to record
// the follow-up; once it is recorded the alert leaves Today; roles without clinical access see
// no clinical alert at all; a current plan whose review has come lists under the reviews due.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, decodeEntities } from '../helpers/server.mjs';
import { api, demoAccounts, get, post, signIn } from '../helpers/staff.mjs';
import { makePatient } from '../helpers/records.mjs';

let srv;
const who = {};
const text = (html) => decodeEntities(html.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ');
const TODAY = new Date().toISOString().slice(0, 10);

before(async () => {
    srv = await startServer({ demo: true });
    for (const role of ['clinician', 'admissions', 'medical']) who[role] = await signIn(srv, role);
});
after(async () => { if (srv) await srv.stop(); });

test('an item 9 answer puts an urgent alert on Today until its follow-up is recorded', async () => {
    const pid = await makePatient(srv, who, 'Noa Vance');
    let home = await get(srv, who.clinician.jar, '/staff/');
    assert.match(home.body, /id="clinical-alerts-none"/);
    const res = await api(srv, who.clinician, 'POST', `/api/v1/patients/${pid}/measures`,
        { instrument: 'phq9', taken_on: TODAY, answers: [1, 1, 1, 1, 1, 1, 1, 1, 1] });
    assert.equal(res.status, 201, res.body);
    assert.ok(res.data.alert_id, res.body);

    home = await get(srv, who.clinician.jar, '/staff/');
    const list = home.body.slice(home.body.indexOf('id="clinical-alerts"'));
    assert.ok(list.length > 0, 'the clinical alerts list is shown');
    assert.match(text(list), /Noa Vance Urgent/);
    assert.ok(list.includes(`href="/staff/clinical-alerts/${res.data.alert_id}"`), 'a link to follow up');
    // Medical staff see it too; admissions (no clinical access) see no clinical section.
    assert.match((await get(srv, who.medical.jar, '/staff/')).body, /Noa Vance/);
    const adm = await get(srv, who.admissions.jar, '/staff/');
    assert.equal(adm.status, 200);
    assert.ok(!adm.body.includes('clinical-alerts'), 'no clinical alerts for admissions');

    const page = await get(srv, who.clinician.jar, `/staff/clinical-alerts/${res.data.alert_id}`);
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)[1];
    const done = await post(srv, who.clinician.jar, `/staff/clinical-alerts/${res.data.alert_id}/follow-up`,
        { csrf, follow_up: 'Called Noa the same hour; safety plan reviewed; seen tomorrow.' });
    assert.ok([200, 303].includes(done.status), done.body);
    home = await get(srv, who.clinician.jar, '/staff/');
    assert.match(home.body, /id="clinical-alerts-none"/);
    assert.ok(!home.body.includes('Noa Vance'), 'a followed-up alert leaves Today');
    assert.ok(!/And 0 more/.test(home.body), 'no "And 0 more" under any list');
});

test('a current plan whose review date has come is listed, overdue once it has passed', async () => {
    const pid = await makePatient(srv, who, 'Ines Park');
    const call = (method, path, body) => api(srv, who.clinician, method, path, body);
    const draft = await call('POST', `/api/v1/patients/${pid}/plans`, {
        problems: [{ asam_dimension: 5, statement: 'Drinks when stressed at work.',
            goals: [{ text: 'I want to get through a work week without a drink.',
                objectives: [{ text: 'Uses a coping skill at 3 of 4 trigger moments a week.', target_date: '2099-01-31' }] }],
            interventions: [{ text: 'Relapse-prevention group', frequency: '3x/week' }] }],
    });
    assert.equal(draft.status, 201, draft.body);
    const password = demoAccounts(srv).clinician.password;
    assert.equal((await call('POST', `/api/v1/plans/${draft.data.id}/sign`, { password })).status, 200);
    const ack = await call('POST', `/api/v1/plans/${draft.data.id}/acknowledge`, { how: 'verbal', reason: 'Reviewed by phone.' });
    assert.equal(ack.status, 200, ack.body);
    let home = await get(srv, who.clinician.jar, '/staff/');
    assert.ok(!home.body.includes('Ines Park'), 'a review 30 days away is not listed yet');
    const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' });
    sql(`UPDATE plans SET review_due = '2000-01-03' WHERE public_id = '${draft.data.id}'`);
    home = await get(srv, who.clinician.jar, '/staff/');
    const list = home.body.slice(home.body.indexOf('id="reviews"'));
    assert.match(text(list), /Ines Park : plan version 1, review overdue since 2000-01-03/);
    assert.ok(!list.includes('more reviews'), 'no "0 more"');
});

test("a session attended today with no note is on its staff member's notes due", async () => {
    const pid = await makePatient(srv, who, 'Omar Quist');
    const email = demoAccounts(srv).clinician.email;
    const s = await api(srv, who.clinician, 'POST', '/api/v1/sessions', {
        date: TODAY, start: '00:01', end: '00:50', kind: 'individual', title: 'Individual check-in',
        patients: [pid], staff: [email] });
    assert.equal(s.status, 201, s.body);
    const att = await api(srv, who.clinician, 'PUT', `/api/v1/sessions/${s.data.id}/attendance/${pid}`, { status: 'present' });
    assert.equal(att.status, 200, att.body);
    const home = await get(srv, who.clinician.jar, '/staff/');
    const list = home.body.slice(home.body.indexOf('id="notes-due"'), home.body.indexOf('id="reviews-title"'));
    assert.match(text(list), /Individual check-in, \d{4}-\d\d-\d\d : no note yet/);
    assert.ok(list.includes(`href="/staff/patients/${pid}/notes"`), 'a link to write it');
    // Medical staff who do not staff the session have nothing due from it.
    const med = (await get(srv, who.medical.jar, '/staff/')).body;
    assert.match(med, /id="notes-due-none"/);
});
