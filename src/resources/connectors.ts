import type { Model } from '../model/model.js';
import { tableFor } from '../store/table.js';
import type { CollectionBehaviour } from './collection.js';

/**
 * App proxy connectors, under the `applicationProxy` profile only. Real connectors are registered
 * by the on-premises installer; here `POST` registers one, as the generated SDKs offer (the
 * "Create connector" doc stub): `externalIp`, `machineName` and `status` are required, `id` (a
 * GUID) and `version` optional.
 */
export const DEFAULT_CONNECTOR_VERSION = '1.5.3437.0';

export function connectorsBehaviour(model: Model): CollectionBehaviour {
  const type = model.structured('microsoft.graph.connector');
  const fields = ['externalIp', 'machineName', 'status', 'version'];
  return {
    path: 'onPremisesPublishingProfiles/connectors',
    type,
    table: tableFor('connectors', type),
    servedBy: ([profile]) => profile === 'applicationProxy' || `Connectors are served by the 'applicationProxy' profile only, not by '${profile}'.`,
    scope: (tenantId) => ({ tenantId }),
    create: {
      rules: { writable: ['id', ...fields], required: ['externalIp', 'machineName', 'status'] },
      clientId: 'guid',
      defaults: () => ({ version: DEFAULT_CONNECTOR_VERSION }),
    },
    update: { rules: { writable: fields } },
    remove: true,
  };
}
