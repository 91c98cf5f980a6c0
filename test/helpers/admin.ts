/**
 * End-to-end helpers for the control plane: calls to a server's admin API (`/_admin/...`, with
 * the key its banner printed: `server.adminKey`) and to its Graph surface with a token the admin
 * API mints.
 */
import { postAdminToken, request, type JsonResponse, type RunningServer } from './server.js';

/** One admin API call with `x-localgraph-admin-key`. */
export function admin<T = any>(
  server: RunningServer,
  key: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<JsonResponse<T>> {
  return request<T>(`${server.baseUrl}/_admin${path}`, {
    method,
    headers: { 'x-localgraph-admin-key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** A delegated Graph token (every permission by default) from `POST /_admin/token`. */
export function adminToken(server: RunningServer, key: string, body: Record<string, unknown> = {}): Promise<string> {
  return postAdminToken(server.baseUrl, key, body);
}

/** A Graph request under `/beta` with a bearer token. */
export function graph<T = any>(
  server: RunningServer,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<JsonResponse<T>> {
  return request<T>(`${server.baseUrl}/beta${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
