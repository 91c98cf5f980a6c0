/**
 * End to end with the real Microsoft Graph beta SDK stack (Kiota): GraphBetaRequestAdapter from
 * @microsoft/msgraph-beta-sdk over the msgraph-sdk-core middleware, the generated connector
 * models and ODataError, against the real `localgraph serve` process.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  AllowedHostsValidator,
  BaseBearerTokenAuthenticationProvider,
  Headers,
  HttpMethod,
  RequestInformation,
  validateProtocol,
  type AccessTokenProvider,
  type ErrorMappings,
  type ModelSerializerFunction,
  type Parsable,
  type ParsableFactory,
} from '@microsoft/kiota-abstractions';
import { GraphBetaRequestAdapter } from '@microsoft/msgraph-beta-sdk/graphBetaRequestAdapter.js';
import {
  createODataErrorFromDiscriminatorValue,
  type ODataError,
} from '@microsoft/msgraph-beta-sdk/models/oDataErrors/index.js';
import { BatchRequestContent, PageIterator, type PageCollection } from '@microsoft/msgraph-sdk-core';
import { GUID } from './helpers/server.js';
import { startInProcess, type InProcessServer } from './helpers/in-process.js';

/**
 * The generated models module is loaded at run time by a specifier the compiler does not follow:
 * its 12 MB of declarations would roughly double the time of every build. The shapes used here are
 * restated below, as the SDK declares them.
 */
const MODELS_MODULE: string = '@microsoft/msgraph-beta-sdk/models/index.js';
interface Connector extends Parsable {
  id?: string | null;
  odataType?: string | null;
  externalIp?: string | null;
  machineName?: string | null;
  status?: 'active' | 'inactive' | null;
  version?: string | null;
}
interface ConnectorCollectionResponse extends Parsable {
  odataNextLink?: string | null;
  value?: Connector[] | null;
}
const {
  createConnectorCollectionResponseFromDiscriminatorValue,
  createConnectorFromDiscriminatorValue,
  serializeConnector,
} = (await import(MODELS_MODULE)) as {
  createConnectorCollectionResponseFromDiscriminatorValue: ParsableFactory<ConnectorCollectionResponse>;
  createConnectorFromDiscriminatorValue: ParsableFactory<Connector>;
  serializeConnector: ModelSerializerFunction<Connector>;
};

const COLLECTION = '{+baseurl}/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/connectors';
const ENTITY = '{+baseurl}/onPremisesPublishingProfiles/{onPremisesPublishingProfile%2Did}/connectors/{connector%2Did}';
const errorMapping: ErrorMappings = { XXX: createODataErrorFromDiscriminatorValue };

let server: InProcessServer;
let adapter: GraphBetaRequestAdapter;
let tokenRequests = 0;

/** Hands Kiota the CLI's token, for localgraph's host only, as an app would with MSAL. */
class CliTokenProvider implements AccessTokenProvider {
  private readonly validator: AllowedHostsValidator;
  constructor(
    private readonly token: string,
    hosts: string[],
  ) {
    this.validator = new AllowedHostsValidator(new Set(hosts));
  }
  getAuthorizationToken = async (url?: string): Promise<string> => {
    if (!url || !this.validator.isUrlHostValid(url)) return '';
    validateProtocol(url); // Kiota refuses plain http except for localhost addresses.
    tokenRequests++;
    return this.token;
  };
  getAllowedHostsValidator = (): AllowedHostsValidator => this.validator;
}

before(async () => {
  server = await startInProcess();
  const token = await server.token();
  const provider = new CliTokenProvider(token, ['127.0.0.1', `127.0.0.1:${server.port}`]);
  adapter = new GraphBetaRequestAdapter(new BaseBearerTokenAuthenticationProvider(provider));
  adapter.baseUrl = `${server.baseUrl}/beta`;
});

after(async () => {
  if (server) await server.stop();
});

function collectionRequest(method: HttpMethod, profile = 'applicationProxy'): RequestInformation {
  const info = new RequestInformation(method, COLLECTION);
  info.pathParameters.baseurl = adapter.baseUrl;
  info.pathParameters['onPremisesPublishingProfile%2Did'] = profile;
  info.headers.tryAdd('Accept', 'application/json');
  return info;
}

function entityRequest(method: HttpMethod, id: string): RequestInformation {
  const info = new RequestInformation(method, ENTITY);
  info.pathParameters.baseurl = adapter.baseUrl;
  info.pathParameters['onPremisesPublishingProfile%2Did'] = 'applicationProxy';
  info.pathParameters['connector%2Did'] = id;
  info.headers.tryAdd('Accept', 'application/json');
  return info;
}

