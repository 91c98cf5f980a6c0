import { randomBytes } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { findChromium, launchChromium } from '../../test/helpers/browser.js';
import { consoleWorld, LARGE_WORLD } from '../../test/helpers/console-world.js';
import { median } from '../lib/load.js';
import { startLocalgraph, type RunningLocalgraph } from '../lib/targets.js';
import type { Suite } from './scenario.js';
import { ms, ratio } from './seeded.js';

/** Page loads measured per tenant (the first, with a cold server, is left out). */
const LOADS = 6;
/** The goal: the first complete view within this many milliseconds. */
const GOAL_MS = 2000;
const SCOPES =
  'Directory.ReadWrite.All Application.ReadWrite.All Policy.ReadWrite.HybridAuthentication OnPremisesPublishingProfiles.ReadWrite.All';

/**
 * The web console's time to its first complete view in headless Chromium (Debian's, through
 * playwright-core): from navigating to /console#access_token=… until the groups table (with
 * every row's connector and application counts), the first group's details and its connectors
 * table are all drawn. Measured on a tenant with 500 connector groups, 5,000 connectors and 40
 * applications (imported as a fixture) and, as the baseline in the same run, on a fresh tenant
 * (its default group only): the ratio says what the large tenant costs.
 */
export const consoleFirstView: Suite = {
  name: 'console-first-view',
  description:
    `Web console: time from opening /console to its first complete view (groups table with counts, first group's details and connectors) in headless Chromium, ` +
    `median of ${LOADS} loads, on a tenant of ${LARGE_WORLD.groups} groups / ${LARGE_WORLD.connectors} connectors against a fresh tenant (baseline).`,
  async run(context) {
    if (!findChromium()) return ['Skipped: Chromium not found (apt-get install -y chromium, or set CHROMIUM_PATH).'];
    const browser = await launchChromium();
    try {
      const empty = await measureTenant(browser, false, context.log);
      const large = await measureTenant(browser, true, context.log);
      const share = large / empty;
      context.log(
        `${ms(large, 0)} with ${LARGE_WORLD.groups} groups, ${ms(empty, 0)} on a fresh tenant (${ratio(share)})`,
      );
      return [
        `First complete view, median of ${LOADS} loads: **${ms(large, 0)}** with ${LARGE_WORLD.groups} groups and ${LARGE_WORLD.connectors} connectors ` +
          `(goal < ${GOAL_MS} ms: ${large < GOAL_MS ? 'met' : 'missed'}); ${ms(empty, 0)} on a fresh tenant; ratio ${ratio(share)}.`,
      ];
    } finally {
      await browser.close();
    }
  },
};

async function measureTenant(browser: Browser, large: boolean, log: (message: string) => void): Promise<number> {
  const adminKey = `lgadm_bench${randomBytes(12).toString('hex')}`;
  const server: RunningLocalgraph = await startLocalgraph({}, { args: ['--admin-key', adminKey] });
  try {
    const origin = new URL(server.baseUrl).origin;
    if (large) {
      const status = (await (
        await fetch(`${origin}/_admin/`, { headers: { 'x-localgraph-admin-key': adminKey } })
      ).json()) as { defaultTenant: string };
      const imported = await fetch(`${origin}/_admin/import`, {
        method: 'POST',
        headers: { 'x-localgraph-admin-key': adminKey, 'content-type': 'application/json' },
        body: JSON.stringify(consoleWorld(status.defaultTenant, LARGE_WORLD).fixture),
      });
      if (imported.status !== 200) throw new Error(`fixture import: ${imported.status} ${await imported.text()}`);
    }
    const token = await server.token(SCOPES);
    const times: number[] = [];
    for (let load = 0; load <= LOADS; load++) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const started = performance.now();
      await page.goto(`${origin}/console#access_token=${token}`);
      // Complete: counts in every row, the chosen group's details, and its connectors (or its empty state).
      await page.waitForFunction(
        () => {
          const rows = [...document.querySelectorAll('#groups-table tbody tr')];
          const counted =
            rows.length > 0 &&
            rows.every((r) => [...r.querySelectorAll('td.num')].every((c) => /\d/.test(c.textContent ?? '')));
          const detail = document.querySelector('#group-detail-head .detail-title');
          const connectors = document.querySelector(
            '#group-connectors .results table, #group-connectors .results .empty-state',
          );
          return counted && detail !== null && connectors !== null;
        },
        undefined,
        { timeout: 30_000, polling: 'raf' },
      );
      const elapsed = performance.now() - started;
      await page.close();
      if (load > 0) times.push(elapsed);
      log(
        `${large ? 'large' : 'fresh'} tenant, load ${load}: ${ms(elapsed, 0)}${load === 0 ? ' (warm-up, not counted)' : ''}`,
      );
    }
    return median(times);
  } finally {
    await server.stop(2000);
  }
}
