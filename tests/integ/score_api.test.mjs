// POST /api/v1/assessments/score against the contract (spec/assessment.md §1-§7).
// Every expected value here was computed by hand from the spec (see tests/helpers/profiles.mjs
// and the comments on each table row), not taken from the implementation.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
    startServer, request, score, json, countRows, securityHeaderProblems, hasNoStore,
} from '../helpers/server.mjs';
import {
    PROFILES, SUBSTANCES, CONTEXT_IDS, ctx, audit, assist, phq9, gad7, asq, ASQ_NO, ASSIST_NONE,
    auditObj, auditC, phqObj, gadObj,
} from '../helpers/profiles.mjs';
import { assertScore, assert422 } from '../helpers/assess.mjs';

let srv;
const statuses = []; // every status seen, to assert "never a 5xx"

before(async () => { srv = await startServer(); });
after(async () => { if (srv) await srv.stop(); });

async function post(answers, opts) {
    const res = await score(srv.origin, answers, opts);
    statuses.push([res.status, 'score']);
    return res;
}
async function raw(body, headers = { 'content-type': 'application/json' }) {
    const res = await request(srv.origin, 'POST', '/api/v1/assessments/score', { headers, body });
    statuses.push([res.status, typeof body === 'string' ? body.slice(0, 40) : 'buffer']);
    return res;
}
async function ok(answers, label) {
    const res = await post(answers);
    assert.equal(res.status, 200, `${label}: status 200; body ${res.body.slice(0, 600)}`);
    return json(res);
}

// ------------------------------------------------------------------ profiles

for (const [name, p] of Object.entries(PROFILES)) {
    test(`profile ${name} -> ${p.expect.level}`, async () => {
        const res = await post(p.answers);
        assert.equal(res.status, 200, `body: ${res.body.slice(0, 600)}`);
        assert.match(res.headers['content-type'] || '', /^application\/json/);
        assert.ok(hasNoStore(res), `Cache-Control no-store on the score response: ${res.headers['cache-control']}`);
        assert.deepEqual(securityHeaderProblems(res), []);
        assertScore(json(res), p.expect, name);
    });
}

test('version is optional and the result is the same', async () => {
    const a = json(await post(PROFILES.php.answers));
    const resB = await post(PROFILES.php.answers, { version: null });
    assert.equal(resB.status, 200);
    assert.deepEqual(json(resB), a);
});

test('scoring is stateless: the same answers give the same body', async () => {
    const a = await post(PROFILES.acute.answers);
    const b = await post(PROFILES.acute.answers);
    assert.equal(a.body, b.body);
});

test('missing lists exactly the unanswered context items', async () => {
    const answers = { ...PROFILES.iop.answers };
    delete answers.ready;
    delete answers.craving;
    delete answers['about-sex'];
    const b = await ok(answers, 'partial context');
    assert.deepEqual([...b.missing].sort(), ['about-sex', 'craving', 'ready']);
    // defaults: ready 10 (D4 0), craving 0; about-sex unanswered -> AUDIT-C cut-off 3.
    assert.deepEqual(b.dimensions.map((d) => d.rating), [0, 0, 0, 0, 0, 0]);
    assert.deepEqual(b.instruments.audit_c.cutoff, 3);
    assert.equal(b.recommendation.level, 'iop');
});

// ------------------------------------------------------------------ AUDIT bands (§1.1, §4, §5)
// Male, base context, AUDIT only. Level: low -> early-intervention, moderate -> outpatient,
// high -> iop (no other trigger). n = not sent (skipped).
const n = null;
const AUDIT_TABLE = [
    // answers                       score band          zone  C  pos    severity    level
    [[0, n, n, n, n, n, n, n, 0, 0], 0, 'low-risk', 1, 0, false, 'none', 'none'],
    [[0, n, n, n, n, n, n, n, 2, 0], 2, 'low-risk', 1, 0, false, 'low', 'early-intervention'], // 9 always asked
    [[1, 0, 0, n, n, n, n, n, 0, 0], 1, 'low-risk', 1, 1, false, 'low', 'early-intervention'],
    [[4, 3, 0, 0, 0, 0, 0, 0, 0, 0], 7, 'low-risk', 1, 7, true, 'low', 'early-intervention'],
    [[4, 4, 0, 0, 0, 0, 0, 0, 0, 0], 8, 'hazardous', 2, 8, true, 'moderate', 'outpatient'],
    [[1, 0, 0, n, n, n, n, n, 4, 4], 9, 'hazardous', 2, 1, false, 'moderate', 'outpatient'],
    [[4, 4, 4, 3, 0, 0, 0, 0, 0, 0], 15, 'hazardous', 2, 12, true, 'moderate', 'outpatient'],
    [[4, 4, 4, 4, 0, 0, 0, 0, 0, 0], 16, 'harmful', 3, 12, true, 'moderate', 'outpatient'],
    [[4, 4, 4, 4, 3, 0, 0, 0, 0, 0], 19, 'harmful', 3, 12, true, 'moderate', 'outpatient'],
    [[4, 4, 4, 4, 4, 0, 0, 0, 0, 0], 20, 'dependence', 4, 12, true, 'high', 'iop'],
    [[4, 4, 4, 4, 4, 4, 4, 4, 4, 4], 40, 'dependence', 4, 12, true, 'high', 'iop'],
];
for (const [vals, sc, band, zone, c, pos, sev, level] of AUDIT_TABLE) {
    test(`AUDIT ${vals.map((v) => (v === null ? '-' : v)).join(',')} = ${sc} ${band}`, async () => {
        const b = await ok({ ...ctx(), ...audit(vals) }, `audit ${sc}`);
        assertScore(b, {
            instruments: { audit: auditObj(sc, band, zone), audit_c: auditC(c, pos, 4) },
            dims: [0, 0, 0, 0, 0, 0], severity: sev, flags: [], level, missing: [],
        });
    });
}

