import type { Method } from '../auth/permission-row.js';
import { PermissionPolicy } from '../auth/permissions.js';
import type { Model, StructuredType, TypeRef } from '../model/model.js';
import { MAX_TOP } from '../odata/query-options.js';
import { ALTERNATE_KEYS, resolvePath } from '../odata/path.js';
import { familyOperations } from '../resources/operations.js';
import type { ResourceRegistry } from '../resources/registry.js';
import type { Target } from '../resources/target.js';
import { resolveTarget } from '../resources/target.js';

/**
 * An OpenAPI 3.0 description of what localgraph serves, generated from the model, the behaviour
 * modules and the permission matrix (the same sources as routing, validation and the coverage
 * table, so it cannot drift from them): every served operation with its path and query
 * parameters, request and response schemas, error responses and security. Schemas follow
 * Microsoft's own conversion (msgraph-metadata): `microsoft.graph.*` names, key parameters named
 * `{type-id}`, `4XX`/`5XX` answered by `microsoft.graph.ODataErrors.ODataError`, navigation
 * properties in their entity's schema (`x-ms-navigationProperty`). Also described, derived from
 * the served paths: `…/$count` of each list, `GET …/$ref` of each reference navigation, and the
 * alternate keys (`applications(appId='{appId}')`). test/openapi-msgraph.test.ts compares it with
 * Microsoft's description; docs/openapi-differences.md explains every difference.
 */
type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

function primitive(name: string): Schema {
  switch (name) {
    case 'Edm.Boolean':
      return { type: 'boolean' };
    case 'Edm.Int32':
      return { type: 'integer', format: 'int32', maximum: 2147483647, minimum: -2147483648 };
    case 'Edm.Int64':
      return { type: 'integer', format: 'int64' };
    case 'Edm.DateTimeOffset':
      return {
        type: 'string',
        format: 'date-time',
        pattern:
          '^[0-9]{4,}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]([.][0-9]{1,12})?(Z|[+-][0-9][0-9]:[0-9][0-9])$',
      };
    case 'Edm.TimeOfDay':
      return { type: 'string', format: 'time', pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]([.][0-9]{1,12})?$' };
    case 'Edm.Guid':
      return {
        type: 'string',
        format: 'uuid',
        pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
      };
    case 'Edm.Binary':
      return { type: 'string', format: 'base64url' };
    default:
      return { type: 'string' };
  }
}

function valueSchema(type: TypeRef, nullable: boolean): Schema {
  const single = (): Schema => {
    if (type.kind === 'primitive') return primitive(type.name);
    return ref(type.name);
  };
  if (type.collection) return { type: 'array', items: single() };
  if (type.kind === 'primitive') return nullable ? { ...single(), nullable: true } : single();
  // OpenAPI 3.0 ignores siblings of $ref: a nullable reference is wrapped. (msgraph-metadata writes
  // anyOf [$ref, {type: object, nullable}], which also admits any object and types as `X | {}`.)
  return nullable ? { allOf: [single()], nullable: true } : single();
}

function structuredSchema(type: StructuredType): Schema {
  const properties: Record<string, Schema> = {};
  for (const property of type.properties.values()) {
    const schema = valueSchema(property.type, property.nullable);
    properties[property.name] = property.readOnly
      ? { ...schema, readOnly: true }
      : property.writeOnly
        ? { ...schema, writeOnly: true }
        : schema;
  }
  // Present when expanded, as in Microsoft's description.
  for (const navigation of type.navigations.values()) {
    properties[navigation.name] = { ...valueSchema(navigation.type, true), 'x-ms-navigationProperty': true };
  }
  properties['@odata.type'] = { type: 'string' };
  const schema: Schema = { title: type.name, type: 'object', properties };
  if (type.derived.length > 0)
    schema.description = `Derived types: ${type.derived.map((d) => d.qualifiedName).join(', ')}; a value names its type in @odata.type.`;
  return schema;
}

