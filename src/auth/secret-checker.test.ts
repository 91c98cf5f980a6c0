import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashSecret } from './secrets.js';
import { HashingBusyError, SecretChecker } from './secret-checker.js';

test('a secret checked once is answered from memory, right or wrong; the secret is not kept in clear', async () => {
  const stored = await hashSecret('right');
  const checker = new SecretChecker();
  assert.equal(checker.known('right', stored), undefined);
  assert.equal(await checker.verify('right', stored), true);
  assert.equal(await checker.verify('wrong', stored), false);
  assert.equal(checker.hashes, 2);
  assert.equal(await checker.verify('right', stored), true);
  assert.equal(await checker.verify('wrong', stored), false);
  assert.equal(checker.hashes, 2, 'no hashing the second time');
  assert.ok(!JSON.stringify([...(checker as any).right.keys(), ...(checker as any).wrong.keys()]).includes('right'));
});

test('at most `concurrency` hashes at once and `maxQueued` waiting; one more is refused at once', async () => {
  const stored = await hashSecret('x');
  const checker = new SecretChecker({ concurrency: 1, maxQueued: 2, rememberedResults: 10 });
  const runs = ['a', 'b', 'c', 'd'].map((s) => checker.verify(s, stored));
  await assert.rejects(runs[3], HashingBusyError);
  assert.equal(checker.queued, 2);
  assert.deepEqual(await Promise.all(runs.slice(0, 3)), [false, false, false]);
  assert.equal(checker.queued, 0);
  assert.equal(await checker.verify('x', stored), true, 'the queue frees up');
});

test('wrong results never evict right ones', async () => {
  const stored = await hashSecret('right');
  const checker = new SecretChecker({ concurrency: 2, maxQueued: 10, rememberedResults: 2 });
  await checker.verify('right', stored);
  for (const wrong of ['w1', 'w2', 'w3']) await checker.verify(wrong, stored);
  assert.equal(checker.known('right', stored), true);
  assert.equal(checker.known('w1', stored), undefined, 'the oldest wrong one went');
});
