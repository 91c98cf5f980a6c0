import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A data folder holds the token signing key, the TLS key and everything the tenants stored, so
 * only its owner may read it: the folder 0700 (and its subfolders), every file 0600. A folder or
 * file found readable or writable by others (made by an older localgraph, copied, or unpacked
 * with another umask) is narrowed at start, and said so, since its contents may already have
 * been read. Windows has no such modes; there nothing is done.
 */
export const PRIVATE_FOLDER_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** One path whose mode was narrowed. */
export interface NarrowedPath {
  path: string;
  was: number;
  now: number;
}

/**
 * Makes `dir` (when missing) as 0700, and narrows it and what is in it (two levels: the database
 * files, the lock, `tls/`) to 0700 folders and 0600 files. Symbolic links are left alone.
 */
export function secureDataFolder(dir: string): NarrowedPath[] {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_FOLDER_MODE });
  if (process.platform === 'win32') return [];
  const narrowed: NarrowedPath[] = [];
  const visit = (path: string, depth: number) => {
    const stat = lstatSync(path, { throwIfNoEntry: false });
    if (!stat || stat.isSymbolicLink()) return;
    const mode = stat.mode & 0o777;
    if (stat.isDirectory()) {
      if ((mode & 0o077) !== 0 || (mode & 0o700) !== 0o700) {
        chmodSync(path, PRIVATE_FOLDER_MODE);
        narrowed.push({ path, was: mode, now: PRIVATE_FOLDER_MODE });
      }
      if (depth < 2) for (const name of readdirSync(path)) visit(join(path, name), depth + 1);
    } else if (stat.isFile() && (mode & 0o077) !== 0) {
      chmodSync(path, PRIVATE_FILE_MODE);
      narrowed.push({ path, was: mode, now: PRIVATE_FILE_MODE });
    }
  };
  visit(dir, 0);
  return narrowed;
}

/** The warning for narrowed paths: one line, naming each with its old mode. */
export function narrowedWarning(dir: string, narrowed: NarrowedPath[]): string {
  const octal = (mode: number) => `0${mode.toString(8).padStart(3, '0')}`;
  const list = narrowed.map((n) => `${n.path} (was ${octal(n.was)}, now ${octal(n.now)})`).join(', ');
  return `localgraph: warning: the data folder ${dir} was open to other users of this machine, who may have read its keys and data; narrowed to its owner: ${list}`;
}
