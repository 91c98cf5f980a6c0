/**
 * The web console at /console, end to end: a real `localgraph serve` process, the console's own
 * files, and headless Chromium (Debian's package) driven by playwright-core. The console reads
 * and writes only through the public Graph API and the token endpoint; every check of what it
 * did is made through the API too. Screenshots go to test-artifacts/console/.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { onlyOn } from './helpers/backend.js';
import {
  axeViolations,
  browserUnavailable,
  launchChromium,
  screenshot,
  watchCollections,
  watchPage,
} from './helpers/browser.js';
import { consoleWorld, LARGE_WORLD, type ConsoleWorld } from './helpers/console-world.js';
import { admin } from './helpers/admin.js';
import { printedCredentials } from './helpers/identity.js';
import { request, startServer, type RunningServer } from './helpers/server.js';

const PROXY = '/beta/onPremisesPublishingProfiles/applicationProxy';
/** What the console reads: connectors and groups, applications, agents, sensors. */
const CONSOLE_SCOPES =
  'Directory.ReadWrite.All Application.ReadWrite.All Policy.ReadWrite.HybridAuthentication OnPremisesPublishingProfiles.ReadWrite.All';
/** How long a change made elsewhere may take to show (the console polls every 2 s). */
const LIVE_WITHIN_MS = 6_000;
/** How long the page may take to answer a click (it answers in well under a second). */
const UI_TIMEOUT_MS = 10_000;

let server: RunningServer;
let token: string;

