// The role matrix: every staff route (from `haven routes --json`, so routes other modules add
// later are walked automatically) × every demo role, plus anonymous, on real records: each
// :id is a referral, patient, account, track, enrolment or session made for the test (the row's
// "record"), :consent a real consent, :patient_id the patient, :week an ISO week, so a refusal
// is the route's policy and not a missing record. API writes (POST, PUT, PATCH under /api/)
// send an empty JSON object with the session's X-CSRF-Token. Expected:
//   anonymous          -> 303 to /staff/sign-in (HTML) or 401 (API)
//   role not allowed   -> 403 (page or JSON)
//   role allowed       -> neither 401 nor 403 (GET); POST with a valid CSRF token and an
//                         otherwise empty form -> not 403 (the handler may answer 4xx for the
//                         empty form, never "forbidden")
// Contract: docs/staff-workspace.md "Routes and roles".

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, request, HAVEN_BIN, REPO_ROOT } from '../helpers/server.mjs';
import { api, demoAccounts, get, post, signIn } from '../helpers/staff.mjs';
import { makeReferral, makePatient, makeConsent, makeUser, makeProgram } from '../helpers/records.mjs';

const ROUTES = JSON.parse(execFileSync(HAVEN_BIN, ['routes', '--json'], { cwd: REPO_ROOT, encoding: 'utf8' }));
const STAFF = ROUTES.filter((r) => !r.public && r.roles.length > 0);
const ROLES = ['admin', 'clinician', 'admissions', 'medical', 'billing', 'auditor'];

// A concrete path for a row: each :param becomes the id of a real record of the row's kind.
const ids = {};
const concrete = (r) => {
    const path = r.pattern.replace(/:consent\b/, ids.consent).replace(/:patient_id\b/, ids.patient)
        .replace(/:week\b/, '2026-W10').replace(/:instrument\b/, 'phq9')
        .replace(/:id\b/, ids[r.record]);
    assert.doesNotMatch(path, /:|undefined|\*/, `${r.method} ${r.pattern}: no record for it`);
    return path;
};
const isApi = (path) => path.startsWith('/api/');
// One request of the row's method: GET, a form POST (pages), or JSON with the token (API).
const send = (r, path, s) => (r.method === 'GET' ? get(srv, s && s.jar, path)
    : isApi(path) ? api(srv, s, r.method, path, {}) : post(srv, s && s.jar, path, s ? { csrf: s.csrf } : {}));

let srv;
const sessions = {}; // role -> { jar, csrf }

async function session(role) {
    const s = sessions[role];
    if (s && (await get(srv, s.jar, '/api/v1/me')).status === 200) return s;
    sessions[role] = await signIn(srv, role); // signed out by a sign-out route: sign in again
    return sessions[role];
}

