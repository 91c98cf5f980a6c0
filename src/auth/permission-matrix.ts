/**
 * Graph's permission matrix for the operations localgraph serves, as data: for each method and
 * path pattern, the delegated scopes and the application roles that allow it (least privileged
 * first). An empty list means that kind of token is not supported, as Graph's docs write "Not
 * supported". The permission table of docs/identity.md is rendered from these rows (`npm run docs`).
 *
 * Sources: the permissions map behind the Graph docs (perms.json, 2026-08-07) and the reference
 * pages. Where they are silent (operations only the generated SDKs offer) or disagree, the note
 * says what localgraph chose.
 */
export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface PermissionRow {
  method: Method;
  pattern: string;
  delegated: string[];
  application: string[];
  note: string;
}

const DIR_RW = 'Directory.ReadWrite.All';
const DIR_R = 'Directory.Read.All';
const HYBRID_R = 'Policy.Read.HybridAuthentication';
const HYBRID_RW = 'Policy.ReadWrite.HybridAuthentication';
const OPP_RW = 'OnPremisesPublishingProfiles.ReadWrite.All';
const APP_R = 'Application.Read.All';
const APP_RW = 'Application.ReadWrite.All';

const PROFILES = '/onPremisesPublishingProfiles';
const PROFILE = `${PROFILES}/{id}`;
const CONNECTORS = `${PROFILE}/connectors`;
const GROUPS = `${PROFILE}/connectorGroups`;
const AGENTS = `${PROFILE}/agents`;
const AGENT_GROUPS = `${PROFILE}/agentGroups`;
const RESOURCES = `${PROFILE}/publishedResources`;
const SENSORS = `${PROFILE}/sensors`;
const APPS = '/applications';
const SEGMENTS = `${APPS}/{id}/onPremisesPublishing/segmentsConfiguration/microsoft.graph.ipSegmentConfiguration/applicationSegments`;

const DOCS = 'perms.json and docs';
const REGISTRATION =
  'undocumented (only the generated SDKs offer it); localgraph choice: on-premises installers register agents as apps, so app tokens may too';

function rows(
  methods: Method[],
  pattern: string,
  delegated: string[],
  application: string[],
  note: string,
): PermissionRow[] {
  return methods.map((method) => ({ method, pattern, delegated, application, note }));
}

