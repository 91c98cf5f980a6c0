/**
 * Whether an error means the database cannot be reached right now (as opposed to a bad
 * statement): connection refused or lost, PostgreSQL shutting down or refusing connections,
 * SQLite busy past its timeout. Such requests answer 503 with Retry-After, and the next request
 * tries again: the pool reconnects by itself when the database returns.
 */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'EAI_AGAIN']);

export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (NETWORK_CODES.has(code)) return true;
    // PostgreSQL classes 08 (connection exception) and 57P (operator intervention: shutdown, cannot connect now).
    if (/^08...$/.test(code) || /^57P0[1-4]$/.test(code)) return true;
    if (code === 'SQLITE_BUSY') return true;
  }
  return typeof message === 'string' && /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(message);
}
