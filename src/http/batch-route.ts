import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errors } from '../graph/errors.js';
import { readBatch, runBatch, type BatchItem } from '../graph/batch.js';
import { ODATA_JSON } from './odata-json.js';
import { ExpandBudget } from '../resources/expand-budget.js';

/** Response headers a batch item reports, with the casing clients match on (`Content-Type` exactly). */
const REPORTED_HEADERS: Record<string, string> = {
  'content-type': 'Content-Type',
  'odata-version': 'OData-Version',
  'retry-after': 'Retry-After',
  location: 'Location',
  'request-id': 'request-id',
  'client-request-id': 'client-request-id',
};

/**
 * `POST /beta/$batch`: each item is injected into this same server as a request of its own,
 * carrying the batch's `Authorization`, so it is authorised, validated and served exactly as if
 * it had been sent alone.
 */
export async function handleBatch(request: FastifyRequest, reply: FastifyReply, version: string): Promise<unknown> {
  if (request.method !== 'POST') throw errors.methodNotAllowed();
  const items = readBatch(request.body);
  // One $expand budget for every item of the batch (src/resources/expand-budget.ts).
  const budgetId = randomUUID();
  budgets.set(budgetId, new ExpandBudget());
  try {
    const responses = await runBatch(items, (item) => executeItem(request, version, item, budgetId));
    return reply.header('OData-Version', '4.0').type(ODATA_JSON).send(JSON.stringify({ responses }));
  } finally {
    budgets.delete(budgetId);
  }
}

/**
 * Batch items are injected without a socket of their own; they carry their batch's origin in a
 * header that only this process can vouch for (a per-process secret), so their context URLs and
 * nextLinks point where the batch was sent.
 */
const ORIGIN_HEADER = 'x-localgraph-batch-origin';
const BUDGET_HEADER = 'x-localgraph-batch-budget';
const SECRET_HEADER = 'x-localgraph-batch-secret';
const SECRET = randomUUID();
/** The $expand budgets of the batches running, by an id their items carry. */
const budgets = new Map<string, ExpandBudget>();

export function batchOrigin(request: FastifyRequest): string | undefined {
  const origin = request.headers[ORIGIN_HEADER];
  return request.headers[SECRET_HEADER] === SECRET && typeof origin === 'string' ? origin : undefined;
}

/** The $expand budget of the batch a request is an item of. */
export function batchBudget(request: FastifyRequest): ExpandBudget | undefined {
  const id = request.headers[BUDGET_HEADER];
  return request.headers[SECRET_HEADER] === SECRET && typeof id === 'string' ? budgets.get(id) : undefined;
}

function itemError(status: number, code: string, message: string) {
  return { status, headers: { 'Content-Type': 'application/json' }, body: { error: { code, message } } };
}

async function executeItem(request: FastifyRequest, version: string, item: BatchItem, budgetId: string) {
  // Resolve dot-segments first, then check: an item may address only the version's own surface.
  // graph-client 3.0.7 strips the version from item URLs only for Microsoft's own hosts: on a
  // custom host it sends `/beta/...`, which is read as relative to the version root too.
  const relative = item.url.replace(/^\/+/, '').replace(new RegExp(`^${version.replace('.', '\\.')}/`, 'i'), '');
  const resolved = new URL(relative, `http://item/${version}/`);
  if (!resolved.pathname.startsWith(`/${version}/`))
    return itemError(400, 'BadRequest', `The request URL '${item.url}' is outside /${version}/.`);
  const path = `${resolved.pathname.slice(version.length + 2)}${resolved.search}`;
  if (/^\$batch(\/|\?|$)/i.test(path)) return itemError(400, 'BadRequest', 'A batch cannot contain a batch.');
  const headers: Record<string, string> = { ...item.headers };
  delete headers[ORIGIN_HEADER];
  delete headers[BUDGET_HEADER];
  delete headers[SECRET_HEADER];
  headers[ORIGIN_HEADER] = batchOrigin(request) ?? `${request.protocol}://${request.host}`;
  headers[BUDGET_HEADER] = budgetId;
  headers[SECRET_HEADER] = SECRET;
  if (request.headers.authorization !== undefined) headers.authorization = request.headers.authorization;
  const payload =
    item.body === undefined ? undefined : typeof item.body === 'string' ? item.body : JSON.stringify(item.body);
  const response = await request.server.inject({
    method: item.method as 'GET',
    url: `/${version}/${path}`,
    headers,
    payload,
  });
  const reported: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers)) {
    const canonical = REPORTED_HEADERS[name.toLowerCase()];
    if (canonical && value !== undefined) reported[canonical] = String(value);
  }
  const type = String(response.headers['content-type'] ?? '');
  let body: unknown;
  if (response.body.length > 0) body = type.startsWith('application/json') ? JSON.parse(response.body) : response.body;
  return { status: response.statusCode, headers: reported, ...(body === undefined ? {} : { body }) };
}
