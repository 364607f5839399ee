// staff_setup: what bench/assessment.sh needs to load the signed-in pages and the result page,
// made the way people make it, over HTTP (tests/helpers): signs in the demo admissions and
// clinician accounts of a `haven serve --demo` server, takes one call request through a call,
// intake and admission, and prints shell assignments on stdout:
//   COOKIE='haven_session=...'   the admissions session (it may read the queue and the patient)
//   PATIENT=...                   the new patient's public id
//   PORTAL_COOKIE='haven_me=...'  that patient signed in to the portal (invited by the clinician,
//                                 the invitation accepted), with a relapse-prevention plan the
//                                 clinician approved, so that /me/plan shows a plan
// and writes the complete "php" answer set, form-encoded as the questionnaire posts it, to the
// file named by RESULT_BODY (POST /assessment/result).
//
//   ORIGIN=http://127.0.0.1:PORT DB=haven.db STDERR=haven.err RESULT_BODY=out node bench/staff_setup.mjs

import fs from 'node:fs';
import { formEncode } from '../tests/helpers/server.mjs';
import { PROFILES } from '../tests/helpers/profiles.mjs';
import { makePatient } from '../tests/helpers/records.mjs';
import { Jar, csrfOf, get, post, signIn } from '../tests/helpers/staff.mjs';

const { ORIGIN, DB, STDERR, RESULT_BODY } = process.env;
if (!ORIGIN || !DB || !STDERR || !RESULT_BODY) {
    console.error('staff_setup: set ORIGIN, DB, STDERR and RESULT_BODY');
    process.exit(2);
}
// The shape of tests/helpers/server.mjs's server object that the helpers read.
const srv = { origin: ORIGIN, db: DB, stderr: () => fs.readFileSync(STDERR, 'utf8') };
const staff = { admissions: await signIn(srv, 'admissions'), clinician: await signIn(srv, 'clinician') };
const patient = await makePatient(srv, staff, 'Bench Person');

/** Exits with a message unless res answered status. */
function expect(res, status, what) {
    if (res.status !== status) {
        console.error(`staff_setup: ${what} answered ${res.status}: ${res.body.slice(0, 300)}`);
        process.exit(1);
    }
    return res;
}

// The portal: the clinician's invitation from the chart, accepted as the patient would.
const c = staff.clinician;
const inv = expect(await post(srv, c.jar, `/staff/patients/${patient}/portal/invite`, { csrf: c.csrf }), 201, 'the invitation');
const token = inv.body.match(/\/me\/welcome\?token=([0-9a-f]{64})</)[1];
const me = new Jar();
const welcome = expect(await get(srv, me, `/me/welcome?token=${token}`), 200, 'the welcome page');
const pass = 'bench harbour kettle 73';
expect(await post(srv, me, '/me/welcome', { csrf: csrfOf(welcome.body), token, username: 'bench.person',
    password: pass, confirm: pass }), 303, 'accepting the invitation');
// A plan written in the portal, sent, and approved by the clinician.
const edit = expect(await get(srv, me, '/me/plan/edit'), 200, 'the plan editor');
expect(await post(srv, me, '/me/plan/edit', { csrf: csrfOf(edit.body), based_on: '', action: 'submit',
    'warning_signs-1': 'Skipping meals', 'high_risk-1': 'Friday paydays', 'coping-1': 'Walk round the block',
    'coping-2': 'Call Sam', 'people-1-name': 'Sam Rivera', 'people-1-phone': '+1 555-010-0199',
    'reasons-1': 'My daughter', 'after_lapse-1': 'Tell my counsellor the same day' }), 303, 'sending the plan');
const review = expect(await get(srv, c.jar, `/staff/patients/${patient}/recovery-plan`), 200, 'the plan review');
const version = review.body.match(/name="version" value="([0-9a-f]{32})"/)[1];
expect(await post(srv, c.jar, `/staff/patients/${patient}/recovery-plan`, { csrf: c.csrf, version,
    decision: 'approve' }), 303, 'approving the plan');

fs.writeFileSync(RESULT_BODY, formEncode(PROFILES.php.answers));
console.log(`COOKIE='${staff.admissions.jar.header()}'`);
console.log(`PATIENT=${patient}`);
console.log(`PORTAL_COOKIE='${me.header()}'`);
