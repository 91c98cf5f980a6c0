/**
 * Loaded into a server process (`NODE_OPTIONS=--import=<this file>`) to prove what it connects
 * to: every outbound socket connect and every DNS lookup it attempts is appended, as one JSON
 * line, to the file named by LOCALGRAPH_TEST_CONNECT_LOG. A test then reads the file.
 */
import dns from 'node:dns';
import { appendFileSync } from 'node:fs';
import net from 'node:net';

const log = process.env.LOCALGRAPH_TEST_CONNECT_LOG;
if (log) {
  const record = (entry: Record<string, unknown>) => appendFileSync(log, `${JSON.stringify(entry)}\n`);
  // Proof that the guard is in place: an empty log would otherwise pass for a clean one.
  record({ guarding: process.pid });
  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    const first = (Array.isArray(args[0]) ? args[0][0] : args[0]) as Record<string, unknown> | number | string;
    if (typeof first === 'object' && first !== null)
      record({ connect: { host: first.host, port: first.port, path: first.path } });
    else if (typeof first === 'number') record({ connect: { host: args[1], port: first } });
    else record({ connect: { path: first } });
    return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof connect;
  const lookup = dns.lookup;
  dns.lookup = ((hostname: string, ...rest: unknown[]) => {
    record({ lookup: hostname });
    return (lookup as (...a: unknown[]) => unknown).call(dns, hostname, ...rest);
  }) as typeof dns.lookup;
  const promisesLookup = dns.promises.lookup;
  dns.promises.lookup = ((hostname: string, ...rest: unknown[]) => {
    record({ lookup: hostname });
    return (promisesLookup as (...a: unknown[]) => Promise<unknown>).call(dns.promises, hostname, ...rest);
  }) as typeof dns.promises.lookup;
}
