import { asUsersRunIt } from './as-users-run-it.js';
import { consoleFirstView } from './console-first-view.js';
import { createConnector } from './create-connector.js';
import { filteredPageScale } from './filtered-page-scale.js';
import { listTop100 } from './list-top-100.js';
import { mixedLoad } from './mixed-load.js';
import { jsonServerCreate } from './json-server-create.js';
import { postgresCreateConnector } from './postgres-create-connector.js';
import { postgresListTop100 } from './postgres-list-top-100.js';
import { proxy } from './proxy.js';
import type { Suite } from './scenario.js';

/** Every suite, in the order they run. BENCH_SCENARIOS="create-connector,list-top-100" picks some. */
export const suites: Suite[] = [
  createConnector,
  listTop100,
  asUsersRunIt,
  filteredPageScale,
  postgresCreateConnector,
  postgresListTop100,
  jsonServerCreate,
  mixedLoad,
  consoleFirstView,
  proxy,
];