function enumSchema(model: Model, name: string): Schema {
  const enumType = model.enumType(name);
  const members = enumType.members;
  if (!enumType.isFlags) return { title: enumType.name, type: 'string', enum: members };
  // Flags: members joined by commas (`tcp,udp`).
  const one = members.map((m) => m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  return {
    title: enumType.name,
    type: 'string',
    pattern: `^(${one})(,(${one}))*$`,
    description: `Flags: any of ${members.join(', ')}, comma-separated.`,
  };
}

/** What an error and each of its `details` say. */
const ERROR_PARTS: Record<string, Schema> = {
  code: { type: 'string' },
  message: { type: 'string' },
  target: { type: 'string', nullable: true },
};

const ERROR_SCHEMA: Schema = {
  title: 'ODataError',
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        ...ERROR_PARTS,
        details: { type: 'array', items: { type: 'object', required: ['code', 'message'], properties: ERROR_PARTS } },
        innerError: {
          type: 'object',
          properties: {
            date: { type: 'string' },
            'request-id': { type: 'string' },
            'client-request-id': { type: 'string' },
          },
        },
      },
    },
  },
};

const OPTION_PARAMETERS: Record<string, Schema> = {
  top: {
    name: '$top',
    in: 'query',
    description: 'Page size (each page has a nextLink while rows remain).',
    schema: { type: 'integer', minimum: 1, maximum: MAX_TOP },
  },
  skip: {
    name: '$skip',
    in: 'query',
    description: 'Rows to skip (first page only).',
    schema: { type: 'integer', minimum: 0 },
  },
  filter: {
    name: '$filter',
    in: 'query',
    description: 'Filter items by property values.',
    schema: { type: 'string', maxLength: 4096 },
  },
  count: {
    name: '$count',
    in: 'query',
    description: 'Include the count of all items (with ConsistencyLevel: eventual).',
    schema: { type: 'boolean' },
  },
  skiptoken: {
    name: '$skiptoken',
    in: 'query',
    description: 'From an @odata.nextLink, as it is.',
    schema: { type: 'string' },
  },
  consistency: {
    name: 'ConsistencyLevel',
    in: 'header',
    description: 'eventual: advanced queries ($count).',
    schema: { type: 'string', enum: ['eventual'] },
  },
  prefer: {
    name: 'Prefer',
    in: 'header',
    description: 'odata.maxpagesize=N, include-unknown-enum-members.',
    schema: { type: 'string' },
  },
};

function selectParameter(type: StructuredType): Schema {
  const names = [...type.properties.keys()];
  return {
    name: '$select',
    in: 'query',
    description: 'Select properties to be returned.',
    style: 'form',
    explode: false,
    schema: { type: 'array', uniqueItems: true, items: { type: 'string', enum: names } },
  };
}

function orderbyParameter(type: StructuredType): Schema {
  const names = [...type.properties.values()]
    .filter((p) => !p.type.collection && p.type.kind !== 'complex')
    .map((p) => p.name);
  const items = names.flatMap((n) => [n, `${n} desc`]);
  return {
    name: '$orderby',
    in: 'query',
    description: 'Order items by property values.',
    style: 'form',
    explode: false,
    schema: { type: 'array', uniqueItems: true, items: { type: 'string', enum: items } },
  };
}

function expandParameter(type: StructuredType): Schema | undefined {
  const names = [...type.navigations.keys()];
  if (names.length === 0) return undefined;
  return {
    name: '$expand',
    in: 'query',
    description: 'Expand related entities.',
    style: 'form',
    explode: false,
    schema: { type: 'array', uniqueItems: true, items: { type: 'string', enum: names } },
  };
}

const errorResponses = {
  '4XX': { $ref: '#/components/responses/error' },
  '5XX': { $ref: '#/components/responses/error' },
};
const noContent = { description: 'Success' };
const jsonContent = (schema: Schema) => ({ 'application/json': { schema } });

