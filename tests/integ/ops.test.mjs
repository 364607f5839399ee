// Operating Haven (issue 8, "Operations"): `haven backup` copies the database while the server
// runs and writes (one consistent snapshot, checked, mode 0600, never over a file unless
// --force, and it names the key file without its contents); the restore README.md documents
// (stop, copy the backup in place with the key file, `haven check`, start) gives back the
// records, the accounts and an audit trail that `haven audit verify` passes; `haven check` says
// ok on a sound database and fails, each with its own exit status, on a damaged file, a missing
// or unknown migration, a wrong, missing or open key file, and a corrupted audit trail.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, HAVEN_BIN } from '../helpers/server.mjs';
import { signIn, signInPassword, demoAccounts, get, post } from '../helpers/staff.mjs';
import { makeReferral } from '../helpers/records.mjs';

// ------------------------------------------------------------------ helpers

/** `haven ARGS...`: { status, stdout, stderr }. */
function haven(...args) {
    return spawnSync(HAVEN_BIN, args, { encoding: 'utf8' });
}
/** The same without blocking the event loop (so that writes go on meanwhile). */
function havenAsync(...args) {
    return new Promise((resolve, reject) => {
        const p = spawn(HAVEN_BIN, args);
        let stdout = '', stderr = '';
        p.stdout.on('data', (d) => { stdout += d; });
        p.stderr.on('data', (d) => { stderr += d; });
        p.on('error', reject);
        p.on('exit', (status) => resolve({ status, stdout, stderr }));
    });
}
function sqlite(db, sql) {
    const r = spawnSync('sqlite3', ['-cmd', '.timeout 5000', db, sql], { encoding: 'utf8' });
    if (r.error && r.error.code === 'ENOENT') throw new Error('sqlite3 CLI not found: apt-get install sqlite3');
    assert.equal(r.status, 0, `sqlite3 failed: ${r.stderr}`);
    return r.stdout.trim();
}
const tmpDir = (name) => fs.mkdtempSync(path.join(os.tmpdir(), `haven-ops-${name}-`));
const mode = (file) => fs.statSync(file).mode & 0o777;

/** Starts a server on a database of our own (it outlives the server), with no call limit;
 *  srv.db names it (for tests/helpers/records.mjs). */
async function serveOn(db, { demo = false } = {}) {
    process.env.HAVEN_CALL_LIMIT = '100000';
    try {
        return Object.assign(await startServer({ demo, extraArgs: ['--db', db] }), { db });
    } finally {
        delete process.env.HAVEN_CALL_LIMIT;
    }
}

/** `haven check`: the exit status and its lines by check name ({ integrity: 'ok ...' }). */
function check(db) {
    const r = haven('check', '--db', db);
    const lines = {};
    for (const l of r.stdout.split('\n').filter(Boolean)) {
        const i = l.indexOf(': ');
        lines[l.slice(0, i)] = l.slice(i + 2);
    }
    return { ...r, lines };
}

// ------------------------------------------------------------------ backup and restore

