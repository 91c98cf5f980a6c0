import type { IdGenerator } from '../resources/id-generator.js';
import type { AppRegistrationRow, RegisteredUserRow, Store } from '../store/store.js';
import { hashSecret, newClientSecret } from './secrets.js';

/**
 * Registering the applications and users that sign in at localgraph's token endpoint. Both the
 * CLI (`localgraph app add`, `localgraph user add`) and a server's first start call these; the
 * token endpoint reads the store on every request, so a registration works at once, without a
 * restart, even when another process made it.
 */

export interface NewApp {
  tenantId: string;
  displayName: string;
  /** Application permissions granted (admin consent): app-only tokens carry them as `roles`. */
  roles: string[];
  /** Delegated permissions consented: user tokens carry them as `scp`. */
  scopes: string[];
  /** A fixed client id (the default app keeps the one in settings); a new GUID otherwise. */
  clientId?: string;
  servicePrincipalId?: string;
  /** A fixed client secret (the well-known dev credentials); a new random one otherwise. */
  clientSecret?: string;
}

export interface RegisteredApp {
  registration: AppRegistrationRow;
  /** The client secret in clear: shown once, never stored. */
  clientSecret: string;
}

/** A user principal name as Entra ID accepts one: `alias@domain`, no spaces. */
export const UPN_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** A permission name: dotted words, as Graph's permissions are named. */
export const PERMISSION_PATTERN = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$/;

/** A user principal name already taken in the tenant. */
export class DuplicateRegistrationError extends Error {}

/**
 * Registers an application with a new client secret. Resolves with `undefined` when the client
 * id is taken (a concurrent first start registered the default app first).
 */
export async function registerApp(
  store: Store,
  app: NewApp,
  ids: IdGenerator,
  now: Date,
): Promise<RegisteredApp | undefined> {
  const clientSecret = app.clientSecret ?? newClientSecret();
  const registration: AppRegistrationRow = {
    clientId: (app.clientId ?? ids.newId()).toLowerCase(),
    tenantId: app.tenantId.toLowerCase(),
    displayName: app.displayName,
    servicePrincipalId: (app.servicePrincipalId ?? ids.newId()).toLowerCase(),
    secretHash: await hashSecret(clientSecret),
    roles: [...new Set(app.roles)],
    scopes: [...new Set(app.scopes)],
    createdAt: now.toISOString(),
  };
  await store.ensureTenant(registration.tenantId, now);
  const result = await store.insertAppRegistration(registration);
  return result === 'inserted' ? { registration, clientSecret } : undefined;
}

export interface NewUser {
  tenantId: string;
  userPrincipalName: string;
  password: string;
  displayName?: string;
  id?: string;
}

/** Adds a user with a hashed password; throws {@link DuplicateRegistrationError} when the name is taken. */
export async function registerUser(
  store: Store,
  user: NewUser,
  ids: IdGenerator,
  now: Date,
): Promise<RegisteredUserRow> {
  const row: RegisteredUserRow = {
    tenantId: user.tenantId.toLowerCase(),
    id: (user.id ?? ids.newId()).toLowerCase(),
    userPrincipalName: user.userPrincipalName,
    displayName: user.displayName ?? user.userPrincipalName.split('@')[0],
    passwordHash: await hashSecret(user.password),
    createdAt: now.toISOString(),
  };
  await store.ensureTenant(row.tenantId, now);
  if ((await store.insertRegisteredUser(row)) === 'duplicate') {
    throw new DuplicateRegistrationError(`tenant ${row.tenantId} already has a user ${user.userPrincipalName}`);
  }
  return row;
}

/**
 * Gives an application a new client secret, replacing the old one at once (the token endpoint
 * reads registrations on every request). Resolves with the secret in clear, or `undefined` when
 * no application has that client id.
 */
export async function resetAppSecret(
  store: Store,
  clientId: string,
): Promise<{ registration: AppRegistrationRow; clientSecret: string } | undefined> {
  const registration = await store.getAppRegistration(clientId.toLowerCase());
  if (!registration) return undefined;
  const clientSecret = newClientSecret();
  if (!(await store.replaceAppSecretHash(registration.clientId, await hashSecret(clientSecret)))) return undefined;
  return { registration, clientSecret };
}

/** Sets a user's password; resolves with the user, or `undefined` when the tenant has no such user. */
export async function setUserPassword(
  store: Store,
  tenantId: string,
  userPrincipalName: string,
  password: string,
): Promise<RegisteredUserRow | undefined> {
  const user = await store.findRegisteredUser(tenantId.toLowerCase(), userPrincipalName);
  if (!user) return undefined;
  return (await store.replaceUserPasswordHash(user.tenantId, user.userPrincipalName, await hashSecret(password)))
    ? user
    : undefined;
}
