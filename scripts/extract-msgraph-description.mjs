#!/usr/bin/env node
/**
 * Extracts Microsoft's own description of the family's paths and schemas into
 * test/fixtures/msgraph-onprem-description.json, which test/openapi-msgraph.test.ts compares with
 * the OpenAPI description localgraph serves.
 *
 * The source is Microsoft's beta OpenAPI description (msgraph-metadata, openapi/beta/openapi.yaml)
 * as Microsoft's Python beta SDK was generated from it: that file is over 100 MB and is not in the
 * repository snapshots we can read, while the SDK's generated code is its faithful projection:
 * one request builder per path (its URL template, the methods it offers with their query
 * parameters, request body and response types) and one model per schema (its properties and
 * their types, inherited ones included).
 *
 * Usage: node scripts/extract-msgraph-description.mjs GIT_DIR [COMMIT]
 *   GIT_DIR: a clone (or bare mirror) of microsoftgraph/msgraph-beta-sdk-python
 *   COMMIT:  default 3cbc17770cab06981fe2b80cc3618800b94d0fe6 (the SDK version the clients use)
 *
 * Which paths: every request builder under on_premises_publishing_profiles, and of applications
 * the ones localgraph's family reaches (the collection and its count, an item, its connectorGroup and the two
 * alternate keys). Which schemas: the types of the family's CSDL (test/fixtures/onprem-family.csdl.xml)
 * and application.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const [gitDir, commit = '3cbc17770cab06981fe2b80cc3618800b94d0fe6'] = process.argv.slice(2);
if (!gitDir) {
  console.error('usage: node scripts/extract-msgraph-description.mjs GIT_DIR [COMMIT]');
  process.exit(2);
}
const git = (...args) =>
  execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
const show = (path) => git('show', `${commit}:${path}`);
const ROOT = 'msgraph_beta/generated';
const files = git('ls-tree', '-r', '--name-only', commit, ROOT).split('\n').filter(Boolean);

// --- Paths ---
const builderFolders = [
  `${ROOT}/on_premises_publishing_profiles/`,
  `${ROOT}/applications/applications_request_builder.py`,
  `${ROOT}/applications/count/`,
  `${ROOT}/applications/item/application_item_request_builder.py`,
  `${ROOT}/applications/item/connector_group/`,
  `${ROOT}/applications_with_app_id/`,
  `${ROOT}/applications_with_unique_name/`,
];
const builders = files.filter((f) => f.endsWith('_request_builder.py') && builderFolders.some((p) => f.startsWith(p)));

/** `Foo`/`FooCollectionResponse` → `foo`/`fooCollectionResponse`, the OData (schema) name. */
const odataName = (pythonClass) => pythonClass.charAt(0).toLowerCase() + pythonClass.slice(1);

const paths = {};
for (const file of builders) {
  const source = show(file);
  const template = /super\(\).__init__\(request_adapter, "\{\+baseurl\}([^"]*)"/.exec(source)?.[1];
  if (!template) throw new Error(`${file}: no URL template`);
  const path = decodeURIComponent(template.replace(/\{\?[^}]*\}$/, '')).replace(/'\{([^}]+)\}'/g, "'{$1}'");
  const operations = {};
  for (const match of source.matchAll(
    /async def (get|post|patch|put|delete)\(self,(?:body: (\w+), )?request_configuration: Optional\[RequestConfiguration\[(\w+)\]\] = None\) -> (?:Optional\[(\w+)\]|None):/g,
  )) {
    const [, method, body, queryClass, response] = match;
    const query = [];
    const block =
      new RegExp(`class ${queryClass}\\(\\):[\\s\\S]*?def get_query_parameter[\\s\\S]*?return original_name`).exec(
        source,
      )?.[0] ?? '';
    for (const q of block.matchAll(/return "([^"]+)"/g)) query.push(decodeURIComponent(q[1]));
    operations[method] = {
      ...(body ? { body: odataName(body) } : {}),
      response: response ? odataName(response) : null,
      query: query.sort(),
      errors: /"XXX": ODataError/.test(source) ? 'microsoft.graph.ODataErrors.ODataError' : null,
    };
  }
  paths[path] = operations;
}

