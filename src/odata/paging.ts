import { errors } from '../graph/errors.js';

/**
 * Opaque `$skiptoken`s for keyset paging: the token carries the sort key of the last row served,
 * so the next page starts after it, and rows inserted or deleted meanwhile neither repeat nor
 * vanish from the walk.
 */
export const DEFAULT_PAGE_SIZE = 100;

interface TokenBody {
  v: 1;
  after: string;
}

export function encodeSkipToken(afterId: string): string {
  const body: TokenBody = { v: 1, after: afterId };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

export function decodeSkipToken(token: string): string {
  try {
    const body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as TokenBody;
    if (body.v === 1 && typeof body.after === 'string') return body.after;
  } catch {
    // fall through to the Graph error
  }
  throw errors.invalidQueryOption('The $skiptoken is not valid. Use the @odata.nextLink of a previous page as it is.');
}

/** The page size: `$top` when given, else `Prefer: odata.maxpagesize`, else the default. */
export function pageSize(top: number | undefined, maxPageSize: number | undefined): number {
  if (top !== undefined) return top;
  if (maxPageSize !== undefined) return Math.min(Math.max(maxPageSize, 1), 999);
  return DEFAULT_PAGE_SIZE;
}

/** The next page's URL: the request URL with every option kept, `$skiptoken` replaced (and `$skip`, which the token now accounts for). */
export function nextLink(requestUrl: URL, afterId: string): string {
  const url = new URL(requestUrl.href);
  for (const name of [...url.searchParams.keys()]) {
    const option = name.replace(/^\$/, '').toLowerCase();
    if (option === 'skiptoken' || option === 'skip') url.searchParams.delete(name);
  }
  url.searchParams.set('$skiptoken', encodeSkipToken(afterId));
  return url.href.replace(/%24/g, '$');
}
