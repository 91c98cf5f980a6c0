/**
 * End to end: the OpenAPI description (`GET /beta/$openapi`, `localgraph openapi`). It is valid
 * OpenAPI 3.0 in YAML and JSON alike; it names every operation localgraph serves with its
 * permissions, and what derives from them ($count, GET $ref, alternate keys); and a client generated
 * from it (openapi-typescript types, openapi-fetch) compiles with `tsc --strict` and runs
 * Microsoft's application proxy tutorial.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';
import { parse } from 'yaml';
import { familyOperations } from '../src/resources/operations.js';
import { familyModel, familyRegistry } from '../src/family/family.js';
import { onPremises } from '../src/family/on-premises/on-premises.js';
import { CLI_PATH, GUID } from './helpers/server.js';
import { startInProcess, type InProcessServer } from './helpers/in-process.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
let server: InProcessServer;
let document: Record<string, any>;

before(async () => {
  server = await startInProcess();
  const res = await fetch(`${server.baseUrl}/beta/$openapi`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^application\/yaml/);
  document = parse(await res.text());
});

after(async () => {
  if (server) await server.stop();
});

/** `/a/{x-id}/b` → `/a/{id}/b`: paths compared whatever their parameters' names. */
const generic = (path: string) => path.replace(/\{[^}]+\}/g, '{id}');

describe('the OpenAPI description', () => {
  it('is OpenAPI 3.0, the same in YAML and JSON (?format=json, Accept, and the CLI), and names this server', async () => {
    assert.match(document.openapi, /^3\.0\.\d$/);
    assert.equal(document.servers[0].url, `${server.baseUrl}/beta`);
    const json = await (await fetch(`${server.baseUrl}/beta/$openapi?format=json`)).json();
    assert.deepEqual(json, document);
    const accepted = await fetch(`${server.baseUrl}/beta/$openapi`, { headers: { accept: 'application/json' } });
    assert.match(accepted.headers.get('content-type') ?? '', /^application\/json/);
    const cli = await run(process.execPath, [
      CLI_PATH,
      'openapi',
      '--format',
      'json',
      '--server',
      `${server.baseUrl}/beta`,
    ]);
    assert.deepEqual(JSON.parse(cli.stdout), document);
    assert.deepEqual(document.components.securitySchemes.bearerAuth, {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description: document.components.securitySchemes.bearerAuth.description,
    });
  });

  it('has every served operation, with its permissions, parameters and error responses', () => {
    const served = familyOperations(familyModel(onPremises), familyRegistry(onPremises)).filter((op) => op.implemented);
    const described = new Set(
      Object.entries(document.paths).flatMap(([path, ops]) =>
        Object.keys(ops as object).map((m) => `${m.toUpperCase()} ${generic(path)}`),
      ),
    );
    assert.deepEqual(
      served.map((op) => `${op.method} ${op.pattern}`).filter((key) => !described.has(key)),
      [],
    );
    // Beyond them, only what is derived from them: each list's $count, each reference navigation's
    // GET $ref, and the alternate keys of applications.
    const servedKeys = new Set(served.map((op) => `${op.method} ${op.pattern}`));
    const derived = [...described].filter((key) => !servedKeys.has(key));
    assert.deepEqual(
      derived.filter((key) => !/^GET .*\/\$(count|ref)$/.test(key) && !/\((appId|uniqueName)='\{id\}'\)$/.test(key)),
      [],
    );
    assert.ok(derived.includes('GET /onPremisesPublishingProfiles/{id}/connectors/$count'));
    assert.ok(derived.includes('GET /onPremisesPublishingProfiles/{id}/connectorGroups/{id}/members/$ref'));
    assert.ok(derived.includes("PATCH /applications(appId='{id}')"));
    const count =
      document.paths['/onPremisesPublishingProfiles/{onPremisesPublishingProfile-id}/connectors/$count'].get;
    assert.deepEqual(count.responses['200'].content, {
      'text/plain': { schema: { type: 'integer', format: 'int32' } },
    });
    assert.ok(
      count.parameters.some((p: { name: string; required?: boolean }) => p.name === 'ConsistencyLevel' && p.required),
    );
    const group = document.components.schemas['microsoft.graph.connectorGroup'];
    assert.deepEqual(group.properties.members, {
      type: 'array',
      items: { $ref: '#/components/schemas/microsoft.graph.connector' },
      'x-ms-navigationProperty': true,
    });
    const credential = document.components.schemas['microsoft.graph.keyCredential'];
    assert.equal(credential.properties.key.writeOnly, true, 'a secret is write-only');
    const list = document.paths['/onPremisesPublishingProfiles/{onPremisesPublishingProfile-id}/connectors'].get;
    assert.deepEqual(list['x-localgraph-permissions'], { delegated: ['Directory.ReadWrite.All'], application: [] });
    assert.deepEqual(
      list.parameters.map((p: { name: string }) => p.name).sort(),
      [
        '$count',
        '$expand',
        '$filter',
        '$orderby',
        '$select',
        '$skip',
        '$skiptoken',
        '$top',
        'ConsistencyLevel',
        'Prefer',
        'onPremisesPublishingProfile-id',
      ].sort(),
    );
    assert.equal(
      list.responses['200'].content['application/json'].schema.$ref,
      '#/components/schemas/microsoft.graph.connectorCollectionResponse',
    );
    assert.deepEqual(list.responses['4XX'], { $ref: '#/components/responses/error' });
    const create =
      document.paths['/onPremisesPublishingProfiles/{onPremisesPublishingProfile-id}/connectorGroups'].post;
    assert.deepEqual(
      Object.keys(create.responses).sort(),
      ['200', '201', '4XX', '5XX'],
      'the live 200 and the documented 201',
    );
  });
  // Compared with Microsoft's own description, path by path and schema by schema: test/openapi-msgraph.test.ts.
});

