/**
 * End to end: the real `localgraph serve` process, spoken to over HTTP with global fetch.
 * One server (on a fresh data folder) serves the whole file; tests that count rows compare the
 * tenant's list before and after, so they do not depend on each other's leftovers.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_CONNECTOR_VERSION } from '../src/family/on-premises/connectors.js';
import {
  ADMIN_SCOPES,
  CONNECTORS_PATH,
  GUID,
  cliToken,
  request,
  startServer,
  tempDir,
  type GraphErrorBody,
  type JsonResponse,
  type RunningServer,
} from './helpers/server.js';
import { assertGraphError } from './helpers/graph.js';

let server: RunningServer;
let admin: string;
let appOnly: string;
let lowPrivilege: string;
let otherTenantAdmin: string;
let foreignKeyToken: string;
let unrelatedAppToken: string;
const OTHER_TENANT = '0d5e8a8c-3c1b-4d8f-9a51-7f2e3b9c1a42';

const SEED_BODY =
  '{"@odata.type":"#microsoft.graph.connector","externalIp":"String","machineName":"String","status":"String"}';

before(async () => {
  server = await startServer();
  // Tokens come from the CLI, run against the folder while the server has it open.
  [admin, appOnly, lowPrivilege, unrelatedAppToken, otherTenantAdmin, foreignKeyToken] = await Promise.all([
    server.token(['--scopes', ADMIN_SCOPES]),
    server.token(['--roles', ADMIN_SCOPES]),
    server.token(['--scopes', 'User.Read Application.Read.All']),
    server.token(['--roles', 'User.Read.All']),
    server.token(['--tenant', OTHER_TENANT, '--scopes', ADMIN_SCOPES]),
    // Same CLI, another data folder: another signing key, unknown to this server.
    cliToken(tempDir(), ['--scopes', ADMIN_SCOPES]),
  ]);
});

after(async () => {
  if (server) assert.equal(await server.stop(), 0);
});

// ---------------------------------------------------------------------------------------------

function url(path: string): string {
  return `${server.baseUrl}${path}`;
}

function auth(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${token}`, ...extra };
}

const json = { 'content-type': 'application/json' };

function connector(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    externalIp: '131.137.147.164',
    machineName: `connector-${randomUUID().slice(0, 8)}.contoso.com`,
    status: 'active',
    ...overrides,
  };
}

async function create(body: Record<string, unknown> = connector(), token = admin): Promise<Record<string, any>> {
  const res = await request(url(CONNECTORS_PATH), {
    method: 'POST',
    headers: auth(token, json),
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

/** Every connector id the token's tenant has, walking every page. */
async function allIds(token = admin): Promise<string[]> {
  const ids: string[] = [];
  let next: string | undefined = url(CONNECTORS_PATH);
  while (next) {
    const res: JsonResponse<any> = await request(next, { headers: auth(token) });
    assert.equal(res.status, 200, res.text);
    ids.push(...res.body.value.map((c: { id: string }) => c.id));
    next = res.body['@odata.nextLink'];
  }
  return ids;
}

// ---------------------------------------------------------------------------------------------

describe('create', () => {
  it('201 with the entity, a context URL, a GUID id and the default version', async () => {
    const body = connector({ status: 'inactive' });
    const res = await request(url(CONNECTORS_PATH), {
      method: 'POST',
      headers: auth(admin, json),
      body: JSON.stringify(body),
    });
    assert.equal(res.status, 201, res.text);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json;odata\.metadata=minimal/);
    assert.equal(res.headers.get('odata-version'), '4.0');
    const created = res.body;
    assert.ok(
      created['@odata.context'].endsWith(
        "/beta/$metadata#onPremisesPublishingProfiles('applicationProxy')/connectors/$entity",
      ),
      created['@odata.context'],
    );
    assert.ok(created['@odata.context'].startsWith(server.baseUrl));
    assert.match(created.id, GUID);
    assert.equal(created.externalIp, body.externalIp);
    assert.equal(created.machineName, body.machineName);
    assert.equal(created.status, 'inactive');
    assert.equal(created.version, DEFAULT_CONNECTOR_VERSION);
    assert.deepEqual(Object.keys(created), ['@odata.context', 'id', 'externalIp', 'machineName', 'status', 'version']);
    assert.ok((await allIds()).includes(created.id));
  });

  it("the seed doc's exact body is refused: 400 naming status (not a connectorStatus), nothing stored", async () => {
    const before = await allIds();
    const res = await request(url(CONNECTORS_PATH), { method: 'POST', headers: auth(admin, json), body: SEED_BODY });
    const error = assertGraphError(res, 400, 'Request_BadRequest', /'status'/);
    assert.match(error.message, /connectorStatus/);
    assert.equal(error.details?.[0]?.target, 'status');
    assert.deepEqual(await allIds(), before);
  });

  it("the seed doc's body with a valid status (and its @odata.type) is created", async () => {
    const body = { ...JSON.parse(SEED_BODY), status: 'active' };
    const created = await create(body);
    assert.equal(created.machineName, 'String');
    assert.equal(created.externalIp, 'String');
    assert.equal(created.status, 'active');
    assert.ok(!('@odata.type' in created) || created['@odata.type'] === '#microsoft.graph.connector');
  });

  it('a client-supplied upper-case GUID id is stored lower-case', async () => {
    const id = randomUUID();
    const created = await create(connector({ id: id.toUpperCase() }));
    assert.equal(created.id, id);
    const got = await request(url(`${CONNECTORS_PATH}/${id}`), { headers: auth(admin) });
    assert.equal(got.status, 200);
    assert.equal(got.body.id, id);
  });

  it('a duplicate id (in any case) is 400 ObjectConflict and leaves the original unchanged', async () => {
    const id = randomUUID();
    const original = await create(connector({ id, machineName: 'original.contoso.com' }));
    const before = await allIds();
    for (const dup of [id, id.toUpperCase()]) {
      const res = await request(url(CONNECTORS_PATH), {
        method: 'POST',
        headers: auth(admin, json),
        body: JSON.stringify(connector({ id: dup, machineName: 'impostor.contoso.com', status: 'inactive' })),
      });
      const error = assertGraphError(res, 400, 'Request_BadRequest');
      assert.equal(error.details?.[0]?.code, 'ObjectConflict');
    }
    const got = await request(url(`${CONNECTORS_PATH}/${id}`), { headers: auth(admin) });
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, original);
    assert.deepEqual(await allIds(), before);
  });

  it('enum members are read whatever their case and stored as declared', async () => {
    const created = await create(connector({ status: 'INACTIVE' }));
    assert.equal(created.status, 'inactive');
    const got = await request(url(`${CONNECTORS_PATH}/${created.id}`), { headers: auth(admin) });
    assert.equal(got.body.status, 'inactive');
  });

  it('a body over the 1 MB limit: 413 Request_EntityTooLarge, nothing stored', async () => {
    const before = await allIds();
    const body = JSON.stringify(connector({ machineName: 'x'.repeat(1024 * 1024 + 1) }));
    assertGraphError(
      await request(url(CONNECTORS_PATH), { method: 'POST', headers: auth(admin, json), body }),
      413,
      'Request_EntityTooLarge',
    );
    assert.deepEqual(await allIds(), before);
  });

  it('a client id that is not a GUID is 400 naming id, nothing stored', async () => {
    const before = await allIds();
    const res = await request(url(CONNECTORS_PATH), {
      method: 'POST',
      headers: auth(admin, json),
      body: JSON.stringify(connector({ id: 'not-a-guid' })),
    });
    const error = assertGraphError(res, 400, 'Request_BadRequest', /'id'/);
    assert.equal(error.details?.[0]?.target, 'id');
    assert.deepEqual(await allIds(), before);
  });
});

