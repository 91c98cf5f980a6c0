import { errors } from '../graph/errors.js';
import type { CollectionBehaviour, OperationContext } from './collection.js';
import { CONNECTOR_GROUPS } from './connectors.js';
import type { Entity } from '../store/store.js';
import type { FamilyTables } from './tables.js';

/**
 * Applications, as far as application proxy needs them: the directory basics and the full
 * `onPremisesPublishing` complex type, validated from the model. Graph's application is an open
 * type, so properties outside localgraph's subset of it are kept as sent. An application's
 * connector group can be assigned only once app proxy is configured on it (before, the live service
 * answers `Application_NotFound`); without an assignment it reads as the tenant's default group, as
 * the live service does after the assignment is removed.
 */

/** What Graph fills in when app proxy is first configured on an app (docs defaults). */
const ON_PREMISES_PUBLISHING_DEFAULTS: Record<string, unknown> = {
  applicationServerTimeout: 'default',
  externalAuthenticationType: 'aadPreAuthentication',
  isBackendCertificateValidationEnabled: true,
  isHttpOnlyCookieEnabled: false,
  isOnPremPublishingEnabled: true,
  isPersistentCookieEnabled: false,
  isSecureCookieEnabled: true,
  isTranslateHostHeaderEnabled: true,
  isTranslateLinksInBodyEnabled: false,
  trafficRoutingMethod: 'none',
};

function completePublishing(_ctx: OperationContext, entity: Entity): void {
  const publishing = entity.onPremisesPublishing;
  if (typeof publishing === 'object' && publishing !== null) {
    entity.onPremisesPublishing = { ...ON_PREMISES_PUBLISHING_DEFAULTS, ...(publishing as Record<string, unknown>) };
  }
}

export function applicationsBehaviour(tables: FamilyTables): CollectionBehaviour {
  const writable = ['description', 'displayName', 'identifierUris', 'onPremisesPublishing', 'signInAudience', 'tags', 'web'];
  const ignored = ['id', 'appId', 'createdDateTime', 'deletedDateTime'];
  return {
    path: 'applications',
    type: tables.applications.type,
    table: tables.applications,
    scope: (tenantId) => ({ tenantId }),
    create: {
      rules: { writable, ignored, required: ['displayName'] },
      clientId: 'server',
      defaults: (ctx) => ({
        appId: ctx.ids.newId(),
        createdDateTime: ctx.clock.now().toISOString().replace(/\.\d{3}Z$/, 'Z'),
        identifierUris: [],
        signInAudience: 'AzureADMyOrg',
        tags: [],
      }),
      prepare: completePublishing,
    },
    update: { rules: { writable, ignored }, prepare: completePublishing },
    remove: {},
    relationships: {
      connectorGroup: {
        target: CONNECTOR_GROUPS,
        targetParents: () => ['applicationProxy'],
        storage: { kind: 'sourceColumn', column: 'connector_group_id' },
        set: true,
        remove: true,
        guardSource: (_ctx, app) => {
          if (app.onPremisesPublishing === null || app.onPremisesPublishing === undefined) throw errors.applicationNotPublished(String(app.id));
        },
        fallback: (ctx) => ctx.tenant.defaultConnectorGroupId,
      },
    },
  };
}
