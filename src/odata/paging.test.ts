import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphError } from '../graph/errors.js';
import { decodeSkipToken, DEFAULT_PAGE_SIZE, encodeSkipToken, nextLink, pageSize } from './paging.js';

function invalidToken(error: unknown): boolean {
  assert.ok(error instanceof GraphError, `expected a GraphError, got ${String(error)}`);
  assert.equal(error.status, 400);
  assert.equal(error.code, 'BadRequest');
  assert.equal(error.message, 'The $skiptoken is not valid. Use the @odata.nextLink of a previous page as it is.');
  return true;
}

describe('skip tokens', () => {
  const ids = ['c1', 'd2b1e8e8-8511-49d6-a4ba-323cb083fbb0', '', "it's / a key?&=#", 'ünïcødé ✓'];
  for (const id of ids) {
    test(`round trip of ${JSON.stringify(id)}`, () => {
      const token = encodeSkipToken(id);
      assert.match(token, /^[A-Za-z0-9_-]+$/, 'URL-safe without encoding');
      assert.equal(decodeSkipToken(token), id);
    });
  }

  test('tokens are opaque: the id does not appear in them', () => {
    assert.ok(!encodeSkipToken('secret-id').includes('secret-id'));
  });

  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const tampered: [string, string][] = [
    ['garbage', 'not a token at all'],
    ['empty', ''],
    ['truncated', encodeSkipToken('c1').slice(0, 10)],
    ['base64 of non-JSON', Buffer.from('hello').toString('base64url')],
    ['JSON null', b64(null)],
    ['JSON number', b64(5)],
    ['other version', b64({ v: 2, after: 'c1' })],
    ['missing after', b64({ v: 1 })],
    ['after not a string', b64({ v: 1, after: 5 })],
    ['an appended character', `${encodeSkipToken('c1')}x`],
  ];
  for (const [name, token] of tampered) {
    test(`a tampered token (${name}) is a 400`, () => {
      assert.throws(() => decodeSkipToken(token), invalidToken);
    });
  }
});

describe('pageSize', () => {
  const cases: [number | undefined, number | undefined, number][] = [
    [undefined, undefined, DEFAULT_PAGE_SIZE],
    [5, undefined, 5],
    [5, 50, 5],
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

  test('adds $skiptoken (with a literal $) to a URL without options', () => {
    const link = nextLink(new URL(base), 'c9');
    assert.equal(link, `${base}?$skiptoken=${encodeSkipToken('c9')}`);
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
      assert.equal(decodeSkipToken(params.get('$skiptoken') ?? ''), 'c9');
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

  test('chained next links keep decoding to the latest position', () => {
    let url = new URL(`${base}?$top=1`);
    for (const id of ['a', 'b', 'c']) {
      url = new URL(nextLink(url, id));
      assert.equal(decodeSkipToken(url.searchParams.get('$skiptoken') ?? ''), id);
      assert.equal(url.searchParams.get('$top'), '1');
    }
  });
});
