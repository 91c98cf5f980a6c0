// Writes the generated documentation (docs/coverage.md) from the compiled model and behaviour
// modules. `npm run docs` runs it; a unit test fails when the committed file is stale.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { graphModel } from '../dist/src/http/app.js';
import { ResourceRegistry } from '../dist/src/resources/registry.js';
import { renderCoverage } from '../dist/src/resources/coverage.js';
import { permissionMatrix } from '../dist/src/auth/permission-matrix.js';

mkdirSync('docs', { recursive: true });
// Which official SDK sent each operation: written by `npm run test:clients -- --write-coverage`.
const sdks = JSON.parse(readFileSync('docs/sdk-coverage.json', 'utf8'));
writeFileSync('docs/coverage.md', renderCoverage(graphModel, new ResourceRegistry(graphModel), permissionMatrix, sdks));
console.log('wrote docs/coverage.md');
