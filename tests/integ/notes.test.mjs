// Notes (issue 10) on the real binary: the group note of a session over the JSON API and its
// form (one submit for the whole note), individual notes from the chart, signing with the
// password, sections written after signing, addenda, co-signature by the named supervisor,
// every route with good, bad and missing input (a refusal changes nothing), the role matrix
// (administrators, admissions, billing and auditors read and write no note) and group privacy:
// no other member's name reaches a patient's chart pages or API answers. Plans are inserted with
// sqlite3 (their store is another module's): a plan current since 2020 with two objectives.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer } from '../helpers/server.mjs';
import { api, demoAccounts, get, post, signIn } from '../helpers/staff.mjs';

let srv;
const staff = {};
const pw = {};
const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();
const call = (role, method, path, body, opts) => api(srv, staff[role], method, path, body, opts);

const day = (d) => d.toISOString().slice(0, 10);
const addDays = (s, n) => { const d = new Date(`${s}T12:00:00Z`); d.setUTCDate(d.getUTCDate() + n); return day(d); };
const TODAY = day(new Date());
const D1 = addDays(TODAY, -3);
const D2 = addDays(TODAY, -2);

const NAMES = [['Ana', 'Adams'], ['Bo', 'Baker'], ['Cleo', 'Clark'], ['Dev', 'Dunn'], ['Eli', 'Ellis'],
    ['Fay', 'Ford'], ['Gus', 'Grant'], ['Hal', 'Hayes']];
const p = {};   // first name -> patient id
const obj = {}; // first name -> [objective ids]
const ids = {};

const PERSON = {
    date_of_birth: '1990-02-03', phone: '555-010-0100', emergency_name: 'Kin Person',
    emergency_phone: '555-010-0101', emergency_relationship: 'sibling', admission_date: '2024-01-08', level: 'iop',
};

/** A plan current since 2020-01-01 with two objectives; returns their public ids. */
function plan(pid, tag) {
    sql(`INSERT INTO plans (public_id, patient_id, version, status, created_at, updated_at, signed_at, effective_date)
           SELECT 'plan-${tag}', id, 1, 'current', 't', 't', 't', '2020-01-01' FROM patients WHERE public_id = '${pid}';
         INSERT INTO plan_problems (public_id, plan_id, position, asam_dimension, statement)
           SELECT 'prob-${tag}', id, 1, 5, 'Relapse risk' FROM plans WHERE public_id = 'plan-${tag}';
         INSERT INTO plan_goals (public_id, problem_id, position, text)
           SELECT 'goal-${tag}', id, 1, 'Stay sober' FROM plan_problems WHERE public_id = 'prob-${tag}';
         INSERT INTO plan_objectives (public_id, plan_id, goal_id, thread_id, position, text, target_date)
           SELECT '${tag}-o1', pr.plan_id, g.id, '${tag}-t1', 1, 'Name three triggers', '2027-01-31'
           FROM plan_goals g JOIN plan_problems pr ON pr.id = g.problem_id WHERE g.public_id = 'goal-${tag}';
         INSERT INTO plan_objectives (public_id, plan_id, goal_id, thread_id, position, text, target_date)
           SELECT '${tag}-o2', pr.plan_id, g.id, '${tag}-t2', 2, 'Call a sponsor weekly', '2027-01-31'
           FROM plan_goals g JOIN plan_problems pr ON pr.id = g.problem_id WHERE g.public_id = 'goal-${tag}';`);
    return [`${tag}-o1`, `${tag}-o2`];
}

const section = (first, extra = {}) => ({
    patient_id: p[first], participation: 'engaged', response: `${first} shared a plan for the weekend.`,
    risk: 'none', progress: [{ objective_id: obj[first][0], progress: 'progressing', comment: 'Named two' }], ...extra,
});

