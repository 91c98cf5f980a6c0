import assert from 'node:assert/strict';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { allPermissions } from '../../src/auth/identity.js';
import type { AppOptions } from '../../src/http/app.js';
import { type TestServer, testServer } from '../../src/http/testing.js';
import { graphResponseProblems, type RawResponse } from './raw-http.js';
import { GUID, type GraphErrorBody, type JsonResponse, request } from './server.js';
import { onPremises } from '../../src/family/on-premises/on-premises.js';

/** Graph requests with a bearer token, JSON in and out: the end-to-end tests' one client. */
export interface GraphClient {
  /** GET `path` (from the server's root, e.g. `/beta/...`). */
  get(path: string, token?: string, headers?: Record<string, string>): Promise<JsonResponse<any>>;
  /** `method` on `path`, with `body` as JSON when there is one. */
  send(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
    headers?: Record<string, string>,
  ): Promise<JsonResponse<any>>;
}

/**
 * A client for the server at `baseUrl()`, sending `defaultToken()` unless a call names another.
 * Both are functions because a test file starts its server and mints its tokens in `before`,
 * after the client is made.
 */
export function graphClient(baseUrl: () => string, defaultToken: () => string): GraphClient {
  return {
    get(path, token = defaultToken(), headers = {}) {
      return request(`${baseUrl()}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
    },
    send(method, path, body, token = defaultToken(), headers = {}) {
      const json: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
      return request(`${baseUrl()}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...json, ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    },
  };
}

/**
 * Asserts a Graph error answer and returns its error: this status, this code (and message, when
 * given), and a whole Graph envelope: `application/json`, a body of `error` alone with a code and a
 * message, `innerError` with Graph's date, a GUID `request-id` and the `client-request-id`, each
 * equal to its response header.
 */
export function assertGraphError(
  res: JsonResponse<unknown> | RawResponse,
  status: number,
  code: string,
  message?: string | RegExp,
): GraphErrorBody['error'] {
  assert.equal(res.status, status, res.text);
  const headers = res.headers instanceof Headers ? Object.fromEntries(res.headers) : res.headers;
  // A 5xx is a problem unless it is the status this test expects (503 unavailable, 504 timeout).
  const problems = graphResponseProblems({ status: res.status, headers, text: res.text });
  assert.deepEqual(
    problems.filter((problem) => !(status >= 500 && problem.endsWith('(5xx)'))),
    [],
    res.text,
  );
  const body = JSON.parse(res.text) as GraphErrorBody;
  assert.deepEqual(Object.keys(body), ['error'], res.text);
  const { error } = body;
  assert.equal(error.code, code, res.text);
  assert.ok(error.message.length > 0, res.text);
  assert.match(error.innerError['request-id'], GUID);
  assert.equal(headers['client-request-id'], error.innerError['client-request-id']);
  if (typeof message === 'string') assert.equal(error.message, message);
  else if (message) assert.match(error.message, message);
  return error;
}

/**
 * The same client over `app.inject`: no socket, no process, for the unit tests that drive the
 * engine in-process (src/resources/*.test.ts).
 */
export function injectClient(app: () => FastifyInstance, defaultToken: () => string): GraphClient {
  const call = async (method: string, path: string, body: unknown, token: string, headers: Record<string, string>) => {
    const json: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
    const res = await app().inject({
      method: method as InjectOptions['method'],
      url: path,
      headers: { authorization: `Bearer ${token}`, ...json, ...headers },
      payload: body === undefined ? undefined : JSON.stringify(body),
    });
    const answered = new Headers();
    for (const [name, value] of Object.entries(res.headers)) {
      if (value !== undefined) answered.set(name, Array.isArray(value) ? value.join(', ') : String(value));
    }
    const text = res.body;
    const parsed = text.length > 0 && /json/.test(answered.get('content-type') ?? '') ? JSON.parse(text) : undefined;
    return { status: res.statusCode, headers: answered, body: parsed, text };
  };
  return {
    get: (path, token = defaultToken(), headers = {}) => call('GET', path, undefined, token, headers),
    send: (method, path, body, token = defaultToken(), headers = {}) => call(method, path, body, token, headers),
  };
}

/** An in-process server over an in-memory store, and a client holding a token of every permission. */
export interface InProcessGraph extends GraphClient {
  server: TestServer;
  tenantId: string;
}

export async function inProcessGraph(
  appOptions: Omit<AppOptions, 'store' | 'authenticator' | 'family'> = {},
  tenantId = '3c9a5b1e-0000-4000-8000-0000000e0001',
): Promise<InProcessGraph> {
  const server = await testServer(undefined, appOptions);
  const token = await server.userToken(tenantId, allPermissions(onPremises).scopes);
  return {
    server,
    tenantId,
    ...injectClient(
      () => server.app,
      () => token,
    ),
  };
}
