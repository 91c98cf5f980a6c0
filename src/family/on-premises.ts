import { permissionMatrix } from '../auth/permission-matrix.js';
import { family as onPremisesSchema } from '../model/family.js';
import { applicationsBehaviour } from '../resources/applications.js';
import { connectorGroupsBehaviour } from '../resources/connector-groups.js';
import { connectorsBehaviour } from '../resources/connectors.js';
import { agentGroupsBehaviour, agentsBehaviour, publishedResourcesBehaviour } from '../resources/hybrid-agents.js';
import { ipApplicationSegmentsBehaviour } from '../resources/ip-application-segments.js';
import { profileIds, profileKeyNormalizer, profilesBehaviour, tenantSegmentsBehaviour } from '../resources/profiles.js';
import { sensorsBehaviour } from '../resources/sensors.js';
import { familyTables } from '../resources/tables.js';
import { defineFamily, familyModel } from './family.js';
import { onPremisesMigrations } from './on-premises-migrations.js';
import { onPremisesTenantDefaults } from './on-premises-tenant.js';

/**
 * The on-premises publishing family (Entra application proxy, hybrid agents, Private Access
 * sensors) and the slice of `application` it hangs off: what `localgraph serve` serves.
 */
export const onPremises = defineFamily({
  name: 'onPremises',
  schema: onPremisesSchema,
  behaviours: (model) => {
    const t = familyTables(model);
    return {
      collections: [
        profilesBehaviour(model, t),
        connectorsBehaviour(t),
        connectorGroupsBehaviour(t),
        applicationsBehaviour(t),
        ipApplicationSegmentsBehaviour(t),
        agentsBehaviour(t),
        agentGroupsBehaviour(t),
        publishedResourcesBehaviour(t),
        sensorsBehaviour(t),
      ],
      hidden: [tenantSegmentsBehaviour(t)],
      normalizeKey: profileKeyNormalizer(model),
    };
  },
  migrations: onPremisesMigrations,
  tenantDefaults: (tx, tenantId, services) => {
    const model = familyModel(onPremises);
    return onPremisesTenantDefaults(familyTables(model), profileIds(model))(tx, tenantId, services);
  },
  permissions: permissionMatrix,
});
