import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { jsonRecord, readyFacts, removeReadyFile, writeReadyFile } from './ready.js';

const identity = {
  tenantId: 't-1',
  appId: 'a-1',
  servicePrincipalId: 's-1',
  userId: 'u-1',
  userPrincipalName: 'admin@localgraph.onmicrosoft.com',
};

test('the facts: URLs from the origin, the default tenant and app, no secret; optional parts only when there', () => {
  const facts = readyFacts('https://localhost:5080', identity, {});
  assert.deepEqual(facts, {
    url: 'https://localhost:5080',
    graphUrl: 'https://localhost:5080/beta/',
    consoleUrl: 'https://localhost:5080/console/',
    tokenUrl: 'https://localhost:5080/t-1/oauth2/v2.0/token',
    healthUrl: 'https://localhost:5080/health',
    tenantId: 't-1',
    clientId: 'a-1',
    username: 'admin@localgraph.onmicrosoft.com',
    pid: process.pid,
  });
  assert.equal(
    readyFacts('http://127.0.0.1:1', identity, { proxyUrl: 'http://127.0.0.1:2', caFile: '/d/ca.pem' }).caFile,
    '/d/ca.pem',
  );
});

test('the file is replaced whole, with no temporary file left beside it, and removed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lg-ready-'));
  const file = join(dir, 'ready.json');
  writeReadyFile(file, readyFacts('http://127.0.0.1:1', identity, {}));
  writeReadyFile(file, readyFacts('http://127.0.0.1:2', identity, {}));
  assert.equal(JSON.parse(readFileSync(file, 'utf8')).url, 'http://127.0.0.1:2');
  assert.deepEqual(readdirSync(dir), ['ready.json']);
  removeReadyFile(file);
  removeReadyFile(file);
  assert.deepEqual(readdirSync(dir), []);
});

test('a JSON record is one line shaped like the logs, msg last', () => {
  const line = jsonRecord('localgraph listening on http://x/beta/', { event: 'ready', url: 'http://x' });
  assert.ok(line.endsWith('}\n') && !line.slice(0, -1).includes('\n'));
  const record = JSON.parse(line) as Record<string, unknown>;
  assert.equal(record.level, 30);
  assert.equal(record.event, 'ready');
  assert.equal(Object.keys(record).at(-1), 'msg');
});
