import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { allPermissions } from '../auth/identity.js';
import { testServer, type TestServer } from './testing.js';
import { onPremises } from '../family/on-premises/on-premises.js';

/**
 * Request input that used to be misread silently or answered 500 (issue 16, point 9): numbers
 * beyond a double, bodies that are not UTF-8, and `$batch` item headers no HTTP header can carry.
 */
const TENANT = '3c9a5b1e-0000-4000-8000-0000000b0d1e';
const CONNECTORS = '/beta/onPremisesPublishingProfiles/applicationProxy/connectors';

let server: TestServer;
let token: string;

function send(method: 'GET' | 'POST', url: string, payload?: string | Buffer, contentType = 'application/json') {
  return server.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}`, ...(payload === undefined ? {} : { 'content-type': contentType }) },
    payload,
  });
}

async function connectorCount(): Promise<number> {
  return (await send('GET', `${CONNECTORS}?$top=999`)).json().value.length;
}

describe('request bodies', () => {
  before(async () => {
    server = await testServer();
    token = await server.userToken(TENANT, allPermissions(onPremises).scopes);
  });

  test('a number beyond a double (1e400) is refused, not stored as null', async () => {
    const res = await send(
      'POST',
      `/beta/applications`,
      '{"displayName":"big","tags":[],"onPremisesPublishing":null,"web":{"redirectUriSettings":[{"uri":"https://x","index":1e400}]}}',
    );
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().error.code, 'BadRequest');
    assert.match(res.json().error.message, /number is out of range/);
    const negative = await send(
      'POST',
      CONNECTORS,
      '{"externalIp":"10.0.0.1","machineName":"m","status":"active","x":-1e999}',
    );
    assert.equal(negative.statusCode, 400);
    assert.match(negative.json().error.message, /number is out of range/);
  });

  test('a body that is not UTF-8 (Latin-1 text) is refused, not read with replacement characters', async () => {
    const before = await connectorCount();
    const latin1 = Buffer.from('{"externalIp":"10.0.0.1","machineName":"Müller-PC","status":"active"}', 'latin1');
    const res = await send('POST', CONNECTORS, latin1);
    assert.equal(res.statusCode, 400, res.body);
    assert.match(res.json().error.message, /not valid UTF-8/);
    const declared = await send('POST', CONNECTORS, latin1, 'application/json; charset=iso-8859-1');
    assert.equal(declared.statusCode, 415, declared.body);
    assert.equal(await connectorCount(), before, 'nothing was written');
    const utf8 = await send(
      'POST',
      CONNECTORS,
      Buffer.from('{"externalIp":"10.0.0.1","machineName":"Müller-PC","status":"active"}', 'utf8'),
      'application/json; charset=UTF-8',
    );
    assert.equal(utf8.statusCode, 201, utf8.body);
    assert.equal(utf8.json().machineName, 'Müller-PC');
  });

  for (const [label, value] of [
    ['CR/LF', 'abc\r\nx-injected: 1'],
    ['non-ASCII', 'réquête-☃'],
  ] as const) {
    test(`a $batch item with a ${label} client-request-id is refused before any item runs`, async () => {
      const before = await connectorCount();
      const res = await send(
        'POST',
        '/beta/$batch',
        JSON.stringify({
          requests: [
            {
              id: '1',
              method: 'POST',
              url: '/onPremisesPublishingProfiles/applicationProxy/connectors',
              headers: { 'content-type': 'application/json' },
              body: { externalIp: '10.0.0.2', machineName: 'first', status: 'active' },
            },
            {
              id: '2',
              method: 'POST',
              url: '/onPremisesPublishingProfiles/applicationProxy/connectors',
              headers: { 'content-type': 'application/json', 'client-request-id': value },
              body: { externalIp: '10.0.0.3', machineName: 'second', status: 'active' },
            },
          ],
        }),
      );
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.json().error.code, 'BadRequest');
      assert.match(res.json().error.message, /Header 'client-request-id' of request '2'/);
      assert.equal(await connectorCount(), before, 'no item ran');
    });
  }

  test('a $batch item header with a name no header can have is refused', async () => {
    const res = await send(
      'POST',
      '/beta/$batch',
      JSON.stringify({ requests: [{ id: '1', method: 'GET', url: '/applications', headers: { 'bad name': 'x' } }] }),
    );
    assert.equal(res.statusCode, 400, res.body);
    assert.match(res.json().error.message, /Header 'bad name' of request '1'/);
  });
});
