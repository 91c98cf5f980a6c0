import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { fixtureContext } from '../admin/fixture.js';
import { HeartbeatMonitor, type HeartbeatSettings } from '../admin/heartbeats.js';
import { SeededIds } from '../admin/seeded-ids.js';
import { ControlledClock } from '../admin/controlled-clock.js';
import { allPermissions } from '../auth/identity.js';
import type { Family } from '../family/family.js';
import type { Clock } from '../resources/clock.js';
import type { IdGenerator } from '../resources/id-generator.js';
import type { Engine } from '../resources/engine.js';
import type { ResourceRegistry } from '../resources/registry.js';
import type { Store } from '../store/store.js';
import { registerAdminRoutes } from './admin-routes.js';
import { FaultInjector } from './faults.js';
import { registerHealthRoute } from './health-route.js';
import { adminKeyHash } from '../admin/admin-key.js';
import { registerRequestLogging } from './logging.js';
import { requestPattern } from './request-pattern.js';

/**
 * What `createApp` adds around the Graph surface: `/health`, the admin API (`/_admin/`, when an
 * admin key is given), fault injection (opt-in, Graph surface only), the heartbeat sweeper and the
 * per-request log line.
 */
export interface ControlPlaneOptions {
  /** Serves the admin API under `/_admin/` with this key; without it (or `adminKeyHash`) there is no admin API. */
  adminKey?: string;
  /** The key's stored form (`sha256$…`) instead, when only that is known (a key made at an earlier start). */
  adminKeyHash?: string;
  /** Fault rules (empty: no faults). */
  faults?: FaultInjector;
  /** The connector life simulation; off by default. */
  heartbeats?: Partial<HeartbeatSettings>;
}

export interface ControlPlaneParts {
  store: Store;
  /** The family served: its fixture sections, declared heartbeats and permissions. */
  family: Family;
  registry: ResourceRegistry;
  engine: Engine;
  clock: Clock;
  ids: IdGenerator;
  /** Whether requests are logged (a logger was configured). */
  logging: boolean;
  options?: ControlPlaneOptions;
}

export interface ControlPlane {
  faults: FaultInjector;
  heartbeats: HeartbeatMonitor;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The control plane's parts (for `serve`, tests and the console). */
    controlPlane: ControlPlane;
  }
}

export function registerControlPlane(app: FastifyInstance, parts: ControlPlaneParts): ControlPlane {
  const resolver = { model: parts.registry.model, normalizeKey: parts.registry.normalizeKey };
  const options = parts.options ?? {};
  const faults = options.faults ?? new FaultInjector();
  const heartbeats = new HeartbeatMonitor(
    parts.store,
    { name: parts.family.name, targets: parts.family.heartbeats ?? [], registry: parts.registry },
    parts.clock,
    options.heartbeats,
    (error) => app.log.error({ err: error }, 'heartbeat sweep failed'),
  );
  const controlPlane: ControlPlane = { faults, heartbeats };
  app.decorate('controlPlane', controlPlane);

  if (parts.ids instanceof SeededIds) {
    faults.reseed(parts.ids.currentSeed);
    parts.ids.onSeed((seed) => faults.reseed(seed));
  }
  if (parts.clock instanceof ControlledClock) {
    parts.clock.onChange(() => {
      if (heartbeats.settings().enabled)
        void heartbeats.sweep().catch((error) => app.log.error({ err: error }, 'heartbeat sweep failed'));
    });
  }
  app.addHook('onReady', async () => heartbeats.start());
  app.addHook('onClose', async () => heartbeats.stop());
  const forgetTenants = sharedDataChanges(app, parts);

  if (parts.logging) registerRequestLogging(app, resolver);

  // Faults: only on the Graph surface, after the request ids are set, before anything else.
  // A callback hook: without rules it costs one check per request, no promise.
  app.addHook('onRequest', (request, _reply, done) => {
    if (!faults.active) return done();
    const pattern = requestPattern(request, resolver);
    if (pattern.surface !== 'graph') return done();
    const decision = faults.decide({
      method: request.method,
      path: pattern.path,
      pattern: pattern.pattern,
      authorization: request.headers.authorization,
    });
    const answer = () => done(decision.error);
    if (decision.latencyMs > 0) setTimeout(answer, decision.latencyMs);
    else answer();
  });

  registerHealthRoute(app, parts.store);
  const keyHash = options.adminKey !== undefined ? adminKeyHash(options.adminKey) : options.adminKeyHash;
  if (keyHash !== undefined) {
    registerAdminRoutes(app, {
      keyHash,
      store: parts.store,
      fixtures: fixtureContext(parts.family),
      dataTables: parts.registry.dataTables(),
      allScopes: allPermissions(parts.family).scopes,
      forgetTenants,
      clock: parts.clock,
      ids: parts.ids,
      faults,
      heartbeats,
    });
  }
  return controlPlane;
}

/** The setting a reset or an import changes, so that other instances on the same database notice. */
const DATA_GENERATION = 'admin.dataGeneration';
const GENERATION_POLL_MS = 1000;

/**
 * What a reset or import does to the engine's per-process tenant cache. On PostgreSQL, where
 * several instances share the data, it also records a new data generation, which every instance
 * checks once a second (forgetting its cache when it changed). SQLite has one server per folder.
 */
function sharedDataChanges(app: FastifyInstance, parts: ControlPlaneParts): (tenantId?: string) => Promise<void> {
  const shared = parts.store.dialect.sharedByInstances;
  let seen: string | undefined;
  if (shared) {
    let timer: NodeJS.Timeout | undefined;
    const check = async () => {
      const current = await parts.store.getSetting(DATA_GENERATION);
      if (current !== seen) parts.engine.tenants.forget();
      seen = current;
    };
    app.addHook('onReady', async () => {
      seen = await parts.store.getSetting(DATA_GENERATION).catch(() => undefined);
      timer = setInterval(() => void check().catch(() => undefined), GENERATION_POLL_MS);
      timer.unref();
    });
    app.addHook('onClose', async () => clearInterval(timer));
  }
  return async (tenantId) => {
    parts.engine.tenants.forget(tenantId);
    if (!shared) return;
    seen = randomUUID();
    await parts.store.putSetting(DATA_GENERATION, seen);
  };
}