// ------------------------------------------------------------------ AUDIT-C cut-offs (§1.1)
// Items 1-3 as given, 4-8 = 0 (asked, since 2 or 3 is non-zero), 9 = 10 = 0: score = AUDIT-C.
const AUDITC_TABLE = [
    // sex (undefined = not answered), items 1-3, C, cutoff, positive
    ['male', [1, 1, 1], 3, 4, false],
    ['male', [2, 1, 1], 4, 4, true],
    ['female', [1, 1, 0], 2, 3, false],
    ['female', [1, 1, 1], 3, 3, true],
    ['other', [1, 1, 0], 2, 3, false],
    ['other', [1, 1, 1], 3, 3, true],
    ['prefer-not', [1, 1, 0], 2, 3, false],
    ['prefer-not', [1, 1, 1], 3, 3, true],
    [undefined, [1, 1, 0], 2, 3, false],
    [undefined, [1, 1, 1], 3, 3, true],
];
for (const [sex, three, c, cutoff, pos] of AUDITC_TABLE) {
    test(`AUDIT-C ${c} for sex ${sex ?? '(not answered)'} -> cut-off ${cutoff}, positive ${pos}`, async () => {
        const context = ctx();
        if (sex === undefined) delete context['about-sex']; else context['about-sex'] = sex;
        const b = await ok({ ...context, ...audit([...three, 0, 0, 0, 0, 0, 0, 0]) }, 'audit-c');
        assertScore(b, {
            instruments: { audit: auditObj(c, 'low-risk', 1), audit_c: auditC(c, pos, cutoff) },
            dims: [0, 0, 0, 0, 0, 0], severity: 'low', flags: [], level: 'early-intervention',
            missing: sex === undefined ? ['about-sex'] : [],
        });
    });
}

// ------------------------------------------------------------------ ASSIST bands (§1.2)
// Cannabis only (others "never"), assist-8 = 0, base context.
const ASSIST_TABLE = [
    // Q2..Q7 (n = not asked)   SSIS band       severity    level
    [[2, 0, 0, 0, 0, 0], 2, 'low', 'low', 'early-intervention'],
    [[3, 0, 0, 0, 0, 0], 3, 'low', 'low', 'early-intervention'],
    [[4, 0, 0, 0, 0, 0], 4, 'moderate', 'moderate', 'outpatient'],
    [[6, 6, 7, 7, 0, 0], 26, 'moderate', 'moderate', 'outpatient'],
    [[6, 6, 7, 8, 0, 0], 27, 'high', 'high', 'iop'],
    [[6, 6, 7, 8, 6, 6], 39, 'high', 'high', 'iop'],
    [[0, n, n, n, 3, 0], 3, 'low', 'low', 'early-intervention'], // not in 3 months: 3-5 skipped
    [[0, n, n, n, 6, 6], 12, 'moderate', 'moderate', 'outpatient'], // 6, 7 still asked
    [[0, n, n, n, 0, 0], 0, 'low', 'none', 'none'], // ever used, nothing since: listed, 0
];
for (const [q, ssis, band, sev, level] of ASSIST_TABLE) {
    test(`ASSIST cannabis ${q.map((v) => (v === null ? '-' : v)).join(',')} = ${ssis} ${band}`, async () => {
        const b = await ok({ ...ctx(), ...assist({ cannabis: q }, 0) }, `assist ${ssis}`);
        assertScore(b, {
            instruments: { assist: { substances: { cannabis: { score: ssis, band } }, injection: 0 } },
            dims: [0, 0, 0, 0, 0, 0], severity: sev, flags: [], level, missing: [],
        });
    });
}

test('ASSIST lists only substances ever used, each with its own score', async () => {
    // cocaine 2+3+4+5+3+3 = 20 moderate; other 6+6+6+6+6+6... must be allowed values:
    // other: Q2 6, Q3 6, Q4 7, Q5 8, Q6 6, Q7 6 = 39 high; assist-8 = 1 (reported, not a flag).
    // Severity high (other >= 27); D's 0 -> iop.
    const b = await ok({
        ...ctx(),
        ...assist({ cocaine: [2, 3, 4, 5, 3, 3], other: [6, 6, 7, 8, 6, 6] }, 1),
    }, 'two substances');
    assertScore(b, {
        instruments: {
            assist: {
                substances: { cocaine: { score: 20, band: 'moderate' }, other: { score: 39, band: 'high' } },
                injection: 1,
            },
        },
        dims: [0, 0, 0, 0, 0, 0], severity: 'high', flags: [], level: 'iop', missing: [],
    });
});

