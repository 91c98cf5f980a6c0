import type { StoredAdminKey } from '../admin/admin-key.js';
import { ensureAdminKey } from '../admin/admin-key.js';
import { ControlledClock } from '../admin/controlled-clock.js';
import { formatDuration } from '../admin/durations.js';
import { fixtureContext } from '../admin/fixture.js';
import { importFixture } from '../admin/fixture-import.js';
import { SeededIds } from '../admin/seeded-ids.js';
import { adoptDefaultTenant } from '../auth/identity.js';
import type { Family } from '../family/family.js';
import { GraphError } from '../graph/errors.js';
import type { AppOptions } from '../http/app.js';
import { FaultInjector, type FaultRule } from '../http/faults.js';
import { loggerOptions, type LogFormat, type LogLevel } from '../http/logging.js';
import type { Store } from '../store/store.js';

/**
 * The control plane a server starts with, as `serve`'s options (src/cli/control-options.ts) or the
 * library's give it: the admin key, a fixture loaded
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
  if (setup.seedDocument !== undefined) {
    try {
      const summary = await importFixture(store, fixtureContext(family), setup.seedDocument, {
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
      if (setup.faultRules) {
        const rules = `${setup.faultRules.length} rule${setup.faultRules.length === 1 ? '' : 's'}`;
        lines.push(`  faults: ${rules} from ${setup.faultsFile} (Graph surface only)`);
      }
      if (setup.heartbeats.enabled)
        lines.push(`  heartbeats: simulated; inactive after ${formatDuration(setup.heartbeats.timeoutMs)} without one`);
      lines.push(`  logs: ${setup.logLevel === 'silent' ? 'off' : `${setup.logLevel}, ${setup.logFormat}`}`);
      return lines;
    },
  };
}
