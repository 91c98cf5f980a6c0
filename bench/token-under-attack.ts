/**
 * Valid token requests while wrong client secrets arrive (issue 16, point 4): the latency of
 * `client_credentials` requests with the right secret, first on a quiet server (the baseline,
 * measured in the same run), then while another client sends wrong secrets at a steady rate
 * (default 20/s, each from a fresh request, as an attacker or a misconfigured job would).
 *
 *   node dist/bench/token-under-attack.js [CLI]     CLI: a compiled localgraph main.js (default: this one)
 *
 * Environment: ATTACK_RATE (wrong secrets per second, default 20), PHASE_SECONDS (default 15).
 * Prints p50/p90/max of the valid requests in each phase and their ratios to the baseline.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { CLI } from './lib/processes.js';

const cli = process.argv[2] ?? CLI;
const rate = Number(process.env.ATTACK_RATE ?? 20);
const seconds = Number(process.env.PHASE_SECONDS ?? 15);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const child = spawn(
    process.execPath,
    [cli, 'serve', '--in-memory', '--host', '127.0.0.1', '--port', '0', '--log-level', 'silent'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const facts = await new Promise<{ origin: string; tenant: string; clientId: string; secret: string }>(
    (resolve, reject) => {
      let out = '';
      child.once('exit', () => reject(new Error(`server exited\n${out}`)));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        out += `${line}\n`;
        if (!/token \(delegated/.test(line)) return;
        const origin = /listening on (http:\/\/[^/]+)\//.exec(out)![1];
        const tenant = /default tenant: (\S+)/.exec(out)![1];
        const app = /client id (\S+), client secret (\S+)/.exec(out)!;
        resolve({ origin, tenant, clientId: app[1], secret: app[2] });
      });
    },
  );
  const url = `${facts.origin}/${facts.tenant}/oauth2/v2.0/token`;
  const ask = (secret: string) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: facts.clientId,
        client_secret: secret,
        scope: 'https://graph.microsoft.com/.default',
      }),
    }).then(async (res) => {
      await res.arrayBuffer();
      return res.status;
    });

  const phase = async (attack: boolean) => {
    const statuses = new Map<number, number>();
    let timer: NodeJS.Timeout | undefined;
    let n = 0;
    if (attack) {
      timer = setInterval(() => {
        void ask(`wrong-secret-${n++}`).then(
          (s) => statuses.set(s, (statuses.get(s) ?? 0) + 1),
          () => statuses.set(0, (statuses.get(0) ?? 0) + 1),
        );
      }, 1000 / rate);
    }
    const latencies: number[] = [];
    let failures = 0;
    const end = Date.now() + seconds * 1000;
    while (Date.now() < end) {
      const start = performance.now();
      const status = await ask(facts.secret);
      latencies.push(performance.now() - start);
      if (status !== 200) failures += 1;
      await new Promise((r) => setTimeout(r, 50));
    }
    clearInterval(timer);
    latencies.sort((a, b) => a - b);
    return {
      count: latencies.length,
      failures,
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      max: latencies.at(-1)!,
      attackStatuses: Object.fromEntries(statuses),
    };
  };

  await ask(facts.secret); // warm-up: the first check of the right secret
  const quiet = await phase(false);
  const attacked = await phase(true);
  await new Promise((r) => setTimeout(r, 1000));
  child.kill('SIGTERM');
  const f = (ms: number) => ms.toFixed(1);
  console.log(`server: ${cli}`);
  console.log(
    `quiet:    ${quiet.count} valid requests, p50 ${f(quiet.p50)} ms, p90 ${f(quiet.p90)} ms, max ${f(quiet.max)} ms, non-200 ${quiet.failures}`,
  );
  console.log(
    `attacked: ${attacked.count} valid requests, p50 ${f(attacked.p50)} ms, p90 ${f(attacked.p90)} ms, max ${f(attacked.max)} ms, non-200 ${attacked.failures}; wrong-secret answers ${JSON.stringify(attacked.attackStatuses)} at ${rate}/s`,
  );
  console.log(
    `ratios attacked/quiet: p50 ${(attacked.p50 / quiet.p50).toFixed(2)}, p90 ${(attacked.p90 / quiet.p90).toFixed(2)}, max ${(attacked.max / quiet.max).toFixed(2)}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
