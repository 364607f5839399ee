// The public web flow over plain HTTP (no browser): pages, the no-JS assessment form, the
// result page, the "ask us to call you" referral, errors, static files and headers.
// Contract: spec/assessment.md §8 and DESIGN.md §7; expected levels from tests/helpers/profiles.mjs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
    startServer, request, postForm, formEncode, extractCall, countRows, securityHeaderProblems,
    hasNoStore, findTags, inputs, json,
} from '../helpers/server.mjs';
import { PROFILES, ITEMS } from '../helpers/profiles.mjs';
import { dataLevel, idIndex, byId, isChecked, itemBlock, itemHasError, fieldHasError, inputValue } from '../helpers/html.mjs';

let srv;
const seen = []; // [label, response] for the header sweep at the end

before(async () => { srv = await startServer(); });
after(async () => { if (srv) await srv.stop(); });

async function get(path, headers) {
    const res = await request(srv.origin, 'GET', path, { headers });
    seen.push([`GET ${path}`, res]);
    return res;
}
async function form(path, fields, headers) {
    const res = await postForm(srv.origin, path, fields, { headers });
    seen.push([`POST ${path}`, res]);
    return res;
}
const isHtml = (res) => /^text\/html/.test(res.headers['content-type'] || '');
const referrals = () => countRows(srv.db, 'referrals');

// ------------------------------------------------------------------ pages

test('GET / -> 200 html with the start link and security headers', async () => {
    const res = await get('/');
    assert.equal(res.status, 200);
    assert.ok(isHtml(res), res.headers['content-type']);
    assert.deepEqual(securityHeaderProblems(res), []);
    const start = byId(res.body, 'start-assessment');
    assert.ok(start, '#start-assessment on the home page');
    if (start.tag === 'a') assert.match(start.href, /\/assessment$/);
    assert.match(res.body, /<html[^>]*\slang=/i, 'the page declares its language');
});

test('GET /assessment -> the whole form, every item with every answer', async () => {
    const res = await get('/assessment');
    assert.equal(res.status, 200);
    assert.ok(isHtml(res));
    const html = res.body;
    const f = findTags(html, 'form').find((t) => t.attrs.id === 'assessment-form');
    assert.ok(f, 'form#assessment-form');
    assert.equal((f.attrs.method || '').toLowerCase(), 'post');
    assert.match(f.attrs.action || '', /\/assessment\/result$/);
    assert.ok(findTags(html, 'fieldset').some((t) => (t.attrs.class || '').split(/\s+/).includes('section') && t.attrs['data-section']),
        'fieldset.section[data-section]');
    assert.ok(byId(html, 'submit-assessment'), 'button#submit-assessment (the no-JS submit)');
    assert.ok(byId(html, 'quick-exit'), '#quick-exit on the assessment page');
    const ins = inputs(html);
    const problems = [];
    for (const it of ITEMS) {
        if (!itemBlock(html, it.id)) problems.push(`fieldset.item[data-item=${it.id}] missing`);
        const mine = ins.filter((i) => i.name === it.id);
        if (it.kind === 'bool') {
            for (const v of ['true', 'false']) {
                if (!mine.some((i) => i.type === 'radio' && i.value === v)) problems.push(`${it.id}: radio ${v}`);
            }
        } else if ((it.id === 'ready' || it.id === 'craving') && mine.some((i) => ['number', 'range'].includes(i.type))) {
            const i = mine.find((x) => ['number', 'range'].includes(x.type));
            if (i.min !== '0' || i.max !== '10') problems.push(`${it.id}: min 0 max 10`);
        } else {
            const type = it.kind === 'codes' ? 'checkbox' : 'radio';
            for (const v of it.values) {
                if (!mine.some((i) => i.type === type && i.value === String(v))) problems.push(`${it.id}: ${type} ${v}`);
            }
            const extra = mine.filter((i) => !it.values.map(String).includes(i.value));
            if (extra.length) problems.push(`${it.id}: unexpected values ${extra.map((i) => i.value).join(',')}`);
        }
    }
    assert.deepEqual(problems, []);
    // Every radio and checkbox has a label (for=id) or sits inside one: checked by axe in e2e;
    // here only that ids are unique.
    const ids = findTags(html, '[a-zA-Z][a-zA-Z0-9]*').map((t) => t.attrs.id).filter(Boolean);
    assert.equal(new Set(ids).size, ids.length, 'element ids are unique');
});

