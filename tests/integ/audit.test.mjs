// The audit trail (issue 3, "Audit trail"): referral creation is audited, the hash chain
// verifies, and `haven audit verify` catches a row edited or removed directly in SQLite, the
// newest entries deleted (the head anchor in audit_head), and an anchor moved to hide it (its
// MAC, once the server loads the audit key); the append-only triggers refuse plain UPDATE and
// DELETE. Then the auditor's screen, its CSV export
// and its JSON twin, signed in as the demo auditor: filters, paging, validation (422 naming the
// field), formula-injection guard, and that reading the trail is itself audited. Then issue 7's
// trail for people: one `list` entry per list view naming the records shown (covered by its link:
// verify catches a listed id changed or removed), found by the record filter; names beside the
// ids for readers whose roles may see them; the record type and action filters as choices.
// Contract: docs/staff-workspace.md; sign-in through tests/helpers/staff.mjs (demo accounts).

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
    startServer, postForm, extractCall, findTags, inputs, json, securityHeaderProblems,
    hasNoStore, HAVEN_BIN,
} from '../helpers/server.mjs';
import { signIn, signInPassword, get as staffGet, post as staffPost, csrfOf, Jar } from '../helpers/staff.mjs';
import { PROFILES } from '../helpers/profiles.mjs';
import { makeReferral, makePatient } from '../helpers/records.mjs';

// ------------------------------------------------------------------ helpers

/** Runs SQL with Debian's sqlite3 CLI; returns { status, stdout, stderr }. */
function sqlite(db, sql, { json: asJson = false } = {}) {
    const args = asJson ? ['-json', db, sql] : [db, sql];
    const r = spawnSync('sqlite3', ['-cmd', '.timeout 5000', ...args], { encoding: 'utf8' });
    if (r.error && r.error.code === 'ENOENT') throw new Error('sqlite3 CLI not found: apt-get install sqlite3');
    return r;
}
/** Rows of a SELECT as objects. */
function rows(db, sql) {
    const r = sqlite(db, sql, { json: true });
    assert.equal(r.status, 0, `sqlite3 failed: ${r.stderr}`);
    return r.stdout.trim() ? JSON.parse(r.stdout) : [];
}
/** `haven audit verify --db DB`: { status, stdout, stderr }. */
function verify(db) {
    return spawnSync(HAVEN_BIN, ['audit', 'verify', '--db', db], { encoding: 'utf8' });
}

/** One referral through the public flow: result page, then the call form with its CSRF pair. */
async function postReferral(origin, name = 'Sam Rivera') {
    const page = await postForm(origin, '/assessment/result', PROFILES.php.answers);
    assert.equal(page.status, 200);
    const c = extractCall(page);
    const res = await postForm(origin, '/assessment/call', {
        csrf: c.csrf, answers: c.answers, name, phone: '555-010-0199', email: 'sam@example.org',
        'best-time': 'evening', voicemail: 'no', consent: 'yes',
    }, { headers: { cookie: c.cookie } });
    assert.equal(res.status, 303, res.body.slice(0, 300));
    return res;
}

/** The rows of table#audit-table's body: [{ id, cells: [text...] }]. */
function tableRows(html) {
    const start = html.indexOf('<tbody');
    const end = html.indexOf('</tbody>', start);
    assert.ok(start >= 0 && end > start, 'table#audit-table with a tbody');
    return findTags(html.slice(start, end), 'tr').map((t) => Number(t.attrs['data-id']));
}
/** RFC 4180 parser (quoted fields, "" escapes, CRLF records). */
function parseCsv(text) {
    const out = [];
    let row = [], field = '', q = false;
    for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (q) {
            if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') q = false; else field += ch;
        } else if (ch === '"') q = true;
        else if (ch === ',') { row.push(field); field = ''; }
        else if (ch === '\r' && text[i + 1] === '\n') { row.push(field); out.push(row); row = []; field = ''; i++; }
        else field += ch;
    }
    if (field || row.length) { row.push(field); out.push(row); }
    return out;
}

// ------------------------------------------------------------------ the chain and verify

