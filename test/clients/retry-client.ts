/**
 * A client program for the fault-injection tests, run as a child process with NODE_EXTRA_CA_CERTS
 * set to localgraph's certificate: @microsoft/microsoft-graph-client 3.0.7, unchanged, with its
 * default middleware chain (RetryHandler included), lists connectors once and prints what it got.
 *
 * Usage: node retry-client.js   with LG_ORIGIN (https) and LG_TOKEN in the environment.
 */
import graph from '@microsoft/microsoft-graph-client';

const { Client, GraphError } = graph;
const origin = process.env.LG_ORIGIN!;
const token = process.env.LG_TOKEN!;

const client = Client.initWithMiddleware({
  authProvider: { getAccessToken: async () => token },
  baseUrl: origin,
  defaultVersion: 'beta',
  customHosts: new Set([new URL(origin).hostname]),
});

const started = Date.now();
try {
  const page = await client.api('/onPremisesPublishingProfiles/applicationProxy/connectors').get();
  console.log(JSON.stringify({ ok: true, count: page.value.length, elapsedMs: Date.now() - started }));
} catch (error) {
  const e = error as InstanceType<typeof GraphError>;
  console.log(
    JSON.stringify({
      ok: false,
      statusCode: e.statusCode,
      code: e.code,
      message: e.message,
      elapsedMs: Date.now() - started,
    }),
  );
}
