import type { Clock } from '../../resources/clock.js';
import { DEFAULT_CONNECTOR_GROUP_NAME, DEFAULT_CONNECTOR_GROUP_REGION } from './connector-groups.js';
import type { IdGenerator } from '../../resources/id-generator.js';
import type { TableMapping } from '../../store/table.js';
import type { Store } from '../../store/store.js';

/**
 * Every tenant of the on-premises family has one profile per publishing type and a default
 * connector group. Inserts that lose a race do nothing; the database's unique index keeps one
 * default group.
 */
export function onPremisesTenantDefaults(
  tables: { profiles: TableMapping; connectorGroups: TableMapping },
  profileIds: ReadonlySet<string>,
) {
  return async (tx: Store, tenantId: string, services: { clock: Clock; ids: IdGenerator }) => {
    const scope = { tenantId };
    for (const id of profileIds) {
      await tx.insert(
        tables.profiles,
        scope,
        {
          id,
          isEnabled: true,
          isDefaultAccessEnabled: false,
          hybridAgentUpdaterConfiguration: {
            allowUpdateConfigurationOverride: false,
            deferUpdateDateTime: null,
            updateWindow: null,
          },
        },
        { ifAbsent: true },
      );
    }
    await tx.insert(
      tables.connectorGroups,
      scope,
      {
        id: services.ids.newId(),
        name: DEFAULT_CONNECTOR_GROUP_NAME,
        connectorGroupType: 'applicationProxy',
        isDefault: true,
        region: DEFAULT_CONNECTOR_GROUP_REGION,
      },
      { ifAbsent: true },
    );
    const group = await tx.findOne(tables.connectorGroups, scope, { sql: 'is_default = ?', params: [true] });
    return { defaultConnectorGroupId: String(group!.id) };
  };
}
