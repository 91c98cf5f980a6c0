import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { once } from 'node:events';
import { Agent, ProxyAgent, request } from 'undici';
import { exchange, openTunnel } from '../../test/helpers/tunnel.js';
import { CLI, removeTempDir, runNode, startProcess, tempDir } from '../lib/processes.js';
import type { Suite } from './scenario.js';
import { LOCALGRAPH_READY } from '../lib/targets.js';

/**
 * Issue 13's figures for the intercepting proxy, against the direct HTTPS port of the same
 * server in the same run (one server with `--https --proxy-port`):
 * - requests/s through the proxy (keep-alive tunnels to graph.microsoft.com) ÷ requests/s on the
 *   direct HTTPS port (keep-alive TLS connections to localhost), same client (undici), same
 *   request, same concurrency: the cost of the tunnel (goal ≥ 0.8);
 * - new tunnels per second with cached leaves (CONNECT, TLS handshake, one request, close) ÷ new
 *   TLS connections per second on the direct port (handshake, one request, close).
 * Rounds alternate direct and proxy; the medians are reported. BENCH_PROXY_SECONDS sets each
 * measurement's length (default 8 s).
 */
const CONNECTIONS = 16;
const HANDSHAKERS = 8;
const ROUNDS = 3;
const PATH = '/beta/onPremisesPublishingProfiles/applicationProxy/connectors?$top=10';

