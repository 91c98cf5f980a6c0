import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { errors, oauthErrors } from './errors.js';
import { ERRORS_END, ERRORS_START, renderErrorTables, replaceErrorTables } from './errors-doc.js';

// dist/src/graph/errors-doc.test.js → docs/errors.md at the repository root
const PAGE = fileURLToPath(new URL('../../../docs/errors.md', import.meta.url));

test('docs/errors.md holds the tables rendered from the catalog (run `npm run docs` when this fails)', () => {
  const page = readFileSync(PAGE, 'utf8');
  assert.equal(page, replaceErrorTables(page, renderErrorTables()));
});

test('one row per catalog entry, with its status, code and message (placeholders for its arguments)', () => {
  const rows = renderErrorTables()
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| situation') && !line.startsWith('| ---'));
  assert.equal(rows.length, Object.keys(errors).length + Object.keys(oauthErrors).length);
  assert.ok(
    rows.includes(
      '| a missing required property (named) | 400 | `Request_BadRequest` | ' +
        "A value is required for property '{property}' of resource '{resource}'. |",
    ),
  );
  assert.ok(
    rows.some((row) =>
      row.startsWith(
        '| the database unreachable (PostgreSQL) | 503 | `serviceNotAvailable` + `Retry-After: {retryAfterSeconds}` |',
      ),
    ),
  );
  assert.ok(rows.some((row) => row.includes('| 400 | `invalid_grant` (`consent_required`) | AADSTS65001 |')));
});

test('replaceErrorTables keeps what is around the markers and refuses a page without them', () => {
  const doc = `a\n${ERRORS_START}\nold\n${ERRORS_END}\nb\n`;
  assert.equal(replaceErrorTables(doc, 'new'), `a\n${ERRORS_START}\nnew\n${ERRORS_END}\nb\n`);
  assert.throws(() => replaceErrorTables('no markers', 'x'), /markers/);
});
