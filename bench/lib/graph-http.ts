import { Agent, request } from 'node:http';
import type { OpStats } from './op-stats.js';

/**
 * HTTP for load clients: every request is timed under the name of the operation it belongs to,
 * and anything but the expected answer is recorded as a failure with enough of the request and
 * response to tell what happened. Connections are kept alive and reused, as an SDK client's are.
 * node:http rather than fetch: on this load fetch cost the clients' process 0.5 ms of CPU per
 * request against node:http's 0.2, and on a 2-core machine every cycle the clients spend is one
 * the server does not get.
 */

export interface Answer {
  status: number;
  text: string;
  /** the parsed JSON body, when there is one */
  body: any;
}

export class GraphHttp {
  constructor(
    /** http://127.0.0.1:PORT */
    readonly origin: string,
    /** where the requests from now on are counted (a run swaps it after its set-up) */
    public stats: OpStats,
    private readonly timeoutMs: number,
  ) {}

  /** One connection per concurrent request at most, each kept open for the next. */
  private readonly agent = new Agent({ keepAlive: true });

  /** Sends one request; undefined (and a recorded failure) on a network error or timeout. */
  async send(
    op: string,
    token: string,
    method: string,
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer | undefined> {
    const href = url.startsWith('http') ? url : `${this.origin}${url}`;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const started = performance.now();
    try {
      const { status, text } = await this.exchange(href, method, payload, {
        authorization: `Bearer ${token}`,
        ...headers,
      });
      this.stats.request(op, performance.now() - started);
      return { status, text, body: parseJson(text) };
    } catch (error) {
      this.stats.request(op, performance.now() - started);
      this.stats.fail(op, `${method} ${this.path(href)}: ${describeError(error)}`);
      return undefined;
    }
  }

  private exchange(
    href: string,
    method: string,
    payload: string | undefined,
    headers: Record<string, string>,
  ): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const sent = request(href, {
        method,
        agent: this.agent,
        timeout: this.timeoutMs,
        headers:
          payload === undefined
            ? headers
            : { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      });
      // A socket timeout: nothing received for that long.
      sent.on('timeout', () => sent.destroy(new Error(`nothing received for ${this.timeoutMs} ms`)));
      sent.on('error', reject);
      sent.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
      });
      sent.end(payload);
    });
  }

  /** Closes the kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }

  /** Sends one request; its answer when the status is `status`, else undefined and a recorded failure. */
  async expect(
    op: string,
    status: number,
    token: string,
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Answer | undefined> {
    const answer = await this.send(op, token, method, url, body, headers);
    if (answer === undefined) return undefined;
    if (answer.status !== status) {
      this.stats.fail(
        op,
        `${method} ${this.path(url)} answered ${answer.status}, expected ${status}: ${answer.text.slice(0, 500)}`,
      );
      return undefined;
    }
    return answer;
  }

  /**
   * GETs a collection and follows `@odata.nextLink` to the end (the follow-up pages timed as
   * `nextLinkOp`); every row, or undefined after a recorded failure.
   */
  async walk(
    op: string,
    nextLinkOp: string,
    token: string,
    url: string,
    headers?: Record<string, string>,
    maxPages = 100,
  ): Promise<any[] | undefined> {
    const rows: any[] = [];
    let next: string | undefined = url;
    for (let page = 0; next !== undefined; page++) {
      if (page === maxPages) {
        this.stats.fail(op, `GET ${this.path(url)}: still a nextLink after ${maxPages} pages`);
        return undefined;
      }
      const label = page === 0 ? op : nextLinkOp;
      const answer = await this.expect(label, 200, token, 'GET', next, undefined, headers);
      if (answer === undefined) return undefined;
      if (!Array.isArray(answer.body?.value)) {
        this.stats.fail(label, `GET ${this.path(next)}: not a collection: ${answer.text.slice(0, 300)}`);
        return undefined;
      }
      rows.push(...answer.body.value);
      next = answer.body['@odata.nextLink'];
      if (next !== undefined && !next.startsWith(`${this.origin}/beta/`)) {
        this.stats.fail(label, `GET ${this.path(url)}: a nextLink off the server's own origin: ${next}`);
        return undefined;
      }
    }
    return rows;
  }

  /** A URL without the origin, for messages. */
  path(url: string): string {
    return url.startsWith(this.origin) ? url.slice(this.origin.length) : url;
  }
}

function parseJson(text: string): unknown {
  if (!text.startsWith('{')) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A network error's code (ECONNRESET, ECONNREFUSED) and message. */
function describeError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return [e.code, e.message].filter(Boolean).join(': ');
}
