import { createPrivateKey, randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The TLS certificate `localgraph serve --https` presents: self-signed, for `localhost`,
 * `127.0.0.1` and `::1`, made on first use and kept in the data folder (`tls/cert.pem`,
 * `tls/key.pem`) so clients that trusted it keep trusting it across restarts. It is a leaf, not
 * a CA (`CA:FALSE`): trusting it in an OS store lets nobody mint certificates for other names.
 */
export interface TlsMaterial {
  cert: string;
  key: string;
  /** Where it came from, for the start banner. */
  source: string;
}

export const TLS_DIR = 'tls';
export const CERT_FILE = 'cert.pem';
export const KEY_FILE = 'key.pem';
/** The longest validity Apple platforms accept for a TLS server certificate. */
const VALIDITY_DAYS = 825;
/** A certificate this close to its end is replaced at start rather than served. */
const RENEW_BEFORE_MS = 24 * 3600 * 1000;

/** Makes a new key pair and self-signed certificate for the loopback names. */
export async function generateCertificate(now: Date = new Date()): Promise<{ cert: string; key: string }> {
  // Loaded only when a certificate is made: it brings a large ASN.1 stack most starts never need.
  const { generate } = await import('selfsigned');
  const pems = await generate([{ name: 'commonName', value: 'localhost' }, { name: 'organizationName', value: 'localgraph' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: new Date(now.getTime() + VALIDITY_DAYS * 24 * 3600 * 1000),
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }] },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/** Reads a certificate and key brought with `--cert` / `--key`; refuses a pair that does not match. */
export function loadCertificateFiles(certPath: string, keyPath: string): TlsMaterial {
  const cert = readFileSync(certPath, 'utf8');
  const key = readFileSync(keyPath, 'utf8');
  checkPair(cert, key, `${certPath} and ${keyPath}`);
  return { cert, key, source: resolve(certPath) };
}

function checkPair(cert: string, key: string, what: string): X509Certificate {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    throw new Error(`${what}: the certificate is not a PEM X.509 certificate`);
  }
  let matches = false;
  try {
    matches = x509.checkPrivateKey(createPrivateKey(key));
  } catch {
    throw new Error(`${what}: the key is not a PEM private key`);
  }
  if (!matches) throw new Error(`${what}: the key does not belong to the certificate`);
  return x509;
}

/**
 * The data folder's certificate, made when there is none (or it is about to expire). Two
 * processes starting at once agree on one: each writes into its own temporary folder and
 * renames it into place; the rename of the loser fails and it reads the winner's.
 */
export async function folderCertificate(dataDir: string, now: Date = new Date()): Promise<TlsMaterial & { created: boolean }> {
  const dir = join(resolve(dataDir), TLS_DIR);
  const existing = readFolder(dir);
  if (existing && new Date(existing.x509.validTo).getTime() - now.getTime() > RENEW_BEFORE_MS) {
    return { cert: existing.cert, key: existing.key, source: join(dir, CERT_FILE), created: false };
  }
  if (existing) renameSync(dir, `${dir}.expired-${now.toISOString().replace(/[:.]/g, '-')}`);

  const fresh = await generateCertificate(now);
  mkdirSync(resolve(dataDir), { recursive: true, mode: 0o700 });
  const staging = `${dir}.tmp-${randomBytes(6).toString('hex')}`;
  mkdirSync(staging, { mode: 0o700 });
  writeFileSync(join(staging, CERT_FILE), fresh.cert, { mode: 0o600 });
  writeFileSync(join(staging, KEY_FILE), fresh.key, { mode: 0o600 });
  try {
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    const winner = code === 'ENOTEMPTY' || code === 'EEXIST' ? readFolder(dir) : undefined;
    if (!winner) throw error;
    return { cert: winner.cert, key: winner.key, source: join(dir, CERT_FILE), created: false };
  }
  return { ...fresh, source: join(dir, CERT_FILE), created: true };
}

function readFolder(dir: string): { cert: string; key: string; x509: X509Certificate } | undefined {
  const certPath = join(dir, CERT_FILE);
  const keyPath = join(dir, KEY_FILE);
  if (!existsSync(certPath) || !existsSync(keyPath)) return undefined;
  const cert = readFileSync(certPath, 'utf8');
  const key = readFileSync(keyPath, 'utf8');
  return { cert, key, x509: checkPair(cert, key, dir) };
}

const CERT_SETTING = 'tls.cert';
const KEY_SETTING = 'tls.key';

/**
 * With a database instead of a data folder, the certificate lives in the store, so every
 * instance behind a load balancer presents the same one and a client trusts them all at once.
 * Instances starting together agree on one (first writer wins).
 */
export async function storeCertificate(
  store: { getSetting(name: string): Promise<string | undefined>; putSettingIfAbsent(name: string, value: string): Promise<string> },
  source: string,
  now: Date = new Date(),
): Promise<TlsMaterial & { created: boolean }> {
  const existing = await store.getSetting(CERT_SETTING);
  if (existing) return { cert: existing, key: (await store.getSetting(KEY_SETTING))!, source, created: false };
  const fresh = await generateCertificate(now);
  // The key first: whoever wins the certificate also wrote (or finds) a key of the same pair.
  const bundle = await store.putSettingIfAbsent(`${CERT_SETTING}+key`, JSON.stringify(fresh));
  const won = JSON.parse(bundle) as { cert: string; key: string };
  await store.putSettingIfAbsent(KEY_SETTING, won.key);
  await store.putSettingIfAbsent(CERT_SETTING, won.cert);
  return { ...won, source, created: won.cert === fresh.cert };
}
