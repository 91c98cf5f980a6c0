/**
 * End-to-end helpers for the control plane: the admin key a server printed, and calls to its
 * admin API (`/_admin/...`) and Graph surface with a token the admin API mints.
 */
import { request, type JsonResponse, type RunningServer } from './server.js';

/** The admin key in a server's banner (`admin: URL with key K`). */
export function printedAdminKey(server: RunningServer): string {
  const match = /admin: \S+\/_admin\/ with key (\S+)/.exec(server.stdout());
  if (!match) throw new Error(`no admin key in\n${server.stdout()}`);
  return match[1];
}

/** One admin API call with `x-localgraph-admin-key`. */
export function admin<T = any>(server: RunningServer, key: string, method: string, path: string, body?: unknown): Promise<JsonResponse<T>> {
  return request<T>(`${server.baseUrl}/_admin${path}`, {
    method,
    headers: { 'x-localgraph-admin-key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** A delegated Graph token (every permission by default) from `POST /_admin/token`. */
export async function adminToken(server: RunningServer, key: string, body: Record<string, unknown> = {}): Promise<string> {
  const res = await admin<{ access_token: string }>(server, key, 'POST', '/token', body);
  if (res.status !== 200) throw new Error(`POST /_admin/token: ${res.status} ${res.text}`);
  return res.body.access_token;
}

/** A Graph request under `/beta` with a bearer token. */
export function graph<T = any>(server: RunningServer, token: string, method: string, path: string, body?: unknown): Promise<JsonResponse<T>> {
  return request<T>(`${server.baseUrl}/beta${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
