import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphError } from '../graph/errors.js';
import { family } from '../family/on-premises/schema.js';
import { Model } from '../model/model.js';
import { defaultWriteRules, readEntityBody, type WriteRules } from './entity-body.js';

const model = new Model(family);
const connector = model.structured('microsoft.graph.connector');
const connectorGroup = model.structured('microsoft.graph.connectorGroup');

/** The connector rules the connectors behaviour states. */
const createRules: WriteRules = {
  writable: ['id', 'externalIp', 'machineName', 'status', 'version'],
  required: ['externalIp', 'machineName', 'status'],
};
const updateRules: WriteRules = { writable: ['externalIp', 'machineName', 'status', 'version'] };

const valid = { externalIp: '131.137.147.164', machineName: 'connectorA.contoso.com', status: 'active' };

function graphError(status: number, code: string, message: string | RegExp, target?: string) {
  return (error: unknown): boolean => {
    assert.ok(error instanceof GraphError, `expected a GraphError, got ${String(error)}`);
    assert.equal(error.status, status);
    assert.equal(error.code, code);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    if (target !== undefined) assert.equal(error.details?.[0].target, target);
    return true;
  };
}

describe('readEntityBody: accepted bodies', () => {
  test('create returns the properties in canonical form', () => {
    const entity = readEntityBody(model, connector, { ...valid, status: 'Active', id: 'c1' }, createRules, 'create');
    assert.deepEqual(entity, {
      externalIp: '131.137.147.164',
      machineName: 'connectorA.contoso.com',
      status: 'active',
      id: 'c1',
    });
  });

  test('update takes a subset and does not check required properties', () => {
    assert.deepEqual(readEntityBody(model, connector, { machineName: 'b' }, updateRules, 'update'), {
      machineName: 'b',
    });
    assert.deepEqual(readEntityBody(model, connector, {}, updateRules, 'update'), {});
  });

  test('instance annotations are not stored; @odata.type of the type itself is fine in any spelling', () => {
    for (const odataType of [
      '#microsoft.graph.connector',
      'microsoft.graph.connector',
      '#graph.connector',
      '#Microsoft.Graph.Connector',
    ]) {
      const entity = readEntityBody(
        model,
        connector,
        { '@odata.type': odataType, '@odata.context': 'x', ...valid },
        createRules,
        'create',
      );
      assert.deepEqual(entity, valid, odataType);
    }
  });

  test('ignored read-only properties are dropped silently, without validating them', () => {
    const rules: WriteRules = { writable: ['name', 'region'], ignored: ['connectorGroupType', 'isDefault'] };
    const entity = readEntityBody(
      model,
      connectorGroup,
      { name: 'g', connectorGroupType: 'applicationProxy', isDefault: 'not even a boolean' },
      rules,
      'create',
    );
    assert.deepEqual(entity, { name: 'g' });
  });

  test('@odata.type naming a derived type makes that type the one validated', () => {
    const base = model.structured('microsoft.graph.applicationSegment');
    const derived = model.structured('microsoft.graph.ipApplicationSegment');
    const entity = readEntityBody(
      model,
      base,
      { '@odata.type': '#microsoft.graph.ipApplicationSegment', action: 'Tunnel', protocol: 'udp, tcp', port: 443 },
      defaultWriteRules(derived),
      'create',
    );
    assert.deepEqual(entity, { action: 'tunnel', protocol: 'tcp,udp', port: 443 });
  });
});

