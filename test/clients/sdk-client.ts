/**
 * A client program, run by the end-to-end tests as a child process with NODE_EXTRA_CA_CERTS set
 * to localgraph's certificate (Node reads that variable only at start). It uses the real
 * libraries, unchanged, the way docs/sdk-node.md and docs/proxy.md tell users to: @azure/identity's credential classes
 * against localgraph's token endpoint, and @microsoft/microsoft-graph-client 3.0.7 over HTTPS.
 *
 * Usage: node sdk-client.js <scenario>   with LG_ORIGIN, LG_TENANT, LG_CLIENT_ID, LG_SECRET,
 * LG_UPN, LG_PASSWORD in the environment. Prints one JSON object with what it saw.
 */
import { ClientSecretCredential, UsernamePasswordCredential, type TokenCredential } from '@azure/identity';
import { HttpMethod, RequestInformation } from '@microsoft/kiota-abstractions';
import { AzureIdentityAuthenticationProvider } from '@microsoft/kiota-authentication-azure';
import graph from '@microsoft/microsoft-graph-client';
import { GraphBetaRequestAdapter } from '@microsoft/msgraph-beta-sdk/graphBetaRequestAdapter.js';
import { createODataErrorFromDiscriminatorValue } from '@microsoft/msgraph-beta-sdk/models/oDataErrors/index.js';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';

const { Client, PageIterator, GraphError, BatchRequestContent, BatchResponseContent } = graph;
const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};
const origin = env('LG_ORIGIN');
const options = { authorityHost: origin, disableInstanceDiscovery: true };
const GRAPH_DEFAULT = 'https://graph.microsoft.com/.default';
const CONNECTORS = '/onPremisesPublishingProfiles/applicationProxy/connectors';

function claims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
}

function appCredential(secret = env('LG_SECRET')): TokenCredential {
  return new ClientSecretCredential(env('LG_TENANT'), env('LG_CLIENT_ID'), secret, options);
}

function userCredential(password = env('LG_PASSWORD')): TokenCredential {
  return new UsernamePasswordCredential(env('LG_TENANT'), env('LG_CLIENT_ID'), env('LG_UPN'), password, options);
}

async function failure(work: () => Promise<unknown>): Promise<string> {
  try {
    await work();
    return 'no error';
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}

function graphClient(credential: TokenCredential) {
  return Client.initWithMiddleware({
    authProvider: new TokenCredentialAuthenticationProvider(credential, { scopes: [GRAPH_DEFAULT] }),
    baseUrl: origin,
    defaultVersion: 'beta',
    customHosts: new Set([new URL(origin).hostname]),
  });
}

async function graphError(work: () => Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await work();
    return { thrown: false };
  } catch (error) {
    if (!(error instanceof GraphError)) return { thrown: true, graphError: false, message: String(error) };
    const details =
      typeof error.body === 'string' ? (JSON.parse(error.body) as { details?: unknown }).details : undefined;
    return {
      thrown: true,
      graphError: true,
      statusCode: error.statusCode,
      code: error.code,
      message: error.message,
      requestId: error.requestId,
      date: error.date,
      details,
    };
  }
}

const scenarios: Record<string, () => Promise<unknown>> = {
  async credentials() {
    const app = (await appCredential().getToken(GRAPH_DEFAULT))!;
    const user = (await userCredential().getToken([GRAPH_DEFAULT]))!;
    // A second call is served from MSAL's cache or a fresh grant; either way it must work.
    const again = (await userCredential().getToken('https://graph.microsoft.com/Directory.ReadWrite.All'))!;
    return {
      app: { claims: claims(app.token), expiresOnTimestamp: app.expiresOnTimestamp },
      user: { claims: claims(user.token), expiresOnTimestamp: user.expiresOnTimestamp },
      explicitScope: claims(again.token),
      wrongSecret: await failure(() => appCredential('not-the-secret').getToken(GRAPH_DEFAULT)),
      wrongPassword: await failure(() => userCredential('not-the-password').getToken(GRAPH_DEFAULT)),
      unconsentedScope: await failure(() => userCredential().getToken('https://graph.microsoft.com/Mail.Read')),
      wrongTenant: await failure(() =>
        new ClientSecretCredential(
          '11111111-2222-3333-4444-555555555555',
          env('LG_CLIENT_ID'),
          env('LG_SECRET'),
          options,
        ).getToken(GRAPH_DEFAULT),
      ),
    };
  },

  async 'graph-client'() {
    const client = graphClient(userCredential());
    const created: string[] = [];
    for (let i = 0; i < 5; i++) {
      const connector = await client
        .api(CONNECTORS)
        .post({ externalIp: `10.1.0.${i}`, machineName: `sdk-${i}.contoso.com`, status: 'active' });
      created.push(connector.id as string);
    }
    const got = await client.api(`${CONNECTORS}/${created[0]}`).get();
    await client.api(`${CONNECTORS}/${created[1]}`).patch({ machineName: 'patched.contoso.com' });
    const patched = await client.api(`${CONNECTORS}/${created[1]}`).select('machineName').get();

    // Pages of two: the iterator follows @odata.nextLink (an absolute https URL) to the end.
    const pageOptions = { headers: { Prefer: 'odata.maxpagesize=2' } };
    const first = await client.api(CONNECTORS).header('Prefer', 'odata.maxpagesize=2').get();
    const seen: string[] = [];
    const iterator = new PageIterator(
      client,
      first,
      (item: { id: string }) => {
        seen.push(item.id);
        return true;
      },
      pageOptions,
    );
    await iterator.iterate();

    // $top is a page size: the iterator walks pages of two with no Prefer header at all.
    const topFirst = await client.api(CONNECTORS).top(2).select('id,machineName').get();
    const topSeen: string[] = [];
    const topIterator = new PageIterator(client, topFirst, (item: { id: string; machineName?: string }) => {
      if (item.machineName === undefined) throw new Error('$select was lost on a later page');
      topSeen.push(item.id);
      return true;
    });
    await topIterator.iterate();

    const notFound = await graphError(() => client.api(`${CONNECTORS}/00000000-0000-0000-0000-000000000000`).get());
    const badBody = await graphError(() => client.api(CONNECTORS).post({ externalIp: '10.0.0.1', status: 'active' }));
    const appOnly = await graphError(() => graphClient(appCredential()).api(CONNECTORS).get());
    const appCreatesGroup = await graphClient(appCredential())
      .api('/onPremisesPublishingProfiles/applicationProxy/connectorGroups')
      .post({ name: 'made by an app' });
    await client.api(`${CONNECTORS}/${created[4]}`).delete();
    return {
      created,
      got,
      patched,
      firstPageSize: (first.value as unknown[]).length,
      firstNextLink: first['@odata.nextLink'],
      seen,
      topFirstPageSize: (topFirst.value as unknown[]).length,
      topNextLink: topFirst['@odata.nextLink'],
      topSeen,
      notFound,
      badBody,
      appOnly,
      appCreatesGroup,
    };
  },
};

