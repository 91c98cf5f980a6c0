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

test('attempts are counted before they are verified: a burst gets at most the threshold verified', () => {
  const lockout = new SignInLockout(clock().now);
  const attempts = Array.from({ length: 60 }, (_, i) => lockout.begin('a', `guess-${i}`));
  assert.equal(attempts.filter((a) => a.outcome === 'verify').length, 10);
  assert.equal(attempts.filter((a) => a.outcome === 'locked').length, 50);
  assert.equal(
    lockout.begin('a', 'the right one').outcome,
    'locked',
    'the right password in the same burst is not even checked',
  );
  for (const attempt of attempts) if (attempt.outcome === 'verify') attempt.failed();
  assert.equal(lockout.isLocked('a'), true);
});

test('an attempt that succeeds frees its place; a known wrong password is answered without verifying', () => {
  const lockout = new SignInLockout(clock().now);
  const first = lockout.begin('a', 'wrong');
  assert.equal(first.outcome, 'verify');
  if (first.outcome === 'verify') assert.equal(first.failed(), false);
  assert.equal(lockout.begin('a', 'wrong').outcome, 'repeat');
  const right = lockout.begin('a', 'right');
  assert.equal(right.outcome, 'verify');
  if (right.outcome === 'verify') {
    right.succeeded();
    assert.throws(() => right.succeeded(), /settled once/);
  }
  assert.equal(lockout.begin('a', 'wrong').outcome, 'verify', 'a success forgets the wrong passwords');
});
