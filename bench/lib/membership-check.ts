import { GraphHttp } from './graph-http.js';
import { AP } from './mixed-load-client.js';
import { OpStats } from './op-stats.js';

/**
 * The membership invariants of a tenant, read back through Graph once a load is over, against
 * what its clients know they left behind:
 * - exactly one default connector group, the one the tenant had before the load;
 * - the other groups are exactly those the clients created and did not delete;
 * - the connectors are exactly those the clients created and did not delete;
 * - walking every group's `members`, each connector is in exactly one group, the one its client
 *   last moved it to (so none is in a group that does not exist, or in none).
 * Reading through Graph keeps the check the same on SQLite and PostgreSQL.
 */

export interface TenantExpectation {
  token: string;
  defaultGroupId: string;
  /** connector id → the group it must be in */
  connectors: Map<string, string>;
  /** the non-default groups that must exist */
  groups: Set<string>;
}

export interface MembershipReport {
  problems: string[];
  connectors: number;
  groups: number;
}

const BIG_PAGES = { prefer: 'odata.maxpagesize=999' };

export async function checkMembership(origin: string, tenant: TenantExpectation): Promise<MembershipReport> {
  const stats = new OpStats();
  const http = new GraphHttp(origin, stats, 60_000);
  const problems: string[] = [];
  const differ = (what: string, got: Iterable<string>, expected: Set<string>) => {
    const seen = new Set(got);
    const extra = [...seen].filter((id) => !expected.has(id));
    const missing = [...expected].filter((id) => !seen.has(id));
    if (extra.length + missing.length > 0)
      problems.push(
        `${what}: ${extra.length} unexpected (${extra.slice(0, 5).join(', ')}), ${missing.length} missing (${missing.slice(0, 5).join(', ')})`,
      );
  };

  const groups =
    (await http.walk('list groups', 'list groups', tenant.token, `${AP}/connectorGroups`, BIG_PAGES)) ?? [];
  const defaults = groups.filter((g) => g.isDefault === true).map((g) => g.id as string);
  if (defaults.length !== 1 || defaults[0] !== tenant.defaultGroupId)
    problems.push(`default groups ${JSON.stringify(defaults)}, expected exactly [${tenant.defaultGroupId}]`);
  differ(
    'connector groups',
    groups.filter((g) => g.isDefault !== true).map((g) => g.id as string),
    tenant.groups,
  );

  const connectors = (
    (await http.walk('list connectors', 'list connectors', tenant.token, `${AP}/connectors?$select=id`, BIG_PAGES)) ??
    []
  ).map((c) => c.id as string);
  if (new Set(connectors).size !== connectors.length)
    problems.push(`the connector list repeats ids (${connectors.length} rows, ${new Set(connectors).size} distinct)`);
  differ('connectors', connectors, new Set(tenant.connectors.keys()));

  const groupOf = new Map<string, string>();
  for (const group of groups) {
    const members =
      (await http.walk(
        'list members',
        'list members',
        tenant.token,
        `${AP}/connectorGroups/${group.id}/members?$select=id`,
        BIG_PAGES,
      )) ?? [];
    for (const { id } of members as Array<{ id: string }>) {
      const earlier = groupOf.get(id);
      if (earlier !== undefined) problems.push(`connector ${id} is a member of both ${earlier} and ${group.id}`);
      groupOf.set(id, group.id);
    }
  }
  const listed = new Set(connectors);
  const inNoGroup = connectors.filter((id) => !groupOf.has(id));
  if (inNoGroup.length > 0)
    problems.push(`${inNoGroup.length} connectors in no listed group: ${inNoGroup.slice(0, 5).join(', ')}`);
  const unlisted = [...groupOf.keys()].filter((id) => !listed.has(id));
  if (unlisted.length > 0)
    problems.push(`${unlisted.length} members not in the connector list: ${unlisted.slice(0, 5).join(', ')}`);
  const misplaced = [...tenant.connectors].filter(([id, group]) => groupOf.has(id) && groupOf.get(id) !== group);
  if (misplaced.length > 0)
    problems.push(
      `${misplaced.length} connectors not in the group last moved to: ${misplaced
        .slice(0, 5)
        .map(([id, g]) => `${id} in ${groupOf.get(id)}, not ${g}`)
        .join('; ')}`,
    );

  http.close();
  const unshown = stats.failures - stats.firstFailures.length;
  const failed = [...stats.firstFailures, ...(unshown > 0 ? [`${unshown} more failed reads`] : [])];
  return { problems: [...failed, ...problems], connectors: connectors.length, groups: groups.length };
}
