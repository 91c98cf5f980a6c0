import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { allPermissions } from '../auth/identity.js';
import { familyRegistry } from '../family/family.js';
import { onPremises } from '../family/on-premises/on-premises.js';
import { createFamilyObjects, exampleBody, missingExamples, testServer, urlFor, type TestServer } from './testing.js';

/**
 * The sweeps over every operation (security.test.ts, permission-enforcement.test.ts) write with
 * the behaviours' examples; these checks keep the examples there and valid, so that a refusal in
 * a sweep comes from what it tests, not from a bad body.
 */
let server: TestServer;
before(async () => {
  server = await testServer();
});
after(() => server.app.close());

test('every collection of the family declares an example for each write it serves', () => {
  assert.deepEqual(missingExamples(), []);
});

test('a creatable collection without an example is named', () => {
  const connectors = familyRegistry(onPremises).collection('onPremisesPublishingProfiles/connectors')!;
  assert.deepEqual(missingExamples([{ ...connectors, example: undefined }]), [
    'onPremisesPublishingProfiles/connectors: example.create',
    'onPremisesPublishingProfiles/connectors: example.update',
  ]);
});

test("every write of the matrix but deletes succeeds for the tenant's admin with its example body", async () => {
  for (const row of familyRegistry(onPremises)
    .permissions()
    .filter((r) => r.method !== 'GET' && r.method !== 'DELETE')) {
    // A tenant of its own, so that one write cannot refuse another (a link added twice).
    const tenantId = crypto.randomUUID();
    const objects = await createFamilyObjects(server, tenantId);
    const url = urlFor(row.pattern, objects);
    const res = await server.app.inject({
      method: row.method,
      url,
      headers: {
        authorization: `Bearer ${await server.userToken(tenantId, allPermissions(onPremises).scopes)}`,
        'content-type': 'application/json',
      },
      payload: JSON.stringify(exampleBody(row.pattern, objects)),
    });
    assert.ok(res.statusCode < 300, `${row.method} ${url}: ${res.statusCode} ${res.body}`);
  }
});
