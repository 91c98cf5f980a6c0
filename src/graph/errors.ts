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
  bodyNotObject: () => new GraphError(400, 'BadRequest', 'The request body must be a JSON object.'),
  unsupportedMediaType: (contentType: string) =>
    new GraphError(415, 'BadRequest', `Content-Type '${contentType}' is not supported. Send 'application/json'.`),
  payloadTooLarge: (limit: number) =>
    new GraphError(413, 'Request_EntityTooLarge', `The request body exceeds the limit of ${limit} bytes.`),
  invalidVersion: () => new GraphError(400, 'BadRequest', 'Invalid version.'),
  segmentNotFound: (segment: string) => new GraphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`),
  badKey: (segment: string) =>
    new GraphError(400, 'BadRequest', `Bad Request - Error in query syntax: the key in segment '${segment}' is not valid.`),
  methodNotAllowed: () =>
    new GraphError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.'),
  notImplemented: (what: string) =>
    new GraphError(501, 'NotImplemented', `${what} is not implemented by localgraph.`),

  unknownProperty: (property: string, type: string) =>
    new GraphError(
      400,
      'BadRequest',
      `The property '${property}' does not exist on type '${type}'. Make sure to only use property names that are defined by the type or mark the type as open type.`,
      [{ code: 'InvalidProperty', message: `Property '${property}' is not defined.`, target: property }],
    ),
  invalidValue: (property: string, resource: string, why: string) =>
    new GraphError(400, 'Request_BadRequest', `Invalid value specified for property '${property}' of resource '${resource}'. ${why}`, [
      { code: 'InvalidValue', message: why, target: property },
    ]),
  requiredProperty: (property: string, resource: string) =>
    new GraphError(400, 'Request_BadRequest', `A value is required for property '${property}' of resource '${resource}'.`, [
      { code: 'PropertyRequired', message: `Property '${property}' is required.`, target: property },
    ]),
  readOnlyProperty: (property: string, resource: string) =>
    new GraphError(400, 'Request_BadRequest', `Property '${property}' of resource '${resource}' is read-only.`, [
      { code: 'ReadOnlyProperty', message: `Property '${property}' cannot be written.`, target: property },
    ]),
  wrongODataType: (given: string, expected: string) =>
    new GraphError(400, 'BadRequest', `A type named '${given}' could not be resolved as '${expected}' or a type derived from it.`),
  objectConflict: (property: string, value: string) =>
    new GraphError(400, 'Request_BadRequest', `Another object with the same value for property ${property} already exists.`, [
      { code: 'ObjectConflict', message: `An object with ${property} '${value}' already exists.`, target: property },
    ]),
  resourceNotFound: (id: string) =>
    new GraphError(
      404,
      'Request_ResourceNotFound',
      `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
    ),
  /** A parent (a profile) that exists but does not serve the addressed collection. */
  notServed: (message: string) => new GraphError(404, 'Request_ResourceNotFound', message),
  concurrentChange: (id: string) =>
    new GraphError(409, 'Request_ConcurrentModification', `Object '${id}' was changed by another request while this one ran. Retry the request.`),
  referenceExists: (navigation: string) =>
    new GraphError(400, 'Request_BadRequest', `One or more added object references already exist for the following modified properties: '${navigation}'.`),
  referenceRequired: () => new GraphError(400, 'Request_BadRequest', 'ID is required to add a reference. Send {"@odata.id": "<URL of the object>"}.'),
  invalidReference: (url: string, expected: string) =>
    new GraphError(400, 'Request_BadRequest', `The @odata.id '${url}' does not address an object of the collection '${expected}'.`),
  defaultGroupUndeletable: () => new GraphError(400, 'Request_BadRequest', 'The default connector group cannot be deleted.'),
  groupHasConnectors: (id: string) =>
    new GraphError(400, 'Request_BadRequest', `Connector group '${id}' still has connectors. Move them to another connector group before deleting it.`),
  groupHasApplications: (id: string) =>
    new GraphError(400, 'Request_BadRequest', `Connector group '${id}' still has applications assigned. Assign them to another connector group before deleting it.`),
  regionLocked: (id: string) =>
    new GraphError(
      400,
      'Request_BadRequest',
      `The region of connector group '${id}' can only be changed while no connectors and no applications are assigned to it.`,
    ),
  applicationNotPublished: (id: string) =>
    new GraphError(404, 'Application_NotFound', `Application '${id}' not found or OnPremisesPublishing is not enabled for your tenant.`),
  invalidBatch: (message: string) => new GraphError(400, 'BadRequest', `Invalid batch payload: ${message}`),
  failedDependency: () => new GraphError(424, 'FailedDependency', 'The request depends on a request of the batch that failed.'),
  invalidQueryOption: (message: string) => new GraphError(400, 'BadRequest', message),

  tokenMissing: () => invalidToken('Access token is empty.'),
  tokenMalformed: () => invalidToken('CompactToken parsing failed with error code: 80049217'),
  tokenExpired: () => invalidToken('Access token has expired or is not yet valid.'),
  tokenInvalid: (why?: string) => invalidToken(why ? `Access token validation failure. ${why}` : 'Access token validation failure.'),
  accessDenied: () => new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),

  internal: () => new GraphError(500, 'generalException', 'An unexpected error occurred on the server.'),
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
        date: graphDate(context.date),
        'request-id': context.requestId,
        'client-request-id': context.clientRequestId,
      },
    },
  };
}
