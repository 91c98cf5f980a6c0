import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { family } from '../family/on-premises/schema.js';
import type { SchemaDecl } from '../model/edm.js';
import { Model } from '../model/model.js';
import { serializeEntity, type SerializeOptions } from './serialize.js';

const model = new Model(family);
const hide: SerializeOptions = { includeUnknownEnumMembers: false };
const show: SerializeOptions = { includeUnknownEnumMembers: true };
const type = (name: string) => model.structured(name);

describe('serializeEntity: shape', () => {
  test('writes properties in model order, whatever order the entity has', () => {
    const out = serializeEntity(
      model,
      type('graph.connector'),
      { version: '1.5', status: 'active', machineName: 'm', id: 'c1', externalIp: '1.2.3.4' },
      hide,
    );
    assert.deepEqual(Object.keys(out), ['id', 'externalIp', 'machineName', 'status', 'version']);
    assert.deepEqual(out, { id: 'c1', externalIp: '1.2.3.4', machineName: 'm', status: 'active', version: '1.5' });
  });

  test('writes unset declared properties as null, null as null, and drops what the type does not declare', () => {
    const out = serializeEntity(
      model,
      type('graph.connectorGroup'),
      { id: 'g', region: null, tenant_id: 't', extra: 1 },
      hide,
    );
    assert.deepEqual(out, { id: 'g', connectorGroupType: null, isDefault: null, name: null, region: null });
  });

  test('unset collections are [] (Graph never writes a collection as null)', () => {
    const agent = serializeEntity(model, type('graph.onPremisesAgent'), { id: 'a1' }, hide);
    assert.deepEqual(agent.supportedPublishingTypes, []);
    const stored = serializeEntity(
      model,
      type('graph.onPremisesAgent'),
      { id: 'a1', supportedPublishingTypes: null },
      hide,
    );
    assert.deepEqual(stored.supportedPublishingTypes, []);
  });

  test('$select writes the selected properties only, unset ones as null', () => {
    const out = serializeEntity(
      model,
      type('graph.connectorGroup'),
      { id: 'g', name: 'n' },
      { ...hide, select: ['region', 'name'] },
    );
    assert.deepEqual(out, { id: 'g', name: 'n', region: null });
  });

  test("an unset property of a complex value is null, the docs' way for onPremisesPublishing", () => {
    const out = serializeEntity(
      model,
      type('graph.application'),
      { id: 'a', onPremisesPublishing: { externalUrl: 'https://app.msappproxy.net/' } },
      hide,
    );
    const publishing = out.onPremisesPublishing as Record<string, unknown>;
    const declared = [...model.structured('graph.onPremisesPublishing').properties.keys()];
    assert.deepEqual(Object.keys(publishing), declared);
    for (const name of [
      'alternateUrl',
      'singleSignOnSettings',
      'verifiedCustomDomainCertificatesMetadata',
      'verifiedCustomDomainKeyCredential',
      'segmentsConfiguration',
    ]) {
      assert.equal(publishing[name], null, name);
    }
    assert.deepEqual(publishing.onPremisesApplicationSegments, []);
  });

  test('complex values are written in their model order too', () => {
    const out = serializeEntity(
      model,
      type('graph.onPremisesPublishingProfile'),
      {
        isEnabled: true,
        id: 'provisioning',
        hybridAgentUpdaterConfiguration: {
          updateWindow: { updateWindowStartTime: '00:00:00.0000000', updateWindowEndTime: '23:59:00.0000000' },
          allowUpdateConfigurationOverride: false,
          deferUpdateDateTime: null,
        },
      },
      hide,
    );
    assert.deepEqual(Object.keys(out), [
      'id',
      'hybridAgentUpdaterConfiguration',
      'isDefaultAccessEnabled',
      'isEnabled',
    ]);
    const config = out.hybridAgentUpdaterConfiguration as Record<string, unknown>;
    assert.deepEqual(Object.keys(config), ['allowUpdateConfigurationOverride', 'deferUpdateDateTime', 'updateWindow']);
    assert.deepEqual(Object.keys(config.updateWindow as object), ['updateWindowEndTime', 'updateWindowStartTime']);
  });

  test('derived complex values keep @odata.type first and their derived properties; open ones keep dynamic properties', () => {
    const out = serializeEntity(
      model,
      type('graph.application'),
      {
        id: 'a',
        onPremisesPublishing: {
          wafAllowedHeaders: { 'X-Forwarded-For': 'allow' },
          wafIpRanges: [{ cidrAddress: '10.0.0.0/8', '@odata.type': '#microsoft.graph.iPv4CidrRange' }],
          externalUrl: 'https://app.msappproxy.net/',
        },
      },
      hide,
    );
    const publishing = out.onPremisesPublishing as Record<string, unknown>;
    assert.equal(publishing.externalUrl, 'https://app.msappproxy.net/');
    assert.deepEqual(publishing.wafAllowedHeaders, { 'X-Forwarded-For': 'allow' });
    assert.deepEqual(publishing.wafIpRanges, [
      { '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: '10.0.0.0/8' },
    ]);
    const range = (out.onPremisesPublishing as { wafIpRanges: object[] }).wafIpRanges[0];
    assert.deepEqual(Object.keys(range), ['@odata.type', 'cidrAddress']);
  });

  test('does not modify the stored entity', () => {
    const entity = { id: 'g1', publishingType: 'privateAccess', displayName: 'G', isDefault: false };
    const copy = structuredClone(entity);
    serializeEntity(model, type('graph.onPremisesAgentGroup'), entity, hide);
    assert.deepEqual(entity, copy);
  });
});

describe('serializeEntity: evolvable enum members', () => {
  const group = { id: 'g1', displayName: 'G', isDefault: false, publishingType: 'privateAccess' };

  test('onPremisesAgentGroup.publishingType privateAccess is hidden as unknownFutureValue by default', () => {
    assert.equal(
      serializeEntity(model, type('graph.onPremisesAgentGroup'), group, hide).publishingType,
      'unknownFutureValue',
    );
  });

  test('Prefer: include-unknown-enum-members shows privateAccess', () => {
    assert.equal(
      serializeEntity(model, type('graph.onPremisesAgentGroup'), group, show).publishingType,
      'privateAccess',
    );
  });

  test('members before the sentinel are never hidden', () => {
    for (const member of ['applicationProxy', 'provisioning', 'oflineDomainJoin', 'unknownFutureValue']) {
      assert.equal(
        serializeEntity(model, type('graph.onPremisesAgentGroup'), { ...group, publishingType: member }, hide)
          .publishingType,
        member,
      );
    }
  });

  test('collections of enums hide item by item', () => {
    const agent = { id: 'a1', supportedPublishingTypes: ['applicationProxy', 'privateAccess'] };
    assert.deepEqual(serializeEntity(model, type('graph.onPremisesAgent'), agent, hide).supportedPublishingTypes, [
      'applicationProxy',
      'unknownFutureValue',
    ]);
    assert.deepEqual(serializeEntity(model, type('graph.onPremisesAgent'), agent, show).supportedPublishingTypes, [
      'applicationProxy',
      'privateAccess',
    ]);
  });

  test('ipApplicationSegment.destinationType servicePrincipalName is evolvable too', () => {
    const segment = { id: 's1', action: 'tunnel', destinationType: 'servicePrincipalName', protocol: 'tcp,udp' };
    const out = serializeEntity(model, type('graph.ipApplicationSegment'), segment, hide);
    assert.equal(out.destinationType, 'unknownFutureValue');
    assert.equal(out.action, 'tunnel');
    assert.equal(out.protocol, 'tcp,udp', 'flags are written as stored, comma-joined');
    assert.equal(
      serializeEntity(model, type('graph.ipApplicationSegment'), segment, show).destinationType,
      'servicePrincipalName',
    );
  });
});

describe('serializeEntity: flags enums with evolvable members', () => {
  // The family's only flags enum (privateNetworkProtocol) has nothing after its sentinel, so a
  // small schema exercises the flags path.
  const schema: SchemaDecl = {
    namespace: 'test.ns',
    alias: 't',
    types: [
      {
        kind: 'entity',
        name: 'thing',
        key: ['id'],
        properties: [
          { name: 'id', type: 'Edm.String' },
          { name: 'proto', type: 't.proto' },
          { name: 'protos', type: 'Collection(t.proto)' },
        ],
      },
      {
        kind: 'enum',
        name: 'proto',
        isFlags: true,
        members: [
          { name: 'a', value: 1 },
          { name: 'b', value: 2 },
          { name: 'unknownFutureValue', value: 4 },
          { name: 'c', value: 8 },
          { name: 'd', value: 16 },
        ],
      },
    ],
    entitySets: [],
  };
  const small = new Model(schema);
  const thing = small.structured('t.thing');

  const cases: [string, string, string][] = [
    ['a,b', 'a,b', 'a,b'],
    ['a,c', 'a,unknownFutureValue', 'a,c'],
    ['c,d', 'unknownFutureValue', 'c,d'],
    ['a,c,d', 'a,unknownFutureValue', 'a,c,d'],
    ['b', 'b', 'b'],
  ];
  for (const [stored, hidden, shown] of cases) {
    test(`${stored} → ${hidden} (or ${shown} with the preference)`, () => {
      assert.equal(serializeEntity(small, thing, { id: 'x', proto: stored }, hide).proto, hidden);
      assert.equal(serializeEntity(small, thing, { id: 'x', proto: stored }, show).proto, shown);
    });
  }

  test('collections of flags values', () => {
    assert.deepEqual(serializeEntity(small, thing, { id: 'x', protos: ['a', 'a,d'] }, hide).protos, [
      'a',
      'a,unknownFutureValue',
    ]);
  });
});

describe('serializeEntity: $select', () => {
  const entity = { id: 'c1', externalIp: '1.2.3.4', machineName: 'm', status: 'active', version: '1.5' };

  test('keeps only the selected properties, plus id, in model order', () => {
    const out = serializeEntity(model, type('graph.connector'), entity, { ...hide, select: ['status', 'machineName'] });
    assert.deepEqual(out, { id: 'c1', machineName: 'm', status: 'active' });
    assert.deepEqual(Object.keys(out), ['id', 'machineName', 'status']);
  });

  test('selecting id alone gives id alone', () => {
    assert.deepEqual(serializeEntity(model, type('graph.connector'), entity, { ...hide, select: ['id'] }), {
      id: 'c1',
    });
  });

  test('selected enum values are still hidden when evolvable', () => {
    const out = serializeEntity(
      model,
      type('graph.onPremisesAgentGroup'),
      { id: 'g', displayName: 'G', publishingType: 'privateAccess' },
      { ...hide, select: ['publishingType'] },
    );
    assert.deepEqual(out, { id: 'g', publishingType: 'unknownFutureValue' });
  });
});
