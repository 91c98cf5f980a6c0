import type { Model, StructuredType } from '../model/model.js';
import type { WriteRules } from '../odata/entity-body.js';
import type { Entity, Scope, Store } from '../store/store.js';
import type { TableMapping } from '../store/table.js';
import type { Principal } from '../auth/principal.js';

/** Injected sources of time and identity, so tests and fixtures can make them deterministic. */
export interface Clock {
  now(): Date;
}
export interface IdGenerator {
  newId(): string;
}

/** What a behaviour rule may use while it handles one request. */
export interface OperationContext {
  model: Model;
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  principal: Principal;
}

/**
 * The rules of one collection (an entity set or a contained navigation) that the model cannot
 * state: where its rows live, what clients may write, server-set defaults, which parents serve
 * it. The generic engine does the rest (paths, validation, serialisation, paging).
 */
export interface CollectionBehaviour {
  /** The entity set and contained navigations that lead here: `onPremisesPublishingProfiles/connectors`. */
  path: string;
  type: StructuredType;
  table: TableMapping;
  /** Whether the parent entity (by its keys) serves this collection, with the reason when it doesn't. */
  servedBy?(parentKeys: string[]): true | string;
  scope(tenantId: string, parentKeys: string[]): Scope;
  create?: {
    rules: WriteRules;
    /** `guid`: a client may supply the id, which must be a GUID; `server`: the id is always generated. */
    clientId: 'guid' | 'server';
    defaults(ctx: OperationContext, parentKeys: string[]): Entity;
  };
  update?: { rules: WriteRules };
  remove?: boolean;
}
