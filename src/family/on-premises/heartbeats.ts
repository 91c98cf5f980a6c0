import type { HeartbeatTarget } from '../heartbeat-target.js';

/**
 * The objects of the family that report heartbeats: connectors under `applicationProxy`, sensors
 * under `privateAccess`, and hybrid agents under the profile each heartbeat names (those
 * `servedBy` of the agents' behaviour allows: not the two above).
 */
export const onPremisesHeartbeats: HeartbeatTarget[] = [
  { kind: 'connector', collection: 'onPremisesPublishingProfiles/connectors', parent: { fixed: 'applicationProxy' } },
  { kind: 'agent', collection: 'onPremisesPublishingProfiles/agents', parent: 'named' },
  { kind: 'sensor', collection: 'onPremisesPublishingProfiles/sensors', parent: { fixed: 'privateAccess' } },
];
