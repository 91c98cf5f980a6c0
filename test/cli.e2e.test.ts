/**
 * End to end: the `localgraph` command line. Help and usage errors, signals and graceful
 * shutdown (with a request in flight), durability across restarts and `kill -9`, `--in-memory`,
 * and `token` against a folder a server has open.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { durable, onlyOn } from './helpers/backend.js';
import {
  ADMIN_SCOPES,
  CLI_PATH,
  CONNECTORS_PATH,
  GUID,
  request,
  runCli,
  startServer,
  tempDir,
  type RunningServer,
  type ServerOptions,
} from './helpers/server.js';

const json = { 'content-type': 'application/json' };

function auth(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { authorization: `Bearer ${token}`, ...extra };
}

function connector(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    externalIp: '131.137.147.164',
    machineName: `connector-${randomUUID().slice(0, 8)}.contoso.com`,
    status: 'active',
    ...overrides,
  };
}

async function create(server: RunningServer, token: string, body = connector()): Promise<Record<string, any>> {
  const res = await request(`${server.baseUrl}${CONNECTORS_PATH}`, {
    method: 'POST',
    headers: auth(token, json),
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

async function list(server: RunningServer, token: string): Promise<Record<string, any>[]> {
  const res = await request(`${server.baseUrl}${CONNECTORS_PATH}`, { headers: auth(token) });
  assert.equal(res.status, 200, res.text);
  return res.body.value;
}

/** An entity without its context URL, which names the (per-run) port. */
function entity(body: Record<string, any>): Record<string, any> {
  const { '@odata.context': context, ...rest } = body;
  assert.match(String(context), /\$metadata#onPremisesPublishingProfiles\('applicationProxy'\)\/connectors\/\$entity$/);
  return rest;
}

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.length > 0);
}

// The CLI's own checks start no server: one pass covers them.
const cliOnly = onlyOn('sqlite', 'no server, no storage: the same in every pass');

describe('help', { concurrency: true, ...cliOnly }, () => {
  it('localgraph --help / -h / help: exit 0, names both commands', async () => {
    for (const args of [['--help'], ['help']]) {
      const r = await runCli(args);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
      for (const word of ['serve', 'token', '--help'])
        assert.ok(r.stdout.includes(word), `${args}: no ${word} in\n${r.stdout}`);
    }
  });

  it('localgraph without a command prints the help and exits 2', async () => {
    const r = await runCli([]);
    assert.equal(r.code, 2);
    assert.ok(r.stdout.includes('serve') || r.stderr.includes('serve'));
  });

  it('serve --help: exit 0, every option', async () => {
    const r = await runCli(['serve', '--help']);
    assert.equal(r.code, 0, r.stderr);
    for (const option of ['--host', '--port', '--data', '--in-memory', '--status-codes', '--help'])
      assert.ok(r.stdout.includes(option), `no ${option} in\n${r.stdout}`);
  });

  it('localgraph --version / -V: the package version, exit 0', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    for (const flag of ['--version', '-V']) {
      const r = await runCli([flag]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `${version}\n`);
    }
  });

  it('app --help and user --help list their subcommands, exit 0', async () => {
    for (const [group, subcommands] of [
      ['app', ['add', 'list', 'reset-secret']],
      ['user', ['add', 'set-password']],
    ] as const) {
      const r = await runCli([group, '--help']);
      assert.equal(r.code, 0, r.stderr);
      for (const sub of subcommands)
        assert.ok(r.stdout.includes(`localgraph ${group} ${sub} `), `no ${sub} in\n${r.stdout}`);
    }
  });

  it('token --help: exit 0, every option', async () => {
    const r = await runCli(['token', '--help']);
    assert.equal(r.code, 0, r.stderr);
    for (const option of ['--data', '--tenant', '--scopes', '--roles', '--user', '--lifetime', '--help'])
      assert.ok(r.stdout.includes(option), `no ${option} in\n${r.stdout}`);
  });
});

