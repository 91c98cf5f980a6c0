// Writes docs/options.md and schema/localgraph.schema.json from serve's option definitions
// (src/cli/serve-options.ts). `npm run docs` runs it; a unit test fails when either is stale.
import { mkdirSync, writeFileSync } from 'node:fs';
import { renderJsonSchema, renderOptionsPage } from '../dist/src/cli/option-docs.js';
import { SERVE_OPTIONS } from '../dist/src/cli/serve-options.js';

mkdirSync('docs', { recursive: true });
mkdirSync('schema', { recursive: true });
writeFileSync('docs/options.md', renderOptionsPage(SERVE_OPTIONS));
writeFileSync('schema/localgraph.schema.json', renderJsonSchema(SERVE_OPTIONS));
console.log('wrote docs/options.md and schema/localgraph.schema.json');
