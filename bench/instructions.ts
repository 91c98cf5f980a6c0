/**
 * CPU instructions per request, counted by valgrind's callgrind: a figure that, unlike requests/s,
 * does not move with other work on a shared machine (see bench/PROFILING.md).
 *
 *   node dist/bench/instructions.js create|list [--target localgraph|baseline]
 *        [--settings defaults|logs|tuned] [--warmup 600] [--requests 1500] [--connections 32]
 *        [--keep DIR]
 *
 * Starts the server under `valgrind --tool=callgrind` (on an empty copy of localgraph.db for
 * create, on the 10 k-row seeded folder of list-top-100 for list), sends `--warmup` requests so
 * that V8 has compiled the hot paths, zeroes the counters (`callgrind_control --zero`), sends
 * `--requests` more, dumps (`callgrind_control --dump`) and prints the instructions per request
 * of the server's main thread, worker threads and libuv's pool (and apart, V8's compiler and GC
 * threads). `--keep DIR` leaves the callgrind dump there, for
 * `callgrind_annotate`. Needs valgrind; takes about a minute.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { BENCH_DIST, CLI, guardChildren, removeTempDir, ROOT, tempDir } from './lib/processes.js';
import { CONNECTORS_PATH, emptyFolder, expectPage, MAIN_TENANT, seedFolder } from './lib/seed.js';
import { LOCALGRAPH_READY, localgraphToken } from './lib/targets.js';
import { BODY } from './scenarios/create-connector.js';
import { ROWS } from './scenarios/list-top-100.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    target: { type: 'string', default: 'localgraph' },
    settings: { type: 'string', default: 'defaults' },
    warmup: { type: 'string', default: '600' },
    requests: { type: 'string', default: '1500' },
    connections: { type: 'string', default: '32' },
    keep: { type: 'string' },
  },
});
const scenario = positionals[0];
if (
  (scenario !== 'create' && scenario !== 'list') ||
  !['localgraph', 'baseline'].includes(values.target!) ||
  !['defaults', 'logs', 'tuned'].includes(values.settings!)
) {
  console.error(
    'usage: instructions create|list [--target localgraph|baseline] [--settings defaults|logs|tuned] [--warmup N] [--requests N] [--connections N] [--keep DIR]',
  );
  process.exit(2);
}
const warmup = Number(values.warmup);
const requests = Number(values.requests);
const connections = Number(values.connections);

const log = (message: string) => console.error(message);
const work = tempDir('instructions');
const outDir = values.keep ?? join(work, 'callgrind');
mkdirSync(outDir, { recursive: true });

/** The data folder (or, for the baseline, its database file) and the request to send. */
async function prepare(): Promise<{
  dataDir: string;
  url: (base: string) => string;
  method: 'GET' | 'POST';
  token?: string;
  check?: (body: string) => void;
}> {
  const dataDir = join(work, 'data');
  if (scenario === 'create') {
    const empty = await emptyFolder({});
    cpSync(empty.dir, dataDir, { recursive: true });
    const token =
      values.target === 'localgraph'
        ? await localgraphToken(dataDir, MAIN_TENANT, 'Directory.ReadWrite.All')
        : undefined;
    return {
      dataDir,
      method: 'POST',
      token,
      url: (base) => (values.target === 'localgraph' ? `${base}${CONNECTORS_PATH}` : `${base}connectors`),
    };
  }
  const folder = await seedFolder({}, { rows: ROWS, otherRows: ROWS / 10, label: 'instructions-list' }, log);
  cpSync(folder.dataDir, dataDir, { recursive: true });
  folder.remove();
  const expected = folder.facts.firstPage;
  return {
    dataDir,
    method: 'GET',
    token: folder.token,
    url: (base) =>
      values.target === 'localgraph' ? `${base}${CONNECTORS_PATH}?$top=100` : `${base}connectors?top=100`,
    check: (body) => expectPage(values.target!, body, expected),
  };
}

function serverArgs(dataDir: string): string[] {
  if (values.target === 'baseline')
    return [join(BENCH_DIST, 'baseline-server.js'), '--db', join(dataDir, 'localgraph.db'), '--tenant', MAIN_TENANT];
  const settings = values.settings!;
  return [
    CLI,
    'serve',
    '--port',
    '0',
    '--host',
    '127.0.0.1',
    '--data',
    dataDir,
    ...(settings === 'tuned' ? ['--log-level', 'warn'] : ['--log-level', 'info', '--log-format', 'json']),
    ...(settings === 'defaults' ? [] : ['--max-requests-per-connection', '0']),
  ];
}

