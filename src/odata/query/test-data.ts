import type { Entity, Scope } from '../../store/store.js';
import type { TableMapping } from '../../store/table.js';
import { OTHER_TENANT, tables, TENANT } from './test-fixtures.js';

/**
 * Test data shared by the query tests (and usable by ad-hoc checks against other databases):
 * rows for every table of the family, filters with the rows they must match, and the data and
 * orderings of the keyset walks. Data only; nothing here runs at import.
 */

export type Insert = (
  table: TableMapping,
  scope: Scope,
  entity: Entity,
  hidden?: Record<string, unknown>,
) => Promise<void>;

export type FilterKey =
  | 'connectors'
  | 'connectorGroups'
  | 'agents'
  | 'applications'
  | 'ipApplicationSegments'
  | 'profiles'
  | 'sensors';

export const filterScopes: Record<FilterKey, Scope> = {
  connectors: { tenantId: TENANT },
  connectorGroups: { tenantId: TENANT },
  agents: { tenantId: TENANT, parents: ['provisioning'] },
  applications: { tenantId: TENANT },
  ipApplicationSegments: { tenantId: TENANT, parents: ['app1'] },
  profiles: { tenantId: TENANT },
  sensors: { tenantId: TENANT },
};

export const filterFixtures: Record<FilterKey, Entity[]> = {
  connectorGroups: [
    { id: 'g1', connectorGroupType: 'applicationProxy', isDefault: true, name: 'Default', region: 'nam' },
    { id: 'g2', connectorGroupType: 'applicationProxy', isDefault: false, name: 'Europe', region: null },
    { id: 'g3', connectorGroupType: 'applicationProxy', isDefault: false, name: 'asia pacific', region: 'asia' },
  ],
  connectors: [
    { id: 'c1', externalIp: '10.0.0.1', machineName: 'connectorA', status: 'active', version: '1.5.1' },
    { id: 'c2', externalIp: '10.0.0.2', machineName: 'CONNECTORB', status: 'inactive', version: '1.5.2' },
    { id: 'c3', externalIp: '10.0.0.3', machineName: 'web_01', status: 'active', version: '2.0' },
    { id: 'c4', externalIp: '10.0.0.4', machineName: 'web%01', status: 'inactive', version: '2.0' },
    { id: 'c5', externalIp: '10.0.0.5', machineName: "o'neil", status: 'active', version: '10.1' },
    { id: 'c6', externalIp: '10.0.0.6', machineName: 'webX01', status: 'active', version: '9' },
    { id: 'c7', externalIp: '10.0.0.7', machineName: 'back\\slash', status: 'inactive', version: '1' },
    { id: 'C8', externalIp: '10.0.0.8', machineName: 'Émile', status: 'active', version: '1' },
  ],
  agents: [
    {
      id: 'a1',
      externalIp: '1.1.1.1',
      machineName: 'agent1',
      status: 'active',
      supportedPublishingTypes: ['provisioning'],
    },
    {
      id: 'a2',
      externalIp: '1.1.1.2',
      machineName: 'agent2',
      status: 'inactive',
      supportedPublishingTypes: ['applicationProxy', 'provisioning'],
    },
    { id: 'a3', externalIp: '1.1.1.3', machineName: 'agent3', status: 'active', supportedPublishingTypes: [] },
    {
      id: 'a4',
      externalIp: '1.1.1.4',
      machineName: 'agent4',
      status: 'active',
      supportedPublishingTypes: ['authentication'],
    },
  ],
  applications: [
    {
      id: 'app1',
      appId: 'appid-1',
      displayName: 'Contoso HR',
      createdDateTime: '2024-01-01T00:00:00Z',
      tags: ['hr', 'prod'],
      identifierUris: [],
      onPremisesPublishing: {
        externalUrl: 'https://x',
        internalUrl: 'http://hr',
        isSecureCookieEnabled: true,
        externalAuthenticationType: 'aadPreAuthentication',
        trafficRoutingMethod: 'none',
        singleSignOnSettings: {
          singleSignOnMode: 'onPremisesKerberos',
          kerberosSignOnSettings: { kerberosServicePrincipalName: 'HTTP/hr' },
        },
        onPremisesApplicationSegments: [
          {
            externalUrl: 'https://seg',
            corsConfigurations: [{ allowedOrigins: ['https://a.example', 'https://b.example'], maxAgeInSeconds: 60 }],
          },
        ],
      },
      web: {
        redirectUris: ['https://x/cb'],
        redirectUriSettings: [
          { uri: 'https://x/cb', index: 1 },
          { uri: 'https://x/cb2', index: null },
        ],
      },
    },
    {
      id: 'app2',
      appId: 'appid-2',
      displayName: 'contoso Wiki',
      createdDateTime: '2024-01-01T00:00:00.5Z',
      tags: [],
      identifierUris: ['api://wiki'],
      onPremisesPublishing: {
        externalUrl: 'https://Y',
        isSecureCookieEnabled: false,
        externalAuthenticationType: 'passthru',
        trafficRoutingMethod: 'none',
      },
      web: null,
    },
    {
      id: 'app3',
      appId: 'appid-3',
      displayName: null,
      createdDateTime: null,
      tags: ['prod'],
      identifierUris: [],
      onPremisesPublishing: null,
      web: { redirectUris: [], redirectUriSettings: [] },
    },
    {
      id: 'app4',
      appId: 'appid-4',
      displayName: 'Fabrikam',
      createdDateTime: '2023-12-31T23:59:59Z',
      tags: ['PROD'],
      identifierUris: [],
      onPremisesPublishing: { externalUrl: null, trafficRoutingMethod: 'random', singleSignOnSettings: null },
      web: { redirectUris: [], redirectUriSettings: [{ uri: 'https://z', index: 3 }] },
    },
  ],
  ipApplicationSegments: [
    {
      id: 's1',
      action: 'tunnel',
      destinationHost: 'a.contoso.com',
      destinationType: 'fqdn',
      port: 443,
      ports: ['443', '8443'],
      protocol: 'tcp',
    },
    {
      id: 's2',
      action: 'exclude',
      destinationHost: '10.0.0.0',
      destinationType: 'ipAddress',
      port: null,
      ports: ['80'],
      protocol: 'tcp,udp',
    },
    { id: 's3', action: 'tunnel', destinationHost: null, destinationType: null, port: 22, ports: null, protocol: null },
    {
      id: 's4',
      action: 'tunnel',
      destinationHost: 'b.contoso.com',
      destinationType: 'fqdn',
      port: 0,
      ports: [],
      protocol: 'udp',
    },
  ],
  profiles: [
    {
      id: 'p1',
      isEnabled: true,
      isDefaultAccessEnabled: null,
      hybridAgentUpdaterConfiguration: {
        allowUpdateConfigurationOverride: true,
        deferUpdateDateTime: '2024-05-01T00:00:00Z',
        updateWindow: { updateWindowStartTime: '10:00:00.0000000', updateWindowEndTime: '12:00:00.0000000' },
      },
    },
    { id: 'p2', isEnabled: false, isDefaultAccessEnabled: true, hybridAgentUpdaterConfiguration: null },
    {
      id: 'p3',
      isEnabled: null,
      isDefaultAccessEnabled: false,
      hybridAgentUpdaterConfiguration: { allowUpdateConfigurationOverride: false, updateWindow: null },
    },
  ],
  sensors: [
    {
      id: 's1',
      externalIp: '2.2.2.1',
      isAuditMode: true,
      isBreakglassEnabled: false,
      machineName: 'sensor1',
      status: 'active',
      version: '1',
    },
    {
      id: 's2',
      externalIp: '2.2.2.2',
      isAuditMode: false,
      isBreakglassEnabled: true,
      machineName: 'sensor2',
      status: 'inactive',
      version: '1',
    },
    {
      id: 's3',
      externalIp: '2.2.2.3',
      isAuditMode: null,
      isBreakglassEnabled: false,
      machineName: 'sensor3',
      status: 'unknownFutureValue',
      version: '1',
    },
  ],
};

