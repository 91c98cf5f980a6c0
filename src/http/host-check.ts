import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isIP } from 'node:net';
import { errors, renderError } from '../graph/errors.js';
import type { Clock } from '../resources/clock.js';
import { tunnelHostOf } from './forward-proxy.js';
import { hostName, interceptedRole, type HostRole } from './intercepted-hosts.js';

/**
 * Which `Host` names localgraph answers for: the defence against DNS rebinding. A web page on
 * another origin whose name is made to resolve to 127.0.0.1 reaches localgraph with its own
 * name in `Host`; with `--auth off` or `claims` it could otherwise read and write everything.
 * Loopback names are always accepted, and so are the intercepted Microsoft hosts (a page cannot
 * make a browser send `Host: graph.microsoft.com` to localgraph: the browser would reach
 * Microsoft over TLS). Other names only with `--allowed-host`, or when localgraph listens on a
 * non-loopback address without any `--allowed-host` (it is then meant to be reached by names
 * it cannot know).
 */
export interface HostPolicy {
  /** Every name accepted (non-loopback bind, no `--allowed-host`). */
  anyHost: boolean;
  /** Names accepted besides loopback ones and the intercepted hosts (lower-case). */
  allowed: ReadonlySet<string>;
}

export function hostPolicy(bindHost: string, allowedHosts: readonly string[] = []): HostPolicy {
  return {
    anyHost: allowedHosts.length === 0 && !isLoopbackName(hostName(bindHost)),
    allowed: new Set(allowedHosts.map(hostName)),
  };
}

/** `localhost`, `*.localhost` (RFC 6761), 127.0.0.0/8, ::1. */
export function isLoopbackName(name: string): boolean {
  const bare = name.startsWith('[') ? name.slice(1, -1) : name;
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || bare === '0:0:0:0:0:0:0:1';
  return false;
}

export function hostAccepted(policy: HostPolicy, host: string | undefined): boolean {
  // HTTP/1.0 without a Host: no browser sends one.
  if (host === undefined || host === '') return true;
  if (policy.anyHost) return true;
  const name = hostName(host);
  return isLoopbackName(name) || interceptedRole(name) !== undefined || policy.allowed.has(name);
}

/** What a request arrived for: Graph or Entra on an intercepted host, or localgraph itself (`local`). */
export function requestRole(request: FastifyRequest): HostRole | 'local' {
  return interceptedRole(request.headers.host) ?? 'local';
}

/**
 * Refuses requests for a name the policy does not accept (403, Graph's envelope), and requests
 * in a proxy tunnel whose `Host` is not the tunnel's host (421 Misdirected Request, RFC 9110
 * §15.5.20). On an intercepted login host only Entra's routes answer, on graph.microsoft.com
 * only Graph's (and localgraph's own admin, health and console): each host serves what its
 * Microsoft counterpart does.
 */
export function registerHostCheck(app: FastifyInstance, policy: HostPolicy, clock: Clock): void {
  app.addHook('onRequest', (request, reply, done) => {
    const host = request.headers.host;
    const tunnel = tunnelHostOf(request.raw.socket);
    let refusal;
    if (tunnel !== undefined && hostName(host ?? '') !== tunnel) refusal = errors.misdirectedRequest(tunnel);
    else if (!hostAccepted(policy, host)) refusal = errors.hostNotAllowed(hostName(host!));
    else {
      const role = requestRole(request);
      const identityRoute = (request.routeOptions.config as { identity?: boolean } | undefined)?.identity === true;
      if (role === 'login' && !identityRoute) refusal = errors.notOnLoginHost(hostName(host!));
      else if (role === 'graph' && identityRoute) refusal = errors.invalidVersion();
    }
    if (!refusal) return done();
    void reply
      .status(refusal.status)
      .type('application/json')
      .send(
        renderError(refusal, {
          requestId: request.id,
          clientRequestId: request.clientRequestId || request.id,
          date: clock.now(),
        }),
      );
  });
}