function load(
  url: string,
  method: 'GET' | 'POST',
  token: string | undefined,
  amount: number,
): Promise<{ ok: number; other: number; detail: string }> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url,
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
        },
        body: method === 'POST' ? BODY : undefined,
        connections,
        amount,
        timeout: 120,
      },
      (error, result) =>
        error
          ? reject(error)
          : resolve({
              ok: result['2xx'],
              other: result.non2xx + result.errors + result.timeouts,
              detail: `statuses ${JSON.stringify(Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([k, v]) => [k, v.count])))}, errors ${result.errors}, timeouts ${result.timeouts}`,
            }),
    );
  });
}

/**
 * The instructions in callgrind's dumps (one per thread), split into the request work (the main
 * thread, worker threads, libuv's thread pool) and V8's own platform threads (optimising
 * compiler, concurrent GC). The compiler keeps re-optimising for a long while under valgrind's
 * slow clock, so its share says more about the warm-up than about a request; it is reported
 * apart.
 */
function instructionsIn(files: string[]): { work: number; v8Platform: number } {
  const sums = { work: 0, v8Platform: 0 };
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const match = text.match(/^(?:summary|totals): (\d+)/m);
    if (!match) throw new Error(`no totals in ${file}`);
    sums[text.includes('PlatformWorkerThread') ? 'v8Platform' : 'work'] += Number(match[1]);
  }
  return sums;
}

async function main(): Promise<void> {
  // The bench's temporary folders (the seeded template too) go when this process ends, however it ends.
  guardChildren();
  const target = await prepare();
  const stdoutFile = join(work, 'server.out');
  const out = (await import('node:fs')).openSync(stdoutFile, 'w');
  const child = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      `--callgrind-out-file=${join(outDir, 'callgrind.out.%p')}`,
      '--dump-instr=no',
      '--dump-line=no',
      '--separate-threads=yes',
      process.execPath,
      ...serverArgs(target.dataDir),
    ],
    { cwd: ROOT, stdio: ['ignore', out, 'pipe'] },
  );
  // The server under valgrind dies with this process too.
  process.on('exit', () => child.kill('SIGKILL'));
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  try {
    const ready =
      values.target === 'baseline'
        ? /^baseline listening on (http:\/\/\S+\/)$/m
        : new RegExp(LOCALGRAPH_READY.source, 'm');
    let base: string | undefined;
    for (let waited = 0; base === undefined; waited += 250) {
      if (child.exitCode !== null) throw new Error(`server exited before it was ready:\n${stderr}`);
      if (waited > 300_000) throw new Error(`server not ready after 300 s:\n${stderr}`);
      await new Promise((done) => setTimeout(done, 250));
      const match = readFileSync(stdoutFile, 'utf8').match(ready);
      base = match?.[1];
    }
    const url = target.url(base);
    log(`server ready (${base}); warming up with ${warmup} requests`);
    const warm = await load(url, target.method, target.token, warmup);
    if (warm.ok === 0) throw new Error('no request succeeded during the warm-up');
    execFileSync('callgrind_control', ['--zero', String(child.pid)], { stdio: 'ignore' });
    const before = new Set(readdirSync(outDir));
    log(`counting ${requests} requests`);
    const measured = await load(url, target.method, target.token, requests);
    execFileSync('callgrind_control', ['--dump', String(child.pid)], { stdio: 'ignore' });
    const dumps = readdirSync(outDir)
      .filter((name) => !before.has(name) && name.startsWith('callgrind.out'))
      .map((name) => join(outDir, name));
    if (target.check) {
      const response = await fetch(url, { headers: target.token ? { authorization: `Bearer ${target.token}` } : {} });
      target.check(await response.text());
    }
    const instructions = instructionsIn(dumps);
    const perRequest = (count: number) => Math.round(count / measured.ok);
    console.log(
      JSON.stringify({
        scenario,
        target: values.target,
        settings: values.target === 'localgraph' ? values.settings : undefined,
        requests: measured.ok,
        failed: measured.other,
        ...(measured.other > 0 ? { failures: measured.detail } : {}),
        instructionsPerRequest: perRequest(instructions.work),
        v8PlatformPerRequest: perRequest(instructions.v8Platform),
        dumps: values.keep ? dumps : undefined,
      }),
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((done) => (child.exitCode !== null ? done(undefined) : child.once('exit', done)));
    if (values.keep === undefined || !existsSync(values.keep)) removeTempDir(work);
    else removeTempDir(join(work, 'data'));
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
