// One client must not exhaust the server (issue 8, finding 3, slowloris): an address holds at
// most its share of the connections (the trusted proxy's excepted), a request's headers and its
// body each have a deadline that trickled bytes do not push back, and meanwhile the public pages
// (the crisis lines in every page's footer, /healthz) answer anyone else. Each address is
// logged once, not once per connection. The deadlines are short here (env) to keep this quick.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { startServer } from '../helpers/server.mjs';

const DEFAULT_LIMIT = 32; // cmd_serve.c's default
const BOUND_MS = 6000;    // how long any one check may wait: libmicrohttpd alone would wait 30 s

/** Start a server with these environment variables (the child inherits process.env). */
async function startWith(env, opts = {}) {
    const saved = {};
    for (const [k, v] of Object.entries(env)) {
        saved[k] = process.env[k];
        process.env[k] = v;
    }
    try {
        return await startServer(opts);
    } finally {
        for (const [k, v] of Object.entries(saved)) {
            if (v === undefined) delete process.env[k]; else process.env[k] = v;
        }
    }
}

/** A GET on a fresh connection from localAddress; resolves { status, body } or rejects. */
function get(srv, path, localAddress = '127.0.0.1') {
    return new Promise((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port: srv.port, path, localAddress, agent: false },
            (res) => {
                let body = '';
                res.setEncoding('utf8');
                res.on('data', (d) => { body += d; });
                res.on('end', () => resolve({ status: res.statusCode, body }));
            });
        req.setTimeout(BOUND_MS, () => req.destroy(new Error(`timeout: GET ${path}`)));
        req.on('error', reject);
        req.end();
    });
}

/**
 * A raw connection from 127.0.0.1 that has sent `first`. Tracks what the server sends and when
 * it closes: { sock, closed (Promise of ms after connecting), data() }.
 */
function rawConnection(srv, first) {
    return new Promise((resolve, reject) => {
        const sock = net.connect({ host: '127.0.0.1', port: srv.port });
        const t0 = Date.now();
        let data = '';
        const closed = new Promise((done) => sock.on('close', () => done(Date.now() - t0)));
        sock.setEncoding('latin1');
        sock.on('data', (d) => { data += d; });
        sock.on('error', () => {}); // a reset is one way of being cut off
        sock.once('connect', () => {
            if (first) sock.write(first);
            resolve({ sock, closed, data: () => data });
        });
        sock.once('error', reject);
    });
}

/** Resolves with the value, or rejects after ms (so a server that never cuts fails the test). */
function within(promise, ms, what) {
    let timer;
    const limit = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
    });
    return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/** Writes `piece` every `ms` until the socket closes; returns a function that stops. */
function drip(sock, piece, ms) {
    const timer = setInterval(() => { if (!sock.destroyed) sock.write(piece); }, ms);
    sock.on('close', () => clearInterval(timer));
    return () => clearInterval(timer);
}

function count(text, needle) {
    return text.split(needle).length - 1;
}

describe('connections per address', () => {
    let srv;
    // Deadlines far off: here the half-sent requests must stay until the test lets them go.
    before(async () => {
        srv = await startWith({ HAVEN_HEADER_DEADLINE_MS: '60000', HAVEN_BODY_DEADLINE_MS: '60000' });
    });
    after(async () => { if (srv) await srv.stop(); });

    test('100 half-sent requests from one address hold no more than the limit', async () => {
        const conns = [];
        for (let i = 0; i < 100; i++) conns.push(await rawConnection(srv, 'GET / HTTP/1.1\r\nHost: x\r\n'));
        let cut = 0;
        const enough = new Promise((resolve) => {
            for (const c of conns) c.closed.then(() => { if (++cut === 100 - DEFAULT_LIMIT) resolve(); });
        });
        await within(enough, BOUND_MS, `only ${DEFAULT_LIMIT} of 100 connections kept`);
        const held = conns.filter((c) => !c.sock.destroyed && !c.sock.readableEnded);
        assert.equal(held.length, DEFAULT_LIMIT);
        for (const c of conns) assert.equal(c.data(), '', 'a refused connection gets no answer');

        // Meanwhile, someone else reaches the crisis lines and the health check.
        const home = await get(srv, '/', '127.0.0.2');
        assert.equal(home.status, 200);
        assert.match(home.body, /href="tel:988"/);
        assert.equal((await get(srv, '/healthz', '127.0.0.2')).status, 200);
        // The address at its limit gets nothing more.
        await assert.rejects(get(srv, '/healthz', '127.0.0.1'));
        assert.equal(count(srv.stderr(), 'refusing connections from 127.0.0.1'), 1,
            'logged once, not once per refused connection');

        // Once they go, the address is welcome again.
        for (const c of held) c.sock.destroy();
        await within(Promise.all(held.map((c) => c.closed)), BOUND_MS, 'closing');
        let res;
        for (let i = 0; i < 50 && !res; i++) res = await get(srv, '/healthz').catch(() => null);
        assert.equal(res?.status, 200);
    });
});

