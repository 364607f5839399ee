// Crash safety (issue 8, "Reliability as tests"): three rounds of a write load on one database
// (public call requests and staff logging calls, eight at a time), the server killed with
// SIGKILL in the middle of it, then restarted on the same database. Every write the server
// acknowledged (its 303 arrived) must be there after the crash, with its audit entry, and
// `haven audit verify` must pass on the crashed file and again after the restart. Bounded: each
// round stops at a number of acknowledged writes, not after a time.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, postForm, extractCall, HAVEN_BIN } from '../helpers/server.mjs';
import { signInPassword, demoAccounts, csrfFor, post } from '../helpers/staff.mjs';
import { makeReferral } from '../helpers/records.mjs';
import { PROFILES } from '../helpers/profiles.mjs';

const ROUNDS = 3;
const WRITERS = 8;
const KILL_AFTER = 150; // acknowledged writes per round, then SIGKILL while the others are in flight

let dir, db, accounts;

function sql(q) {
    const r = spawnSync('sqlite3', ['-cmd', '.timeout 5000', db, q], { encoding: 'utf8' });
    assert.equal(r.status, 0, `sqlite3: ${r.stderr}`);
    return r.stdout.trim();
}
const quote = (s) => `'${s.replace(/'/g, "''")}'`;

async function serve({ demo = false } = {}) {
    process.env.HAVEN_CALL_LIMIT = '100000';
    try {
        return Object.assign(await startServer({ demo, extraArgs: ['--db', db] }), { db });
    } finally {
        delete process.env.HAVEN_CALL_LIMIT;
    }
}

function verify() {
    const v = spawnSync(HAVEN_BIN, ['audit', 'verify', '--db', db], { encoding: 'utf8' });
    assert.equal(v.status, 0, v.stdout + v.stderr);
    assert.match(v.stdout, /audit trail intact/);
}

/** A public call request named `name`; true when the server acknowledged it (303). */
async function callRequest(srv, name) {
    const page = await postForm(srv.origin, '/assessment/result', PROFILES.php.answers);
    if (page.status !== 200) return false;
    const c = extractCall(page);
    const res = await postForm(srv.origin, '/assessment/call', {
        csrf: c.csrf, answers: c.answers, name, phone: '555-010-0199', 'best-time': 'any',
        voicemail: 'yes', consent: 'yes',
    }, { headers: { cookie: c.cookie } });
    return res.status === 303;
}

/** A staff member logs a call on referral id with note; true when acknowledged (303). */
async function logCall(srv, staff, id, note) {
    const res = await post(srv, staff.jar, `/staff/referrals/${id}/calls`,
        { csrf: staff.csrf, outcome: 'voicemail', note });
    return res.status === 303;
}

before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-crash-'));
    db = path.join(dir, 'haven.db');
    const srv = await serve({ demo: true });
    accounts = demoAccounts(srv);
    await srv.stop();
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test(`${ROUNDS} rounds of kill -9 under a write load lose no acknowledged write`, async () => {
    const names = [];
    const notes = [];
    for (let round = 1; round <= ROUNDS; round++) {
        const srv = await serve();
        const { res, jar } = await signInPassword(srv, accounts.admissions.email, accounts.admissions.password);
        assert.equal(res.status, 303);
        const staff = { jar, csrf: await csrfFor(srv, jar) };
        const target = await makeReferral(srv, `Crash Target ${round}`);

        let acked = 0;
        let killed = false;
        const writer = async (w) => {
            for (let i = 0; !killed; i++) {
                const tag = `r${round} w${w} n${i}`;
                try {
                    if (i % 2 === 0) {
                        if (await callRequest(srv, `Crash ${tag}`)) { names.push(`Crash ${tag}`); acked++; }
                    } else if (await logCall(srv, staff, target, `crash ${tag}`)) {
                        notes.push(`crash ${tag}`);
                        acked++;
                    }
                } catch {
                    // the server is gone: that request was never acknowledged
                }
                if (acked >= KILL_AFTER && !killed) {
                    killed = true;
                    srv.proc.kill('SIGKILL');
                }
            }
        };
        await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
        await srv.stop(); // it is dead already; this waits for its exit
        assert.equal(srv.exited().signal, 'SIGKILL');

        verify(); // the crashed file, before anything opens it for writing
        const inDb = new Set(sql(`SELECT name FROM referrals WHERE name LIKE 'Crash r%'`).split('\n'));
        const lost = names.filter((n) => !inDb.has(n));
        assert.deepEqual(lost, [], `round ${round}: acknowledged call requests lost`);
        const callNotes = new Set(sql("SELECT note FROM referral_calls WHERE note LIKE 'crash r%'").split('\n'));
        assert.deepEqual(notes.filter((n) => !callNotes.has(n)), [], `round ${round}: acknowledged calls lost`);
        // Each write landed with its audit entry (one transaction), the last ones included.
        assert.equal(sql(`SELECT count(*) FROM referrals r WHERE NOT EXISTS (SELECT 1 FROM audit_log a
                          WHERE a.record_id = r.public_id AND a.action = 'create')`), '0');
        assert.ok(Number(sql(`SELECT count(*) FROM audit_log WHERE action = 'update' AND record_id = ${quote(target)}`))
            >= notes.filter((n) => n.startsWith(`crash r${round} `)).length);
    }
    // And it starts again on what the last crash left, and its trail still verifies.
    const srv = await serve();
    assert.ok(await callRequest(srv, 'After The Crashes'));
    await srv.stop();
    verify();
    assert.ok(names.length >= ROUNDS * 10 && notes.length >= ROUNDS * 10, `${names.length} requests, ${notes.length} calls`);
});
