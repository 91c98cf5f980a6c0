import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  customDomainCertificateMetadata,
  UnreadableCertificate,
  type CertificateMetadata,
} from './custom-domain-certificate.js';

interface Fixture {
  certificates: Array<{ name: string; key: string; password?: string; metadata: CertificateMetadata }>;
  unreadable: Array<{ name: string; key: string; password?: string; message: string }>;
}

/** test/fixtures/custom-domain-certificates.json (made with OpenSSL), from src or dist. */
function readFixture(): Fixture {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const path = join(dir, 'test', 'fixtures', 'custom-domain-certificates.json');
    if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as Fixture;
    assert.notEqual(dirname(dir), dir, 'test/fixtures/custom-domain-certificates.json not found above the test');
  }
}

const fixture = readFixture();

describe("a custom domain's certificate metadata", () => {
  for (const c of fixture.certificates) {
    it(`${c.name}: subject, issuer, SHA-1 thumbprint and validity as OpenSSL reads them`, () => {
      assert.deepEqual(customDomainCertificateMetadata(c.key, c.password), c.metadata);
    });
  }

  for (const c of fixture.unreadable) {
    it(`${c.name}: refused, saying why`, () => {
      assert.throws(
        () => customDomainCertificateMetadata(c.key, c.password),
        (error: unknown) => error instanceof UnreadableCertificate && error.message.includes(c.message),
      );
    });
  }

  it('a truncated or damaged PFX is refused, not a crash', () => {
    const pfx = Buffer.from(fixture.certificates[0].key, 'base64');
    for (const length of [1, 2, 40, pfx.length >> 1, pfx.length - 1]) {
      assert.throws(
        () => customDomainCertificateMetadata(pfx.subarray(0, length).toString('base64'), 'secret'),
        UnreadableCertificate,
        `length ${length}`,
      );
    }
    // A damaged byte the walk does not depend on goes unnoticed (the MAC is not checked); any
    // other is a refusal, never another error.
    let refused = 0;
    for (let offset = 0; offset < pfx.length; offset += 3) {
      const damaged = Buffer.from(pfx);
      damaged[offset] ^= 0xff;
      try {
        customDomainCertificateMetadata(damaged.toString('base64'), 'secret');
      } catch (error) {
        assert.ok(error instanceof UnreadableCertificate, `byte ${offset}: ${String(error)}`);
        refused++;
      }
    }
    assert.ok(refused > pfx.length / 6, `only ${refused} of ${Math.ceil(pfx.length / 3)} damaged bytes refused`);
  });

  it('a PFX that asks for more key-derivation iterations than the bound is refused before deriving', () => {
    const pfx = Buffer.from(fixture.certificates[0].key, 'base64');
    // PBKDF2-params as OpenSSL wrote them: salt OCTET STRING (8) then INTEGER 2048. Rewritten,
    // at the same length, to a 7-byte salt and INTEGER 8388607.
    const at = pfx.indexOf(Buffer.from([0x02, 0x02, 0x08, 0x00]));
    assert.ok(at > 10 && pfx[at - 10] === 0x04 && pfx[at - 9] === 0x08);
    const greedy = Buffer.concat([
      pfx.subarray(0, at - 10),
      Buffer.from([0x04, 0x07]),
      pfx.subarray(at - 8, at - 1),
      Buffer.from([0x02, 0x03, 0x7f, 0xff, 0xff]),
      pfx.subarray(at + 4),
    ]);
    assert.equal(greedy.length, pfx.length);
    assert.throws(
      () => customDomainCertificateMetadata(greedy.toString('base64'), 'secret'),
      (error: unknown) =>
        error instanceof UnreadableCertificate &&
        error.message.includes('asks for 8388607 key-derivation iterations; localgraph reads 1 to 600000'),
    );
  });
});