describe('deadlines', () => {
    let srv;
    before(async () => {
        srv = await startWith({ HAVEN_HEADER_DEADLINE_MS: '1000', HAVEN_BODY_DEADLINE_MS: '1000' });
    });
    after(async () => { if (srv) await srv.stop(); });

    test('a drip-fed header is cut at the deadline, though a byte comes every 100 ms', async () => {
        const conns = [];
        for (let i = 0; i < 5; i++) {
            const c = await rawConnection(srv, 'GET / HTTP/1.1\r\nHost: x\r\n');
            drip(c.sock, 'X-Drip: 1\r\n', 100);
            conns.push(c);
        }
        const ms = await within(Promise.all(conns.map((c) => c.closed)), BOUND_MS, 'drip-fed headers');
        for (const c of conns) assert.equal(c.data(), '', 'cut, not answered');
        assert.ok(Math.min(...ms) >= 900, `cut after ${Math.min(...ms)} ms, before the deadline`);
        assert.equal(count(srv.stderr(), 'closed a connection from 127.0.0.1'), 1,
            'five cuts, one log line');
        assert.equal((await get(srv, '/healthz')).status, 200, 'the server is fine');
    });

    test('a body trickled under its Content-Length is cut at the body deadline', async () => {
        const c = await rawConnection(srv, 'POST /assessment/result HTTP/1.1\r\nHost: x\r\n' +
            'Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 60000\r\n\r\n');
        drip(c.sock, 'a=1&', 100);
        await within(c.closed, BOUND_MS, 'trickled body');
        assert.equal(c.data(), '');
    });

    test('an endless chunked body is cut off', async () => {
        const c = await rawConnection(srv, 'POST /assessment/result HTTP/1.1\r\nHost: x\r\n' +
            'Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n');
        drip(c.sock, '4\r\na=1&\r\n', 50);
        await within(c.closed, BOUND_MS, 'endless chunked body');
        assert.match(c.data(), /^HTTP\/1\.1 411 /, 'refused with 411 (send a Content-Length)');
    });

    test('a request that arrives in time is answered, on a kept-alive connection too', async () => {
        const c = await rawConnection(srv, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n' +
            'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
        await within(c.closed, BOUND_MS, 'two requests');
        assert.equal(count(c.data(), 'HTTP/1.1 200 OK'), 2);
    });
});

test('the trusted proxy speaks for many clients: its connections are not limited', async () => {
    const srv = await startWith({ HAVEN_TRUSTED_PROXY: '127.0.0.1', HAVEN_HEADER_DEADLINE_MS: '60000' },
        { extraArgs: ['--max-per-address', '4'] });
    try {
        const conns = [];
        for (let i = 0; i < 10; i++) conns.push(await rawConnection(srv, 'GET /healthz HTTP/1.1\r\nHost: x\r\n'));
        for (const c of conns) c.sock.write('Connection: close\r\n\r\n');
        await within(Promise.all(conns.map((c) => c.closed)), BOUND_MS, 'answers');
        for (const c of conns) assert.match(c.data(), /^HTTP\/1\.1 200 /);
    } finally {
        await srv.stop();
    }
});
