import type { ParseArgsConfig } from 'node:util';

/**
 * One option of a command, described once: the command line's flag, the environment variable,
 * the config file's key, its type, default and description all derive from it, and so do the
 * parser, the `--help` text, the JSON schema of the config file and docs/options.md.
 */
export interface OptionDefinition {
  /** The flag without its dashes (`proxy-port`); the env var and the config key derive from it. */
  flag: string;
  /**
   * string, boolean (a switch), integer (within min..max), list (repeatable flag; an array in the
   * config file; space-separated in the environment).
   */
  type: 'string' | 'boolean' | 'integer' | 'list';
  /** The placeholder of its value in the help (`N`, `DIR`); none for a boolean. */
  value?: string;
  /** The allowed values of a string. */
  choices?: readonly string[];
  min?: number;
  max?: number;
  /** The value the command uses when no source sets one (the config file's schema names it too). */
  default?: string | number | boolean;
  /** The default in words, when it is not one value (`pretty on a terminal, json otherwise`). */
  defaultText?: string;
  /** A path: relative values in the config file are relative to the file's folder. */
  path?: boolean;
  /** Not a config file key (`--config` itself). */
  notInFile?: boolean;
  /** Where it is listed in the help and the docs. */
  section: string;
  /** One paragraph, plain text. */
  description: string;
}

/** A value as the command reads it: what node's parseArgs gives for the flag's type. */
export type OptionValue = string | boolean | string[];

/** `proxy-port` → `LOCALGRAPH_PROXY_PORT`. */
export function envName(option: Pick<OptionDefinition, 'flag'>): string {
  return `LOCALGRAPH_${option.flag.toUpperCase().replaceAll('-', '_')}`;
}

/** `proxy-port` → `proxyPort`. */
export function configKey(option: Pick<OptionDefinition, 'flag'>): string {
  return option.flag.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** node:util parseArgs' options for these definitions. */
export function parseArgsOptions(options: readonly OptionDefinition[]): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(
    options.map((o) => [
      o.flag,
      o.type === 'boolean'
        ? { type: 'boolean' as const }
        : o.type === 'list'
          ? { type: 'string' as const, multiple: true }
          : { type: 'string' as const },
    ]),
  );
}

/** The default as the help and the docs say it, or undefined when there is none. */
export function defaultWords(option: OptionDefinition): string | undefined {
  if (option.defaultText !== undefined) return option.defaultText;
  if (option.default === undefined || option.default === false) return undefined;
  return String(option.default);
}

/** What the help and the docs show after the flag: `--port N`, `--https`, `--allowed-host NAME...`. */
export function flagWithValue(option: OptionDefinition): string {
  if (option.type === 'boolean') return `--${option.flag}`;
  const value = option.value ?? (option.choices ? option.choices.join('|') : 'VALUE');
  return `--${option.flag} ${value}`;
}
