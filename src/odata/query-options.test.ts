import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphError } from '../graph/errors.js';
import { family } from '../family/on-premises/schema.js';
import { Model } from '../model/model.js';
import { MAX_TOP, readQueryOptions, type QueryOptions } from './query-options.js';

const model = new Model(family);
const connector = model.structured('microsoft.graph.connector');
const read = (query: string, type = connector): QueryOptions =>
  readQueryOptions(new URLSearchParams(query), type, model);

function rejected(status: number, code: string, message: string | RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof GraphError, `expected a GraphError, got ${String(error)}`);
    assert.equal(error.status, status);
    assert.equal(error.code, code);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  };
}

describe('readQueryOptions: accepted', () => {
  const cases: [string, QueryOptions][] = [
    ['', {}],
    ['$top=5', { top: 5 }],
    ['top=5', { top: 5 }],
    ['$TOP=5', { top: 5 }],
    ['%24top=5', { top: 5 }],
    ['$top=%205%20', { top: 5 }],
    ['$top=1', { top: 1 }],
    [`$top=${MAX_TOP}`, { top: MAX_TOP }],
    ['$skiptoken=abc', { skipToken: 'abc' }],
    ['$skipToken=abc', { skipToken: 'abc' }],
    ['$select=machineName,status', { select: ['machineName', 'status'] }],
    ['$select=machineName, status', { select: ['machineName', 'status'] }],
    ['select=MACHINENAME,Id', { select: ['machineName', 'id'] }],
    ['$select=*', { select: ['*'] }],
    ['$format=json', {}],
    ['$format=JSON', {}],
    ['foo=bar&api-version=1', {}],
    ['$top=2&$select=id&$skiptoken=t', { top: 2, select: ['id'], skipToken: 't' }],
  ];
  for (const [query, expected] of cases) {
    test(query || '(no options)', () => {
      assert.deepEqual(read(query), expected);
    });
  }
});

describe('readQueryOptions: refused', () => {
  const topMessage = (v: string) =>
    `Invalid value '${v}' for $top query option found. The $top query option requires a non-negative integer value.`;
  const cases: [string, number, string, string | RegExp][] = [
    ['$top=abc', 400, 'BadRequest', topMessage('abc')],
    ['$top=-1', 400, 'BadRequest', topMessage('-1')],
    ['$top=1.5', 400, 'BadRequest', topMessage('1.5')],
    ['$top=', 400, 'BadRequest', topMessage('')],
    ['$top=0', 400, 'BadRequest', "Invalid value '0' for $top: it must be between 1 and 999 inclusive."],
    ['$top=1000', 400, 'BadRequest', "Invalid value '1000' for $top: it must be between 1 and 999 inclusive."],
    [
      '$top=1&top=2',
      400,
      'BadRequest',
      "Query option '$top' was specified more than once, but it must be specified at most once.",
    ],
    ['$select=id&$SELECT=id', 400, 'BadRequest', /'\$select' was specified more than once/],
    [
      '$select=foo',
      400,
      'BadRequest',
      "Parsing OData Select and Expand failed: Could not find a property named 'foo' on type 'microsoft.graph.connector'.",
    ],
    [
      '$select=memberOf',
      400,
      'BadRequest',
      "Parsing OData Select and Expand failed: Could not find a property named 'memberOf' on type 'microsoft.graph.connector'.",
    ],
    ['$select=', 400, 'BadRequest', "Invalid $select value ''."],
    ['$select=id,,status', 400, 'BadRequest', "Invalid $select value 'id,,status'."],
    ['$search="x"', 400, 'BadRequest', "Query option '$search' is not supported on this resource."],
    ['$format=xml', 400, 'BadRequest', "The format 'xml' is not supported; use json."],
    ['$count=yes', 400, 'BadRequest', "'yes' is not a valid value for $count; use true or false."],
    ['$skip=-1', 400, 'BadRequest', /Invalid value '-1' for \$skip/],
    [
      '$expand=foo',
      400,
      'BadRequest',
      "Parsing OData Select and Expand failed: Could not find a navigation property named 'foo' on type 'microsoft.graph.connector'.",
    ],
    ['$expand=status', 400, 'BadRequest', /Could not find a navigation property named 'status'/],
    ['$expand=memberOf,memberOf', 400, 'BadRequest', "The navigation 'memberOf' is expanded more than once."],
    ['$expand=memberOf($top)', 400, 'BadRequest', "Invalid option '$top' in $expand of 'memberOf'."],
    [
      '$expand=memberOf($select=nope)',
      400,
      'BadRequest',
      /Could not find a property named 'nope' on type 'microsoft.graph.connectorGroup'/,
    ],
    [
      '$expand=memberOf($expand=members($expand=memberOf($expand=members)))',
      400,
      'BadRequest',
      '$expand is nested more than 3 levels deep.',
    ],
    ['$expand=memberOf(', 400, 'BadRequest', /Unbalanced/],
  ];
  for (const [query, status, code, message] of cases) {
    test(query, () => {
      assert.throws(() => read(query), rejected(status, code, message));
    });
  }

  test('$select needs a structured type to check against', () => {
    assert.throws(
      () => readQueryOptions(new URLSearchParams('$select=id'), undefined, model),
      rejected(400, 'BadRequest', "Invalid $select value 'id'."),
    );
    assert.deepEqual(readQueryOptions(new URLSearchParams('$top=3'), undefined, model), { top: 3 });
  });

  test('$select is checked against the addressed type', () => {
    const group = model.structured('microsoft.graph.connectorGroup');
    assert.deepEqual(read('$select=name,region', group), { select: ['name', 'region'] });
    assert.throws(
      () => read('$select=machineName', group),
      rejected(400, 'BadRequest', /named 'machineName' on type 'microsoft\.graph\.connectorGroup'/),
    );
  });
});
