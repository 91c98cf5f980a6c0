import { errors } from '../graph/errors.js';
import { isGuid } from '../odata/guid.js';
import type { HeartbeatTarget } from '../family/heartbeat-target.js';
import type { Clock } from '../resources/clock.js';
import type { CollectionBehaviour } from '../resources/collection.js';
import type { ResourceRegistry } from '../resources/registry.js';
import { servingParent, type ServingParent } from '../resources/serving-parent.js';
import type { HeartbeatTable, Store } from '../store/store.js';

/**
 * Connector life, simulated on request: the objects of the collections the family declares
 * (`Family.heartbeats`: the on-premises family's connectors, agents and sensors) report
 * heartbeats (`POST /_admin/heartbeats`, or `localgraph simulate connectors`), which are recorded
 * with the server's clock. While the simulation is on (`serve --simulate-heartbeats`), a sweeper
 * sets `inactive` whatever has not been heard from for the timeout, and a heartbeat from an
 * inactive one sets it `active` again. Objects that never sent a heartbeat are never touched, and
 * with the simulation off (the default) nothing changes status on its own.
 */
export interface HeartbeatSettings {
  enabled: boolean;
  timeoutMs: number;
}

export const DEFAULT_HEARTBEAT_TIMEOUT_MS = 60_000;

export interface HeartbeatInput {
  tenantId: string;
  kind: string;
  id: string;
  /** The parent the object is under, for a kind whose heartbeats name it (the agent's profile). */
  profile?: string;
}

export interface HeartbeatResult {
  tenantId: string;
  kind: string;
  /** The parent the object is under; absent for a collection without one. */
  profile?: string;
  id: string;
  lastSeen: string;
  status: string;
}

/** A declared target with the behaviours it names, checked once. */
interface ResolvedTarget {
  kind: string;
  behaviour: CollectionBehaviour;
  /** The parent: the same for every object, or named by each heartbeat among those that serve the collection. */
  parent?: { fixed: string } | { named: ServingParent };
  table: HeartbeatTable;
}

/** The family served: its name (for messages), its heartbeat targets and the behaviours they name. */
export interface HeartbeatFamily {
  name: string;
  targets: readonly HeartbeatTarget[];
  registry: ResourceRegistry;
}

export class HeartbeatMonitor {
  private current: HeartbeatSettings;
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private sweeping: Promise<unknown> | undefined;
  private readonly targets: Map<string, ResolvedTarget>;

  constructor(
    private readonly store: Store,
    private readonly family: HeartbeatFamily,
    private readonly clock: Clock,
    settings: Partial<HeartbeatSettings> = {},
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    this.current = {
      enabled: settings.enabled ?? false,
      timeoutMs: settings.timeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS,
    };
    this.targets = new Map(family.targets.map((t) => [t.kind, resolve(t, family.registry)]));
    if (this.targets.size !== family.targets.length)
      throw new Error(`family ${family.name}: heartbeat kinds must differ (${family.targets.map((t) => t.kind)})`);
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
    const run = this.store.sweepHeartbeats(
      cutoff,
      [...this.targets.values()].map((t) => t.table),
    );
    this.sweeping = run;
    try {
      return await run;
    } finally {
      this.sweeping = undefined;
    }
  }