async function api<T = any>(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T; text: string }> {
  const response = await request<T>(`${server.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
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

async function countOf(path: string): Promise<number> {
  const response = await request(`${server.baseUrl}${path}`, {
    headers: { authorization: `Bearer ${token}`, consistencylevel: 'eventual' },
  });
  assert.equal(response.status, 200, response.text);
  return Number(response.text);
}

/** How many objects a collection holds, counted by reading every page of ids (not from @odata.count). */
async function countByListing(path: string): Promise<number> {
  let n = 0;
  let next: string | undefined = `${server.baseUrl}${path}${path.includes('?') ? '&' : '?'}$select=id`;
  while (next) {
    const response: { status: number; body: any; text: string } = await request(next, {
      headers: { authorization: `Bearer ${token}`, prefer: 'odata.maxpagesize=999' },
    });
    assert.equal(response.status, 200, response.text);
    n += response.body.value.length;
    next = response.body['@odata.nextLink'];
  }
  return n;
}

const ids: Record<string, string> = {};

before(async () => {
  server = await startServer();
  token = await server.token(['--scopes', CONSOLE_SCOPES]);
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
      ['/console/js/groups.js', /^text\/javascript/],
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

/**
 * The `data-focus-key` of the focused element once focus has had up to 5 s to come back: the
 * console puts it back after the redraw that follows Graph's answer, which on a busy machine
 * lands a little after the text the test waited for.
 */
async function focusKeyOnceSettled(page: Page, expected: string): Promise<string | null | undefined> {
  const focused = () => document.activeElement?.getAttribute('data-focus-key');
  await page
    .waitForFunction((key) => document.activeElement?.getAttribute('data-focus-key') === key, expected, {
      timeout: 5000,
    })
    .catch(() => undefined);
  return page.evaluate(focused);
}

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
//
// One browser, one page, reused: the tenant holds 500 connector groups and 5,000 connectors
// (imported as a fixture), plus a few named objects made through Graph for the checks. The
// browser part runs in the SQLite pass only: the console reads through the Graph API alone, and
// the storage backends are covered by the rest of the end-to-end suite.

let unavailable: string | Error | undefined;
try {
  unavailable = browserUnavailable();
} catch (error) {
  unavailable = error as Error;
}
const browserSkip =
  typeof unavailable === 'string'
    ? unavailable
    : onlyOn('sqlite', 'one browser pass is enough: the console only reads and writes through Graph').skip;

/** The widths every view is checked and photographed at. */
const WIDTHS = [1280, 390] as const;
/** The largest page the console may ask for (the group picker's). */
const MAX_PAGE = 50;

describe('the console in headless Chromium, with 500 groups and 5,000 connectors', {
  skip: browserSkip ?? false,
}, () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let watched: { problems: string[] };
  let reads: { problems: string[]; reads: number };
  let world: ConsoleWorld;

  const groupRow = (p: Page, groupId: string) => p.locator(`#groups-table tbody tr[data-group-id="${groupId}"]`);
  const connectorRow = (p: Page, connectorId: string) =>
    p.locator(`#group-connectors tbody tr[data-connector-id="${connectorId}"]`);
  const groupsStatus = (p: Page) => p.locator('#groups-feedback .status-message');
  const groupsAlert = (p: Page) => p.locator('#groups-feedback .alert');

  /** Types into the groups search box and waits for the list to show `groupId`'s row. */
  async function findGroup(p: Page, text: string, groupId: string) {
    await p.locator('#groups-search').fill(text);
    await groupRow(p, groupId).waitFor();
  }

  async function chooseGroup(p: Page, text: string, groupId: string, name: string) {
    await findGroup(p, text, groupId);
    await groupRow(p, groupId).getByRole('button', { name }).click();
    await p.locator('#group-detail-title', { hasText: name }).waitFor();
  }

  /** Moves a connector through its "Move…" button and the group picker, with the keyboard only. */
  async function moveWithKeyboard(
    p: Page,
    moveButton: ReturnType<Page['locator']>,
    search: string,
    targetName: string,
  ) {
    await moveButton.focus();
    await p.keyboard.press('Enter');
    const dialog = p.locator('#picker-dialog');
    await dialog.waitFor({ state: 'visible' });
    assert.equal(await p.evaluate(() => document.activeElement?.id), 'picker-search', 'the search box has the focus');
    await p.keyboard.type(search);
    await dialog.locator('#picker-list option', { hasText: targetName }).first().waitFor();
    await p.waitForFunction(
      (name) =>
        (document.getElementById('picker-list') as HTMLSelectElement).options.length >= 1 &&
        [...(document.getElementById('picker-list') as HTMLSelectElement).options].every((o) =>
          o.textContent!.includes(name),
        ),
      targetName,
    );
    await p.keyboard.press('ArrowDown');
    assert.equal(
      await p.evaluate(() => document.activeElement?.id),
      'picker-list',
      'Down goes from the search to the list',
    );
    await p.keyboard.press('Enter');
    await dialog.waitFor({ state: 'hidden' });
  }

  async function checkAccessibility(p: Page, view: string) {
    const violations = await axeViolations(p);
    assert.deepEqual(
      violations,
      [],
      `${view}: axe-core found serious or critical violations:\n${JSON.stringify(violations, null, 2)}`,
    );
  }

  async function noSidewaysScroll(p: Page, view: string) {
    const overflow = await p.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 0, `${view}: the page is ${overflow}px wider than the screen`);
  }

  before(async () => {
    if (unavailable instanceof Error) throw unavailable;
    world = consoleWorld(server.tenantId, LARGE_WORLD);
    const imported = await admin(server, server.adminKey, 'POST', '/import', world.fixture);
    assert.equal(imported.status, 200, imported.text);
    // Named objects for the checks, made through Graph after the import (which replaces the tenant).
    ids.default = world.defaultGroupId;
    ids.west = (await created(`${PROXY}/connectorGroups`, { name: 'West Europe', region: 'eur' })).id;
    ids.branch = (await created(`${PROXY}/connectorGroups`, { name: 'Branch offices', region: 'nam' })).id;
    ids.alpha = (
      await created(`${PROXY}/connectors`, {
        machineName: 'alpha.contoso.com',
        externalIp: '131.137.147.164',
        status: 'active',
      })
    ).id;
    ids.bravo = (
      await created(`${PROXY}/connectors`, {
        machineName: 'bravo.contoso.com',
        externalIp: '131.137.147.165',
        status: 'inactive',
        version: '1.5.3500.0',
      })
    ).id;
    ids.charlie = (
      await created(`${PROXY}/connectors`, {
        machineName: 'charlie.contoso.com',
        externalIp: '52.10.0.7',
        status: 'active',
      })
    ).id;
    const moved = await api('POST', `${PROXY}/connectors/${ids.charlie}/memberOf/$ref`, {
      '@odata.id': `${server.baseUrl}${PROXY}/connectorGroups/${ids.west}`,
    });
    assert.equal(moved.status, 204, moved.text);
    const app = await created('/beta/applications', {
      displayName: 'HR portal',
      onPremisesPublishing: {
        externalUrl: 'https://hr-contoso.msappproxy.net/',
        internalUrl: 'http://hr.contoso.local/',
      },
    });
    ids.app = app.id;
    const assigned = await api('PUT', `/beta/applications/${app.id}/connectorGroup/$ref`, {
      '@odata.id': `${server.baseUrl}${PROXY}/connectorGroups/${ids.west}`,
    });
    assert.equal(assigned.status, 204, assigned.text);
    const agentGroup = await created('/beta/onPremisesPublishingProfiles/provisioning/agentGroups', {
      displayName: 'Provisioning agents HQ',
    });
    const agent = await created('/beta/onPremisesPublishingProfiles/provisioning/agents', {
      machineName: 'prov-agent-1.contoso.com',
      externalIp: '20.1.2.3',
      status: 'active',
      supportedPublishingTypes: ['provisioning'],
    });
    const linked = await api(
      'POST',
      `/beta/onPremisesPublishingProfiles/provisioning/agentGroups/${agentGroup.id}/agents/$ref`,
      {
        '@odata.id': `${server.baseUrl}/beta/onPremisesPublishingProfiles/provisioning/agents/${agent.id}`,
      },
    );
    assert.equal(linked.status, 204, linked.text);
    await created('/beta/onPremisesPublishingProfiles/privateAccess/sensors', {
      machineName: 'sensor-east.contoso.com',
      externalIp: '40.5.6.7',
      status: 'active',
      version: '1.0.12',
      isBreakglassEnabled: false,
      isAuditMode: true,
    });

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(UI_TIMEOUT_MS);
    page = await context.newPage();
    watched = watchPage(page);
    reads = watchCollections(page, MAX_PAGE);
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

  test('lists the groups a page at a time, with region, connectors, applications and the default group marked', async () => {
    const total = LARGE_WORLD.groups + 2;
    await page.locator('#groups-range', { hasText: `1–25 of ${total} groups` }).waitFor();
    assert.equal(await page.locator('#groups-summary').innerText(), `${total} groups`);
    assert.equal(await page.locator('#groups-table tbody tr').count(), 25);
    // The first page is Graph's first page by name.
    const expected = (await api('GET', `${PROXY}/connectorGroups?$orderby=name&$select=id&$top=25`)).body.value.map(
      (g: any) => g.id,
    );
    const shown = await page
      .locator('#groups-table tbody tr')
      .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.groupId));
    assert.deepEqual(shown, expected);
    // Counts as Graph counts them, for every row shown.
    for (const groupId of shown.slice(0, 5) as string[]) {
      const cells = await groupRow(page, groupId).locator('td.num').allInnerTexts();
      assert.deepEqual(
        cells.map((c) => Number(c.replace(/,/g, ''))),
        [
          await countOf(`${PROXY}/connectorGroups/${groupId}/members/$count`),
          await countOf(`${PROXY}/connectorGroups/${groupId}/applications/$count`),
        ],
      );
    }
    // The first group is chosen, so the first view is complete: its details and connectors.
    await page.locator('#group-connectors table').waitFor();

    await findGroup(page, 'Default', ids.default);
    assert.match(await groupRow(page, ids.default).locator('th').innerText(), /Default\s*★?\s*Default/);
    assert.equal(await groupRow(page, ids.default).getAttribute('data-default'), 'true');
    assert.equal(await groupRow(page, ids.default).locator('.badge-default').count(), 1);
    await findGroup(page, 'West', ids.west);
    assert.equal(
      await groupRow(page, ids.west).locator('.badge-default').count(),
      0,
      'only the default group is marked',
    );
    assert.match(await groupRow(page, ids.west).innerText(), /Europe \(eur\)/);
    assert.equal(
      await page.locator('#groups-table tbody tr').count(),
      1,
      'the search asks Graph for matching names only',
    );
    assert.equal(await page.locator('#groups-summary').innerText(), '1 group whose name contains "West"');
  });

  test('keeps polling, and redraws only when what Graph answers has changed', async () => {
    await page.evaluate(() => ((document.getElementById('groups-table') as any).__sameTable = true));
    const checked = await page.locator('#live-state').innerText();
    await page.waitForFunction((before) => document.getElementById('live-state')!.textContent !== before, checked, {
      timeout: LIVE_WITHIN_MS,
    });
    await page.waitForTimeout(2500);
    assert.match(await page.locator('#live-state').innerText(), /^Live · checked /);
    assert.equal(
      await page.evaluate(() => (document.getElementById('groups-table') as any)?.__sameTable),
      true,
      'the table was not redrawn',
    );
  });

  test('sorts by name or region and pages with @odata.nextLink, never loading everything', async () => {
    await page.locator('#groups-search').fill('');
    await page.locator('#groups-range', { hasText: /^1–25 of/ }).waitFor();
    await page
      .locator('#groups-table thead')
      .getByRole('button', { name: /Region/ })
      .click();
    await page.locator('#groups-table th[aria-sort="ascending"]', { hasText: 'Region' }).waitFor();
    await page
      .locator('#groups-table thead')
      .getByRole('button', { name: /Region/ })
      .click();
    await page.locator('#groups-table th[aria-sort="descending"]', { hasText: 'Region' }).waitFor();
    assert.equal(await page.locator('#groups-sort').inputValue(), 'region desc', 'the sort box follows the headings');
    const expected = (
      await api('GET', `${PROXY}/connectorGroups?$orderby=region desc,name&$select=id&$top=25`)
    ).body.value.map((g: any) => g.id);
    await page.waitForFunction(
      (first) => (document.querySelector('#groups-table tbody tr') as HTMLElement | null)?.dataset.groupId === first,
      expected[0],
    );
    const shown = await page
      .locator('#groups-table tbody tr')
      .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.groupId));
    assert.deepEqual(shown, expected);

    await page.locator('#groups-sort').selectOption('name');
    await page.locator('#groups-table th[aria-sort="ascending"]', { hasText: 'Name' }).waitFor();
    await page.getByRole('button', { name: 'Next page' }).first().click();
    await page.locator('#groups-range', { hasText: /^26–50 of/ }).waitFor();
    const second = (
      await api('GET', `${PROXY}/connectorGroups?$orderby=name&$select=id&$top=25&$skip=25`)
    ).body.value.map((g: any) => g.id);
    assert.deepEqual(
      await page
        .locator('#groups-table tbody tr')
        .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.groupId)),
      second,
    );
    await page
      .locator('nav[aria-label="Pages of connector groups"]')
      .getByRole('button', { name: 'Previous page' })
      .click();
    await page.locator('#groups-range', { hasText: /^1–25 of/ }).waitFor();
    assert.ok(reads.reads > 0);
    assert.deepEqual(reads.problems, [], 'every collection was read a page at a time');
  });

  test("shows a group's details and its connectors in a paged table with search and a status filter", async () => {
    // The default group holds the most connectors of the world.
    await chooseGroup(page, 'Default', ids.default, 'Default');
    const inDefault = await countOf(`${PROXY}/connectorGroups/${ids.default}/members/$count`);
    assert.ok(inDefault > 25, 'enough connectors for several pages');
    await page
      .locator('#group-connectors-range', { hasText: `1–25 of ${inDefault.toLocaleString('en-US')} connectors` })
      .waitFor();
    assert.equal(await page.locator('#group-connectors tbody tr').count(), 25);
    assert.match(await page.locator('#group-detail-head').innerText(), /Region\s+North America \(nam\)/);
    assert.match(await page.locator('#group-detail-head').innerText(), /Default group/);

    await page.locator('#group-connectors-status').selectOption('inactive');
    const inactive = await countByListing(
      `${PROXY}/connectorGroups/${ids.default}/members?$filter=status eq 'inactive'`,
    );
    await page
      .locator('#group-connectors-range', { hasText: `of ${inactive.toLocaleString('en-US')} connectors` })
      .waitFor();
    const statuses = await page.locator('#group-connectors tbody td[data-label="Status"]').allInnerTexts();
    assert.ok(statuses.length > 0 && statuses.every((s) => s.trim() === 'inactive'), statuses.join(','));

    await page.locator('#group-connectors-status').selectOption('');
    await page.locator('#group-connectors-search').fill('alpha');
    await page.locator('#group-connectors-range', { hasText: '1–1 of 1 connector' }).waitFor();
    assert.equal(await page.locator('#group-connectors tbody tr').count(), 1);
    assert.match(await connectorRow(page, ids.alpha).innerText(), /131\.137\.147\.164/);
    // An external IP is searched by its start.
    await page.locator('#group-connectors-search').fill('131.137.147.16');
    await page.locator('#group-connectors-range', { hasText: '1–2 of 2 connectors' }).waitFor();
    await connectorRow(page, ids.bravo).waitFor();
    assert.equal(await page.locator('#group-connectors tbody tr').count(), 2);
    await page.locator('#group-connectors-search').fill('no-such-machine');
    await page
      .locator('#group-connectors .empty-state', { hasText: 'No connector matches this search and status.' })
      .waitFor();
    await page.getByRole('button', { name: 'Clear search and filter' }).click();
    await page.locator('#group-connectors-range', { hasText: `1–25 of` }).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'group-connectors-search');
    await screenshot(page, '1280-groups');
  });

  test('moves a connector with the keyboard (Move…, search the group, Enter), with progress then success', async () => {
    await chooseGroup(page, 'West', ids.west, 'West Europe');
    await connectorRow(page, ids.charlie).waitFor();
    await moveWithKeyboard(
      page,
      connectorRow(page, ids.charlie).getByRole('button', { name: 'Move charlie.contoso.com to another group' }),
      'Branch off',
      'Branch offices',
    );
    await groupsStatus(page).filter({ hasText: 'Moved charlie.contoso.com to Branch offices.' }).waitFor();
    assert.equal(await groupOf(ids.charlie), ids.branch, 'Graph has the connector in its new group');
    await connectorRow(page, ids.charlie).waitFor({ state: 'detached' });
    await page.locator('#group-connectors .empty-state', { hasText: 'No connectors in this group yet.' }).waitFor();
  });

  test('moves a connector by dragging its row onto a group of the list', async () => {
    await chooseGroup(page, 'Default', ids.default, 'Default');
    await page.locator('#group-connectors-search').fill('alpha');
    await connectorRow(page, ids.alpha).waitFor();
    await findGroup(page, 'West', ids.west);
    await connectorRow(page, ids.alpha).dragTo(groupRow(page, ids.west));
    await groupsStatus(page).filter({ hasText: 'Moved alpha.contoso.com to West Europe.' }).waitFor();
    assert.equal(await groupOf(ids.alpha), ids.west);
    await page.locator('#group-connectors-search').fill('');
  });

  test('each write shows its progress; a success fades; notices stay in their tab', async () => {
    // A slow write, to see it in progress: Graph answers only when the route is released.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/memberOf/$ref', async (route) => {
      await released;
      await route.continue();
    });
    await chooseGroup(page, 'West', ids.west, 'West Europe');
    await moveWithKeyboard(
      page,
      connectorRow(page, ids.alpha).getByRole('button', { name: /^Move alpha/ }),
      'Default',
      'Default',
    );
    await groupsStatus(page).filter({ hasText: 'Moving alpha.contoso.com to Default…' }).waitFor();
    assert.equal(await groupsStatus(page).getAttribute('data-kind'), 'progress');
    release();
    await groupsStatus(page).filter({ hasText: 'Moved alpha.contoso.com to Default.' }).waitFor();
    await page.unroute('**/memberOf/$ref');
    assert.equal(await groupOf(ids.alpha), ids.default);

    // The notice belongs to the groups tab: not shown on another tab, gone on return.
    await page.getByRole('tab', { name: 'Connectors' }).click();
    await page.locator('#connectors-body table').waitFor();
    assert.equal(
      await page.locator('.status-message:visible:not(:empty), .alert:visible').count(),
      0,
      'no notice follows to another tab',
    );
    await page.getByRole('tab', { name: 'Connector groups' }).click();
    assert.equal(await groupsStatus(page).innerText(), '', 'leaving the tab cleared its notice');

    // A success fades by itself.
    await chooseGroup(page, 'Default', ids.default, 'Default');
    await page.locator('#group-connectors-search').fill('alpha');
    await page.locator('#group-connectors-range', { hasText: '1–1 of 1 connector' }).waitFor();
    await moveWithKeyboard(
      page,
      connectorRow(page, ids.alpha).getByRole('button', { name: /^Move alpha/ }),
      'West',
      'West Europe',
    );
    await groupsStatus(page).filter({ hasText: 'Moved alpha.contoso.com to West Europe.' }).waitFor();
    await page.waitForFunction(
      () => document.querySelector('#groups-feedback .status-message')!.textContent === '',
      undefined,
      { timeout: 10_000 },
    );
  });

  test("asks before deleting; shows Graph's refusals with names instead of ids", async () => {
    await chooseGroup(page, 'West', ids.west, 'West Europe');
    await page.getByRole('button', { name: 'Delete group West Europe' }).click();
    const confirm = page.locator('#confirm-dialog');
    await confirm.waitFor({ state: 'visible' });
    assert.match(await confirm.innerText(), /Delete group West Europe\?/);
    assert.equal(
      await page.evaluate(() => document.activeElement?.id),
      'confirm-cancel',
      'the safe choice has the focus',
    );
    await screenshot(page, '1280-confirm-delete');
    await checkAccessibility(page, 'confirm dialog');
    await confirm.getByRole('button', { name: 'Delete group' }).click();
    await groupsAlert(page).waitFor();
    const text = await groupsAlert(page).innerText();
    assert.match(
      text,
      /Connector group 'West Europe' still has connectors\. Move them to another connector group before deleting it\./,
    );
    assert.doesNotMatch(text, /[0-9a-f]{8}-[0-9a-f]{4}-/, 'no ids in the message');
    assert.equal((await api('GET', `${PROXY}/connectorGroups/${ids.west}`)).status, 200, 'the group is still there');
    await screenshot(page, '1280-refusal');
    await groupsAlert(page).getByRole('button', { name: 'Dismiss' }).click();
    await groupsAlert(page).waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Edit group West Europe' }).click();
    const dialog = page.locator('#group-dialog');
    await dialog.waitFor({ state: 'visible' });
    await dialog.getByLabel('Region').selectOption('asia');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog
      .locator('#group-error', {
        hasText:
          "The region of connector group 'West Europe' can only be changed while no connectors and no applications are assigned to it.",
      })
      .waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal((await api('GET', `${PROXY}/connectorGroups/${ids.west}`)).body.region, 'eur');
  });

  test('creates, renames, changes the region of, and deletes a group', async () => {
    await page.getByLabel('New group name').fill('Lab');
    await page.locator('#new-group-region').selectOption('aus');
    await page.getByRole('button', { name: 'Create group' }).click();
    await groupsStatus(page).filter({ hasText: 'Created group Lab.' }).waitFor();
    // The new group is the one shown.
    await page.locator('#group-detail-title', { hasText: /^Lab$/ }).waitFor();
    const labs = (await api('GET', `${PROXY}/connectorGroups?$filter=name eq 'Lab'`)).body.value;
    assert.equal(labs.length, 1);
    const labId = labs[0].id;
    assert.deepEqual(pick(labs[0]), { name: 'Lab', region: 'aus', isDefault: false });
    await page.locator('#group-connectors .empty-state', { hasText: 'localgraph simulate connectors' }).waitFor();

    await page.getByRole('button', { name: 'Edit group Lab' }).click();
    const dialog = page.locator('#group-dialog');
    await dialog.getByLabel('Name').fill('Lab (India)');
    await dialog.getByLabel('Region').selectOption('ind');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.locator('#group-detail-title', { hasText: 'Lab (India)' }).waitFor();
    assert.deepEqual(pick((await api('GET', `${PROXY}/connectorGroups/${labId}`)).body), {
      name: 'Lab (India)',
      region: 'ind',
      isDefault: false,
    });
    assert.equal(await focusKeyOnceSettled(page, `edit-${labId}`), `edit-${labId}`, 'focus went back to Edit…');

    await page.getByRole('button', { name: 'Delete group Lab (India)' }).click();
    await page.locator('#confirm-dialog').getByRole('button', { name: 'Delete group' }).click();
    await groupsStatus(page).filter({ hasText: 'Deleted group Lab (India).' }).waitFor();
    assert.equal((await api('GET', `${PROXY}/connectorGroups/${labId}`)).status, 404);
  });

  test('says what to do when a search finds no group', async () => {
    await page.locator('#groups-search').fill('no such group');
    await page
      .locator('#groups-list .empty-state', { hasText: 'No group\'s name contains "no such group".' })
      .waitFor();
    await screenshot(page, '1280-groups-no-match');
    await page.getByRole('button', { name: 'Clear the search' }).click();
    await page.locator('#groups-range', { hasText: /^1–25 of/ }).waitFor();
  });

  test('lists every connector in a paged table with its group, a status filter and search; moves one', async () => {
    await page.getByRole('tab', { name: 'Connectors' }).click();
    const total = await countOf(`${PROXY}/connectors/$count`);
    assert.ok(total >= LARGE_WORLD.connectors);
    await page
      .locator('#all-connectors-range', { hasText: `1–25 of ${total.toLocaleString('en-US')} connectors` })
      .waitFor();
    assert.equal(await page.locator('#connectors-body tbody tr').count(), 25);
    await page.locator('#all-connectors-status').selectOption('active');
    const active = await countByListing(`${PROXY}/connectors?$filter=status eq 'active'`);
    await page
      .locator('#all-connectors-range', { hasText: `of ${active.toLocaleString('en-US')} connectors` })
      .waitFor();
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.locator('#all-connectors-range', { hasText: /^26–50 of/ }).waitFor();
    await page.locator('#all-connectors-status').selectOption('');
    await page.locator('#all-connectors-search').fill('bravo');
    const bravo = page.locator(`#connectors-body tbody tr[data-connector-id="${ids.bravo}"]`);
    await bravo.waitFor();
    assert.match(await bravo.locator('td[data-label="Group"]').innerText(), /^Default/);
    await screenshot(page, '1280-connectors');
    await moveWithKeyboard(
      page,
      bravo.getByRole('button', { name: 'Move bravo.contoso.com to another group' }),
      'West',
      'West Europe',
    );
    await page
      .locator('#connectors-feedback .status-message', { hasText: 'Moved bravo.contoso.com to West Europe.' })
      .waitFor();
    await bravo.locator('td[data-label="Group"]', { hasText: 'West Europe' }).waitFor();
    assert.equal(await groupOf(ids.bravo), ids.west);
    assert.equal(
      await focusKeyOnceSettled(page, `move-${ids.bravo}`),
      `move-${ids.bravo}`,
      'the keyboard is back on the row',
    );
    await page.locator('#all-connectors-search').fill('');
  });

  test('lists applications a page at a time and assigns one through the group picker', async () => {
    await page.getByRole('tab', { name: 'Applications' }).click();
    await page.locator('#apps-range', { hasText: `1–20 of ${LARGE_WORLD.applications + 1} applications` }).waitFor();
    await page.locator('#apps-search').fill('HR');
    const hr = page.locator('li.tile', { hasText: 'HR portal' });
    await hr.waitFor();
    assert.match(await hr.innerText(), /West Europe/);
    await moveWithKeyboard(
      page,
      hr.getByRole('button', { name: 'Assign HR portal to a connector group' }),
      'Branch off',
      'Branch offices',
    );
    await page
      .locator('#apps-feedback .status-message', { hasText: 'Assigned HR portal to Branch offices.' })
      .waitFor();
    await hr.getByText('Branch offices').waitFor();
    assert.equal((await api('GET', `/beta/applications/${ids.app}/connectorGroup`)).body.id, ids.branch);
    await page.locator('#apps-search').fill('');
    await page.locator('#apps-range', { hasText: /^1–20 of/ }).waitFor();
  });

  test('every view at 1280 and 390 pixels: screenshots, no sideways scrolling, no serious axe-core violation', async () => {
    const views: Array<[string, string, () => Promise<void>]> = [
      ['groups', 'Connector groups', async () => void (await page.locator('#group-connectors table').waitFor())],
      ['connectors', 'Connectors', async () => void (await page.locator('#connectors-body table').waitFor())],
      ['applications', 'Applications', async () => void (await page.locator('#apps-body li.tile').first().waitFor())],
      [
        'agents',
        'Agents',
        async () => void (await page.locator('section.column', { hasText: 'Provisioning agents HQ' }).waitFor()),
      ],
      [
        'sensors',
        'Sensors',
        async () => void (await page.locator('li.tile', { hasText: 'sensor-east.contoso.com' }).waitFor()),
      ],
    ];
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      for (const [name, tab, ready] of views) {
        await page.getByRole('tab', { name: tab }).click();
        await ready();
        await noSidewaysScroll(page, `${name} at ${width}px`);
        await checkAccessibility(page, `${name} at ${width}px`);
        await screenshot(page, `${width}-${name}`, {
          fullPage: width === 390 && name !== 'groups' && name !== 'connectors',
        });
      }
      // The group picker, open.
      await page.getByRole('tab', { name: 'Connector groups' }).click();
      await page.locator('#group-connectors tbody tr').first().waitFor();
      await page
        .locator('#group-connectors tbody tr')
        .first()
        .getByRole('button', { name: /^Move / })
        .click();
      await page.locator('#picker-list option').first().waitFor();
      await checkAccessibility(page, `group picker at ${width}px`);
      await screenshot(page, `${width}-group-picker`, { fullPage: false });
      await page.keyboard.press('Escape');
      await page.locator('#picker-dialog').waitFor({ state: 'hidden' });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    assert.deepEqual(watched.problems, []);
    assert.deepEqual(reads.problems, [], 'every collection was read a page at a time');
  });

  test('the keyboard reaches everything in order, and focus is visible', async () => {
    await page.getByRole('tab', { name: 'Connector groups' }).click();
    await page.locator('#group-connectors table').waitFor();
    await page.locator('#groups-title').focus();
    const order: string[] = [];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      const info = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const style = getComputedStyle(el);
        return {
          id: el.id || el.getAttribute('data-focus-key') || el.textContent!.trim(),
          outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
        };
      });
      assert.ok(info.outline, `${info.id} shows where the focus is`);
      order.push(info.id);
    }
    // The form, then the list's search and sort, then the list itself: reading order.
    assert.deepEqual(order.slice(0, 5), [
      'new-group-name',
      'new-group-region',
      'Create group',
      'groups-search',
      'groups-sort',
    ]);
    assert.equal(order[5], 'groups-sort-name');
  });

  test('changes made through the API appear without a reload', async () => {
    await page.evaluate(() => ((window as any).__sameDocument = true));
    await findGroup(page, 'Branch off', ids.branch);
    const renamed = await api('PATCH', `${PROXY}/connectorGroups/${ids.branch}`, { name: 'Branch offices (EMEA)' });
    assert.equal(renamed.status, 204, renamed.text);
    await groupRow(page, ids.branch)
      .getByRole('button', { name: 'Branch offices (EMEA)' })
      .waitFor({ timeout: LIVE_WITHIN_MS });
    const before = Number(await groupRow(page, ids.branch).locator('td[data-label="Connectors"]').innerText());
    const delta = await created(`${PROXY}/connectors`, {
      machineName: 'delta.contoso.com',
      externalIp: '10.9.8.7',
      status: 'active',
    });
    const moved = await api('POST', `${PROXY}/connectors/${delta.id}/memberOf/$ref`, {
      '@odata.id': `${server.baseUrl}${PROXY}/connectorGroups/${ids.branch}`,
    });
    assert.equal(moved.status, 204);
    await groupRow(page, ids.branch)
      .locator('td[data-label="Connectors"]', { hasText: String(before + 1) })
      .waitFor({ timeout: LIVE_WITHIN_MS });
    assert.equal(await page.evaluate(() => (window as any).__sameDocument), true, 'the page was not reloaded');
  });

  test('signs in with a user name and password at the token endpoint', async () => {
    const fresh = await browser.newContext({ viewport: { width: 1000, height: 760 } });
    fresh.setDefaultTimeout(UI_TIMEOUT_MS);
    const signin = await fresh.newPage();
    const problems = watchPage(signin);
    await signin.goto(`${server.baseUrl}/console`);
    await signin.getByRole('heading', { name: 'Sign in' }).waitFor();
    const credentials = printedCredentials(server);
    await signin.locator('#password:focus, #username:focus').waitFor();
    assert.equal(await signin.getByLabel('User name').inputValue(), credentials.userPrincipalName, 'prefilled');
    await checkAccessibility(signin, 'sign-in');
    await screenshot(signin, 'signin');

    await signin.getByLabel('Password').fill('not-the-password');
    await signin.getByRole('button', { name: 'Sign in' }).click();
    await signin.locator('#signin-error', { hasText: 'Wrong user name or password. (AADSTS50126)' }).waitFor();

    await signin.getByLabel('Password').fill(credentials.password);
    await signin.getByRole('button', { name: 'Sign in' }).click();
    await signin.locator('#groups-table').waitFor();
    await signin.locator('#who').getByText(credentials.userPrincipalName).waitFor();

    await signin.reload();
    await signin.locator('#groups-table').waitFor();
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
