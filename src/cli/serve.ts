import { defaultIdentity } from '../auth/identity.js';
import { activeSigningKey } from '../auth/signing-key.js';
import { issueAccessToken } from '../auth/tokens.js';
import { createApp, randomIds } from '../http/app.js';
import { DEFAULT_DATA_DIR, openStore, type StoreLocation } from '../store/open.js';
import { parseOptions, parsePort, UsageError } from './usage.js';

export const DEFAULT_PORT = 5080;
const SHUTDOWN_GRACE_MS = 5000;
const ADMIN_SCOPES = ['Directory.ReadWrite.All', 'OnPremisesPublishingProfiles.ReadWrite.All', 'Policy.ReadWrite.HybridAuthentication', 'Application.ReadWrite.All'];

export const serveHelp = `Usage: localgraph serve [--host H] [--port N] [--data DIR | --in-memory] [--status-codes live|docs]

Serves Microsoft Graph beta's on-premises publishing API at http://H:N/beta/.

  --host H        address to listen on (default: 127.0.0.1)
  --port N        port to listen on; 0 picks a free one (default: ${DEFAULT_PORT})
  --data DIR      data folder: SQLite database and signing key, kept across restarts
                  (default: ./${DEFAULT_DATA_DIR}, or $LOCALGRAPH_DATA)
  --in-memory     keep nothing: data lives until the process ends; prints a ready token
  --status-codes M  where Graph's docs and its live service disagree (connector group create
                  and update): 'live' answers 200 and 204 as the service does, 'docs' answers
                  201 and 200 with the group as the reference pages say (default: live)
  -h, --help      this help

Prints "localgraph listening on URL" once it takes requests. SIGTERM or SIGINT finishes the
requests in flight, closes the database and exits 0.`;

export async function serveCommand(args: string[]): Promise<number> {
  const values = parseOptions(args, {
    host: { type: 'string' },
    port: { type: 'string' },
    data: { type: 'string' },
    'in-memory': { type: 'boolean' },
    'status-codes': { type: 'string' },
  });
  if (values.help) {
    console.log(serveHelp);
    return 0;
  }
  if (values.data !== undefined && values['in-memory']) throw new UsageError('--data and --in-memory exclude each other');
  const port = parsePort(values.port, DEFAULT_PORT);
  const statusCodes = values['status-codes'] ?? 'live';
  if (statusCodes !== 'live' && statusCodes !== 'docs') throw new UsageError(`--status-codes must be 'live' or 'docs', not '${statusCodes}'`);
  const host = values.host ?? '127.0.0.1';
  const dataDir = values.data ?? process.env.LOCALGRAPH_DATA ?? DEFAULT_DATA_DIR;
  const location: StoreLocation = values['in-memory'] ? { kind: 'memory' } : { kind: 'folder', dir: dataDir };

  const store = await openStore(location);
  const now = new Date();
  const identity = await defaultIdentity(store, randomIds, now);
  const key = await activeSigningKey(store, now);
  const app = createApp({ store, serverOptions: { statusCodes } });
  const address = await app.listen({ host, port });
  const baseUrl = `${address.replace('://[::1]', '://localhost')}/beta/`;

  console.log(`localgraph listening on ${baseUrl}`);
  console.log(`  storage: ${location.kind === 'memory' ? 'in memory (nothing is kept)' : `SQLite in ${dataDir}`}`);
  console.log(`  default tenant: ${identity.tenantId}`);
  if (location.kind === 'memory') {
    const token = await issueAccessToken(key, { tenantId: identity.tenantId, appId: identity.appId, user: { objectId: identity.userId, userPrincipalName: identity.userPrincipalName }, scopes: ADMIN_SCOPES, lifetimeSeconds: 24 * 3600 }, now);
    console.log(`  token (delegated, ${identity.userPrincipalName}, 24 h): ${token}`);
  } else {
    console.log(`  get a token: localgraph token --data ${dataDir} --scopes "Directory.ReadWrite.All"`);
  }

  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      console.log(`localgraph: ${signal}, finishing requests in flight`);
      const force = setTimeout(() => {
        console.error('localgraph: requests still running after the grace period; exiting');
        process.exit(1);
      }, SHUTDOWN_GRACE_MS);
      force.unref();
      void app
        .close()
        .then(() => store.close())
        .then(() => {
          clearTimeout(force);
          resolve();
        });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  return 0;
}