describe('usage errors: exit 2, exactly one line on stderr', { concurrency: 4, ...cliOnly }, () => {
  const dir = tempDir();
  const data = join(dir, 'never-created');
  const cases: [string, string[]][] = [
    ['unknown command', ['bogus']],
    ['unknown serve option', ['serve', '--bogus', '--data', data]],
    ['unknown token option', ['token', '--bogus', '--data', data, '--scopes', ADMIN_SCOPES]],
    ['serve --data with --in-memory', ['serve', '--data', data, '--in-memory']],
    ['serve --port not a number', ['serve', '--port', 'abc', '--data', data]],
    ['serve --port too large', ['serve', '--port', '70000', '--data', data]],
    ['serve --port without a value', ['serve', '--data', data, '--port']],
    ['serve with a positional argument', ['serve', '--data', data, 'extra']],
    ['serve --status-codes neither live nor docs', ['serve', '--data', data, '--status-codes', 'maybe']],
    ['token without --scopes or --roles', ['token', '--data', data]],
    ['token with both --scopes and --roles', ['token', '--data', data, '--scopes', 'A', '--roles', 'B']],
    ['token --roles with --user', ['token', '--data', data, '--roles', 'A', '--user', 'someone@contoso.com']],
    ['token --tenant not a GUID', ['token', '--data', data, '--tenant', 'contoso', '--scopes', 'A']],
    ['token --lifetime 0', ['token', '--data', data, '--lifetime', '0', '--scopes', 'A']],
    ['token --lifetime not a number', ['token', '--data', data, '--lifetime', 'soon', '--scopes', 'A']],
  ];
  for (const [name, args] of cases) {
    it(`${name}: localgraph ${args.join(' ').replaceAll(data, 'DIR')}`, async () => {
      const r = await runCli(args);
      assert.equal(r.code, 2, `exit ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
      assert.equal(lines(r.stderr).length, 1, `stderr: ${JSON.stringify(r.stderr)}`);
      assert.ok(r.stderr.endsWith('\n'));
      assert.match(r.stderr, /^localgraph: /);
      assert.equal(r.stdout, '');
      assert.equal(existsSync(data), false, 'a refused command created the data folder');
    });
  }
});

describe('configuration mistakes name the option, the variable or the key', { concurrency: true, ...cliOnly }, () => {
  const dir = tempDir();
  const data = join(dir, 'never-created');
  const config = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(content));
    return path;
  };
  const cases: [string, string[], NodeJS.ProcessEnv, string][] = [
    [
      '--port -1',
      ['serve', '--data', data, '--port', '-1'],
      {},
      "--port must be a whole number from 0 to 65535, not '-1'",
    ],
    [
      'LOCALGRAPH_PORT=http',
      ['serve', '--data', data],
      { LOCALGRAPH_PORT: 'http' },
      "LOCALGRAPH_PORT must be a whole number from 0 to 65535, not 'http'",
    ],
    [
      'LOCALGRAPH_HTTPS=maybe',
      ['serve', '--data', data],
      { LOCALGRAPH_HTTPS: 'maybe' },
      "LOCALGRAPH_HTTPS must be true or false (1 or 0), not 'maybe'",
    ],
    [
      'an unknown key',
      ['serve', '--config', config('typo.json', { prot: 5080 })],
      {},
      `${join(dir, 'typo.json')}: unknown key 'prot' (did you mean 'port'?); the keys are listed in docs/options.md`,
    ],
    [
      'a key of the wrong type',
      ['serve', '--config', config('type.json', { port: '5080' })],
      {},
      `${join(dir, 'type.json')}: 'port' must be a whole number from 0 to 65535, not the string "5080"`,
    ],
    [
      'a missing file',
      ['serve', '--data', data],
      { LOCALGRAPH_CONFIG: join(dir, 'absent.json') },
      `LOCALGRAPH_CONFIG ${join(dir, 'absent.json')}: no such file`,
    ],
    [
      '--cert-name without --https',
      ['serve', '--data', data, '--cert-name', 'localgraph'],
      {},
      '--cert-name goes with --https (and not with --cert, whose names are its own)',
    ],
    [
      '--cert-name not a DNS name',
      ['serve', '--data', data, '--https', '--cert-name', '10.0.0.5'],
      {},
      "--cert-name takes a DNS name (a host name such as localgraph or lg.ci.internal), not '10.0.0.5'",
    ],
  ];
  for (const [name, args, env, message] of cases) {
    it(`${name}: exit 2, one line that says what is wrong`, async () => {
      const r = await runCli(args, { env: { ...process.env, ...env } });
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr, `localgraph: ${message}\n`);
      assert.equal(existsSync(data), false);
    });
  }
});

describe('configuration precedence through the CLI', onlyOn('sqlite', 'about option sources, not storage'), () => {
  it('flag over environment over config file over default', async () => {
    const dir = tempDir();
    const config = join(dir, 'localgraph.json');
    writeFileSync(
      config,
      JSON.stringify({
        $schema: '../schema/localgraph.schema.json',
        port: 1, // the helper's --port 0 wins
        idSeed: 'from-the-file', // nothing stronger: the file's
        freezeClock: '2030-01-01T00:00:00.000Z', // LOCALGRAPH_FREEZE_CLOCK wins
        logLevel: 'warn', // LOCALGRAPH_LOG_LEVEL loses to --log-level
        adminKey: 'admin-key-in-the-file',
      }),
    );
    const env = {
      ...process.env,
      LOCALGRAPH_CONFIG: config,
      LOCALGRAPH_FREEZE_CLOCK: '2031-02-03T04:05:06.000Z',
      LOCALGRAPH_LOG_LEVEL: 'error',
      LOCALGRAPH_ADMIN_KEY: 'admin-key-in-the-environment',
    };
    const server = await startServer({ args: ['--log-level', 'debug'], env });
    try {
      const out = server.stdout();
      assert.ok(server.port > 1);
      assert.match(out, /ids: deterministic, seed 'from-the-file'/);
      assert.match(out, /clock: frozen at 2031-02-03T04:05:06\.000Z/);
      assert.match(out, /logs: debug, /);
      assert.match(out, /with the key given by \$LOCALGRAPH_ADMIN_KEY/);
      const res = await request(`${server.baseUrl}/_admin/clock`, {
        headers: { 'x-localgraph-admin-key': 'admin-key-in-the-environment' },
      });
      assert.equal(res.status, 200, res.text);
      assert.equal(res.body.now, '2031-02-03T04:05:06.000Z');
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });
});

describe('first contact', onlyOn('sqlite', 'about the front page, not storage'), () => {
  it('the banner names the console; GET / links it, $metadata, /health and a quick start (JSON on request)', async () => {
    const server = await startServer();
    try {
      assert.ok(server.stdout().includes(`  console: ${server.baseUrl}/console/ `), server.stdout());
      const page = await request(`${server.baseUrl}/`);
      assert.equal(page.status, 200, page.text);
      for (const href of ['/console/', '/beta/$metadata', '/health'])
        assert.ok(page.text.includes(`href="${server.baseUrl}${href}"`), `no ${href} in ${page.text}`);
      assert.ok(page.text.includes('Quick start'));
      const links = await request(`${server.baseUrl}/`, { headers: { accept: 'application/json' } });
      assert.equal(links.body.tenantId, server.tenantId);
      assert.equal(links.body.tokenEndpoint, `${server.baseUrl}/${server.tenantId}/oauth2/v2.0/token`);
      for (const url of [links.body.console, links.body.metadata, links.body.health])
        assert.equal((await request(url)).status, 200, url);
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });
});

describe('scripts', onlyOn('memory', 'about the ready signals, not storage'), () => {
  it('--log-format json: every stdout line is JSON, one of them "ready"; the banner on stderr; --ready-file written whole, removed at stop', async () => {
    const readyFile = join(tempDir(), 'ready.json');
    writeFileSync(readyFile, '{"stale": true}');
    const child = spawn(
      process.execPath,
      [CLI_PATH, 'serve', '--in-memory', '--port', '0', '--log-format', 'json', '--ready-file', readyFile],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      const ready = await new Promise<Record<string, any>>((resolve, reject) => {
        createInterface({ input: child.stdout }).on('line', (line) => {
          stdout += `${line}\n`;
          const record = JSON.parse(line) as Record<string, any>;
          if (record.event === 'ready') resolve(record);
        });
        void exited.then((code) => reject(new Error(`exited ${code}\n${stdout}\n${stderr}`)));
      });
      // The ready file is written right after the ready line.
      for (let i = 0; i < 50 && !existsSync(readyFile); i++) await sleep(20);
      const facts = JSON.parse(readFileSync(readyFile, 'utf8')) as Record<string, any>;
      assert.equal(facts.stale, undefined, 'the stale file was replaced');
      assert.match(facts.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.deepEqual(
        { ...facts, pid: facts.pid },
        {
          url: facts.url,
          graphUrl: `${facts.url}/beta/`,
          consoleUrl: `${facts.url}/console/`,
          tokenUrl: `${facts.url}/${facts.tenantId}/oauth2/v2.0/token`,
          healthUrl: `${facts.url}/health`,
          tenantId: facts.tenantId,
          clientId: facts.clientId,
          username: 'admin@localgraph.onmicrosoft.com',
          pid: child.pid,
          token: facts.token,
        },
      );
      assert.match(facts.tenantId, GUID);
      for (const key of Object.keys(facts)) assert.equal(ready[key], facts[key], key);
      assert.equal(ready.msg, `localgraph listening on ${facts.graphUrl}`);
      assert.match(stderr, /^localgraph listening on http:\/\/127\.0\.0\.1:\d+\/beta\/\n {2}console: /);
      // The printed token works, and its request is logged as JSON too.
      const res = await request(`${facts.url}${CONNECTORS_PATH}`, { headers: auth(facts.token) });
      assert.equal(res.status, 200, res.text);
      child.kill('SIGTERM');
      assert.equal(await exited, 0, stderr);
      assert.equal(existsSync(readyFile), false, 'the ready file is removed when the server stops');
      const records = lines(stdout).map((line) => JSON.parse(line) as Record<string, any>);
      assert.ok(records.some((r) => r.msg === 'request' && r.status === 200));
      assert.ok(records.some((r) => r.event === 'stopping' && r.signal === 'SIGTERM'));
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

describe('--https --cert-name', onlyOn('sqlite', 'about the certificate, not storage'), () => {
  it('a client that reaches the server by the extra name and trusts the certificate file verifies it', async () => {
    const server = await startServer({ args: ['--https', '--cert-name', 'localgraph-ci.test'] });
    try {
      const file = /tls: new certificate (\S+) \(also for localgraph-ci\.test: trust this file/.exec(
        server.stdout(),
      )?.[1];
      assert.ok(file, server.stdout());
      const status = await new Promise<number | string>((resolve) => {
        httpsRequest(
          // The service's name resolves to the server's address in CI; here the connection goes to 127.0.0.1 and asks for the name.
          {
            host: '127.0.0.1',
            port: server.port,
            path: '/health',
            servername: 'localgraph-ci.test',
            headers: { host: `localgraph-ci.test:${server.port}` },
            ca: readFileSync(file, 'utf8'),
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        )
          .on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
          .end();
      });
      assert.equal(status, 200, 'verified, and the Host name is answered');
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });
});

describe('commands beside a server need its data folder', { concurrency: true, ...cliOnly }, () => {
  const data = join(tempDir(), 'mistyped');
  for (const args of [
    ['token', '--data', data, '--scopes', ADMIN_SCOPES],
    ['app', 'add', '--data', data, '--name', 'x'],
    ['app', 'list', '--data', data],
    ['user', 'set-password', '--data', data, '--upn', 'a@contoso.com', '--password', 'x'],
  ]) {
    it(`localgraph ${args.slice(0, 2).join(' ')} on a folder that does not exist: exit 1, nothing made`, async () => {
      const r = await runCli(args);
      assert.equal(r.code, 1, r.stderr);
      assert.equal(
        r.stderr,
        `localgraph: no data folder ${data}: start a server on it first (localgraph serve --data ${data}), or name the folder a server uses\n`,
      );
      assert.equal(existsSync(data), false);
    });
  }
});

const EXIT_DEADLINE_MS = 3000;

/** Starts a POST whose body arrives in two parts, so the request is in flight in between. */
function slowCreate(server: RunningServer, token: string, machineName: string, keepAlive: boolean) {
  const body = Buffer.from(JSON.stringify(connector({ machineName })));
  const req = httpRequest(`${server.baseUrl}${CONNECTORS_PATH}`, {
    method: 'POST',
    // keepAlive: a pooled connection, as fetch and the Graph SDKs use; otherwise `Connection: close`.
    agent: keepAlive ? new Agent({ keepAlive: true }) : false,
    headers: {
      ...auth(token, json),
      'content-length': String(body.length),
      ...(keepAlive ? {} : { connection: 'close' }),
    },
  });
  const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
  });
  req.write(body.subarray(0, 10));
  return { finish: () => req.end(body.subarray(10)), response };
}

/** Signals a server while a create is half sent; the create must still succeed and the server exit 0. */
async function signalDuringRequest(
  server: RunningServer,
  token: string,
  signal: NodeJS.Signals,
  keepAlive: boolean,
): Promise<string> {
  const machineName = `in-flight-${signal}-${keepAlive ? 'keepalive' : 'oneshot'}.contoso.com`;
  const inFlight = slowCreate(server, token, machineName, keepAlive);
  await sleep(300); // the server has the request's head and part of its body
  const exit = server.stop(signal);
  await sleep(300);
  assert.equal(server.process.exitCode, null, 'the server exited with a request in flight');
  inFlight.finish();
  const res = await inFlight.response;
  assert.equal(res.status, 201, res.text);
  assert.equal(JSON.parse(res.text).machineName, machineName);
  // With nothing left in flight, shutting down is a matter of moments, not of a grace period.
  const deadline = sleep(EXIT_DEADLINE_MS).then(() => 'still running' as const);
  const outcome = await Promise.race([exit, deadline]);
  if (outcome === 'still running') await server.kill();
  assert.notEqual(
    outcome,
    'still running',
    `the server had not exited ${EXIT_DEADLINE_MS} ms after answering its last request`,
  );
  assert.equal(outcome, 0, `stderr: ${server.stderr()}`);
  assert.equal(server.stderr(), '');
  return machineName;
}

describe('serve lifecycle', () => {
  it('prints its banner; SIGTERM with a request in flight: the request completes 201, exit 0, the row is kept', async () => {
    const server = await startServer();
    assert.match(server.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(server.port > 0);
    assert.match(server.tenantId, GUID);
    assert.ok(server.stdout().includes(`storage: ${storageLine(server)}`), server.stdout());
    const token = await server.token();
    const machineName = await signalDuringRequest(server, token, 'SIGTERM', false);
    assert.match(server.stdout(), /SIGTERM/);
    // In memory there is no row to keep (the --in-memory tests show a restart forgets).
    if (server.inMemory) return;

    const again = await startServer(server.sameStorage());
    try {
      assert.ok((await list(again, token)).some((c) => c.machineName === machineName));
    } finally {
      assert.equal(await again.stop(), 0);
    }
  });

  it('SIGINT with a request in flight and an idle keep-alive connection open: the request completes 201, exit 0', async () => {
    const server = await startServer();
    const agent = new Agent({ keepAlive: true });
    try {
      // A connection that served a request and now sits idle in the client's pool.
      const status = await new Promise<number>((resolve, reject) => {
        httpRequest(`${server.baseUrl}/beta/`, { agent }, (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        })
          .on('error', reject)
          .end();
      });
      assert.equal(status, 200);
      await signalDuringRequest(server, await server.token(), 'SIGINT', false);
      assert.match(server.stdout(), /SIGINT/);
    } finally {
      agent.destroy();
    }
  });

  // A pooled connection's request is in flight when the signal comes; once answered, the
  // connection must be closed so the server can exit without waiting for its grace period.
  it('SIGTERM with a request in flight on a keep-alive connection: the request completes 201, exit 0', async () => {
    const server = await startServer();
    await signalDuringRequest(server, await server.token(), 'SIGTERM', true);
  });
});

describe('durability', durable(), () => {
  let storage: ServerOptions;
  let token: string;
  let tenantId: string;
  let created: Record<string, any>[] = [];

  it('connectors and tokens survive a SIGTERM restart on the same data', async () => {
    const first = await startServer();
    storage = first.sameStorage();
    tenantId = first.tenantId;
    token = await first.token();
    created = [];
    for (let i = 0; i < 3; i++) created.push(await create(first, token));
    assert.equal(await first.stop(), 0);

    const second = await startServer(storage);
    try {
      assert.equal(second.tenantId, tenantId, 'the default tenant changed across a restart');
      // The token issued before the restart still verifies: the signing key is kept.
      const rows = await list(second, token);
      assert.deepEqual(rows.map((r) => r.id).sort(), created.map((c) => c.id).sort());
      for (const c of created) {
        const got = await request(`${second.baseUrl}${CONNECTORS_PATH}/${c.id}`, { headers: auth(token) });
        assert.equal(got.status, 200);
        assert.deepEqual(entity(got.body), entity(c));
      }
    } finally {
      assert.equal(await second.stop(), 0);
    }
  });

  it('kill -9 right after a 201, a 204 PATCH and a 204 DELETE: after a restart all three happened', async () => {
    const server = await startServer(storage);
    const fresh = await create(server, token);
    const [patchTarget, deleteTarget] = created;
    const patched = await request(`${server.baseUrl}${CONNECTORS_PATH}/${patchTarget.id}`, {
      method: 'PATCH',
      headers: auth(token, json),
      body: '{"machineName":"patched-before-crash.contoso.com"}',
    });
    assert.equal(patched.status, 204);
    assert.equal(
      (
        await request(`${server.baseUrl}${CONNECTORS_PATH}/${deleteTarget.id}`, {
          method: 'DELETE',
          headers: auth(token),
        })
      ).status,
      204,
    );
    await server.kill();
    assert.equal(server.process.signalCode, 'SIGKILL');

    const again = await startServer(storage);
    try {
      assert.equal(again.tenantId, tenantId);
      const got = await request(`${again.baseUrl}${CONNECTORS_PATH}/${fresh.id}`, { headers: auth(token) });
      assert.equal(got.status, 200, got.text);
      assert.deepEqual(entity(got.body), entity(fresh));
      const patchedNow = await request(`${again.baseUrl}${CONNECTORS_PATH}/${patchTarget.id}`, {
        headers: auth(token),
      });
      assert.equal(patchedNow.body.machineName, 'patched-before-crash.contoso.com');
      assert.equal(
        (await request(`${again.baseUrl}${CONNECTORS_PATH}/${deleteTarget.id}`, { headers: auth(token) })).status,
        404,
      );
      assert.equal((await list(again, token)).length, 3);
    } finally {
      assert.equal(await again.stop(), 0);
    }
  });
});

describe('--in-memory', onlyOn('memory', 'about --in-memory'), () => {
  it('prints a token that works; a restart forgets the data and the key', async () => {
    const first = await startServer({ inMemory: true });
    assert.ok(first.printedToken, first.stdout());
    assert.ok(first.stdout().includes('in memory'), first.stdout());
    const token = first.printedToken!;
    const created = await create(first, token);
    assert.deepEqual(
      (await list(first, token)).map((c) => c.id),
      [created.id],
    );
    assert.equal(await first.stop(), 0);

    const second = await startServer({ inMemory: true });
    try {
      assert.deepEqual(await list(second, second.printedToken!), []);
      // The old token was signed by a key that died with the first process.
      const res = await request(`${second.baseUrl}${CONNECTORS_PATH}`, { headers: auth(token) });
      assert.equal(res.status, 401, res.text);
    } finally {
      assert.equal(await second.stop(), 0);
    }
  });
});

/** What the banner's `storage:` line says of where the server keeps its data. */
function storageLine(server: RunningServer): string {
  if (server.inMemory) return 'in memory (nothing is kept)';
  if (server.dataDir !== undefined) return `SQLite in ${server.dataDir}`;
  const url = new URL(server.databaseUrl!);
  return `PostgreSQL at ${url.host}${url.pathname} (schema ${url.searchParams.get('schema')})`;
}

function claimsOf(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

describe('token', onlyOn('sqlite', 'localgraph token on a data folder and $LOCALGRAPH_DATA'), () => {
  it('works while a server runs on the same folder, also through $LOCALGRAPH_DATA; a busy port is refused', async () => {
    const server = await startServer();
    try {
      // All at once, while the server holds the folder open.
      const [viaOption, viaEnv, user, app, short, busy] = await Promise.all([
        runCli(['token', '--data', server.dataDir!, '--scopes', ADMIN_SCOPES]),
        runCli(['token', '--scopes', ADMIN_SCOPES], { env: { ...process.env, LOCALGRAPH_DATA: server.dataDir } }),
        server.token(['--scopes', ADMIN_SCOPES, '--user', 'alice@contoso.com']),
        server.token(['--roles', ADMIN_SCOPES]),
        server.token(['--scopes', ADMIN_SCOPES, '--lifetime', '120']),
        // A second server cannot take the same port.
        runCli(['serve', '--host', '127.0.0.1', '--port', String(server.port), '--data', join(tempDir(), 'data')]),
      ]);
      for (const r of [viaOption, viaEnv]) {
        assert.equal(r.code, 0, r.stderr);
        assert.equal(r.stderr, '');
        assert.equal(lines(r.stdout).length, 1);
        const token = r.stdout.trim();
        const claims = claimsOf(token);
        assert.equal(claims.tid, server.tenantId);
        assert.equal(claims.scp, ADMIN_SCOPES);
        await create(server, token);
      }
      // A user of the caller's choosing.
      assert.equal(claimsOf(user).upn, 'alice@contoso.com');
      await create(server, user);
      // An app-only token.
      const appClaims = claimsOf(app);
      assert.deepEqual(appClaims.roles, [ADMIN_SCOPES]);
      assert.equal(appClaims.scp, undefined);
      await create(server, app);
      // --lifetime sets exp.
      const shortClaims = claimsOf(short);
      assert.ok(Math.abs(shortClaims.exp - shortClaims.iat - 120) <= 1, JSON.stringify(shortClaims));
      await create(server, short);
      assert.equal((await list(server, short)).length, 5);
      // The busy port.
      assert.notEqual(busy.code, 0);
      assert.equal(lines(busy.stderr).length, 1, busy.stderr);
      assert.match(busy.stderr, /EADDRINUSE|in use/);
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });
});