scenarios.batch = async () => {
  // graph-client's own batch helpers: requests as fetch Requests, one POST to /$batch, answers by id.
  const client = graphClient(userCredential());
  const url = `${origin}/beta${CONNECTORS}`;
  const create = {
    id: '1',
    request: new Request(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ externalIp: '10.2.0.1', machineName: 'batched.contoso.com', status: 'active' }),
    }),
  };
  const list = { id: '2', request: new Request(`${url}?$top=1`, { method: 'GET' }), dependsOn: ['1'] };
  // The helper accepts only parallel or serial layouts: a chain, whose first link fails.
  const bad = {
    id: '3',
    request: new Request(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ status: 'active' }),
    }),
  };
  const after = { id: '4', request: new Request(url, { method: 'GET' }), dependsOn: ['3'] };
  const post = async (steps: ConstructorParameters<typeof BatchRequestContent>[0]) =>
    new BatchResponseContent(await client.api('/$batch').post(await new BatchRequestContent(steps).getContent()));
  const first = await post([create, list]);
  const second = await post([bad, after]);
  const read = async (answer: InstanceType<typeof BatchResponseContent>, id: string) => {
    const response = answer.getResponseById(id);
    return { status: response.status, body: response.status === 204 ? undefined : await response.json() };
  };
  return {
    created: await read(first, '1'),
    listed: await read(first, '2'),
    refused: await read(second, '3'),
    dependent: await read(second, '4'),
  };
};

scenarios.kiota = async () => {
  // docs/sdk-node.md's lines: a credential, and localgraph's host allowed (Kiota 1.0.0-preview.109
  // compares the host name; earlier previews compared host and port, so both are listed).
  const url = new URL(origin);
  const auth = new AzureIdentityAuthenticationProvider(
    userCredential(),
    [GRAPH_DEFAULT],
    undefined,
    new Set([url.hostname, url.host]),
  );
  const adapter = new GraphBetaRequestAdapter(auth);
  adapter.baseUrl = `${origin}/beta`;
  const get = async (path: string) => {
    const info = new RequestInformation(HttpMethod.GET, `{+baseurl}${path}`);
    info.pathParameters.baseurl = adapter.baseUrl;
    info.headers.tryAdd('Accept', 'application/json');
    const bytes = await adapter.sendPrimitive<ArrayBuffer>(info, 'ArrayBuffer', {
      XXX: createODataErrorFromDiscriminatorValue,
    });
    return JSON.parse(Buffer.from(bytes!).toString('utf8')) as Record<string, unknown>;
  };
  const listed = await get(CONNECTORS);
  let notFound: Record<string, unknown> = {};
  try {
    await get(`${CONNECTORS}/00000000-0000-0000-0000-000000000000`);
  } catch (error) {
    const e = error as { responseStatusCode?: number; error?: { code?: string }; message?: string };
    notFound = { status: e.responseStatusCode, code: e.error?.code, message: e.message };
  }
  return { listedContext: listed['@odata.context'], listedCount: (listed.value as unknown[]).length, notFound };
};

const scenario = scenarios[process.argv[2] ?? ''];
if (!scenario) {
  console.error(`unknown scenario '${process.argv[2]}'; one of ${Object.keys(scenarios).join(', ')}`);
  process.exit(2);
}
scenario().then(
  (result) => console.log(JSON.stringify(result)),
  (error: unknown) => {
    console.error(
      error instanceof Error
        ? (error.stack ?? error.message)
        : JSON.stringify(error, Object.getOwnPropertyNames(error ?? {})),
    );
    process.exit(1);
  },
);
