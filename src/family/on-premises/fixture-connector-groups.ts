import { byId, collection } from '../../admin/fixture.js';
import { complete, fail, guid, list, readEntity, serverDefaults, uniqueIds } from '../../admin/fixture-read.js';
import { clean, readAll } from '../../admin/fixture-rows.js';
import type { FixtureSection } from '../../admin/fixture-section.js';
import type { CollectionBehaviour } from '../../resources/collection.js';
import type { ResourceRegistry } from '../../resources/registry.js';
import type { Condition, Entity } from '../../store/store.js';

// The collections' paths, as their behaviours declare them (not from ON_PREMISES_COLLECTIONS: on-premises.ts,
// which defines it, imports this module).
const PATHS = {
  connectorGroups: 'onPremisesPublishingProfiles/connectorGroups',
  connectors: 'onPremisesPublishingProfiles/connectors',
  applications: 'applications',
  ipApplicationSegments: 'applications/onPremisesPublishing/segmentsConfiguration/applicationSegments',
};

/**
 * The fixture's connector groups, connectors and applications, linked by `connectorGroupId`
 * (a connector is in one group, the tenant's default when the fixture names none; an application
 * in one or none), with each application's IP segments inside it (`applicationSegments`).
 */
export function connectorGroupsSection(registry: ResourceRegistry): FixtureSection {
  const groups = collection(registry, PATHS.connectorGroups);
  const connectors = collection(registry, PATHS.connectors);
  const applications = collection(registry, PATHS.applications);
  const segments = collection(registry, PATHS.ipApplicationSegments);
  const { model } = registry;
  const withId = (entity: Entity, at: string): Entity => {
    entity.id = guid(entity.id, `${at}.id`);
    return entity;
  };
  const inGroup = (id: unknown): Condition => ({ sql: 'connector_group_id = ?', params: [id] });
  const read = (b: CollectionBehaviour, item: unknown, at: string, links: string[] = []) =>
    readEntity(model, b.type, item, at, links);

  return {
    collections: [PATHS.connectorGroups, PATHS.connectors, PATHS.applications, PATHS.ipApplicationSegments],
    linkTables: [],
    members: ['connectorGroups', 'connectors', 'applications'],

    async export(store, tenantId) {
      const scope = { tenantId };
      const found = (await readAll(store, groups.table, scope)).map((g) => clean(groups.table, g)).sort(byId);
      const connectorItems: Entity[] = [];
      const applicationItems: Entity[] = [];
      for (const group of found) {
        for (const c of await readAll(store, connectors.table, scope, inGroup(group.id)))
          connectorItems.push({ ...clean(connectors.table, c), connectorGroupId: group.id });
        for (const a of await readAll(store, applications.table, scope, inGroup(group.id)))
          applicationItems.push({ ...clean(applications.table, a), connectorGroupId: group.id });
      }
      const unassigned = { sql: 'connector_group_id IS NULL', params: [] };
      for (const a of await readAll(store, applications.table, scope, unassigned))
        applicationItems.push(clean(applications.table, a));
      for (const app of applicationItems) {
        const rows = await readAll(store, segments.table, segments.scope(tenantId, [String(app.id)]));
        app.applicationSegments = rows.map((s) => clean(segments.table, s)).sort(byId);
      }
      return {
        connectorGroups: found,
        connectors: connectorItems.sort(byId),
        applications: applicationItems.sort(byId),
      };
    },

    check(raw, path, { services }) {
      const checkedGroups = list(raw.connectorGroups, `${path}.connectorGroups`).map((item, i) => {
        const at = `${path}.connectorGroups[${i}]`;
        const { entity } = read(groups, item, at);
        return complete(groups.type, withId(entity, at), serverDefaults(groups, services, []), at);
      });
      uniqueIds(
        checkedGroups.map((g, i) => ({ id: String(g.id), path: `${path}.connectorGroups[${i}].id` })),
        'Connector group',
      );
      const defaults = checkedGroups.filter((g) => g.isDefault === true);
      if (defaults.length > 1)
        fail(`${path}.connectorGroups`, 'a tenant has one default connector group (isDefault: true), not several.');
      const groupIds = new Set(checkedGroups.map((g) => String(g.id)));
      const groupRef = (value: unknown, at: string): string => {
        const id = guid(value, at);
        if (!groupIds.has(id)) fail(at, `no connector group '${id}' in this tenant's connectorGroups.`);
        return id;
      };

      const checkedConnectors = list(raw.connectors, `${path}.connectors`).map((item, i) => {
        const at = `${path}.connectors[${i}]`;
        const { entity, links } = read(connectors, item, at, ['connectorGroupId']);
        withId(entity, at);
        let groupId: string;
        if (links.connectorGroupId !== undefined) groupId = groupRef(links.connectorGroupId, `${at}.connectorGroupId`);
        else if (defaults.length === 1) groupId = String(defaults[0].id);
        else
          fail(
            `${at}.connectorGroupId`,
            'a connector is in one connector group: name it, or give the tenant a default group.',
          );
        return { entity: complete(connectors.type, entity, serverDefaults(connectors, services, []), at), groupId };
      });
      uniqueIds(
        checkedConnectors.map((c, i) => ({ id: String(c.entity.id), path: `${path}.connectors[${i}].id` })),
        'Connector',
      );

      const checkedApplications = list(raw.applications, `${path}.applications`).map((item, i) => {
        const at = `${path}.applications[${i}]`;
        const { entity, links } = read(applications, item, at, ['connectorGroupId', 'applicationSegments']);
        withId(entity, at);
        const groupId =
          links.connectorGroupId === undefined || links.connectorGroupId === null
            ? null
            : groupRef(links.connectorGroupId, `${at}.connectorGroupId`);
        const appSegments = list(links.applicationSegments, `${at}.applicationSegments`).map((s, j) => {
          const segmentAt = `${at}.applicationSegments[${j}]`;
          const { entity: segment } = read(segments, s, segmentAt);
          const defaults = serverDefaults(segments, services, [String(entity.id)]);
          return complete(segments.type, withId(segment, segmentAt), defaults, segmentAt);
        });
        uniqueIds(
          appSegments.map((s, j) => ({ id: String(s.id), path: `${at}.applicationSegments[${j}].id` })),
          'Application segment',
        );
        const completed = complete(applications.type, entity, serverDefaults(applications, services, []), at);
        return { entity: completed, groupId, segments: appSegments };
      });
      uniqueIds(
        checkedApplications.map((a, i) => ({ id: String(a.entity.id), path: `${path}.applications[${i}].id` })),
        'Application',
      );
      uniqueIds(
        checkedApplications.map((a, i) => ({
          id: String(a.entity.appId).toLowerCase(),
          path: `${path}.applications[${i}].appId`,
        })),
        'Application appId',
      );

      return {
        counts: {
          connectorGroups: checkedGroups.length,
          connectors: checkedConnectors.length,
          applications: checkedApplications.length,
          applicationSegments: checkedApplications.reduce((n, a) => n + a.segments.length, 0),
        },
        async write({ tenantId, insert }) {
          const scope = { tenantId };
          for (const [i, g] of checkedGroups.entries())
            await insert(groups.table, scope, g, `${path}.connectorGroups[${i}]`);
          for (const [i, c] of checkedConnectors.entries()) {
            const hidden = { connector_group_id: c.groupId };
            await insert(connectors.table, scope, c.entity, `${path}.connectors[${i}]`, hidden);
          }
          for (const [i, a] of checkedApplications.entries()) {
            const at = `${path}.applications[${i}]`;
            await insert(applications.table, scope, a.entity, at, { connector_group_id: a.groupId });
            const inApplication = segments.scope(tenantId, [String(a.entity.id)]);
            for (const [j, s] of a.segments.entries())
              await insert(segments.table, inApplication, s, `${at}.applicationSegments[${j}]`);
          }
        },
      };
    },
  };
}
