// npm run test:clients: Microsoft's Graph beta SDKs for Python, Go and Java (clients/*) run their
// scenario against localgraph in both modes, each run on a fresh server of its own:
//
//   direct  the SDK's base URL and the identity library's authority host name localgraph's HTTPS port;
//   proxy   unchanged code (https://graph.microsoft.com/beta, login.microsoftonline.com) through
//           localgraph's intercepting proxy, with only the runtime's proxy and trust settings.
//
// One line per language and mode (`python direct: pass`), then `N passed, N failed`. A missing
// toolchain is a failure under CI=true and a skip otherwise. The requests each SDK sent (from the
// servers' request logs) must match docs/sdk-coverage.json, which `--write-coverage` rewrites.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist/src/cli/main.js');
const COVERAGE_FILE = join(ROOT, 'docs/sdk-coverage.json');
const CI = process.env.CI === 'true';
const WRITE_COVERAGE = process.argv.includes('--write-coverage');
const ONLY = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const RUN_TIMEOUT_MS = 10 * 60_000;
const PERMISSIONS =
  'Directory.ReadWrite.All Application.ReadWrite.All OnPremisesPublishingProfiles.ReadWrite.All Policy.ReadWrite.HybridAuthentication';
const PROXY_VARIABLES = [
  'HTTPS_PROXY',
  'https_proxy',
  'HTTP_PROXY',
  'http_proxy',
  'ALL_PROXY',
  'all_proxy',
  'NO_PROXY',
  'no_proxy',
];

const scratch = mkdtempSync(join(tmpdir(), 'localgraph-clients-'));
const servers = new Set();
process.once('exit', () => {
  for (const server of servers) server.child.kill('SIGKILL');
  rmSync(scratch, { recursive: true, force: true });
});

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) throw result.error;
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function seconds(since) {
  return ((performance.now() - since) / 1000).toFixed(1);
}

const features = (() => {
  const help = run(process.execPath, [CLI, 'serve', '--help']);
  return { proxy: help.includes('--proxy-port'), devCredentials: help.includes('--dev-credentials') };
})();

