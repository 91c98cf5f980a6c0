import type { Model } from '../model/model.js';
import { tableFor, type TableMapping } from '../store/table.js';

/** How each entity type of the family is stored: its table and the parent keys that scope it. */
export interface FamilyTables {
  profiles: TableMapping;
  connectors: TableMapping;
  connectorGroups: TableMapping;
  applications: TableMapping;
  ipApplicationSegments: TableMapping;
  agents: TableMapping;
  agentGroups: TableMapping;
  publishedResources: TableMapping;
  sensors: TableMapping;
}

export function familyTables(model: Model): FamilyTables {
  const t = (name: string) => model.structured(`microsoft.graph.${name}`);
  return {
    profiles: tableFor('profiles', t('onPremisesPublishingProfile')),
    connectors: tableFor('connectors', t('connector')),
    connectorGroups: tableFor('connector_groups', t('connectorGroup')),
    applications: tableFor('applications', t('application'), [], 'open_properties'),
    ipApplicationSegments: tableFor('ip_application_segments', t('ipApplicationSegment'), ['application_id']),
    agents: tableFor('agents', t('onPremisesAgent'), ['profile_id']),
    agentGroups: tableFor('agent_groups', t('onPremisesAgentGroup'), ['profile_id']),
    publishedResources: tableFor('published_resources', t('publishedResource'), ['profile_id']),
    sensors: tableFor('sensors', t('privateAccessSensor')),
  };
}
