import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DEFAULT_TENANT_SETTING } from '../auth/identity.js';
import { errors } from '../graph/errors.js';
import type { Store } from '../store/store.js';
import { CONSOLE_PATH } from './console-route.js';

/**
 * `GET /`: what someone who opens the server's address in a browser, or curls it, first sees: a
 * small page linking the console, the metadata document, the health check and the OpenID
 * configuration, with a quick start (a token, then a request) written for this server's origin
 * and default tenant. `Accept: application/json` gets the same links as one JSON object. No
 * token needed; it shows public identifiers only, like the console's sign-in defaults.
 */
export function registerHomeRoute(app: FastifyInstance, store: Store): void {
  app.get('/', async (request, reply) => {
    // The router also brings '//' and '///beta/…' here (duplicate slashes are ignored); for Graph
    // those name an empty version, as they did before this page existed.
    if (request.url.split('?')[0] !== '/') throw errors.invalidVersion();
    const links = homeLinks(origin(request), (await store.getSetting(DEFAULT_TENANT_SETTING)) ?? 'organizations');
    reply.header('Cache-Control', 'no-store').header('X-Content-Type-Options', 'nosniff');
    if (prefersJson(request.headers.accept))
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(links));
    return reply
      .header(
        'Content-Security-Policy',
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      )
      .header('X-Frame-Options', 'DENY')
      .header('Referrer-Policy', 'no-referrer')
      .type('text/html; charset=utf-8')
      .send(homePage(links));
  });
}

export interface HomeLinks {
  name: 'localgraph';
  graph: string;
  metadata: string;
  console: string;
  health: string;
  tenantId: string;
  /** The Entra-style authority MSAL and the Azure SDKs take (`authority`, `authorityHost`). */
  authority: string;
  tokenEndpoint: string;
  openIdConfiguration: string;
}

export function homeLinks(origin: string, tenantId: string): HomeLinks {
  return {
    name: 'localgraph',
    graph: `${origin}/beta/`,
    metadata: `${origin}/beta/$metadata`,
    console: `${origin}${CONSOLE_PATH}/`,
    health: `${origin}/health`,
    tenantId,
    authority: `${origin}/${tenantId}`,
    tokenEndpoint: `${origin}/${tenantId}/oauth2/v2.0/token`,
    openIdConfiguration: `${origin}/${tenantId}/v2.0/.well-known/openid-configuration`,
  };
}

/** The origin the client reached (the host check has already vetted the Host header). */
function origin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/** JSON when the client asks for it before (or instead of) HTML. */
function prefersJson(accept: string | undefined): boolean {
  if (!accept) return false;
  const types = accept.split(',').map((part) => part.split(';')[0].trim().toLowerCase());
  const json = types.findIndex((t) => t === 'application/json' || t.endsWith('+json'));
  const html = types.indexOf('text/html');
  return json >= 0 && (html < 0 || json < html);
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function homePage(links: HomeLinks): string {
  const e = Object.fromEntries(Object.entries(links).map(([k, v]) => [k, escapeHtml(v)])) as unknown as HomeLinks;
  const connectors = `${e.graph}onPremisesPublishingProfiles/applicationProxy/connectors`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>localgraph</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem}pre{background:#f4f4f4;padding:.75rem;overflow-x:auto}code{font-size:.9em}</style>
</head>
<body>
<h1>localgraph</h1>
<p>A Microsoft Graph (beta) for the on-premises publishing API family, served at <code>${e.graph}</code>.</p>
<ul>
<li><a href="${e.console}">Console</a>: sign in and browse the data</li>
<li><a href="${e.metadata}">$metadata</a>: the CSDL of what is served</li>
<li><a href="${e.health}">/health</a>: whether the server can serve</li>
<li><a href="${e.openIdConfiguration}">OpenID configuration</a> of the default tenant <code>${e.tenantId}</code></li>
</ul>
<h2 id="quick-start">Quick start</h2>
<p>Get a token with the default app's client id and secret (both printed by <code>localgraph serve</code> at its first start; <code>localgraph app list</code> lists the apps), then call Graph with it:</p>
<pre><code>TOKEN=$(curl -s ${e.tokenEndpoint} -d grant_type=client_credentials \\
  -d client_id=CLIENT_ID --data-urlencode client_secret=SECRET \\
  --data-urlencode scope=https://graph.microsoft.com/.default | jq -r .access_token)
curl -s -H "Authorization: Bearer $TOKEN" ${connectors}</code></pre>
<p>Or, beside the server: <code>localgraph token --scopes Directory.ReadWrite.All</code>. SDKs take <code>${e.graph}</code> as their base URL and <code>${e.authority}</code> as their authority.</p>
</body>
</html>
`;
}
