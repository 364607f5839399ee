// The Users screen and `haven user` after the security review. M4: an account's e-mail must be
// printable ASCII shaped like an address and its name well-formed UTF-8 without control or
// bidirectional/format characters (at most 100 bytes): the form answers 422 with the input kept
// and the message next to the field, the CLI refuses with a message, nothing is written. M5:
// listing the accounts writes one `list` entry per account shown (no entries, no list), and
// every change made on the screen or from the CLI lands in one transaction with its audit entry,
// or neither does. An administrator resetting another person's password is told plainly to hand
// the link to that person alone, and the entry names both. The database is read and altered
// directly with the sqlite3 CLI (triggers stand in for an audit trail that cannot be written).

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { startServer, countRows, request, freePort, HAVEN_BIN, REPO_ROOT } from '../helpers/server.mjs';
import { signIn, get, post } from '../helpers/staff.mjs';

let srv;
let admin;

before(async () => {
    srv = await startServer({ demo: true });
    admin = await signIn(srv, 'admin');
});
after(async () => { if (srv) await srv.stop(); });

const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();
const users = () => countRows(srv.db, 'users');
const p = (path, fields) => post(srv, admin.jar, path, { csrf: admin.csrf, ...fields });
/** POST a ready urlencoded body (raw %XX bytes kept). */
const pRaw = (path, body) => post(srv, admin.jar, path, `csrf=${admin.csrf}&${body}`);
const fieldError = (html, field) => new RegExp(`id="new-${field}-error"`).test(html);
const idOf = (email) => sql(`select public_id from users where email = '${email}'`);
const auditRows = (action) => sql(`select user_email || '|' || coalesce(record_id, '-') || '|' || outcome
    from audit_log where action = '${action}' and record_type = 'user' order by id`).split('\n').filter(Boolean);
const lastAuditId = () => Number(sql('select coalesce(max(id), 0) from audit_log'));

/** Runs `haven user ARGS` through bash, so that an argument can hold raw bytes (printf). */
function cliRaw(args) {
    return spawnSync('bash', ['-c', `"$0" user ${args} --db "$1"`, HAVEN_BIN, srv.db], {
        cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, HAVEN_PUBLIC_URL: srv.origin },
    });
}

async function addUser(email, name, role = 'clinician') {
    const res = await p('/staff/users', { email, name, role });
    assert.equal(res.status, 201, res.body.slice(0, 400));
    return idOf(email);
}

/** Runs fn with every audit insert of action refused (a trail that cannot be written). */
async function withoutAudit(action, fn) {
    sql(`CREATE TRIGGER test_no_audit BEFORE INSERT ON audit_log WHEN NEW.action = '${action}'
         BEGIN SELECT RAISE(ABORT, 'test'); END`);
    try {
        return await fn();
    } finally {
        sql('DROP TRIGGER test_no_audit');
    }
}

// ------------------------------------------------------------------ M4

test('M4: an e-mail that is not printable ASCII is refused (422, kept, next to the field)', async () => {
    const before_ = users();
    for (const email of ['bad%FF%FEbyte%40example.org', 'jos%C3%A9%40example.org', 'tab%09x%40example.org',
        'a%40b%40example.org', 'x%40example', 'x%40exa_mple.org', 'x%40-example.org', 'x%40example..org',
        `${'a'.repeat(250)}%40example.org`]) {
        const res = await pRaw('/staff/users', `email=${email}&name=Kept+Person&role=clinician`);
        assert.equal(res.status, 422, `${email}: ${res.body.slice(0, 300)}`);
        assert.ok(fieldError(res.body, 'email'), `${email}: the message is next to the e-mail field`);
        assert.ok(!fieldError(res.body, 'name'), email);
        assert.match(res.body, /value="Kept Person"/, `${email}: the name is kept`);
    }
    assert.equal(users(), before_, 'nothing written');
    // Invalid bytes come back as U+FFFD, never as a 500.
    const res = await pRaw('/staff/users', 'email=bad%FF%40example.org&name=X&role=clinician');
    assert.equal(res.status, 422);
    assert.match(res.body, /value="bad\uFFFD@example.org"/);
});

