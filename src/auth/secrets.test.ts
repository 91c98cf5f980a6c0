import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashSecret, isOwnHash, newClientSecret, newPassword, verifySecret } from './secrets.js';

test('a hash verifies its secret and nothing else', async () => {
  const stored = await hashSecret('correct horse');
  assert.match(stored, /^scrypt\$16384\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
  assert.ok(!stored.includes('correct horse'));
  assert.equal(await verifySecret('correct horse', stored), true);
  for (const wrong of ['correct horse ', 'Correct horse', '', 'correct'])
    assert.equal(await verifySecret(wrong, stored), false, wrong);
});

test('each hash has its own salt', async () => {
  const [a, b] = await Promise.all([hashSecret('same'), hashSecret('same')]);
  assert.notEqual(a, b);
  assert.equal(await verifySecret('same', a), true);
  assert.equal(await verifySecret('same', b), true);
});

test('a stored form it cannot read verifies nothing', async () => {
  for (const stored of [
    '',
    'plain',
    'bcrypt$x$y',
    'scrypt$16384$8$1$',
    'scrypt$16384$8$1$c2FsdA$',
    'scrypt$abc$8$1$c2FsdA$aGFzaA',
    'scrypt$3$8$1$c2FsdA$aGFzaA',
  ]) {
    assert.equal(await verifySecret('plain', stored), false, stored);
  }
});

test('unicode secrets are compared in one normal form', async () => {
  const stored = await hashSecret('caf\u00e9');
  assert.equal(await verifySecret('cafe\u0301', stored), true);
});

test('new client secrets look like Entra ID secrets and do not repeat', () => {
  const secrets = new Set(Array.from({ length: 50 }, () => newClientSecret()));
  assert.equal(secrets.size, 50);
  for (const secret of secrets) assert.match(secret, /^lgQ~[\w-]{36}$/);
});

test('new passwords meet Entra ID complexity (upper, lower, digit, symbol)', () => {
  for (let i = 0; i < 20; i++) {
    const password = newPassword();
    assert.ok(password.length >= 16);
    for (const kind of [/[A-Z]/, /[a-z]/, /\d/, /[^A-Za-z0-9]/]) assert.match(password, kind);
  }
});

test("only localgraph's own parameters are read: a stored cost is never believed", async () => {
  const stored = await hashSecret('secret');
  assert.equal(isOwnHash(stored), true);
  const [, , , , salt, hash] = stored.split('$');
  // A work factor of 2^30 would take gigabytes and minutes per check; it is refused unread.
  for (const hostile of [
    `scrypt$1073741824$8$1$${salt}$${hash}`,
    `scrypt$16384$64$1$${salt}$${hash}`,
    `scrypt$16384$8$16$${salt}$${hash}`,
    `scrypt$1024$8$1$${salt}$${hash}`,
  ]) {
    assert.equal(isOwnHash(hostile), false, hostile);
    assert.equal(await verifySecret('secret', hostile), false, hostile);
  }
});
