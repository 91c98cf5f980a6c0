import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseFlags, readConfigFile, resolveOptions, type ConfigFile } from './option-resolver.js';
import { resolveServeOptions, SERVE_EXCLUSIVE, SERVE_OPTIONS } from './serve-options.js';
import { UsageError } from './usage.js';

const file = (content: Record<string, unknown>, path = '/etc/lg/localgraph.json'): ConfigFile => ({ path, content });
const resolve = (flags: string[], env: NodeJS.ProcessEnv = {}, content?: Record<string, unknown>) =>
  resolveOptions(SERVE_OPTIONS, {
    flags: parseFlags(flags, SERVE_OPTIONS),
    env,
    file: content && file(content),
    exclusive: SERVE_EXCLUSIVE,
  });
const usage = (message: RegExp) => (error: unknown) => error instanceof UsageError && message.test(error.message);

test('precedence: flag over environment over file over default, option by option', () => {
  const { values, sources } = resolve(
    ['--port', '1001'],
    { LOCALGRAPH_PORT: '2002', LOCALGRAPH_HOST: '127.0.0.2' },
    { port: 3003, host: '127.0.0.3', auth: 'claims' },
  );
  assert.equal(values.port, '1001');
  assert.deepEqual(sources.port, { kind: 'flag', name: '--port' });
  assert.equal(values.host, '127.0.0.2');
  assert.deepEqual(sources.host, { kind: 'env', name: 'LOCALGRAPH_HOST' });
  assert.equal(values.auth, 'claims');
  assert.deepEqual(sources.auth, { kind: 'file', name: 'localgraph.json: auth' });
  assert.equal(values['status-codes'], 'live');
  assert.equal(sources['status-codes'].kind, 'default');
  // No source and no default: unset.
  assert.equal(values['proxy-port'], undefined);
  assert.equal(sources['proxy-port'], undefined);
});

test('every layer alone reaches the value', () => {
  assert.equal(resolve([]).values.port, '5080');
  assert.equal(resolve([], {}, { port: 3003 }).values.port, '3003');
  assert.equal(resolve([], { LOCALGRAPH_PORT: '2002' }, { port: 3003 }).values.port, '2002');
  assert.equal(resolve(['--port=1001'], { LOCALGRAPH_PORT: '2002' }, { port: 3003 }).values.port, '1001');
});

test('every option has its environment variable LOCALGRAPH_<FLAG> and its camelCase config key', () => {
  for (const option of SERVE_OPTIONS) {
    if (option.flag === 'config') continue;
    const name = `LOCALGRAPH_${option.flag.toUpperCase().replaceAll('-', '_')}`;
    const key = option.flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const text =
      option.type === 'boolean'
        ? 'true'
        : option.type === 'integer'
          ? String(option.min ?? 1)
          : option.choices
            ? option.choices[0]
            : 'x';
    const onlyEnv = resolveOptions(SERVE_OPTIONS, { flags: {}, env: { [name]: text } });
    assert.equal(onlyEnv.sources[option.flag]?.name, name, option.flag);
    const json =
      option.type === 'boolean'
        ? true
        : option.type === 'integer'
          ? (option.min ?? 1)
          : option.type === 'list'
            ? ['x']
            : text;
    const onlyFile = resolveOptions(SERVE_OPTIONS, { flags: {}, env: {}, file: file({ [key]: json }) });
    assert.equal(onlyFile.sources[option.flag]?.kind, 'file', option.flag);
  }
});

test('environment: booleans, space-separated lists, empty means unset', () => {
  const { values } = resolve([], {
    LOCALGRAPH_HTTPS: 'true',
    LOCALGRAPH_SIMULATE_HEARTBEATS: '0',
    LOCALGRAPH_ALLOWED_HOST: ' a.test  b.test ',
    LOCALGRAPH_PORT: '',
  });
  assert.equal(values.https, true);
  assert.equal(values['simulate-heartbeats'], false);
  assert.deepEqual(values['allowed-host'], ['a.test', 'b.test']);
  assert.equal(values.port, '5080');
  assert.throws(
    () => resolve([], { LOCALGRAPH_HTTPS: 'maybe' }),
    usage(/^LOCALGRAPH_HTTPS must be true or false \(1 or 0\), not 'maybe'$/),
  );
});

test('a list from a stronger source replaces the weaker one, not adds to it', () => {
  const { values } = resolve(
    ['--allowed-host', 'flag.test'],
    { LOCALGRAPH_ALLOWED_HOST: 'env.test' },
    { allowedHost: ['file.test'] },
  );
  assert.deepEqual(values['allowed-host'], ['flag.test']);
});

test('a bad value names where it was given and what is wrong', () => {
  assert.throws(() => resolve(['--port', '-1']), usage(/^--port must be a whole number from 0 to 65535, not '-1'$/));
  assert.throws(
    () => resolve(['--port', '65536']),
    usage(/^--port must be a whole number from 0 to 65535, not '65536'$/),
  );
  assert.throws(
    () => resolve([], { LOCALGRAPH_PROXY_PORT: 'http' }),
    usage(/^LOCALGRAPH_PROXY_PORT must be a whole number from 0 to 65535, not 'http'$/),
  );
  assert.throws(() => resolve(['--auth', 'none']), usage(/^--auth must be one of strict, claims, off, not 'none'$/));
  assert.throws(
    () => resolve([], {}, { port: '5080' }),
    usage(/^\/etc\/lg\/localgraph\.json: 'port' must be a whole number from 0 to 65535, not the string "5080"$/),
  );
  assert.throws(
    () => resolve([], {}, { port: 1.5 }),
    usage(/'port' must be a whole number from 0 to 65535, not the number 1\.5$/),
  );
  assert.throws(() => resolve([], {}, { https: 'yes' }), usage(/'https' must be true or false, not the string "yes"$/));
  assert.throws(
    () => resolve([], {}, { allowedHost: 'a.test' }),
    usage(/'allowedHost' must be an array of strings, not the string "a\.test"$/),
  );
  assert.throws(
    () => resolve([], {}, { logLevel: 'loud' }),
    usage(/'logLevel' must be one of "fatal", .*"silent", not the string "loud"$/),
  );
  assert.throws(() => resolve([], {}, { host: null }), usage(/'host' must be a string, not null$/));
});