/** Asserts a refusal's status and the field it names. */
function refused(res, status, field) {
    assert.equal(res.status, status, res.body);
    if (field) {
        assert.equal(res.data.error, status === 409 ? 'conflict' : 'invalid', res.body);
        assert.equal(res.data.details[0].field, field, res.body);
    }
    return res;
}

const counts = () => sql(`select (select count(*) from notes) || '/' || (select count(*) from note_sections) || '/' ||
    (select count(*) from note_progress) || '/' || (select count(*) from note_addenda) || '/' ||
    (select count(*) from clinical_alerts) || '/' ||
    (select count(*) from notes where signed_at is not null) || '/' || (select count(*) from note_sections where signed_at is not null)`);

/** A write that must be refused: the tables of notes are unchanged after it. */
async function unchanged(write) {
    const before = counts();
    const res = await write();
    assert.equal(counts(), before, `${res.status} ${res.body}`);
    return res;
}

async function session(date, start, end, kind, who, title = 'Coping with cravings') {
    const s = await call('clinician', 'POST', '/api/v1/sessions', {
        date, start, end, kind, title, patients: who.map((f) => p[f]),
        staff: [demoAccounts(srv).clinician.email] });
    assert.equal(s.status, 201, s.body);
    return s.data.id;
}

async function attend(sid, first, status = 'present') {
    const res = await call('clinician', 'PUT', `/api/v1/sessions/${sid}/attendance/${p[first]}`,
        status === 'late' ? { status, minutes: 60 } : { status });
    assert.equal(res.status, 200, res.body);
}

before(async () => {
    srv = await startServer({ demo: true });
    for (const role of ['admin', 'clinician', 'admissions', 'medical', 'billing', 'auditor']) {
        staff[role] = await signIn(srv, role);
        pw[role] = demoAccounts(srv)[role].password;
    }
    for (const [first, last] of NAMES) {
        const res = await call('admin', 'POST', '/api/v1/patients', { ...PERSON, first_name: first, last_name: last });
        assert.equal(res.status, 201, res.body);
        p[first] = res.data.id;
    }
    for (const [first] of NAMES.slice(0, 6)) obj[first] = plan(p[first], first.toLowerCase());
    obj.Gus = ['nope-1']; // Gus attends without a current plan
    ids.group = await session(D1, '09:00', '10:30', 'group', NAMES.map(([f]) => f));
    for (const f of ['Ana', 'Bo', 'Cleo', 'Dev', 'Eli', 'Fay']) await attend(ids.group, f);
    await attend(ids.group, 'Gus', 'late');
    await attend(ids.group, 'Hal', 'absent-excused');
});
after(async () => { if (srv) await srv.stop(); });

test('group note: refusals name their field and write nothing', async () => {
    const url = `/api/v1/sessions/${ids.group}/group-note`;
    await unchanged(async () => refused(await call('clinician', 'POST', url, '{not json'), 400));
    await unchanged(async () => refused(await call('clinician', 'POST', url, { sections: [section('Ana')] }, { csrf: false }), 403));
    await unchanged(async () => refused(await call('clinician', 'POST', '/api/v1/sessions/nope/group-note', { a: 'x' }), 404));
    await unchanged(async () => refused(await call('clinician', 'POST', url, { sections: 'all' }), 422, 'sections'));
    await unchanged(async () => refused(await call('clinician', 'POST', url, { a: '' }), 422, 'a'));
    await unchanged(async () => refused(await call('clinician', 'POST', url,
        { sections: [section('Ana', { participation: undefined })] }), 422, 'sections[0].participation'));
    await unchanged(async () => refused(await call('clinician', 'POST', url,
        { sections: [section('Ana', { participation: 'sleepy' })] }), 422, 'sections[0].participation'));
    await unchanged(async () => refused(await call('clinician', 'POST', url,
        { sections: [section('Ana', { response: '' })] }), 422, 'sections[0].response'));
    await unchanged(async () => refused(await call('clinician', 'POST', url,
        { sections: [section('Ana', { progress: [] })] }), 422, 'sections[0].progress'));
    await unchanged(async () => refused(await call('clinician', 'POST', url,
        { sections: [section('Ana', { risk: 'concern' })] }), 422, 'sections[0].risk_detail'));
    await unchanged(async () => refused(await call('clinician', 'POST', url,
        { sections: [section('Ana'), section('Ana')] }), 422, 'sections[1].patient_id'));
    // The store's rules: an absent member, an objective of someone else's plan, no plan at all.
    await unchanged(async () => refused(await call('clinician', 'POST', url,
        { sections: [section('Ana'), { ...section('Ana'), patient_id: p.Hal }] }), 422, 'sections[1].patient_id'));
    await unchanged(async () => refused(await call('clinician', 'POST', url,
        { sections: [section('Bo', { progress: [{ objective_id: obj.Ana[0], progress: 'met' }] })] }),
    422, 'sections[0].progress[0].objective_id'));
    await unchanged(async () => refused(await call('clinician', 'POST', url,
        { sections: [section('Gus')] }), 422, 'sections[0].progress[0].objective_id'));
    await unchanged(async () => refused(await call('clinician', 'POST', url,
        { sections: [section('Ana', { progress: [{ objective_id: obj.Ana[0], progress: 'worse' }] })] }),
    422, 'sections[0].progress[0].progress'));
});

