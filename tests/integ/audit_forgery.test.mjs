// The audit trail against someone who can write the database file but does not hold the key
// (issue 8, findings 1 and 2). Finding 1: while the server runs, they drop the append-only
// triggers, delete the list entries that showed a referral, re-chain the rest as unkeyed
// (scheme 1) entries that anyone can compute, clear the head anchor's MAC and first_keyed_id
// and delete the secret_key_check setting. The server, which holds the key, must not seal that
// forgery on the next request (nor on its next start): it logs an error (never the key), keeps
// appending keyed entries, and `haven audit verify` reports the trail broken. Finding 2: verify
// without the key file never calls a trail intact (exit 3, "cannot be checked"), unless the
// operator asks for the unkeyed part only (--unkeyed-only), and then it says what it left out.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, postForm, extractCall, HAVEN_BIN } from '../helpers/server.mjs';
import { signIn, get as staffGet } from '../helpers/staff.mjs';
import { PROFILES } from '../helpers/profiles.mjs';

/** Runs SQL with Debian's sqlite3 CLI; returns { status, stdout, stderr }. */
function sqlite(db, sql, { json = false } = {}) {
    const args = json ? ['-json', db, sql] : [db, sql];
    const r = spawnSync('sqlite3', ['-cmd', '.timeout 5000', ...args], { encoding: 'utf8' });
    if (r.error && r.error.code === 'ENOENT') throw new Error('sqlite3 CLI not found: apt-get install sqlite3');
    return r;
}
function rows(db, sql) {
    const r = sqlite(db, sql, { json: true });
    assert.equal(r.status, 0, `sqlite3 failed: ${r.stderr}`);
    return r.stdout.trim() ? JSON.parse(r.stdout) : [];
}
/** `haven audit verify --db DB [args]`, with env added: { status, stdout, stderr }. */
function verify(db, args = [], env = {}) {
    return spawnSync(HAVEN_BIN, ['audit', 'verify', '--db', db, ...args],
        { encoding: 'utf8', env: { ...process.env, ...env } });
}

/** One call request through the public flow, so that the queue lists a referral. */
async function postReferral(origin, name) {
    const page = await postForm(origin, '/assessment/result', PROFILES.php.answers);
    assert.equal(page.status, 200);
    const c = extractCall(page);
    const res = await postForm(origin, '/assessment/call', {
        csrf: c.csrf, answers: c.answers, name, phone: '555-010-0199', email: 'sam@example.org',
        'best-time': 'evening', voicemail: 'no', consent: 'yes',
    }, { headers: { cookie: c.cookie } });
    assert.equal(res.status, 303, res.body.slice(0, 300));
}

/** A field of domain/audit_chain.c's serialisation: absent (0) or 1, a 4-byte length, bytes. */
function field(v) {
    if (v === null || v === undefined) return Buffer.from([0]);
    const b = Buffer.from(String(v), 'utf8');
    const h = Buffer.alloc(5);
    h[0] = 1;
    h.writeUInt32BE(b.length, 1);
    return Buffer.concat([h, b]);
}
/** Scheme 1 (plain SHA-256, no key): what anyone holding the file can compute. */
function scheme1(e, id, prev, listed) {
    const parts = [Buffer.from('haven-audit-chain-1\0', 'utf8'), field(id), field(e.at),
        field(e.user_id || null), field(e.user_email), field(e.roles), field(e.action),
        field(e.record_type), field(e.record_id), field(e.outcome), field(e.client), field(prev)];
    if (listed.length) parts.push(field(listed.length), ...listed.map(field));
    return crypto.createHash('sha256').update(Buffer.concat(parts)).digest('hex');
}
const q = (v) => (v === null || v === undefined ? 'NULL' : `'${String(v).replace(/'/g, "''")}'`);

/** The SQL of the forgery: the trail without the entries drop() picks, re-chained as scheme 1
 * with ids 1..n, the anchor naming its end without a MAC or first_keyed_id, and the key check
 * setting deleted. One transaction, as the attacker would run it beside the live server. */
