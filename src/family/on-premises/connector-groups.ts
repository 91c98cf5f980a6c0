import { type PermissionRow, rows } from '../../auth/permission-row.js';
import { errors } from '../../graph/errors.js';
import type { CollectionBehaviour, Guard } from '../../resources/collection.js';
import { onlyApplicationProxy } from './connectors.js';
import type { Model } from '../../model/model.js';
import { tableFor } from '../../store/table.js';
import { DIR_RW, DOCS, PROFILE } from './permission-scopes.js';

export const DEFAULT_CONNECTOR_GROUP_NAME = 'Default';
export const DEFAULT_CONNECTOR_GROUP_REGION = 'nam';

/**
 * Connector groups (`applicationProxy` only). Each tenant has exactly one default group, made by
 * the tenant's first request and never deletable. New groups are `isDefault: false`, type
 * `applicationProxy`; `connectorGroupType` and `isDefault` sent by a client are dropped
 * silently, as the live service was seen to (a Terraform provider's live tests). `region`
 * changes only while the group has no connectors and no applications, and only an empty
 * non-default group can be deleted: each rule is a condition of the very statement that
 * writes, so concurrent moves cannot slip past it.
 */
const noConnectors: Guard['where'] = {
  sql: 'NOT EXISTS (SELECT 1 FROM connectors c WHERE c.tenant_id = connector_groups.tenant_id AND c.connector_group_id = connector_groups.id)',
  params: [],
};
const noApplications: Guard['where'] = {
  sql: 'NOT EXISTS (SELECT 1 FROM applications a WHERE a.tenant_id = connector_groups.tenant_id AND a.connector_group_id = connector_groups.id)',
  params: [],
};

const GROUPS = `${PROFILE}/connectorGroups`;

// Connector groups (G1-G8)
const CONNECTOR_GROUP_PERMISSIONS: PermissionRow[] = [
  ...rows(['GET'], GROUPS, [DIR_RW], [], DOCS),
  ...rows(['POST'], GROUPS, [DIR_RW], [DIR_RW], `${DOCS}: the one app-permission write among connectors and groups`),
  ...rows(['GET', 'PATCH', 'DELETE'], `${GROUPS}/{id}`, [DIR_RW], [], DOCS),
  ...rows(['GET'], `${GROUPS}/{id}/members`, [DIR_RW], [], DOCS),
  ...rows(['POST'], `${GROUPS}/{id}/members/$ref`, [DIR_RW], [], DOCS),
  ...rows(['GET'], `${GROUPS}/{id}/applications`, [DIR_RW], [], DOCS),
];

export function connectorGroupsBehaviour(model: Model): CollectionBehaviour {
  const table = tableFor('connector_groups', model.structured('microsoft.graph.connectorGroup'));
  const ignored = ['id', 'connectorGroupType', 'isDefault'];
  return {
    path: 'onPremisesPublishingProfiles/connectorGroups',
    type: table.type,
    table,
    example: { create: { name: 'Contoso web servers' }, update: { name: 'Contoso intranet servers' } },
    servedBy: onlyApplicationProxy('Connector groups'),
    scope: (tenantId) => ({ tenantId }),
    create: {
      rules: { writable: ['name', 'region'], ignored, required: ['name'] },
      clientId: 'server',
      defaults: () => ({
        connectorGroupType: 'applicationProxy',
        isDefault: false,
        region: DEFAULT_CONNECTOR_GROUP_REGION,
      }),
      status: (ctx) => (ctx.options.statusCodes === 'live' ? 200 : 201),
    },
    update: {
      rules: { writable: ['name', 'region'], ignored },
      guards: (changes) =>
        'region' in changes
          ? [
              { where: noConnectors, refusal: errors.regionLocked },
              { where: noApplications, refusal: errors.regionLocked },
            ]
          : [],
      status: (ctx) => (ctx.options.statusCodes === 'live' ? 204 : 200),
    },
    remove: {
      guards: [
        { where: { sql: 'is_default = ?', params: [false] }, refusal: errors.defaultGroupUndeletable },
        { where: noConnectors, refusal: errors.groupHasConnectors },
        { where: noApplications, refusal: errors.groupHasApplications },
      ],
    },
    relationships: {
      members: {
        target: 'onPremisesPublishingProfiles/connectors',
        targetParents: (parents) => parents,
        storage: { kind: 'targetColumn', column: 'connector_group_id' },
        add: true,
      },
      applications: {
        target: 'applications',
        targetParents: () => [],
        storage: { kind: 'targetColumn', column: 'connector_group_id' },
      },
    },
    permissions: CONNECTOR_GROUP_PERMISSIONS,
  };
}
