// The console's entry point: sign-in, the tabs, and the live loop that keeps the visible tab
// in step with Graph.
import { createAgents } from './agents.js';
import { createApps } from './apps.js';
import { createConnectors } from './connectors.js';
import { confirmAction } from './dialogs.js';
import { byId } from './dom.js';
import { createGraph } from './graph.js';
import { createGroupPicker } from './group-picker.js';
import { createGroups } from './groups.js';
import { createLive } from './live.js';
import { createSensors } from './sensors.js';
import {
  anonymousSession,
  passwordSignIn,
  restoreSession,
  saveSession,
  serverNeedsNoToken,
  sessionFromToken,
  signInDefaults,
  takeTokenFromFragment,
} from './signin.js';

const TAB_KEY = 'localgraph.console.tab';

let session = null;
let expiryTimer = null;

const graph = createGraph({
  token: () => session?.token ?? null,
  onUnauthorized: (error) => signOut(error.message),
});
const live = createLive({ onState: showLiveState });
const picker = createGroupPicker(graph);
const views = {
  groups: createGroups({ graph, live, picker, confirm: confirmAction }).view,
  connectors: createConnectors({ graph, live, picker }).view,
  apps: createApps({ graph, live, picker, confirm: confirmAction }).view,
  agents: createAgents({ graph, live }).view,
  sensors: createSensors({ graph, live }).view,
};

let sessionTimer;

/** Says something about the session (signed in, signed out) to screen readers, once. */
function announce(text) {
  const line = byId('session-message');
  clearTimeout(sessionTimer);
  line.textContent = text;
  sessionTimer = setTimeout(() => (line.textContent = ''), 8000);
}

function showLiveState(state, detail) {
  const el = byId('live-state');
  el.dataset.state = state;
  if (state === 'live') el.textContent = `Live · checked ${detail.toLocaleTimeString()}`;
  else if (state === 'offline') el.textContent = 'Offline · retrying';
  else el.textContent = 'Refused · retrying';
}

// ---- session ---------------------------------------------------------------------------

function signIn(next, how) {
  session = next;
  saveSession(session);
  byId('signin-error').textContent = '';
  byId('signin-view').hidden = true;
  byId('workspace').hidden = false;
  byId('session').hidden = false;
  const who = byId('who');
  who.replaceChildren();
  who.append('Signed in as ', Object.assign(document.createElement('strong'), { textContent: session.user }));
  if (session.tenant) who.append(` · tenant ${session.tenant}`);
  who.title = session.expiresAt ? `Token valid until ${new Date(session.expiresAt).toLocaleString()}` : '';
  clearTimeout(expiryTimer);
  if (session.expiresAt) {
    // The token's own end; timers cannot wait longer than ~24.8 days, and tokens never do.
    expiryTimer = setTimeout(
      () => signOut('Your token expired. Sign in again.'),
      Math.min(session.expiresAt - Date.now(), 2 ** 31 - 1),
    );
  }
  if (how) announce(how);
  live.start();
  selectTab(currentTab(), { focus: false });
}

function signOut(reason) {
  if (!session) return;
  session = null;
  saveSession(null);
  clearTimeout(expiryTimer);
  live.stop();
  byId('workspace').hidden = true;
  byId('session').hidden = true;
  byId('live-state').textContent = 'Not connected';
  showSignIn();
  if (reason) {
    byId('signin-error').textContent = reason;
  } else {
    announce('Signed out.');
  }
}

async function showSignIn() {
  byId('signin-view').hidden = false;
  const defaults = await signInDefaults();
  const username = byId('username');
  if (!username.value) username.value = defaults.username ?? '';
  if (!byId('tenant').value) byId('tenant').value = defaults.tenant ?? 'organizations';
  if (!byId('client-id').value) byId('client-id').value = defaults.clientId ?? '';
  if (!defaults.clientId) byId('signin-advanced').open = true;
  (username.value ? byId('password') : username).focus();
}

byId('sign-out').addEventListener('click', () => signOut());

