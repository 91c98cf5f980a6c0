import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jwtVerify } from 'jose';
import { onPremises } from '../family/on-premises/on-premises.js';
import { migrateFamily } from '../store/migrations.js';
import { SqliteDatabase } from '../store/sqlite.js';
import { SqlStore } from '../store/sql-store.js';
import { activeSigningKey, publicKeyFor } from './signing-key.js';
import { issueAccessToken } from './tokens.js';

const NOW = new Date('2025-06-01T12:00:00Z');
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

const databases = new WeakMap<SqlStore, SqliteDatabase>();

async function freshStore(): Promise<SqlStore> {
  const db = new SqliteDatabase(':memory:');
  await migrateFamily(db, onPremises);
  const store = new SqlStore(db);
  databases.set(store, db);
  return store;
}

async function countKeys(store: SqlStore): Promise<number> {
  const row = await databases.get(store)!.get<{ n: number }>('SELECT COUNT(*) AS n FROM signing_keys');
  return Number(row?.n);
}

test('the key is created on first use, stored, and reused afterwards', async () => {
  const store = await freshStore();
  assert.equal(await store.getSetting('signing.activeKid'), undefined);
  const first = await activeSigningKey(store, NOW);
  assert.equal(await store.getSetting('signing.activeKid'), first.kid);
  assert.ok(await store.getSigningKey(first.kid));
  const second = await activeSigningKey(store, new Date(NOW.getTime() + 86_400_000));
  assert.equal(second.kid, first.kid);
  assert.deepEqual(second.publicJwk, first.publicJwk);
  assert.equal(await countKeys(store), 1, 'the second call made no new key');
});

test('the public JWK carries kid, alg and use, and no private part', async () => {
  const store = await freshStore();
  const key = await activeSigningKey(store, NOW);
  assert.equal(key.publicJwk.kid, key.kid);
  assert.equal(key.publicJwk.alg, 'RS256');
  assert.equal(key.publicJwk.use, 'sig');
  assert.equal(key.publicJwk.kty, 'RSA');
  for (const privatePart of ['d', 'p', 'q', 'dp', 'dq', 'qi'])
    assert.equal(key.publicJwk[privatePart as 'd'], undefined, privatePart);
  const row = await store.getSigningKey(key.kid);
  assert.ok(row);
  assert.equal((JSON.parse(row.publicJwk) as { d?: string }).d, undefined);
  assert.ok((JSON.parse(row.privateJwk) as { d?: string }).d, 'the private JWK is kept');
});

test('two concurrent activeSigningKey calls on one store agree on one kid', async () => {
  const store = await freshStore();
  const [a, b] = await Promise.all([activeSigningKey(store, NOW), activeSigningKey(store, NOW)]);
  assert.equal(a.kid, b.kid);
  assert.equal(await store.getSetting('signing.activeKid'), a.kid);
  // A token signed with one verifies with the other's public key: they are the same key.
  const token = await issueAccessToken(
    a,
    { tenantId: TENANT, appId: TENANT, servicePrincipalId: TENANT, roles: [] },
    NOW,
  );
  await jwtVerify(token, b.publicKey, { currentDate: NOW });
});

test('different stores have different keys', async () => {
  const [a, b] = await Promise.all([
    freshStore().then((s) => activeSigningKey(s, NOW)),
    freshStore().then((s) => activeSigningKey(s, NOW)),
  ]);
  assert.notEqual(a.kid, b.kid);
});

test('publicKeyFor finds the stored key and nothing else', async () => {
  const store = await freshStore();
  const key = await activeSigningKey(store, NOW);
  assert.equal(await publicKeyFor(store, 'no-such-kid'), undefined);
  const publicKey = await publicKeyFor(store, key.kid);
  assert.ok(publicKey);
  const token = await issueAccessToken(key, { tenantId: TENANT, appId: TENANT, servicePrincipalId: TENANT }, NOW);
  const { payload, protectedHeader } = await jwtVerify(token, publicKey, { currentDate: NOW });
  assert.equal(protectedHeader.kid, key.kid);
  assert.equal(protectedHeader.alg, 'RS256');
  assert.equal(payload.tid, TENANT);
});