// --- Schemas ---
const csdl = readFileSync(new URL('../test/fixtures/onprem-family.csdl.xml', import.meta.url), 'utf8');
const familyTypes = [
  ...[...csdl.matchAll(/<(EntityType|ComplexType|EnumType) Name="(\w+)"/g)].map((m) => m[2]),
  'application',
];
const modelFiles = new Map(
  files
    .filter(
      (f) => f.startsWith(`${ROOT}/models/`) && f.endsWith('.py') && !f.slice(`${ROOT}/models/`.length).includes('/'),
    )
    .map((f) => [f.slice(f.lastIndexOf('/') + 1, -3).replace(/_/g, ''), f]),
);
const fileOf = (name) => modelFiles.get(name.toLowerCase().replace(/_/g, ''));

const PRIMITIVES = {
  get_str_value: 'string',
  get_bool_value: 'boolean',
  get_int_value: 'integer',
  get_float_value: 'number',
  get_datetime_value: 'date-time',
  get_time_value: 'time',
  get_date_value: 'date',
  get_uuid_value: 'uuid',
  get_bytes_value: 'base64',
  get_timedelta_value: 'duration',
};

function typeToken(call, arg) {
  if (PRIMITIVES[call]) return PRIMITIVES[call];
  switch (call) {
    case 'get_enum_value':
      return `enum:${odataName(arg)}`;
    case 'get_object_value':
      return odataName(arg);
    case 'get_collection_of_object_values':
      return `${odataName(arg)}[]`;
    case 'get_collection_of_enum_values':
      return `enum:${odataName(arg)}[]`;
    case 'get_collection_of_primitive_values':
      return `${{ str: 'string', bool: 'boolean', int: 'integer', float: 'number', datetime: 'date-time', UUID: 'uuid', bytes: 'base64' }[arg] ?? arg}[]`;
    default:
      throw new Error(`unknown deserializer ${call}`);
  }
}

const schemas = {};
const enums = {};
function readSchema(name) {
  if (schemas[name] || enums[name]) return;
  const file = fileOf(name);
  if (!file) throw new Error(`no model for ${name}`);
  const source = show(file);
  const declaration = /^class (\w+)\(([^)]*)\):/m.exec(source);
  if (/\bEnum\b/.test(declaration[2])) {
    enums[name] = [...source.matchAll(/^\s+\w+ = "([^"]+)",?$/gm)].map((m) => m[1]);
    return;
  }
  const base = declaration[2]
    .split(',')
    .map((s) => s.trim())
    .find((s) => s !== 'Parsable' && s !== 'AdditionalDataHolder' && s !== 'BackedModel');
  const properties = {};
  for (const m of source.matchAll(/"([^"]+)": lambda n : setattr\(self, '\w+', n\.(\w+)\((\w*)\)\)/g)) {
    if (m[1] !== '@odata.type') properties[m[1]] = typeToken(m[2], m[3]);
  }
  if (base) {
    readSchema(odataName(base));
    Object.assign(properties, { ...schemas[odataName(base)].properties, ...properties });
  }
  schemas[name] = {
    ...(base ? { base: odataName(base) } : {}),
    properties: Object.fromEntries(Object.entries(properties).sort(([a], [b]) => a.localeCompare(b))),
  };
}
for (const name of familyTypes) readSchema(name);

const out = {
  source: {
    description:
      "Microsoft's beta OpenAPI description (msgraph-metadata, openapi/beta/openapi.yaml), as the Python beta SDK generated from it projects it: its request builders (paths, methods, query parameters, body and response types) and models (properties and types).",
    repository: 'microsoftgraph/msgraph-beta-sdk-python',
    commit,
    extractedBy: 'scripts/extract-msgraph-description.mjs',
    types:
      'string, boolean, integer, number, date-time, time, date, uuid, base64, duration; enum:NAME; a schema name; NAME[] for a collection',
  },
  paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
  schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))),
  enums: Object.fromEntries(Object.entries(enums).sort(([a], [b]) => a.localeCompare(b))),
};
writeFileSync(
  new URL('../test/fixtures/msgraph-onprem-description.json', import.meta.url),
  `${JSON.stringify(out, null, 2)}\n`,
);
console.log(
  `${Object.keys(out.paths).length} paths, ${Object.values(out.paths).reduce((n, ops) => n + Object.keys(ops).length, 0)} operations, ${Object.keys(out.schemas).length} schemas, ${Object.keys(out.enums).length} enums`,
);
