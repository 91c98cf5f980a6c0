/**
 * A slow query must not stall the server (issue 16, point 1). Applications with tens of thousands
 * of tags make `$filter` lambdas expensive: a lambda nested in another over the application's
 * collections (every pair of items) is refused when the filter is parsed, with OData's Any/All
 * nesting limit; a filter that is allowed but still too slow is stopped at the query deadline
 * (`--statement-timeout`, on SQLite as on PostgreSQL) and answers 504, while the server goes on
 * answering everyone else and still stops promptly on SIGTERM.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { errorOf, request, startServer, type RunningServer } from './helpers/server.js';
import { assertGraphError, graphClient } from './helpers/graph.js';

const APPS = '/beta/applications';
const TAGS = 80_000;
const DEADLINE_MS = 500;

let server: RunningServer;
let writer: string;
let reader: string;

const { get } = graphClient(
  () => server.baseUrl,
  () => reader,
);

describe('slow queries', () => {
  before(async () => {
    server = await startServer({ args: ['--statement-timeout', String(DEADLINE_MS)] });
    writer = await server.token(['--roles', 'Application.ReadWrite.All']);
    reader = await server.token(['--roles', 'Application.Read.All']);
    for (let a = 0; a < 3; a++) {
      const tags = Array.from({ length: TAGS }, (_, i) => `t${a}-${i}`);
      const identifierUris = Array.from({ length: 2_000 }, (_, i) => `api://app${a}/${i}`);
      const created = await request(`${server.baseUrl}${APPS}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${writer}`, 'content-type': 'application/json' },
        body: JSON.stringify({ displayName: `big ${a}`, tags, identifierUris }),
      });
      assert.equal(created.status, 201, created.text);
    }
  });
  after(async () => {
    await server?.stop();
  });

  it('refuses a lambda nested in another over a different collection, when the filter is parsed', async () => {
    const filter = "tags/any(t: identifierUris/any(u: u eq 'api://nowhere'))";
    const res = await get(`${APPS}?$filter=${encodeURIComponent(filter)}&$select=id`);
    assertGraphError(res, 400, 'BadRequest');
    assert.match(errorOf(res).message, /The Any\/All nesting limit of '1' has been exceeded/);
  });

  it('stops a filter past the deadline with 504, answers other requests meanwhile, and keeps serving', async () => {
    // About 120 substring tests on each of 240,000 tags: seconds of work without a deadline.
    const terms = Array.from({ length: 120 }, (_, i) => `contains(t,'zz${i}')`).join(' or ');
    const slow = get(`${APPS}?$filter=${encodeURIComponent(`tags/any(t: ${terms})`)}&$select=id`).then((res) => ({
      res,
      at: process.hrtime.bigint(),
    }));
    // Sent while the slow query runs, answered before it ends.
    const meanwhile = await get(`${APPS}?$select=id,displayName&$top=5`);
    const answeredAt = process.hrtime.bigint();
    assert.equal(meanwhile.status, 200, meanwhile.text);
    const { res, at } = await slow;
    assertGraphError(res, 504, 'gatewayTimeout');
    assert.match(errorOf(res).message, /deadline/);
    assert.ok(answeredAt < at, 'the quick request was answered while the slow one ran');
    const after = await get(`${APPS}?$filter=${encodeURIComponent("tags/any(t: t eq 't1-5')")}&$select=displayName`);
    assert.equal(after.status, 200, after.text);
    assert.deepEqual(
      after.body.value.map((a: { displayName: string }) => a.displayName),
      ['big 1'],
    );
  });

  it('ends on SIGTERM while slow queries run', async () => {
    const terms = Array.from({ length: 120 }, (_, i) => `contains(t,'zz${i}')`).join(' or ');
    const slow = Array.from({ length: 3 }, () =>
      get(`${APPS}?$filter=${encodeURIComponent(`tags/any(t: ${terms})`)}&$select=id`).catch(() => undefined),
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    // stop() sends SIGTERM and answers the exit code; it SIGKILLs (code null) only after 10 s.
    assert.equal(await server.stop(), 0);
    await Promise.all(slow);
  });
});
