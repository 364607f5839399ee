// The public front door as people meet it (issue 7, points 2-6), over plain HTTP with the real
// binary: honest results when questions are skipped, the clinic to reach and where to turn, the
// opioid advice and "withdrawal right now" (for the person and for staff), and plain words
// first. Browser behaviour (panels as answers are given, focus, Next) is in
// tests/e2e/front_door.test.mjs. The score API is untouched: tests/integ/score_api.test.mjs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
    startServer, request, postForm, extractCall, findTags, inputs, score, json, decodeEntities,
} from '../helpers/server.mjs';
import { PROFILES, ctx, audit, assist, asq } from '../helpers/profiles.mjs';
import { dataLevel, idIndex, byId, isChecked, itemBlock, itemHasError } from '../helpers/html.mjs';
import { signIn, get as staffGet } from '../helpers/staff.mjs';

let srv;
before(async () => { srv = await startServer({ demo: true }); });
after(async () => { if (srv) await srv.stop(); });

const sql = (q) => execFileSync('sqlite3', ['-cmd', '.timeout 5000', srv.db, q], { encoding: 'utf8' }).trim();
const get = (path) => request(srv.origin, 'GET', path);
const result = (answers, extra = {}) => postForm(srv.origin, '/assessment/result', { ...answers, ...extra });

