import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenThrottle } from './token-throttle.js';

const options = { maxFailures: 3, windowSeconds: 60, maxEntries: 100 };

test('failures plus checks under way are bounded per key; the wait is what is left of the window', () => {
  const now = 0;
  const throttle = new TokenThrottle(() => now, options);
  const tickets = [1, 2, 3].map(() => throttle.begin(['client:a', 'address:x']));
  const refused = throttle.begin(['client:a', 'address:y']);
  assert.ok('retryAfter' in refused && refused.retryAfter === 60, 'three under way fill the client');
  for (const t of tickets) if (!('retryAfter' in t)) t.passed();
  assert.ok(!('retryAfter' in throttle.begin(['client:a'])), 'checks that passed free their place');
});

test('failed checks fill the window until it ends', () => {
  let now = 0;
  const throttle = new TokenThrottle(() => now, options);
  for (let i = 0; i < 3; i++) {
    const t = throttle.begin(['address:x']);
    assert.ok(!('retryAfter' in t));
    t.failed();
    t.failed(); // a ticket ends once
  }
  now = 45_000;
  const refused = throttle.begin(['address:x']);
  assert.ok('retryAfter' in refused && refused.retryAfter === 15);
  assert.ok(!('retryAfter' in throttle.begin(['address:z'])), 'other keys are not affected');
  now = 60_000;
  assert.ok(!('retryAfter' in throttle.begin(['address:x'])), 'a new window');
});
