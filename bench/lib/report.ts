import { writeFileSync } from 'node:fs';
import { cpus, platform, release, totalmem } from 'node:os';
import { failed, median, type LoadResult } from './load.js';

/** The rounds of one target in one scenario. */
export interface TargetRuns {
  label: string;
  rounds: LoadResult[];
}

export interface ScenarioRuns {
  scenario: string;
  connections: number;
  baseline: TargetRuns;
  subject: TargetRuns;
}

export interface RunSettings {
  seconds: number;
  warmupSeconds: number;
  rounds: number;
}

/** A suite's own lines under the table: what it is, how to reproduce it, its notes. */
export interface SuiteSection {
  name: string;
  description: string;
  /** the command that reproduces the suite's figures */
  command: string;
  notes: string[];
}

/** The medians of a target's rounds; non-2xx and errors are summed over the rounds. */
export interface Summary {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** server CPU ms per request, where measured */
  cpu?: number;
}

export function summarize(runs: TargetRuns): Summary {
  const pick = (f: (r: LoadResult) => number) => runs.rounds.map(f);
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  return {
    rps: median(pick((r) => r.rps)),
    p50: median(pick((r) => r.p50)),
    p99: median(pick((r) => r.p99)),
    non2xx: sum(pick((r) => r.non2xx)),
    errors: sum(pick((r) => r.errors)),
    cpu: runs.rounds.every((r) => r.cpuMsPerRequest !== undefined)
      ? median(pick((r) => r.cpuMsPerRequest!))
      : undefined,
  };
}

/** The subject's medians as shares of the baseline's, in the same run: throughput (higher is better), p99 and CPU per request (lower is better). */
export function ratiosOf(runs: ScenarioRuns): { throughput: number; p99: number; cpu?: number } {
  const base = summarize(runs.baseline);
  const subject = summarize(runs.subject);
  return {
    throughput: subject.rps / base.rps,
    p99: subject.p99 / base.p99,
    cpu: subject.cpu !== undefined && base.cpu ? subject.cpu / base.cpu : undefined,
  };
}

export function machine(): string {
  const list = cpus();
  const model = list[0]?.model.trim() ?? 'unknown CPU';
  return `${model}, ${list.length} logical CPUs, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${platform()} ${release()}`;
}

const fmt = (value: number, digits: number) => value.toFixed(digits);

const mib = (kib: number) => `${(kib / 1024).toFixed(0)} MiB`;

