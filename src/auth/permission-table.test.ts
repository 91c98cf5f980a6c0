import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { familyRegistry } from '../family/family.js';
import { onPremises } from '../family/on-premises/on-premises.js';
import { renderPermissionTable, replaceTable, TABLE_END, TABLE_START } from './permission-table.js';

const permissionRows = familyRegistry(onPremises).permissions();
// dist/src/auth/permission-table.test.js → docs/identity.md at the repository root
const PAGE = fileURLToPath(new URL('../../../docs/identity.md', import.meta.url));

test('the permission table of docs/identity.md is the one rendered from the matrix (run `npm run docs` when this fails)', () => {
  const page = readFileSync(PAGE, 'utf8');
  assert.equal(page, replaceTable(page, renderPermissionTable(permissionRows)));
});

test('the table has one row per matrix row, with "not supported" for an empty side', () => {
  const table = renderPermissionTable(permissionRows).split('\n');
  assert.equal(table.length, permissionRows.length + 2);
  const connectorsList = table.find((line) =>
    line.startsWith('| GET | `/onPremisesPublishingProfiles/{id}/connectors` |'),
  );
  assert.ok(connectorsList);
  assert.match(connectorsList, /\| Directory\.ReadWrite\.All \| not supported \|/);
  const profile = table.find((line) => line.startsWith('| GET | `/onPremisesPublishingProfiles/{id}` |'));
  assert.match(
    profile!,
    /Policy\.Read\.HybridAuthentication; higher: Policy\.ReadWrite\.HybridAuthentication, Directory\.ReadWrite\.All/,
  );
});

test('replaceTable keeps what is around the markers and refuses a page without them', () => {
  const doc = `a\n${TABLE_START}\nold\n${TABLE_END}\nb\n`;
  assert.equal(replaceTable(doc, 'new'), `a\n${TABLE_START}\nnew\n${TABLE_END}\nb\n`);
  assert.equal(replaceTable(replaceTable(doc, 'new'), 'new'), replaceTable(doc, 'new'));
  assert.throws(() => replaceTable('no markers', 'x'), /markers/);
});
