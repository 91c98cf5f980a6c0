// Renders the permission matrix (src/auth/permission-matrix.ts, compiled) into docs/identity.md between
// <!-- permissions:start --> and <!-- permissions:end -->. `npm run docs` runs it after the build;
// src/auth/permission-table.test.ts fails when the committed page is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { permissionMatrix } from '../dist/src/auth/permission-matrix.js';
import { renderPermissionTable, replaceTable } from '../dist/src/auth/permission-table.js';

const PAGE = 'docs/identity.md';
const page = readFileSync(PAGE, 'utf8');
const updated = replaceTable(page, renderPermissionTable(permissionMatrix));
if (updated !== page) writeFileSync(PAGE, updated);
console.log(updated === page ? `${PAGE} permission table is up to date` : `wrote the permission table into ${PAGE}`);
