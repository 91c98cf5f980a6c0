/**
 * The `Prefer` request header preferences Graph honours for this family. Preferences are
 * comma-separated tokens, `name` or `name=value`, case-insensitive names; header repeats add up.
 */
export interface Preferences {
  includeUnknownEnumMembers: boolean;
  maxPageSize?: number;
}

export function readPreferences(header: string | string[] | undefined): Preferences {
  const prefs: Preferences = { includeUnknownEnumMembers: false };
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  for (const token of text.split(',')) {
    // RFC 7240 allows quoted values: odata.maxpagesize="10".
    const [rawName, rawValue] = token.split('=', 2).map((s) => s.trim().replace(/^"(.*)"$/, '$1'));
    const name = rawName.toLowerCase();
    if (name === 'include-unknown-enum-members') prefs.includeUnknownEnumMembers = true;
    else if (name === 'odata.maxpagesize' && rawValue && /^\d+$/.test(rawValue)) prefs.maxPageSize = Number(rawValue);
  }
  return prefs;
}
