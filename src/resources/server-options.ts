/**
 * Behaviour switches where Graph's docs and its live service disagree: a live test (reported in the
 * Terraform provider for Microsoft 365, 2026) saw connector group create answer 200 and update 204.
 * `live` answers as the service was observed to (connector group create 200, update 204);
 * `docs` as the reference pages say (create 201, update 200 with the group).
 */
export type StatusCodeMode = 'live' | 'docs';

export interface ServerOptions {
  statusCodes: StatusCodeMode;
}

export const defaultServerOptions: ServerOptions = { statusCodes: 'live' };
