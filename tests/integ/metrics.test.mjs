// GET /metrics (issue 8, operations): off by default; on with a bearer token on the main port
// (HAVEN_METRICS_TOKEN) and/or on a listener of its own (--metrics-listen ADDR:PORT). Without
// the token the path does not exist (the same 404 as any unknown path, never a 401 that would
// confirm it). The text is Prometheus's exposition format 0.0.4 (checked with the small parser
// below), its counts follow the requests, and it carries no personal data: route patterns only,
// never a path with an id, a name, an e-mail or an address.

import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { startServer, request, freePort, HAVEN_BIN } from '../helpers/server.mjs';
import { makeReferral } from '../helpers/records.mjs';
import { PROFILES } from '../helpers/profiles.mjs';
import { signIn, get } from '../helpers/staff.mjs';

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/**
 * The text format 0.0.4, strictly: HELP and TYPE before a family's samples, once each; a sample
 * is `name{label="value",...} number`; a histogram's buckets climb with `le` and end at +Inf,
 * which equals its _count. Returns { family: { type, help, samples: [{ name, labels, value }] } }.
 */
function parseMetrics(text) {
    assert.ok(text.endsWith('\n'), 'the text ends with a newline');
    const families = {};
    const familyOf = (name) => {
        for (const suffix of ['_bucket', '_sum', '_count']) {
            const base = name.slice(0, -suffix.length);
            if (name.endsWith(suffix) && families[base]?.type === 'histogram') return base;
        }
        return name;
    };
    for (const line of text.slice(0, -1).split('\n')) {
        const meta = line.match(/^# (HELP|TYPE) (\S+) (.+)$/);
        if (meta) {
            const [, kind, name, rest] = meta;
            assert.match(name, NAME, line);
            const f = (families[name] ??= { samples: [] });
            assert.equal(f.samples.length, 0, `${kind} of ${name} after its samples`);
            if (kind === 'TYPE') {
                assert.equal(f.type, undefined, `two TYPE lines for ${name}`);
                assert.ok(['counter', 'gauge', 'histogram'].includes(rest), line);
                f.type = rest;
            } else {
                f.help = rest;
            }
            continue;
        }
        assert.ok(!line.startsWith('#'), `an unknown comment: ${line}`);
        const m = line.match(/^([^{ ]+)(?:\{(.*)\})? (\S+)$/);
        assert.ok(m, `not a sample: ${line}`);
        const [, name, labelText = '', valueText] = m;
        assert.match(name, NAME, line);
        const labels = {};
        const rest = labelText.replace(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/g,
            (_, k, v) => { labels[k] = v.replace(/\\(.)/g, (__, c) => (c === 'n' ? '\n' : c)); return ''; });
        assert.equal(rest, '', `labels of ${line}`);
        const value = valueText === '+Inf' ? Infinity : Number(valueText);
        assert.ok(!Number.isNaN(value), `value of ${line}`);
        const family = families[familyOf(name)];
        assert.ok(family?.type, `a sample before its TYPE: ${line}`);
        family.samples.push({ name, labels, value });
    }
    for (const [name, f] of Object.entries(families)) {
        assert.ok(f.type && f.help, `${name} has TYPE and HELP`);
        if (f.type === 'counter') for (const s of f.samples) assert.ok(s.value >= 0, name);
        if (f.type === 'histogram') checkHistogram(name, f.samples);
    }
    return families;
}

function checkHistogram(name, samples) {
    const series = {};
    for (const s of samples) {
        const { le, ...rest } = s.labels;
        const key = JSON.stringify(rest);
        (series[key] ??= { buckets: [] });
        if (s.name === `${name}_bucket`) series[key].buckets.push([le === '+Inf' ? Infinity : Number(le), s.value]);
        else series[key][s.name.slice(name.length + 1)] = s.value;
    }
    for (const [key, s] of Object.entries(series)) {
        for (let i = 1; i < s.buckets.length; i++) {
            assert.ok(s.buckets[i][0] > s.buckets[i - 1][0], `${name}${key}: le climbs`);
            assert.ok(s.buckets[i][1] >= s.buckets[i - 1][1], `${name}${key}: counts climb`);
        }
        assert.equal(s.buckets.at(-1)[0], Infinity, `${name}${key} ends at +Inf`);
        assert.equal(s.buckets.at(-1)[1], s.count, `${name}${key}: +Inf is the count`);
        assert.ok(s.sum >= 0, `${name}${key} has a sum`);
    }
}

/** The value of the sample `name` whose labels include `labels` (0 when there is none). */
function valueOf(families, family, name, labels = {}) {
    const s = families[family]?.samples.find((x) => x.name === name &&
        Object.entries(labels).every(([k, v]) => x.labels[k] === v));
    return s ? s.value : 0;
}

describe('off by default', () => {
    let srv;
    before(async () => { srv = await startServer(); });
    after(async () => { if (srv) await srv.stop(); });

    test('GET /metrics is the 404 of any unknown path', async () => {
        const unknown = await request(srv.origin, 'GET', '/no-such-page');
        for (const headers of [{}, { authorization: 'Bearer anything-at-all-long-enough' }]) {
            const res = await request(srv.origin, 'GET', '/metrics', { headers });
            assert.equal(res.status, 404);
            assert.equal(res.body, unknown.body);
        }
    });
});

describe('with a token and a listener of its own', () => {
    const token = crypto.randomBytes(24).toString('hex');
    let srv;
    let listener;
    const scrape = (headers = { authorization: `Bearer ${token}` }) =>
        request(srv.origin, 'GET', '/metrics', { headers });

    before(async () => {
        const port = await freePort();
        listener = `http://127.0.0.1:${port}`;
        process.env.HAVEN_METRICS_TOKEN = token; // the server inherits it; never on its command line
        try {
            srv = await startServer({ demo: true, extraArgs: ['--metrics-listen', `127.0.0.1:${port}`] });
        } finally {
            delete process.env.HAVEN_METRICS_TOKEN;
        }
    });
    after(async () => { if (srv) await srv.stop(); });

    test('without the token the path does not exist: 404, never 401, for any method', async () => {
        const unknown = await request(srv.origin, 'GET', '/no-such-page');
        for (const headers of [{}, { authorization: `Bearer ${token.slice(0, -1)}` },
            { authorization: `Bearer ${token}x` }, { authorization: `Basic ${token}` },
            { authorization: token }]) {
            const res = await scrape(headers);
            assert.equal(res.status, 404, JSON.stringify(headers));
            assert.equal(res.body, unknown.body);
        }
        const post = await request(srv.origin, 'POST', '/metrics',
            { headers: { authorization: `Bearer ${token}` }, body: '' });
        assert.equal(post.status, 404, 'not a 405 that names the path');
    });

    test('with the token: 200, the text format, counts that follow the requests', async () => {
        const before = parseMetrics((await scrape()).body);
        for (let i = 0; i < 3; i++) assert.equal((await request(srv.origin, 'GET', '/')).status, 200);
        assert.equal((await request(srv.origin, 'GET', '/no-such-page')).status, 404);
        const res = await scrape();
        assert.equal(res.status, 200);
        assert.equal(res.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
        const after = parseMetrics(res.body);
        const home = { method: 'GET', route: '/', code: '200' };
        const unmatched = { method: '-', route: '-', code: '404' };
        const total = (f, l) => valueOf(f, 'haven_http_requests_total', 'haven_http_requests_total', l);
        assert.equal(total(after, home) - total(before, home), 3);
        assert.equal(total(after, unmatched) - total(before, unmatched), 1);
        const count = (f) => valueOf(f, 'haven_http_request_duration_seconds',
            'haven_http_request_duration_seconds_count', { method: 'GET', route: '/' });
        assert.equal(count(after) - count(before), 3);
        for (const name of ['haven_db_commit_duration_seconds', 'haven_connections_refused_total',
            'haven_connections_cut_total', 'process_resident_memory_bytes',
            'process_start_time_seconds', 'haven_uptime_seconds', 'haven_admissions_open_referrals',
            'haven_admissions_crisis_waiting']) {
            assert.ok(after[name], `${name} is there`);
        }
        assert.ok(valueOf(after, 'process_resident_memory_bytes', 'process_resident_memory_bytes') > 1e6);
        assert.equal(res.headers['cache-control'], 'no-store');
    });

    test('the queue gauges and commit times move with the records; no personal data', async () => {
        const before = parseMetrics((await scrape()).body);
        const commits = (f) => valueOf(f, 'haven_db_commit_duration_seconds',
            'haven_db_commit_duration_seconds_count');
        const id = await makeReferral(srv, 'Casey Quixote', PROFILES.acute);
        const admissions = await signIn(srv, 'admissions');
        assert.equal((await get(srv, admissions.jar, `/staff/referrals/${id}`)).status, 200);
        const text = (await scrape()).body;
        const after = parseMetrics(text);
        assert.equal(valueOf(after, 'haven_admissions_open_referrals', 'haven_admissions_open_referrals'), 1);
        assert.equal(valueOf(after, 'haven_admissions_crisis_waiting', 'haven_admissions_crisis_waiting'), 1);
        assert.ok(commits(after) > commits(before), 'the call request and the sign-in were committed');
        assert.ok(valueOf(after, 'haven_http_requests_total', 'haven_http_requests_total',
            { method: 'GET', route: '/staff/referrals/:id', code: '200' }) >= 1);

        for (const secret of [id, 'Casey', 'Quixote', '@', '127.0.0.1', '010-0199', admissions.jar.session]) {
            assert.ok(!text.includes(secret), `the metrics hold ${secret}`);
        }
        const patterns = new Set(JSON.parse(execFileSync(HAVEN_BIN, ['routes', '--json'],
            { encoding: 'utf8' })).map((r) => r.pattern));
        patterns.add('-').add('/metrics');
        for (const f of Object.values(after)) {
            for (const s of f.samples) {
                if ('route' in s.labels) assert.ok(patterns.has(s.labels.route), s.labels.route);
            }
        }
    });

    test('the listener answers /metrics without the token, and nothing else', async () => {
        const res = await request(listener, 'GET', '/metrics');
        assert.equal(res.status, 200);
        parseMetrics(res.body);
        assert.equal((await request(listener, 'GET', '/')).status, 404);
        assert.equal((await request(listener, 'GET', '/healthz')).status, 404);
    });
});
