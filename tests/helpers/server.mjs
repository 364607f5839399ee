// Start and stop the real `haven` binary on 127.0.0.1 with a throw-away database, and talk
// HTTP to it. Used by tests/integ and tests/e2e; nothing here knows about Haven's rules.
//
// HAVEN_BIN overrides the binary (default: ./haven at the repository root).

import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const HAVEN_BIN = process.env.HAVEN_BIN
    ? path.resolve(process.env.HAVEN_BIN)
    : path.join(REPO_ROOT, 'haven');

const READY_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 5_000;

/** Ask the kernel for a free TCP port on 127.0.0.1 (listen on 0, read it, close). */
export function freePort() {
    return new Promise((resolve, reject) => {
        const srv = net.createServer();
        srv.unref();
        srv.on('error', reject);
        srv.listen(0, '127.0.0.1', () => {
            const { port } = srv.address();
            srv.close(() => resolve(port));
        });
    });
}

/**
 * Start `haven serve` on a free port with a database in a fresh temp dir.
 * Resolves when the server printed "listening on http://127.0.0.1:PORT" on stderr.
 * Rejects after 10 s (or when the process exits first) with its stderr in the message.
 * env: variables added to the environment the server starts with (a mail relay in a test).
 * Returns { origin, port, dir, db, proc, stderr(), stop() }.
 */
export async function startServer({ demo = false, extraArgs = [], env = {} } = {}) {
    if (!fs.existsSync(HAVEN_BIN)) {
        throw new Error(`haven binary not found at ${HAVEN_BIN}: build it first (make) or set HAVEN_BIN`);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'haven-test-'));
    const db = path.join(dir, 'haven.db');
    const port = await freePort();
    const args = ['serve', '--bind', '127.0.0.1', '--port', String(port), '--db', db];
    if (demo) args.push('--demo');
    args.push(...extraArgs);

    const proc = spawn(HAVEN_BIN, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, ...env } });
    let errText = '';
    let outText = '';
    proc.stdout.setEncoding('utf8');
    proc.stderr.setEncoding('utf8');
    proc.stdout.on('data', (d) => { outText += d; });

    const origin = `http://127.0.0.1:${port}`;
    const readyLine = `listening on ${origin}`;
    let exited = null;
    const exitPromise = new Promise((resolve) => {
        proc.on('exit', (code, signal) => { exited = { code, signal }; resolve(exited); });
    });

    await new Promise((resolve, reject) => {
        let done = false;
        const finish = (err) => {
            if (done) return;
            done = true;
            clearTimeout(timer);
            if (err) reject(err); else resolve();
        };
        const timer = setTimeout(() => {
            proc.kill('SIGKILL');
            fs.rmSync(dir, { recursive: true, force: true });
            finish(new Error(`haven did not print "${readyLine}" within ${READY_TIMEOUT_MS} ms\n` +
                `command: ${HAVEN_BIN} ${args.join(' ')}\n--- stderr ---\n${errText}\n--- stdout ---\n${outText}`));
        }, READY_TIMEOUT_MS);
        proc.stderr.on('data', (d) => {
            errText += d;
            if (errText.includes(readyLine)) finish();
        });
        proc.on('error', (e) => finish(new Error(`cannot start ${HAVEN_BIN}: ${e.message}`)));
        exitPromise.then(({ code, signal }) => {
            fs.rmSync(dir, { recursive: true, force: true });
            finish(new Error(`haven exited before it was ready (code ${code}, signal ${signal})\n` +
                `command: ${HAVEN_BIN} ${args.join(' ')}\n--- stderr ---\n${errText}\n--- stdout ---\n${outText}`));
        });
    });

    async function stop() {
        if (!exited) {
            proc.kill('SIGTERM');
            const t = setTimeout(() => { if (!exited) proc.kill('SIGKILL'); }, STOP_TIMEOUT_MS);
            await exitPromise;
            clearTimeout(t);
        }
        fs.rmSync(dir, { recursive: true, force: true });
        return exited;
    }

    return { origin, port, dir, db, proc, args, stderr: () => errText, stop, exited: () => exited };
}

/**
 * One HTTP request with node:http (no redirects followed, no cookie jar, fresh connection).
 * body: string | Buffer | undefined. Returns { status, headers, body, setCookies }.
 * headers are lower-cased; setCookies is the array of raw Set-Cookie values.
 * If the server answers early and then resets the upload (e.g. 413), the response is still
 * returned when one arrived.
 */
