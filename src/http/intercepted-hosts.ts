/**
 * The public-cloud Microsoft hosts localgraph answers for through its proxy, and what each is:
 * `graph` serves the Graph API, `login` serves Entra ID (the token endpoint and discovery).
 *
 * The login hosts are the aliases of Microsoft's public cloud that the identity libraries know
 * and may call (MSAL's instance discovery metadata lists them together: msal-common's
 * AuthorityMetadata, MSAL Python's and MSAL Go's well-known hosts, msal4j's trusted hosts).
 * Sovereign clouds (login.microsoftonline.us, login.chinacloudapi.cn, graph.microsoft.us, ...)
 * and the retired Azure AD Graph (graph.windows.net) are not intercepted: the family's clients
 * do not call them, and a CONNECT to them is refused like any other host.
 */
export type HostRole = 'graph' | 'login';

export const GRAPH_HOST = 'graph.microsoft.com';
export const LOGIN_HOST = 'login.microsoftonline.com';

export const INTERCEPTED_HOSTS: ReadonlyMap<string, HostRole> = new Map<string, HostRole>([
  [GRAPH_HOST, 'graph'],
  [LOGIN_HOST, 'login'],
  ['login.windows.net', 'login'],
  ['login.microsoft.com', 'login'],
  ['sts.windows.net', 'login'],
]);

/** The login aliases, in the order Entra's instance discovery lists them. */
export const LOGIN_ALIASES = [...INTERCEPTED_HOSTS].filter(([, role]) => role === 'login').map(([host]) => host);

/** `Graph.Microsoft.com.:443` → `graph.microsoft.com`: a host name without port or trailing dot, lower-cased. */
export function hostName(host: string): string {
  let name = host.trim().toLowerCase();
  if (name.startsWith('[')) return name.slice(0, name.indexOf(']') + 1);
  const colon = name.lastIndexOf(':');
  if (colon >= 0 && name.indexOf(':') === colon) name = name.slice(0, colon);
  return name.replace(/\.$/, '');
}

/** What an intercepted host is, or undefined for any other host. */
export function interceptedRole(host: string | undefined): HostRole | undefined {
  return host === undefined ? undefined : INTERCEPTED_HOSTS.get(hostName(host));
}