/** Visible text of an HTML fragment (tags dropped, entities decoded, spaces folded). */
const text = (html) => decodeEntities(html.replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
/** The main text of a result page: everything in <main> before "The details". */
const mainText = (html) => text(html.slice(html.indexOf('<main'), idIndex(html, 'details')));
/** The text of the element with this id, up to its closing tag of the same name. */
function section(html, id) {
    const at = idIndex(html, id);
    if (at < 0) return '';
    const tag = /^<([a-z0-9]+)/i.exec(html.slice(at))[1];
    return html.slice(at, html.indexOf(`</${tag}>`, at));
}

function setClinic(fields) {
    for (const [k, v] of Object.entries(fields)) {
        sql(`INSERT INTO settings (key, value) VALUES ('clinic_${k}', '${v.replace(/'/g, "''")}')
             ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
    }
}
const CLINIC = {
    phone: '(555) 010-0100',
    hours: 'Monday to Friday, 8:00 am to 6:00 pm',
    address: '120 Pecan Street, Austin, TX 78701',
    after_hours: 'After hours, leave a message and we call back the next morning.',
};

// ------------------------------------------------------------------ 2. skipped questions

test('2: everything skipped -> no level suggested, every part named, a way back; never a default as a fact', async () => {
    const res = await result({});
    assert.equal(res.status, 200);
    const html = res.body;
    assert.equal(dataLevel(html), 'unanswered', 'no level is suggested');
    const main = mainText(html);
    assert.match(main, /We need a few answers to suggest anything/);
    assert.doesNotMatch(main, /No treatment program needed/);
    for (const part of ['Alcohol', 'Other drugs', 'Your safety', 'Home and support', 'Your recovery so far']) {
        assert.match(text(section(html, 'skipped')), new RegExp(part), `${part} named as left out`);
    }
    const all = text(html);
    assert.doesNotMatch(all, /stable, safe home with good support/);
    assert.doesNotMatch(all, /counted as 10 out of 10/);
    assert.doesNotMatch(all, /No withdrawal symptoms reported/);
    assert.match(all, /You did not answer the questions about your home and the people around you/);
    assert.match(all, /You did not answer how ready you feel to make a change/);
    assert.match(all, /Overall level of substance use: Not known/);
    // The way back: a form posting the answers again as a review, to the first skipped part.
    const back = findTags(html, 'form').find((f) => /section-about$/.test(f.attrs.action || ''));
    assert.ok(back, 'a form back to the first part');
    assert.ok(byId(html, 'go-back'), '#go-back button');
    assert.ok(byId(html, 'talk-to-us'), 'Talk to us');
});

test('2: the API for the same answers keeps the spec: a level, and the defaults listed in missing', async () => {
    const res = await score(srv.origin, {});
    assert.equal(res.status, 200);
    const b = json(res);
    assert.equal(b.recommendation.level, 'none');
    assert.ok(b.missing.includes('env-safe') && b.missing.includes('ready'));
});

test('2: parts skipped are named and the page says the suggestion may underestimate', async () => {
    // P2 mild drinker: context and AUDIT only.
    const res = await result(PROFILES.mild.answers);
    assert.equal(dataLevel(res.body), 'early-intervention', 'a level: alcohol was answered');
    const skipped = text(section(res.body, 'skipped'));
    for (const part of ['Other drugs', 'Your mood', 'Worry', 'Your safety']) assert.match(skipped, new RegExp(part));
    assert.doesNotMatch(skipped, /Alcohol/);
    assert.match(skipped, /may underestimate what would help you/);
    assert.ok(findTags(res.body, 'button').some((b) => b.attrs.name === 'review'), 'go back and answer them');
    assert.match(text(res.body), /You did not answer the questions about other drugs/);
    assert.match(text(res.body), /You did not answer the questions about your mood, worry and safety/);
});

test('2: one context answer left out -> "you did not answer ..." in its place, the rest as answered', async () => {
    const answers = { ...PROFILES.iop.answers };
    delete answers['env-support'];
    delete answers.ready;
    const html = (await result(answers)).body;
    const all = text(html);
    assert.match(all, /You did not answer who supports your recovery/);
    assert.doesNotMatch(all, /good support/);
    assert.match(all, /You did not answer how ready you feel to make a change/);
    assert.equal(dataLevel(html), 'iop', 'the level is the scorer\'s');
});

test('2: a complete answer set names nothing as skipped', async () => {
    const html = (await result(PROFILES.nothing.answers)).body;
    assert.equal(idIndex(html, 'skipped'), -1);
    assert.equal(dataLevel(html), 'none');
    assert.match(text(html), /A stable, safe home with good support/);
});

test('2: a level raised by answers stands even with alcohol, drugs and safety skipped', async () => {
    const html = (await result(PROFILES.medical.answers)).body;
    assert.equal(dataLevel(html), 'medically-managed');
});

test('2: "go back to the questions" shows the form again with every answer kept', async () => {
    const answers = { ...PROFILES.mild.answers, 'wd-daily': [] };
    const res = await postForm(srv.origin, '/assessment/result',
        `${new URLSearchParams({ ...answers, 'wd-daily': '', 'env-obligations': 'work' })}&none=wd-daily&review=1`);
    assert.equal(res.status, 200);
    assert.ok(findTags(res.body, 'form').some((t) => t.attrs.id === 'assessment-form'));
    assert.equal(isChecked(res.body, 'audit-1', 2), true);
    assert.equal(isChecked(res.body, 'about-sex', 'female'), true);
    assert.equal(isChecked(res.body, 'none', 'wd-daily'), true, '"None of these" kept');
    assert.doesNotMatch(res.body, /error-summary/);
    // The result page's own back form carries the same answers.
    const page = (await postForm(srv.origin, '/assessment/result', `${new URLSearchParams(PROFILES.mild.answers)}&none=wd-daily`)).body;
    const hidden = inputs(page).filter((i) => i.type === 'hidden' && i.name === 'audit-1');
    assert.ok(hidden.some((i) => i.value === '2'));
    assert.ok(inputs(page).some((i) => i.type === 'hidden' && i.name === 'none' && i.value === 'wd-daily'));
});

test('2: "None of these" answers a list question with none; without it the question is unanswered', async () => {
    const base = { ...PROFILES.nothing.answers };
    delete base['wd-daily'];
    const withNone = (await postForm(srv.origin, '/assessment/result', `${new URLSearchParams(base)}&none=wd-daily`)).body;
    assert.doesNotMatch(text(withNone), /You did not answer what you have used every day/);
    const without = (await result(base)).body;
    assert.match(text(without), /You did not answer what you have used every day/);
    // "None" together with a choice: the choice wins.
    const both = await postForm(srv.origin, '/assessment/result', `${new URLSearchParams(base)}&wd-daily=alcohol&none=wd-daily`);
    assert.doesNotMatch(text(both.body), /You did not answer what you have used every day/);
    assert.deepEqual(JSON.parse(extractCall(both).answers)['wd-daily'], ['alcohol']);
    assert.deepEqual(JSON.parse(extractCall(await postForm(srv.origin, '/assessment/result',
        `${new URLSearchParams(base)}&none=wd-daily`)).answers)['wd-daily'], []);
    // Not a list question: refused, never a crash.
    const bad = await postForm(srv.origin, '/assessment/result', `${new URLSearchParams(base)}&none=audit-1`);
    assert.equal(bad.status, 422);
});

test('1/2: "see my result now" sets a half-done part aside instead of refusing; the crisis panel leads', async () => {
    // AUDIT begun (item 1 only) and left; ASQ answered with "right now" = yes.
    const answers = { ...ctx(), 'audit-1': 3, ...asq([true, false, false, false], true) };
    const refused = await result(answers);
    assert.equal(refused.status, 422, 'the ordinary submit still asks for the rest of the part');
    const now = await result(answers, { 'result-now': '1' });
    assert.equal(now.status, 200, now.body.slice(0, 300));
    assert.equal(dataLevel(now.body), 'emergency');
    assert.ok(idIndex(now.body, 'crisis-acute') >= 0 && idIndex(now.body, 'crisis-acute') < idIndex(now.body, 'recommendation'));
    assert.match(text(section(now.body, 'skipped')), /Alcohol/, 'the half-done part is named');
    // Going back still has the half-done answer.
    assert.ok(inputs(now.body).some((i) => i.type === 'hidden' && i.name === 'audit-1' && i.value === '3'));
    // The call form carries only what was scored, so the request can be stored.
    const c = extractCall(now);
    assert.equal(JSON.parse(c.answers)['audit-1'], undefined);
});

test('1: "see my result now" with ASQ itself half done still leads with the crisis panel', async () => {
    const answers = { ...ctx(), 'asq-1': true, 'asq-5': true };
    const now = await result(answers, { 'result-now': '1' });
    assert.equal(now.status, 200);
    assert.ok(idIndex(now.body, 'crisis-acute') >= 0, '#crisis-acute');
    assert.ok(idIndex(now.body, 'crisis-acute') < idIndex(now.body, 'recommendation'));
});

// ------------------------------------------------------------------ 3. plain error words

test('3: the form\'s error summary says what to do, never "?: required", and takes the focus', async () => {
    const answers = { ...PROFILES.iop.answers };
    delete answers['audit-9'];
    const res = await result(answers);
    assert.equal(res.status, 422);
    const summary = section(res.body, 'error-summary');
    assert.match(text(summary), /Choose an answer to “Have you or someone else been injured as a result of your drinking\?”/);
    assert.doesNotMatch(text(summary), /\?: required|: required|must be/);
    assert.ok('autofocus' in byId(res.body, 'error-summary'), 'autofocus on the summary (no JS needed)');
    assert.doesNotMatch(text(itemBlock(res.body, 'audit-9')), /required/);
    assert.ok(itemHasError(res.body, 'audit-9'));
});

test('3: a failed call request lands on the error summary: autofocus, plain words, e-mail optional', async () => {
    const page = await result(PROFILES.php.answers);
    const c = extractCall(page);
    const res = await postForm(srv.origin, '/assessment/call', {
        csrf: c.csrf, answers: c.answers, name: 'x'.repeat(300), phone: '12', email: '',
        'best-time': 'evening', voicemail: 'no',
    }, { headers: { cookie: c.cookie } });
    assert.equal(res.status, 422);
    const summary = byId(res.body, 'call-errors');
    assert.ok(summary && 'autofocus' in summary, '#call-errors has autofocus');
    const words = text(section(res.body, 'call-errors'));
    assert.match(words, /Please give a full phone number/);
    assert.match(words, /Please tick the box/);
    assert.match(words, /first name or nickname of up to 100 letters/);
    assert.doesNotMatch(words, /bytes|the person's|e-mail/i, 'nothing about bytes, another person, or the optional e-mail');
});

// ------------------------------------------------------------------ 4. a person to reach

test('4: clinic details on the home page, every result and the thank-you page; only what is filled in', async () => {
    // The demo fills the details in (demo/clinic.sql): start from a clinic that has a name only.
    setClinic({ phone: '', hours: '', address: '', after_hours: '' });
    let home = (await get('/')).body;
    assert.equal(idIndex(home, 'reach-us'), -1, 'the name alone is no way to reach anyone');
    setClinic({ phone: CLINIC.phone, hours: CLINIC.hours });
    home = (await get('/')).body;
    assert.match(home, /href="tel:5550100100"/);
    assert.match(text(section(home, 'reach-us')), /Monday to Friday, 8:00 am to 6:00 pm/);
    assert.doesNotMatch(text(section(home, 'reach-us')), /Address|After hours/, 'unfilled fields are not shown');
    setClinic({ address: CLINIC.address, after_hours: CLINIC.after_hours });
    home = (await get('/')).body;
    assert.match(text(home), /120 Pecan Street/);
    assert.match(text(home), /leave a message and we call back/);

    for (const name of ['iop', 'residential', 'acute', 'nothing']) {
        const html = (await result(PROFILES[name].answers)).body;
        assert.match(html, /href="tel:5550100100"/, `${name}: tap to call`);
        assert.match(text(html), /120 Pecan Street/, `${name}: address`);
    }
    const unanswered = (await result({})).body;
    assert.match(unanswered, /href="tel:5550100100"/, 'the no-level page too');

    const c = extractCall(await result(PROFILES.iop.answers));
    const sent = await postForm(srv.origin, '/assessment/call', {
        csrf: c.csrf, answers: c.answers, name: 'Sam', phone: '555-010-0199', 'best-time': 'evening',
        voicemail: 'no', consent: 'yes',
    }, { headers: { cookie: c.cookie } });
    assert.equal(sent.status, 303);
    const thanks = (await get('/assessment/thanks')).body;
    assert.match(thanks, /href="tel:5550100100"/, 'the thank-you page shows the number it promises');
    assert.match(text(thanks), /call our admissions team yourself at \(555\) 010-0100/);
    assert.match(text(thanks), /Monday to Friday/);
});

test('4: a level the clinic does not offer says where to turn now; one it offers does not', async () => {
    const SAMHSA = /SAMHSA National Helpline/;
    for (const name of ['residential', 'withdrawal', 'withdrawalNow', 'medical']) {
        const html = (await result(PROFILES[name].answers)).body;
        const where = section(html, 'elsewhere');
        assert.match(text(where), SAMHSA, `${name}: SAMHSA`);
        assert.match(where, /href="tel:18006624357"/);
        assert.match(text(where), /1-800-662-4357/);
        assert.match(text(where), /free, confidential, 24 hours a day, 7 days a week/);
        assert.match(where, /findtreatment\.gov/);
        assert.match(text(where), /ask us to call you/);
    }
    for (const name of ['iop', 'php', 'mild', 'nothing']) {
        assert.equal(idIndex((await result(PROFILES[name].answers)).body, 'elsewhere'), -1, `${name} is offered (or no care)`);
    }
    // The levels come from the settings.
    setClinic({ levels: 'php,outpatient' });
    assert.match(text(section((await result(PROFILES.iop.answers)).body, 'elsewhere')), SAMHSA);
    setClinic({ levels: 'php,iop,outpatient,early-intervention' });
});

test('4: an administrator\'s save shows on the very next result, whichever worker answers (the details are kept per worker)', async () => {
    const admin = await signIn(srv, 'admin');
    const save = (phone, levels) => postForm(srv.origin, '/staff/settings/clinic', {
        csrf: admin.csrf, name: 'Pecan Haven IOP', phone, hours: CLINIC.hours, address: CLINIC.address,
        after_hours: CLINIC.after_hours, levels,
    }, { headers: { cookie: admin.jar.header() } });
    const results = () => Promise.all([1, 2, 3, 4, 5, 6].map(() => result(PROFILES.iop.answers)));
    for (const [phone, digits, levels, elsewhere] of [
        ['(555) 010-0177', '5550100177', ['php', 'iop'], false],
        ['(555) 010-0188', '5550100188', ['php'], true],
        [CLINIC.phone, '5550100100', ['php', 'iop', 'outpatient', 'early-intervention'], false],
    ]) {
        await results(); // every worker has read the details before the save
        assert.equal((await save(phone, levels)).status, 303);
        for (const res of await results()) {
            assert.match(res.body, new RegExp(`href="tel:${digits}"`), `${phone} at once`);
            assert.equal(idIndex(res.body, 'elsewhere') >= 0, elsewhere, `levels ${levels}`);
        }
    }
});

// ------------------------------------------------------------------ 5. opioids

const OPIOIDS_DAILY = {
    ...ctx({ 'wd-daily': ['opioids', 'sedatives'], 'wd-now': true, 'wd-symptoms': 'mild', 'med-overdose': true }),
    ...assist({ opioids: [6, 6, 7, 8, 6, 6], sedatives: [4, 4, 0, 0, 0, 0] }, 0),
};

test('5: opioid use -> medication for opioid use disorder explained; mixing warned about', async () => {
    const html = (await result(OPIOIDS_DAILY)).body;
    const moud = text(section(html, 'advice-moud'));
    for (const w of ['buprenorphine', 'methadone', 'naltrexone', 'overdose', 'dying']) assert.match(moud, new RegExp(w));
    assert.match(text(section(html, 'advice-mixing')), /opioids and also sedatives/);
    const both = (await result({ ...OPIOIDS_DAILY, ...audit([2, 1, 1, 0, 0, 0, 0, 0, 0, 0]) })).body;
    assert.match(text(section(both, 'advice-mixing')), /alcohol and sedatives/);
    // Opioids alone: the medicine, no mixing warning.
    const alone = (await result({ ...ctx(), ...assist({ opioids: [3, 0, 0, 0, 0, 0] }, 0) })).body;
    assert.ok(idIndex(alone, 'advice-moud') >= 0);
    assert.equal(idIndex(alone, 'advice-mixing'), -1);
    // No opioids: neither.
    const none = (await result(PROFILES.iop.answers)).body;
    assert.equal(idIndex(none, 'advice'), -1);
});

test('5: the opioid question keeps the WHO row and gives pain pills and fentanyl as examples', async () => {
    const block = itemBlock((await get('/assessment')).body, 'assist-1-opioids');
    assert.match(block, /Opioids \(heroin, morphine, methadone, codeine, etc\.\)/);
    assert.match(text(block), /prescription pain pills/);
    assert.match(text(block), /fentanyl/);
});

test('5: "withdrawal symptoms right now" is among the reasons, marked, whatever set the level', async () => {
    // Daily opioids only, mild symptoms, withdrawal now: D1 2, the level comes from severity.
    const answers = { ...ctx({ 'wd-daily': ['opioids'], 'wd-now': true, 'wd-symptoms': 'mild' }),
        ...assist({ opioids: [6, 6, 7, 8, 6, 6] }, 0) };
    const html = (await result(answers)).body;
    assert.equal(dataLevel(html), 'iop');
    assert.match(section(html, 'reasons'), /<li class="urgent"><strong>You have withdrawal symptoms right now<\/strong>/);
    // The API names it in dimension 1 (where it belongs), not among the level's deciding facts.
    const b = json(await score(srv.origin, answers));
    assert.ok(b.dimensions[0].reasons.includes('You have withdrawal symptoms right now'));
});

test('5: the staff summary highlights withdrawal right now', async () => {
    const answers = { ...ctx({ 'wd-daily': ['opioids'], 'wd-now': true, 'wd-symptoms': 'mild' }),
        ...assist({ opioids: [6, 6, 7, 8, 6, 6] }, 0) };
    const c = extractCall(await result(answers));
    const sent = await postForm(srv.origin, '/assessment/call', {
        csrf: c.csrf, answers: c.answers, name: 'Robin Vale', phone: '555-010-0142', 'best-time': 'evening',
        voicemail: 'no', consent: 'yes',
    }, { headers: { cookie: c.cookie } });
    assert.equal(sent.status, 303);
    const id = sql("select public_id from referrals where name = 'Robin Vale'");
    const staff = await signIn(srv, 'admissions');
    const page = await staffGet(srv, staff.jar, `/staff/referrals/${id}`);
    assert.equal(page.status, 200);
    assert.ok(byId(page.body, 'wd-now-alert'), '#wd-now-alert on the referral');
    assert.match(page.body, /<mark>You have withdrawal symptoms right now<\/mark>/);
    // A referral without it has no alert.
    const other = sql("select public_id from referrals where name <> 'Robin Vale' order by id limit 1");
    assert.equal(byId((await staffGet(srv, staff.jar, `/staff/referrals/${other}`)).body, 'wd-now-alert'), null);
});

// ------------------------------------------------------------------ 6. plain words first

test('6: no ASAM numbers, AUDIT zones, "ASQ:" or citations before the details; they are in the details', async () => {
    const full = { ...PROFILES.php.answers };
    const acute = { ...PROFILES.acute.answers };
    for (const answers of [full, acute, PROFILES.residential.answers, PROFILES.nonAcute.answers]) {
        const html = (await result(answers)).body;
        const main = mainText(html);
        assert.doesNotMatch(main, /ASAM level|ASAM \d|zone \d|Zone \d|AUDIT|ASSIST|ASQ|PHQ-9|GAD-7|Babor|Humeniuk|Kroenke/, main.slice(0, 400));
        assert.match(text(section(html, 'details')), /Your scores/);
    }
    const php = (await result(full)).body;
    assert.match(text(section(php, 'details')), /Level of care in the ASAM Criteria: 2\.5/);
    assert.match(text(section(php, 'details')), /Zone 4: possible dependence/);
    assert.match(text(section(php, 'reasons')), /Drinking: possible dependence \(a score of 23 out of 40\)/);
});

test('6: the ASQ line in the details reads whole (no "out of" without numbers)', async () => {
    const html = (await result(PROFILES.nonAcute.answers)).body;
    const row = text(section(html, 'details'));
    assert.match(row, /Suicide risk screening \(ASQ\) Possible suicide risk/);
    assert.doesNotMatch(row, /\(ASQ\)\s+out of/);
});

test('6: the form says "non-medical use only" once for the checklist, in plain case; sources fold away', async () => {
    const html = (await get('/assessment')).body;
    assert.doesNotMatch(html, /NON-MEDICAL USE ONLY/);
    const drugs = html.slice(idIndex(html, 'section-assist'), idIndex(html, 'section-health'));
    const stems = drugs.match(/which of the following substances have you ever used/g) || [];
    assert.equal(stems.length, 1, 'the checklist question once');
    assert.equal((html.match(/Over the last 2 weeks, how often have you been bothered by any of the following/g) || []).length, 1);
    // Citations live inside <details>, not in the running text.
    const outside = html.replace(/<details[\s\S]*?<\/details>/g, '');
    assert.doesNotMatch(outside, /Babor|Humeniuk|Kroenke|Spitzer/);
    assert.match(html, /<details class="source"><summary>Where these questions come from/);
});

test('6: US words: no petrol, US sedative names beside the WHO ones', async () => {
    const html = (await get('/assessment')).body;
    assert.doesNotMatch(html, /petrol|Serepax/);
    assert.match(text(itemBlock(html, 'assist-1-inhalants')), /gasoline/);
    assert.match(text(itemBlock(html, 'assist-1-sedatives')), /Valium, Xanax, Klonopin/);
    assert.doesNotMatch(text(html), /counselling|behavioural/);
});

test('6: "Other - specify" has an optional, bounded box; the name is shown, carried and stored, not scored', async () => {
    const form = (await get('/assessment')).body;
    const box = inputs(itemBlock(form, 'assist-1-other')).find((i) => i.name === 'other-drug');
    assert.ok(box, 'a text box in the "Other" question');
    assert.equal(box.maxlength, '60');
    assert.match(text(itemBlock(form, 'assist-1-other')), /\(optional\)/);

    const answers = { ...ctx(), ...assist({ other: [4, 4, 0, 0, 0, 0] }, 0) };
    // Empty: fine.
    assert.equal((await result(answers, { 'other-drug': '' })).status, 200);
    // Too long: refused at the question, the answers kept.
    const long = await result(answers, { 'other-drug': 'k'.repeat(61) });
    assert.equal(long.status, 422);
    assert.ok(itemHasError(long.body, 'assist-1-other'));
    assert.equal(isChecked(long.body, 'assist-1-other', 'true'), true);
    // A name: on the page, in the call form, and stored with the result for staff.
    const page = await result(answers, { 'other-drug': 'kratom' });
    assert.equal(page.status, 200);
    assert.match(text(section(page.body, 'details')), /Other drugs \(kratom\) \(ASSIST\)/);
    const c = extractCall(page);
    assert.equal(JSON.parse(c.answers)['other-drug'], undefined, 'not an answer');
    const other = inputs(page.body).find((i) => i.name === 'other' && i.type === 'hidden');
    assert.equal(other.value, 'kratom');
    const sent = await postForm(srv.origin, '/assessment/call', {
        csrf: c.csrf, answers: c.answers, other: 'kratom', name: 'Kit', phone: '555-010-0177',
        'best-time': 'evening', voicemail: 'no', consent: 'yes',
    }, { headers: { cookie: c.cookie } });
    assert.equal(sent.status, 303);
    const stored = JSON.parse(sql("select result from referrals where name = 'Kit'"));
    assert.equal(stored.other_substance, 'kratom');
    // The scorer never sees it: the API for the same answers has no such field.
    assert.equal(json(await score(srv.origin, answers)).other_substance, undefined);
});

test('6: "Talk to us" near the top of every result jumps to the call form', async () => {
    for (const answers of [PROFILES.iop.answers, PROFILES.acute.answers, {}]) {
        const html = (await result(answers)).body;
        const talk = byId(html, 'talk-to-us');
        assert.ok(talk, '#talk-to-us');
        assert.equal(talk.href, '#call');
        const firstSection = Math.min(...['reasons', 'flags', 'next-steps'].map((id) => idIndex(html, id)).filter((i) => i >= 0));
        assert.ok(talk._index < firstSection, 'before the reasons');
        assert.ok(byId(html, 'call'), 'section#call exists');
    }
});

test('6: the home page keeps its promise (at least 9 hours a week) and one time format', async () => {
    const page = (await get('/')).body;
    assert.match(text(page), /never less than 9 hours/);
    // The schedule (the clinic's own hours are the admin's free text).
    const home = page.slice(idIndex(page, 'tracks-title'), page.indexOf('</section>', idIndex(page, 'tracks-title')));
    const hours = [...home.matchAll(/(\d+) hours a week/g)].map((m) => Number(m[1]));
    assert.ok(hours.length >= 2, 'each track states its hours');
    for (const h of hours) assert.ok(h >= 9, `a track of ${h} hours contradicts the promise`);
    const times = [...text(home).matchAll(/\b\d{1,2}:\d{2}\b(\s?[ap]m)?/g)].map((m) => m[0]);
    assert.ok(times.length > 10);
    assert.ok(!times.some((t) => /^(1[3-9]|2\d|0\d):/.test(t)), `no 24-hour times: ${times.join(' ')}`);
    assert.doesNotMatch(text(home), / to \d{1,2}:\d{2}/, 'ranges written one way');
    assert.match(text(home), /9:00–10:30 am/);
    assert.match(text(home), /6:00–7:30 pm/);
});

test('6: quick exit on every public page, the home page and error pages included', async () => {
    for (const path of ['/', '/assessment', '/assessment/thanks', '/no-such-page']) {
        const html = (await get(path)).body;
        assert.ok(byId(html, 'quick-exit'), `#quick-exit on ${path}`);
        assert.match(html, /quick-exit\.js/, `${path} loads quick-exit.js`);
    }
    assert.ok(byId((await result({})).body, 'quick-exit'));
});

test('point 1 without JS: each safety panel follows its question in the form (the CSS shows it)', async () => {
    const html = (await get('/assessment')).body;
    for (const [panel, after] of [['alert-suicide', 'asq-5'], ['alert-withdrawal', 'wd-now'], ['alert-overdose', 'med-overdose']]) {
        const at = idIndex(html, panel);
        assert.ok(at > idIndex(html, `item-${after}`), `${panel} after ${after}`);
        const next = html.indexOf('<fieldset class="item', at);
        assert.ok(next < 0 || next > at, `${panel} right after its question`);
        const block = section(html, panel);
        assert.ok(findTags(block, 'button').some((b) => b.attrs.name === 'result-now'), `${panel}: "See my result now"`);
    }
    const suicide = section(html, 'alert-suicide');
    assert.match(suicide, /href="tel:988"/);
    assert.match(suicide, /href="sms:988"/);
    assert.match(suicide, /href="tel:911"/);
    assert.match(text(suicide), /press 1/);
    // The panels' CSS reads the answers (no JS): the rules are in the stylesheet the page loads.
    const css = (await get('/static/haven.css')).body;
    assert.match(css, /:has\(#asq-5-true:checked\) #alert-suicide/);
    assert.match(css, /:has\(#wd-complicated-true:checked\):has\(#wd-symptoms-severe:checked\) #alert-withdrawal/);
    assert.match(css, /:has\(#med-overdose-true:checked\):has\(#wd-daily-opioids:checked\) #alert-overdose/);
});

test('the same answers score the same through the page and the API (levels, flags)', async () => {
    for (const name of ['php', 'acute', 'withdrawal', 'residential', 'overdose', 'injection', 'nonAcute']) {
        const p = PROFILES[name];
        const html = (await result(p.answers)).body;
        assert.equal(dataLevel(html), p.expect.level, name);
        const b = json(await score(srv.origin, p.answers));
        assert.equal(b.recommendation.level, p.expect.level);
    }
});