test('group note: six members in one write, pre-filled topic, a risk concern raises one alert', async () => {
    const url = `/api/v1/sessions/${ids.group}/group-note`;
    const six = ['Ana', 'Bo', 'Cleo', 'Dev', 'Eli'].map((f) => section(f));
    six.push(section('Fay', { risk: 'concern', risk_detail: 'Spoke of using this weekend', urgent: true }));
    const res = await call('clinician', 'POST', url, { b: 'Urge surfing, role play', sections: six });
    assert.equal(res.status, 201, res.body);
    ids.note = res.data.id;
    assert.equal(res.data.kind, 'group');
    assert.equal(res.data.a, 'Coping with cravings'); // the session's title (the curriculum)
    assert.equal(res.data.state, 'draft');
    assert.equal(res.data.sections.length, 6);
    assert.equal(sql(`select count(*) from clinical_alerts where kind = 'note-risk' and urgent = 1 and source_id = '${ids.note}'`), '1');
    // The same draft again: the same note, no second alert.
    const again = await call('clinician', 'POST', url, { c: 'Good energy.', sections: [six[5]] });
    assert.equal(again.status, 200, again.body);
    assert.equal(again.data.id, ids.note);
    assert.equal(again.data.c, 'Good energy.');
    assert.equal(again.data.b, 'Urge surfing, role play'); // a part not sent stays
    assert.equal(sql("select count(*) from clinical_alerts where kind = 'note-risk'"), '1');
    const got = await call('medical', 'GET', `/api/v1/notes/${ids.note}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.data.sections.map((s) => s.first_name), ['Ana', 'Bo', 'Cleo', 'Dev', 'Eli', 'Fay']);
    assert.equal(got.data.sections[0].progress[0].objective_id, obj.Ana[0]);
    assert.ok(Number(sql(`select count(*) from audit_log where action = 'view' and record_type = 'note' and record_id = '${ids.note}'`)) >= 1);
    refused(await call('medical', 'GET', '/api/v1/notes/nope'), 404);
});

test('signing: the password again, then everything locked; later sections signed on their own', async () => {
    const sign = `/api/v1/notes/${ids.note}/sign`;
    await unchanged(async () => refused(await call('clinician', 'POST', sign, {}), 422, 'password'));
    await unchanged(async () => refused(await call('clinician', 'POST', sign, { password: 'wrong-password' }), 422, 'password'));
    await unchanged(async () => refused(await call('clinician', 'POST', `/api/v1/notes/${ids.note}/addenda`,
        { text: 'Too early', password: pw.clinician }), 409, 'note'));
    const ok = await call('clinician', 'POST', sign, { password: pw.clinician });
    assert.equal(ok.status, 200, ok.body);
    assert.equal(ok.data.state, 'complete');
    assert.ok(ok.data.sections.every((s) => s.signed_at));
    await unchanged(async () => refused(await call('clinician', 'POST', sign, { password: pw.clinician }), 409, 'note'));
    await unchanged(async () => refused(await call('clinician', 'POST', `/api/v1/sessions/${ids.group}/group-note`,
        { a: 'Another topic' }), 409, 'a'));
    await unchanged(async () => refused(await call('clinician', 'PUT', `/api/v1/notes/${ids.note}/sections/${p.Ana}`,
        section('Ana', { patient_id: undefined })), 409, 'patient_id'));
    // Gus gets a plan; his section is written after signing and signed on its own.
    obj.Gus = plan(p.Gus, 'gus');
    const gus = await call('clinician', 'PUT', `/api/v1/notes/${ids.note}/sections/${p.Gus}`, section('Gus', { patient_id: undefined }));
    assert.equal(gus.status, 200, gus.body);
    assert.equal(gus.data.sections.find((s) => s.patient_id === p.Gus).signed_at, null);
    const secSign = `/api/v1/notes/${ids.note}/sections/${p.Gus}/sign`;
    await unchanged(async () => refused(await call('clinician', 'POST', secSign, { password: 'nope' }), 422, 'password'));
    const signed = await call('clinician', 'POST', secSign, { password: pw.clinician });
    assert.equal(signed.status, 200, signed.body);
    assert.ok(signed.data.sections.find((s) => s.patient_id === p.Gus).signed_at);
    await unchanged(async () => refused(await call('clinician', 'POST', secSign, { password: pw.clinician }), 409, 'note'));
    await unchanged(async () => refused(await call('clinician', 'POST', `/api/v1/notes/${ids.note}/sections/${p.Hal}/sign`,
        { password: pw.clinician }), 404));
});

test('addenda: written and signed at once, to the shared part or a section; never edited', async () => {
    const url = `/api/v1/notes/${ids.note}/addenda`;
    await unchanged(async () => refused(await call('clinician', 'POST', url, { password: pw.clinician }), 422, 'text'));
    await unchanged(async () => refused(await call('clinician', 'POST', url, { text: 'x', password: 'bad' }), 422, 'password'));
    await unchanged(async () => refused(await call('clinician', 'POST', url,
        { text: 'Hal left a message.', patient_id: p.Hal, password: pw.clinician }), 422, 'patient_id'));
    const shared = await call('clinician', 'POST', url, { text: 'Also practised box breathing.', password: pw.clinician });
    assert.equal(shared.status, 201, shared.body);
    const own = await call('medical', 'POST', url, { text: 'Bo asked about a sponsor.', patient_id: p.Bo, password: pw.medical });
    assert.equal(own.status, 201, own.body);
    assert.equal(own.data.addenda.length, 2);
    assert.ok(own.data.addenda.every((a) => a.signed_at));
    // No address edits an addendum: only POST exists under /addenda.
    const routes = JSON.parse(execFileSync(process.env.HAVEN_BIN || './haven', ['routes', '--json'], { encoding: 'utf8' }));
    assert.deepEqual(routes.filter((r) => /addenda/.test(r.pattern)).map((r) => r.method), ['POST', 'POST']);
});

test('group privacy: a patient chart and API answers name no other member', async () => {
    const others = (first) => NAMES.filter(([f]) => f !== first).flatMap(([f, l]) => [f, l, p[f]]);
    for (const first of ['Ana', 'Bo', 'Fay']) {
        const pages = [
            await call('clinician', 'GET', `/api/v1/patients/${p[first]}/notes`),
            await get(srv, staff.clinician.jar, `/staff/patients/${p[first]}/notes`),
            await get(srv, staff.medical.jar, `/staff/patients/${p[first]}/notes/${ids.note}`),
        ];
        for (const res of pages) {
            assert.equal(res.status, 200, res.body.slice(0, 300));
            for (const word of others(first)) assert.ok(!res.body.includes(word), `${first}: ${word} in ${res.body.slice(0, 200)}`);
        }
        assert.ok(pages[1].body.includes(`href="/staff/patients/${p[first]}/notes/${ids.note}"`), 'the chart links to its reduced view');
        const list = pages[0].data;
        assert.equal(list.length, 1);
        assert.equal(list[0].section.patient_id, p[first]);
        assert.equal(list[0].sections, undefined);
    }
    // Bo's addendum shows in Bo's record, not in Ana's; the shared one in both.
    const bo = (await call('clinician', 'GET', `/api/v1/patients/${p.Bo}/notes`)).data[0];
    const ana = (await call('clinician', 'GET', `/api/v1/patients/${p.Ana}/notes`)).data[0];
    assert.equal(bo.addenda.length, 2);
    assert.equal(ana.addenda.length, 1);
    // Hal was absent: the note is not in his record.
    assert.deepEqual((await call('clinician', 'GET', `/api/v1/patients/${p.Hal}/notes`)).data, []);
    assert.equal((await get(srv, staff.clinician.jar, `/staff/patients/${p.Hal}/notes/${ids.note}`)).status, 404);
    refused(await call('clinician', 'GET', '/api/v1/patients/nope/notes'), 404);
});

test('individual notes: DAP or BIRP, tied to a session or a date, with progress', async () => {
    const url = `/api/v1/patients/${p.Cleo}/notes`;
    const good = { kind: 'individual', form: 'dap', date: D1, a: 'Data', b: 'Assessment', c: 'Plan',
        progress: [{ objective_id: obj.Cleo[1], progress: 'met' }] };
    await unchanged(async () => refused(await call('clinician', 'POST', url, { ...good, kind: undefined }), 422, 'kind'));
    await unchanged(async () => refused(await call('clinician', 'POST', url, { ...good, kind: 'group' }), 422, 'kind'));
    await unchanged(async () => refused(await call('clinician', 'POST', url, { ...good, form: 'soap' }), 422, 'form'));
    await unchanged(async () => refused(await call('clinician', 'POST', url, { ...good, date: undefined }), 422, 'date'));
    await unchanged(async () => refused(await call('clinician', 'POST', url, { ...good, date: addDays(TODAY, 2) }), 422, 'date'));
    await unchanged(async () => refused(await call('clinician', 'POST', url, { ...good, progress: undefined }), 422, 'progress'));
    await unchanged(async () => refused(await call('clinician', 'POST', url,
        { ...good, progress: [{ objective_id: obj.Ana[0], progress: 'met' }] }), 422, 'progress[0].objective_id'));
    await unchanged(async () => refused(await call('clinician', 'POST', url, { ...good, session_id: ids.group }), 422, 'session_id'));
    await unchanged(async () => refused(await call('clinician', 'POST', '/api/v1/patients/nope/notes', good), 404));
    const made = await call('clinician', 'POST', url, { ...good, c: undefined });
    assert.equal(made.status, 201, made.body);
    assert.equal(made.data.patient.id, p.Cleo);
    await unchanged(async () => refused(await call('clinician', 'POST', `/api/v1/notes/${made.data.id}/sign`,
        { password: pw.clinician }), 422, 'c'));
    const upd = await call('clinician', 'PUT', `/api/v1/notes/${made.data.id}`, { a: 'Data', b: 'Assessment', c: 'Plan',
        progress: [{ objective_id: obj.Cleo[0], progress: 'no-change' }] });
    assert.equal(upd.status, 200, upd.body);
    assert.equal(upd.data.progress[0].objective_id, obj.Cleo[0]);
    assert.equal((await call('clinician', 'POST', `/api/v1/notes/${made.data.id}/sign`, { password: pw.clinician })).status, 200);
    await unchanged(async () => refused(await call('clinician', 'PUT', `/api/v1/notes/${made.data.id}`,
        { a: 'x', progress: [{ objective_id: obj.Cleo[0], progress: 'met' }] }), 409, 'note'));
    // A BIRP note tied to an individual session of the patient; only one per session.
    const sid = await session(D2, '14:00', '14:50', 'individual', ['Cleo'], 'Individual therapy');
    await attend(sid, 'Cleo');
    const birp = { kind: 'individual', form: 'birp', session_id: sid, a: 'B', b: 'I', c: 'R', d: 'P',
        progress: [{ objective_id: obj.Cleo[0], progress: 'progressing' }] };
    const tied = await call('clinician', 'POST', url, birp);
    assert.equal(tied.status, 201, tied.body);
    assert.equal(tied.data.date, D2);
    assert.equal(tied.data.session.id, sid);
    await unchanged(async () => refused(await call('clinician', 'POST', url, birp), 409, 'session_id'));
    await unchanged(async () => refused(await call('clinician', 'POST', `/api/v1/patients/${p.Dev}/notes`,
        { ...birp, progress: [{ objective_id: obj.Dev[0], progress: 'met' }] }), 422, 'session_id'));
});

test('co-signature: the named supervisor only completes the note', async () => {
    const medicalId = sql("select id from users where email like 'medical@%'");
    const clinicianId = sql("select id from users where email like 'clinician@%'");
    // The administrator marks the medical user on the Users screen: a supervisor is required.
    const medicalPub = sql(`select public_id from users where id = ${medicalId}`);
    const clinicianPub = sql(`select public_id from users where id = ${clinicianId}`);
    const setting = (role, fields) => post(srv, staff[role].jar, `/staff/users/${medicalPub}/cosign`,
        { csrf: staff[role].csrf, ...fields });
    assert.equal((await setting('clinician', { needs_cosign: 'yes', supervisor: clinicianPub })).status, 403);
    const none = await setting('admin', { needs_cosign: 'yes' });
    assert.equal(none.status, 422);
    assert.match(none.body, /Name the supervisor/);
    assert.equal((await setting('admin', { needs_cosign: 'yes', supervisor: medicalPub })).status, 422); // not oneself
    assert.equal(sql(`select needs_cosign from users where id = ${medicalId}`), '0');
    const set = await setting('admin', { needs_cosign: 'yes', supervisor: clinicianPub });
    assert.equal(set.status, 303, set.body.slice(0, 300));
    assert.equal(sql(`select needs_cosign || '/' || supervisor_id from users where id = ${medicalId}`), `1/${clinicianId}`);
    assert.match((await get(srv, staff.admin.jar, '/staff/users')).body, /Co-signature \(needed\)/);
    const made = await call('medical', 'POST', `/api/v1/patients/${p.Dev}/notes`, { kind: 'medication', form: 'dap',
        date: D2, a: 'Buprenorphine 8 mg', b: 'Stable', c: 'Continue', progress: [{ objective_id: obj.Dev[0], progress: 'progressing' }] });
    assert.equal(made.status, 201, made.body);
    const id = made.data.id;
    await unchanged(async () => refused(await call('clinician', 'POST', `/api/v1/notes/${id}/cosign`, { password: pw.clinician }), 409, 'note'));
    const signed = await call('medical', 'POST', `/api/v1/notes/${id}/sign`, { password: pw.medical });
    assert.equal(signed.status, 200, signed.body);
    assert.equal(signed.data.state, 'awaiting-cosign');
    assert.equal(signed.data.complete, false);
    assert.equal(signed.data.cosigner.name, sql(`select name from users where id = ${clinicianId}`));
    await unchanged(async () => refused(await call('medical', 'POST', `/api/v1/notes/${id}/cosign`, { password: pw.medical }), 403));
    await unchanged(async () => refused(await call('admin', 'POST', `/api/v1/notes/${id}/cosign`, { password: pw.admin }), 403));
    await unchanged(async () => refused(await call('clinician', 'POST', `/api/v1/notes/${id}/cosign`, { password: 'x' }), 422, 'password'));
    const done = await call('clinician', 'POST', `/api/v1/notes/${id}/cosign`, { password: pw.clinician });
    assert.equal(done.status, 200, done.body);
    assert.equal(done.data.state, 'complete');
    await unchanged(async () => refused(await call('clinician', 'POST', `/api/v1/notes/${id}/cosign`, { password: pw.clinician }), 409, 'note'));
    assert.equal((await setting('admin', {})).status, 303);
    assert.equal(sql(`select needs_cosign || '/' || coalesce(supervisor_id, 'none') from users where id = ${medicalId}`), '0/none');
});

test('roles: administrators, admissions, billing and auditors read and write no note', async () => {
    const paths = [
        ['GET', `/api/v1/notes/${ids.note}`], ['GET', `/api/v1/patients/${p.Ana}/notes`],
        ['POST', `/api/v1/sessions/${ids.group}/group-note`], ['PUT', `/api/v1/notes/${ids.note}`],
        ['PUT', `/api/v1/notes/${ids.note}/sections/${p.Ana}`], ['POST', `/api/v1/notes/${ids.note}/sign`],
        ['POST', `/api/v1/notes/${ids.note}/sections/${p.Ana}/sign`], ['POST', `/api/v1/notes/${ids.note}/addenda`],
        ['POST', `/api/v1/notes/${ids.note}/cosign`], ['POST', `/api/v1/patients/${p.Ana}/notes`]];
    const pages = [`/staff/notes/${ids.note}`, `/staff/sessions/${ids.group}/note`, `/staff/patients/${p.Ana}/notes`,
        `/staff/patients/${p.Ana}/notes/${ids.note}`];
    for (const role of ['admin', 'admissions', 'billing', 'auditor']) {
        for (const [method, path] of paths) {
            const res = await unchanged(() => call(role, method, path, method === 'GET' ? undefined : { password: pw[role], text: 'x' }));
            assert.equal(res.status, 403, `${role} ${method} ${path}`);
            assert.ok(!res.body.includes('shared a plan'), `${role} ${path}`);
        }
        for (const path of pages) {
            const res = await get(srv, staff[role].jar, path);
            assert.equal(res.status, 403, `${role} ${path}`);
            assert.ok(!res.body.includes('shared a plan') && !res.body.includes('Ford'), `${role} ${path}`);
        }
    }
    for (const role of ['clinician', 'medical']) {
        for (const path of pages) assert.equal((await get(srv, staff[role].jar, path)).status, 200, `${role} ${path}`);
    }
});

test('the group note form: pre-filled, one submit for every member, 422 kept as typed, signed', async () => {
    const sid = await session(D2, '09:00', '10:30', 'workshop', ['Ana', 'Bo', 'Cleo', 'Gus', 'Hal'], 'Relapse prevention');
    // Before attendance: the page says so and links to it.
    let page = await get(srv, staff.clinician.jar, `/staff/sessions/${sid}/note`);
    assert.equal(page.status, 200);
    assert.match(page.body, /id="no-attendance"/);
    for (const f of ['Ana', 'Bo', 'Cleo', 'Gus']) await attend(sid, f);
    page = await get(srv, staff.clinician.jar, `/staff/sessions/${sid}/note`);
    assert.match(page.body, /value="Relapse prevention"/); // the topic from the curriculum
    // Pre-filled from the previous section: Ana was "engaged" and worked on her first objective.
    assert.match(page.body, new RegExp(`id="p-${p.Ana}-part-engaged" name="p-${p.Ana}-participation" value="engaged" checked`));
    assert.match(page.body, new RegExp(`name="p-${p.Ana}-obj-${obj.Ana[0]}" value="yes" checked`));
    assert.ok(!page.body.includes('Hayes'), 'the absent member has no section');
    const form = { csrf: staff.clinician.csrf, a: 'Relapse prevention', b: 'Decisional balance', c: 'Worked well', action: 'save' };
    for (const f of ['Ana', 'Bo', 'Cleo', 'Gus']) {
        Object.assign(form, { [`p-${p[f]}-participation`]: 'active', [`p-${p[f]}-response`]: `${f} named a trigger.`,
            [`p-${p[f]}-risk`]: 'none', [`p-${p[f]}-obj-${obj[f][1]}`]: 'yes', [`p-${p[f]}-prog-${obj[f][1]}`]: 'met' });
    }
    // A problem in one section: nothing saved, the page again with what was typed.
    const bad = await unchanged(() => post(srv, staff.clinician.jar, `/staff/sessions/${sid}/note`,
        { ...form, [`p-${p.Bo}-prog-${obj.Bo[1]}`]: '' }));
    assert.equal(bad.status, 422);
    assert.match(bad.body, /Choose the progress on this objective/);
    assert.match(bad.body, /Cleo named a trigger\./);
    const noPw = await unchanged(() => post(srv, staff.clinician.jar, `/staff/sessions/${sid}/note`, { ...form, action: 'sign' }));
    assert.equal(noPw.status, 422);
    assert.match(noPw.body, /Give your password to sign/);
    const saved = await post(srv, staff.clinician.jar, `/staff/sessions/${sid}/note`, form);
    assert.equal(saved.status, 303, saved.body.slice(0, 500));
    assert.equal(sql(`select count(*) from note_sections ns join notes n on n.id = ns.note_id join program_sessions s on s.id = n.session_id where s.public_id = '${sid}'`), '4');
    const signed = await post(srv, staff.clinician.jar, `/staff/sessions/${sid}/note`, { ...form, action: 'sign', password: pw.clinician });
    assert.equal(signed.status, 303, signed.body.slice(0, 500));
    assert.match(signed.headers.location, /^\/staff\/notes\/[0-9a-f]{32}\?signed=1$/);
    const note = await get(srv, staff.clinician.jar, signed.headers.location.replace('?signed=1', ''));
    assert.equal(note.status, 200);
    assert.match(note.body, /id="addendum-form"/);
    // A signed note's page: an addendum with a wrong password is refused and nothing is added.
    const csrf = staff.clinician.csrf;
    const wrong = await unchanged(() => post(srv, staff.clinician.jar, `${signed.headers.location.split('?')[0]}/addenda`,
        { csrf, text: 'Late entry', password: 'bad' }));
    assert.equal(wrong.status, 422);
    assert.match(wrong.body, /That password is not right/);
    const added = await post(srv, staff.clinician.jar, `${signed.headers.location.split('?')[0]}/addenda`,
        { csrf, text: 'Late entry', password: pw.clinician });
    assert.equal(added.status, 303);
});

test('a note from the chart: 422 with problems beside their fields, then saved and signed', async () => {
    const url = `/staff/patients/${p.Eli}/notes`;
    const page = await get(srv, staff.clinician.jar, `${url}?form=birp`);
    assert.equal(page.status, 200);
    assert.match(page.body, /Behaviour/);
    const form = { csrf: staff.clinician.csrf, kind: 'family', form: 'birp', date: D2, a: 'B', b: 'I', c: 'R', d: 'P', action: 'save' };
    const bad = await unchanged(() => post(srv, staff.clinician.jar, url, form));
    assert.equal(bad.status, 422);
    assert.match(bad.body, /Tick at least one objective/);
    const ok = await post(srv, staff.clinician.jar, url, { ...form, [`obj-${obj.Eli[0]}`]: 'yes', [`prog-${obj.Eli[0]}`]: 'regressing',
        action: 'sign', password: pw.clinician });
    assert.equal(ok.status, 303, ok.body.slice(0, 500));
    const id = ok.headers.location.split('/')[3].split('?')[0];
    assert.equal(sql(`select kind || '/' || form || '/' || (signed_at is not null) from notes where public_id = '${id}'`), 'family/birp/1');
});
