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
  appOptions: Omit<AppOptions, 'store' | 'authenticator'> = {},
): Promise<TestServer> {
  const db = new SqliteDatabase(':memory:');
  await migrateFamily(db, onPremises);
  const store = new SqlStore(db);
  const key = await activeSigningKey(store, new Date());
  const app = createApp({ ...appOptions, store, authenticator: authenticator?.(store) });
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

/** The profile a collection of the family lives under. */
export function profileFor(pattern: string): string {
  if (/\/(agents|agentGroups|publishedResources|hybridAgentUpdaterConfiguration)/.test(pattern)) return 'provisioning';
  if (pattern.includes('/sensors')) return 'privateAccess';
  return 'applicationProxy';
}

/** Ids of one object of each collection, made in a tenant by its admin. */
export interface FamilyObjects {
  connectorGroup: string;
  connector: string;
  agent: string;
  agentGroup: string;
  publishedResource: string;
  sensor: string;
  application: string;
  segment: string;
}

export const SEGMENTS_PATH =
  'onPremisesPublishing/segmentsConfiguration/microsoft.graph.ipSegmentConfiguration/applicationSegments';

export async function createFamilyObjects(server: TestServer, tenantId: string): Promise<FamilyObjects> {
  const token = await server.userToken(tenantId, allPermissions().scopes);
  const send = async (method: 'POST' | 'PATCH', url: string, payload: object): Promise<string> => {
    const res = await server.app.inject({
      method,
      url: `/beta${url}`,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload,
    });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.body ? (res.json().id as string) : '';
  };
  const device = { externalIp: '10.0.0.1', machineName: 'host.contoso.com', status: 'active' };
  const application = await send('POST', '/applications', { displayName: 'Contoso app' });
  await send('PATCH', `/applications/${application}`, {
    onPremisesPublishing: {
      externalUrl: 'https://app.contoso.com',
      internalUrl: 'http://app',
      externalAuthenticationType: 'passthru',
      applicationType: 'nonwebapp',
    },
  });
  return {
    connectorGroup: await send('POST', '/onPremisesPublishingProfiles/applicationProxy/connectorGroups', {
      name: 'Group A',
    }),
    connector: await send('POST', '/onPremisesPublishingProfiles/applicationProxy/connectors', device),
    agent: await send('POST', '/onPremisesPublishingProfiles/provisioning/agents', {
      ...device,
      supportedPublishingTypes: ['provisioning'],
    }),
    agentGroup: await send('POST', '/onPremisesPublishingProfiles/provisioning/agentGroups', {
      displayName: 'Agents A',
    }),
    publishedResource: await send('POST', '/onPremisesPublishingProfiles/provisioning/publishedResources', {
      displayName: 'Resource A',
      resourceName: 'a.contoso.com',
    }),
    sensor: await send('POST', '/onPremisesPublishingProfiles/privateAccess/sensors', {
      ...device,
      isBreakglassEnabled: false,
      version: '1.0.0.0',
    }),
    application,
    segment: await send('POST', `/applications/${application}/${SEGMENTS_PATH}`, {
      destinationHost: 'db.contoso.com',
      destinationType: 'fqdn',
      ports: ['1433-1433'],
      protocol: 'tcp',
    }),
  };
}

/**
 * A concrete URL (under `/beta`) for a matrix pattern: the right profile, and each `{id}` the
 * object of `objects` that the segment before it names (random GUIDs when there are none).
 */
export function urlFor(pattern: string, objects?: FamilyObjects): string {
  const segments = pattern.split('/');
  const out: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (segment !== '{id}') {
      out.push(segment);
      continue;
    }
    const owner = segments[i - 1];
    if (owner === 'onPremisesPublishingProfiles') {
      out.push(profileFor(pattern));
      continue;
    }
    const byCollection: Record<string, keyof FamilyObjects> = {
      connectors: 'connector',
      memberOf: 'connectorGroup',
      connectorGroups: 'connectorGroup',
      members: 'connector',
      agents: 'agent',
      agentGroups: 'agentGroup',
      publishedResources: 'publishedResource',
      sensors: 'sensor',
      applications: 'application',
      applicationSegments: 'segment',
    };
    const name = byCollection[owner];
    out.push(objects && name ? objects[name] : crypto.randomUUID());
  }
  return `/beta${out.join('/')}`;
}
