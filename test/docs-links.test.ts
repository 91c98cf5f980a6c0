/**
 * The documentation holds together: every relative link and #anchor of README.md and docs/*.md
 * resolves (GitHub's anchor rules), every `--flag` the pages name is one the CLI's help text
 * names (or another tool's, listed below with the tool), and every flag of the CLI's help is
 * documented on some page; the README stays a front door (at most 250 lines) and docs/README.md
 * links every page. New pages under docs/ and new commands or flags in the help are
 * picked up by themselves. Runs without a server: the help comes from `localgraph … --help`.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { onlyOn } from './helpers/backend.js';
import { githubSlug, headingAnchors, longFlags, markdownLinks } from './helpers/markdown.js';

// dist/test/docs-links.test.js → the repository root
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist/src/cli/main.js');

/** The pages checked: the README and every Markdown page under docs/. */
const PAGES = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
].sort();

/**
 * Flags the pages name that belong to other tools, each with the tool: they need not be
 * localgraph's. A flag of localgraph's own help is never looked up here.
 */
const OTHER_TOOLS_FLAGS: Record<string, string> = {
  '--cacert': 'curl',
  '--proxy': 'curl',
  '--data-urlencode': 'curl',
  '--retry': 'curl',
  '--retry-connrefused': 'curl',
  '--retry-delay': 'curl',
  '--service-principal': 'az login',
  '--allow-no-subscriptions': 'az login',
  '--method': 'az rest',
  '--body': 'az rest',
  '--strict': 'tsc',
  '--save-dev': 'npm install',
  '--write-coverage': 'scripts/test-clients.mjs (npm run test:clients -- --write-coverage)',
  '--test': 'node --test',
  '--error-on-warnings': 'biome check (npm run lint)',
  '--update': 'scripts/check-line-length.mjs (npm run lint:lines -- --update)',
};

/** Issue 17: what it is, the quick start, the three ways to connect and links; the rest in docs/. */
const README_MAX_LINES = 250;

const sqlitePassOnly = onlyOn('sqlite', 'the documentation does not depend on the storage');
const page = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** The help of every command, found from the `Usage: localgraph …` lines of `localgraph --help`. */
async function cliHelp(): Promise<string> {
  const run = promisify(execFile);
  const main = (await run(process.execPath, [CLI, '--help'])).stdout;
  const commands = new Set<string>();
  for (const [, usage] of main.matchAll(/^Usage: localgraph (.*)$/gm)) {
    const words = usage.split(' ');
    const end = words.findIndex((w) => /^[[(-]/.test(w) || w === '<command>');
    const path = end < 0 ? words : words.slice(0, end);
    const choice = path.findIndex((w) => /^<.*>$/.test(w));
    if (choice < 0) commands.add(path.join(' '));
    else
      for (const sub of path[choice].slice(1, -1).split('|')) commands.add([...path.slice(0, choice), sub].join(' '));
    if (choice >= 0) commands.add(path.slice(0, choice).join(' '));
  }
  assert.ok(
    commands.has('serve') && commands.has('admin reset'),
    `commands read from localgraph --help: ${[...commands].join(', ')}`,
  );
  const helps = await Promise.all(
    [...commands]
      .filter(Boolean)
      .map(async (command) => (await run(process.execPath, [CLI, ...command.split(' '), '--help'])).stdout),
  );
  return [main, ...helps].join('\n');
}

describe('the documentation', () => {
  it('reads anchors as GitHub makes them', () => {
    assert.equal(githubSlug('`localgraph serve`'), 'localgraph-serve');
    assert.equal(githubSlug('Host names (DNS rebinding)'), 'host-names-dns-rebinding');
    assert.equal(githubSlug("Conformance with Microsoft's docs"), 'conformance-with-microsofts-docs');
    assert.equal(githubSlug('The `$filter` grammar'), 'the-filter-grammar');
    assert.equal(githubSlug('1. Direct URL'), '1-direct-url');
    assert.deepEqual([...headingAnchors('# A\n```\n# not a heading\n```\n## A\n### Ä b_c\n')], ['a', 'a-1', 'ä-b_c']);
  });

  it('keeps the README a front door of at most 250 lines (details belong in docs/)', sqlitePassOnly, () => {
    const lines = page('README.md').split('\n').length;
    assert.ok(lines <= README_MAX_LINES, `README.md has ${lines} lines; move details to a page under docs/`);
  });

  it('has a table of contents linking every page under docs/', sqlitePassOnly, () => {
    const toc = new Set(markdownLinks(page('docs/README.md')).map((l) => l.target.split('#')[0]));
    const missing = PAGES.filter(
      (p) => p.startsWith('docs/') && p !== 'docs/README.md' && !toc.has(p.slice('docs/'.length)),
    );
    assert.deepEqual(missing, [], 'pages docs/README.md does not link');
  });

  it('has no broken relative link or #anchor in README.md and docs/*.md', sqlitePassOnly, () => {
    const anchors = new Map<string, Set<string>>();
    const anchorsOf = (file: string) => {
      if (!anchors.has(file)) anchors.set(file, headingAnchors(readFileSync(file, 'utf8')));
      return anchors.get(file)!;
    };
    const broken: string[] = [];
    for (const path of PAGES) {
      for (const { line, target } of markdownLinks(page(path))) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:
        const [file, anchor] = target.split('#', 2) as [string, string | undefined];
        const resolved = file === '' ? join(ROOT, path) : resolve(dirname(join(ROOT, path)), decodeURIComponent(file));
        const where = `${path}:${line}: ${target}`;
        if (!existsSync(resolved)) broken.push(`${where} (no ${relative(ROOT, resolved)})`);
        else if (
          anchor !== undefined &&
          statSync(resolved).isFile() &&
          resolved.endsWith('.md') &&
          !anchorsOf(resolved).has(decodeURIComponent(anchor))
        ) {
          broken.push(`${where} (no heading #${anchor} in ${relative(ROOT, resolved)})`);
        }
      }
    }
    assert.deepEqual(broken, []);
  });

  it('names only flags the CLI has, and documents every flag of the CLI', sqlitePassOnly, async () => {
    const cli = longFlags(await cliHelp());
    const documented = new Map<string, string>();
    for (const path of PAGES)
      for (const flag of longFlags(page(path))) if (!documented.has(flag)) documented.set(flag, path);
    const unknown = [...documented]
      .filter(([flag]) => !cli.has(flag) && !(flag in OTHER_TOOLS_FLAGS))
      .map(([flag, path]) => `${flag} (${path})`);
    assert.deepEqual(unknown, [], 'flags the pages name that no `localgraph … --help` names');
    const undocumented = [...cli].filter((flag) => !documented.has(flag));
    assert.deepEqual(undocumented, [], 'flags of the CLI no page of README.md and docs/ names');
    const stale = Object.keys(OTHER_TOOLS_FLAGS).filter((flag) => !documented.has(flag) || cli.has(flag));
    assert.deepEqual(stale, [], "entries of OTHER_TOOLS_FLAGS no page names any more, or that are localgraph's own");
  });
});
