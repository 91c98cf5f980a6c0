import { createPrivateKey, randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createCertificateAuthority, LeafIssuer, LOOPBACK_NAMES } from './certificate-authority.js';

/**
 * The TLS certificate `localgraph serve --https` presents: a leaf of localgraph's CA
 * (src/http/certificate-authority.ts) for `localhost`, `127.0.0.1` and `::1`, made on first use
 * and kept in the data folder (`tls/cert.pem`, `tls/key.pem`) or the database. Trusting the CA
 * once covers it and the proxy's leaves for graph.microsoft.com and login.microsoftonline.com;
 * trusting the certificate file (leaf and CA) works too. A folder's older self-signed
 * certificate is served until it expires (delete `DIR/tls/` to have one issued by the CA).
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

/**
 * Makes a new key pair and a certificate for the loopback names, issued by localgraph's CA.
 * `cert` is the full chain, the leaf then the CA (as in a `fullchain.pem`): the server presents
 * both, and a client told to trust this file trusts the CA in it, so the file works as a trust
 * anchor on its own, as the self-signed certificate before it did.
 */
export async function generateCertificate(
  issuer: LeafIssuer,
  extraNames: string[] = [],
): Promise<{ cert: string; key: string }> {
  if (extraNames.length > 0) return namedCertificate(extraNames);
  const leaf = await issuer.issue(LOOPBACK_NAMES, VALIDITY_DAYS);
  return { cert: leaf.cert + issuer.ca.cert, key: leaf.key };
}

/**
 * A certificate for the loopback names and other names (`serve --https --cert-name NAME`, a CI
 * service's host name). localgraph's CA is name-constrained to loopback and Microsoft's names
 * and cannot sign these, and widening it would widen what every client that trusts it trusts.
 * So the leaf gets a CA of its own, constrained to exactly these names, whose key is dropped
 * once the leaf is signed: the certificate file (leaf and that CA) is what clients trust, and
 * that trust reaches nothing else.
 */
async function namedCertificate(extraNames: string[]): Promise<{ cert: string; key: string }> {
  const ca = await createCertificateAuthority(new Date(), ['localhost', ...extraNames], 'certificate CA for');
  const leaf = await new LeafIssuer(ca).issue([...LOOPBACK_NAMES, ...extraNames], VALIDITY_DAYS);
  return { cert: leaf.cert + ca.cert, key: leaf.key };
}

/** The DNS names and addresses a certificate is for. */
export function certificateNames(cert: string): string[] {
  const names = new X509Certificate(cert).subjectAltName ?? '';
  return (
    names
      .split(', ')
      .map((entry) => entry.replace(/^(DNS|IP Address):/, ''))
      .filter(Boolean)
      // IPv6 as it is usually written (Node spells out `0:0:0:0:0:0:0:1`): `::1`.
      .map((name) => (name.includes(':') ? new URL(`http://[${name}]`).hostname.slice(1, -1) : name))
  );
}

const sameNames = (a: string[], b: string[]) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

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
export async function folderCertificate(
  dataDir: string,
  issuer: LeafIssuer,
  now: Date = new Date(),
  extraNames?: string[],
): Promise<TlsMaterial & { created: boolean }> {
  const dir = join(resolve(dataDir), TLS_DIR);
  const existing = readFolder(dir);
  // `extraNames` undefined (localgraph cert): whatever names the kept certificate has. Given
  // (serve): a kept certificate for other names is set aside, as an expired one is.
  const named =
    existing === undefined ||
    extraNames === undefined ||
    sameNames(certificateNames(existing.cert), [...LOOPBACK_NAMES, ...extraNames]);
  if (existing && named && new Date(existing.x509.validTo).getTime() - now.getTime() > RENEW_BEFORE_MS) {
    return { cert: existing.cert, key: existing.key, source: join(dir, CERT_FILE), created: false };
  }
  if (existing)
    renameSync(dir, `${dir}.${named ? 'expired' : 'other-names'}-${now.toISOString().replace(/[:.]/g, '-')}`);

  const fresh = await generateCertificate(issuer, extraNames);
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
  store: {
    getSetting(name: string): Promise<string | undefined>;
    putSettingIfAbsent(name: string, value: string): Promise<string>;
  },
  source: string,
  issuer: LeafIssuer,
  extraNames: string[] = [],
): Promise<TlsMaterial & { created: boolean }> {
  // One certificate per set of extra names (`--cert-name`), each kept under its own settings.
  const suffix = extraNames.length > 0 ? `:${[...extraNames].sort().join(',')}` : '';
  const [certSetting, keySetting] = [`${CERT_SETTING}${suffix}`, `${KEY_SETTING}${suffix}`];
  const existing = await store.getSetting(certSetting);
  if (existing) return { cert: existing, key: (await store.getSetting(keySetting))!, source, created: false };
  const fresh = await generateCertificate(issuer, extraNames);
  // The key first: whoever wins the certificate also wrote (or finds) a key of the same pair.
  const bundle = await store.putSettingIfAbsent(`${certSetting}+key`, JSON.stringify(fresh));
  const won = JSON.parse(bundle) as { cert: string; key: string };
  await store.putSettingIfAbsent(keySetting, won.key);
  await store.putSettingIfAbsent(certSetting, won.cert);
  return { ...won, source, created: won.cert === fresh.cert };
}
