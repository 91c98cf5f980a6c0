import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync, gzipSync } from 'node:zlib';
import { testServer, type TestServer } from './testing.js';

/** Request bodies compressed as Kiota's compression handler sends them (Go and Java SDKs). */
const TENANT = '1f0e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
const GROUPS = '/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups';

let server: TestServer;
let token: string;
before(async () => {
  server = await testServer();
  token = await server.userToken(TENANT, ['Directory.ReadWrite.All']);
});
after(() => server.app.close());

function post(payload: Buffer, encoding: string) {
  return server.app.inject({
    method: 'POST',
    url: GROUPS,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-encoding': encoding },
    payload,
  });
}

describe('Content-Encoding of request bodies', () => {
  test('gzip and deflate bodies are read as the JSON they compress', async () => {
    for (const [encoding, compress] of [
      ['gzip', gzipSync],
      ['deflate', deflateSync],
      ['GZIP', gzipSync],
    ] as const) {
      const res = await post(compress(Buffer.from(JSON.stringify({ name: `compressed ${encoding}` }))), encoding);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().name, `compressed ${encoding}`);
    }
  });

  test('a body that does not decompress is a 400, another encoding a 415: Graph errors, not 500', async () => {
    const broken = await post(Buffer.from('{"name":"not gzip at all"}'), 'gzip');
    assert.equal(broken.statusCode, 400, broken.body);
    assert.equal(broken.json().error.code, 'BadRequest');
    const other = await post(Buffer.from('{}'), 'br');
    assert.equal(other.statusCode, 415, other.body);
    assert.equal(other.json().error.code, 'BadRequest');
    assert.match(other.json().error.message, /Content-Encoding 'br' is not supported/);
  });

  test('the body limit applies to the decompressed bytes', async () => {
    const huge = gzipSync(Buffer.from(JSON.stringify({ name: 'x'.repeat(8 * 1024 * 1024) })));
    assert.ok(huge.length < 64 * 1024, 'the compressed body is small');
    const res = await post(huge, 'gzip');
    assert.equal(res.statusCode, 413, res.body);
    assert.equal(res.json().error.code, 'Request_EntityTooLarge');
  });
});
