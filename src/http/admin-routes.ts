import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { adminKeyMatches, presentedAdminKey } from '../admin/admin-key.js';
import { ControlledClock } from '../admin/controlled-clock.js';
import { parseDuration } from '../admin/durations.js';
import type { FixtureContext } from '../admin/fixture.js';
import { exportFixture } from '../admin/fixture-export.js';
import { importFixture } from '../admin/fixture-import.js';
import type { HeartbeatMonitor } from '../admin/heartbeats.js';
import { resetTenants } from '../admin/reset.js';
import { SeededIds } from '../admin/seeded-ids.js';
import { defaultIdentity, userObjectId } from '../auth/identity.js';
import { activeSigningKey } from '../auth/signing-key.js';
import { issueAccessToken } from '../auth/tokens.js';
import { errors } from '../graph/errors.js';
import { isGuid } from '../odata/guid.js';
import type { Clock } from '../resources/clock.js';
import type { IdGenerator } from '../resources/id-generator.js';
import type { Store } from '../store/store.js';
import { readFaultRules, type FaultInjector } from './faults.js';

/**
 * The admin API, under `/_admin/`, apart from the Graph surface: its own credential (the admin
 * key, not a Graph token, outside the permission matrix), never throttled or faulted, errors in
 * Graph's envelope. See docs/admin.md.
 *
 *   GET    /_admin/                     what the server is doing (clock, id seed, faults, heartbeats)
 *   POST   /_admin/reset                {tenantId?, registrations?}: remove Graph data
 *   POST   /_admin/import               a fixture: replaces the tenants it names
 *   GET    /_admin/export[?tenant=ID]   the current state as a fixture
 *   GET|PUT /_admin/ids                 {seed: "…" | null}: deterministic ids
 *   GET|PUT /_admin/clock               {freeze: ISO} | {advance: "30s" | advanceSeconds: 30} | {system: true}
 *   GET|PUT|DELETE /_admin/faults       fault rules
 *   GET|POST /_admin/heartbeats         record heartbeats / list them
 *   GET|PUT /_admin/heartbeats/settings {enabled, timeoutSeconds}
 *   POST   /_admin/heartbeats/sweep     check the timeouts now
 *   POST   /_admin/token                {tenantId?, scopes? | roles?, user?, lifetimeSeconds?}: a Graph token
 */
export const ADMIN_PREFIX = '/_admin';

export interface AdminParts {
  /** The admin key's stored form (`sha256$…`, src/admin/admin-key.ts). */
  keyHash: string;
  store: Store;
  /** The family's fixture sections. */
  fixtures: FixtureContext;
  /** Every table of a tenant's Graph data (the registry's). */
  dataTables: readonly string[];
  /** Every delegated permission of the family served: a user token's scopes when none are asked for. */
  allScopes: string[];
  /**
   * After a reset or an import: the engine forgets what it knew of the tenants (their default
   * group), here and, on a shared database, in the other instances.
   */
  forgetTenants(tenantId?: string): Promise<void>;
  clock: Clock;
  ids: IdGenerator;
  faults: FaultInjector;
  heartbeats: HeartbeatMonitor;
}

/** Fixtures can be big; the Graph surface's 1 MiB limit does not apply to them. */
const IMPORT_BODY_LIMIT = 64 * 1024 * 1024;
const MAX_TOKEN_LIFETIME_SECONDS = 7 * 24 * 3600;
const randomIds: IdGenerator = { newId: () => randomUUID() };

function object(body: unknown, example: string): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw errors.adminBadRequest(`Expected a JSON object, such as ${example}.`);
  return body as Record<string, unknown>;
}

function onlyKeys(body: Record<string, unknown>, keys: string[]): void {
  for (const key of Object.keys(body))
    if (!keys.includes(key))
      throw errors.adminBadRequest(`Unknown member '${key}' (expected ${keys.join(', ')}).`, key);
}

