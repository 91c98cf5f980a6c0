/**
 * Page sizes and next links. The `$skiptoken` itself (a keyset cursor: the sort key of the last
 * row served) is made by the query module (odata/query/keyset.ts).
 */
export const DEFAULT_PAGE_SIZE = 100;

/**
 * The page size. `$top` is a page size in Graph, not a cap on the whole result: a `$top` page
 * has a nextLink that keeps `$top`. With `Prefer: odata.maxpagesize` too, the smaller wins;
 * with neither, the default.
 */
export function pageSize(top: number | undefined, maxPageSize: number | undefined): number {
  const preferred = maxPageSize === undefined ? undefined : Math.min(Math.max(maxPageSize, 1), 999);
  if (top !== undefined && preferred !== undefined) return Math.min(top, preferred);
  return top ?? preferred ?? DEFAULT_PAGE_SIZE;
}

/** The next page's URL: the request URL with every option kept, `$skiptoken` replaced (and `$skip`, which the token now accounts for). */
export function nextLink(requestUrl: URL, skipToken: string): string {
  const url = new URL(requestUrl.href);
  for (const name of [...url.searchParams.keys()]) {
    const option = name.replace(/^\$/, '').toLowerCase();
    if (option === 'skiptoken' || option === 'skip') url.searchParams.delete(name);
  }
  url.searchParams.set('$skiptoken', skipToken);
  return url.href.replace(/%24/g, '$');
}
