import autocannon from 'autocannon';

/** One kind of request, sent over and over by every connection. */
export interface LoadRequest {
  url: string;
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadOptions {
  connections: number;
  seconds: number;
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
  total: number;
  /** status code -> count, for reporting failures */
  statusCodes: Record<string, number>;
  /** the server's CPU time (user + system) per completed request, in ms, where measurable */
  cpuMsPerRequest?: number;
}

/** Drives `request` with autocannon (in this process) and sums up the run. */
export function runLoad(request: LoadRequest, options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: request.url,
        method: request.method,
        headers: request.headers,
        body: request.body,
        connections: options.connections,
        pipelining: 1,
        duration: options.seconds,
        timeout: 10,
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
