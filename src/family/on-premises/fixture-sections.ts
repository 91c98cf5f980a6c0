import type { FixtureSection } from '../../admin/fixture-section.js';
import type { ResourceRegistry } from '../../resources/registry.js';
import { agentGroupsSection } from './fixture-agent-groups.js';
import { connectorGroupsSection } from './fixture-connector-groups.js';

/**
 * The on-premises family's fixture sections with link fields. Profiles, agents, published
 * resources and sensors are plain lists, declared by their behaviours (`fixture`).
 */
export function onPremisesFixtureSections(registry: ResourceRegistry): FixtureSection[] {
  return [connectorGroupsSection(registry), agentGroupsSection(registry)];
}
