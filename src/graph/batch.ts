import { errors, type GraphError } from './errors.js';

/**
 * JSON batching (`POST /beta/$batch`), as Graph does it: at most 20 requests, ids unique
 * (ignoring case), `dependsOn` honoured (a failed dependency answers 424), no atomicity. Each
 * item runs as its own request through the whole pipeline (token, permissions, behaviour), by
 * the executor the HTTP layer supplies.
 */
export const MAX_BATCH_REQUESTS = 20;

export interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
  dependsOn: string[];
}

export interface BatchItemResponse {
  id: string;
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export type BatchExecutor = (item: BatchItem) => Promise<Omit<BatchItemResponse, 'id'>>;

/** The envelope of an error made by the batch itself (no request of its own to date or id). */
function briefError(error: GraphError): object {
  return { error: { code: error.code, message: error.message } };
}

const METHODS = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE']);
/** RFC 9110's token, for header names. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Visible ASCII, spaces and tabs. */
const HEADER_VALUE = /^[\t\x20-\x7e]*$/;

function invalid(message: string): never {
  throw errors.invalidBatch(message);
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Validates a batch body; every refusal is a 400 for the whole batch, as Graph answers. */
export function readBatch(body: unknown): BatchItem[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    invalid('The batch body must be a JSON object with a "requests" array.');
  const requests = (body as Record<string, unknown>).requests;
  if (!Array.isArray(requests)) invalid('The batch body must have a "requests" array.');
  if (requests.length === 0) invalid('The batch must contain at least one request.');
  if (requests.length > MAX_BATCH_REQUESTS)
    invalid(`Number of requests inside batch exceeds the limit of ${MAX_BATCH_REQUESTS}.`);
  const seen = new Set<string>();
  const items = requests.map((raw, index): BatchItem => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      invalid(`Request ${index} must be a JSON object.`);
    const r = raw as Record<string, unknown>;
    if (typeof r.id !== 'string' || r.id === '') invalid(`Request ${index} needs an "id" string.`);
    if (seen.has(r.id.toLowerCase())) invalid(`Request id '${r.id}' is used more than once.`);
    seen.add(r.id.toLowerCase());
    if (typeof r.method !== 'string' || !METHODS.has(r.method.toUpperCase()))
      invalid(`Request '${r.id}' needs a "method" (GET, POST, PATCH, PUT or DELETE).`);
    if (typeof r.url !== 'string' || r.url === '') invalid(`Request '${r.id}' needs a "url".`);
    if (/^[a-z]+:\/\//i.test(r.url))
      invalid(`Request '${r.id}' has an absolute URL; batch URLs are relative to the version root.`);
    const headers: Record<string, string> = {};
    if (r.headers !== undefined) {
      if (typeof r.headers !== 'object' || r.headers === null || Array.isArray(r.headers))
        invalid(`The "headers" of request '${r.id}' must be an object.`);
      for (const [name, value] of Object.entries(r.headers)) {
        if (typeof value !== 'string') invalid(`Header '${name}' of request '${r.id}' must be a string.`);
        // Checked here, before any item runs: an item's headers become a request's, and its
        // client-request-id a response header; one HTTP cannot carry fails only after its write.
        if (!HEADER_NAME.test(name)) invalid(`Header '${name}' of request '${r.id}' is not a valid header name.`);
        if (!HEADER_VALUE.test(value))
          invalid(
            `Header '${name}' of request '${r.id}' has a character a header cannot carry (a control character such as CR or LF, or one outside ASCII).`,
          );
        headers[name.toLowerCase()] = value;
      }
    }
    // `"body": null` is no body: the Go SDK's batch helper writes it for every GET.
    let body = r.body === null ? undefined : r.body;
    if (body !== undefined && headers['content-type'] === undefined) {
      // Graph asks for Content-Type with a body, but the Kiota core batch helper (msgraph-sdk-core
      // 1.0.0-preview.17) drops every item header and sends the body base64-encoded: such a body is
      // read as the JSON it encodes, so the official SDK's batches work.
      const decoded = typeof body === 'string' ? Buffer.from(body, 'base64').toString('utf8') : undefined;
      if (typeof body === 'object' && body !== null) headers['content-type'] = 'application/json';
      else if (decoded !== undefined && isJson(decoded)) {
        body = decoded;
        headers['content-type'] = 'application/json';
      } else invalid(`Request '${r.id}' has a body, so its headers must include Content-Type.`);
    }
    let dependsOn: string[] = [];
    if (r.dependsOn !== undefined) {
      if (!Array.isArray(r.dependsOn) || r.dependsOn.some((d) => typeof d !== 'string'))
        invalid(`The "dependsOn" of request '${r.id}' must be an array of ids.`);
      dependsOn = r.dependsOn as string[];
    }
    return { id: r.id, method: r.method.toUpperCase(), url: r.url, headers, body, dependsOn };
  });
  const ids = new Map(items.map((i) => [i.id.toLowerCase(), i]));
  for (const item of items) {
    for (const dependency of item.dependsOn) {
      const target = ids.get(dependency.toLowerCase());
      if (!target) invalid(`Request '${item.id}' depends on '${dependency}', which is not in the batch.`);
      if (items.indexOf(target) >= items.indexOf(item))
        invalid(`Request '${item.id}' may only depend on requests listed before it.`);
    }
  }
  return items;
}

/** Runs the items: each as soon as its dependencies are done; a failed dependency gives 424. */
export async function runBatch(items: BatchItem[], execute: BatchExecutor): Promise<BatchItemResponse[]> {
  const done = new Map<string, Promise<BatchItemResponse>>();
  for (const item of items) {
    const dependencies = item.dependsOn.map((d) => done.get(d.toLowerCase())!);
    done.set(
      item.id.toLowerCase(),
      Promise.all(dependencies).then(async (results) => {
        if (results.some((r) => r.status >= 400)) {
          return {
            id: item.id,
            status: 424,
            headers: { 'Content-Type': 'application/json' },
            body: briefError(errors.failedDependency()),
          };
        }
        try {
          return { id: item.id, ...(await execute(item)) };
        } catch {
          return {
            id: item.id,
            status: 500,
            headers: { 'Content-Type': 'application/json' },
            body: briefError(errors.internal()),
          };
        }
      }),
    );
  }
  return Promise.all(items.map((i) => done.get(i.id.toLowerCase())!));
}
