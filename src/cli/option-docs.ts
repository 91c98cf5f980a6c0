import { configKey, defaultWords, envName, flagWithValue, type OptionDefinition } from './option-definitions.js';

/**
 * What option definitions are rendered to: the options part of `--help`, the docs page
 * (docs/options.md) and the config file's JSON schema (schema/localgraph.schema.json). The two
 * files are written by `npm run docs` (scripts/render-options.mjs); a unit test fails when the
 * committed ones are stale.
 */
const HELP_WIDTH = 100;
const HELP_INDENT = 18;

/** The options part of a command's help, by section. */
export function renderHelpOptions(options: readonly OptionDefinition[]): string {
  const lines: string[] = [];
  for (const [section, members] of sections(options)) {
    lines.push('', `${section}:`);
    for (const option of members) {
      const head = `  ${flagWithValue(option)}`;
      const text = `${option.description}${helpSuffix(option)}`;
      const body = wrap(text, HELP_WIDTH - HELP_INDENT);
      if (head.length < HELP_INDENT - 1)
        lines.push(head.padEnd(HELP_INDENT) + body[0], ...body.slice(1).map((l) => ' '.repeat(HELP_INDENT) + l));
      else lines.push(head, ...body.map((l) => ' '.repeat(HELP_INDENT) + l));
    }
  }
  return lines.join('\n');
}

function helpSuffix(option: OptionDefinition): string {
  const parts = [];
  const fallback = defaultWords(option);
  if (fallback !== undefined) parts.push(`default: ${fallback}`);
  if (option.choices && option.value === undefined) parts.push(`one of ${option.choices.join(', ')}`);
  parts.push(`$${envName(option)}`);
  return ` (${parts.join('; ')})`;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line.length > 0 && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line.length > 0 ? `${line} ${word}` : word;
  }
  if (line.length > 0) lines.push(line);
  return lines;
}

function sections(options: readonly OptionDefinition[]): Map<string, OptionDefinition[]> {
  const bySection = new Map<string, OptionDefinition[]>();
  for (const option of options) bySection.set(option.section, [...(bySection.get(option.section) ?? []), option]);
  return bySection;
}

/** How the docs and the schema name an option's type. */
function typeWords(option: OptionDefinition): string {
  if (option.type === 'boolean') return 'boolean';
  if (option.type === 'list') return 'array of strings';
  if (option.type === 'integer')
    return option.max === undefined ? `integer ≥ ${option.min ?? 0}` : `integer ${option.min ?? 0}–${option.max}`;
  if (option.choices) return option.choices.map((c) => `"${c}"`).join(' \\| ');
  return 'string';
}

const cell = (text: string) => text.replaceAll('|', '\\|');

/** docs/options.md: every option of `localgraph serve`, its flag, variable, config key and default. */
export function renderOptionsPage(options: readonly OptionDefinition[]): string {
  const out = [
    '# localgraph serve: options',
    '',
    '<!-- Generated from src/cli/serve-options.ts by `npm run docs`; do not edit by hand (a test fails when this page is stale). -->',
    '',
    'Every option of `localgraph serve` can be given three ways. The strongest wins:',
    '',
    '1. on the command line: `--port 8080`;',
    '2. in the environment: `LOCALGRAPH_PORT=8080` (booleans: `true`/`false`, `1`/`0`; lists: space-separated; an empty variable counts as unset);',
    '3. in a config file named by `--config FILE` or `LOCALGRAPH_CONFIG`: `{ "port": 8080 }`;',
    '',
    'and otherwise the default applies. `--data`, `--database-url` and `--in-memory` exclude each other: the strongest source that names one of them decides',
    '(`--in-memory` on the command line wins over `LOCALGRAPH_DATA`).',
    '',
    'The config file is one JSON object whose keys are the ones below. Unknown keys and values of the wrong type are refused, naming the key.',
    'Relative paths in it are relative to its own folder. Its JSON schema is [schema/localgraph.schema.json](../schema/localgraph.schema.json);',
    'name it in the file for editor completion:',
    '',
    '```json',
    '{',
    '  "$schema": "./node_modules/localgraph/schema/localgraph.schema.json",',
    '  "port": 5080,',
    '  "inMemory": true,',
    '  "allowedHost": ["localgraph"]',
    '}',
    '```',
  ];
  for (const [section, members] of sections(options)) {
    out.push(
      '',
      `## ${section}`,
      '',
      '| Flag | Environment variable | Config key | Type | Default | Description |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    for (const option of members) {
      const fallback = defaultWords(option);
      out.push(
        `| \`${cell(flagWithValue(option))}\` | \`${envName(option)}\` | ${option.notInFile ? '(none)' : `\`${configKey(option)}\``} | ${typeWords(option)} | ` +
          `${fallback === undefined ? '' : cell(fallback)} | ${cell(option.description)} |`,
      );
    }
  }
  return `${out.join('\n')}\n`;
}

/** The config file's JSON schema (draft 2020-12): every key typed, nothing else allowed. */
export function renderJsonSchema(options: readonly OptionDefinition[]): string {
  const properties: Record<string, Record<string, unknown>> = {
    $schema: { type: 'string', description: 'this schema, for editors' },
  };
  for (const option of options) {
    if (option.notInFile) continue;
    const property: Record<string, unknown> = {
      description: `${option.description} (--${option.flag}, ${envName(option)})`,
    };
    if (option.type === 'list') Object.assign(property, { type: 'array', items: { type: 'string' } });
    else Object.assign(property, { type: option.type });
    if (option.type === 'integer')
      Object.assign(property, { minimum: option.min ?? 0 }, option.max === undefined ? {} : { maximum: option.max });
    if (option.choices) property.enum = [...option.choices];
    if (option.default !== undefined) property.default = option.default;
    properties[configKey(option)] = property;
  }
  const schema = {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'localgraph serve configuration (--config FILE)',
    description:
      'Options of localgraph serve; the command line and LOCALGRAPH_* environment variables override them. See docs/options.md.',
    type: 'object',
    additionalProperties: false,
    properties,
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}
