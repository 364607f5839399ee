// The relapse-prevention plan, Help now and the skills library (issue 11) on the real binary:
// a patient writes a draft and sends it; a clinician returns it with a comment, then approves
// the next version; the approved one is what Help now shows (tel: links), every version is
// kept and readable. Refusals: bad input writes nothing; patient A reaches nothing of B's by
// any address; staff roles other than clinician and medical get 403 on the plan; the skills
// library is edited by admins and clinicians only, hidden skills vanish for patients. The
// service worker is served at /me/sw.js with the headers its scope needs, and pages say
// whether they may be kept offline (never on a shared device).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, request } from '../helpers/server.mjs';
import { Jar, api, csrfOf, get, post, signIn } from '../helpers/staff.mjs';

const TODAY = new Date().toISOString().slice(0, 10);
const PASSWORD = 'river stone lantern 42';

let srv;
const staff = {};
const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();
const count = (q) => Number(sql(q));
const versions = (pid) => count(`select count(*) from recovery_plans r join patients p on p.id = r.patient_id where p.public_id = '${pid}'`);

async function admit(first) {
    const res = await api(srv, staff.admin, 'POST', '/api/v1/patients', {
        first_name: first, last_name: 'Tester', date_of_birth: '1990-02-03', phone: '555-010-0100',
        emergency_name: 'Kin Person', emergency_phone: '555-010-0101',
        emergency_relationship: 'sister', admission_date: TODAY, level: 'iop' });
    assert.equal(res.status, 201, res.body);
    return res.data.id;
}

/** A patient signed in to the portal: { pid, jar }; shared: signs in again on a shared device. */
async function portalPatient(first, username, { shared = false } = {}) {
    const pid = await admit(first);
    const inv = await post(srv, staff.clinician.jar, `/staff/patients/${pid}/portal/invite`, { csrf: staff.clinician.csrf });
    const token = inv.body.match(/\/me\/welcome\?token=([0-9a-f]{64})</)[1];
    let jar = new Jar();
    const page = await get(srv, jar, `/me/welcome?token=${token}`);
    const res = await post(srv, jar, '/me/welcome', { csrf: csrfOf(page.body), token, username, password: PASSWORD, confirm: PASSWORD });
    assert.equal(res.status, 303, res.body.slice(0, 500));
    if (shared) {
        jar = new Jar();
        const form = await get(srv, jar, '/me/sign-in');
        const s = await post(srv, jar, '/me/sign-in', { csrf: csrfOf(form.body), username, password: PASSWORD, shared: 'yes' });
        assert.equal(s.status, 303);
    }
    return { pid, jar };
}

/** The editor's token and based_on, then a post of fields. */
async function savePlan(jar, fields, action = 'save') {
    const form = await get(srv, jar, '/me/plan/edit');
    assert.equal(form.status, 200, form.body.slice(0, 300));
    const basedOn = (form.body.match(/name="based_on" value="([0-9a-f]*)"/) || [])[1] ?? '';
    return post(srv, jar, '/me/plan/edit', { csrf: csrfOf(form.body), based_on: basedOn, action, ...fields });
}

const PLAN = {
    'warning_signs-1': 'Skipping meals', 'warning_signs-2': 'Not answering calls',
    'high_risk-1': 'Friday paydays', 'coping-1': 'Walk round the block', 'coping-2': 'Call Sam',
    'people-1-name': 'Sam Rivera', 'people-1-phone': '+1 555-010-0199',
    'reasons-1': 'My daughter', 'after_lapse-1': 'Tell my counsellor the same day',
};

async function review(role, pid, fields) {
    const s = staff[role];
    const page = await get(srv, s.jar, `/staff/patients/${pid}/recovery-plan`);
    const version = (page.body.match(/name="version" value="([0-9a-f]{32})"/) || [])[1];
    return post(srv, s.jar, `/staff/patients/${pid}/recovery-plan`, { csrf: s.csrf, version, ...fields });
}

