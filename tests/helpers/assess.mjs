// Assertions on the score API's response (spec §7) against hand-computed expectations.

import assert from 'node:assert/strict';
import { ASAM } from './profiles.mjs';

const nonEmptyString = (s) => typeof s === 'string' && s.trim().length > 0;

/** The response shape of spec §7, independent of the values. */
export function assertShape(body) {
    assert.equal(typeof body, 'object');
    assert.ok(body !== null && !Array.isArray(body), 'body is a JSON object');
    assert.equal(body.version, 'haven-assessment-1');
    assert.equal(typeof body.instruments, 'object');
    assert.ok(body.instruments !== null && !Array.isArray(body.instruments));
    for (const k of Object.keys(body.instruments)) {
        assert.ok(['audit', 'audit_c', 'assist', 'phq9', 'gad7', 'asq'].includes(k), `unexpected instrument ${k}`);
    }
    assert.ok(Array.isArray(body.dimensions), 'dimensions is an array');
    assert.equal(body.dimensions.length, 6, 'six dimensions');
    body.dimensions.forEach((d, i) => {
        assert.equal(d.dimension, i + 1, `dimension ${i + 1} in order`);
        assert.ok(nonEmptyString(d.name), `dimension ${i + 1} has a name`);
        assert.ok(Number.isInteger(d.rating) && d.rating >= 0 && d.rating <= 4, `dimension ${i + 1} rating 0-4`);
        assert.ok(Array.isArray(d.reasons), `dimension ${i + 1} reasons is an array`);
        for (const r of d.reasons) assert.ok(nonEmptyString(r), `dimension ${i + 1}: reasons are non-empty strings`);
        if (d.rating > 0) assert.ok(d.reasons.length > 0, `dimension ${i + 1} rated ${d.rating} says why`);
    });
    assert.ok(['none', 'low', 'moderate', 'high'].includes(body.severity), `severity ${body.severity}`);
    assert.ok(Array.isArray(body.flags));
    const rec = body.recommendation;
    assert.equal(typeof rec, 'object');
    assert.ok(['emergency', 'medically-managed', 'residential', 'php', 'iop', 'outpatient',
        'early-intervention', 'none'].includes(rec.level), `level ${rec.level}`);
    assert.ok(nonEmptyString(rec.title), 'recommendation has a title');
    assert.ok(Array.isArray(rec.reasons) && rec.reasons.length > 0, 'recommendation has reasons');
    for (const r of rec.reasons) assert.ok(nonEmptyString(r), 'recommendation reasons are non-empty strings');
    if (ASAM[rec.level]) assert.equal(rec.asam, ASAM[rec.level], `asam of ${rec.level}`);
    if (rec.level === 'medically-managed') {
        assert.ok(typeof rec.asam === 'string' && rec.asam.startsWith('3.7'), `asam of medically-managed: ${rec.asam}`);
    }
    assert.ok(Array.isArray(body.missing));
}

/**
 * Compare a 200 body with an expectation from profiles.mjs:
 * { instruments, dims, severity, flags, level, missing }.
 * Instruments are compared exactly (deepEqual), with two allowances the spec leaves open:
 * - audit_c may carry extra string fields (the note that the sensitive cut-off was used);
 * - assist.injection, when assist-8 was not asked (expectation has no `injection`), may be
 *   absent, null or 0.
 */
export function assertScore(body, exp, label = '') {
    const at = label ? ` [${label}]` : '';
    assertShape(body);
    const got = body.instruments;
    assert.deepEqual(Object.keys(got).sort(), Object.keys(exp.instruments).sort(), `instruments present${at}`);
    for (const [k, want] of Object.entries(exp.instruments)) {
        if (k === 'audit_c') {
            const { score, max, positive, cutoff, ...rest } = got.audit_c;
            assert.deepEqual({ score, max, positive, cutoff }, want, `audit_c${at}`);
            for (const [rk, rv] of Object.entries(rest)) assert.equal(typeof rv, 'string', `audit_c.${rk}${at}`);
        } else if (k === 'assist' && !('injection' in want)) {
            const { injection, ...rest } = got.assist;
            assert.deepEqual(rest, want, `assist${at}`);
            assert.ok(injection === undefined || injection === null || injection === 0,
                `assist.injection when assist-8 not asked${at}: ${injection}`);
        } else {
            assert.deepEqual(got[k], want, `instrument ${k}${at}`);
        }
    }
    assert.deepEqual(body.dimensions.map((d) => d.rating), exp.dims, `dimension ratings D1..D6${at}`);
    assert.equal(body.severity, exp.severity, `severity${at}`);
    assert.deepEqual(body.flags, exp.flags, `flags (in spec order)${at}`);
    assert.equal(body.recommendation.level, exp.level, `level${at}`);
    assert.deepEqual([...body.missing].sort(), [...exp.missing].sort(), `missing${at}`);
}

/** A 422 body: {"error": string, "details": [{"item", "message"}]}; returns the set of items. */
export function assert422(res, label = '') {
    const at = label ? ` [${label}]` : '';
    assert.equal(res.status, 422, `status 422${at}; body: ${res.body.slice(0, 400)}`);
    assert.match(res.headers['content-type'] || '', /application\/json/, `422 is JSON${at}`);
    const b = JSON.parse(res.body);
    assert.ok(nonEmptyString(b.error), `error is a non-empty string${at}`);
    assert.ok(Array.isArray(b.details) && b.details.length > 0, `details non-empty${at}`);
    for (const d of b.details) {
        assert.equal(typeof d.item, 'string', `details[].item is a string${at}`);
        assert.ok(nonEmptyString(d.message), `details[].message is a non-empty string${at}`);
    }
    return new Set(b.details.map((d) => d.item));
}
