import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clientRequestIdOf } from './client-request-id.js';

test('a client-request-id of 1 to 200 visible ASCII characters is echoed', () => {
  assert.equal(clientRequestIdOf('my-correlation-id', 'rid'), 'my-correlation-id');
  assert.equal(clientRequestIdOf('x', 'rid'), 'x');
  assert.equal(clientRequestIdOf('!'.repeat(200), 'rid'), '!'.repeat(200));
});

test('otherwise the request id stands in for it', () => {
  for (const sent of [undefined, '', 'a'.repeat(201), 'has space', 'tab\there', 'caf\u00e9', ['a', 'b'], 42]) {
    assert.equal(clientRequestIdOf(sent, 'rid'), 'rid', JSON.stringify(sent));
  }
});
