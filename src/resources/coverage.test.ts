import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { PermissionPolicy } from '../auth/permissions.js';
import { renderCoverage } from './coverage.js';
import { familyOperations, servedOperations } from './operations.js';
import { familyModel, familyRegistry } from '../family/family.js';
import { onPremises } from '../family/on-premises/on-premises.js';
import { NOT_SERVED, sdkAnswers } from './sdk-coverage.js';
import { SDK_OPERATIONS } from './sdk-surface.js';

const graphModel = familyModel(onPremises);
const registry = familyRegistry(onPremises);
const permissionRows = registry.permissions();

test('every served operation has a permission row (an operation without one would be refused for everyone)', () => {
  const policy = new PermissionPolicy(permissionRows);
  const missing = familyOperations(graphModel, registry)
    .filter((op) => op.implemented && !policy.row(op.method, op.pattern))
    .map((op) => `${op.method} ${op.pattern}`);
  assert.deepEqual(missing, []);
});

test('every permission row names an operation localgraph serves', () => {
  const served = new Set(
    familyOperations(graphModel, registry)
      .filter((op) => op.implemented)
      .map((op) => `${op.method} ${op.pattern.toLowerCase()}`),
  );
  const orphans = permissionRows.map((r) => `${r.method} ${r.pattern.toLowerCase()}`).filter((key) => !served.has(key));
  assert.deepEqual(orphans, []);
});

test("each behaviour holds the rows of its own operations (a row is found where its collection's rules are)", () => {
  for (const behaviour of registry.all()) {
    const own = servedOperations(graphModel, behaviour);
    const policy = new PermissionPolicy(behaviour.permissions);
    const missing = own.filter((op) => !policy.row(op.method, op.pattern)).map((op) => `${op.method} ${op.pattern}`);
    assert.deepEqual(missing, [], behaviour.path);
    const keys = new Set(own.map((op) => `${op.method} ${op.pattern.toLowerCase()}`));
    const foreign = behaviour.permissions
      .map((r) => `${r.method} ${r.pattern.toLowerCase()}`)
      .filter((key) => !keys.has(key));
    assert.deepEqual(foreign, [], behaviour.path);
  }
});

const sdks = JSON.parse(readFileSync(new URL('../../../docs/sdk-coverage.json', import.meta.url), 'utf8')) as Record<
  string,
  string[]
>;

test('docs/coverage.md is generated from the current model and behaviours (run `npm run docs`)', () => {
  const committed = readFileSync(new URL('../../../docs/coverage.md', import.meta.url), 'utf8');
  assert.equal(committed, renderCoverage(graphModel, registry, sdks));
});

test('every served operation is exercised by at least one official SDK (docs/sdk-coverage.json, from npm run test:clients)', () => {
  const served = familyOperations(graphModel, registry)
    .filter((op) => op.implemented)
    .map((op) => `${op.method} ${op.pattern}`);
  assert.deepEqual(Object.keys(sdks).sort(), [...served].sort());
  assert.deepEqual(
    served.filter((op) => sdks[op].length === 0),
    [],
  );
});

test('the coverage lists the tutorial operations as served, and unserved navigations as 501', () => {
  const ops = familyOperations(graphModel, registry);
  const find = (method: string, pattern: string) => ops.find((o) => o.method === method && o.pattern === pattern);
  assert.equal(find('POST', '/onPremisesPublishingProfiles/{id}/connectors/{id}/memberOf/$ref')?.implemented, true);
  assert.equal(find('PUT', '/applications/{id}/connectorGroup/$ref')?.implemented, true);
  assert.equal(find('GET', '/onPremisesPublishingProfiles/{id}/applicationSegments')?.implemented, true);
});

test('every request-builder operation of the SDK is served or has its reason (no gap unexplained)', () => {
  const answers = sdkAnswers(graphModel, registry);
  assert.equal(answers.length, SDK_OPERATIONS.length);
  assert.ok(answers.length >= 100, `only ${answers.length} SDK operations listed`);
  const gaps = answers.filter((a) => !a.served && a.note === '').map((a) => `${a.method} ${a.template}`);
  assert.deepEqual(gaps, []);
  for (const a of answers.filter((x) => !x.served))
    assert.match(a.note, /(: 405|: 501|, 400)\.$/, `${a.method} ${a.pattern}: the note names the status`);
  // Reasons for operations that are in fact served would be stale.
  const stale = Object.keys(NOT_SERVED).filter((key) =>
    answers.some((a) => a.served && `${a.method} ${a.pattern}` === key),
  );
  assert.deepEqual(stale, []);
  const unused = Object.keys(NOT_SERVED).filter((key) => !answers.some((a) => `${a.method} ${a.pattern}` === key));
  assert.deepEqual(unused, []);
});

test("the SDK's alternate keys and the profile's applicationSegments are served", () => {
  const served = new Set(
    sdkAnswers(graphModel, registry)
      .filter((a) => a.served)
      .map((a) => `${a.method} ${a.template}`),
  );
  for (const key of ["applications(appId='{appId}')", "applications(uniqueName='{uniqueName}')"]) {
    assert.ok(
      served.has(
        `GET /onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/connectorGroups/{connectorGroup%2Did}/${key}`,
      ),
      key,
    );
  }
  assert.ok(
    served.has(
      'GET /onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/applicationSegments/{ipApplicationSegment%2Did}',
    ),
  );
  assert.ok(
    served.has('GET /onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/applicationSegments/$count'),
  );
});
