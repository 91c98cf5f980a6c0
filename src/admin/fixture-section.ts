import type { IdGenerator } from '../resources/id-generator.js';
import type { Entity, Scope, Store } from '../store/store.js';
import type { TableMapping } from '../store/table.js';

/**
 * A family's own section of a tenant's fixture: collections with link fields in the fixture
 * format (a group id, id lists, nested items), whose links only the family knows. Plain
 * collections need none: their behaviour declares `fixture` (src/admin/fixture-plain.ts).
 */
export interface FixtureSection {
  /** The collections whose rows it holds (behaviour paths); its members sit at the first of them in the document. */
  collections: readonly string[];
  /** The link tables it holds. */
  linkTables: readonly string[];
  /** The tenant members it reads and writes, in the document's order. */
  members: readonly string[];
  /** Its members of one tenant, deterministic: sorted, nulls left out. */
  export(store: Store, tenantId: string): Promise<Record<string, Entity[]>>;
  /** Reads, checks and completes its members of a tenant (`raw`, at `path`); refuses with `fail` (fixture-read.ts). */
  check(raw: Record<string, unknown>, path: string, env: SectionEnv): CheckedSection;
}

/** An object of a plain section, checked and completed: its entity and the parent keys of its scope. */
export interface PlainItem {
  entity: Entity;
  /** The parent's key (`[profile]`) for a collection under a parent; empty otherwise. */
  parents: string[];
}

/** What a family's section may use while it checks a tenant. */
export interface SectionEnv {
  services: { ids: IdGenerator; now: Date };
  /** A plain section's objects (plain sections are checked first: they refer to nothing). */
  plain(member: string): readonly PlainItem[];
}

/** A family's section of one tenant, checked: ready to be written. */
export interface CheckedSection {
  /** How many objects it holds, by name (nested ones too), in the document's order. */
  counts: Record<string, number>;
  /** Writes them in the import's transaction, after the plain sections. */
  write(writer: FixtureWriter): Promise<void>;
}

/** The import's transaction, for one tenant whose Graph data has been cleared. */
export interface FixtureWriter {
  tx: Store;
  tenantId: string;
  /** Inserts a row; a duplicate id or unique value is refused at `at`. */
  insert(
    table: TableMapping,
    scope: Scope,
    entity: Entity,
    at: string,
    hidden?: Record<string, unknown>,
  ): Promise<void>;
}
