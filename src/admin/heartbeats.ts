import { errors } from '../graph/errors.js';
import { isGuid } from '../odata/guid.js';
import type { Clock } from '../resources/clock.js';
import { NOT_HYBRID_AGENT_PROFILES } from '../family/on-premises/profiles.js';
import type { HeartbeatKind, HeartbeatTarget, Scope, Store } from '../store/store.js';
import type { TableMapping } from '../store/table.js';

/**
 * Connector life, simulated on request: connectors, agents and sensors report heartbeats
 * (`POST /_admin/heartbeats`, or `localgraph simulate connectors`), which are recorded with the
 * server's clock. While the simulation is on (`serve --simulate-heartbeats`), a sweeper sets
 * `inactive` whatever has not been heard from for the timeout, and a heartbeat from an inactive
 * one sets it `active` again. Objects that never sent a heartbeat are never touched, and with
 * the simulation off (the default) nothing changes status on its own.
 */
export interface HeartbeatSettings {
  enabled: boolean;
  timeoutMs: number;
}

export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 60_000;
const KINDS: readonly HeartbeatKind[] = ['connector', 'agent', 'sensor'];

/** The on-premises objects heartbeats drive: connectors under applicationProxy, sensors under privateAccess, agents under theirs. */
const HEARTBEAT_TARGETS: readonly HeartbeatTarget[] = [
  { kind: 'connector', table: 'connectors', profile: { fixed: 'applicationProxy' } },
  { kind: 'sensor', table: 'sensors', profile: { fixed: 'privateAccess' } },
  { kind: 'agent', table: 'agents', profile: { column: 'profile_id' } },
];

export interface HeartbeatInput {
  tenantId: string;
  kind: HeartbeatKind;
  id: string;
  /** The agent's profile (agents only). */
  profile?: string;
}

export interface HeartbeatResult {
  tenantId: string;
  kind: HeartbeatKind;
  profile: string;
  id: string;
  lastSeen: string;
  status: string;
}

export class HeartbeatMonitor {
  private current: HeartbeatSettings;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private sweeping: Promise<unknown> | undefined;

  constructor(
    private readonly store: Store,
    /** The tables heartbeats find their objects in (the on-premises family's), asked for when first needed. */
    private readonly tables: () => Record<'connectors' | 'sensors' | 'agents', TableMapping>,
    private readonly clock: Clock,
    settings: Partial<HeartbeatSettings> = {},
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    this.current = {
      enabled: settings.enabled ?? false,
      timeoutMs: settings.timeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS,
    };
  }

  settings(): HeartbeatSettings {
    return { ...this.current };
  }

  /** Changes the settings; the sweeper follows at once (started, stopped or re-timed). */
  configure(settings: Partial<HeartbeatSettings>): HeartbeatSettings {
    if (settings.timeoutMs !== undefined && (!Number.isFinite(settings.timeoutMs) || settings.timeoutMs < 100)) {
      throw errors.adminBadRequest('The heartbeat timeout must be at least 100 ms.', 'timeoutSeconds');
    }
    this.current = { ...this.current, ...settings };
    if (this.running) this.schedule();
    return this.settings();
  }

  /** Starts the sweeper (when the simulation is on); call once the server is up. */
  start(): void {
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (!this.running || !this.current.enabled) return;
    this.timer = setInterval(
      () => void this.sweep().catch(this.onError),
      Math.max(100, Math.floor(this.current.timeoutMs / 4)),
    );
    this.timer.unref();
  }

  /** Checks every recorded heartbeat against the timeout now (does nothing while the simulation is off). */
  async sweep(): Promise<{ inactive: number; active: number }> {
    if (!this.current.enabled) return { inactive: 0, active: 0 };
    // One sweep at a time: a slow database must not pile them up.
    while (this.sweeping) await this.sweeping.catch(() => undefined);
    const cutoff = new Date(this.clock.now().getTime() - this.current.timeoutMs).toISOString();
    const run = this.store.sweepHeartbeats(cutoff, HEARTBEAT_TARGETS);
    this.sweeping = run;
    try {
      return await run;
    } finally {
      this.sweeping = undefined;
    }
  }

  /** Reads a heartbeat as a client sends it; a mistake is a Graph-shaped 400. */
  static read(raw: unknown, defaultTenant: string): HeartbeatInput {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw errors.adminBadRequest('A heartbeat is a JSON object: {"kind": "connector", "id": "<GUID>"}.');
    const body = raw as Record<string, unknown>;
    for (const key of Object.keys(body)) {
      if (!['tenantId', 'kind', 'id', 'profile'].includes(key))
        throw errors.adminBadRequest(`Unknown member '${key}' (a heartbeat has tenantId, kind, id, profile).`, key);
    }
    const tenantId = body.tenantId ?? defaultTenant;
    if (typeof tenantId !== 'string' || !isGuid(tenantId))
      throw errors.adminBadRequest('tenantId must be a GUID.', 'tenantId');
    if (typeof body.kind !== 'string' || !KINDS.includes(body.kind as HeartbeatKind))
      throw errors.adminBadRequest(`kind must be one of ${KINDS.join(', ')}.`, 'kind');
    if (typeof body.id !== 'string' || !isGuid(body.id)) throw errors.adminBadRequest('id must be a GUID.', 'id');
    if (body.profile !== undefined && typeof body.profile !== 'string')
      throw errors.adminBadRequest('profile must be a string.', 'profile');
    return {
      tenantId: tenantId.toLowerCase(),
      kind: body.kind as HeartbeatKind,
      id: body.id.toLowerCase(),
      profile: body.profile as string | undefined,
    };
  }

  /**
   * Records a heartbeat of an object that exists (404 otherwise). While the simulation is on, an
   * inactive object turns active again.
   */
  async record(
    input: HeartbeatInput,
    normalizeProfile: (profile: string) => string | undefined,
  ): Promise<HeartbeatResult> {
    const { table, scope, profile } = this.target(input, normalizeProfile);
    const found = await this.store.get(table, scope, input.id);
    if (!found) throw errors.resourceNotFound(input.id);
    const lastSeen = this.clock.now().toISOString();
    await this.store.recordHeartbeat({
      tenantId: input.tenantId,
      kind: input.kind,
      profileId: profile,
      id: input.id,
      lastSeen,
    });
    let status = String(found.status);
    if (this.current.enabled && status === 'inactive') {
      if (
        await this.store.update(
          table,
          scope,
          input.id,
          { status: 'active' },
          { where: { sql: 'status = ?', params: ['inactive'] } },
        )
      )
        status = 'active';
    }
    return { tenantId: input.tenantId, kind: input.kind, profile, id: input.id, lastSeen, status };
  }

  private target(
    input: HeartbeatInput,
    normalizeProfile: (profile: string) => string | undefined,
  ): { table: TableMapping; scope: Scope; profile: string } {
    switch (input.kind) {
      case 'connector':
        return { table: this.tables().connectors, scope: { tenantId: input.tenantId }, profile: 'applicationProxy' };
      case 'sensor':
        return { table: this.tables().sensors, scope: { tenantId: input.tenantId }, profile: 'privateAccess' };
      case 'agent': {
        const profile = input.profile === undefined ? undefined : normalizeProfile(input.profile);
        if (!profile || NOT_HYBRID_AGENT_PROFILES.has(profile)) {
          throw errors.adminBadRequest(
            'An agent\'s heartbeat names its hybrid agent profile (e.g. "profile": "provisioning").',
            'profile',
          );
        }
        return { table: this.tables().agents, scope: { tenantId: input.tenantId, parents: [profile] }, profile };
      }
    }
  }
}
