import { createConnector } from './create-connector.js';
import type { Scenario } from './scenario.js';

/** Every scenario, in the order they run. BENCH_SCENARIOS="create connector,..." picks some. */
export const scenarios: Scenario[] = [createConnector];
