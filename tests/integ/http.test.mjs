// The HTTP layer's own refusals (issue 8's findings 8 and 11): a NUL in the path is refused
// (400), never cut short to another file; a route that takes no body refuses one (413); both
// answers carry the security headers.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, request, securityHeaderProblems } from '../helpers/server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { if (srv) await srv.stop(); });

test('a %00 in the path is a 400, not the file before it', async () => {
    for (const path of ['/static/haven.css%00.txt', '/assessment%00', '/%00']) {
        const res = await request(srv.origin, 'GET', path);
        assert.equal(res.status, 400, path);
        assert.doesNotMatch(res.headers['content-type'] || '', /text\/css/, path);
        assert.deepEqual(securityHeaderProblems(res), [], path);
    }
    const css = await request(srv.origin, 'GET', '/static/haven.css');
    assert.equal(css.status, 200);
});

test('a %00 in a query value stays visible, never a cut-short value', async () => {
    const res = await request(srv.origin, 'GET', '/?q=a%00b');
    assert.equal(res.status, 200);
});

test('a route that takes no body answers 413 to one, of any size', async () => {
    for (const size of [1, 5000, 50_000]) {
        const res = await request(srv.origin, 'GET', '/', { body: 'a'.repeat(size) });
        assert.equal(res.status, 413, `${size} bytes`);
        assert.deepEqual(securityHeaderProblems(res), [], `${size} bytes`);
    }
    const empty = await request(srv.origin, 'GET', '/', { headers: { 'content-length': '0' } });
    assert.equal(empty.status, 200, 'an empty body is no body');
});
