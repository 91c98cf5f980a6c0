/**
 * The published package, as a user gets it: `npm pack` (which builds with tsconfig.build.json),
 * then `npm install` of the tarball into an empty folder, and there `npx localgraph --version`,
 * `npx localgraph serve` answering a request, and a test file using the library, plus a
 * TypeScript type check of that use against the shipped declarations.
 *
 * The pack runs in a copy of the sources (its `prepack` empties dist/src, which the other test
 * files running beside this one load). better-sqlite3's install script (allowed by the consumer's
 * `allowScripts`, as npm 11 asks) would download its prebuilt binary from GitHub, which tests may
 * not reach; it is handed the binary this checkout built instead, as a local prebuild
 * (prebuild-install's `local_prebuilds`). Everything else comes from npm's cache
 * (`--prefer-offline`), or the npm registry.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { onlyOn } from './helpers/backend.js';
import { tempDir } from './helpers/server.js';

const execFileAsync = promisify(execFile);
/** dist/test/package.e2e.test.js → the checkout. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PACKAGE = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  files: string[];
  exports: unknown;
};
const NPM_QUIET = ['--prefer-offline', '--no-audit', '--no-fund'];

/** Runs a command to completion; rejects with its output on a non-zero exit. */
async function run(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ stdout: string; stderr: string }> {
  try {
    return await execFileAsync(command, args, { cwd, env, timeout: 150_000, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const failed = error as Error & { stdout?: string; stderr?: string };
    throw new Error(
      `${command} ${args.join(' ')} failed in ${cwd}: ${failed.message}\nstdout: ${failed.stdout}\nstderr: ${failed.stderr}`,
    );
  }
}

/** Copies what `npm pack` builds from (sources, configs, and the package's non-built files) and packs it; resolves with the tarball and its file list. */
async function pack(): Promise<{ tarball: string; files: string[] }> {
  const source = tempDir('localgraph-pack-');
  const shipped = PACKAGE.files.filter((f) => !f.startsWith('dist') && !f.startsWith('!'));
  for (const entry of [
    'package.json',
    'package-lock.json',
    'tsconfig.json',
    'tsconfig.build.json',
    'src',
    ...shipped,
  ]) {
    cpSync(join(ROOT, entry), join(source, entry), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(source, 'node_modules'), 'dir');
  const out = tempDir('localgraph-tarball-');
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', out], source);
  // npm prints the build's output before the JSON.
  const [result] = JSON.parse(stdout.slice(stdout.indexOf('[\n'))) as { filename: string; files: { path: string }[] }[];
  return { tarball: join(out, result.filename), files: result.files.map((f) => f.path) };
}

/** A local prebuild of better-sqlite3 from this checkout's binary, named as prebuild-install looks for it. */
function localPrebuilds(): Promise<string> {
  const dir = tempDir('localgraph-prebuilds-');
  const module = join(ROOT, 'node_modules', 'better-sqlite3');
  const { version } = JSON.parse(readFileSync(join(module, 'package.json'), 'utf8')) as { version: string };
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  return run('tar', ['czf', join(dir, name), 'build/Release/better_sqlite3.node'], module).then(() => dir);
}

const CONSUMER_TEST = `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startLocalgraph } from 'localgraph';

test('the library from the installed package', async () => {
  const lg = await startLocalgraph();
  try {
    const url = \`\${lg.graphUrl}/onPremisesPublishingProfiles/applicationProxy/connectorGroups\`;
    const app = await lg.token({ roles: ['Directory.ReadWrite.All'] });
    const made = await fetch(url, { method: 'POST', headers: { authorization: \`Bearer \${app}\`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'from the package' }) });
    assert.equal(made.status, 200);
    await lg.reset();
    const listed = await fetch(url, { headers: { authorization: \`Bearer \${await lg.token({ scopes: ['Directory.ReadWrite.All'] })}\` } });
    assert.equal(listed.status, 200);
    assert.ok(!(await listed.json()).value.some((g) => g.name === 'from the package'));
  } finally {
    await lg.stop();
  }
});
`;

const CONSUMER_TYPES = `import { startLocalgraph, type Localgraph, type LocalgraphOptions } from 'localgraph';

const options: LocalgraphOptions = { https: true, freezeClock: new Date(), faults: [{ match: 'GET /x', status: 503 }] };
const lg: Localgraph = await startLocalgraph(options);
const token: string = await lg.token({ scopes: ['Directory.ReadWrite.All'] });
const secret: string | undefined = lg.clientSecret;
// @ts-expect-error token() takes scopes or roles, not a user
await lg.token({ user: 'someone' });
console.log(token, secret, lg.caCertificate?.length);
await lg.stop();
`;

describe('the npm package', onlyOn('sqlite', 'packs and installs the package once'), () => {
  let packed: { tarball: string; files: string[] };
  let consumer: string;

  before(async () => {
    const [made, prebuilds] = await Promise.all([pack(), localPrebuilds()]);
    packed = made;
    consumer = join(tempDir('localgraph-consumer-'), 'app');
    mkdirSync(consumer);
    writeFileSync(
      join(consumer, 'package.json'),
      JSON.stringify(
        { name: 'consumer', private: true, type: 'module', allowScripts: { 'better-sqlite3': true } },
        null,
        2,
      ),
    );
    const installed = await run('npm', ['install', ...NPM_QUIET, packed.tarball], consumer, {
      ...process.env,
      npm_config_better_sqlite3_local_prebuilds: prebuilds,
    });
    assert.doesNotMatch(
      installed.stderr,
      /better-sqlite3@[\d.]+ \(install/,
      'better-sqlite3 is allowed its install script',
    );
  });

  it('ships only runtime files: the built modules and their declarations, web/, the config file schema, README, LICENSE, SECURITY.md', () => {
    const unexpected = packed.files.filter(
      (f) =>
        !/^(package\.json|README\.md|LICENSE|SECURITY\.md|web\/.+|schema\/[\w.-]+\.json|dist\/src\/.+\.(js|d\.ts))$/.test(
          f,
        ),
    );
    assert.deepEqual(unexpected, []);
    assert.deepEqual(
      packed.files.filter((f) => /\.test\.|testing\.|test-data|\.map$|^dist\/(test|bench)\//.test(f)),
      [],
    );
    for (const needed of [
      'LICENSE',
      'web/index.html',
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/src/cli/main.js',
      'dist/src/store/sqlite-reader-worker.js',
    ]) {
      assert.ok(packed.files.includes(needed), `${needed} is in the package`);
    }
    const installed = JSON.parse(
      readFileSync(join(consumer, 'node_modules', 'localgraph', 'package.json'), 'utf8'),
    ) as { exports: unknown };
    assert.deepEqual(installed.exports, PACKAGE.exports);
    assert.ok(existsSync(join(consumer, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')));
  });

  it('npx localgraph --version prints the package version', async () => {
    const { stdout } = await run('npx', ['--no', '--', 'localgraph', '--version'], consumer);
    assert.equal(stdout.trim(), PACKAGE.version);
  });

  it('npx localgraph serve --in-memory answers a Graph request with the token of its "ready" record', async () => {
    // Off a terminal, stdout carries JSON lines only, one of them the "ready" record.
    const child = spawn('npx', ['--no', '--', 'localgraph', 'serve', '--in-memory', '--port', '0'], {
      cwd: consumer,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      const ready = await new Promise<{ graphUrl: string; token: string }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "ready" record within 60 s: ${output}`)), 60_000);
        void closed.then((code) => reject(new Error(`serve exited (${code}) before it was ready: ${output}`)));
        createInterface({ input: child.stdout }).on('line', (line) => {
          output += `${line}\n`;
          let record: { event?: string; graphUrl: string; token: string };
          try {
            record = JSON.parse(line);
          } catch {
            return reject(new Error(`stdout carries a line that is not JSON: ${line}`));
          }
          if (record.event === 'ready') {
            clearTimeout(timer);
            resolve(record);
          }
        });
      });
      const res = await fetch(new URL('onPremisesPublishingProfiles/applicationProxy/connectors', ready.graphUrl), {
        headers: { authorization: `Bearer ${ready.token}` },
      });
      assert.equal(res.status, 200);
      assert.deepEqual(((await res.json()) as { value: unknown[] }).value, []);
    } finally {
      // npx runs localgraph in a child of its own: the whole group is signalled.
      process.kill(-child.pid!, 'SIGTERM');
      await closed;
    }
  });

  it('a test file imports startLocalgraph from the package and runs', async () => {
    writeFileSync(join(consumer, 'library.test.mjs'), CONSUMER_TEST);
    // Without this runner's context, which would make the child report to it instead of printing.
    const { NODE_TEST_CONTEXT: _context, ...env } = process.env;
    const { stdout } = await run(
      process.execPath,
      ['--test', '--test-reporter=spec', 'library.test.mjs'],
      consumer,
      env,
    );
    assert.match(stdout, /✔ the library from the installed package/);
  });

  it('the declarations type-check a TypeScript use of the library (strict, without skipLibCheck)', async () => {
    writeFileSync(join(consumer, 'types.mts'), CONSUMER_TYPES);
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const args = [
      '--noEmit',
      '--strict',
      '--target',
      'es2022',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      '--typeRoots',
      join(ROOT, 'node_modules', '@types'),
      '--types',
      'node',
      'types.mts',
    ];
    await run(process.execPath, [tsc, ...args], consumer);
  });
});