/** A fresh `localgraph serve --https` (and its proxy, when this build has one) on a data folder of its own. */
async function startServer({ port = 0 } = {}) {
  const data = mkdtempSync(join(scratch, 'data-'));
  const args = [
    CLI,
    'serve',
    '--data',
    data,
    '--https',
    '--port',
    String(port),
    '--log-format',
    'json',
    '--log-level',
    'info',
  ];
  if (features.proxy) args.push('--proxy-port', '0');
  if (features.devCredentials) args.push('--dev-credentials');
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const server = { child, data, lines: [], stderr: '' };
  servers.add(server);
  child.stderr.on('data', (chunk) => (server.stderr += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  server.exited = exited;
  const lines = createInterface({ input: child.stdout });
  const started = new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`localgraph did not start in 30 s\n${server.lines.join('\n')}${server.stderr}`)),
      30_000,
    );
    exited.then((code) =>
      reject(new Error(`localgraph exited ${code} at start\n${server.lines.join('\n')}${server.stderr}`)),
    );
    lines.on('line', (line) => {
      server.lines.push(line);
      // stdout carries JSON records only (--log-format json); the "ready" one says where the
      // server and its proxy are.
      const record = line.startsWith('{') ? JSON.parse(line) : undefined;
      if (record?.event === 'ready') {
        server.origin = record.url;
        server.proxy = record.proxyUrl;
      }
      if (server.origin && (!features.proxy || server.proxy)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  try {
    await started;
  } catch (error) {
    child.kill('SIGKILL');
    servers.delete(server);
    throw error;
  }
  // The certificate the HTTPS port presents, and the CA the proxy's leaves come from: one bundle.
  const pems = [run(process.execPath, [CLI, 'cert', '--data', data])];
  if (features.proxy) pems.push(run(process.execPath, [CLI, 'ca', '--data', data]));
  server.caFile = join(data, 'trust.pem');
  writeFileSync(server.caFile, pems.join('\n'));
  server.credentials = features.devCredentials ? {} : registerCredentials(data);
  return server;
}

/** Until the well-known development credentials exist: an app and a user of the folder's tenant. */
function registerCredentials(data) {
  const app = JSON.parse(
    run(process.execPath, [
      CLI,
      'app',
      'add',
      '--data',
      data,
      '--name',
      'official SDKs',
      '--roles',
      PERMISSIONS,
      '--scopes',
      PERMISSIONS,
    ]),
  );
  const password = `Sdk-${createHash('sha256').update(data).digest('hex').slice(0, 16)}-1a`;
  const user = JSON.parse(
    run(process.execPath, [
      CLI,
      'user',
      'add',
      '--data',
      data,
      '--upn',
      'sdk@localgraph.onmicrosoft.com',
      '--password',
      password,
    ]),
  );
  return {
    LOCALGRAPH_TENANT_ID: app.tenantId,
    LOCALGRAPH_CLIENT_ID: app.clientId,
    LOCALGRAPH_CLIENT_SECRET: app.clientSecret,
    LOCALGRAPH_USERNAME: user.userPrincipalName,
    LOCALGRAPH_PASSWORD: password,
  };
}

/** Stops the server (its request log is flushed at exit) and returns the operations it served. */
async function stopServer(server) {
  server.child.kill('SIGTERM');
  await server.exited;
  servers.delete(server);
  const operations = new Set();
  for (const line of server.lines) {
    if (!line.startsWith('{')) continue;
    const entry = JSON.parse(line);
    if (entry.msg === 'request' && typeof entry.path === 'string' && entry.path.startsWith('/beta/'))
      operations.add(`${entry.method} ${entry.path.slice('/beta'.length)}`);
  }
  return operations;
}

function baseEnv() {
  const env = { ...process.env };
  for (const name of PROXY_VARIABLES) delete env[name];
  return env;
}

function trustStore(server) {
  const file = join(server.data, 'trust.p12');
  if (!existsSync(file)) {
    const pems = readFileSync(server.caFile, 'utf8').match(
      /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g,
    );
    pems.forEach((pem, i) => {
      const pemFile = join(server.data, `trust-${i}.pem`);
      writeFileSync(pemFile, `${pem}\n`);
      run('keytool', [
        '-importcert',
        '-noprompt',
        '-alias',
        `localgraph-${i}`,
        '-file',
        pemFile,
        '-keystore',
        file,
        '-storetype',
        'PKCS12',
        '-storepass',
        'localgraph',
      ]);
    });
  }
  return [
    `-Djavax.net.ssl.trustStore=${file}`,
    '-Djavax.net.ssl.trustStoreType=PKCS12',
    '-Djavax.net.ssl.trustStorePassword=localgraph',
  ];
}

/** Each language: its toolchain, its one-time preparation, and how it is run in a mode. */
const LANGUAGES = [
  {
    name: 'python',
    tools: ['python3'],
    dir: join(ROOT, 'clients/python'),
    // MSAL for Python asks https://{authority host}/common/userrealm/... before a password grant
    // and drops the authority's port there: in direct mode localgraph must be on 443.
    directPort: 443,
    prepare() {
      const venv = join(this.dir, '.venv');
      const stamp = join(venv, '.requirements.sha256');
      const wanted = createHash('sha256')
        .update(readFileSync(join(this.dir, 'requirements.txt')))
        .digest('hex');
      if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return 'venv up to date';
      if (!existsSync(join(venv, 'bin/python'))) run('python3', ['-m', 'venv', venv]);
      run(join(venv, 'bin/pip'), ['install', '-q', '--disable-pip-version-check', '-r', 'requirements.txt'], {
        cwd: this.dir,
      });
      writeFileSync(stamp, wanted);
      return 'pip install -r requirements.txt';
    },
    command(server, mode) {
      const env = {
        ...baseEnv(),
        ...server.credentials,
        REQUESTS_CA_BUNDLE: server.caFile,
        SSL_CERT_FILE: server.caFile,
      };
      if (mode === 'direct')
        Object.assign(env, { LOCALGRAPH_GRAPH_URL: `${server.origin}/beta`, LOCALGRAPH_AUTHORITY_HOST: server.origin });
      else Object.assign(env, { HTTPS_PROXY: server.proxy, NO_PROXY: '' });
      return { command: join(this.dir, '.venv/bin/python'), args: ['scenario.py'], env };
    },
  },
  {
    name: 'go',
    tools: ['go'],
    dir: join(ROOT, 'clients/go'),
    prepare() {
      // Built once, then the binary runs in both modes; GOCACHE keeps the SDK's compiled packages.
      const started = performance.now();
      run('go', ['build', '-buildvcs=false', '-o', 'bin/scenario', '.'], { cwd: this.dir });
      return `go build ${seconds(started)} s`;
    },
    command(server, mode) {
      const env = { ...baseEnv(), ...server.credentials, SSL_CERT_FILE: server.caFile };
      if (mode === 'direct')
        Object.assign(env, { LOCALGRAPH_GRAPH_URL: `${server.origin}/beta`, LOCALGRAPH_AUTHORITY_HOST: server.origin });
      else Object.assign(env, { HTTPS_PROXY: server.proxy, NO_PROXY: '' });
      return { command: join(this.dir, 'bin/scenario'), args: [], env };
    },
  },
  {
    name: 'java',
    tools: ['java', 'mvn', 'keytool'],
    dir: join(ROOT, 'clients/java'),
    prepare() {
      const started = performance.now();
      run('mvn', ['-q', '-B', 'compile', 'dependency:build-classpath', '-Dmdep.outputFile=target/classpath.txt'], {
        cwd: this.dir,
      });
      return `mvn compile ${seconds(started)} s`;
    },
    command(server, mode) {
      const env = { ...baseEnv(), ...server.credentials };
      const properties = trustStore(server);
      if (mode === 'direct')
        Object.assign(env, { LOCALGRAPH_GRAPH_URL: `${server.origin}/beta`, LOCALGRAPH_AUTHORITY_HOST: server.origin });
      else {
        const proxy = new URL(server.proxy);
        properties.push(
          `-Dhttps.proxyHost=${proxy.hostname}`,
          `-Dhttps.proxyPort=${proxy.port}`,
          '-Djava.net.useSystemProxies=true',
          '-Dhttp.nonProxyHosts=',
        );
      }
      const classpath = `target/classes:${readFileSync(join(this.dir, 'target/classpath.txt'), 'utf8').trim()}`;
      return { command: 'java', args: [...properties, '-cp', classpath, 'dev.localgraph.clients.Scenario'], env };
    },
  },
];

function runScenario({ command, args, env }, cwd) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? signal, output });
    });
  });
}

