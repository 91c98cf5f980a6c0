import { formatDuration, parseDuration } from '../admin/durations.js';
import { seededGuid } from '../admin/seeded-ids.js';
import { isGuid } from '../odata/guid.js';
import { AdminCallError, adminCall, adminTarget, parseCommand, serverCall, targetHelp } from './admin-client.js';
import { UsageError } from './usage.js';

/**
 * `localgraph simulate connectors --count N`: plays N connector machines against a running
 * server. Each is registered through the Graph API (as the connector installer would, with a
 * token minted by the admin API), then sends a heartbeat every interval until Ctrl-C. With
 * `serve --simulate-heartbeats`, stopping the simulation turns the connectors inactive after the
 * timeout, and starting it again turns them active. The connectors' ids derive from the tenant
 * and their number, so a second run plays the same machines again.
 */
export const simulateHelp = `Usage: localgraph simulate connectors --count N [--tenant GUID] [--interval 10s] [--url URL] [--admin-key K]

Plays N connector machines: registers them through the Graph API (the same N ids each run), then
sends a heartbeat for each every interval until Ctrl-C (SIGINT) or SIGTERM. Pair with
localgraph serve --simulate-heartbeats to see them turn inactive when stopped.

  --count N         how many connectors (1 to 1000)
  --tenant GUID     their tenant (default: the server's default tenant)
  --interval D      time between heartbeats: 500ms, 10s, 1m (default: 10s)
${targetHelp}`;

const CONNECTORS = '/beta/onPremisesPublishingProfiles/applicationProxy/connectors';
const MAX_COUNT = 1000;

interface Simulated {
  id: string;
  machineName: string;
}

/** `localgraph simulate <what>`: only `connectors` for now. */
export async function simulateCommand([what, ...args]: string[]): Promise<number> {
  if (what === undefined || what === '--help' || what === '-h' || what === 'help') {
    console.log(simulateHelp);
    return what === undefined ? 2 : 0;
  }
  if (what !== 'connectors')
    throw new UsageError(
      `localgraph simulate plays connectors (localgraph simulate connectors --count N), not '${what}'`,
    );
  return simulateConnectors(args);
}

async function simulateConnectors(args: string[]): Promise<number> {
  const { values, positionals } = parseCommand(args, {
    count: { type: 'string' },
    tenant: { type: 'string' },
    interval: { type: 'string' },
  });
  if (values.help) {
    console.log(simulateHelp);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const count = Number(values.count);
  if (values.count === undefined || !/^\d+$/.test(String(values.count)) || count < 1 || count > MAX_COUNT) {
    throw new UsageError(
      `--count must be a number from 1 to ${MAX_COUNT}${values.count === undefined ? '' : `, not '${String(values.count)}'`}`,
    );
  }
  if (values.tenant !== undefined && (typeof values.tenant !== 'string' || !isGuid(values.tenant)))
    throw new UsageError(`--tenant must be a GUID, not '${String(values.tenant)}'`);
  const intervalMs = values.interval === undefined ? 10_000 : parseDuration(String(values.interval));
  if (intervalMs === undefined || intervalMs < 100)
    throw new UsageError(`--interval must be a duration of at least 100ms (10s, 1m), not '${String(values.interval)}'`);
  const target = adminTarget(values);

  const minted = (await adminCall(target, 'POST', '/token', {
    ...(values.tenant ? { tenantId: values.tenant } : {}),
    scopes: 'Directory.ReadWrite.All',
  })) as { access_token: string; tenantId: string };
  const tenantId = minted.tenantId;
  const graph = { authorization: `Bearer ${minted.access_token}` };

  const connectors: Simulated[] = [];
  for (let i = 1; i <= count; i++) {
    const connector = {
      id: seededGuid(`localgraph simulate connectors/${tenantId}`, i),
      machineName: `sim-connector-${i}.localgraph.test`,
    };
    const body = {
      id: connector.id,
      machineName: connector.machineName,
      externalIp: `203.0.113.${((i - 1) % 254) + 1}`,
      status: 'active',
    };
    try {
      await serverCall(target, CONNECTORS, 'POST', graph, body);
      console.log(`connector ${connector.id} ${connector.machineName}: registered`);
    } catch (error) {
      // Already there from an earlier run: play it again.
      if (!(error instanceof AdminCallError) || !/^400 /.test(error.message) || !/already exists/.test(error.message))
        throw error;
      console.log(`connector ${connector.id} ${connector.machineName}: already registered`);
    }
    connectors.push(connector);
  }
  const heartbeats = connectors.map((c) => ({ tenantId, kind: 'connector', id: c.id }));
  let stopped = false;
  let wake: (() => void) | undefined;
  const stop = (signal: string) => {
    if (stopped) return;
    stopped = true;
    console.log(`localgraph simulate: ${signal}, stopping`);
    wake?.();
  };
  const onInt = () => stop('SIGINT');
  const onTerm = () => stop('SIGTERM');
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  // Said once the handlers are in place: whoever waits for this line may signal at once.
  console.log(
    `simulating ${count} connector${count === 1 ? '' : 's'} in tenant ${tenantId}: a heartbeat each every ${formatDuration(intervalMs)}; Ctrl-C stops`,
  );
  let failing = false;
  try {
    while (!stopped) {
      try {
        await adminCall(target, 'POST', '/heartbeats', heartbeats);
        if (failing) console.log(`heartbeats: sent again (${new Date().toISOString()})`);
        failing = false;
      } catch (error) {
        // The server may be restarting: say so once, and keep trying.
        if (!failing) console.error(`localgraph simulate: heartbeats failed: ${(error as Error).message}`);
        failing = true;
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, intervalMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
  return 0;
}
