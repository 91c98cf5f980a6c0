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
 * What in a data folder is localgraph's: the database and its journals, the lock, the CA
 * certificate (`ca.pem`), the TLS folder (and its expired or half-written copies). Only these are
 * narrowed, so that a `--data` pointed at a folder holding other things (a project folder, by
 * mistake) changes nothing else.
 */
const OWN_ENTRY = /^(localgraph\.(db(-wal|-shm|-journal)?|lock)|ca\.pem|tls(\.expired-[\w-]+|\.tmp-[0-9a-f]+)?)$/;

/**
 * Makes `dir` (when missing) as 0700, and narrows it and localgraph's files in it (the database
 * files, the lock, `tls/` and what is in it) to 0700 folders and 0600 files. The folder itself
 * is narrowed when it is localgraph's: new, empty, or holding its database or lock. Symbolic
 * links are left alone.
 */
export function secureDataFolder(dir: string): NarrowedPath[] {
  const made = mkdirSync(dir, { recursive: true, mode: PRIVATE_FOLDER_MODE }) !== undefined;
  if (process.platform === 'win32') return [];
  const narrowed: NarrowedPath[] = [];
  const narrow = (path: string, wanted: number) => {
    const stat = lstatSync(path, { throwIfNoEntry: false });
    if (!stat || stat.isSymbolicLink()) return undefined;
    const mode = stat.mode & 0o777;
    if ((mode & 0o077) !== 0 || (mode & wanted) !== wanted) {
      chmodSync(path, wanted);
      narrowed.push({ path, was: mode, now: wanted });
    }
    return stat;
  };
  const all = readdirSync(dir);
  const entries = all.filter((name) => OWN_ENTRY.test(name));
  if (made || all.length === 0 || entries.includes('localgraph.db') || entries.includes('localgraph.lock'))
    narrow(dir, PRIVATE_FOLDER_MODE);
  for (const name of entries) {
    const path = join(dir, name);
    const stat = lstatSync(path, { throwIfNoEntry: false });
    if (!stat || stat.isSymbolicLink()) continue;
    if (stat.isDirectory()) {
      narrow(path, PRIVATE_FOLDER_MODE);
      for (const inner of readdirSync(path)) {
        const innerPath = join(path, inner);
        if (lstatSync(innerPath).isFile()) narrow(innerPath, PRIVATE_FILE_MODE);
      }
    } else if (stat.isFile()) narrow(path, PRIVATE_FILE_MODE);
  }
  return narrowed;
}

/** The warning for narrowed paths: one line, naming each with its old mode. */
export function narrowedWarning(dir: string, narrowed: NarrowedPath[]): string {
  const octal = (mode: number) => `0${mode.toString(8).padStart(3, '0')}`;
  const list = narrowed.map((n) => `${n.path} (was ${octal(n.was)}, now ${octal(n.now)})`).join(', ');
  return `localgraph: warning: the data folder ${dir} was open to other users of this machine, who may have read its keys and data; narrowed to its owner: ${list}`;
}
