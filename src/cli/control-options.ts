import { readFileSync } from 'node:fs';
import { ensureAdminKey, type StoredAdminKey } from '../admin/admin-key.js';
import { ControlledClock } from '../admin/controlled-clock.js';
import { parseDuration, formatDuration } from '../admin/durations.js';
import { fixtureContext } from '../admin/fixture.js';
import { importFixture } from '../admin/fixture-import.js';
import { DEFAULT_HEARTBEAT_TIMEOUT_MS } from '../admin/heartbeats.js';
import { SeededIds } from '../admin/seeded-ids.js';
import { adoptDefaultTenant } from '../auth/identity.js';
import { GraphError } from '../graph/errors.js';
import type { AppOptions } from '../http/app.js';
import { FaultInjector, readFaultRules, type FaultRule } from '../http/faults.js';
import {
  defaultLogFormat,
  LOG_FORMATS,
  LOG_LEVELS,
  loggerOptions,
  type LogFormat,
  type LogLevel,
} from '../http/logging.js';
import type { Family } from '../family/family.js';
import type { Store } from '../store/store.js';
import { UsageError } from './usage.js';

/**
 * `serve`'s control-plane options (defined in serve-options.ts): the admin key, a fixture loaded
 * at start, the id seed and clock, fault rules, the heartbeat simulation and logs.
 */
export interface ControlSetup {
  /** `source`: how the banner names where the key was given (`--admin-key`, `$LOCALGRAPH_ADMIN_KEY`). */
  adminKey?: { key: string; source: string };
  seedFile?: string;
  /** The seed fixture itself (the library's `seed` option), instead of reading `seedFile`. */
  seedDocument?: unknown;
  idSeed?: string;
  freezeAt?: Date;
  faultsFile?: string;
  faultRules?: FaultRule[];
  heartbeats: { enabled: boolean; timeoutMs: number };
  logLevel: LogLevel;
  logFormat: LogFormat;
}

export interface ControlValues {
  'admin-key'?: string;
  seed?: string;
  'id-seed'?: string;
  'freeze-clock'?: string;
  faults?: string;
  'simulate-heartbeats'?: boolean;
  'heartbeat-timeout'?: string;
  'log-level'?: string;
  'log-format'?: string;
}

function readJsonFile(file: string, flag: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(
      `${flag} ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${flag} ${file}: not JSON (${(error as Error).message})`);
  }
}

/**
 * Reads and checks the options (their environment variables already merged in by the resolver);
 * a mistake is a {@link UsageError} (one line, exit 2). `adminKeySource` names where the admin
 * key came from.
 */