export function request(origin, method, urlPath, { headers = {}, body } = {}) {
    return new Promise((resolve, reject) => {
        const url = new URL(urlPath, origin);
        const h = { ...headers };
        let buf;
        if (body !== undefined) {
            buf = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
            h['content-length'] = String(buf.length);
        } else if (method === 'POST' || method === 'PUT') {
            h['content-length'] = '0';
        }
        let settled = false;
        let response = null; // set as soon as the status line and headers arrived
        const chunks = [];
        const finish = () => {
            if (settled) return;
            settled = true;
            response.body = Buffer.concat(chunks).toString('utf8');
            resolve(response);
        };
        const req = http.request(url, { method, headers: h, agent: false }, (res) => {
            response = {
                status: res.statusCode,
                headers: res.headers,
                body: '',
                setCookies: res.headers['set-cookie'] || [],
            };
            res.on('data', (c) => chunks.push(c));
            res.on('end', finish);
            res.on('aborted', finish);
            res.on('error', finish);
        });
        req.setTimeout(15_000, () => req.destroy(new Error(`timeout: ${method} ${urlPath}`)));
        req.on('error', (e) => {
            // EPIPE/ECONNRESET after the server answered early (e.g. 413) is fine: keep the
            // response; without one, fail.
            setTimeout(() => {
                if (settled) return;
                if (response) { finish(); return; }
                settled = true;
                reject(e);
            }, 50);
        });
        if (buf) req.write(buf);
        req.end();
    });
}

/** Parse a JSON response body, failing with the body in the message. */
export function json(res) {
    try {
        return JSON.parse(res.body);
    } catch (e) {
        throw new Error(`response (status ${res.status}) is not JSON: ${res.body.slice(0, 500)}`);
    }
}

/** POST /api/v1/assessments/score with {version, answers}. version: null to leave it out. */
export function score(origin, answers, { version = 'haven-assessment-1', headers = {} } = {}) {
    const payload = version === null ? { answers } : { version, answers };
    return request(origin, 'POST', '/api/v1/assessments/score', {
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(payload),
    });
}

/**
 * Encode an answers object as the web form would send it: field name = item id, booleans as
 * "true"/"false", numbers as decimal strings, arrays as the same name repeated (an empty
 * array sends nothing, like an unticked checkbox group).
 */
export function formEncode(fields) {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) {
        if (v === undefined || v === null) continue;
        if (Array.isArray(v)) {
            for (const x of v) p.append(k, String(x));
        } else {
            p.append(k, String(v));
        }
    }
    return p.toString();
}

/** POST a urlencoded form (fields object, or a ready string). */
export function postForm(origin, urlPath, fields, { headers = {} } = {}) {
    const body = typeof fields === 'string' ? fields : formEncode(fields);
    return request(origin, 'POST', urlPath, {
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body,
    });
}

/** Decode the HTML character references a server puts into attribute values and text. */
export function decodeEntities(s) {
    return s.replace(/&(#x[0-9a-f]+|#[0-9]+|quot|amp|lt|gt|apos|nbsp);/gi, (m, e) => {
        const l = e.toLowerCase();
        if (l === 'quot') return '"';
        if (l === 'amp') return '&';
        if (l === 'lt') return '<';
        if (l === 'gt') return '>';
        if (l === 'apos') return "'";
        if (l === 'nbsp') return '\u00a0';
        if (l.startsWith('#x')) return String.fromCodePoint(parseInt(l.slice(2), 16));
        return String.fromCodePoint(parseInt(l.slice(1), 10));
    });
}

