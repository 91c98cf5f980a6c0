import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CollectionBehaviour, Relationship } from './collection.js';
import { dataTables } from './data-tables.js';

/** A behaviour reduced to what dataTables reads: its path, its table, its relationships. */
function behaviour(
  path: string,
  table: string,
  relationships: Record<string, Pick<Relationship, 'target' | 'storage'>> = {},
): CollectionBehaviour {
  return { path, table: { table }, relationships } as unknown as CollectionBehaviour;
}

function ordered(behaviours: CollectionBehaviour[]): string[] {
  return dataTables(behaviours, (path) => behaviours.find((b) => b.path === path));
}

const before = (tables: string[], first: string, second: string) =>
  assert.ok(tables.indexOf(first) < tables.indexOf(second), `${first} before ${second} in ${tables.join(', ')}`);

test('a table comes before the tables it refers to: column holders, contained collections, link tables', () => {
  const tables = ordered([
    behaviour('groups', 'groups', {
      members: { target: 'items', storage: { kind: 'targetColumn', column: 'group_id' } },
    }),
    behaviour('items', 'items', {
      memberOf: { target: 'groups', storage: { kind: 'sourceColumn', column: 'group_id' } },
    }),
    behaviour('items/parts', 'parts'),
    behaviour('tags', 'tags', {
      items: {
        target: 'items',
        storage: { kind: 'link', table: 'tag_items', sourceColumn: 'tag_id', targetColumn: 'item_id' },
      },
    }),
  ]);
  assert.deepEqual([...tables].sort(), ['groups', 'items', 'parts', 'tag_items', 'tags']);
  before(tables, 'items', 'groups');
  before(tables, 'parts', 'items');
  before(tables, 'tag_items', 'tags');
  before(tables, 'tag_items', 'items');
});

test('each table once, whatever shares it; the registration order where nothing constrains it', () => {
  const tables = ordered([behaviour('a', 'a'), behaviour('b', 'b'), behaviour('hidden', 'a')]);
  assert.deepEqual(tables, ['a', 'b']);
});

test('a relationship to no collection, or tables referring to each other in a cycle, are refused', () => {
  assert.throws(
    () => ordered([behaviour('a', 'a', { x: { target: 'nowhere', storage: { kind: 'sourceColumn', column: 'x' } } })]),
    /names no collection/,
  );
  assert.throws(
    () =>
      ordered([
        behaviour('a', 'a', { b: { target: 'b', storage: { kind: 'sourceColumn', column: 'b_id' } } }),
        behaviour('b', 'b', { a: { target: 'a', storage: { kind: 'sourceColumn', column: 'a_id' } } }),
      ]),
    /cycle/,
  );
});
