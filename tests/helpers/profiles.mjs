// Answer profiles for the self-assessment with their expected results, computed BY HAND from
// /work/shared/spec/assessment.md ("the spec", version haven-assessment-1), never from the
// implementation. Each profile's comment shows the arithmetic and the rule line that decides.
//
// Shared by tests/integ (API and web form) and tests/e2e (browser).
//
// Expected result shape (see assertScore in ./assess.mjs):
//   instruments: the exact objects of spec §7 (an instrument left out = not answered)
//   dims:        the six ratings D1..D6 (spec §3)
//   severity, flags (in spec §6 order), level (spec §5), missing (context ids, any order)

import assert from 'node:assert/strict';

export const SUBSTANCES = ['cannabis', 'cocaine', 'stimulants', 'inhalants', 'sedatives',
    'hallucinogens', 'opioids', 'other'];

/** Context items of spec §2, in table order. */
export const CONTEXT_IDS = ['about-age', 'about-sex', 'wd-symptoms', 'wd-complicated', 'wd-now',
    'wd-daily', 'med-unstable', 'med-pregnant', 'med-overdose', 'ready', 'tx-recent',
    'tx-op-not-enough', 'relapse', 'craving', 'env-housing', 'env-safe', 'env-home-use',
    'env-support', 'env-obligations', 'pref-schedule', 'pref-telehealth'];

const range = (a, b) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

/**
 * Every item of the spec with its allowed values (as the JSON API takes them) and kind.
 * kind: 'int' (one of values), 'bool', 'code' (string), 'codes' (array of strings).
 */
export const ITEMS = (() => {
    const items = [];
    for (let i = 1; i <= 10; i++) {
        items.push({ id: `audit-${i}`, kind: 'int', values: i <= 8 ? [0, 1, 2, 3, 4] : [0, 2, 4], scored: true });
    }
    for (const s of SUBSTANCES) {
        items.push({ id: `assist-1-${s}`, kind: 'bool' });
        items.push({ id: `assist-2-${s}`, kind: 'int', values: [0, 2, 3, 4, 6], scored: true });
        items.push({ id: `assist-3-${s}`, kind: 'int', values: [0, 3, 4, 5, 6], scored: true });
        items.push({ id: `assist-4-${s}`, kind: 'int', values: [0, 4, 5, 6, 7], scored: true });
        items.push({ id: `assist-5-${s}`, kind: 'int', values: [0, 5, 6, 7, 8], scored: true });
        items.push({ id: `assist-6-${s}`, kind: 'int', values: [0, 6, 3], scored: true });
        items.push({ id: `assist-7-${s}`, kind: 'int', values: [0, 6, 3], scored: true });
    }
    items.push({ id: 'assist-8', kind: 'int', values: [0, 2, 1] });
    for (let i = 1; i <= 9; i++) items.push({ id: `phq9-${i}`, kind: 'int', values: [0, 1, 2, 3], scored: true });
    for (let i = 1; i <= 7; i++) items.push({ id: `gad7-${i}`, kind: 'int', values: [0, 1, 2, 3], scored: true });
    for (let i = 1; i <= 5; i++) items.push({ id: `asq-${i}`, kind: 'bool' });
    items.push({ id: 'about-age', kind: 'code', values: ['under-18', '18-25', '26-34', '35-49', '50-64', '65-plus'] });
    items.push({ id: 'about-sex', kind: 'code', values: ['female', 'male', 'other', 'prefer-not'] });
    items.push({ id: 'wd-symptoms', kind: 'code', values: ['none', 'mild', 'severe'] });
    items.push({ id: 'wd-complicated', kind: 'bool' });
    items.push({ id: 'wd-now', kind: 'bool' });
    items.push({ id: 'wd-daily', kind: 'codes', values: ['alcohol', 'sedatives', 'opioids'] });
    items.push({ id: 'med-unstable', kind: 'bool' });
    items.push({ id: 'med-pregnant', kind: 'bool' });
    items.push({ id: 'med-overdose', kind: 'bool' });
    items.push({ id: 'ready', kind: 'int', values: range(0, 10) });
    items.push({ id: 'tx-recent', kind: 'bool' });
    items.push({ id: 'tx-op-not-enough', kind: 'bool' });
    items.push({ id: 'relapse', kind: 'bool' });
    items.push({ id: 'craving', kind: 'int', values: range(0, 10) });
    items.push({ id: 'env-housing', kind: 'code', values: ['stable', 'unstable', 'none'] });
    items.push({ id: 'env-safe', kind: 'bool' });
    items.push({ id: 'env-home-use', kind: 'bool' });
    items.push({ id: 'env-support', kind: 'code', values: ['strong', 'some', 'none'] });
    items.push({ id: 'env-obligations', kind: 'codes', values: ['work', 'school', 'children', 'caregiving'] });
    items.push({ id: 'pref-schedule', kind: 'code', values: ['morning', 'evening', 'either'] });
    items.push({ id: 'pref-telehealth', kind: 'bool' });
    return items;
})();
export const ITEM_BY_ID = Object.fromEntries(ITEMS.map((i) => [i.id, i]));

