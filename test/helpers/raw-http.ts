/**
 * A raw HTTP/1.1 client over `node:net`, for requests `fetch` and `node:http` refuse to send:
 * malformed request lines, bytes outside ASCII in paths and headers, duplicate or wrong
 * `Content-Length`, broken chunked bodies, a missing `Host`. It writes the bytes it is given,
 * reads until the server closes the connection, and parses every response it got (a request
 * the server split in two gets two answers).
 *
 * And the check every response of a Graph server must pass (Graph's documented error shape): a non-2xx answer is
 * `application/json` with `{"error":{"code","message","innerError":{"date","request-id",
 * "client-request-id"}}}` and a `request-id` header equal to `innerError.request-id`.
 */
import { connect } from 'node:net';

export interface RawResponse {
  status: number;
  reason: string;
  /** Header names lower-cased; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: Buffer;
  text: string;
}

export interface RawExchange {
  responses: RawResponse[];
  /** Bytes after the last complete response (a truncated answer), if any. */
  trailing: Buffer;
  /** The client gave up waiting (`timeoutMs`) with the connection still open. */
  timedOut: boolean;
  /** The connection failed (ECONNRESET while writing a body the server already refused, say). */
  error?: string;
}

export interface RawOptions {
  timeoutMs?: number;
  /** The request was HEAD: its responses carry no body whatever `Content-Length` says. */
  head?: boolean;
  /** Half-close the connection after writing (the server sees end-of-stream). Default true. */
  endAfterWrite?: boolean;
}

/** Sends `bytes` to 127.0.0.1:`port` and reads until the server closes (or the timeout). */
export function rawExchange(port: number, bytes: Buffer, options: RawOptions = {}): Promise<RawExchange> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const chunks: Buffer[] = [];
    let settled = false;
    let error: string | undefined;
    const finish = (timedOut: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const data = Buffer.concat(chunks);
      const { responses, trailing } = parseResponses(data, options.head ?? false);
      resolve({ responses, trailing, timedOut, ...(error ? { error } : {}) });
    };
    const timer = setTimeout(() => finish(true), timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => finish(false));
    socket.on('close', () => finish(false));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code ?? e.message;
      finish(false);
    });
    socket.on('connect', () => {
      socket.write(bytes, () => {
        if (options.endAfterWrite ?? true) socket.end();
      });
    });
  });
}

function indexOfCrlfCrlf(data: Buffer, from: number): number {
  return data.indexOf('\r\n\r\n', from, 'latin1');
}

/** Parses consecutive HTTP/1.1 responses out of `data`. */
export function parseResponses(data: Buffer, head: boolean): { responses: RawResponse[]; trailing: Buffer } {
  const responses: RawResponse[] = [];
  let offset = 0;
  while (offset < data.length) {
    const end = indexOfCrlfCrlf(data, offset);
    if (end < 0) break;
    const lines = data.subarray(offset, end).toString('latin1').split('\r\n');
    const statusLine = /^HTTP\/\d\.\d (\d{3})(?: (.*))?$/.exec(lines[0]);
    if (!statusLine) break;
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    }
    const status = Number(statusLine[1]);
    let bodyStart = end + 4;
    let body: Buffer;
    const noBody = head || status === 204 || status === 304 || (status >= 100 && status < 200);
    if (noBody) {
      body = Buffer.alloc(0);
    } else if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
      const parts: Buffer[] = [];
      let pos = bodyStart;
      let complete = false;
      while (pos < data.length) {
        const lineEnd = data.indexOf('\r\n', pos, 'latin1');
        if (lineEnd < 0) break;
        const size = parseInt(data.subarray(pos, lineEnd).toString('latin1').split(';')[0], 16);
        if (Number.isNaN(size)) break;
        pos = lineEnd + 2;
        if (size === 0) {
          const trailerEnd = indexOfCrlfCrlf(data, pos - 2);
          pos = trailerEnd < 0 ? data.length : trailerEnd + 4;
          complete = true;
          break;
        }
        parts.push(data.subarray(pos, pos + size));
        pos += size + 2;
      }
      if (!complete) break;
      body = Buffer.concat(parts);
      bodyStart = pos;
    } else if (headers['content-length'] !== undefined) {
      const length = Number(headers['content-length']);
      if (!Number.isFinite(length) || bodyStart + length > data.length) break;
      body = data.subarray(bodyStart, bodyStart + length);
      bodyStart += length;
    } else {
      body = data.subarray(bodyStart);
      bodyStart = data.length;
    }
    responses.push({ status, reason: statusLine[2] ?? '', headers, body, text: body.toString('utf8') });
    offset = bodyStart;
  }
  return { responses, trailing: data.subarray(offset) };
}

