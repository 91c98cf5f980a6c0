import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isGuid } from './guid.js';

test('isGuid accepts the plain 8-4-4-4-12 form in either case, nothing else', () => {
  assert.ok(isGuid('d2b1e8e8-8511-49d6-a4ba-323cb083fbb0'));
  assert.ok(isGuid('D2B1E8E8-8511-49D6-A4BA-323CB083FBB0'));
  assert.ok(!isGuid('d2b1e8e8-8511-49d6-a4ba-323cb083fbb00'));
  assert.ok(!isGuid('{d2b1e8e8-8511-49d6-a4ba-323cb083fbb0}'));
  assert.ok(!isGuid('d2b1e8e885114 9d6a4ba323cb083fbb0'));
  assert.ok(!isGuid('g2b1e8e8-8511-49d6-a4ba-323cb083fbb0'));
  assert.ok(!isGuid(''));
});
