// staff_setup: what bench/assessment.sh needs to load the signed-in pages and the result page,
// made the way people make it, over HTTP (tests/helpers): signs in the demo admissions and
// clinician accounts of a `haven serve --demo` server, takes one call request through a call,
// intake and admission, and prints shell assignments on stdout:
//   COOKIE='haven_session=...'   the admissions session (it may read the queue and the patient)
//   PATIENT=...                   the new patient's public id
// and writes the complete "php" answer set, form-encoded as the questionnaire posts it, to the
// file named by RESULT_BODY (POST /assessment/result).
//
//   ORIGIN=http://127.0.0.1:PORT DB=haven.db STDERR=haven.err RESULT_BODY=out node bench/staff_setup.mjs

import fs from 'node:fs';
import { formEncode } from '../tests/helpers/server.mjs';
import { PROFILES } from '../tests/helpers/profiles.mjs';
import { makePatient } from '../tests/helpers/records.mjs';
import { signIn } from '../tests/helpers/staff.mjs';

const { ORIGIN, DB, STDERR, RESULT_BODY } = process.env;
if (!ORIGIN || !DB || !STDERR || !RESULT_BODY) {
    console.error('staff_setup: set ORIGIN, DB, STDERR and RESULT_BODY');
    process.exit(2);
}
// The shape of tests/helpers/server.mjs's server object that the helpers read.
const srv = { origin: ORIGIN, db: DB, stderr: () => fs.readFileSync(STDERR, 'utf8') };
const staff = { admissions: await signIn(srv, 'admissions'), clinician: await signIn(srv, 'clinician') };
const patient = await makePatient(srv, staff, 'Bench Person');
fs.writeFileSync(RESULT_BODY, formEncode(PROFILES.php.answers));
console.log(`COOKIE='${staff.admissions.jar.header()}'`);
console.log(`PATIENT=${patient}`);
