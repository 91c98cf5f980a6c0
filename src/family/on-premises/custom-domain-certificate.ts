import { createDecipheriv, createHash, pbkdf2Sync } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/**
 * `onPremisesPublishing.verifiedCustomDomainCertificatesMetadata`, read from the certificate a
 * client uploads for a custom domain: `verifiedCustomDomainKeyCredential.key`, a PKCS #12 (PFX)
 * file whose password is `verifiedCustomDomainPasswordCredential.secretText` (the keyCredential's
 * type is `X509CertAndPassword`), or a bare X.509 certificate (DER or PEM).
 *
 * A PFX's certificate bags are read plain, or decrypted where they are encrypted with PBES2
 * (PBKDF2 and AES-CBC: OpenSSL 3's default, Windows' "AES256-SHA256") or with
 * pbeWithSHAAnd3-KeyTripleDES-CBC (older Windows exports). RC2-40 (OpenSSL 1's default) is not
 * read: Node's default OpenSSL provider no longer has RC2.
 */
export interface CertificateMetadata {
  subjectName: string;
  issuerName: string;
  /** SHA-1 of the DER certificate, upper-case hex, as Windows and Graph show thumbprints. */
  thumbprint: string;
  issueDate: string;
  expiryDate: string;
}

/** Why a key could not be read; the message is the client's. */
export class UnreadableCertificate extends Error {}

/**
 * The most key-derivation iterations a PFX may ask for: OpenSSL and Windows use 2,000 to 10,000;
 * 600,000 is OWASP's figure for PBKDF2-SHA256. A bound, so that one upload cannot hold the
 * server for minutes.
 */
export const MAX_KDF_ITERATIONS = 600_000;

const NOT_A_CERTIFICATE = 'The key is neither an X.509 certificate nor a PKCS #12 (PFX) file.';

export function customDomainCertificateMetadata(keyBase64: string, password: string | undefined): CertificateMetadata {
  const bytes = Buffer.from(keyBase64, 'base64');
  let certificate: Buffer;
  try {
    certificate = readCertificate(bytes) ?? leafOf(pfxCertificates(bytes, password ?? ''));
  } catch (error) {
    // Bytes that only look like DER for a while end up anywhere in the walk below.
    throw error instanceof UnreadableCertificate ? error : new UnreadableCertificate(NOT_A_CERTIFICATE);
  }
  const cert = new x509.X509Certificate(new Uint8Array(certificate));
  return {
    subjectName: cert.subject,
    issuerName: cert.issuer,
    thumbprint: createHash('sha1').update(certificate).digest('hex').toUpperCase(),
    issueDate: cert.notBefore.toISOString().replace(/\.000Z$/, 'Z'),
    expiryDate: cert.notAfter.toISOString().replace(/\.000Z$/, 'Z'),
  };
}

/** The DER of an X.509 certificate given as DER or PEM, or undefined if it is not one. */
function readCertificate(bytes: Buffer): Buffer | undefined {
  const text = bytes.toString('latin1');
  if (text.includes('-----BEGIN CERTIFICATE-----')) {
    const base64 = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(text)?.[1];
    return base64 ? readCertificate(Buffer.from(base64.replace(/\s+/g, ''), 'base64')) : undefined;
  }
  try {
    new x509.X509Certificate(new Uint8Array(bytes));
    return bytes;
  } catch {
    return undefined;
  }
}

/** The end-entity certificate of a PFX's chain: the one that issued no other. */
function leafOf(certificates: Buffer[]): Buffer {
  if (certificates.length === 0) throw new UnreadableCertificate('The PFX holds no certificate.');
  const parsed = certificates.map((der) => ({ der, cert: new x509.X509Certificate(new Uint8Array(der)) }));
  const issuers = new Set(
    parsed.filter((c) => c.cert.subject !== c.cert.issuer || parsed.length === 1).map((c) => c.cert.issuer),
  );
  return (parsed.find((c) => !issuers.has(c.cert.subject)) ?? parsed[0]).der;
}

// --- A minimal DER reader: just what PKCS #12's structure needs. ---

interface Tlv {
  tag: number;
  /** The contents. */
  value: Buffer;
}

