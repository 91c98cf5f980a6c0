import type { FastifyInstance } from 'fastify';
import type { Store } from '../store/store.js';

/**
 * `GET /health`: 200 `{"status":"ok"}` while the server can serve, 503
 * `{"status":"unavailable"}` (with `Retry-After`) while it cannot, e.g. when its database does not
 * answer within a couple of seconds. No token needed; the body says nothing else (no versions,
 * paths or addresses). `HEAD /health` answers the same status without a body.
 */
export const HEALTH_TIMEOUT_MS = 2000;

export function registerHealthRoute(app: FastifyInstance, store: Store, timeoutMs = HEALTH_TIMEOUT_MS): void {
  app.get('/health', async (_request, reply) => {
    reply.header('Cache-Control', 'no-store').type('application/json');
    if (await reachable(store, timeoutMs))
      return reply.send(JSON.stringify({ status: 'ok', checks: { database: 'ok' } }));
    return reply
      .status(503)
      .header('Retry-After', '1')
      .send(JSON.stringify({ status: 'unavailable', checks: { database: 'unreachable' } }));
  });
}

async function reachable(store: Store, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      store.ping().then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