/** The Markdown report: one table, then the machine, the per-round figures and each suite's notes. */
export function renderReport(
  all: ScenarioRuns[],
  settings: RunSettings,
  sections: SuiteSection[] = [],
  command = 'npm run bench',
  date = new Date(),
): string {
  const lines: string[] = [];
  lines.push(
    '| Scenario | Server | Requests/s | p50 (ms) | p99 (ms) | Throughput vs baseline | p99 vs baseline | Server CPU per request (ms) | CPU per request vs baseline | Non-2xx / errors |',
  );
  lines.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const runs of all) {
    const base = summarize(runs.baseline);
    const subject = summarize(runs.subject);
    const cpu = (s: Summary) => (s.cpu === undefined ? 'n/a' : fmt(s.cpu, 3));
    const connections = (t: TargetRuns) =>
      t.rounds.every((r) => r.sequential) ? '1 at a time: slow requests' : `${runs.connections} connections`;
    const row = (label: string, s: Summary, ratios: string[], t: TargetRuns) =>
      `| ${runs.scenario} (${connections(t)}) | ${label} | ${fmt(s.rps, s.rps < 10 ? 2 : 0)} | ${fmt(s.p50, 1)} | ${fmt(s.p99, 1)} | ${ratios[0]} | ${ratios[1]} | ${cpu(s)} | ${ratios[2]} | ${s.non2xx} / ${s.errors} |`;
    const cpuRatio =
      subject.cpu !== undefined && base.cpu !== undefined && base.cpu > 0
        ? `**${fmt(subject.cpu / base.cpu, 2)}**`
        : 'n/a';
    lines.push(row(runs.baseline.label, base, ['1.00', '1.00', '1.00'], runs.baseline));
    lines.push(
      row(
        runs.subject.label,
        subject,
        [`**${fmt(subject.rps / base.rps, 2)}**`, `**${fmt(subject.p99 / base.p99, 2)}**`, cpuRatio],
        runs.subject,
      ),
    );
  }
  lines.push('');
  lines.push(`- Machine: ${machine()}`);
  lines.push(`- Node ${process.version}; ${date.toISOString()}`);
  lines.push(`- Command: \`${command}\` (each suite's own command is under its heading)`);
  lines.push(
    `- Method: autocannon (in the bench process, on the same machine) drives ${settings.rounds} rounds (unless a suite says otherwise); each round starts a fresh baseline, ` +
      `warms it up for ${settings.warmupSeconds} s, measures ${settings.seconds} s and stops it, then does the same with a fresh localgraph ` +
      '(or the peer or PostgreSQL deployment a suite names; two instances share the connections, alternately, and their CPU time and RSS are summed). ' +
      "Figures are the medians of the rounds. Throughput ratio: the row's server ÷ baseline (higher is better); p99 and CPU ratios: the row's server ÷ baseline " +
      "(lower is better). Server CPU per request is the server process's user + system time during the measured run (from /proc) over the requests " +
      'completed; it is less sensitive to other load on the machine than requests/s. Only the ratios are meant to be compared across runs. ' +
      'Before the measured run the bench sends one request and waits for it, so that no work queued by the warm-up is left; ' +
      'where that first request takes over 3 s, there is no warm-up and the requests go one at a time instead ' +
      '(at least two, the first one counted; requests/s is then 1 ÷ the mean latency), since over many connections they would only queue. ' +
      "RSS is the server's VmRSS right after the measured run.",
  );
  for (const runs of all) {
    const perRound = (t: TargetRuns) =>
      t.rounds
        .map(
          (r) =>
            `${fmt(r.rps, r.rps < 10 ? 2 : 0)} req/s (${r.total} requests${r.sequential ? ', one at a time' : ''}), p99 ${fmt(r.p99, 1)} ms` +
            (r.cpuMsPerRequest === undefined ? '' : `, CPU ${fmt(r.cpuMsPerRequest, 3)} ms/req`) +
            (r.rssKiB === undefined ? '' : `, RSS ${mib(r.rssKiB)}`) +
            (r.startupMs === undefined ? '' : `, started in ${fmt(r.startupMs, 0)} ms`),
        )
        .join('; ');
    lines.push(
      `- Rounds, ${runs.scenario}: baseline ${perRound(runs.baseline)} | ${runs.subject.label} ${perRound(runs.subject)}`,
    );
  }
  for (const runs of all) {
    for (const t of [runs.baseline, runs.subject]) {
      const bad = t.rounds.filter(failed);
      if (bad.length > 0) {
        const codes = bad.map((r) => JSON.stringify(r.statusCodes)).join(', ');
        lines.push(`- **Warning**: ${runs.scenario}, ${t.label}: non-2xx responses or errors (status codes ${codes})`);
      }
    }
  }
  for (const section of sections) {
    lines.push('');
    lines.push(`### ${section.name}`);
    lines.push('');
    lines.push(section.description);
    lines.push('');
    lines.push(`- Reproduce: \`${section.command}\``);
    // A note is a bullet; one that starts with spaces continues the bullet before it (a nested bullet, a code block).
    for (const note of section.notes) lines.push(note.startsWith(' ') ? note : `- ${note}`);
  }
  return `${lines.join('\n')}\n`;
}

export function writeResults(file: string, markdown: string): void {
  writeFileSync(file, `# Benchmark results\n\nWritten by \`npm run bench\` (bench/run.ts).\n\n${markdown}`);
}