describe('list', () => {
  before(async () => {
    // Enough rows for several pages of 2.
    const have = (await allIds()).length;
    for (let i = have; i < 7; i++) await create();
  });

  it('200 with value and the collection context URL', async () => {
    const res = await request(url(CONNECTORS_PATH), { headers: auth(admin) });
    assert.equal(res.status, 200, res.text);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json;odata\.metadata=minimal/);
    assert.ok(
      res.body['@odata.context'].endsWith(
        "/beta/$metadata#onPremisesPublishingProfiles('applicationProxy')/connectors",
      ),
      res.body['@odata.context'],
    );
    assert.ok(Array.isArray(res.body.value));
    assert.ok(res.body.value.length >= 7);
    for (const c of res.body.value) {
      assert.match(c.id, GUID);
      assert.deepEqual(Object.keys(c), ['id', 'externalIp', 'machineName', 'status', 'version']);
    }
    assert.equal(res.body['@odata.nextLink'], undefined);
  });

  it('$top is a page size: pages of $top, a nextLink keeping $top and the other options, every row once', async () => {
    const expected = await allIds();
    assert.ok(expected.length >= 7);
    const one = await request(url(`${CONNECTORS_PATH}?top=1`), { headers: auth(admin) });
    assert.equal(one.status, 200, one.text);
    assert.equal(one.body.value.length, 1);
    assert.match(one.body['@odata.nextLink'], /[?&]top=1(&|$)/, 'the nextLink keeps top (without the $, as sent)');

    const seen: string[] = [];
    let next: string | undefined = url(
      `${CONNECTORS_PATH}?$top=3&$select=machineName&$orderby=machineName&custom=kept`,
    );
    let pages = 0;
    while (next) {
      const res: JsonResponse<any> = await request(next, { headers: auth(admin) });
      assert.equal(res.status, 200, res.text);
      pages++;
      const last = seen.length + res.body.value.length === expected.length;
      assert.equal(res.body.value.length, last ? expected.length - 3 * (pages - 1) : 3, `page ${pages}`);
      for (const c of res.body.value) assert.deepEqual(Object.keys(c), ['id', 'machineName']);
      seen.push(...res.body.value.map((c: { id: string }) => c.id));
      next = res.body['@odata.nextLink'];
      if (next) {
        const params = new URL(next).searchParams;
        assert.equal(params.get('$top'), '3');
        assert.equal(params.get('$select'), 'machineName');
        assert.equal(params.get('$orderby'), 'machineName');
        assert.equal(params.get('custom'), 'kept');
        assert.ok(params.get('$skiptoken'));
      }
      assert.ok(pages < 100, 'nextLink never ends');
    }
    assert.equal(pages, Math.ceil(expected.length / 3));
    assert.equal(new Set(seen).size, seen.length, 'a row came twice');
    assert.deepEqual([...seen].sort(), [...expected].sort());
  });

  it('$top with Prefer: odata.maxpagesize: the smaller wins on each page', async () => {
    const expected = await allIds();
    for (const [top, max, size] of [
      [2, 5, 2],
      [5, 2, 2],
    ] as const) {
      const seen: string[] = [];
      let next: string | undefined = url(`${CONNECTORS_PATH}?$top=${top}`);
      while (next) {
        const res: JsonResponse<any> = await request(next, {
          headers: auth(admin, { prefer: `odata.maxpagesize=${max}` }),
        });
        assert.equal(res.status, 200, res.text);
        if (res.body['@odata.nextLink']) assert.equal(res.body.value.length, size, `$top=${top} maxpagesize=${max}`);
        seen.push(...res.body.value.map((c: { id: string }) => c.id));
        next = res.body['@odata.nextLink'];
      }
      assert.deepEqual([...seen].sort(), [...expected].sort());
    }
  });

  it('$top with $skip: $skip skips once, on the first page', async () => {
    const expected = (await request(url(`${CONNECTORS_PATH}?$orderby=id`), { headers: auth(admin) })).body.value.map(
      (c: { id: string }) => c.id,
    );
    const seen: string[] = [];
    let next: string | undefined = url(`${CONNECTORS_PATH}?$orderby=id&$skip=2&$top=2`);
    while (next) {
      const res: JsonResponse<any> = await request(next, { headers: auth(admin) });
      assert.equal(res.status, 200, res.text);
      seen.push(...res.body.value.map((c: { id: string }) => c.id));
      next = res.body['@odata.nextLink'];
      if (next) assert.equal(new URL(next).searchParams.get('$skip'), null);
    }
    assert.deepEqual(seen, expected.slice(2));
  });

  it('$count=true counts the whole result on every $top page', async () => {
    const total = (await allIds()).length;
    let next: string | undefined = url(`${CONNECTORS_PATH}?$top=2&$count=true`);
    let pages = 0;
    while (next) {
      const res: JsonResponse<any> = await request(next, { headers: auth(admin, { consistencylevel: 'eventual' }) });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body['@odata.count'], total, `page ${++pages}`);
      next = res.body['@odata.nextLink'];
    }
    assert.equal(pages, Math.ceil(total / 2));
  });

  it('$top=0 and $top=abc are 400', async () => {
    assertGraphError(await request(url(`${CONNECTORS_PATH}?$top=0`), { headers: auth(admin) }), 400, 'BadRequest');
    assertGraphError(await request(url(`${CONNECTORS_PATH}?$top=abc`), { headers: auth(admin) }), 400, 'BadRequest');
  });

  it('Prefer: odata.maxpagesize=2 pages; following every nextLink returns each row exactly once', async () => {
    const expected = await allIds();
    const seen: string[] = [];
    let next: string | undefined = url(CONNECTORS_PATH);
    let pages = 0;
    while (next) {
      assert.ok(next.startsWith(`${server.baseUrl}/beta/`), next);
      const res: JsonResponse<any> = await request(next, { headers: auth(admin, { prefer: 'odata.maxpagesize=2' }) });
      assert.equal(res.status, 200, res.text);
      assert.ok(res.body.value.length <= 2);
      assert.ok(res.body.value.length > 0 || pages === 0);
      seen.push(...res.body.value.map((c: { id: string }) => c.id));
      next = res.body['@odata.nextLink'];
      pages++;
      assert.ok(pages < 100, 'nextLink never ends');
    }
    assert.equal(pages, Math.ceil(expected.length / 2));
    assert.equal(new Set(seen).size, seen.length, 'a row came twice');
    assert.deepEqual([...seen].sort(), [...expected].sort());
  });

  it('$select narrows every page and survives in the nextLink', async () => {
    const expected = await allIds();
    const seen: string[] = [];
    let next: string | undefined = url(`${CONNECTORS_PATH}?$select=machineName`);
    while (next) {
      const res: JsonResponse<any> = await request(next, { headers: auth(admin, { prefer: 'odata.maxpagesize=3' }) });
      assert.equal(res.status, 200, res.text);
      assert.ok(
        res.body['@odata.context'].endsWith(
          "#onPremisesPublishingProfiles('applicationProxy')/connectors(machineName)",
        ),
        res.body['@odata.context'],
      );
      for (const c of res.body.value) assert.deepEqual(Object.keys(c), ['id', 'machineName']);
      seen.push(...res.body.value.map((c: { id: string }) => c.id));
      next = res.body['@odata.nextLink'];
      if (next) assert.match(next, /[?&]\$select=machineName(&|$)/);
    }
    assert.deepEqual([...seen].sort(), [...expected].sort());
  });

  it('$select of an unknown property is 400', async () => {
    assertGraphError(
      await request(url(`${CONNECTORS_PATH}?$select=colour`), { headers: auth(admin) }),
      400,
      'BadRequest',
      /colour/,
    );
  });

  it('a garbage $skiptoken is 400', async () => {
    assertGraphError(
      await request(url(`${CONNECTORS_PATH}?$skiptoken=garbage`), { headers: auth(admin) }),
      400,
      'BadRequest',
    );
  });
});

