import { type PermissionRow, rows } from '../../auth/permission-row.js';
import type { CollectionBehaviour } from '../../resources/collection.js';
import type { Model } from '../../model/model.js';
import { tableFor } from '../../store/table.js';
import { APP_R, APP_RW, DOCS } from './permission-scopes.js';

/**
 * IP application segments of an application (non-web app proxy and Private Access apps), under
 * `applications/{id}/onPremisesPublishing/segmentsConfiguration/microsoft.graph.ipSegmentConfiguration/applicationSegments`.
 * `action` defaults to `tunnel`; `protocol` is a flags enum written `"tcp,udp"`. The deprecated
 * `port` reads 0 unless set, as every real response in the docs shows it.
 */
const SEGMENTS =
  '/applications/{id}/onPremisesPublishing/segmentsConfiguration' +
  '/microsoft.graph.ipSegmentConfiguration/applicationSegments';

// IP application segments (IS1-IS5)
const SEGMENT_PERMISSIONS: PermissionRow[] = [
  ...rows(['GET'], SEGMENTS, [APP_R, APP_RW], [APP_R, APP_RW], DOCS),
  ...rows(['GET'], `${SEGMENTS}/{id}`, [APP_R, APP_RW], [APP_R, APP_RW], DOCS),
  ...rows(['POST'], SEGMENTS, [APP_RW], [APP_RW], DOCS),
  ...rows(['PATCH', 'DELETE'], `${SEGMENTS}/{id}`, [APP_RW], [APP_RW], DOCS),
  ...rows(['GET'], `${SEGMENTS}/{id}/application`, [APP_R, APP_RW], [APP_R, APP_RW], 'as IS3 (`$expand=application`)'),
];

export function ipApplicationSegmentsBehaviour(model: Model): CollectionBehaviour {
  const table = tableFor('ip_application_segments', model.structured('microsoft.graph.ipApplicationSegment'), [
    'application_id',
  ]);
  const fields = ['action', 'destinationHost', 'destinationType', 'port', 'ports', 'protocol'];
  return {
    path: 'applications/onPremisesPublishing/segmentsConfiguration/applicationSegments',
    type: table.type,
    table,
    example: {
      create: { destinationHost: 'sql01.contoso.com', destinationType: 'fqdn', ports: ['1433-1433'], protocol: 'tcp' },
      update: { ports: ['1433-1434'] },
    },
    scope: (tenantId, [applicationId]) => ({ tenantId, parents: [applicationId] }),
    create: {
      rules: { writable: fields, ignored: ['id'] },
      clientId: 'server',
      defaults: () => ({ action: 'tunnel', port: 0 }),
    },
    update: { rules: { writable: fields, ignored: ['id'] } },
    remove: {},
    relationships: {
      application: {
        target: 'applications',
        targetParents: () => [],
        storage: { kind: 'sourceColumn', column: 'application_id' },
      },
    },
    permissions: SEGMENT_PERMISSIONS,
  };
}
