import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OAuthError } from '../graph/errors.js';
import { consentedScopes, isGraphResource, parseScopes } from './scopes.js';

function oauth(aadsts: number, error: string) {
  return (e: unknown) => {
    assert.ok(e instanceof OAuthError, String(e));
    assert.equal(e.aadsts, aadsts);
    assert.equal(e.error, error);
    return true;
  };
}

describe('parseScopes', () => {
  test('.default of Graph, in each of its names', () => {
    for (const scope of [
      'https://graph.microsoft.com/.default',
      'https://graph.microsoft.com//.default',
      '00000003-0000-0000-c000-000000000000/.default',
    ]) {
      const parsed = parseScopes(scope);
      assert.equal(parsed.isDefault, true, scope);
      assert.deepEqual(parsed.permissions, []);
      assert.ok(isGraphResource(parsed.resource!), scope);
    }
  });

  test('explicit permissions, with or without the resource, and sign-in scopes apart', () => {
    const parsed = parseScopes(
      'https://graph.microsoft.com/Directory.ReadWrite.All User.Read openid Profile offline_access',
    );
    assert.equal(parsed.resource, 'https://graph.microsoft.com');
    assert.equal(parsed.isDefault, false);
    assert.deepEqual(parsed.permissions, ['Directory.ReadWrite.All', 'User.Read']);
    assert.deepEqual(parsed.oidc, ['openid', 'profile', 'offline_access']);
  });

  test('sign-in scopes only: no resource', () => {
    const parsed = parseScopes('openid profile');
    assert.equal(parsed.resource, undefined);
    assert.deepEqual(parsed.oidc, ['openid', 'profile']);
  });

  test('two resources: AADSTS28000', () => {
    assert.throws(
      () => parseScopes('https://graph.microsoft.com/.default api://other/.default'),
      oauth(28000, 'invalid_scope'),
    );
    assert.throws(
      () => parseScopes('User.Read https://management.azure.com/user_impersonation'),
      oauth(28000, 'invalid_scope'),
    );
  });

  test('.default with another permission of the same resource: AADSTS70011', () => {
    assert.throws(
      () => parseScopes('https://graph.microsoft.com/.default https://graph.microsoft.com/User.Read'),
      oauth(70011, 'invalid_scope'),
    );
  });

  test('resources are matched without regard to case or a trailing slash', () => {
    assert.equal(
      parseScopes('HTTPS://GRAPH.MICROSOFT.COM/.default https://graph.microsoft.com/.default').isDefault,
      true,
    );
  });
});

describe('isGraphResource', () => {
  test("Graph by URL or app id, and the aliases given (localgraph's own origin)", () => {
    assert.ok(isGraphResource('https://graph.microsoft.com/'));
    assert.ok(isGraphResource('00000003-0000-0000-C000-000000000000'));
    assert.ok(isGraphResource('https://localhost:5443', ['https://localhost:5443']));
    assert.ok(!isGraphResource('https://localhost:5443'));
    assert.ok(!isGraphResource('https://graph.microsoft.us'));
    assert.ok(!isGraphResource('api://localgraph'));
  });
});

describe('consentedScopes', () => {
  const consented = ['Directory.ReadWrite.All', 'Application.Read.All'];
  test('.default and consented explicit permissions get every consented permission, as Entra ID gives', () => {
    assert.deepEqual(consentedScopes(parseScopes('https://graph.microsoft.com/.default'), consented), consented);
    assert.deepEqual(consentedScopes(parseScopes('application.read.all'), consented), consented);
    assert.deepEqual(consentedScopes(parseScopes('openid'), consented), consented);
  });
  test('a permission never consented, or no consent at all: undefined (consent_required)', () => {
    assert.equal(consentedScopes(parseScopes('Mail.Read'), consented), undefined);
    assert.equal(consentedScopes(parseScopes('Directory.ReadWrite.All Mail.Read'), consented), undefined);
    assert.equal(consentedScopes(parseScopes('https://graph.microsoft.com/.default'), []), undefined);
  });
});