describe('get, update, delete', () => {
  it('GET one: 200 with the $entity context', async () => {
    const created = await create();
    const res = await request(url(`${CONNECTORS_PATH}/${created.id}`), { headers: auth(admin) });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, created);
  });

  it('PATCH: 204 without a body, then GET shows the change', async () => {
    const created = await create(connector({ status: 'active' }));
    const res = await request(url(`${CONNECTORS_PATH}/${created.id}`), {
      method: 'PATCH',
      headers: auth(admin, json),
      body: JSON.stringify({ machineName: 'renamed.contoso.com', status: 'inactive' }),
    });
    assert.equal(res.status, 204, res.text);
    assert.equal(res.text, '');
    const got = await request(url(`${CONNECTORS_PATH}/${created.id}`), { headers: auth(admin) });
    assert.equal(got.body.machineName, 'renamed.contoso.com');
    assert.equal(got.body.status, 'inactive');
    assert.equal(got.body.externalIp, created.externalIp);
    assert.equal(got.body.version, created.version);
  });

  it('DELETE: 204, then GET 404 Request_ResourceNotFound, DELETE and PATCH again 404', async () => {
    const created = await create();
    const target = url(`${CONNECTORS_PATH}/${created.id}`);
    const res = await request(target, { method: 'DELETE', headers: auth(admin) });
    assert.equal(res.status, 204, res.text);
    assert.equal(res.text, '');
    assertGraphError(
      await request(target, { headers: auth(admin) }),
      404,
      'Request_ResourceNotFound',
      new RegExp(created.id),
    );
    assertGraphError(
      await request(target, { method: 'DELETE', headers: auth(admin) }),
      404,
      'Request_ResourceNotFound',
    );
    assertGraphError(
      await request(target, {
        method: 'PATCH',
        headers: auth(admin, json),
        body: JSON.stringify({ machineName: 'x' }),
      }),
      404,
      'Request_ResourceNotFound',
    );
    assert.ok(!(await allIds()).includes(created.id));
  });

  it('GET of an id that never existed (GUID or not) is 404', async () => {
    assertGraphError(
      await request(url(`${CONNECTORS_PATH}/${randomUUID()}`), { headers: auth(admin) }),
      404,
      'Request_ResourceNotFound',
    );
    assertGraphError(
      await request(url(`${CONNECTORS_PATH}/not-a-guid`), { headers: auth(admin) }),
      404,
      'Request_ResourceNotFound',
    );
  });
});

