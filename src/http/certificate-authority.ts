import { createPrivateKey, randomBytes, webcrypto, X509Certificate as NodeX509 } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';
import { INTERCEPTED_HOSTS } from './intercepted-hosts.js';

/**
 * localgraph's local certificate authority: the one certificate a client trusts to reach
 * localgraph over TLS, whether through the intercepting proxy (leaves for graph.microsoft.com,
 * login.microsoftonline.com, ...) or on the direct `--https` port (a leaf for localhost).
 *
 * The CA is name-constrained (RFC 5280 §4.2.1.10, critical) to the intercepted Microsoft hosts
 * and the loopback names: a client that trusts it trusts nothing else it might sign, even if its
 * key were copied out of the data store. ECDSA P-256 throughout: a leaf's key is made in about a
 * millisecond, and every TLS stack the SDKs run on accepts it.
 *
 * The CA (certificate and PKCS#8 key, PEM) lives in the store's settings, so every instance on
 * one database, and every start on one data folder, presents leaves of the same CA.
 */
export interface CaMaterial {
  cert: string;
  key: string;
}

export interface LeafMaterial {
  cert: string;
  key: string;
  notAfter: Date;
}

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const DAY_MS = 86_400_000;
/** Ten years: trusted once, for as long as a project lives. */
const CA_VALIDITY_DAYS = 3650;
/** The longest validity Apple platforms accept for a TLS server certificate. */
export const LEAF_VALIDITY_DAYS = 825;
/** Leaves start a little in the past, so that a client whose clock is behind accepts them. */
const BACKDATE_MS = 3600_000;

/** The loopback names every leaf for the direct port carries, and the CA permits. */
export const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

const SETTING = 'ca.v1';

/** The store's CA, made (and stored, first writer wins) when it has none. */
export async function storeCertificateAuthority(
  store: {
    getSetting(name: string): Promise<string | undefined>;
    putSettingIfAbsent(name: string, value: string): Promise<string>;
  },
  now: Date = new Date(),
): Promise<CaMaterial & { created: boolean }> {
  const existing = await store.getSetting(SETTING);
  if (existing) return { ...(JSON.parse(existing) as CaMaterial), created: false };
  const fresh = await createCertificateAuthority(now);
  const won = JSON.parse(await store.putSettingIfAbsent(SETTING, JSON.stringify(fresh))) as CaMaterial;
  return { ...won, created: won.cert === fresh.cert };
}

/** The store's CA certificate (PEM), if it has one; never makes one (clients only read it). */
export async function storedCaCertificate(store: {
  getSetting(name: string): Promise<string | undefined>;
}): Promise<string | undefined> {
  const existing = await store.getSetting(SETTING);
  return existing ? (JSON.parse(existing) as CaMaterial).cert : undefined;
}

/**
 * A new CA: self-signed, `CA:TRUE, pathlen:0`, name-constrained to `permitted` (DNS names and
 * their subdomains) and the loopback addresses; by default the intercepted Microsoft hosts and
 * `localhost`.
 */
export async function createCertificateAuthority(
  now: Date = new Date(),
  permitted: string[] = [...INTERCEPTED_HOSTS.keys(), 'localhost'],
  label = 'local CA',
): Promise<CaMaterial> {
  const keys = (await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    // A distinct name per CA, so that two installations' CAs are told apart in a trust store.
    name: `CN=localgraph ${label} ${randomBytes(4).toString('hex')}, O=localgraph`,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + CA_VALIDITY_DAYS * DAY_MS),
    signingAlgorithm: SIGNING,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      new x509.Extension('2.5.29.30', true, nameConstraints(permitted)),
    ],
  });
  return { cert: withNewline(cert.toString('pem')), key: await privateKeyPem(keys.privateKey) };
}

/**
 * Issues server certificates from one CA. Leaves are made on first use and kept (per set of
 * names) until a day before they expire, so a new tunnel to a host seen before costs no
 * certificate work.
 */
export class LeafIssuer {
  private readonly caCert: x509.X509Certificate;
  private readonly caKey: Promise<CryptoKey>;
  private readonly leaves = new Map<string, Promise<LeafMaterial>>();

