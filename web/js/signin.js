// Signing in: with a user name and password at localgraph's token endpoint (the OAuth password
// grant, as MSAL's UsernamePasswordCredential does), with a pasted access token, or with a token
// in the URL fragment (#access_token=..., for automation), which is read once and removed from
// the address. The token is kept for this browser tab only (sessionStorage).

const STORAGE_KEY = 'localgraph.console.session';
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

/** The claims of a JWT, unverified (the server verifies it on every request); null if not a JWT. */
export function decodeClaims(token) {
  const part = String(token).split('.')[1];
  if (!part) return null;
  try {
    const base64 = part
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(part.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return claims && typeof claims === 'object' ? claims : null;
  } catch {
    return null;
  }
}

/** A session from a token: { token, claims, user, tenant, expiresAt (ms) | null }. Throws on a non-token. */
export function sessionFromToken(raw) {
  const token = String(raw ?? '')
    .trim()
    .replace(/^Bearer\s+/i, '');
  const claims = decodeClaims(token);
  if (!claims) throw new Error('That is not an access token (a JWT: three parts separated by dots).');
  const expiresAt = typeof claims.exp === 'number' ? claims.exp * 1000 : null;
  if (expiresAt !== null && expiresAt <= Date.now())
    throw new Error(`That token expired at ${new Date(expiresAt).toLocaleString()}.`);
  const user =
    claims.upn ??
    claims.preferred_username ??
    claims.unique_name ??
    (claims.idtyp === 'app' ? `app ${claims.appid ?? ''}`.trim() : (claims.oid ?? 'unknown user'));
  return {
    token,
    claims,
    user,
    tenant: claims.tid ?? '',
    expiresAt,
    appOnly: claims.idtyp === 'app' || (claims.roles && !claims.scp),
  };
}

/**
 * Takes `access_token` out of the URL fragment (and the other parameters of an implicit-grant
 * answer), leaving the rest of the address as it was; returns the token or null.
 */
export function takeTokenFromFragment() {
  if (!location.hash || location.hash.length < 2) return null;
  const params = new URLSearchParams(location.hash.slice(1));
  if (!params.has('access_token')) return null;
  const token = params.get('access_token');
  for (const name of ['access_token', 'token_type', 'expires_in', 'scope', 'session_state', 'state'])
    params.delete(name);
  const rest = params.toString();
  history.replaceState(history.state, '', `${location.pathname}${location.search}${rest ? `#${rest}` : ''}`);
  return token || null;
}

export function saveSession(session) {
  try {
    if (session)
      sessionStorage.setItem(
        STORAGE_KEY,
        JSON.stringify({ token: session.token, anonymous: Boolean(session.anonymous) }),
      );
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // storage disabled: the session lasts as long as the page
  }
}

/** The session this tab kept, if its token is still valid. */
export function restoreSession() {
  try {
    const saved = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null');
    if (!saved) return null;
    if (saved.anonymous) return anonymousSession();
    return sessionFromToken(saved.token);
  } catch {
    saveSession(null);
    return null;
  }
}

/** A server started with `--auth off` takes requests without a token. */
export function anonymousSession() {
  return {
    token: null,
    claims: {},
    user: 'anyone (authentication is off on this server)',
    tenant: '',
    expiresAt: null,
    anonymous: true,
  };
}

/** Sign-in defaults the server offers: { tenant, clientId, username, scope }. */
export async function signInDefaults() {
  try {
    const response = await fetch('/console/config.json', { cache: 'no-store' });
    if (response.ok) return await response.json();
  } catch {
    // fall through to the generic defaults
  }
  return { tenant: 'organizations', clientId: null, username: '', scope: GRAPH_SCOPE };
}

/** True when the server answers Graph without a token (`--auth off`). */
export async function serverNeedsNoToken() {
  try {
    const response = await fetch('/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups?$top=1', {
      cache: 'no-store',
      headers: { Accept: 'application/json' },
    });
    return response.ok;
  } catch {
    return false;
  }
}

/** The password grant at /{tenant}/oauth2/v2.0/token; resolves with the access token. */
export async function passwordSignIn({ tenant, clientId, username, password, scope = GRAPH_SCOPE }) {
  const form = new URLSearchParams({ grant_type: 'password', client_id: clientId, username, password, scope });
  let response;
  try {
    response = await fetch(`/${encodeURIComponent(tenant)}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: form.toString(),
      cache: 'no-store',
    });
  } catch {
    throw new Error('localgraph cannot be reached. Is the server still running?');
  }
  const body = await response.json().catch(() => null);
  if (!response.ok || typeof body?.access_token !== 'string')
    throw new Error(readableSignInError(body, response.status));
  return body.access_token;
}

const SIGN_IN_ERRORS = {
  50126: 'Wrong user name or password.',
  50196: 'Too many failed sign-ins from here. Wait a minute and try again.',
  50053: 'This account is locked for a while after too many failed sign-ins. Try again in a minute.',
  700016: 'There is no application with this client ID in this tenant. Check the ID printed when localgraph started.',
  90002: 'There is no such tenant on this localgraph.',
  65001: 'The application has not been granted the permissions asked for.',
  7000215: 'The application refused the client secret.',
};

/** Entra's OAuth error JSON → one readable sentence, with its AADSTS code. */
export function readableSignInError(body, status) {
  const description = String(body?.error_description ?? '');
  const match = /^AADSTS(\d+):\s*([\s\S]*?)(?:\s*Trace ID:[\s\S]*)?$/.exec(description);
  const code = body?.error_codes?.[0] ?? (match ? Number(match[1]) : undefined);
  const known = code !== undefined ? SIGN_IN_ERRORS[code] : undefined;
  const text = known ?? (match ? match[2].trim() : description.trim()) ?? '';
  if (text) return code ? `${text} (AADSTS${code})` : text;
  return `Sign-in failed (${body?.error ?? `HTTP ${status}`}).`;
}
