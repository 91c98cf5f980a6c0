/**
 * json-server 0.17 (a devDependency, pinned) as a peer: its own CLI, as people run it, on a fresh
 * db.json with an empty `connectors` collection, with `--quiet` (no request log: neither the
 * baseline nor localgraph, at --log-level warn, writes one). The listening line comes from
 * bench/announce-listen.ts, loaded with --import.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIST, removeTempDir, ROOT, startProcess, tempDir } from './processes.js';
import { profileArgs, type RunningServer, type ServerOptions } from './targets.js';

const BIN = join(ROOT, 'node_modules/json-server/lib/cli/bin.js');

/** `json-server --quiet --host 127.0.0.1 --port 0 <fresh dir>/db.json`; the folder goes on stop. */
export async function startJsonServer(options: ServerOptions = {}): Promise<RunningServer> {
  const dataDir = tempDir('json-server');
  const dbFile = join(dataDir, 'db.json');
  writeFileSync(dbFile, JSON.stringify({ connectors: [] }));
  try {
    const started = await startProcess({
      label: 'json-server',
      script: BIN,
      args: ['--quiet', '--host', '127.0.0.1', '--port', '0', dbFile],
      nodeArgs: ['--import', join(BENCH_DIST, 'announce-listen.js'), ...profileArgs(options, 'json-server')],
      ready: /^peer listening on (http:\/\/\S+\/)$/,
    });
    return {
      baseUrl: started.match[1],
      dataDir,
      pid: started.child.pid!,
      startupMs: started.readyMs,
      stop: async (graceMs) => {
        await started.stop(graceMs);
        removeTempDir(dataDir);
      },
    };
  } catch (error) {
    removeTempDir(dataDir);
    throw error;
  }
}