export interface RawRequestSpec {
  method: string;
  /** The request target as written on the request line (not encoded further). */
  target: string;
  /** Headers in order; a `null` value leaves out the header the builder would add (`Host`, `Content-Length`, `Connection`). */
  headers?: Array<[string, string | null]>;
  body?: Buffer | string;
  /** `HTTP/1.1` by default. */
  version?: string;
}

/**
 * The bytes of a request. `Host`, `Connection: close` and (with a body) `Content-Length` are
 * added unless the request spec names them (a `null` value removes them). Header text is written as
 * UTF-8, so values outside ASCII go out as their UTF-8 bytes.
 */
export function buildRequest(port: number, spec: RawRequestSpec): Buffer {
  const headers = spec.headers ?? [];
  const named = (name: string) => headers.some(([n]) => n.toLowerCase() === name);
  const body =
    spec.body === undefined ? undefined : Buffer.isBuffer(spec.body) ? spec.body : Buffer.from(spec.body, 'utf8');
  const lines = [`${spec.method} ${spec.target} ${spec.version ?? 'HTTP/1.1'}`];
  if (!named('host')) lines.push(`Host: 127.0.0.1:${port}`);
  for (const [name, value] of headers) if (value !== null) lines.push(`${name}: ${value}`);
  if (!named('connection')) lines.push('Connection: close');
  if (body !== undefined && !named('content-length') && !named('transfer-encoding'))
    lines.push(`Content-Length: ${body.length}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8');
  return body === undefined ? head : Buffer.concat([head, body]);
}

/** The media type of a `Content-Type` value, lower-cased, without parameters. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0].trim().toLowerCase();
}

/**
 * What is wrong with a response as a Graph response (an empty list when nothing is):
 * - the status is not 5xx, except 501 NotImplemented (unserved paths);
 * - a non-2xx answer (without a body only for HEAD) is `application/json` carrying the Graph
 *   error envelope, with `request-id` header equal to `innerError.request-id`;
 * - a JSON body parses.
 */
export function graphResponseProblems(
  response: Pick<RawResponse, 'status' | 'headers' | 'text'>,
  options: { head?: boolean } = {},
): string[] {
  const problems: string[] = [];
  const { status, headers, text } = response;
  // 1xx (100 Continue) are interim answers; the final one follows and is judged on its own.
  if (status < 200) return problems;
  if (status >= 500 && status !== 501) problems.push(`status ${status} (5xx)`);
  const type = mediaType(headers['content-type']);
  const isError = status >= 300;
  if (options.head) return problems;
  if (isError) {
    if (type !== 'application/json')
      problems.push(`error response with Content-Type '${headers['content-type'] ?? ''}', not application/json`);
    let body: any;
    try {
      body = JSON.parse(text);
    } catch {
      problems.push('error body is not JSON');
      return problems;
    }
    const error = body?.error;
    if (typeof error !== 'object' || error === null || Array.isArray(error)) {
      problems.push('error body has no "error" object');
      return problems;
    }
    if (typeof error.code !== 'string') problems.push('error.code is not a string');
    if (typeof error.message !== 'string') problems.push('error.message is not a string');
    if (status === 501 && error.code !== 'NotImplemented')
      problems.push(`501 with code '${error.code}', not NotImplemented`);
    const inner = error.innerError;
    if (typeof inner !== 'object' || inner === null) {
      problems.push('error.innerError missing');
    } else {
      for (const field of ['date', 'request-id', 'client-request-id']) {
        if (typeof inner[field] !== 'string' || inner[field].length === 0) problems.push(`innerError.${field} missing`);
      }
      if (typeof inner.date === 'string' && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/.test(inner.date))
        problems.push(`innerError.date '${inner.date}' is not Graph's form`);
      if (headers['request-id'] === undefined) problems.push('no request-id header');
      else if (headers['request-id'] !== inner['request-id'])
        problems.push(`request-id header '${headers['request-id']}' != innerError '${inner['request-id']}'`);
    }
  } else if (type === 'application/json' && text.length > 0) {
    try {
      JSON.parse(text);
    } catch {
      problems.push('2xx JSON body does not parse');
    }
  }
  return problems;
}