// ---------------------------------------------------------------- answer builders

/**
 * AUDIT answers from a list of 10 values; null = not sent (e.g. skipped by skip logic).
 */
export function audit(vals) {
    assert.equal(vals.length, 10);
    const a = {};
    vals.forEach((v, i) => { if (v !== null) a[`audit-${i + 1}`] = v; });
    return a;
}

/**
 * ASSIST answers: used = { substance: [q2, q3, q4, q5, q6, q7] } (null = not sent); every other
 * substance gets assist-1-s = false; inj = assist-8 (null = not sent).
 */
export function assist(used, inj) {
    const a = {};
    for (const s of SUBSTANCES) {
        if (!(s in used)) { a[`assist-1-${s}`] = false; continue; }
        a[`assist-1-${s}`] = true;
        used[s].forEach((v, i) => { if (v !== null) a[`assist-${i + 2}-${s}`] = v; });
    }
    if (inj !== null && inj !== undefined) a['assist-8'] = inj;
    return a;
}
export const ASSIST_NONE = assist({}, null); // all eight assist-1-s false; assist-8 not asked

export function phq9(vals) {
    assert.equal(vals.length, 9);
    return Object.fromEntries(vals.map((v, i) => [`phq9-${i + 1}`, v]));
}
export function gad7(vals) {
    assert.equal(vals.length, 7);
    return Object.fromEntries(vals.map((v, i) => [`gad7-${i + 1}`, v]));
}
/** ASQ: four booleans for asq-1..4, and asq-5 (undefined = not sent). */
export function asq(q1to4, q5) {
    const a = Object.fromEntries(q1to4.map((v, i) => [`asq-${i + 1}`, v]));
    if (q5 !== undefined) a['asq-5'] = q5;
    return a;
}
export const ASQ_NO = asq([false, false, false, false]);

/**
 * Every context item answered with its no-risk value (and a few harmless preferences).
 * With this context: D1 0, D2 0, D4 0 (ready 10), D5 0, D6 0, and missing = [].
 */
export const BASE_CONTEXT = Object.freeze({
    'about-age': '35-49',
    'about-sex': 'male',
    'wd-symptoms': 'none',
    'wd-complicated': false,
    'wd-now': false,
    'wd-daily': [],
    'med-unstable': false,
    'med-pregnant': false,
    'med-overdose': false,
    'ready': 10,
    'tx-recent': false,
    'tx-op-not-enough': false,
    'relapse': false,
    'craving': 0,
    'env-housing': 'stable',
    'env-safe': true,
    'env-home-use': false,
    'env-support': 'strong',
    'env-obligations': ['work'],
    'pref-schedule': 'evening',
    'pref-telehealth': true,
});

export function ctx(over = {}) {
    return { ...BASE_CONTEXT, ...over };
}

// ---------------------------------------------------------------- instrument objects

export const auditObj = (score, band, zone) => ({ score, max: 40, band, zone });
export const auditC = (score, positive, cutoff) => ({ score, max: 12, positive, cutoff });
export const phqObj = (score, band, item9) => ({ score, max: 27, band, item9 });
export const gadObj = (score, band) => ({ score, max: 21, band });