/** The OpenAPI path of a pattern: `{id}` named after the type it keys, as Microsoft's description names them. */
function openApiPath(
  model: Model,
  pattern: string,
): { path: string; keys: Array<{ name: string; type: StructuredType }> } {
  const resolved = resolvePath(model, pattern.replace(/\{id\}/g, 'k'));
  const keyTypes = resolved.steps.filter((s) => s.kind === 'key').map((s) => s.type);
  const used = new Map<string, number>();
  const keys = keyTypes.map((type) => {
    const n = used.get(type.name) ?? 0;
    used.set(type.name, n + 1);
    return { name: `${type.name}-id${n === 0 ? '' : n}`, type };
  });
  let i = 0;
  return { path: pattern.replace(/\{id\}/g, () => `{${keys[i++].name}}`), keys };
}

/** What a pattern addresses, with keys that exist: a profile that serves it (each serves only its own navigations). */
function describedTarget(model: Model, registry: ResourceRegistry, pattern: string): Target | undefined {
  const profiles = pattern.startsWith('/onPremisesPublishingProfiles/{id}')
    ? [...fixedKeys(registry, 'onPremisesPublishingProfiles')]
    : ['k'];
  for (const profile of profiles) {
    try {
      return resolveTarget(
        registry,
        resolvePath(model, pattern.replace('{id}', profile).replace(/\{id\}/g, 'k'), registry.normalizeKey),
      );
    } catch {
      // not served under this profile
    }
  }
  return undefined;
}

export interface OpenApiOptions {
  /** The server URL clients are to use (`https://localhost:5080/beta`). */
  serverUrl: string;
  version: string;
}

