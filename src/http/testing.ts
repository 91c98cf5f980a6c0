import type { FastifyInstance } from 'fastify';
import type { Authenticator } from '../auth/authenticator.js';
import { allPermissions } from '../auth/identity.js';
import { activeSigningKey, type SigningKey } from '../auth/signing-key.js';
import { issueAccessToken } from '../auth/tokens.js';
import { onPremises } from '../family/on-premises/on-premises.js';
import { migrateFamily } from '../store/migrations.js';
import { SqliteDatabase } from '../store/sqlite.js';
import { SqlStore } from '../store/sql-store.js';
import { type AppOptions, createApp } from './app.js';
import { familyRegistry } from '../family/family.js';
import { resolvePath } from '../odata/path.js';
import type { CollectionBehaviour } from '../resources/collection.js';
import { collectionPattern } from '../resources/operations.js';
import { resolveTarget, type Target } from '../resources/target.js';

/**
 * In-process fixtures for the HTTP-level tests of identity and permissions: an app over an
 * in-memory store, tokens signed by its key, and one object of every collection of the family
 * in a tenant. Used by tests only.
 */
export interface TestServer {
  app: FastifyInstance;
  store: SqlStore;
  key: SigningKey;
  /** A delegated token of `tenantId` with exactly these scopes. */
  userToken(tenantId: string, scopes: string[]): Promise<string>;
  /** An app-only token of `tenantId` with exactly these roles. */
  appToken(tenantId: string, roles: string[]): Promise<string>;
}

export async function testServer(
  authenticator?: (store: SqlStore) => Authenticator,
  appOptions: Omit<AppOptions, 'store' | 'authenticator' | 'family'> = {},
): Promise<TestServer> {
  const db = new SqliteDatabase(':memory:');
  await migrateFamily(db, onPremises);
  const store = new SqlStore(db);
  const key = await activeSigningKey(store, new Date());
  const app = createApp({ ...appOptions, store, family: onPremises, authenticator: authenticator?.(store) });
  const ensure = (tenantId: string) => store.ensureTenant(tenantId, new Date());
  return {
    app,
    store,
    key,
    async userToken(tenantId, scopes) {
      await ensure(tenantId);
      return issueAccessToken(
        key,
        {
          tenantId,
          appId: 'b1c2d3e4-0000-4000-8000-000000000001',
          user: {
            objectId: 'aaaaaaaa-0000-4000-8000-000000000001',
            userPrincipalName: `admin@${tenantId.slice(0, 8)}.example`,
          },
          scopes,
        },
        new Date(),
      );
    },
    async appToken(tenantId, roles) {
      await ensure(tenantId);
      return issueAccessToken(
        key,
        {
          tenantId,
          appId: 'b1c2d3e4-0000-4000-8000-000000000002',
          servicePrincipalId: 'bbbbbbbb-0000-4000-8000-000000000002',
          roles,
        },
        new Date(),
      );
    },
  };
}

/** One object of each creatable collection of the family, its id by collection path. */
export type FamilyObjects = Readonly<Record<string, string>>;

const registry = () => familyRegistry(onPremises);

/** What each behaviour should declare in its `example` for the writes it serves, and does not. */
export function missingExamples(collections: CollectionBehaviour[] = registry().all()): string[] {
  return collections.flatMap((b) => [
    ...(b.create && !b.example?.create ? [`${b.path}: example.create`] : []),
    ...(b.update && !b.example?.update ? [`${b.path}: example.update`] : []),
    ...Object.keys(b.properties ?? {})
      .filter((name) => !b.example?.properties?.[name])
      .map((name) => `${b.path}: example.properties.${name}`),
  ]);
}

/**
 * Makes one object of each collection clients can create, in a tenant, as its admin: `POST` with
 * the behaviour's create example, then `PATCH` with its update example (an application is
 * published that way). Contained collections come after the collections their path passes
 * through (an application before its segments). The built-in objects (profiles) exist already.
 */
