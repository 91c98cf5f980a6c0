import autocannon from 'autocannon';

/** One kind of request, sent over and over by every connection. */
export interface LoadRequest {
  url: string;
  /**
   * The same request at further servers (a second instance on the same database): the load is
   * split evenly, connection i going to the i-th of [url, ...otherUrls] in turn (autocannon's own
   * multi-URL mode, so there is one latency histogram and one p99 over all of them).
   */
  otherUrls?: string[];
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadOptions {
  connections: number;
  seconds: number;
  /** a request not answered within this many seconds counts as an error (default 10) */
  timeoutSeconds?: number;
}

export interface LoadResult {
  /** completed requests per second over the whole run */
  rps: number;
  /** milliseconds */
  p50: number;
  /** milliseconds */
  p99: number;
  /** responses that were not 2xx */
  non2xx: number;
  /** connection errors and timeouts */
  errors: number;
  /** errors the load generator causes itself (requests lost when the server closes a connection on purpose); not failures */
  toleratedErrors?: number;
  total: number;
  /** status code -> count, for reporting failures */
  statusCodes: Record<string, number>;
  /** the server's CPU time (user + system) per completed request, in ms, where measurable */
  cpuMsPerRequest?: number;
  /** the server's resident memory (VmRSS) right after the measured run, and its peak (VmHWM), in KiB */
  rssKiB?: number;
  peakRssKiB?: number;
  /** milliseconds from spawning the server to its "listening on" line */
  startupMs?: number;
  /** set when the requests went one at a time (see {@link runSequential}) rather than over `connections` */
  sequential?: boolean;
}

/** Every URL a request is sent to: `url`, then any `otherUrls`. */
export function urlsOf(request: LoadRequest): string[] {
  return [request.url, ...(request.otherUrls ?? [])];
}

/** Drives `request` with autocannon (in this process) and sums up the run. */
export function runLoad(request: LoadRequest, options: LoadOptions): Promise<LoadResult> {
  const urls = urlsOf(request);
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: urls.length === 1 ? urls[0] : urls,
        method: request.method,
        headers: request.headers,
        body: request.body,
        connections: options.connections,
        pipelining: 1,
        duration: options.seconds,
        timeout: options.timeoutSeconds ?? 10,
      },
      (error, result) => {
        if (error) return reject(error);
        const total = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
        const statusCodes: Record<string, number> = {};
        for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stats.count;
        resolve({
          rps: total / result.duration,
          p50: result.latency.p50,
          p99: result.latency.p99,
          non2xx: result.non2xx,
          errors: result.errors, // includes timeouts
          total,
          statusCodes,
        });
      },
    );
  });
}

/**
 * Sends requests one after another for `seconds` (and at least `minRequests`, counting the
 * `earlier` latencies already measured, e.g. the probe's): for requests so slow that a few
 * concurrent connections would only queue behind each other and finish nothing inside the
 * measured window. p99 is nearest-rank (the slowest request, with fewer than 100).
 */
export async function runSequential(
  request: LoadRequest,
  options: { seconds: number; minRequests: number; earlier?: number[] },
): Promise<LoadResult> {
  const latencies = [...(options.earlier ?? [])];
  const statusCodes: Record<string, number> = {};
  let non2xx = 0;
  let errors = 0;
  let busyMs = latencies.reduce((a, b) => a + b, 0);
  const urls = urlsOf(request);
  const start = performance.now();
  while (performance.now() - start < options.seconds * 1000 || latencies.length < options.minRequests) {
    const sent = performance.now();
    try {
      // Several servers take turns, as autocannon's connections do.
      const { status } = await probe({ ...request, url: urls[latencies.length % urls.length] });
      statusCodes[status] = (statusCodes[status] ?? 0) + 1;
      if (status < 200 || status > 299) non2xx++;
    } catch {
      errors++;
    }
    const elapsed = performance.now() - sent;
    latencies.push(elapsed);
    busyMs += elapsed;
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    rps: latencies.length / (busyMs / 1000),
    p50: median(latencies),
    p99: sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)],
    non2xx,
    errors,
    total: latencies.length,
    statusCodes,
    sequential: true,
  };
}

/** Sends one request and returns status and body: a smoke check before loading a target. */
export async function probe(request: LoadRequest): Promise<{ status: number; body: string }> {
  const response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body });
  return { status: response.status, body: await response.text() };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Whether a round failed: a non-2xx answer, or more errors than the load generator causes itself. */
export function failed(result: LoadResult): boolean {
  return result.non2xx > 0 || result.errors > (result.toleratedErrors ?? 0);
}
