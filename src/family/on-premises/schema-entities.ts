import type { EntityTypeDecl } from '../../model/edm.js';

/**
 * The entity types of the on-premises publishing family, transcribed from Microsoft's beta CSDL
 * (test/fixtures/onprem-family.csdl.xml) in its order, with its names, types and facets, so that
 * `$metadata` matches the real one. `readOnly` marks what the Graph docs call read-only.
 */
export const familyEntityTypes: EntityTypeDecl[] = [
  {
    kind: 'entity',
    name: 'entity',
    abstract: true,
    key: ['id'],
    properties: [{ name: 'id', type: 'Edm.String', nullable: false, readOnly: true }],
  },
  {
    kind: 'entity',
    name: 'onPremisesPublishingProfile',
    baseType: 'graph.entity',
    properties: [
      { name: 'hybridAgentUpdaterConfiguration', type: 'graph.hybridAgentUpdaterConfiguration' },
      { name: 'isDefaultAccessEnabled', type: 'Edm.Boolean' },
      { name: 'isEnabled', type: 'Edm.Boolean' },
    ],
    navigations: [
      { name: 'agentGroups', type: 'Collection(graph.onPremisesAgentGroup)', containsTarget: true },
      { name: 'agents', type: 'Collection(graph.onPremisesAgent)', containsTarget: true },
      // Not contained, unlike its siblings: segments belong to applications and are only listed here.
      { name: 'applicationSegments', type: 'Collection(graph.ipApplicationSegment)' },
      { name: 'connectorGroups', type: 'Collection(graph.connectorGroup)', containsTarget: true },
      { name: 'connectors', type: 'Collection(graph.connector)', containsTarget: true },
      { name: 'publishedResources', type: 'Collection(graph.publishedResource)', containsTarget: true },
      { name: 'sensors', type: 'Collection(graph.privateAccessSensor)', containsTarget: true },
    ],
  },
  {
    kind: 'entity',
    name: 'connector',
    baseType: 'graph.entity',
    properties: [
      { name: 'externalIp', type: 'Edm.String', nullable: false, readOnly: true },
      // Unlike its siblings, the docs do not call machineName read-only.
      { name: 'machineName', type: 'Edm.String', nullable: false },
      { name: 'status', type: 'graph.connectorStatus', nullable: false, readOnly: true },
      { name: 'version', type: 'Edm.String', nullable: false, readOnly: true },
    ],
    navigations: [{ name: 'memberOf', type: 'Collection(graph.connectorGroup)' }],
  },
  {
    kind: 'entity',
    name: 'connectorGroup',
    baseType: 'graph.entity',
    properties: [
      { name: 'connectorGroupType', type: 'graph.connectorGroupType', nullable: false, readOnly: true },
      { name: 'isDefault', type: 'Edm.Boolean', nullable: false, readOnly: true },
      { name: 'name', type: 'Edm.String', nullable: false },
      { name: 'region', type: 'graph.connectorGroupRegion' },
    ],
    navigations: [
      { name: 'applications', type: 'Collection(graph.application)' },
      { name: 'members', type: 'Collection(graph.connector)' },
    ],
  },
  {
    kind: 'entity',
    name: 'onPremisesAgent',
    baseType: 'graph.entity',
    properties: [
      { name: 'externalIp', type: 'Edm.String', nullable: false, readOnly: true },
      { name: 'machineName', type: 'Edm.String', nullable: false, readOnly: true },
      { name: 'status', type: 'graph.agentStatus', nullable: false },
      { name: 'supportedPublishingTypes', type: 'Collection(graph.onPremisesPublishingType)', nullable: false },
    ],
    navigations: [{ name: 'agentGroups', type: 'Collection(graph.onPremisesAgentGroup)' }],
  },
  {
    kind: 'entity',
    name: 'onPremisesAgentGroup',
    baseType: 'graph.entity',
    properties: [
      { name: 'displayName', type: 'Edm.String', nullable: false },
      // The docs say "system-set" here, not read-only, so isDefault stays writable.
      { name: 'isDefault', type: 'Edm.Boolean', nullable: false },
      { name: 'publishingType', type: 'graph.onPremisesPublishingType', nullable: false },
    ],
    navigations: [
      { name: 'agents', type: 'Collection(graph.onPremisesAgent)' },
      { name: 'publishedResources', type: 'Collection(graph.publishedResource)' },
    ],
  },
  {
    kind: 'entity',
    name: 'publishedResource',
    baseType: 'graph.entity',
    properties: [
      { name: 'displayName', type: 'Edm.String' },
      { name: 'publishingType', type: 'graph.onPremisesPublishingType', nullable: false },
      { name: 'resourceName', type: 'Edm.String' },
    ],
    navigations: [{ name: 'agentGroups', type: 'Collection(graph.onPremisesAgentGroup)' }],
  },
  {
    kind: 'entity',
    name: 'privateAccessSensor',
    baseType: 'graph.entity',
    // The sensor docs have no read-only column, so nothing beyond the inherited id is marked.
    properties: [
      { name: 'externalIp', type: 'Edm.String', nullable: false },
      { name: 'isAuditMode', type: 'Edm.Boolean' },
      { name: 'isBreakglassEnabled', type: 'Edm.Boolean', nullable: false },
      { name: 'machineName', type: 'Edm.String', nullable: false },
      { name: 'status', type: 'graph.sensorStatus', nullable: false },
      { name: 'version', type: 'Edm.String', nullable: false },
    ],
  },
  { kind: 'entity', name: 'applicationSegment', baseType: 'graph.entity', abstract: true, properties: [] },
  {
    kind: 'entity',
    name: 'ipApplicationSegment',
    baseType: 'graph.applicationSegment',
    properties: [
      { name: 'action', type: 'graph.actionType', nullable: false },
      { name: 'destinationHost', type: 'Edm.String' },
      { name: 'destinationType', type: 'graph.privateNetworkDestinationType' },
      { name: 'port', type: 'Edm.Int32' },
      { name: 'ports', type: 'Collection(Edm.String)' },
      { name: 'protocol', type: 'graph.privateNetworkProtocol' },
    ],
    navigations: [{ name: 'application', type: 'graph.application' }],
  },
  {
    kind: 'entity',
    name: 'webApplicationSegment',
    baseType: 'graph.applicationSegment',
    properties: [
      { name: 'alternateUrl', type: 'Edm.String' },
      { name: 'externalUrl', type: 'Edm.String' },
      { name: 'internalUrl', type: 'Edm.String' },
    ],
    navigations: [{ name: 'corsConfigurations', type: 'Collection(graph.corsConfiguration_v2)', containsTarget: true }],
  },
  {
    kind: 'entity',
    name: 'corsConfiguration_v2',
    baseType: 'graph.entity',
    properties: [
      { name: 'allowedHeaders', type: 'Collection(Edm.String)' },
      { name: 'allowedMethods', type: 'Collection(Edm.String)' },
      { name: 'allowedOrigins', type: 'Collection(Edm.String)' },
      { name: 'maxAgeInSeconds', type: 'Edm.Int32' },
      { name: 'resource', type: 'Edm.String', nullable: false },
    ],
  },
];