describe('addressing', () => {
  let created: Record<string, any>;
  before(async () => {
    created = await create();
  });

  for (const [name, path] of [
    ['parenthesised profile key', "/beta/onPremisesPublishingProfiles('applicationProxy')/connectors/{id}"],
    ['lower-case profile key', '/beta/onPremisesPublishingProfiles/applicationproxy/connectors/{id}'],
    ['upper-case GUID', '/beta/onPremisesPublishingProfiles/applicationProxy/connectors/{ID}'],
    ['parenthesised connector key', "/beta/onPremisesPublishingProfiles('applicationproxy')/connectors('{ID}')"],
    ['trailing slash', '/beta/onPremisesPublishingProfiles/applicationProxy/connectors/{id}/'],
  ] as const) {
    it(`${name}: ${path}`, async () => {
      const res = await request(url(path.replace('{id}', created.id).replace('{ID}', created.id.toUpperCase())), {
        headers: auth(admin),
      });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.id, created.id);
      // The context URL is canonical whatever spelling the request used.
      assert.equal(res.body['@odata.context'], created['@odata.context']);
    });
  }

  it('collection with a parenthesised, lower-case profile key and a trailing slash', async () => {
    const res = await request(url("/beta/onPremisesPublishingProfiles('applicationproxy')/connectors/"), {
      headers: auth(admin),
    });
    assert.equal(res.status, 200, res.text);
    assert.ok(res.body.value.some((c: { id: string }) => c.id === created.id));
    assert.ok(res.body['@odata.context'].endsWith("#onPremisesPublishingProfiles('applicationProxy')/connectors"));
  });

  it('PATCH and DELETE through the upper-case GUID address', async () => {
    const other = await create();
    const upper = url(`/beta/onPremisesPublishingProfiles/applicationproxy/connectors/${other.id.toUpperCase()}`);
    assert.equal(
      (
        await request(upper, {
          method: 'PATCH',
          headers: auth(admin, json),
          body: '{"machineName":"upper.contoso.com"}',
        })
      ).status,
      204,
    );
    assert.equal(
      (await request(url(`${CONNECTORS_PATH}/${other.id}`), { headers: auth(admin) })).body.machineName,
      'upper.contoso.com',
    );
    assert.equal((await request(upper, { method: 'DELETE', headers: auth(admin) })).status, 204);
    assert.equal((await request(url(`${CONNECTORS_PATH}/${other.id}`), { headers: auth(admin) })).status, 404);
  });

  it('/v1.0 has no onPremisesPublishingProfiles: 400 Resource not found for the segment', async () => {
    const res = await request(url('/v1.0/onPremisesPublishingProfiles/applicationProxy/connectors'), {
      headers: auth(admin),
    });
    assertGraphError(res, 400, 'BadRequest', "Resource not found for the segment 'onPremisesPublishingProfiles'.");
  });

  it('an unknown segment is 400', async () => {
    assertGraphError(
      await request(url('/beta/noSuchThing'), { headers: auth(admin) }),
      400,
      'BadRequest',
      "Resource not found for the segment 'noSuchThing'.",
    );
    assertGraphError(
      await request(url('/beta/onPremisesPublishingProfiles/applicationProxy/noSuchThing'), { headers: auth(admin) }),
      400,
      'BadRequest',
      /noSuchThing/,
    );
  });

  it('a malformed percent-escape in the path is a Graph 400 with request ids', async () => {
    const res = await request(url(`${CONNECTORS_PATH}/%ZZ`), {
      headers: auth(admin, { 'client-request-id': 'bad-url' }),
    });
    const error = assertGraphError(res, 400, 'BadRequest');
    assert.equal(error.innerError['client-request-id'], 'bad-url');
  });

  it('an unknown version is 400', async () => {
    assertGraphError(
      await request(url('/v2.0/onPremisesPublishingProfiles/applicationProxy/connectors'), { headers: auth(admin) }),
      400,
      'BadRequest',
    );
  });

  it('an unknown profile is 404', async () => {
    assertGraphError(
      await request(url('/beta/onPremisesPublishingProfiles/foo/connectors'), { headers: auth(admin) }),
      404,
      'Request_ResourceNotFound',
    );
  });

  it('connectors under the provisioning profile are 404', async () => {
    assertGraphError(
      await request(url('/beta/onPremisesPublishingProfiles/provisioning/connectors'), { headers: auth(admin) }),
      404,
      'Request_ResourceNotFound',
    );
    assertGraphError(
      await request(url('/beta/onPremisesPublishingProfiles/provisioning/connectors'), {
        method: 'POST',
        headers: auth(admin, json),
        body: JSON.stringify(connector()),
      }),
      404,
      'Request_ResourceNotFound',
    );
  });

  it("$filter=status eq 'inactive' returns exactly the inactive connectors; a bad $filter is a Graph 400", async () => {
    const everything = (await request(url(`${CONNECTORS_PATH}?$top=999`), { headers: auth(admin) })).body.value as {
      id: string;
      status: string;
    }[];
    const inactive = everything.filter((c) => c.status === 'inactive').map((c) => c.id);
    assert.ok(inactive.length > 0 && inactive.length < everything.length, 'the fixture needs both kinds');
    const res = await request(
      url(`${CONNECTORS_PATH}?$filter=${encodeURIComponent("status eq 'inactive'")}&$top=999`),
      { headers: auth(admin) },
    );
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.value.map((c: { id: string }) => c.id).sort(), inactive.sort());
    assertGraphError(
      await request(url(`${CONNECTORS_PATH}?$filter=${encodeURIComponent('colour eq 1')}`), { headers: auth(admin) }),
      400,
      'BadRequest',
    );
    assertGraphError(
      await request(url(`${CONNECTORS_PATH}?$filter=${encodeURIComponent("status eq 'inactive' and")}`), {
        headers: auth(admin),
      }),
      400,
      'BadRequest',
    );
  });

  it('$orderby=machineName desc sorts (ignoring case, as Graph does), across pages too', async () => {
    const lower = (s: string) => s.toLowerCase();
    const expected = (
      (await request(url(`${CONNECTORS_PATH}?$top=999`), { headers: auth(admin) })).body.value as {
        machineName: string;
      }[]
    )
      .map((c) => c.machineName)
      .sort((a, b) => (lower(a) < lower(b) ? -1 : lower(a) > lower(b) ? 1 : 0))
      .reverse();
    const seen: string[] = [];
    let next: string | undefined = url(`${CONNECTORS_PATH}?$orderby=${encodeURIComponent('machineName desc')}`);
    while (next) {
      const res: JsonResponse<any> = await request(next, { headers: auth(admin, { prefer: 'odata.maxpagesize=4' }) });
      assert.equal(res.status, 200, res.text);
      seen.push(...res.body.value.map((c: { machineName: string }) => c.machineName));
      next = res.body['@odata.nextLink'];
    }
    assert.deepEqual(seen, expected);
  });

  // Graph answers a method a target does not support with 405 `Request_BadRequest` ("Specified
  // HTTP method is not allowed for the request target."), whatever the token's permissions.
  for (const [method, path] of [
    ['PUT', `${CONNECTORS_PATH}/{id}`],
    ['POST', `${CONNECTORS_PATH}/{id}`],
    ['DELETE', CONNECTORS_PATH],
    ['PATCH', CONNECTORS_PATH],
  ] as const) {
    it(`${method} ${path} is 405 Request_BadRequest`, async () => {
      const res = await request(url(path.replace('{id}', created.id)), {
        method,
        headers: auth(admin, json),
        body: method === 'DELETE' ? undefined : '{}',
      });
      assertGraphError(res, 405, 'Request_BadRequest');
    });
  }
});

