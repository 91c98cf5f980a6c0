import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, basename } from 'node:path';
import type { DefaultIdentity } from '../auth/identity.js';

/**
 * What a script that starts `localgraph serve` needs to know once it takes requests: where it
 * is, its token endpoint, default tenant and app. Written to `--ready-file FILE` (JSON, whole or
 * not at all) and, with `--log-format json`, printed as one JSON "ready" line on stdout.
 * No secret: an in-memory server's token only (it is printed in its banner too, and dies with it).
 */
export interface ReadyFacts {
  url: string;
  graphUrl: string;
  consoleUrl: string;
  tokenUrl: string;
  healthUrl: string;
  tenantId: string;
  clientId: string;
  username: string;
  pid: number;
  proxyUrl?: string;
  caFile?: string;
  /** The in-memory server's delegated token (24 h). */
  token?: string;
}

export function readyFacts(
  origin: string,
  identity: DefaultIdentity,
  extra: { proxyUrl?: string; caFile?: string; token?: string },
): ReadyFacts {
  return {
    url: origin,
    graphUrl: `${origin}/beta/`,
    consoleUrl: `${origin}/console/`,
    tokenUrl: `${origin}/${identity.tenantId}/oauth2/v2.0/token`,
    healthUrl: `${origin}/health`,
    tenantId: identity.tenantId,
    clientId: identity.appId,
    username: identity.userPrincipalName,
    pid: process.pid,
    ...(extra.proxyUrl ? { proxyUrl: extra.proxyUrl } : {}),
    ...(extra.caFile ? { caFile: extra.caFile } : {}),
    ...(extra.token ? { token: extra.token } : {}),
  };
}

/**
 * Writes the file whole: to a temporary name beside it, then renamed over it, so that a script
 * that polls for it never reads half of it.
 */
export function writeReadyFile(file: string, facts: ReadyFacts): void {
  const temporary = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  writeFileSync(temporary, `${JSON.stringify(facts, null, 2)}\n`);
  renameSync(temporary, file);
}

/** Removed at start (a stale one would say a server is ready) and when the server stops. */
export function removeReadyFile(file: string): void {
  rmSync(file, { force: true });
}

/**
 * One line in the shape of the JSON logs (pino's: level 30 is info), `msg` last, so that it sits
 * among the request logs of `--log-format json` as one more record.
 */
export function jsonRecord(msg: string, fields: Record<string, unknown>): string {
  return `${JSON.stringify({ level: 30, time: Date.now(), pid: process.pid, hostname: hostname(), ...fields, msg })}\n`;
}