test('M4: a name with control, bidi or format characters, bad UTF-8 or over 100 bytes is refused', async () => {
    const before_ = users();
    for (const name of ['B%0a%1bob', 'Tab%09Name', 'Del%7Fname', 'C1%C2%85name', 'Evil%E2%80%AEeman',
        'Iso%E2%81%A6late', 'Bom%EF%BB%BFname', 'Bad%FFbyte', '+++', 'a'.repeat(101),
        '%C3%A9'.repeat(51)]) {
        const res = await pRaw('/staff/users', `email=ok.person%40example.org&name=${name}&role=clinician`);
        assert.equal(res.status, 422, `${name}: ${res.body.slice(0, 300)}`);
        assert.ok(fieldError(res.body, 'name'), `${name}: the message is next to the name field`);
        assert.match(res.body, /value="ok.person@example.org"/, `${name}: the e-mail is kept`);
    }
    assert.equal(users(), before_, 'nothing written');
    assert.equal(sql(`select count(*) from users where email = 'ok.person@example.org'`), '0');
    // Letters beyond ASCII are names like any other.
    const id = await addUser('jose@example.org', 'José Núñez Łukasz 李');
    assert.match(id, /^[0-9a-f]{32}$/);
    assert.equal(sql(`select name from users where public_id = '${id}'`), 'José Núñez Łukasz 李');
});

test('M4: haven user add refuses the same, with a clear message, writing nothing', () => {
    const before_ = users();
    for (const [args, why] of [
        [`add "$(printf 'x\\377@example.org')" --name Someone --role clinician`, /not an e-mail address an account can have/],
        [`add "$(printf 'jos\\303\\251@example.org')" --name Someone --role clinician`, /not an e-mail address an account can have/],
        [`add cli.name@example.org --name "$(printf 'B\\n\\033bob')" --role clinician`, /--name is not accepted: .*control/],
        [`add cli.name@example.org --name "$(printf 'Evil\\342\\200\\256x')" --role clinician`, /--name is not accepted: .*direction/],
        [`add cli.name@example.org --name "$(printf 'Bad\\377')" --role clinician`, /--name is not accepted: .*UTF-8/],
    ]) {
        const r = cliRaw(args);
        assert.notEqual(r.status, 0, args);
        assert.match(r.stderr, why, `${args}: ${r.stderr}`);
    }
    assert.equal(users(), before_);
});

// ------------------------------------------------------------------ M5a

