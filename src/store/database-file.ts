import { closeSync, openSync, readSync, statSync } from 'node:fs';

/**
 * A data folder's database file is checked before SQLite opens it, so that localgraph never
 * takes a file that holds something else for a new database and writes over it: SQLite treats
 * an empty file as an empty database, and a foreign file fails with a terse "file is not a
 * database". Both are refused with a message that says what is wrong and what to do.
 */
export class DatabaseFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseFileError';
  }
}

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** Throws a {@link DatabaseFileError} when `file` exists but is not a SQLite database; a missing file is fine (it is created). */
export function checkDatabaseFile(file: string): void {
  let size: number;
  try {
    size = statSync(file).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (size === 0) {
    throw new DatabaseFileError(
      `the database file ${file} is empty (0 bytes). localgraph writes a database header as soon as it creates the file, so this one was ` +
        'emptied, or made by something else; localgraph leaves it alone rather than start afresh over it. ' +
        'Restore it from a backup, or delete it to start with an empty database.',
    );
  }
  const header = Buffer.alloc(SQLITE_HEADER.length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (!header.equals(SQLITE_HEADER)) throw notADatabase(file, 'it does not start with the SQLite header');
}

/** The error for a database SQLite found damaged (SQLITE_CORRUPT, SQLITE_NOTADB) while opening or migrating it. */
export function damagedDatabase(file: string, error: unknown): DatabaseFileError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^SQLITE_(CORRUPT|NOTADB)/.test(code)) return undefined;
  return notADatabase(file, `SQLite says: ${(error as Error).message}`);
}

function notADatabase(file: string, why: string): DatabaseFileError {
  return new DatabaseFileError(
    `the database file ${file} is not a SQLite database, or is damaged (${why}). localgraph leaves it untouched. ` +
      'Restore it from a backup, or move it away to start with an empty database.',
  );
}
