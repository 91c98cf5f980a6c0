import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import * as tls from 'node:tls';
import {
  createCertificateAuthority,
  issuedBy,
  LeafIssuer,
  storeCertificateAuthority,
} from './certificate-authority.js';

const ca = await createCertificateAuthority();

/** Whether a TLS client trusting only `ca` accepts a server presenting `leaf` as `servername`. */
async function handshake(leaf: { cert: string; key: string }, servername: string): Promise<string | undefined> {
  const server = tls.createServer({ cert: leaf.cert, key: leaf.key }, (socket) => socket.end());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const socket = tls.connect({
      host: '127.0.0.1',
      port: (server.address() as AddressInfo).port,
      servername,
      ca: ca.cert,
    });
    return await new Promise((resolve) => {
      socket.once('secureConnect', () => {
        socket.destroy();
        resolve(undefined);
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(`${error.code}: ${error.message}`));
    });
  } finally {
    server.close();
  }
}

test('the CA is a name-constrained CA: pathlen 0, its leaves accepted, a leaf for any other name refused', async () => {
  const x509 = new X509Certificate(ca.cert);
  assert.equal(x509.ca, true);
  assert.equal(x509.subject, x509.issuer);
  assert.match(x509.subject, /CN=localgraph local CA [0-9a-f]{8}/);
  const issuer = new LeafIssuer(ca);
  const graph = await issuer.leaf(['graph.microsoft.com']);
  assert.ok(issuedBy(graph.cert, ca));
  assert.equal(new X509Certificate(graph.cert).ca, false);
  assert.equal(await handshake(graph, 'graph.microsoft.com'), undefined, 'trusted through the CA');
  assert.match(
    (await handshake(graph, 'login.microsoftonline.com'))!,
    /^ERR_TLS_CERT_ALTNAME_INVALID/,
    'a leaf is for its own host only',
  );
  // The CA's key could sign a leaf for any name; its name constraints make clients refuse it.
  const other = await issuer.issue(['other.example']);
  assert.ok(issuedBy(other.cert, ca));
  assert.match((await handshake(other, 'other.example'))!, /permitted subtree violation/i);
});

test('leaves are cached per host, and made anew when about to expire', async () => {
  let now = new Date();
  const issuer = new LeafIssuer(ca, () => now);
  const [a, b] = await Promise.all([
    issuer.leaf(['login.microsoftonline.com']),
    issuer.leaf(['login.microsoftonline.com']),
  ]);
  assert.equal(a, b);
  assert.notEqual((await issuer.leaf(['login.windows.net'])).cert, a.cert);
  now = new Date(a.notAfter.getTime() - 3600_000);
  const renewed = await issuer.leaf(['login.microsoftonline.com']);
  assert.notEqual(renewed.cert, a.cert);
  assert.ok(renewed.notAfter > a.notAfter);
});

test('a store keeps one CA: concurrent first uses agree (first writer wins)', async () => {
  const settings = new Map<string, string>();
  const store = {
    getSetting: async (name: string) => settings.get(name),
    putSettingIfAbsent: async (name: string, value: string) => {
      await new Promise((resolve) => setImmediate(resolve));
      if (!settings.has(name)) settings.set(name, value);
      return settings.get(name)!;
    },
  };
  const [one, two] = await Promise.all([storeCertificateAuthority(store), storeCertificateAuthority(store)]);
  assert.equal(one.cert, two.cert);
  assert.equal(one.key, two.key);
  assert.deepEqual([one.created, two.created].sort(), [false, true]);
  assert.equal((await storeCertificateAuthority(store)).cert, one.cert);
});
