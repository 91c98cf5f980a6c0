/**
 * The web console at /console, end to end: a real `localgraph serve` process, the console's own
 * files, and headless Chromium (Debian's package) driven by playwright-core. The console reads
 * and writes only through the public Graph API and the token endpoint; every check of what it
 * did is made through the API too. Screenshots go to test-artifacts/console/.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { browserUnavailable, launchChromium, screenshot, watchPage } from './helpers/browser.js';
import { printedCredentials } from './helpers/identity.js';
import { request, startServer, type RunningServer } from './helpers/server.js';

const PROXY = '/beta/onPremisesPublishingProfiles/applicationProxy';
/** What the console reads: connectors and groups, applications, agents, sensors. */
const CONSOLE_SCOPES = 'Directory.ReadWrite.All Application.ReadWrite.All Policy.ReadWrite.HybridAuthentication OnPremisesPublishingProfiles.ReadWrite.All';
/** How long a change made elsewhere may take to show (the console polls every 2 s). */
const LIVE_WITHIN_MS = 6_000;
/** How long the page may take to answer a click (it answers in well under a second). */
const UI_TIMEOUT_MS = 10_000;

let server: RunningServer;
let token: string;

async function api<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T; text: string }> {
  const response = await request<T>(`${server.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: response.body, text: response.text };
}

async function created(path: string, body: unknown): Promise<any> {
  const response = await api('POST', path, body);
  assert.ok(response.status === 200 || response.status === 201, `POST ${path}: ${response.status} ${response.text}`);
  return response.body;
}

async function groupOf(connectorId: string): Promise<string> {
  const response = await api('GET', `${PROXY}/connectors/${connectorId}/memberOf`);
  assert.equal(response.status, 200, response.text);
  return response.body.value[0].id;
}

const ids: Record<string, string> = {};

before(async () => {
  server = await startServer();
  token = await server.token(['--scopes', CONSOLE_SCOPES]);
  const groups = (await api('GET', `${PROXY}/connectorGroups`)).body.value;
  ids.default = groups.find((g: any) => g.isDefault).id;
  ids.west = (await created(`${PROXY}/connectorGroups`, { name: 'West Europe', region: 'eur' })).id;
  ids.branch = (await created(`${PROXY}/connectorGroups`, { name: 'Branch offices', region: 'nam' })).id;
  ids.alpha = (await created(`${PROXY}/connectors`, { machineName: 'alpha.contoso.com', externalIp: '131.137.147.164', status: 'active' })).id;
  ids.bravo = (await created(`${PROXY}/connectors`, { machineName: 'bravo.contoso.com', externalIp: '131.137.147.165', status: 'inactive', version: '1.5.3500.0' })).id;
  ids.charlie = (await created(`${PROXY}/connectors`, { machineName: 'charlie.contoso.com', externalIp: '52.10.0.7', status: 'active' })).id;
  const moved = await api('POST', `${PROXY}/connectors/${ids.charlie}/memberOf/$ref`, { '@odata.id': `${server.baseUrl}${PROXY}/connectorGroups/${ids.west}` });
  assert.equal(moved.status, 204, moved.text);
  const app = await created('/beta/applications', {
    displayName: 'HR portal',
    onPremisesPublishing: { externalUrl: 'https://hr-contoso.msappproxy.net/', internalUrl: 'http://hr.contoso.local/' },
  });
  ids.app = app.id;
  const assigned = await api('PUT', `/beta/applications/${app.id}/connectorGroup/$ref`, { '@odata.id': `${server.baseUrl}${PROXY}/connectorGroups/${ids.west}` });
  assert.equal(assigned.status, 204, assigned.text);
  await created('/beta/applications', { displayName: 'Payroll (not published)' });
  const agentGroup = await created('/beta/onPremisesPublishingProfiles/provisioning/agentGroups', { displayName: 'Provisioning agents HQ' });
  const agent = await created('/beta/onPremisesPublishingProfiles/provisioning/agents', {
    machineName: 'prov-agent-1.contoso.com',
    externalIp: '20.1.2.3',
    status: 'active',
    supportedPublishingTypes: ['provisioning'],
  });
  const linked = await api('POST', `/beta/onPremisesPublishingProfiles/provisioning/agentGroups/${agentGroup.id}/agents/$ref`, {
    '@odata.id': `${server.baseUrl}/beta/onPremisesPublishingProfiles/provisioning/agents/${agent.id}`,
  });
  assert.equal(linked.status, 204, linked.text);
  await created('/beta/onPremisesPublishingProfiles/privateAccess/sensors', {
    machineName: 'sensor-east.contoso.com',
    externalIp: '40.5.6.7',
    status: 'active',
    version: '1.0.12',
    isBreakglassEnabled: false,
    isAuditMode: true,
  });
});

after(async () => {
  await server?.stop();
});

describe('the console files', () => {
  test('GET /console answers the page without a token, with a strict content security policy', async () => {
    for (const path of ['/console', '/console/', '/console/index.html']) {
      const response = await request(`${server.baseUrl}${path}`);
      assert.equal(response.status, 200, path);
      assert.match(response.headers.get('content-type') ?? '', /^text\/html; charset=utf-8/);
      assert.match(response.text, /<title>localgraph console<\/title>/);
      const csp = response.headers.get('content-security-policy') ?? '';
      assert.match(csp, /script-src 'self'/);
      assert.match(csp, /connect-src 'self'/);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    }
  });

  test('scripts and styles come from the project (no CDN) with their content types', async () => {
    const page = (await request(`${server.baseUrl}/console`)).text;
    assert.doesNotMatch(page, /https?:\/\/(?!127\.0\.0\.1|localhost)/, 'the page loads nothing from another origin');
    for (const [path, type] of [
      ['/console/js/app.js', /^text\/javascript/],
      ['/console/js/board.js', /^text\/javascript/],
      ['/console/css/console.css', /^text\/css/],
    ] as const) {
      const response = await request(`${server.baseUrl}${path}`);
      assert.equal(response.status, 200, path);
      assert.match(response.headers.get('content-type') ?? '', type, path);
      const etag = response.headers.get('etag');
      assert.ok(etag, `${path} has an ETag`);
      const again = await fetch(`${server.baseUrl}${path}`, { headers: { 'if-none-match': etag } });
      assert.equal(again.status, 304, `${path} revalidates`);
    }
  });

  test('nothing outside web/ is served: no traversal, no dot-files, no unknown types', async () => {
    const attempts = [
      '/console/../package.json',
      '/console/%2e%2e/package.json',
      '/console/js/..%2f..%2fpackage.json',
      '/console/js/%2e%2e%2f%2e%2e%2fpackage.json',
      '/console/..%5c..%5cpackage.json',
      '/console/%00index.html',
      '/console/.gitignore',
      '/console/js',
      '/console/missing.js',
      '/console/js/app.js%00.html',
    ];
    for (const path of attempts) {
      // Raw paths: fetch would normalise the dots away before sending.
      const status = await rawStatus(path);
      assert.ok(status === 404 || status === 400, `${path}: ${status}`);
    }
  });

  test('config.json offers the sign-in defaults: tenant, the default app, the default user (no secret)', async () => {
    const response = await request(`${server.baseUrl}/console/config.json`);
    assert.equal(response.status, 200);
    assert.equal(response.body.tenant, server.tenantId);
    assert.equal(response.body.clientId, printedCredentials(server).clientId);
    assert.equal(response.body.username, 'admin@localgraph.onmicrosoft.com');
    assert.doesNotMatch(response.text, /secret|password/i);
  });
});

async function rawStatus(path: string): Promise<number> {
  const { request: httpRequest } = await import('node:http');
  const url = new URL(server.baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

// ---- in the browser --------------------------------------------------------------------

let unavailable: string | Error | undefined;
try {
  unavailable = browserUnavailable();
} catch (error) {
  unavailable = error as Error;
}

describe('the console in headless Chromium', { skip: typeof unavailable === 'string' ? unavailable : false }, () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let watched: { problems: string[] };

  const column = (p: Page, groupId: string) => p.locator(`section.column[data-group-id="${groupId}"]`);
  const card = (p: Page, machineName: string) => p.locator('li.card', { has: p.locator('.card-title', { hasText: machineName }) });

  before(async () => {
    if (unavailable instanceof Error) throw unavailable;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    context.setDefaultTimeout(UI_TIMEOUT_MS);
    page = await context.newPage();
    watched = watchPage(page);
  });

  after(async () => {
    await browser?.close();
  });

  test('signs in with the token in the URL fragment, and removes it from the address', async () => {
    await page.goto(`${server.baseUrl}/console#access_token=${token}`);
    await page.locator('#workspace').waitFor({ state: 'visible' });
    assert.equal(new URL(page.url()).hash, '', 'the token is no longer in the address');
    assert.doesNotMatch(await page.evaluate(() => location.href), /access_token/);
    await page.locator('#who').getByText('admin@localgraph.onmicrosoft.com').waitFor();
  });

  test('shows the connector groups as columns with their connectors, the default group first and marked', async () => {
    await column(page, ids.west).waitFor();
    const order = await page.locator('section.column').evaluateAll((columns) => columns.map((c) => (c as HTMLElement).dataset.groupId));
    assert.deepEqual(order, [ids.default, ids.branch, ids.west], 'default first, then by name');

    const defaultColumn = column(page, ids.default);
    assert.equal(await defaultColumn.getAttribute('data-default'), 'true');
    assert.match(await defaultColumn.locator('.column-title').innerText(), /Default group/);
    assert.equal(await column(page, ids.west).locator('.badge-default').count(), 0, 'only the default group is marked');

    const alpha = card(page, 'alpha.contoso.com');
    assert.equal(await defaultColumn.locator('li.card').count(), 2);
    assert.match(await alpha.innerText(), /131\.137\.147\.164/);
    assert.match(await alpha.innerText(), /active/);
    assert.match(await alpha.innerText(), /1\.5\.3437\.0/);
    const bravo = card(page, 'bravo.contoso.com');
    assert.match(await bravo.innerText(), /inactive/);
    assert.match(await bravo.innerText(), /1\.5\.3500\.0/);

    const west = column(page, ids.west);
    assert.match(await west.innerText(), /charlie\.contoso\.com/);
    assert.match(await west.locator('.column-meta').innerText(), /Europe \(eur\)/);
    assert.match(await west.locator('.column-apps').innerText(), /HR portal/);
    await screenshot(page, 'desktop-groups');
  });

  test('keeps polling, and redraws only when what Graph answers has changed', async () => {
    await page.evaluate(() => ((document.getElementById('board') as any).__sameBoard = true));
    const checked = await page.locator('#live-state').innerText();
    await page.waitForFunction((before) => document.getElementById('live-state')!.textContent !== before, checked, { timeout: LIVE_WITHIN_MS });
    await page.waitForTimeout(2500);
    assert.match(await page.locator('#live-state').innerText(), /^Live · checked /);
    assert.equal(await page.evaluate(() => (document.getElementById('board') as any).__sameBoard), true, 'the board was not redrawn');
  });

  test('moves a connector with the keyboard (Move to, then Move)', async () => {
    const select = card(page, 'alpha.contoso.com').locator('select');
    await select.focus();
    // Arrow keys on a focused, closed <select> change its choice without opening it.
    for (let i = 0; i < 5 && (await select.inputValue()) !== ids.branch; i++) await page.keyboard.press('ArrowDown');
    assert.equal(await select.inputValue(), ids.branch, 'the keyboard reached "Branch offices"');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Move');
    await page.keyboard.press('Enter');

    await column(page, ids.branch).locator('li.card', { hasText: 'alpha.contoso.com' }).waitFor();
    assert.equal(await groupOf(ids.alpha), ids.branch, 'Graph has the connector in its new group');
    await page.locator('#status-message', { hasText: 'Moved alpha.contoso.com to Branch offices.' }).waitFor();
    // The keyboard stays with the moved connector, now in its new column.
    const focusedIn = await page.evaluate(() => (document.activeElement?.closest('section.column') as HTMLElement | null)?.dataset.groupId);
    assert.equal(focusedIn, ids.branch);
  });

  test('moves a connector by drag and drop', async () => {
    await card(page, 'bravo.contoso.com').dragTo(column(page, ids.west).locator('.column-head'));
    await column(page, ids.west).locator('li.card', { hasText: 'bravo.contoso.com' }).waitFor();
    assert.equal(await groupOf(ids.bravo), ids.west);
  });

  test('changes made through the API appear without a reload, in every open console', async () => {
    const second = await context.newPage();
    const secondWatch = watchPage(second);
    await second.goto(`${server.baseUrl}/console#access_token=${token}`);
    await column(second, ids.west).waitFor();
    await page.evaluate(() => ((window as any).__sameDocument = true));

    const delta = await created(`${PROXY}/connectors`, { machineName: 'delta.contoso.com', externalIp: '10.9.8.7', status: 'active' });
    ids.delta = delta.id;
    const renamed = await api('PATCH', `${PROXY}/connectorGroups/${ids.branch}`, { name: 'Branch offices (EMEA)' });
    assert.equal(renamed.status, 204, renamed.text);

    for (const p of [page, second]) {
      await column(p, ids.default).locator('li.card', { hasText: 'delta.contoso.com' }).waitFor({ timeout: LIVE_WITHIN_MS });
      await column(p, ids.branch).locator('.group-name', { hasText: 'Branch offices (EMEA)' }).waitFor({ timeout: LIVE_WITHIN_MS });
    }
    assert.equal(await page.evaluate(() => (window as any).__sameDocument), true, 'the page was not reloaded');

    // A move in one console shows in the other.
    await card(second, 'delta.contoso.com').locator('select').selectOption(ids.west);
    await card(second, 'delta.contoso.com').getByRole('button', { name: 'Move delta.contoso.com' }).click();
    await column(page, ids.west).locator('li.card', { hasText: 'delta.contoso.com' }).waitFor({ timeout: LIVE_WITHIN_MS });
    assert.deepEqual(secondWatch.problems, []);
    await second.close();
  });

  test("shows Graph's refusals as readable messages, with names instead of ids", async () => {
    // Deleting a group that still has connectors.
    await column(page, ids.west).getByRole('button', { name: 'Delete group West Europe' }).click();
    const confirm = page.locator('#confirm-dialog');
    await confirm.waitFor({ state: 'visible' });
    assert.match(await confirm.innerText(), /Delete group West Europe\?/);
    await confirm.getByRole('button', { name: 'Delete group' }).click();
    const alert = page.locator('#alert-area .alert');
    await alert.waitFor();
    const text = await alert.innerText();
    assert.match(text, /Connector group 'West Europe' still has connectors\. Move them to another connector group before deleting it\./);
    assert.doesNotMatch(text, /[0-9a-f]{8}-[0-9a-f]{4}-/, 'no ids in the message');
    assert.equal((await api('GET', `${PROXY}/connectorGroups/${ids.west}`)).status, 200, 'the group is still there');
    await screenshot(page, 'refusal');

    // Changing the region of a group in use: refused inside the dialog.
    await column(page, ids.west).getByRole('button', { name: 'Edit group West Europe' }).click();
    const dialog = page.locator('#group-dialog');
    await dialog.waitFor({ state: 'visible' });
    await dialog.getByLabel('Region').selectOption('asia');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.locator('#group-error', { hasText: "The region of connector group 'West Europe' can only be changed while no connectors and no applications are assigned to it." }).waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal((await api('GET', `${PROXY}/connectorGroups/${ids.west}`)).body.region, 'eur');
  });

  test('creates, renames, changes the region of, and deletes a group', async () => {
    await page.getByLabel('New group name').fill('Lab');
    await page.locator('#new-group-region').selectOption('aus');
    await page.getByRole('button', { name: 'Create group' }).click();
    const lab = page.locator('section.column', { has: page.locator('.group-name', { hasText: /^Lab$/ }) });
    await lab.waitFor();
    const labId = (await lab.getAttribute('data-group-id'))!;
    assert.deepEqual(pick((await api('GET', `${PROXY}/connectorGroups/${labId}`)).body), { name: 'Lab', region: 'aus', isDefault: false });

    await lab.getByRole('button', { name: 'Edit group Lab' }).click();
    const dialog = page.locator('#group-dialog');
    await dialog.getByLabel('Name').fill('Lab (India)');
    await dialog.getByLabel('Region').selectOption('ind');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await column(page, labId).locator('.group-name', { hasText: 'Lab (India)' }).waitFor();
    assert.deepEqual(pick((await api('GET', `${PROXY}/connectorGroups/${labId}`)).body), { name: 'Lab (India)', region: 'ind', isDefault: false });
    // Focus went back to where the dialog was opened from.
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-focus-key')), `edit-${labId}`);

    await column(page, labId).getByRole('button', { name: 'Delete group Lab (India)' }).click();
    await page.locator('#confirm-dialog').getByRole('button', { name: 'Delete group' }).click();
    await column(page, labId).waitFor({ state: 'detached' });
    assert.equal((await api('GET', `${PROXY}/connectorGroups/${labId}`)).status, 404);
  });

  test('shows applications with their connector groups, agents with agent groups, and sensors', async () => {
    await page.getByRole('tab', { name: 'Applications' }).click();
    const hr = page.locator('li.tile', { hasText: 'HR portal' });
    await hr.waitFor();
    assert.match(await hr.innerText(), /West Europe/);
    assert.match(await hr.innerText(), /https:\/\/hr-contoso\.msappproxy\.net\//);
    assert.match(await page.locator('li.tile', { hasText: 'Payroll' }).innerText(), /Not published through application proxy/);
    await screenshot(page, 'applications');

    // Tabs follow the arrow keys.
    await page.getByRole('tab', { name: 'Applications' }).focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.getByRole('tab', { name: 'Agents' }).getAttribute('aria-selected'), 'true');
    const agentGroup = page.locator('section.column', { hasText: 'Provisioning agents HQ' });
    await agentGroup.waitFor();
    assert.match(await agentGroup.innerText(), /prov-agent-1\.contoso\.com/);
    assert.match(await agentGroup.innerText(), /20\.1\.2\.3/);
    await screenshot(page, 'agents');

    await page.keyboard.press('ArrowRight');
    const sensor = page.locator('li.tile', { hasText: 'sensor-east.contoso.com' });
    await sensor.waitFor();
    assert.match(await sensor.innerText(), /40\.5\.6\.7/);
    assert.match(await sensor.innerText(), /1\.0\.12/);
    await screenshot(page, 'sensors');

    await page.keyboard.press('Home');
    await column(page, ids.default).waitFor();
  });

  test('is readable at 360 px: the columns stack and nothing scrolls sideways', async () => {
    await page.setViewportSize({ width: 360, height: 780 });
    await column(page, ids.west).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
    const boxes = await page.locator('#groups-body section.column').evaluateAll((columns) => columns.map((c) => c.getBoundingClientRect().toJSON()));
    for (let i = 1; i < boxes.length; i++) assert.ok(boxes[i].top >= boxes[i - 1].bottom, 'columns are stacked');
    for (const box of boxes) assert.ok(box.right <= 360, 'columns fit the screen');
    await screenshot(page, 'narrow-360');
    await page.setViewportSize({ width: 1280, height: 860 });
    assert.deepEqual(watched.problems, []);
  });

  test('signs in with a user name and password at the token endpoint', async () => {
    const fresh = await browser.newContext({ viewport: { width: 1000, height: 760 } });
    fresh.setDefaultTimeout(UI_TIMEOUT_MS);
    const signin = await fresh.newPage();
    const problems = watchPage(signin);
    await signin.goto(`${server.baseUrl}/console`);
    await signin.getByRole('heading', { name: 'Sign in' }).waitFor();
    const credentials = printedCredentials(server);
    // The form is filled from /console/config.json, then focused: wait for the focus.
    await signin.locator('#password:focus, #username:focus').waitFor();
    assert.equal(await signin.getByLabel('User name').inputValue(), credentials.userPrincipalName, 'prefilled');
    await screenshot(signin, 'signin');

    await signin.getByLabel('Password').fill('not-the-password');
    await signin.getByRole('button', { name: 'Sign in' }).click();
    await signin.locator('#signin-error', { hasText: 'Wrong user name or password. (AADSTS50126)' }).waitFor();

    await signin.getByLabel('Password').fill(credentials.password);
    await signin.getByRole('button', { name: 'Sign in' }).click();
    await column(signin, ids.default).waitFor();
    await signin.locator('#who').getByText(credentials.userPrincipalName).waitFor();

    // The session lasts across a reload of the tab, and ends with "Sign out".
    await signin.reload();
    await column(signin, ids.default).waitFor();
    await signin.getByRole('button', { name: 'Sign out' }).click();
    await signin.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.equal(await signin.locator('#workspace').isVisible(), false);
    assert.deepEqual(problems.problems, []);
    await fresh.close();
  });

  test('a token that is refused sends the user back to sign-in with the reason', async () => {
    const fresh = await browser.newContext();
    fresh.setDefaultTimeout(UI_TIMEOUT_MS);
    const p = await fresh.newPage();
    const forged = `${token.split('.').slice(0, 2).join('.')}.${'A'.repeat(40)}`;
    await p.goto(`${server.baseUrl}/console#access_token=${forged}`);
    await p.locator('#signin-error', { hasText: /Your sign-in was not accepted/ }).waitFor();
    assert.equal(await p.locator('#workspace').isVisible(), false);
    await fresh.close();
  });

  test('a link with a token of another tenant does not sign in without asking (login CSRF)', async () => {
    const otherTenant = '0b0b0b0b-0000-4000-8000-00000000c5f0';
    const foreign = await server.token(['--tenant', otherTenant, '--scopes', CONSOLE_SCOPES]);
    const fresh = await browser.newContext();
    fresh.setDefaultTimeout(UI_TIMEOUT_MS);
    const p = await fresh.newPage();
    await p.goto(`${server.baseUrl}/console#access_token=${foreign}`);
    const dialog = p.getByRole('dialog', { name: 'Sign in with the token from the address?' });
    await dialog.waitFor();
    assert.match(String(await dialog.textContent()), new RegExp(otherTenant));
    assert.equal(await p.locator('#workspace').isVisible(), false, 'nothing is shown before the user answers');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await p.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.equal(await p.locator('#workspace').isVisible(), false);
    assert.doesNotMatch(p.url(), /access_token/);

    // Asked and accepted (in a new tab: a change of fragment alone does not reload the page), it signs in, in that tenant.
    const q = await fresh.newPage();
    await q.goto(`${server.baseUrl}/console#access_token=${foreign}`);
    const asked = q.getByRole('dialog', { name: 'Sign in with the token from the address?' });
    await asked.waitFor();
    await asked.getByRole('button', { name: 'Sign in' }).click();
    await q.locator('#who', { hasText: otherTenant }).waitFor();
    await fresh.close();
  });
});

function pick(group: any): { name: string; region: string; isDefault: boolean } {
  return { name: group.name, region: group.region, isDefault: group.isDefault };
}
