import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * One server per SQLite data folder: `serve` takes `localgraph.lock` (holding its pid) and
 * refuses to start while another live process holds it. Short-lived commands (`token`,
 * `app add`, ...) do not take it, so they keep working beside the server. A lock left by a
 * process that died is taken over.
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

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the folder's lock; returns the function that releases it. */
export function lockFolder(dir: string): () => void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) throw new FolderLockedError(dir, holder);
      rmSync(path, { force: true });
    }
  }
  throw new Error(`could not take the lock ${path}`);
}