before(async () => {
    srv = await startServer({ demo: true });
    assert.deepEqual(Object.keys(demoAccounts(srv)).sort(), [...ROLES].sort());
    const staff = { admin: await signIn(srv, 'admin'), admissions: await signIn(srv, 'admissions'),
                    clinician: await signIn(srv, 'clinician') };
    ids.referral = await makeReferral(srv, 'Matrix Referral');
    ids.patient = await makePatient(srv, staff, 'Matrix Patient');
    ids.consent = await makeConsent(srv, staff, ids.patient, 'Matrix Patient');
    ids.user = await makeUser(srv, staff, 'spare.account@example.org');
    Object.assign(ids, await makeProgram(srv, staff.admin, ids.patient, '2026-03-02'));
    ids['clinical-alert'] = 'none'; // no such alert: the roles allowed get 404, the others 403
    ids['message-thread'] = 'none'; // likewise: no such thread
    ids.skill = '2b898dbd51b82037ccc534cd09c96bbc'; // a skill the migration seeds (modules/recovery)
    // A diagnosis and a treatment plan's draft (modules/plans), for the rows whose :id is one.
    const dx = await api(srv, staff.clinician, 'POST', `/api/v1/patients/${ids.patient}/diagnoses`, { code: 'F10.20' });
    assert.equal(dx.status, 201, dx.body);
    ids.diagnosis = dx.data.id;
    const plan = await api(srv, staff.clinician, 'POST', `/api/v1/patients/${ids.patient}/plans`, {});
    assert.equal(plan.status, 201, plan.body);
    ids.plan = plan.data.id;
    // A group note of that session (its attendance taken), for the notes' addresses.
    assert.equal((await api(srv, staff.clinician, 'PUT', `/api/v1/sessions/${ids.session}/attendance/${ids.patient}`,
        { status: 'present' })).status, 200);
    ids.note = (await api(srv, staff.clinician, 'POST', `/api/v1/sessions/${ids.session}/group-note`, { a: 'Matrix' })).data.id;
    const screen = await api(srv, staff.clinician, 'POST', `/api/v1/patients/${ids.patient}/drug-screens`, {
        collected_on: '2026-03-02', specimen: 'urine', observed: true, results: [{ substance: 'cocaine', result: 'negative' }] });
    assert.equal(screen.status, 201, screen.body);
    ids['drug-screen'] = screen.data.id;
    // A kiosk device, set up from a browser of its own (setting one up signs that browser out).
    const kiosk = await signIn(srv, 'admin');
    assert.equal((await post(srv, kiosk.jar, '/staff/kiosks', { csrf: kiosk.csrf, name: 'Matrix kiosk' })).status, 303);
    ids.kiosk = execFileSync('sqlite3', [srv.db, 'select public_id from kiosk_devices'], { encoding: 'utf8' }).trim();
    // A second patient's consent would be ":consent" of another record: the matrix uses this one.
});
after(async () => { if (srv) await srv.stop(); });

test('haven routes --json lists the staff routes with their roles', () => {
    assert.ok(STAFF.length >= 10, `staff routes: ${STAFF.length}`);
    for (const r of STAFF) for (const role of r.roles) assert.ok(ROLES.includes(role), `${r.pattern}: ${role}`);
    for (const p of ['/staff/', '/staff/users', '/api/v1/me']) assert.ok(STAFF.some((r) => r.pattern === p), p);
    // The only public addresses under /staff/ are the sign-in, second-factor and set-password pages.
    const pub = ROUTES.filter((r) => r.public && r.pattern.startsWith('/staff')).map((r) => r.pattern);
    for (const p of pub) assert.match(p, /^\/staff\/(sign-in|sign-in\/code|set-password)$/);
});

test('anonymous: every staff route -> sign-in (HTML) or 401 (API)', async () => {
    const problems = [];
    for (const r of STAFF) {
        const path = concrete(r);
        const res = await send(r, path, null);
        if (isApi(path)) {
            if (res.status !== 401) problems.push(`${r.method} ${path}: ${res.status}, want 401`);
        } else if (res.status !== 303 || !/^\/staff\/sign-in/.test(res.headers.location || '')) {
            problems.push(`${r.method} ${path}: ${res.status} ${res.headers.location || ''}, want 303 /staff/sign-in`);
        }
    }
    assert.deepEqual(problems, []);
});

for (const role of ROLES) {
    test(`role ${role}: allowed routes answer, the others are 403`, async () => {
        const problems = [];
        for (const r of STAFF) {
            const path = concrete(r);
            const allowed = r.roles.includes(role);
            const s = await session(role);
            const res = await send(r, path, s);
            const label = `${r.method} ${path} as ${role} (${allowed ? 'allowed' : 'not allowed'})`;
            if (!allowed) {
                if (res.status !== 403) problems.push(`${label}: ${res.status}, want 403`);
                else if (isApi(path) && !/^application\/json/.test(res.headers['content-type'] || '')) problems.push(`${label}: 403 not JSON`);
                else if (!isApi(path) && !/^text\/html/.test(res.headers['content-type'] || '')) problems.push(`${label}: 403 not HTML`);
            } else if (res.status === 401 || res.status === 403 ||
                       (res.status === 303 && /^\/staff\/sign-in/.test(res.headers.location || '') && !/sign-out/.test(path))) {
                problems.push(`${label}: ${res.status} ${res.headers.location || ''}`);
            } else if (res.status >= 500) {
                problems.push(`${label}: ${res.status}`);
            }
        }
        assert.deepEqual(problems, []);
    });
}
