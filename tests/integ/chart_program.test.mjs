// The chart's Program section (issue 9) on the real binary: the enrolments, joining a track,
// moving to another, stepping up or down, ending an enrolment and the discharge, each with its
// good, bad and missing input (a refusal is the form again with the problem by its field and
// changes nothing), R8 (the first full date; past it only an administrator, with a reason) and
// R9 (the session in the way) as the form's problems, the roles that may and may not, CSRF, the
// audit entries and the timeline's sentences; the schedule of the next 14 days and the weekly
// hours of eight weeks, compared with what the JSON API answers for the same patient.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, decodeEntities, HAVEN_BIN, REPO_ROOT } from '../helpers/server.mjs';
import { api, signIn, get, post } from '../helpers/staff.mjs';
import { documentDay } from '../helpers/records.mjs';

let srv;
const who = {};
const ROLES = ['admin', 'clinician', 'admissions', 'medical', 'billing', 'auditor'];
const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();
const g = (role, path) => get(srv, who[role].jar, path);
const p = (role, path, fields) => post(srv, who[role].jar, path, { csrf: who[role].csrf, ...fields });
const call = (role, method, path, body) => api(srv, who[role], method, path, body);
const text = (html) => decodeEntities(html.replace(/<[^>]*>/g, ' ')).replace(/\s+/g, ' ');
const fieldError = (html, field) => new RegExp(`id="${field}-error"`).test(html);
const chart = (role, pid) => g(role, `/staff/patients/${pid}`);

const addDays = (s, n) => { const d = new Date(`${s}T12:00:00Z`); d.setUTCDate(d.getUTCDate() + n); return d.toISOString().slice(0, 10); };
const mondayOf = (s) => addDays(s, -((new Date(`${s}T12:00:00Z`).getUTCDay() + 6) % 7));
const isoWeek = (s) => {
    const d = new Date(`${s}T12:00:00Z`);
    const thursday = new Date(d); thursday.setUTCDate(d.getUTCDate() + 3 - ((d.getUTCDay() + 6) % 7));
    const jan4 = new Date(Date.UTC(thursday.getUTCFullYear(), 0, 4));
    const week = 1 + Math.round(((thursday - jan4) / 864e5 - 3 + ((jan4.getUTCDay() + 6) % 7)) / 7);
    return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
};
/** Minutes as the chart words them. */
const words = (m) => (m >= 60 && m % 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : m >= 60 ? `${m / 60} h` : `${m} min`);

let TODAY, OPENS;
const T = {}; // tracks: { id, code }
const slots = (days, start, end) => days.map((weekday) => ({ weekday, start, end, title: `Group ${start}`, kind: 'group' }));

async function track(name, level, capacity, pattern) {
    const code = `${name}-${Math.random().toString(36).slice(2, 7)}`;
    const res = await call('admin', 'POST', '/api/v1/tracks', { code, name: `Track ${name}`, level, capacity, opens: OPENS, slots: pattern });
    assert.equal(res.status, 201, res.body);
    return { id: res.data.id, code };
}

async function patient(first, level = 'iop') {
    const res = await call('admissions', 'POST', '/api/v1/patients', {
        first_name: first, last_name: 'Tester', date_of_birth: '1990-02-03', phone: '555-010-0100',
        emergency_name: 'Bo Tester', emergency_phone: '555-010-0101', emergency_relationship: 'brother',
        admission_date: OPENS ?? '2024-01-08', level,
    });
    assert.equal(res.status, 201, res.body);
    return res.data.id;
}

/** The patient's enrolments and row, to show that a refusal wrote nothing. */
const snapshot = (pid) => sql(`select p.status, p.level, coalesce(p.track, '-'), coalesce(p.discharge_date, '-'),
    coalesce(p.discharge_disposition, '-'), coalesce(p.aftercare_note, '-'),
    (select count(*) from patient_events e where e.patient_id = p.id),
    (select group_concat(t.code || ':' || e.start_date || ':' || coalesce(e.end_date, 'open') || ':' || coalesce(e.override_reason, ''), ',')
       from enrolments e join tracks t on t.id = e.track_id where e.patient_id = p.id)
    from patients p where p.public_id = '${pid}'`);
