import { readFileSync } from 'node:fs';
import { parseDuration } from '../admin/durations.js';
import { DEFAULT_HEARTBEAT_TIMEOUT_MS } from '../admin/heartbeats.js';
import { GraphError } from '../graph/errors.js';
import { readFaultRules, type FaultRule } from '../http/faults.js';
import { defaultLogFormat, LOG_FORMATS, LOG_LEVELS, type LogFormat, type LogLevel } from '../http/logging.js';
import type { ControlSetup } from '../server/control-setup.js';
import { UsageError } from './usage.js';

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
  const seedDocument = values.seed === undefined ? undefined : readJsonFile(values.seed, '--seed');
  return {
    adminKey: adminKey === undefined ? undefined : { key: adminKey.trim(), source: adminKeySource },
    seedFile: values.seed,
    seedDocument,
    idSeed: values['id-seed'],
    freezeAt,
    faultsFile: values.faults,
    faultRules,
    heartbeats: { enabled: values['simulate-heartbeats'] === true, timeoutMs },
    logLevel,
    logFormat,
  };
}
