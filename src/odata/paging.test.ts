import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_PAGE_SIZE, nextLink, pageSize } from './paging.js';

describe('pageSize', () => {
  const cases: [number | undefined, number | undefined, number][] = [
    [undefined, undefined, DEFAULT_PAGE_SIZE],
    [5, undefined, 5],
    [5, 50, 5],
    [50, 5, 5],
    [10, 0, 1],
    [999, 5000, 999],
    [undefined, 50, 50],
    [undefined, 0, 1],
    [undefined, 5000, 999],
    [999, undefined, 999],
  ];
  for (const [top, max, expected] of cases) {
    test(`$top=${top} maxpagesize=${max} → ${expected}`, () => {
      assert.equal(pageSize(top, max), expected);
    });
  }
  test('the default page size is 100, as Graph directory collections', () => {
    assert.equal(DEFAULT_PAGE_SIZE, 100);
  });
});

describe('nextLink', () => {
  const base = 'https://localhost:8443/beta/onPremisesPublishingProfiles/applicationProxy/connectors';

  test('$skip is dropped: the token already accounts for it', () => {
    const link = new URL(nextLink(new URL(`${base}?$skip=5&$top=2`), 't'));
    assert.equal(link.searchParams.get('$skip'), null);
    assert.equal(link.searchParams.get('$top'), '2');
  });

  test('adds $skiptoken (with a literal $) to a URL without options', () => {
    const link = nextLink(new URL(base), 'c9');
    assert.equal(link, `${base}?$skiptoken=c9`);
  });

  test('keeps every other option and replaces $skiptoken in whatever spelling', () => {
    for (const old of ['$skiptoken', '$skipToken', 'skiptoken', '%24SKIPTOKEN']) {
      const url = new URL(`${base}?$top=2&${old}=OLD&$select=id,machineName&custom=a%20b`);
      const link = nextLink(url, 'c9');
      assert.ok(link.startsWith(`${base}?`), link);
      assert.ok(!link.includes('%24'), link);
      const params = new URL(link).searchParams;
      assert.deepEqual(
        [...params.keys()].filter((k) => k.replace(/^\$/, '').toLowerCase() === 'skiptoken'),
        ['$skiptoken'],
        `only one skiptoken left (${old})`,
      );
      assert.equal(params.get('$skiptoken'), 'c9');
      assert.equal(params.get('$top'), '2');
      assert.equal(params.get('$select'), 'id,machineName');
      assert.equal(params.get('custom'), 'a b');
    }
  });

  test('does not touch the request URL it was given', () => {
    const url = new URL(`${base}?$top=2&$skiptoken=OLD`);
    nextLink(url, 'c9');
    assert.equal(url.searchParams.get('$skiptoken'), 'OLD');
  });

  test('the link is absolute and keeps the host and path', () => {
    const link = new URL(nextLink(new URL(`${base}?$top=1`), 'x'));
    assert.equal(link.origin, 'https://localhost:8443');
    assert.equal(link.pathname, '/beta/onPremisesPublishingProfiles/applicationProxy/connectors');
  });

  test('chained next links carry the latest token', () => {
    let url = new URL(`${base}?$top=1`);
    for (const id of ['a', 'b', 'c']) {
      url = new URL(nextLink(url, id));
      assert.equal(url.searchParams.get('$skiptoken'), id);
      assert.equal(url.searchParams.get('$top'), '1');
    }
  });
});
