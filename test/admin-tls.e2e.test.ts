/**
 * `localgraph admin` and `localgraph simulate` against a `serve --https` server, without
 * NODE_EXTRA_CA_CERTS: they trust localgraph's CA, read from the server's data folder or
 * database, and reach a TLS-only server over https even when told http.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { durable } from './helpers/backend.js';
import { CLI_PATH, runCli, startServer, tempDir, type RunningServer } from './helpers/server.js';

const KEY = 'admin-key-for-the-tls-tests';
/** The environment without a CA to trust: what the commands trust, they found themselves. */
const env = () => {
  const { NODE_EXTRA_CA_CERTS: _, LOCALGRAPH_DATA: __, LOCALGRAPH_DATABASE_URL: ___, ...rest } = process.env;
  return rest;
};

describe(
  'admin and simulate trust localgraph’s CA and follow --https',
  durable('the CA of an in-memory server is in no data a command can read'),
  () => {
    let server: RunningServer;
    before(async () => {
      server = await startServer({ args: ['--https', '--admin-key', KEY] });
    });
    after(async () => {
      assert.equal(await server.stop(), 0);
    });

    it('admin status over https with --data / --database-url, and over http://127.0.0.1 that the server answers only over TLS', async () => {
      assert.match(server.baseUrl, /^https:\/\/localhost:\d+$/);
      for (const url of [server.baseUrl, `http://127.0.0.1:${server.port}`]) {
        const r = await runCli(['admin', 'status', '--url', url, '--admin-key', KEY, ...server.storageArgs()], {
          env: env(),
        });
        assert.equal(r.code, 0, `${url}: ${r.stderr}`);
        assert.match(JSON.parse(r.stdout).defaultTenant, /^[0-9a-f-]{36}$/);
      }
    });

    it('without its data, the refusal says why and what to do', async () => {
      const r = await runCli(['admin', 'status', '--url', server.baseUrl, '--admin-key', KEY, '--data', tempDir()], {
        env: env(),
      });
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        /^localgraph: cannot reach https:\/\/localhost:\d+: SELF_SIGNED_CERT_IN_CHAIN \(its certificate is not trusted: name its data with --data DIR/,
      );
    });

    it('simulate connectors over http:// to the TLS-only server registers and beats', async () => {
      const child = spawn(
        process.execPath,
        [
          CLI_PATH,
          'simulate',
          'connectors',
          '--count',
          '1',
          '--interval',
          '200ms',
          '--url',
          `http://127.0.0.1:${server.port}`,
          '--admin-key',
          KEY,
          ...server.storageArgs(),
        ],
        {
          stdio: ['ignore', 'pipe', 'pipe'],
          env: env(),
        },
      );
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const lines: string[] = [];
      await new Promise<void>((resolve, reject) => {
        createInterface({ input: child.stdout }).on('line', (line) => {
          lines.push(line);
          if (line.startsWith('simulating 1 connector')) resolve();
        });
        child.on('close', (code) => reject(new Error(`simulate exited ${code}:\n${lines.join('\n')}\n${stderr}`)));
      });
      const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
      child.kill('SIGINT');
      assert.equal(await exited, 0, stderr);
      assert.match(
        lines[0],
        /^connector [0-9a-f-]{36} sim-connector-1\.localgraph\.test: (registered|already registered)$/,
      );
      assert.equal(stderr, '');
    });
  },
);