const audits = (action, type, id) => Number(sql(`select count(*) from audit_log where action = '${action}'
    and record_type = '${type}' and record_id = '${id}' and outcome = 'ok'`));
const enrolmentOf = (pid, code) => sql(`select e.public_id from enrolments e join tracks t on t.id = e.track_id
    join patients p on p.id = e.patient_id where p.public_id = '${pid}' and t.code = '${code}' order by e.id desc limit 1`);

before(async () => {
    srv = await startServer({ demo: true });
    for (const role of ROLES) who[role] = await signIn(srv, role);
    // "Today" as the server has it (the clinic's zone): the join form's first day.
    const probe = await patient('Probe');
    const page = await chart('clinician', probe);
    TODAY = page.body.match(/id="join_start" name="join_start" value="(\d{4}-\d\d-\d\d)"/)[1];
    OPENS = addDays(mondayOf(TODAY), -35); // a Monday five weeks ago
    T.a = await track('a', 'iop', 12, [...slots([1, 3, 5], '09:00', '10:30'),
        ...[1, 3, 5].map((weekday) => ({ weekday, start: '10:45', end: '12:00', title: 'Relapse prevention', kind: 'workshop' }))]);
    T.b = await track('b', 'iop', 1, slots([2, 4], '18:00', '21:00'));
    T.p = await track('p', 'php', 12, slots([1, 2, 3, 4, 5], '09:00', '12:00'));
});
after(async () => { if (srv) await srv.stop(); });

// ------------------------------------------------------------------ the section, by role