function seconds(): number {
  const raw = process.env.BENCH_PROXY_SECONDS;
  const value = raw === undefined || raw === '' ? 8 : Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`BENCH_PROXY_SECONDS must be a positive number, not '${raw}'`);
  return value;
}

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** `workers` loops of `work` for `durationMs`; completed iterations per second, and failures. */
async function loop(
  workers: number,
  durationMs: number,
  work: () => Promise<void>,
): Promise<{ perSecond: number; failures: number; firstFailure?: string }> {
  const end = Date.now() + durationMs;
  let done = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (Date.now() < end) {
        try {
          await work();
          done += 1;
        } catch (error) {
          failures += 1;
          firstFailure ??= String((error as Error).cause ?? error);
        }
      }
    }),
  );
  return { perSecond: done / ((Date.now() - started) / 1000), failures, firstFailure };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export const proxy: Suite = {
  name: 'proxy',
  description:
    'requests/s through the intercepting proxy ÷ the direct HTTPS port, and new tunnels/s with cached leaves ÷ new TLS connections/s (same server, same run)',
  async run({ log }) {
    const dataDir = tempDir('localgraph-proxy');
    const proxyPort = await freePort();
    const server = await startProcess({
      label: 'localgraph serve --https --proxy-port',
      script: CLI,
      args: [
        'serve',
        '--port',
        '0',
        '--host',
        '127.0.0.1',
        '--data',
        dataDir,
        '--https',
        '--proxy-port',
        String(proxyPort),
        '--log-level',
        'warn',
        '--max-requests-per-connection',
        '0',
      ],
      ready: LOCALGRAPH_READY,
    });
    try {
      const origin = new URL(server.match[1]).origin;
      const proxyUrl = `http://127.0.0.1:${proxyPort}`;
      const ca = readFileSync(join(dataDir, 'ca.pem'), 'utf8');
      const token = (await runNode(CLI, ['token', '--data', dataDir, '--scopes', 'Directory.ReadWrite.All'])).trim();
      const authorization = `Bearer ${token}`;
      const durationMs = seconds() * 1000;

      const get = (dispatcher: Agent | ProxyAgent, base: string) => async () => {
        // Headers made per request: undici's ProxyAgent writes `host` into the object it is given.
        const { statusCode, body } = await request(`${base}${PATH}`, { dispatcher, headers: { authorization } });
        await body.text();
        if (statusCode !== 200) throw new Error(`status ${statusCode}`);
      };
      // 127.0.0.1 with the certificate's name: `localhost` may resolve to ::1, where nothing listens.
      const { port } = new URL(origin);
      const direct = `https://127.0.0.1:${port}`;
      const directAgent = new Agent({ connections: CONNECTIONS, connect: { ca, servername: 'localhost' } });
      const proxyAgent = new ProxyAgent({ uri: proxyUrl, requestTls: { ca }, connections: CONNECTIONS });
      // New connections each time: the direct port's TLS handshake, or CONNECT plus the handshake with a cached leaf.
      const directHandshake = async () => {
        const socket = tlsConnect({
          host: '127.0.0.1',
          port: Number(port),
          servername: 'localhost',
          ca,
          ALPNProtocols: ['http/1.1'],
        });
        await once(socket, 'secureConnect');
        const answer = await exchange(socket, { host: `localhost:${port}`, path: '/health' });
        socket.destroy();
        if (answer.status !== 200) throw new Error(`status ${answer.status}`);
      };
      const tunnelHandshake = async () => {
        const socket = await openTunnel(proxyUrl, 'graph.microsoft.com', ca);
        const answer = await exchange(socket, { host: 'graph.microsoft.com', path: '/health' });
        socket.destroy();
        if (answer.status !== 200) throw new Error(`status ${answer.status}`);
      };

      // Warm-up: connections opened, the leaf made and cached, the token verified.
      await loop(CONNECTIONS, 1000, get(directAgent, direct));
      await loop(CONNECTIONS, 1000, get(proxyAgent, 'https://graph.microsoft.com'));
      const ratios: number[] = [];
      const tunnelRatios: number[] = [];
      const lines: string[] = [];
      let failures = 0;
      for (let round = 1; round <= ROUNDS; round++) {
        const directRun = await loop(CONNECTIONS, durationMs, get(directAgent, direct));
        const proxied = await loop(CONNECTIONS, durationMs, get(proxyAgent, 'https://graph.microsoft.com'));
        const newTls = await loop(HANDSHAKERS, durationMs / 2, directHandshake);
        const newTunnels = await loop(HANDSHAKERS, durationMs / 2, tunnelHandshake);
        failures += directRun.failures + proxied.failures + newTls.failures + newTunnels.failures;
        for (const [what, run] of [
          ['direct', directRun],
          ['proxy', proxied],
          ['new TLS', newTls],
          ['new tunnels', newTunnels],
        ] as const) {
          if (run.firstFailure)
            log(`round ${round}: ${what}: ${run.failures} failures, the first: ${run.firstFailure}`);
        }
        ratios.push(proxied.perSecond / directRun.perSecond);
        tunnelRatios.push(newTunnels.perSecond / newTls.perSecond);
        const line =
          `round ${round}: direct HTTPS ${directRun.perSecond.toFixed(0)} req/s, proxy ${proxied.perSecond.toFixed(0)} req/s (${ratios.at(-1)!.toFixed(2)}); ` +
          `new TLS connections ${newTls.perSecond.toFixed(0)}/s, new tunnels ${newTunnels.perSecond.toFixed(0)}/s (${tunnelRatios.at(-1)!.toFixed(2)})`;
        log(line);
        lines.push(line);
      }
      await Promise.all([directAgent.close(), proxyAgent.close()]);
      return [
        `Proxy ÷ direct HTTPS, ${CONNECTIONS} keep-alive connections, GET ${PATH} with a delegated token, median of ${ROUNDS} rounds of ${seconds()} s: **${median(ratios).toFixed(2)}** (goal ≥ 0.8).`,
        `New tunnels with cached leaves ÷ new direct TLS connections, ${HANDSHAKERS} at a time, each with one GET /health: **${median(tunnelRatios).toFixed(2)}**.`,
        ...lines.map((line) => `  - ${line}`),
        failures > 0 ? `**${failures} failed requests**` : 'No failed request.',
      ];
    } finally {
      await server.stop();
      removeTempDir(dataDir);
    }
  },
};
