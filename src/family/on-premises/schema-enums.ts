import type { EnumTypeDecl } from '../../model/edm.js';

/**
 * The enum types of the on-premises publishing family, transcribed from Microsoft's beta CSDL
 * (test/fixtures/onprem-family.csdl.xml) with its member order and values. Values outside these
 * lists that real tenants return (region `japan`, group type `syncFabric`) are deliberately absent:
 * the schema, not field reports, defines what `$metadata` declares.
 */
export const familyEnumTypes: EnumTypeDecl[] = [
  {
    kind: 'enum',
    name: 'actionType',
    members: [
      { name: 'tunnel', value: 0 },
      { name: 'exclude', value: 1 },
      { name: 'unknownFutureValue', value: 2 },
    ],
  },
  {
    kind: 'enum',
    name: 'agentStatus',
    members: [
      { name: 'active', value: 0 },
      { name: 'inactive', value: 1 },
    ],
  },
  {
    kind: 'enum',
    name: 'connectorGroupRegion',
    members: [
      { name: 'nam', value: 0 },
      { name: 'eur', value: 1 },
      { name: 'aus', value: 2 },
      { name: 'asia', value: 3 },
      { name: 'ind', value: 4 },
      { name: 'unknownFutureValue', value: 5 },
    ],
  },
  {
    kind: 'enum',
    name: 'connectorGroupType',
    members: [{ name: 'applicationProxy', value: 0 }],
  },
  {
    kind: 'enum',
    name: 'connectorStatus',
    members: [
      { name: 'active', value: 0 },
      { name: 'inactive', value: 1 },
    ],
  },
  {
    kind: 'enum',
    name: 'externalAuthenticationType',
    members: [
      { name: 'passthru', value: 0 },
      { name: 'aadPreAuthentication', value: 1 },
    ],
  },
  {
    kind: 'enum',
    name: 'kerberosSignOnMappingAttributeType',
    members: [
      { name: 'userPrincipalName', value: 0 },
      { name: 'onPremisesUserPrincipalName', value: 1 },
      { name: 'userPrincipalUsername', value: 2 },
      { name: 'onPremisesUserPrincipalUsername', value: 3 },
      { name: 'onPremisesSAMAccountName', value: 4 },
    ],
  },
  {
    kind: 'enum',
    name: 'onPremisesPublishingType',
    members: [
      { name: 'applicationProxy', value: 0 },
      { name: 'exchangeOnline', value: 1 },
      { name: 'authentication', value: 2 },
      { name: 'provisioning', value: 3 },
      { name: 'intunePfx', value: 4 },
      // Misspelt (one "f") in Microsoft's schema; clients send it that way.
      { name: 'oflineDomainJoin', value: 5 },
      { name: 'unknownFutureValue', value: 6 },
      // After the sentinel: evolvable, hidden unless the client opts in (Prefer: include-unknown-enum-members).
      { name: 'privateAccess', value: 7 },
    ],
  },
  {
    kind: 'enum',
    name: 'privateNetworkDestinationType',
    members: [
      { name: 'ipAddress', value: 0 },
      { name: 'ipRange', value: 1 },
      { name: 'ipRangeCidr', value: 2 },
      { name: 'fqdn', value: 3 },
      { name: 'dnsSuffix', value: 4 },
      { name: 'unknownFutureValue', value: 5 },
      // After the sentinel: evolvable, like privateAccess above.
      { name: 'servicePrincipalName', value: 6 },
    ],
  },
  {
    kind: 'enum',
    name: 'privateNetworkProtocol',
    isFlags: true,
    members: [
      { name: 'tcp', value: 1 },
      { name: 'udp', value: 2 },
      { name: 'unknownFutureValue', value: 4 },
    ],
  },
  {
    kind: 'enum',
    name: 'sensorStatus',
    members: [
      { name: 'active', value: 0 },
      { name: 'inactive', value: 1 },
      { name: 'unknownFutureValue', value: 2 },
    ],
  },
  {
    kind: 'enum',
    name: 'singleSignOnMode',
    members: [
      { name: 'none', value: 0 },
      { name: 'onPremisesKerberos', value: 1 },
      // No member has value 2 in Microsoft's schema.
      { name: 'saml', value: 3 },
      { name: 'pingHeaderBased', value: 4 },
      { name: 'aadHeaderBased', value: 5 },
      { name: 'oAuthToken', value: 6 },
      { name: 'unknownFutureValue', value: 7 },
    ],
  },
  {
    kind: 'enum',
    name: 'trafficRoutingMethod',
    members: [
      { name: 'none', value: 0 },
      { name: 'random', value: 1 },
      { name: 'sessionPersistence', value: 2 },
      { name: 'performance', value: 3 },
      { name: 'unknownFutureValue', value: 4 },
    ],
  },
];
