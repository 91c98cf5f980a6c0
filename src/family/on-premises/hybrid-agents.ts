import { type PermissionRow, rows } from '../../auth/permission-row.js';
import type { CollectionBehaviour } from '../../resources/collection.js';
import { NOT_HYBRID_AGENT_PROFILES } from './profiles.js';
import type { Model } from '../../model/model.js';
import { tableFor } from '../../store/table.js';
import { DIR_RW, DOCS, HYBRID_R, HYBRID_RW, OPP_RW, PROFILE, REGISTRATION } from './permission-scopes.js';

/**
 * Hybrid agents (provisioning, pass-through authentication, ...), their agent groups and the
 * resources they publish, each under its profile, linked many-to-many both ways through link
 * tables: `agents/{id}/agentGroups/$ref`, `publishedResources/{id}/agentGroups/$ref`, and the
 * group side. `publishingType` is filled in from the profile, as the docs' examples show.
 */
const servedByHybridProfiles =
  (kind: string) =>
  ([profile]: string[]) =>
    !NOT_HYBRID_AGENT_PROFILES.has(profile) ||
    `${kind} are served by the hybrid agent profiles (such as 'provisioning' and 'authentication'), not by '${profile}'.`;
/** In a fixture, an object under a hybrid agent profile names it (`"profile": "provisioning"`). */
export const IN_HYBRID_PROFILE = { field: 'profile', label: 'hybrid agent profile' };
const byProfile = (tenantId: string, [profile]: string[]) => ({ tenantId, parents: [profile] });
const sameProfile = (parents: string[]) => parents;
const AGENTS = 'onPremisesPublishingProfiles/agents';
const AGENT_GROUPS = 'onPremisesPublishingProfiles/agentGroups';
const PUBLISHED_RESOURCES = 'onPremisesPublishingProfiles/publishedResources';
const AGENT_LINKS = { table: 'agent_group_agents', group: 'agent_group_id', member: 'agent_id' };
const RESOURCE_LINKS = {
  table: 'agent_group_published_resources',
  group: 'agent_group_id',
  member: 'published_resource_id',
};

const AGENTS_PATTERN = `${PROFILE}/agents`;
const AGENT_GROUPS_PATTERN = `${PROFILE}/agentGroups`;
const RESOURCES_PATTERN = `${PROFILE}/publishedResources`;
const READ = [HYBRID_R, HYBRID_RW, DIR_RW];
const WRITE = [HYBRID_RW, DIR_RW];

// Hybrid agents (AG1-AG4)
const AGENT_PERMISSIONS: PermissionRow[] = [
  ...rows(['GET'], AGENTS_PATTERN, READ, [], DOCS),
  ...rows(['GET'], `${AGENTS_PATTERN}/{id}`, READ, [], DOCS),
  ...rows(['GET'], `${AGENTS_PATTERN}/{id}/agentGroups`, READ, [], 'as reading the agent'),
  ...rows(['POST'], `${AGENTS_PATTERN}/{id}/agentGroups/$ref`, WRITE, [], DOCS),
  ...rows(['DELETE'], `${AGENTS_PATTERN}/{id}/agentGroups/{id}/$ref`, WRITE, [], DOCS),
  ...rows(['POST'], AGENTS_PATTERN, WRITE, [DIR_RW], REGISTRATION),
  ...rows(['PATCH', 'DELETE'], `${AGENTS_PATTERN}/{id}`, WRITE, [DIR_RW], REGISTRATION),
];

// Agent groups (AGG1-AGG6)
const AGENT_GROUP_PERMISSIONS: PermissionRow[] = [
  ...rows(['GET'], AGENT_GROUPS_PATTERN, READ, [], DOCS),
  ...rows(['GET'], `${AGENT_GROUPS_PATTERN}/{id}`, READ, [], DOCS),
  ...rows(
    ['POST'],
    AGENT_GROUPS_PATTERN,
    [DIR_RW, HYBRID_RW],
    [],
    'rendered docs: Directory.ReadWrite.All (perms.json has no row); ' +
      'Policy.ReadWrite.HybridAuthentication added as for the other group writes',
  ),
  ...rows(['PATCH', 'DELETE'], `${AGENT_GROUPS_PATTERN}/{id}`, WRITE, [], DOCS),
  ...rows(['GET'], `${AGENT_GROUPS_PATTERN}/{id}/agents`, READ, [], 'as reading the group'),
  ...rows(
    ['GET'],
    `${AGENT_GROUPS_PATTERN}/{id}/publishedResources`,
    [OPP_RW],
    [],
    'as reading published resources (PR1)',
  ),
  ...rows(['POST'], `${AGENT_GROUPS_PATTERN}/{id}/agents/$ref`, WRITE, [], 'perms.json (AGG6)'),
  ...rows(['DELETE'], `${AGENT_GROUPS_PATTERN}/{id}/agents/{id}/$ref`, WRITE, [], 'as AGG6'),
  ...rows(
    ['POST'],
    `${AGENT_GROUPS_PATTERN}/{id}/publishedResources/$ref`,
    [OPP_RW],
    [],
    'as the published resource side (PR6)',
  ),
  ...rows(
    ['DELETE'],
    `${AGENT_GROUPS_PATTERN}/{id}/publishedResources/{id}/$ref`,
    [OPP_RW],
    [],
    'as the published resource side (PR7)',
  ),
];

