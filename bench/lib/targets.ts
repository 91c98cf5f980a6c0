import { join } from 'node:path';
import { BENCH_DIST, CLI, removeTempDir, runNode, startProcess, tempDir } from './processes.js';

/** Settings shared by every server the bench starts. */
export interface ServerOptions {
  /** when set, the server runs under `node --cpu-prof` and writes its profile here on exit */
  cpuProfileDir?: string;
}

export interface RunningServer {
  /** e.g. http://127.0.0.1:PORT/beta/ for localgraph, http://127.0.0.1:PORT/ for the baseline */
  baseUrl: string;
  dataDir: string;
  pid: number;
  stop(): Promise<void>;
}

export interface RunningLocalgraph extends RunningServer {
  /** `localgraph token --data DIR --scopes ...` against the running server's folder */
  token(scopes: string): Promise<string>;
}

function profileArgs(options: ServerOptions, name: string): string[] {
  return options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`, `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`] : [];
}

/** The real CLI: `localgraph serve --port 0 --host 127.0.0.1 --data <tmp>`. */
export async function startLocalgraph(options: ServerOptions = {}): Promise<RunningLocalgraph> {
  const dataDir = tempDir('localgraph');
  const started = await startProcess({
    label: 'localgraph serve',
    script: CLI,
    args: ['serve', '--port', '0', '--host', '127.0.0.1', '--data', dataDir],
    nodeArgs: profileArgs(options, 'localgraph'),
    ready: /^localgraph listening on (http:\/\/\S+\/beta\/)$/,
  });
  return {
    baseUrl: started.match[1],
    dataDir,
    pid: started.child.pid!,
    token: (scopes) => runNode(CLI, ['token', '--data', dataDir, '--scopes', scopes]),
    stop: async () => {
      await started.stop();
      removeTempDir(dataDir);
    },
  };
}

/** The plain node:http + better-sqlite3 server of bench/baseline-server.ts. */
export async function startBaseline(options: ServerOptions = {}): Promise<RunningServer> {
  const dataDir = tempDir('baseline');
  const started = await startProcess({
    label: 'baseline server',
    script: join(BENCH_DIST, 'baseline-server.js'),
    args: ['--data', dataDir],
    nodeArgs: profileArgs(options, 'baseline'),
    ready: /^baseline listening on (http:\/\/\S+\/)$/,
  });
  return {
    baseUrl: started.match[1],
    dataDir,
    pid: started.child.pid!,
    stop: async () => {
      await started.stop();
      removeTempDir(dataDir);
    },
  };
}
