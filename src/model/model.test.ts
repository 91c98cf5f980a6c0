import { test } from 'node:test';
import assert from 'node:assert/strict';
import { family } from '../family/on-premises/schema.js';
import { isNavigation, Model } from './model.js';

const model = new Model(family);

test('derived types inherit properties from their bases', () => {
  const segment = model.structured('graph.ipApplicationSegment');
  assert.equal(segment.base?.qualifiedName, 'microsoft.graph.applicationSegment');
  assert.equal(segment.base?.base?.qualifiedName, 'microsoft.graph.entity');
  const id = segment.properties.get('id');
  assert.ok(id);
  assert.deepEqual(id.type, { collection: false, name: 'Edm.String', kind: 'primitive' });
  assert.equal(id.nullable, false);
  assert.equal(id.readOnly, true);
  assert.deepEqual([...segment.properties.keys()].slice(0, 2), ['id', 'action']);
  assert.ok(model.structured('graph.applicationSegment').abstract);
  assert.ok(model.structured('graph.entity').isAssignableFrom(segment));
});

test('application reaches entity through directoryObject', () => {
  const application = model.structured('microsoft.graph.application');
  assert.deepEqual([...application.properties.keys()].slice(0, 3), ['id', 'deletedDateTime', 'appId']);
  assert.ok(application.openType);
  assert.equal(application.properties.get('appId')?.readOnly, true);
  assert.equal(application.properties.get('createdDateTime')?.readOnly, true);
  assert.equal(application.properties.get('displayName')?.readOnly, false);
});

test('wafAllowedHeadersDictionary derives from the declared open Dictionary', () => {
  const waf = model.structured('graph.wafAllowedHeadersDictionary');
  assert.equal(waf.base?.qualifiedName, 'microsoft.graph.Dictionary');
  assert.ok(waf.openType);
});

test('type references resolve to their kind, collection-ness and qualified name', () => {
  assert.deepEqual(model.typeRef('Collection(graph.connectorGroup)'), {
    collection: true,
    name: 'microsoft.graph.connectorGroup',
    kind: 'entity',
  });
  assert.deepEqual(model.typeRef('graph.connectorStatus'), {
    collection: false,
    name: 'microsoft.graph.connectorStatus',
    kind: 'enum',
  });
  assert.deepEqual(model.typeRef('microsoft.graph.updateWindow'), {
    collection: false,
    name: 'microsoft.graph.updateWindow',
    kind: 'complex',
  });
  assert.deepEqual(model.typeRef('Collection(Edm.String)'), {
    collection: true,
    name: 'Edm.String',
    kind: 'primitive',
  });
  assert.throws(() => model.typeRef('graph.noSuchType'), /unknown type/);

  const agent = model.structured('graph.onPremisesAgent');
  assert.deepEqual(agent.properties.get('supportedPublishingTypes')?.type, {
    collection: true,
    name: 'microsoft.graph.onPremisesPublishingType',
    kind: 'enum',
  });
});

test('every type reference in the family resolves', () => {
  for (const type of model.structuredTypes.values()) {
    for (const p of type.properties.values()) assert.ok(p.type.name, `${type.name}.${p.name}`);
    for (const n of type.navigations.values()) assert.equal(n.type.kind, 'entity', `${type.name}.${n.name}`);
  }
});

test('EnumType.parse ignores case and canonicalises flags', () => {
  const status = model.enumType('graph.agentStatus');
  assert.equal(status.parse('Active'), 'active');
  assert.equal(status.parse('INACTIVE'), 'inactive');
  assert.equal(status.parse('String'), undefined);
  assert.equal(status.parse(''), undefined);

  const protocol = model.enumType('graph.privateNetworkProtocol');
  assert.ok(protocol.isFlags);
  assert.equal(protocol.parse('tcp, udp'), 'tcp,udp');
  assert.equal(protocol.parse('UDP,tcp'), 'tcp,udp');
  assert.equal(protocol.parse('tcp'), 'tcp');
  assert.equal(protocol.parse('tcp, String'), undefined);
  assert.equal(protocol.parse('String'), undefined);

  assert.equal(model.enumType('graph.onPremisesPublishingType').parse('oflineDomainJoin'), 'oflineDomainJoin');
});

test('members after unknownFutureValue are evolvable', () => {
  assert.deepEqual(model.enumType('graph.onPremisesPublishingType').evolvableMembers, new Set(['privateAccess']));
  assert.deepEqual(
    model.enumType('graph.privateNetworkDestinationType').evolvableMembers,
    new Set(['servicePrincipalName']),
  );
  assert.deepEqual(model.enumType('graph.sensorStatus').evolvableMembers, new Set());
  assert.deepEqual(model.enumType('graph.connectorStatus').evolvableMembers, new Set());
});

test('entity sets are found ignoring case', () => {
  assert.equal(model.findEntitySet('onPremisesPublishingProfiles')?.type.name, 'onPremisesPublishingProfile');
  assert.equal(model.findEntitySet('ONPREMISESPUBLISHINGPROFILES')?.name, 'onPremisesPublishingProfiles');
  assert.equal(model.findEntitySet('Applications')?.type.name, 'application');
  assert.equal(model.findEntitySet('connectors'), undefined);
  assert.deepEqual([...model.entitySets.keys()], ['onPremisesPublishingProfiles', 'applications']);
});

test('member() finds properties and navigations ignoring case', () => {
  const group = model.structured('graph.connectorGroup');
  const isDefault = group.member('ISDEFAULT');
  assert.ok(isDefault && !isNavigation(isDefault));
  assert.equal(isDefault.name, 'isDefault');
  const members = group.member('Members');
  assert.ok(members && isNavigation(members));
  assert.equal(members.name, 'members');
  assert.equal(group.member('Id')?.name, 'id');
  assert.equal(group.member('nope'), undefined);
});

test('navigations know whether they contain their targets', () => {
  const profile = model.structured('graph.onPremisesPublishingProfile');
  const connectors = profile.navigations.get('connectors');
  assert.ok(connectors);
  assert.equal(connectors.containsTarget, true);
  assert.deepEqual(connectors.type, { collection: true, name: 'microsoft.graph.connector', kind: 'entity' });
  assert.equal(profile.navigations.get('applicationSegments')?.containsTarget, false);
  assert.equal(model.structured('graph.connector').navigations.get('memberOf')?.containsTarget, false);
  assert.equal(model.structured('graph.application').navigations.get('connectorGroup')?.type.collection, false);
});

test('findStructuredType accepts cast segments and @odata.type values', () => {
  assert.equal(model.findStructuredType('#microsoft.graph.iPv4CidrRange')?.name, 'iPv4CidrRange');
  assert.equal(model.findStructuredType('microsoft.graph.ipv4cidrrange')?.name, 'iPv4CidrRange');
  assert.deepEqual(
    model
      .structured('graph.ipRange')
      .selfAndDerived()
      .map((t) => t.name),
    ['ipRange', 'iPv4CidrRange', 'iPv6CidrRange', 'iPv4Range', 'iPv6Range'],
  );
});
