// The care settings screen (issues 10 and 11) on the real binary: an administrator reads the
// clinic's current choices (the migrations' defaults; no craving alert level until chosen),
// a bad value is refused with its field named and nothing saved (all or nothing), good values
// land together with one audit entry, an emptied craving level removes it (no craving alerts),
// and nobody but an administrator may open or post it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer } from '../helpers/server.mjs';
import { get, post, signIn } from '../helpers/staff.mjs';

let srv;
const who = {};
const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();
const setting = (k) => sql(`select coalesce((select value from settings where key = '${k}'), '(unset)')`);
const GOOD = {
    plan_review_days: '30', note_due_hours: '48', measure_days_phq9: '14', measure_days_gad7: '28',
    measure_days_pacs: '7', measure_days_craving: '0', portal_aftercare_days: '60', portal_craving_alert: '7',
    portal_triggers: 'Stress, Payday, People',
};
const save = (fields) => post(srv, who.admin.jar, '/staff/settings/care', { csrf: who.admin.csrf, ...fields });

before(async () => {
    srv = await startServer({ demo: true });
    for (const role of ['admin', 'clinician', 'billing']) who[role] = await signIn(srv, role);
});
after(async () => { if (srv) await srv.stop(); });

test('the page shows the defaults, with no craving alert level until the clinic chooses one', async () => {
    const res = await get(srv, who.admin.jar, '/staff/settings/care');
    assert.equal(res.status, 200);
    assert.match(res.body, /id="plan_review_days"[^>]*value="30"/);
    assert.match(res.body, /id="note_due_hours"[^>]*value="24"/);
    assert.match(res.body, /id="portal_craving_alert"[^>]*value=""/);
    assert.equal(setting('portal_craving_alert'), '(unset)');
});

test('a bad value is refused naming its field, and nothing is saved', async () => {
    for (const [field, value] of [['plan_review_days', '3'], ['note_due_hours', 'soon'], ['portal_craving_alert', '11'],
        ['measure_days_phq9', '-1'], ['portal_triggers', ' , ,']]) {
        const res = await save({ ...GOOD, [field]: value });
        assert.equal(res.status, 422, `${field}=${value}`);
        assert.match(res.body, new RegExp(`<a href="#${field}">`), field);
        assert.equal(setting('note_due_hours'), '24', 'nothing saved');
        assert.equal(setting('portal_craving_alert'), '(unset)');
    }
});

test('each range holds on both sides: the ends are taken, one past them is refused and named', async () => {
    for (const [field, low, high, words] of [['plan_review_days', 7, 180, 'The days between plan reviews'],
        ['note_due_hours', 1, 168, 'The hours until a note is due'], ['portal_craving_alert', 0, 10, 'The craving level that alerts'],
        ['portal_aftercare_days', 0, 365, 'The days of portal access after discharge']]) {
        for (const ok of [low, high]) {
            assert.equal((await save({ ...GOOD, [field]: String(ok) })).status, 303, `${field}=${ok}`);
            assert.equal(setting(field), String(ok));
        }
        for (const bad of [low - 1, high + 1]) {
            const res = await save({ ...GOOD, [field]: String(bad) });
            assert.equal(res.status, 422, `${field}=${bad}`);
            assert.ok(res.body.includes(`${words} is a whole number from ${low} to ${high}.`), `${field}: the problem names it`);
            assert.equal(setting(field), String(high), 'nothing saved');
        }
    }
    assert.equal((await save({ ...GOOD, portal_craving_alert: '' })).status, 303);
});

test('good values land together with one audit entry; an emptied craving level is removed', async () => {
    const before = Number(sql("select count(*) from audit_log where record_type = 'settings' and record_id = 'care' and outcome = 'ok'"));
    const res = await save(GOOD);
    assert.equal(res.status, 303);
    assert.equal(setting('note_due_hours'), '48');
    assert.equal(setting('measure_days_gad7'), '28');
    assert.equal(setting('portal_craving_alert'), '7');
    assert.equal(setting('portal_triggers'), 'Stress, Payday, People');
    assert.equal(Number(sql("select count(*) from audit_log where record_type = 'settings' and record_id = 'care' and outcome = 'ok'")), before + 1);
    assert.match((await get(srv, who.admin.jar, '/staff/settings/care')).body, /id="note_due_hours"[^>]*value="48"/);
    assert.equal((await save({ ...GOOD, portal_craving_alert: '' })).status, 303);
    assert.equal(setting('portal_craving_alert'), '(unset)');
});

test('only administrators open or change the care settings', async () => {
    for (const role of ['clinician', 'billing']) {
        assert.equal((await get(srv, who[role].jar, '/staff/settings/care')).status, 403, role);
        const res = await post(srv, who[role].jar, '/staff/settings/care', { csrf: who[role].csrf, ...GOOD, note_due_hours: '2' });
        assert.equal(res.status, 403, role);
    }
    assert.notEqual(setting('note_due_hours'), '2');
});