function tenantParam(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !isGuid(value)) throw errors.adminBadRequest(`${name} must be a tenant GUID.`, name);
  return value.toLowerCase();
}

function permissionList(value: unknown, name: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  throw errors.adminBadRequest(`${name} must be a list of permission names ("A B" or ["A", "B"]).`, name);
}

export function registerAdminRoutes(app: FastifyInstance, parts: AdminParts): void {
  void app.register(
    async (scope) => {
      scope.addHook('onRequest', async (request) => {
        if (!adminKeyMatches(parts.keyHash, presentedAdminKey(request.headers))) throw errors.adminUnauthorized();
      });
      scope.addHook('onSend', async (_request, reply) => {
        reply.header('Cache-Control', 'no-store');
      });
      const defaultTenant = async (): Promise<string> =>
        (await defaultIdentity(parts.store, randomIds, new Date())).tenantId;
      const clock = () => {
        if (!(parts.clock instanceof ControlledClock))
          throw errors.adminBadRequest('This server was given a fixed clock; it cannot be controlled.');
        return parts.clock;
      };
      const ids = () => {
        if (!(parts.ids instanceof SeededIds))
          throw errors.adminBadRequest('This server was given a fixed id generator; it cannot be seeded.');
        return parts.ids;
      };
      const idsState = () =>
        parts.ids instanceof SeededIds
          ? { seed: parts.ids.currentSeed ?? null, issued: parts.ids.issued }
          : { seed: null };
      const heartbeatSettings = () => {
        const s = parts.heartbeats.settings();
        return { enabled: s.enabled, timeoutSeconds: s.timeoutMs / 1000 };
      };

      scope.get('/', async () => ({
        defaultTenant: await defaultTenant(),
        clock:
          parts.clock instanceof ControlledClock
            ? parts.clock.state()
            : { mode: 'fixed', now: parts.clock.now().toISOString() },
        ids: idsState(),
        faults: parts.faults.stats(),
        heartbeats: heartbeatSettings(),
        endpoints: [
          'POST /_admin/reset',
          'POST /_admin/import',
          'GET /_admin/export',
          'GET|PUT /_admin/ids',
          'GET|PUT /_admin/clock',
          'GET|PUT|DELETE /_admin/faults',
          'GET|POST /_admin/heartbeats',
          'GET|PUT /_admin/heartbeats/settings',
          'POST /_admin/heartbeats/sweep',
          'POST /_admin/token',
        ],
      }));

      scope.post('/reset', async (request: FastifyRequest<{ Querystring: { tenant?: string } }>) => {
        const body = object(request.body, '{"tenantId": "<GUID>"}');
        onlyKeys(body, ['tenantId', 'registrations']);
        const tenantId = tenantParam(body.tenantId ?? request.query.tenant, 'tenantId');
        if (body.registrations !== undefined && typeof body.registrations !== 'boolean')
          throw errors.adminBadRequest('registrations must be true or false.', 'registrations');
        const reset = await resetTenants(parts.store, parts.dataTables, {
          tenantId,
          registrations: body.registrations === true,
        });
        if (tenantId !== undefined && reset.length === 0) throw errors.resourceNotFound(tenantId);
        await parts.forgetTenants(tenantId);
        return { reset, registrations: body.registrations === true };
      });

      scope.post('/import', { bodyLimit: IMPORT_BODY_LIMIT }, async (request) => {
        if (request.body === undefined)
          throw errors.adminBadRequest('Send a fixture: {"version": 1, "tenants": [...]}.');
        try {
          return await importFixture(parts.store, parts.fixtures, request.body, {
            ids: parts.ids,
            now: parts.clock.now(),
          });
        } finally {
          // Whatever was written (a later tenant may have failed), the engine reads it afresh.
          await parts.forgetTenants();
        }
      });

      scope.get('/export', async (request: FastifyRequest<{ Querystring: { tenant?: string } }>, reply) => {
        const tenantId = tenantParam(request.query.tenant, 'tenant');
        if (tenantId !== undefined && !(await parts.store.hasTenant(tenantId))) throw errors.resourceNotFound(tenantId);
        const fixture = await exportFixture(parts.store, parts.fixtures, tenantId);
        return reply.type('application/json').send(`${JSON.stringify(fixture, null, 2)}\n`);
      });

      scope.get('/ids', async () => idsState());
      scope.put('/ids', async (request) => {
        const body = object(request.body, '{"seed": "my-test"}');
        onlyKeys(body, ['seed']);
        if (body.seed !== null && (typeof body.seed !== 'string' || body.seed.length === 0))
          throw errors.adminBadRequest('seed must be a non-empty string, or null for random ids.', 'seed');
        ids().setSeed(body.seed === null ? undefined : (body.seed as string));
        return idsState();
      });

      scope.get('/clock', async () => clock().state());
      scope.put('/clock', async (request) => {
        const body = object(request.body, '{"freeze": "2030-01-01T00:00:00Z"}');
        onlyKeys(body, ['freeze', 'advance', 'advanceSeconds', 'system']);
        const given = ['freeze', 'advance', 'advanceSeconds', 'system'].filter((k) => body[k] !== undefined);
        if (given.length !== 1)
          throw errors.adminBadRequest(
            'Give one of freeze (ISO 8601), advance ("30s"), advanceSeconds (30) or system (true).',
          );
        const c = clock();
        if (body.freeze !== undefined) {
          const at = typeof body.freeze === 'string' ? new Date(body.freeze) : new Date(NaN);
          if (Number.isNaN(at.getTime()))
            throw errors.adminBadRequest('freeze must be an ISO 8601 date and time.', 'freeze');
          c.freeze(at);
        } else if (body.advance !== undefined) {
          const ms = typeof body.advance === 'string' ? parseDuration(body.advance) : undefined;
          if (ms === undefined)
            throw errors.adminBadRequest('advance must be a duration such as "30s", "5m" or "1h".', 'advance');
          c.advance(ms / 1000);
        } else if (body.advanceSeconds !== undefined) {
          if (typeof body.advanceSeconds !== 'number' || !Number.isFinite(body.advanceSeconds))
            throw errors.adminBadRequest('advanceSeconds must be a number.', 'advanceSeconds');
          c.advance(body.advanceSeconds);
        } else {
          if (body.system !== true) throw errors.adminBadRequest('system must be true.', 'system');
          c.system();
        }
        return c.state();
      });

      scope.get('/faults', async () => ({ rules: parts.faults.stats() }));
      scope.put('/faults', async (request) => {
        parts.faults.set(readFaultRules(request.body));
        return { rules: parts.faults.stats() };
      });
      scope.delete('/faults', async () => {
        parts.faults.clear();
        return { rules: [] };
      });

      scope.post('/heartbeats', async (request) => {
        const tenant = await defaultTenant();
        const many = Array.isArray(request.body);
        const inputs = (many ? (request.body as unknown[]) : [request.body]).map((raw) =>
          parts.heartbeats.read(raw, tenant),
        );
        const results = [];
        for (const input of inputs) results.push(await parts.heartbeats.record(input));
        return many ? results : results[0];
      });
      scope.get('/heartbeats', async (request: FastifyRequest<{ Querystring: { tenant?: string } }>) => ({
        settings: heartbeatSettings(),
        now: parts.clock.now().toISOString(),
        heartbeats: (await parts.store.listHeartbeats(tenantParam(request.query.tenant, 'tenant'))).map((h) => ({
          tenantId: h.tenantId,
          kind: h.kind,
          ...(h.parent === '' ? {} : { profile: h.parent }),
          id: h.id,
          lastSeen: h.lastSeen,
        })),
      }));
      scope.get('/heartbeats/settings', async () => heartbeatSettings());
      scope.put('/heartbeats/settings', async (request) => {
        const body = object(request.body, '{"enabled": true, "timeoutSeconds": 60}');
        onlyKeys(body, ['enabled', 'timeoutSeconds']);
        if (body.enabled !== undefined && typeof body.enabled !== 'boolean')
          throw errors.adminBadRequest('enabled must be true or false.', 'enabled');
        if (
          body.timeoutSeconds !== undefined &&
          (typeof body.timeoutSeconds !== 'number' || !Number.isFinite(body.timeoutSeconds))
        ) {
          throw errors.adminBadRequest('timeoutSeconds must be a number.', 'timeoutSeconds');
        }
        parts.heartbeats.configure({
          ...(body.enabled !== undefined ? { enabled: body.enabled as boolean } : {}),
          ...(body.timeoutSeconds !== undefined
            ? { timeoutMs: Math.round((body.timeoutSeconds as number) * 1000) }
            : {}),
        });
        return heartbeatSettings();
      });
      scope.post('/heartbeats/sweep', async () => {
        if (!parts.heartbeats.settings().enabled)
          throw errors.adminBadRequest(
            'The heartbeat simulation is off (serve --simulate-heartbeats, or PUT /_admin/heartbeats/settings {"enabled": true}).',
          );
        return parts.heartbeats.sweep();
      });

      scope.post('/token', async (request) => {
        const body = object(request.body, '{"scopes": "Directory.ReadWrite.All"}');
        onlyKeys(body, ['tenantId', 'scopes', 'roles', 'user', 'lifetimeSeconds']);
        const scopes = permissionList(body.scopes, 'scopes');
        const roles = permissionList(body.roles, 'roles');
        if (scopes !== undefined && roles !== undefined)
          throw errors.adminBadRequest('Give scopes (a user token) or roles (an app-only token), not both.');
        if (roles !== undefined && body.user !== undefined)
          throw errors.adminBadRequest('user goes with scopes: app-only tokens have no user.', 'user');
        if (body.user !== undefined && (typeof body.user !== 'string' || body.user.length === 0))
          throw errors.adminBadRequest('user must be a user principal name.', 'user');
        const lifetime = body.lifetimeSeconds ?? 3600;
        if (
          typeof lifetime !== 'number' ||
          !Number.isInteger(lifetime) ||
          lifetime < 1 ||
          lifetime > MAX_TOKEN_LIFETIME_SECONDS
        ) {
          throw errors.adminBadRequest(
            `lifetimeSeconds must be a whole number from 1 to ${MAX_TOKEN_LIFETIME_SECONDS}.`,
            'lifetimeSeconds',
          );
        }
        // Token lifetimes are checked against real time, whatever the server's clock says.
        const now = new Date();
        const identity = await defaultIdentity(parts.store, randomIds, now);
        const tenantId = tenantParam(body.tenantId, 'tenantId') ?? identity.tenantId;
        await parts.store.ensureTenant(tenantId, now);
        const key = await activeSigningKey(parts.store, now);
        const upn = (body.user as string | undefined) ?? identity.userPrincipalName;
        const token = await issueAccessToken(
          key,
          {
            tenantId,
            appId: identity.appId,
            lifetimeSeconds: lifetime,
            ...(roles !== undefined
              ? { roles, servicePrincipalId: identity.servicePrincipalId }
              : {
                  scopes: scopes ?? parts.allScopes,
                  user: {
                    objectId:
                      body.user === undefined && tenantId === identity.tenantId
                        ? identity.userId
                        : userObjectId(tenantId, upn),
                    userPrincipalName: upn,
                  },
                }),
          },
          now,
        );
        return { token_type: 'Bearer', access_token: token, expires_in: lifetime, tenantId };
      });

      scope.all('/*', async (request) => {
        throw errors.adminNotFound(`${request.method} ${request.url.split('?')[0]}`);
      });
    },
    { prefix: ADMIN_PREFIX },
  );
}