function forgery(db, drop) {
    const entries = rows(db, 'SELECT * FROM audit_log ORDER BY id');
    const listed = new Map();
    for (const l of rows(db, 'SELECT entry_id, record_id FROM audit_listed ORDER BY entry_id, pos')) {
        if (!listed.has(l.entry_id)) listed.set(l.entry_id, []);
        listed.get(l.entry_id).push(l.record_id);
    }
    const sql = ['BEGIN IMMEDIATE;',
        'DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;',
        'DROP TRIGGER audit_listed_no_update; DROP TRIGGER audit_listed_no_delete;',
        'DELETE FROM audit_listed; DELETE FROM audit_log;'];
    let prev = '0'.repeat(64);
    let id = 0;
    for (const e of entries) {
        const ids = listed.get(e.id) || [];
        if (drop(e, ids)) continue;
        id++;
        const hash = scheme1(e, id, prev, ids);
        sql.push(`INSERT INTO audit_log (id, at, user_id, user_email, roles, action, record_type,
            record_id, outcome, client, prev_hash, hash, scheme) VALUES (${id}, ${q(e.at)},
            ${q(e.user_id)}, ${q(e.user_email)}, ${q(e.roles)}, ${q(e.action)}, ${q(e.record_type)},
            ${q(e.record_id)}, ${q(e.outcome)}, ${q(e.client)}, '${prev}', '${hash}', 1);`);
        ids.forEach((r, pos) => sql.push(
            `INSERT INTO audit_listed (entry_id, pos, record_id) VALUES (${id}, ${pos}, ${q(r)});`));
        prev = hash;
    }
    sql.push(`UPDATE audit_head SET last_id = ${id}, last_hash = '${prev}', mac = NULL,
        first_keyed_id = NULL, mac_scheme = 1;`,
    "DELETE FROM settings WHERE key = 'secret_key_check';", 'COMMIT;');
    return { sql: sql.join('\n'), kept: id, dropped: entries.length - id };
}

describe('finding 1: the running server does not seal a forged trail', () => {
    let srv;
    let work;
    let referral;

    before(async () => {
        srv = await startServer({ demo: true });
        work = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-forgery-'));
        await postReferral(srv.origin, 'Sam Rivera');
        referral = rows(srv.db, 'SELECT public_id FROM referrals')[0].public_id;
        const { jar } = await signIn(srv, 'admissions');
        srv.jar = jar;
        for (let i = 0; i < 2; i++) assert.equal((await staffGet(srv, jar, '/staff/queue')).status, 200);
    });
    after(async () => {
        if (srv) await srv.stop();
        if (work) fs.rmSync(work, { recursive: true, force: true });
    });

    test('forged while it runs: the next request does not seal it, verify says broken (exit 1)', async () => {
        // Before: a keyed trail under a sealed anchor, with list entries naming the referral.
        const head = rows(srv.db, 'SELECT mac, first_keyed_id FROM audit_head')[0];
        assert.match(head.mac || '', /^[0-9a-f]{64}$/, 'the anchor is sealed');
        assert.ok(head.first_keyed_id >= 1);
        const shown = rows(srv.db, `SELECT count(*) AS n FROM audit_listed WHERE record_id = '${referral}'`)[0].n;
        assert.ok(shown >= 2, 'the queue views name the referral');
        assert.equal(verify(srv.db).status, 0, 'intact before the forgery');

        // The forgery: hide who saw the referral.
        const f = forgery(srv.db, (e, ids) => ids.includes(referral));
        assert.ok(f.dropped >= 2);
        const w = sqlite(srv.db, f.sql);
        assert.equal(w.status, 0, w.stderr);
        assert.equal(rows(srv.db, 'SELECT count(*) AS n FROM audit_log WHERE scheme <> 1')[0].n, 0);

        // The next signed-in request is answered and audited, keyed, and the anchor stays open.
        const errBefore = srv.stderr().length;
        assert.equal((await staffGet(srv, srv.jar, '/staff/queue')).status, 200);
        const after = rows(srv.db, 'SELECT id, scheme FROM audit_log ORDER BY id DESC LIMIT 1')[0];
        assert.equal(after.id, f.kept + 1);
        assert.ok(after.scheme >= 3, `appended keyed (scheme ${after.scheme})`);
        const anchor = rows(srv.db, 'SELECT last_id, mac FROM audit_head')[0];
        assert.equal(anchor.last_id, f.kept + 1, 'the anchor follows the trail');
        assert.equal(anchor.mac, null, 'the forged anchor is not sealed');

        // An error in the server's log (written before the answer, read from its pipe), and
        // never the key.
        const logged = () => /audit: the head anchor is not sealed/.test(srv.stderr().slice(errBefore));
        for (let i = 0; i < 100 && !logged(); i++) await new Promise((r) => setTimeout(r, 20));
        assert.ok(logged(), srv.stderr().slice(errBefore));
        const key = fs.readFileSync(`${srv.db}.key`, 'utf8').trim();
        assert.match(key, /^[0-9a-f]{64}$/);
        assert.ok(!srv.stderr().includes(key), 'the key is never logged');

        const r = verify(srv.db);
        assert.equal(r.status, 1, r.stdout + r.stderr);
        assert.match(r.stdout, /^audit trail broken at entry \d+: the head anchor is not sealed/m);
    });

    test('nor on its next start: the forgery stays unsealed, verify still exit 1', async () => {
        const db = path.join(work, 'forged.db');
        assert.equal(sqlite(srv.db, `.backup '${db}'`).status, 0);
        fs.copyFileSync(`${srv.db}.key`, `${db}.key`);
        fs.chmodSync(`${db}.key`, 0o600);
        const s2 = await startServer({ extraArgs: ['--db', db] });
        try {
            await postReferral(s2.origin, 'Pat Doe');
        } finally {
            await s2.stop();
        }
        assert.equal(rows(db, 'SELECT mac FROM audit_head')[0].mac, null);
        const r = verify(db);
        assert.equal(r.status, 1, r.stdout + r.stderr);
        assert.match(r.stdout, /the head anchor is not sealed/);
    });
});

