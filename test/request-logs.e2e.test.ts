/**
 * Request logs as a service collects them: `localgraph serve > file` with JSON lines. The lines
 * are written asynchronously (pino's destination, not a system call per line), so this checks
 * that none is lost or torn: every request has its line, and the lines still queued when SIGTERM
 * arrives are on disk when the process has exited.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { onlyOn } from './helpers/backend.js';
import { CLI_PATH, tempDir } from './helpers/server.js';

const REQUESTS = 300;

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('request logs written to a file', onlyOn('sqlite', 'its own in-memory server: the same in every pass'), () => {
  it('one JSON line per request, all of them on disk once SIGTERM has ended the process', async () => {
    const file = join(tempDir(), 'localgraph.log');
    const out = openSync(file, 'w');
    const child = spawn(process.execPath, [CLI_PATH, 'serve', '--in-memory', '--port', '0', '--log-format', 'json'], {
      stdio: ['ignore', out, 'pipe'],
    });
    closeSync(out);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const text = () => readFileSync(file, 'utf8');
      const baseUrl = await waitFor(
        'the listening line',
        () => /localgraph listening on (http:\/\/\S+)\/beta\//.exec(text())?.[1],
      );
      const statuses = await Promise.all(
        Array.from({ length: REQUESTS }, (_, i) => fetch(`${baseUrl}/health?n=${i}`).then((r) => r.status)),
      );
      assert.deepEqual(new Set(statuses), new Set([200]));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);

      const lines = text()
        .split('\n')
        .filter((l) => l.startsWith('{'));
      const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      const requests = entries.filter((e) => e.msg === 'request' && e.path === '/health');
      assert.equal(requests.length, REQUESTS, 'every request has its line, none torn');
      for (const entry of requests)
        assert.deepEqual([entry.method, entry.status, typeof entry.requestId], ['GET', 200, 'string']);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
