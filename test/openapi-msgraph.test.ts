/**
 * The OpenAPI description localgraph serves, compared with Microsoft's own description of the same
 * paths and schemas (test/fixtures/msgraph-onprem-description.json, extracted from the Python beta
 * SDK generated from msgraph-metadata's beta OpenAPI by scripts/extract-msgraph-description.mjs):
 * paths, operations, query parameters, request and response types, schema properties and their
 * types, enum members. Every difference must be explained by a row of docs/openapi-differences.md
 * (a pattern, `*` matching anything, and the reason), and every row must still explain one.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CLI_PATH } from './helpers/server.js';

type Schema = Record<string, any>;

interface MicrosoftOperation {
  body?: string;
  response: string | null;
  query: string[];
  errors: string | null;
}

interface MicrosoftDescription {
  source: { repository: string; commit: string };
  paths: Record<string, Record<string, MicrosoftOperation>>;
  schemas: Record<string, { base?: string; properties: Record<string, string> }>;
  enums: Record<string, string[]>;
}

const microsoft = JSON.parse(
  readFileSync(new URL('../../test/fixtures/msgraph-onprem-description.json', import.meta.url), 'utf8'),
) as MicrosoftDescription;
const ours = JSON.parse(
  execFileSync(process.execPath, [CLI_PATH, 'openapi', '--format', 'json'], { encoding: 'utf8' }),
) as Schema;
const explanations = readFileSync(new URL('../../docs/openapi-differences.md', import.meta.url), 'utf8');

const PRIMITIVE_NAMES: Record<string, string> = { str: 'string', int: 'integer', bytes: 'base64' };
const microsoftType = (name: string | null | undefined): string => (name ? (PRIMITIVE_NAMES[name] ?? name) : 'none');

const schemaName = (ref: string) => ref.replace('#/components/schemas/', '').replace(/^microsoft\.graph\./, '');
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

/** A schema of ours as the extraction writes types: `string`, `date-time`, `enum:connectorStatus`, `connector[]`. */
function ourType(schema: Schema): string {
  const reference = schema.$ref ?? schema.allOf?.[0]?.$ref;
  if (reference) {
    const name = schemaName(reference);
    return ours.components.schemas[`microsoft.graph.${name}`]?.type === 'string' ? `enum:${name}` : lowerFirst(name);
  }
  if (schema.type === 'array') return `${ourType(schema.items)}[]`;
  if (schema.type === 'string')
    return (
      { 'date-time': 'date-time', time: 'time', date: 'date', uuid: 'uuid', base64url: 'base64' }[
        schema.format as string
      ] ?? 'string'
    );
  return schema.type;
}

function ourResponse(operation: Schema): string {
  for (const status of ['200', '201']) {
    const content = operation.responses?.[status]?.content;
    if (!content) continue;
    const schema = content['application/json']?.schema ?? content['text/plain']?.schema;
    return schema.$ref ? lowerFirst(schemaName(schema.$ref)) : ourType(schema);
  }
  return 'none';
}

function ourBody(operation: Schema): string {
  const schema = operation.requestBody?.content?.['application/json']?.schema;
  return schema ? lowerFirst(schemaName(schema.$ref)) : 'none';
}

/** Every difference between the two descriptions, one line each. */
export function differences(): string[] {
  const out: string[] = [];
  const ourPaths = ours.paths as Record<string, Record<string, Schema>>;
  for (const path of Object.keys(microsoft.paths)) if (!ourPaths[path]) out.push(`path only in Microsoft's: ${path}`);
  for (const path of Object.keys(ourPaths)) if (!microsoft.paths[path]) out.push(`path only in localgraph's: ${path}`);
  for (const [path, theirs] of Object.entries(microsoft.paths)) {
    const mine = ourPaths[path];
    if (!mine) continue;
    for (const method of Object.keys(theirs))
      if (!mine[method]) out.push(`operation only in Microsoft's: ${method.toUpperCase()} ${path}`);
    for (const method of Object.keys(mine))
      if (!theirs[method]) out.push(`operation only in localgraph's: ${method.toUpperCase()} ${path}`);
    for (const [method, their] of Object.entries(theirs)) {
      const my = mine[method];
      if (!my) continue;
      const op = `${method.toUpperCase()} ${path}`;
      const myQuery = ((my.parameters ?? []) as Schema[]).filter((p) => p.in === 'query').map((p) => p.name as string);
      for (const q of their.query)
        if (!myQuery.includes(q)) out.push(`query parameter only in Microsoft's: ${op} ${q}`);
      for (const q of myQuery)
        if (!their.query.includes(q)) out.push(`query parameter only in localgraph's: ${op} ${q}`);
      if (microsoftType(their.body) !== ourBody(my))
        out.push(`request body: ${op}: Microsoft's ${microsoftType(their.body)}, localgraph's ${ourBody(my)}`);
      if (microsoftType(their.response) !== ourResponse(my))
        out.push(`response: ${op}: Microsoft's ${microsoftType(their.response)}, localgraph's ${ourResponse(my)}`);
      const myErrors = my.responses?.['4XX'] && my.responses?.['5XX'] ? 'microsoft.graph.ODataErrors.ODataError' : null;
      if (their.errors !== myErrors) out.push(`errors: ${op}: Microsoft's ${their.errors}, localgraph's ${myErrors}`);
    }
  }
  for (const [name, theirs] of Object.entries(microsoft.schemas)) {
    const mine = ours.components.schemas[`microsoft.graph.${name}`] as Schema | undefined;
    if (!mine) {
      out.push(`schema only in Microsoft's: ${name}`);
      continue;
    }
    const myProperties = Object.fromEntries(
      Object.entries(mine.properties as Record<string, Schema>).filter(([p]) => p !== '@odata.type'),
    );
    for (const property of Object.keys(theirs.properties))
      if (!myProperties[property]) out.push(`property only in Microsoft's: ${name}.${property}`);
    for (const property of Object.keys(myProperties))
      if (!theirs.properties[property]) out.push(`property only in localgraph's: ${name}.${property}`);
    for (const [property, type] of Object.entries(theirs.properties)) {
      const schema = myProperties[property];
      if (schema && ourType(schema) !== type)
        out.push(`property type: ${name}.${property}: Microsoft's ${type}, localgraph's ${ourType(schema)}`);
    }
  }
  for (const [name, members] of Object.entries(microsoft.enums)) {
    const mine = ours.components.schemas[`microsoft.graph.${name}`] as Schema | undefined;
    if (!mine) {
      out.push(`enum only in Microsoft's: ${name}`);
      continue;
    }
    // A flags enum is a pattern over its members, which its description lists.
    const myMembers: string[] =
      mine.enum ??
      String(mine.description ?? '')
        .replace(/^Flags: any of /, '')
        .replace(/, comma-separated\.$/, '')
        .split(', ');
    for (const m of members) if (!myMembers.includes(m)) out.push(`enum member only in Microsoft's: ${name}.${m}`);
    for (const m of myMembers) if (!members.includes(m)) out.push(`enum member only in localgraph's: ${name}.${m}`);
  }
  return out;
}

