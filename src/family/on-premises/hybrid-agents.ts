import type { CollectionBehaviour } from '../../resources/collection.js';
import { NOT_HYBRID_AGENT_PROFILES } from './profiles.js';
import type { Model } from '../../model/model.js';
import { tableFor } from '../../store/table.js';

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

export function agentsBehaviour(model: Model): CollectionBehaviour {
  const table = tableFor('agents', model.structured('microsoft.graph.onPremisesAgent'), ['profile_id']);
  const fields = ['externalIp', 'machineName', 'status', 'supportedPublishingTypes'];
  return {
    path: AGENTS,
    fixture: { section: 'agents', label: 'Agent', parent: IN_HYBRID_PROFILE },
    type: table.type,
    table,
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
  };
}

export function agentGroupsBehaviour(model: Model): CollectionBehaviour {
  const table = tableFor('agent_groups', model.structured('microsoft.graph.onPremisesAgentGroup'), ['profile_id']);
  return {
    path: AGENT_GROUPS,
    type: table.type,
    table,
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
  };
}

export function publishedResourcesBehaviour(model: Model): CollectionBehaviour {
  const table = tableFor('published_resources', model.structured('microsoft.graph.publishedResource'), ['profile_id']);
  return {
    path: PUBLISHED_RESOURCES,
    fixture: { section: 'publishedResources', label: 'Published resource', parent: IN_HYBRID_PROFILE },
    type: table.type,
    table,
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
  };
}