// ------------------------------------------------------------------ PHQ-9 / GAD-7 and D3 (§1.3, §1.4, §3)
// Nothing else answered but the base context: severity none -> level none (D3 < 4).
const PHQ_TABLE = [
    // items                          score band                item9 D3  flags
    [[1, 1, 1, 1, 0, 0, 0, 0, 0], 4, 'minimal', 0, 0, []],
    [[1, 1, 1, 1, 1, 0, 0, 0, 0], 5, 'mild', 0, 1, []],
    [[2, 2, 2, 2, 1, 0, 0, 0, 0], 9, 'mild', 0, 1, []],
    [[2, 2, 2, 2, 2, 0, 0, 0, 0], 10, 'moderate', 0, 2, ['mental-health-followup']],
    [[2, 2, 2, 2, 2, 2, 2, 0, 0], 14, 'moderate', 0, 2, ['mental-health-followup']],
    [[2, 2, 2, 2, 2, 2, 2, 1, 0], 15, 'moderately-severe', 0, 2, ['mental-health-followup']],
    [[3, 3, 3, 3, 3, 2, 2, 0, 0], 19, 'moderately-severe', 0, 2, ['mental-health-followup']],
    [[3, 3, 3, 3, 3, 3, 2, 0, 0], 20, 'severe', 0, 3, ['mental-health-followup']],
    [[3, 3, 3, 3, 3, 3, 3, 3, 3], 27, 'severe', 3, 3, ['suicide-risk', 'mental-health-followup']],
];
for (const [items, sc, band, i9, d3, flags] of PHQ_TABLE) {
    test(`PHQ-9 ${sc} ${band} -> D3 ${d3}`, async () => {
        const b = await ok({ ...ctx(), ...phq9(items) }, `phq9 ${sc}`);
        assertScore(b, {
            instruments: { phq9: phqObj(sc, band, i9) },
            dims: [0, 0, d3, 0, 0, 0], severity: 'none', flags, level: 'none', missing: [],
        });
    });
}
const GAD_TABLE = [
    [[1, 1, 1, 1, 0, 0, 0], 4, 'minimal', 0, []],
    [[1, 1, 1, 1, 1, 0, 0], 5, 'mild', 1, []],
    [[2, 2, 2, 2, 1, 0, 0], 9, 'mild', 1, []],
    [[2, 2, 2, 2, 2, 0, 0], 10, 'moderate', 2, ['mental-health-followup']],
    [[2, 2, 2, 2, 2, 2, 2], 14, 'moderate', 2, ['mental-health-followup']],
    [[3, 2, 2, 2, 2, 2, 2], 15, 'severe', 3, ['mental-health-followup']],
    [[3, 3, 3, 3, 3, 3, 3], 21, 'severe', 3, ['mental-health-followup']],
];
for (const [items, sc, band, d3, flags] of GAD_TABLE) {
    test(`GAD-7 ${sc} ${band} -> D3 ${d3}`, async () => {
        const b = await ok({ ...ctx(), ...gad7(items) }, `gad7 ${sc}`);
        assertScore(b, {
            instruments: { gad7: gadObj(sc, band) },
            dims: [0, 0, d3, 0, 0, 0], severity: 'none', flags, level: 'none', missing: [],
        });
    });
}

test('ASQ: all no -> none; asq-5 not asked then', async () => {
    const b = await ok({ ...ctx(), ...ASQ_NO }, 'asq none');
    assertScore(b, {
        instruments: { asq: { risk: 'none' } }, dims: [0, 0, 0, 0, 0, 0], severity: 'none',
        flags: [], level: 'none', missing: [],
    });
});

// ------------------------------------------------------------------ D1 withdrawal (§3), via context only
const D1_TABLE = [
    // context overrides                                                       D1 level                flags
    [{ 'wd-symptoms': 'mild' }, 1, 'none', []],
    [{ 'wd-symptoms': 'mild', 'wd-daily': ['opioids'] }, 2, 'none', []],
    [{ 'wd-symptoms': 'mild', 'wd-daily': ['alcohol'] }, 2, 'none', []],
    [{ 'wd-symptoms': 'severe' }, 1, 'none', []],
    [{ 'wd-symptoms': 'severe', 'wd-daily': ['opioids'] }, 2, 'none', []],
    [{ 'wd-symptoms': 'severe', 'wd-daily': ['sedatives'] }, 3, 'medically-managed', ['withdrawal-danger']],
    [{ 'wd-daily': ['alcohol'] }, 0, 'none', []],
    [{ 'wd-daily': ['alcohol'], 'wd-now': true }, 3, 'medically-managed', ['withdrawal-danger']],
    [{ 'wd-daily': ['sedatives', 'opioids'], 'wd-complicated': true }, 3, 'medically-managed', ['withdrawal-danger']],
    [{ 'wd-daily': ['opioids'], 'wd-now': true }, 0, 'none', []],
    [{ 'wd-now': true, 'wd-complicated': true }, 4, 'emergency', ['withdrawal-danger']],
];
for (const [over, d1, level, flags] of D1_TABLE) {
    test(`D1 ${JSON.stringify(over)} -> ${d1}`, async () => {
        const b = await ok(ctx(over), 'd1');
        assertScore(b, {
            instruments: {}, dims: [d1, 0, 0, 0, 0, 0], severity: 'none', flags, level, missing: [],
        });
    });
}