describe('readEntityBody: refusals', () => {
  test('an unknown property is a 400 naming the property and the type', () => {
    assert.throws(
      () => readEntityBody(model, connector, { ...valid, foo: 1 }, createRules, 'create'),
      graphError(
        400,
        'BadRequest',
        "The property 'foo' does not exist on type 'microsoft.graph.connector'. Make sure to only use property names that are defined by the type or mark the type as open type.",
        'foo',
      ),
    );
  });

  test('property names are case-sensitive in bodies', () => {
    assert.throws(
      () => readEntityBody(model, connector, { MachineName: 'x' }, updateRules, 'update'),
      graphError(400, 'BadRequest', /'MachineName' does not exist on type 'microsoft\.graph\.connector'/),
    );
  });

  test('a read-only property is refused, naming it', () => {
    assert.throws(
      () => readEntityBody(model, connector, { id: 'c1' }, updateRules, 'update'),
      graphError(400, 'Request_BadRequest', "Property 'id' of resource 'connector' is read-only.", 'id'),
    );
    assert.throws(
      () => readEntityBody(model, connector, { ...valid, version: '1.0' }, defaultWriteRules(connector), 'update'),
      graphError(
        400,
        'Request_BadRequest',
        /^Property '(externalIp|status|version)' of resource 'connector' is read-only\.$/,
      ),
    );
  });

  test('a missing required property is refused on create, naming it', () => {
    for (const missing of ['externalIp', 'machineName', 'status']) {
      const body: Record<string, unknown> = { ...valid };
      delete body[missing];
      assert.throws(
        () => readEntityBody(model, connector, body, createRules, 'create'),
        graphError(
          400,
          'Request_BadRequest',
          `A value is required for property '${missing}' of resource 'connector'.`,
          missing,
        ),
      );
    }
  });

  test('a required nullable property sent as null is refused on create', () => {
    const rules: WriteRules = { writable: ['name', 'region'], required: ['region'] };
    assert.throws(
      () => readEntityBody(model, connectorGroup, { name: 'g', region: null }, rules, 'create'),
      graphError(
        400,
        'Request_BadRequest',
        "A value is required for property 'region' of resource 'connectorGroup'.",
        'region',
      ),
    );
    assert.deepEqual(readEntityBody(model, connectorGroup, { region: null }, rules, 'update'), { region: null });
  });

  test('a string longer than its rule allows is an invalid value, on create and update', () => {
    const rules: WriteRules = { writable: ['machineName'], maxLength: { machineName: 4 } };
    assert.deepEqual(readEntityBody(model, connector, { machineName: 'abcd' }, rules, 'update'), {
      machineName: 'abcd',
    });
    for (const mode of ['create', 'update'] as const) {
      assert.throws(
        () => readEntityBody(model, connector, { machineName: 'abcde' }, rules, mode),
        graphError(
          400,
          'Request_BadRequest',
          "Invalid value specified for property 'machineName' of resource 'connector'. The value is longer than 4 characters.",
          'machineName',
        ),
      );
    }
  });

  test('null on a non-nullable property is an invalid value', () => {
    assert.throws(
      () => readEntityBody(model, connector, { ...valid, machineName: null }, createRules, 'create'),
      graphError(
        400,
        'Request_BadRequest',
        /^Invalid value specified for property 'machineName' of resource 'connector'\./,
        'machineName',
      ),
    );
  });

  test('an invalid value is refused, naming the property', () => {
    assert.throws(
      () => readEntityBody(model, connector, { ...valid, status: 'String' }, createRules, 'create'),
      graphError(
        400,
        'Request_BadRequest',
        /^Invalid value specified for property 'status' of resource 'connector'\. 'String' is not a member/,
        'status',
      ),
    );
  });

  for (const body of [[], [valid], 'x', null, 1, true, undefined]) {
    test(`a non-object body (${JSON.stringify(body) ?? 'undefined'}) is a 400`, () => {
      assert.throws(
        () => readEntityBody(model, connector, body, createRules, 'create'),
        graphError(400, 'BadRequest', 'The request body must be a JSON object.'),
      );
    });
  }

  test('@odata.type naming another type is a 400', () => {
    for (const odataType of [
      '#microsoft.graph.connectorGroup',
      '#microsoft.graph.entity',
      '#microsoft.graph.nothing',
      7,
    ]) {
      assert.throws(
        () => readEntityBody(model, connector, { '@odata.type': odataType, ...valid }, createRules, 'create'),
        graphError(
          400,
          'BadRequest',
          `A type named '${String(odataType)}' could not be resolved as 'microsoft.graph.connector' or a type derived from it.`,
        ),
      );
    }
  });

  test('a navigation property in the body is refused, pointing at $ref', () => {
    assert.throws(
      () => readEntityBody(model, connector, { ...valid, memberOf: [{ id: 'g1' }] }, createRules, 'create'),
      graphError(400, 'Request_BadRequest', /property 'memberOf' of resource 'connector'.*\$ref/, 'memberOf'),
    );
    assert.throws(
      () => readEntityBody(model, connectorGroup, { members: [] }, { writable: ['name', 'members'] }, 'update'),
      graphError(400, 'Request_BadRequest', /property 'members'/, 'members'),
    );
  });
});

describe('defaultWriteRules', () => {
  test('every property not marked read-only is writable', () => {
    assert.deepEqual(defaultWriteRules(connector), { writable: ['machineName'] });
    assert.deepEqual(defaultWriteRules(connectorGroup), { writable: ['name', 'region'] });
  });
});

describe('readEntityBody: open entity types', () => {
  const application = model.structured('microsoft.graph.application');
  const rules = defaultWriteRules(application);

  test('application is open: undeclared properties are kept as sent', () => {
    assert.ok(application.openType);
    const entity = readEntityBody(
      model,
      application,
      { displayName: 'app', notes: 'kept', extension_abc_x: { n: 1 } },
      rules,
      'create',
    );
    assert.deepEqual(entity, { displayName: 'app', notes: 'kept', extension_abc_x: { n: 1 } });
  });

  test('declared properties of an open type are still validated and read-only ones refused', () => {
    assert.throws(
      () => readEntityBody(model, application, { tags: 'not-an-array' }, rules, 'update'),
      graphError(400, 'Request_BadRequest', /'tags'/, 'tags'),
    );
    assert.throws(
      () => readEntityBody(model, application, { appId: 'x' }, rules, 'update'),
      graphError(400, 'Request_BadRequest', /'appId'.*read-only/, 'appId'),
    );
  });

  test('navigations of an open type are still refused', () => {
    assert.throws(
      () => readEntityBody(model, application, { connectorGroup: { id: 'g' } }, rules, 'update'),
      graphError(400, 'Request_BadRequest', /property 'connectorGroup'/, 'connectorGroup'),
    );
  });

  test('property annotations are not taken for dynamic properties', () => {
    assert.throws(
      () => readEntityBody(model, application, { 'connectorGroup@odata.bind': 'x' }, rules, 'update'),
      GraphError,
    );
  });
});
