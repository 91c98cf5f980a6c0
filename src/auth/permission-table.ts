import type { PermissionRow } from './permission-row.js';

/**
 * The permission table of docs/identity.md, rendered from the matrix rows so that the
 * documentation is the data the server enforces (`npm run docs` writes it between the markers;
 * a unit test fails when the page is stale).
 */
export const TABLE_START = '<!-- permissions:start -->';
export const TABLE_END = '<!-- permissions:end -->';

function permissions(list: string[]): string {
  if (list.length === 0) return 'not supported';
  const [least, ...higher] = list;
  return higher.length === 0 ? `${least}` : `${least}; higher: ${higher.join(', ')}`;
}

/** One Markdown table row per (method, path) of the matrix, in the matrix's order. */
export function renderPermissionTable(rows: readonly PermissionRow[]): string {
  const lines = [
    "| method | path (under `/beta`) | delegated (least privileged first) | application | source, or localgraph's choice |",
    '|---|---|---|---|---|',
  ];
  for (const row of rows) {
    const note = row.note.replace(/\|/g, '\\|');
    lines.push(
      `| ${row.method} | \`${row.pattern}\` | ${permissions(row.delegated)} | ${permissions(row.application)} | ${note} |`,
    );
  }
  return lines.join('\n');
}

/** `page` with the text between the markers replaced by `table`; throws when a marker is missing. */
export function replaceTable(page: string, table: string): string {
  const start = page.indexOf(TABLE_START);
  const end = page.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`the page needs the markers ${TABLE_START} and ${TABLE_END}`);
  return `${page.slice(0, start + TABLE_START.length)}\n${table}\n${page.slice(end)}`;
}
