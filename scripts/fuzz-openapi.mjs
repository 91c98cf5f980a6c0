// Fuzzes a fresh `localgraph serve --in-memory` with Schemathesis, from the OpenAPI description
// the server itself serves (GET /beta/$openapi): no 5xx, every response matching its declared
// schema, status code and content type. Bounded: a fixed seed, few examples per operation, and a
// time limit. Schemathesis (PyPI) is found as $SCHEMATHESIS, else `schemathesis` on the PATH.
//   node scripts/fuzz-openapi.mjs [--max-examples N] [--time-limit SECONDS]
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    'max-examples': { type: 'string', default: '10' },
    'time-limit': { type: 'string', default: '600' },
    seed: { type: 'string', default: '1' },
  },
});
const schemathesis = process.env.SCHEMATHESIS ?? 'schemathesis';

// With JSON logs, stdout carries JSON records only; the "ready" one says where the server is
// and, for an in-memory server, holds a delegated token.
const server = spawn(
  process.execPath,
  ['dist/src/cli/main.js', 'serve', '--in-memory', '--port', '0', '--log-level', 'warn', '--log-format', 'json'],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const ready = await new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error('localgraph did not start within 20 s')), 20_000);
  createInterface({ input: server.stdout }).on('line', (line) => {
    const record = line.startsWith('{') ? JSON.parse(line) : undefined;
    if (record?.event === 'ready' && record.token) {
      clearTimeout(timer);
      resolve({ origin: record.url, token: record.token });
    }
  });
  server.once('exit', (code) => reject(new Error(`localgraph exited (${code}) before it was ready`)));
});

const args = [
  'run',
  `${ready.origin}/beta/$openapi?format=json`,
  '--header',
  `Authorization: Bearer ${ready.token}`,
  '--checks',
  'not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance',
  '--max-examples',
  values['max-examples'],
  '--seed',
  values.seed,
  '--phases',
  'examples,coverage,fuzzing',
  '--request-timeout',
  '10',
  '--no-color',
];
const fuzz = spawn(schemathesis, args, { stdio: 'inherit' });
const limit = setTimeout(() => {
  console.error(`fuzz-openapi: stopped after the ${values['time-limit']} s limit`);
  fuzz.kill('SIGTERM');
}, Number(values['time-limit']) * 1000);
const status = await new Promise((resolve) => {
  fuzz.once('error', (error) => {
    console.error(
      `fuzz-openapi: cannot run ${schemathesis}: ${error.message} (pip install schemathesis, or set SCHEMATHESIS)`,
    );
    resolve(1);
  });
  fuzz.once('exit', (code, signal) => resolve(signal ? 1 : (code ?? 1)));
});
clearTimeout(limit);
server.kill('SIGTERM');
process.exit(status);
