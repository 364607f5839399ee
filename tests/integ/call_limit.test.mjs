// "Ask us to call you" is a public write: one address may send at most HAVEN_CALL_LIMIT an hour,
// so a flood cannot bury real requests (a crisis one among them) in the admissions queue.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, postForm, extractCall, countRows } from '../helpers/server.mjs';
import { PROFILES } from '../helpers/profiles.mjs';

let srv;
before(async () => {
    process.env.HAVEN_CALL_LIMIT = '2';
    process.env.HAVEN_TRUSTED_PROXY = '127.0.0.1'; // the tests play the reverse proxy
    try {
        srv = await startServer();
    } finally {
        delete process.env.HAVEN_CALL_LIMIT;
        delete process.env.HAVEN_TRUSTED_PROXY;
    }
});
after(async () => { await srv?.stop(); });

async function callOnce(forwardedFor = '198.51.100.7') {
    const page = await postForm(srv.origin, '/assessment/result', PROFILES.php.answers);
    assert.equal(page.status, 200);
    const c = extractCall(page);
    return postForm(srv.origin, '/assessment/call', {
        csrf: c.csrf, answers: c.answers, name: 'Sam Rivera', phone: '555-010-0199',
        'best-time': 'evening', voicemail: 'no', consent: 'yes',
    }, { headers: { cookie: c.cookie, 'x-forwarded-for': forwardedFor } });
}

test('the third call request from one address within the hour -> 429, not stored', async () => {
    assert.equal((await callOnce()).status, 303);
    assert.equal((await callOnce()).status, 303);
    const third = await callOnce();
    assert.equal(third.status, 429);
    assert.match(third.body, /988/, 'the refusal still shows the crisis line');
    assert.equal(countRows(srv.db, 'referrals'), 2);
});

test('behind the trusted proxy the limit is per person, not per proxy', async () => {
    // 198.51.100.7 used its two requests above; another person behind the same proxy may still call
    assert.equal((await callOnce('203.0.113.9')).status, 303);
    assert.equal((await callOnce('198.51.100.7')).status, 429);
    assert.equal(countRows(srv.db, 'referrals'), 3);
});

test('a client-written X-Forwarded-For line before the proxy\'s own line is not believed', async () => {
    // 198.51.100.7 is over its limit; it sends its own line first, the proxy adds the real one
    const res = await callOnce(['198.51.100.7', '192.0.2.44']);
    assert.equal(res.status, 303, 'keyed on the proxy\'s line (192.0.2.44), not the client\'s');
    const again = await callOnce(['192.0.2.44', '198.51.100.7']);
    assert.equal(again.status, 429, 'and the over-limit address is still refused when it is last');
});