/** The explained patterns: the first cell of each table row of docs/openapi-differences.md, in backticks. */
function explainedPatterns(): Array<{ pattern: string; regex: RegExp }> {
  return [...explanations.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => ({
    pattern: m[1],
    regex: new RegExp(`^${m[1].replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`),
  }));
}

describe("the served OpenAPI description against Microsoft's", () => {
  it('the comparison reads both: the extraction names its source, and finds the family in each', () => {
    assert.equal(microsoft.source.repository, 'microsoftgraph/msgraph-beta-sdk-python');
    assert.match(microsoft.source.commit, /^[0-9a-f]{40}$/);
    assert.ok(Object.keys(microsoft.paths).length >= 60);
    assert.ok(Object.keys(microsoft.schemas).includes('connectorGroup'));
    assert.ok(
      Object.keys(ours.paths).includes(
        '/onPremisesPublishingProfiles/{onPremisesPublishingProfile-id}/connectorGroups',
      ),
    );
  });

  it('every difference is explained in docs/openapi-differences.md, and every row there still explains one', () => {
    const found = differences();
    const patterns = explainedPatterns();
    const unexplained = found.filter((d) => !patterns.some((p) => p.regex.test(d)));
    const stale = patterns.filter((p) => !found.some((d) => p.regex.test(d))).map((p) => p.pattern);
    console.log(
      `OpenAPI vs Microsoft's: ${found.length} differences, in ${patterns.length} explained rows; ${unexplained.length} unexplained`,
    );
    assert.deepEqual(unexplained, [], 'differences docs/openapi-differences.md does not explain');
    assert.deepEqual(stale, [], 'rows of docs/openapi-differences.md that explain nothing');
  });

  it('the family paths Microsoft describes are served, save the ones docs/coverage.md says are not', () => {
    const missing = differences().filter(
      (d) => d.startsWith("path only in Microsoft's: ") || d.startsWith("operation only in Microsoft's: "),
    );
    // Each is listed in docs/coverage.md's SDK table as not served, with the reason.
    const coverage = readFileSync(new URL('../../docs/coverage.md', import.meta.url), 'utf8');
    for (const d of missing) {
      const [, method, path] = /^(?:path|operation) only in Microsoft's: (?:(\w+) )?(.*)$/.exec(d)!;
      const sdkPath = path.replace(/\{(\w+)-id(\d*)\}/g, '{$1%2Did$2}');
      for (const m of method ? [method] : Object.keys(microsoft.paths[path]).map((x) => x.toUpperCase())) {
        assert.ok(
          coverage.includes(`| ${m} | \`${sdkPath}\` | no |`),
          `${m} ${path}: in Microsoft's description, not served, and not listed as such in docs/coverage.md`,
        );
      }
    }
  });

  it('the comparison sees a difference (a property renamed in a copy of ours)', () => {
    const schema = ours.components.schemas['microsoft.graph.connector'];
    const saved = schema.properties.machineName;
    delete schema.properties.machineName;
    schema.properties.machine = saved;
    try {
      const found = differences();
      assert.ok(found.includes("property only in Microsoft's: connector.machineName"));
      assert.ok(found.includes("property only in localgraph's: connector.machine"));
    } finally {
      delete schema.properties.machine;
      schema.properties.machineName = saved;
    }
  });
});