describe('bad input: Graph error, JSON, nothing stored', () => {
  let existing: Record<string, any>;
  before(async () => {
    existing = await create(connector({ machineName: 'untouchable.contoso.com', status: 'active' }));
  });

  async function refusedCreate(
    init: RequestInit,
    status: number,
    code: string,
    message?: RegExp | string,
  ): Promise<GraphErrorBody['error']> {
    const before = await allIds();
    const res = await request(url(CONNECTORS_PATH), { method: 'POST', ...init });
    const error = assertGraphError(res, status, code, message);
    assert.deepEqual(await allIds(), before, 'a refused create stored something');
    return error;
  }

  async function refusedPatch(
    body: string,
    status: number,
    code: string,
    message?: RegExp | string,
    headers = auth(admin, json),
  ): Promise<GraphErrorBody['error']> {
    const res = await request(url(`${CONNECTORS_PATH}/${existing.id}`), { method: 'PATCH', headers, body });
    const error = assertGraphError(res, status, code, message);
    const got = await request(url(`${CONNECTORS_PATH}/${existing.id}`), { headers: auth(admin) });
    assert.deepEqual(got.body, existing, 'a refused PATCH changed the entity');
    return error;
  }

  const unreadable = /^Unable to read JSON request payload/;

  it('malformed JSON', async () => {
    await refusedCreate(
      { headers: auth(admin, json), body: '{"externalIp": "1.2.3.4", "machineName": ' },
      400,
      'BadRequest',
      unreadable,
    );
    await refusedPatch('{"machineName": ', 400, 'BadRequest', unreadable);
  });

  it('a JSON array body', async () => {
    await refusedCreate({ headers: auth(admin, json), body: JSON.stringify([connector()]) }, 400, 'BadRequest');
    await refusedPatch('[]', 400, 'BadRequest');
  });

  it('a JSON string body', async () => {
    await refusedCreate({ headers: auth(admin, json), body: JSON.stringify('connector') }, 400, 'BadRequest');
  });

  it('JSON null and an empty body', async () => {
    await refusedCreate({ headers: auth(admin, json), body: 'null' }, 400, 'BadRequest');
    await refusedCreate({ headers: auth(admin, json), body: '' }, 400, 'BadRequest');
  });

  it('no Content-Type', async () => {
    // A byte body: fetch adds no Content-Type of its own.
    const body = new TextEncoder().encode(JSON.stringify(connector()));
    await refusedCreate({ headers: auth(admin), body }, 400, 'BadRequest', unreadable);
  });

  it('Content-Type text/plain', async () => {
    await refusedCreate(
      { headers: auth(admin, { 'content-type': 'text/plain' }), body: JSON.stringify(connector()) },
      415,
      'BadRequest',
      /text\/plain/,
    );
    await refusedPatch(
      '{"machineName":"x"}',
      415,
      'BadRequest',
      /text\/plain/,
      auth(admin, { 'content-type': 'text/plain' }),
    );
  });

  it('an unknown property: 400 naming it', async () => {
    const error = await refusedCreate(
      { headers: auth(admin, json), body: JSON.stringify(connector({ colour: 'blue' })) },
      400,
      'BadRequest',
      /'colour'/,
    );
    assert.equal(error.details?.[0]?.target, 'colour');
    await refusedPatch('{"colour":"blue"}', 400, 'BadRequest', /'colour'/);
  });

  it('a navigation property in the body', async () => {
    await refusedCreate(
      { headers: auth(admin, json), body: JSON.stringify(connector({ memberOf: [] })) },
      400,
      'Request_BadRequest',
      /'memberOf'/,
    );
  });

  it('a wrong type (machineName: 5): 400 naming it', async () => {
    const error = await refusedCreate(
      { headers: auth(admin, json), body: JSON.stringify(connector({ machineName: 5 })) },
      400,
      'Request_BadRequest',
      /'machineName'/,
    );
    assert.equal(error.details?.[0]?.target, 'machineName');
    await refusedPatch('{"machineName":5}', 400, 'Request_BadRequest', /'machineName'/);
    await refusedPatch('{"externalIp":["1.2.3.4"]}', 400, 'Request_BadRequest', /'externalIp'/);
  });

  it('a machineName over 255 characters: 400 naming it (the longest is kept whole, whatever its characters)', async () => {
    const longest = `${'😀'.repeat(100)}${'m'.repeat(55)}`;
    assert.equal(longest.length, 255);
    const made = await create(connector({ machineName: longest }));
    assert.equal(made.machineName, longest);
    const error = await refusedCreate(
      { headers: auth(admin, json), body: JSON.stringify(connector({ machineName: `${longest}x` })) },
      400,
      'Request_BadRequest',
      /longer than 255 characters/,
    );
    assert.equal(error.details?.[0]?.target, 'machineName');
    await refusedPatch(
      JSON.stringify({ machineName: '😀'.repeat(30_000) }),
      400,
      'Request_BadRequest',
      /'machineName'/,
    );
  });

  it('U+0000 in a string (PostgreSQL cannot store it): 400 on every backend, in the body and in $filter', async () => {
    await refusedCreate(
      { headers: auth(admin, json), body: JSON.stringify(connector({ machineName: 'nul\u0000.contoso.com' })) },
      400,
      'Request_BadRequest',
      /U\+0000/,
    );
    await refusedPatch(JSON.stringify({ machineName: '\u0000' }), 400, 'Request_BadRequest', /'machineName'/);
    const filtered = await request(
      url(`${CONNECTORS_PATH}?$filter=${encodeURIComponent("machineName eq 'a\u0000'")}`),
      { headers: auth(admin) },
    );
    assertGraphError(filtered, 400, 'BadRequest', /U\+0000/);
  });

  it('an invalid enum member on PATCH', async () => {
    await refusedPatch('{"status":"String"}', 400, 'Request_BadRequest', /'status'/);
  });

  for (const missing of ['externalIp', 'machineName', 'status']) {
    it(`missing required ${missing}: 400 naming it`, async () => {
      const body = connector();
      delete body[missing];
      const error = await refusedCreate(
        { headers: auth(admin, json), body: JSON.stringify(body) },
        400,
        'Request_BadRequest',
        new RegExp(`'${missing}'`),
      );
      assert.equal(error.details?.[0]?.target, missing);
    });
  }

  it('null for a non-null property', async () => {
    await refusedCreate(
      { headers: auth(admin, json), body: JSON.stringify(connector({ externalIp: null })) },
      400,
      'Request_BadRequest',
      /'externalIp'/,
    );
    await refusedCreate(
      { headers: auth(admin, json), body: JSON.stringify(connector({ version: null })) },
      400,
      'Request_BadRequest',
      /'version'/,
    );
    await refusedPatch('{"machineName":null}', 400, 'Request_BadRequest', /'machineName'/);
    await refusedPatch('{"status":null}', 400, 'Request_BadRequest', /'status'/);
  });

  it('a read-only property on PATCH (id)', async () => {
    const error = await refusedPatch(JSON.stringify({ id: randomUUID() }), 400, 'Request_BadRequest', /'id'/);
    assert.equal(error.details?.[0]?.target, 'id');
    // Even with the entity's own id.
    await refusedPatch(JSON.stringify({ id: existing.id, machineName: 'sneaky' }), 400, 'Request_BadRequest', /'id'/);
  });

  it('an @odata.type that is not a connector', async () => {
    await refusedCreate(
      {
        headers: auth(admin, json),
        body: JSON.stringify({ '@odata.type': '#microsoft.graph.connectorGroup', ...connector() }),
      },
      400,
      'BadRequest',
      /microsoft\.graph\.connectorGroup/,
    );
  });

  it('an invalid enum member given with another valid field still changes nothing (PATCH is all or nothing)', async () => {
    await refusedPatch('{"machineName":"half-done","status":"broken"}', 400, 'Request_BadRequest', /'status'/);
  });
});

