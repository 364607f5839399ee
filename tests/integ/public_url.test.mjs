// Set-password links name the address the server listens on when HAVEN_PUBLIC_URL is not set
// (a link to 127.0.0.1:8080 from a server on another port opens nothing), both from the Users
// screen and from `haven user` on the server's shell.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, HAVEN_BIN, REPO_ROOT } from '../helpers/server.mjs';
import { signIn, post } from '../helpers/staff.mjs';

let srv;
const env = { ...process.env };
delete env.HAVEN_PUBLIC_URL;

before(async () => {
    delete process.env.HAVEN_PUBLIC_URL;
    srv = await startServer({ demo: true });
});
after(async () => { if (srv) await srv.stop(); });

test('the Users screen shows a link on the address the server listens on', async () => {
    const admin = await signIn(srv, 'admin');
    const res = await post(srv, admin.jar, '/staff/users', {
        csrf: admin.csrf, email: 'link.person@example.org', name: 'Link Person', role: 'clinician',
    });
    assert.equal(res.status, 201, res.body.slice(0, 300));
    const m = res.body.match(/(http:\/\/[^"<\s]+\/staff\/set-password\?token=[0-9a-f]{64})/);
    assert.ok(m, 'a set-password link is shown');
    assert.ok(m[1].startsWith(`${srv.origin}/staff/set-password`), m[1]);
});

test('haven user reset names the port HAVEN_PORT says', () => {
    const out = execFileSync(HAVEN_BIN, ['user', 'reset', 'link.person@example.org', '--db', srv.db], {
        cwd: REPO_ROOT, encoding: 'utf8', env: { ...env, HAVEN_PORT: String(srv.port) },
    });
    assert.match(out, new RegExp(`http://127\\.0\\.0\\.1:${srv.port}/staff/set-password\\?token=[0-9a-f]{64}`));
});

test('HAVEN_PUBLIC_URL, when set, wins', () => {
    const out = execFileSync(HAVEN_BIN, ['user', 'reset', 'link.person@example.org', '--db', srv.db], {
        cwd: REPO_ROOT, encoding: 'utf8', env: { ...env, HAVEN_PUBLIC_URL: 'https://haven.clinic.example/' },
    });
    assert.match(out, /https:\/\/haven\.clinic\.example\/staff\/set-password\?token=[0-9a-f]{64}/);
});
