import { readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { configKey, envName, parseArgsOptions, type OptionDefinition, type OptionValue } from './option-definitions.js';
import { UsageError } from './usage.js';

/**
 * Where a command's options come from, strongest first: the command line, the environment
 * (`LOCALGRAPH_<FLAG>`), the config file (`--config FILE`), the definitions' defaults. Each
 * source is checked against the definitions on its own terms (a flag's text, an environment
 * variable's text, a JSON value), and a mistake names where it was made.
 */
export type SourceKind = 'flag' | 'env' | 'file' | 'default';

export interface Source {
  kind: SourceKind;
  /** How a message names it: `--port`, `LOCALGRAPH_PORT`, `localgraph.json: port`. */
  name: string;
}

export interface ResolvedOptions {
  /** By flag, as node's parseArgs would give them (integers as their decimal text). */
  values: Record<string, OptionValue | undefined>;
  /** Where each set value came from. */
  sources: Record<string, Source>;
}

/** A config file as read: its path (as given) and its parsed JSON. */
export interface ConfigFile {
  path: string;
  content: unknown;
}

export interface OptionSources {
  /** The command line's values by flag (parseArgs' output). */
  flags: Record<string, OptionValue | undefined>;
  env: NodeJS.ProcessEnv;
  file?: ConfigFile;
  /**
   * Options that exclude each other (`--data`, `--database-url`, `--in-memory`): the strongest
   * source that sets one of them decides, and what weaker sources say of the others is set
   * aside (`--in-memory` on the command line wins over `LOCALGRAPH_DATA`). Two of them in the
   * same source are a mistake.
   */
  exclusive?: readonly (readonly string[])[];
}

const RANK: Record<SourceKind, number> = { flag: 0, env: 1, file: 2, default: 3 };

/** Parses a command line strictly by the definitions (plus `-h, --help`); a mistake is a {@link UsageError}. */
export function parseFlags(
  args: string[],
  options: readonly OptionDefinition[],
): Record<string, OptionValue | undefined> {
  const known = new Set(['-h', '--help', ...options.map((o) => `--${o.flag}`)]);
  const takesValue = new Set(options.filter((o) => o.type !== 'boolean').map((o) => `--${o.flag}`));
  // `--port -1`: parseArgs refuses a value that starts with a dash as ambiguous; joined, the
  // value reaches the option's own check, which says what is wrong with it.
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const next = args[i + 1];
    if (takesValue.has(args[i]) && next?.startsWith('-') && !known.has(next.split('=')[0])) {
      joined.push(`${args[i]}=${next}`);
      i++;
    } else joined.push(args[i]);
  }
  try {
    return parseArgs({
      args: joined,
      options: { help: { type: 'boolean', short: 'h' }, ...parseArgsOptions(options) },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]);
  }
}

/** Reads `--config FILE`: JSON, one object; a mistake is a {@link UsageError} naming the file. */
export function readConfigFile(path: string, given = '--config'): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `${given} ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
    );
  }
  let content: unknown;
  try {
    content = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${given} ${path}: not JSON (${(error as Error).message})`);
  }
  if (typeof content !== 'object' || content === null || Array.isArray(content))
    throw new UsageError(`${given} ${path}: must hold one JSON object of options`);
  return { path, content };
}

/** Every option's value and source, strongest source first; a mistake is a {@link UsageError}. */
export function resolveOptions(options: readonly OptionDefinition[], sources: OptionSources): ResolvedOptions {
  const layers: { kind: SourceKind; values: Map<string, { value: OptionValue; name: string }> }[] = [
    { kind: 'flag', values: fromFlags(options, sources.flags) },
    { kind: 'env', values: fromEnv(options, sources.env) },
    { kind: 'file', values: sources.file ? fromFile(options, sources.file) : new Map() },
  ];
  for (const group of sources.exclusive ?? []) {
    const claims = (layer: (typeof layers)[number]) => group.filter((flag) => isSet(layer.values.get(flag)?.value));
    const strongest = layers.find((layer) => claims(layer).length > 0);
    if (!strongest) continue;
    const claimed = claims(strongest);
    if (claimed.length > 1)
      throw new UsageError(
        `${claimed.map((flag) => strongest.values.get(flag)!.name).join(' and ')} exclude each other`,
      );
    for (const layer of layers)
      if (RANK[layer.kind] > RANK[strongest.kind]) for (const flag of group) layer.values.delete(flag);
  }
  const values: ResolvedOptions['values'] = {};
  const chosen: ResolvedOptions['sources'] = {};
  for (const option of options) {
    const layer = layers.find((l) => l.values.has(option.flag));
    if (layer) {
      const { value, name } = layer.values.get(option.flag)!;
      values[option.flag] = value;
      chosen[option.flag] = { kind: layer.kind, name };
    } else if (option.default !== undefined) {
      values[option.flag] = typeof option.default === 'number' ? String(option.default) : option.default;
      chosen[option.flag] = { kind: 'default', name: `the default of --${option.flag}` };
    }
  }
  return { values, sources: chosen };
}

