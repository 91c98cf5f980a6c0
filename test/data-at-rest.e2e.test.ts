/**
 * Data at rest (issue 16, point 5 and the admin key of point 9): a data folder only its owner can
 * read, narrowed with a warning when found open; the admin key kept as a hash only, printed once
 * when made and never when given; `localgraph admin-key new` for a lost key.
 */
import assert from 'node:assert/strict';
import { chmodSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { admin } from './helpers/admin.js';
import { durable, onlyOn } from './helpers/backend.js';
import { runCli, startServer } from './helpers/server.js';

const mode = (path: string) => statSync(path).mode & 0o777;

/** Every path in the folder, two levels deep, with its mode. */
function modes(dir: string): Record<string, number> {
  const found: Record<string, number> = { '.': mode(dir) };
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    found[name] = mode(path);
    if (statSync(path).isDirectory())
      for (const inner of readdirSync(path)) found[`${name}/${inner}`] = mode(join(path, inner));
  }
  return found;
}

describe('data at rest', () => {
  it(
    'a data folder is 0700 and its files 0600; an open one is narrowed at start, with a warning',
    onlyOn('sqlite', 'a data folder'),
    async () => {
      const server = await startServer({ args: ['--https'] });
      const dir = server.dataDir!;
      const made = modes(dir);
      assert.ok(
        Object.keys(made).some((p) => p === 'localgraph.db') && Object.keys(made).some((p) => p.startsWith('tls/')),
        JSON.stringify(made),
      );
      for (const [path, m] of Object.entries(made)) {
        const folder = statSync(join(dir, path)).isDirectory();
        assert.equal(m, folder ? 0o700 : 0o600, `${path} is ${m.toString(8)}`);
      }
      // Neither the admin key nor its banner line's key is in the database files in clear.
      for (const name of readdirSync(dir).filter((n) => n.startsWith('localgraph.db')))
        assert.ok(!readFileSync(join(dir, name)).includes(server.adminKey), `${name} holds the admin key`);
      assert.equal(await server.stop(), 0);

      // As an older localgraph (or a copy under umask 022) left it.
      chmodSync(dir, 0o755);
      for (const name of readdirSync(dir))
        chmodSync(join(dir, name), statSync(join(dir, name)).isDirectory() ? 0o755 : 0o644);
      const again = await startServer({ dataDir: dir, args: ['--https'] });
      assert.match(again.stderr(), /warning: the data folder .* was open to other users/);
      assert.match(again.stderr(), /localgraph\.db \(was 0644, now 0600\)/);
      for (const [path, m] of Object.entries(modes(dir)))
        assert.equal(m, statSync(join(dir, path)).isDirectory() ? 0o700 : 0o600, path);
      assert.equal(await again.stop(), 0);
    },
  );

  it(
    'the admin key: shown once when made, never when given; a lost one is replaced with admin-key new',
    durable(),
    async () => {
      const first = await startServer();
      const key = first.adminKey;
      assert.match(first.stdout(), new RegExp(`with key ${key} \\(shown once; only its hash is kept\\)`));
      assert.equal(await first.stop(), 0);

      const made = await runCli(['admin-key', 'new', ...first.storageArgs()]);
      assert.equal(made.code, 0, made.stderr);
      const replacement = made.stdout.trim();
      assert.match(replacement, /^lgadm_[\w-]{32}$/);
      const next = await startServer(first.sameStorage());
      assert.ok(
        !next.stdout().includes(replacement) && !next.stdout().includes(key),
        'no key in the banner of a later start',
      );
      assert.equal((await admin(next, replacement, 'GET', '/')).status, 200);
      assert.equal((await admin(next, key, 'GET', '/')).status, 401, 'the old key is forgotten');
      assert.equal(await next.stop(), 0);

      const given = await startServer({
        ...first.sameStorage(),
        env: { ...process.env, LOCALGRAPH_ADMIN_KEY: 'a-key-from-the-environment' },
      });
      assert.match(given.stdout(), /with the key given by \$LOCALGRAPH_ADMIN_KEY/);
      assert.ok(!given.stdout().includes('a-key-from-the-environment'));
      assert.equal(await given.stop(), 0);
    },
  );
});
