/**
 * Durations as people write them on a command line: `500ms`, `30s`, `2m`, `1h`, or a bare
 * number of seconds. Returns milliseconds, or undefined when the text is not a duration.
 */
const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(text);
  if (!match) return undefined;
  const ms = Number(match[1]) * UNITS[(match[2] ?? 's').toLowerCase()];
  return Number.isFinite(ms) ? Math.round(ms) : undefined;
}

/** A duration in words for messages: `60 s`, `1.5 s`, `250 ms`. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(3))} s`;
}
