import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createSecureContext, TLSSocket, type SecureContext } from 'node:tls';
import type { LeafIssuer, LeafMaterial } from './certificate-authority.js';
import { INTERCEPTED_HOSTS, hostName } from './intercepted-hosts.js';

/**
 * `serve --proxy-port`: an HTTP/1.1 forward proxy that is a transport, not a second app.
 *
 * `CONNECT graph.microsoft.com:443` (or a login alias) is answered `200`, TLS is terminated with
 * a leaf of localgraph's CA for that host, and the decrypted socket is handed to the direct
 * port's own HTTP server, as if it had connected there: same routes, tenants, tokens, limits,
 * logs and faults. Every other CONNECT, and every plain request (absolute-form
 * `GET http://host/...`), is refused with 403 and a one-line reason. The proxy never opens a
 * connection of its own: nothing it receives leaves the machine.
 */
export interface ForwardProxyOptions {
  /** The direct port's server, which serves the tunnels. */
  target: Server;
  /** Whether `target` is a TLS server (`--https`): it then takes sockets on `secureConnection`. */
  targetTls: boolean;
  leaves: LeafIssuer;
  /** How long a client has to finish its TLS handshake (and to send a request head to the proxy). */
  handshakeTimeoutMs: number;
  /** Proxy connections accepted at once (0: no limit); tunnels count on the target once decrypted. */
  maxConnections: number;
  /** Told of each refusal, for the log. */
  onRefused?: (what: string, reason: string) => void;
}

const tunnelHost = Symbol('localgraph.tunnelHost');
type TunnelSocket = TLSSocket & { [tunnelHost]?: string };

/** The host a request's connection was tunnelled to through the proxy; undefined on the direct port. */
export function tunnelHostOf(socket: unknown): string | undefined {
  return (socket as TunnelSocket | null)?.[tunnelHost];
}

const INTERCEPTED_LIST = [...INTERCEPTED_HOSTS.keys()].join(', ');

export function createForwardProxy(options: ForwardProxyOptions): Server {
  const contexts = new WeakMap<LeafMaterial, SecureContext>();
  const contextFor = async (host: string): Promise<SecureContext> => {
    const leaf = await options.leaves.leaf([host]);
    let context = contexts.get(leaf);
    if (!context) {
      context = createSecureContext({ cert: leaf.cert, key: leaf.key, minVersion: 'TLSv1.2' });
      contexts.set(leaf, context);
    }
    return context;
  };

  const proxy = createServer({
    headersTimeout: options.handshakeTimeoutMs || undefined,
    requestTimeout: options.handshakeTimeoutMs || undefined,
    maxHeaderSize: 16 * 1024,
  });
  if (options.maxConnections > 0) proxy.maxConnections = options.maxConnections;

  proxy.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const { status, reason } = plainRequestRefusal(request);
    options.onRefused?.(`${request.method} ${request.url}`, reason);
    const body = `${reason}\n`;
    response.writeHead(status, {
      'content-type': 'text/plain; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      connection: 'close',
      'cache-control': 'no-store',
    });
    response.end(body);
  });

  proxy.on('connect', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const target = parseAuthority(request.url ?? '');
    const refusal = connectRefusal(target);
    if (refusal) {
      options.onRefused?.(`CONNECT ${request.url}`, refusal.reason);
      return refuse(socket, refusal.status, refusal.reason);
    }
    void contextFor(target!.host).then(
      (context) => open(socket as Socket, head, target!.host, context),
      () => refuse(socket, 502, `localgraph could not make a certificate for ${target!.host}`),
    );
  });

  const open = (socket: Socket, head: Buffer, host: string, context: SecureContext): void => {
    if (socket.destroyed) return;
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) socket.unshift(head);
    const tls: TunnelSocket = new TLSSocket(socket, {
      isServer: true,
      secureContext: context,
      ALPNProtocols: ['http/1.1'],
    });
    tls[tunnelHost] = host;
    // A client that never completes the handshake (or sends anything but a ClientHello) loses
    // its tunnel alone; the target server never sees it.
    const timer =
      options.handshakeTimeoutMs > 0 ? setTimeout(() => tls.destroy(), options.handshakeTimeoutMs) : undefined;
    const failed = () => {
      clearTimeout(timer);
      tls.destroy();
      socket.destroy();
    };
    tls.on('error', failed);
    tls.once('secure', () => {
      clearTimeout(timer);
      tls.off('error', failed);
      options.target.emit(options.targetTls ? 'secureConnection' : 'connection', tls);
    });
  };

  return proxy;
}

interface Authority {
  host: string;
  port: number;
}

/** `host:port` of a CONNECT request (`[::1]:443` for IPv6), or undefined when it is not one. */
export function parseAuthority(target: string): Authority | undefined {
  const match = /^(\[[0-9a-fA-F:.]+\]|[^\s:[\]/@]+):(\d{1,5})$/.exec(target);
  if (!match) return undefined;
  const port = Number(match[2]);
  if (port < 1 || port > 65535) return undefined;
  return { host: hostName(match[1]), port };
}

function connectRefusal(target: Authority | undefined): { status: number; reason: string } | undefined {
  if (!target) return { status: 400, reason: 'localgraph proxy: CONNECT needs a host:port target' };
  if (!INTERCEPTED_HOSTS.has(target.host)) {
    return {
      status: 403,
      reason: `localgraph proxy: ${target.host} is not intercepted (only ${INTERCEPTED_LIST}) and nothing is forwarded elsewhere`,
    };
  }
  if (target.port !== 443)
    return {
      status: 403,
      reason: `localgraph proxy: ${target.host} is intercepted on port 443 only, not ${target.port}`,
    };
  return undefined;
}

function plainRequestRefusal(request: IncomingMessage): { status: number; reason: string } {
  let url: URL | undefined;
  try {
    url = /^[a-z][a-z0-9+.-]*:\/\//i.test(request.url ?? '') ? new URL(request.url!) : undefined;
  } catch {
    url = undefined;
  }
  if (!url)
    return {
      status: 400,
      reason:
        'localgraph proxy: this port is an HTTPS proxy (send CONNECT host:443); Graph itself is on the direct port',
    };
  const host = hostName(url.host);
  if (INTERCEPTED_HOSTS.has(host))
    return {
      status: 403,
      reason: `localgraph proxy: ${host} is intercepted over HTTPS only (CONNECT ${host}:443), not ${url.protocol.slice(0, -1)}`,
    };
  return {
    status: 403,
    reason: `localgraph proxy: ${host} is not intercepted (only ${INTERCEPTED_LIST}) and nothing is forwarded elsewhere`,
  };
}

function refuse(socket: Duplex, status: number, reason: string): void {
  if (socket.destroyed) return;
  const body = `${reason}\n`;
  const text = status === 400 ? 'Bad Request' : status === 403 ? 'Forbidden' : 'Bad Gateway';
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
