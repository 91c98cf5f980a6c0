/**
 * Raw clients of localgraph's proxy (`serve --proxy-port`): a CONNECT by hand, TLS on the
 * tunnel with only localgraph's CA trusted, and HTTP/1.1 requests written and read one after
 * another on it, so that a test knows exactly which connection carried what.
 */
import { once } from 'node:events';
import { connect as netConnect, type Socket } from 'node:net';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';

/** Sends `head` (a CONNECT or any request head) to the proxy; resolves with the socket and the status line, headers and body read so far. */
export async function sendToProxy(
  proxyUrl: string,
  head: string,
): Promise<{ socket: Socket; status: number; response: string }> {
  const { hostname, port } = new URL(proxyUrl);
  const socket = netConnect({ host: hostname, port: Number(port) });
  await once(socket, 'connect');
  socket.write(head);
  let data = Buffer.alloc(0);
  while (!data.includes('\r\n\r\n')) {
    const chunk = await new Promise<Buffer | undefined>((resolve, reject) => {
      const onData = (d: Buffer) => done(d);
      const onEnd = () => done(undefined);
      const done = (d: Buffer | undefined) => {
        socket.off('data', onData).off('end', onEnd).off('error', reject);
        resolve(d);
      };
      socket.once('data', onData).once('end', onEnd).once('error', reject);
    });
    if (!chunk) break;
    data = Buffer.concat([data, chunk]);
  }
  socket.pause();
  const text = data.toString('utf8');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
  return { socket, status, response: text };
}

/** A refused CONNECT's or request's answer, read to its end (the proxy closes the connection). */
export async function proxyRefusal(
  proxyUrl: string,
  head: string,
): Promise<{ status: number; body: string; closed: boolean }> {
  const { socket, status, response } = await sendToProxy(proxyUrl, head);
  let rest = '';
  socket.setEncoding('utf8').on('data', (d: string) => (rest += d));
  socket.resume();
  await once(socket, 'close');
  const whole = response + rest;
  return { status, body: whole.slice(whole.indexOf('\r\n\r\n') + 4), closed: true };
}

/** A TLS connection to `host` through the proxy, trusting only `ca`. */
export async function openTunnel(proxyUrl: string, host: string, ca: string): Promise<TLSSocket> {
  const { socket, status, response } = await sendToProxy(
    proxyUrl,
    `CONNECT ${host}:443 HTTP/1.1\r\nHost: ${host}:443\r\n\r\n`,
  );
  if (status !== 200) throw new Error(`CONNECT ${host}: ${response}`);
  const tls = tlsConnect({ socket, servername: host, ca, ALPNProtocols: ['http/1.1'] });
  await once(tls, 'secureConnect');
  return tls;
}

export interface TunnelResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends one request on a kept-alive connection and reads its answer (Content-Length framed). */
export async function exchange(
  socket: TLSSocket,
  request: { method?: string; host: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<TunnelResponse> {
  const body = request.body ?? '';
  const headers = {
    host: request.host,
    ...(body ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
    ...(request.headers ?? {}),
  };
  socket.write(
    `${request.method ?? 'GET'} ${request.path} HTTP/1.1\r\n${Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('')}\r\n${body}`,
  );
  let data = Buffer.alloc(0);
  for (;;) {
    const end = data.indexOf('\r\n\r\n');
    if (end >= 0) {
      const head = data.subarray(0, end).toString('latin1').split('\r\n');
      const parsed: Record<string, string> = {};
      for (const line of head.slice(1))
        parsed[line.slice(0, line.indexOf(':')).toLowerCase()] = line.slice(line.indexOf(':') + 1).trim();
      const length = Number(parsed['content-length'] ?? 0);
      if (data.length >= end + 4 + length) {
        if (data.length > end + 4 + length) throw new Error('more bytes than one answer');
        return {
          status: Number(head[0].split(' ')[1]),
          headers: parsed,
          body: data.subarray(end + 4, end + 4 + length).toString('utf8'),
        };
      }
    }
    const chunk = await new Promise<Buffer | undefined>((resolve, reject) => {
      const onData = (d: Buffer) => done(d);
      const onEnd = () => done(undefined);
      const done = (d: Buffer | undefined) => {
        socket.off('data', onData).off('end', onEnd).off('error', reject);
        resolve(d);
      };
      socket.once('data', onData).once('end', onEnd).once('error', reject);
    });
    if (!chunk) throw new Error(`the connection ended mid-answer: ${data.toString('utf8')}`);
    data = Buffer.concat([data, chunk]);
  }
}
