// A small client of localgraph's public Graph API (/beta on this origin), as an SDK would use it:
// the user's token as a Bearer token, paging through @odata.nextLink, and Graph's error bodies
// turned into messages a person can read.

export const GRAPH_ROOT = '/beta';
export const PROXY = '/onPremisesPublishingProfiles/applicationProxy';

/** A refused or failed request: `message` is meant for people; the rest for code. */
export class GraphRequestError extends Error {
  constructor(message, { status = 0, code = '', graphMessage = '', requestId = '' } = {}) {
    super(message);
    this.name = 'GraphRequestError';
    this.status = status;
    this.code = code;
    this.graphMessage = graphMessage;
    this.requestId = requestId;
  }
}

/**
 * createGraph({ token: () => string|null, onUnauthorized: (error) => void })
 * → { get, list, page, counts, post, patch, put, del, batch, url }
 */
export function createGraph({ token, onUnauthorized }) {
  const url = (path) => {
    if (/^https?:/i.test(path)) {
      // Links Graph returns (@odata.nextLink) are absolute; the token only ever goes to this origin.
      const link = new URL(path);
      return `${location.origin}${link.pathname}${link.search}`;
    }
    return `${location.origin}${GRAPH_ROOT}${path}`;
  };

  async function send(method, path, body, extraHeaders) {
    const headers = { Accept: 'application/json', ...extraHeaders };
    const bearer = token();
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let response;
    try {
      response = await fetch(url(path), {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
      });
    } catch {
      throw new GraphRequestError('localgraph cannot be reached. Is the server still running?', {
        code: 'NetworkError',
      });
    }
    const text = await response.text();
    let json;
    if (text && /json/i.test(response.headers.get('content-type') ?? '')) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    if (!response.ok) {
      const error = toGraphRequestError(response.status, json, response.headers.get('request-id') ?? '');
      if (response.status === 401) onUnauthorized?.(error);
      throw error;
    }
    return json;
  }

  /**
   * One page of a collection: { items, next (the @odata.nextLink or null), count (with
   * `count: true`: @odata.count, which Graph's directory gives only to ConsistencyLevel: eventual) }.
   * The page size is asked for with `Prefer: odata.maxpagesize`, never with $top, so the next
   * page is always reachable through @odata.nextLink.
   */
  async function page(path, { size = 25, count = false } = {}) {
    const headers = { Prefer: `odata.maxpagesize=${size}` };
    if (count) headers.ConsistencyLevel = 'eventual';
    const answer = await send('GET', path, undefined, headers);
    return {
      items: answer?.value ?? [],
      next: answer?.['@odata.nextLink'] ?? null,
      count: typeof answer?.['@odata.count'] === 'number' ? answer['@odata.count'] : null,
    };
  }

  /**
   * How many objects each collection path holds (`…/members/$count`), read in $batch requests
   * of 20: resolves with a Map path → number (null where Graph refused).
   */
  async function counts(paths) {
    const result = new Map();
    const chunks = [];
    for (let start = 0; start < paths.length; start += 20) chunks.push(paths.slice(start, start + 20));
    await Promise.all(
      chunks.map(async (chunk) => {
        const answer = await send('POST', '/$batch', {
          requests: chunk.map((path, i) => ({
            id: String(i),
            method: 'GET',
            url: `${path}/$count`,
            headers: { ConsistencyLevel: 'eventual' },
          })),
        });
        for (const item of answer?.responses ?? []) {
          const n = Number(item.body);
          result.set(chunk[Number(item.id)], item.status === 200 && Number.isFinite(n) ? n : null);
          if (item.status === 401) onUnauthorized?.(toGraphRequestError(item.status, item.body));
        }
      }),
    );
    return result;
  }

  /** Every item of a collection, following @odata.nextLink. */
  async function list(path) {
    const items = [];
    let next = path;
    for (let pages = 0; next && pages < 1000; pages++) {
      const page = await send('GET', next);
      items.push(...(page?.value ?? []));
      next = page?.['@odata.nextLink'];
    }
    return items;
  }

  /**
   * POST /$batch of GET requests ({ id, url }); resolves with { id → value[] | GraphRequestError },
   * following each answer's @odata.nextLink with ordinary requests.
   */
  async function batch(requests) {
    const results = {};
    for (let start = 0; start < requests.length; start += 20) {
      const chunk = requests.slice(start, start + 20);
      const answer = await send('POST', '/$batch', {
        requests: chunk.map((r) => ({ id: r.id, method: 'GET', url: r.url })),
      });
      for (const item of answer?.responses ?? []) {
        if (item.status >= 400) {
          const error = toGraphRequestError(item.status, item.body, item.headers?.['request-id'] ?? '');
          if (item.status === 401) onUnauthorized?.(error);
          results[item.id] = error;
          continue;
        }
        const values = [...(item.body?.value ?? [])];
        const next = item.body?.['@odata.nextLink'];
        if (next) values.push(...(await list(next)));
        results[item.id] = values;
      }
    }
    return results;
  }

  return {
    url,
    get: (path) => send('GET', path),
    list,
    page,
    counts,
    batch,
    post: (path, body) => send('POST', path, body),
    patch: (path, body) => send('PATCH', path, body),
    put: (path, body) => send('PUT', path, body),
    del: (path) => send('DELETE', path),
  };
}

/** A path with OData query options, each value percent-encoded: withQuery('/x', { $filter: "a eq 'b'" }). */
export function withQuery(path, options) {
  const parts = Object.entries(options)
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([name, value]) => `${name}=${encodeURIComponent(value)}`);
  return parts.length ? `${path}?${parts.join('&')}` : path;
}

/** A string literal for $filter: quoted, with single quotes doubled. */
export const literal = (text) => `'${String(text).replace(/'/g, "''")}'`;

/** The `@odata.id` of an object of this origin's Graph, for $ref bodies. */
export function odataId(path) {
  return { '@odata.id': `${location.origin}${GRAPH_ROOT}${path}` };
}

/** Graph's error envelope → a readable message (Graph's own sentence, with what to do next). */
export function toGraphRequestError(status, body, requestId = '') {
  const error = body?.error ?? {};
  const code = String(error.code ?? '');
  const graphMessage = String(error.message ?? '').trim();
  const detail = (error.details ?? [])
    .map((d) => d?.message)
    .filter((m) => m && !graphMessage.includes(m))
    .join(' ');
  const said = [graphMessage, detail].filter(Boolean).join(' ');
  let message;
  if (status === 401) message = `Your sign-in was not accepted (${said || 'no valid token'}). Sign in again.`;
  else if (status === 403) message = `Not allowed: your token does not carry a permission for this. ${said}`.trim();
  else if (status === 404) message = `Not found: it may have been deleted or moved by someone else. ${said}`.trim();
  else if (status === 429) message = 'Too many requests; localgraph asked to slow down. Try again in a moment.';
  else if (status >= 500) message = `localgraph failed to answer (${status}${code ? ` ${code}` : ''}). ${said}`.trim();
  else message = said || `The request was refused (${status}${code ? ` ${code}` : ''}).`;
  return new GraphRequestError(message, { status, code, graphMessage, requestId });
}

/**
 * Replaces ids quoted in a message ('c6bf…') by the names people know them by:
 * humanize("Connector group 'c6bf…' still has connectors.", names) → "Connector group 'West' …".
 */
export function humanize(message, names) {
  return String(message).replace(
    /'([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})'/g,
    (whole, id) => {
      const name = names.get(id.toLowerCase());
      return name ? `'${name}'` : whole;
    },
  );
}