byId('password-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const error = byId('signin-error');
  const fields = {
    username: byId('username').value.trim(),
    password: byId('password').value,
    tenant: byId('tenant').value.trim(),
    clientId: byId('client-id').value.trim(),
  };
  const missing = [
    ['username', 'username', 'your user name'],
    ['password', 'password', 'your password'],
    ['tenant', 'tenant', 'the tenant'],
    ['clientId', 'client-id', 'the application (client) ID'],
  ].find(([key]) => !fields[key]);
  for (const id of ['username', 'password', 'tenant', 'client-id']) byId(id).removeAttribute('aria-invalid');
  if (missing) {
    const [, id, what] = missing;
    if (id === 'tenant' || id === 'client-id') byId('signin-advanced').open = true;
    byId(id).setAttribute('aria-invalid', 'true');
    error.textContent = `Enter ${what}.`;
    byId(id).focus();
    return;
  }
  error.textContent = '';
  const button = event.submitter ?? event.target.querySelector('button[type=submit]');
  button.disabled = true;
  button.textContent = 'Signing in…';
  try {
    const token = await passwordSignIn(fields);
    byId('password').value = '';
    signIn(sessionFromToken(token), `Signed in as ${fields.username}.`);
  } catch (failure) {
    error.textContent = failure.message;
    byId('password').focus();
    byId('password').select();
  } finally {
    button.disabled = false;
    button.textContent = 'Sign in';
  }
});

byId('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const error = byId('token-error');
  try {
    const next = sessionFromToken(byId('token-input').value);
    byId('token-input').value = '';
    error.textContent = '';
    signIn(next, `Signed in as ${next.user}.`);
  } catch (failure) {
    error.textContent = failure.message;
    byId('token-input').focus();
  }
});

// ---- tabs (WAI-ARIA tabs: arrows, Home and End move between them) -------------------------

const tabs = [...document.querySelectorAll('[role=tab]')];
const tabName = (tab) => tab.id.replace(/^tab-/, '');

function currentTab() {
  try {
    const saved = sessionStorage.getItem(TAB_KEY);
    if (saved && views[saved]) return saved;
  } catch {
    // no storage
  }
  return 'groups';
}

let shown = null;

function selectTab(name, { focus = true } = {}) {
  // Notices belong to their tab: leaving it clears them.
  if (shown && shown !== name) views[shown].leave();
  shown = name;
  for (const tab of tabs) {
    const selected = tabName(tab) === name;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
    byId(tab.getAttribute('aria-controls')).hidden = !selected;
    if (selected && focus) tab.focus();
  }
  try {
    sessionStorage.setItem(TAB_KEY, name);
  } catch {
    // no storage
  }
  void live.show(views[name]);
}

for (const tab of tabs) {
  tab.addEventListener('click', () => selectTab(tabName(tab)));
  tab.addEventListener('keydown', (event) => {
    const index = tabs.indexOf(tab);
    const to = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    selectTab(tabName(tabs[(to + tabs.length) % tabs.length]));
  });
}

// ---- start ---------------------------------------------------------------------------

/**
 * Whether a token from the address may be used. Any page can link here with a token of its own
 * (a login CSRF: the victim would then work, unaware, in the linking page's tenant or as its
 * user), so without asking it is used only for this server's default tenant and when it does not
 * replace a signed-in session of another user or tenant; otherwise the user is asked, and told who
 * and which tenant the link would sign them in as.
 */
async function fragmentAccepted(next, current) {
  const defaults = await signInDefaults();
  const sameTenant =
    Boolean(defaults.tenant) && String(next.tenant).toLowerCase() === String(defaults.tenant).toLowerCase();
  const replaces = current && (current.anonymous || current.user !== next.user || current.tenant !== next.tenant);
  if (sameTenant && !replaces) return true;
  return confirmAction({
    title: 'Sign in with the token from the address?',
    text:
      `The link you opened carries a token for ${next.user}${next.tenant ? ` in tenant ${next.tenant}` : ''}` +
      `${sameTenant ? '' : ", which is not this localgraph's default tenant"}.` +
      `${current ? ` You are signed in as ${current.user} now.` : ''} Use it only if you asked for this link.`,
    ok: 'Sign in',
  });
}

async function start() {
  const fromFragment = takeTokenFromFragment();
  const restored = restoreSession();
  if (fromFragment) {
    try {
      const next = sessionFromToken(fromFragment);
      if (await fragmentAccepted(next, restored)) return signIn(next, 'Signed in with the token from the address.');
      announce('The token in the address was not used.');
    } catch (failure) {
      byId('token-error').textContent = `The token in the address was not used: ${failure.message}`;
      byId('signin-view').querySelector('.token-signin').open = true;
    }
  }
  if (restored) return signIn(restored);
  if (await serverNeedsNoToken())
    return signIn(anonymousSession(), 'This localgraph takes requests without a token (--auth off).');
  await showSignIn();
}

void start();
