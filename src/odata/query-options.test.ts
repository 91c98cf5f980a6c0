import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphError } from '../graph/errors.js';
import { family } from '../model/family.js';
import { Model } from '../model/model.js';
import { MAX_TOP, readQueryOptions, type QueryOptions } from './query-options.js';

const model = new Model(family);
const connector = model.structured('microsoft.graph.connector');
const read = (query: string, type = connector): QueryOptions => readQueryOptions(new URLSearchParams(query), type);

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
  const topMessage = (v: string) => `Invalid value '${v}' for $top query option found. The $top query option requires a non-negative integer value.`;
  const cases: [string, number, string, string | RegExp][] = [
    ['$top=abc', 400, 'BadRequest', topMessage('abc')],
    ['$top=-1', 400, 'BadRequest', topMessage('-1')],
    ['$top=1.5', 400, 'BadRequest', topMessage('1.5')],
    ['$top=', 400, 'BadRequest', topMessage('')],
    ['$top=0', 400, 'BadRequest', "Invalid page size specified: '0'. Must be between 1 and 999 inclusive."],
    ['$top=1000', 400, 'BadRequest', "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive."],
    ['$top=1&top=2', 400, 'BadRequest', "Query option '$top' was specified more than once, but it must be specified at most once."],
    ['$select=id&$SELECT=id', 400, 'BadRequest', /'\$select' was specified more than once/],
    ['$select=foo', 400, 'BadRequest', "Parsing OData Select and Expand failed: Could not find a property named 'foo' on type 'microsoft.graph.connector'."],
    ['$select=memberOf', 400, 'BadRequest', "Parsing OData Select and Expand failed: Could not find a property named 'memberOf' on type 'microsoft.graph.connector'."],
    ['$select=', 400, 'BadRequest', "Invalid $select value ''."],
    ['$select=id,,status', 400, 'BadRequest', "Invalid $select value 'id,,status'."],
    ['$filter=machineName eq \'x\'', 501, 'NotImplemented', "The query option '$filter' is not implemented by localgraph."],
    ['$expand=memberOf', 501, 'NotImplemented', /'\$expand'/],
    ['$orderby=id', 501, 'NotImplemented', /'\$orderby'/],
    ['$skip=1', 501, 'NotImplemented', /'\$skip'/],
    ['$search="x"', 501, 'NotImplemented', /'\$search'/],
    ['$format=xml', 501, 'NotImplemented', /'\$format'/],
    ['count=true', 501, 'NotImplemented', /'\$count'/],
  ];
  for (const [query, status, code, message] of cases) {
    test(query, () => {
      assert.throws(() => read(query), rejected(status, code, message));
    });
  }

  test('$select needs a structured type to check against', () => {
    assert.throws(() => readQueryOptions(new URLSearchParams('$select=id'), undefined), rejected(400, 'BadRequest', "Invalid $select value 'id'."));
    assert.deepEqual(readQueryOptions(new URLSearchParams('$top=3'), undefined), { top: 3 });
  });

  test('$select is checked against the addressed type', () => {
    const group = model.structured('microsoft.graph.connectorGroup');
    assert.deepEqual(read('$select=name,region', group), { select: ['name', 'region'] });
    assert.throws(() => read('$select=machineName', group), rejected(400, 'BadRequest', /named 'machineName' on type 'microsoft\.graph\.connectorGroup'/));
  });
});