// ------------------------------------------------------------------ D2, D4, D5, D6 (§3)
const DIM_TABLE = [
    // context overrides                        dims                 flags                  level
    [{ 'med-pregnant': true }, [0, 2, 0, 0, 0, 0], ['pregnancy'], 'none'],
    [{ 'med-overdose': true }, [0, 2, 0, 0, 0, 0], ['overdose-risk'], 'none'],
    [{ 'med-unstable': true, 'med-pregnant': true }, [0, 3, 0, 0, 0, 0], ['pregnancy'], 'medically-managed'],
    [{ 'ready': 0 }, [0, 0, 0, 2, 0, 0], ['low-readiness'], 'none'],
    [{ 'ready': 3 }, [0, 0, 0, 2, 0, 0], ['low-readiness'], 'none'],
    [{ 'ready': 4 }, [0, 0, 0, 1, 0, 0], [], 'none'],
    [{ 'ready': 6 }, [0, 0, 0, 1, 0, 0], [], 'none'],
    [{ 'ready': 7 }, [0, 0, 0, 0, 0, 0], [], 'none'],
    [{ 'relapse': true, 'craving': 7 }, [0, 0, 0, 0, 3, 0], [], 'none'],
    [{ 'relapse': true, 'craving': 6 }, [0, 0, 0, 0, 2, 0], [], 'none'],
    [{ 'relapse': true, 'craving': 0 }, [0, 0, 0, 0, 2, 0], [], 'none'],
    [{ 'craving': 7 }, [0, 0, 0, 0, 2, 0], [], 'none'],
    [{ 'craving': 10 }, [0, 0, 0, 0, 2, 0], [], 'none'],
    [{ 'craving': 4 }, [0, 0, 0, 0, 1, 0], [], 'none'],
    [{ 'craving': 3 }, [0, 0, 0, 0, 0, 0], [], 'none'],
    [{ 'env-safe': false }, [0, 0, 0, 0, 0, 4], [], 'none'],
    [{ 'env-housing': 'none' }, [0, 0, 0, 0, 0, 4], [], 'none'],
    [{ 'env-home-use': true }, [0, 0, 0, 0, 0, 3], [], 'none'],
    [{ 'env-housing': 'unstable' }, [0, 0, 0, 0, 0, 3], [], 'none'],
    [{ 'env-support': 'none' }, [0, 0, 0, 0, 0, 2], [], 'none'],
    [{ 'env-support': 'some' }, [0, 0, 0, 0, 0, 1], [], 'none'],
    [{ 'env-safe': false, 'env-support': 'none' }, [0, 0, 0, 0, 0, 4], [], 'none'],
    [{ 'about-age': 'under-18' }, [0, 0, 0, 0, 0, 0], ['adolescent'], 'none'],
];
for (const [over, dims, flags, level] of DIM_TABLE) {
    test(`dimensions ${JSON.stringify(over)} -> ${dims.join('')}`, async () => {
        const b = await ok(ctx(over), 'dims');
        assertScore(b, { instruments: {}, dims, severity: 'none', flags, level, missing: [] });
    });
}

