import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphError } from '../graph/errors.js';
import { family } from '../family/on-premises/schema.js';
import { Model } from '../model/model.js';
import { resolvePath } from '../odata/path.js';
import { familyRegistry } from '../family/family.js';
import { onPremises } from '../family/on-premises/on-premises.js';
import type { PermissionRow } from './permission-row.js';
import { PermissionPolicy } from './permissions.js';
import type { Principal } from './principal.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const permissionRows = familyRegistry(onPremises).permissions();
const policy = new PermissionPolicy(permissionRows);

/** Every permission any row names, plus some that no row names. */
const ALL_PERMISSIONS = [
  ...new Set([
    ...permissionRows.flatMap((r) => [...r.delegated, ...r.application]),
    'User.Read',
    'Directory.Read.All',
    'Application.ReadWrite.All',
  ]),
];

function user(...scopes: string[]): Principal {
  return { tenantId: TENANT, objectId: 'u', kind: 'user', scopes: new Set(scopes), roles: new Set() };
}
function app(...roles: string[]): Principal {
  return { tenantId: TENANT, objectId: 'sp', kind: 'app', scopes: new Set(), roles: new Set(roles) };
}

function denied(error: unknown): boolean {
  assert.ok(error instanceof GraphError, `expected a GraphError, got ${String(error)}`);
  assert.equal(error.status, 403);
  assert.equal(error.code, 'Authorization_RequestDenied');
  assert.equal(error.message, 'Insufficient privileges to complete the operation.');
  return true;
}

const label = (row: PermissionRow) => `${row.method} ${row.pattern}`;

test('the matrix has rows and no (method, pattern) twice', () => {
  assert.ok(permissionRows.length > 0);
  const keys = permissionRows.map((r) => `${r.method} ${r.pattern.toLowerCase()}`);
  assert.equal(new Set(keys).size, keys.length);
});

test('every row pattern is a path of the model, written as path resolution writes it', () => {
  const model = new Model(family);
  for (const row of permissionRows) {
    const path = row.pattern.replace(/\{id\}/g, 'k1');
    assert.equal(`/${resolvePath(model, path).pattern.replace(/^\//, '')}`, row.pattern, label(row));
  }
});

for (const row of permissionRows) {
  describe(label(row), () => {
    test('the row is what policy.row finds, in any case', () => {
      assert.equal(policy.row(row.method, row.pattern), row);
      assert.equal(policy.row(row.method.toLowerCase(), row.pattern.toUpperCase()), row);
    });

    test('a delegated token with any one of the row scopes passes', () => {
      assert.ok(row.delegated.length > 0, 'every served operation supports delegated tokens');
      for (const scope of row.delegated) {
        policy.check(user(scope), row.method, row.pattern);
        policy.check(user('User.Read', scope), row.method, row.pattern);
      }
    });

    test('a delegated token without a row scope gets 403', () => {
      const others = ALL_PERMISSIONS.filter((p) => !row.delegated.includes(p));
      assert.throws(() => policy.check(user(), row.method, row.pattern), denied);
      assert.throws(() => policy.check(user(...others), row.method, row.pattern), denied);
      // Scopes differ by case from the row's: no match.
      assert.throws(
        () => policy.check(user(...row.delegated.map((s) => s.toLowerCase())), row.method, row.pattern),
        denied,
      );
    });

    test('a delegated token holding the permission only as a role gets 403', () => {
      const principal: Principal = { ...user(), roles: new Set(ALL_PERMISSIONS) };
      assert.throws(() => policy.check(principal, row.method, row.pattern), denied);
    });

    if (row.application.length > 0) {
      test(`an app token with one of the roles passes (${row.application.join(', ')})`, () => {
        for (const role of row.application) policy.check(app(role), row.method, row.pattern);
      });
      test('an app token without a row role gets 403', () => {
        assert.throws(() => policy.check(app(), row.method, row.pattern), denied);
        assert.throws(
          () =>
            policy.check(app(...ALL_PERMISSIONS.filter((p) => !row.application.includes(p))), row.method, row.pattern),
          denied,
        );
      });
    } else {
      test('app tokens are not supported: every role set gets 403', () => {
        assert.throws(() => policy.check(app(...ALL_PERMISSIONS), row.method, row.pattern), denied);
      });
    }

    test('an app token holding the permission only as a scope gets 403', () => {
      const principal: Principal = { ...app(), scopes: new Set(ALL_PERMISSIONS) };
      assert.throws(() => policy.check(principal, row.method, row.pattern), denied);
    });
  });
}

describe('GET of $count and $ref', () => {
  const collections = permissionRows.filter((r) => r.method === 'GET' && !r.pattern.endsWith('/{id}'));
  for (const row of collections) {
    test(`GET ${row.pattern}/$count and /$ref need what GET ${row.pattern} needs`, () => {
      assert.equal(policy.row('GET', `${row.pattern}/$count`), row);
      assert.equal(policy.row('get', `${row.pattern}/$ref`), row);
      policy.check(user(row.delegated[0]), 'GET', `${row.pattern}/$count`);
      assert.throws(() => policy.check(user('User.Read'), 'GET', `${row.pattern}/$count`), denied);
    });
  }

  test('only GET shares the collection row', () => {
    const get = permissionRows.find(
      (r) => r.method === 'GET' && r.pattern === '/onPremisesPublishingProfiles/{id}/connectors',
    );
    assert.ok(get);
    assert.equal(policy.row('DELETE', '/onPremisesPublishingProfiles/{id}/connectors/$count'), undefined);
    assert.equal(policy.row('GET', '/onPremisesPublishingProfiles/{id}/connectors/$count/$count'), undefined);
  });
});