/** Filters with the ids they must match among {@link filterFixtures}, in id order. */
export const filterCases: [FilterKey, string, string[]][] = [
  // case-insensitive strings
  ['connectors', "machineName eq 'CONNECTORA'", ['c1']],
  ['connectors', "machineName eq 'connectorb'", ['c2']],
  ['connectors', "MACHINENAME EQ 'connectorA'", ['c1']],
  ['connectors', "'connectora' eq machineName", ['c1']],
  ['connectors', "machineName ne 'connectorA'", ['C8', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7']],
  ['connectors', "machineName in ('CONNECTORA', 'connectorB', 'nobody')", ['c1', 'c2']],
  ['connectors', "machineName eq 'o''neil'", ['c5']],
  ['connectors', "machineName eq 'émile'", []],
  ['connectors', "machineName eq 'Émile'", ['C8']],
  ['connectors', "id eq 'c8'", ['C8']],
  ['connectors', "id in ('C1', 'c2')", ['c1', 'c2']],
  ['connectors', "machineName eq '''; DROP TABLE connectors; --'", []],
  // string functions, with LIKE wildcards escaped
  ['connectors', "startswith(machineName,'conn')", ['c1', 'c2']],
  ['connectors', "startswith(machineName,'CONN')", ['c1', 'c2']],
  ['connectors', "startswith(machineName,'web_')", ['c3']],
  ['connectors', "startswith(machineName,'web%')", ['c4']],
  ['connectors', "startswith(machineName,'web')", ['c3', 'c4', 'c6']],
  ['connectors', "contains(machineName,'\\')", ['c7']],
  ['connectors', "contains(machineName,'k\\s')", ['c7']],
  ['connectors', "endswith(machineName,'A')", ['c1']],
  ['connectors', "endswith(machineName,'_01')", ['c3']],
  ['connectors', "contains(machineName,'nect')", ['c1', 'c2']],
  ['connectors', "contains(machineName,'')", ['C8', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7']],
  ['connectors', "not startswith(machineName,'web')", ['C8', 'c1', 'c2', 'c5', 'c7']],
  ['connectors', "startswith(tolower(machineName),'conn')", ['c1', 'c2']],
  ['connectors', "toupper(machineName) eq 'CONNECTORA'", ['c1']],
  ['connectors', "startswith(machineName,'conn') eq false", ['C8', 'c3', 'c4', 'c5', 'c6', 'c7']],
  // ordering operators on strings, case-insensitive
  ['connectors', "machineName lt 'connectorb'", ['c1', 'c7']],
  ['connectors', "machineName ge 'WEB'", ['C8', 'c3', 'c4', 'c6']],
  ['connectors', "version gt '2'", ['c3', 'c4', 'c6']],
  // enums
  ['connectors', "status eq 'Active'", ['C8', 'c1', 'c3', 'c5', 'c6']],
  ['connectors', "status eq microsoft.graph.connectorStatus'inactive'", ['c2', 'c4', 'c7']],
  ['connectors', "status ne 'active'", ['c2', 'c4', 'c7']],
  ['connectors', "status in ('inactive')", ['c2', 'c4', 'c7']],
  ['connectors', "status eq 'active' and startswith(machineName, 'web')", ['c3', 'c6']],
  [
    'connectors',
    "status eq 'active' and (startswith(machineName, 'web') or machineName eq 'connectora')",
    ['c1', 'c3', 'c6'],
  ],
  ['connectors', 'true', ['C8', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7']],
  ['connectors', 'false', []],
  ['connectors', 'not true or false', []],
  // booleans and null semantics on columns
  ['connectorGroups', 'isDefault eq true', ['g1']],
  ['connectorGroups', 'isDefault', ['g1']],
  ['connectorGroups', 'not isDefault', ['g2', 'g3']],
  ['connectorGroups', 'isDefault ne true', ['g2', 'g3']],
  ['connectorGroups', 'region eq null', ['g2']],
  ['connectorGroups', 'region ne null', ['g1', 'g3']],
  ['connectorGroups', "region eq 'NAM'", ['g1']],
  ['connectorGroups', "region ne 'nam'", ['g2', 'g3']],
  ['connectorGroups', "not (region eq 'nam')", ['g2', 'g3']],
  ['connectorGroups', "not (region ne 'nam')", ['g1']],
  ['connectorGroups', "not not (region eq 'nam')", ['g1']],
  ['connectorGroups', "region in ('nam', null)", ['g1', 'g2']],
  ['connectorGroups', "not (region in ('nam', 'asia'))", ['g2']],
  ['connectorGroups', "not (region in ('nam', null))", ['g3']],
  ['connectorGroups', "name eq 'ASIA PACIFIC'", ['g3']],
  ['connectorGroups', "contains(name, ' ')", ['g3']],
  // lambdas over a collection of enums
  ['agents', "supportedPublishingTypes/any(t: t eq 'provisioning')", ['a1', 'a2']],
  ['agents', "supportedPublishingTypes/any(t: t eq 'PROVISIONING')", ['a1', 'a2']],
  ['agents', "supportedPublishingTypes/any(t: t ne 'provisioning')", ['a2', 'a4']],
  ['agents', "supportedPublishingTypes/all(t: t eq 'provisioning')", ['a1', 'a3']],
  ['agents', "supportedPublishingTypes/all(t: t ne 'provisioning')", ['a3', 'a4']],
  ['agents', "not supportedPublishingTypes/any(t: t eq 'provisioning')", ['a3', 'a4']],
  ['agents', 'supportedPublishingTypes/any()', ['a1', 'a2', 'a4']],
  ['agents', 'not supportedPublishingTypes/any()', ['a3']],
  ['agents', "supportedPublishingTypes/any(t: t in ('authentication', 'applicationProxy'))", ['a2', 'a4']],
  ['agents', "supportedPublishingTypes/any(t: t eq 'provisioning' and machineName eq 'AGENT2')", ['a2']],
  ['agents', "supportedPublishingTypes/any(t: t eq 'provisioning' and $it/status eq 'active')", ['a1']],
  ['agents', 'supportedPublishingTypes/$count eq 2', ['a2']],
  ['agents', 'supportedPublishingTypes/$count lt 1', ['a3']],
  ['agents', "status eq 'inactive' or supportedPublishingTypes/$count eq 0", ['a2', 'a3']],
  // JSON paths into application.onPremisesPublishing
  ['applications', 'onPremisesPublishing/isSecureCookieEnabled eq true', ['app1']],
  ['applications', 'onPremisesPublishing/isSecureCookieEnabled', ['app1']],
  ['applications', 'onPremisesPublishing/isSecureCookieEnabled eq false', ['app2']],
  ['applications', 'onPremisesPublishing/isSecureCookieEnabled ne true', ['app2', 'app3', 'app4']],
  ['applications', 'not (onPremisesPublishing/isSecureCookieEnabled eq true)', ['app2', 'app3', 'app4']],
  ['applications', 'onPremisesPublishing/isSecureCookieEnabled eq null', ['app3', 'app4']],
  ['applications', "onPremisesPublishing/externalUrl eq 'https://x'", ['app1']],
  ['applications', "onPremisesPublishing/externalUrl eq 'HTTPS://y'", ['app2']],
  ['applications', "onPremisesPublishing/externalUrl ne 'https://x'", ['app2', 'app3', 'app4']],
  ['applications', 'onPremisesPublishing/externalUrl eq null', ['app3', 'app4']],
  ['applications', "startswith(onPremisesPublishing/externalUrl, 'https://')", ['app1', 'app2']],
  ['applications', "not startswith(onPremisesPublishing/externalUrl, 'https://x')", ['app2', 'app3', 'app4']],
  ['applications', 'onPremisesPublishing eq null', ['app3']],
  ['applications', 'onPremisesPublishing ne null', ['app1', 'app2', 'app4']],
  ['applications', "onPremisesPublishing/externalAuthenticationType eq 'aadPreAuthentication'", ['app1']],
  ['applications', "onPremisesPublishing/trafficRoutingMethod in ('random')", ['app4']],
  ['applications', "onPremisesPublishing/singleSignOnSettings/singleSignOnMode eq 'onPremisesKerberos'", ['app1']],
  [
    'applications',
    "onPremisesPublishing/singleSignOnSettings/kerberosSignOnSettings/kerberosServicePrincipalName eq 'http/HR'",
    ['app1'],
  ],
  [
    'applications',
    "onPremisesPublishing/singleSignOnSettings/singleSignOnMode ne 'onPremisesKerberos'",
    ['app2', 'app3', 'app4'],
  ],
  ['applications', 'onPremisesPublishing/singleSignOnSettings eq null', ['app2', 'app3', 'app4']],
  // date-times compare as instants, whatever the stored fraction or the literal's offset
  ['applications', 'createdDateTime ge 2024-01-01T00:00:00Z', ['app1', 'app2']],
  ['applications', 'createdDateTime gt 2024-01-01T00:00:00Z', ['app2']],
  ['applications', 'createdDateTime lt 2024-01-01T00:00:00.1Z', ['app1', 'app4']],
  ['applications', 'createdDateTime eq 2024-01-01T01:00:00+01:00', ['app1']],
  ['applications', 'createdDateTime eq 2024-01-01T00:00:00.500Z', ['app2']],
  ['applications', 'createdDateTime ge 2024-01-01', ['app1', 'app2']],
  ['applications', 'createdDateTime ne 2024-01-01T00:00:00Z', ['app2', 'app3', 'app4']],
  ['applications', 'createdDateTime eq null', ['app3']],
  ['applications', 'not (createdDateTime lt 2024-01-01T00:00:00Z)', ['app1', 'app2', 'app3']],
  // collections of strings and of complex values, nested
  ['applications', "tags/any(t: t eq 'PROD')", ['app1', 'app3', 'app4']],
  ['applications', "tags/any(t: t eq 'hr') and tags/any(t: t eq 'prod')", ['app1']],
  ['applications', "tags/all(t: t ne 'hr')", ['app2', 'app3', 'app4']],
  ['applications', 'tags/$count eq 0', ['app2']],
  ['applications', "identifierUris/any(u: startswith(u, 'api://'))", ['app2']],
  ['applications', "web/redirectUris/any(u: u eq 'https://X/cb')", ['app1']],
  ['applications', 'web/redirectUriSettings/any(r: r/index eq 1)', ['app1']],
  ['applications', 'web/redirectUriSettings/any(r: r/index gt 1)', ['app4']],
  ['applications', 'web/redirectUriSettings/any(r: r/index eq null)', ['app1']],
  ['applications', 'web/redirectUriSettings/all(r: r/index ge 1)', ['app2', 'app3', 'app4']],
  ['applications', 'web/redirectUriSettings/all(r: not (r/index lt 2))', ['app2', 'app3', 'app4']],
  ['applications', "web/redirectUriSettings/any(r: r/uri eq 'https://x/cb2' and r/index eq null)", ['app1']],
  ['applications', 'web/redirectUriSettings/$count ge 1', ['app1', 'app4']],
  ['applications', 'web/redirectUriSettings/any()', ['app1', 'app4']],
  [
    'applications',
    "onPremisesPublishing/onPremisesApplicationSegments/any(s: s/corsConfigurations/any(c: c/allowedOrigins/any(o: o eq 'https://b.example')))",
    ['app1'],
  ],
  [
    'applications',
    'onPremisesPublishing/onPremisesApplicationSegments/any(s: s/corsConfigurations/any(c: c/maxAgeInSeconds ge 60))',
    ['app1'],
  ],
  ['applications', "startswith(displayName, 'contoso')", ['app1', 'app2']],
  ['applications', "displayName ne 'fabrikam'", ['app1', 'app2', 'app3']],
  ['applications', "displayName gt 'CONTOSO WIKI'", ['app4']],
  // integers, flags enums, null ports
  ['ipApplicationSegments', "ports/any(p: startswith(p,'44'))", ['s1']],
  ['ipApplicationSegments', "ports/any(p: p eq '80' or p eq '8443')", ['s1', 's2']],
  ['ipApplicationSegments', 'ports/any()', ['s1', 's2']],
  ['ipApplicationSegments', "ports/all(p: p ne '80')", ['s1', 's3', 's4']],
  ['ipApplicationSegments', 'ports/$count eq 0', ['s3', 's4']],
  ['ipApplicationSegments', "protocol has 'tcp'", ['s1', 's2']],
  ['ipApplicationSegments', "protocol has 'UDP'", ['s2', 's4']],
  ['ipApplicationSegments', "protocol has 'tcp,udp'", ['s2']],
  ['ipApplicationSegments', "not (protocol has 'tcp')", ['s3', 's4']],
  ['ipApplicationSegments', "protocol eq 'udp, tcp'", ['s2']],
  ['ipApplicationSegments', "protocol eq 'tcp'", ['s1']],
  ['ipApplicationSegments', 'protocol eq null', ['s3']],
  ['ipApplicationSegments', 'port gt 100', ['s1']],
  ['ipApplicationSegments', 'port ge 0', ['s1', 's3', 's4']],
  ['ipApplicationSegments', 'port ne 443', ['s2', 's3', 's4']],
  ['ipApplicationSegments', 'not (port gt 100)', ['s2', 's3', 's4']],
  ['ipApplicationSegments', 'port le 22', ['s3', 's4']],
  ['ipApplicationSegments', 'port eq null', ['s2']],
  ['ipApplicationSegments', "destinationType eq 'FQDN' and action eq 'tunnel'", ['s1', 's4']],
  ['ipApplicationSegments', "endswith(destinationHost, '.contoso.com')", ['s1', 's4']],
  // deeper complex paths and times of day
  ['profiles', 'hybridAgentUpdaterConfiguration/updateWindow/updateWindowStartTime ge 09:00', ['p1']],
  ['profiles', 'hybridAgentUpdaterConfiguration/updateWindow/updateWindowStartTime eq 10:00:00', ['p1']],
  ['profiles', 'hybridAgentUpdaterConfiguration/updateWindow/updateWindowStartTime lt 10:00:00.0000001', ['p1']],
  ['profiles', 'hybridAgentUpdaterConfiguration/updateWindow eq null', ['p2', 'p3']],
  ['profiles', 'hybridAgentUpdaterConfiguration/allowUpdateConfigurationOverride eq false', ['p3']],
  ['profiles', 'not hybridAgentUpdaterConfiguration/allowUpdateConfigurationOverride', ['p2', 'p3']],
  ['profiles', 'hybridAgentUpdaterConfiguration/deferUpdateDateTime lt 2024-05-01T00:00:01Z', ['p1']],
  ['profiles', 'isEnabled', ['p1']],
  ['profiles', 'isEnabled ne true', ['p2', 'p3']],
  ['profiles', 'not isEnabled', ['p2', 'p3']],
  ['profiles', 'isDefaultAccessEnabled eq false or isEnabled eq false', ['p2', 'p3']],
  // nullable booleans on sensors
  ['sensors', 'isAuditMode ne true', ['s2', 's3']],
  ['sensors', 'not isAuditMode', ['s2', 's3']],
  ['sensors', 'isAuditMode eq null', ['s3']],
  ['sensors', 'isBreakglassEnabled', ['s2']],
  ['sensors', "status eq 'unknownFutureValue'", ['s3']],
];

/** Inserts {@link filterFixtures}, plus look-alike rows in another tenant and another profile that must never match. */
export async function seedFilterFixtures(insert: Insert): Promise<void> {
  for (const tenant of [TENANT, OTHER_TENANT]) {
    for (const g of filterFixtures.connectorGroups) await insert(tables.connectorGroups, { tenantId: tenant }, g);
  }
  for (const c of filterFixtures.connectors)
    await insert(tables.connectors, filterScopes.connectors, c, { connector_group_id: 'g1' });
  await insert(
    tables.connectors,
    { tenantId: OTHER_TENANT },
    { ...filterFixtures.connectors[0], id: 'other-c1' },
    { connector_group_id: 'g1' },
  );
  for (const a of filterFixtures.agents) await insert(tables.agents, filterScopes.agents, a);
  await insert(
    tables.agents,
    { tenantId: TENANT, parents: ['other-profile'] },
    { ...filterFixtures.agents[0], id: 'other-a1' },
  );
  for (const a of filterFixtures.applications) await insert(tables.applications, filterScopes.applications, a);
  for (const s of filterFixtures.ipApplicationSegments)
    await insert(tables.ipApplicationSegments, filterScopes.ipApplicationSegments, s);
  for (const p of filterFixtures.profiles) await insert(tables.profiles, filterScopes.profiles, p);
  for (const s of filterFixtures.sensors) await insert(tables.sensors, filterScopes.sensors, s);
}

/** Atoms combined pairwise under and/or/not, so negation over nullable values is exercised widely. */
export const combinationAtoms: Partial<Record<FilterKey, string[]>> = {
  connectorGroups: [
    "region eq 'nam'",
    'region eq null',
    'isDefault',
    "name ne 'europe'",
    "startswith(name,'a')",
    "region in ('asia', null)",
  ],
  applications: [
    'onPremisesPublishing/isSecureCookieEnabled',
    "onPremisesPublishing/externalUrl ne 'https://x'",
    "tags/any(t: t eq 'prod')",
    'createdDateTime gt 2024-01-01T00:00:00Z',
    'web/redirectUriSettings/all(r: r/index ge 1)',
    "displayName eq 'Fabrikam'",
  ],
  ipApplicationSegments: [
    "protocol has 'tcp'",
    'port gt 0',
    "ports/any(p: p eq '80')",
    'port eq null',
    "destinationHost ne 'a.contoso.com'",
  ],
};

export function combinations(atoms: string[]): string[] {
  const filters: string[] = [];
  for (const a of atoms) {
    filters.push(`not (${a})`);
    for (const b of atoms) {
      if (a === b) continue;
      filters.push(`(${a}) and not (${b})`, `not ((${a}) or (${b}))`, `not ((${a}) and not (${b}))`);
    }
  }
  return filters;
}

// ---------------------------------------------------------------------------------------------
// Keyset walks: data full of duplicates, case variants, NULLs and equal instants.

function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let r = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

const rnd = random(20240601);
const pick = <T>(list: T[]): T => list[Math.floor(rnd() * list.length)];

const NAMES = ['alpha', 'Alpha', 'ALPHA', 'beta', 'Beta', null, null, 'gamma', 'émile', 'Zeta', 'a_b', 'a%b', 'ab', ''];
const DATES = [
  null,
  '2024-01-01T00:00:00Z',
  '2024-01-01T00:00:00.5Z',
  '2023-06-01T12:00:00Z',
  '2024-01-01T00:00:00.000Z',
  '2024-01-01T01:00:00+01:00',
];
const URLS = [null, 'https://a', 'https://B', 'https://b'];
const BOOLS = [true, false, null];
const AUTH = ['passthru', 'aadPreAuthentication', null];

export const keysetApplications: Entity[] = Array.from({ length: 90 }, (_, i) => {
  const n = (i * 37) % 101;
  const id = `${n % 3 === 0 ? 'A' : 'a'}${String(n).padStart(3, '0')}`;
  const publishing =
    rnd() < 0.15
      ? null
      : {
          externalUrl: pick(URLS),
          isSecureCookieEnabled: pick(BOOLS),
          externalAuthenticationType: pick(AUTH),
          trafficRoutingMethod: 'none',
        };
  return {
    id,
    appId: `app-${id}`,
    displayName: pick(NAMES),
    description: pick(['x', 'y', null]),
    createdDateTime: pick(DATES),
    onPremisesPublishing: publishing,
  };
});

export const keysetConnectors: Entity[] = Array.from({ length: 40 }, (_, i) => ({
  id: `c${String((i * 13) % 41).padStart(2, '0')}`,
  externalIp: `10.0.0.${i % 4}`,
  machineName: pick(['m1', 'M1', 'm2', 'web', 'WEB']),
  status: pick(['active', 'inactive']),
  version: pick(['1.0', '1.5', '10.0']),
}));

export const keysetSegments: Entity[] = Array.from({ length: 30 }, (_, i) => ({
  id: `s${String(i).padStart(2, '0')}`,
  action: pick(['tunnel', 'exclude']),
  port: pick([null, 0, 22, 443, 443, -1]),
  protocol: pick([null, 'tcp', 'udp', 'tcp,udp']),
}));

/** The application the keyset segments belong to. */
export const SEGMENT_PARENT = String(keysetApplications[0].id);

export interface WalkSpec {
  table: TableMapping;
  scope: Scope;
  rows: Entity[];
  orderby?: string;
  filter?: string;
}

const app = (orderby?: string, filter?: string): WalkSpec => ({
  table: tables.applications,
  scope: { tenantId: TENANT },
  rows: keysetApplications,
  orderby,
  filter,
});

export const walkSpecs: WalkSpec[] = [
  app(),
  app('displayName'),
  app('displayName desc'),
  app('createdDateTime desc, displayName'),
  app('createdDateTime, displayName desc, description'),
  app('onPremisesPublishing/externalUrl, onPremisesPublishing/isSecureCookieEnabled desc'),
  app('onPremisesPublishing/isSecureCookieEnabled, displayName desc, createdDateTime desc'),
  app('onPremisesPublishing/externalAuthenticationType desc, createdDateTime, displayName desc'),
  app(
    'description desc, onPremisesPublishing/externalUrl desc, onPremisesPublishing/isSecureCookieEnabled desc, displayName desc',
  ),
  app('id desc'),
  app('displayName', "onPremisesPublishing ne null and startswith(displayName, 'a')"),
  app('createdDateTime desc', 'not (onPremisesPublishing/isSecureCookieEnabled eq true)'),
  {
    table: tables.connectors,
    scope: { tenantId: TENANT },
    rows: keysetConnectors,
    orderby: 'status desc, machineName',
  },
  {
    table: tables.connectors,
    scope: { tenantId: TENANT },
    rows: keysetConnectors,
    orderby: 'machineName desc, version, status',
  },
  {
    table: tables.ipApplicationSegments,
    scope: { tenantId: TENANT, parents: [SEGMENT_PARENT] },
    rows: keysetSegments,
    orderby: 'port desc, protocol',
  },
  {
    table: tables.ipApplicationSegments,
    scope: { tenantId: TENANT, parents: [SEGMENT_PARENT] },
    rows: keysetSegments,
    orderby: 'port, action desc',
  },
];

export async function seedKeysetData(insert: Insert): Promise<void> {
  await insert(
    tables.connectorGroups,
    { tenantId: TENANT },
    { id: 'g1', connectorGroupType: 'applicationProxy', isDefault: true, name: 'Default', region: null },
  );
  for (const a of keysetApplications) await insert(tables.applications, { tenantId: TENANT }, a);
  for (const c of keysetConnectors)
    await insert(tables.connectors, { tenantId: TENANT }, c, { connector_group_id: 'g1' });
  for (const s of keysetSegments)
    await insert(tables.ipApplicationSegments, { tenantId: TENANT, parents: [SEGMENT_PARENT] }, s);
}