describe('haven backup while the server writes, and the documented restore', () => {
    let dir, srv, accounts;
    const acknowledged = [];

    before(async () => {
        dir = tmpDir('live');
        srv = await serveOn(path.join(dir, 'haven.db'), { demo: true });
        accounts = demoAccounts(srv);
    });
    after(async () => {
        await srv?.stop();
        fs.rmSync(dir, { recursive: true, force: true });
    });

    test('a backup taken under a write load is one consistent, checked copy that restores', async () => {
        const db = path.join(dir, 'haven.db');
        const admissions = await signIn(srv, 'admissions');
        for (const name of ['Ana Lopez', 'Ben Okafor', 'Cy Tran']) acknowledged.push(await makeReferral(srv, name));
        const called = await post(srv, admissions.jar, `/staff/referrals/${acknowledged[0]}/calls`,
            { csrf: admissions.csrf, outcome: 'reached' });
        assert.equal(called.status, 303);

        // Writers go on while the copy is taken: the copy must not need them to stop.
        let writing = true;
        let during = 0;
        const writer = (async () => {
            while (writing) { await makeReferral(srv, 'Dee Writer'); during++; }
        })();
        while (during < 2) await new Promise((resolve) => setImmediate(resolve));
        const before = during;
        const backup = path.join(dir, 'backups', 'haven-1.db');
        fs.mkdirSync(path.dirname(backup));
        const r = await havenAsync('backup', '--db', db, backup);
        writing = false;
        await writer;
        assert.equal(r.status, 0, r.stderr);
        const copied = Number(sqlite(backup, 'SELECT count(*) FROM referrals'));
        assert.ok(copied >= acknowledged.length + before, `${copied} referrals in the copy`);
        assert.equal(mode(backup), 0o600, 'the backup is for its owner only');
        assert.deepEqual(fs.readdirSync(path.dirname(backup)), ['haven-1.db'], 'no journal, no partial file');
        const key = fs.readFileSync(`${db}.key`, 'utf8').trim();
        assert.ok(r.stdout.includes(`${db}.key`), 'it says where the key file is');
        assert.match(r.stdout, /NOT in this backup/);
        assert.ok(!r.stdout.includes(key) && !r.stderr.includes(key), 'never the key itself');
        assert.equal(sqlite(backup, 'PRAGMA journal_mode'), 'delete', 'one self-contained file');

        // Restore, as README.md says: a new data directory, the backup and the key file in place.
        const restored = tmpDir('restored');
        try {
            const rdb = path.join(restored, 'haven.db');
            fs.copyFileSync(backup, rdb);
            fs.copyFileSync(`${db}.key`, `${rdb}.key`);
            fs.chmodSync(`${rdb}.key`, 0o600);
            const c = check(rdb);
            assert.equal(c.status, 0, c.stdout + c.stderr);
            assert.deepEqual(Object.keys(c.lines), ['integrity', 'migrations', 'key file', 'audit trail']);
            for (const v of Object.values(c.lines)) assert.match(v, /^ok/);

            // Every request acknowledged before the backup began is in it, with its audit entry.
            for (const id of acknowledged) {
                assert.equal(sqlite(rdb, `SELECT count(*) FROM referrals WHERE public_id = '${id}'`), '1');
                assert.equal(sqlite(rdb, `SELECT count(*) FROM audit_log WHERE record_id = '${id}' AND action = 'create'`), '1');
            }
            assert.equal(sqlite(rdb, `SELECT count(*) FROM audit_log WHERE record_id = '${acknowledged[0]}' AND record_type = 'referral' AND action = 'update'`), '1',
                'the staff change and its entry');

            const back = await serveOn(rdb);
            try {
                // The accounts came back too: the admissions member signs in with the same password.
                const { res, jar } = await signInPassword(back, accounts.admissions.email, accounts.admissions.password);
                assert.equal(res.status, 303);
                for (const [i, id] of acknowledged.entries()) {
                    const page = await get(back, jar, `/staff/referrals/${id}`);
                    assert.equal(page.status, 200);
                    assert.ok(page.body.includes(['Ana Lopez', 'Ben Okafor', 'Cy Tran'][i]));
                }
                await makeReferral(back, 'Eve After'); // and it takes new writes
            } finally {
                await back.stop();
            }
            const v = haven('audit', 'verify', '--db', rdb);
            assert.equal(v.status, 0, v.stdout + v.stderr);
            assert.match(v.stdout, /audit trail intact/);
        } finally {
            fs.rmSync(restored, { recursive: true, force: true });
        }
    });

    test('an existing file is never overwritten without --force; with it, it is replaced', async () => {
        const db = path.join(dir, 'haven.db');
        const target = path.join(dir, 'existing.db');
        fs.writeFileSync(target, 'keep me');
        const r = haven('backup', '--db', db, target);
        assert.notEqual(r.status, 0);
        assert.match(r.stderr, /exists: not overwritten \(--force replaces it\)/);
        assert.equal(fs.readFileSync(target, 'utf8'), 'keep me');
        assert.deepEqual(fs.readdirSync(dir).filter((f) => f.includes('partial')), []);

        const forced = haven('backup', '--force', '--db', db, target);
        assert.equal(forced.status, 0, forced.stderr);
        assert.equal(sqlite(target, 'PRAGMA integrity_check'), 'ok');
        assert.equal(mode(target), 0o600);
    });

    test('not even --force writes over the database or its key file', () => {
        const db = path.join(dir, 'haven.db');
        const key = `${db}.key`;
        const before = fs.readFileSync(key, 'utf8');
        for (const target of [db, key, path.join(dir, '.', 'haven.db')]) {
            const r = haven('backup', '--force', '--db', db, target);
            assert.equal(r.status, 1, target);
            assert.match(r.stderr, /is the database or its key file/);
        }
        assert.equal(fs.readFileSync(key, 'utf8'), before);
        assert.equal(sqlite(db, 'PRAGMA integrity_check'), 'ok');
        assert.deepEqual(fs.readdirSync(dir).filter((f) => f.includes('partial')), []);
    });

    test('no database file: nothing is created, exit 1', () => {
        const missing = path.join(dir, 'nope.db');
        const r = haven('backup', '--db', missing, path.join(dir, 'nope-backup.db'));
        assert.equal(r.status, 1);
        assert.match(r.stderr, /cannot read database/);
        assert.ok(!fs.existsSync(missing) && !fs.existsSync(path.join(dir, 'nope-backup.db')));
    });
});

// ------------------------------------------------------------------ haven check