function isSet(value: OptionValue | undefined): boolean {
  return value !== undefined && value !== false && !(Array.isArray(value) && value.length === 0);
}

function fromFlags(options: readonly OptionDefinition[], flags: OptionSources['flags']) {
  const found = new Map<string, { value: OptionValue; name: string }>();
  for (const option of options) {
    const value = flags[option.flag];
    if (value === undefined) continue;
    const name = `--${option.flag}`;
    found.set(option.flag, {
      value: Array.isArray(value) || typeof value === 'boolean' ? value : checkText(option, value, name),
      name,
    });
  }
  return found;
}

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);

function fromEnv(options: readonly OptionDefinition[], env: NodeJS.ProcessEnv) {
  const found = new Map<string, { value: OptionValue; name: string }>();
  for (const option of options) {
    const name = envName(option);
    const text = env[name];
    // An empty variable is an unset one (`LOCALGRAPH_PORT= localgraph serve`).
    if (text === undefined || text === '') continue;
    let value: OptionValue;
    if (option.type === 'boolean') {
      if (TRUE.has(text.toLowerCase())) value = true;
      else if (FALSE.has(text.toLowerCase())) value = false;
      else throw new UsageError(`${name} must be true or false (1 or 0), not '${text}'`);
    } else if (option.type === 'list') value = text.split(/\s+/).filter(Boolean);
    else value = checkText(option, text, name);
    found.set(option.flag, { value, name });
  }
  return found;
}

/** A string or integer given as text (a flag's or a variable's value), checked; integers canonical. */
function checkText(option: OptionDefinition, text: string, name: string): string {
  if (option.type === 'integer') {
    const n = Number(text);
    if (!/^\d+$/.test(text) || n < (option.min ?? 0) || n > (option.max ?? Number.MAX_SAFE_INTEGER))
      throw new UsageError(`${name} ${integerRule(option)}, not '${text}'`);
    return String(n);
  }
  if (option.choices && !option.choices.includes(text))
    throw new UsageError(`${name} must be one of ${option.choices.join(', ')}, not '${text}'`);
  return text;
}

function integerRule(option: OptionDefinition): string {
  const min = option.min ?? 0;
  return option.max === undefined
    ? `must be a whole number of at least ${min}`
    : `must be a whole number from ${min} to ${option.max}`;
}

function fromFile(options: readonly OptionDefinition[], file: ConfigFile) {
  const found = new Map<string, { value: OptionValue; name: string }>();
  const byKey = new Map(options.filter((o) => !o.notInFile).map((o) => [configKey(o), o]));
  const label = basename(file.path);
  for (const [key, raw] of Object.entries(file.content as Record<string, unknown>)) {
    // Editors find the schema through it (schema/localgraph.schema.json).
    if (key === '$schema') continue;
    const option = byKey.get(key);
    if (!option) {
      const near = nearest(key, [...byKey.keys()]);
      throw new UsageError(
        `${file.path}: unknown key '${key}'${near ? ` (did you mean '${near}'?)` : ''}; the keys are listed in docs/options.md`,
      );
    }
    const name = `${label}: ${key}`;
    const wrong = (expected: string) =>
      new UsageError(`${file.path}: '${key}' must be ${expected}, not ${describeJson(raw)}`);
    let value: OptionValue;
    if (option.type === 'boolean') {
      if (typeof raw !== 'boolean') throw wrong('true or false');
      value = raw;
    } else if (option.type === 'integer') {
      const n = raw as number;
      if (
        typeof raw !== 'number' ||
        !Number.isInteger(n) ||
        n < (option.min ?? 0) ||
        n > (option.max ?? Number.MAX_SAFE_INTEGER)
      ) {
        throw wrong(integerRule(option).replace(/^must be /, ''));
      }
      value = String(n);
    } else if (option.type === 'list') {
      if (!Array.isArray(raw) || raw.some((item) => typeof item !== 'string')) throw wrong('an array of strings');
      value = (raw as string[]).map((item) => (option.path ? inFolderOf(file.path, item) : item));
    } else {
      if (typeof raw !== 'string')
        throw wrong(option.choices ? `one of ${option.choices.map((c) => `"${c}"`).join(', ')}` : 'a string');
      if (option.choices && !option.choices.includes(raw))
        throw wrong(`one of ${option.choices.map((c) => `"${c}"`).join(', ')}`);
      value = option.path ? inFolderOf(file.path, raw) : raw;
    }
    found.set(option.flag, { value, name });
  }
  return found;
}

/** A path in a config file is relative to the file's folder, as in tsconfig.json. */
function inFolderOf(file: string, path: string): string {
  return isAbsolute(path) ? path : resolve(dirname(file), path);
}

function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  return `${typeof value === 'number' ? 'the number' : typeof value} ${JSON.stringify(value)}`;
}

/** The known key a mistyped one most likely meant (at most two edits away), if any. */
function nearest(key: string, keys: string[]): string | undefined {
  let best: { key: string; distance: number } | undefined;
  for (const candidate of keys) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { key: candidate, distance };
  }
  return best?.key;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length];
}