describe('audit chain: referral creation, verify, tampering', () => {
    let srv;
    let work; // our own temp dir: stop() removes the server's
    let snapshot; // a consistent copy of the database after the referrals

    let referrals; // public ids of the referrals posted, in order

    before(async () => {
        srv = await startServer();
        work = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-audit-'));
        for (let i = 0; i < 4; i++) await postReferral(srv.origin);
        referrals = rows(srv.db, 'SELECT public_id FROM referrals ORDER BY id').map((r) => r.public_id);
        // A consistent copy (WAL included) to work on after the server stops; stop() removes
        // the server's own directory.
        snapshot = path.join(work, 'snapshot.db');
        const b = sqlite(srv.db, `.backup '${snapshot}'`);
        assert.equal(b.status, 0, b.stderr);
        // The secret key file goes with it: verify checks keyed entries with it.
        if (fs.existsSync(`${srv.db}.key`)) fs.copyFileSync(`${srv.db}.key`, `${snapshot}.key`);
        await srv.stop();
        srv = null;
    });
    after(async () => {
        if (srv) await srv.stop();
        if (work) fs.rmSync(work, { recursive: true, force: true });
    });

    /** A fresh copy of the snapshot to tamper with (it must hold at least 4 entries). */
    function copy(name) {
        const n = rows(snapshot, 'SELECT count(*) AS n FROM audit_log')[0].n;
        assert.ok(n >= 4, `the trail holds ${n} entries: creating a referral must be audited ` +
            '(audit_record(r, "create", "referral", id, "ok") in src/web/web_referral.c)');
        const p = path.join(work, `${name}.db`);
        fs.copyFileSync(snapshot, p);
        if (fs.existsSync(`${snapshot}.key`)) {
            fs.copyFileSync(`${snapshot}.key`, `${p}.key`);
            fs.chmodSync(`${p}.key`, 0o600);
        }
        return p;
    }

    test('each referral created through the public flow writes one audit entry', () => {
        assert.equal(referrals.length, 4);
        const entries = rows(snapshot, "SELECT * FROM audit_log WHERE action = 'create' AND record_type = 'referral' ORDER BY id");
        assert.deepEqual(entries.map((e) => e.record_id), referrals, 'one create/referral entry per referral, in order');
        for (const e of entries) {
            assert.equal(e.user_email, 'anonymous');
            assert.equal(e.user_id, null);
            assert.equal(e.outcome, 'ok');
            assert.equal(e.client, '127.0.0.1');
            assert.match(e.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'UTC ISO-8601 with milliseconds');
            assert.match(e.hash, /^[0-9a-f]{64}$/);
            assert.match(e.prev_hash, /^[0-9a-f]{64}$/);
        }
        // The whole trail links up: first prev_hash is 64 zeros, each next one the previous hash.
        const all = rows(snapshot, 'SELECT id, prev_hash, hash FROM audit_log ORDER BY id');
        assert.equal(all[0].id, 1);
        assert.equal(all[0].prev_hash, '0'.repeat(64));
        for (let i = 1; i < all.length; i++) {
            assert.equal(all[i].id, all[i - 1].id + 1);
            assert.equal(all[i].prev_hash, all[i - 1].hash, `entry ${all[i].id} links to ${all[i - 1].id}`);
        }
    });

    test('haven audit verify: an untouched trail is intact (exit 0)', () => {
        const r = verify(copy('intact'));
        assert.equal(r.status, 0, r.stdout + r.stderr);
        const n = rows(snapshot, 'SELECT count(*) AS n FROM audit_log')[0].n;
        assert.match(r.stdout, new RegExp(`^audit trail intact: ${n} entries$`, 'm'));
    });

    test('the triggers refuse a plain UPDATE and DELETE', () => {
        const db = copy('triggers');
        const before = rows(db, 'SELECT * FROM audit_log ORDER BY id');
        const u = sqlite(db, "UPDATE audit_log SET outcome = 'denied' WHERE id = 1");
        assert.notEqual(u.status, 0, 'UPDATE must fail');
        assert.match(u.stderr, /audit_log is append-only/);
        const d = sqlite(db, 'DELETE FROM audit_log WHERE id = 2');
        assert.notEqual(d.status, 0, 'DELETE must fail');
        assert.match(d.stderr, /audit_log is append-only/);
        assert.deepEqual(rows(db, 'SELECT * FROM audit_log ORDER BY id'), before, 'nothing changed');
        assert.equal(verify(db).status, 0);
    });

    test('an entry edited directly in SQLite (trigger dropped) -> verify names it, exit 1', () => {
        const db = copy('edited');
        const r0 = sqlite(db, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET outcome = 'denied' WHERE id = 1;");
        assert.equal(r0.status, 0, r0.stderr);
        assert.equal(rows(db, 'SELECT outcome FROM audit_log WHERE id = 1')[0].outcome, 'denied');
        const r = verify(db);
        assert.equal(r.status, 1, r.stdout + r.stderr);
        assert.match(r.stdout, /^audit trail broken at entry 1: .+/m);
    });

    test('an edit of a later entry names that entry, not the first', () => {
        const db = copy('edited3');
        assert.equal(sqlite(db, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET client = '10.9.9.9' WHERE id = 3;").status, 0);
        const r = verify(db);
        assert.equal(r.status, 1);
        assert.match(r.stdout, /^audit trail broken at entry 3: /m);
    });

    test('an edit that also recomputes nothing but the stored hash breaks the next link', () => {
        const db = copy('rehashed');
        const h = '1'.repeat(64);
        assert.equal(sqlite(db, `DROP TRIGGER audit_log_no_update; UPDATE audit_log SET hash = '${h}' WHERE id = 2;`).status, 0);
        const r = verify(db);
        assert.equal(r.status, 1);
        assert.match(r.stdout, /^audit trail broken at entry 2: /m);
    });

    test('a middle entry deleted (trigger dropped) -> verify names the entry after the gap', () => {
        const db = copy('deleted');
        assert.equal(sqlite(db, 'DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 2;').status, 0);
        const r = verify(db);
        assert.equal(r.status, 1, r.stdout + r.stderr);
        assert.match(r.stdout, /^audit trail broken at entry 3: .*missing/m);
    });

    test('the first entry deleted -> verify names the new first entry', () => {
        const db = copy('deleted-first');
        assert.equal(sqlite(db, 'DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 1;').status, 0);
        const r = verify(db);
        assert.equal(r.status, 1);
        assert.match(r.stdout, /^audit trail broken at entry 2: /m);
    });

    test('the newest entries deleted (trigger dropped) -> verify names what is missing, exit 1', () => {
        const db = copy('truncated');
        const n = rows(db, 'SELECT max(id) AS n FROM audit_log')[0].n;
        assert.equal(sqlite(db, `DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id > ${n - 2};`).status, 0);
        const r = verify(db);
        assert.equal(r.status, 1, r.stdout + r.stderr);
        assert.match(r.stdout, new RegExp(`^audit trail broken at entry ${n - 1}: entries after ${n - 2} are missing: the head anchor names entry ${n} as the newest$`, 'm'));
    });

    test('the whole trail deleted -> verify says entries after 0 are missing', () => {
        const db = copy('emptied');
        assert.equal(sqlite(db, 'DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log;').status, 0);
        const r = verify(db);
        assert.equal(r.status, 1, r.stdout + r.stderr);
        assert.match(r.stdout, /^audit trail broken at entry 1: entries after 0 are missing/m);
    });

    test('keyed: entries are HMACs, the anchor is sealed, a moved anchor and a wrong key are caught', (t) => {
        const keyed = rows(snapshot, 'SELECT count(*) AS n FROM audit_log WHERE scheme <> 1')[0].n;
        if (!keyed) {
            // The server loads the audit key at start-up (audit_key_init, from cli/setup.c).
            t.skip('the server does not load the audit key yet');
            return;
        }
        const head = rows(snapshot, 'SELECT last_id, last_hash, mac FROM audit_head')[0];
        const n = rows(snapshot, 'SELECT max(id) AS n FROM audit_log')[0].n;
        assert.equal(head.last_id, n);
        assert.match(head.mac || '', /^[0-9a-f]{64}$/, 'the anchor is sealed');
        const ok = verify(copy('keyed'));
        assert.equal(ok.status, 0, ok.stdout + ok.stderr);
        assert.match(ok.stdout, /^keyed entries: [1-9]\d*; head anchor: sealed$/m);
        // Truncate and move the anchor to match: its MAC no longer holds.
        const db = copy('forged');
        assert.equal(sqlite(db, `DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = ${n};
            UPDATE audit_head SET last_id = ${n - 1}, last_hash = (SELECT hash FROM audit_log WHERE id = ${n - 1});`).status, 0);
        const r = verify(db);
        assert.equal(r.status, 1, r.stdout + r.stderr);
        assert.match(r.stdout, /^audit trail broken at entry \d+: the head anchor's MAC does not match/m);
        // Another key file: the keyed links do not hold.
        const other = path.join(work, 'other.key');
        fs.writeFileSync(other, 'ab'.repeat(32) + '\n', { mode: 0o600 });
        const w = spawnSync(HAVEN_BIN, ['audit', 'verify', '--db', copy('wrongkey')], {
            encoding: 'utf8', env: { ...process.env, HAVEN_SECRET_KEY_FILE: other },
        });
        assert.equal(w.status, 1, w.stdout + w.stderr);
        assert.match(w.stdout, /key file is not this database's/);
    });

    test('unkeyed rewrite (review CRITICAL): deleted, re-chained as scheme 1, MAC nulled -> exit 1, and a server with the key does not launder it', async () => {
        const db = copy('rechained');
        const all = rows(db, 'SELECT * FROM audit_log ORDER BY id');
        // Keep the first two entries' content, re-chained as scheme 1 (plain SHA-256, as
        // domain/audit_chain.c serialises it): anyone can compute that without the key.
        const field = (v) => {
            if (v === null || v === undefined) return Buffer.from([0]);
            const b = Buffer.from(String(v), 'utf8');
            const h = Buffer.alloc(5); h[0] = 1; h.writeUInt32BE(b.length, 1);
            return Buffer.concat([h, b]);
        };
        let prev = '0'.repeat(64);
        const sql = ['DROP TRIGGER audit_log_no_delete;', 'DELETE FROM audit_log;'];
        for (const [i, e] of all.slice(0, 2).entries()) {
            const id = i + 1;
            const parts = [Buffer.from('haven-audit-chain-1\0', 'utf8'), field(id), field(e.at),
                field(e.user_id || null), field(e.user_email), field(e.roles), field(e.action),
                field(e.record_type), field(e.record_id), field(e.outcome), field(e.client), field(prev)];
            const hash = crypto.createHash('sha256').update(Buffer.concat(parts)).digest('hex');
            const q = (v) => (v === null || v === undefined ? 'NULL' : `'${String(v).replace(/'/g, "''")}'`);
            sql.push(`INSERT INTO audit_log (id, at, user_id, user_email, roles, action, record_type, record_id,
                outcome, client, prev_hash, hash, scheme) VALUES (${id}, ${q(e.at)}, ${q(e.user_id)}, ${q(e.user_email)},
                ${q(e.roles)}, ${q(e.action)}, ${q(e.record_type)}, ${q(e.record_id)}, ${q(e.outcome)}, ${q(e.client)},
                '${prev}', '${hash}', 1);`);
            prev = hash;
        }
        sql.push(`UPDATE audit_head SET last_id = 2, last_hash = '${prev}', mac = NULL, first_keyed_id = NULL, mac_scheme = 1;`);
        const w = sqlite(db, sql.join('\n'));
        assert.equal(w.status, 0, w.stderr);
        // Without the key file the database's key check still says it has had a key.
        const keyFile = `${db}.key`;
        fs.renameSync(keyFile, `${keyFile}.away`);
        let r = verify(db);
        assert.equal(r.status, 1, r.stdout + r.stderr);
        assert.match(r.stdout, /not sealed although this database has had a key/);
        fs.renameSync(`${keyFile}.away`, keyFile);
        r = verify(db);
        assert.equal(r.status, 1, r.stdout + r.stderr);
        assert.match(r.stdout, /^audit trail broken at entry 3: the head anchor is not sealed/m);
        // A server with the real key starts on it and appends: still detected.
        const s2 = await startServer({ extraArgs: ['--db', db] });
        try {
            await postReferral(s2.origin, 'Pat Doe');
        } finally {
            await s2.stop();
        }
        assert.ok(rows(db, 'SELECT count(*) AS n FROM audit_log WHERE scheme = 3')[0].n >= 1, 'appended keyed');
        assert.equal(rows(db, 'SELECT mac FROM audit_head')[0].mac, null, 'the forged anchor is not sealed');
        r = verify(db);
        assert.equal(r.status, 1, r.stdout + r.stderr);
        assert.match(r.stdout, /the head anchor is not sealed/);
    });

    test('verify refuses a database that does not exist (exit 1, nothing created)', () => {
        const p = path.join(work, 'absent.db');
        const r = verify(p);
        assert.equal(r.status, 1);
        assert.ok(!fs.existsSync(p), 'verify must not create a database');
    });
});

// ------------------------------------------------------------------ the auditor's screen

describe('audit screen, CSV and API (signed in)', () => {
    let srv;
    let auditor; // the signed-in demo auditor's cookie jar

    before(async () => {
        srv = await startServer({ demo: true });
        for (let i = 0; i < 3; i++) await postReferral(srv.origin);
        auditor = (await signIn(srv, 'auditor')).jar;
    });
    after(async () => { if (srv) await srv.stop(); });

    const get = (p, jar) => staffGet(srv, jar || null, p);
    const entries = (where) => rows(srv.db, `SELECT * FROM audit_log WHERE ${where} ORDER BY id`);
    test('anonymous: the screen redirects to sign-in, the API answers 401', async () => {
        for (const p of ['/staff/audit', '/staff/audit.csv']) {
            const r = await get(p);
            assert.equal(r.status, 303, p);
            assert.match(r.headers.location || '', /\/staff\/sign-in/);
        }
        const api = await get('/api/v1/audit');
        assert.equal(api.status, 401);
        assert.ok(json(api).error);
    });

    test('signed in without auditor or admin -> 403 on the screen, the CSV and the API', async () => {
        const { jar } = await signIn(srv, 'clinician');
        for (const p of ['/staff/audit', '/staff/audit.csv', '/api/v1/audit']) {
            const r = await get(p, jar);
            assert.equal(r.status, 403, `${p} as clinician`);
        }
    });

    test('the auditor sees the trail, newest first, and the view itself is audited', async () => {
        const res = await get('/staff/audit', auditor);
        assert.equal(res.status, 200, res.body.slice(0, 500));
        assert.match(res.headers['content-type'], /^text\/html/);
        assert.ok(hasNoStore(res));
        assert.deepEqual(securityHeaderProblems(res), []);
        assert.ok(findTags(res.body, 'form').some((f) => f.attrs.id === 'audit-filter'), 'form#audit-filter');
        // Issue 7: record type and action are choices (select lists), the others typed.
        const selects = findTags(res.body, 'select').map((t) => t.attrs.name);
        for (const n of ['user', 'record', 'type', 'action', 'from', 'to']) {
            assert.ok(inputs(res.body).some((i) => i.name === n) || selects.includes(n), `filter field ${n}`);
        }
        assert.ok(selects.includes('type') && selects.includes('action'), 'type and action are select lists');
        const ids = tableRows(res.body);
        assert.ok(ids.length >= 4, 'the referrals and the view');
        assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first');
        const views = entries("action = 'view' AND record_type = 'audit' AND user_email = 'auditor@demo.haven'");
        assert.ok(views.length >= 1, 'reading the trail wrote a view entry');
        assert.equal(views.at(-1).outcome, 'ok');
        assert.match(views.at(-1).roles, /\bauditor\b/);
        assert.equal(ids[0], views.at(-1).id, 'the newest entry is this view');
    });

    test('filters: record id, type, action, user and dates select exactly their entries', async () => {
        const ref = rows(srv.db, 'SELECT public_id FROM referrals ORDER BY id LIMIT 1')[0].public_id;
        let r = json(await get(`/api/v1/audit?record=${ref}`, auditor));
        assert.equal(r.total, 1);
        assert.equal(r.entries[0].record_id, ref);
        assert.equal(r.entries[0].action, 'create');
        r = json(await get('/api/v1/audit?type=referral&action=create', auditor));
        assert.equal(r.total, 3);
        assert.ok(r.entries.every((e) => e.record_type === 'referral' && e.action === 'create'));
        r = json(await get('/api/v1/audit?user=AUDITOR%40demo.haven&action=view', auditor));
        assert.ok(r.total >= 1);
        assert.ok(r.entries.every((e) => e.user_email === 'auditor@demo.haven' && e.action === 'view'));
        const today = new Date().toISOString().slice(0, 10);
        r = json(await get(`/api/v1/audit?from=${today}&to=${today}`, auditor));
        assert.ok(r.total >= 4);
        assert.equal(r.total, rows(srv.db, `SELECT count(*) AS n FROM audit_log WHERE substr(at, 1, 10) = '${today}'`)[0].n);
        r = json(await get('/api/v1/audit?from=2000-01-01&to=2000-01-02', auditor));
        assert.equal(r.total, 0);
        assert.deepEqual(r.entries, []);
        // The HTML screen filters the same way and keeps the filters in the form.
        const page = await get(`/staff/audit?record=${ref}`, auditor);
        assert.equal(page.status, 200);
        assert.equal(tableRows(page.body).length, 1);
        assert.equal(inputs(page.body).find((i) => i.name === 'record').value, ref);
    });

    test('bad parameters -> 422 naming the field (HTML, CSV and API), each audited as invalid', async () => {
        const cases = [
            ['from=2026-02-30', 'from', /From/],
            ['to=31-01-2026', 'to', /To/],
            ['from=2026-02-02&to=2026-02-01', 'to', /To/],
            [`user=${'a'.repeat(255)}`, 'user', /User/],
            [`record=${'x'.repeat(65)}`, 'record', /record/i],
            ['record=%3Cscript%3E', 'record', /record/i],
            ['type=Patient%20X', 'type', /Record type/],
            ['action=%27%3B--', 'action', /Action/],
            ['page=0', 'page', /Page/],
            ['page=abc', 'page', /Page/],
        ];
        for (const [qs, field, label] of cases) {
            const before = entries("outcome = 'invalid' AND record_type = 'audit'").length;
            const api = await get(`/api/v1/audit?${qs}`, auditor);
            assert.equal(api.status, 422, `API ${qs}`);
            const body = json(api);
            assert.match(body.error, label, `API ${qs}: ${body.error}`);
            assert.ok(body.details.some((d) => d.field === field), `API ${qs} names ${field}`);
            const html = await get(`/staff/audit?${qs}`, auditor);
            assert.equal(html.status, 422, `HTML ${qs}`);
            assert.match(html.body, label);
            assert.ok(!html.body.includes('<script>'), 'input is escaped');
            const csv = await get(`/staff/audit.csv?${qs}`, auditor);
            assert.equal(csv.status, 422, `CSV ${qs}`);
            assert.equal(entries("outcome = 'invalid' AND record_type = 'audit'").length, before + 3, `${qs} audited 3 times`);
        }
    });

    test('paging: 100 per page, next and previous links keep the filters', async () => {
        // Every API read appends a view entry: 120 of them make more than one page.
        for (let i = 0; i < 120; i++) assert.equal((await get('/api/v1/audit?action=create', auditor)).status, 200);
        const p1 = await get('/staff/audit?action=view', auditor);
        assert.equal(p1.status, 200);
        const ids1 = tableRows(p1.body);
        assert.equal(ids1.length, 100);
        const next = findTags(p1.body, 'a').find((a) => a.attrs.id === 'audit-next');
        assert.ok(next, 'a#audit-next');
        assert.match(next.attrs.href, /action=view/);
        assert.match(next.attrs.href, /page=2/);
        const p2 = await get(next.attrs.href, auditor);
        const ids2 = tableRows(p2.body);
        assert.ok(ids2.length >= 20);
        assert.ok(Math.max(...ids2) < Math.min(...ids1), 'page 2 is older than page 1');
        assert.ok(findTags(p2.body, 'a').some((a) => a.attrs.id === 'audit-prev'), 'a#audit-prev');
        const api = json(await get('/api/v1/audit?action=view&page=2', auditor));
        assert.ok(api.total >= 121);
        assert.ok(api.entries.length >= 20 && api.entries.length <= 100);
    });

    test('CSV export: attachment, RFC 4180, header row, same filters, audited as export', async () => {
        const res = await get('/staff/audit.csv?type=referral', auditor);
        assert.equal(res.status, 200, res.body.slice(0, 300));
        assert.match(res.headers['content-type'], /^text\/csv/);
        assert.match(res.headers['content-disposition'] || '', /^attachment;\s*filename="[^"]+\.csv"/);
        assert.ok(hasNoStore(res));
        assert.ok(res.body.endsWith('\r\n'), 'CRLF records');
        const table = parseCsv(res.body);
        // Issue 7 adds two columns after the first twelve: the record's name and a list's records.
        assert.deepEqual(table[0], ['id', 'at', 'user_id', 'user_email', 'roles', 'action', 'record_type',
            'record_id', 'outcome', 'client', 'prev_hash', 'hash', 'record_name', 'listed']);
        const data = table.slice(1);
        assert.equal(data.length, 3);
        assert.ok(data.every((r) => r.length === 14 && r[6] === 'referral'));
        const ex = entries("action = 'export' AND record_type = 'audit' AND user_email = 'auditor@demo.haven'");
        assert.ok(ex.length >= 1 && ex.at(-1).outcome === 'ok', 'the export was audited');
    });

    test('CSV export: cells starting with = + - @ are defused, quotes and commas quoted', async () => {
        // A row written straight into the table (INSERT is allowed; only the chain will mind).
        const r = sqlite(srv.db, "INSERT INTO audit_log (at, user_id, user_email, roles, action, record_type, record_id, outcome, client, prev_hash, hash) VALUES ('2026-01-01T00:00:00.000Z', NULL, '=HYPERLINK(\"http://x\",\"a,b\")', '-2+3', 'view', 'probe', '@SUM(A1)', 'ok', '+1', '" + '0'.repeat(64) + "', '" + 'f'.repeat(64) + "')");
        assert.equal(r.status, 0, r.stderr);
        const res = await get('/staff/audit.csv?type=probe', auditor);
        assert.equal(res.status, 200);
        const line = res.body.split('\r\n')[1];
        assert.ok(line.includes('"\'=HYPERLINK(""http://x"",""a,b"")"'), line);
        const row = parseCsv(res.body)[1];
        assert.equal(row[3], '\'=HYPERLINK("http://x","a,b")');
        assert.equal(row[4], '\'-2+3');
        assert.equal(row[7], '\'@SUM(A1)');
        assert.equal(row[9], '\'+1');
        for (const cell of row) assert.ok(!/^[=+\-@]/.test(cell), `cell ${cell} is defused`);
    });

    test('API: {"entries": [...], "total": N}, newest first, the read audited', async () => {
        const res = await get('/api/v1/audit', auditor);
        assert.equal(res.status, 200);
        assert.match(res.headers['content-type'], /^application\/json/);
        assert.ok(hasNoStore(res));
        const body = json(res);
        assert.ok(Array.isArray(body.entries));
        assert.equal(typeof body.total, 'number');
        assert.ok(body.entries.length <= 100 && body.entries.length > 0);
        const ids = body.entries.map((e) => e.id);
        assert.deepEqual(ids, [...ids].sort((a, b) => b - a));
        const e = body.entries[0];
        for (const k of ['id', 'at', 'user_id', 'user_email', 'roles', 'action', 'record_type', 'record_id', 'outcome', 'client', 'hash', 'prev_hash',
            'record_name', 'listed', 'n_listed']) {
            assert.ok(k in e, `entry has ${k}`);
        }
        assert.equal(e.action, 'view');
        assert.equal(e.record_type, 'audit');
        assert.equal(e.user_email, 'auditor@demo.haven');
    });
});

// ------------------------------------------------------------------ issue 7: the trail for people

describe('the trail for people: list entries, names by role, choices (issue 7)', () => {
    let srv;
    let work;
    const who = {}; // role -> { jar, csrf }
    let lee; // a referral's public id (Lee Park, still in the queue)
    let dana; // a patient's public id (Dana Frost, admitted)
    let danaRef; // the referral Dana came from

    const sql = (q) => rows(srv.db, q);
    const api = async (role, qs) => {
        const res = await staffGet(srv, who[role].jar, `/api/v1/audit?${qs}`);
        assert.equal(res.status, 200, res.body.slice(0, 300));
        return json(res);
    };
    const newestList = (type) => sql(`SELECT * FROM audit_log WHERE action = 'list' AND record_type = '${type}'
        ORDER BY id DESC LIMIT 1`)[0];
    const listedOf = (id) => sql(`SELECT record_id FROM audit_listed WHERE entry_id = ${id} ORDER BY pos`)
        .map((r) => r.record_id);

    /** A member holding several roles, from the CLI, with a password set through its link. */
    async function member(email, roles) {
        const out = spawnSync(HAVEN_BIN, ['user', 'add', email, '--name', 'Avery Both', ...roles.flatMap((r) => ['--role', r]),
            '--db', srv.db], { encoding: 'utf8', env: { ...process.env, HAVEN_PUBLIC_URL: srv.origin } });
        assert.equal(out.status, 0, out.stderr);
        const link = new URL(out.stdout.match(/https?:\/\/\S*\/staff\/set-password\?token=[0-9a-f]{64}/)[0]);
        const jar = new Jar();
        const form = await staffGet(srv, jar, link.pathname + link.search);
        const password = 'amber-quarry-lantern-42';
        const set = await staffPost(srv, jar, '/staff/set-password', {
            csrf: csrfOf(form.body), token: link.searchParams.get('token'), password, confirm: password,
        });
        assert.equal(set.status, 303, set.body.slice(0, 300));
        const { res, jar: signed } = await signInPassword(srv, email, password);
        assert.equal(res.status, 303);
        assert.equal(res.headers.location, '/staff/');
        return { jar: signed };
    }

    before(async () => {
        srv = await startServer({ demo: true });
        work = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-audit-people-'));
        for (const role of ['admin', 'auditor', 'admissions', 'clinician', 'billing']) who[role] = await signIn(srv, role);
        lee = await makeReferral(srv, 'Lee Park');
        await makeReferral(srv, 'Robin Vale');
        dana = await makePatient(srv, who, 'Dana Frost');
        danaRef = sql(`SELECT r.public_id AS id FROM referrals r JOIN patients p ON p.referral_id = r.id
            WHERE p.public_id = '${dana}'`)[0].id;
        who.both = await member('avery.both@example.org', ['auditor', 'billing']);
    });
    after(async () => {
        if (srv) await srv.stop();
        if (work) fs.rmSync(work, { recursive: true, force: true });
    });

    test('the queue, the referrals API and the patient list each write ONE list entry naming what they showed', async () => {
        const before_ = sql("SELECT count(*) AS n FROM audit_log WHERE action = 'list'")[0].n;
        const q = await staffGet(srv, who.admissions.jar, '/staff/queue');
        assert.equal(q.status, 200);
        const shown = [...new Set([...q.body.matchAll(/data-referral="([0-9a-f]{32})"/g)].map((m) => m[1]))];
        assert.ok(shown.includes(lee), 'Lee is in the queue');
        assert.equal(sql("SELECT count(*) AS n FROM audit_log WHERE action = 'list'")[0].n, before_ + 1,
            'one entry for the whole list, not one per referral');
        const entry = newestList('referral');
        assert.equal(entry.record_id, null);
        assert.equal(entry.user_email, 'admissions@demo.haven');
        assert.equal(entry.scheme, 4, 'keyed, covering its listing');
        assert.deepEqual(listedOf(entry.id), shown, 'the ids shown, in order');

        const list = json(await staffGet(srv, who.admissions.jar, '/api/v1/referrals'));
        const apiEntry = newestList('referral');
        assert.ok(apiEntry.id > entry.id);
        assert.deepEqual(listedOf(apiEntry.id), list.referrals.map((r) => r.public_id));

        const s = await staffGet(srv, who.clinician.jar, '/staff/patients');
        assert.equal(s.status, 200);
        const pats = [...new Set([...s.body.matchAll(/data-patient="([0-9a-f]{32})"/g)].map((m) => m[1]))];
        assert.ok(pats.includes(dana));
        assert.deepEqual(listedOf(newestList('patient').id), pats);
        // A search that finds nobody: one entry naming no one.
        const none = await staffGet(srv, who.clinician.jar, '/staff/patients?q=Zzyzx');
        assert.equal(none.status, 200);
        const empty = newestList('patient');
        assert.deepEqual(listedOf(empty.id), []);
        assert.equal(empty.record_id, null);
    });

    test('"who saw this record": the record filter finds its own entries and every list that showed it', async () => {
        await staffGet(srv, who.admissions.jar, '/staff/queue');
        const lists = sql(`SELECT e.id FROM audit_log e JOIN audit_listed l ON l.entry_id = e.id
            WHERE l.record_id = '${lee}' ORDER BY e.id DESC`).map((r) => r.id);
        const own = sql(`SELECT id FROM audit_log WHERE record_id = '${lee}' ORDER BY id DESC`).map((r) => r.id);
        assert.ok(lists.length >= 1 && own.length >= 1);
        const r = await api('admin', `record=${lee}`);
        assert.equal(r.total, lists.length + own.length);
        assert.deepEqual(r.entries.map((e) => e.id), [...lists, ...own].sort((a, b) => b - a), 'newest first');
        const listEntry = r.entries.find((e) => e.action === 'list');
        assert.equal(listEntry.record_id, null);
        assert.equal(listEntry.n_listed, listEntry.listed.length);
        const mine = listEntry.listed.find((i) => i.id === lee);
        assert.equal(mine.match, true, 'the record asked about is marked');
        // With the action too: only the lists.
        const onlyLists = await api('admin', `record=${lee}&action=list`);
        assert.equal(onlyLists.total, lists.length);
        // The screen: the list entry's records, open, the one asked about marked.
        const page = await staffGet(srv, who.admin.jar, `/staff/audit?record=${lee}`);
        assert.equal(page.status, 200);
        assert.equal(tableRows(page.body).length, lists.length + own.length);
        assert.match(page.body, new RegExp(`<details class="audit-listed" open><summary>\\d+ records? shown</summary>`));
        assert.match(page.body, new RegExp(`<mark><code>${lee}</code> Lee Park</mark>`));
        // The CSV: each list's records, one line each.
        const csv = parseCsv((await staffGet(srv, who.admin.jar, `/staff/audit.csv?record=${lee}&action=list`)).body);
        assert.equal(csv.length - 1, lists.length);
        const listed = csv[1][13].split('\n');
        assert.ok(listed.includes(`${lee} Lee Park`), csv[1][13]);
    });

    test('names beside ids follow the role rules: admin all; auditor staff only; auditor + billing patients too', async () => {
        await staffGet(srv, who.admissions.jar, '/staff/queue');
        await staffGet(srv, who.clinician.jar, '/staff/patients');
        const lee_ = (r) => r.entries.find((e) => e.action === 'create' && e.record_id === lee);
        const queueOf = (r) => r.entries.find((e) => e.action === 'list' && e.record_type === 'referral');
        const patientOf = (r) => r.entries.find((e) => e.record_type === 'patient' && e.record_id === dana);
        const patientList = (r) => r.entries.find((e) => e.action === 'list' && e.record_type === 'patient' && e.n_listed);
        const signInOf = (r) => r.entries.find((e) => e.action === 'sign-in' && e.outcome === 'ok'
            && e.user_email === 'clinician@demo.haven');
        const named = (entry, id) => entry.listed.find((i) => i.id === id).name;

        // Admin: may open every record, so sees every name.
        let r = await api('admin', `record=${lee}`);
        assert.equal(lee_(r).record_name, 'Lee Park');
        assert.equal(named(queueOf(r), lee), 'Lee Park');
        r = await api('admin', `record=${dana}`);
        assert.equal(patientOf(r).record_name, 'Dana Frost');
        assert.equal(named(patientList(r), dana), 'Dana Frost');
        r = await api('admin', 'action=sign-in&type=user');
        assert.equal(signInOf(r).record_name, 'Demo Clinician');

        // Auditor alone: ids only for referrals and patients; staff names, which the trail shows
        // by e-mail already.
        r = await api('auditor', `record=${lee}`);
        assert.equal(lee_(r).record_name, null);
        assert.equal(named(queueOf(r), lee), undefined);
        r = await api('auditor', `record=${dana}`);
        assert.equal(patientOf(r).record_name, null);
        assert.equal(named(patientList(r), dana), undefined);
        r = await api('auditor', 'action=sign-in&type=user');
        assert.equal(signInOf(r).record_name, 'Demo Clinician');
        for (const p of [`/staff/audit?record=${lee}`, `/staff/audit?record=${dana}`, `/staff/audit.csv?record=${dana}`,
            '/staff/audit']) {
            const res = await staffGet(srv, who.auditor.jar, p);
            assert.equal(res.status, 200, p);
            assert.doesNotMatch(res.body, /Lee Park|Dana Frost|Robin Vale/, `${p}: no patient's name for an auditor`);
        }

        // Auditor who also works in billing: billing opens patients (ADM_PATIENT_ROLES), not the
        // referral queue (ADM_QUEUE_ROLES).
        r = await api('both', `record=${dana}`);
        assert.equal(patientOf(r).record_name, 'Dana Frost');
        assert.equal(named(patientList(r), dana), 'Dana Frost');
        r = await api('both', `record=${lee}`);
        assert.equal(lee_(r).record_name, null);
        assert.equal(named(queueOf(r), lee), undefined);
        // The referral Dana came from is a referral: no name for billing there either.
        r = await api('both', `record=${danaRef}&type=referral&action=create`);
        assert.equal(r.entries[0].record_name, null);

        // Billing alone may not read the trail at all.
        assert.equal((await staffGet(srv, who.billing.jar, '/api/v1/audit')).status, 403);
    });

    test('record type and action are select lists of the values the trail holds; the applied one is selected', async () => {
        const page = await staffGet(srv, who.auditor.jar, '/staff/audit?type=patient&action=list');
        assert.equal(page.status, 200);
        const options = (name) => {
            const start = page.body.indexOf(`<select id="f-${name}" name="${name}"`);
            const end = page.body.indexOf('</select>', start);
            assert.ok(start >= 0 && end > start, `select#f-${name}`);
            return findTags(page.body.slice(start, end), 'option').map((o) => ({ value: o.attrs.value, selected: 'selected' in o.attrs }));
        };
        const types = options('type');
        const actions = options('action');
        const distinct = (col) => sql(`SELECT DISTINCT ${col} AS v FROM audit_log ORDER BY ${col}`).map((x) => x.v);
        assert.deepEqual(types.map((o) => o.value), ['', ...distinct('record_type')]);
        assert.deepEqual(actions.map((o) => o.value), ['', ...distinct('action')]);
        assert.ok(actions.some((o) => o.value === 'list') && actions.some((o) => o.value === 'sign-in'));
        assert.deepEqual(types.filter((o) => o.selected).map((o) => o.value), ['patient']);
        assert.deepEqual(actions.filter((o) => o.selected).map((o) => o.value), ['list']);
        // A value the trail does not hold (yet): offered, selected, and it selects nothing.
        const none = await staffGet(srv, who.auditor.jar, '/staff/audit?action=never-done');
        assert.equal(none.status, 200);
        assert.match(none.body, /<option value="never-done" selected>never-done<\/option>/);
        assert.match(none.body, /No entries match these filters/);
        // Typed by hand, the rules still hold (422 naming the field).
        const bad = await staffGet(srv, who.auditor.jar, '/staff/audit?action=DROP%20TABLE');
        assert.equal(bad.status, 422);
        assert.match(bad.body, /<select id="f-action" name="action" aria-invalid="true"/);
    });

    test('haven audit verify: the list entries verify; a listed id changed, removed or added breaks the trail', async () => {
        await staffGet(srv, who.admissions.jar, '/staff/queue');
        const snapshot = path.join(work, 'people.db');
        assert.equal(sqlite(srv.db, `.backup '${snapshot}'`).status, 0);
        fs.copyFileSync(`${srv.db}.key`, `${snapshot}.key`);
        fs.chmodSync(`${snapshot}.key`, 0o600);
        const entry = rows(snapshot, `SELECT e.id, count(*) AS n FROM audit_log e JOIN audit_listed l ON l.entry_id = e.id
            WHERE e.action = 'list' AND e.record_type = 'referral' GROUP BY e.id ORDER BY e.id DESC LIMIT 1`)[0];
        assert.ok(entry.n >= 2, 'a queue of at least two');
        const copy = (name) => {
            const p = path.join(work, `${name}.db`);
            fs.copyFileSync(snapshot, p);
            fs.copyFileSync(`${snapshot}.key`, `${p}.key`);
            fs.chmodSync(`${p}.key`, 0o600);
            return p;
        };
        const ok = verify(copy('people-intact'));
        assert.equal(ok.status, 0, ok.stdout + ok.stderr);
        const named = rows(snapshot, 'SELECT count(*) AS n FROM audit_listed')[0].n;
        assert.match(ok.stdout, new RegExp(`^records named by list entries: ${named}$`, 'm'));
        // The append-only triggers guard the listing as they guard the entries.
        const t = copy('people-triggers');
        assert.match(sqlite(t, `UPDATE audit_listed SET record_id = 'x' WHERE entry_id = ${entry.id}`).stderr, /append-only/);
        assert.match(sqlite(t, `DELETE FROM audit_listed WHERE entry_id = ${entry.id}`).stderr, /append-only/);
        const drop = 'DROP TRIGGER audit_listed_no_update; DROP TRIGGER audit_listed_no_delete;';
        for (const [name, edit] of [
            ['changed', `UPDATE audit_listed SET record_id = '${'0'.repeat(32)}' WHERE entry_id = ${entry.id} AND pos = 0`],
            ['removed', `DELETE FROM audit_listed WHERE entry_id = ${entry.id} AND pos = ${entry.n - 1}`],
            ['all-removed', `DELETE FROM audit_listed WHERE entry_id = ${entry.id}`],
            ['added', `INSERT INTO audit_listed (entry_id, pos, record_id) VALUES (${entry.id}, ${entry.n}, '${'f'.repeat(32)}')`],
        ]) {
            const db = copy(`people-${name}`);
            const w = sqlite(db, drop + edit);
            assert.equal(w.status, 0, w.stderr);
            const r = verify(db);
            assert.equal(r.status, 1, `${name}: ${r.stdout}${r.stderr}`);
            assert.match(r.stdout, new RegExp(`^audit trail broken at entry ${entry.id}: its content does not match its hash`, 'm'), name);
        }
        // A listing left for an entry that is not there.
        const orphan = copy('people-orphan');
        const last = rows(orphan, 'SELECT max(id) AS n FROM audit_log')[0].n;
        assert.equal(sqlite(orphan, `INSERT INTO audit_listed (entry_id, pos, record_id) VALUES (${last + 1}, 0, 'x')`).status, 0);
        const r = verify(orphan);
        assert.equal(r.status, 1);
        assert.match(r.stdout, new RegExp(`^audit trail broken at entry ${last + 1}: records are listed for entry ${last + 1}, which is not in the trail`, 'm'));
    });
});