// ------------------------------------------------------------------ level-of-care edges (§5)
test('moderate with D3 2 -> iop; moderate with D6 1 -> outpatient; high with D6 2 -> iop', async () => {
    const a8 = audit([4, 4, 0, 0, 0, 0, 0, 0, 0, 0]); // AUDIT 8 -> moderate
    // PHQ-9 10 -> D3 2 -> iop (and mental-health-followup)
    let b = await ok({ ...ctx(), ...a8, ...phq9([2, 2, 2, 2, 2, 0, 0, 0, 0]) }, 'mod d3');
    assert.equal(b.recommendation.level, 'iop');
    assert.deepEqual(b.flags, ['mental-health-followup']);
    // support "some" -> D6 1 -> not an iop trigger -> outpatient
    b = await ok({ ...ctx({ 'env-support': 'some' }), ...a8 }, 'mod d6 1');
    assert.deepEqual(b.dimensions.map((d) => d.rating), [0, 0, 0, 0, 0, 1]);
    assert.equal(b.recommendation.level, 'outpatient');
    // craving 7 -> D5 2 -> iop
    b = await ok({ ...ctx({ 'craving': 7 }), ...a8 }, 'mod d5');
    assert.equal(b.recommendation.level, 'iop');
    // high (AUDIT 20) with support none -> D6 2: not residential (needs 3) -> iop
    b = await ok({ ...ctx({ 'env-support': 'none' }), ...audit([4, 4, 4, 4, 4, 0, 0, 0, 0, 0]) }, 'high d6 2');
    assert.equal(b.recommendation.level, 'iop');
    // high with ASQ non-acute (D3 3) -> php
    b = await ok({ ...ctx(), ...audit([4, 4, 4, 4, 4, 0, 0, 0, 0, 0]), ...asq([true, false, false, false], false) }, 'high d3 3');
    assert.equal(b.recommendation.level, 'php');
    assert.deepEqual(b.flags, ['suicide-risk', 'mental-health-followup']);
    // low (AUDIT 1) with D6 4 -> residential needs severity >= moderate -> early-intervention
    b = await ok({ ...ctx({ 'env-safe': false }), ...audit([1, 0, 0, n, n, n, n, n, 0, 0]) }, 'low d6 4');
    assert.equal(b.recommendation.level, 'early-intervention');
    // moderate with D2 3 -> medically-managed before residential
    b = await ok({ ...ctx({ 'med-unstable': true, 'env-safe': false }), ...a8 }, 'mod d2 3');
    assert.equal(b.recommendation.level, 'medically-managed');
});

test('all flags at once, in spec order', async () => {
    // ASQ non-acute (suicide-risk), D1 3 (withdrawal-danger), med-overdose (overdose-risk),
    // assist-8 = 2 (injection), pregnant, under-18, D3 3 (mental-health-followup), ready 2
    // (low-readiness). suicide-acute cannot be set together with suicide-risk.
    const b = await ok({
        ...ctx({
            'about-age': 'under-18', 'about-sex': 'female', 'wd-symptoms': 'severe', 'wd-daily': ['alcohol'],
            'med-overdose': true, 'med-pregnant': true, 'ready': 2,
        }),
        ...assist({ opioids: [4, 4, 4, 5, 6, 6] }, 2), // 29 high
        ...asq([false, false, false, true], false),
    }, 'all flags');
    assert.deepEqual(b.flags, ['suicide-risk', 'withdrawal-danger', 'overdose-risk', 'injection',
        'pregnancy', 'adolescent', 'mental-health-followup', 'low-readiness']);
    assert.deepEqual(b.dimensions.map((d) => d.rating), [3, 2, 3, 2, 0, 0]);
    assert.equal(b.severity, 'high');
    assert.equal(b.recommendation.level, 'medically-managed');
});

// ------------------------------------------------------------------ skipped items (§1.6)
const SKIPPED_EXTRAS = [
    ['audit-2..8 after audit-1 = 0', PROFILES.nothing,
        { 'audit-2': 4, 'audit-3': 4, 'audit-4': 4, 'audit-5': 4, 'audit-6': 4, 'audit-7': 4, 'audit-8': 4 }],
    ['audit-4..8 after audit-2 = audit-3 = 0', PROFILES.adolescent,
        { 'audit-4': 3, 'audit-5': 3, 'audit-6': 3, 'audit-7': 3, 'audit-8': 3 }],
    ['assist-2..7 of a substance never used', PROFILES.nothing,
        { 'assist-2-cannabis': 6, 'assist-3-cannabis': 6, 'assist-4-cannabis': 7, 'assist-5-cannabis': 8,
            'assist-6-cannabis': 6, 'assist-7-cannabis': 6 }],
    ['assist-8 = 2 when no drug was ever used', PROFILES.nothing, { 'assist-8': 2 }],
    ['assist-3..5 after assist-2 = 0', PROFILES.opioidsPast,
        { 'assist-3-opioids': 6, 'assist-4-opioids': 7, 'assist-5-opioids': 8 }],
    ['asq-5 = true when asq-1..4 are all no', PROFILES.nothing, { 'asq-5': true }],
];
for (const [label, p, extra] of SKIPPED_EXTRAS) {
    test(`skipped items sent anyway are ignored: ${label}`, async () => {
        const without = await post(p.answers);
        const withExtra = await post({ ...p.answers, ...extra });
        assert.equal(without.status, 200);
        assert.equal(withExtra.status, 200, withExtra.body.slice(0, 400));
        assertScore(json(withExtra), p.expect, label);
        assert.deepEqual(json(withExtra), json(without));
    });
}

const SKIPPED_INVALID = [
    ['audit-2 = 5 after audit-1 = 0', PROFILES.nothing, { 'audit-2': 5 }, 'audit-2'],
    ['audit-4 = "1" after audit-2 = audit-3 = 0', PROFILES.adolescent, { 'audit-4': '1' }, 'audit-4'],
    ['assist-2-cannabis = 1 when never used', PROFILES.nothing, { 'assist-2-cannabis': 1 }, 'assist-2-cannabis'],
    ['assist-8 = 3 when no drug used', PROFILES.nothing, { 'assist-8': 3 }, 'assist-8'],
    ['asq-5 = "yes" when not asked', PROFILES.nothing, { 'asq-5': 'yes' }, 'asq-5'],
];
for (const [label, p, extra, item] of SKIPPED_INVALID) {
    test(`skipped items sent anyway are validated: ${label} -> 422`, async () => {
        const items = assert422(await post({ ...p.answers, ...extra }), label);
        assert.deepEqual([...items], [item]);
    });
}