  /**
   * Reads a heartbeat as a client sends it; a mistake is a Graph-shaped 400. A family that
   * declares no heartbeats answers 501: its objects have no life to simulate.
   */
  read(raw: unknown, defaultTenant: string): HeartbeatInput {
    const kinds = [...this.targets.keys()];
    if (kinds.length === 0) throw errors.notImplemented(`The heartbeat simulation for the ${this.family.name} family`);
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw errors.adminBadRequest(`A heartbeat is a JSON object: {"kind": "${kinds[0]}", "id": "<GUID>"}.`);
    const body = raw as Record<string, unknown>;
    for (const key of Object.keys(body)) {
      if (!['tenantId', 'kind', 'id', 'profile'].includes(key))
        throw errors.adminBadRequest(`Unknown member '${key}' (a heartbeat has tenantId, kind, id, profile).`, key);
    }
    const tenantId = body.tenantId ?? defaultTenant;
    if (typeof tenantId !== 'string' || !isGuid(tenantId))
      throw errors.adminBadRequest('tenantId must be a GUID.', 'tenantId');
    if (typeof body.kind !== 'string' || !this.targets.has(body.kind)) throw this.unknownKind();
    if (typeof body.id !== 'string' || !isGuid(body.id)) throw errors.adminBadRequest('id must be a GUID.', 'id');
    if (body.profile !== undefined && typeof body.profile !== 'string')
      throw errors.adminBadRequest('profile must be a string.', 'profile');
    return {
      tenantId: tenantId.toLowerCase(),
      kind: body.kind,
      id: body.id.toLowerCase(),
      profile: body.profile as string | undefined,
    };
  }

  /**
   * Records a heartbeat of an object that exists (404 otherwise). While the simulation is on, an
   * inactive object turns active again.
   */
  async record(input: HeartbeatInput): Promise<HeartbeatResult> {
    const target = this.targets.get(input.kind);
    if (!target) throw this.unknownKind();
    const parent = this.parentOf(target, input);
    const { table } = target.behaviour;
    const scope = target.behaviour.scope(input.tenantId, parent === undefined ? [] : [parent]);
    const found = await this.store.get(table, scope, input.id);
    if (!found) throw errors.resourceNotFound(input.id);
    const lastSeen = this.clock.now().toISOString();
    await this.store.recordHeartbeat({
      tenantId: input.tenantId,
      kind: input.kind,
      parent: parent ?? '',
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
    return {
      tenantId: input.tenantId,
      kind: input.kind,
      ...(parent === undefined ? {} : { profile: parent }),
      id: input.id,
      lastSeen,
      status,
    };
  }

  private unknownKind() {
    return errors.adminBadRequest(`kind must be one of ${[...this.targets.keys()].join(', ')}.`, 'kind');
  }

  /** The parent key the object is under: the declared one, or the one the heartbeat names (400 if none serves it). */
  private parentOf({ kind, parent }: ResolvedTarget, input: HeartbeatInput): string | undefined {
    if (!parent || 'fixed' in parent) return parent?.fixed;
    const key = parent.named.key(input.profile);
    if (key !== undefined) return key;
    const { keys } = parent.named;
    throw errors.adminBadRequest(
      `A heartbeat of kind '${kind}' names the profile its object is under` +
        (keys.length > 0 ? ` (one of ${keys.join(', ')}).` : '.'),
      'profile',
    );
  }
}

/**
 * A declared target's behaviours, and the table the sweep drives; a declaration the family's
 * behaviours do not bear out is a mistake in the family, found when the server is built.
 */
function resolve(declared: HeartbeatTarget, registry: ResourceRegistry): ResolvedTarget {
  const { kind, collection, parent } = declared;
  const fail = (why: string) => new Error(`heartbeat kind ${kind}: ${why}`);
  const behaviour = registry.collection(collection);
  if (!behaviour) throw fail(`no collection ${collection}`);
  if (behaviour.table.byProperty.get('status')?.column !== 'status') throw fail(`${collection} has no status`);
  const { table, scopeColumns } = behaviour.table;
  if (parent !== 'named')
    return { kind, behaviour, parent, table: { kind, table, parent: { fixed: parent?.fixed ?? '' } } };
  const named = servingParent(registry, behaviour);
  if (!named) throw fail(`${collection} is not under a collection of fixed keys`);
  if (scopeColumns.length !== 1) throw fail(`${collection} is not kept under one parent key`);
  return { kind, behaviour, parent: { named }, table: { kind, table, parent: { column: scopeColumns[0] } } };
}