// Published resources (PR1-PR7): delegated OnPremisesPublishingProfiles.ReadWrite.All only
const PUBLISHED_RESOURCE_PERMISSIONS: PermissionRow[] = [
  ...rows(['GET', 'POST'], RESOURCES_PATTERN, [OPP_RW], [], DOCS),
  ...rows(['GET', 'PATCH'], `${RESOURCES_PATTERN}/{id}`, [OPP_RW], [], DOCS),
  ...rows(
    ['DELETE'],
    `${RESOURCES_PATTERN}/{id}`,
    [OPP_RW],
    [],
    'metadata only (the docs page shows the $ref removal); as update',
  ),
  ...rows(['GET'], `${RESOURCES_PATTERN}/{id}/agentGroups`, [OPP_RW], [], 'as reading the resource'),
  ...rows(['POST'], `${RESOURCES_PATTERN}/{id}/agentGroups/$ref`, [OPP_RW], [], DOCS),
  ...rows(['DELETE'], `${RESOURCES_PATTERN}/{id}/agentGroups/{id}/$ref`, [OPP_RW], [], DOCS),
];

export function agentsBehaviour(model: Model): CollectionBehaviour {
  const table = tableFor('agents', model.structured('microsoft.graph.onPremisesAgent'), ['profile_id']);
  const fields = ['externalIp', 'machineName', 'status', 'supportedPublishingTypes'];
  return {
    path: AGENTS,
    fixture: { section: 'agents', label: 'Agent', parent: IN_HYBRID_PROFILE },
    type: table.type,
    table,
    example: {
      create: { externalIp: '203.0.113.20', machineName: 'sync01.contoso.com', status: 'active' },
      update: { status: 'inactive' },
    },
    servedBy: servedByHybridProfiles('Agents'),
    scope: byProfile,
    create: {
      rules: { writable: ['id', ...fields], required: ['externalIp', 'machineName', 'status'] },
      clientId: 'guid',
      defaults: (_ctx, [profile]) => ({ supportedPublishingTypes: [profile] }),
    },
    update: { rules: { writable: fields } },
    remove: {},
    relationships: {
      agentGroups: {
        target: AGENT_GROUPS,
        targetParents: sameProfile,
        storage: {
          kind: 'link',
          table: AGENT_LINKS.table,
          sourceColumn: AGENT_LINKS.member,
          targetColumn: AGENT_LINKS.group,
        },
        add: true,
        remove: true,
      },
    },
    permissions: AGENT_PERMISSIONS,
  };
}

export function agentGroupsBehaviour(model: Model): CollectionBehaviour {
  const table = tableFor('agent_groups', model.structured('microsoft.graph.onPremisesAgentGroup'), ['profile_id']);
  return {
    path: AGENT_GROUPS,
    type: table.type,
    table,
    example: { create: { displayName: 'Contoso provisioning' }, update: { displayName: 'Contoso HR provisioning' } },
    servedBy: servedByHybridProfiles('Agent groups'),
    scope: byProfile,
    create: {
      rules: { writable: ['displayName'], ignored: ['id', 'isDefault', 'publishingType'], required: ['displayName'] },
      clientId: 'server',
      defaults: (_ctx, [profile]) => ({ isDefault: false, publishingType: profile }),
    },
    update: { rules: { writable: ['displayName'], ignored: ['id', 'isDefault', 'publishingType'] } },
    remove: {},
    relationships: {
      agents: {
        target: AGENTS,
        targetParents: sameProfile,
        storage: {
          kind: 'link',
          table: AGENT_LINKS.table,
          sourceColumn: AGENT_LINKS.group,
          targetColumn: AGENT_LINKS.member,
        },
        add: true,
        remove: true,
      },
      publishedResources: {
        target: PUBLISHED_RESOURCES,
        targetParents: sameProfile,
        storage: {
          kind: 'link',
          table: RESOURCE_LINKS.table,
          sourceColumn: RESOURCE_LINKS.group,
          targetColumn: RESOURCE_LINKS.member,
        },
        add: true,
        remove: true,
      },
    },
    permissions: AGENT_GROUP_PERMISSIONS,
  };
}

export function publishedResourcesBehaviour(model: Model): CollectionBehaviour {
  const table = tableFor('published_resources', model.structured('microsoft.graph.publishedResource'), ['profile_id']);
  return {
    path: PUBLISHED_RESOURCES,
    fixture: { section: 'publishedResources', label: 'Published resource', parent: IN_HYBRID_PROFILE },
    type: table.type,
    table,
    example: {
      create: { displayName: 'Contoso HR', resourceName: 'hr.contoso.com' },
      update: { displayName: 'Contoso Human Resources' },
    },
    servedBy: servedByHybridProfiles('Published resources'),
    scope: byProfile,
    create: {
      rules: { writable: ['displayName', 'resourceName'], ignored: ['id', 'publishingType'] },
      clientId: 'server',
      defaults: (_ctx, [profile]) => ({ publishingType: profile }),
    },
    update: { rules: { writable: ['displayName', 'resourceName'], ignored: ['id', 'publishingType'] } },
    remove: {},
    relationships: {
      agentGroups: {
        target: AGENT_GROUPS,
        targetParents: sameProfile,
        storage: {
          kind: 'link',
          table: RESOURCE_LINKS.table,
          sourceColumn: RESOURCE_LINKS.member,
          targetColumn: RESOURCE_LINKS.group,
        },
        add: true,
        remove: true,
      },
    },
    permissions: PUBLISHED_RESOURCE_PERMISSIONS,
  };
}