before(async () => {
    srv = await startServer({ demo: true, extraArgs: ['--timezone', 'UTC'] });
    for (const role of ['admin', 'clinician', 'admissions', 'medical', 'billing', 'auditor']) {
        staff[role] = await signIn(srv, role);
    }
});
after(async () => { if (srv) await srv.stop(); });

test('draft -> sent -> returned with a comment -> new version -> approved -> Help now', async () => {
    const { pid, jar } = await portalPatient('Rosa', 'rosa.p');
    // No plan yet: the page invites to start one; Help now still has its tools.
    let page = await get(srv, jar, '/me/plan');
    assert.equal(page.status, 200);
    assert.match(page.body, /id="no-plan"/);
    assert.match(page.body, /<title>Haven<\/title>/);
    assert.match(page.body, /href="\/me\/help"[^>]*>Help now</);
    let help = await get(srv, jar, '/me/help');
    assert.match(help.body, /id="no-approved"/);
    assert.match(help.body, /id="surf-start" href="#surf"/);
    assert.match(help.body, /href="tel:988"/);
    assert.match(help.body, /href="sms:988"/);
    assert.match(help.body, /href="tel:911"/);

    // A draft, saved: version 1, draft, with its audit entry by the patient.
    let res = await savePlan(jar, PLAN);
    assert.equal(res.status, 303, res.body.slice(0, 800));
    assert.equal(res.headers.location, '/me/plan?saved=1');
    assert.equal(sql(`select version || ':' || status from recovery_plans`), '1:draft');
    assert.equal(count(`select count(*) from audit_log where action = 'update' and record_type = 'recovery-plan'
        and user_email = 'patient:${pid}' and outcome = 'ok'`), 1);
    // Saved again in place, then sent: still version 1.
    res = await savePlan(jar, { ...PLAN, 'coping-3': 'Play guitar' }, 'submit');
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/me/plan?sent=1');
    assert.equal(sql(`select version || ':' || status from recovery_plans`), '1:submitted');
    // While it waits, the editor shows it read-only with a way to take it back.
    page = await get(srv, jar, '/me/plan/edit');
    assert.match(page.body, /id="withdraw"/);
    assert.doesNotMatch(page.body, /id="plan-form"/);

    // The clinician reads it (audited) and returns it: a comment is required for that.
    page = await get(srv, staff.clinician.jar, `/staff/patients/${pid}/recovery-plan`);
    assert.equal(page.status, 200);
    assert.match(page.body, /Walk round the block/);
    assert.match(page.body, /href="tel:\+15550100199"/);
    assert.equal(count(`select count(*) from audit_log where action = 'view' and record_id = '${pid}'
        and user_email like 'clinician@%'`) >= 1, true);
    res = await review('clinician', pid, { decision: 'return', comment: '' });
    assert.equal(res.status, 422);
    assert.match(res.body, /id="comment-error"/);
    assert.equal(sql(`select status from recovery_plans`), 'submitted');
    res = await review('clinician', pid, { decision: 'return', comment: 'Add a second person to call, please.' });
    assert.equal(res.status, 303);
    assert.equal(sql(`select status from recovery_plans`), 'returned');

    // The patient sees the comment; editing makes version 2 from version 1's text.
    page = await get(srv, jar, '/me/plan');
    assert.match(page.body, /id="counsellor-comment"[\s\S]*Add a second person to call, please\./);
    res = await savePlan(jar, { ...PLAN, 'people-2-name': 'Aunt Jo', 'people-2-phone': '555 010 0177' }, 'submit');
    assert.equal(res.status, 303);
    assert.equal(sql(`select group_concat(version || ':' || status, ',') from recovery_plans`), '1:returned,2:submitted');

    // Approved by medical staff: Help now shows version 2's steps and people.
    res = await review('medical', pid, { decision: 'approve', comment: 'Well done.' });
    assert.equal(res.status, 303);
    assert.equal(sql(`select group_concat(version || ':' || status, ',') from recovery_plans`), '1:returned,2:approved');
    assert.equal(count(`select count(*) from audit_log where action = 'approve' and record_type = 'recovery-plan'
        and user_email like 'medical@%' and outcome = 'ok'`), 1);
    help = await get(srv, jar, '/me/help');
    assert.match(help.body, /id="coping-steps">[\s\S]*Walk round the block[\s\S]*Call Sam/);
    assert.match(help.body, /href="tel:5550100177"/);
    assert.match(help.body, /My daughter/);

    // A later change is version 3; version 2 stays in Help now until 3 is approved.
    res = await savePlan(jar, { ...PLAN, 'coping-1': 'Run' }, 'submit');
    assert.equal(res.status, 303);
    help = await get(srv, jar, '/me/help');
    assert.match(help.body, /Walk round the block/);
    res = await review('clinician', pid, { decision: 'approve' });
    assert.equal(res.status, 303);
    assert.equal(sql(`select group_concat(version || ':' || status, ',') from recovery_plans`),
        '1:returned,2:superseded,3:approved');
    help = await get(srv, jar, '/me/help');
    assert.match(help.body, /<li>Run<\/li>/);
    assert.doesNotMatch(help.body, /Walk round the block/);
    // Every version stays readable, by the patient and by staff.
    page = await get(srv, jar, '/me/plan/versions/1');
    assert.equal(page.status, 200);
    assert.match(page.body, /Walk round the block/);
    assert.match(page.body, /Add a second person/);
    page = await get(srv, staff.clinician.jar, `/staff/patients/${pid}/recovery-plan?version=2`);
    assert.match(page.body, /Aunt Jo/);
    assert.equal((await get(srv, jar, '/me/plan/versions/9')).status, 404);
    // A review of a version that no longer waits: 409, nothing changes.
    const v1 = sql(`select public_id from recovery_plans where version = 1`);
    res = await post(srv, staff.clinician.jar, `/staff/patients/${pid}/recovery-plan`,
        { csrf: staff.clinician.csrf, version: v1, decision: 'approve' });
    assert.equal(res.status, 409);
    assert.equal(sql(`select status from recovery_plans where version = 1`), 'returned');
});

