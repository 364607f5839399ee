// Static files and the first visit's weight (issue 8, "the assessment page's first visit under
// 30 KB on the wire"): the CSS, JS and icon are compressed once at start-up like the
// questionnaire and sent with Content-Encoding: gzip to a client that accepts it, with
// Vary: Accept-Encoding and an ETag of their own; a client without gzip gets the same bytes
// uncompressed. Bytes are counted as they cross the socket: status line, headers and body.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import zlib from 'node:zlib';
import { startServer, findTags } from '../helpers/server.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { if (srv) await srv.stop(); });

/** One GET over a fresh socket (Connection: close): { wire (bytes received), status, headers,
 *  body (Buffer, as sent: compressed when it says so) }. */
function fetchRaw(path, headers = {}) {
    return new Promise((resolve, reject) => {
        const sock = net.connect(srv.port, '127.0.0.1');
        const chunks = [];
        const lines = [`GET ${path} HTTP/1.1`, `Host: 127.0.0.1:${srv.port}`, 'Connection: close'];
        for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
        sock.setTimeout(10_000, () => sock.destroy(new Error(`timeout: GET ${path}`)));
        sock.on('connect', () => sock.write(lines.join('\r\n') + '\r\n\r\n'));
        sock.on('data', (c) => chunks.push(c));
        sock.on('error', reject);
        sock.on('end', () => {
            const all = Buffer.concat(chunks);
            const split = all.indexOf('\r\n\r\n');
            const head = all.subarray(0, split).toString('latin1').split('\r\n');
            const h = {};
            for (const l of head.slice(1)) {
                const i = l.indexOf(':');
                h[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
            }
            assert.ok(!/chunked/i.test(h['transfer-encoding'] || ''), `${path}: not chunked`);
            resolve({ wire: all.length, status: Number(head[0].split(' ')[1]), headers: h,
                body: all.subarray(split + 4) });
        });
    });
}

const GZIP = { 'Accept-Encoding': 'gzip, deflate, br' }; // what a browser sends

/** What a browser fetches for the page at path: the page and its stylesheets, scripts and icon. */
async function firstVisit(path) {
    const page = await fetchRaw(path, GZIP);
    assert.equal(page.status, 200);
    const html = (page.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(page.body)
        : page.body).toString('utf8');
    const urls = [
        ...findTags(html, 'link').filter((t) => /stylesheet|icon/.test(t.attrs.rel)).map((t) => t.attrs.href),
        ...findTags(html, 'script').map((t) => t.attrs.src).filter(Boolean),
    ];
    const parts = [{ url: path, wire: page.wire }];
    for (const u of new Set(urls)) {
        const res = await fetchRaw(u, GZIP);
        assert.equal(res.status, 200, u);
        parts.push({ url: u, wire: res.wire, encoding: res.headers['content-encoding'] });
    }
    return parts;
}

test('the assessment page\'s first visit (page, CSS, JS, icon) is under 30,000 bytes on the wire', async () => {
    const parts = await firstVisit('/assessment');
    const total = parts.reduce((n, p) => n + p.wire, 0);
    const list = parts.map((p) => `${p.url} ${p.wire}`).join(', ');
    assert.ok(parts.some((p) => /\.css/.test(p.url)) && parts.some((p) => /\.js/.test(p.url)),
        `the page links its CSS and JS: ${list}`);
    assert.ok(total < 30_000, `first visit ${total} bytes: ${list}`);
    console.log(`first visit: ${total} bytes (${list})`);
});

test('CSS and JS go compressed to a client that takes gzip, the same bytes to one that does not', async () => {
    for (const path of ['/static/haven.css', '/static/assessment.js', '/static/quick-exit.js',
        '/static/staff.css', '/static/staff.js', '/static/favicon.svg']) {
        const plain = await fetchRaw(path);
        const gz = await fetchRaw(path, GZIP);
        assert.equal(plain.status, 200, path);
        assert.equal(gz.status, 200, path);
        assert.equal(plain.headers['content-encoding'], undefined, `${path}: identity without gzip`);
        assert.equal(gz.headers['content-type'], plain.headers['content-type'], path);
        if (/\.(css|js)$/.test(path)) {
            assert.equal(gz.headers['content-encoding'], 'gzip', `${path}: compressed`);
            assert.ok(gz.body.length < plain.body.length * 0.6, `${path}: ${gz.body.length} bytes`);
        }
        if (gz.headers['content-encoding'] === 'gzip') {
            assert.match(plain.headers.vary || '', /Accept-Encoding/i, `${path}: Vary on both`);
            assert.match(gz.headers.vary || '', /Accept-Encoding/i, `${path}: Vary on both`);
        }
        const got = gz.headers['content-encoding'] === 'gzip' ? zlib.gunzipSync(gz.body) : gz.body;
        assert.ok(got.equals(plain.body), `${path}: the same bytes once decompressed`);
        assert.equal(Number(gz.headers['content-length']), gz.body.length, path);
    }
});

test('a client that refuses gzip (q=0) gets the file uncompressed', async () => {
    for (const ae of ['gzip;q=0', 'identity', 'br', 'gzip; q=0.000, deflate']) {
        const res = await fetchRaw('/static/haven.css', { 'Accept-Encoding': ae });
        assert.equal(res.headers['content-encoding'], undefined, ae);
        assert.match(res.body.toString('utf8'), /[{}]/, ae);
    }
    const res = await fetchRaw('/static/haven.css', { 'Accept-Encoding': 'deflate, gzip;q=0.5' });
    assert.equal(res.headers['content-encoding'], 'gzip');
});

test('each encoding has its own ETag; If-None-Match revalidates the one the client holds', async () => {
    const plain = await fetchRaw('/static/haven.css');
    const gz = await fetchRaw('/static/haven.css', GZIP);
    assert.ok(plain.headers.etag && gz.headers.etag);
    assert.notEqual(plain.headers.etag, gz.headers.etag, 'a strong ETag names one representation');
    const again = await fetchRaw('/static/haven.css', { ...GZIP, 'If-None-Match': gz.headers.etag });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
    assert.equal(again.headers.etag, gz.headers.etag);
    const plainAgain = await fetchRaw('/static/haven.css', { 'If-None-Match': plain.headers.etag });
    assert.equal(plainAgain.status, 304);
    // A cache holding the plain copy that now asks with gzip gets the compressed one in full.
    const other = await fetchRaw('/static/haven.css', { ...GZIP, 'If-None-Match': plain.headers.etag });
    assert.equal(other.status, 200);
    assert.equal(other.headers['content-encoding'], 'gzip');
});

test('a versioned address is cached for a year as immutable, either encoding', async () => {
    const page = await fetchRaw('/assessment');
    const href = findTags(page.body.toString('utf8'), 'link')
        .find((t) => t.attrs.rel === 'stylesheet').attrs.href;
    assert.match(href, /\?v=/);
    for (const h of [{}, GZIP]) {
        const res = await fetchRaw(href, h);
        assert.equal(res.status, 200);
        assert.match(res.headers['cache-control'], /max-age=31536000.*immutable/);
    }
});

test('HEAD of a compressed file says what GET would send, with no body', async () => {
    const res = await new Promise((resolve, reject) => {
        const sock = net.connect(srv.port, '127.0.0.1');
        const chunks = [];
        sock.on('connect', () => sock.write('HEAD /static/haven.css HTTP/1.1\r\nHost: x\r\n' +
            'Accept-Encoding: gzip\r\nConnection: close\r\n\r\n'));
        sock.on('data', (c) => chunks.push(c));
        sock.on('error', reject);
        sock.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    });
    assert.match(res, /^HTTP\/1\.1 200/);
    assert.match(res, /\r\nContent-Encoding: gzip\r\n/i);
    assert.ok(res.endsWith('\r\n\r\n'), 'no body');
});
