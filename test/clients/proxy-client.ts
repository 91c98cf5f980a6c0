/**
 * A program written for production Microsoft Graph, run by test/proxy.e2e.test.ts as a child
 * process whose environment holds only PATH, HTTPS_PROXY (localgraph's proxy) and
 * NODE_EXTRA_CA_CERTS (localgraph's CA). Nothing in it names localgraph: @azure/identity with its
 * default authority host (login.microsoftonline.com) and instance discovery on, the Kiota beta
 * request adapter and @microsoft/microsoft-graph-client with their default base URL
 * (https://graph.microsoft.com/beta). The one line a Node program adds to honour HTTPS_PROXY in
 * `fetch` is undici's EnvHttpProxyAgent as the global dispatcher (@azure/identity's own HTTP
 * pipeline reads HTTPS_PROXY by itself).
 *
 * Usage: node proxy-client.js <tenant> <client id> <client secret> <upn> <password>
 * Prints one JSON object with what it saw.
 */
import { ClientSecretCredential, UsernamePasswordCredential } from '@azure/identity';
import { HttpMethod, RequestInformation } from '@microsoft/kiota-abstractions';
import { AzureIdentityAuthenticationProvider } from '@microsoft/kiota-authentication-azure';
import graph from '@microsoft/microsoft-graph-client';
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import { GraphBetaRequestAdapter } from '@microsoft/msgraph-beta-sdk/graphBetaRequestAdapter.js';
import { createODataErrorFromDiscriminatorValue } from '@microsoft/msgraph-beta-sdk/models/oDataErrors/index.js';
import { EnvHttpProxyAgent, setGlobalDispatcher } from 'undici';

setGlobalDispatcher(new EnvHttpProxyAgent());

const [tenant, clientId, secret, upn, password] = process.argv.slice(2);
const GRAPH_DEFAULT = 'https://graph.microsoft.com/.default';
const CONNECTORS = '/onPremisesPublishingProfiles/applicationProxy/connectors';

const app = new ClientSecretCredential(tenant, clientId, secret);
const user = new UsernamePasswordCredential(tenant, clientId, upn, password);

const appToken = (await app.getToken(GRAPH_DEFAULT))!.token;
const userToken = (await user.getToken(GRAPH_DEFAULT))!.token;

// Kiota: the beta request adapter with its defaults: the base URL the generated service client
// sets (https://graph.microsoft.com/beta) and the allowed host graph.microsoft.com. (The
// family's generated request builders ship in a package of their own; the request is built
// from its URL template as they build it.) Loaded by a specifier the compiler does not follow:
// the SDK's declarations would double every build's time.
const SERVICE_CLIENT: string = '@microsoft/msgraph-beta-sdk/graphBetaServiceClient.js';
const { createGraphBetaServiceClient } = (await import(SERVICE_CLIENT)) as {
  createGraphBetaServiceClient: (adapter: GraphBetaRequestAdapter) => unknown;
};
const adapter = new GraphBetaRequestAdapter(new AzureIdentityAuthenticationProvider(user, [GRAPH_DEFAULT]));
createGraphBetaServiceClient(adapter);
const kiota = async (method: HttpMethod, path: string, body?: unknown): Promise<Record<string, unknown>> => {
  const info = new RequestInformation(
    method,
    `{+baseurl}/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}${path}`,
  );
  info.pathParameters.baseurl = adapter.baseUrl;
  info.pathParameters['onPremisesPublishingProfile%2Did'] = 'applicationProxy';
  info.headers.tryAdd('Accept', 'application/json');
  if (body !== undefined)
    info.setStreamContent(new TextEncoder().encode(JSON.stringify(body)).buffer as ArrayBuffer, 'application/json');
  const bytes = await adapter.sendPrimitive<ArrayBuffer>(info, 'ArrayBuffer', {
    XXX: createODataErrorFromDiscriminatorValue,
  });
  return JSON.parse(Buffer.from(bytes!).toString('utf8')) as Record<string, unknown>;
};
const created = await kiota(HttpMethod.POST, '/connectors', {
  externalIp: '10.9.0.1',
  machineName: 'through-the-proxy.contoso.com',
  status: 'active',
});
let kiotaError: unknown;
try {
  await kiota(HttpMethod.GET, '/connectors/00000000-0000-0000-0000-000000000000');
} catch (error) {
  kiotaError = {
    status: (error as { responseStatusCode?: number }).responseStatusCode,
    code: (error as { errorEscaped?: { code?: string } }).errorEscaped?.code,
  };
}

// graph-client: its default base URL and hosts.
const client = graph.Client.initWithMiddleware({
  authProvider: new TokenCredentialAuthenticationProvider(user, { scopes: [GRAPH_DEFAULT] }),
  defaultVersion: 'beta',
});
const listed = await client.api(CONNECTORS).get();
const read = await client.api(`${CONNECTORS}/${created.id}`).get();
let notFound: unknown;
try {
  await client.api(`${CONNECTORS}/00000000-0000-0000-0000-000000000000`).get();
} catch (error) {
  notFound = { statusCode: (error as { statusCode?: number }).statusCode, code: (error as { code?: string }).code };
}

console.log(
  JSON.stringify({
    kiotaBaseUrl: adapter.baseUrl,
    appToken,
    userToken,
    created,
    kiotaError,
    listedContext: listed['@odata.context'],
    listedIds: (listed.value as { id: string }[]).map((c) => c.id),
    read,
    notFound,
  }),
);