test('bad input leaves nothing, and a stale form is refused', async () => {
    const { jar } = await portalPatient('Theo', 'theo.k');
    const before = count('select count(*) from recovery_plans');
    for (const bad of [
        { 'coping-1': 'x'.repeat(201) },
        { 'people-1-name': 'Sam' },
        { 'people-1-phone': '555' , 'people-1-name': 'Sam' },
        { 'warning_signs-1': 'bad\u0007bell' },
    ]) {
        const res = await savePlan(jar, bad);
        assert.equal(res.status, 422, JSON.stringify(bad));
        assert.match(res.body, /id="form-errors"/);
    }
    // Sending needs a coping strategy; saving a draft does not.
    let res = await savePlan(jar, { 'reasons-1': 'Me' }, 'submit');
    assert.equal(res.status, 422);
    assert.match(res.body, /at least one coping strategy/);
    assert.equal(count('select count(*) from recovery_plans'), before);
    // No CSRF token: 403, nothing written.
    res = await post(srv, jar, '/me/plan/edit', { 'coping-1': 'Walk' });
    assert.equal(res.status, 403);
    // A form made before another save (based on nothing) is refused: 409.
    const form = await get(srv, jar, '/me/plan/edit');
    assert.equal((await savePlan(jar, { 'coping-1': 'Walk' })).status, 303);
    res = await post(srv, jar, '/me/plan/edit', { csrf: csrfOf(form.body), based_on: '', action: 'save', 'coping-1': 'Other' });
    assert.equal(res.status, 409);
    assert.equal(sql(`select body from recovery_plans order by id desc limit 1`).includes('Walk'), true);
    // The review form checks its decision and comment: nothing changes.
    assert.equal((await savePlan(jar, { 'coping-1': 'Walk' }, 'submit')).status, 303);
    const pid = sql(`select p.public_id from patients p join recovery_plans r on r.patient_id = p.id order by r.id desc limit 1`);
    res = await review('clinician', pid, { decision: 'maybe' });
    assert.equal(res.status, 422);
    res = await review('clinician', pid, { decision: 'return', comment: 'x'.repeat(2001) });
    assert.equal(res.status, 422);
    assert.equal(sql(`select status from recovery_plans order by id desc limit 1`), 'submitted');
});

