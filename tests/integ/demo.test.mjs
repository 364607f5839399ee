// `make run` (HAVEN_DEMO_REFERRALS=1 with --demo) puts three call requests, scored by the real
// scorer, in an empty queue; never into a queue that already has people in it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../helpers/server.mjs';

let srv;
before(async () => {
    process.env.HAVEN_DEMO_REFERRALS = '1';
    try {
        srv = await startServer({ demo: true });
    } finally {
        delete process.env.HAVEN_DEMO_REFERRALS;
    }
});
after(async () => { await srv?.stop(); });

const sql = (q) => execFileSync('sqlite3', [srv.db, q], { encoding: 'utf8' }).trim();

test('three scored demo call requests, the crisis one marked, each audited', () => {
    assert.equal(sql("select group_concat(level, ',') from (select level from referrals order by id)"),
        'emergency,php,iop');
    assert.equal(sql('select count(*) from referrals where crisis = 1'), '1');
    assert.equal(sql("select count(*) from audit_log where action = 'create' and record_type = 'referral'"), '3');
    const result = JSON.parse(sql('select result from referrals order by id limit 1'));
    assert.ok(result.flags.includes('suicide-acute'), 'the stored result is the scorer\'s');
});

test('a restart does not add demo people to a queue that has some', async () => {
    // keep the database (and its key file) across the restart in a directory of our own
    const keep = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-demo-'));
    const db = path.join(keep, 'haven.db');
    sql('PRAGMA wal_checkpoint(TRUNCATE)');
    fs.copyFileSync(srv.db, db);
    fs.copyFileSync(`${srv.db}.key`, `${db}.key`);
    await srv.stop();
    fs.chmodSync(`${db}.key`, 0o600);
    process.env.HAVEN_DEMO_REFERRALS = '1';
    try {
        srv = await startServer({ demo: true, extraArgs: ['--db', db] });
    } finally {
        delete process.env.HAVEN_DEMO_REFERRALS;
    }
    assert.equal(execFileSync('sqlite3', [db, 'select count(*) from referrals'], { encoding: 'utf8' }).trim(), '3');
    await srv.stop();
    srv = null;
    fs.rmSync(keep, { recursive: true, force: true });
});