test('M5a: the Users screen writes one list entry per account shown', async () => {
    const from = lastAuditId();
    const res = await get(srv, admin.jar, '/staff/users');
    assert.equal(res.status, 200);
    const shown = [...new Set([...res.body.matchAll(/\/staff\/users\/([0-9a-f]{32})\//g)].map((m) => m[1]))].sort();
    assert.equal(shown.length, users());
    const logged = sql(`select record_id from audit_log where id > ${from} and action = 'list'
        and record_type = 'user' and user_email = 'admin@demo.haven' and outcome = 'ok'`).split('\n').sort();
    assert.deepEqual(logged, shown);
});

test('M5a: no entries, no list (500, nothing of the accounts shown)', async () => {
    await withoutAudit('list', async () => {
        const res = await get(srv, admin.jar, '/staff/users');
        assert.equal(res.status, 500);
        assert.doesNotMatch(res.body, /@demo\.haven|jose@example\.org/);
    });
    assert.equal(sql(`select count(*) from audit_log where action = 'list' and record_type = 'user' and outcome != 'ok'`), '0');
});

// ------------------------------------------------------------------ M5b

test('M5b: each change on the Users screen lands with its entry, or neither does', async () => {
    const id = await addUser('m5b@example.org', 'Morgan Five');
    sql(`update users set totp_secret = '${'ab'.repeat(20)}', totp_enabled = 1 where public_id = '${id}'`);
    const state = () => sql(`select disabled || '|' || totp_enabled || '|' || coalesce(password_hash, '-') || '|' ||
        (select group_concat(role) from user_roles r where r.user_id = users.id) from users where public_id = '${id}'`);
    sql(`update users set password_hash = 'kept' where public_id = '${id}'`);
    for (const [action, path, fields] of [
        ['disable', `/staff/users/${id}/disable`, { confirm: 'yes' }],
        ['reset-2fa', `/staff/users/${id}/totp-reset`, {}],
        ['reset', `/staff/users/${id}/reset`, { confirm: 'yes' }],
        ['update', `/staff/users/${id}/roles`, { role: ['billing'] }],
    ]) {
        const n0 = auditRows(action).length;
        const s0 = state();
        await withoutAudit(action, async () => {
            const res = await p(path, fields);
            assert.equal(res.status, 500, `${action}: refused when its entry cannot be written`);
        });
        assert.equal(state(), s0, `${action}: nothing changed`);
        assert.equal(auditRows(action).length, n0);
        const ok = await p(path, fields);
        assert.ok(ok.status === 303 || ok.status === 200, `${action}: ${ok.status}`);
        assert.deepEqual(auditRows(action).slice(n0), [`admin@demo.haven|${id}|ok`], `${action}: exactly one entry`);
    }
    assert.equal(state(), '1|0|-|billing');
    // enable
    const n0 = auditRows('enable').length;
    await withoutAudit('enable', async () => assert.equal((await p(`/staff/users/${id}/enable`, {})).status, 500));
    assert.equal(sql(`select disabled from users where public_id = '${id}'`), '1');
    assert.equal((await p(`/staff/users/${id}/enable`, {})).status, 303);
    assert.deepEqual(auditRows('enable').slice(n0), [`admin@demo.haven|${id}|ok`]);
    // create
    const before_ = users();
    await withoutAudit('create', async () => {
        const res = await p('/staff/users', { email: 'nocreate@example.org', name: 'No Create', role: 'clinician' });
        assert.equal(res.status, 500);
    });
    assert.equal(users(), before_, 'no account without its entry');
    const c0 = auditRows('create').length;
    const newId = await addUser('nocreate@example.org', 'No Create');
    assert.deepEqual(auditRows('create').slice(c0), [`admin@demo.haven|${newId}|ok`]);
});

test('M5b: the require-2FA setting lands with its entry, or neither does', async () => {
    const value = () => sql(`select coalesce((select value from settings where key = 'require_totp'), '-')`);
    const v0 = value();
    const want = v0 === '1' ? '0' : '1';
    const entries = () => sql(`select count(*) from audit_log where record_type = 'settings' and action = 'update' and outcome = 'ok'`);
    const e0 = entries();
    await withoutAudit('update', async () => {
        assert.equal((await p('/staff/settings', { require_totp: want })).status, 500);
    });
    assert.equal(value(), v0);
    assert.equal(entries(), e0);
    assert.equal((await p('/staff/settings', { require_totp: want })).status, 303);
    assert.equal(value(), want);
    assert.equal(Number(entries()), Number(e0) + 1);
    // Back as it was (with 2FA required, the admin here would be sent to enrol first).
    sql(`update settings set value = '${v0 === '-' ? '0' : v0}' where key = 'require_totp'`);
});

test('M5b: haven user changes land with their entry (user cli, client local), or neither does', async () => {
    await addUser('clichange@example.org', 'Cli Change');
    const id = idOf('clichange@example.org');
    const n0 = auditRows('disable').length;
    await withoutAudit('disable', async () => {
        const r = cliRaw('disable clichange@example.org');
        assert.notEqual(r.status, 0);
    });
    assert.equal(sql(`select disabled from users where public_id = '${id}'`), '0', 'no change without its entry');
    assert.equal(cliRaw('disable clichange@example.org').status, 0);
    assert.equal(sql(`select disabled from users where public_id = '${id}'`), '1');
    assert.deepEqual(auditRows('disable').slice(n0), [`cli|${id}|ok`]);
    assert.equal(sql(`select client from audit_log where action = 'disable' order by id desc limit 1`), 'local');

    const before_ = users();
    await withoutAudit('create', async () => assert.notEqual(cliRaw('add cli.new@example.org --name "Cli New" --role billing').status, 0));
    assert.equal(users(), before_);
    const r = cliRaw('add cli.new@example.org --name "Cli New" --role billing');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(sql(`select count(*) from audit_log where action = 'create' and user_email = 'cli' and record_id = '${idOf('cli.new@example.org')}'`), '1');

    sql(`update users set password_hash = 'kept' where public_id = '${id}'`);
    await withoutAudit('reset', async () => assert.notEqual(cliRaw('reset clichange@example.org').status, 0));
    assert.equal(sql(`select password_hash from users where public_id = '${id}'`), 'kept');
});

// ------------------------------------------------------------------ the reset link

test('an admin resetting another person is told to hand the link to that person alone; the entry names both', async () => {
    const id = await addUser('handoff@example.org', 'Hana Handoff');
    const from = lastAuditId();
    const res = await p(`/staff/users/${id}/reset`, { confirm: 'yes' });
    assert.equal(res.status, 200);
    assert.match(res.body, /\/staff\/set-password\?token=[0-9a-f]{64}/, 'the link is still shown');
    assert.match(res.body, /Only the person whose account this is may use this link/);
    assert.match(res.body, /hand it to that person\s+alone/);
    const row = sql(`select user_email || '|' || user_id || '|' || record_id from audit_log
        where id > ${from} and action = 'reset' and outcome = 'ok'`);
    const adminId = sql(`select id from users where email = 'admin@demo.haven'`);
    assert.equal(row, `admin@demo.haven|${adminId}|${id}`);
});

// ------------------------------------------------------------------ issue 7: ask first

test('disabling an account and a new password link ask first, naming the person and the effect', async () => {
    const id = await addUser('pat.lee@example.org', 'Pat Lee');
    sql(`update users set password_hash = 'kept' where public_id = '${id}'`);
    const state = () => sql(`select disabled || '|' || coalesce(password_hash, '-') from users where public_id = '${id}'`);
    // The Users screen links to the confirmation pages; no form there disables or resets.
    const list = await get(srv, admin.jar, '/staff/users');
    assert.match(list.body, new RegExp(`href="/staff/users/${id}/disable"`));
    assert.match(list.body, new RegExp(`href="/staff/users/${id}/reset"`));
    assert.doesNotMatch(list.body, new RegExp(`action="/staff/users/${id}/(disable|reset)"`));
    for (const [action, title, effect, box] of [
        ['disable', /Disable Pat Lee&#39;s account\?|Disable Pat Lee's account\?/, /signed out everywhere at once and cannot sign in/, /Yes, disable Pat Lee(&#39;|')s account/],
        ['reset', /Make a new password link for Pat Lee\?/, /current password stops working at once/, /Yes, end Pat Lee(&#39;|')s current password/],
    ]) {
        const from = lastAuditId();
        const page = await get(srv, admin.jar, `/staff/users/${id}/${action}`);
        assert.equal(page.status, 200, action);
        assert.match(page.body, title);
        assert.match(page.body, effect);
        assert.match(page.body, box);
        assert.match(page.body, /pat\.lee@example\.org/);
        assert.equal(sql(`select action || '|' || record_id || '|' || outcome from audit_log where id > ${from}`),
            `view|${id}|ok`, 'the page is a read of the account');
        // Without the tick, and with anything but "yes": 422, the page again, nothing changed.
        for (const fields of [{}, { confirm: 'no' }, { confirm: '' }]) {
            const s0 = state();
            const n0 = lastAuditId();
            const res = await p(`/staff/users/${id}/${action}`, fields);
            assert.equal(res.status, 422, `${action} ${JSON.stringify(fields)}`);
            assert.match(res.body, /id="confirm-error"/);
            assert.match(res.body, box);
            assert.doesNotMatch(res.body, /set-password\?token=/, 'no link made');
            assert.equal(state(), s0, `${action}: nothing changed`);
            assert.equal(sql(`select action || '|' || outcome from audit_log where id > ${n0}`), `${action}|invalid`);
        }
    }
    // With it: done.
    assert.equal((await p(`/staff/users/${id}/disable`, { confirm: 'yes' })).status, 303);
    assert.equal(state(), '1|kept');
    const reset = await p(`/staff/users/${id}/reset`, { confirm: 'yes' });
    assert.equal(reset.status, 200);
    assert.match(reset.body, /set-password\?token=[0-9a-f]{64}/);
    assert.equal(state(), '1|-');
    // Enabling gives access back and needs no confirmation.
    assert.equal((await p(`/staff/users/${id}/enable`, {})).status, 303);
    // No such account: 404 on the page too.
    assert.equal((await get(srv, admin.jar, `/staff/users/${'0'.repeat(32)}/disable`)).status, 404);
});

test('an administrator cannot disable their own account, even confirmed', async () => {
    const me = idOf('admin@demo.haven');
    const page = await get(srv, admin.jar, `/staff/users/${me}/disable`);
    assert.equal(page.status, 200);
    assert.match(page.body, /You cannot disable your own account/);
    assert.doesNotMatch(page.body, /id="confirm-form"/);
    const res = await p(`/staff/users/${me}/disable`, { confirm: 'yes' });
    assert.equal(res.status, 422);
    assert.equal(sql(`select disabled from users where public_id = '${me}'`), '0');
});

// ------------------------------------------------------------------ issue 7: the link's address

describe('the Users screen warns when set-password links start with another address', () => {
    async function screenWith(publicUrl, host) {
        const had = process.env.HAVEN_PUBLIC_URL;
        process.env.HAVEN_PUBLIC_URL = publicUrl;
        let s;
        try {
            s = await startServer({ demo: true });
        } finally {
            if (had === undefined) delete process.env.HAVEN_PUBLIC_URL; else process.env.HAVEN_PUBLIC_URL = had;
        }
        try {
            const a = await signIn(s, 'admin');
            const headers = { cookie: a.jar.header(), ...(host ? { host } : {}) };
            return (await request(s.origin, 'GET', '/staff/users', { headers })).body;
        } finally {
            await s.stop();
        }
    }

    test('HAVEN_PUBLIC_URL names the address the page was opened at: no warning', async () => {
        const port = await freePort();
        // The server's own address is only known once started: a Host header stands in for it.
        const body = await screenWith(`http://haven.clinic.example:${port}`, `haven.clinic.example:${port}`);
        assert.doesNotMatch(body, /id="link-base-warning"/);
    });
    test('links to 127.0.0.1 while the page came from another host: warned, with the fix', async () => {
        const body = await screenWith('http://127.0.0.1:8080', 'haven.clinic.example');
        assert.match(body, /id="link-base-warning"/);
        assert.match(body, /http:\/\/127\.0\.0\.1:8080/);
        assert.match(body, /haven\.clinic\.example/);
        assert.match(body, /HAVEN_PUBLIC_URL/);
    });
    test('links to another port of this machine: warned', async () => {
        const body = await screenWith('http://127.0.0.1:1');
        assert.match(body, /id="link-base-warning"/);
    });
    test('a public address set on purpose, the page reached through this machine (a proxy): no warning', async () => {
        const body = await screenWith('https://haven.clinic.example');
        assert.doesNotMatch(body, /id="link-base-warning"/);
    });
});

// ------------------------------------------------------------------ issue 7 (point 4): the clinic's details

test('the clinic\'s details: the demo\'s are shown; bad input is refused by its field, nothing saved', async () => {
    const settings = () => sql(`select group_concat(key || '=' || value, ';') from (select key, value from settings where key like 'clinic_%' order by key)`);
    const page = await get(srv, admin.jar, '/staff/settings/clinic');
    assert.equal(page.status, 200);
    assert.match(page.body, /value="\(555\) 010-0100"/, 'the demo\'s phone');
    assert.match(page.body, /Pecan Haven Intensive Outpatient Program/);
    assert.match(page.body, /id="levels-iop" name="levels" value="iop" checked/);
    assert.doesNotMatch(page.body, /id="levels-residential"[^>]* checked/);
    const good = {
        name: 'Pecan Haven IOP', phone: '(555) 010-0123', hours: 'Weekdays 8 am to 6 pm',
        address: '1 Main St\nAustin, TX', after_hours: 'Call or text 988.', levels: ['iop', 'php'],
    };
    const s0 = settings();
    for (const [over, field] of [
        [{ name: '' }, 'name'], [{ name: 'x'.repeat(101) }, 'name'], [{ name: 'Bad\u202eName' }, 'name'],
        [{ phone: '' }, 'phone'], [{ phone: 'call us' }, 'phone'], [{ phone: '12' }, 'phone'],
        [{ hours: 'x'.repeat(201) }, 'hours'], [{ hours: 'two\nlines' }, 'hours'],
        [{ address: 'x'.repeat(201) }, 'address'], [{ after_hours: 'x'.repeat(501) }, 'after_hours'],
        [{ levels: ['iop', 'spa'] }, 'levels'], [{ levels: 'none' }, 'levels'], [{ levels: [] }, 'levels'],
    ]) {
        const n0 = lastAuditId();
        const res = await p('/staff/settings/clinic', { ...good, ...over });
        assert.equal(res.status, 422, `${field} ${JSON.stringify(over).slice(0, 40)}`);
        assert.match(res.body, new RegExp(`id="${field}-error"`), `the problem by ${field}`);
        assert.match(res.body, /value="(Pecan Haven IOP|Weekdays 8 am to 6 pm)"/, 'input kept');
        assert.equal(settings(), s0, `${field}: nothing saved`);
        assert.equal(sql(`select action || '|' || record_type || '|' || record_id || '|' || outcome from audit_log where id > ${n0}`),
            'update|settings|clinic|invalid');
    }
    const n0 = lastAuditId();
    const ok = await p('/staff/settings/clinic', good);
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.location, '/staff/settings/clinic?done=1');
    assert.equal(sql(`select value from settings where key = 'clinic_phone'`), '(555) 010-0123');
    assert.equal(sql(`select value from settings where key = 'clinic_levels'`), 'php,iop', 'in the list\'s order');
    assert.equal(sql(`select value from settings where key = 'clinic_address'`), '1 Main St\nAustin, TX');
    assert.equal(sql(`select action || '|' || record_type || '|' || record_id || '|' || outcome from audit_log where id > ${n0}`),
        'update|settings|clinic|ok');
    const again = await get(srv, admin.jar, '/staff/settings/clinic?done=1');
    assert.match(again.body, /id="clinic-saved"/);
    assert.match(again.body, /value="\(555\) 010-0123"/);
    // No entry, no change.
    await withoutAudit('update', async () => {
        assert.equal((await p('/staff/settings/clinic', { ...good, phone: '(555) 010-0999' })).status, 500);
    });
    assert.equal(sql(`select value from settings where key = 'clinic_phone'`), '(555) 010-0123');
});
