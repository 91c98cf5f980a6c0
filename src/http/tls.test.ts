import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCertificateAuthority, issuedBy, LeafIssuer } from './certificate-authority.js';
import { certificateNames, folderCertificate, generateCertificate, loadCertificateFiles } from './tls.js';

const ca = await createCertificateAuthority();
const issuer = new LeafIssuer(ca);

const temp = () => mkdtempSync(join(tmpdir(), 'localgraph-tls-'));

test("a generated certificate is a leaf of localgraph's CA for localhost, 127.0.0.1 and ::1, and its key matches", async () => {
  const { cert, key } = await generateCertificate(issuer);
  const x509 = new X509Certificate(cert);
  assert.equal(x509.ca, false, 'a leaf: trusting it lets nobody mint other certificates');
  assert.equal(x509.issuer, new X509Certificate(ca.cert).subject);
  assert.ok(issuedBy(cert, ca), 'signed by the CA: trusting the CA covers it');
  assert.equal(x509.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
  for (const host of ['localhost']) assert.equal(x509.checkHost(host), host);
  for (const ip of ['127.0.0.1', '::1']) assert.equal(x509.checkIP(ip), ip);
  assert.equal(x509.checkHost('example.com'), undefined);
  assert.ok(x509.keyUsage === undefined || x509.keyUsage.includes('1.3.6.1.5.5.7.3.1'), 'server authentication');
  const days = (Date.parse(x509.validTo) - Date.now()) / 86_400_000;
  assert.ok(days > 820 && days <= 826, `valid for ${days} days`);
  const dir = temp();
  writeFileSync(join(dir, 'c.pem'), cert);
  writeFileSync(join(dir, 'k.pem'), key);
  assert.equal(loadCertificateFiles(join(dir, 'c.pem'), join(dir, 'k.pem')).cert, cert);
});

test('the data folder keeps one certificate: made once, then reused; concurrent first uses agree', async () => {
  const dir = join(temp(), 'data');
  const [a, b] = await Promise.all([folderCertificate(dir, issuer), folderCertificate(dir, issuer)]);
  assert.equal(a.cert, b.cert);
  assert.equal(a.key, b.key);
  assert.deepEqual([a.created, b.created].sort(), [false, true]);
  const again = await folderCertificate(dir, issuer);
  assert.equal(again.created, false);
  assert.equal(again.cert, a.cert);
  assert.equal(readFileSync(join(dir, 'tls', 'cert.pem'), 'utf8'), a.cert);
  assert.equal(statSync(join(dir, 'tls', 'key.pem')).mode & 0o077, 0, 'the key is readable by its owner only');
  assert.deepEqual(
    readdirSync(dir).filter((name) => name.startsWith('tls')),
    ['tls'],
    'no staging folder is left behind',
  );
});

test('a certificate about to expire is replaced at start, the old one kept aside', async () => {
  const dir = join(temp(), 'data');
  const first = await folderCertificate(dir, issuer);
  const later = new Date(Date.now() + 825 * 86_400_000);
  const renewed = await folderCertificate(dir, issuer, later);
  assert.equal(renewed.created, true);
  assert.notEqual(renewed.cert, first.cert);
  assert.equal(readdirSync(dir).filter((name) => name.startsWith('tls.expired-')).length, 1);
});

test('--cert and --key that do not belong together, or are not PEM, are refused', async () => {
  const dir = temp();
  const one = await generateCertificate(issuer);
  const two = await generateCertificate(issuer);
  writeFileSync(join(dir, 'c.pem'), one.cert);
  writeFileSync(join(dir, 'k.pem'), two.key);
  writeFileSync(join(dir, 'junk.pem'), 'not pem');
  assert.throws(() => loadCertificateFiles(join(dir, 'c.pem'), join(dir, 'k.pem')), /does not belong/);
  assert.throws(() => loadCertificateFiles(join(dir, 'junk.pem'), join(dir, 'k.pem')), /not a PEM X.509 certificate/);
  assert.throws(() => loadCertificateFiles(join(dir, 'c.pem'), join(dir, 'junk.pem')), /not a PEM private key/);
  assert.throws(() => loadCertificateFiles(join(dir, 'missing.pem'), join(dir, 'k.pem')), /ENOENT/);
});

/** Whether a TLS client trusting only `trusted` accepts `material` when it asks for `servername`. */
async function handshake(
  material: { cert: string; key: string },
  trusted: string,
  servername: string,
): Promise<string> {
  const { createServer } = await import('node:tls');
  const { connect } = await import('node:tls');
  const server = createServer({ cert: material.cert, key: material.key }, (socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  try {
    return await new Promise<string>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port, servername, ca: trusted }, () => {
        resolve('trusted');
        socket.destroy();
      });
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
  } finally {
    server.close();
  }
}

test('--cert-name: the certificate is also for those names, under a CA of its own that covers nothing else', async () => {
  const named = await generateCertificate(issuer, ['localgraph', 'lg.ci.internal']);
  assert.deepEqual(certificateNames(named.cert), ['localhost', '127.0.0.1', '::1', 'localgraph', 'lg.ci.internal']);
  assert.equal(
    issuedBy(named.cert, ca),
    false,
    "localgraph's CA, constrained to loopback and Microsoft's names, cannot sign them",
  );
  // The certificate file (leaf and its CA) is the trust anchor clients are given.
  for (const name of ['localgraph', 'lg.ci.internal', 'localhost'])
    assert.equal(await handshake(named, named.cert, name), 'trusted', name);
  assert.equal(await handshake(named, named.cert, 'other.internal'), 'ERR_TLS_CERT_ALTNAME_INVALID');
  assert.equal(await handshake(named, ca.cert, 'localgraph'), 'SELF_SIGNED_CERT_IN_CHAIN');
});

test('the data folder reissues its certificate when the names change, and keeps it when they do not', async () => {
  const dir = join(temp(), 'data');
  const plain = await folderCertificate(dir, issuer, new Date(), []);
  const named = await folderCertificate(dir, issuer, new Date(), ['localgraph']);
  assert.equal(named.created, true);
  assert.ok(certificateNames(named.cert).includes('localgraph'));
  assert.equal((await folderCertificate(dir, issuer, new Date(), ['localgraph'])).cert, named.cert);
  // localgraph cert (no names given) prints what is kept.
  assert.equal((await folderCertificate(dir, issuer)).cert, named.cert);
  const back = await folderCertificate(dir, issuer, new Date(), []);
  assert.notEqual(back.cert, plain.cert);
  assert.ok(issuedBy(back.cert, ca));
  assert.equal(readdirSync(dir).filter((name) => name.startsWith('tls.other-names-')).length, 2);
});
