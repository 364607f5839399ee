// Message notifications through a mail relay (issue 11), on the real binary with a small SMTP
// server of the test's own: off until the patient turns them on; then a counsellor's answer
// sends one mail to the address on the patient's record that says only "You have a new
// message in Haven" (no name, no text of the message, a subject that names no treatment); the
// server's log holds neither the address nor the text.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { execFileSync } from 'node:child_process';
import { startServer, stderrMatching } from '../helpers/server.mjs';
import { Jar, api, csrfOf, get, post, signIn, demoAccounts } from '../helpers/staff.mjs';

const PASSWORD = 'river stone lantern 42';
let srv;
let relay;
const mails = [];
const staff = {};
let waiting = null;

/** A relay that takes every mail (EHLO, MAIL, RCPT, DATA) and keeps its envelope and text. */
function startRelay() {
    return new Promise((resolve) => {
        const server = net.createServer((sock) => {
            let buf = '';
            let data = false;
            const mail = { from: '', to: [], text: '' };
            sock.write('220 relay.test ESMTP\r\n');
            sock.on('data', (chunk) => {
                buf += chunk.toString('utf8');
                for (;;) {
                    if (data) {
                        const end = buf.indexOf('\r\n.\r\n');
                        if (end < 0) return;
                        mail.text = buf.slice(0, end);
                        buf = buf.slice(end + 5);
                        data = false;
                        mails.push({ ...mail });
                        sock.write('250 queued\r\n');
                        if (waiting) waiting();
                        continue;
                    }
                    const nl = buf.indexOf('\r\n');
                    if (nl < 0) return;
                    const line = buf.slice(0, nl);
                    buf = buf.slice(nl + 2);
                    const cmd = line.slice(0, 4).toUpperCase();
                    if (cmd === 'EHLO' || cmd === 'HELO') sock.write('250 relay.test\r\n');
                    else if (cmd === 'MAIL') { mail.from = line; sock.write('250 ok\r\n'); }
                    else if (cmd === 'RCPT') { mail.to.push(line); sock.write('250 ok\r\n'); }
                    else if (cmd === 'DATA') { data = true; sock.write('354 go on\r\n'); }
                    else if (cmd === 'QUIT') { sock.end('221 bye\r\n'); return; }
                    else sock.write('250 ok\r\n');
                }
            });
            sock.on('error', () => {});
        });
        server.listen(0, '127.0.0.1', () => resolve(server));
    });
}

before(async () => {
    relay = await startRelay();
    srv = await startServer({ demo: true, env: {
        HAVEN_SMTP_URL: `smtp://127.0.0.1:${relay.address().port}`, HAVEN_SMTP_FROM: 'care@clinic.example' } });
    for (const role of ['admin', 'clinician']) staff[role] = await signIn(srv, role);
});
after(async () => {
    if (srv) await srv.stop();
    if (relay) relay.close();
});

test('an answer notifies the patient who asked for it, with one sentence and nothing else', { timeout: 30_000 }, async () => {
    const res = await api(srv, staff.admin, 'POST', '/api/v1/patients', {
        first_name: 'Rowan', last_name: 'Ashdown', date_of_birth: '1990-02-03', phone: '555-010-0100',
        emergency_name: 'Kin Person', emergency_phone: '555-010-0101',
        emergency_relationship: 'sister', admission_date: new Date().toISOString().slice(0, 10), level: 'iop',
        counsellor_email: demoAccounts(srv).clinician.email });
    assert.equal(res.status, 201, res.body);
    const pid = res.data.id;
    // The address on the patient's record (direct admission takes none; the chart's contact form would).
    execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, `update patients set email = 'rowan@patient.example' where public_id = '${pid}'`]);
    const inv = await post(srv, staff.clinician.jar, `/staff/patients/${pid}/portal/invite`, { csrf: staff.clinician.csrf });
    const token = inv.body.match(/\/me\/welcome\?token=([0-9a-f]{64})</)[1];
    const jar = new Jar();
    const welcome = await get(srv, jar, `/me/welcome?token=${token}`);
    assert.equal((await post(srv, jar, '/me/welcome', { csrf: csrfOf(welcome.body), token,
        username: 'rowan-a', password: PASSWORD, confirm: PASSWORD })).status, 303);
    const compose = await get(srv, jar, '/me/messages/new');
    const started = await post(srv, jar, '/me/messages', { csrf: csrfOf(compose.body),
        subject: 'Question about Thursday', body: 'Can I come late on Thursday?' });
    assert.equal(started.status, 303, started.body.slice(0, 300));
    const tid = started.headers.location.split('/').pop();
    const answer = async (text) => {
        const open = await get(srv, staff.clinician.jar, `/staff/messages/${tid}`);
        const r = await post(srv, staff.clinician.jar, `/staff/messages/${tid}`, { csrf: csrfOf(open.body), body: text });
        assert.equal(r.status, 303);
    };

    // Off by default: an answer sends nothing.
    await answer('Yes, come when you can.');
    const sent = (n) => new Promise((resolve) => {
        const check = () => { if (mails.length >= n) resolve(); };
        waiting = check;
        check();
    });
    const list = await get(srv, jar, '/me/messages');
    assert.equal((await post(srv, jar, '/me/messages/notifications', { csrf: csrfOf(list.body), notify: 'yes' })).status, 303);
    await answer('Ruth Okafor will cover the group.');
    await Promise.race([sent(1), new Promise((_, rej) => setTimeout(() => rej(new Error(`no mail reached the relay: ${srv.stderr().slice(-1500)}`)), 15_000))]);
    assert.equal(mails.length, 1, 'one mail: none for the answer before notifications were on');
    const m = mails[0];
    assert.match(m.to[0], /<rowan@patient\.example>/);
    assert.match(m.from, /<care@clinic\.example>/);
    assert.match(m.text, /^Subject: Haven\r$/m);
    const body = m.text.split('\r\n\r\n').slice(1).join('\r\n\r\n').trim();
    assert.equal(body, 'You have a new message in Haven');
    const notTo = m.text.split('\r\n').filter((l) => !l.startsWith('To:')).join('\n');
    assert.doesNotMatch(notTo, /Ruth|Okafor|group|Thursday|Rowan|Ashdown|treatment|IOP/i);
    // The sending thread logs once the relay has closed the exchange: wait for that line.
    await stderrMatching(srv, /notify: a notification was handed to the relay/);
    assert.doesNotMatch(srv.stderr(), /rowan@patient\.example|Ruth Okafor/);
    const sqlCount = Number(execFileSync('sqlite3', [srv.db, 'select count(*) from messages'], { encoding: 'utf8' }));
    assert.equal(sqlCount, 3);
});