export async function createFamilyObjects(server: TestServer, tenantId: string): Promise<FamilyObjects> {
  const missing = missingExamples();
  if (missing.length > 0) throw new Error(`behaviours without the examples their writes need: ${missing.join(', ')}`);
  const token = await server.userToken(tenantId, allPermissions(onPremises).scopes);
  const send = async (method: 'POST' | 'PATCH', url: string, payload: object) => {
    const res = await server.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload,
    });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res;
  };
  const { model } = registry();
  const creatable = registry()
    .all()
    .filter((b) => b.create)
    .map((behaviour) => ({ behaviour, pattern: collectionPattern(model, behaviour) }))
    .sort((a, b) => keyCount(a.pattern) - keyCount(b.pattern));
  const objects: Record<string, string> = {};
  for (const { behaviour, pattern } of creatable) {
    const id = (await send('POST', urlFor(pattern, objects), behaviour.example!.create!)).json().id as string;
    objects[behaviour.path] = id;
    if (behaviour.update) await send('PATCH', urlFor(`${pattern}/{id}`, objects), behaviour.example!.update!);
  }
  return objects;
}

const keyCount = (pattern: string) => pattern.split('/').filter((s) => s === '{id}').length;

/**
 * A concrete URL (under `/beta`) for a pattern of the permission matrix: each `{id}` keys the
 * collection the path before it addresses (resolved as the server resolves it), and is the
 * object of `objects` of that collection, or a random GUID when no objects are given. A
 * collection of built-in entities (the profiles) is keyed by the first that serves the rest of
 * the path.
 */
export function urlFor(pattern: string, objects?: FamilyObjects): string {
  const segments = pattern.split('/').filter((s) => s !== '');
  const out: string[] = [];
  for (const [i, segment] of segments.entries())
    out.push(segment === '{id}' ? keyFor(out, segments.slice(i + 1), objects) : segment);
  return `/beta/${out.join('/')}`;
}

/** What a concrete path addresses, as the Graph route resolves it. */
function resolve(segments: string[]): Target {
  const { model, normalizeKey } = registry();
  return resolveTarget(registry(), resolvePath(model, segments.join('/'), normalizeKey));
}

/** The key after the concrete path `before`, for a pattern that goes on with `rest`. */
function keyFor(before: string[], rest: string[], objects?: FamilyObjects): string {
  const target = resolve(before);
  const collection =
    target.kind === 'collection' ? target.behaviour : target.kind === 'related' ? target.target : undefined;
  if (!collection) throw new Error(`/${before.join('/')} is not a collection`);
  if (collection.fixedKeys) {
    // The first built-in entity whose servedBy rules admit the rest of the path.
    const others = rest.map((s) => (s === '{id}' ? crypto.randomUUID() : s));
    const serving = [...collection.fixedKeys].find((key) => resolves([...before, key, ...others]));
    if (!serving) throw new Error(`no entity of ${collection.path} serves …/${rest.join('/')}`);
    return serving;
  }
  if (!objects) return crypto.randomUUID();
  const id = objects[collection.path];
  if (!id) throw new Error(`no object of ${collection.path} was made`);
  return id;
}

function resolves(segments: string[]): boolean {
  try {
    resolve(segments);
    return true;
  } catch {
    return false;
  }
}

/**
 * A valid body for a write of a matrix pattern, so that only what the test checks can refuse it:
 * the collection's example, or for `$ref` writes the `@odata.id` of this tenant's object of the
 * relationship's target collection.
 */
export function exampleBody(pattern: string, objects: FamilyObjects): object {
  const path = urlFor(pattern, objects)
    .replace(/^\/beta\//, '')
    .split('/');
  const target = resolve(path);
  const example = (() => {
    switch (target.kind) {
      case 'collection':
        return target.behaviour.example?.create;
      case 'entity':
        return target.behaviour.example?.update;
      case 'property':
        return target.owner.behaviour.example?.properties?.[target.property.name];
      case 'related': {
        const related = urlFor(`${collectionPattern(registry().model, target.target)}/{id}`, objects);
        return { '@odata.id': `https://graph.microsoft.com${related}` };
      }
    }
  })();
  if (!example) throw new Error(`no example body for ${pattern}: declare it in the behaviour's example`);
  return example;
}