// ------------------------------------------------------------------ invalid values (§7 422)
// Each row changes one answer of the complete, valid php profile.
const BAD_VALUES = [
    // unknown ids
    ['nope', 1], ['AUDIT-1', 2], ['audit-11', 0], ['audit-0', 0], ['phq9-10', 0], ['gad7-8', 0],
    ['asq-6', false], ['assist-2-tobacco', 0], ['assist-1-alcohol', false], ['assist-9', 0],
    ['assist-8-cannabis', 0], ['', 1], ['version', 'haven-assessment-1'],
    // wrong type
    ['audit-1', '4'], ['audit-1', true], ['audit-1', null], ['audit-1', [4]], ['audit-1', 2.5],
    ['phq9-1', '0'], ['ready', '7'], ['craving', 10.5], ['ready', 2.5],
    ['asq-1', 0], ['asq-1', 'false'], ['assist-1-cocaine', 'false'], ['assist-1-cocaine', 1],
    ['wd-now', 'true'], ['env-safe', 1], ['med-unstable', null],
    ['about-age', 30], ['wd-daily', 'alcohol'], ['wd-daily', { alcohol: true }], ['wd-daily', [1]],
    ['env-obligations', 'work'],
    // outside the allowed set
    ['audit-1', 5], ['audit-1', -1], ['audit-9', 1], ['audit-10', 3], ['audit-9', 5],
    ['assist-2-opioids', 1], ['assist-2-opioids', 5], ['assist-3-opioids', 2], ['assist-4-opioids', 3],
    ['assist-5-opioids', 4], ['assist-6-opioids', 4], ['assist-7-opioids', 1], ['assist-8', 3],
    ['phq9-1', 4], ['phq9-9', -1], ['gad7-7', 4],
    ['ready', 11], ['ready', -1], ['craving', 11], ['craving', -1],
    ['about-age', 'old'], ['about-age', ''], ['about-sex', 'Male'], ['wd-symptoms', 'moderate'],
    ['wd-daily', ['heroin']], ['wd-daily', ['alcohol', 'tobacco']],
    ['env-housing', 'Stable'], ['env-support', 'lots'], ['env-obligations', ['work', 'golf']],
    ['pref-schedule', 'night'],
];
for (const [id, value] of BAD_VALUES) {
    test(`422 for ${JSON.stringify(id)} = ${JSON.stringify(value)}`, async () => {
        const answers = { ...PROFILES.php.answers, [id]: value };
        const items = assert422(await post(answers), `${id}=${JSON.stringify(value)}`);
        assert.deepEqual([...items], [id]);
    });
}

test('422 lists every bad item at once', async () => {
    const answers = { ...PROFILES.php.answers, 'nope': 1, 'audit-9': 1, 'phq9-1': 4, 'ready': 'high' };
    const items = assert422(await post(answers), 'several');
    for (const id of ['nope', 'audit-9', 'phq9-1', 'ready']) assert.ok(items.has(id), `details name ${id}`);
});

