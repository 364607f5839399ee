// The session's idle clock (sessions.last_seen) is written at most once a minute per session
// (issue 8, pages that stay fast under load): ten quick signed-in requests write it once when
// it is older than a minute, and not at all when it is younger. The time left that the staff
// frame is told (GET /api/v1/me's idle_seconds_left, the keep-alive's seconds_left) counts from
// the clock as stored, so the page's warning matches the server's end; and the idle limit still
// ends a session 15 minutes after the stored clock. A trigger added to the test database counts
// the writes (the test's own updates of last_seen too, so each count starts after them).

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer } from '../helpers/server.mjs';
import { demoAccounts, get, post, signIn } from '../helpers/staff.mjs';

describe('the session touch, at most once a minute', () => {
    let srv;
    let me;
    let jar;
    let csrf;

    const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();
    const mine = () => `user_id = (select id from users where email = '${me.email}')`;
    const idleFor = (seconds) => sql(`update sessions set last_seen = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-${seconds} seconds') where ${mine()}`);
    const touches = () => Number(sql('select count(*) from session_touches'));
    const age = () => Number(sql(`select unixepoch('now') - unixepoch(last_seen) from sessions where ${mine()}`));

    before(async () => {
        srv = await startServer({ demo: true });
        me = demoAccounts(srv).clinician;
        ({ jar, csrf } = await signIn(srv, 'clinician'));
        sql('create table session_touches (session_id integer);' +
            ' create trigger count_touch after update of last_seen on sessions' +
            ' begin insert into session_touches values (new.id); end;');
    });
    after(async () => { if (srv) await srv.stop(); });

    /** Ten signed-in requests, one after the other, of the kinds a page makes. */
    async function tenRequests() {
        const paths = ['/staff/', '/api/v1/me', '/staff/patients', '/staff/queue', '/api/v1/me'];
        for (let i = 0; i < 10; i++) {
            const res = await get(srv, jar, paths[i % paths.length]);
            assert.equal(res.status, 200, `${paths[i % paths.length]}: ${res.status}`);
        }
    }

    test('ten quick requests write last_seen once when it was older than a minute', async () => {
        idleFor(120);
        const before = touches();
        await tenRequests();
        assert.equal(touches() - before, 1, 'one write for ten requests');
        assert.ok(age() <= 5, `the clock moved to about now (${age()} s ago)`);
    });

    test('within the minute nothing is written, and the time left counts from the stored clock', async () => {
        idleFor(30);
        const before = touches();
        await tenRequests();
        assert.equal(touches(), before, 'no write');
        const left = JSON.parse((await get(srv, jar, '/api/v1/me')).body).session.idle_seconds_left;
        assert.ok(left >= 860 && left <= 870, `about 14.5 minutes left, not 15: ${left}`);
        const k = await post(srv, jar, '/staff/keep-alive', { csrf });
        assert.equal(k.status, 200);
        const kept = JSON.parse(k.body).seconds_left;
        assert.ok(kept >= 860 && kept <= 870, `the keep-alive says the same: ${kept}`);
        assert.equal(touches(), before, 'still no write');

        // A minute on: the next request moves the clock, and the page is told 15 minutes.
        idleFor(61);
        const moved = touches();
        const again = await post(srv, jar, '/staff/keep-alive', { csrf });
        assert.ok(JSON.parse(again.body).seconds_left >= 899, again.body);
        assert.equal(touches(), moved + 1);
    });

    test('the idle limit counts from the stored clock: 15 minutes', async () => {
        idleFor(14 * 60 + 50);
        assert.equal((await get(srv, jar, '/api/v1/me')).status, 200, 'not yet');
        idleFor(15 * 60 + 1);
        assert.equal((await get(srv, jar, '/api/v1/me')).status, 401, 'ended');
    });
});
