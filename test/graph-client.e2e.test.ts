/**
 * @microsoft/microsoft-graph-client 3.0.7, unchanged, against an HTTPS localgraph (started in
 * this process through the library; the SDK runs in a process of its own): it sends tokens only
 * over https to hosts it knows, so it is pointed at localgraph with `customHosts` and trusts
 * localgraph's CA through NODE_EXTRA_CA_CERTS, exactly as docs/sdk-node.md says. Tokens come
 * from @azure/identity via TokenCredentialAuthenticationProvider. The Kiota beta SDK's adapter is
 * run the same way, with AzureIdentityAuthenticationProvider.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSdkClient } from './helpers/identity.js';
import { startInProcess, type InProcessServer } from './helpers/in-process.js';
import { GUID, tempDir } from './helpers/server.js';

describe('@microsoft/microsoft-graph-client over HTTPS', () => {
  let server: InProcessServer;
  let result: Record<string, any>;
  let run: (scenario: string) => Promise<Record<string, any>>;
  before(async () => {
    server = await startInProcess({ https: true });
    const lg = server.localgraph;
    const creds = {
      clientId: lg.clientId,
      clientSecret: lg.clientSecret!,
      userPrincipalName: lg.username,
      password: lg.password!,
    };
    // The SDK runs in a process of its own, told to trust localgraph's CA by NODE_EXTRA_CA_CERTS.
    const caFile = join(tempDir(), 'ca.pem');
    writeFileSync(caFile, lg.caCertificate!);
    run = (scenario) => runSdkClient(scenario, server, creds, caFile);
    result = await run('graph-client');
  });
  after(async () => {
    await server?.stop();
  });

  it('creates, reads and updates with a delegated token (the token reached the server)', () => {
    assert.equal(result.created.length, 5);
    for (const id of result.created) assert.match(id, GUID);
    assert.equal(result.got.id, result.created[0]);
    assert.equal(result.got.machineName, 'sdk-0.contoso.com');
    assert.match(result.got['@odata.context'], new RegExp(`^${server.baseUrl}/beta/\\$metadata#`));
    assert.equal(result.patched.machineName, 'patched.contoso.com');
  });

  it('PageIterator follows the absolute https @odata.nextLink through every page', () => {
    assert.equal(result.firstPageSize, 2);
    assert.match(result.firstNextLink, new RegExp(`^${server.baseUrl}/beta/`));
    assert.deepEqual([...result.seen].sort(), [...result.created].sort());
    assert.equal(new Set(result.seen).size, result.seen.length, 'no item twice');
  });

  it('PageIterator walks pages of .top(2): the nextLink keeps $top and $select', () => {
    assert.equal(result.topFirstPageSize, 2);
    const link = new URL(result.topNextLink);
    assert.equal(link.searchParams.get('$top'), '2');
    assert.equal(link.searchParams.get('$select'), 'id,machineName');
    assert.deepEqual([...result.topSeen].sort(), [...result.created].sort());
    assert.equal(new Set(result.topSeen).size, result.topSeen.length, 'no item twice');
  });

  it("$batch through graph-client's BatchRequestContent and BatchResponseContent", async () => {
    const batch = await run('batch');
    assert.equal(batch.created.status, 201, JSON.stringify(batch.created.body));
    assert.equal(batch.created.body.machineName, 'batched.contoso.com');
    assert.equal(batch.listed.status, 200);
    assert.equal(batch.listed.body.value.length, 1);
    assert.equal(batch.refused.status, 400);
    assert.equal(batch.refused.body.error.code, 'Request_BadRequest');
    assert.equal(batch.dependent.status, 424, 'a request after a failed dependency');
  });

  it('errors are GraphError with code, statusCode and requestId', () => {
    assert.deepEqual(
      { graphError: result.notFound.graphError, statusCode: result.notFound.statusCode, code: result.notFound.code },
      { graphError: true, statusCode: 404, code: 'Request_ResourceNotFound' },
    );
    assert.match(result.notFound.requestId, GUID);
    assert.ok(!Number.isNaN(Date.parse(result.notFound.date)));
    assert.equal(result.badBody.statusCode, 400);
    assert.equal(result.badBody.code, 'Request_BadRequest');
    assert.match(result.badBody.message, /machineName/);
  });

  it('app-only tokens get the matrix: 403 on listing connectors, allowed to create a connector group', () => {
    assert.equal(result.appOnly.statusCode, 403);
    assert.equal(result.appOnly.code, 'Authorization_RequestDenied');
    assert.equal(result.appOnly.message, 'Insufficient privileges to complete the operation.');
    // The 403 says why, in Graph's error.details: this operation needs a delegated token.
    const [accepted, carried] = result.appOnly.details;
    assert.equal(accepted.code, 'DelegatedTokenRequired');
    assert.match(
      accepted.message,
      /^GET \/onPremisesPublishingProfiles\/\{id\}\/connectors supports no application permissions: call it with a delegated \(user\) token that carries one of the delegated permissions Directory\.ReadWrite\.All\.$/,
    );
    assert.equal(carried.code, 'TokenPermissions');
    assert.match(
      carried.message,
      /^The app-only token carries the application permissions .*Directory\.ReadWrite\.All/,
    );
    assert.equal(result.appCreatesGroup.name, 'made by an app');
  });

  it("the Kiota beta SDK's request adapter, with AzureIdentityAuthenticationProvider, as docs/sdk-node.md shows", async () => {
    const kiota = await run('kiota');
    assert.equal(
      kiota.listedContext,
      `${server.baseUrl}/beta/$metadata#onPremisesPublishingProfiles('applicationProxy')/connectors`,
    );
    assert.equal(kiota.listedCount, 5, 'the connectors the graph-client and batch tests left');
    assert.equal(kiota.notFound.status, 404);
    assert.match(kiota.notFound.message, /does not exist/);
  });
});