async function createConnector(body: Partial<Connector>): Promise<Connector> {
  const info = collectionRequest(HttpMethod.POST);
  info.setContentFromParsable(adapter, 'application/json', body as Connector, serializeConnector);
  const created = await adapter.send<Connector>(info, createConnectorFromDiscriminatorValue, errorMapping);
  assert.ok(created, 'no connector in the response');
  return created;
}

async function getConnector(id: string): Promise<Connector | undefined> {
  return adapter.send<Connector>(
    entityRequest(HttpMethod.GET, id),
    createConnectorFromDiscriminatorValue,
    errorMapping,
  );
}

/** Runs a request that must fail, returning the ODataError Kiota throws. */
async function odataError(run: () => Promise<unknown>): Promise<ODataError> {
  try {
    await run();
  } catch (error) {
    // Kiota throws the deserialised error model itself (a backed model, not an Error instance).
    assert.ok(error && typeof error === 'object', 'Kiota threw no error object');
    return error as ODataError;
  }
  assert.fail('the request did not fail');
}

describe('Kiota GraphBetaRequestAdapter against localgraph', () => {
  it('creates a connector: a typed Connector comes back', async () => {
    const created = await createConnector({
      externalIp: '131.137.147.164',
      machineName: 'connectorA.redmond.contoso.com',
      status: 'active',
    });
    assert.match(created.id ?? '', GUID);
    assert.equal(created.externalIp, '131.137.147.164');
    assert.equal(created.machineName, 'connectorA.redmond.contoso.com');
    assert.equal(created.status, 'active');
    assert.equal(typeof created.version, 'string');
    assert.ok((created.version ?? '').length > 0);
    assert.ok(tokenRequests > 0, 'the token provider was not asked (host not allowed?)');
  });

  it('creates with a client id and reads it back with GET', async () => {
    const id = randomUUID();
    const created = await createConnector({
      id,
      externalIp: '68.0.191.210',
      machineName: 'connectorB.contoso.com',
      status: 'inactive',
    });
    assert.equal(created.id, id);
    const got = await getConnector(id.toUpperCase());
    assert.ok(got);
    assert.equal(got.id, id);
    assert.equal(got.machineName, 'connectorB.contoso.com');
    assert.equal(got.status, 'inactive');
    assert.equal(got.version, created.version);
  });

  it('lists connectors as a ConnectorCollectionResponse', async () => {
    const created = await createConnector({
      externalIp: '40.78.66.161',
      machineName: 'connectorC.contoso.com',
      status: 'active',
    });
    const page = await adapter.send<ConnectorCollectionResponse>(
      collectionRequest(HttpMethod.GET),
      createConnectorCollectionResponseFromDiscriminatorValue,
      errorMapping,
    );
    assert.ok(page?.value);
    assert.ok(page.value.length >= 3);
    const found = page.value.find((c) => c.id === created.id);
    assert.ok(found);
    assert.equal(found.machineName, 'connectorC.contoso.com');
    assert.equal(page.odataNextLink ?? undefined, undefined);
  });

  it('updates with sendNoResponseContent (PATCH 204), then GET shows it', async () => {
    const created = await createConnector({
      externalIp: '10.0.0.1',
      machineName: 'before.contoso.com',
      status: 'active',
    });
    const info = entityRequest(HttpMethod.PATCH, created.id!);
    info.setContentFromParsable(
      adapter,
      'application/json',
      { machineName: 'after.contoso.com', status: 'inactive' } as Connector,
      serializeConnector,
    );
    await adapter.sendNoResponseContent(info, errorMapping);
    const got = await getConnector(created.id!);
    assert.equal(got?.machineName, 'after.contoso.com');
    assert.equal(got?.status, 'inactive');
    assert.equal(got?.externalIp, '10.0.0.1');
  });

  it('deletes, after which GET is an ODataError 404 Request_ResourceNotFound', async () => {
    const created = await createConnector({
      externalIp: '10.0.0.2',
      machineName: 'doomed.contoso.com',
      status: 'active',
    });
    await adapter.sendNoResponseContent(entityRequest(HttpMethod.DELETE, created.id!), errorMapping);
    const error = await odataError(() => getConnector(created.id!));
    assert.equal(error.responseStatusCode, 404);
    assert.equal(error.errorEscaped?.code, 'Request_ResourceNotFound');
    assert.match(error.errorEscaped?.message ?? '', new RegExp(created.id!));
    assert.equal(error.message, error.errorEscaped?.message);
    const again = await odataError(() =>
      adapter.sendNoResponseContent(entityRequest(HttpMethod.DELETE, created.id!), errorMapping),
    );
    assert.equal(again.responseStatusCode, 404);
  });

  it('an invalid enum (the seed body) is an ODataError 400 with code, message and innerError', async () => {
    const info = collectionRequest(HttpMethod.POST);
    // The typed serializer cannot write an invalid enum member, so the seed's raw JSON goes as is.
    info.headers.tryAdd('Content-Type', 'application/json');
    info.headers.tryAdd('client-request-id', 'kiota-e2e-correlation');
    info.content = new TextEncoder().encode(
      '{"@odata.type":"#microsoft.graph.connector","externalIp":"String","machineName":"String","status":"String"}',
    ).buffer as ArrayBuffer;
    const error = await odataError(() =>
      adapter.send<Connector>(info, createConnectorFromDiscriminatorValue, errorMapping),
    );
    assert.equal(error.responseStatusCode, 400);
    const main = error.errorEscaped;
    assert.ok(main, 'the ODataError has no error body');
    assert.equal(main.code, 'Request_BadRequest');
    assert.match(main.message ?? '', /'status'/);
    assert.equal(main.details?.[0]?.target, 'status');
    const inner = main.innerError;
    assert.ok(inner, 'no innerError');
    assert.match(inner.requestId ?? '', GUID);
    assert.equal(inner.clientRequestId, 'kiota-e2e-correlation');
    assert.ok(inner.date instanceof Date && !Number.isNaN(inner.date.getTime()));
    // innerError.request-id is the request-id response header.
    const headers = error.responseHeaders ?? {};
    const header = Object.entries(headers).find(([name]) => name.toLowerCase() === 'request-id')?.[1];
    assert.ok(header, `no request-id header among ${Object.keys(headers).join(', ')}`);
    assert.deepEqual([...header], [inner.requestId]);
  });

  it('a connector under an unknown profile is an ODataError 404', async () => {
    const error = await odataError(() =>
      adapter.send<ConnectorCollectionResponse>(
        collectionRequest(HttpMethod.GET, 'foo'),
        createConnectorCollectionResponseFromDiscriminatorValue,
        errorMapping,
      ),
    );
    assert.equal(error.responseStatusCode, 404);
    assert.equal(error.errorEscaped?.code, 'Request_ResourceNotFound');
  });

  it('PageIterator walks every page with Prefer: odata.maxpagesize=2, each connector once', async () => {
    for (let i = 0; i < 3; i++)
      await createConnector({ externalIp: `10.1.0.${i}`, machineName: `paged-${i}.contoso.com`, status: 'active' });
    const all = await adapter.send<ConnectorCollectionResponse>(
      collectionRequest(HttpMethod.GET),
      createConnectorCollectionResponseFromDiscriminatorValue,
      errorMapping,
    );
    const expected = (all?.value ?? []).map((c) => c.id!);
    assert.ok(expected.length >= 6);

    const prefer = new Headers();
    prefer.add('Prefer', 'odata.maxpagesize=2');
    const first = collectionRequest(HttpMethod.GET);
    first.headers.add('Prefer', 'odata.maxpagesize=2');
    const page = await adapter.send<ConnectorCollectionResponse>(
      first,
      createConnectorCollectionResponseFromDiscriminatorValue,
      errorMapping,
    );
    assert.ok(page?.value);
    assert.equal(page.value.length, 2);
    assert.ok(page.odataNextLink, 'the first page has no nextLink');

    const seen: string[] = [];
    const iterator = new PageIterator<Connector>(
      adapter,
      page as PageCollection<Connector>,
      (c) => {
        seen.push(c.id!);
        return true;
      },
      createConnectorCollectionResponseFromDiscriminatorValue as never,
      errorMapping,
      { headers: prefer },
    );
    await iterator.iterate();
    assert.equal(iterator.getPagingState(), 'Complete');
    assert.equal(new Set(seen).size, seen.length, 'a connector came twice');
    assert.deepEqual([...seen].sort(), [...expected].sort());
  });
});

