import type { PermissionRow } from '../auth/permission-row.js';
import type { Principal } from '../auth/principal.js';
import type { GraphError } from '../graph/errors.js';
import type { Model, StructuredType } from '../model/model.js';
import type { WriteRules } from '../odata/entity-body.js';
import type { Condition, Entity, Scope, Store } from '../store/store.js';
import type { TableMapping } from '../store/table.js';
import type { Clock } from './clock.js';
import type { IdGenerator } from './id-generator.js';
import type { ServerOptions } from './server-options.js';
import type { TenantDefaults } from './tenant-defaults.js';

/** What a behaviour rule may use while it handles one request. */
export interface OperationContext {
  model: Model;
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  options: ServerOptions;
  principal: Principal;
  tenant: TenantDefaults;
}

/**
 * A rule a write must meet, stated as SQL so the database checks it in the same statement that
 * writes (no window between check and write). When the write finds nothing to change although
 * the row exists, the first guard the row fails gives the refusal.
 */
export interface Guard {
  where: Condition;
  refusal: (key: string) => GraphError;
}

/**
 * How a non-contained navigation (`connectors/{id}/memberOf`, `agents/{id}/agentGroups`,
 * `applications/{id}/connectorGroup`) is stored and what may be done with it.
 */
export interface Relationship {
  /** The collection path of the targets, e.g. `onPremisesPublishingProfiles/connectorGroups`. */
  target: string;
  /** The targets' parent keys, from the source's. */
  targetParents(sourceParentKeys: string[]): string[];
  storage:
    | { kind: 'sourceColumn'; column: string }
    | { kind: 'targetColumn'; column: string }
    | { kind: 'link'; table: string; sourceColumn: string; targetColumn: string }
    /** Every target of the tenant is related (the profile's `applicationSegments`), for these source keys only. */
    | { kind: 'tenant'; sourceKeys: readonly string[] };
  /** `POST .../$ref`: add (a link) or move (a column). */
  add?: boolean;
  /** `DELETE .../{id}/$ref` on a collection, `DELETE .../$ref` on a single-valued navigation. */
  remove?: boolean;
  /** `PUT .../$ref` on a single-valued navigation. */
  set?: boolean;
  /** Checked against the source entity before any write. */
  guardSource?(ctx: OperationContext, source: Entity): void;
  /** A single-valued navigation with no stored target reads as this one (the app's default group). */
  fallback?(ctx: OperationContext): string;
}

/** Valid request bodies of a collection's writes (see `CollectionBehaviour.example`). */
export interface CollectionExample {
  /** A `POST` body. */
  create?: Record<string, unknown>;
  /** A `PATCH` body for an entity; tests apply it to the object they create, as a client configuring it. */
  update?: Record<string, unknown>;
  /** A `PATCH` body for each of `properties`. */
  properties?: Record<string, Record<string, unknown>>;
}

/**
 * The rules of one collection (an entity set or a contained navigation) that the model cannot
 * state: where its rows live, what clients may write, server-set defaults, which parents serve
 * it, what guards its writes. The generic engine does the rest (paths, validation,
 * serialisation, paging, references).
 */
export interface CollectionBehaviour {
  /** The entity set, then the property and navigation names that lead here: `onPremisesPublishingProfiles/connectors`. */
  path: string;
  /**
   * The collection's section in a tenant's fixture, when it is held there as a plain list
   * (src/admin/fixture-plain.ts). A collection with link fields in the fixture format (a group id,
   * id lists, nested items) is held by a section of its family's instead (`Family.fixtureSections`).
   */
  fixture?: PlainFixtureSection;
  type: StructuredType;
  table: TableMapping;
  /**
   * Bodies a client would send, valid for this collection: what tests that sweep every operation
   * (src/http/testing.ts) create, change and write with. Required for each write the behaviour
   * serves: `create` with `create`, `update` with `update`, one per addressable property.
   */
  example?: CollectionExample;
  /** Whether the parent entity (by its keys) serves this collection, with the reason when it doesn't. */
  servedBy?(parentKeys: string[]): true | string;
  scope(tenantId: string, parentKeys: string[]): Scope;
  /** Entities that exist without being created (the profiles): keys not in this set do not exist. */
  fixedKeys?: ReadonlySet<string>;
  create?: {
    rules: WriteRules;
    /** `guid`: a client may supply the id, which must be a GUID; `server`: the id is always generated. */
    clientId: 'guid' | 'server';
    /** Server-set values; also what a fixture import completes entities with (src/admin/fixture-read.ts). */
    defaults(ctx: Pick<OperationContext, 'clock' | 'ids'>, parentKeys: string[]): Entity;
    /** Values for columns the model does not show, e.g. the connector's group. */
    hidden?(ctx: OperationContext, parentKeys: string[]): Record<string, unknown>;
    /** 201 as Graph documents, or what the live service answers. */
    status?(ctx: OperationContext): 200 | 201;
    /** Completes the entity before it is stored (server-filled defaults inside complex values). */
    prepare?(ctx: OperationContext, entity: Entity): void;
  };
  update?: {
    rules: WriteRules;
    guards?(changes: Entity): Guard[];
    /** 204 as most of Graph, or 200 with the entity. */
    status?(ctx: OperationContext): 200 | 204;
    /** Completes the merged changes before they are stored. */
    prepare?(ctx: OperationContext, changes: Entity): void;
  };
  remove?: { guards?: Guard[] };
  /** Complex properties addressable on their own (`PATCH .../hybridAgentUpdaterConfiguration`). */
  properties?: Record<string, { rules: WriteRules }>;
  relationships?: Record<string, Relationship>;
  /**
   * Who may do what: one row per operation of the collection, its navigations, references and
   * addressable properties included (a test fails for an operation served with no row).
   */
  permissions: PermissionRow[];
}

/**
 * A collection held by a fixture as a plain list: every row as Graph shows it, with no link field
 * but, for a collection under a parent of fixed keys (agents under their profile), the member
 * that names the parent.
 */
export interface PlainFixtureSection {
  /** The tenant's member: `sensors`. */
  section: string;
  /** An item, in refusals: `Sensor` (`Sensor '…' appears twice`). */
  label: string;
  /**
   * For a collection scoped by a parent's key: the member that holds it (`profile`) and what a
   * parent is, in refusals (`hybrid agent profile`). Its values are the parent collection's fixed
   * keys that serve this collection (`servedBy`).
   */
  parent?: { field: string; label: string };
}
