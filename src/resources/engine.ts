import { errors } from '../graph/errors.js';
import { settleAlternateKeys } from './alternate-keys.js';
import { readQueryOptions } from '../odata/query-options.js';
import type { Store } from '../store/store.js';
import { loadEntity, scopeOf, type Call, type GraphRequest, type GraphResponse } from './call.js';
import type { OperationContext } from './collection.js';
import type { Clock } from './clock.js';
import type { IdGenerator } from './id-generator.js';
import {
  countCollection,
  createEntity,
  deleteEntity,
  getEntity,
  listCollection,
  updateEntity,
} from './entity-operations.js';
import { getProperty, patchProperty } from './property-operations.js';
import { addReference, getRelated, listReferences, removeReference, setReference } from './reference-operations.js';
import type { ResourceRegistry } from './registry.js';
import type { ServerOptions } from './server-options.js';
import { resolveTarget, type Target } from './target.js';
import { TenantState, type EnsureTenantDefaults } from './tenant-state.js';

export type { GraphRequest, GraphResponse } from './call.js';

export interface EngineServices {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  options: ServerOptions;
}

/**
 * The generic engine: from a resolved path it finds the behaviour (collection, entity, complex
 * property or navigation), makes sure the tenant's built-in objects exist, and dispatches the
 * method to the one operation that serves it.
 */
export class Engine {
  readonly tenants: TenantState;

  constructor(
    private readonly registry: ResourceRegistry,
    private readonly services: EngineServices,
    tenantDefaults: EnsureTenantDefaults,
  ) {
    this.tenants = new TenantState(services.store, tenantDefaults, services.clock, services.ids);
  }

  async handle(request: GraphRequest): Promise<GraphResponse> {
    const tenant = await this.tenants.ensure(request.principal.tenantId);
    const target = resolveTarget(
      this.registry,
      await settleAlternateKeys(this.registry, this.services.store, request.principal.tenantId, request.path),
    );
    const ctx: OperationContext = {
      ...this.services,
      model: this.registry.model,
      principal: request.principal,
      tenant,
    };
    const call: Call = {
      request,
      ctx,
      registry: this.registry,
      options: readQueryOptions(request.url.searchParams, optionsType(target), this.registry.model),
    };
    const parent = target.kind === 'collection' || target.kind === 'entity' ? target.parent : undefined;
    if (parent)
      await loadEntity(ctx.store, parent.behaviour, scopeOf(call, parent.behaviour, parent.parentKeys), parent.key);
    return this.dispatch(call, target, request.method.toUpperCase());
  }

  private dispatch(call: Call, target: Target, method: string): Promise<GraphResponse> {
    switch (target.kind) {
      case 'collection':
        if (target.count)
          return method === 'GET' ? countCollection(call, target.behaviour, target.parentKeys) : refuse();
        if (method === 'GET') return listCollection(call, target);
        if (method === 'POST') return createEntity(call, target);
        return refuse();
      case 'entity':
        if (method === 'GET') return getEntity(call, target);
        if (method === 'PATCH') return updateEntity(call, target);
        if (method === 'DELETE') return deleteEntity(call, target);
        return refuse();
      case 'property':
        if (method === 'GET') return getProperty(call, target);
        if (method === 'PATCH') return patchProperty(call, target);
        return refuse();
      case 'related':
        if (!target.ref) return method === 'GET' ? getRelated(call, target) : refuse();
        if (method === 'GET') return listReferences(call, target);
        if (method === 'POST') return addReference(call, this.registry, target);
        if (method === 'PUT') return setReference(call, this.registry, target);
        if (method === 'DELETE') return removeReference(call, this.registry, target);
        return refuse();
    }
  }
}

function refuse(): Promise<never> {
  return Promise.reject(errors.methodNotAllowed());
}

/** The type query options are checked against: the entities the response holds. */
function optionsType(target: Target) {
  if (target.kind === 'related') return target.target.type;
  if (target.kind === 'property') return undefined;
  return target.behaviour.type;
}
