import type { IdGenerator } from '../resources/id-generator.js';
import type { Entity, Scope, Store } from '../store/store.js';
import { compare, PLAIN_SECTIONS, serverDefaults, type FixtureContext, type PlainSection } from './fixture.js';
import { clean, readAll } from './fixture-rows.js';
import { complete, fail, guid, list, readEntity, uniqueIds } from './fixture-read.js';

/**
 * The plain sections of a tenant's fixture ({@link PLAIN_SECTIONS}): every row of the collection,
 * with `profile` when it lives under a hybrid agent profile.
 */
export interface PlainItem {
  entity: Entity;
  /** The hybrid agent profile, for a section `byProfile`. */
  profile?: string;
}

const byId = (a: Entity, b: Entity) => compare(String(a.id), String(b.id));

function scopeOf(tenantId: string, section: PlainSection, profile: string | undefined): Scope {
  return section.byProfile ? { tenantId, parents: [profile!] } : { tenantId };
}

/** Each plain section as the fixture shows it: sorted by id (by profile first), nulls left out. */
export async function exportPlain(
  store: Store,
  ctx: FixtureContext,
  tenantId: string,
): Promise<Record<string, Entity[]>> {
  const out: Record<string, Entity[]> = {};
  for (const section of PLAIN_SECTIONS) {
    const table = ctx.tables[section.name];
    const items: Entity[] = [];
    for (const profile of section.byProfile ? ctx.hybridProfiles : [undefined]) {
      for (const row of await readAll(store, table, scopeOf(tenantId, section, profile)))
        items.push(profile === undefined ? clean(table, row) : { ...clean(table, row), profile });
    }
    out[section.name] = items.sort((a, b) => compare(String(a.profile ?? ''), String(b.profile ?? '')) || byId(a, b));
  }
  return out;
}

/** A hybrid agent profile named in a fixture (`profile`), in its enum spelling. */
export function hybridProfile(ctx: FixtureContext, value: unknown, at: string): string {
  const profile =
    typeof value === 'string' ? ctx.model.enumType('microsoft.graph.onPremisesPublishingType').parse(value) : undefined;
  if (!profile || !ctx.hybridProfiles.includes(profile))
    fail(at, `expected a hybrid agent profile (${ctx.hybridProfiles.join(', ')}).`);
  return profile;
}

/** Reads, checks and completes the plain sections of a tenant (`raw`) at `path`. */
export function checkPlain(
  ctx: FixtureContext,
  raw: Record<string, unknown>,
  path: string,
  services: { ids: IdGenerator; now: Date },
): Record<string, PlainItem[]> {
  const out: Record<string, PlainItem[]> = {};
  for (const section of PLAIN_SECTIONS) {
    const type = ctx.tables[section.name].type;
    const items = list(raw[section.name], `${path}.${section.name}`).map((item, i): PlainItem => {
      const at = `${path}.${section.name}[${i}]`;
      const { entity, links } = readEntity(ctx, type, item, at, section.byProfile ? ['profile'] : []);
      const profile = section.byProfile ? hybridProfile(ctx, links.profile, `${at}.profile`) : undefined;
      entity.id = guid(entity.id, `${at}.id`);
      return {
        entity: complete(
          type,
          entity,
          serverDefaults(ctx, section.name, services, profile === undefined ? [] : [profile]),
          at,
        ),
        profile,
      };
    });
    uniqueIds(
      items.map((item, i) => ({
        id: item.profile === undefined ? String(item.entity.id) : `${item.profile}/${String(item.entity.id)}`,
        path: `${path}.${section.name}[${i}].id`,
      })),
      section.label,
    );
    out[section.name] = items;
  }
  return out;
}

/** Writes the plain sections of a checked tenant; `insert` refuses duplicates at their path. */
export async function importPlain(
  ctx: FixtureContext,
  tenantId: string,
  plain: Record<string, PlainItem[]>,
  path: string,
  insert: (
    table: FixtureContext['tables'][keyof FixtureContext['tables']],
    scope: Scope,
    entity: Entity,
    at: string,
  ) => Promise<void>,
): Promise<void> {
  for (const section of PLAIN_SECTIONS) {
    for (const [i, item] of (plain[section.name] ?? []).entries()) {
      await insert(
        ctx.tables[section.name],
        scopeOf(tenantId, section, item.profile),
        item.entity,
        `${path}.${section.name}[${i}]`,
      );
    }
  }
}
