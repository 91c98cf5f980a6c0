import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: this file runs as dist/bench/lib/processes.js. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
/** The compiled localgraph CLI. */
export const CLI = join(ROOT, 'dist/src/cli/main.js');
/** Compiled bench files (dist/bench). */
export const BENCH_DIST = join(ROOT, 'dist/bench');

const READY_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 7_000;
const TAIL_CHARS = 4_000;

export interface StartOptions {
  /** shown in errors */
  label: string;
  /** node script to run */
  script: string;
  args: string[];
  /** extra flags for node itself, before the script (e.g. --cpu-prof) */
  nodeArgs?: string[];
  /** a line on stdout that says the process takes requests; its first group is returned */
  ready: RegExp;
  env?: NodeJS.ProcessEnv;
  /**
   * Standard output into this file instead of a pipe, as `localgraph serve > FILE` does (Node
   * writes a file synchronously and a pipe asynchronously, so the two cost differently); the
   * ready line is then read from the file.
   */
  stdoutFile?: string;
}

export interface Started {
  readonly label: string;
  readonly child: ChildProcess;
  /** the ready line's match */
  readonly match: RegExpMatchArray;
  /** milliseconds from spawning the process to its ready line */
  readonly readyMs: number;
  /** SIGTERM, then SIGKILL after a grace period (default 7 s); resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();
const tempDirs = new Set<string>();

/** Kills every child still running, at once and synchronously (for exit paths). */
export function killAll(): void {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  running.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

let guarded = false;
/** Makes sure children die with this process: on exit, on SIGINT/SIGTERM and on an uncaught error. */
export function guardChildren(): void {
  if (guarded) return;
  guarded = true;
  process.on('exit', killAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      console.error(`bench: ${signal}, stopping children`);
      killAll();
      process.exit(130);
    });
  }
}

/** A fresh temporary folder, removed when the bench ends. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `localgraph-bench-${prefix}-`));
  tempDirs.add(dir);
  return dir;
}

/** Removes a folder made by {@link tempDir}. */
export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

/** Spawns `node [nodeArgs] script args` and waits for its ready line. */
export function startProcess(options: StartOptions): Promise<Started> {
  const spawnedAt = performance.now();
  const out = options.stdoutFile === undefined ? 'pipe' : openSync(options.stdoutFile, 'w');
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), options.script, ...options.args], {
    cwd: ROOT,
    env: options.env ?? process.env,
    stdio: ['ignore', out, 'pipe'],
  });
  if (typeof out === 'number') closeSync(out);
  running.add(child);
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-TAIL_CHARS);
  };
  // Both pipes are read until the end, so a chatty child never blocks on a full pipe.
  child.stdout?.on('data', keep);
  child.stderr!.on('data', keep);

  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  void exited.then(() => running.delete(child));

  const stop = async (graceMs = STOP_GRACE_MS): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  };

  return new Promise<Started>((resolvePromise, reject) => {
    let buffered = '';
    const fail = (why: string) => {
      cleanup();
      void stop();
      reject(new Error(`${options.label}: ${why}\n--- output ---\n${tail.trim()}`));
    };
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? ''; // only whole lines: a half-printed port must not match
      for (const line of lines) {
        const match = line.trimEnd().match(options.ready);
        if (match) {
          cleanup();
          resolvePromise({ label: options.label, child, match, readyMs: performance.now() - spawnedAt, stop });
          return;
        }
      }
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      fail(`exited (${signal ?? `code ${code}`}) before it was ready`);
    const onError = (error: Error) => fail(`could not start: ${error.message}`);
    const timer = setTimeout(() => fail(`not ready after ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
    // A file has no 'data' events: it is read again until the ready line is there.
    let read = 0;
    const poll =
      options.stdoutFile === undefined
        ? undefined
        : setInterval(() => {
            const text = readFileSync(options.stdoutFile!);
            if (text.length > read) onData(text.subarray(read));
            read = text.length;
          }, 20);
    function cleanup() {
      clearTimeout(timer);
      clearInterval(poll);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
    }
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

/** The resident set size now and at its peak (VmRSS, VmHWM from /proc/PID/status), in KiB; undefined without /proc. */
export function memoryKiB(pid: number): { rss: number; peak: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm'))?.[1]);
    const rss = field('VmRSS');
    const peak = field('VmHWM');
    return Number.isFinite(rss) && Number.isFinite(peak) ? { rss, peak } : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `node script args` to completion and returns its trimmed stdout. */
export function runNode(script: string, args: string[]): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(process.execPath, [script, ...args], { cwd: ROOT, timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`node ${script} ${args.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolvePromise(stdout.trim());
    });
  });
}

/** Linux's USER_HZ: the unit of the CPU times in /proc/PID/stat (100 on every mainstream kernel). */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, in ms) a process has used so far, from /proc/PID/stat; undefined where
 * there is no /proc (the bench then leaves the CPU column empty).
 */
export function cpuTimeMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm)": state is field 3, utime 14, stime 15 (1-based, man 5 proc).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[14 - 3]) + Number(fields[15 - 3]);
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}
