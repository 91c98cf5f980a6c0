import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Entity } from '../../store/store.js';
import type { BoundFilter } from './bound-filter.js';
import { filterToSql } from './filter-sql.js';
import { parseFilter } from './index.js';
import {
  afterCondition,
  cursorValues,
  decodeCursor,
  encodeCursor,
  orderBySql,
  queryHash,
  type CursorValue,
} from './keyset.js';
import { parseOrderBy, type OrderKey } from './orderby.js';
import { asciiLower } from '../../store/sql-functions.js';
import { keysetApplications, seedKeysetData, walkSpecs, type WalkSpec } from './test-data.js';
import { model, openTestDb, tables, TENANT, type TestDb, badRequest } from './test-fixtures.js';
import { sqliteDialect } from '../../store/sqlite-dialect.js';

const INVALID = 'The $skiptoken is not valid. Use the @odata.nextLink of a previous page as it is.';

describe('cursor tokens', () => {
  const hash = queryHash(undefined, parseOrderBy(undefined, tables.connectors.type, model));
  const samples: CursorValue[][] = [
    ['c1'],
    [null, 'c1'],
    ['ünïcødé ✓ / ? & = #', true, false, 0, -1.5, null, "it's"],
    ['', 'x'.repeat(2000)],
  ];
  for (const values of samples) {
    test(`round trip of ${JSON.stringify(values).slice(0, 60)}`, () => {
      const token = encodeCursor(values, hash);
      assert.match(token, /^[A-Za-z0-9_-]+$/, 'URL-safe without encoding');
      assert.deepEqual(decodeCursor(token, hash), values);
    });
  }

  test('an edited token is refused', () => {
    const token = encodeCursor(['alpha', 'c1'], hash);
    const body = JSON.parse(Buffer.from(token, 'base64url').toString()) as { k: CursorValue[] };
    body.k[0] = 'beta';
    const edited = Buffer.from(JSON.stringify(body)).toString('base64url');
    assert.throws(() => decodeCursor(edited, hash), badRequest(INVALID));
    for (let i = 0; i < token.length; i += 7) {
      const flipped = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
      assert.throws(() => decodeCursor(flipped, hash), badRequest(/\$skiptoken/), `flipped at ${i}`);
    }
  });

  const malformed: [string, string][] = [
    ['empty', ''],
    ['garbage', 'not a token at all'],
    ['base64 of garbage', Buffer.from('{{{').toString('base64url')],
    ['JSON but not an object', Buffer.from('42').toString('base64url')],
    ['JSON null', Buffer.from('null').toString('base64url')],
    [
      'an id-only v1 token of an earlier localgraph',
      Buffer.from(JSON.stringify({ v: 1, after: 'c1' })).toString('base64url'),
    ],
    ['another version', Buffer.from(JSON.stringify({ v: 3, q: hash, k: ['c1'], s: 'x' })).toString('base64url')],
    ['values not an array', Buffer.from(JSON.stringify({ v: 2, q: hash, k: 'c1', s: 'x' })).toString('base64url')],
    ['object values', Buffer.from(JSON.stringify({ v: 2, q: hash, k: [{}], s: 'x' })).toString('base64url')],
    ['too long', 'A'.repeat(20000)],
    ['truncated', encodeCursor(['c1'], hash).slice(0, -3)],
  ];
  for (const [what, token] of malformed) {
    test(`${what} is refused`, () => assert.throws(() => decodeCursor(token, hash), badRequest(INVALID)));
  }

  test('a token from another query is refused', () => {
    const other = queryHash(undefined, parseOrderBy('machineName', tables.connectors.type, model));
    assert.throws(
      () => decodeCursor(encodeCursor(['c1'], other), hash),
      badRequest(
        /^The \$skiptoken belongs to another query\. Keep \$filter and \$orderby as they are in the @odata\.nextLink/,
      ),
    );
  });

  test('the query hash follows meaning, not spelling', () => {
    const type = tables.connectors.type;
    const keys = parseOrderBy('machineName desc', type, model);
    const h = (filter: string | undefined, orderby: string | undefined, context = '') =>
      queryHash(
        filter === undefined ? undefined : parseFilter(filter, type, model),
        parseOrderBy(orderby, type, model),
        context,
      );
    assert.equal(
      queryHash(parseFilter("MachineName eq 'x'", type, model), keys),
      queryHash(parseFilter("'x' eq machineName", type, model), keys),
    );
    assert.equal(h("status eq 'Active'", 'MACHINENAME DESC'), h("status eq 'active'", 'machineName desc'));
    assert.notEqual(h("status eq 'active'", 'machineName desc'), h("status eq 'inactive'", 'machineName desc'));
    assert.notEqual(h(undefined, 'machineName desc'), h(undefined, 'machineName'));
    assert.notEqual(h(undefined, undefined), h("status eq 'active'", undefined));
    assert.notEqual(h(undefined, undefined, '/connectors'), h(undefined, undefined, '/connectorGroups/g1/members'));
    assert.match(h(undefined, undefined), /^[A-Za-z0-9_-]{22}$/);
  });

  test('cursor values with the wrong shape for the keys are refused', () => {
    const bad: CursorValue[][] = [
      ['a', null],
      ['a', null, null],
      [5, null, 'id'],
      ['a', true, 'id'],
      ['a', null, 7],
    ].map((v) => v as CursorValue[]);
    const appKeys = parseOrderBy('displayName, createdDateTime', tables.applications.type, model);
    for (const values of bad) {
      assert.throws(
        () => afterCondition(appKeys, values, tables.applications, sqliteDialect),
        badRequest(INVALID),
        JSON.stringify(values),
      );
    }
    const boolKeys = parseOrderBy('onPremisesPublishing/isSecureCookieEnabled', tables.applications.type, model);
    assert.throws(
      () => afterCondition(boolKeys, ['true', 'id'], tables.applications, sqliteDialect),
      badRequest(INVALID),
    );
    const numberKeys = parseOrderBy('port', tables.ipApplicationSegments.type, model);
    assert.throws(
      () => afterCondition(numberKeys, ['443', 'id'], tables.ipApplicationSegments, sqliteDialect),
      badRequest(INVALID),
    );
  });

  test('cursor values are read from entities by model path, complex values as objects', () => {
    const keys = parseOrderBy(
      'onPremisesPublishing/externalUrl desc, displayName, onPremisesPublishing/singleSignOnSettings/singleSignOnMode',
      tables.applications.type,
      model,
    );
    assert.deepEqual(
      cursorValues(keys, {
        id: 'a1',
        displayName: 'X',
        onPremisesPublishing: { externalUrl: 'https://x', singleSignOnSettings: { singleSignOnMode: 'saml' } },
      }),
      ['https://x', 'X', 'saml', 'a1'],
    );
    assert.deepEqual(cursorValues(keys, { id: 'a2', displayName: null, onPremisesPublishing: null }), [
      null,
      null,
      null,
      'a2',
    ]);
    assert.deepEqual(cursorValues(keys, { id: 'a3', onPremisesPublishing: { singleSignOnSettings: null } }), [
      null,
      null,
      null,
      'a3',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Keyset walks on SQLite over data full of duplicates, case variants, NULLs and equal instants.

let t: TestDb;

before(async () => {
  t = await openTestDb();
  await seedKeysetData(t.insert);
});

after(async () => {
  await t.close();
});

/** The documented order, computed in JS: a reference for what ORDER BY must produce. */
function referenceOrder(keys: OrderKey[], rows: Entity[]): string[] {
  const byteCompare = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
  const sortValue = (key: OrderKey, value: CursorValue): string | number | null => {
    if (value === null) return null;
    switch (key.kind) {
      case 'string':
        return asciiLower(String(value));
      case 'boolean':
        return value ? 1 : 0;
      case 'dateTimeOffset':
        return Date.parse(String(value));
      case 'enum':
        return key.enumType!.decl.members.find((m) => m.name === value)?.value ?? null;
      default:
        return value as string | number;
    }
  };
  const decorated = rows.map((row) => ({
    id: String(row.id),
    values: cursorValues(keys, row).map((v, i) => sortValue(keys[i], v)),
  }));
  decorated.sort((x, y) => {
    for (const [i, key] of keys.entries()) {
      const [a, b] = [x.values[i], y.values[i]];
      if (a === b) continue;
      let c: number;
      if (a === null) c = -1;
      else if (b === null) c = 1;
      else if (typeof a === 'string' && typeof b === 'string') c = byteCompare(a, b);
      else c = (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
      if (c !== 0) return key.descending ? -c : c;
    }
    return 0;
  });
  return decorated.map((d) => d.id);
}

async function walk(w: WalkSpec, pageSize: number): Promise<{ ids: string[]; pages: number }> {
  const keys = parseOrderBy(w.orderby, w.table.type, model);
  const filter: BoundFilter | undefined =
    w.filter === undefined ? undefined : parseFilter(w.filter, w.table.type, model);
  const hash = queryHash(filter, keys, w.table.table);
  const order = orderBySql(keys, w.table, t.db.dialect);
  const ids: string[] = [];
  let token: string | undefined;
  let pages = 0;
  for (;;) {
    const conditions = [];
    if (filter) conditions.push(filterToSql(filter, w.table, t.db.dialect));
    if (token !== undefined) conditions.push(afterCondition(keys, decodeCursor(token, hash), w.table, t.db.dialect));
    const where =
      conditions.length === 0
        ? undefined
        : { sql: conditions.map((c) => `(${c.sql})`).join(' AND '), params: conditions.flatMap((c) => c.params) };
    const page = await t.ids(w.table, w.scope, where, order, pageSize);
    pages++;
    ids.push(...page);
    if (page.length < pageSize) return { ids, pages };
    const last = await t.store.get(w.table, w.scope, page[page.length - 1]);
    token = encodeCursor(cursorValues(keys, last!), hash);
    if (pages > 1000) throw new Error('walk does not end');
  }
}

describe('keyset walks on SQLite return every row exactly once, in order', () => {
  for (const w of walkSpecs) {
    test(`${w.table.table} $orderby=${w.orderby ?? '(none)'}${w.filter ? ` $filter=${w.filter}` : ''}`, async () => {
      const keys = parseOrderBy(w.orderby, w.table.type, model);
      const filter = w.filter === undefined ? undefined : parseFilter(w.filter, w.table.type, model);
      const where = filter ? filterToSql(filter, w.table, t.db.dialect) : undefined;
      const all = await t.ids(w.table, w.scope, where, orderBySql(keys, w.table, t.db.dialect));
      const matching = (await t.ids(w.table, w.scope, where)).sort();
      assert.ok(all.length > 5, 'enough rows to page through');
      // The ORDER BY is the documented order.
      const rows = w.rows.filter((r) => matching.includes(String(r.id)));
      assert.deepEqual(all, referenceOrder(keys, rows));
      for (const size of [1, 2, 3, 7, 50, 1000]) {
        const { ids, pages } = await walk(w, size);
        assert.deepEqual(ids, all, `page size ${size}`);
        assert.equal(new Set(ids).size, ids.length, 'no repeats');
        assert.equal(pages, Math.floor(all.length / size) + 1);
      }
    });
  }

  test('rows inserted or deleted during a walk neither repeat nor push others out', async () => {
    const w: WalkSpec = {
      table: tables.applications,
      scope: { tenantId: TENANT },
      rows: keysetApplications,
      orderby: 'displayName desc, createdDateTime',
    };
    const keys = parseOrderBy(w.orderby, w.table.type, model);
    const hash = queryHash(undefined, keys, w.table.table);
    const order = orderBySql(keys, w.table, t.db.dialect);
    const first = await t.ids(w.table, w.scope, undefined, order, 10);
    const last = await t.store.get(w.table, w.scope, first[9]);
    const token = encodeCursor(cursorValues(keys, last!), hash);
    // Before the cursor: not seen by the rest of the walk. After it: seen.
    await t.insert(tables.applications, w.scope, {
      id: 'zz-before',
      appId: 'zz-before',
      displayName: 'ZZZZ',
      createdDateTime: null,
    });
    await t.insert(tables.applications, w.scope, {
      id: 'zz-after',
      appId: 'zz-after',
      displayName: null,
      createdDateTime: null,
    });
    await t.store.delete(tables.applications, w.scope, first[3]);
    try {
      const rest = await t.ids(
        w.table,
        w.scope,
        afterCondition(keys, decodeCursor(token, hash), w.table, t.db.dialect),
        order,
      );
      const everything = await t.ids(w.table, w.scope, undefined, order);
      assert.ok(!rest.includes('zz-before'));
      assert.ok(rest.includes('zz-after'));
      assert.deepEqual(rest, everything.slice(everything.indexOf(first[9]) + 1));
      assert.ok(first.every((id) => !rest.includes(id)));
    } finally {
      await t.store.delete(tables.applications, w.scope, 'zz-before');
      await t.store.delete(tables.applications, w.scope, 'zz-after');
      const deleted = keysetApplications.find((a) => a.id === first[3])!;
      await t.insert(tables.applications, w.scope, deleted);
    }
  });

  test('the after-condition for a NULL in a descending key skips to later keys', () => {
    const keys = parseOrderBy('displayName desc', tables.applications.type, model);
    assert.deepEqual(afterCondition(keys, [null, 'a1'], tables.applications, sqliteDialect), {
      sql: '(lower(applications.display_name) IS NULL AND applications.id > ?)',
      params: ['a1'],
    });
    const asc = parseOrderBy('displayName', tables.applications.type, model);
    assert.deepEqual(afterCondition(asc, ['Beta', 'a1'], tables.applications, sqliteDialect), {
      sql: '(lower(applications.display_name) > ? OR (lower(applications.display_name) = ? AND applications.id > ?))',
      params: ['beta', 'beta', 'a1'],
    });
  });
});