test('patient A reaches nothing of B by any address; staff roles on the plan', async () => {
    const a = await portalPatient('Ana', 'ana.a');
    const b = await portalPatient('Ben', 'ben.b');
    assert.equal((await savePlan(b.jar, { 'coping-1': 'Ben secret step' }, 'submit')).status, 303);
    const bVersion = sql(`select r.public_id from recovery_plans r join patients p on p.id = r.patient_id where p.public_id = '${b.pid}'`);
    for (const path of ['/me/plan', '/me/help', '/me/plan/edit', '/me/plan/versions/1',
        `/me/plan/versions/${bVersion}`, `/me/plan?patient=${b.pid}`]) {
        const res = await get(srv, a.jar, path);
        assert.doesNotMatch(res.body, /Ben secret step/, path);
    }
    // A's withdraw of B's version: refused, B's stays submitted.
    const page = await get(srv, a.jar, '/me/plan');
    let res = await post(srv, a.jar, '/me/plan/withdraw', { csrf: csrfOf(page.body), version: bVersion });
    assert.equal(res.status, 409);
    assert.equal(sql(`select status from recovery_plans where public_id = '${bVersion}'`), 'submitted');
    // A patient cookie opens no staff page; staff cookies open no /me/ page.
    assert.equal((await get(srv, a.jar, `/staff/patients/${b.pid}/recovery-plan`)).status, 303);
    assert.equal((await get(srv, staff.clinician.jar, '/me/plan')).status, 303);
    // Only clinicians and medical staff read or review the plan.
    for (const role of ['admin', 'admissions', 'billing', 'auditor']) {
        const s = staff[role];
        res = await get(srv, s.jar, `/staff/patients/${b.pid}/recovery-plan`);
        assert.equal(res.status, 403, role);
        assert.doesNotMatch(res.body, /Ben secret step/);
        res = await post(srv, s.jar, `/staff/patients/${b.pid}/recovery-plan`, { csrf: s.csrf, version: bVersion, decision: 'approve' });
        assert.equal(res.status, 403, role);
    }
    assert.equal(sql(`select status from recovery_plans where public_id = '${bVersion}'`), 'submitted');
    // The chart links to the plan for clinicians.
    const chart = await get(srv, staff.clinician.jar, `/staff/patients/${b.pid}`);
    assert.match(chart.body, new RegExp(`href="/staff/patients/${b.pid}/recovery-plan"`));
    // The patient takes it back: a draft again, editable.
    res = await post(srv, b.jar, '/me/plan/withdraw', { csrf: csrfOf((await get(srv, b.jar, '/me/plan')).body), version: bVersion });
    assert.equal(res.status, 303);
    assert.equal(sql(`select status from recovery_plans where public_id = '${bVersion}'`), 'draft');
});