describe('Kiota PageIterator over $top pages', () => {
  it('walks pages of $top=2 with $select and no Prefer header: each connector once, $select on every page', async () => {
    const all = await adapter.send<ConnectorCollectionResponse>(
      collectionRequest(HttpMethod.GET),
      createConnectorCollectionResponseFromDiscriminatorValue,
      errorMapping,
    );
    const expected = (all?.value ?? []).map((c) => c.id!);
    assert.ok(expected.length >= 5);

    // As the generated ConnectorsRequestBuilder builds it: the query options in the URL template.
    const first = new RequestInformation(HttpMethod.GET, `${COLLECTION}{?%24top,%24select}`);
    first.pathParameters.baseurl = adapter.baseUrl;
    first.pathParameters['onPremisesPublishingProfile%2Did'] = 'applicationProxy';
    first.queryParameters['%24top'] = 2;
    first.queryParameters['%24select'] = ['id', 'machineName'];
    first.headers.tryAdd('Accept', 'application/json');
    const page = await adapter.send<ConnectorCollectionResponse>(
      first,
      createConnectorCollectionResponseFromDiscriminatorValue,
      errorMapping,
    );
    assert.ok(page?.value);
    assert.equal(page.value.length, 2);
    assert.ok(page.odataNextLink, 'a $top page with rows left has a nextLink');
    assert.equal(new URL(page.odataNextLink).searchParams.get('$top'), '2');

    const seen: string[] = [];
    const iterator = new PageIterator<Connector>(
      adapter,
      page as PageCollection<Connector>,
      (c) => {
        assert.equal(c.status ?? undefined, undefined, '$select was lost on a later page');
        assert.ok(c.machineName);
        seen.push(c.id!);
        return true;
      },
      createConnectorCollectionResponseFromDiscriminatorValue as never,
      errorMapping,
    );
    await iterator.iterate();
    assert.equal(iterator.getPagingState(), 'Complete');
    assert.equal(new Set(seen).size, seen.length, 'a connector came twice');
    assert.deepEqual([...seen].sort(), [...expected].sort());
  });
});

