import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { Store } from '../store/store.js';

/**
 * localgraph's RS256 signing key. Made on first use and kept in the store (not in memory), so
 * tokens outlive restarts and every process on the same data (the server, `localgraph token`)
 * signs and verifies with the same key.
 */
export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

const ACTIVE_KID = 'signing.activeKid';

async function importPair(kid: string, privateJwk: JWK, publicJwk: JWK): Promise<SigningKey> {
  return {
    kid,
    privateKey: (await importJWK(privateJwk, 'RS256')) as CryptoKey,
    publicKey: (await importJWK(publicJwk, 'RS256')) as CryptoKey,
    publicJwk,
  };
}

/** The active signing key, created when the store has none. Two processes racing agree on one. */
export async function activeSigningKey(store: Store, now: Date): Promise<SigningKey> {
  let kid = await store.getSetting(ACTIVE_KID);
  if (!kid) {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048, extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const candidate = await calculateJwkThumbprint(publicJwk);
    const privateJwk = await exportJWK(privateKey);
    await store.insertSigningKey(
      {
        kid: candidate,
        privateJwk: JSON.stringify({ ...privateJwk, kid: candidate }),
        publicJwk: JSON.stringify({ ...publicJwk, kid: candidate, alg: 'RS256', use: 'sig' }),
      },
      now,
    );
    kid = await store.putSettingIfAbsent(ACTIVE_KID, candidate);
  }
  const row = await store.getSigningKey(kid);
  if (!row) throw new Error(`signing key ${kid} is missing from the store`);
  return importPair(row.kid, JSON.parse(row.privateJwk) as JWK, JSON.parse(row.publicJwk) as JWK);
}

/** The public key for a `kid`, for verification; undefined for a key this store never made. */
export async function publicKeyFor(store: Store, kid: string): Promise<CryptoKey | undefined> {
  const row = await store.getSigningKey(kid);
  return row ? ((await importJWK(JSON.parse(row.publicJwk) as JWK, 'RS256')) as CryptoKey) : undefined;
}