/** A loopback port nothing listens on. */
async function closedPort() {
  const { createServer } = await import('node:net');
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Unchanged code with its proxy gone must fail on the proxy, never reach Microsoft directly. */
async function proxyAbsent(language, server) {
  const port = await closedPort();
  const started = performance.now();
  const { code, output } = await runScenario(
    language.command({ ...server, proxy: `http://127.0.0.1:${port}` }, 'proxy'),
    language.dir,
  );
  const onProxy = new RegExp(`127\\.0\\.0\\.1.{0,20}\\b${port}\\b`).test(output);
  if (code !== 0 && onProxy)
    report(
      `${language.name} proxy absent`,
      'pass',
      `refused on the proxy's port after ${seconds(started)} s, no direct connection`,
    );
  else {
    report(
      `${language.name} proxy absent`,
      'fail',
      code === 0 ? 'the scenario ran without its proxy' : 'it failed, but not on connecting to the proxy',
    );
    console.log(output.trimEnd().replace(/^/gm, '    '));
  }
}

const results = [];
const observed = {};
const directPassed = new Set();
function report(name, outcome, detail = '') {
  results.push(outcome);
  console.log(`${name}: ${outcome}${detail ? ` (${detail})` : ''}`);
}

for (const language of LANGUAGES) {
  if (ONLY.length > 0 && !ONLY.includes(language.name)) continue;
  const missing = language.tools.filter((tool) => !has(tool));
  if (missing.length > 0) {
    for (const mode of ['direct', 'proxy'])
      report(`${language.name} ${mode}`, CI ? 'fail' : 'skipped', `no ${missing.join(', ')} on this machine`);
    continue;
  }
  let prepared;
  try {
    prepared = language.prepare();
  } catch (error) {
    for (const mode of ['direct', 'proxy']) report(`${language.name} ${mode}`, 'fail', 'preparation failed');
    console.log(String(error.message).replace(/^/gm, '    '));
    continue;
  }
  observed[language.name] = new Set();
  for (const mode of ['direct', 'proxy']) {
    const name = `${language.name} ${mode}`;
    if (mode === 'proxy' && !features.proxy) {
      report(name, 'skipped', 'this localgraph has no intercepting proxy (serve --proxy-port) yet');
      continue;
    }
    let server;
    try {
      server = await startServer({ port: mode === 'direct' ? (language.directPort ?? 0) : 0 });
    } catch (error) {
      // Python's direct run needs port 443 (see LANGUAGES): outside CI, a port that cannot be had is a skip.
      if (
        !CI &&
        language.directPort &&
        mode === 'direct' &&
        /EACCES|EADDRINUSE|permission denied|address already in use/i.test(error.message)
      ) {
        report(name, 'skipped', `port ${language.directPort} cannot be bound here`);
        continue;
      }
      report(name, 'fail', 'localgraph did not start');
      console.log(String(error.message).replace(/^/gm, '    '));
      continue;
    }
    const started = performance.now();
    const { code, output } = await runScenario(language.command(server, mode), language.dir);
    const took = seconds(started);
    for (const operation of await stopServer(server)) observed[language.name].add(operation);
    if (code === 0) {
      report(name, 'pass', `${took} s${mode === 'direct' ? `; ${prepared}` : ''}`);
      if (mode === 'direct') directPassed.add(language.name);
    } else {
      report(name, 'fail', `exit ${code} after ${took} s`);
      console.log(output.trimEnd().replace(/^/gm, '    '));
    }
    if (mode === 'proxy') await proxyAbsent(language, server);
  }
}

// Which official SDK exercised each served operation: the committed table must be what was seen.
const directPasses = LANGUAGES.every((language) => directPassed.has(language.name));
if (ONLY.length === 0 && (directPasses || WRITE_COVERAGE)) {
  const { familyModel, familyRegistry } = await import('../dist/src/family/family.js');
  const { onPremises } = await import('../dist/src/family/on-premises/on-premises.js');
  const { familyOperations } = await import('../dist/src/resources/operations.js');
  const served = familyOperations(familyModel(onPremises), familyRegistry(onPremises))
    .filter((op) => op.implemented)
    .map((op) => `${op.method} ${op.pattern}`);
  const table = {};
  for (const operation of served)
    table[operation] = Object.keys(observed).filter((sdk) => observed[sdk].has(operation));
  const text = `${JSON.stringify(table, null, 2)}\n`;
  if (WRITE_COVERAGE) {
    writeFileSync(COVERAGE_FILE, text);
    console.log(`wrote ${COVERAGE_FILE}; run npm run docs`);
  } else {
    const committed = existsSync(COVERAGE_FILE) ? readFileSync(COVERAGE_FILE, 'utf8') : '';
    const unexercised = served.filter((operation) => table[operation].length === 0);
    report(
      'coverage',
      committed === text && unexercised.length === 0 ? 'pass' : 'fail',
      unexercised.length > 0
        ? `not exercised: ${unexercised.join(', ')}`
        : committed === text
          ? 'docs/sdk-coverage.json matches'
          : 'docs/sdk-coverage.json differs from what the SDKs sent: npm run test:clients -- --write-coverage',
    );
  }
}

const passed = results.filter((r) => r === 'pass').length;
const failed = results.filter((r) => r === 'fail').length;
const skipped = results.filter((r) => r === 'skipped').length;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed > 0 ? 1 : 0;
