import { family as onPremisesSchema } from './schema.js';
import { applicationsBehaviour } from './applications.js';
import { connectorGroupsBehaviour } from './connector-groups.js';
import { connectorsBehaviour } from './connectors.js';
import { agentGroupsBehaviour, agentsBehaviour, publishedResourcesBehaviour } from './hybrid-agents.js';
import { ipApplicationSegmentsBehaviour } from './ip-application-segments.js';
import { profileIds, profileKeyNormalizer, profilesBehaviour, tenantSegmentsBehaviour } from './profiles.js';
import { sensorsBehaviour } from './sensors.js';
import type { TableMapping } from '../../store/table.js';
import { defineFamily, familyModel, familyRegistry } from '../family.js';
import { onPremisesFixtureSections } from './fixture-sections.js';
import { onPremisesHeartbeats } from './heartbeats.js';
import { onPremisesMigrations } from './migrations.js';
import { onPremisesTenantDefaults } from './tenant.js';

/**
 * The collections of the family by the names the rest of localgraph reaches them by (the
 * tenant's built-in objects, tests): name → behaviour path.
 */
export const ON_PREMISES_COLLECTIONS = {
  profiles: 'onPremisesPublishingProfiles',
  connectorGroups: 'onPremisesPublishingProfiles/connectorGroups',
  connectors: 'onPremisesPublishingProfiles/connectors',
  applications: 'applications',
  ipApplicationSegments: 'applications/onPremisesPublishing/segmentsConfiguration/applicationSegments',
  agents: 'onPremisesPublishingProfiles/agents',
  agentGroups: 'onPremisesPublishingProfiles/agentGroups',
  publishedResources: 'onPremisesPublishingProfiles/publishedResources',
  sensors: 'onPremisesPublishingProfiles/sensors',
} as const;

export type OnPremisesCollection = keyof typeof ON_PREMISES_COLLECTIONS;

/**
 * The on-premises publishing family (Entra application proxy, hybrid agents, Private Access
 * sensors) and the slice of `application` it hangs off: what `localgraph serve` serves.
 */
export const onPremises = defineFamily({
  name: 'onPremises',
  schema: onPremisesSchema,
  fixtureSections: onPremisesFixtureSections,
  behaviours: (model) => {
    const segments = ipApplicationSegmentsBehaviour(model);
    return {
      collections: [
        profilesBehaviour(model),
        connectorsBehaviour(model),
        connectorGroupsBehaviour(model),
        applicationsBehaviour(model),
        segments,
        agentsBehaviour(model),
        agentGroupsBehaviour(model),
        publishedResourcesBehaviour(model),
        sensorsBehaviour(model),
      ],
      hidden: [tenantSegmentsBehaviour(segments)],
      normalizeKey: profileKeyNormalizer(model),
    };
  },
  migrations: onPremisesMigrations,
  tenantDefaults: (tx, tenantId, services) =>
    onPremisesTenantDefaults(onPremisesTables(), profileIds(familyModel(onPremises)))(tx, tenantId, services),
  heartbeats: onPremisesHeartbeats,
});

/** Each named collection's table (from its behaviour). */
export function onPremisesTables(): Record<OnPremisesCollection, TableMapping> {
  const registry = familyRegistry(onPremises);
  const entries = Object.entries(ON_PREMISES_COLLECTIONS).map(([name, path]) => {
    const behaviour = registry.collection(path);
    if (!behaviour) throw new Error(`on-premises family: no collection ${path}`);
    return [name, behaviour.table];
  });
  return Object.fromEntries(entries) as Record<OnPremisesCollection, TableMapping>;
}