/** Attributes of one start tag's source ("<input a=b c>") as a plain object (values decoded). */
export function parseAttrs(tag) {
    const attrs = {};
    const inner = tag.replace(/^<[a-zA-Z0-9-]+/, '').replace(/\/?>$/, '');
    const re = /([^\s"'=<>`/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
    let m;
    while ((m = re.exec(inner)) !== null) {
        const v = m[2] ?? m[3] ?? m[4];
        attrs[m[1].toLowerCase()] = v === undefined ? '' : decodeEntities(v);
    }
    return attrs;
}

/** Every start tag of the given element name: [{ attrs, index, source }]. */
export function findTags(html, name) {
    const out = [];
    const re = new RegExp(`<${name}(?=[\\s>/])[^>]*>`, 'gi');
    let m;
    while ((m = re.exec(html)) !== null) out.push({ attrs: parseAttrs(m[0]), index: m.index, source: m[0] });
    return out;
}

/** The <input> tags, as attribute objects (each also carries `_index`, its offset in html). */
export function inputs(html) {
    return findTags(html, 'input').map((t) => ({ ...t.attrs, _index: t.index }));
}

/**
 * The hidden inputs `csrf` and `answers` of the result page's call form, and the CSRF cookie
 * from the Set-Cookie headers. Returns { csrf, answers, cookieName, cookieValue, cookie,
 * setCookie } where `cookie` is ready for a Cookie request header.
 */
export function extractCall(res) {
    const ins = inputs(res.body);
    const csrfIn = ins.find((i) => i.name === 'csrf');
    const ansIn = ins.find((i) => i.name === 'answers');
    const raw = res.setCookies.find((c) => /^\s*[^=;]*haven_csrf/i.test(c));
    let cookieName = null;
    let cookieValue = null;
    if (raw) {
        const pair = raw.split(';')[0];
        const eq = pair.indexOf('=');
        cookieName = pair.slice(0, eq).trim();
        cookieValue = pair.slice(eq + 1).trim();
    }
    return {
        csrf: csrfIn ? csrfIn.value : null,
        answers: ansIn ? ansIn.value : null,
        cookieName,
        cookieValue,
        cookie: cookieName ? `${cookieName}=${cookieValue}` : null,
        setCookie: raw || null,
    };
}

/** Number of rows in a table of the server's SQLite database (Debian's sqlite3 CLI). */
export function countRows(db, table) {
    if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`bad table name ${table}`);
    let out;
    try {
        out = execFileSync('sqlite3', [db, `select count(*) from ${table}`], { encoding: 'utf8' });
    } catch (e) {
        if (e.code === 'ENOENT') throw new Error('sqlite3 CLI not found: apt-get install sqlite3');
        throw new Error(`sqlite3 failed on ${db}: ${e.stderr || e.message}`);
    }
    return Number(out.trim());
}

/** The security headers every response must carry (DESIGN.md §7). Returns a list of problems. */
export function securityHeaderProblems(res) {
    const h = res.headers;
    const p = [];
    const csp = h['content-security-policy'];
    if (!csp || !csp.includes("default-src 'self'")) p.push(`content-security-policy: ${csp}`);
    if ((h['x-content-type-options'] || '').toLowerCase() !== 'nosniff') p.push(`x-content-type-options: ${h['x-content-type-options']}`);
    if ((h['referrer-policy'] || '').toLowerCase() !== 'no-referrer') p.push(`referrer-policy: ${h['referrer-policy']}`);
    if ((h['x-frame-options'] || '').toUpperCase() !== 'DENY') p.push(`x-frame-options: ${h['x-frame-options']}`);
    if (!h['permissions-policy']) p.push('permissions-policy missing');
    return p;
}

export function hasNoStore(res) {
    return /(^|,|\s)no-store(,|\s|$)/i.test(res.headers['cache-control'] || '');
}

/** Fail with the exit status and the tail of stderr if the server has died. */
export function assertAlive(srv, when = '') {
    const ex = srv.exited();
    if (ex) {
        throw new Error(`haven died${when ? ` ${when}` : ''} (code ${ex.code}, signal ${ex.signal})\n` +
            `--- stderr (tail) ---\n${srv.stderr().slice(-3000)}`);
    }
}

/**
 * Resolves once the server's stderr matches re. A log line reaches the test through a pipe, which
 * the event loop may read after the HTTP answer of the request that wrote it: asserting on
 * srv.stderr() right after that answer races. Waits for the server's own output (an event), at
 * most 5 s, then fails with the tail.
 */
export function stderrMatching(srv, re, ms = 5000) {
    if (re.test(srv.stderr())) return Promise.resolve();
    return new Promise((resolve, reject) => {
        const onData = () => {
            if (!re.test(srv.stderr())) return;
            clearTimeout(timer);
            srv.proc.stderr.off('data', onData);
            resolve();
        };
        const timer = setTimeout(() => {
            srv.proc.stderr.off('data', onData);
            reject(new Error(`stderr never matched ${re}\n--- stderr (tail) ---\n${srv.stderr().slice(-3000)}`));
        }, ms);
        srv.proc.stderr.on('data', onData);
    });
}
