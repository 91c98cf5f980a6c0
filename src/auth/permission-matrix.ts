/**
 * Graph's permission matrix for the operations localgraph serves, as data: for each method and
 * path pattern, the delegated scopes and the application roles that allow it (least privileged
 * first). An empty list means that kind of token is not supported, as Graph's docs write "Not
 * supported". The README's permission table is rendered from these rows.
 */
export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface PermissionRow {
  method: Method;
  pattern: string;
  delegated: string[];
  application: string[];
  /** Where the row comes from, or why localgraph chose it where the sources are silent. */
  note: string;
}

const DIRECTORY_RW = 'Directory.ReadWrite.All';
const CONNECTORS = '/onPremisesPublishingProfiles/{id}/connectors';

export const permissionMatrix: PermissionRow[] = [
  { method: 'GET', pattern: CONNECTORS, delegated: [DIRECTORY_RW], application: [], note: 'perms.json, docs (app: not supported since docs PR #8606)' },
  { method: 'GET', pattern: `${CONNECTORS}/{id}`, delegated: [DIRECTORY_RW], application: [], note: 'perms.json, docs' },
  {
    method: 'POST',
    pattern: CONNECTORS,
    delegated: [DIRECTORY_RW],
    application: [DIRECTORY_RW],
    note: 'undocumented (doc stub says TODO); localgraph choice: connector registration is done by installers, so app tokens may register too',
  },
  { method: 'PATCH', pattern: `${CONNECTORS}/{id}`, delegated: [DIRECTORY_RW], application: [DIRECTORY_RW], note: 'undocumented (doc stub); same choice as create' },
  { method: 'DELETE', pattern: `${CONNECTORS}/{id}`, delegated: [DIRECTORY_RW], application: [DIRECTORY_RW], note: 'undocumented (metadata only); same choice as create' },
];
