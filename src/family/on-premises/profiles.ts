import { type PermissionRow, rows } from '../../auth/permission-row.js';
import type { Model, StructuredType } from '../../model/model.js';
import type { CollectionBehaviour } from '../../resources/collection.js';
import { tableFor } from '../../store/table.js';
import { DIR_R, DIR_RW, DOCS, HYBRID_R, HYBRID_RW, OPP_RW, PROFILE } from './permission-scopes.js';

/**
 * The publishing profiles: each tenant has one per publishing type, keyed by it
 * (`applicationProxy`, `provisioning`, ...). They are never created or deleted; clients read them
 * and switch `isEnabled` / `isDefaultAccessEnabled` (undocumented; Microsoft365DSC enables app
 * proxy for a tenant so) and the
 * agent updater configuration. Clients write keys in any case (docs use `applicationproxy`),
 * so keys are canonicalised to the enum's spelling.
 */
export const PROFILE_TYPE = 'microsoft.graph.onPremisesPublishingProfile';

/** Every publishing type but the evolvable-enum sentinel. */
export function profileIds(model: Model): ReadonlySet<string> {
  return new Set(
    model.enumType('microsoft.graph.onPremisesPublishingType').members.filter((m) => m !== 'unknownFutureValue'),
  );
}

/** Profiles whose navigations are the hybrid agents (provisioning, pass-through authentication, ...). */
export const NOT_HYBRID_AGENT_PROFILES = new Set(['applicationProxy', 'privateAccess']);

export function profileKeyNormalizer(model: Model): (type: StructuredType, key: string) => string | undefined {
  const publishingType = model.enumType('microsoft.graph.onPremisesPublishingType');
  return (type, key) => (type.qualifiedName === PROFILE_TYPE ? (publishingType.parse(key) ?? key) : undefined);
}

const UPDATER = `${PROFILE}/hybridAgentUpdaterConfiguration`;

const PROFILE_PERMISSIONS: PermissionRow[] = [
  // Profiles: get, update the updater configuration, update isEnabled (undocumented)
  ...rows(
    ['GET'],
    '/onPremisesPublishingProfiles',
    [HYBRID_R, HYBRID_RW, DIR_RW],
    [DIR_R, DIR_RW],
    'list is undocumented; as get',
  ),
  ...rows(
    ['GET'],
    PROFILE,
    [HYBRID_R, HYBRID_RW, DIR_RW],
    [DIR_R, DIR_RW],
    'perms.json (delegated); app: Microsoft365DSC reads with Directory.Read.All, where perms.json says not supported',
  ),
  ...rows(
    ['PATCH'],
    PROFILE,
    [DIR_RW],
    [DIR_RW],
    'undocumented (isEnabled); Microsoft365DSC uses Directory.ReadWrite.All',
  ),
  ...rows(['GET'], UPDATER, [HYBRID_R, HYBRID_RW, DIR_RW], [], 'as the profile'),
  ...rows(['PATCH'], UPDATER, [DIR_RW], [], DOCS),
  // The profile's view of every application's IP segments (IS6)
  ...rows(['GET'], `${PROFILE}/applicationSegments`, [OPP_RW], [OPP_RW], 'perms.json (IS6: delegated and application)'),
];

export function profilesBehaviour(model: Model): CollectionBehaviour {
  const table = tableFor('profiles', model.structured(PROFILE_TYPE));
  return {
    path: 'onPremisesPublishingProfiles',
    fixture: { section: 'profiles', label: 'Profile' },
    type: table.type,
    table,
    example: {
      update: { isDefaultAccessEnabled: true },
      properties: { hybridAgentUpdaterConfiguration: { allowUpdateConfigurationOverride: true } },
    },
    scope: (tenantId) => ({ tenantId }),
    fixedKeys: profileIds(model),
    update: { rules: { writable: ['isEnabled', 'isDefaultAccessEnabled', 'hybridAgentUpdaterConfiguration'] } },
    properties: {
      hybridAgentUpdaterConfiguration: {
        rules: { writable: ['allowUpdateConfigurationOverride', 'deferUpdateDateTime', 'updateWindow'] },
      },
    },
    relationships: {
      // The IP application segments of every application of the tenant, read through the profile.
      applicationSegments: {
        target: TENANT_SEGMENTS_PATH,
        targetParents: () => [],
        storage: { kind: 'tenant', sourceKeys: ['applicationProxy'] },
      },
    },
    permissions: PROFILE_PERMISSIONS,
  };
}

/** The collection behind `onPremisesPublishingProfiles/{id}/applicationSegments`: not reached by its own path. */
export const TENANT_SEGMENTS_PATH = 'onPremisesPublishingProfiles/applicationSegments';

/**
 * `GET onPremisesPublishingProfiles/applicationProxy/applicationSegments`: every application's IP
 * segments, read-only (they are written under their application).
 */
export function tenantSegmentsBehaviour(segments: CollectionBehaviour): CollectionBehaviour {
  const table = { ...segments.table, scopeColumns: [] };
  return {
    path: TENANT_SEGMENTS_PATH,
    type: table.type,
    table,
    scope: (tenantId) => ({ tenantId }),
    // Read only through the profile's `applicationSegments`, whose row is the profile's.
    permissions: [],
  };
}
