/**
 * A preload for third-party servers the bench compares against (json-server): once the process's
 * first HTTP server listens, it prints "peer listening on http://127.0.0.1:PORT/" on stdout, the
 * line the bench waits for. json-server's own banner will not do: it prints the port it was given
 * (so no `--port 0`), and `--quiet`, which the bench needs (a log line per request would be work
 * the baseline does not do), silences it altogether by replacing console.log.
 *
 *   node --import ./dist/bench/announce-listen.js node_modules/json-server/lib/cli/bin.js --quiet --port 0 ...
 *
 * It touches nothing after the listen: requests run exactly as without it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const listen = http.Server.prototype.listen;
let announced = false;
http.Server.prototype.listen = function (this: http.Server, ...args: unknown[]) {
  this.once('listening', () => {
    if (announced) return;
    announced = true;
    const { port } = this.address() as AddressInfo;
    // process.stdout, not console.log: json-server --quiet replaces console.log with a no-op.
    process.stdout.write(`peer listening on http://127.0.0.1:${port}/\n`);
  });
  return listen.apply(this, args as Parameters<typeof listen>);
} as typeof listen;
