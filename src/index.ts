/**
 * localgraph as a library: `import { startLocalgraph } from 'localgraph'` runs a server inside a
 * test suite's process (docs/library.md). The CLI is `localgraph` (src/cli/main.ts).
 */
export { startLocalgraph } from './library/start-localgraph.js';
export type { Localgraph, LocalgraphOptions, ResetOptions, TokenOptions } from './library/start-localgraph.js';
export type { Fixture, TenantFixture } from './admin/fixture.js';
export type { ImportSummary } from './admin/fixture-import.js';
export type { FaultRule } from './http/faults.js';
export type { AuthMode } from './auth/authenticator.js';
export type { LogLevel } from './http/logging.js';
export { DEV_CREDENTIALS } from './auth/dev-credentials.js';