describe('finding 2: verify without the key file never says intact', () => {
    let work;
    let snapshot; // a served database (keyed trail, list entries) without its key file

    before(async () => {
        const srv = await startServer({ demo: true });
        work = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-nokey-'));
        try {
            await postReferral(srv.origin, 'Sam Rivera');
            const { jar } = await signIn(srv, 'admissions');
            assert.equal((await staffGet(srv, jar, '/staff/queue')).status, 200);
            snapshot = path.join(work, 'snapshot.db');
            assert.equal(sqlite(srv.db, `.backup '${snapshot}'`).status, 0);
            fs.copyFileSync(`${srv.db}.key`, path.join(work, 'the.key'));
            fs.chmodSync(path.join(work, 'the.key'), 0o600);
        } finally {
            await srv.stop();
        }
    });
    after(() => { if (work) fs.rmSync(work, { recursive: true, force: true }); });

    /** A copy of the snapshot, with no key file beside it. */
    function copy(name) {
        const p = path.join(work, `${name}.db`);
        fs.copyFileSync(snapshot, p);
        return p;
    }
    const withKey = () => ({ HAVEN_SECRET_KEY_FILE: path.join(work, 'the.key') });

    test('a copy rewritten as unkeyed entries, anchor and key check cleared: exit 3, not "intact"', () => {
        const db = copy('rewritten');
        const n = rows(db, 'SELECT count(*) AS n FROM audit_log')[0].n;
        const f = forgery(db, () => false);
        assert.equal(f.kept, n);
        assert.equal(sqlite(db, f.sql).status, 0);
        const r = verify(db);
        assert.equal(r.status, 3, r.stdout + r.stderr);
        assert.match(r.stdout, /^audit trail cannot be checked: no secret key file /m);
        assert.doesNotMatch(r.stdout, /intact/);
        assert.match(r.stdout, /whether the trail was rewritten without the key/);
        // With the key it is what it is: broken.
        assert.equal(verify(db, [], withKey()).status, 1);
    });

    test('an untouched keyed copy without the key: exit 3 naming what needs it; --unkeyed-only: exit 0', () => {
        const db = copy('untouched');
        const keyed = rows(db, 'SELECT count(*) AS n FROM audit_log WHERE scheme <> 1')[0].n;
        assert.ok(keyed >= 1);
        const r = verify(db);
        assert.equal(r.status, 3, r.stdout + r.stderr);
        assert.match(r.stdout, new RegExp(`^not checked \\(no secret key file .*\\): the hashes of ${keyed} keyed entries, the head anchor's MAC`, 'm'));
        const u = verify(db, ['--unkeyed-only']);
        assert.equal(u.status, 0, u.stdout + u.stderr);
        assert.match(u.stdout, /^audit trail intact as far as it can be checked without the key: \d+ entries$/m);
        assert.match(u.stdout, new RegExp(`^not checked .*: the hashes of ${keyed} keyed entries`, 'm'));
        // With the key file, the flag changes nothing: everything is checked.
        const k = verify(db, ['--unkeyed-only'], withKey());
        assert.equal(k.status, 0, k.stdout + k.stderr);
        assert.match(k.stdout, /^audit trail intact: \d+ entries$/m);
        assert.match(k.stdout, /^keyed entries: \d+; head anchor: sealed$/m);
    });

    test('what can be seen without the key still breaks it (exit 1, with --unkeyed-only too)', () => {
        const db = copy('gap');
        assert.equal(sqlite(db, 'DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 2;').status, 0);
        for (const args of [[], ['--unkeyed-only']]) {
            const r = verify(db, args);
            assert.equal(r.status, 1, r.stdout + r.stderr);
            assert.match(r.stdout, /^audit trail broken at entry 3: .*missing/m);
            assert.match(r.stdout, /^not checked \(no secret key file /m);
        }
    });

    test('haven audit verify --help documents the exit codes', () => {
        const r = spawnSync(HAVEN_BIN, ['audit', 'verify', '--help'], { encoding: 'utf8' });
        assert.equal(r.status, 0);
        assert.match(r.stdout, /--unkeyed-only/);
        assert.match(r.stdout, /^ {2}0 {2}intact/m);
        assert.match(r.stdout, /^ {2}1 {2}broken/m);
        assert.match(r.stdout, /^ {2}3 {2}the key file is missing/m);
    });
});
