// Renders the permission matrix (src/auth/permission-matrix.ts, compiled) into README.md between
// <!-- permissions:start --> and <!-- permissions:end -->. `npm run docs` runs it after the build;
// src/auth/permission-table.test.ts fails when the committed README is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { permissionMatrix } from '../dist/src/auth/permission-matrix.js';
import { renderPermissionTable, replaceTable } from '../dist/src/auth/permission-table.js';

const readme = readFileSync('README.md', 'utf8');
const updated = replaceTable(readme, renderPermissionTable(permissionMatrix));
if (updated !== readme) writeFileSync('README.md', updated);
console.log(updated === readme ? 'README.md permission table is up to date' : 'wrote the permission table into README.md');
