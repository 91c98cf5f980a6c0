import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One server per SQLite data folder: `serve` takes `localgraph.lock` and refuses to start while
 * another live localgraph holds it. Short-lived commands (`token`, `app add`, ...) do not take
 * it, so they keep working beside the server. A lock left by a process that died is taken over,
 * and so is one whose pid now belongs to another process (pids are reused, after a reboot
 * say): the lock records its holder's start time (from /proc, where there is one) beside the
 * pid, and a live process with that pid but another start time is not the holder. A lock of an
 * older localgraph (the pid alone) counts as held only when that process's command line names
 * localgraph.
 */
export const LOCK_FILE = 'localgraph.lock';

export class FolderLockedError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `the data folder ${dir} is in use by another localgraph server (pid ${pid}, lock file ${join(dir, LOCK_FILE)}). ` +
        'One SQLite data folder serves one server; to run several instances, share a PostgreSQL database (--database-url).',
    );
    this.name = 'FolderLockedError';
  }
}

/** What the lock file holds: the holder's pid, its start time when known, its command line. */
export interface LockHolder {
  pid: number;
  start?: string;
  command?: string;
}

/** When a process started (clock ticks since boot, /proc/PID/stat's 22nd field); undefined where there is no /proc. */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count after its end.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function processCommand(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return undefined;
  }
}

export function readLock(text: string): LockHolder | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed) };
  try {
    const parsed = JSON.parse(trimmed) as Partial<LockHolder>;
    return Number.isInteger(parsed.pid) && (parsed.pid as number) > 0
      ? {
          pid: parsed.pid as number,
          start: typeof parsed.start === 'string' ? parsed.start : undefined,
          command: parsed.command,
        }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the process a lock names still holds it. */
export function holdsLock(holder: LockHolder): boolean {
  if (holder.pid === process.pid || !alive(holder.pid)) return false;
  const start = processStart(holder.pid);
  if (holder.start !== undefined && start !== undefined) return start === holder.start;
  const command = processCommand(holder.pid);
  if (command !== undefined) return /localgraph|cli\/main\.js/.test(command);
  // No way to tell (no /proc): a live process with that pid is taken for the holder.
  return true;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Folders this process holds: a second server in the same process (the library) is refused too. */
const heldHere = new Set<string>();

/** Takes the folder's lock; returns the function that releases it. */
export function lockFolder(dir: string): () => void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, LOCK_FILE);
  if (heldHere.has(path)) throw new FolderLockedError(dir, process.pid);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      const holder: LockHolder = {
        pid: process.pid,
        start: processStart(process.pid),
        command: process.argv.join(' '),
      };
      writeSync(fd, `${JSON.stringify(holder)}\n`);
      closeSync(fd);
      heldHere.add(path);
      return () => {
        if (heldHere.delete(path)) rmSync(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readLock(readFileSync(path, 'utf8'));
      if (holder && holdsLock(holder)) throw new FolderLockedError(dir, holder.pid);
      rmSync(path, { force: true });
    }
  }
  throw new Error(`could not take the lock ${path}`);
}
