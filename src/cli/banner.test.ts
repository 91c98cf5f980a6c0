import { test } from 'node:test';
import assert from 'node:assert/strict';
import { banner, type BannerFacts } from './banner.js';

const facts: BannerFacts = {
  baseUrl: 'http://127.0.0.1:5080/beta/',
  origin: 'http://127.0.0.1:5080',
  storage: 'SQLite in data',
  auth: 'strict',
  trustedIssuers: [],
  identity: {
    tenantId: 't',
    appId: 'a',
    servicePrincipalId: 's',
    userId: 'u',
    userPrincipalName: 'admin@localgraph.onmicrosoft.com',
  },
  created: {},
  dataDir: 'data',
  host: '127.0.0.1',
};
const warnings = (more: Partial<BannerFacts>) =>
  banner({ ...facts, ...more }).filter((line) => line.includes('WARNING'));

test('no warning for strict auth on a loopback address', () => {
  assert.deepEqual(warnings({}), []);
});

test('loud warnings for --auth off and claims, and for non-loopback binds', () => {
  assert.match(
    warnings({ auth: 'off' }).join('\n'),
    /WARNING: --auth off: anyone who reaches this server acts with every permission/,
  );
  assert.match(warnings({ auth: 'claims' }).join('\n'), /WARNING: --auth claims: .*unsigned token/);
  const exposed = warnings({ host: '0.0.0.0', auth: 'off' });
  assert.equal(exposed.length, 2);
  assert.match(exposed[1], /listening on 0\.0\.0\.0, reachable beyond this machine; every Host name is answered/);
  assert.match(
    warnings({ host: '0.0.0.0', allowedHosts: ['lg.internal'] })[0],
    /Host names answered: loopback names and lg\.internal/,
  );
  assert.match(
    warnings({ host: '0.0.0.0', devCredentials: true }).join('\n'),
    /dev credentials are enabled on a reachable server/,
  );
});

test('the proxy, the CA file and the dev credentials are printed', () => {
  const lines = banner({ ...facts, proxyUrl: 'http://127.0.0.1:5081', caFile: '/d/ca.pem', devCredentials: true });
  assert.ok(
    lines.some((line) =>
      line.startsWith(
        '  proxy: http://127.0.0.1:5081 (HTTPS_PROXY; intercepts graph.microsoft.com, login.microsoftonline.com',
      ),
    ),
  );
  assert.ok(lines.some((line) => line.startsWith('  ca: /d/ca.pem') && line.includes('localgraph ca --data data')));
  assert.ok(
    lines.some(
      (line) =>
        line.includes('client secret localgraph-dev-secret~not-for-production') &&
        line.includes('password Localgraph-Dev-Password-1'),
    ),
  );
  assert.match(lines.at(-1)!, /^ {2}get a token:/, 'the last line stays the last');
});

test('the console and the home page are named right after the listening line', () => {
  const lines = banner(facts);
  assert.equal(lines[0], 'localgraph listening on http://127.0.0.1:5080/beta/');
  assert.equal(
    lines[1],
    '  console: http://127.0.0.1:5080/console/ (http://127.0.0.1:5080/ links the console, $metadata, /health and a quick start)',
  );
});
