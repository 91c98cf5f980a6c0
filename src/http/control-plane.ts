import type { FastifyInstance } from 'fastify';
import { fixtureContext } from '../admin/fixture.js';
import { HeartbeatMonitor, type HeartbeatSettings } from '../admin/heartbeats.js';
import { SeededIds } from '../admin/seeded-ids.js';
import { ControlledClock } from '../admin/controlled-clock.js';
import type { Model } from '../model/model.js';
import type { KeyNormalizer } from '../odata/path.js';
import type { Clock, IdGenerator } from '../resources/collection.js';
import type { Engine } from '../resources/engine.js';
import type { Store } from '../store/store.js';
import { registerAdminRoutes } from './admin-routes.js';
import { FaultInjector } from './faults.js';
import { registerHealthRoute } from './health-route.js';
import { registerRequestLogging } from './logging.js';
import { requestPattern } from './request-pattern.js';

/**
 * What `createApp` adds around the Graph surface: `/health`, the admin API (`/_admin/`, when an
 * admin key is given), fault injection (opt-in, Graph surface only), the heartbeat sweeper and the
 * per-request log line.
 */
export interface ControlPlaneOptions {
  /** Serves the admin API under `/_admin/` with this key; without it there is no admin API. */
  adminKey?: string;
  /** Fault rules (empty: no faults). */
  faults?: FaultInjector;
  /** The connector life simulation; off by default. */
  heartbeats?: Partial<HeartbeatSettings>;
}

export interface ControlPlaneParts {
  store: Store;
  model: Model;
  normalizeKey: KeyNormalizer;
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
  const resolver = { model: parts.model, normalizeKey: parts.normalizeKey };
  const options = parts.options ?? {};
  const faults = options.faults ?? new FaultInjector();
  const fixtures = fixtureContext(parts.model);
  const heartbeats = new HeartbeatMonitor(parts.store, fixtures.tables, parts.clock, options.heartbeats, (error) =>
    app.log.error({ err: error }, 'heartbeat sweep failed'),
  );
  const controlPlane: ControlPlane = { faults, heartbeats };
  app.decorate('controlPlane', controlPlane);

  if (parts.ids instanceof SeededIds) {
    faults.reseed(parts.ids.currentSeed);
    parts.ids.onSeed((seed) => faults.reseed(seed));
  }
  if (parts.clock instanceof ControlledClock) {
    parts.clock.onChange(() => {
      if (heartbeats.settings().enabled) void heartbeats.sweep().catch((error) => app.log.error({ err: error }, 'heartbeat sweep failed'));
    });
  }
  app.addHook('onReady', async () => heartbeats.start());
  app.addHook('onClose', async () => heartbeats.stop());

  if (parts.logging) registerRequestLogging(app, resolver);

  // Faults: only on the Graph surface, after the request ids are set, before anything else.
  app.addHook('onRequest', async (request) => {
    if (!faults.active) return;
    const pattern = requestPattern(request, resolver);
    if (pattern.surface !== 'graph') return;
    const decision = faults.decide({ method: request.method, path: pattern.path, pattern: pattern.pattern, authorization: request.headers.authorization });
    if (decision.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.latencyMs));
    if (decision.error) throw decision.error;
  });

  registerHealthRoute(app, parts.store);
  if (options.adminKey !== undefined) {
    const publishingType = parts.model.enumType('microsoft.graph.onPremisesPublishingType');
    registerAdminRoutes(app, {
      key: options.adminKey,
      store: parts.store,
      fixtures,
      tenants: parts.engine.tenants,
      clock: parts.clock,
      ids: parts.ids,
      faults,
      heartbeats,
      normalizeProfile: (profile) => publishingType.parse(profile),
    });
  }
  return controlPlane;
}
