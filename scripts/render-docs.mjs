// Writes the generated documentation (docs/coverage.md) from the compiled model and behaviour
// modules. `npm run docs` runs it; a unit test fails when the committed file is stale.
import { writeFileSync, mkdirSync } from 'node:fs';
import { graphModel } from '../dist/src/http/app.js';
import { ResourceRegistry } from '../dist/src/resources/registry.js';
import { renderCoverage } from '../dist/src/resources/coverage.js';
import { permissionMatrix } from '../dist/src/auth/permission-matrix.js';

mkdirSync('docs', { recursive: true });
writeFileSync('docs/coverage.md', renderCoverage(graphModel, new ResourceRegistry(graphModel), permissionMatrix));
console.log('wrote docs/coverage.md');
