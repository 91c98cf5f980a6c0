// Line-length ratchet (`npm run lint:lines`): Biome wraps code at 120 characters, but not a long
// string, template or test name. No file may have more lines over 120 characters than
// scripts/line-length-baseline.json allows (a file missing there allows none); `--update` writes
// the counts of today wherever they are lower, so the baseline only ever goes down.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const LIMIT = 120;
const BASELINE = 'scripts/line-length-baseline.json';
// The files Biome formats (biome.json `files.includes`), tracked or new but not ignored.
const CHECKED = /^(src|test|bench|scripts|web)\/.*\.(ts|mjs|cjs|js|css|html|json)$/;
const SKIPPED = /^test\/fixtures\//;

function checkedFiles() {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    encoding: 'utf8',
  });
  return [...new Set(listed.split('\0'))].filter((f) => CHECKED.test(f) && !SKIPPED.test(f)).sort();
}

/** Lines over the limit in one file, by their 1-based numbers; a deleted but still listed file has none. */
function longLines(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e.code === 'ENOENT') return [];
    throw e;
  }
  const lines = text.split('\n');
  return lines.flatMap((line, i) => ([...line].length > LIMIT ? [i + 1] : []));
}

const update = process.argv.includes('--update');
if (!existsSync(BASELINE) && !update) {
  console.error(`${BASELINE} is missing: \`npm run lint:lines -- --update\` writes it from today's counts`);
  process.exit(1);
}
// Without a baseline file (first run), `--update` takes today's counts as the baseline.
const bootstrap = !existsSync(BASELINE);
const baseline = bootstrap ? {} : JSON.parse(readFileSync(BASELINE, 'utf8'));
const counts = Object.fromEntries(
  checkedFiles()
    .map((f) => [f, longLines(f)])
    .filter(([, lines]) => lines.length > 0),
);

const over = bootstrap ? [] : Object.entries(counts).filter(([f, lines]) => lines.length > (baseline[f] ?? 0));
let total = 0;
for (const lines of Object.values(counts)) total += lines.length;

if (update) {
  // Lower only: a file keeps no more long lines than it was allowed (a new file, none); a file
  // that has none leaves the list.
  const next = {};
  for (const [f, lines] of Object.entries(counts)) {
    const allowed = bootstrap ? lines.length : Math.min(lines.length, baseline[f] ?? 0);
    if (allowed > 0) next[f] = allowed;
  }
  const sorted = Object.fromEntries(Object.entries(next).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync(BASELINE, `${JSON.stringify(sorted, null, 2)}\n`);
  console.log(`${BASELINE}: ${Object.keys(sorted).length} files, ${total} lines over ${LIMIT} characters`);
}

if (over.length > 0) {
  for (const [f, lines] of over) {
    console.error(
      `${f}: ${lines.length} lines over ${LIMIT} characters, baseline allows ${baseline[f] ?? 0} (lines ${lines.join(', ')})`,
    );
  }
  console.error(
    `Wrap them (split a long string with +, shorten a test name); \`npm run format\` wraps code. See docs/quality.md.`,
  );
  process.exit(1);
}
if (!update) console.log(`line length: ${total} lines over ${LIMIT} characters, none above the baseline`);