// ------------------------------------------------------------------ result page (no JS)

const WEB_PROFILES = ['nothing', 'mild', 'iop', 'php', 'acute', 'withdrawal', 'residential', 'adolescent',
    'overdose', 'injection', 'medical', 'nonAcute'];
for (const name of WEB_PROFILES) {
    const p = PROFILES[name];
    test(`POST /assessment/result ${name} -> 200, data-level ${p.expect.level}`, async () => {
        const res = await form('/assessment/result', p.answers);
        assert.equal(res.status, 200, res.body.slice(0, 500));
        assert.ok(isHtml(res));
        assert.ok(hasNoStore(res), `result page is no-store: ${res.headers['cache-control']}`);
        assert.deepEqual(securityHeaderProblems(res), []);
        assert.equal(dataLevel(res.body), p.expect.level);
        const acute = idIndex(res.body, 'crisis-acute');
        if (p.expect.flags.includes('suicide-acute')) {
            assert.ok(acute >= 0, '#crisis-acute shown');
            assert.ok(acute < idIndex(res.body, 'recommendation'), '#crisis-acute comes before the recommendation');
        } else {
            assert.equal(acute, -1, '#crisis-acute only for ASQ acute');
        }
        if (p.expect.flags.includes('suicide-risk')) assert.ok(idIndex(res.body, 'crisis-risk') >= 0, '#crisis-risk shown');
        assert.ok(byId(res.body, 'quick-exit'), '#quick-exit on the result page');
        // spec: every result page says it is a screening aid and a clinician confirms at intake
        assert.match(res.body, /screening aid, not a diagnosis/);
        assert.match(res.body, /clinician confirms the right level of care/);
        const call = findTags(res.body, 'form').find((t) => t.attrs.id === 'call-form');
        assert.ok(call, 'form#call-form');
        assert.match(call.attrs.action || '', /\/assessment\/call$/);
        assert.ok(byId(res.body, 'submit-call'), 'button#submit-call');
        // Nothing is stored when the result is shown.
        assert.equal(referrals(), 0);
    });
}

