// Writes the generated documentation from the compiled sources: docs/coverage.md from the model
// and behaviour modules, the tables of docs/errors.md from the error catalog. `npm run docs` runs
// it; unit tests fail when a committed page is stale (coverage.test.ts, errors-doc.test.ts).
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { familyModel, familyRegistry } from '../dist/src/family/family.js';
import { onPremises } from '../dist/src/family/on-premises/on-premises.js';
import { renderCoverage } from '../dist/src/resources/coverage.js';
import { renderErrorTables, replaceErrorTables } from '../dist/src/graph/errors-doc.js';

mkdirSync('docs', { recursive: true });
// Which official SDK sent each operation: written by `npm run test:clients -- --write-coverage`.
const sdks = JSON.parse(readFileSync('docs/sdk-coverage.json', 'utf8'));
writeFileSync('docs/coverage.md', renderCoverage(familyModel(onPremises), familyRegistry(onPremises), sdks));
console.log('wrote docs/coverage.md');

const errorsPage = readFileSync('docs/errors.md', 'utf8');
writeFileSync('docs/errors.md', replaceErrorTables(errorsPage, renderErrorTables()));
console.log('wrote the error tables of docs/errors.md');