describe('haven check: one line per check and an exit status per failure', () => {
    let base; // a stopped server's database: records, a staff change, a keyed trail
    const copies = [];

    before(async () => {
        base = tmpDir('base');
        const srv = await serveOn(path.join(base, 'haven.db'), { demo: true });
        try {
            const adm = await signIn(srv, 'admissions');
            const id = await makeReferral(srv);
            assert.equal((await post(srv, adm.jar, `/staff/referrals/${id}/calls`,
                { csrf: adm.csrf, outcome: 'reached' })).status, 303);
        } finally {
            await srv.stop();
        }
    });
    after(() => {
        for (const d of [base, ...copies]) fs.rmSync(d, { recursive: true, force: true });
    });

    /** A fresh copy of the base database and its key file: { db, key }. */
    function copy() {
        const d = tmpDir('check');
        copies.push(d);
        for (const f of fs.readdirSync(base)) fs.copyFileSync(path.join(base, f), path.join(d, f));
        return { db: path.join(d, 'haven.db'), key: path.join(d, 'haven.db.key') };
    }

    test('a sound database: four ok lines, exit 0', () => {
        const { db } = copy();
        const c = check(db);
        assert.equal(c.status, 0, c.stdout + c.stderr);
        assert.match(c.lines.integrity, /^ok/);
        assert.match(c.lines.migrations, /^ok \(\d+ applied\)/);
        assert.match(c.lines['key file'], /^ok/);
        assert.match(c.lines['audit trail'], /^ok \([1-9]\d* entries/);
    });

    test('a damaged page -> integrity FAILED, exit 3, on one line', () => {
        const { db } = copy();
        const page = Number(sqlite(db, "SELECT rootpage FROM sqlite_master WHERE name = 'audit_log_action'"));
        const size = Number(sqlite(db, 'PRAGMA page_size'));
        const fd = fs.openSync(db, 'r+');
        fs.writeSync(fd, Buffer.alloc(16, 0xff), 0, 16, (page - 1) * size);
        fs.closeSync(fd);
        const c = check(db);
        assert.equal(c.status, 3, c.stdout);
        assert.match(c.lines.integrity, /^FAILED .*Page \d+/);
        assert.equal(c.stdout.trim().split('\n').length, 4, 'one line per check');
    });

    test('a migration whose row is missing -> migrations FAILED (pending), exit 4', () => {
        const { db } = copy();
        const last = sqlite(db, 'SELECT max(name) FROM schema_migrations');
        sqlite(db, `DELETE FROM schema_migrations WHERE name = '${last}'`);
        const c = check(db);
        assert.equal(c.status, 4, c.stdout);
        assert.equal(c.lines.migrations, `FAILED 1 pending (first ${last}): haven migrate --db ${db}`);
    });

    test('a migration this binary does not know (a newer database) -> FAILED (unknown), exit 4', () => {
        const { db } = copy();
        sqlite(db, "INSERT INTO schema_migrations (name, applied_at) VALUES ('9999_from_a_newer_haven.sql', '2099-01-01T00:00:00.000Z')");
        const c = check(db);
        assert.equal(c.status, 4, c.stdout);
        assert.match(c.lines.migrations, /^FAILED 1 unknown to this binary \(first 9999_from_a_newer_haven\.sql\)/);
    });

    test("another database's key file -> key file FAILED, exit 5", () => {
        const { db, key } = copy();
        fs.writeFileSync(key, `${crypto.randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
        const c = check(db);
        assert.equal(c.status, 5, c.stdout);
        assert.match(c.lines['key file'], /^FAILED .* is not the key this database was used with/);
    });

    test('a missing key file -> key file FAILED, exit 5', () => {
        const { db, key } = copy();
        fs.rmSync(key);
        const c = check(db);
        assert.equal(c.status, 5, c.stdout);
        assert.match(c.lines['key file'], /^FAILED .* is missing/);
    });

    test('a key file others may read -> key file FAILED, exit 5', () => {
        const { db, key } = copy();
        fs.chmodSync(key, 0o644);
        const c = check(db);
        assert.equal(c.status, 5, c.stdout);
        assert.match(c.lines['key file'], /^FAILED .* cannot be used/);
    });

    test('a database whose key check was deleted (a forger without the key) -> exit 5', () => {
        const { db } = copy();
        sqlite(db, "DELETE FROM settings WHERE key = 'secret_key_check'");
        const c = check(db);
        assert.equal(c.status, 5, c.stdout);
        assert.match(c.lines['key file'], /^FAILED the database records no key/);
    });

    test('an audit entry edited in place -> audit trail FAILED, exit 6', () => {
        const { db } = copy();
        sqlite(db, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET outcome = 'denied' WHERE id = (SELECT max(id) FROM audit_log)");
        const c = check(db);
        assert.equal(c.status, 6, c.stdout);
        assert.match(c.lines['audit trail'], /^FAILED broken at entry \d+/);
        assert.match(c.lines.integrity, /^ok/, 'the file itself is sound');
    });

    test('no database file -> exit 1, and none is created', () => {
        const d = tmpDir('none');
        copies.push(d);
        const c = check(path.join(d, 'haven.db'));
        assert.equal(c.status, 1);
        assert.deepEqual(fs.readdirSync(d), []);
    });
});