describe('headers', () => {
  it('a success carries a GUID request-id, and client-request-id equal to it when none was sent', async () => {
    const res = await request(url(CONNECTORS_PATH), { headers: auth(admin) });
    assert.equal(res.status, 200);
    const requestId = res.headers.get('request-id') ?? '';
    assert.match(requestId, GUID);
    assert.equal(res.headers.get('client-request-id'), requestId);
  });

  it('client-request-id is echoed on success and error, in the header and in innerError', async () => {
    const clientId = randomUUID();
    const ok = await request(url(CONNECTORS_PATH), {
      method: 'POST',
      headers: auth(admin, { ...json, 'client-request-id': clientId }),
      body: JSON.stringify(connector()),
    });
    assert.equal(ok.status, 201);
    assert.equal(ok.headers.get('client-request-id'), clientId);
    assert.match(ok.headers.get('request-id') ?? '', GUID);
    assert.notEqual(ok.headers.get('request-id'), clientId);

    const bad = await request(url(CONNECTORS_PATH), {
      method: 'POST',
      headers: auth(admin, { ...json, 'client-request-id': clientId }),
      body: SEED_BODY,
    });
    const error = assertGraphError(bad, 400, 'Request_BadRequest');
    assert.equal(error.innerError['client-request-id'], clientId);
    assert.notEqual(error.innerError['request-id'], clientId);
  });

  it('errors without a client-request-id have innerError.client-request-id equal to request-id', async () => {
    const res = await request(url(`${CONNECTORS_PATH}/${randomUUID()}`), { headers: auth(admin) });
    const error = assertGraphError(res, 404, 'Request_ResourceNotFound');
    assert.equal(error.innerError['client-request-id'], error.innerError['request-id']);
  });

  it('every response gets a fresh request-id', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 3; i++)
      ids.add((await request(url(CONNECTORS_PATH), { headers: auth(admin) })).headers.get('request-id') ?? '');
    assert.equal(ids.size, 3);
  });

  it('errors before routing (401, unknown version) carry request ids too', async () => {
    const clientId = 'my-correlation-id';
    assertGraphError(
      await request(url(CONNECTORS_PATH), { headers: { 'client-request-id': clientId } }),
      401,
      'InvalidAuthenticationToken',
    );
    const res = await request(url('/nope'), { headers: { 'client-request-id': clientId } });
    const error = assertGraphError(res, 400, 'BadRequest');
    assert.equal(error.innerError['client-request-id'], clientId);
  });
});