describe('a client generated from it (openapi-typescript + openapi-fetch)', () => {
  it('compiles with tsc --strict and runs the application proxy tutorial', async () => {
    // Inside the package, so that the compiled tutorial finds openapi-fetch in node_modules.
    const dir = mkdtempSync(join(ROOT, 'dist', 'openapi-client-'));
    try {
      writeFileSync(join(dir, 'api.d.ts'), astToString(await openapiTS(document as never)));
      copyFileSync(join(ROOT, 'test', 'fixtures', 'openapi-tutorial', 'tutorial.ts'), join(dir, 'tutorial.ts'));
      writeFileSync(
        join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            target: 'ES2022',
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            strict: true,
            skipLibCheck: true,
            types: ['node'],
            outDir: '.',
          },
          files: ['tutorial.ts', 'api.d.ts'],
        }),
      );
      writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
      const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
      await run(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')]).catch((error: { stdout?: string }) =>
        assert.fail(`the generated client does not compile:\n${error.stdout}`),
      );
      const token = await server.token(['--scopes', 'Directory.ReadWrite.All Application.ReadWrite.All']);
      const { stdout } = await run(process.execPath, [join(dir, 'tutorial.js')], {
        env: { ...process.env, LG_BASE: `${server.baseUrl}/beta`, LG_TOKEN: token },
      });
      const seen = JSON.parse(stdout);
      assert.equal(seen.connectors.length, 2);
      for (const id of seen.connectors) assert.match(id, GUID);
      assert.equal(seen.firstPage, 1);
      assert.match(seen.nextLink, /[?&]\$top=1/);
      assert.equal(seen.assigned, seen.group);
      assert.deepEqual([...seen.members].sort(), [...seen.connectors].sort());
      assert.equal(seen.sso.singleSignOnMode, 'onPremisesKerberos');
      assert.equal(seen.sso.kerberosSignOnSettings.kerberosServicePrincipalName, 'HTTP/iwademo.contoso.com');
      assert.deepEqual(seen.missing, { status: 404, code: 'Request_ResourceNotFound' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