export const permissionMatrix: PermissionRow[] = [
  // Profiles: get, update the updater configuration, update isEnabled (undocumented)
  ...rows(['GET'], PROFILES, [HYBRID_R, HYBRID_RW, DIR_RW], [DIR_R, DIR_RW], 'list is undocumented; as get'),
  ...rows(
    ['GET'],
    PROFILE,
    [HYBRID_R, HYBRID_RW, DIR_RW],
    [DIR_R, DIR_RW],
    'perms.json (delegated); app: Microsoft365DSC reads with Directory.Read.All, where perms.json says not supported',
  ),
  ...rows(
    ['PATCH'],
    PROFILE,
    [DIR_RW],
    [DIR_RW],
    'undocumented (isEnabled); Microsoft365DSC uses Directory.ReadWrite.All',
  ),
  ...rows(['GET'], `${PROFILE}/hybridAgentUpdaterConfiguration`, [HYBRID_R, HYBRID_RW, DIR_RW], [], 'as the profile'),
  ...rows(['PATCH'], `${PROFILE}/hybridAgentUpdaterConfiguration`, [DIR_RW], [], DOCS),
  // Connectors (C1-C6)
  ...rows(['GET'], CONNECTORS, [DIR_RW], [], `${DOCS}; app: not supported since docs PR #8606`),
  ...rows(['GET'], `${CONNECTORS}/{id}`, [DIR_RW], [], DOCS),
  ...rows(['POST'], CONNECTORS, [DIR_RW], [DIR_RW], REGISTRATION),
  ...rows(['PATCH', 'DELETE'], `${CONNECTORS}/{id}`, [DIR_RW], [DIR_RW], REGISTRATION),
  ...rows(['GET'], `${CONNECTORS}/{id}/memberOf`, [DIR_RW], [], DOCS),
  ...rows(['POST'], `${CONNECTORS}/{id}/memberOf/$ref`, [DIR_RW], [], DOCS),
  // Connector groups (G1-G8)
  ...rows(['GET'], GROUPS, [DIR_RW], [], DOCS),
  ...rows(['POST'], GROUPS, [DIR_RW], [DIR_RW], `${DOCS}: the one app-permission write among connectors and groups`),
  ...rows(['GET', 'PATCH', 'DELETE'], `${GROUPS}/{id}`, [DIR_RW], [], DOCS),
  ...rows(['GET'], `${GROUPS}/{id}/members`, [DIR_RW], [], DOCS),
  ...rows(['POST'], `${GROUPS}/{id}/members/$ref`, [DIR_RW], [], DOCS),
  ...rows(['GET'], `${GROUPS}/{id}/applications`, [DIR_RW], [], DOCS),
  // Applications, as application proxy uses them (A1-A3)
  ...rows(['GET'], APPS, [APP_R, APP_RW, DIR_R, DIR_RW], [APP_R, APP_RW, DIR_R, DIR_RW], 'Graph docs for applications'),
  ...rows(['POST'], APPS, [APP_RW, DIR_RW], [APP_RW, DIR_RW], 'Graph docs for applications'),
  ...rows(
    ['GET'],
    `${APPS}/{id}`,
    [APP_R, APP_RW, DIR_R, DIR_RW],
    [APP_R, APP_RW, DIR_R, DIR_RW],
    'Graph docs for applications',
  ),
  ...rows(['PATCH', 'DELETE'], `${APPS}/{id}`, [APP_RW, DIR_RW], [APP_RW, DIR_RW], 'Graph docs for applications'),
  ...rows(['PUT'], `${APPS}/{id}/connectorGroup/$ref`, [DIR_RW], [], DOCS),
  ...rows(['DELETE'], `${APPS}/{id}/connectorGroup/$ref`, [DIR_RW], [], 'undocumented; as the assignment (PUT)'),
  ...rows(
    ['GET'],
    `${APPS}/{id}/connectorGroup`,
    [APP_R, APP_RW, DIR_RW],
    [APP_R, APP_RW, DIR_RW],
    'undocumented; as reading the application',
  ),
  // IP application segments (IS1-IS5)
  ...rows(['GET'], SEGMENTS, [APP_R, APP_RW], [APP_R, APP_RW], DOCS),
  ...rows(['GET'], `${SEGMENTS}/{id}`, [APP_R, APP_RW], [APP_R, APP_RW], DOCS),
  ...rows(['POST'], SEGMENTS, [APP_RW], [APP_RW], DOCS),
  ...rows(['PATCH', 'DELETE'], `${SEGMENTS}/{id}`, [APP_RW], [APP_RW], DOCS),
  ...rows(['GET'], `${SEGMENTS}/{id}/application`, [APP_R, APP_RW], [APP_R, APP_RW], 'as IS3 (`$expand=application`)'),
  // Hybrid agents (AG1-AG4)
  ...rows(['GET'], AGENTS, [HYBRID_R, HYBRID_RW, DIR_RW], [], DOCS),
  ...rows(['GET'], `${AGENTS}/{id}`, [HYBRID_R, HYBRID_RW, DIR_RW], [], DOCS),
  ...rows(['GET'], `${AGENTS}/{id}/agentGroups`, [HYBRID_R, HYBRID_RW, DIR_RW], [], 'as reading the agent'),
  ...rows(['POST'], `${AGENTS}/{id}/agentGroups/$ref`, [HYBRID_RW, DIR_RW], [], DOCS),
  ...rows(['DELETE'], `${AGENTS}/{id}/agentGroups/{id}/$ref`, [HYBRID_RW, DIR_RW], [], DOCS),
  ...rows(['POST'], AGENTS, [HYBRID_RW, DIR_RW], [DIR_RW], REGISTRATION),
  ...rows(['PATCH', 'DELETE'], `${AGENTS}/{id}`, [HYBRID_RW, DIR_RW], [DIR_RW], REGISTRATION),
  // Agent groups (AGG1-AGG6)
  ...rows(['GET'], AGENT_GROUPS, [HYBRID_R, HYBRID_RW, DIR_RW], [], DOCS),
  ...rows(['GET'], `${AGENT_GROUPS}/{id}`, [HYBRID_R, HYBRID_RW, DIR_RW], [], DOCS),
  ...rows(
    ['POST'],
    AGENT_GROUPS,
    [DIR_RW, HYBRID_RW],
    [],
    'rendered docs: Directory.ReadWrite.All (perms.json has no row); Policy.ReadWrite.HybridAuthentication added as for the other group writes',
  ),
  ...rows(['PATCH', 'DELETE'], `${AGENT_GROUPS}/{id}`, [HYBRID_RW, DIR_RW], [], DOCS),
  ...rows(['GET'], `${AGENT_GROUPS}/{id}/agents`, [HYBRID_R, HYBRID_RW, DIR_RW], [], 'as reading the group'),
  ...rows(['GET'], `${AGENT_GROUPS}/{id}/publishedResources`, [OPP_RW], [], 'as reading published resources (PR1)'),
  ...rows(['POST'], `${AGENT_GROUPS}/{id}/agents/$ref`, [HYBRID_RW, DIR_RW], [], 'perms.json (AGG6)'),
  ...rows(['DELETE'], `${AGENT_GROUPS}/{id}/agents/{id}/$ref`, [HYBRID_RW, DIR_RW], [], 'as AGG6'),
  ...rows(
    ['POST'],
    `${AGENT_GROUPS}/{id}/publishedResources/$ref`,
    [OPP_RW],
    [],
    'as the published resource side (PR6)',
  ),
  ...rows(
    ['DELETE'],
    `${AGENT_GROUPS}/{id}/publishedResources/{id}/$ref`,
    [OPP_RW],
    [],
    'as the published resource side (PR7)',
  ),
  // Published resources (PR1-PR7): delegated OnPremisesPublishingProfiles.ReadWrite.All only
  ...rows(['GET', 'POST'], RESOURCES, [OPP_RW], [], DOCS),
  ...rows(['GET', 'PATCH'], `${RESOURCES}/{id}`, [OPP_RW], [], DOCS),
  ...rows(
    ['DELETE'],
    `${RESOURCES}/{id}`,
    [OPP_RW],
    [],
    'metadata only (the docs page shows the $ref removal); as update',
  ),
  ...rows(['GET'], `${RESOURCES}/{id}/agentGroups`, [OPP_RW], [], 'as reading the resource'),
  ...rows(['POST'], `${RESOURCES}/{id}/agentGroups/$ref`, [OPP_RW], [], DOCS),
  ...rows(['DELETE'], `${RESOURCES}/{id}/agentGroups/{id}/$ref`, [OPP_RW], [], DOCS),
  // The profile's view of every application's IP segments (IS6)
  ...rows(['GET'], `${PROFILE}/applicationSegments`, [OPP_RW], [OPP_RW], 'perms.json (IS6: delegated and application)'),
  // Private Access sensors (S1-S2)
  ...rows(['GET'], SENSORS, [OPP_RW], [], DOCS),
  ...rows(['GET'], `${SENSORS}/{id}`, [OPP_RW], [], DOCS),
  ...rows(['POST'], SENSORS, [OPP_RW], [OPP_RW], REGISTRATION),
  ...rows(['PATCH', 'DELETE'], `${SENSORS}/{id}`, [OPP_RW], [OPP_RW], REGISTRATION),
];
