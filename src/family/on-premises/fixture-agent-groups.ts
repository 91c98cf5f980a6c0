import { byId, collection, compare, fixtureParent } from '../../admin/fixture.js';
import { complete, fail, guid, list, readEntity, serverDefaults, uniqueIds } from '../../admin/fixture-read.js';
import { clean, readAll } from '../../admin/fixture-rows.js';
import type { FixtureSection } from '../../admin/fixture-section.js';
import type { CollectionBehaviour } from '../../resources/collection.js';
import { linkedTargets } from '../../resources/related-condition.js';
import type { ResourceRegistry } from '../../resources/registry.js';
import type { Entity, LinkMapping, Scope } from '../../store/store.js';
import { IN_HYBRID_PROFILE } from './hybrid-agents.js';

// The collection's path, as its behaviour declares it (not from ON_PREMISES_COLLECTIONS: on-premises.ts,
// which defines it, imports this module).
const AGENT_GROUPS = 'onPremisesPublishingProfiles/agentGroups';

/**
 * The fixture's agent groups, each with its `profile` and the ids of its agents and published
 * resources (`agentIds`, `publishedResourceIds`: the link tables), which must be in the fixture's
 * `agents` and `publishedResources` of the same profile.
 */
export function agentGroupsSection(registry: ResourceRegistry): FixtureSection {
  const groups = collection(registry, AGENT_GROUPS);
  const profile = fixtureParent(registry, groups, IN_HYBRID_PROFILE);
  const members = {
    agentIds: { member: 'agents', what: 'agent', ...target(registry, groups, 'agents') },
    publishedResourceIds: {
      member: 'publishedResources',
      what: 'published resource',
      ...target(registry, groups, 'publishedResources'),
    },
  };
  const fields = Object.keys(members) as (keyof typeof members)[];

  return {
    collections: [AGENT_GROUPS],
    linkTables: fields.map((field) => members[field].link.table),
    members: ['agentGroups'],

    async export(store, tenantId) {
      const items: Entity[] = [];
      for (const key of profile.keys) {
        const inProfile: Scope = groups.scope(tenantId, [key]);
        for (const g of await readAll(store, groups.table, inProfile)) {
          const item: Entity = { ...clean(groups.table, g), [profile.field]: key };
          for (const field of fields) {
            const { behaviour, link } = members[field];
            const linked = await readAll(
              store,
              behaviour.table,
              inProfile,
              linkedTargets(link, inProfile, String(g.id)),
            );
            item[field] = linked.map((e) => String(e.id)).sort(compare);
          }
          items.push(item);
        }
      }
      return {
        agentGroups: items.sort((a, b) => compare(String(a[profile.field]), String(b[profile.field])) || byId(a, b)),
      };
    },

    check(raw, path, env) {
      const keyed = (parents: string[], id: unknown) => [...parents, String(id)].join('/');
      const known = Object.fromEntries(
        fields.map((field) => [
          field,
          new Set(env.plain(members[field].member).map((i) => keyed(i.parents, i.entity.id))),
        ]),
      );
      const checked = list(raw.agentGroups, `${path}.agentGroups`).map((item, i) => {
        const at = `${path}.agentGroups[${i}]`;
        const { entity, links } = readEntity(registry.model, groups.type, item, at, [profile.field, ...fields]);
        const key = profile.read(links[profile.field], `${at}.${profile.field}`);
        const refs = (field: keyof typeof members) => [
          ...new Set(
            list(links[field], `${at}.${field}`).map((value, j) => {
              const id = guid(value, `${at}.${field}[${j}]`);
              if (!known[field].has(keyed([key], id)))
                fail(
                  `${at}.${field}[${j}]`,
                  `no ${members[field].what} '${id}' in the profile '${key}' of this tenant.`,
                );
              return id;
            }),
          ),
        ];
        entity.id = guid(entity.id, `${at}.id`);
        return {
          entity: complete(groups.type, entity, serverDefaults(groups, env.services, [key]), at),
          profile: key,
          links: Object.fromEntries(fields.map((field) => [field, refs(field)])) as Record<
            keyof typeof members,
            string[]
          >,
        };
      });
      uniqueIds(
        checked.map((g, i) => ({ id: keyed([g.profile], g.entity.id), path: `${path}.agentGroups[${i}].id` })),
        'Agent group',
      );
      return {
        counts: { agentGroups: checked.length },
        async write({ tx, tenantId, insert }) {
          for (const [i, g] of checked.entries()) {
            const inProfile = groups.scope(tenantId, [g.profile]);
            await insert(groups.table, inProfile, g.entity, `${path}.agentGroups[${i}]`);
            for (const field of fields)
              for (const id of g.links[field]) await tx.link(members[field].link, inProfile, String(g.entity.id), id);
          }
        },
      };
    },
  };
}

/** The collection a link relationship of the groups names, and its link table. */
function target(
  registry: ResourceRegistry,
  source: CollectionBehaviour,
  relationship: string,
): { behaviour: CollectionBehaviour; link: LinkMapping } {
  const declared = source.relationships?.[relationship];
  if (declared?.storage.kind !== 'link')
    throw new Error(`fixtures: ${source.path} has no link relationship ${relationship}`);
  const { table, sourceColumn, targetColumn } = declared.storage;
  return {
    behaviour: collection(registry, declared.target),
    link: { table, sourceColumn, targetColumn, scopeColumns: source.table.scopeColumns },
  };
}
