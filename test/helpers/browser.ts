/**
 * Headless Chromium for the console's end-to-end tests: Debian's `chromium` package (installed by
 * .ci/run), driven by playwright-core (which downloads no browser of its own).
 *
 * Without Chromium the tests skip with the reason printed, except under CI (`CI` set to
 * anything but `false`/`0`), where a missing browser is a failure: CI must run them.
 */
import { accessSync, constants, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium'];

/** Flags for a sandbox-less, offline headless run (no calls to Google's services). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** Where screenshots go: test-artifacts/console/ at the repository root (git-ignored). */
export const ARTIFACTS_DIR = fileURLToPath(new URL('../../../test-artifacts/console/', import.meta.url));

export function onCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
}

/** The Chromium executable: $CHROMIUM_PATH, or Debian's; undefined when there is none. */
export function findChromium(): string | undefined {
  const candidates = process.env.CHROMIUM_PATH ? [process.env.CHROMIUM_PATH] : CANDIDATES;
  for (const path of candidates) {
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not this one
    }
  }
  return undefined;
}

/**
 * Why the browser tests cannot run here (a string to skip with), or undefined when they can.
 * Under CI a missing browser throws instead: the tests must fail, not skip.
 */
export function browserUnavailable(): string | undefined {
  if (findChromium()) return undefined;
  const reason = `Chromium not found (${process.env.CHROMIUM_PATH ?? CANDIDATES.join(', ')}); install it with: apt-get install -y chromium`;
  if (onCi()) throw new Error(`${reason} (CI: the console tests must run)`);
  console.log(`# skipping the console browser tests: ${reason}`);
  return reason;
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error('Chromium not found');
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS, headless: true, timeout: 30_000 });
}

/** Saves a screenshot of the page as test-artifacts/console/<name>.png; returns its path. */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = `${ARTIFACTS_DIR}${name}.png`;
  await page.screenshot({ path, fullPage: options.fullPage ?? true });
  return path;
}

/**
 * Collects what would make a page silently broken: uncaught exceptions, console errors (CSP
 * violations land there too) and failed requests to the console's own files.
 */
export function watchPage(page: Page): { problems: string[] } {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message: ConsoleMessage) => {
    // A refused Graph call is logged by the browser as a failed resource load: expected when a
    // test provokes a refusal; anything else is a problem.
    if (
      message.type() === 'error' &&
      !/Failed to load resource: the server responded with a status of (400|401|403|404)/.test(message.text())
    ) {
      problems.push(`console error: ${message.text()}`);
    }
  });
  page.on('requestfailed', (request) =>
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`),
  );
  return { problems };
}

/** One accessibility problem axe-core found: its rule, impact, and where. */
export interface AxeViolation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

let axeSource: string | undefined;

/**
 * Runs axe-core (the npm package, pinned) in the page and returns its serious and critical
 * violations. It is evaluated through the DevTools protocol, which the page's Content-Security-
 * Policy does not govern, so the page keeps its real policy while it is checked.
 */
export async function axeViolations(page: Page, impacts: string[] = ['serious', 'critical']): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(`${axeSource}\n;void 0`);
  const violations = await page.evaluate(async () => {
    const result = await (window as any).axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v: any) => ({
      id: v.id,
      impact: v.impact ?? '',
      help: v.help,
      targets: v.nodes.map((n: any) => n.target.join(' ')).slice(0, 5),
    }));
  });
  return (violations as AxeViolation[]).filter((v) => impacts.includes(v.impact));
}

/**
 * Watches what the page asks Graph for, to prove that it never loads a whole collection: every
 * GET of a collection must ask for a page (`Prefer: odata.maxpagesize` up to `maxPage`) and get
 * at most that many items back. Returns the problems found and the collection reads seen.
 */
export function watchCollections(page: Page, maxPage: number): { problems: string[]; reads: number } {
  const watch = { problems: [] as string[], reads: 0 };
  const isCollection = (url: URL) =>
    url.pathname.startsWith('/beta/') &&
    /\/(connectorGroups|connectors|members|applications|memberOf)$/.test(url.pathname);
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (request.method() !== 'GET' || !isCollection(url)) return;
    watch.reads++;
    const asked = /odata\.maxpagesize=(\d+)/.exec(request.headers().prefer ?? '');
    if (!asked || Number(asked[1]) > maxPage)
      watch.problems.push(`GET ${url.pathname}${url.search} asked for ${asked ? asked[1] : 'no page size'}`);
  });
  page.on('response', async (response) => {
    const url = new URL(response.url());
    if (response.request().method() !== 'GET' || !isCollection(url) || response.status() !== 200) return;
    try {
      const body = await response.json();
      if (Array.isArray(body.value) && body.value.length > maxPage)
        watch.problems.push(`GET ${url.pathname} answered ${body.value.length} items`);
    } catch {
      // a page closed under it
    }
  });
  return watch;
}
