// The home page shows the program's tracks and week from the database. Workers keep the page
// they built until the database changes, so a change made elsewhere must show at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, request } from '../helpers/server.mjs';

let srv;
before(async () => { srv = await startServer({ demo: true }); });
after(async () => { await srv?.stop(); });

const home = async () => (await request(srv.origin, 'GET', '/')).body;

test('home shows the demo tracks, 3 hours a day on 3 days', async () => {
    const body = await home();
    assert.match(body, /Morning track/);
    assert.match(body, /Evening track/);
    assert.match(body, /Relapse prevention workshop/);
});

test('a change to the schedule shows on the next request, on every worker', async () => {
    for (let i = 0; i < 4; i++) await home(); // let each worker build and keep its page
    execFileSync('sqlite3', [srv.db, "UPDATE tracks SET name = 'Daybreak track' WHERE code = 'morning'"]);
    for (let i = 0; i < 8; i++) {
        const body = await home();
        assert.match(body, /Daybreak track/, `request ${i} after the change`);
        assert.doesNotMatch(body, /Morning track/);
    }
});
