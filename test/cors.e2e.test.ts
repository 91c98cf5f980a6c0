/**
 * Browser apps of another origin, in headless Chromium (issue 16, points 9 and 10): a page on
 * another origin calls the Graph surface with a bearer token (preflight, then the request, whose
 * headers it reads), and cannot use the token endpoint (cross-site form posts are refused before
 * any password is checked, so a page cannot lock the user out).
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { browserUnavailable, launchChromium } from './helpers/browser.js';
import { request } from './helpers/server.js';
import { startInProcess, type InProcessServer } from './helpers/in-process.js';

const GROUPS = '/beta/onPremisesPublishingProfiles/applicationProxy/connectorGroups';

let unavailable: string | Error | undefined;
try {
  unavailable = browserUnavailable();
} catch (error) {
  unavailable = error as Error;
}

describe('a page of another origin', { skip: typeof unavailable === 'string' ? unavailable : false }, () => {
  let server: InProcessServer;
  let elsewhere: Server;
  let browser: Browser;
  let page: Page;

  before(async () => {
    if (unavailable instanceof Error) throw unavailable;
    server = await startInProcess();
    // The other origin: a plain page on another port.
    elsewhere = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>another app</title>'),
    );
    await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.1', resolve));
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}/`);
  });
  after(async () => {
    await browser?.close();
    elsewhere?.close();
    await server?.stop();
  });

  test('calls Graph with a bearer token: the preflight passes and the answer and its headers can be read', async () => {
    const token = await server.token();
    const result = await page.evaluate(
      async ({ url, token }) => {
        const created = await fetch(url, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/json',
            'client-request-id': 'spa-call-1',
          },
          body: JSON.stringify({ name: 'made by a single-page app' }),
        });
        const listed = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
        return {
          status: created.status,
          requestId: created.headers.get('request-id'),
          clientRequestId: created.headers.get('client-request-id'),
          name: (await created.json()).name,
          listed: (await listed.json()).value.map((g: { name: string }) => g.name),
        };
      },
      { url: `${server.baseUrl}${GROUPS}`, token },
    );
    assert.ok(result.status === 201 || result.status === 200, JSON.stringify(result));
    assert.match(String(result.requestId), /^[0-9a-f-]{36}$/);
    assert.equal(result.clientRequestId, 'spa-call-1');
    assert.equal(result.name, 'made by a single-page app');
    assert.ok(result.listed.includes('made by a single-page app'));
  });

  test('where tokens are not verified (--auth claims) the browser gets no CORS answer and reads nothing', async () => {
    const claims = await startInProcess({ auth: 'claims' });
    try {
      const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ tid: claims.tenantId, oid: 'u', scp: 'Directory.ReadWrite.All' })).toString('base64url')}.`;
      const outcome = await page.evaluate(
        async ({ url, token }) => {
          try {
            const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
            return `read ${res.status}`;
          } catch {
            return 'blocked';
          }
        },
        { url: `${claims.baseUrl}${GROUPS}`, token: unsigned },
      );
      assert.equal(outcome, 'blocked', 'the preflight is what lets a page of another origin call localgraph');
    } finally {
      await claims.stop();
    }
  });

  test('cannot post to the token endpoint: no guess is checked, so the user is not locked out', async () => {
    const creds = {
      clientId: server.localgraph.clientId,
      userPrincipalName: server.localgraph.username,
      password: server.localgraph.password!,
    };
    const outcome = await page.evaluate(
      async ({ url, username }) => {
        const results: string[] = [];
        for (let i = 0; i < 12; i++) {
          try {
            const res = await fetch(url, {
              method: 'POST',
              headers: { 'content-type': 'application/x-www-form-urlencoded' },
              body: new URLSearchParams({
                grant_type: 'password',
                client_id: 'x',
                username,
                password: `guess-${i}`,
                scope: 'https://graph.microsoft.com/.default',
              }),
            });
            results.push(`read ${res.status}`);
          } catch {
            results.push('blocked');
          }
        }
        return results;
      },
      { url: `${server.baseUrl}/${server.tenantId}/oauth2/v2.0/token`, username: creds.userPrincipalName },
    );
    assert.deepEqual(new Set(outcome), new Set(['blocked']), 'the page can read no answer');
    const signIn = await request<{ access_token?: string }>(`${server.baseUrl}/${server.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: creds.clientId,
        username: creds.userPrincipalName,
        password: creds.password,
        scope: 'https://graph.microsoft.com/.default',
      }).toString(),
    });
    assert.equal(signIn.status, 200, `the account was locked by a web page: ${signIn.text}`);
  });
});
