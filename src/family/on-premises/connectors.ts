import { type PermissionRow, rows } from '../../auth/permission-row.js';
import type { CollectionBehaviour } from '../../resources/collection.js';
import type { Model } from '../../model/model.js';
import { tableFor } from '../../store/table.js';
import { DIR_RW, DOCS, PROFILE, REGISTRATION } from './permission-scopes.js';

/**
 * App proxy connectors, under the `applicationProxy` profile only. Real connectors are registered
 * by the on-premises installer; here `POST` registers one, as the generated SDKs offer (the
 * "Create connector" doc stub): `externalIp`, `machineName` and `status` are required, `id` (a
 * GUID) and `version` optional. A new connector joins the tenant's default group; it is always in
 * exactly one group, and adding it to another (`memberOf/$ref`) moves it.
 */
export const DEFAULT_CONNECTOR_VERSION = '1.5.3437.0';
export const CONNECTOR_GROUPS = 'onPremisesPublishingProfiles/connectorGroups';

export function onlyApplicationProxy(kind: string) {
  return ([profile]: string[]) =>
    profile === 'applicationProxy' || `${kind} are served by the 'applicationProxy' profile only, not by '${profile}'.`;
}

/** A machine's fully qualified domain name is at most 253 characters (RFC 1035); localgraph indexes it. */
export const MACHINE_NAME_MAX_LENGTH = 255;

const CONNECTORS = `${PROFILE}/connectors`;

// Connectors (C1-C6)
const CONNECTOR_PERMISSIONS: PermissionRow[] = [
  ...rows(['GET'], CONNECTORS, [DIR_RW], [], `${DOCS}; app: not supported since docs PR #8606`),
  ...rows(['GET'], `${CONNECTORS}/{id}`, [DIR_RW], [], DOCS),
  ...rows(['POST'], CONNECTORS, [DIR_RW], [DIR_RW], REGISTRATION),
  ...rows(['PATCH', 'DELETE'], `${CONNECTORS}/{id}`, [DIR_RW], [DIR_RW], REGISTRATION),
  ...rows(['GET'], `${CONNECTORS}/{id}/memberOf`, [DIR_RW], [], DOCS),
  ...rows(['POST'], `${CONNECTORS}/{id}/memberOf/$ref`, [DIR_RW], [], DOCS),
];

export function connectorsBehaviour(model: Model): CollectionBehaviour {
  const table = tableFor('connectors', model.structured('microsoft.graph.connector'));
  const fields = ['externalIp', 'machineName', 'status', 'version'];
  const maxLength = { machineName: MACHINE_NAME_MAX_LENGTH };
  return {
    path: 'onPremisesPublishingProfiles/connectors',
    type: table.type,
    table,
    example: {
      create: { externalIp: '203.0.113.10', machineName: 'proxy01.contoso.com', status: 'active' },
      update: { status: 'inactive' },
    },
    servedBy: onlyApplicationProxy('Connectors'),
    scope: (tenantId) => ({ tenantId }),
    create: {
      rules: { writable: ['id', ...fields], required: ['externalIp', 'machineName', 'status'], maxLength },
      clientId: 'guid',
      defaults: () => ({ version: DEFAULT_CONNECTOR_VERSION }),
      hidden: (ctx) => ({ connector_group_id: ctx.tenant.defaultConnectorGroupId }),
    },
    update: { rules: { writable: fields, maxLength } },
    remove: {},
    relationships: {
      memberOf: {
        target: CONNECTOR_GROUPS,
        targetParents: (parents) => parents,
        storage: { kind: 'sourceColumn', column: 'connector_group_id' },
        add: true,
      },
    },
    permissions: CONNECTOR_PERMISSIONS,
  };
}
