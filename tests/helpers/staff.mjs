// Staff sign-in helpers for tests/integ and tests/e2e. Starts nothing: takes the server object
// from tests/helpers/server.mjs (started with { demo: true }), reads the demo accounts from its
// stderr, signs in over plain HTTP and keeps cookies in a small jar. Also a TOTP generator
// (RFC 6238, SHA-1, 30 s, 6 digits) in plain node:crypto.

import crypto from 'node:crypto';
import { request, postForm, inputs } from './server.mjs';

/** The demo accounts printed as "demo account: EMAIL password: PASSWORD": { role: {email, password} }. */
export function demoAccounts(srv) {
    const out = {};
    for (const m of srv.stderr().matchAll(/^demo account: (\S+) password: (\S+)$/gm)) {
        out[m[1].split('@')[0]] = { email: m[1], password: m[2] };
    }
    return out;
}

/** A cookie jar: name -> value, fed from Set-Cookie headers (Max-Age=0 deletes). */
export class Jar {
    constructor(init = {}) { this.cookies = { ...init }; }
    update(res) {
        for (const raw of res.setCookies || []) {
            const [pair, ...attrs] = raw.split(';');
            const eq = pair.indexOf('=');
            const name = pair.slice(0, eq).trim();
            const value = pair.slice(eq + 1).trim();
            if (attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '') delete this.cookies[name];
            else this.cookies[name] = value;
        }
        return res;
    }
    header() {
        return Object.entries(this.cookies).map(([k, v]) => `${k}=${v}`).join('; ');
    }
    get session() { return this.cookies.haven_session; }
    clone() { return new Jar(this.cookies); }
}

/** The value of the first hidden csrf input in html, or null. */
export function csrfOf(html) {
    const i = inputs(html).find((x) => x.name === 'csrf');
    return i ? i.value : null;
}

export async function get(srv, jar, path) {
    const h = jar && jar.header() ? { cookie: jar.header() } : {};
    const res = await request(srv.origin, 'GET', path, { headers: h });
    return jar ? jar.update(res) : res;
}

export async function post(srv, jar, path, fields) {
    const h = jar && jar.header() ? { cookie: jar.header() } : {};
    const res = await postForm(srv.origin, path, fields, { headers: h });
    return jar ? jar.update(res) : res;
}

/**
 * Sign in with e-mail and password (first GET /staff/sign-in for the form's CSRF token).
 * Returns { res, jar } with res the POST's answer; a 303 to /staff/ (or /staff/sign-in/code
 * when a second factor is due) means the password was accepted.
 */
export async function signInPassword(srv, email, password, jar = new Jar()) {
    const form = await get(srv, jar, '/staff/sign-in');
    const csrf = csrfOf(form.body);
    const res = await post(srv, jar, '/staff/sign-in', { csrf, email, password });
    return { res, jar };
}

/** Sign in a demo role fully (no second factor); returns { jar, csrf } or throws. */
export async function signIn(srv, role) {
    const acct = demoAccounts(srv)[role];
    if (!acct) throw new Error(`no demo account for ${role} in the server's stderr`);
    const { res, jar } = await signInPassword(srv, acct.email, acct.password);
    if (res.status !== 303 || res.headers.location !== '/staff/') {
        throw new Error(`sign-in as ${role} failed: ${res.status} ${res.headers.location || ''}`);
    }
    const home = await get(srv, jar, '/staff/');
    return { jar, csrf: csrfOf(home.body) };
}

/** The current CSRF token of a signed-in jar (from the home page's forms). */
export async function csrfFor(srv, jar) {
    return csrfOf((await get(srv, jar, '/staff/')).body);
}

function base32Decode(s) {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    const clean = s.replace(/[\s=]/g, '').toUpperCase();
    let bits = 0;
    let value = 0;
    const out = [];
    for (const c of clean) {
        const v = alphabet.indexOf(c);
        if (v < 0) throw new Error(`bad base32 character ${c}`);
        value = (value << 5) | v;
        bits += 5;
        if (bits >= 8) {
            out.push((value >>> (bits - 8)) & 0xff);
            bits -= 8;
        }
    }
    return Buffer.from(out);
}

/** The RFC 6238 code (SHA-1, 30 s, 6 digits) of a base32 secret at unix time t (seconds). */
export function totp(base32, t = Date.now() / 1000) {
    const counter = Buffer.alloc(8);
    counter.writeBigUInt64BE(BigInt(Math.floor(t / 30)));
    const h = crypto.createHmac('sha1', base32Decode(base32)).update(counter).digest();
    const off = h[h.length - 1] & 0x0f;
    const n = ((h[off] & 0x7f) << 24) | (h[off + 1] << 16) | (h[off + 2] << 8) | h[off + 3];
    return String(n % 1_000_000).padStart(6, '0');
}

/**
 * A JSON API call as a signed-in member (s: { jar, csrf }): the body sent as JSON, the
 * session's token in X-CSRF-Token (csrf: false leaves it out, a string sends that instead).
 * Returns the response with `data` (the parsed body, or undefined).
 */
export async function api(srv, s, method, path, body, { csrf = true } = {}) {
    const headers = {};
    if (s && s.jar && s.jar.header()) headers.cookie = s.jar.header();
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (csrf && s) headers['x-csrf-token'] = typeof csrf === 'string' ? csrf : s.csrf;
    const res = await request(srv.origin, method, path, {
        headers, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    if (s && s.jar) s.jar.update(res);
    try { res.data = JSON.parse(res.body); } catch { res.data = undefined; }
    return res;
}