test('result page: a fresh CSRF cookie and the same token in the form, answers as JSON', async () => {
    const res = await form('/assessment/result', PROFILES.php.answers);
    assert.equal(res.status, 200);
    const c = extractCall(res);
    assert.ok(c.setCookie, `a haven_csrf* cookie is set: ${res.setCookies.join(' | ')}`);
    assert.match(c.setCookie, /;\s*samesite=(lax|strict)/i, 'CSRF cookie has SameSite');
    assert.match(c.setCookie, /;\s*path=\//i, 'CSRF cookie has a Path');
    assert.ok(c.csrf && c.csrf.length >= 16, 'hidden csrf input with a real token');
    assert.equal(c.cookieValue, c.csrf, 'cookie and field carry the same token');
    const answers = JSON.parse(c.answers);
    assert.equal(typeof answers, 'object');
    assert.equal(Number(answers['audit-1']), 4);
    const other = extractCall(await form('/assessment/result', PROFILES.php.answers));
    assert.notEqual(other.csrf, c.csrf, 'a new token per result page');
});

test('partly answered instrument -> 422, form re-shown with the answers kept and the item marked', async () => {
    const answers = { ...PROFILES.iop.answers };
    delete answers['audit-9'];
    const res = await form('/assessment/result', answers);
    assert.equal(res.status, 422);
    assert.ok(isHtml(res));
    const html = res.body;
    assert.ok(findTags(html, 'form').some((t) => t.attrs.id === 'assessment-form'), 'the form is shown again');
    assert.equal(dataLevel(html), null, 'no result on the error page');
    assert.ok(itemHasError(html, 'audit-9'), 'an error at audit-9');
    assert.ok(!itemHasError(html, 'audit-1'), 'no error at audit-1');
    // The person's answers are still checked.
    assert.equal(isChecked(html, 'audit-1', 3), true);
    assert.equal(isChecked(html, 'audit-1', 0), false);
    assert.equal(isChecked(html, 'audit-10', 2), true);
    assert.equal(isChecked(html, 'phq9-1', 1), true);
    assert.equal(isChecked(html, 'assist-1-cannabis', 'false'), true);
    assert.equal(isChecked(html, 'tx-op-not-enough', 'true'), true);
    assert.equal(isChecked(html, 'pref-schedule', 'evening'), true);
    assert.equal(isChecked(html, 'env-obligations', 'work'), true);
    assert.equal(isChecked(html, 'env-obligations', 'school'), false);
    const ready = inputs(html).find((i) => i.name === 'ready' && ['number', 'range'].includes(i.type));
    if (ready) assert.equal(ready.value, '10'); else assert.equal(isChecked(html, 'ready', 10), true);
    assert.equal(referrals(), 0);
});

test('a value outside its set in the web form -> 422 naming the item', async () => {
    const res = await form('/assessment/result', { ...PROFILES.iop.answers, 'audit-9': 1 });
    assert.equal(res.status, 422);
    assert.ok(itemHasError(res.body, 'audit-9'));
    assert.equal(isChecked(res.body, 'audit-1', 3), true);
});

test('odd web form bodies (unknown field, a radio twice, garbage) -> never 5xx', async () => {
    // The spec does not fix the answer for these in the web form; only that it is not a crash.
    for (const body of [formEncode(PROFILES.iop.answers) + '&nope=1', formEncode(PROFILES.iop.answers) + '&audit-1=2',
        '%%%&&&==', 'audit-1', '=&=&=', `${'a'.repeat(3000)}=1`]) {
        const res = await form('/assessment/result', body);
        assert.ok(res.status < 500, `${body.slice(0, 40)} -> ${res.status}`);
    }
});

// ------------------------------------------------------------------ referral ("ask us to call you")

async function resultPage(p = PROFILES.php) {
    const res = await form('/assessment/result', p.answers);
    assert.equal(res.status, 200);
    return extractCall(res);
}
function callFields(c, over = {}) {
    return {
        csrf: c.csrf, answers: c.answers, name: 'Sam Rivera', phone: '555-010-0199',
        email: 'sam@example.org', 'best-time': 'evening', voicemail: 'no', consent: 'yes', ...over,
    };
}
async function call(c, fields, { cookie = c.cookie } = {}) {
    return form('/assessment/call', fields, cookie ? { cookie } : {});
}

test('call: bad or missing CSRF -> 403, nothing stored', async () => {
    const c = await resultPage();
    const other = await resultPage();
    const cases = [
        ['wrong field', callFields(c, { csrf: 'x'.repeat(c.csrf.length) }), c.cookie],
        ['no field', (() => { const f = callFields(c); delete f.csrf; return f; })(), c.cookie],
        ['no cookie', callFields(c), null],
        ['field of another page', callFields(c, { csrf: other.csrf }), c.cookie],
        ['cookie of another page', callFields(c), other.cookie],
    ];
    for (const [label, fields, cookie] of cases) {
        const res = await call(c, fields, { cookie });
        assert.equal(res.status, 403, label);
        assert.deepEqual(securityHeaderProblems(res), [], label);
    }
    assert.equal(referrals(), 0);
});

const BAD_CALL_FIELDS = [
    ['phone', { phone: 'call me maybe' }],
    ['phone', { phone: '' }],
    ['phone', { phone: '12' }],
    ['name', { name: '' }],
    ['name', { name: 'x'.repeat(5000) }],
    ['email', { email: 'not-an-email' }],
    ['best-time', { 'best-time': 'midnight' }],
    ['voicemail', { voicemail: 'maybe' }],
    ['consent', { consent: undefined }],
    ['consent', { consent: 'no' }],
];
for (const [field, over] of BAD_CALL_FIELDS) {
    test(`call: bad ${field} ${JSON.stringify(over[field] ?? '(absent)').slice(0, 30)} -> 422 next to the field, input kept, nothing stored`, async () => {
        const c = await resultPage();
        const res = await call(c, callFields(c, over));
        assert.equal(res.status, 422, res.body.slice(0, 300));
        assert.ok(isHtml(res));
        assert.ok(hasNoStore(res), 'the re-shown result page is no-store');
        assert.equal(dataLevel(res.body), 'php', 'the result page is shown again');
        assert.ok(fieldHasError(res.body, field), `error shown at ${field}`);
        if (field !== 'name') assert.equal(inputValue(res.body, 'name'), 'Sam Rivera', 'name kept');
        if (field !== 'phone') assert.equal(inputValue(res.body, 'phone'), '555-010-0199', 'phone kept');
        if (field === 'phone' && over.phone) assert.equal(inputValue(res.body, 'phone'), over.phone, 'bad phone kept for correction');
        const again = extractCall(res);
        assert.ok(again.csrf, 'the re-shown form carries a CSRF token');
        assert.equal(referrals(), 0);
    });
}

test('call: tampered answers -> 4xx, nothing stored', async () => {
    const c = await resultPage();
    for (const answers of ['not json', '[]', JSON.stringify({ 'audit-1': 9 }), '']) {
        const res = await call(c, callFields(c, { answers }));
        assert.ok(res.status >= 400 && res.status < 500, `answers ${answers} -> ${res.status}`);
    }
    assert.equal(referrals(), 0);
});

test('call: valid -> 303 to /assessment/thanks, exactly one referral stored', async () => {
    const c = await resultPage();
    const res = await call(c, callFields(c));
    assert.equal(res.status, 303, res.body.slice(0, 300));
    assert.match(res.headers.location || '', /^(https?:\/\/127\.0\.0\.1:\d+)?\/assessment\/thanks$/);
    assert.equal(referrals(), 1);
    const thanks = await get('/assessment/thanks');
    assert.equal(thanks.status, 200);
    assert.ok(isHtml(thanks));
    assert.ok(byId(thanks.body, 'quick-exit'), '#quick-exit on the thanks page');
});

test('call: e-mail is optional', async () => {
    const c = await resultPage(PROFILES.iop);
    const res = await call(c, callFields(c, { email: '' }));
    assert.equal(res.status, 303, res.body.slice(0, 300));
    assert.equal(referrals(), 2);
});

// ------------------------------------------------------------------ errors, health, static

test('unknown path -> 404 html; under /api/ -> 404 JSON', async () => {
    const a = await get('/no-such-page');
    assert.equal(a.status, 404);
    assert.ok(isHtml(a));
    const b = await get('/api/v1/no-such-thing');
    assert.equal(b.status, 404);
    assert.match(b.headers['content-type'] || '', /^application\/json/);
    assert.equal(typeof json(b).error, 'string');
});

test('wrong method -> 405', async () => {
    for (const [m, p] of [['DELETE', '/assessment'], ['PUT', '/'], ['POST', '/healthz'], ['GET', '/assessment/call'],
        ['POST', '/api/v1/assessments/questionnaire'], ['POST', '/static/haven.css']]) {
        const res = await request(srv.origin, m, p, m === 'GET' ? {} : { body: '' });
        seen.push([`${m} ${p}`, res]);
        assert.equal(res.status, 405, `${m} ${p}`);
    }
});

test('body over 64 KiB -> 413', async () => {
    const big = formEncode({ ...PROFILES.iop.answers, name: 'x'.repeat(70_000) });
    const res = await form('/assessment/result', big);
    assert.equal(res.status, 413);
});

test('GET /healthz -> 200 ok', async () => {
    const res = await get('/healthz');
    assert.equal(res.status, 200);
    assert.equal(res.body.trim(), 'ok');
});

test('static file with ETag; If-None-Match -> 304 with no body', async () => {
    const res = await get('/static/haven.css');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'] || '', /^text\/css/);
    assert.ok(res.body.length > 0);
    const etag = res.headers.etag;
    assert.ok(etag, 'ETag header');
    const again = await get('/static/haven.css', { 'if-none-match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.body, '');
    const changed = await get('/static/haven.css', { 'if-none-match': '"something-else"' });
    assert.equal(changed.status, 200);
});

test('static: missing file 404, no path traversal', async () => {
    assert.equal((await get('/static/nope.css')).status, 404);
    for (const p of ['/static/../Makefile', '/static/%2e%2e/Makefile', '/static/..%2fMakefile',
        '/static/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/static//etc/passwd']) {
        const res = await get(p);
        assert.ok(res.status >= 400 && res.status < 500, `${p} -> ${res.status}`);
        assert.ok(!res.body.includes('root:x:0:0'), p);
    }
});

test('every response carried the security headers; never a 5xx', () => {
    assert.ok(seen.length > 20);
    const problems = [];
    for (const [label, res] of seen) {
        if (res.status >= 500) problems.push(`${label}: ${res.status}`);
        const p = securityHeaderProblems(res);
        if (p.length) problems.push(`${label} (${res.status}): ${p.join('; ')}`);
    }
    assert.deepEqual(problems, []);
});

// Bytes that are not UTF-8 must be refused where they arrive, never stored to vanish later.
test('call: a name that is not UTF-8 -> 422 at the name, nothing stored', async () => {
    const c = await resultPage();
    const before = referrals();
    const body = formEncode(callFields(c, { name: 'PLACEHOLDER' })).replace('PLACEHOLDER', 'Evil%FF%FEName');
    const res = await form('/assessment/call', body, { cookie: c.cookie });
    assert.equal(res.status, 422, res.body.slice(0, 300));
    assert.ok(fieldHasError(res.body, 'name'), 'error shown at the name');
    assert.equal(referrals(), before, 'nothing stored');
});

test('assessment form: an answer that is not UTF-8 -> 422 naming the question', async () => {
    const res = await form('/assessment/result', 'audit-1=%FF&audit-9=0&audit-10=0');
    assert.equal(res.status, 422, res.body.slice(0, 300));
    assert.ok(itemHasError(res.body, 'audit-1'), 'audit-1 marked');
});

test('a form value holding a NUL byte -> 400, nothing stored', async () => {
    const c = await resultPage();
    const before = referrals();
    const body = formEncode(callFields(c, { name: 'PLACEHOLDER' })).replace('PLACEHOLDER', 'Ed%00ge');
    const res = await form('/assessment/call', body, { cookie: c.cookie });
    assert.equal(res.status, 400, res.body.slice(0, 200));
    assert.equal(referrals(), before);
});

test('call: an e-mail with a right-to-left override (spoofing what staff read) -> 422 at the e-mail', async () => {
    const c = await resultPage();
    const before = referrals();
    const body = formEncode(callFields(c, { email: 'PLACEHOLDER' })).replace('PLACEHOLDER', 'a%E2%80%AEgro.elpmaxe%40x.org');
    const res = await form('/assessment/call', body, { cookie: c.cookie });
    assert.equal(res.status, 422, res.body.slice(0, 200));
    assert.ok(fieldHasError(res.body, 'email'), 'error shown at the e-mail');
    assert.equal(referrals(), before);
});

test('GET /assessment is sent gzip-compressed to clients that take it, the same page unpacked', async () => {
    const http = await import('node:http');
    const zlib = await import('node:zlib');
    const get = (headers) => new Promise((resolve, reject) => {
        http.get(new URL('/assessment', srv.origin), { headers, agent: false }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => resolve({ res, body: Buffer.concat(chunks) }));
        }).on('error', reject);
    });
    const plain = await get({});
    const gz = await get({ 'accept-encoding': 'gzip, deflate' });
    const refused = await get({ 'accept-encoding': 'gzip;q=0, identity' });
    assert.equal(plain.res.headers['content-encoding'], undefined);
    assert.equal(gz.res.headers['content-encoding'], 'gzip');
    assert.match(gz.res.headers.vary || '', /accept-encoding/i);
    assert.ok(gz.body.length * 4 < plain.body.length, `compressed ${gz.body.length} of ${plain.body.length} bytes`);
    assert.ok(zlib.gunzipSync(gz.body).equals(plain.body), 'the same page once unpacked');
    assert.equal(refused.res.headers['content-encoding'], undefined, 'gzip;q=0 is a refusal');
});