// ------------------------------------------------------------------ partly answered (§7 422)
const range = (prefix, a, b) => Array.from({ length: b - a + 1 }, (_, i) => `${prefix}${a + i}`);
const allAssist1 = SUBSTANCES.map((s) => `assist-1-${s}`);
const PARTIAL = [
    // label, answers (instrument part; base context is added), exactly listed, may also be listed
    ['audit-1 = 2, audit-2 = audit-3 = 0 (4-8 skipped)', { 'audit-1': 2, 'audit-2': 0, 'audit-3': 0 },
        ['audit-9', 'audit-10'], []],
    ['audit-1 = 2, audit-2 = 1 (3 missing, 4-8 asked)', { 'audit-1': 2, 'audit-2': 1 },
        range('audit-', 3, 10), []],
    // 4-8 depend on the missing audit-2/3: the spec cannot say whether they are asked.
    ['only audit-1 = 2', { 'audit-1': 2 }, ['audit-2', 'audit-3', 'audit-9', 'audit-10'], range('audit-', 4, 8)],
    ['audit-1 = 0, audit-9 = 0', { 'audit-1': 0, 'audit-9': 0 }, ['audit-10'], []],
    ['only audit-10 = 4', { 'audit-10': 4 }, ['audit-1', 'audit-9'], range('audit-', 2, 8)],
    ['AUDIT without audit-5', audit([3, 2, 2, 1, null, 0, 1, 0, 0, 2]), ['audit-5'], []],
    ['cannabis used, nothing else about other substances',
        { 'assist-1-cannabis': true, 'assist-2-cannabis': 0, 'assist-6-cannabis': 0, 'assist-7-cannabis': 0 },
        [...allAssist1.filter((x) => x !== 'assist-1-cannabis'), 'assist-8'], []],
    ['opioids used monthly, Q3-Q7 and assist-8 missing',
        { ...ASSIST_NONE, 'assist-1-opioids': true, 'assist-2-opioids': 3 },
        ['assist-3-opioids', 'assist-4-opioids', 'assist-5-opioids', 'assist-6-opioids', 'assist-7-opioids', 'assist-8'], []],
    ['only assist-8 = 0', { 'assist-8': 0 }, allAssist1, []],
    ['only assist-1-cannabis = false', { 'assist-1-cannabis': false },
        allAssist1.filter((x) => x !== 'assist-1-cannabis'), ['assist-8']],
    ['cannabis used, all "ever used" answered, nothing more',
        { ...ASSIST_NONE, 'assist-1-cannabis': true },
        ['assist-2-cannabis', 'assist-6-cannabis', 'assist-7-cannabis', 'assist-8'],
        ['assist-3-cannabis', 'assist-4-cannabis', 'assist-5-cannabis']],
    ['PHQ-9 without item 9', { 'phq9-1': 0, 'phq9-2': 1, 'phq9-3': 0, 'phq9-4': 0, 'phq9-5': 0, 'phq9-6': 0, 'phq9-7': 0, 'phq9-8': 0 },
        ['phq9-9'], []],
    ['only gad7-3', { 'gad7-3': 1 }, ['gad7-1', 'gad7-2', 'gad7-4', 'gad7-5', 'gad7-6', 'gad7-7'], []],
    ['only asq-1 = true', { 'asq-1': true }, ['asq-2', 'asq-3', 'asq-4', 'asq-5'], []],
    ['asq-2 = true without asq-5', asq([false, true, false, false]), ['asq-5'], []],
    ['only asq-5', { 'asq-5': true }, ['asq-1', 'asq-2', 'asq-3', 'asq-4'], []],
    ['two instruments partly answered', { 'audit-1': 0, 'phq9-1': 0 },
        ['audit-9', 'audit-10', ...range('phq9-', 2, 9)], []],
];
for (const [label, part, exact, may] of PARTIAL) {
    test(`422 partly answered: ${label}`, async () => {
        const items = assert422(await post({ ...ctx(), ...part }), label);
        for (const id of exact) assert.ok(items.has(id), `${id} is listed (got ${[...items].join(', ')})`);
        for (const id of items) {
            assert.ok(exact.includes(id) || may.includes(id), `${id} should not be listed (got ${[...items].join(', ')})`);
        }
    });
}

test('context items are never required: partial context is 200 with missing', async () => {
    const b = await ok({ 'ready': 8, 'env-safe': true }, 'two context items');
    assert.deepEqual([...b.missing].sort(), CONTEXT_IDS.filter((x) => x !== 'ready' && x !== 'env-safe').sort());
});

// ------------------------------------------------------------------ malformed bodies (§7 400/413)
const NOT_AN_OBJECT = [
    ['not JSON', 'not json'], ['empty body', ''], ['JSON array', '[]'], ['JSON string', '"x"'],
    ['JSON null', 'null'], ['JSON number', '42'], ['JSON true', 'true'], ['truncated', '{"answers":'],
    ['trailing garbage', '{"answers":{}} x'], ['single quotes', "{'answers':{}}"],
    ['deep nesting', '['.repeat(20000) + ']'.repeat(20000)],
    ['array of objects', '[{"answers":{}}]'],
];
for (const [label, body] of NOT_AN_OBJECT) {
    test(`400 for a body that is not a JSON object: ${label}`, async () => {
        const res = await raw(body);
        assert.equal(res.status, 400, `body: ${res.body.slice(0, 300)}`);
        assert.match(res.headers['content-type'] || '', /application\/json/);
        assert.equal(typeof json(res).error, 'string');
    });
}

test('4xx, never 5xx, for other odd bodies', async () => {
    const odd = [
        Buffer.from([0x7b, 0x22, 0x61, 0x6e, 0x73, 0x77, 0x65, 0x72, 0x73, 0x22, 0x3a, 0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d, 0x7d]), // invalid UTF-8 key
        '{"answers":{"audit-1":1,"audit-1":2}}', // duplicate key
        '{"answers":[]}', '{"answers":"x"}', '{"answers":null}', '{"answers":{"audit-1":1e400}}',
        '{"answers":{"ready":99999999999999999999999}}', '{"answers":{"audit-1":0.0000001}}',
        '{"answers":{"about-age":"\\u0000"}}',
    ];
    for (const body of odd) {
        const res = await raw(body);
        assert.ok(res.status >= 400 && res.status < 500, `${String(body).slice(0, 60)} -> ${res.status}`);
    }
    // Not 5xx (a 200 is a fair reading of these too).
    for (const body of ['{}', '{"version":"haven-assessment-2","answers":{}}', '{"answers":{},"extra":1}']) {
        const res = await raw(body);
        assert.ok(res.status < 500, `${body} -> ${res.status}`);
    }
});

