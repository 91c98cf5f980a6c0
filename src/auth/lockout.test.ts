import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignInLockout } from './lockout.js';

function clock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

test('ten different wrong passwords lock the account for a minute', () => {
  const time = clock();
  const lockout = new SignInLockout(time.now);
  for (let i = 1; i <= 9; i++) assert.equal(lockout.recordFailure('t/alice', `wrong-${i}`), false, `attempt ${i}`);
  assert.equal(lockout.recordFailure('t/alice', 'wrong-10'), true);
  assert.equal(lockout.isLocked('t/alice'), true);
  assert.equal(lockout.isLocked('t/bob'), false, 'other accounts are not affected');
  time.advance(59_000);
  assert.equal(lockout.isLocked('t/alice'), true);
  time.advance(1_001);
  assert.equal(lockout.isLocked('t/alice'), false);
});

test('after a lockout, one more failure locks again, for twice as long', () => {
  const time = clock();
  const lockout = new SignInLockout(time.now);
  for (let i = 0; i < 10; i++) lockout.recordFailure('a', `p${i}`);
  time.advance(60_001);
  assert.equal(lockout.recordFailure('a', 'another'), true);
  time.advance(119_000);
  assert.equal(lockout.isLocked('a'), true);
  time.advance(1_001);
  assert.equal(lockout.isLocked('a'), false);
});

test('repeating one of the last three wrong passwords does not count again', () => {
  const lockout = new SignInLockout(clock().now);
  for (let i = 0; i < 30; i++) lockout.recordFailure('a', ['same', 'other', 'third'][i % 3]);
  assert.equal(lockout.isLocked('a'), false);
});

test('a successful sign-in clears the failures', () => {
  const lockout = new SignInLockout(clock().now);
  for (let i = 0; i < 9; i++) lockout.recordFailure('a', `p${i}`);
  lockout.recordSuccess('a');
  for (let i = 0; i < 9; i++) assert.equal(lockout.recordFailure('a', `q${i}`), false);
});

test('memory is bounded: the oldest accounts are forgotten first', () => {
  const lockout = new SignInLockout(clock().now, { threshold: 2, lockoutSeconds: 60, maxEntries: 3 });
  lockout.recordFailure('first', 'x');
  lockout.recordFailure('first', 'y');
  assert.equal(lockout.isLocked('first'), true);
  for (const account of ['b', 'c', 'd']) lockout.recordFailure(account, 'x');
  assert.equal(lockout.isLocked('first'), false);
});
