// "Ask us to call you" is a public write: one address may send at most HAVEN_CALL_LIMIT an hour,
// so a flood cannot bury real requests (a crisis one among them) in the admissions queue.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, postForm, extractCall, countRows } from '../helpers/server.mjs';
import { PROFILES } from '../helpers/profiles.mjs';

let srv;
before(async () => {
    process.env.HAVEN_CALL_LIMIT = '2';
    try {
        srv = await startServer();
    } finally {
        delete process.env.HAVEN_CALL_LIMIT;
    }
});
after(async () => { await srv?.stop(); });

async function callOnce() {
    const page = await postForm(srv.origin, '/assessment/result', PROFILES.php.answers);
    assert.equal(page.status, 200);
    const c = extractCall(page);
    return postForm(srv.origin, '/assessment/call', {
        csrf: c.csrf, answers: c.answers, name: 'Sam Rivera', phone: '555-010-0199',
        'best-time': 'evening', voicemail: 'no', consent: 'yes',
    }, { headers: { cookie: c.cookie } });
}

test('the third call request from one address within the hour -> 429, not stored', async () => {
    assert.equal((await callOnce()).status, 303);
    assert.equal((await callOnce()).status, 303);
    const third = await callOnce();
    assert.equal(third.status, 429);
    assert.match(third.body, /988/, 'the refusal still shows the crisis line');
    assert.equal(countRows(srv.db, 'referrals'), 2);
});
