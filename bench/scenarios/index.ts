import { createConnector } from './create-connector.js';
import { filteredPageScale } from './filtered-page-scale.js';
import { listTop100 } from './list-top-100.js';
import type { Suite } from './scenario.js';

/** Every suite, in the order they run. BENCH_SCENARIOS="create-connector,list-top-100" picks some. */
export const suites: Suite[] = [createConnector, listTop100, filteredPageScale];
