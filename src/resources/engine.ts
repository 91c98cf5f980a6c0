import { errors } from '../graph/errors.js';
import type { Preferences } from '../graph/prefer.js';
import type { Principal } from '../auth/principal.js';
import { readEntityBody } from '../odata/entity-body.js';
import { decodeSkipToken, nextLink, pageSize } from '../odata/paging.js';
import { isGuid, type ResolvedPath } from '../odata/path.js';
import { readQueryOptions, type QueryOptions } from '../odata/query-options.js';
import { serializeEntity } from '../odata/serialize.js';
import type { Entity } from '../store/store.js';
import type { CollectionBehaviour, OperationContext } from './collection.js';
import type { ResourceRegistry } from './registry.js';

/**
 * The generic engine: given a resolved path, a method and a body, it finds the collection's
 * behaviour module and performs list, create, get, update or delete, with validation and
 * serialisation driven by the model.
 */
export interface GraphRequest {
  method: string;
  /** The absolute request URL, on localgraph's own scheme and host. */
  url: URL;
  /** `beta`: the version segment, for context URLs. */
  version: string;
  path: ResolvedPath;
  body: unknown;
  preferences: Preferences;
  principal: Principal;
}

export interface GraphResponse {
  status: number;
  body?: unknown;
}

interface Target {
  behaviour: CollectionBehaviour;
  parentKeys: string[];
  key?: string;
}

export class Engine {
  constructor(
    private readonly registry: ResourceRegistry,
    private readonly services: Omit<OperationContext, 'principal' | 'model'>,
  ) {}

  async handle(request: GraphRequest): Promise<GraphResponse> {
    const target = this.target(request.path);
    const ctx: OperationContext = { ...this.services, model: this.registry.model, principal: request.principal };
    const { behaviour } = target;
    const options = readQueryOptions(request.url.searchParams, behaviour.type);
    const method = request.method.toUpperCase();
    if (target.key === undefined) {
      if (method === 'GET') return this.list(request, target, options);
      if (method === 'POST' && behaviour.create) return this.create(request, target, ctx, options);
    } else {
      if (method === 'GET') return this.get(request, target, options);
      if (method === 'PATCH' && behaviour.update) return this.update(request, target);
      if (method === 'DELETE' && behaviour.remove) return this.remove(request, target);
    }
    throw errors.methodNotAllowed();
  }

  /** Which collection a path addresses, and with which parent and entity keys. */
  private target(path: ResolvedPath): Target {
    if (path.kind !== 'collection' && path.kind !== 'entity') throw errors.notImplemented(`The path '${path.pattern}'`);
    const names: string[] = [];
    const keys: string[] = [];
    let keyAfterCollection: string | undefined;
    for (const step of path.steps) {
      if (step.kind === 'entitySet' || (step.kind === 'navigation' && step.navigation.containsTarget)) {
        if (keyAfterCollection !== undefined) keys.push(keyAfterCollection);
        keyAfterCollection = undefined;
        names.push(step.kind === 'entitySet' ? step.set.name : step.navigation.name);
      } else if (step.kind === 'key') {
        if (!this.registry.isKnownParent(step.type, step.key)) throw errors.resourceNotFound(step.key);
        keyAfterCollection = step.key;
      } else {
        throw errors.notImplemented(`The path '${path.pattern}'`);
      }
    }
    const behaviour = this.registry.collection(names.join('/'));
    if (!behaviour) throw errors.notImplemented(`The path '${path.pattern}'`);
    const served = behaviour.servedBy?.(keys) ?? true;
    if (served !== true) throw errors.notServed(served);
    return { behaviour, parentKeys: keys, key: keyAfterCollection };
  }

  private context(request: GraphRequest, select: string[] | undefined, entity: boolean): string {
    const projection = select && !select.includes('*') ? `(${select.join(',')})` : '';
    return `${request.url.origin}/${request.version}/$metadata#${request.path.contextPath}${projection}${entity ? '/$entity' : ''}`;
  }

  private write(request: GraphRequest, target: Target, entity: Entity, select?: string[]): Record<string, unknown> {
    return serializeEntity(this.registry.model, target.behaviour.type, entity, {
      includeUnknownEnumMembers: request.preferences.includeUnknownEnumMembers,
      select: select?.includes('*') ? undefined : select,
    });
  }

  private async list(request: GraphRequest, target: Target, options: QueryOptions): Promise<GraphResponse> {
    const { behaviour } = target;
    const size = pageSize(options.top, request.preferences.maxPageSize);
    const afterId = options.skipToken === undefined ? undefined : decodeSkipToken(options.skipToken);
    const scope = behaviour.scope(request.principal.tenantId, target.parentKeys);
    // One row more than the page tells whether another page exists.
    const rows = await this.services.store.list(behaviour.table, scope, { top: size + 1, afterId });
    const page = rows.slice(0, size);
    const body: Record<string, unknown> = {
      '@odata.context': this.context(request, options.select, false),
      value: page.map((e) => this.write(request, target, e, options.select)),
    };
    // `$top` asks for that many rows, not for a page size: only a page-size cut gets a nextLink.
    if (rows.length > size && options.top === undefined) body['@odata.nextLink'] = nextLink(request.url, String(page[page.length - 1].id));
    return { status: 200, body };
  }

  private async get(request: GraphRequest, target: Target, options: QueryOptions): Promise<GraphResponse> {
    const { behaviour } = target;
    const entity = await this.services.store.get(behaviour.table, behaviour.scope(request.principal.tenantId, target.parentKeys), target.key!);
    if (!entity) throw errors.resourceNotFound(target.key!);
    return { status: 200, body: { '@odata.context': this.context(request, options.select, true), ...this.write(request, target, entity, options.select) } };
  }

  private async create(request: GraphRequest, target: Target, ctx: OperationContext, options: QueryOptions): Promise<GraphResponse> {
    const { behaviour } = target;
    const create = behaviour.create!;
    const input = readEntityBody(this.registry.model, behaviour.type, request.body, create.rules, 'create');
    if (input.id !== undefined && input.id !== null) {
      if (create.clientId !== 'guid' || !isGuid(String(input.id))) throw errors.invalidValue('id', behaviour.type.name, 'The id must be a GUID.');
      input.id = String(input.id).toLowerCase();
    } else {
      input.id = this.services.ids.newId();
    }
    const entity: Entity = { ...create.defaults(ctx, target.parentKeys), ...input };
    for (const property of behaviour.type.properties.keys()) if (!(property in entity)) entity[property] = null;
    const scope = behaviour.scope(request.principal.tenantId, target.parentKeys);
    if ((await this.services.store.insert(behaviour.table, scope, entity)) === 'duplicate') throw errors.objectConflict('id', String(entity.id));
    return { status: 201, body: { '@odata.context': this.context(request, options.select, true), ...this.write(request, target, entity) } };
  }

  private async update(request: GraphRequest, target: Target): Promise<GraphResponse> {
    const { behaviour } = target;
    const changes = readEntityBody(this.registry.model, behaviour.type, request.body, behaviour.update!.rules, 'update');
    const scope = behaviour.scope(request.principal.tenantId, target.parentKeys);
    if (!(await this.services.store.update(behaviour.table, scope, target.key!, changes))) throw errors.resourceNotFound(target.key!);
    return { status: 204 };
  }

  private async remove(request: GraphRequest, target: Target): Promise<GraphResponse> {
    const { behaviour } = target;
    const scope = behaviour.scope(request.principal.tenantId, target.parentKeys);
    if (!(await this.services.store.delete(behaviour.table, scope, target.key!))) throw errors.resourceNotFound(target.key!);
    return { status: 204 };
  }
}