test('wrong or missing Content-Type: parsed anyway (then scored right) or refused, never 5xx', async () => {
    const body = JSON.stringify({ answers: PROFILES.mild.answers });
    for (const headers of [{ 'content-type': 'text/plain' }, {}, { 'content-type': 'application/x-www-form-urlencoded' }]) {
        const res = await raw(body, headers);
        assert.ok(res.status < 500, `${JSON.stringify(headers)} -> ${res.status}`);
        if (res.status === 200) assertScore(json(res), PROFILES.mild.expect);
    }
});

test('body size: 64 KiB is accepted, one byte more is 413', async () => {
    const core = JSON.stringify({ answers: PROFILES.mild.answers });
    const exact = core + ' '.repeat(65536 - Buffer.byteLength(core));
    assert.equal(Buffer.byteLength(exact), 65536);
    const r1 = await raw(exact);
    assert.equal(r1.status, 200, `64 KiB body: ${r1.body.slice(0, 200)}`);
    const r2 = await raw(exact + ' ');
    assert.equal(r2.status, 413);
    // 1 MiB: the server may answer 413 and close before reading it all; a reset after the
    // answer is fine, a reset without one is tolerated too (the upload was refused).
    let r3 = null;
    try {
        r3 = await raw(JSON.stringify({ answers: {}, pad: 'x'.repeat(1 << 20) }));
    } catch (e) {
        assert.ok(['ECONNRESET', 'EPIPE'].includes(e.code), `1 MiB body: ${e.message}`);
    }
    if (r3) assert.equal(r3.status, 413);
});

test('wrong method on the score route -> 405', async () => {
    for (const m of ['GET', 'PUT', 'DELETE']) {
        const res = await request(srv.origin, m, '/api/v1/assessments/score');
        statuses.push([res.status, m]);
        assert.equal(res.status, 405, m);
    }
});

// ------------------------------------------------------------------ whole numbers written as decimals
// Issue 7: JSON does not tell 1 from 1.0, and FHIR tools write decimals; an integral decimal is
// the whole number it equals. A fraction stays a wrong value (the BAD_VALUES rows above).
const rawAnswers = (text) => raw(`{"version":"haven-assessment-1","answers":${text}}`);
const php = PROFILES.php.answers;
/** php's answers as JSON text, with some of its numbers written as decimals (`1.0`, `6e0`). */
function phpWithDecimals(ids) {
    let text = JSON.stringify(php);
    for (const [id, lit] of ids) {
        const re = new RegExp(`"${id}":(-?\\d+)([,}])`);
        assert.ok(re.test(text), id);
        text = text.replace(re, (m, n, end) => `"${id}":${lit(Number(n))}${end}`);
    }
    return text;
}

test('integral decimals are accepted as whole numbers: 1.0, 6e0, 5.00, 0.0, -0.0', async () => {
    const want = json(await post(php));
    const text = phpWithDecimals([['audit-1', (n) => `${n}.0`], ['assist-2-opioids', (n) => `${n}e0`],
        ['ready', (n) => `${n}.00`], ['phq9-9', () => '0.0'], ['assist-8', () => '-0.0'],
        ['craving', (n) => `${n * 10}e-1`]]);
    assert.match(text, /"audit-1":4\.0/);
    const res = await rawAnswers(text);
    assert.equal(res.status, 200, res.body.slice(0, 400));
    assert.deepEqual(json(res), want);
});

test('decimals that are not whole numbers, or outside every set, stay refused by item', async () => {
    for (const [id, lit] of [['audit-1', '1.5'], ['ready', '7.0001'], ['phq9-1', '1e300'], ['gad7-2', '3.0e-1']]) {
        const text = phpWithDecimals([[id, () => lit]]);
        const items = assert422(await rawAnswers(text), `${id}=${lit}`);
        assert.deepEqual([...items], [id]);
    }
});

test('an integral decimal outside the allowed set is refused like the integer', async () => {
    const items = assert422(await rawAnswers(phpWithDecimals([['audit-9', () => '1.0']])), 'audit-9=1.0');
    assert.deepEqual([...items], ['audit-9']);
});

// ------------------------------------------------------------------ global properties
test('never a 5xx, server still healthy', async () => {
    assert.ok(statuses.length > 50, 'the other tests ran first');
    const bad = statuses.filter(([s]) => s >= 500);
    assert.deepEqual(bad, []);
    const h = await request(srv.origin, 'GET', '/healthz');
    assert.equal(h.status, 200);
    assert.equal(srv.exited(), null, 'server did not exit');
});

test('nothing is stored by scoring: referrals stays empty', () => {
    assert.equal(countRows(srv.db, 'referrals'), 0);
});

test('a number too large for any answer (valid JSON) -> 422, not 400', async () => {
    for (const body of ['{"answers":{"ready":1e400}}', '{"answers":{"audit-1":99999999999999999999999}}']) {
        const res = await request(srv.origin, 'POST', '/api/v1/assessments/score', {
            headers: { 'content-type': 'application/json' }, body,
        });
        assert422(res, body);
    }
});
