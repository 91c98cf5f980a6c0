/**
 * End-to-end helpers for identity: what a first start prints (the default app's client id and
 * secret, the default user's password), the server's certificate from `localgraph cert`, HTTPS
 * requests that trust it, and the SDK client program run as a child with NODE_EXTRA_CA_CERTS.
 */
import { spawn } from 'node:child_process';
import { request as httpsRequest } from 'node:https';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, tempDir, type RunningServer } from './server.js';

export const DEFAULT_UPN = 'admin@localgraph.onmicrosoft.com';
const SDK_CLIENT = fileURLToPath(new URL('../clients/sdk-client.js', import.meta.url));

export interface DefaultCredentials {
  clientId: string;
  clientSecret: string;
  userPrincipalName: string;
  password: string;
}

/** The default app and user a first start printed (throws if they were not printed). */
export function printedCredentials(server: RunningServer): DefaultCredentials {
  const out = server.stdout();
  const app = /default app: client id ([0-9a-f-]{36}), client secret (\S+) \(shown once\)/.exec(out);
  const user = /default user: (\S+), password (\S+) \(shown once\)/.exec(out);
  if (!app || !user) throw new Error(`no default credentials in\n${out}`);
  return { clientId: app[1], clientSecret: app[2], userPrincipalName: user[1], password: user[2] };
}

/**
 * The certificate a `--https` server presents, written to a file for NODE_EXTRA_CA_CERTS; returns
 * both. From `localgraph cert` on its folder or database; in memory, from the file its banner names.
 */
export async function serverCertificate(server: RunningServer): Promise<{ pem: string; file: string }> {
  if (server.inMemory) {
    const named = /tls: new certificate (\S+) /.exec(server.stdout());
    if (!named) throw new Error(`no certificate file in the banner\n${server.stdout()}`);
    return { pem: readFileSync(named[1], 'utf8'), file: named[1] };
  }
  const result = await runCli(['cert', ...server.storageArgs()]);
  if (result.code !== 0) throw new Error(`localgraph cert exited ${result.code}: ${result.stderr}`);
  const file = join(tempDir('localgraph-ca-'), 'localgraph.pem');
  writeFileSync(file, result.stdout);
  return { pem: result.stdout, file };
}

export interface HttpsResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: any;
  /** The certificate the server presented, PEM. */
  peerCertificate: string;
}

/** One HTTPS request that trusts `ca` (and nothing else). */
export function secureRequest(
  url: string,
  ca: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<HttpsResponse> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      { method: options.method ?? 'GET', headers: options.headers, ca, agent: false },
      (res) => {
        const raw = res.socket as import('node:tls').TLSSocket;
        const der = raw.getPeerCertificate?.().raw;
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d));
        res.on('end', () => {
          let body: unknown;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            body = undefined;
          }
          const peerCertificate = der
            ? `-----BEGIN CERTIFICATE-----\n${der
                .toString('base64')
                .replace(/(.{64})/g, '$1\n')
                .replace(/\n$/, '')}\n-----END CERTIFICATE-----\n`
            : '';
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body, peerCertificate });
        });
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** POSTs a token request form to `{origin}/{tenant}/oauth2/v2.0/token`. */
export function tokenRequest(
  origin: string,
  tenant: string,
  ca: string,
  params: Record<string, string>,
): Promise<HttpsResponse> {
  return secureRequest(`${origin}/${tenant}/oauth2/v2.0/token`, ca, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
}

/**
 * Runs test/clients/sdk-client.js `scenario` against `server` as its default app and user, with
 * NODE_EXTRA_CA_CERTS=caFile; resolves with its JSON.
 */
export function runSdkClient(
  scenario: string,
  server: Pick<RunningServer, 'baseUrl' | 'tenantId'>,
  creds: DefaultCredentials,
  caFile: string,
): Promise<Record<string, any>> {
  const env = {
    LG_ORIGIN: server.baseUrl,
    LG_TENANT: server.tenantId,
    LG_CLIENT_ID: creds.clientId,
    LG_SECRET: creds.clientSecret,
    LG_UPN: creds.userPrincipalName,
    LG_PASSWORD: creds.password,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SDK_CLIENT, scenario], {
      env: { ...process.env, ...env, NODE_EXTRA_CA_CERTS: caFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`sdk-client ${scenario} exited ${code}\n${stderr}\n${stdout}`));
      try {
        resolve(JSON.parse(stdout));
      } catch {
        reject(new Error(`sdk-client ${scenario} printed no JSON:\n${stdout}\n${stderr}`));
      }
    });
  });
}

/** The claims of a JWT, unverified. */
export function claimsOf(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}
