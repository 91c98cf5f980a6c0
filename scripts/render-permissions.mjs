// Renders the on-premises family's permission rows (each behaviour's, compiled) into docs/identity.md between
// <!-- permissions:start --> and <!-- permissions:end -->. `npm run docs` runs it after the build;
// src/auth/permission-table.test.ts fails when the committed page is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { familyRegistry } from '../dist/src/family/family.js';
import { onPremises } from '../dist/src/family/on-premises/on-premises.js';
import { renderPermissionTable, replaceTable } from '../dist/src/auth/permission-table.js';

const PAGE = 'docs/identity.md';
const page = readFileSync(PAGE, 'utf8');
const updated = replaceTable(page, renderPermissionTable(familyRegistry(onPremises).permissions()));
if (updated !== page) writeFileSync(PAGE, updated);
console.log(updated === page ? `${PAGE} permission table is up to date` : `wrote the permission table into ${PAGE}`);