  constructor(
    readonly ca: CaMaterial,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.caCert = new x509.X509Certificate(ca.cert);
    const der = createPrivateKey(ca.key).export({ format: 'der', type: 'pkcs8' });
    this.caKey = webcrypto.subtle.importKey('pkcs8', der, KEY_ALGORITHM, false, ['sign']) as Promise<CryptoKey>;
  }

  /** A leaf for these DNS names and IP addresses (the first is its common name), cached. */
  leaf(names: string[]): Promise<LeafMaterial> {
    const id = names.join(',');
    const cached = this.leaves.get(id);
    if (cached) {
      return cached.then((leaf) =>
        leaf.notAfter.getTime() - this.now().getTime() > DAY_MS ? leaf : this.fresh(id, names),
      );
    }
    return this.fresh(id, names);
  }

  private fresh(id: string, names: string[]): Promise<LeafMaterial> {
    const made = this.issue(names);
    this.leaves.set(id, made);
    made.catch(() => this.leaves.delete(id));
    return made;
  }

  /** A new leaf, not cached: `serverAuth`, `CA:FALSE`, valid {@link LEAF_VALIDITY_DAYS} days. */
  async issue(names: string[], validityDays = LEAF_VALIDITY_DAYS): Promise<LeafMaterial> {
    const keys = (await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
    const now = this.now();
    const notAfter = new Date(Math.min(now.getTime() + validityDays * DAY_MS, this.caCert.notAfter.getTime()));
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject: `CN=${names[0]}, O=localgraph`,
      issuer: this.caCert.subject,
      notBefore: new Date(now.getTime() - BACKDATE_MS),
      notAfter,
      signingAlgorithm: SIGNING,
      publicKey: keys.publicKey,
      signingKey: await this.caKey,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(
          names.map((name) => ({ type: isIP(name) ? ('ip' as const) : ('dns' as const), value: name })),
        ),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        await x509.AuthorityKeyIdentifierExtension.create(this.caCert),
      ],
    });
    return { cert: withNewline(cert.toString('pem')), key: await privateKeyPem(keys.privateKey), notAfter };
  }
}

/** Whether `cert` (PEM) was signed by this CA. */
export function issuedBy(cert: string, ca: CaMaterial): boolean {
  try {
    const leaf = new NodeX509(cert);
    const authority = new NodeX509(ca.cert);
    return leaf.checkIssued(authority) && leaf.verify(authority.publicKey);
  } catch {
    return false;
  }
}

function withNewline(pem: string): string {
  return pem.endsWith('\n') ? pem : `${pem}\n`;
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n?$/, '\n')}-----END PRIVATE KEY-----\n`;
}

/** A positive 16-byte serial number (RFC 5280 allows up to 20 octets). */
function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f;
  bytes[0] |= 0x01;
  return bytes.toString('hex');
}

/**
 * The DER of a NameConstraints extension value permitting these DNS names (and their
 * subdomains) and the loopback addresses 127.0.0.0/8 and ::1/128 (RFC 5280 §4.2.1.10).
 * @peculiar/x509 has no class for this extension; its ASN.1 is three nested SEQUENCEs.
 */
function nameConstraints(dnsNames: string[]): ArrayBuffer {
  const subtree = (tag: number, value: Buffer) => der(0x30, der(tag, value));
  const permitted = [
    ...dnsNames.map((name) => subtree(0x82, Buffer.from(name, 'ascii'))),
    subtree(0x87, Buffer.from([127, 0, 0, 0, 255, 0, 0, 0])),
    subtree(0x87, Buffer.concat([Buffer.from([...Array(15).fill(0), 1]), Buffer.alloc(16, 0xff)])),
  ];
  const value = der(0x30, der(0xa0, Buffer.concat(permitted)));
  return value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength) as ArrayBuffer;
}

function der(tag: number, content: Buffer): Buffer {
  const length = content.length;
  const head =
    length < 0x80
      ? Buffer.from([tag, length])
      : length < 0x100
        ? Buffer.from([tag, 0x81, length])
        : Buffer.from([tag, 0x82, length >> 8, length & 0xff]);
  return Buffer.concat([head, content]);
}
