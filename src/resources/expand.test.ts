import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { allPermissions } from '../auth/identity.js';
import { testServer, type TestServer } from '../http/testing.js';
import { MAX_EXPANDED_PER_RESPONSE } from './expand-budget.js';
import { onPremises, onPremisesTables } from '../family/on-premises/on-premises.js';

const TENANT = '3c9a5b1e-0000-4000-8000-00000000e5a1';
const AP = '/beta/onPremisesPublishingProfiles/applicationProxy';
const GROUPS = 50;
const PER_GROUP = 20;
/** Three levels: each group's 20 members, each member's group, that group's 20 members. */
const DEEP = 'members($expand=memberOf($expand=members))';

let server: TestServer;
let token: string;
let firstGroup: string;

function get(url: string) {
  return server.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
}

/** The objects a page of groups with {@link DEEP} expanded holds below the groups. */
function deepCount(groups: number): number {
  return groups * PER_GROUP + groups * PER_GROUP + groups * PER_GROUP * PER_GROUP;
}

describe('$expand', () => {
  before(async () => {
    server = await testServer();
    token = await server.userToken(TENANT, allPermissions(onPremises).scopes);
    const tables = onPremisesTables();
    for (let g = 0; g < GROUPS; g++) {
      const res = await server.app.inject({
        method: 'POST',
        url: `${AP}/connectorGroups`,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: { name: `group ${String(g).padStart(2, '0')}` },
      });
      assert.ok(res.statusCode === 200 || res.statusCode === 201, res.body);
      const group = res.json().id as string;
      if (g === 0) firstGroup = group;
      for (let c = 0; c < PER_GROUP; c++) {
        const id = `${String(g).padStart(2, '0')}${String(c).padStart(2, '0')}0000-0000-4000-8000-000000000000`;
        const machineName = `m${String(c).padStart(2, '0')}.g${g}`;
        await server.store.insert(
          tables.connectors,
          { tenantId: TENANT },
          { id, externalIp: '10.0.0.1', machineName, status: c % 2 === 0 ? 'active' : 'inactive', version: '1.0' },
          { hidden: { connector_group_id: group } },
        );
      }
    }
  });

  test('three levels over a page within the budget are served whole', async () => {
    const groups = 40;
    assert.ok(deepCount(groups) <= MAX_EXPANDED_PER_RESPONSE);
    const res = await get(
      `${AP}/connectorGroups?$top=${groups}&$filter=${encodeURIComponent("startswith(name,'group')")}&$expand=${DEEP}`,
    );
    assert.equal(res.statusCode, 200, res.body.slice(0, 300));
    const value = res.json().value as Array<{ members: Array<{ memberOf: Array<{ members: unknown[] }> }> }>;
    assert.equal(value.length, groups);
    assert.equal(
      value.flatMap((g) => g.members.flatMap((m) => m.memberOf.flatMap((o) => o.members))).length,
      groups * PER_GROUP * PER_GROUP,
    );
  });

  test('a response that would pass the budget is refused with Graph error, not built', async () => {
    assert.ok(deepCount(GROUPS) > MAX_EXPANDED_PER_RESPONSE);
    const res = await get(`${AP}/connectorGroups?$top=999&$expand=${DEEP}`);
    assert.equal(res.statusCode, 400, res.body.slice(0, 300));
    const error = res.json().error;
    assert.equal(error.code, 'Request_UnsupportedQuery');
    assert.match(error.message, new RegExp(`more than ${MAX_EXPANDED_PER_RESPONSE} expanded objects`));
  });

  test('the items of a $batch share one budget', async () => {
    const url = `/onPremisesPublishingProfiles/applicationProxy/connectorGroups?$top=20&$expand=${DEEP}`;
    assert.ok(deepCount(20) <= MAX_EXPANDED_PER_RESPONSE && 3 * deepCount(20) > MAX_EXPANDED_PER_RESPONSE);
    const res = await server.app.inject({
      method: 'POST',
      url: '/beta/$batch',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: { requests: ['1', '2', '3'].map((id) => ({ id, method: 'GET', url })) },
    });
    assert.equal(res.statusCode, 200);
    const responses = res.json().responses as Array<{ status: number; body: { error?: { code: string } } }>;
    const statuses = responses.map((r) => r.status).sort();
    assert.equal(statuses.filter((s) => s === 200).length, 2, JSON.stringify(statuses));
    assert.deepEqual(
      responses.filter((r) => r.status !== 200).map((r) => [r.status, r.body.error?.code]),
      [[400, 'Request_UnsupportedQuery']],
    );
    // Alone, the same request is within the budget.
    assert.equal((await get(`/beta${url}`)).statusCode, 200);
  });

  test('an expanded collection holds at most 20 items, whatever its $top', async () => {
    const res = await get(
      `${AP}/connectors/00000000-0000-4000-8000-000000000000?$expand=memberOf($expand=members($top=1000))`,
    );
    assert.equal(res.statusCode, 400, 'a nested $top over 999 is refused as at the top level');
    const capped = await get(
      `${AP}/connectors/00000000-0000-4000-8000-000000000000?$expand=memberOf($expand=members($top=500))`,
    );
    assert.equal(capped.statusCode, 200, capped.body);
    assert.equal(capped.json().memberOf[0].members.length, PER_GROUP);
  });

  test('$filter and $orderby inside $expand apply to the expanded collection', async () => {
    const filtered = await get(
      `${AP}/connectorGroups/${firstGroup}?$expand=members($filter=${encodeURIComponent("status eq 'active' and machineName ne 'm00.g0'")};$select=machineName,status)`,
    );
    assert.equal(filtered.statusCode, 200, filtered.body);
    const members = filtered.json().members as Array<{ machineName: string; status: string }>;
    assert.equal(members.length, PER_GROUP / 2 - 1);
    assert.ok(members.every((m) => m.status === 'active' && m.machineName !== 'm00.g0'));
    const ordered = await get(
      `${AP}/connectorGroups/${firstGroup}?$expand=members($orderby=machineName desc;$top=3;$select=machineName)`,
    );
    assert.equal(ordered.statusCode, 200, ordered.body);
    assert.deepEqual(
      (ordered.json().members as Array<{ machineName: string }>).map((m) => m.machineName),
      ['m19.g0', 'm18.g0', 'm17.g0'],
    );
    const badFilter = await get(
      `${AP}/connectorGroups/${firstGroup}?$expand=members($filter=${encodeURIComponent("nope eq 'x'")})`,
    );
    assert.equal(badFilter.statusCode, 400);
  });

  for (const [option, expected] of [
    ['$count=true', /'\$count' is not supported inside the \$expand of 'members'/],
    ['$skip=2', /'\$skip' is not supported inside the \$expand of 'members'/],
    ['$skiptoken=abc', /'\$skiptoken' is not supported inside the \$expand of 'members'/],
  ] as const) {
    test(`${option} inside $expand is refused, not ignored`, async () => {
      const res = await get(`${AP}/connectorGroups/${firstGroup}?$expand=members(${option})`);
      assert.equal(res.statusCode, 400, res.body);
      assert.match(res.json().error.message, expected);
    });
  }

  test('a single-valued navigation takes no $filter or $orderby', async () => {
    const url = '/beta/applications?$expand=';
    const res = await get(`${url}connectorGroup($filter=${encodeURIComponent("name eq 'x'")})`);
    assert.equal(res.statusCode, 400, res.body);
    assert.match(
      res.json().error.message,
      /'\$filter' is not supported inside the \$expand of 'connectorGroup': it is a single-valued navigation/,
    );
  });
});