describe('authentication and permissions', () => {
  function assertUnauthenticated(res: JsonResponse<any>): void {
    assertGraphError(res, 401, 'InvalidAuthenticationToken');
    assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer\b/);
  }

  it('no Authorization header: 401 InvalidAuthenticationToken with WWW-Authenticate: Bearer', async () => {
    assertUnauthenticated(await request(url(CONNECTORS_PATH)));
    const before = await allIds();
    assertUnauthenticated(
      await request(url(CONNECTORS_PATH), { method: 'POST', headers: json, body: JSON.stringify(connector()) }),
    );
    assert.deepEqual(await allIds(), before);
  });

  it('malformed Authorization headers: 401', async () => {
    for (const value of [
      'Bearer',
      'Bearer ',
      'Bearer not-a-jwt',
      'Bearer a.b.c',
      `Basic ${Buffer.from('u:p').toString('base64')}`,
      admin,
    ]) {
      assertUnauthenticated(await request(url(CONNECTORS_PATH), { headers: { authorization: value } }));
    }
  });

  it("a token signed by another data folder's key: 401", async () => {
    assertUnauthenticated(await request(url(CONNECTORS_PATH), { headers: auth(foreignKeyToken) }));
    assertUnauthenticated(
      await request(url(CONNECTORS_PATH), {
        method: 'POST',
        headers: auth(foreignKeyToken, json),
        body: JSON.stringify(connector()),
      }),
    );
  });

  it('a token whose payload was tampered with: 401', async () => {
    const [header, payload, signature] = lowPrivilege.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    claims.scp = ADMIN_SCOPES;
    const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    assertUnauthenticated(await request(url(CONNECTORS_PATH), { headers: auth(forged) }));
    // The signature of another token does not fit either.
    assertUnauthenticated(
      await request(url(CONNECTORS_PATH), { headers: auth(`${admin.split('.').slice(0, 2).join('.')}.${signature}`) }),
    );
  });

  it("an unsigned token (alg none) with the admin's claims: 401", async () => {
    const [, payload] = admin.split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    assertUnauthenticated(await request(url(CONNECTORS_PATH), { headers: auth(`${header}.${payload}.`) }));
  });

  it('an app-only token (roles Directory.ReadWrite.All) can create, update and delete but not read', async () => {
    const created = await create(connector(), appOnly);
    assert.match(created.id, GUID);
    assertGraphError(
      await request(url(CONNECTORS_PATH), { headers: auth(appOnly) }),
      403,
      'Authorization_RequestDenied',
    );
    assertGraphError(
      await request(url(`${CONNECTORS_PATH}/${created.id}`), { headers: auth(appOnly) }),
      403,
      'Authorization_RequestDenied',
    );
    // The row is in the same tenant as the delegated admin's.
    assert.ok((await allIds()).includes(created.id));
    assert.equal(
      (
        await request(url(`${CONNECTORS_PATH}/${created.id}`), {
          method: 'PATCH',
          headers: auth(appOnly, json),
          body: '{"status":"inactive"}',
        })
      ).status,
      204,
    );
    assert.equal(
      (await request(url(`${CONNECTORS_PATH}/${created.id}`), { method: 'DELETE', headers: auth(appOnly) })).status,
      204,
    );
  });

  it('a delegated token without Directory.ReadWrite.All: 403 on every operation, nothing stored', async () => {
    const target = (await create()).id as string;
    const before = await allIds();
    assertGraphError(
      await request(url(CONNECTORS_PATH), { headers: auth(lowPrivilege) }),
      403,
      'Authorization_RequestDenied',
    );
    assertGraphError(
      await request(url(`${CONNECTORS_PATH}/${target}`), { headers: auth(lowPrivilege) }),
      403,
      'Authorization_RequestDenied',
    );
    assertGraphError(
      await request(url(CONNECTORS_PATH), {
        method: 'POST',
        headers: auth(lowPrivilege, json),
        body: JSON.stringify(connector()),
      }),
      403,
      'Authorization_RequestDenied',
    );
    assertGraphError(
      await request(url(`${CONNECTORS_PATH}/${target}`), {
        method: 'PATCH',
        headers: auth(lowPrivilege, json),
        body: '{"machineName":"x"}',
      }),
      403,
      'Authorization_RequestDenied',
    );
    assertGraphError(
      await request(url(`${CONNECTORS_PATH}/${target}`), { method: 'DELETE', headers: auth(lowPrivilege) }),
      403,
      'Authorization_RequestDenied',
    );
    assert.deepEqual(await allIds(), before);
  });

  it('an app-only token with only unrelated roles: 403 on create', async () => {
    const before = await allIds();
    assertGraphError(
      await request(url(CONNECTORS_PATH), {
        method: 'POST',
        headers: auth(unrelatedAppToken, json),
        body: JSON.stringify(connector()),
      }),
      403,
      'Authorization_RequestDenied',
    );
    assert.deepEqual(await allIds(), before);
  });
});

