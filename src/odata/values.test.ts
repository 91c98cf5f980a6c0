import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphError } from '../graph/errors.js';
import { family } from '../family/on-premises/schema.js';
import { Model, type Property, type TypeRef } from '../model/model.js';
import { declaredType, readPropertyValue, readValue, type ValueContext } from './values.js';

const model = new Model(family);
const ctx: ValueContext = { path: 'p', resource: 'r' };
const prim = (name: string): TypeRef => ({ collection: false, name, kind: 'primitive' });

/** Matches the directory-style invalid-value error for a property path. */
function invalidValue(path: string, why?: RegExp) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof GraphError, `expected a GraphError, got ${String(error)}`);
    assert.equal(error.status, 400);
    assert.equal(error.code, 'Request_BadRequest');
    assert.ok(
      error.message.startsWith(`Invalid value specified for property '${path}' of resource 'r'.`),
      error.message,
    );
    assert.equal(error.details?.[0].code, 'InvalidValue');
    assert.equal(error.details?.[0].target, path);
    if (why) assert.match(error.message, why);
    return true;
  };
}

function property(typeName: string, name: string): Property {
  const p = model.structured(typeName).properties.get(name);
  assert.ok(p, `${typeName}.${name}`);
  return p;
}

describe('primitives', () => {
  const INT32_MAX = 2147483647;
  const INT32_MIN = -2147483648;
  const accepted: [string, unknown, unknown][] = [
    ['Edm.String', 'abc', 'abc'],
    ['Edm.String', '', ''],
    ['Edm.Boolean', true, true],
    ['Edm.Boolean', false, false],
    ['Edm.Int32', 0, 0],
    ['Edm.Int32', INT32_MAX, INT32_MAX],
    ['Edm.Int32', INT32_MIN, INT32_MIN],
    ['Edm.Int32', -1, -1],
    ['Edm.Int64', Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
    ['Edm.Double', 1.5, 1.5],
    ['Edm.Double', 3, 3],
    ['Edm.Single', -0.25, -0.25],
    ['Edm.Guid', 'D2B1E8E8-8511-49D6-A4BA-323CB083FBB0', 'd2b1e8e8-8511-49d6-a4ba-323cb083fbb0'],
    ['Edm.Guid', 'd2b1e8e8-8511-49d6-a4ba-323cb083fbb0', 'd2b1e8e8-8511-49d6-a4ba-323cb083fbb0'],
    ['Edm.DateTimeOffset', '2018-08-12T12:00', '2018-08-12T12:00:00Z'],
    ['Edm.DateTimeOffset', '2018-08-12T12:00:00', '2018-08-12T12:00:00Z'],
    ['Edm.DateTimeOffset', '2018-08-12T12:00:00Z', '2018-08-12T12:00:00Z'],
    ['Edm.DateTimeOffset', '2018-08-12T12:00:00.000Z', '2018-08-12T12:00:00Z'],
    ['Edm.DateTimeOffset', '2018-08-12T12:00:00.5Z', '2018-08-12T12:00:00.500Z'],
    ['Edm.DateTimeOffset', '2018-08-12T14:00:00+02:00', '2018-08-12T12:00:00Z'],
    ['Edm.DateTimeOffset', '2018-08-12T12:00:00-05:30', '2018-08-12T17:30:00Z'],
    ['Edm.DateTimeOffset', '2018-08-12T00:30:00+01:00', '2018-08-11T23:30:00Z'],
    ['Edm.DateTimeOffset', '2018-08-12t12:00:00z', '2018-08-12T12:00:00Z'],
    ['Edm.Date', '2018-08-12', '2018-08-12'],
    ['Edm.Date', '2020-02-29', '2020-02-29'],
    ['Edm.TimeOfDay', '0:00:00', '00:00:00.0000000'],
    ['Edm.TimeOfDay', '23:59:00', '23:59:00.0000000'],
    ['Edm.TimeOfDay', '23:59:00.0000000', '23:59:00.0000000'],
    ['Edm.TimeOfDay', '12:30', '12:30:00.0000000'],
    ['Edm.TimeOfDay', '1:02:03.5', '01:02:03.5000000'],
    ['Edm.TimeOfDay', '23:59:59.9999999', '23:59:59.9999999'],
    ['Edm.Binary', 'aGVsbG8=', 'aGVsbG8='],
    ['Edm.Binary', '', ''],
  ];
  for (const [type, input, expected] of accepted) {
    test(`${type} ${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(readValue(model, prim(type), input, ctx), expected);
    });
  }

  const refused: [string, unknown, RegExp][] = [
    ['Edm.String', 1, /Expected a string\./],
    ['Edm.String', true, /Expected a string\./],
    ['Edm.String', null, /Expected a string\./],
    ['Edm.String', {}, /Expected a string\./],
    ['Edm.String', 'a\u0000b', /cannot contain the character U\+0000/],
    ['Edm.Boolean', 'true', /Expected true or false\./],
    ['Edm.Boolean', 0, /Expected true or false\./],
    ['Edm.Int32', INT32_MAX + 1, /32-bit integer/],
    ['Edm.Int32', INT32_MIN - 1, /32-bit integer/],
    ['Edm.Int32', 1.5, /32-bit integer/],
    ['Edm.Int32', '1', /32-bit integer/],
    ['Edm.Int32', Number.NaN, /32-bit integer/],
    ['Edm.Int64', Number.MAX_SAFE_INTEGER + 1, /Expected an integer\./],
    ['Edm.Int64', 0.5, /Expected an integer\./],
    ['Edm.Double', Number.POSITIVE_INFINITY, /Expected a number\./],
    ['Edm.Double', 'NaN', /Expected a number\./],
    ['Edm.Guid', 'not-a-guid', /Expected a GUID\./],
    ['Edm.Guid', '{d2b1e8e8-8511-49d6-a4ba-323cb083fbb0}', /Expected a GUID\./],
    ['Edm.Guid', 'd2b1e8e885114 9d6a4ba323cb083fbb0', /Expected a GUID\./],
    ['Edm.Guid', 42, /Expected a GUID\./],
    ['Edm.DateTimeOffset', '2018-08-12', /ISO 8601/],
    ['Edm.DateTimeOffset', 'yesterday', /ISO 8601/],
    ['Edm.DateTimeOffset', '2018-13-01T00:00:00Z', /ISO 8601/],
    ['Edm.DateTimeOffset', '2018-08-12T12:00:60Z', /ISO 8601/],
    ['Edm.DateTimeOffset', '2018-08-12T25:00:00Z', /ISO 8601/],
    ['Edm.DateTimeOffset', '2018-08-12 12:00:00Z', /ISO 8601/],
    ['Edm.DateTimeOffset', '2018-08-12T12:00:00+0200', /ISO 8601/],
    ['Edm.DateTimeOffset', 1534075200, /ISO 8601/],
    ['Edm.Date', '2018-8-12', /yyyy-mm-dd/],
    ['Edm.Date', '2018-13-01', /yyyy-mm-dd/],
    ['Edm.Date', '2018-08-12T00:00:00Z', /yyyy-mm-dd/],
    ['Edm.Date', 20180812, /yyyy-mm-dd/],
    ['Edm.TimeOfDay', '24:00:00', /hh:mm:ss/],
    ['Edm.TimeOfDay', '12:60:00', /hh:mm:ss/],
    ['Edm.TimeOfDay', '12:00:60', /hh:mm:ss/],
    ['Edm.TimeOfDay', '12:00:00.12345678', /hh:mm:ss/],
    ['Edm.TimeOfDay', 'noon', /hh:mm:ss/],
    ['Edm.TimeOfDay', '12', /hh:mm:ss/],
    ['Edm.TimeOfDay', 0, /hh:mm:ss/],
    ['Edm.Binary', 'not base64!', /base64/],
    ['Edm.Binary', 5, /base64/],
    ['Edm.Binary', 'aGVsbG8=a', /base64/],
    ['Edm.Stream', 'x', /Values of type 'Edm.Stream' are not accepted\./],
  ];
  for (const [type, input, why] of refused) {
    test(`${type} refuses ${JSON.stringify(input) ?? String(input)}`, () => {
      assert.throws(() => readValue(model, prim(type), input, ctx), invalidValue('p', why));
    });
  }
});

describe('enums', () => {
  const status = model.typeRef('graph.connectorStatus');
  const protocol = model.typeRef('graph.privateNetworkProtocol');

  const accepted: [TypeRef, unknown, unknown][] = [
    [status, 'active', 'active'],
    [status, 'Active', 'active'],
    [status, 'INACTIVE', 'inactive'],
    [status, ' active ', 'active'],
    [model.typeRef('graph.onPremisesPublishingType'), 'privateaccess', 'privateAccess'],
    [model.typeRef('graph.onPremisesPublishingType'), 'oflineDomainJoin', 'oflineDomainJoin'],
    [protocol, 'tcp', 'tcp'],
    [protocol, 'tcp,udp', 'tcp,udp'],
    [protocol, 'tcp, udp', 'tcp,udp'],
    [protocol, 'UDP,tcp', 'tcp,udp'],
    [protocol, 'udp, udp', 'udp'],
  ];
  for (const [type, input, expected] of accepted) {
    test(`${type.name} ${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
      assert.equal(readValue(model, type, input, ctx), expected);
    });
  }

  const refused: [TypeRef, unknown][] = [
    [status, 'String'],
    [status, 'activ'],
    [status, ''],
    [status, 0],
    [status, true],
    [protocol, 'tcp,foo'],
    [protocol, ''],
    [protocol, 'tcp,'],
    [protocol, 3],
  ];
  for (const [type, input] of refused) {
    test(`${type.name} refuses ${JSON.stringify(input)}`, () => {
      assert.throws(
        () => readValue(model, type, input, ctx),
        invalidValue('p', new RegExp(`is not a member of ${type.name.replace(/\./g, '\\.')}`)),
      );
    });
  }

  test('the refusal lists the members', () => {
    assert.throws(
      () => readValue(model, status, 'String', ctx),
      invalidValue('p', /'String' is not a member of microsoft\.graph\.connectorStatus \(active, inactive\)\./),
    );
  });
});

describe('collections', () => {
  test('reads every item', () => {
    assert.deepEqual(readValue(model, model.typeRef('Collection(Edm.String)'), ['a', 'b'], ctx), ['a', 'b']);
    assert.deepEqual(readValue(model, model.typeRef('Collection(Edm.String)'), [], ctx), []);
    assert.deepEqual(
      readValue(
        model,
        model.typeRef('Collection(graph.onPremisesPublishingType)'),
        ['ApplicationProxy', 'provisioning'],
        ctx,
      ),
      ['applicationProxy', 'provisioning'],
    );
  });

  test('refuses a non-array', () => {
    assert.throws(
      () => readValue(model, model.typeRef('Collection(Edm.String)'), 'a', ctx),
      invalidValue('p', /Expected an array\./),
    );
    assert.throws(
      () => readValue(model, model.typeRef('Collection(Edm.String)'), { 0: 'a' }, ctx),
      invalidValue('p', /Expected an array\./),
    );
  });

  test('refuses null and wrongly typed items, naming the index', () => {
    assert.throws(
      () => readValue(model, model.typeRef('Collection(Edm.String)'), ['a', null], ctx),
      invalidValue('p[1]', /cannot be null/),
    );
    assert.throws(
      () => readValue(model, model.typeRef('Collection(Edm.String)'), [1], ctx),
      invalidValue('p[0]', /Expected a string/),
    );
  });
});

describe('complex values', () => {
  const updater = model.typeRef('graph.hybridAgentUpdaterConfiguration');

  test('reads nested values into canonical form', () => {
    const value = readValue(
      model,
      updater,
      {
        deferUpdateDateTime: '2018-08-12T12:00',
        updateWindow: { updateWindowStartTime: '0:00:00', updateWindowEndTime: '23:59:00' },
        allowUpdateConfigurationOverride: false,
      },
      ctx,
    );
    assert.deepEqual(value, {
      deferUpdateDateTime: '2018-08-12T12:00:00Z',
      updateWindow: { updateWindowStartTime: '00:00:00.0000000', updateWindowEndTime: '23:59:00.0000000' },
      allowUpdateConfigurationOverride: false,
    });
  });

  test('drops instance annotations and keeps null on nullable properties', () => {
    assert.deepEqual(readValue(model, updater, { '@odata.context': 'x', deferUpdateDateTime: null }, ctx), {
      deferUpdateDateTime: null,
    });
  });

  test('a nested unknown property is a 400 naming it and its type', () => {
    assert.throws(
      () => readValue(model, updater, { updateWindow: { updateWindowStartTime: '1:00', foo: 1 } }, ctx),
      (error: unknown) => {
        assert.ok(error instanceof GraphError);
        assert.equal(error.status, 400);
        assert.equal(error.code, 'BadRequest');
        assert.equal(
          error.message,
          "The property 'foo' does not exist on type 'microsoft.graph.updateWindow'. Make sure to only use property names that are defined by the type or mark the type as open type.",
        );
        assert.equal(error.details?.[0].target, 'foo');
        return true;
      },
    );
  });

  test('a nested invalid value names the full property path', () => {
    assert.throws(
      () => readValue(model, updater, { updateWindow: { updateWindowStartTime: '25:00' } }, ctx),
      invalidValue('p/updateWindow/updateWindowStartTime', /hh:mm:ss/),
    );
  });

  test('null on a non-nullable property is refused, naming it', () => {
    assert.throws(
      () => readValue(model, updater, { allowUpdateConfigurationOverride: null }, ctx),
      invalidValue('p/allowUpdateConfigurationOverride', /cannot be null/),
    );
  });

  test('a non-object is refused', () => {
    for (const input of [[], 'x', 1, true, null]) {
      assert.throws(
        () => readValue(model, updater, input, ctx),
        invalidValue('p', /Expected an object\./),
        JSON.stringify(input),
      );
    }
  });

  test('an abstract complex type needs @odata.type naming a derived type', () => {
    const ranges = model.typeRef('Collection(graph.ipRange)');
    assert.throws(
      () => readValue(model, ranges, [{ cidrAddress: '10.0.0.0/8' }], ctx),
      invalidValue('p[0]', /abstract/),
    );
    assert.deepEqual(
      readValue(model, ranges, [{ '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '10.0.0.0/8' }], ctx),
      [{ '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '10.0.0.0/8' }],
    );
    // Without '#', with the alias, in other case: the canonical annotation comes back.
    assert.deepEqual(
      readValue(
        model,
        ranges,
        [{ '@odata.type': 'graph.ipv4range', lowerAddress: '10.0.0.1', upperAddress: '10.0.0.9' }],
        ctx,
      ),
      [{ '@odata.type': '#microsoft.graph.iPv4Range', lowerAddress: '10.0.0.1', upperAddress: '10.0.0.9' }],
    );
  });

  test('a derived type validates its own properties', () => {
    const ranges = model.typeRef('Collection(graph.ipRange)');
    assert.throws(
      () =>
        readValue(model, ranges, [{ '@odata.type': '#microsoft.graph.iPv4CidrRange', lowerAddress: '10.0.0.1' }], ctx),
      (e: unknown) =>
        e instanceof GraphError &&
        e.message.includes("'lowerAddress' does not exist on type 'microsoft.graph.iPv4CidrRange'"),
    );
  });

  test('@odata.type naming an unrelated or unknown type is a 400', () => {
    for (const name of ['#microsoft.graph.updateWindow', '#microsoft.graph.nope', 42]) {
      assert.throws(
        () => readValue(model, model.typeRef('graph.ipRange'), { '@odata.type': name }, ctx),
        (e: unknown) =>
          e instanceof GraphError &&
          e.status === 400 &&
          e.code === 'BadRequest' &&
          e.message ===
            `A type named '${String(name)}' could not be resolved as 'microsoft.graph.ipRange' or a type derived from it.`,
      );
    }
  });

  test('an open complex type keeps undeclared properties as they are', () => {
    const waf = property('graph.onPremisesPublishing', 'wafAllowedHeaders');
    assert.deepEqual(readPropertyValue(model, waf, { 'X-Forwarded-For': 'allow', n: 1 }, ctx), {
      'X-Forwarded-For': 'allow',
      n: 1,
    });
  });

  test('entities cannot be written inline', () => {
    assert.throws(
      () => readValue(model, model.typeRef('graph.connector'), { id: 'x' }, ctx),
      invalidValue('p', /Entities cannot be written inline/),
    );
  });
});

describe('readPropertyValue and declaredType', () => {
  test('null is allowed only on nullable properties', () => {
    assert.equal(readPropertyValue(model, property('graph.connectorGroup', 'region'), null, ctx), null);
    assert.throws(
      () => readPropertyValue(model, property('graph.connector', 'machineName'), null, ctx),
      invalidValue('p', /cannot be null/),
    );
    assert.throws(
      () => readPropertyValue(model, property('graph.application', 'tags'), null, ctx),
      invalidValue('p', /cannot be null/),
    );
  });

  test('a value is read against the property type', () => {
    assert.equal(readPropertyValue(model, property('graph.connectorGroup', 'region'), 'EUR', ctx), 'eur');
  });

  test('declaredType returns the expected type without annotation and the derived type with one', () => {
    const base = model.structured('graph.segmentConfiguration');
    assert.equal(declaredType(model, base, {}), base);
    assert.equal(
      declaredType(model, base, { '@odata.type': '#microsoft.graph.ipSegmentConfiguration' }).qualifiedName,
      'microsoft.graph.ipSegmentConfiguration',
    );
    assert.throws(
      () =>
        declaredType(model, model.structured('graph.ipSegmentConfiguration'), {
          '@odata.type': '#microsoft.graph.segmentConfiguration',
        }),
      GraphError,
    );
  });
});

// V8's Date.parse rolls impossible calendar dates over into the next month (2018-02-30 becomes
// 2018-03-02) and reads hour 24 as the next day's midnight. values.ts trusts Date.parse, so an
// impossible date is stored as a different date instead of being refused with a 400.
describe('impossible calendar dates are refused, not rolled over', () => {
  const cases: [string, string][] = [
    ['Edm.DateTimeOffset', '2018-02-30T00:00:00Z'],
    ['Edm.DateTimeOffset', '2018-04-31T12:00'],
    ['Edm.DateTimeOffset', '2018-08-12T24:00:00Z'],
    ['Edm.Date', '2018-02-30'],
    ['Edm.Date', '2019-02-29'],
  ];
  for (const [type, input] of cases) {
    test(`${type} ${input} is refused with 400`, () => {
      assert.throws(() => readValue(model, prim(type), input, ctx), invalidValue('p'));
    });
  }
});

// BASE64 in values.ts (/^[A-Za-z0-9+/]*={0,2}$/) checks the alphabet but not the length: a string
// of 4n+1 characters cannot be base64 in any variant (padded or not), yet is accepted and stored.
describe('Edm.Binary refuses strings whose length no base64 encoding has', () => {
  for (const input of ['a', 'abcde', '=']) {
    test(`Edm.Binary ${JSON.stringify(input)} is refused with 400`, () => {
      assert.throws(() => readValue(model, prim('Edm.Binary'), input, ctx), invalidValue('p', /base64/));
    });
  }
});