test('the Program section: its forms for the roles that may use them, none for billing', async () => {
    const pid = await patient('Section');
    const forms = {
        admin: ['join', 'step', 'discharge'], clinician: ['join', 'step', 'discharge'],
        admissions: ['join', 'discharge'], medical: ['discharge'],
    };
    for (const [role, mine] of Object.entries(forms)) {
        const res = await chart(role, pid);
        assert.equal(res.status, 200, role);
        assert.match(res.body, /<section id="program"/, role);
        assert.match(res.body, /id="program-none"/, `${role}: not enrolled yet`);
        for (const f of ['join', 'move', 'step', 'end', 'discharge'])
            assert.equal(res.body.includes(`id="${f}-form"`), mine.includes(f), `${role}: ${f} form`);
        assert.equal(res.body.includes('id="schedule-title"'), role !== 'medical', `${role}: the schedule is for the roles that read sessions`);
        assert.match(res.body, /id="hours-none"/, `${role}: no hours yet`);
        assert.equal(res.body.includes('id="join_override"'), role === 'admin', `${role}: the override is offered to admins only`);
    }
    const bill = await chart('billing', pid);
    assert.equal(bill.status, 200);
    assert.doesNotMatch(bill.body, /id="program"|id="hours|id="join-form"/, 'billing: no program on the chart');
    // The status form no longer discharges; it points to the discharge form.
    const page = await chart('clinician', pid);
    assert.doesNotMatch(page.body, /id="status_to-discharged"/);
    assert.match(page.body, /href="#discharge"/);
});

// ------------------------------------------------------------------ join

test('join: every bad field is the form again by its field and writes nothing; a good one enrols', async () => {
    const pid = await patient('Joiner');
    const s0 = snapshot(pid);
    const bad = [
        [{ join_start: OPENS }, 'join_track'],
        [{ join_track: 'f'.repeat(32), join_start: OPENS }, 'join_track'],
        [{ join_track: T.a.id }, 'join_start'],
        [{ join_track: T.a.id, join_start: '2026-02-30' }, 'join_start'],
        [{ join_track: T.a.id, join_start: 'soon' }, 'join_start'],
        [{ join_track: T.a.id, join_start: addDays(OPENS, -1) }, 'join_start'], // before the track opens
    ];
    for (const [fields, field] of bad) {
        const res = await p('clinician', `/staff/patients/${pid}/enrol`, fields);
        assert.equal(res.status, 422, `${JSON.stringify(fields)}: ${res.status}`);
        assert.ok(fieldError(res.body, field), `error next to ${field}: ${JSON.stringify(fields)}`);
        assert.match(res.body, /id="join-errors"/, 'the summary');
        assert.match(res.body, /<details id="join" class="prog-action" open>/);
        assert.equal(snapshot(pid), s0, `nothing written: ${JSON.stringify(fields)}`);
    }
    // Input kept: the track chosen stays chosen.
    let res = await p('clinician', `/staff/patients/${pid}/enrol`, { join_track: T.a.id, join_start: 'soon' });
    assert.match(res.body, new RegExp(`<option value="${T.a.id}" selected>`));
    assert.match(text((await p('clinician', `/staff/patients/${pid}/enrol`, { join_track: T.a.id, join_start: addDays(OPENS, -1) })).body),
        new RegExp(`The track opens on ${OPENS}`));

    res = await p('admissions', `/staff/patients/${pid}/enrol`, { join_track: T.a.id, join_start: OPENS });
    assert.equal(res.status, 303, res.body.slice(0, 500));
    assert.equal(res.headers.location, `/staff/patients/${pid}#program`);
    const eid = enrolmentOf(pid, T.a.code);
    assert.equal(audits('create', 'enrolment', eid), 1, 'the enrolment audited');
    const page = await chart('clinician', pid);
    assert.match(page.body, new RegExp(`<tr data-enrolment="${eid}">`));
    const t = text(page.body);
    assert.match(t, new RegExp(`Now in Track a since ${OPENS}\\. Level of care: `));
    assert.match(t, new RegExp(`Enrolled in track ${T.a.code} from ${OPENS}`), 'on the timeline');
    assert.doesNotMatch(page.body, /id="join-form"/, 'enrolled: no join form');
    assert.match(page.body, /id="move-form"/, 'enrolled: the move form');
    // Joining again over the open enrolment: a conflict by its field, nothing written.
    const s1 = snapshot(pid);
    res = await p('clinician', `/staff/patients/${pid}/enrol`, { join_track: T.p.id, join_start: TODAY });
    assert.equal(res.status, 409);
    assert.ok(fieldError(res.body, 'join_start'));
    assert.equal(snapshot(pid), s1);
});

// ------------------------------------------------------------------ figures = the API's

test('the weekly hours and the schedule are the API\'s figures, billable days marked', async () => {
    const pid = await patient('Hours');
    assert.equal((await p('clinician', `/staff/patients/${pid}/enrol`, { join_track: T.a.id, join_start: OPENS })).status, 303);
    const mon = addDays(OPENS, 7), wed = addDays(mon, 2), fri = addDays(mon, 4);
    const week = await call('admin', 'GET', `/api/v1/sessions?from=${mon}&to=${addDays(mon, 6)}&patient=${pid}`);
    assert.equal(week.status, 200, week.body);
    const put = (sid, status, minutes) => call('clinician', 'PUT', `/api/v1/sessions/${sid}/attendance/${pid}`,
        minutes === undefined ? { status } : { status, minutes });
    for (const s of week.data) {
        const res = await put(s.id, s.date === fri ? 'absent-unexcused' : 'present');
        assert.equal(res.status, 200, res.body);
    }
    // An individual session makes Monday a billable day (165 + 60 minutes).
    const one = await call('clinician', 'POST', '/api/v1/sessions', { date: mon, start: '13:00', end: '14:00', kind: 'individual', title: 'Individual therapy', patients: [pid] });
    assert.equal(one.status, 201, one.body);
    assert.equal((await put(one.data.id, 'present')).status, 200);
    // Its plan current and its notes signed (R6's fourth condition, haven-program-2).
    for (const day of [mon, wed]) documentDay(srv, pid, day);

    const page = await chart('clinician', pid);
    assert.equal((page.body.match(/<tr data-week="/g) || []).length, 8, 'eight weeks');
    for (let i = 0; i < 8; i++) {
        const w = isoWeek(addDays(TODAY, -7 * i));
        const apiWeek = await call('medical', 'GET', `/api/v1/patients/${pid}/weeks/${w}?as_of=${TODAY}`);
        assert.equal(apiWeek.status, 200);
        const row = page.body.match(new RegExp(`<tr data-week="${w}"[\\s\\S]*?</tr>`));
        assert.ok(row, `week ${w} shown`);
        const cells = [...row[0].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => text(m[1]).trim());
        const d = apiWeek.data;
        assert.equal(cells[1], words(d.scheduled_minutes), `${w} scheduled`);
        assert.equal(cells[2], words(d.attended_minutes), `${w} attended`);
        assert.equal(cells[3], d.minimum_minutes === null ? 'none this week' : words(d.minimum_minutes), `${w} minimum`);
        assert.equal(cells[4], d.scheduled_shortfall === null ? '—' : words(d.scheduled_shortfall), `${w} scheduled shortfall`);
        if (d.attended_shortfall !== null) assert.equal(cells[5], words(d.attended_shortfall), `${w} attended shortfall`);
        assert.equal((row[0].match(/<li data-date=/g) || []).length, d.days.length, `${w}: each day with attendance`);
        for (const day of d.days) {
            const li = row[0].match(new RegExp(`<li data-date="${day.date}">([\\s\\S]*?)</li>`));
            assert.ok(li, `${day.date} listed`);
            assert.match(text(li[1]), new RegExp(`${words(day.attended_minutes)}, ${day.billable ? 'billable' : 'not billable'}`));
        }
    }
    // The scenario's week: Monday billable, Wednesday not (under 3 hours), Friday absent.
    const t = text(page.body.match(new RegExp(`<tr data-week="${isoWeek(mon)}"[\\s\\S]*?</tr>`))[0]);
    assert.match(t, new RegExp(`${mon}: 3 h 45 min, billable`));
    assert.match(t, new RegExp(`${wed}: 2 h 45 min, not billable \\(under 3 hours attended\\)`));
    assert.doesNotMatch(t, new RegExp(fri));

    // The schedule: the sessions GET /api/v1/sessions lists for the next 14 days.
    const next = await call('clinician', 'GET', `/api/v1/sessions?from=${TODAY}&to=${addDays(TODAY, 13)}&patient=${pid}`);
    assert.equal(next.status, 200);
    const table = page.body.match(/<table class="staff-table stack prog-schedule"[\s\S]*?<\/table>/);
    assert.ok(next.data.length > 0 && table, 'the schedule is shown');
    assert.equal((table[0].match(/<tr[ >]/g) || []).length - 1, next.data.length, 'one row a session');
    assert.match(text(table[0]), new RegExp(`${next.data[0].date} ${next.data[0].start}–${next.data[0].end} ${next.data[0].title}`));
});

// ------------------------------------------------------------------ move (R8), step (R9)

test('move: R8 names the first full date; only an admin goes past it, with a reason, in one transaction', async () => {
    const pid = await patient('Mover');
    const other = await patient('Holder');
    assert.equal((await call('admin', 'POST', `/api/v1/patients/${other}/enrolments`, { track_id: T.b.id, start: OPENS })).status, 201);
    assert.equal((await p('clinician', `/staff/patients/${pid}/enrol`, { join_track: T.a.id, join_start: OPENS })).status, 303);
    const d1 = addDays(TODAY, 1);
    const s0 = snapshot(pid);
    const bad = [
        [{ move_start: d1 }, 'move_track', 422],
        [{ move_track: T.b.id }, 'move_start', 422],
        [{ move_track: T.b.id, move_start: '2026-13-01' }, 'move_start', 422],
        [{ move_track: T.p.id, move_start: d1 }, 'move_track', 422],   // another level: a step
        [{ move_track: T.a.id, move_start: d1 }, 'move_track', 422],   // the same track
        [{ move_track: T.b.id, move_start: OPENS }, 'move_start', 422], // not after the present start
        [{ move_track: T.b.id, move_start: d1, move_reason: 'x'.repeat(301) }, 'move_reason', 422],
        [{ move_track: T.b.id, move_start: d1 }, 'move_track', 409],   // full (capacity 1)
    ];
    for (const [fields, field, status] of bad) {
        const res = await p('clinician', `/staff/patients/${pid}/move`, fields);
        assert.equal(res.status, status, `${JSON.stringify(fields)}: ${res.status}`);
        assert.ok(fieldError(res.body, field), `error next to ${field}: ${JSON.stringify(fields)}`);
        assert.match(res.body, /<details id="move" class="prog-action" open>/);
        assert.equal(snapshot(pid), s0, `nothing written: ${JSON.stringify(fields)}`);
    }
    let res = await p('clinician', `/staff/patients/${pid}/move`, { move_track: T.b.id, move_start: d1 });
    assert.match(text(res.body), new RegExp(`The track is full on ${d1} \\(capacity 1\\)`), 'the first full date');
    assert.doesNotMatch(res.body, /id="move_override"/, 'no override for a clinician');
    // A clinician's override is not heard.
    res = await p('clinician', `/staff/patients/${pid}/move`, { move_track: T.b.id, move_start: d1, move_override: 'Please' });
    assert.equal(res.status, 409);
    assert.equal(snapshot(pid), s0);
    // An administrator sees the field and goes past the capacity with a reason.
    res = await p('admin', `/staff/patients/${pid}/move`, { move_track: T.b.id, move_start: d1 });
    assert.equal(res.status, 409);
    assert.match(res.body, /id="move_override"/);
    res = await p('admin', `/staff/patients/${pid}/move`, { move_track: T.b.id, move_start: d1, move_reason: 'Works days now', move_override: 'Two leave next week' });
    assert.equal(res.status, 303, res.body.slice(0, 500));
    const oldId = enrolmentOf(pid, T.a.code), newId = enrolmentOf(pid, T.b.code);
    assert.equal(sql(`select end_date || '|' || end_reason from enrolments where public_id = '${oldId}'`), `${TODAY}|Works days now`,
        'the open enrolment ends the day before');
    assert.equal(sql(`select start_date || '|' || coalesce(end_date, 'open') || '|' || override_reason from enrolments where public_id = '${newId}'`),
        `${d1}|open|Two leave next week`);
    assert.equal(sql(`select track || '|' || level from patients where public_id = '${pid}'`), `${T.b.code}|iop`);
    assert.equal(audits('update', 'enrolment', oldId), 1);
    assert.equal(audits('create', 'enrolment', newId), 1);
    assert.equal(audits('override-capacity', 'enrolment', newId), 1);
    assert.equal(audits('update', 'patient', pid), 1);
    const t = text((await chart('clinician', pid)).body);
    assert.match(t, new RegExp(`Moved from track ${T.a.code} to track ${T.b.code} from ${d1}`));
    assert.match(t, /Works days now/);
    assert.doesNotMatch(t, new RegExp(`Enrolled in track ${T.b.code}`), 'the move tells the new enrolment');
    assert.match(t, /Past the capacity: Two leave next week/);
});

test('step: R9 names the session in the way; a step changes the level and the track with a reason', async () => {
    const pid = await patient('Stepper');
    assert.equal((await p('clinician', `/staff/patients/${pid}/enrol`, { join_track: T.a.id, join_start: OPENS })).status, 303);
    const d2 = addDays(mondayOf(TODAY), 14); // a Monday two weeks on
    // An individual session on that Monday at 10:00, which track p's 09:00-12:00 overlaps, while
    // track a's workshop (10:45) would too: it is made on a Tuesday, when only p meets.
    const tue = addDays(d2, 1);
    const one = await call('clinician', 'POST', '/api/v1/sessions', { date: tue, start: '10:00', end: '11:00', kind: 'individual', title: 'Individual', patients: [pid] });
    assert.equal(one.status, 201, one.body);
    const s0 = snapshot(pid);
    const bad = [
        [{ step_track: T.p.id, step_start: d2 }, 'step_reason', 422],
        [{ step_track: T.p.id, step_start: d2, step_reason: ' ' }, 'step_reason', 422],
        [{ step_track: T.b.id, step_start: d2, step_reason: 'Needs more' }, 'step_track', 422], // the same level
        [{ step_start: d2, step_reason: 'Needs more' }, 'step_track', 422],
        [{ step_track: T.p.id, step_reason: 'Needs more' }, 'step_start', 422],
        [{ step_track: T.p.id, step_start: d2, step_reason: 'Needs more' }, 'step_track', 409],  // R9
    ];
    for (const [fields, field, status] of bad) {
        const res = await p('clinician', `/staff/patients/${pid}/step`, fields);
        assert.equal(res.status, status, `${JSON.stringify(fields)}: ${res.status}`);
        assert.ok(fieldError(res.body, field), `error next to ${field}: ${JSON.stringify(fields)}`);
        assert.match(res.body, /<details id="step" class="prog-action" open>/);
        assert.equal(snapshot(pid), s0, `nothing written: ${JSON.stringify(fields)}`);
    }
    let res = await p('clinician', `/staff/patients/${pid}/step`, { step_track: T.p.id, step_start: d2, step_reason: 'Needs more' });
    assert.match(text(res.body), new RegExp(`overlaps session ${one.data.id}, which the patient is in`), 'the session in the way');
    assert.match(res.body, />Needs more<\/textarea>/, 'input kept');
    // Admissions staff do not step; the session cancelled, a clinician does.
    assert.equal((await p('admissions', `/staff/patients/${pid}/step`, { step_track: T.p.id, step_start: d2, step_reason: 'x' })).status, 403);
    assert.equal((await call('clinician', 'POST', `/api/v1/sessions/${one.data.id}/cancel`, { reason: 'Moved to the afternoon' })).status, 200);
    res = await p('clinician', `/staff/patients/${pid}/step`, { step_track: T.p.id, step_start: d2, step_reason: 'Needs more structure' });
    assert.equal(res.status, 303, res.body.slice(0, 500));
    assert.equal(sql(`select track || '|' || level from patients where public_id = '${pid}'`), `${T.p.code}|php`);
    assert.equal(sql(`select end_date from enrolments where public_id = '${enrolmentOf(pid, T.a.code)}'`), addDays(d2, -1));
    const page = await chart('clinician', pid);
    assert.match(text(page.body), new RegExp(`Stepped up from .+ to .+, track ${T.p.code}, from ${d2}`));
    assert.match(text(page.body), /Needs more structure/);
    // Down again, back to the IOP track.
    const d3 = addDays(d2, 7);
    res = await p('admin', `/staff/patients/${pid}/step`, { step_track: T.a.id, step_start: d3, step_reason: 'Doing well' });
    assert.equal(res.status, 303, res.body.slice(0, 500));
    assert.equal(sql(`select level from patients where public_id = '${pid}'`), 'iop');
    assert.match(text((await chart('clinician', pid)).body), new RegExp(`Stepped down from .+ to .+, track ${T.a.code}, from ${d3}`));
});

// ------------------------------------------------------------------ end, discharge

test('end: an enrolment still running ends on a date; a bad one is refused by its field', async () => {
    const pid = await patient('Ender');
    const stranger = await patient('Stranger');
    assert.equal((await p('clinician', `/staff/patients/${pid}/enrol`, { join_track: T.a.id, join_start: OPENS })).status, 303);
    assert.equal((await p('clinician', `/staff/patients/${stranger}/enrol`, { join_track: T.a.id, join_start: OPENS })).status, 303);
    const eid = enrolmentOf(pid, T.a.code);
    const last = addDays(TODAY, 10);
    const s0 = snapshot(pid);
    const bad = [
        [{ end_date: last }, 'end_enrolment'],
        [{ end_enrolment: enrolmentOf(stranger, T.a.code), end_date: last }, 'end_enrolment'], // another patient's
        [{ end_enrolment: eid }, 'end_date'],
        [{ end_enrolment: eid, end_date: addDays(OPENS, -1) }, 'end_date'], // before its start
        [{ end_enrolment: eid, end_date: last, end_reason: 'é'.repeat(301) }, 'end_reason'],
    ];
    for (const [fields, field] of bad) {
        const res = await p('admissions', `/staff/patients/${pid}/enrolment-end`, fields);
        assert.equal(res.status, 422, `${JSON.stringify(fields).slice(0, 90)}: ${res.status}`);
        assert.ok(fieldError(res.body, field), `error next to ${field}`);
        assert.match(res.body, /<details id="end" class="prog-action" open>/);
        assert.equal(snapshot(pid), s0);
    }
    let res = await p('admissions', `/staff/patients/${pid}/enrolment-end`, { end_enrolment: eid, end_date: last, end_reason: 'Returns to work' });
    assert.equal(res.status, 303, res.body.slice(0, 500));
    assert.equal(sql(`select end_date || '|' || end_reason from enrolments where public_id = '${eid}'`), `${last}|Returns to work`);
    assert.equal(audits('update', 'enrolment', eid), 1);
    assert.match(text((await chart('clinician', pid)).body), new RegExp(`Enrolment in track ${T.a.code} ends on ${last}`));
    // Later than its end: the chart only shortens.
    res = await p('admissions', `/staff/patients/${pid}/enrolment-end`, { end_enrolment: eid, end_date: addDays(last, 1) });
    assert.equal(res.status, 422);
    assert.ok(fieldError(res.body, 'end_date'));
});

test('discharge: ends the enrolment on its date, with its reason and aftercare, in one transaction', async () => {
    const pid = await patient('Leaver');
    assert.equal((await p('clinician', `/staff/patients/${pid}/enrol`, { join_track: T.a.id, join_start: OPENS })).status, 303);
    const eid = enrolmentOf(pid, T.a.code);
    const res = await p('medical', `/staff/patients/${pid}/discharge`, {
        from: 'active', discharge_date: TODAY, discharge_reason: 'moved', aftercare_note: 'Outpatient group in Tulsa; sponsor Mon.',
    });
    assert.equal(res.status, 303, res.body.slice(0, 500));
    assert.equal(sql(`select status || '|' || discharge_date || '|' || discharge_disposition || '|' || aftercare_note from patients where public_id = '${pid}'`),
        `discharged|${TODAY}|moved|Outpatient group in Tulsa; sponsor Mon.`);
    assert.equal(sql(`select end_date || '|' || end_reason from enrolments where public_id = '${eid}'`), `${TODAY}|Discharged: Moved away`);
    assert.equal(audits('update', 'enrolment', eid), 1);
    assert.equal(audits('update', 'patient', pid), 1);
    const page = await chart('clinician', pid);
    const t = text(page.body);
    assert.match(t, new RegExp(`Status: Active to Discharged on ${TODAY} \\(Moved away\\)`));
    assert.match(t, /Aftercare: Outpatient group in Tulsa; sponsor Mon\./);
    for (const f of ['join', 'move', 'step', 'discharge']) assert.doesNotMatch(page.body, new RegExp(`id="${f}-form"`), f);
    // A discharged patient joins nothing.
    const s1 = snapshot(pid);
    const again = await p('clinician', `/staff/patients/${pid}/enrol`, { join_track: T.a.id, join_start: TODAY });
    assert.equal(again.status, 422);
    assert.ok(fieldError(again.body, 'join_track'));
    assert.equal((await p('clinician', `/staff/patients/${pid}/move`, { move_track: T.b.id, move_start: addDays(TODAY, 1) })).status, 409);
    assert.equal(snapshot(pid), s1);
});

test('discharge: an enrolment starting after the date is in the way; an entry that fails rolls all back', async () => {
    const pid = await patient('Later');
    assert.equal((await p('clinician', `/staff/patients/${pid}/enrol`, { join_track: T.a.id, join_start: addDays(TODAY, 3) })).status, 303);
    const s0 = snapshot(pid);
    let res = await p('clinician', `/staff/patients/${pid}/discharge`, { from: 'active', discharge_date: TODAY, discharge_reason: 'completed' });
    assert.equal(res.status, 409);
    assert.ok(fieldError(res.body, 'discharge_date'));
    assert.match(text(res.body), new RegExp(`starts on ${addDays(TODAY, 3)}, after this date`));
    assert.equal(snapshot(pid), s0);
    // Every write of a move or a discharge lands with its audit entries or not at all.
    sql(`CREATE TRIGGER test_no_entry BEFORE INSERT ON audit_log WHEN NEW.action = 'update' AND NEW.record_type = 'patient'
         AND NEW.outcome = 'ok' BEGIN SELECT RAISE(ABORT, 'test'); END`);
    try {
        const other = await patient('Rollback');
        assert.equal((await p('clinician', `/staff/patients/${other}/enrol`, { join_track: T.a.id, join_start: OPENS })).status, 303);
        const s1 = snapshot(other);
        res = await p('clinician', `/staff/patients/${other}/discharge`, { from: 'active', discharge_date: TODAY, discharge_reason: 'completed' });
        assert.equal(res.status, 500, 'no entry, no discharge');
        res = await p('clinician', `/staff/patients/${other}/step`, { step_track: T.p.id, step_start: addDays(TODAY, 30), step_reason: 'More' });
        assert.equal(res.status, 500, 'no entry, no step');
        assert.equal(snapshot(other), s1, 'neither the enrolments nor the patient changed');
    } finally {
        sql('DROP TRIGGER test_no_entry');
    }
});

// ------------------------------------------------------------------ roles, CSRF

test('roles and CSRF: who may not post the Program forms is refused, audited, and nothing is written', async () => {
    const pid = await patient('Guarded');
    assert.equal((await p('clinician', `/staff/patients/${pid}/enrol`, { join_track: T.a.id, join_start: OPENS })).status, 303);
    const eid = enrolmentOf(pid, T.a.code);
    const s0 = snapshot(pid);
    const forms = {
        enrol: { join_track: T.p.id, join_start: TODAY },
        'enrolment-end': { end_enrolment: eid, end_date: TODAY },
        move: { move_track: T.b.id, move_start: addDays(TODAY, 1) },
        step: { step_track: T.p.id, step_start: addDays(TODAY, 1), step_reason: 'x' },
        discharge: { from: 'active', discharge_date: TODAY, discharge_reason: 'completed' },
    };
    const refused = {
        billing: Object.keys(forms), auditor: Object.keys(forms),
        medical: ['enrol', 'enrolment-end', 'move', 'step'], admissions: ['step'],
    };
    for (const [role, paths] of Object.entries(refused))
        for (const path of paths) {
            const res = await p(role, `/staff/patients/${pid}/${path}`, forms[path]);
            assert.equal(res.status, 403, `${role} ${path}`);
        }
    for (const path of Object.keys(forms))
        for (const csrf of [undefined, 'f'.repeat(64), who.admin.csrf]) {
            const fields = csrf === undefined ? forms[path] : { ...forms[path], csrf };
            const res = await post(srv, who.clinician.jar, `/staff/patients/${pid}/${path}`, fields);
            assert.equal(res.status, 403, `${path} csrf=${String(csrf).slice(0, 8)}`);
        }
    assert.equal(snapshot(pid), s0);
    assert.ok(Number(sql(`select count(*) from audit_log where record_id = '${pid}' and outcome = 'denied'`)) >= 13);
    assert.equal((await p('clinician', `/staff/patients/${'0'.repeat(32)}/move`, forms.move)).status, 404);
    // The route table: each form with its roles.
    const routes = JSON.parse(execFileSync(HAVEN_BIN, ['routes', '--json'], { cwd: REPO_ROOT, encoding: 'utf8' }));
    const want = {
        enrol: ['admin', 'admissions', 'clinician'], 'enrolment-end': ['admin', 'admissions', 'clinician'],
        move: ['admin', 'admissions', 'clinician'], step: ['admin', 'clinician'],
        discharge: ['admin', 'admissions', 'clinician', 'medical'],
    };
    for (const [path, roles] of Object.entries(want)) {
        const r = routes.find((x) => x.method === 'POST' && x.pattern === `/staff/patients/:id/${path}`);
        assert.deepEqual([...r.roles].sort(), roles, path);
    }
});
