import { type PermissionRow, rows } from '../../auth/permission-row.js';
import type { CollectionBehaviour } from '../../resources/collection.js';
import type { Model } from '../../model/model.js';
import { tableFor } from '../../store/table.js';
import { DOCS, OPP_RW, PROFILE, REGISTRATION } from './permission-scopes.js';

/**
 * Private Access sensors, under the `privateAccess` profile. Graph documents list and get; like
 * connectors they are registered with `POST` here (the generated SDKs offer it) so tests can
 * create them; `isBreakglassEnabled` defaults to false, `version` to a sensor build.
 */
export const DEFAULT_SENSOR_VERSION = '1.0.0.0';

const SENSORS = `${PROFILE}/sensors`;

// Private Access sensors (S1-S2)
const SENSOR_PERMISSIONS: PermissionRow[] = [
  ...rows(['GET'], SENSORS, [OPP_RW], [], DOCS),
  ...rows(['GET'], `${SENSORS}/{id}`, [OPP_RW], [], DOCS),
  ...rows(['POST'], SENSORS, [OPP_RW], [OPP_RW], REGISTRATION),
  ...rows(['PATCH', 'DELETE'], `${SENSORS}/{id}`, [OPP_RW], [OPP_RW], REGISTRATION),
];

export function sensorsBehaviour(model: Model): CollectionBehaviour {
  const table = tableFor('sensors', model.structured('microsoft.graph.privateAccessSensor'));
  const fields = ['externalIp', 'isAuditMode', 'isBreakglassEnabled', 'machineName', 'status', 'version'];
  return {
    path: 'onPremisesPublishingProfiles/sensors',
    fixture: { section: 'sensors', label: 'Sensor' },
    type: table.type,
    table,
    example: {
      create: { externalIp: '203.0.113.30', machineName: 'dc01.contoso.com', status: 'active' },
      update: { isAuditMode: true },
    },
    servedBy: ([profile]) =>
      profile === 'privateAccess' || `Sensors are served by the 'privateAccess' profile only, not by '${profile}'.`,
    scope: (tenantId) => ({ tenantId }),
    create: {
      rules: { writable: ['id', ...fields], required: ['externalIp', 'machineName', 'status'] },
      clientId: 'guid',
      defaults: () => ({ isBreakglassEnabled: false, version: DEFAULT_SENSOR_VERSION }),
    },
    update: { rules: { writable: fields } },
    remove: {},
    permissions: SENSOR_PERMISSIONS,
  };
}
