import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readBatch } from './batch.js';
import { GraphError } from './errors.js';

test('"body": null is no body (the Go SDK batch helper writes it for a GET)', () => {
  const [item] = readBatch({
    requests: [{ id: '1', method: 'GET', url: '/onPremisesPublishingProfiles', headers: {}, body: null }],
  });
  assert.equal(item.body, undefined);
  assert.equal(item.headers['content-type'], undefined);
});

test('a body that is not JSON still needs a Content-Type', () => {
  assert.throws(
    () => readBatch({ requests: [{ id: '1', method: 'POST', url: '/applications', body: 'not base64 json' }] }),
    (e: unknown) => e instanceof GraphError && e.status === 400,
  );
});