describe('concurrency', () => {
  it('20 creates at once: 20 rows, all listed', async () => {
    const before = await allIds();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => create(connector({ machineName: `parallel-${i}.contoso.com` }))),
    );
    const ids = results.map((c) => c.id as string);
    assert.equal(new Set(ids).size, 20);
    const after = await allIds();
    assert.equal(after.length, before.length + 20);
    for (const id of ids) assert.ok(after.includes(id));
  });

  it('10 creates of the same client id at once: exactly one 201, the others ObjectConflict', async () => {
    const id = randomUUID();
    const before = await allIds();
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        request(url(CONNECTORS_PATH), {
          method: 'POST',
          headers: auth(admin, json),
          body: JSON.stringify(connector({ id, machineName: `racer-${i}.contoso.com` })),
        }),
      ),
    );
    const created = responses.filter((r) => r.status === 201);
    assert.equal(created.length, 1, responses.map((r) => r.status).join(','));
    for (const r of responses.filter((r) => r.status !== 201)) {
      assert.equal(assertGraphError(r, 400, 'Request_BadRequest').details?.[0]?.code, 'ObjectConflict');
    }
    const got = await request(url(`${CONNECTORS_PATH}/${id}`), { headers: auth(admin) });
    assert.equal(got.body.machineName, created[0].body.machineName);
    assert.equal((await allIds()).length, before.length + 1);
  });
});

describe('tenants', () => {
  let mine: Record<string, any>;
  let myCount: number;
  before(async () => {
    mine = await create(connector({ id: randomUUID(), machineName: 'tenant-a.contoso.com' }));
    myCount = (await allIds()).length;
  });

  it("another tenant's token sees an empty list", async () => {
    const res = await request(url(CONNECTORS_PATH), { headers: auth(otherTenantAdmin) });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body.value, []);
  });

  it("another tenant gets 404 on GET, PATCH and DELETE of the first tenant's connector", async () => {
    const target = url(`${CONNECTORS_PATH}/${mine.id}`);
    assertGraphError(await request(target, { headers: auth(otherTenantAdmin) }), 404, 'Request_ResourceNotFound');
    assertGraphError(
      await request(target, {
        method: 'PATCH',
        headers: auth(otherTenantAdmin, json),
        body: '{"machineName":"hijacked"}',
      }),
      404,
      'Request_ResourceNotFound',
    );
    assertGraphError(
      await request(target, { method: 'DELETE', headers: auth(otherTenantAdmin) }),
      404,
      'Request_ResourceNotFound',
    );
    const got = await request(target, { headers: auth(admin) });
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, mine);
  });

  it('another tenant can create a connector with the same client-supplied id, and each sees its own', async () => {
    const theirs = await create(
      connector({ id: mine.id.toUpperCase(), machineName: 'tenant-b.contoso.com', status: 'inactive' }),
      otherTenantAdmin,
    );
    assert.equal(theirs.id, mine.id);
    assert.deepEqual(await allIds(otherTenantAdmin), [mine.id]);
    const theirsGot = await request(url(`${CONNECTORS_PATH}/${mine.id}`), { headers: auth(otherTenantAdmin) });
    assert.equal(theirsGot.body.machineName, 'tenant-b.contoso.com');
    const mineGot = await request(url(`${CONNECTORS_PATH}/${mine.id}`), { headers: auth(admin) });
    assert.deepEqual(mineGot.body, mine);
    assert.equal((await allIds()).length, myCount);
    // Deleting theirs leaves mine.
    assert.equal(
      (await request(url(`${CONNECTORS_PATH}/${mine.id}`), { method: 'DELETE', headers: auth(otherTenantAdmin) }))
        .status,
      204,
    );
    assert.equal((await request(url(`${CONNECTORS_PATH}/${mine.id}`), { headers: auth(admin) })).status, 200);
  });
});

describe('metadata and service document', () => {
  it('GET /beta/$metadata needs no token: 200 application/xml with the connector type', async () => {
    const res = await fetch(url('/beta/$metadata'));
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/xml/);
    const xml = await res.text();
    assert.ok(xml.startsWith('<?xml'));
    assert.ok(xml.includes('EntityType Name="connector"'));
    assert.ok(xml.includes('Name="onPremisesPublishingProfiles"'));
    assert.match(res.headers.get('request-id') ?? '', GUID);
  });

  it('GET /beta/ needs no token: the service document lists onPremisesPublishingProfiles', async () => {
    for (const path of ['/beta/', '/beta']) {
      const res = await request(url(path));
      assert.equal(res.status, 200, res.text);
      assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
      assert.equal(res.body['@odata.context'], `${server.baseUrl}/beta/$metadata`);
      assert.ok(
        res.body.value.some(
          (s: { name: string; kind: string }) => s.name === 'onPremisesPublishingProfiles' && s.kind === 'EntitySet',
        ),
      );
    }
  });
});