test('unknown config keys are refused by name, with the likely one', () => {
  assert.throws(
    () => resolve([], {}, { prot: 5080 }),
    usage(
      /^\/etc\/lg\/localgraph\.json: unknown key 'prot' \(did you mean 'port'\?\); the keys are listed in docs\/options\.md$/,
    ),
  );
  assert.throws(
    () => resolve([], {}, { 'proxy-port': 5081 }),
    usage(/unknown key 'proxy-port' \(did you mean 'proxyPort'\?\)/),
  );
  assert.throws(() => resolve([], {}, { colour: 'blue' }), usage(/unknown key 'colour'; the keys/));
  // --config is not a key of the file it names.
  assert.throws(() => resolve([], {}, { config: 'other.json' }), usage(/unknown key 'config'/));
  // The schema's own key is allowed.
  assert.equal(resolve([], {}, { $schema: './schema/localgraph.schema.json', port: 1 }).values.port, '1');
});

test('relative paths in the file are relative to its folder', () => {
  const { values } = resolve([], {}, { data: 'lg-data', seed: '/abs/seed.json', faults: '../faults.json' });
  assert.equal(values.data, '/etc/lg/lg-data');
  assert.equal(values.seed, '/abs/seed.json');
  assert.equal(values.faults, '/etc/faults.json');
});

test('--data, --database-url and --in-memory: the strongest source decides, two in one source are refused', () => {
  const flagWins = resolve(['--in-memory'], { LOCALGRAPH_DATA: '/d' }, { databaseUrl: 'postgres://x/y' });
  assert.equal(flagWins.values['in-memory'], true);
  assert.equal(flagWins.values.data, undefined);
  assert.equal(flagWins.values['database-url'], undefined);
  const envWins = resolve([], { LOCALGRAPH_DATABASE_URL: 'postgres://x/y' }, { inMemory: true });
  assert.deepEqual([envWins.values['database-url'], envWins.values['in-memory']], ['postgres://x/y', undefined]);
  // A false boolean names nothing.
  assert.equal(resolve(['--data', '/d'], { LOCALGRAPH_IN_MEMORY: 'false' }).values.data, '/d');
  assert.throws(
    () => resolve([], { LOCALGRAPH_DATA: '/d', LOCALGRAPH_IN_MEMORY: '1' }),
    usage(/^LOCALGRAPH_DATA and LOCALGRAPH_IN_MEMORY exclude each other$/),
  );
  assert.throws(
    () => resolve([], {}, { data: 'd', databaseUrl: 'postgres://x/y' }),
    usage(/^localgraph\.json: data and localgraph\.json: databaseUrl exclude each other$/),
  );
});

test('the command line: --port -1 reaches the check; a flag without its value and unknown flags are refused', () => {
  assert.equal(parseFlags(['--port', '-1'], SERVE_OPTIONS).port, '-1');
  assert.throws(() => parseFlags(['--port', '--https'], SERVE_OPTIONS), usage(/--port/));
  assert.throws(() => parseFlags(['--bogus'], SERVE_OPTIONS), usage(/bogus/));
  assert.deepEqual(parseFlags(['--allowed-host', 'a', '--allowed-host', 'b'], SERVE_OPTIONS)['allowed-host'], [
    'a',
    'b',
  ]);
});

test('--config FILE, or LOCALGRAPH_CONFIG; a missing, malformed or non-object file is refused by name', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lg-config-'));
  const path = join(dir, 'localgraph.json');
  writeFileSync(path, JSON.stringify({ port: 4004, data: 'here' }));
  const viaFlag = resolveServeOptions(parseFlags(['--config', path], SERVE_OPTIONS), {});
  assert.deepEqual([viaFlag.values.port, viaFlag.values.data], ['4004', join(dir, 'here')]);
  assert.equal(resolveServeOptions({}, { LOCALGRAPH_CONFIG: path }).values.port, '4004');
  // The flag names the file over the variable.
  writeFileSync(join(dir, 'other.json'), '{"port": 4005}');
  assert.equal(
    resolveServeOptions(parseFlags(['--config', join(dir, 'other.json')], SERVE_OPTIONS), { LOCALGRAPH_CONFIG: path })
      .values.port,
    '4005',
  );
  assert.throws(() => readConfigFile(join(dir, 'absent.json')), usage(/^--config .*absent\.json: no such file$/));
  writeFileSync(join(dir, 'broken.json'), '{"port": ');
  assert.throws(
    () => resolveServeOptions({}, { LOCALGRAPH_CONFIG: join(dir, 'broken.json') }),
    usage(/^LOCALGRAPH_CONFIG .*broken\.json: not JSON/),
  );
  writeFileSync(join(dir, 'list.json'), '[]');
  assert.throws(() => readConfigFile(join(dir, 'list.json')), usage(/must hold one JSON object of options$/));
});
