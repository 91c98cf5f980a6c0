/**
 * The console's plain modules that need no page (web/js/*.js, loaded as the browser loads them:
 * ES modules, no build step): query strings, $filter literals, paging and Graph's errors.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

const web = (file: string) => new URL(`../../web/js/${file}`, import.meta.url).href;
const graph = await import(web('graph.js'));
const pager = await import(web('pager.js'));

describe('console: Graph queries', () => {
  test('withQuery percent-encodes each option and leaves out empty ones', () => {
    assert.equal(
      graph.withQuery('/x', {
        $filter: "contains(name,'a&b')",
        $orderby: 'region desc,name',
        $skip: undefined,
        $search: '',
      }),
      "/x?$filter=contains(name%2C'a%26b')&$orderby=region%20desc%2Cname",
    );
    assert.equal(graph.withQuery('/x', {}), '/x');
  });

  test('literal doubles single quotes, so a search cannot end the string and add conditions', () => {
    assert.equal(graph.literal("O'Brien"), "'O''Brien'");
    assert.equal(graph.literal("x') or (name ne '"), "'x'') or (name ne '''");
  });

  test("Graph's error body becomes a message people can read, ids replaced by names", () => {
    const error = graph.toGraphRequestError(400, {
      error: {
        code: 'Request_BadRequest',
        message: "Connector group '11111111-2222-3333-4444-555555555555' still has connectors.",
      },
    });
    assert.equal(error.status, 400);
    assert.equal(error.code, 'Request_BadRequest');
    assert.equal(
      graph.humanize(error.message, new Map([['11111111-2222-3333-4444-555555555555', 'West']])),
      "Connector group 'West' still has connectors.",
    );
    assert.match(
      graph.toGraphRequestError(403, {
        error: { code: 'Authorization_RequestDenied', message: 'Insufficient privileges.' },
      }).message,
      /^Not allowed: .*Insufficient privileges\./,
    );
    assert.match(graph.toGraphRequestError(429, undefined).message, /slow down/);
  });
});

describe('console: paging', () => {
  test('a pager goes forward by the links Graph gave and back by the ones visited', () => {
    const p = pager.createPager(25);
    p.start('/first');
    assert.equal(p.index, 0);
    p.forward('/second');
    p.forward('/third');
    assert.deepEqual([p.url, p.index], ['/third', 2]);
    p.back();
    assert.deepEqual([p.url, p.index], ['/second', 1]);
    p.back();
    p.back();
    assert.deepEqual([p.url, p.index], ['/first', 0], 'never before the first page');
    p.forward('/second');
    p.start('/other-query');
    assert.deepEqual([p.url, p.index], ['/other-query', 0], 'a new query starts over');
  });

  test('the range line says which items are shown, of how many', () => {
    assert.equal(pager.rangeText(0, 25, 25, 5003, 'connector'), '1–25 of 5,003 connectors');
    assert.equal(pager.rangeText(2, 25, 3, 53, 'group'), '51–53 of 53 groups');
    assert.equal(pager.rangeText(0, 25, 1, 1, 'connector'), '1–1 of 1 connector');
    assert.equal(pager.rangeText(1, 25, 25, null, 'group'), '26–50 groups');
    assert.equal(pager.rangeText(0, 25, 0, 0, 'group'), 'No groups');
  });
});
