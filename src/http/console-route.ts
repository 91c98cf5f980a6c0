import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_TENANT_SETTING, DEFAULT_UPN } from '../auth/identity.js';
import type { Store } from '../store/store.js';

/**
 * The web console at `/console`: static files from the project's own `web/` folder (plain ES
 * modules and CSS, no build step, nothing from a CDN) and one small document of sign-in
 * defaults. The page itself needs no token; everything it shows it reads through the public
 * Graph API (and the token endpoint) with the signed-in user's token, like any SDK client.
 *
 *   GET /console, /console/            web/index.html
 *   GET /console/<path>                a file under web/ (known types only; no dot-files, no `..`)
 *   GET /console/config.json           the default tenant, application (client) id and user name,
 *                                      to prefill the sign-in form (public identifiers, no secret)
 */
export interface ConsoleRouteParts {
  store: Store;
  /** The folder served; default: the package's `web/`. */
  root?: string;
}

export const CONSOLE_PATH = '/console';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/**
 * Sent with every console response: scripts and styles only from this origin (no inline code,
 * so injected markup cannot run), API calls only to this origin, never framed, no referrer.
 */
const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; " +
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  // Revalidated on every load (cheap: ETag), so a new localgraph never runs an old console.
  'Cache-Control': 'no-cache',
};

/** The setting the default app's id is kept under (src/auth/identity.ts); read here, never written. */
const DEFAULT_APP_SETTING = 'default.appId';

/** The package's `web/` folder, from dist/src/http (compiled) or src/http (sources). */
export function defaultConsoleRoot(): string {
  const candidates = ['../../../web/', '../../web/'].map((relative) =>
    fileURLToPath(new URL(relative, import.meta.url)),
  );
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? candidates[0];
}

export function registerConsoleRoute(app: FastifyInstance, parts: ConsoleRouteParts): void {
  const root = resolve(parts.root ?? defaultConsoleRoot());
  const serve = (request: FastifyRequest, reply: FastifyReply) =>
    serveFile(root, consolePath(request.url), request, reply);

  app.get(CONSOLE_PATH, serve);
  app.get(`${CONSOLE_PATH}/config.json`, async (_request, reply) => {
    const [tenantId, clientId] = await Promise.all([
      parts.store.getSetting(DEFAULT_TENANT_SETTING),
      parts.store.getSetting(DEFAULT_APP_SETTING),
    ]);
    return reply
      .headers(SECURITY_HEADERS)
      .header('Cache-Control', 'no-store')
      .type('application/json; charset=utf-8')
      .send(
        JSON.stringify({
          tenant: tenantId ?? 'organizations',
          clientId: clientId ?? null,
          username: DEFAULT_UPN,
          scope: 'https://graph.microsoft.com/.default',
        }),
      );
  });
  app.get(`${CONSOLE_PATH}/*`, serve);
}

/**
 * The path under the console of a request URL, still percent-encoded: `/console/js/a.js?x` →
 * `js/a.js`; `/console` and `/console/` → ``.
 */
export function consolePath(url: string): string {
  const path = url.split(/[?#]/, 1)[0];
  return path.slice(CONSOLE_PATH.length).replace(/^\/+/, '');
}

/**
 * The file a console path names under `root`, or undefined when it names none that may be
 * served: every segment is decoded and must be a plain name (no `.`/`..`, no dot-file, no
 * slash or backslash or NUL hidden in an escape), the extension must be a known type, and
 * the file, symbolic links resolved, must lie inside `root`.
 */
export async function resolveConsoleFile(root: string, path: string): Promise<string | undefined> {
  const segments = path === '' ? ['index.html'] : path.split('/');
  const names: string[] = [];
  for (const segment of segments) {
    let name: string;
    try {
      name = decodeURIComponent(segment);
    } catch {
      return undefined;
    }
    if (name === '' || name.startsWith('.') || /[/\\\0]/.test(name)) return undefined;
    names.push(name);
  }
  if (!(extname(names[names.length - 1]).toLowerCase() in CONTENT_TYPES)) return undefined;
  const candidate = resolve(root, ...names);
  if (!candidate.startsWith(root + sep)) return undefined;
  try {
    const [real, realRoot] = await Promise.all([realpath(candidate), realpath(root)]);
    if (!real.startsWith(realRoot + sep)) return undefined;
    if (!(await stat(real)).isFile()) return undefined;
    return real;
  } catch {
    return undefined;
  }
}

async function serveFile(
  root: string,
  path: string,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  reply.headers(SECURITY_HEADERS);
  const file = await resolveConsoleFile(root, path);
  if (!file) return reply.status(404).type('text/plain; charset=utf-8').send('Not found\n');
  const body = await readFile(file);
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  reply.header('ETag', etag);
  if (request.headers['if-none-match'] === etag) return reply.status(304).send();
  return reply.type(CONTENT_TYPES[extname(file).toLowerCase()]).send(body);
}