test('the skills library: seeded with sources, edited by admin and clinician, hidden from patients', async () => {
    const { jar } = await portalPatient('Kai', 'kai.s');
    let page = await get(srv, jar, '/me/skills');
    assert.equal(page.status, 200);
    for (const t of ['Urge surfing', 'HALT', 'Triggers', 'Sleep', 'Saying no', 'After a lapse']) assert.match(page.body, new RegExp(t));
    const id = page.body.match(/href="\/me\/skills\/([0-9a-f]{32})"/)[1];
    page = await get(srv, jar, `/me/skills/${id}`);
    assert.match(page.body, /id="skill-source">Source: /);
    assert.match(page.body, /<ul><li>/);
    assert.equal((await get(srv, jar, '/me/skills/none')).status, 404);

    // Bad input: 422 and nothing written.
    const n = count('select count(*) from skills');
    let res = await post(srv, staff.clinician.jar, '/staff/skills/new', { csrf: staff.clinician.csrf, title: '', summary: 's', body: 'b', source: 's', kind: 'exercise', position: '5' });
    assert.equal(res.status, 422);
    res = await post(srv, staff.clinician.jar, '/staff/skills/new', { csrf: staff.clinician.csrf, title: 't', summary: 's', body: 'b', source: 's', kind: 'poem', position: '5' });
    assert.equal(res.status, 422);
    res = await post(srv, staff.clinician.jar, '/staff/skills/new', { csrf: staff.clinician.csrf, title: 't', summary: 's', body: 'b', source: 's', kind: 'reading', position: '10000' });
    assert.equal(res.status, 422);
    assert.equal(count('select count(*) from skills'), n);
    // Added by a clinician, edited by an admin, hidden: audited each time.
    res = await post(srv, staff.clinician.jar, '/staff/skills/new', { csrf: staff.clinician.csrf, title: 'Box breathing', summary: 'Four counts each way.', body: 'Breathe.\n\n- In 4\n- Hold 4', source: 'Source: test', kind: 'exercise', position: '5' });
    assert.equal(res.status, 303);
    const sid = sql(`select public_id from skills where title = 'Box breathing'`);
    res = await post(srv, staff.admin.jar, `/staff/skills/${sid}`, { csrf: staff.admin.csrf, title: 'Box breathing 2', summary: 'Four counts each way.', body: 'Breathe.', source: 'Source: test', kind: 'exercise', position: '5' });
    assert.equal(res.status, 303);
    assert.match((await get(srv, jar, '/me/skills')).body, /Box breathing 2/);
    res = await post(srv, staff.admin.jar, `/staff/skills/${sid}/visibility`, { csrf: staff.admin.csrf, hidden: 'yes' });
    assert.equal(res.status, 303);
    assert.doesNotMatch((await get(srv, jar, '/me/skills')).body, /Box breathing/);
    assert.equal((await get(srv, jar, `/me/skills/${sid}`)).status, 404);
    assert.equal(count(`select count(*) from audit_log where record_type = 'skill' and record_id = '${sid}'
        and action in ('create', 'update', 'hide') and outcome = 'ok'`), 3);
    for (const role of ['admissions', 'medical', 'billing', 'auditor']) {
        assert.equal((await get(srv, staff[role].jar, '/staff/skills')).status, 403, role);
        res = await post(srv, staff[role].jar, `/staff/skills/${sid}/visibility`, { csrf: staff[role].csrf, hidden: 'no' });
        assert.equal(res.status, 403, role);
    }
    assert.equal(count(`select hidden from skills where public_id = '${sid}'`), 1);
});

test('offline: the service worker and what pages say about keeping them', async () => {
    const sw = await request(srv.origin, 'GET', '/me/sw.js');
    assert.equal(sw.status, 200);
    assert.match(sw.headers['content-type'], /^text\/javascript/);
    assert.equal(sw.headers['service-worker-allowed'], '/me/');
    assert.match(sw.headers['cache-control'], /no-cache/);
    assert.match(sw.body, /addEventListener\('fetch'/);
    assert.match(sw.headers['content-security-policy'], /default-src 'self'/);

    const own = await portalPatient('Ola', 'ola.o');
    for (const path of ['/me/plan', '/me/help']) {
        const res = await get(srv, own.jar, path);
        assert.equal(res.headers['x-haven-offline'], '1', path);
        assert.match(res.body, /<script src="\/static\/portal-offline\.js\?v=[0-9a-f]+" data-offline="keep" defer>/);
        assert.match(res.headers['cache-control'], /no-store/);
    }
    // A shared device: nothing may be kept, and the script removes what was.
    const shared = await portalPatient('Pia', 'pia.p', { shared: true });
    const res = await get(srv, shared.jar, '/me/plan');
    assert.equal(res.headers['x-haven-offline'], '0');
    assert.match(res.body, /data-offline="forget"/);
    // The registering script is served as a static file.
    const js = await request(srv.origin, 'GET', '/static/portal-offline.js');
    assert.equal(js.status, 200);
    assert.match(js.body, /serviceWorker\.register\('\/me\/sw\.js'/);
});
