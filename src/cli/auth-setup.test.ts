import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAuthOptions, parseTrustIssuer } from './auth-setup.js';
import { UsageError } from './usage.js';

const A = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const B = '3b0c4a2e-5a1f-4c3e-9d7b-1f2e3d4c5b6a';

test('--trust-issuer: a URL naming one tenant, or TENANT[,TENANT]=URL', () => {
  assert.deepEqual(parseTrustIssuer(`https://login.microsoftonline.com/${A}/v2.0`), {
    url: `https://login.microsoftonline.com/${A}/v2.0`,
    tenants: [A],
  });
  assert.deepEqual(parseTrustIssuer(`${A},${B.toUpperCase()}=https://login.microsoftonline.com/common/v2.0`), {
    url: 'https://login.microsoftonline.com/common/v2.0',
    tenants: [A, B],
  });
  assert.deepEqual(
    parseTrustIssuer(`${B}=https://login.microsoftonline.com/${A}/v2.0`).tenants,
    [B],
    'the list, when given, is the mapping',
  );
});

test('--trust-issuer refuses what it cannot map explicitly, and plain http', () => {
  for (const [value, message] of [
    [
      'https://login.microsoftonline.com/common/v2.0',
      /name the tenants its tokens may act in, as TENANT\[,TENANT\.\.\.\]=URL \(the URL names no tenant\)/,
    ],
    [`https://issuer.example/${A}/${B}/`, /the URL names several/],
    ['not-a-guid=https://login.microsoftonline.com/common/v2.0', /not a URL/],
    [`${A}=http://issuer.example/x`, /must use https/],
  ] as const) {
    assert.throws(
      () => parseTrustIssuer(value),
      (e: unknown) => e instanceof UsageError && message.test(e.message),
      value,
    );
  }
});

test('--max-claims-tenants goes with --auth claims', () => {
  assert.equal(parseAuthOptions({ auth: 'claims' }).maxClaimsTenants, 1000);
  assert.equal(parseAuthOptions({ auth: 'claims', 'max-claims-tenants': '5' }).maxClaimsTenants, 5);
  assert.throws(() => parseAuthOptions({ 'max-claims-tenants': '5' }), /goes with --auth claims/);
  assert.throws(() => parseAuthOptions({ auth: 'claims', 'max-claims-tenants': '0' }), /whole number/);
});
