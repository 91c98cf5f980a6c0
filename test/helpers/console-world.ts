/**
 * A large tenant for the web console, as one fixture for `POST /_admin/import` (seconds, where
 * 5,500 Graph requests would take minutes): 500 connector groups (the default one included),
 * 5,000 connectors spread unevenly over them, and published applications assigned to some groups.
 * Deterministic: the same ids and names every time, so screenshots compare.
 */

export interface ConsoleWorldSize {
  groups: number;
  connectors: number;
  applications: number;
}

export const LARGE_WORLD: ConsoleWorldSize = { groups: 500, connectors: 5000, applications: 40 };

const REGIONS = ['nam', 'eur', 'aus', 'asia', 'ind'];
const SITES = [
  'Lisbon',
  'Osaka',
  'Toronto',
  'Nairobi',
  'Perth',
  'Pune',
  'Dublin',
  'Denver',
  'Seoul',
  'Lyon',
  'Austin',
  'Cork',
  'Porto',
  'Quito',
  'Oslo',
  'Riga',
  'Sofia',
  'Turin',
  'Accra',
  'Hanoi',
];

/** A GUID made from a kind number and an index: 00000000-0000-4000-8<kind>-<index>. */
function id(kind: number, index: number): string {
  return `6f1d3c8e-0000-4000-8${kind.toString(16).padStart(3, '0')}-${index.toString(16).padStart(12, '0')}`;
}

export interface ConsoleWorld {
  fixture: { version: 1; tenants: Array<Record<string, unknown>> };
  defaultGroupId: string;
  /** group index → id; group 0 is the default group */
  groupIds: string[];
  groupNames: string[];
  /** how many connectors each group holds */
  connectorsPerGroup: number[];
  connectorNames: string[];
}

export function consoleWorld(tenantId: string, size: ConsoleWorldSize = LARGE_WORLD): ConsoleWorld {
  const groupIds: string[] = [];
  const groupNames: string[] = [];
  const connectorGroups: Array<Record<string, unknown>> = [];
  for (let g = 0; g < size.groups; g++) {
    const name = g === 0 ? 'Default' : `${SITES[g % SITES.length]} branch ${String(g).padStart(3, '0')}`;
    groupIds.push(id(1, g));
    groupNames.push(name);
    connectorGroups.push({
      id: groupIds[g],
      name,
      region: REGIONS[g % REGIONS.length],
      ...(g === 0 ? { isDefault: true } : {}),
    });
  }
  // Uneven, as real tenants are: every seventh group empty, some large, most a handful.
  const weights = groupIds.map((_, g) => (g === 0 ? 40 : g % 7 === 0 ? 0 : g % 11 === 0 ? 30 : 1 + (g % 5)));
  const total = weights.reduce((a, b) => a + b, 0);
  const connectorsPerGroup = weights.map(() => 0);
  const connectors: Array<Record<string, unknown>> = [];
  const connectorNames: string[] = [];
  let g = 0;
  let filled = 0;
  for (let c = 0; c < size.connectors; c++) {
    // Walk the groups so that each gets its share of the weights.
    while (
      g < size.groups - 1 &&
      filled >= Math.round((weights.slice(0, g + 1).reduce((a, b) => a + b, 0) / total) * size.connectors)
    )
      g++;
    filled++;
    const machineName = `apc-${String(c).padStart(4, '0')}.${groupNames[g].split(' ')[0].toLowerCase()}.contoso.com`;
    connectorNames.push(machineName);
    connectorsPerGroup[g]++;
    connectors.push({
      id: id(2, c),
      machineName,
      externalIp: `${20 + (c % 200)}.${(c >> 8) % 256}.${c % 256}.${1 + (c % 250)}`,
      status: c % 6 === 0 ? 'inactive' : 'active',
      version: c % 9 === 0 ? '1.5.3500.0' : '1.5.3437.0',
      connectorGroupId: groupIds[g],
    });
  }
  const applications: Array<Record<string, unknown>> = [];
  for (let a = 0; a < size.applications; a++) {
    const host = `app${String(a).padStart(2, '0')}`;
    applications.push({
      id: id(3, a),
      displayName: `Intranet app ${String(a).padStart(2, '0')}`,
      identifierUris: [],
      tags: [],
      onPremisesPublishing: {
        externalUrl: `https://${host}-contoso.msappproxy.net/`,
        internalUrl: `http://${host}.contoso.local/`,
      },
      // Every other one assigned to a group (a few groups get several).
      ...(a % 2 === 0 ? { connectorGroupId: groupIds[1 + ((a * 3) % (size.groups - 1))] } : {}),
    });
  }
  return {
    fixture: { version: 1, tenants: [{ id: tenantId, connectorGroups, connectors, applications }] },
    defaultGroupId: groupIds[0],
    groupIds,
    groupNames,
    connectorsPerGroup,
    connectorNames,
  };
}
