/**
 * Sums a V8 .cpuprofile (from `node --cpu-prof`, e.g. `BENCH_CPU_PROF=dir npm run bench`) by
 * function and by package, so a bench run can say where a server's time goes.
 *
 *   node dist/bench/profile-top.js FILE.cpuprofile [N]
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, count = '25'] = process.argv.slice(2);
if (!file) {
  console.error('usage: profile-top FILE.cpuprofile [N]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const top = Number(count);

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);

// Self time per node: each sample's delta goes to the node it landed in.
const selfUs = new Map<number, number>();
let totalUs = 0;
profile.samples.forEach((id, i) => {
  const delta = Math.max(0, profile.timeDeltas[i] ?? 0);
  selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  totalUs += delta;
});

function where(frame: CallFrame): string {
  const url = frame.url.replace(/^file:\/\//, '');
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + 1);
  return url || '(native)';
}
function label(frame: CallFrame): string {
  return `${frame.functionName || '(anonymous)'} ${where(frame)}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
}
function bucket(frame: CallFrame): string {
  const url = frame.url;
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native/V8 builtins)';
  if (url.startsWith('node:')) return 'node: core';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const dist = url.indexOf('/dist/src/');
  if (dist >= 0) return `localgraph ${url.slice(dist + '/dist/src/'.length).split('/')[0]}/`;
  return url;
}

// Self time by function, by file and by package.
const selfByFunction = new Map<string, number>();
const selfByFile = new Map<string, number>();
const selfByBucket = new Map<string, number>();
// Total (inclusive) time by function: each sample counts once for every distinct function on its stack.
const totalByFunction = new Map<string, number>();
profile.samples.forEach((id, i) => {
  const delta = Math.max(0, profile.timeDeltas[i] ?? 0);
  const leaf = byId.get(id)!;
  selfByFunction.set(label(leaf.callFrame), (selfByFunction.get(label(leaf.callFrame)) ?? 0) + delta);
  selfByBucket.set(bucket(leaf.callFrame), (selfByBucket.get(bucket(leaf.callFrame)) ?? 0) + delta);
  const fileName = leaf.callFrame.url ? where(leaf.callFrame) : bucket(leaf.callFrame);
  selfByFile.set(fileName, (selfByFile.get(fileName) ?? 0) + delta);
  const seen = new Set<string>();
  for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
    const name = label(byId.get(n)!.callFrame);
    if (seen.has(name)) continue;
    seen.add(name);
    totalByFunction.set(name, (totalByFunction.get(name) ?? 0) + delta);
  }
});

// The profile covers the server's whole life, including the time it sat idle while the bench
// loaded the other server: percentages are of the busy (non-idle) time.
const idleUs = selfByBucket.get('(idle)') ?? 0;
const busyUs = totalUs - idleUs;
selfByBucket.delete('(idle)');
selfByFile.delete('(idle)');
selfByFunction.delete('(idle) (native)');
totalByFunction.delete('(idle) (native)');
totalByFunction.delete('(root) (native)');
const pct = (us: number) => `${((100 * us) / busyUs).toFixed(1).padStart(5)} %`;
function print(title: string, map: Map<string, number>, n: number): void {
  console.log(`\n${title}`);
  for (const [name, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n))
    console.log(`  ${pct(us)}  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`);
}

console.log(
  `${file}: ${(totalUs / 1e6).toFixed(1)} s sampled, ${(busyUs / 1e6).toFixed(1)} s busy; percentages are of the busy time`,
);
print('Self time by package / area', selfByBucket, 20);
print(`Self time by file, top ${top}`, selfByFile, top);
print(`Self time, top ${top} functions`, selfByFunction, top);
print(`Inclusive time, top ${top} functions`, totalByFunction, top);
