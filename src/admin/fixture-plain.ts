import type { Model } from '../model/model.js';
import type { IdGenerator } from '../resources/id-generator.js';
import type { ResourceRegistry } from '../resources/registry.js';
import type { Entity, Store } from '../store/store.js';
import { byId, compare, type PlainSection } from './fixture.js';
import { complete, fail, guid, list, readEntity, serverDefaults, uniqueIds } from './fixture-read.js';
import { clean, readAll } from './fixture-rows.js';
import type { FixtureWriter, PlainItem } from './fixture-section.js';

/**
 * A plain section of a tenant's fixture (a behaviour's `fixture`): every row of the collection,
 * with the parent's key (`profile`) for a collection under a parent of fixed keys. Exported,
 * checked, completed and imported by this one piece of code, whatever the collection.
 */

/** The section as the fixture shows it: sorted by id (by parent first), nulls left out. */
export async function exportPlain(store: Store, section: PlainSection, tenantId: string): Promise<Entity[]> {
  const { behaviour, parent } = section;
  const items: Entity[] = [];
  for (const key of parent ? parent.keys : [undefined]) {
    const scope = behaviour.scope(tenantId, key === undefined ? [] : [key]);
    for (const row of await readAll(store, behaviour.table, scope))
      items.push(
        key === undefined ? clean(behaviour.table, row) : { ...clean(behaviour.table, row), [parent!.field]: key },
      );
  }
  if (!parent) return items.sort(byId);
  return items.sort((a, b) => compare(String(a[parent.field]), String(b[parent.field])) || byId(a, b));
}

/** Reads, checks and completes the section of a tenant (`raw`) at `path`. */
export function checkPlain(
  model: Model,
  registry: ResourceRegistry,
  section: PlainSection,
  raw: Record<string, unknown>,
  path: string,
  services: { ids: IdGenerator; now: Date },
): PlainItem[] {
  const { behaviour, parent, name } = section;
  const type = behaviour.type;
  const items = list(raw[name], `${path}.${name}`).map((item, i): PlainItem => {
    const at = `${path}.${name}[${i}]`;
    const { entity, links } = readEntity(model, type, item, at, parent ? [parent.field] : []);
    const parents = parent ? [parent.read(links[parent.field], `${at}.${parent.field}`)] : [];
    entity.id = behaviour.fixedKeys ? fixedKey(registry, section, entity.id, `${at}.id`) : guid(entity.id, `${at}.id`);
    return { entity: complete(type, entity, serverDefaults(behaviour, services, parents), at), parents };
  });
  uniqueIds(
    items.map((item, i) => ({
      id: [...item.parents, String(item.entity.id)].join('/'),
      path: `${path}.${name}[${i}].id`,
    })),
    section.label,
  );
  return items;
}

/** The key of an object that exists without being created (a profile): one of the collection's, canonical. */
function fixedKey(registry: ResourceRegistry, section: PlainSection, value: unknown, at: string): string {
  const keys = section.behaviour.fixedKeys!;
  const key = typeof value === 'string' ? registry.normalizeKey(section.behaviour.type, value) : undefined;
  if (key === undefined || !keys.has(key))
    fail(at, `expected a ${section.label.toLowerCase()} key (${[...keys].join(', ')}).`);
  return key;
}

/** Writes the section of a checked tenant; the writer refuses duplicates at their path. */
export async function importPlain(
  writer: FixtureWriter,
  section: PlainSection,
  items: readonly PlainItem[],
  path: string,
): Promise<void> {
  for (const [i, item] of items.entries()) {
    const scope = section.behaviour.scope(writer.tenantId, item.parents);
    await writer.insert(section.behaviour.table, scope, item.entity, `${path}.${section.name}[${i}]`);
  }
}
