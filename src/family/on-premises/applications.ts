import { type PermissionRow, rows } from '../../auth/permission-row.js';
import { errors } from '../../graph/errors.js';
import type { CollectionBehaviour, OperationContext } from '../../resources/collection.js';
import { CONNECTOR_GROUPS } from './connectors.js';
import { customDomainCertificateMetadata, UnreadableCertificate } from './custom-domain-certificate.js';
import type { Entity } from '../../store/store.js';
import type { Model } from '../../model/model.js';
import { tableFor } from '../../store/table.js';
import { APP_R, APP_RW, DIR_R, DIR_RW, DOCS } from './permission-scopes.js';

/**
 * Applications, as far as application proxy needs them: the directory basics and the full
 * `onPremisesPublishing` complex type, validated from the model. Graph's application is an open
 * type, so properties outside localgraph's subset of it are kept as sent. An application's
 * connector group can be assigned only once app proxy is configured on it (before, the live service
 * answers `Application_NotFound`); without an assignment it reads as the tenant's default group, as
 * the live service does after the assignment is removed. A custom domain's certificate is taken
 * in `verifiedCustomDomainKeyCredential` (write-only, like its password) and described, read from
 * it, in `verifiedCustomDomainCertificatesMetadata`.
 */

/**
 * What Graph fills in when app proxy is first configured on an app: the docs' defaults, and false
 * for the switches the docs show false on an app that never set them (ipapplicationsegment-get's
 * expanded application: isStateSessionEnabled, isDnsResolutionEnabled,
 * useAlternateUrlForTranslationAndRedirect).
 */
const ON_PREMISES_PUBLISHING_DEFAULTS: Record<string, unknown> = {
  applicationServerTimeout: 'default',
  externalAuthenticationType: 'aadPreAuthentication',
  isBackendCertificateValidationEnabled: true,
  isDnsResolutionEnabled: false,
  isHttpOnlyCookieEnabled: false,
  isOnPremPublishingEnabled: true,
  isPersistentCookieEnabled: false,
  isSecureCookieEnabled: true,
  isStateSessionEnabled: false,
  isTranslateHostHeaderEnabled: true,
  isTranslateLinksInBodyEnabled: false,
  trafficRoutingMethod: 'none',
  useAlternateUrlForTranslationAndRedirect: false,
};

function completePublishing(_ctx: OperationContext, entity: Entity): void {
  const publishing = entity.onPremisesPublishing;
  if (typeof publishing === 'object' && publishing !== null) {
    const complete: Record<string, unknown> = {
      ...ON_PREMISES_PUBLISHING_DEFAULTS,
      ...(publishing as Record<string, unknown>),
    };
    complete.verifiedCustomDomainCertificatesMetadata = certificateMetadata(complete);
    entity.onPremisesPublishing = complete;
  }
}

/** The uploaded certificate's description, or null when none is uploaded. */
function certificateMetadata(publishing: Record<string, unknown>): Record<string, unknown> | null {
  const key = (publishing.verifiedCustomDomainKeyCredential as Record<string, unknown> | null | undefined)?.key;
  if (typeof key !== 'string' || key === '') return null;
  const password = (publishing.verifiedCustomDomainPasswordCredential as Record<string, unknown> | null | undefined)
    ?.secretText;
  try {
    return { ...customDomainCertificateMetadata(key, typeof password === 'string' ? password : undefined) };
  } catch (error) {
    if (error instanceof UnreadableCertificate)
      throw errors.invalidValue('onPremisesPublishing/verifiedCustomDomainKeyCredential', 'application', error.message);
    throw error;
  }
}

const APPS = '/applications';
const GRAPH_DOCS = 'Graph docs for applications';

// Applications, as application proxy uses them (A1-A3)
const APPLICATION_PERMISSIONS: PermissionRow[] = [
  ...rows(['GET'], APPS, [APP_R, APP_RW, DIR_R, DIR_RW], [APP_R, APP_RW, DIR_R, DIR_RW], GRAPH_DOCS),
  ...rows(['POST'], APPS, [APP_RW, DIR_RW], [APP_RW, DIR_RW], GRAPH_DOCS),
  ...rows(['GET'], `${APPS}/{id}`, [APP_R, APP_RW, DIR_R, DIR_RW], [APP_R, APP_RW, DIR_R, DIR_RW], GRAPH_DOCS),
  ...rows(['PATCH', 'DELETE'], `${APPS}/{id}`, [APP_RW, DIR_RW], [APP_RW, DIR_RW], GRAPH_DOCS),
  ...rows(['PUT'], `${APPS}/{id}/connectorGroup/$ref`, [DIR_RW], [], DOCS),
  ...rows(['DELETE'], `${APPS}/{id}/connectorGroup/$ref`, [DIR_RW], [], 'undocumented; as the assignment (PUT)'),
  ...rows(
    ['GET'],
    `${APPS}/{id}/connectorGroup`,
    [APP_R, APP_RW, DIR_RW],
    [APP_R, APP_RW, DIR_RW],
    'undocumented; as reading the application',
  ),
];

export function applicationsBehaviour(model: Model): CollectionBehaviour {
  const table = tableFor('applications', model.structured('microsoft.graph.application'), [], 'open_properties');
  const writable = [
    'description',
    'displayName',
    'identifierUris',
    'onPremisesPublishing',
    'signInAudience',
    'tags',
    'web',
  ];
  const ignored = ['id', 'appId', 'createdDateTime', 'deletedDateTime'];
  return {
    path: 'applications',
    type: table.type,
    table,
    // Created bare, then published by a PATCH as clients configure app proxy (its connector group needs that).
    example: {
      create: { displayName: 'Contoso Intranet' },
      update: {
        onPremisesPublishing: {
          externalUrl: 'https://intranet-contoso.msappproxy.net/',
          internalUrl: 'http://intranet.contoso.com/',
          externalAuthenticationType: 'passthru',
          applicationType: 'nonwebapp',
        },
      },
    },
    scope: (tenantId) => ({ tenantId }),
    create: {
      rules: { writable, ignored, required: ['displayName'] },
      clientId: 'server',
      defaults: (ctx) => ({
        appId: ctx.ids.newId(),
        createdDateTime: ctx.clock
          .now()
          .toISOString()
          .replace(/\.\d{3}Z$/, 'Z'),
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
          if (app.onPremisesPublishing === null || app.onPremisesPublishing === undefined)
            throw errors.applicationNotPublished(String(app.id));
        },
        fallback: (ctx) => ctx.tenant.defaultConnectorGroupId,
      },
    },
    permissions: APPLICATION_PERMISSIONS,
  };
}