export function parseControlOptions(values: ControlValues, adminKeySource = '--admin-key'): ControlSetup {
  const adminKey = values['admin-key'];
  if (adminKey !== undefined && adminKey.trim().length < 8)
    throw new UsageError('the admin key must have at least 8 characters');
  let freezeAt: Date | undefined;
  if (values['freeze-clock'] !== undefined) {
    freezeAt = new Date(values['freeze-clock']);
    if (Number.isNaN(freezeAt.getTime()))
      throw new UsageError(`--freeze-clock must be an ISO 8601 date and time, not '${values['freeze-clock']}'`);
  }
  if (values['id-seed'] !== undefined && values['id-seed'].length === 0)
    throw new UsageError('--id-seed must not be empty');
  let timeoutMs = DEFAULT_HEARTBEAT_TIMEOUT_MS;
  if (values['heartbeat-timeout'] !== undefined) {
    const parsed = parseDuration(values['heartbeat-timeout']);
    if (parsed === undefined || parsed < 100)
      throw new UsageError(
        `--heartbeat-timeout must be a duration of at least 100ms (90s, 2m), not '${values['heartbeat-timeout']}'`,
      );
    if (!values['simulate-heartbeats']) throw new UsageError('--heartbeat-timeout goes with --simulate-heartbeats');
    timeoutMs = parsed;
  }
  const logLevel = (values['log-level'] ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel))
    throw new UsageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, not '${logLevel}'`);
  const logFormat = (values['log-format'] ?? defaultLogFormat()) as LogFormat;
  if (!LOG_FORMATS.includes(logFormat))
    throw new UsageError(`--log-format must be json or pretty, not '${values['log-format']}'`);
  let faultRules: FaultRule[] | undefined;
  if (values.faults !== undefined) {
    try {
      faultRules = readFaultRules(readJsonFile(values.faults, '--faults'));
    } catch (error) {
      if (error instanceof GraphError) throw new UsageError(`--faults ${values.faults}: ${error.message}`);
      throw error;
    }
  }
  if (values.seed !== undefined) readJsonFile(values.seed, '--seed');
  return {
    adminKey: adminKey === undefined ? undefined : { key: adminKey.trim(), source: adminKeySource },
    seedFile: values.seed,
    idSeed: values['id-seed'],
    freezeAt,
    faultsFile: values.faults,
    faultRules,
    heartbeats: { enabled: values['simulate-heartbeats'] === true, timeoutMs },
    logLevel,
    logFormat,
  };
}

/**
 * How the banner speaks of the admin key: the key itself only when this start made it (service
 * logs keep banners; a key in every one of them would be a key in every log reader's hands).
 */
function adminKeyLine(given: ControlSetup['adminKey'], stored: StoredAdminKey | undefined): string {
  if (given) return `with the key given by ${given.source}`;
  if (stored?.key) return `with key ${stored.key} (shown once; only its hash is kept)`;
  const how = 'lost it? localgraph admin-key new makes another, or start with --admin-key K';
  return stored?.migrated
    ? `with the key shown before (now kept as a hash only; ${how})`
    : `with the key shown at first start (${how})`;
}

export interface PreparedControlPlane {
  /** Spread into createApp's options. */
  appOptions: Pick<AppOptions, 'clock' | 'ids' | 'logger' | 'controlPlane'>;
  /** Banner lines, once the origin is known. */
  bannerLines(origin: string): string[];
}

/**
 * Loads the seed fixture (before the default identity is ensured, so the default app and user
 * exist whatever the fixture says), finds or makes the admin key, and builds the clock, ids and
 * fault injector the app is made with.
 */
export async function prepareControlPlane(
  setup: ControlSetup,
  store: Store,
  family: Family,
): Promise<PreparedControlPlane> {
  const clock = new ControlledClock();
  if (setup.freezeAt) clock.freeze(setup.freezeAt);
  const ids = new SeededIds(setup.idSeed);
  let seeded: string | undefined;
  if (setup.seedFile !== undefined || setup.seedDocument !== undefined) {
    try {
      const doc = setup.seedDocument ?? readJsonFile(setup.seedFile!, '--seed');
      const summary = await importFixture(store, fixtureContext(family), doc, {
        ids,
        now: clock.now(),
      });
      seeded = `${summary.tenants.length} tenant${summary.tenants.length === 1 ? '' : 's'}`;
      // Its first tenant becomes the default (before the default app and user are made there),
      // unless an earlier start chose one.
      const first = summary.tenants[0]?.id;
      if (first !== undefined) {
        const chosen = await adoptDefaultTenant(store, first);
        seeded +=
          chosen === first.toLowerCase()
            ? `; ${first} is the default tenant`
            : `; the default tenant stays ${chosen}, chosen before`;
      }
    } catch (error) {
      if (error instanceof GraphError)
        throw new Error(`${setup.seedFile !== undefined ? `--seed ${setup.seedFile}` : 'seed'}: ${error.message}`);
      throw error;
    }
  }
  const stored = setup.adminKey ? undefined : await ensureAdminKey(store);
  const faults = new FaultInjector(setup.faultRules ?? []);
  return {
    appOptions: {
      clock,
      ids,
      logger: loggerOptions(setup.logLevel, setup.logFormat),
      controlPlane: {
        ...(setup.adminKey ? { adminKey: setup.adminKey.key } : { adminKeyHash: stored!.hash }),
        faults,
        heartbeats: setup.heartbeats,
      },
    },
    bannerLines(origin) {
      const lines = [
        `  health: ${origin}/health`,
        `  admin: ${origin}/_admin/ ${adminKeyLine(setup.adminKey, stored)} (localgraph admin --help)`,
      ];
      if (seeded) lines.push(`  seed: ${setup.seedFile} loaded (${seeded})`);
      if (setup.idSeed !== undefined) lines.push(`  ids: deterministic, seed '${setup.idSeed}'`);
      if (setup.freezeAt) lines.push(`  clock: frozen at ${setup.freezeAt.toISOString()}`);
      if (setup.faultRules)
        lines.push(
          `  faults: ${setup.faultRules.length} rule${setup.faultRules.length === 1 ? '' : 's'} from ${setup.faultsFile} (Graph surface only)`,
        );
      if (setup.heartbeats.enabled)
        lines.push(`  heartbeats: simulated; inactive after ${formatDuration(setup.heartbeats.timeoutMs)} without one`);
      lines.push(`  logs: ${setup.logLevel === 'silent' ? 'off' : `${setup.logLevel}, ${setup.logFormat}`}`);
      return lines;
    },
  };
}
