/**
 * Just enough Markdown reading to check documentation: where the links of a page point, which
 * anchors a page has (GitHub's heading slugs), and which `--flags` a text names. Fenced code
 * blocks hold no links or headings; inline code spans hold no links.
 */

export interface MarkdownLink {
  /** 1-based line of the page. */
  line: number;
  /** The link's target as written: `docs/cli.md#localgraph-serve`, `#faults`, `https://…`. */
  target: string;
}

/** The page's lines outside fenced code blocks (```), with their 1-based line numbers. */
function proseLines(markdown: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let fence: string | undefined;
  markdown.split('\n').forEach((text, index) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(text)?.[1];
    if (marker !== undefined && (fence === undefined || marker.startsWith(fence))) {
      fence = fence === undefined ? marker : undefined;
      return;
    }
    if (fence === undefined) out.push({ line: index + 1, text });
  });
  return out;
}

/**
 * GitHub's anchor for a heading: the text as shown (inline code and links reduced to their
 * text), lower-cased, every character that is not a letter, digit, space, `-` or `_` removed,
 * spaces turned into `-`.
 */
export function githubSlug(heading: string): string {
  const shown = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`/g, '')
    .trim()
    .toLowerCase();
  return shown.replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '').replace(/ /g, '-');
}

/** Every anchor of a page: its headings' slugs, a repeated slug numbered `-1`, `-2`, … as GitHub does. */
export function headingAnchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const { text } of proseLines(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(text)?.[1];
    if (heading === undefined) continue;
    const slug = githubSlug(heading);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** The inline links `[text](target)` and images of a page, outside code. */
export function markdownLinks(markdown: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  for (const { line, text } of proseLines(markdown)) {
    const withoutCode = text.replace(/`+[^`]*`+/g, (span) => ' '.repeat(span.length));
    for (const match of withoutCode.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g))
      links.push({ line, target: match[1] });
  }
  return links;
}

/** The long options a text names (`--port`, `--cert-name`; `--advance=-30s` names `--advance`), code included. */
export function longFlags(text: string): Set<string> {
  return new Set([...text.matchAll(/(?<![\w-])--[a-z][a-z0-9]*(?:-[a-z0-9]+)*/g)].map((m) => m[0]));
}