describe('$batch through the Kiota core batch helpers', () => {
  it('BatchRequestContent posts creates and reads; each answer parses with the generated models', async () => {
    const batch = new BatchRequestContent(adapter, errorMapping);
    const create = collectionRequest(HttpMethod.POST);
    create.setContentFromParsable(
      adapter,
      'application/json',
      { externalIp: '10.9.9.9', machineName: 'batched.contoso.com', status: 'active' } as Connector,
      serializeConnector,
    );
    const createStep = batch.addBatchRequest(create);
    const list = collectionRequest(HttpMethod.GET);
    const listStep = batch.addBatchRequest(list);
    const missing = batch.addBatchRequest(entityRequest(HttpMethod.GET, randomUUID()));

    const response = await batch.postAsync();
    assert.ok(response, 'no batch response');
    const statuses = await response.getResponsesStatusCodes();
    assert.equal(statuses.get(createStep.id), 201);
    assert.equal(statuses.get(listStep.id), 200);
    assert.equal(statuses.get(missing.id), 404);

    // This helper reads item bodies as base64 byte arrays (getByteArrayValue), while Graph answers
    // JSON bodies, so the created connector is checked with a read of its own.
    const check = collectionRequest(HttpMethod.GET);
    check.urlTemplate = `${COLLECTION}{?%24filter}`;
    check.queryParameters['%24filter'] = "machineName eq 'batched.contoso.com'";
    const found = await adapter.send<ConnectorCollectionResponse>(
      check,
      createConnectorCollectionResponseFromDiscriminatorValue,
      errorMapping,
    );
    assert.equal(found?.value?.length, 1, 'the batched create was stored');
    assert.equal(found?.value?.[0].externalIp, '10.9.9.9');
  });

  it('dependsOn: a request after a failed one answers 424', async () => {
    const batch = new BatchRequestContent(adapter, errorMapping);
    const bad = collectionRequest(HttpMethod.POST);
    bad.headers.tryAdd('Content-Type', 'application/json');
    bad.content = new TextEncoder().encode(JSON.stringify({ machineName: 'no-ip' })).buffer as ArrayBuffer;
    const first = batch.addBatchRequest(bad);
    const second = batch.addBatchRequest(collectionRequest(HttpMethod.GET));
    second.dependsOn = [first.id];
    const response = await batch.postAsync();
    const statuses = await response!.getResponsesStatusCodes();
    assert.equal(statuses.get(first.id), 400);
    assert.equal(statuses.get(second.id), 424);
  });
});