export function buildOpenApi(model: Model, registry: ResourceRegistry, options: OpenApiOptions): Schema {
  const policy = new PermissionPolicy(registry.permissions());
  const schemas: Record<string, Schema> = {
    'microsoft.graph.ODataErrors.ODataError': ERROR_SCHEMA,
    ReferenceCreate: { type: 'object', required: ['@odata.id'], properties: { '@odata.id': { type: 'string' } } },
  };
  for (const [name, type] of model.structuredTypes) schemas[name] = structuredSchema(type);
  for (const name of model.enumTypes.keys()) schemas[name] = enumSchema(model, name);
  const collectionSchema = (type: StructuredType): Schema => {
    const name = `${type.qualifiedName}CollectionResponse`;
    schemas[name] ??= {
      title: `Collection of ${type.name}`,
      type: 'object',
      properties: {
        '@odata.context': { type: 'string' },
        '@odata.count': { type: 'integer' },
        '@odata.nextLink': { type: 'string', nullable: true },
        value: { type: 'array', items: ref(type.qualifiedName) },
      },
    };
    return ref(name);
  };

  const paths: Record<string, Record<string, unknown>> = {};
  /** Served GETs of lists and of reference navigations, whose `$count` and `$ref` paths are described after. */
  const lists: Listed[] = [];
  for (const op of familyOperations(model, registry).filter((o) => o.implemented)) {
    const { path, keys } = openApiPath(model, op.pattern);
    const target = describedTarget(model, registry, op.pattern);
    if (!target) continue;
    const row = policy.row(op.method, op.pattern);
    const parameters: Schema[] = keys.map((k) => ({
      name: k.name,
      in: 'path',
      required: true,
      description: `The key of the ${k.type.name}.`,
      schema:
        k.type.qualifiedName === 'microsoft.graph.onPremisesPublishingProfile'
          ? { type: 'string', enum: [...fixedKeys(registry, 'onPremisesPublishingProfiles')] }
          : { type: 'string' },
    }));
    const operation: Record<string, unknown> = {
      operationId: `${op.method.toLowerCase()}:${op.pattern}`,
      tags: [op.pattern.split('/')[1]],
      security: [{ bearerAuth: [] }],
      'x-localgraph-permissions': { delegated: row?.delegated ?? [], application: row?.application ?? [] },
    };
    const responses: Record<string, unknown> = { ...errorResponses };
    const isRef = op.pattern.endsWith('/$ref');
    const entityType =
      target.kind === 'related' ? target.target.type : target.kind === 'property' ? undefined : target.behaviour.type;
    const method = op.method as Method;
    if (isRef) {
      if (method === 'POST' || method === 'PUT')
        operation.requestBody = { required: true, content: jsonContent(ref('ReferenceCreate')) };
      if (
        method === 'DELETE' &&
        target.kind === 'related' &&
        target.navigation.type.collection &&
        target.key === undefined
      ) {
        parameters.push({
          name: '@id',
          in: 'query',
          required: true,
          description: 'The URL of the referenced object to remove.',
          schema: { type: 'string' },
        });
      }
      responses['204'] = noContent;
    } else if (target.kind === 'property') {
      const type = model.structured(target.property.type.name);
      if (method === 'GET') {
        responses['200'] = { description: 'Retrieved', content: jsonContent(ref(type.qualifiedName)) };
        responses['204'] = { description: 'Not set' };
      } else {
        operation.requestBody = { required: true, content: jsonContent(ref(type.qualifiedName)) };
        responses['204'] = noContent;
      }
    } else if (entityType) {
      const list =
        (target.kind === 'collection' ||
          (target.kind === 'related' && target.navigation.type.collection && target.key === undefined)) &&
        method === 'GET';
      if (method === 'GET') {
        parameters.push(selectParameter(entityType));
        const expand = expandParameter(entityType);
        if (expand) parameters.push(expand);
        if (list)
          parameters.push(
            OPTION_PARAMETERS.top,
            OPTION_PARAMETERS.skip,
            OPTION_PARAMETERS.filter,
            orderbyParameter(entityType),
            OPTION_PARAMETERS.count,
            OPTION_PARAMETERS.skiptoken,
            OPTION_PARAMETERS.consistency,
          );
        parameters.push(OPTION_PARAMETERS.prefer);
        responses['200'] = {
          description: 'Retrieved',
          content: jsonContent(list ? collectionSchema(entityType) : ref(entityType.qualifiedName)),
        };
        const reference =
          target.kind === 'related' && !target.navigation.containsTarget && target.key === undefined
            ? list
              ? 'collection'
              : 'single'
            : undefined;
        if (list || reference) lists.push({ path, operation, reference });
      } else if (method === 'POST') {
        operation.requestBody = { required: true, content: jsonContent(ref(entityType.qualifiedName)) };
        const created = { description: 'Created', content: jsonContent(ref(entityType.qualifiedName)) };
        responses['201'] = created;
        // Where the live service answers 200 (connector groups), both are declared: `--status-codes` picks.
        if (target.kind === 'collection' && target.behaviour.create?.status) responses['200'] = created;
      } else if (method === 'PATCH') {
        operation.requestBody = { required: true, content: jsonContent(ref(entityType.qualifiedName)) };
        responses['204'] = noContent;
        if (target.kind === 'entity' && target.behaviour.update?.status)
          responses['200'] = { description: 'Updated', content: jsonContent(ref(entityType.qualifiedName)) };
      } else {
        responses['204'] = noContent;
      }
    }
    if (parameters.length > 0) operation.parameters = parameters;
    operation.responses = responses;
    (paths[path] ??= {})[op.method.toLowerCase()] = operation;
  }

  describeCounts(paths, lists);
  describeReferenceReads(paths, lists, schemas);
  describeAlternateKeys(model, paths);

  return {
    openapi: '3.0.3',
    info: {
      title: 'localgraph: Microsoft Graph beta, on-premises publishing',
      version: options.version,
      description:
        'What localgraph serves of Microsoft Graph beta: the on-premises publishing family (application proxy connectors and groups, ' +
        'hybrid agents, published resources, Private Access sensors, applications as application proxy uses them). ' +
        'Tokens: localgraph token, or the token endpoint {origin}/{tenant}/oauth2/v2.0/token (client credentials, password). ' +
        'x-localgraph-permissions lists the delegated and application permissions each operation accepts (empty: that kind of token is refused).',
    },
    servers: [{ url: options.serverUrl }],
    paths,
    components: {
      schemas,
      responses: {
        error: { description: 'error', content: jsonContent(ref('microsoft.graph.ODataErrors.ODataError')) },
      },
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'An access token of localgraph (or of a trusted issuer): delegated (scp) or app-only (roles).',
        },
      },
    },
    security: [{ bearerAuth: [] }],
  };
}