function readTlv(bytes: Buffer, offset: number): Tlv & { end: number } {
  if (offset + 2 > bytes.length) throw new UnreadableCertificate(NOT_A_CERTIFICATE);
  const tag = bytes[offset];
  let length = bytes[offset + 1];
  let start = offset + 2;
  if (length & 0x80) {
    const octets = length & 0x7f;
    if (octets === 0 || octets > 4) throw new UnreadableCertificate(NOT_A_CERTIFICATE);
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + bytes[start + i];
    start += octets;
  }
  if (start + length > bytes.length) throw new UnreadableCertificate(NOT_A_CERTIFICATE);
  return { tag, value: bytes.subarray(start, start + length), end: start + length };
}

function children(tlv: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let offset = 0; offset < tlv.value.length; ) {
    const child = readTlv(tlv.value, offset);
    out.push(child);
    offset = child.end;
  }
  return out;
}

function oid(tlv: Tlv): string {
  const b = tlv.value;
  const parts = [Math.floor(b[0] / 40), b[0] % 40];
  let n = 0;
  for (let i = 1; i < b.length; i++) {
    n = n * 128 + (b[i] & 0x7f);
    if (!(b[i] & 0x80)) {
      parts.push(n);
      n = 0;
    }
  }
  return parts.join('.');
}

function iterations(tlv: Tlv): number {
  const n = tlv.value.length > 4 ? Infinity : tlv.value.reduce((n, byte) => n * 256 + byte, 0);
  if (n < 1 || n > MAX_KDF_ITERATIONS)
    throw new UnreadableCertificate(
      `The PFX asks for ${tlv.value.length > 4 ? 'over 4 billion' : n} key-derivation iterations; localgraph reads 1 to ${MAX_KDF_ITERATIONS}.`,
    );
  return n;
}

/** An OCTET STRING's contents, whether encoded primitive or (BER) constructed. */
function octets(tlv: Tlv): Buffer {
  return tlv.tag & 0x20 ? Buffer.concat(children(tlv).map(octets)) : tlv.value;
}

const OID = {
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  pbeSha1TripleDes: '1.2.840.113549.1.12.1.3',
} as const;

const PRF: Record<string, string> = {
  '1.2.840.113549.2.7': 'sha1',
  '1.2.840.113549.2.9': 'sha256',
  '1.2.840.113549.2.10': 'sha384',
  '1.2.840.113549.2.11': 'sha512',
};

const AES: Record<string, string> = {
  '2.16.840.1.101.3.4.1.2': 'aes-128-cbc',
  '2.16.840.1.101.3.4.1.22': 'aes-192-cbc',
  '2.16.840.1.101.3.4.1.42': 'aes-256-cbc',
};

/** Every X.509 certificate in a PFX (RFC 7292), decrypting encrypted safe contents with the password. */
function pfxCertificates(bytes: Buffer, password: string): Buffer[] {
  const pfx = readTlv(bytes, 0);
  const [version, authSafe] = children(pfx);
  if (pfx.tag !== 0x30 || version?.tag !== 0x02 || authSafe?.tag !== 0x30) {
    throw new UnreadableCertificate(NOT_A_CERTIFICATE);
  }
  const [type, content] = children(authSafe);
  if (oid(type) !== OID.data)
    throw new UnreadableCertificate(
      'The PFX is signed with a public key, which localgraph does not read; export it with a password.',
    );
  const safe = readTlv(octets(children(content)[0]), 0);
  const certificates: Buffer[] = [];
  for (const info of children(safe)) {
    const [infoType, infoContent] = children(info);
    const kind = oid(infoType);
    let safeContents: Buffer;
    if (kind === OID.data) safeContents = octets(children(infoContent)[0]);
    else if (kind === OID.encryptedData) safeContents = decrypt(children(children(infoContent)[0])[1], password);
    else continue;
    for (const bag of children(readTlv(safeContents, 0))) {
      const [bagId, bagValue] = children(bag);
      if (oid(bagId) !== OID.certBag) continue;
      const [certId, certValue] = children(children(bagValue)[0]);
      if (oid(certId) === OID.x509Certificate) certificates.push(octets(children(certValue)[0]));
    }
  }
  return certificates;
}