// ---------------------------------------------------------------- the named profiles

export const PROFILES = {
    // P1 nothing used. AUDIT: audit-1 = 0, so 2-8 not asked; 9 = 0, 10 = 0 -> 0, low-risk zone 1.
    // AUDIT-C 0, male -> cut-off 4, negative. ASSIST: all eight "ever used" false -> no substances,
    // assist-8 not asked. PHQ-9 0 minimal, GAD-7 0 minimal, ASQ all no -> none.
    // D1..D6 all 0 (base context). Severity: AUDIT 0 and no SSIS -> none. Level: none.
    nothing: {
        answers: {
            ...ctx(), ...audit([0, null, null, null, null, null, null, null, 0, 0]),
            ...ASSIST_NONE, ...phq9([0, 0, 0, 0, 0, 0, 0, 0, 0]), ...gad7([0, 0, 0, 0, 0, 0, 0]), ...ASQ_NO,
        },
        expect: {
            instruments: {
                audit: auditObj(0, 'low-risk', 1), audit_c: auditC(0, false, 4),
                assist: { substances: {} }, // injection not asked: absent, null or 0 accepted
                phq9: phqObj(0, 'minimal', 0), gad7: gadObj(0, 'minimal'), asq: { risk: 'none' },
            },
            dims: [0, 0, 0, 0, 0, 0], severity: 'none', flags: [], level: 'none', missing: [],
        },
    },

    // P2 mild drinker, female, only AUDIT answered. audit-1 = 2, audit-2 = 0, audit-3 = 1 (2 and 3
    // not both 0, so 4-8 are asked: all 0), 9 = 0, 10 = 0. Score 2+0+1 = 3 -> low-risk zone 1.
    // AUDIT-C 3, female cut-off 3 -> positive. Severity: AUDIT 3 >= 1 -> low.
    // Level: no emergency/mm/residential/php; iop needs tx-recent (false); outpatient needs
    // D5 >= 2 (0) -> early-intervention (0.5). Instruments: only audit and audit_c.
    mild: {
        answers: { ...ctx({ 'about-sex': 'female' }), ...audit([2, 0, 1, 0, 0, 0, 0, 0, 0, 0]) },
        expect: {
            instruments: { audit: auditObj(3, 'low-risk', 1), audit_c: auditC(3, true, 3) },
            dims: [0, 0, 0, 0, 0, 0], severity: 'low', flags: [], level: 'early-intervention', missing: [],
        },
    },

    // P3 hazardous drinking, weekly counselling was not enough. Male.
    // AUDIT 3+2+2+1+1+0+1+0+0+2 = 12 -> hazardous zone 2; AUDIT-C 3+2+2 = 7 >= 4 -> positive.
    // PHQ-9 1+1+1+0+0+1+0+0+0 = 4 minimal (item9 0); GAD-7 1+1 = 2 minimal -> D3 0.
    // Severity: AUDIT 12 >= 8 -> moderate. Level: moderate and tx-op-not-enough -> iop (2.1).
    iop: {
        answers: {
            ...ctx({ 'tx-op-not-enough': true }), ...audit([3, 2, 2, 1, 1, 0, 1, 0, 0, 2]),
            ...ASSIST_NONE, ...phq9([1, 1, 1, 0, 0, 1, 0, 0, 0]), ...gad7([1, 1, 0, 0, 0, 0, 0]), ...ASQ_NO,
        },
        expect: {
            instruments: {
                audit: auditObj(12, 'hazardous', 2), audit_c: auditC(7, true, 4), assist: { substances: {} },
                phq9: phqObj(4, 'minimal', 0), gad7: gadObj(2, 'minimal'), asq: { risk: 'none' },
            },
            dims: [0, 0, 0, 0, 0, 0], severity: 'moderate', flags: [], level: 'iop', missing: [],
        },
    },

    // P4 AUDIT 23 + opioids high + relapse with craving 8. Male.
    // AUDIT 4+3+3+2+2+1+2+2+2+2 = 23 -> dependence zone 4; AUDIT-C 4+3+3 = 10 -> positive (cut-off 4).
    // Opioids Q2-Q7 = 6+5+6+5+6+3 = 31 -> high; assist-8 = 0 (injection 0).
    // PHQ-9 2+2+1+1+1+1+1+1+0 = 10 moderate, item9 0; GAD-7 6x1 = 6 mild.
    // D1: wd-symptoms mild and wd-daily [opioids] (not A/S) -> 2. D2 0.
    // D3: PHQ-9 >= 10 -> 2 (item9 0, PHQ < 20, GAD < 15). D4: ready 5 <= 6 -> 1.
    // D5: relapse and craving 8 >= 7 -> 3. D6 0.
    // Severity: AUDIT 23 >= 20 -> high. Level: D3 2, D1 2 -> no emergency/mm; D6 0 -> no
    // residential; high and D5 >= 3 -> php (2.5).
    // Flags: overdose-risk (assist-2-opioids 6 > 0 and AUDIT >= 8); mental-health-followup (D3 >= 2).
    php: {
        answers: {
            ...ctx({ 'wd-symptoms': 'mild', 'wd-daily': ['opioids'], 'ready': 5, 'relapse': true, 'craving': 8 }),
            ...audit([4, 3, 3, 2, 2, 1, 2, 2, 2, 2]),
            ...assist({ opioids: [6, 5, 6, 5, 6, 3] }, 0),
            ...phq9([2, 2, 1, 1, 1, 1, 1, 1, 0]), ...gad7([1, 1, 1, 1, 1, 1, 0]), ...ASQ_NO,
        },
        expect: {
            instruments: {
                audit: auditObj(23, 'dependence', 4), audit_c: auditC(10, true, 4),
                assist: { substances: { opioids: { score: 31, band: 'high' } }, injection: 0 },
                phq9: phqObj(10, 'moderate', 0), gad7: gadObj(6, 'mild'), asq: { risk: 'none' },
            },
            dims: [2, 0, 2, 1, 3, 0], severity: 'high',
            flags: ['overdose-risk', 'mental-health-followup'], level: 'php', missing: [],
        },
    },

    // P5 acute suicide risk. ASQ: 1 yes, 2 no, 3 yes, 4 no, 5 (right now) yes -> acute.
    // PHQ-9 1+2+1+1+0+2+1+0+2 = 10 moderate, item9 2; GAD-7 7x1 = 7 mild. No AUDIT, no ASSIST.
    // D3 4 (ASQ acute). Severity none. Level: D3 = 4 -> emergency.
    // Flags: suicide-acute; suicide-risk NOT set (item9 > 0 but acute wins); mental-health-followup.
    acute: {
        answers: {
            ...ctx(), ...phq9([1, 2, 1, 1, 0, 2, 1, 0, 2]), ...gad7([1, 1, 1, 1, 1, 1, 1]),
            ...asq([true, false, true, false], true),
        },
        expect: {
            instruments: { phq9: phqObj(10, 'moderate', 2), gad7: gadObj(7, 'mild'), asq: { risk: 'acute' } },
            dims: [0, 0, 4, 0, 0, 0], severity: 'none',
            flags: ['suicide-acute', 'mental-health-followup'], level: 'emergency', missing: [],
        },
    },

    // P6 severe withdrawal with a complicated history, daily alcohol, not in withdrawal now.
    // AUDIT 4+3+2+2+1+2+1+1+0+4 = 20 -> dependence zone 4 (the 19/20 cut); AUDIT-C 9 positive.
    // D1: not (wd-now and complicated); daily A/S (alcohol) and complicated -> 3.
    // Severity high (AUDIT 20). Level: D1 = 3 -> medically-managed. Flags: withdrawal-danger.
    withdrawal: {
        answers: {
            ...ctx({ 'wd-symptoms': 'severe', 'wd-complicated': true, 'wd-daily': ['alcohol'] }),
            ...audit([4, 3, 2, 2, 1, 2, 1, 1, 0, 4]),
        },
        expect: {
            instruments: { audit: auditObj(20, 'dependence', 4), audit_c: auditC(9, true, 4) },
            dims: [3, 0, 0, 0, 0, 0], severity: 'high', flags: ['withdrawal-danger'],
            level: 'medically-managed', missing: [],
        },
    },

    // P6b as P6 but in withdrawal right now: wd-now and wd-complicated -> D1 4 -> emergency.
    withdrawalNow: {
        answers: {
            ...ctx({ 'wd-symptoms': 'severe', 'wd-complicated': true, 'wd-now': true, 'wd-daily': ['alcohol'] }),
            ...audit([4, 3, 2, 2, 1, 2, 1, 1, 0, 4]),
        },
        expect: {
            instruments: { audit: auditObj(20, 'dependence', 4), audit_c: auditC(9, true, 4) },
            dims: [4, 0, 0, 0, 0, 0], severity: 'high', flags: ['withdrawal-danger'],
            level: 'emergency', missing: [],
        },
    },

    // P7 moderate cannabis use, not safe at home. Female.
    // Cannabis Q2-Q7 = 4+4+5+0+6+0 = 19 -> moderate; assist-8 = 0. Severity moderate.
    // D6: not env-safe -> 4. Level: moderate and D6 = 4 -> residential (3.5).
    residential: {
        answers: {
            ...ctx({ 'about-sex': 'female', 'env-safe': false }),
            ...assist({ cannabis: [4, 4, 5, 0, 6, 0] }, 0),
        },
        expect: {
            instruments: { assist: { substances: { cannabis: { score: 19, band: 'moderate' } }, injection: 0 } },
            dims: [0, 0, 0, 0, 0, 4], severity: 'moderate', flags: [], level: 'residential', missing: [],
        },
    },

    // P8 under 18, prefers not to say sex. AUDIT: 1, 0, 0 -> 4-8 not asked; 9 = 0, 10 = 0 -> 1,
    // low-risk zone 1. AUDIT-C 1, prefer-not -> cut-off 3 (the sensitive one), negative.
    // Severity low -> early-intervention. Flags: adolescent.
    adolescent: {
        answers: {
            ...ctx({ 'about-age': 'under-18', 'about-sex': 'prefer-not' }),
            ...audit([1, 0, 0, null, null, null, null, null, 0, 0]),
        },
        expect: {
            instruments: { audit: auditObj(1, 'low-risk', 1), audit_c: auditC(1, false, 3) },
            dims: [0, 0, 0, 0, 0, 0], severity: 'low', flags: ['adolescent'],
            level: 'early-intervention', missing: [],
        },
    },

    // P9 opioids monthly together with sedatives.
    // Opioids 3+0+0+0+0+0 = 3 -> low; sedatives 2+0+4+0+3+0 = 9 -> moderate; assist-8 = 0.
    // Severity: sedatives 9 >= 4 -> moderate. Level: moderate but no tx, D3/D5/D6 all < 2 ->
    // not iop -> outpatient (1). Flags: overdose-risk (assist-2-opioids 3 > 0 and
    // assist-2-sedatives 2 > 0).
    overdose: {
        answers: {
            ...ctx(),
            ...assist({ opioids: [3, 0, 0, 0, 0, 0], sedatives: [2, 0, 4, 0, 3, 0] }, 0),
        },
        expect: {
            instruments: {
                assist: {
                    substances: { sedatives: { score: 9, band: 'moderate' }, opioids: { score: 3, band: 'low' } },
                    injection: 0,
                },
            },
            dims: [0, 0, 0, 0, 0, 0], severity: 'moderate', flags: ['overdose-risk'],
            level: 'outpatient', missing: [],
        },
    },

    // P10 daily stimulants, injected in the past 3 months.
    // Stimulants 6+5+6+7+6+6 = 36 -> high; assist-8 = 2. Severity high.
    // Level: D3 0, D5 0 -> not php; high -> iop. Flags: injection.
    injection: {
        answers: { ...ctx(), ...assist({ stimulants: [6, 5, 6, 7, 6, 6] }, 2) },
        expect: {
            instruments: { assist: { substances: { stimulants: { score: 36, band: 'high' } }, injection: 2 } },
            dims: [0, 0, 0, 0, 0, 0], severity: 'high', flags: ['injection'], level: 'iop', missing: [],
        },
    },

    // P11 AUDIT 20 (high) and someone at home drinks heavily: D6 3 -> high and D6 = 3 -> residential.
    residentialHigh: {
        answers: { ...ctx({ 'env-home-use': true }), ...audit([4, 3, 2, 2, 1, 2, 1, 1, 0, 4]) },
        expect: {
            instruments: { audit: auditObj(20, 'dependence', 4), audit_c: auditC(9, true, 4) },
            dims: [0, 0, 0, 0, 0, 3], severity: 'high', flags: [], level: 'residential', missing: [],
        },
    },

    // P12 AUDIT 8 (hazardous, moderate) and unstable housing: D6 3. Residential needs D6 4 for
    // moderate -> no; iop: moderate and D6 >= 2 -> iop.
    moderateUnstable: {
        answers: { ...ctx({ 'env-housing': 'unstable' }), ...audit([4, 4, 0, 0, 0, 0, 0, 0, 0, 0]) },
        expect: {
            instruments: { audit: auditObj(8, 'hazardous', 2), audit_c: auditC(8, true, 4) },
            dims: [0, 0, 0, 0, 0, 3], severity: 'moderate', flags: [], level: 'iop', missing: [],
        },
    },

    // P13 low use (AUDIT 1) right after detox: severity low and tx-recent -> iop.
    lowAfterDetox: {
        answers: { ...ctx({ 'tx-recent': true }), ...audit([1, 0, 0, null, null, null, null, null, 0, 0]) },
        expect: {
            instruments: { audit: auditObj(1, 'low-risk', 1), audit_c: auditC(1, false, 4) },
            dims: [0, 0, 0, 0, 0, 0], severity: 'low', flags: [], level: 'iop', missing: [],
        },
    },

    // P14 low use (AUDIT 1) with a relapse, craving 3: D5 2 (relapse) -> severity low and D5 >= 2
    // -> outpatient.
    lowRelapse: {
        answers: { ...ctx({ 'relapse': true, 'craving': 3 }), ...audit([1, 0, 0, null, null, null, null, null, 0, 0]) },
        expect: {
            instruments: { audit: auditObj(1, 'low-risk', 1), audit_c: auditC(1, false, 4) },
            dims: [0, 0, 0, 0, 2, 0], severity: 'low', flags: [], level: 'outpatient', missing: [],
        },
    },

    // P15 only an unstable medical condition, nothing else answered but the context:
    // D2 3 -> medically-managed (the rule does not look at severity). Severity none.
    medical: {
        answers: { ...ctx({ 'med-unstable': true }) },
        expect: {
            instruments: {}, dims: [0, 3, 0, 0, 0, 0], severity: 'none', flags: [],
            level: 'medically-managed', missing: [],
        },
    },

    // P16 pregnant, an overdose in the past year, no use reported: D2 2; severity none -> none.
    // Flags in spec order: overdose-risk (med-overdose), pregnancy.
    pregnantOverdose: {
        answers: { ...ctx({ 'about-sex': 'female', 'med-pregnant': true, 'med-overdose': true }) },
        expect: {
            instruments: {}, dims: [0, 2, 0, 0, 0, 0], severity: 'none',
            flags: ['overdose-risk', 'pregnancy'], level: 'none', missing: [],
        },
    },

    // P17 ASQ non-acute: asq-2 yes, asq-5 no -> non-acute -> D3 3. Severity none -> level none.
    // Flags: suicide-risk, mental-health-followup (D3 >= 2).
    nonAcute: {
        answers: { ...ctx(), ...asq([false, true, false, false], false) },
        expect: {
            instruments: { asq: { risk: 'non-acute' } }, dims: [0, 0, 3, 0, 0, 0], severity: 'none',
            flags: ['suicide-risk', 'mental-health-followup'], level: 'none', missing: [],
        },
    },

    // P18 PHQ-9 item 9 = 1 alone: score 1 minimal, item9 1 -> D3 3 -> suicide-risk and
    // mental-health-followup; level none.
    item9: {
        answers: { ...ctx(), ...phq9([0, 0, 0, 0, 0, 0, 0, 0, 1]) },
        expect: {
            instruments: { phq9: phqObj(1, 'minimal', 1) }, dims: [0, 0, 3, 0, 0, 0], severity: 'none',
            flags: ['suicide-risk', 'mental-health-followup'], level: 'none', missing: [],
        },
    },

    // P19 AUDIT 8 with readiness 3: D4 2 -> low-readiness. Moderate, no iop trigger -> outpatient.
    lowReadiness: {
        answers: { ...ctx({ 'ready': 3 }), ...audit([4, 4, 0, 0, 0, 0, 0, 0, 0, 0]) },
        expect: {
            instruments: { audit: auditObj(8, 'hazardous', 2), audit_c: auditC(8, true, 4) },
            dims: [0, 0, 0, 2, 0, 0], severity: 'moderate', flags: ['low-readiness'],
            level: 'outpatient', missing: [],
        },
    },

    // P20 opioids once or twice (2 -> SSIS 2 low) right after detox: severity low and tx-recent
    // -> iop; overdose-risk (opioids used and tx-recent).
    opioidsAfterDetox: {
        answers: { ...ctx({ 'tx-recent': true }), ...assist({ opioids: [2, 0, 0, 0, 0, 0] }, 0) },
        expect: {
            instruments: { assist: { substances: { opioids: { score: 2, band: 'low' } }, injection: 0 } },
            dims: [0, 0, 0, 0, 0, 0], severity: 'low', flags: ['overdose-risk'], level: 'iop', missing: [],
        },
    },

    // P21 opioids once or twice with AUDIT 7 (one below the overdose-risk cut 8): AUDIT
    // 4+3 = 7 low-risk; opioids 2 low; severity low -> early-intervention; NO overdose-risk.
    opioidsAudit7: {
        answers: { ...ctx(), ...audit([4, 3, 0, 0, 0, 0, 0, 0, 0, 0]), ...assist({ opioids: [2, 0, 0, 0, 0, 0] }, 0) },
        expect: {
            instruments: {
                audit: auditObj(7, 'low-risk', 1), audit_c: auditC(7, true, 4),
                assist: { substances: { opioids: { score: 2, band: 'low' } }, injection: 0 },
            },
            dims: [0, 0, 0, 0, 0, 0], severity: 'low', flags: [], level: 'early-intervention', missing: [],
        },
    },

    // P22 opioids ever but not in the past 3 months (assist-2 = 0: 3-5 not asked; 6 = 3, 7 = 0 ->
    // 3 low) with sedatives once or twice (2 low): assist-2-opioids = 0 -> NO overdose-risk.
    // Severity low -> early-intervention.
    opioidsPast: {
        answers: {
            ...ctx(),
            ...assist({ opioids: [0, null, null, null, 3, 0], sedatives: [2, 0, 0, 0, 0, 0] }, 1),
        },
        expect: {
            instruments: {
                assist: {
                    substances: { sedatives: { score: 2, band: 'low' }, opioids: { score: 3, band: 'low' } },
                    injection: 1,
                },
            },
            dims: [0, 0, 0, 0, 0, 0], severity: 'low', flags: [], level: 'early-intervention', missing: [],
        },
    },

    // P23 nothing at all ({}): no instrument, every context item at its no-risk default and
    // listed in missing; all dimensions 0; severity none; level none.
    empty: {
        answers: {},
        expect: {
            instruments: {}, dims: [0, 0, 0, 0, 0, 0], severity: 'none', flags: [], level: 'none',
            missing: [...CONTEXT_IDS],
        },
    },
};

/** The levels of spec §5 with their ASAM label where the spec gives one number. */
export const ASAM = {
    'residential': '3.5', 'php': '2.5', 'iop': '2.1', 'outpatient': '1', 'early-intervention': '0.5',
};
