import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { renderJsonSchema, renderOptionsPage } from './option-docs.js';
import { SERVE_OPTIONS } from './serve-options.js';
import { serveHelp } from './serve.js';

const committed = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');

test('docs/options.md is what the definitions render (npm run docs rewrites it)', () => {
  assert.equal(
    committed('docs/options.md'),
    renderOptionsPage(SERVE_OPTIONS),
    'docs/options.md is stale: run npm run docs',
  );
});

test('schema/localgraph.schema.json is what the definitions render (npm run docs rewrites it)', () => {
  assert.equal(
    committed('schema/localgraph.schema.json'),
    renderJsonSchema(SERVE_OPTIONS),
    'the schema is stale: run npm run docs',
  );
});

test('the page, the schema and serve --help name every option with its variable', () => {
  const page = renderOptionsPage(SERVE_OPTIONS);
  const schema = JSON.parse(renderJsonSchema(SERVE_OPTIONS)) as {
    properties: Record<string, { type: string }>;
    additionalProperties: boolean;
  };
  assert.equal(schema.additionalProperties, false);
  for (const option of SERVE_OPTIONS) {
    const env = `LOCALGRAPH_${option.flag.toUpperCase().replaceAll('-', '_')}`;
    assert.ok(page.includes(`| \`--${option.flag}`) && page.includes(`\`${env}\``), option.flag);
    assert.ok(serveHelp.includes(`  --${option.flag}`) && serveHelp.includes(`$${env}`), option.flag);
    const key = option.flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    if (option.flag === 'config') assert.equal(schema.properties[key], undefined);
    else assert.equal(schema.properties[key].type, option.type === 'list' ? 'array' : option.type, option.flag);
  }
});