/** An EncryptedContentInfo's plaintext. */
function decrypt(encryptedContentInfo: Tlv, password: string): Buffer {
  const [, algorithm, encrypted] = children(encryptedContentInfo);
  const [algorithmId, params] = children(algorithm);
  const ciphertext = octets(encrypted);
  const scheme = oid(algorithmId);
  try {
    if (scheme === OID.pbes2) return decryptPbes2(params, password, ciphertext);
    if (scheme === OID.pbeSha1TripleDes) return decryptPkcs12TripleDes(params, password, ciphertext);
  } catch (error) {
    if (error instanceof UnreadableCertificate) throw error;
    throw new UnreadableCertificate(
      'The PFX could not be decrypted with verifiedCustomDomainPasswordCredential.secretText.',
    );
  }
  const name = scheme.startsWith('1.2.840.113549.1.12.1.')
    ? "RC2 or RC4 (pbeWithSHAAnd…, OpenSSL 1's default)"
    : scheme;
  throw new UnreadableCertificate(
    `The PFX's certificates are encrypted with ${name}, which localgraph does not read; export it with AES-256 (PBES2) or TripleDES.`,
  );
}

function decryptPbes2(params: Tlv, password: string, ciphertext: Buffer): Buffer {
  const [kdf, encryption] = children(params);
  const [kdfId, kdfParams] = children(kdf);
  if (oid(kdfId) !== OID.pbkdf2)
    throw new UnreadableCertificate('The PFX uses a key derivation other than PBKDF2, which localgraph does not read.');
  const fields = children(kdfParams);
  const salt = fields[0].value;
  const count = iterations(fields[1]);
  const prfField = fields.slice(2).find((f) => f.tag === 0x30);
  const digest = prfField ? PRF[oid(children(prfField)[0])] : 'sha1';
  const [encryptionId, iv] = children(encryption);
  const cipher = AES[oid(encryptionId)];
  if (!cipher || !digest)
    throw new UnreadableCertificate(
      'The PFX uses a cipher localgraph does not read; export it with AES-256 (PBES2) or TripleDES.',
    );
  const key = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, count, Number(cipher.split('-')[1]) / 8, digest);
  const decipher = createDecipheriv(cipher, key, iv.value);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

function decryptPkcs12TripleDes(params: Tlv, password: string, ciphertext: Buffer): Buffer {
  const [salt, iterationsField] = children(params);
  const count = iterations(iterationsField);
  const key = pkcs12Kdf(password, salt.value, count, 1, 24);
  const iv = pkcs12Kdf(password, salt.value, count, 2, 8);
  const decipher = createDecipheriv('des-ede3-cbc', key, iv);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

/** RFC 7292 appendix B.2 with SHA-1: `id` 1 derives a key, 2 an IV. */
function pkcs12Kdf(password: string, salt: Buffer, iterations: number, id: number, size: number): Buffer {
  const v = 64;
  const u = 20;
  const pass = Buffer.alloc((password.length + 1) * 2);
  for (let i = 0; i < password.length; i++) pass.writeUInt16BE(password.charCodeAt(i), i * 2);
  const fill = (source: Buffer) => {
    if (source.length === 0) return Buffer.alloc(0);
    const out = Buffer.alloc(v * Math.ceil(source.length / v));
    for (let i = 0; i < out.length; i++) out[i] = source[i % source.length];
    return out;
  };
  let input = Buffer.concat([fill(salt), fill(pass)]);
  const d = Buffer.alloc(v, id);
  const result: Buffer[] = [];
  for (let produced = 0; produced < size; produced += u) {
    let a = createHash('sha1')
      .update(Buffer.concat([d, input]))
      .digest();
    for (let i = 1; i < iterations; i++) a = createHash('sha1').update(a).digest();
    result.push(a);
    const b = fill(a).subarray(0, v);
    const next = Buffer.from(input);
    for (let block = 0; block < next.length; block += v) {
      let carry = 1;
      for (let i = v - 1; i >= 0; i--) {
        const sum = next[block + i] + b[i] + carry;
        next[block + i] = sum & 0xff;
        carry = sum >> 8;
      }
    }
    input = next;
  }
  return Buffer.concat(result).subarray(0, size);
}