interface Listed {
  path: string;
  operation: Record<string, unknown>;
  reference: 'collection' | 'single' | undefined;
}

const pathParameters = (operation: Record<string, unknown>): Schema[] =>
  ((operation.parameters as Schema[] | undefined) ?? []).filter((p) => p.in === 'path');

/** `GET …/$count` of every list: the number of items, as text (Graph's directory wants `ConsistencyLevel: eventual`). */
function describeCounts(paths: Record<string, Record<string, unknown>>, lists: Listed[]): void {
  for (const { path, operation, reference } of lists) {
    if (reference === 'single') continue;
    paths[`${path}/$count`] = {
      get: {
        ...operation,
        operationId: `${operation.operationId}/$count`,
        parameters: [
          ...pathParameters(operation),
          OPTION_PARAMETERS.filter,
          { ...OPTION_PARAMETERS.consistency, required: true },
        ],
        responses: {
          ...errorResponses,
          '200': {
            description: 'The count',
            content: { 'text/plain': { schema: { type: 'integer', format: 'int32' } } },
          },
        },
      },
    };
  }
}

/** `GET …/$ref` of every reference navigation: the related entities' URLs. */
function describeReferenceReads(
  paths: Record<string, Record<string, unknown>>,
  lists: Listed[],
  schemas: Record<string, Schema>,
): void {
  schemas.ReferenceCollectionResponse ??= {
    title: 'Collection of references',
    type: 'object',
    properties: {
      '@odata.context': { type: 'string' },
      '@odata.nextLink': { type: 'string', nullable: true },
      value: { type: 'array', items: { type: 'object', properties: { '@odata.id': { type: 'string' } } } },
    },
  };
  schemas.Reference ??= {
    title: 'Reference',
    type: 'object',
    properties: { '@odata.context': { type: 'string' }, '@odata.id': { type: 'string' } },
  };
  for (const { path, operation, reference } of lists) {
    if (!reference) continue;
    const parameters =
      reference === 'collection'
        ? [...pathParameters(operation), OPTION_PARAMETERS.top, OPTION_PARAMETERS.skiptoken]
        : pathParameters(operation);
    (paths[`${path}/$ref`] ??= {}).get = {
      ...operation,
      operationId: `${operation.operationId}/$ref`,
      parameters,
      responses: {
        ...errorResponses,
        '200': {
          description: 'Retrieved',
          content: jsonContent(ref(reference === 'collection' ? 'ReferenceCollectionResponse' : 'Reference')),
        },
      },
    };
  }
}

/** Every operation on an item of a type with alternate keys, again at `(appId='{appId}')` and `(uniqueName='{uniqueName}')`. */
function describeAlternateKeys(model: Model, paths: Record<string, Record<string, unknown>>): void {
  for (const [path, operations] of Object.entries(paths)) {
    const match = /^(.*)\/\{(\w+)-id\}$/.exec(path);
    const type = match ? model.findStructuredType(`microsoft.graph.${match[2]}`) : undefined;
    const keys = type ? ALTERNATE_KEYS[type.qualifiedName] : undefined;
    if (!match || !keys) continue;
    for (const key of keys) {
      const described: Record<string, unknown> = {};
      for (const [method, operation] of Object.entries(operations) as Array<[string, Record<string, unknown>]>) {
        const parameters = ((operation.parameters as Schema[] | undefined) ?? []).map((p) =>
          p.in === 'path' && p.name === `${match[2]}-id`
            ? {
                name: key,
                in: 'path',
                required: true,
                description: `The ${key} of the ${match[2]}.`,
                schema: { type: 'string' },
              }
            : p,
        );
        described[method] = { ...operation, operationId: `${operation.operationId}(${key})`, parameters };
      }
      paths[`${match[1]}(${key}='{${key}}')`] = described;
    }
  }
}

/** The keys of a collection whose entities exist without being created (the profiles). */
function fixedKeys(registry: ResourceRegistry, path: string): ReadonlySet<string> {
  return registry.collection(path)?.fixedKeys ?? new Set();
}