describe('operations without a row are never performed (fail closed)', () => {
  const everything = [user(...ALL_PERMISSIONS), app(...ALL_PERMISSIONS)];
  const notAllowed: [string, string][] = [
    ['PUT', '/onPremisesPublishingProfiles/{id}/connectors'],
    ['DELETE', '/onPremisesPublishingProfiles/{id}/connectors'],
    ['OPTIONS', '/onPremisesPublishingProfiles/{id}/connectors'],
    ['POST', '/onPremisesPublishingProfiles/{id}/connectors/{id}'],
  ];
  for (const [method, pattern] of notAllowed) {
    test(`${method} ${pattern}: another method of a served path is 405`, () => {
      assert.equal(policy.row(method, pattern), undefined);
      for (const principal of everything) {
        assert.throws(
          () => policy.check(principal, method, pattern),
          (e: unknown) => e instanceof GraphError && e.status === 405 && e.code === 'Request_BadRequest',
        );
      }
    });
  }
  const unserved: [string, string][] = [
    ['GET', '/onPremisesPublishingProfiles/{id}/connectors/{id}/foo'],
    ['GET', '/somethingElse'],
    ['GET', ''],
  ];
  for (const [method, pattern] of unserved) {
    test(`${method} ${pattern || '(empty)'}: a path without any row is 501`, () => {
      assert.equal(policy.row(method, pattern), undefined);
      for (const principal of everything) {
        assert.throws(
          () => policy.check(principal, method, pattern),
          (e: unknown) => e instanceof GraphError && e.status === 501,
        );
      }
    });
  }

  test('a policy built from other rows knows only those', () => {
    const custom = new PermissionPolicy([
      { method: 'GET', pattern: '/x', delegated: ['A'], application: ['B'], note: '' },
    ]);
    custom.check(user('A'), 'GET', '/x');
    custom.check(app('B'), 'get', '/X');
    assert.throws(() => custom.check(user('B'), 'GET', '/x'), denied);
    assert.throws(() => custom.check(app('A'), 'GET', '/x'), denied);
    const first = permissionRows[0];
    assert.throws(
      () => custom.check(user(...first.delegated), first.method, first.pattern),
      (e: unknown) => e instanceof GraphError && e.status === 501,
    );
  });
});

describe('a 403 says why', () => {
  const detailsOf = (run: () => void) => {
    try {
      run();
    } catch (error) {
      denied(error);
      return error as GraphError;
    }
    assert.fail('not refused');
  };

  test('an app-only token on an operation with no application permissions: it needs a delegated token', () => {
    const error = detailsOf(() =>
      policy.check(
        app('Directory.ReadWrite.All', 'User.Read.All'),
        'GET',
        '/onPremisesPublishingProfiles/{id}/connectors',
      ),
    );
    assert.deepEqual(error.details, [
      {
        code: 'DelegatedTokenRequired',
        message:
          'GET /onPremisesPublishingProfiles/{id}/connectors supports no application permissions: call it with a delegated (user) token that carries one of the delegated permissions Directory.ReadWrite.All.',
        target: 'roles',
      },
      {
        code: 'TokenPermissions',
        message:
          "The app-only token carries the application permissions Directory.ReadWrite.All, User.Read.All (claim 'roles').",
        target: 'roles',
      },
    ]);
    const logged = error.logFields?.denied as Record<string, unknown>;
    assert.equal(logged.operation, 'GET /onPremisesPublishingProfiles/{id}/connectors');
    assert.equal(logged.token, 'app-only');
    assert.equal(logged.delegatedOnly, true);
    assert.deepEqual(logged.delegated, ['Directory.ReadWrite.All']);
    assert.deepEqual(logged.carried, ['Directory.ReadWrite.All', 'User.Read.All']);
    assert.match(String(logged.reason), /supports no application permissions.*carries the application permissions/);
  });

  test('a delegated token: the delegated permissions accepted and the scopes it carries', () => {
    const error = detailsOf(() =>
      policy.check(user('User.Read'), 'POST', '/onPremisesPublishingProfiles/{id}/connectorGroups'),
    );
    assert.deepEqual(error.details, [
      {
        code: 'RequiredPermissions',
        message:
          'POST /onPremisesPublishingProfiles/{id}/connectorGroups accepts a token with one of the delegated permissions Directory.ReadWrite.All.',
        target: 'scp',
      },
      {
        code: 'TokenPermissions',
        message: "The delegated token carries the delegated permissions User.Read (claim 'scp').",
        target: 'scp',
      },
    ]);
  });

  test('an app-only token without the role an operation accepts: the roles accepted, and that it carries none', () => {
    const error = detailsOf(() => policy.check(app(), 'GET', '/applications'));
    assert.equal(error.details?.[0]?.code, 'RequiredPermissions');
    assert.match(
      error.details?.[0]?.message ?? '',
      /^GET \/applications accepts a token with one of the application permissions Application\.Read\.All, /,
    );
    assert.equal(error.details?.[1]?.message, "The app-only token carries no application permissions (claim 'roles').");
  });
});
