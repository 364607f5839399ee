// The HTTP layer's own refusals (issue 8's findings 8, 9 and 11): a NUL in the path is refused
// (400), never cut short to another file; a route that takes no body refuses one (413); header
// fields too large (431) and a chunked body (411, or 413 where no body is taken) are answered by
// Haven before libmicrohttpd reads on, so that every one of these answers carries the security
// headers and a Content-Type. An error answer names at most 20 problems and counts the rest
// (finding 7: 7,000 unknown fields once made a 683 KB answer).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, request, postForm, securityHeaderProblems } from '../helpers/server.mjs';

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

test('a multipart body, even one whose part has no name, is refused 400 and the server lives', async () => {
    // A part without name= made libmicrohttpd hand a NULL field name to the form reader: one
    // unauthenticated POST took the server down (found by the fuzz_request target).
    for (const cd of ['Content-Disposition:0form-data; name="a"', 'Content-Disposition: form-data; name="a"']) {
        const res = await request(srv.origin, 'POST', '/assessment/result', {
            headers: { 'content-type': 'multipart/form-data; boundary=XX' },
            body: `--XX\r\n${cd}\r\n\r\nb\r\n--XX--`,
        });
        assert.equal(res.status, 400, cd);
        assert.match(res.body, /The form could not be read/);
    }
    assert.equal((await request(srv.origin, 'GET', '/healthz')).status, 200);
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

/** Sends raw bytes on a fresh connection; resolves { status, headers, body } once it closes. */
function raw(bytes) {
    return new Promise((resolve, reject) => {
        const sock = net.connect({ host: '127.0.0.1', port: srv.port }, () => sock.write(bytes));
        let text = '';
        sock.setEncoding('latin1');
        sock.setTimeout(5000, () => sock.destroy(new Error('no answer within 5 s')));
        sock.on('data', (d) => { text += d; });
        sock.on('error', (e) => { if (!text) reject(e); });
        sock.on('close', () => {
            const [head, ...rest] = text.split('\r\n\r\n');
            const lines = head.split('\r\n');
            const headers = {};
            for (const l of lines.slice(1)) {
                const i = l.indexOf(':');
                headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
            }
            resolve({ status: Number(lines[0].split(' ')[1]), headers, body: rest.join('\r\n\r\n') });
        });
    });
}

function assertHavenAnswer(res, status, what) {
    assert.equal(res.status, status, what);
    assert.deepEqual(securityHeaderProblems(res), [], what);
    assert.match(res.headers['content-type'] || '', /^text\/html; charset=utf-8/, what);
}

test('header fields too large are answered 431 by Haven, with its headers', async () => {
    const res = await raw(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    assertHavenAnswer(res, 431, '20 KB of header');
    const ok = await raw(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(8_000)}\r\n` +
        'Connection: close\r\n\r\n');
    assert.equal(ok.status, 200, '8 KB of header is fine');
});

test('a chunked body is refused before it is read: 411, or 413 where no body is taken', async () => {
    // A malformed chunk once got libmicrohttpd's bare 400; Haven now answers on the headers.
    const bad = await raw('POST /assessment/result HTTP/1.1\r\nHost: x\r\n' +
        'Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n' +
        'zz\r\nabc\r\n');
    assertHavenAnswer(bad, 411, 'a malformed chunk');
    assert.match(bad.body, /Content-Length/);
    const api = await raw('POST /api/v1/assessments/score HTTP/1.1\r\nHost: x\r\n' +
        'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n');
    assert.equal(api.status, 411);
    assert.deepEqual(securityHeaderProblems(api), []);
    assert.match(JSON.parse(api.body).error, /Content-Length/, 'the API answers in JSON');
    const none = await raw('GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n' +
        '5\r\nabcde\r\n0\r\n\r\n');
    assertHavenAnswer(none, 413, 'a chunked body where none is taken');
});

// What libmicrohttpd 0.9.75 still answers itself, before Haven sees a byte (it has no hook for
// its own answers): 505 for an HTTP version it does not speak, 400 for a request line it cannot
// parse, 431 past its connection memory (about 32 KiB of header). Those answers lack the
// security headers; they are fixed text that carries nothing of the request, and close the
// connection, which is what keeps them harmless. This pins that down.
test("libmicrohttpd's own answers repeat nothing of the request and close", async () => {
    const probe = '<script>alert(1)</script>';
    for (const [bytes, status] of [
        [`GET /${probe} HTTP/2.5\r\nHost: x\r\n\r\n`, 505],
        [`GET /${probe} HTTQ/1.1\r\nHost: x\r\n\r\n`, 400],
        [`GET /${probe} HTTP/1.1\r\nHost: x\r\nX-Big: ${probe}${'a'.repeat(40_000)}\r\n\r\n`, 431],
    ]) {
        const res = await raw(bytes);
        assert.equal(res.status, status);
        assert.ok(!res.body.includes('script'), `${status} repeats the request`);
        assert.equal(res.headers.connection, 'close');
    }
});

// Short distinct names (base 36) so that 7,000 of them fit the 64 KiB body limit.
const UNKNOWN = Array.from({ length: 7000 }, (_, i) => `u${i.toString(36)}`);

test('7,000 unknown fields in a JSON body: a small 422 naming the first 20 and counting the rest', async () => {
    const body = { version: 'haven-assessment-1', answers: {} };
    for (const k of UNKNOWN) body[k] = 1;
    const text = JSON.stringify(body);
    const res = await request(srv.origin, 'POST', '/api/v1/assessments/score', {
        headers: { 'content-type': 'application/json' }, body: text,
    });
    assert.equal(res.status, 422);
    const err = JSON.parse(res.body);
    assert.deepEqual(err.details.map((d) => d.item), UNKNOWN.slice(0, 20));
    assert.equal(err.details_omitted, 6980);
    assert.ok(res.body.length < 4000, `${res.body.length} bytes for a ${text.length}-byte request`);
});

test('7,000 unknown fields in a form: the summary names the first 20 and how many more', async () => {
    const form = UNKNOWN.map((k) => `${k}=1`).join('&');
    const res = await postForm(srv.origin, '/assessment/result', form);
    assert.equal(res.status, 422);
    const summary = res.body.match(/<div id="error-summary"[\s\S]*?<\/ul>/)[0];
    const links = [...summary.matchAll(/<li><a href="#item-([^"]*)">([^<]*)<\/a>/g)];
    assert.deepEqual(links.slice(0, 20).map((m) => m[1]), UNKNOWN.slice(0, 20));
    assert.equal(links.length, 21);
    assert.match(links[20][2], /^And 6980 more, starting with: /);
    const blank = await request(srv.origin, 'GET', '/assessment');
    assert.ok(res.body.length < blank.body.length + 10_000,
        `${res.body.length} bytes: the form itself (${blank.body.length}) and a short summary`);
});

test('a few problems are all named, with no count', async () => {
    const res = await request(srv.origin, 'POST', '/api/v1/assessments/score', {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ version: 'haven-assessment-1', answers: {}, a: 1, b: 2 }),
    });
    const err = JSON.parse(res.body);
    assert.deepEqual(err.details.map((d) => d.item), ['a', 'b']);
    assert.equal(err.details_omitted, undefined);
});
