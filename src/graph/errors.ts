/**
 * The one catalog of errors localgraph answers with. Every step of the request pipeline throws
 * these; the HTTP edge renders them once, in Graph's envelope (`renderError`). Codes and messages
 * follow what real Graph returns for the directory-like resources of this family
 * (`Request_*`, `Authorization_*`), and `BadRequest` for JSON and URL parse errors.
 */

export interface ErrorDetail {
  code: string;
  message: string;
  target?: string;
}

export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetail[],
    /** Extra response headers the error needs (e.g. `WWW-Authenticate`, `Retry-After`). */
    readonly headers?: Record<string, string>,
    /** Extra members of `innerError`, written before `date` (throttling's `code`, `message`, `status`). */
    readonly inner?: Record<string, string>,
    /** Fields the request's log line gets (a 403's reason), never sent to the client. */
    readonly logFields?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

const wwwAuthenticate = {
  'WWW-Authenticate':
    'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"',
};

function invalidToken(message: string): GraphError {
  return new GraphError(401, 'InvalidAuthenticationToken', message, undefined, wwwAuthenticate);
}

export const errors = {
  invalidJson: () =>
    new GraphError(
      400,
      'BadRequest',
      'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
    ),
  bodyNotUtf8: () =>
    new GraphError(
      400,
      'BadRequest',
      'Unable to read JSON request payload: the body is not valid UTF-8. Send JSON encoded as UTF-8.',
    ),
  numberOutOfRange: () =>
    new GraphError(
      400,
      'BadRequest',
      'Unable to read JSON request payload: a number is out of range (JSON numbers must fit a double, at most ±1.7976931348623157e308).',
    ),
  bodyTooDeep: (limit: number) =>
    new GraphError(400, 'BadRequest', `The request body nests deeper than ${limit} levels.`),
  invalidHost: () => new GraphError(400, 'BadRequest', 'The Host header is missing or not a valid host.'),
  /** DNS rebinding protection (src/http/host-check.ts): a Host name localgraph does not answer for. */
  hostNotAllowed: (host: string) =>
    new GraphError(
      403,
      'Forbidden',
      `The Host '${host}' is not one this server answers for (loopback names and --allowed-host names only). Start localgraph with --allowed-host ${host} to allow it.`,
    ),
  /** A request in a proxy tunnel to one host whose Host header names another. */
  misdirectedRequest: (tunnelHost: string) =>
    new GraphError(
      421,
      'MisdirectedRequest',
      `This connection was opened to ${tunnelHost}; send requests for another host on a connection of their own.`,
    ),
  /** A Graph (or localgraph) path asked of an intercepted Entra ID host. */
  notOnLoginHost: (host: string) =>
    new GraphError(
      404,
      'NotFound',
      `${host} serves Entra ID's endpoints only; Graph is at https://graph.microsoft.com.`,
    ),
  bodyNotObject: () => new GraphError(400, 'BadRequest', 'The request body must be a JSON object.'),
  unsupportedMediaType: (contentType: string) =>
    new GraphError(415, 'BadRequest', `Content-Type '${contentType}' is not supported. Send 'application/json'.`),
  unsupportedContentEncoding: (encoding: string) =>
    new GraphError(
      415,
      'BadRequest',
      `Content-Encoding '${encoding}' is not supported. Send 'gzip', 'deflate' or an uncompressed body.`,
    ),
  payloadTooLarge: (limit: number) =>
    new GraphError(413, 'Request_EntityTooLarge', `The request body exceeds the limit of ${limit} bytes.`),
  invalidVersion: () => new GraphError(400, 'BadRequest', 'Invalid version.'),
  segmentNotFound: (segment: string) =>
    new GraphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`),
  badKey: (segment: string) =>
    new GraphError(
      400,
      'BadRequest',
      `Bad Request - Error in query syntax: the key in segment '${segment}' is not valid.`,
    ),
  methodNotAllowed: () =>
    new GraphError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.'),
  notImplemented: (what: string) => new GraphError(501, 'NotImplemented', `${what} is not implemented by localgraph.`),

  unknownProperty: (property: string, type: string) =>
    new GraphError(
      400,
      'BadRequest',
      `The property '${property}' does not exist on type '${type}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
      [{ code: 'InvalidProperty', message: `Property '${property}' is not defined.`, target: property }],
    ),
  invalidValue: (property: string, resource: string, why: string) =>
    new GraphError(
      400,
      'Request_BadRequest',
      `Invalid value specified for property '${property}' of resource '${resource}'. ${why}`,
      [{ code: 'InvalidValue', message: why, target: property }],
    ),
  requiredProperty: (property: string, resource: string) =>
    new GraphError(
      400,
      'Request_BadRequest',
      `A value is required for property '${property}' of resource '${resource}'.`,
      [{ code: 'PropertyRequired', message: `Property '${property}' is required.`, target: property }],
    ),
  readOnlyProperty: (property: string, resource: string) =>
    new GraphError(400, 'Request_BadRequest', `Property '${property}' of resource '${resource}' is read-only.`, [
      { code: 'ReadOnlyProperty', message: `Property '${property}' cannot be written.`, target: property },
    ]),
  wrongODataType: (given: string, expected: string) =>
    new GraphError(
      400,
      'BadRequest',
      `A type named '${given}' could not be resolved as '${expected}' or a type derived from it.`,
    ),
  objectConflict: (property: string, value: string) =>
    new GraphError(
      400,
      'Request_BadRequest',
      `Another object with the same value for property ${property} already exists.`,
      [{ code: 'ObjectConflict', message: `An object with ${property} '${value}' already exists.`, target: property }],
    ),
  resourceNotFound: (id: string) =>
    new GraphError(
      404,
      'Request_ResourceNotFound',
      `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
    ),
  /** A parent (a profile) that exists but does not serve the addressed collection. */
  notServed: (message: string) => new GraphError(404, 'Request_ResourceNotFound', message),
  concurrentChange: (id: string) =>
    new GraphError(
      409,
      'Request_ConcurrentModification',
      `Object '${id}' was changed by another request while this one ran. Retry the request.`,
    ),
  referenceExists: (navigation: string) =>
    new GraphError(
      400,
      'Request_BadRequest',
      `One or more added object references already exist for the following modified properties: '${navigation}'.`,
    ),
  referenceRequired: () =>
    new GraphError(
      400,
      'Request_BadRequest',
      'ID is required to add a reference. Send {"@odata.id": "<URL of the object>"}.',
    ),
  invalidReference: (url: string, expected: string) =>
    new GraphError(
      400,
      'Request_BadRequest',
      `The @odata.id '${url}' does not address an object of the collection '${expected}'.`,
    ),
  defaultGroupUndeletable: () =>
    new GraphError(400, 'Request_BadRequest', 'The default connector group cannot be deleted.'),
  groupHasConnectors: (id: string) =>
    new GraphError(
      400,
      'Request_BadRequest',
      `Connector group '${id}' still has connectors. Move them to another connector group before deleting it.`,
    ),
  groupHasApplications: (id: string) =>
    new GraphError(
      400,
      'Request_BadRequest',
      `Connector group '${id}' still has applications assigned. Assign them to another connector group before deleting it.`,
    ),
  regionLocked: (id: string) =>
    new GraphError(
      400,
      'Request_BadRequest',
      `The region of connector group '${id}' can only be changed while no connectors and no applications are assigned to it.`,
    ),
  applicationNotPublished: (id: string) =>
    new GraphError(
      404,
      'Application_NotFound',
      `Application '${id}' not found or OnPremisesPublishing is not enabled for your tenant.`,
    ),
  invalidBatch: (message: string) => new GraphError(400, 'BadRequest', `Invalid batch payload: ${message}`),
  failedDependency: () =>
    new GraphError(424, 'FailedDependency', 'The request depends on a request of the batch that failed.'),
  expandNotSupported: (navigation: string) =>
    new GraphError(
      400,
      'ExpandNotSupported',
      `Expand is not allowed for property '${navigation}' according to the entity schema.`,
    ),
  expandTooLarge: (limit: number) =>
    new GraphError(
      400,
      'Request_UnsupportedQuery',
      `The $expand of this request would return more than ${limit} expanded objects, the limit for one response (and for one $batch, across its requests). Ask for fewer: a smaller $top, a $filter, or fewer levels of $expand.`,
    ),
  expandOptionNotSupported: (option: string, navigation: string, why: string) =>
    new GraphError(
      400,
      'BadRequest',
      `Query option '${option}' is not supported inside the $expand of '${navigation}': ${why}`,
    ),
  consistencyRequired: () => new GraphError(400, 'Request_BadRequest', '$count is not currently supported.'),
  invalidQueryOption: (message: string) => new GraphError(400, 'BadRequest', message),

  tokenMissing: () => invalidToken('Access token is empty.'),
  tokenMalformed: () => invalidToken('CompactToken parsing failed with error code: 80049217'),
  tokenExpired: () => invalidToken('Access token has expired or is not yet valid.'),
  tokenInvalid: (why?: string) =>
    invalidToken(why ? `Access token validation failure. ${why}` : 'Access token validation failure.'),
  /** Graph's code and message; `details` say which permissions the operation accepts and what the token carries. */
  accessDenied: (details?: ErrorDetail[], logFields?: Record<string, unknown>) =>
    new GraphError(
      403,
      'Authorization_RequestDenied',
      'Insufficient privileges to complete the operation.',
      details,
      undefined,
      undefined,
      logFields,
    ),
  expectationFailed: () =>
    new GraphError(417, 'ExpectationFailed', "The Expect header's value is not supported; only 100-continue is."),
  unstorableValue: () =>
    new GraphError(
      400,
      'Request_BadRequest',
      'A value in the request cannot be stored: it holds a character or a length the database refuses.',
    ),
  invalidUrl: () =>
    new GraphError(400, 'BadRequest', 'Bad Request - Invalid URL: the path has a malformed percent-escape.'),
  /** Bytes Node's HTTP parser cannot read as a request (a malformed head, broken chunked framing). */
  unreadableRequest: () => new GraphError(400, 'BadRequest', 'The request could not be read.'),
  /** Request headers over the server's limit: refused before any parsing, as one Graph error. */
  headersTooLarge: () => new GraphError(431, 'Request_HeaderTooLarge', 'The request headers are too large.'),
  /**
   * A slow client (`serve --headers-timeout`, `--request-timeout`): its request head, or its body,
   * did not arrive in time. Named like its siblings 413 and 431, the other limits met before a
   * request is served; the connection is closed after it.
   */
  requestTimeout: (part: 'headers' | 'body') =>
    new GraphError(
      408,
      'Request_Timeout',
      `The request ${part} did not arrive in time; the connection is closed. Send the request again.`,
    ),

  serviceUnavailable: (retryAfterSeconds: number) =>
    new GraphError(
      503,
      'serviceNotAvailable',
      'The service is temporarily unavailable: its database cannot be reached. Retry after the delay given.',
      undefined,
      {
        'Retry-After': String(retryAfterSeconds),
      },
    ),
  tooBusy: (retryAfterSeconds: number) =>
    new GraphError(
      503,
      'serviceNotAvailable',
      'The request kept conflicting with concurrent changes to the same objects. Retry after the delay given.',
      undefined,
      {
        'Retry-After': String(retryAfterSeconds),
      },
    ),
  /**
   * A connection opened while `serve --max-connections` were open already: answered on its first
   * request, then closed. A 503 with Retry-After, which the Graph SDKs retry.
   */
  tooManyConnectionsFromSource: (limit: number) =>
    new GraphError(
      503,
      'serviceNotAvailable',
      `This client already has ${limit} connections open, the most one address may hold. Reuse them, or retry after the delay given.`,
      undefined,
      {
        'Retry-After': '1',
        Connection: 'close',
      },
    ),
  tooManyConnections: (limit: number) =>
    new GraphError(
      503,
      'serviceNotAvailable',
      `The server already has ${limit} connections open, its limit. Retry after the delay given.`,
      undefined,
      {
        'Retry-After': '1',
        Connection: 'close',
      },
    ),
  /**
   * A request pipelined on a connection past `serve --max-requests-per-connection`: the answer
   * before it closed the connection, so it is not served (and in practice never reaches the client).
   */
  connectionExhausted: (limit: number) =>
    new GraphError(
      503,
      'serviceNotAvailable',
      `This connection has served its ${limit} requests and is closed. Send the request again on a new connection.`,
      undefined,
      {
        'Retry-After': '1',
        Connection: 'close',
      },
    ),
  /**
   * A database query that ran past its deadline (`serve --statement-timeout`): stopped, as Graph's
   * gateway stops a request its backend does not answer in time. The SDKs retry a 504 a few times.
   */
  queryTimeout: () =>
    new GraphError(
      504,
      'gatewayTimeout',
      "The request's database query ran past the server's deadline and was stopped. Narrow the query (a simpler $filter, a smaller $top or $expand) and retry.",
    ),
  internal: () => new GraphError(500, 'generalException', 'An unexpected error occurred on the server.'),

  // Injected faults (`serve --faults`, `PUT /_admin/faults`): Graph's throttling and outage answers.
  /** Graph's documented 429 (`Retry-After`; innerError's `code`, `message`, `status`); plus `x-ms-throttle-*`. */
  throttled: (retryAfterSeconds: number, headers: Record<string, string>) =>
    new GraphError(
      429,
      'TooManyRequests',
      'Please retry again later.',
      undefined,
      { 'Retry-After': String(retryAfterSeconds), ...headers },
      {
        code: '429',
        message: 'Please retry after',
        status: '429',
      },
    ),
  faultUnavailable: (headers: Record<string, string>) =>
    new GraphError(
      503,
      'serviceNotAvailable',
      'The service is temporarily unavailable. Please retry again later.',
      undefined,
      headers,
    ),
  faultGatewayTimeout: (headers: Record<string, string>) =>
    new GraphError(
      504,
      'gatewayTimeout',
      'The request timed out before the service answered. Please retry again later.',
      undefined,
      headers,
    ),

  // The admin API (`/_admin/`): its own credential, Graph's envelope.
  adminUnauthorized: () =>
    new GraphError(
      401,
      'InvalidAuthenticationToken',
      "The admin key is missing or wrong. Send it as 'Authorization: Bearer <key>' or 'x-localgraph-admin-key: <key>' (the serve banner prints it).",
    ),
  adminNotFound: (path: string) =>
    new GraphError(
      404,
      'Request_ResourceNotFound',
      `The admin API has no endpoint '${path}'. GET /_admin/ lists them.`,
    ),
  adminBadRequest: (message: string, target?: string) =>
    new GraphError(
      400,
      'BadRequest',
      message,
      target === undefined ? undefined : [{ code: 'InvalidValue', message, target }],
    ),
  invalidFixture: (path: string, why: string) =>
    new GraphError(400, 'BadRequest', `Invalid fixture at ${path}: ${why}`, [
      { code: 'InvalidFixture', message: why, target: path },
    ]),
};

export interface ErrorContext {
  requestId: string;
  clientRequestId: string;
  date: Date;
}

/** Graph's UTC timestamp form in `innerError.date`: second precision, no `Z`. */
export function graphDate(date: Date): string {
  return date.toISOString().slice(0, 19);
}

/** The Graph error envelope: `{"error":{"code","message","details"?,"innerError":{...}}}`. */
export function renderError(error: GraphError, context: ErrorContext): object {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
      innerError: {
        ...error.inner,
        date: graphDate(context.date),
        'request-id': context.requestId,
        'client-request-id': context.clientRequestId,
      },
    },
  };
}

/**
 * An error of the identity endpoints (`/{tenant}/oauth2/v2.0/token`), in Entra ID's OAuth shape
 * rather than Graph's: `error` (the OAuth code), an `AADSTS` number the Microsoft identity
 * libraries log and match on, and an optional `suberror` (e.g. `consent_required`).
 */
export class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly aadsts: number,
    message: string,
    readonly suberror?: string,
    /** Response headers the error calls for (`Retry-After` on throttling). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'OAuthError';
  }
}

/** The token endpoint's errors, with Entra ID's codes and messages. */
export const oauthErrors = {
  methodNotAllowed: (method: string) =>
    new OAuthError(
      405,
      'invalid_request',
      900561,
      `The endpoint only accepts POST, OPTIONS requests. Received a ${method} request.`,
    ),
  /** Instance discovery for an authority localgraph does not serve (Entra: AADSTS50049). */
  invalidInstance: () => new OAuthError(400, 'invalid_instance', 50049, 'Unknown or invalid instance.'),
  missingParameter: (name: string) =>
    new OAuthError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`),
  invalidRequest: (message: string) => new OAuthError(400, 'invalid_request', 90014, message),
  unsupportedGrantType: (grant: string) =>
    new OAuthError(
      400,
      'unsupported_grant_type',
      70003,
      `The app requested an unsupported grant type '${grant}'. localgraph issues tokens for client_credentials and password.`,
    ),
  tenantNotFound: (tenant: string) =>
    new OAuthError(
      400,
      'invalid_request',
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
    ),
  clientNotFound: (clientId: string, tenant: string) =>
    new OAuthError(
      400,
      'unauthorized_client',
      700016,
      `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ),
  clientSecretMissing: () =>
    new OAuthError(
      401,
      'invalid_client',
      7000218,
      "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    ),
  invalidClientSecret: (clientId: string) =>
    new OAuthError(
      401,
      'invalid_client',
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    ),
  malformedBasicCredentials: () =>
    new OAuthError(
      401,
      'invalid_client',
      7000215,
      "Invalid client credentials provided: the client id and secret of 'Authorization: Basic' must be form-urlencoded (client_secret_basic).",
    ),
  scopeNotDefault: (scope: string) =>
    new OAuthError(
      400,
      'invalid_scope',
      1002012,
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ),
  resourceNotFound: (resource: string, tenant: string) =>
    new OAuthError(
      400,
      'invalid_resource',
      500011,
      `The resource principal named ${resource} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    ),
  severalResources: (scope: string) =>
    new OAuthError(
      400,
      'invalid_scope',
      28000,
      `Provided value for the input parameter scope is not valid because it contains more than one resource. Scope ${scope} is not valid.`,
    ),
  defaultWithOtherScopes: (scope: string) =>
    new OAuthError(
      400,
      'invalid_scope',
      70011,
      `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid. The .default scope can't be combined with other scopes of the same resource.`,
    ),
  consentRequired: (clientId: string, name: string) =>
    new OAuthError(
      400,
      'invalid_grant',
      65001,
      `The user or administrator has not consented to use the application with ID '${clientId}' named '${name}'. Send an interactive authorization request for this user and resource.`,
      'consent_required',
    ),
  invalidCredentials: () =>
    new OAuthError(400, 'invalid_grant', 50126, 'Error validating credentials due to invalid username or password.'),
  accountLocked: () =>
    new OAuthError(
      400,
      'invalid_grant',
      50053,
      "The account is locked, you've tried to sign in too many times with an incorrect user ID or password.",
    ),
  serverError: () => new OAuthError(500, 'server_error', 90033, 'A transient error has occurred. Please try again.'),
  /**
   * Too many failed credential checks from a client or an address (or too many waiting to be
   * checked): Entra answers a client that calls it too often with 429 and `Retry-After`, and
   * names request loops AADSTS50196; the Microsoft identity libraries wait `Retry-After`.
   */
  throttled: (retryAfterSeconds: number) =>
    new OAuthError(
      429,
      'temporarily_unavailable',
      50196,
      `The server terminated an operation because it encountered a client request loop: too many failed sign-ins from this client or address. Retry after ${retryAfterSeconds} seconds.`,
      undefined,
      { 'Retry-After': String(retryAfterSeconds) },
    ),
  /** A cross-site form post (a browser page of another origin): refused before it is read. */
  crossSiteRequest: () =>
    new OAuthError(
      400,
      'invalid_request',
      9002326,
      'Cross-origin token redemption is permitted only for the Single-Page Application client-type; localgraph refuses token requests that browsers send from other sites.',
    ),
};

export interface OAuthErrorContext {
  traceId: string;
  correlationId: string;
  date: Date;
}

/** Entra's token-endpoint error body: `error`, `error_description`, `error_codes`, `timestamp`, `trace_id`, `correlation_id`. */
export function renderOAuthError(error: OAuthError, context: OAuthErrorContext): object {
  const timestamp = `${context.date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
  return {
    error: error.error,
    error_description: `AADSTS${error.aadsts}: ${error.message} Trace ID: ${context.traceId} Correlation ID: ${context.correlationId} Timestamp: ${timestamp}`,
    error_codes: [error.aadsts],
    timestamp,
    trace_id: context.traceId,
    correlation_id: context.correlationId,
    error_uri: `https://login.microsoftonline.com/error?code=${error.aadsts}`,
    ...(error.suberror ? { suberror: error.suberror } : {}),
  };
}
